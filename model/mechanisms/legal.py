"""Rule of law in the community (法治): legal advisers, legal publicity, lawyers behind mediators.

One legal adviser per village or community (seed 002 L229; 100% coverage, seed 004 L278);
legal publicity and strict enforcement shape norms (seed 004 L198); "调委会 + 专业律师 + 法律志愿者"
back mediation (seed 002 L229). Legal awareness routes claims into lawful channels (seed 000
L201), which the escalation phase already reads.

With the switch on, residents' legal awareness rises each day by ``education`` × advisers per
10,000 × (1 − awareness), and dispute attempts fail ``backing`` less often.

Advisers' time is declared and paid: each adviser gives ``hours_per_adviser_week`` (source
``legal_advisers``, paid hours priced at ``ledger.wage``; use ``legal_advice``), and publicity and
backing scale with the share of those hours drawn [design choice]. At 60 yuan an hour, two hours
a week is ≈6,200 yuan an adviser a year, against the 1,000 yuan a village that provincial
finance paid in 2017 (seed 004 L294): the rest is assumed paid from above. A legal adviser with
no hours is refused before the run.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, model_validator

from ..catalogue import Metric
from ..config import Category
from ..ledger import LEGAL
from ..schema import Amount, FieldError, Share, Strict, Switch, WeekHours
from .base import Mechanism


class LegalParams(Strict):
    """Rule of law in the community: a legal adviser per community, legal publicity and lawyers
    backing mediators (seed 002 L229; seed 004 L198, L278, L280)."""

    enabled: Switch = False
    advisers_per_10k: Amount = Field(3.0, le=10_000.0,
                                     description="one adviser per community of ~3,500 "
                                     "(100% coverage, seed 004 L278)")
    education: Share = Field(0.0003, description="daily rise of legal awareness toward 1 per "
                             "adviser per 10,000 residents (legal publicity, seed 004 L198)")
    backing: Share = Field(0.4, description="cut in the failure chance of disputes when lawyers "
                           "back the mediators (调委会+专业律师, seed 002 L229)")
    hours_per_adviser_week: WeekHours = Field(
        2.0, description="hours a week an adviser gives the community: ≈20 consultations and 2 "
        "publicity sessions a community a year (43,488 and 4,312 over 2,187 communities, seed "
        "004 L278) [amount: design choice]", json_schema_extra={"unit": "hours/week"})

    @model_validator(mode="after")
    def _advisers_have_time(self) -> LegalParams:
        if self.enabled and self.advisers_per_10k * self.hours_per_adviser_week <= 0:
            field = "advisers_per_10k" if self.advisers_per_10k <= 0 else "hours_per_adviser_week"
            raise FieldError((field,), (
                "rule of law needs legal advisers with time: advisers_per_10k > 0 and "
                "hours_per_adviser_week > 0 (publicity and backing are their hours); give the "
                "advisers, or switch legal off"))
        return self


class RuleOfLaw(Mechanism):
    key = "legal"
    Params = LegalParams
    order = 140
    name_zh = "法治"
    name_en = "rule of law"
    reports = (Metric("legal_awareness", "居民法治意识", "legal awareness", "index",
                      definition="mean over residents"),)

    def setup(self) -> None:
        self.advising = 0.0  # share of today's adviser hours drawn

    def adjust_hours(self) -> None:
        """The advisers' hours arrive and are used for publicity and backing."""
        m = self.model
        p = self.params
        full = p.advisers_per_10k * m.population.n / 10_000.0 * p.hours_per_adviser_week / 7.0
        m.ledger.add_hours("legal_advisers", LEGAL, full)
        got = m.ledger.use_hours(LEGAL, "legal_advice", full)
        self.advising = got / full if full > 0 else 0.0

    def organize(self) -> None:
        legal = self.model.population.legal
        legal += (self.params.education * self.params.advisers_per_10k * self.advising
                  * (1.0 - legal))

    def failure_factor(self, ids: np.ndarray, actor) -> np.ndarray | float:
        disputes = self.model.issues.category[ids] == Category.DISPUTE
        return np.where(disputes, 1.0 - self.params.backing * self.advising, 1.0)

    def metrics(self) -> dict[str, float]:
        legal = self.model.population.legal  # sum / n: ndarray.mean's sum and division
        return {"legal_awareness": float(legal.sum()) / legal.size}
