"""Time to resolution with open issues counted honestly.

A cumulative ratio (resolved / created) rewards a run for whatever is still open when it stops,
and a mean over resolved issues forgets the slow ones that are not resolved yet. Both are
right-censoring problems, so time to resolution is estimated as survival analysis does it:

* an issue still open at the end of the run is *censored* at the run's last day;
* an issue that leaves the community unresolved (a petition, 信访) is a *competing* event: it
  will not be resolved here, and treating it as censored would overstate resolution.

The share resolved within ``t`` days is the cumulative incidence of resolution (the
Aalen–Johansen estimator, which reduces to one minus the Kaplan–Meier curve when nothing
competes); the median days to resolution is the first day on which that share reaches one half
(``nan`` when it never does: fewer than half of the issues are ever resolved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .issues import Status

if TYPE_CHECKING:
    from .issues import IssueTable

CENSORED, RESOLVED, COMPETING = 0, 1, 2


def clock_stops(issues: IssueTable, today: int) -> tuple[np.ndarray, np.ndarray]:
    """Per issue: the day its clock stops — its close, or ``today`` while it is open (censored)
    — and its event (resolved, or competing when it left the community unresolved)."""
    status = issues.column("status")
    end = np.where(status == Status.OPEN, today, issues.column("closed"))
    event = np.select([status == Status.RESOLVED, status == Status.CLOSED_ESCALATED],
                      [RESOLVED, COMPETING], CENSORED)
    return end, event


def cumulative_incidence(days: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(event days, share resolved by each): the cumulative incidence of ``RESOLVED``.

    ``days`` are whole days from the start of the clock (onset or first report) to the event or
    to censoring; ``event`` is ``RESOLVED``, ``COMPETING`` or ``CENSORED`` per issue.
    """
    days = np.asarray(days, dtype=np.int64)
    event = np.asarray(event)
    if days.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    times, index = np.unique(days, return_inverse=True)
    resolved = np.bincount(index, weights=event == RESOLVED, minlength=times.size)
    competing = np.bincount(index, weights=event == COMPETING, minlength=times.size)
    leaving = np.bincount(index, minlength=times.size)
    at_risk = days.size - np.concatenate(([0], np.cumsum(leaving)[:-1]))
    hazard_any = (resolved + competing) / at_risk
    survival_before = np.concatenate(([1.0], np.cumprod(1.0 - hazard_any)[:-1]))
    return times, np.minimum(np.cumsum(survival_before * resolved / at_risk), 1.0)  # rounding


def share_within(times: np.ndarray, cif: np.ndarray, within: float) -> float:
    """From a curve of :func:`cumulative_incidence`: the share resolved within ``within`` days."""
    k = np.searchsorted(times, within, side="right")
    return float(cif[k - 1]) if k else 0.0


def median_of(times: np.ndarray, cif: np.ndarray) -> float:
    """From a curve of :func:`cumulative_incidence`: the first day by which half are resolved
    (``nan`` if never)."""
    k = np.searchsorted(cif, 0.5 - 1e-12)
    return float(times[k]) if k < times.size else float("nan")


def share_resolved_within(days: np.ndarray, event: np.ndarray, within: float) -> float:
    """Estimated share of issues resolved within ``within`` days of the clock's start."""
    return share_within(*cumulative_incidence(days, event), within)


def median_days(days: np.ndarray, event: np.ndarray) -> float:
    """First day by which half of the issues are estimated resolved (``nan`` if never)."""
    return median_of(*cumulative_incidence(days, event))
