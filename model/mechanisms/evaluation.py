"""Two-way evaluation: residents' ratings enter the performance scores of government and staff
(双向评估; seed 000 L145). Reforms shift assessment from upward indicators toward residents
(seed 000 L101; seed 001 L53, L165); staff allocate their time to what they are scored on (R23)
[design choice].

With the switch on, the committee spends ``1 − resident_weight / 2`` of the administrative time
it otherwise would (indicators count for less, residents' service for more), and the street
office answers escalations in ``1 − resident_weight / 2`` of its usual delay.

The evaluation creates no hours: the administrative time it cuts is the committee's own staff
time, given back to the committee's working day in the ledger (use ``admin`` returned), so the
committee serves with hours it has. Collecting residents' ratings is not priced [design choice].
"""

from __future__ import annotations

from pydantic import Field

from ..schema import Share, Strict, Switch
from .base import Mechanism


class EvaluationParams(Strict):
    """Two-way evaluation: residents' ratings enter government performance scores (双向评估,
    seed 000 L145; R23)."""

    enabled: Switch = False
    resident_weight: Share = Field(0.5, description="weight of residents' ratings in the "
                                   "performance score (w_res, seed 000 L101, L145)")


class TwoWayEvaluation(Mechanism):
    key = "evaluation"
    reports_upward = False  # it is the assessment itself [design choice]
    Params = EvaluationParams
    order = 50
    name_zh = "双向评估"
    name_en = "two-way evaluation"

    @property
    def _factor(self) -> float:
        return 1.0 - 0.5 * self.params.resident_weight if self.enabled else 1.0

    def setup(self) -> None:
        self._apply()

    def configure(self, params) -> None:
        super().configure(params)
        self._apply()

    def _apply(self) -> None:
        street = self.model.street
        street.response_days = round(street.params.response_days * self._factor)

    def adjust_hours(self) -> None:
        rc = self.model.rc
        cut = rc.admin_hours * (1.0 - self._factor)
        rc.admin_hours -= cut
        rc.hours += cut
        self.model.ledger.give_back(rc.slot, "admin", cut)
