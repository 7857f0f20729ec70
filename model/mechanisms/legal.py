"""Rule of law in the community (法治): legal advisers, legal publicity, lawyers behind mediators.

One legal adviser per village or community (seed 002 L229; 100% coverage, seed 004 L278);
legal publicity and strict enforcement shape norms (seed 004 L198); "调委会 + 专业律师 + 法律志愿者"
back mediation (seed 002 L229). Legal awareness routes claims into lawful channels (seed 000
L201), which the escalation phase already reads.

With the switch on, residents' legal awareness rises each day by ``education`` × advisers per
10,000 × (1 − awareness), and dispute attempts fail ``backing`` less often.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..config import Category
from ..schema import Amount, Share, Strict, Switch
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


class RuleOfLaw(Mechanism):
    key = "legal"
    Params = LegalParams
    order = 140
    name_zh = "法治"
    name_en = "rule of law"
    reports = (Metric("legal_awareness", "居民法治意识", "legal awareness", "index",
                      definition="mean over residents"),)

    def organize(self) -> None:
        legal = self.model.population.legal
        legal += self.params.education * self.params.advisers_per_10k * (1.0 - legal)

    def failure_factor(self, ids: np.ndarray, actor) -> np.ndarray | float:
        disputes = self.model.issues.category[ids] == Category.DISPUTE
        return np.where(disputes, 1.0 - self.params.backing, 1.0)

    def metrics(self) -> dict[str, float]:
        return {"legal_awareness": float(self.model.population.legal.mean())}
