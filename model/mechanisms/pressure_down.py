"""Pressure passed down (压力层层下传) and powers that do not match responsibilities (权责不匹配).

Seed 001 L6 names two of the five problems of grassroots governance 压力传导错位 and 权责不对称:
departments push their tasks down by "下指标、下任务" without defining the community's powers,
and the community complains "权力越来越小, 事务越来越多" (seed 004 L155); townships and villages
work where "责权利" do not match (seed 001 L27). The remedy the sources name is that money follows
the task, "费随事转" (seed 004 L173), and what the citizens resent is "推诿扯皮" (seed 000 L567).

This mechanism extends the administrative burden (:mod:`.admin_burden`) rather than adding a
task stream of its own. With the switch on:

* **Tasks without money.** The committee's administrative hours grow by ``pressure`` × the
  hours the burden set, up to the access list's cap (准入, ``admin_burden.access_list_cap``,
  seed 000 L99): the same kind of tasks, so separation moves them and two-way evaluation cuts
  them like the rest. No money comes with them: each evening the committee pays
  ``unfunded_yuan_per_hour`` for every hour of them out of its own fund (use ``admin``), money
  then missing for residents' issues. With the burden off there is nothing to scale.
* **Bounces.** An issue the committee cannot legally close (it needs powers above it, 看得见、
  管不着, seed 001 L116) that the street office holds is, on the day the street would take it
  up, sent back down with chance ``pressure`` × ``pushback`` (推诿, 踢皮球): it returns to the
  community and is routed again — the power check may refer it up again, to wait the street's
  response delay once more. Each bounce costs the committee ``bounce_hours`` of its day (use
  ``bounces``) and the issue the days it waited; the issue's ``bounces`` column counts them.
  A street that acts on the day it receives an issue (response delay 0) never sends one back.

The chances, shares and yuan are design choices: the seeds describe pressure and buck-passing
but give no figure for them.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..lifecycle import send_back
from ..schema import Amount, Hours, Share, Strict, Switch
from .base import Mechanism


class PressureDownParams(Strict):
    """Tasks pushed down without money or powers; referred issues sent back down (压力传导错位,
    权责不对称, seed 001 L6; 下指标、下任务, seed 004 L155)."""

    enabled: Switch = False
    pressure: Share = Field(
        0.5, description="how hard tasks and responsibilities are passed down: the committee's "
        "administrative hours grow by this share, and referrals are sent back down with this "
        "times pushback (压力层层下传, seed 001 L6) [amount: design choice]",
        json_schema_extra={"unit": "share"})
    unfunded_yuan_per_hour: Amount = Field(
        10.0, le=10_000.0, description="yuan the committee pays out of its own fund for each "
        "hour of tasks pushed down, because the money does not follow the task (费随事转 not "
        "done, seed 004 L173) [amount: design choice]", json_schema_extra={"unit": "yuan/hour"})
    pushback: Share = Field(
        0.5, description="at pressure 1, chance that the street office sends an issue the "
        "committee cannot close back down instead of taking it up (推诿扯皮, seed 000 L567) "
        "[amount: design choice]", json_schema_extra={"unit": "probability"})
    bounce_hours: Hours = Field(
        1.0, description="committee hours each bounce costs: taking the case back, explaining, "
        "referring it again [design choice]", json_schema_extra={"unit": "hours/bounce"})


class PressureDown(Mechanism):
    key = "pressure_down"
    Params = PressureDownParams
    order = 35  # after the burden sets the tasks, before separation moves them
    name_zh = "压力层层下传"
    name_en = "pressure passed down"
    reports_upward = False  # it is the tasks themselves, already counted as administration
    reports = (
        Metric("bounces_per_issue", "每件问题被推回次数", "bounces per issue", "rate",
               definition="times issues were sent back down to the community (推诿) / issues "
               "created, from day 0 to date", digits=3),
        Metric("bounced_issue_share", "被推回问题比例", "issues needing powers sent back",
               "share", definition="issues needing powers above the committee that were sent "
               "back down at least once / issues needing such powers, from day 0 to date",
               short_zh="被推回", short_en="bounced"),
        Metric("pushed_task_hours", "下派任务时数", "hours of tasks pushed down", "hours",
               definition="committee hours demanded by tasks pushed down without money, from "
               "day 0 to date"),
        Metric("unfunded_task_yuan", "下派任务自付经费（元）", "yuan paid for unfunded tasks",
               "yuan", definition="paid by the committee out of its own fund for tasks pushed "
               "down, from day 0 to date"),
    )

    def setup(self) -> None:
        self.extra_today = 0.0
        self.pushed_hours = 0.0
        self.unfunded_yuan = 0.0
        self.bounces = 0

    def adjust_hours(self) -> None:
        """Tasks pushed down on top of the burden, within the access list's cap."""
        m = self.model
        rc = m.rc
        cap = min(m.config.mechanisms.admin_burden.access_list_cap, 1.0) * rc.staff_hours
        extra = max(min(self.params.pressure * rc.admin_hours, cap - rc.admin_hours), 0.0)
        m.ledger.use_hours(rc.slot, "admin", min(extra, max(rc.hours, 0.0)))
        rc.admin_hours += extra
        rc.hours = max(rc.hours - extra, 0.0)
        self.extra_today = extra

    def send_back(self) -> None:
        m = self.model
        t = m.issues
        ids = t.open_ids()
        ids = ids[(t.handler[ids] == m.street.slot) & (t.ready[ids] == m.day)
                  & t.needs_power[ids]]
        chance = self.params.pressure * self.params.pushback
        if ids.size == 0 or chance <= 0.0:
            return
        back = ids[m.rng.random(ids.size) < chance]
        send_back(m, back)
        self.bounces += int(back.size)
        rc = m.rc
        got = m.ledger.use_hours(rc.slot, "bounces",
                                 min(self.params.bounce_hours * back.size, max(rc.hours, 0.0)))
        rc.hours -= got

    def organize(self) -> None:
        """The evening: the committee pays for today's pushed-down tasks out of its own fund."""
        m = self.model
        rc = m.rc
        self.pushed_hours += self.extra_today
        owed = self.params.unfunded_yuan_per_hour * self.extra_today
        paid = m.ledger.spend(m.ledger.fund_key[rc.slot], "admin", min(owed, max(rc.fund, 0.0)))
        rc.fund -= paid
        self.unfunded_yuan += paid
        self.extra_today = 0.0

    def metrics(self) -> dict[str, float]:
        t = self.model.issues
        created = len(t)
        bounced = 0.0
        if self.bounces:
            power = t.column("needs_power")
            n_power = int(np.count_nonzero(power))
            bounced = (np.count_nonzero(power & (t.column("bounces") > 0)) / n_power
                       if n_power else 0.0)
        return {"bounces_per_issue": self.bounces / created if created else 0.0,
                "bounced_issue_share": float(bounced),
                "pushed_task_hours": float(self.pushed_hours),
                "unfunded_task_yuan": float(self.unfunded_yuan)}
