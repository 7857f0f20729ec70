"""Elite capture and participation by a few (少数人参与; 依赖社区精英).

The seeds name the problem without measuring it: grassroots governance suffers from participation
by a few (少数人参与, seed 001 L6); many cities' community governance "still has to rely on" its
experienced community elites (不得不依赖于这一类型的社区精英, seed 003 L15); consultation "leans
toward the elite strata" and its representativeness is insufficient (侧重于精英阶层，其整体的代表性
不够, seed 002 L119); the lawful rights of a few are infringed without effective protection (seed
001 L39). Baseline B4 of MECHANISMS.md (secretary, director and representatives decide).

With the switch on, whoever handles issues — the committee, the core's triage, the council's
agenda of micro-projects, every other actor — listens to the residents it hears from most. A
resident's *voice* is their recent participation (``population.activity``: acts over about a
year), discounted by ``marginal_voice`` for vulnerable and migrant residents, who are outside the
elites' circles (seed 002 L119). Each morning the ``strength`` share of residents with the least
voice is found. Their issues are set aside: no handler takes one up until it has waited
``set_aside_days`` since it was reported, and then it goes behind everyone else's in the queue
(coordination's order kept within each part). Meanwhile its resident may push it up the ladder
or petition (the escalation phase); on a saturated desk it waits until the run ends — in effect
dropped. No number in the seeds sizes any of the three parameters [design choice]. Nothing is
drawn: the mechanism only holds back and reorders.

Equity outcomes (the gaps between groups in days to resolve and in satisfaction, and the share of
resolutions that go to the most active tenth) are core metrics (:mod:`cogov.model.equity`),
computed in every run, so the gap without capture is visible too.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..schema import Days, Share, Strict, Switch
from .base import Mechanism


class EliteCaptureParams(Strict):
    """Agendas follow the most active residents (少数人参与, seed 001 L6; reliance on community
    elites, seed 003 L15; elite-biased consultation, seed 002 L119)."""

    enabled: Switch = False
    strength: Share = Field(
        0.5, description="share of residents, those with the least voice (recent "
        "participation), whose issues every handler puts behind the others' (seed 001 L6, "
        "seed 003 L15) [size: design choice]", json_schema_extra={"unit": "share of residents"})
    marginal_voice: Share = Field(
        0.5, description="weight of a vulnerable or migrant resident's participation in their "
        "voice: consultation leans toward the elite strata (seed 002 L119) [size: design "
        "choice; 1 = participation alone decides]")
    set_aside_days: Days = Field(
        14, description="days an issue of a resident who goes unheard waits after its report "
        "before any handler takes it up (agendas follow the active few, seed 002 L119) [design "
        "choice]")


class EliteCapture(Mechanism):
    key = "elite_capture"
    reports_upward = False  # a failure mode, not a programme that keeps 台账 [design choice]
    Params = EliteCaptureParams
    order = 175
    name_zh = "精英俘获"
    name_en = "elite capture"
    reports = (Metric("captured_share_open", "被搁置的未结问题比例",
                      "open issues set aside by capture", "share",
                      definition="share of open issues whose resident is among the least heard "
                      "(strength share of residents by voice), end of day; 0 while off"),)

    def setup(self) -> None:
        self.unheard = np.zeros(self.model.population.n, dtype=bool)

    def voice(self) -> np.ndarray:
        """Recent participation, discounted for residents outside the elites' circles."""
        pop = self.model.population
        marginal = pop.vulnerable | pop.migrant
        return np.where(marginal, pop.activity * self.params.marginal_voice, pop.activity)

    def adjust_hours(self) -> None:
        """Morning: who goes unheard today (the least-voiced ``strength`` share)."""
        s = self.params.strength
        if s <= 0.0 or not hasattr(self.model.population, "activity"):  # the trial day
            self.unheard[:] = False
            return
        v = self.voice()
        k = int(round(s * v.size))
        self.unheard[:] = False
        if k:
            self.unheard[np.argpartition(v, k - 1)[:k]] = True

    def queue_order(self, queue: np.ndarray) -> np.ndarray:
        """The heard residents' issues first, in coordination's order; then the unheard
        residents' issues that have waited out their set-aside; the rest not today."""
        t = self.model.issues
        low = self.unheard[t.origin[queue]]
        if not low.any():
            return queue
        waited = self.model.day - t.detected[queue] >= self.params.set_aside_days
        return np.concatenate([queue[~low], queue[low & waited]])

    def metrics(self) -> dict[str, float]:
        if not self.enabled:
            return {"captured_share_open": 0.0}
        ids = self.model.issues.open_ids()
        share = float(self.unheard[self.model.issues.origin[ids]].mean()) if ids.size else 0.0
        return {"captured_share_open": share}
