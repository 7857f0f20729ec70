"""Administrative burden and empowerment of the residents' committee (R10, R21–R22).

Departments push tasks down by "下指标、下任务", detached from residents' needs; committee staff
spend their time on indicators, forms and inspections and are "力不从心" at organising and serving,
and residents' participation falls (seed 004 L155): "权力越来越小, 事务越来越多". Each day the
committee first spends ``task_share`` of its staff time on administrative tasks — capped by an
access list (准入, "只减不增", seed 000 L99, L101) — and only the rest serves and organises.

``empowerment`` is the chance that the committee holds the powers an issue needs (赋权赋能 instead
of 压事压责, seed 001 L11); without them the issue needs a summoned department or goes up to the
street (看得见、管不着, seed 001 L116). With the switch off the committee carries no
administrative tasks and holds no devolved powers.
"""

from __future__ import annotations

from pydantic import Field

from ..schema import Share, Strict, Switch
from .base import Mechanism


class AdminBurdenParams(Strict):
    """Administrative tasks pushed down to the committee (R21–R22; seed 004 L155)."""

    enabled: Switch = True
    task_share: Share = Field(
        0.4, description="share of committee staff time demanded by administrative tasks "
        "(下指标、下任务, seed 004 L155)"
    )
    empowerment: Share = Field(
        0.2, description="chance the committee holds the powers an issue needs (赋权赋能 "
        "instead of 压事压责, seed 001 L11)"
    )
    access_list_cap: Share = Field(
        1.0, description="cap on the task share set by an access list (准入, seed 000 L99)"
    )


class AdminBurden(Mechanism):
    key = "admin_burden"
    reports_upward = False  # its hours are the administrative tasks themselves [design choice]
    Params = AdminBurdenParams
    order = 30
    name_zh = "行政负担"
    name_en = "administrative burden"

    def adjust_hours(self) -> None:
        rc = self.model.rc
        share = min(self.params.task_share, self.params.access_list_cap)
        rc.admin_hours = share * rc.staff_hours
        self.model.ledger.use_hours(rc.slot, "admin", min(rc.admin_hours, rc.hours))
        rc.hours = max(rc.hours - rc.admin_hours, 0.0)

    def setup(self) -> None:
        self._empower()

    def configure(self, params) -> None:
        super().configure(params)
        self._empower()

    def _empower(self) -> None:
        """The committee holds devolved powers only while the mechanism is on; set when the
        rules change, before the day's routing reads it."""
        self.model.rc.empowerment = self.params.empowerment if self.enabled else 0.0
