"""The contract between the day's phases and the governance mechanisms.

A mechanism is one module holding its parameters (a pydantic class: a block under
``mechanisms:`` in a scenario, usually with one switch, ``enabled``) and its class, which
registers itself. It may own state, and it takes part in the day through the hooks below; the
phases call every mechanism's hook in turn. A mechanism never imports another mechanism: they
meet through the population, the issue table and the actors.
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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "key" not in cls.__dict__:
            return  # a helper base, not a mechanism of its own
        for attr in ("Params", "order"):
            if attr not in cls.__dict__:
                raise TypeError(f"mechanism {cls.__name__} must declare {attr}")
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
        """Take new parameters (an intervention changed them)."""
        self.params = params

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

    def powers(self, ids: np.ndarray) -> np.ndarray | float:
        """Chance that the powers each issue needs are brought to it locally (e.g. judicial
        and administrative mediation joining people's mediation)."""
        return 0.0

    def escalation_factor(self, ids: np.ndarray) -> np.ndarray | float:
        """Multiplier on the daily chance that each issue in ``ids`` is pushed up a rung."""
        return 1.0

    def failure_factor(self, ids: np.ndarray, actor) -> np.ndarray | float:
        """Multiplier on the chance that a finished attempt on each issue fails."""
        return 1.0

    def participation_pull(self) -> np.ndarray | float:
        """Addition to each resident's participation target."""
        return 0.0

    def organize(self) -> None:
        """Organizational dynamics at the end of the day."""

    def metrics(self) -> dict[str, float]:
        """Today's value of each metric in ``reports``."""
        return {}
