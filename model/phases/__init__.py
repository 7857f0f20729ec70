"""The phases of one simulated day, in order (DESIGN.md, step order).

Each phase is a function ``phase(model) -> None`` in its own module; ``CommunityModel.step``
calls them in the order of ``DAY``. Reading the modules in this order follows one day.
"""

from .detection import detect
from .escalation import escalate
from .generation import generate
from .handling import handle
from .interventions import apply_interventions
from .organizations import open_offices, organize
from .residents import update_residents
from .routing import route

DAY = (
    apply_interventions,  # 1. scheduled changes of governance rules take effect
    open_offices,  # 1b. actors get their hours and budgets; administrative tasks take their share
    generate,  # 2. new issues arise; undetected ones ripen
    detect,  # 3. residents report, patrols and liaisons find
    route,  # 4. issues are triaged and assigned to a handler
    handle,  # 5. actors spend staff time and money on their queues
    escalate,  # 6. unresolved issues are pushed up the ladder
    update_residents,  # 7. satisfaction, trust, grievance, participation
    organize,  # 8. funding, meetings, administrative dynamics
)

__all__ = ["DAY", "apply_interventions", "generate", "detect", "route", "handle", "escalate",
           "update_residents", "organize", "open_offices"]
