"""Formalism (形式主义, 走过场): meetings, reports, inspections and 台账 that resolve nothing.

The sources warn against it in so many words — "坚决防止形式主义和走过场" (seed 000 L185) — and
show what it is made of: a community readies its self-inspection report, its summary and its
archives for the inspection teams, which "听取汇报、查阅档案材料、召开座谈会" (seed 000 L173,
L175, L219–221); staff spend much of their time "填写报表、应对测评检查" and have too little left
to organise and serve residents (seed 004 L155); citizens name 形式主义 among the government's
faults (seed 000 L567).

With the switch on, each morning the committee and the party branch each give
``assessment_pressure`` × (``base_share`` + ``ledger_share`` × L) of their staff hours to paper,
and every party member ``assessment_pressure`` × ``member_ledger_hours_week`` × L hours a week
out of their own limited time (sign-in sheets, photographed activities: 留痕), where L is the
number of switched-on mechanisms that keep ledgers reported upward (``Mechanism.reports_upward``,
counted from the model's mechanisms every day). The more programmes a community runs, the more
台账 it keeps: co-governance with many mechanisms pays more for being inspected. The hours come out
of the actors' working day in the resource ledger (use ``formalism``) and out of members' week
(:mod:`cogov.model.volunteer_time`; source ``formalism_members``), so they are not there for
issues, organising or volunteering; every draw is capped at what is there.

How formalism differs from the administrative burden (:mod:`.admin_burden`): administrative
tasks are departments' work pushed down to the committee (下指标、下任务) — real work, done for
someone else; a workstation can take them over (separation) and two-way evaluation cuts them.
Formalism is the community's own programmes reported upward: hours whose only product is paper.
It is drawn as a use of its own, after those mechanisms, so neither moves it, and it is not part
of ``rc_admin_share``. The shares and hours are design choices: the seeds describe the load but
give no figure for it.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..ledger import RESIDENTS
from ..schema import NonNeg, Share, Strict, Switch, WeekHours
from ..volunteer_time import give
from .base import Mechanism


class FormalismParams(Strict):
    """Formalism: paper that takes the hours of the committee, the branch and party members
    (形式主义、走过场, seed 000 L185; 填写报表、应对测评检查, seed 004 L155)."""

    enabled: Switch = False
    assessment_pressure: NonNeg = Field(
        1.0, le=10.0, description="top-down assessment pressure (考核、检查验收, seed 000 L175, "
        "L221) multiplying the whole load; 1 = the reference load [design choice]",
        json_schema_extra={"unit": "multiplier"})
    base_share: Share = Field(
        0.05, description="share of the committee's and the branch's staff hours on standing "
        "reports, meetings and inspection files, whatever the programmes (seed 000 L173, L219) "
        "[amount: design choice]", json_schema_extra={"unit": "share of staff hours"})
    ledger_share: Share = Field(
        0.03, description="further share of their staff hours for each switched-on mechanism "
        "that keeps a ledger reported upward (台账; 档案资料整理, seed 000 L221) [amount: design "
        "choice]", json_schema_extra={"unit": "share of staff hours per ledger"})
    member_ledger_hours_week: WeekHours = Field(
        0.25, description="hours a week each party member gives per ledger to sign-ins and "
        "recorded activities (留痕), out of their own time [design choice]",
        json_schema_extra={"unit": "hours/week per ledger"})


class Formalism(Mechanism):
    key = "formalism"
    Params = FormalismParams
    order = 55  # after the administrative tasks are set, before volunteers give their hours
    name_zh = "形式主义"
    name_en = "formalism"
    reports_upward = False  # it is the reporting itself
    reports = (
        Metric("formalism_share_residents_committee", "居委会形式主义耗时占比",
               "committee staff time on formalism", "share",
               definition="committee hours on meetings, reports, inspections and ledgers / its "
               "staff hours, from day 0 to date (over the run in the summary)",
               short_zh="居委会形式主义", short_en="RC formalism"),
        Metric("formalism_share_party_branch", "党组织形式主义耗时占比",
               "party-branch staff time on formalism", "share",
               definition="the same for the party branch, from day 0 to date"),
        Metric("formalism_member_hours", "党员留痕时数", "party members' hours on formalism",
               "hours", definition="hours party members gave to sign-ins and recorded "
               "activities, from day 0 to date"),
        Metric("formalism_ledgers", "上报台账数", "ledgers reported upward", "count",
               definition="switched-on mechanisms keeping a ledger reported upward, today"),
    )

    def setup(self) -> None:
        self.ledgers = 0
        self._today = np.zeros(5)  # rc hours, rc staff, branch hours, branch staff, members
        self._total = np.zeros(5)
        self._members = np.flatnonzero(self.model.population.party)

    def count_ledgers(self) -> int:
        """Switched-on mechanisms whose programmes are reported upward with their 台账."""
        return sum(1 for m in self.model.mechanisms.values() if m.enabled and m.reports_upward)

    def adjust_hours(self) -> None:
        m = self.model
        p = self.params
        self.ledgers = self.count_ledgers()
        share = min(p.assessment_pressure * (p.base_share + p.ledger_share * self.ledgers), 1.0)
        today = self._today
        for i, actor in ((0, m.rc), (2, m.party)):
            got = m.ledger.use_hours(actor.slot, "formalism",
                                     min(share * actor.staff_hours, max(actor.hours, 0.0)))
            actor.hours -= got
            today[i], today[i + 1] = got, actor.staff_hours
        per = p.assessment_pressure * p.member_ledger_hours_week * self.ledgers / 7.0
        given = float(give(m, self._members, per).sum()) if per > 0.0 else 0.0
        m.ledger.give_time("formalism_members", RESIDENTS, "formalism", given)
        today[4] = given

    def organize(self) -> None:
        """The day's hours enter the run's totals (the trial day before day 0 never does)."""
        self._total += self._today
        self._today[:] = 0.0

    def metrics(self) -> dict[str, float]:
        tot = self._total
        return {"formalism_share_residents_committee": float(tot[0] / tot[1]) if tot[1] else 0.0,
                "formalism_share_party_branch": float(tot[2] / tot[3]) if tot[3] else 0.0,
                "formalism_member_hours": float(tot[4]),
                "formalism_ledgers": float(self.ledgers) if self.enabled else 0.0}
