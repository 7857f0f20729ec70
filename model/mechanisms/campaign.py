"""Periodic crackdowns (集中整治) — the campaign baseline B3.

Periodic campaign screening neither prevents disputes nor catches them in time (seed 004 L245);
end-of-pipe fixes fade and problems return (seed 004 L149); after the 1983–86 crackdown serious
crime was checked, then rose again — major cases +100% in 1989 (seed 000 L609). The Beichen
reform replaced campaigns with routine work (集中整治→常态长效, seed 001 L11).

With the switch on, a campaign starts every ``period_days`` and lasts ``duration_days``: sweeps
find visible issues, staff hours surge, and new disputes and safety issues are deterred. The
deterred issues are not prevented: ``rebound`` times as many come back over the
``rebound_days`` after the campaign.

Who pays for the surge: a campaign is ordered from above and worked by the committee's staff
in overtime (乡镇、村、组 organise forces once the county deploys, seed 004 L245), paid from a
special campaign allocation (专项经费) [design choice]. On each campaign day the allocation
``allocation_per_1000_day`` × residents / 1,000 yuan arrives (source ``campaign_fund``) and pays
the overtime at ``overtime_yuan_per_hour`` (use ``overtime``): the committee gets
min(``surge_hours`` × residents / 1,000, allocation ÷ price) hours (source ``campaign_overtime``,
paid in yuan and so not priced again). The sweeps are not free either: ``sweep_share`` of the
surge hours are drawn from the committee's day for sweeps (use ``sweeps``) and the rest work
cases; a sweep finds with ``sweep_find`` × the sweep hours drawn ÷ those a full surge would give.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..config import Category
from ..issues import Channel, Stage
from ..schema import Amount, Days, NonNeg, Pos, Share, Strict, Switch
from .base import Mechanism

DETERRED = (Category.DISPUTE, Category.SAFETY)


class CampaignParams(Strict):
    """Periodic crackdowns (集中整治, baseline B3; seed 004 L245; seed 000 L609; seed 004 L149)."""

    enabled: Switch = False
    period_days: Days = Field(180, description="days from one campaign to the next")
    duration_days: Days = Field(30, description="length of a campaign")
    sweep_find: Share = Field(0.3, description="daily chance a campaign sweep finds a visible "
                              "issue")
    surge_hours: NonNeg = Field(20.0, description="extra committee hours a day during a "
                                "campaign per 1,000 residents (运动式), worked as overtime")
    overtime_yuan_per_hour: Pos = Field(
        60.0, description="yuan an hour of campaign overtime costs [design choice: "
        "ledger.wage]", json_schema_extra={"unit": "yuan/hour"})
    allocation_per_1000_day: NonNeg = Field(
        1200.0, description="special campaign allocation (专项经费) per 1,000 residents per "
        "campaign day, paying the overtime: 20 hours at 60 yuan [design choice]",
        json_schema_extra={"unit": "yuan/1,000 residents/day"})
    sweep_share: Share = Field(0.5, description="share of the surge hours spent on sweeps, the "
                               "rest on cases [design choice]")
    deterrence: Share = Field(0.5, description="fall in new disputes and safety issues during a "
                              "campaign")
    rebound: Amount = Field(
        2.0, le=100.0,
        description="issues that come back after a campaign per issue it deterred: major "
        "cases rose 100% in 1989 after the 1983–86 crackdown (seed 000 L609)"
    )
    rebound_days: Days = Field(60, description="days over which deterred issues come back")


class Campaign(Mechanism):
    key = "campaign"
    Params = CampaignParams
    order = 130
    name_zh = "集中整治"
    name_en = "campaigns"
    reports = (Metric("campaign_active", "运动式整治进行中", "campaign under way", "flag"),)

    def _day_in_cycle(self) -> int:
        return self.model.day % self.params.period_days

    @property
    def active(self) -> bool:
        return self.enabled and self._day_in_cycle() < self.params.duration_days

    @property
    def rebounding(self) -> bool:
        p = self.params
        since_end = self._day_in_cycle() - p.duration_days
        return self.enabled and self.model.day >= p.duration_days and 0 <= since_end < \
            p.rebound_days

    def generation_factor(self, category: int) -> float:
        if category not in DETERRED:
            return 1.0
        p = self.params
        if self.active:
            return 1.0 - p.deterrence
        if self.rebounding:
            return 1.0 + p.rebound * p.deterrence * p.duration_days / p.rebound_days
        return 1.0

    def setup(self) -> None:
        self.sweeping = 0.0  # today's sweep hours over those a full surge would give

    def adjust_hours(self) -> None:
        """A campaign day: the allocation pays the committee's overtime; part of it sweeps."""
        self.sweeping = 0.0
        if not self.active:
            return
        m = self.model
        p = self.params
        ledger = m.ledger
        per_1000 = m.population.n / 1000.0
        asked = p.surge_hours * per_1000
        ledger.receive("campaign_fund", p.allocation_per_1000_day * per_1000)
        paid = ledger.spend("campaign_fund", "overtime",
                            min(asked * p.overtime_yuan_per_hour,
                                max(ledger.balance("campaign_fund"), 0.0)))
        m.today.money_spent += paid
        rc = m.rc
        hours = paid / p.overtime_yuan_per_hour
        rc.hours += hours
        ledger.add_hours("campaign_overtime", rc.slot, hours)
        want = p.sweep_share * asked
        if want > 0:
            got = ledger.use_hours(rc.slot, "sweeps", min(p.sweep_share * hours, rc.hours))
            rc.hours -= got
            rc.hours_used += got
            self.sweeping = got / want

    def search(self, ids: np.ndarray) -> list[tuple[np.ndarray, Channel]]:
        if not self.active or ids.size == 0:
            return []
        visible = self.model.issues.stage[ids] >= Stage.SIGN
        return [(self.params.sweep_find * self.sweeping * visible, Channel.CAMPAIGN)]

    def metrics(self) -> dict[str, float]:
        return {"campaign_active": float(self.active)}
