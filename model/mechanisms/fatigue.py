"""Volunteer fatigue: over-used volunteers quit and come back slowly.

Co-governance leans on residents' time — party-member duty, unit observers, volunteer grid
workers, the neighbourhood watch, council attendees, members of social organizations and
residents' own acts all come out of the same limited week (:mod:`cogov.model.volunteer_time`).
Turning residents from "objects of work" into "a force of work" (seed 004 L147) has a cost the
seeds do not measure: the few who carry the load (少数人参与, seed 001 L6) wear out. The weekly
limit already stops a resident for a few days; this mechanism adds the longer spell.

With the switch on, each resident's *strain* is the volunteer hours they gave over a fading
window of ``window_days`` (each day's hours fade by 1 / ``window_days`` a day). Each evening a
resident whose strain is above ``threshold_hours`` quits with chance ``quit_chance``: withdrawn,
they give no hours at all — no duty, patrol, watch, meeting, membership hours or act — and each
evening come back with chance ``return_chance``. None of the four numbers is in the seeds
[design choice]; the shape (controlling over-demand drives volunteers out and they return slowly)
follows the volunteering literature only qualitatively. Switched off, the mechanism draws nothing
and every withdrawn resident is back.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..schema import Days, NonNeg, Share, Strict, Switch
from ..volunteer_time import FADE
from .base import Mechanism

ACTIVE_HOURS = 1.0  # a resident whose fading week holds an hour given is an active volunteer


class FatigueParams(Strict):
    """Volunteers who give too much for too long quit and come back slowly (工作力量 wears out,
    seed 004 L147; 少数人参与, seed 001 L6) [every number: design choice]."""

    enabled: Switch = False
    window_days: Days = Field(28, description="days over which a volunteer's given hours add "
                              "up to their strain (a fading window) [design choice]")
    threshold_hours: NonNeg = Field(
        12.0, description="hours given over the window beyond which a volunteer is over-used: "
        "3 a week, 60% of the default weekly limit of 5 [design choice]",
        json_schema_extra={"unit": "hours per window"})
    quit_chance: Share = Field(0.02, description="daily chance an over-used volunteer quits "
                               "(about 50 days of over-use on average) [design choice]",
                               json_schema_extra={"unit": "per day"})
    return_chance: Share = Field(1.0 / 180.0, description="daily chance a withdrawn volunteer "
                                 "comes back (about half a year away on average) [design "
                                 "choice]", json_schema_extra={"unit": "per day"})


class VolunteerFatigue(Mechanism):
    key = "fatigue"
    reports_upward = False  # a failure mode, not a programme that keeps 台账 [design choice]
    Params = FatigueParams
    order = 195  # last in the evening: every hour of the day has been given
    name_zh = "志愿者倦怠"
    name_en = "volunteer fatigue"
    reports = (
        Metric("active_volunteers", "活跃志愿者", "active volunteers", "count",
               definition=f"residents with at least {ACTIVE_HOURS:g} hour given in their fading "
               "week (volunteer_time), end of day; counted with fatigue on or off"),
        Metric("volunteer_quits", "志愿者退出", "volunteers who quit", "count",
               definition="cumulative quits of over-used volunteers; 0 while fatigue is off"),
        Metric("withdrawn_volunteers", "退出中的志愿者", "volunteers withdrawn", "count",
               definition="residents who quit and have not come back, end of day"),
        Metric("overused_share", "过度使用的志愿者比例", "share of volunteers over-used",
               "share", definition="share of active volunteers whose strain is above "
               "threshold_hours, end of day; 0 while fatigue is off"),
    )

    def setup(self) -> None:
        n = self.model.population.n
        self.strain = np.zeros(n)
        self._load = np.zeros(n)  # yesterday evening's fading week, to see what today added
        self.quits = 0

    def configure(self, params) -> None:
        was = self.enabled
        super().configure(params)
        pop = self.model.population
        if self.enabled and not was:  # switched on mid-run: strain counts from today
            self._load = pop.time_load.copy()
            self.strain[:] = 0.0
        elif was and not self.enabled:
            pop.withdrawn[:] = False

    def organize(self) -> None:
        pop = self.model.population
        p = self.params
        given = pop.time_load - FADE * self._load
        self._load = pop.time_load.copy()
        self.strain *= 1.0 - 1.0 / p.window_days
        self.strain += np.maximum(given, 0.0)
        draw = self.model.rng.random(pop.n)
        over = (self.strain > p.threshold_hours) & ~pop.withdrawn
        quit_now = over & (draw < p.quit_chance)
        back = pop.withdrawn & (draw < p.return_chance)
        pop.withdrawn[back] = False
        pop.withdrawn[quit_now] = True
        self.quits += int(np.count_nonzero(quit_now))

    def metrics(self) -> dict[str, float]:
        pop = self.model.population
        active = pop.time_load >= ACTIVE_HOURS
        n_active = int(np.count_nonzero(active))
        if not self.enabled:
            return {"active_volunteers": float(n_active), "volunteer_quits": 0.0,
                    "withdrawn_volunteers": 0.0, "overused_share": 0.0}
        over = np.count_nonzero(active & (self.strain > self.params.threshold_hours))
        return {"active_volunteers": float(n_active), "volunteer_quits": float(self.quits),
                "withdrawn_volunteers": float(np.count_nonzero(pop.withdrawn)),
                "overused_share": over / n_active if n_active else 0.0}
