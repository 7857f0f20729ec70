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

A meeting is not free. On its morning the branch prepares and holds it with ``prep_hours`` of
its working day (use ``disclosure``), and the ``attendees`` most engaged residents — the people
who came in Xinghua were the council's 33 members (seed 001 L128) — give ``hours_per_attendee``
out of their own week (:mod:`cogov.model.volunteer_time`; source ``meeting_attendees``). What
the meeting achieves scales with what it was given [design choice]: transparency rises to the
share of the preparation the branch could give, and the trust gain is that share times the
share of the attendees' hours given (residents hear of the disclosure through those who came).
A branch with no time left holds no meeting worth the name; fatigued residents do not come.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..ledger import RESIDENTS
from ..population import Institution
from ..schema import Count, Day, Days, Hours, Pos, PosAmount, Share, Strict, Switch
from ..volunteer_time import give
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
    prep_hours: PosAmount = Field(
        8.0, le=1000.0, description="party-branch hours to prepare and hold a meeting: the "
        "secretary discloses funds, assets, plans and the issues collected (seed 001 L128) "
        "[amount: design choice]", json_schema_extra={"unit": "hours/meeting"})
    attendees: Count = Field(33, le=100_000, description="residents asked to attend, the most "
                             "engaged first: the 33 council members who then spoke up (seed 001 "
                             "L128)", json_schema_extra={"unit": "persons"})
    hours_per_attendee: Hours = Field(2.0, description="hours each attendee gives, out of "
                                      "their own week [design choice]",
                                      json_schema_extra={"unit": "hours/meeting"})


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
        self.prepared = 0.0  # share of today's preparation the branch gave
        self.attended = 0.0  # share of today's attendees' hours given

    def _meets_today(self) -> bool:
        p = self.params
        day = self.model.day
        return day >= p.first_day and (day - p.first_day) % p.period_days == 0

    def adjust_hours(self) -> None:
        """A meeting day: the branch's preparation comes out of its working day, the attendees'
        hours out of their week; what was given decides what the meeting achieves."""
        self.prepared = self.attended = 0.0
        if not self._meets_today():
            return
        m = self.model
        p = self.params
        party = m.party
        got = m.ledger.use_hours(party.slot, "disclosure", min(p.prep_hours, party.hours))
        party.hours -= got
        party.hours_used += got
        self.prepared = got / p.prep_hours
        asked = p.attendees * p.hours_per_attendee
        if asked <= 0.0:
            return
        pop = m.population
        k = min(p.attendees, pop.n)
        engaged = np.lexsort((np.arange(pop.n), -pop.participation))[:k]
        given = float(give(m, engaged, p.hours_per_attendee).sum())
        m.ledger.give_time("meeting_attendees", RESIDENTS, "disclosure", given)
        self.attended = given / asked

    def trust_gain(self) -> np.ndarray | None:
        """On a meeting day everyone gains trust in the branch and the committee, as far as the
        meeting was prepared and attended."""
        if not self._meets_today():
            return None
        gain = np.zeros(len(Institution))
        gain[[Institution.PARTY, Institution.RC]] = (self.params.trust_gain * self.prepared
                                                     * self.attended)
        return gain

    def organize(self) -> None:
        m = self.model
        m.party.transparency *= 0.5 ** (1.0 / self.params.half_life_days)
        if not self.enabled or not self._meets_today():  # it runs while off: transparency fades
            return
        m.party.transparency = max(m.party.transparency, self.prepared)
        self.meetings += 1

    def metrics(self) -> dict[str, float]:
        return {"transparency": float(self.model.party.transparency)}
