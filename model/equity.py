"""Who co-governance serves: gaps between groups and the concentration of its benefits.

Averages hide participation by a few (少数人参与, seed 001 L6): a community can resolve most issues
quickly while the issues of vulnerable residents, migrants and those who rarely take part wait.
So every run reports, mechanism on or off, the gap between each group and everyone else

* in median days from first report to resolution (the censored median of
  :mod:`cogov.model.survival`, each group's issues by the resident they belong to, ``origin``),
  group minus the others: positive when the group waits longer;
* in satisfaction, the others' mean minus the group's: positive when the group is less satisfied;

and the share of resolved issues that went to the most active tenth of residents. Low
participation is below the median of ``population.activity`` (acts over about a year,
``ACTIVITY_MEMORY``) on the day measured [design choice]; the top tenth is by the same column.
Nothing here draws a random number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .issues import Status
from .survival import clock_stops, median_days

if TYPE_CHECKING:
    from .model import CommunityModel

GROUPS = ("vulnerable", "migrant", "low_participation")
TOP = 0.1  # the most active tenth [design choice, as participation_top10_share]


def group_flags(model: CommunityModel) -> dict[str, np.ndarray]:
    """Per group, a flag per resident."""
    pop = model.population
    activity = pop.activity
    return {"vulnerable": pop.vulnerable, "migrant": pop.migrant,
            "low_participation": activity < np.median(activity)}


def satisfaction_gaps(model: CommunityModel) -> dict[str, float]:
    """The others' mean satisfaction minus each group's (0 when a group or its rest is empty)."""
    sat = model.population.satisfaction
    total, n = float(sat.sum()), sat.size
    out = {}
    for name, flag in group_flags(model).items():
        k = int(np.count_nonzero(flag))
        inside = float(sat[flag].sum())
        out[f"satisfaction_gap_{name}"] = ((total - inside) / (n - k) - inside / k
                                           if 0 < k < n else 0.0)
    return out


def resolution_gaps(model: CommunityModel) -> dict[str, float]:
    """Run summary: the gap in median days from report to resolution per group, and the share
    of resolved issues whose resident is among the most active tenth."""
    t = model.issues
    status, detected = t.column("status"), t.column("detected")
    reported = detected >= 0
    end, event = clock_stops(t, model.day)  # the clocks time_to_resolution reads
    since, event = (end - detected)[reported], event[reported]
    owner = t.column("origin")[reported]
    out = {}
    for name, flag in group_flags(model).items():
        mine = flag[owner]
        out[f"days_gap_{name}"] = (median_days(since[mine], event[mine])
                                   - median_days(since[~mine], event[~mine]))
    activity = model.population.activity
    k = max(1, int(round(TOP * activity.size)))
    top = np.zeros(activity.size, dtype=bool)
    top[np.argpartition(activity, activity.size - k)[-k:]] = True
    resolved_owner = t.column("origin")[status == Status.RESOLVED]
    out["resolved_top10_share"] = (float(top[resolved_owner].mean()) if resolved_owner.size
                                   else 0.0)
    return out
