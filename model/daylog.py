"""The day's log and the running totals: what the phases record as the day goes, for the
residents' update and the metrics to read. Its own module, below the phases and the metrics, so
that recording an event never means importing the code that reports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .config import CATEGORY_NAMES
from .issues import Level


@dataclass
class DayLog:
    """What happened today, gathered by the phases for the resident update and the metrics."""

    new_by_category: np.ndarray = field(default_factory=lambda: np.zeros(len(CATEGORY_NAMES)))
    resolved_ids: list[np.ndarray] = field(default_factory=list)
    resolved_inst: list[np.ndarray] = field(default_factory=list)
    failed_origins: list[np.ndarray] = field(default_factory=list)
    escalated_origins: list[np.ndarray] = field(default_factory=list)
    escalated_inst: list[np.ndarray] = field(default_factory=list)
    petition_origins: list[np.ndarray] = field(default_factory=list)
    mass_incident_buildings: list[np.ndarray] = field(default_factory=list)
    escalations: np.ndarray = field(default_factory=lambda: np.zeros(len(Level), np.int64))
    power_referrals: int = 0
    bounces: int = 0  # issues sent back down to the community today (lifecycle.send_back)
    recurrences: int = 0
    money_spent: float = 0.0
    actors: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    events: int = 0  # events on the timeline applied today
    event_issues: np.ndarray = field(default_factory=lambda: np.zeros(len(CATEGORY_NAMES),
                                                                      np.int64))

    def log_resolved(self, ids: np.ndarray, institution: int) -> None:
        self.resolved_ids.append(ids)
        self.resolved_inst.append(np.full(ids.size, institution))

    def resolved(self) -> np.ndarray:
        return np.concatenate(self.resolved_ids) if self.resolved_ids else np.empty(0, np.int64)


@dataclass
class Totals:
    """Running totals since day 0, for the cumulative rates."""

    resolved: int = 0
    days_to_resolve: float = 0.0
    resolved_in_community: int = 0
    detected: int = 0
    detected_proactively: int = 0
    money_spent: float = 0.0
    rc_admin_hours: float = 0.0
    rc_staff_hours: float = 0.0
    volunteer_hours: float = 0.0
    escalations: np.ndarray = field(default_factory=lambda: np.zeros(len(Level), np.int64))
    power_referrals: int = 0
