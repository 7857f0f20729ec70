"""The moral points bank (道德银行 / 道德积分) and the rule of virtue.

Volunteering and neighbourhood watch earn moral points (seed 004 L84); role models and public
lists promote good conduct (seed 004 L72, L86), and virtue rebukes incipient problems before they
grow (seed 004 L74). Volunteer teams turn residents from "objects of work" into "a force of work"
(seed 004 L147). How points are valued, redeemed or decay is not in the seeds [design choice].

With the switch on: redeemable points raise everyone's participation target by ``incentive``;
each act earns a point; the more of a unit's residents take part, the more its neighbourhood
watch finds visible disputes and safety issues; and the dispute rate falls with the community's
participation (``virtue``). ``crowding_out`` optionally erodes point earners' intrinsic
propensity (externally pushed participation, R31, seed 002 L73).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..config import Category
from ..issues import Channel, Stage
from ..schema import Share, Strict, Switch
from .base import Mechanism


class PointsParams(Strict):
    """The moral points bank (道德银行 / 道德积分; seed 004 L84): volunteering and neighbourhood
    watch earn points; rule of virtue (seed 004 L72–86, L192)."""

    enabled: Switch = False
    incentive: Share = Field(0.03, description="participation propensity gained from points "
                             "that can be redeemed [design choice]")
    crowding_out: Share = Field(0.0, description="share of intrinsic propensity a point earner "
                                "loses over 365 rewarded acts (externally pushed participation, "
                                "R31, seed 002 L73) [design choice; 0 = off]")
    watch_find: Share = Field(
        0.3, description="daily chance the unit's watch finds a visible safety issue or "
        "dispute, at full participation in the unit (neighbourhood watch, seed 004 L84)"
    )
    virtue: Share = Field(0.3, description="fall in the dispute rate at full participation: "
                          "rule of virtue rebukes incipient problems (seed 004 L74) [size: "
                          "design choice]")


class MoralPoints(Mechanism):
    key = "points"
    Params = PointsParams
    order = 110
    name_zh = "道德积分"
    name_en = "moral points"
    reports = (Metric("moral_points", "道德积分总额", "moral points held", "count",
                      definition="points residents hold, summed"),)

    def setup(self) -> None:
        self.points = np.zeros(self.model.population.n)
        self._unit_share = np.zeros(self.model.community.n_units)
        self._community_share = 0.0

    def participation_pull(self) -> np.ndarray | float:
        return self.params.incentive

    def organize(self) -> None:
        m = self.model
        pop = m.population
        actors = m.today.actors
        self.points[actors] += 1.0
        if self.params.crowding_out:
            pop.participation_base[actors] *= 1.0 - self.params.crowding_out / 365.0
        recent = (m.day - pop.last_act_day) < m.config.behaviour.window_days
        n_units = m.community.n_units
        self._unit_share = np.bincount(pop.unit, weights=recent, minlength=n_units) / np.maximum(
            np.bincount(pop.unit, minlength=n_units), 1)
        self._community_share = float(recent.mean())

    def search(self, ids: np.ndarray) -> list[tuple[np.ndarray, Channel]]:
        if ids.size == 0:
            return []
        t = self.model.issues
        watched = np.isin(t.category[ids], (Category.DISPUTE, Category.SAFETY)) & (
            t.stage[ids] >= Stage.SIGN)
        return [(self.params.watch_find * self._unit_share[t.unit[ids]] * watched,
                 Channel.VOLUNTEER)]

    def generation_factor(self, category: int) -> float:
        if category != Category.DISPUTE:
            return 1.0
        return 1.0 - self.params.virtue * self._community_share

    def metrics(self) -> dict[str, float]:
        return {"moral_points": float(self.points.sum()) if self.enabled else 0.0}
