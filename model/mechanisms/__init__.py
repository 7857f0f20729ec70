"""Governance mechanisms: each a module with one switch and parameters; scenarios compose them.

``MECHANISMS`` maps the key of each block under ``mechanisms:`` in a scenario to its class, in
the order their hooks run each day (disclosure before the councils that read it, the
administrative burden before the mechanisms that move or cut it). The model builds all of them; a
switched-off mechanism's hooks do nothing, so an intervention can switch it on mid-run.
"""

from .admin_burden import AdminBurden
from .alliance import Alliance
from .base import Mechanism
from .campaign import Campaign
from .coordination import Coordination
from .councils import Councils
from .disclosure import Disclosure
from .evaluation import TwoWayEvaluation
from .grid import GridPatrol
from .legal import RuleOfLaw
from .mediation import Mediation
from .points import MoralPoints
from .separation import Separation
from .service_purchase import ServicePurchase
from .smart_platform import SmartPlatform
from .volunteers import VolunteerMobilization

MECHANISMS: dict[str, type[Mechanism]] = {
    m.key: m
    for m in (
        Coordination, GridPatrol, AdminBurden, Separation, TwoWayEvaluation,
        VolunteerMobilization, Mediation, Disclosure, Councils, Alliance, MoralPoints,
        ServicePurchase, Campaign, RuleOfLaw, SmartPlatform,
    )
}

__all__ = ["MECHANISMS", "Mechanism", *(cls.__name__ for cls in MECHANISMS.values())]
