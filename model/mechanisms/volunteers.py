"""Volunteer mobilisation of party members and the building-liaison chain.

Jiangxinyuan's six-level chain — secretary → branch member → party group leader → member →
building liaison → unit observer — with 41 liaisons, 128 observers and 868 volunteer grid workers
reports up and carries tasks down (seed 000 L693). Party members "认岗、认亲、认难题": claim a post,
a household and a problem, 认岗率 ≥ 100% (seed 001 L58); party-member volunteers (150 in Xingwang,
seed 002 L23) add hours of service.

With the switch on: an observer in each unit (``observer_coverage`` of them; a party member or
activist where there is one) notices visible issues in the unit; active party members add their
weekly hours to the core when it leads (else to the committee, which organises volunteers, seed
000 L691); and residents with a tie to an active member are pulled toward participating
(externally pushed participation, seed 002 L73).

Watching is time too. Each observer (in an observed unit, with ``liaisons`` on) is asked
``liaison_hours_week`` a week out of their own limited time, after party duty
(:mod:`cogov.model.volunteer_time`; source ``liaisons``, use ``liaison``), and the chance they
notice an issue in their unit scales with the share of those hours they gave [design choice]:
a fatigued observer watches less, one with no spare time notices nothing.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..issues import Channel
from ..ledger import RESIDENTS
from ..schema import Share, Strict, Switch, WeekHours
from ..volunteer_time import give
from .base import Mechanism


class VolunteersParams(Strict):
    """Party members and activists mobilised as volunteers and liaisons (seed 000 L693;
    认岗、认亲、认难题, seed 001 L58)."""

    enabled: Switch = False
    member_active_share: Share = Field(0.6, description="share of party members who claim a "
                                       "post (认岗)")
    hours_per_member_week: WeekHours = Field(3.0, description="hours per active member per week")
    observer_coverage: Share = Field(1.0, description="share of units with an observer: "
                                     "128 of 128 in Jiangxinyuan (seed 000 L693)")
    liaisons: Switch = Field(True, description="building liaisons and unit observers report "
                           "what they see (six-level chain, seed 000 L693)")
    liaison_find: Share = Field(0.05, description="daily chance an observer notices a visible "
                                "issue in their unit, at full watching time")
    liaison_hours_week: WeekHours = Field(
        1.0, description="hours a week an observer watches and reports, out of their own time "
        "(41 building liaisons, 128 unit observers, seed 000 L693) [amount: design choice]",
        json_schema_extra={"unit": "hours/week"})
    mobilisation: Share = Field(0.04, description="participation target raised by a "
                                "mobilising party member among one's ties")


class VolunteerMobilization(Mechanism):
    key = "volunteers"
    Params = VolunteersParams
    order = 60
    name_zh = "党员志愿者"
    name_en = "party-member volunteers"
    reports = (Metric("active_party_volunteers", "在岗党员志愿者",
                      "party-member volunteers on duty", "count"),)

    def setup(self) -> None:
        m = self.model
        pop = m.population
        # One observer per unit, party members and activists first (seed 000 L693).
        score = m.rng.random(pop.n) + 2.0 * pop.party + 1.0 * pop.activist
        order = np.lexsort((-score, pop.unit))
        first = np.ones(pop.n, dtype=bool)
        first[1:] = pop.unit[order][1:] != pop.unit[order][:-1]
        self.observers = order[first]
        self._observer_unit = pop.unit[self.observers]
        self.watching = np.zeros(m.community.n_units)  # per unit: share of watching time given
        self._unit_draw = m.rng.random(m.community.n_units)
        self._active_draw = m.rng.random(pop.n)
        self._configure_members()

    def configure(self, params) -> None:
        super().configure(params)
        self._configure_members()

    def _configure_members(self) -> None:
        m = self.model
        pop = m.population
        self.active = pop.party & (self._active_draw < self.params.member_active_share)
        self.observed_unit = self._unit_draw < self.params.observer_coverage
        # Who gives hours and who watches change only here, so they are selected here, once,
        # rather than every morning.
        self._active_ids = np.flatnonzero(self.active)
        watching = self.observed_unit[self._observer_unit]
        self._watchers = self.observers[watching]
        self._watched_units = self._observer_unit[watching]
        tied = m.network.adjacency @ self.active.astype(np.float64) > 0
        self._pull = self.params.mobilisation * (tied | self.active)

    def adjust_hours(self) -> None:
        """Active members give their weekly hours out of their own limited time (a fatigued
        member gives less, :mod:`cogov.model.volunteer_time`)."""
        m = self.model
        target = m.party if m.party.leads else m.rc
        hours = float(give(m, self._active_ids, self.params.hours_per_member_week / 7.0).sum())
        self.given_today = hours
        target.hours += hours
        m.ledger.add_hours("party_volunteers", target.slot, hours)
        self._watch()

    def _watch(self) -> None:
        """Observers in observed units give their watching hours; per unit, the share given."""
        m = self.model
        self.watching[:] = 0.0
        per = self.params.liaison_hours_week / 7.0
        if not self.params.liaisons or per <= 0.0:
            return
        given = give(m, self._watchers, per)
        self.watching[self._watched_units] = given / per
        m.ledger.give_time("liaisons", RESIDENTS, "liaison", float(given.sum()))

    def search(self, ids: np.ndarray) -> list[tuple[np.ndarray, Channel]]:
        if not self.params.liaisons or ids.size == 0:
            return []
        m = self.model
        t = m.issues
        vis = np.asarray(m.config.detection.proactive_stage)[t.stage[ids]]
        watched = self.watching[t.unit[ids]]
        return [(self.params.liaison_find * vis * watched, Channel.LIAISON)]

    def participation_pull(self) -> np.ndarray | float:
        return self._pull

    def metrics(self) -> dict[str, float]:
        return {"active_party_volunteers": float(self._active_ids.size) if self.enabled else 0.0}
