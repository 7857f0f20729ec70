"""Residents' councils deciding micro-projects (议事会; 民生微实事; 民事民议).

Futian puts a council in every community and lets residents propose, deliberate and decide on
fiscal micro-projects, screened and supervised by "三议三公开" (seed 002 L225); in Qingbaijiang
councils decide public-service projects (seed 001 L122) and take the preliminary decision in the
four-step chain (seed 001 L127). Turnout is the problem: at Xinghua's first council 7 of 33
members came, 26 after phone calls; after the secretary's disclosure meeting members spoke up and
took part (seed 001 L128). Allowances of 50–100 yuan, or none, compete with members' opportunity
cost (seed 001 L154).

With the switch on, the council is the designated handler of collective micro-projects, funded by
a micro-project fund. It meets every ``period_days``; each member attends with chance
``turnout × min(1, 0.5 + 0.5 · allowance / opportunity_cost)``, where turnout is the base (7/33)
or, with prodding, the prodded rate (26/33), and transparency from disclosure wins over a further
share of the rest. With a quorum the attendees decide, and the next day deliver projects with their
hours; projects they decided fail less (``consultation``: consult first, R17); being heard
raises their civic awareness (R27, seed 002 L89) and counts as taking part.

The allowance is real money: after each meeting the attendees are paid ``allowance`` each from
the committee's fund (its activity money, 活动经费, seed 001 L154; use ``allowance``), as far as
the fund goes [design choice]. Members expect what was paid last time: the allowance in the
turnout formula is ``allowance`` × the share of the last meeting's allowances actually paid, so
an empty fund pulls turnout toward the no-allowance level.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..agents import Organization
from ..catalogue import Metric
from ..config import Category
from ..population import Institution
from ..schema import Days, Hours, NonNeg, Pos, PosCount, Share, Strict, Switch
from ..volunteer_time import give
from .base import Mechanism


class CouncilParams(Strict):
    """A residents' (villagers') council deciding micro-projects (议事会, 民生微实事, 民事民议;
    seed 002 L225; seed 001 L122–128, L154)."""

    enabled: Switch = False
    seats: PosCount = Field(33, le=100_000, description="33 members at Xinghua's first "
                            "council (seed 001 L128)")
    period_days: Days = Field(30, description="days between council meetings [design choice]")
    base_turnout: Share = Field(0.21, description="7 of 33 came unprompted (seed 001 L128)")
    prodded_turnout: Share = Field(0.79, description="26 of 33 after phone calls (seed 001 L128)")
    prodding: Switch = Field(True, description="the secretary phones members before meetings")
    disclosure_engagement: Share = Field(
        0.7, description="share of non-attenders won over at full transparency: after the "
        "disclosure meeting members took part actively (seed 001 L128) [size: design choice]"
    )
    allowance: NonNeg = Field(50.0, description="yuan per meeting: 50–100, sometimes 0 (seed "
                              "001 L154)")
    opportunity_cost: Pos = Field(50.0, description="yuan a member forgoes to attend; turnout "
                                  "falls when the allowance is below it, to half with none (R32, "
                                  "seed 001 L154) [design choice]")
    quorum: Share = Field(0.5, description="share of seats needed to decide [design choice]")
    consultation: Share = Field(
        0.7, description="cut in the failure chance of projects the council decided: consult "
        "first, and self-drafted plans keep projects on time (R17, seed 001 L135–138; seed 000 "
        "L677) [size: design choice]"
    )
    hours_per_attendee: Hours = Field(4.0, description="deliberation and follow-up hours each "
                                       "attendee gives per meeting [design choice]")
    fund_per_resident_year: NonNeg = Field(
        60.0, description="micro-project fund, yuan per resident per year (民生微实事 fiscal "
        "fund, seed 002 L225) [size: design choice]"
    )
    heard_civic: Share = Field(0.05, description="civic awareness an attender gains per meeting "
                               "(being heard, R27, seed 002 L89)")


class Council(Organization):
    institution = Institution.RC
    label_en, label_zh = "residents' council", "居民议事会"

    def configure(self, params) -> None:
        self.params = params
        self.staff = 0.0  # the council works only when it meets
        self.hours_per_day = 0.0
        self.budget_per_day = params.fund_per_resident_year * self.model.population.n / 365.0

    def success(self, categories: np.ndarray) -> np.ndarray:
        p = super().success(categories)
        decided = categories == Category.PROJECT
        p[decided] = 1.0 - (1.0 - p[decided]) * (1.0 - self.params.consultation)
        return p


class Councils(Mechanism):
    key = "councils"
    Params = CouncilParams
    order = 90
    name_zh = "议事会与微实事"
    name_en = "councils and micro-projects"
    reports = (
        Metric("council_turnout", "议事会到会率", "council turnout", "share",
               definition="share of members at the latest meeting"),
        Metric("council_mean_turnout", "议事会平均到会率", "mean council turnout", "share",
               definition="over all meetings so far"),
        Metric("council_decisive_meetings", "达到法定人数的会议", "council meetings with a quorum",
               "count", definition="cumulative"),
    )
    # What a meeting decided is carried out the next day even if the councils are switched off
    # that morning.
    runs_while_off = frozenset({"adjust_hours"})

    def add_organizations(self, add) -> None:
        self.council = add(Council, self.params, specialties=("project",))
        self.council.first_call[Category.PROJECT] = True
        self.council.active = self.enabled

    def setup(self) -> None:
        pop = self.model.population
        # Members are the most engaged residents (representatives, activists).
        order = np.lexsort((self.model.rng.random(pop.n), -pop.participation))
        self.members = order[: min(self.params.seats, pop.n)]
        self.last_turnout = 0.0
        self._decided_hours = 0.0
        self._turnout_sum = 0.0
        self.meetings = 0
        self.decisive_meetings = 0
        self.allowance_paid = 1.0  # share of the last meeting's allowances the fund paid

    def configure(self, params) -> None:
        super().configure(params)
        self.council.configure(params)
        self.council.active = self.enabled

    def turnout(self) -> float:
        p = self.params
        t = p.prodded_turnout if p.prodding else p.base_turnout
        transparency = self.model.party.transparency
        t = 1.0 - (1.0 - t) * (1.0 - p.disclosure_engagement * transparency)
        allowance = p.allowance * self.allowance_paid
        return t * min(1.0, 0.5 + 0.5 * allowance / p.opportunity_cost)

    def adjust_hours(self) -> None:
        """The day after a decisive meeting the attendees carry out what they decided."""
        self.council.hours = self._decided_hours
        self.model.ledger.add_hours("council_attendees", self.council.slot, self._decided_hours)
        self._decided_hours = 0.0

    def organize(self) -> None:
        m = self.model
        if m.day % self.params.period_days:
            return
        came = self.members[m.rng.random(self.members.size) < self.turnout()]
        self.meetings += 1
        self.last_turnout = came.size / max(self.members.size, 1)
        self._turnout_sum += self.last_turnout
        pop = m.population
        pop.civic[came] = np.minimum(pop.civic[came] + self.params.heard_civic, 1.0)
        pop.acts[came] += 1
        pop.activity[came] += 1.0
        pop.last_act_day[came] = m.day
        self._pay(came.size)
        if self.last_turnout >= self.params.quorum:
            self.decisive_meetings += 1
            # Attendees give their hours out of their own limited time (volunteer_time).
            self._decided_hours = float(give(m, came, self.params.hours_per_attendee).sum())

    def _pay(self, attendees: int) -> None:
        """The attendees' allowances, from the committee's fund as far as it goes."""
        due = self.params.allowance * attendees
        if due <= 0:
            return
        m = self.model
        rc = m.rc
        paid = m.ledger.spend(m.ledger.fund_key[rc.slot], "allowance", min(due, max(rc.fund, 0.0)))
        rc.fund -= paid
        rc.spent += paid
        m.today.money_spent += paid
        self.allowance_paid = paid / due

    def metrics(self) -> dict[str, float]:
        return {"council_turnout": self.last_turnout if self.enabled else 0.0,
                "council_mean_turnout": self._turnout_sum / self.meetings if self.meetings else 0.0,
                "council_decisive_meetings": float(self.decisive_meetings)}
