"""The moral points bank (道德银行 / 道德积分) and the rule of virtue.

Volunteering and neighbourhood watch earn moral points (seed 004 L84); role models and public
lists promote good conduct (seed 004 L72, L86), and virtue rebukes incipient problems before they
grow (seed 004 L74). Volunteer teams turn residents from "objects of work" into "a force of work"
(seed 004 L147). How points are valued, redeemed or decay is not in the seeds [design choice].

With the switch on: redeemable points raise everyone's participation target by ``incentive``;
each act earns a point; the more of a unit's residents take part, the more its neighbourhood
watch finds visible disputes and safety issues; and the dispute rate falls with the community's
participation (``virtue``). ``crowding_out`` erodes point earners' intrinsic propensity
(externally pushed participation, R31, seed 002 L73): motivation crowding theory (Frey & Jegen
2001) finds rewards perceived as controlling displace intrinsic motivation, but gives no size
transferable here, so the default 0.2 over 365 rewarded acts is a design choice.

Points and the watch are paid for. The points bank is a fund (source ``points_fund``) receiving
``fund_per_resident_year`` × residents / 365 yuan each evening while the switch is on (its first
day's allotment at the start); each morning residents redeem the points they hold at
``yuan_per_point`` (use ``redemption``), as far as the fund goes, pro rata. Points are an
incentive only as far as they can be redeemed: the pull on participation is ``incentive`` × the
share of the points asked for redemption that the fund could pay, so when the fund is empty the
incentive fades [design choice]. The neighbourhood watch is residents' time: each resident who
took part within the window is asked ``watch_hours_week`` a week (source ``watchers``, use
``watch``, out of their own week), and a unit's watch finds with ``watch_find`` × the hours its
watchers gave ÷ what all its residents would give at full participation.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, model_validator

from ..catalogue import Metric
from ..config import Category
from ..issues import Channel, Stage
from ..ledger import RESIDENTS
from ..schema import FieldError, NonNeg, Pos, Share, Strict, Switch, WeekHours
from ..volunteer_time import give
from .base import Mechanism


class PointsParams(Strict):
    """The moral points bank (道德银行 / 道德积分; seed 004 L84): volunteering and neighbourhood
    watch earn points; rule of virtue (seed 004 L72–86, L192)."""

    enabled: Switch = False
    incentive: Share = Field(0.03, description="participation propensity gained from points "
                             "that can be redeemed [design choice]")
    crowding_out: Share = Field(0.2, description="share of intrinsic propensity a point earner "
                                "loses over 365 rewarded acts (externally pushed participation, "
                                "R31, seed 002 L73; motivation crowding, Frey & Jegen 2001) "
                                "[size: design choice; 0 = off]")
    watch_find: Share = Field(
        0.3, description="daily chance the unit's watch finds a visible safety issue or "
        "dispute, at full participation in the unit (neighbourhood watch, seed 004 L84)"
    )
    virtue: Share = Field(0.3, description="fall in the dispute rate at full participation: "
                          "rule of virtue rebukes incipient problems (seed 004 L74) [size: "
                          "design choice]")
    yuan_per_point: Pos = Field(1.0, description="yuan a point is redeemed for (goods at the "
                                "道德银行, seed 004 L84) [amount: design choice]",
                                json_schema_extra={"unit": "yuan/point"})
    fund_per_resident_year: NonNeg = Field(
        10.0, description="the points bank's redemption fund, yuan per resident per year "
        "[design choice]", json_schema_extra={"unit": "yuan/resident/year"})
    watch_hours_week: WeekHours = Field(
        0.5, description="hours a week a participating resident keeps neighbourhood watch "
        "(邻里守望, seed 004 L84), out of their own time [amount: design choice]",
        json_schema_extra={"unit": "hours/week"})

    @model_validator(mode="after")
    def _points_have_a_fund(self) -> PointsParams:
        if self.enabled and self.incentive > 0 and self.fund_per_resident_year <= 0:
            raise FieldError(("fund_per_resident_year",), (
                "redeemable moral points need a redemption fund: fund_per_resident_year must be "
                "> 0 while the points bank is on with incentive > 0 (points nobody pays for "
                "redeem nothing); give the fund, set incentive: 0, or switch points off"))
        return self


class MoralPoints(Mechanism):
    key = "points"
    Params = PointsParams
    order = 110
    name_zh = "道德积分"
    name_en = "moral points"
    reports = (Metric("moral_points", "道德积分总额", "moral points earned", "count",
                      definition="points residents have earned, summed (redeemed or not)"),
               Metric("points_redeemable", "积分可兑换比例", "share of points redeemable",
                      "share", definition="share of the points asked for redemption that the "
                      "fund paid this morning; scales the points' incentive"),)

    def setup(self) -> None:
        self.points = np.zeros(self.model.population.n)  # earned, cumulative
        self.held = np.zeros(self.model.population.n)  # earned and not yet redeemed
        self._unit_share = np.zeros(self.model.community.n_units)
        self._community_share = 0.0
        self.configure(self.params)
        # The first day's allotment (as every actor starts with one day's budget), so the
        # incentive is real from day 0; the redeemable share is 1 while the fund can pay.
        if self.enabled:
            self.model.ledger.receive("points_fund", self._daily_fund)
        self.redeemable = 1.0 if self._daily_fund > 0 else 0.0

    def configure(self, params) -> None:
        super().configure(params)
        self._daily_fund = params.fund_per_resident_year * self.model.population.n / 365.0

    def participation_pull(self) -> np.ndarray | float:
        return self.params.incentive * self.redeemable

    def organize(self) -> None:
        m = self.model
        pop = m.population
        actors = m.today.actors
        self.points[actors] += 1.0
        self.held[actors] += 1.0
        self.model.ledger.receive("points_fund", self._daily_fund)  # tomorrow's allotment
        if self.params.crowding_out:
            pop.participation_base[actors] *= 1.0 - self.params.crowding_out / 365.0
        recent = (m.day - pop.last_act_day) < m.config.behaviour.window_days
        n_units = m.community.n_units
        per = self.params.watch_hours_week / 7.0
        ids = np.flatnonzero(recent)
        given = give(m, ids, per) if per > 0 else np.zeros(ids.size)
        m.ledger.give_time("watchers", RESIDENTS, "watch", float(given.sum()))
        full = np.maximum(np.bincount(pop.unit, minlength=n_units), 1) * max(per, 1e-12)
        self._unit_share = np.bincount(pop.unit[ids], weights=given, minlength=n_units) / full
        self._community_share = float(recent.mean())

    def adjust_hours(self) -> None:
        """Mornings, residents redeem the points they hold as far as the fund pays, pro rata
        (in the morning, so that a fiscal year-end's lapse is followed by the new year's first
        allotment before anyone redeems)."""
        m = self.model
        ledger = m.ledger
        wanted = float(self.held.sum()) * self.params.yuan_per_point
        if wanted > 0:
            paid = ledger.spend("points_fund", "redemption",
                             min(wanted, max(ledger.balance("points_fund"), 0.0)))
            share = min(paid / wanted, 1.0)
            self.held *= 1.0 - share
            self.redeemable = share
            m.today.money_spent += paid
        else:
            self.redeemable = 1.0 if ledger.balance("points_fund") > 0 else 0.0

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
        return {"moral_points": float(self.points.sum()) if self.enabled else 0.0,
                "points_redeemable": self.redeemable if self.enabled else 0.0}
