"""Governance mechanisms: each a module with one switch and parameters; scenarios compose them.

``MECHANISMS`` maps the key of each block under ``mechanisms:`` in a scenario to its class. The
model builds all of them; a switched-off mechanism's hooks do nothing, so an intervention can
switch it on mid-run.
"""

from .admin_burden import AdminBurden
from .base import Mechanism
from .coordination import Coordination
from .grid import GridPatrol
from .volunteers import VolunteerMobilization

MECHANISMS: dict[str, type[Mechanism]] = {
    m.key: m for m in (Coordination, GridPatrol, AdminBurden, VolunteerMobilization)
}

__all__ = ["MECHANISMS", "Mechanism", "Coordination", "GridPatrol", "AdminBurden",
           "VolunteerMobilization"]
