"""Information disclosure (信息公开; 三议三公开).

At year end the Xinghua secretary disclosed the village's public-service funds, fixed assets,
plans and the issues collected, and promised to accept supervision; councillors who had been
indifferent began to speak and take part, and fund details were shown at the "信息赶集" (seed 001
L128). Futian's micro-projects are screened and supervised by "三议三公开" (seed 002 L225).

With the switch on, the party branch holds a disclosure meeting at the end of every
``period_days``-th day from ``first_day``. Each meeting sets the branch's transparency to 1,
which fades with a half-life, and raises every resident's trust in the branch and the committee
(kept promises, seed 004 L112) — declared through ``trust_gain`` and applied by the residents'
phase, the one place where trust changes. Councils read the transparency to win over members
who would not otherwise come (R29).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..population import Institution
from ..schema import Day, Days, Pos, Share, Strict, Switch
from .base import Mechanism


class DisclosureParams(Strict):
    """Information disclosure (信息公开; 三议三公开): the secretary discloses funds, assets, plans
    and collected issues and promises supervision (seed 001 L128; seed 002 L225)."""

    enabled: Switch = False
    period_days: Days = Field(365, description="a year-end disclosure meeting (seed 001 L128)")
    first_day: Day = Field(0, description="day of the first disclosure")
    half_life_days: Pos = Field(180.0, description="days for transparency to fade by half "
                                "[design choice]")
    trust_gain: Share = Field(0.05, description="trust in the party branch and committee gained "
                              "by everyone at a disclosure (kept promises, seed 004 L112)")


class Disclosure(Mechanism):
    key = "disclosure"
    Params = DisclosureParams
    order = 80
    name_zh = "信息公开"
    name_en = "disclosure"
    reports = (Metric("transparency", "党务居务公开程度", "transparency", "index",
                      definition="the party branch's disclosure stock, 0–1"),)
    # Transparency keeps fading after disclosure stops; councils read it.
    runs_while_off = frozenset({"organize"})

    def setup(self) -> None:
        self.meetings = 0

    def _meets_today(self) -> bool:
        p = self.params
        day = self.model.day
        return day >= p.first_day and (day - p.first_day) % p.period_days == 0

    def trust_gain(self) -> np.ndarray | None:
        """On a meeting day everyone gains trust in the branch and the committee."""
        if not self._meets_today():
            return None
        gain = np.zeros(len(Institution))
        gain[[Institution.PARTY, Institution.RC]] = self.params.trust_gain
        return gain

    def organize(self) -> None:
        m = self.model
        m.party.transparency *= 0.5 ** (1.0 / self.params.half_life_days)
        if not self.enabled or not self._meets_today():  # it runs while off: transparency fades
            return
        m.party.transparency = 1.0
        self.meetings += 1

    def metrics(self) -> dict[str, float]:
        return {"transparency": float(self.model.party.transparency)}
