"""The contract between the day's phases and the governance mechanisms.

A mechanism is one module holding its parameters (a pydantic class: a block under
``mechanisms:`` in a scenario, usually with one switch, ``enabled``) and its class, which
registers itself. It may own state, and it takes part in the day through the hooks below.

The phases call a daily hook (``DAILY_HOOKS``) only on the mechanisms that are switched on and
override it, in ``order`` (:attr:`CommunityModel.hooked <cogov.model.model.CommunityModel>`,
recomputed whenever an intervention changes the rules), so a hook never asks whether its
mechanism is on. A hook that must also run while the switch is off — to decay state or to
finish what was decided before the switch went off — is named in ``runs_while_off``. The
construction hooks (``add_organizations``, ``setup``), ``configure`` and ``metrics`` run for every
mechanism: the time series has the same columns whatever is switched on, so ``metrics`` reports
what a switched-off mechanism shows (usually zero).

A mechanism never imports another mechanism: they meet through the population, the issue table
and the actors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np
from pydantic import BaseModel

from ..catalogue import Metric, register

if TYPE_CHECKING:
    from ..issues import Channel
    from ..model import CommunityModel


REGISTRY: dict[str, type[Mechanism]] = {}

#: The hooks the day's phases call, in the order of the day; only on switched-on mechanisms.
DAILY_HOOKS = ("adjust_hours", "generation_factor", "search", "send_back", "powers",
               "queue_order",
               "escalation_factor", "failure_factor", "participation_pull", "trust_gain",
               "organize")


class Mechanism:
    """Subclasses register themselves: a class with a ``key`` becomes the block ``mechanisms.KEY``
    of the scenario schema, with ``Params`` as its parameters, and its hooks run at ``order``
    among the others' each day (lower first)."""

    key: ClassVar[str]  # its block under ``mechanisms:``
    Params: ClassVar[type[BaseModel]]  # its parameters, a strict pydantic model with defaults
    order: ClassVar[int]  # where its hooks run among the mechanisms' each day
    name_zh: ClassVar[str] = ""  # its name in the visualizer and reports
    name_en: ClassVar[str] = ""
    #: The daily metrics ``metrics()`` returns, with their names and units (the catalogue,
    #: :mod:`cogov.model.catalogue`); the summary keeps their last day's values.
    reports: ClassVar[tuple[Metric, ...]] = ()
    #: Daily hooks that run even while the switch is off (the hook then sees ``enabled`` False).
    runs_while_off: ClassVar[frozenset[str]] = frozenset()
    #: Whether the mechanism, while switched on, keeps ledgers (台账) that are reported upward
    #: and inspected: every programme a community runs comes with its records, meetings and
    #: reports (formalism counts them). True unless the mechanism is the assessment or the
    #: administration itself, or always on [design choice].
    reports_upward: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "key" not in cls.__dict__:
            return  # a helper base, not a mechanism of its own
        for attr in ("Params", "order"):
            if attr not in cls.__dict__:
                raise TypeError(f"mechanism {cls.__name__} must declare {attr}")
        unknown = set(cls.runs_while_off) - set(DAILY_HOOKS)
        if unknown:
            raise TypeError(f"mechanism {cls.__name__}: runs_while_off names no daily hook: "
                            f"{sorted(unknown)}")
        if cls.key in REGISTRY and REGISTRY[cls.key] is not cls:
            raise TypeError(f"two mechanisms use the key {cls.key!r}: "
                            f"{REGISTRY[cls.key].__name__} and {cls.__name__}")
        REGISTRY[cls.key] = cls
        for metric in cls.reports:
            register(metric, f"mechanism {cls.__name__}")

    def __init__(self, model: CommunityModel, params):
        self.model = model
        self.params = params

    @property
    def enabled(self) -> bool:
        return bool(getattr(self.params, "enabled", True))

    def configure(self, params) -> None:
        """Take new parameters (an intervention changed them). Runs whether or not the switch is
        on, so levers a mechanism sets on actors follow the switch here."""
        self.params = params

    def takes_part(self, hook: str) -> bool:
        """Whether the phases call ``hook`` on this mechanism under its current parameters: it
        overrides the hook and is switched on, or the hook runs while off."""
        overrides = getattr(type(self), hook) is not getattr(Mechanism, hook)
        return overrides and (self.enabled or hook in self.runs_while_off)

    # --- hooks, in the order of the day ------------------------------------------------------

    def add_organizations(self, add) -> None:
        """Create the actors this mechanism brings (a mediation committee, a workstation…) with
        ``add(cls, params, **kwargs)``, which returns the new agent. They exist even while the
        switch is off — idle (``active = False``) — so an intervention can switch it on."""

    def setup(self) -> None:
        """Once, after the community and actors exist."""

    def adjust_hours(self) -> None:
        """Start of day: change the actors' available hours (tasks, volunteers). Only hours and
        the day's counters: it also runs once before day 0 to find where participation starts."""

    def generation_factor(self, category: int) -> float:
        """Multiplier on today's rate of new issues of ``category`` (deterrence, virtue…)."""
        return 1.0

    def search(self, ids: np.ndarray) -> list[tuple[np.ndarray, Channel]]:
        """Proactive discovery: per undetected issue, the chance this mechanism finds it today."""
        return []

    def send_back(self) -> None:
        """Routing, before issues are matched: issues the street office holds that the committee
        cannot legally close may be sent back down (``lifecycle.send_back``), to be routed
        again."""

    def powers(self, ids: np.ndarray) -> np.ndarray | float:
        """Chance that the powers each issue needs are brought to it locally (e.g. judicial
        and administrative mediation joining people's mediation)."""
        return 0.0

    def queue_order(self, queue: np.ndarray) -> np.ndarray:
        """Reorder a handler's queue after coordination has ordered it (``priority``): whose
        issues come first when hours run short (elite capture)."""
        return queue

    def escalation_factor(self, ids: np.ndarray) -> np.ndarray | float:
        """Multiplier on the daily chance that each issue in ``ids`` is pushed up a rung."""
        return 1.0

    def failure_factor(self, ids: np.ndarray, actor) -> np.ndarray | float:
        """Multiplier on the chance that a finished attempt on each issue fails."""
        return 1.0

    def participation_pull(self) -> np.ndarray | float:
        """Addition to each resident's participation target."""
        return 0.0

    def trust_gain(self) -> np.ndarray | None:
        """Trust this mechanism wins today: per institution (indexed by ``Institution``), the
        share of every resident's remaining distrust that turns into trust, or None. Residents'
        trust changes only in the residents' phase, which applies these gains after the day's
        own trust update; a mechanism declares its effect here instead of writing the column."""
        return None

    def organize(self) -> None:
        """Organizational dynamics at the end of the day."""

    def metrics(self) -> dict[str, float]:
        """Today's value of each metric in ``reports``."""
        """Daily metrics this mechanism reports — every day, switched on or off, with the same
        keys (the time series has fixed columns)."""
        return {}
