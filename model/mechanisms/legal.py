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

from ..config import Category
from .base import Mechanism


class RuleOfLaw(Mechanism):
    key = "legal"

    def organize(self) -> None:
        if not self.enabled:
            return
        legal = self.model.population.legal
        legal += self.params.education * self.params.advisers_per_10k * (1.0 - legal)

    def failure_factor(self, ids: np.ndarray, actor) -> np.ndarray | float:
        if not self.enabled:
            return 1.0
        disputes = self.model.issues.category[ids] == Category.DISPUTE
        return np.where(disputes, 1.0 - self.params.backing, 1.0)

    def metrics(self) -> dict[str, float]:
        return {"legal_awareness": float(self.model.population.legal.mean())}
