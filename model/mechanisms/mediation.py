"""People's mediation at the lowest level: the Fengqiao experience (枫桥经验) and "3+4" mediation.

Disputes are settled "第一时间介入、就地化解": at the first moment, on the spot, with prevention
over punishment — "家庭琐事不出户，邻里纠纷不出组，小事不出村，矛盾不上交" (seed 000 L383);
people's,
administrative and judicial mediation with lay peacemakers (seed 000 L399); mediators who visit
households find disputes while they are causes and signs (seed 004 L265; 诱因→苗头→事态, seed 003
L5). People's mediation succeeds over 93% of the time (seed 004 L280), in Zhejiang over 97%
(seed 000 L399); mediators get no salary, 50–500 yuan a case (seed 004 L294), and untrained ones
write defective agreements (seed 004 L245).

With the switch on, a people's mediation committee (人民调解委员会, under the residents'
committee) is the designated handler of disputes. Its success on a dispute is
``floor + (ceiling − floor) · skill · effort`` with ``effort = pay / (pay + half_effort_pay)``;
each case costs its pay. Mediators' visits find latent and early disputes; administrative and
judicial mediation join disputes that need powers the community lacks (``linkage``, 三调联动);
and disputes held at community level or above are pushed up less (``keep_local``): small matters
stay in the village, big ones in the township.
"""

from __future__ import annotations

import numpy as np

from ..agents import Organization
from ..config import Category
from ..issues import Channel, Level, Stage
from ..population import Institution
from .base import Mechanism


class MediationCommittee(Organization):
    institution = Institution.RC
    label_en, label_zh = "people's mediation committee", "人民调解委员会"

    def configure(self, params) -> None:
        self.params = params
        n = self.model.population.n
        self.staff = params.mediators_per_1000 * n / 1000.0
        self.hours_per_day = params.hours_per_mediator_week / 7.0
        self.budget_per_day = 0.0
        self.cases = getattr(self, "cases", 0)
        self.settled = getattr(self, "settled", 0)

    @property
    def dispute_success(self) -> float:
        p = self.params
        effort = p.pay_per_case / (p.pay_per_case + p.half_effort_pay)
        return p.success_floor + (p.success_ceiling - p.success_floor) * p.skill * effort

    def success(self, categories: np.ndarray) -> np.ndarray:
        base = super().success(categories)
        return np.where(categories == Category.DISPUTE, self.dispute_success, base)

    def attempted(self, ids: np.ndarray, ok: np.ndarray) -> None:
        pay = self.params.pay_per_case * ids.size
        self.cases += ids.size
        self.settled += int(ok.sum())
        self.spent += pay
        self.model.today.money_spent += pay


class Mediation(Mechanism):
    key = "mediation"

    def add_organizations(self, add) -> None:
        self.committee = add(MediationCommittee, self.params, specialties=("dispute",))
        self.committee.committee_system = True  # 调委会 sits under the residents' committee
        self.committee.first_call[Category.DISPUTE] = True
        self.committee.active = self.enabled

    def configure(self, params) -> None:
        super().configure(params)
        self.committee.configure(params)
        self.committee.active = self.enabled

    def search(self, ids: np.ndarray) -> list[tuple[np.ndarray, Channel]]:
        if not self.enabled or ids.size == 0:
            return []
        t = self.model.issues
        early = (t.category[ids] == Category.DISPUTE) & (t.stage[ids] <= Stage.SIGN)
        return [(self.params.visit_find * early, Channel.VOLUNTEER)]

    def powers(self, ids: np.ndarray) -> np.ndarray | float:
        if not self.enabled:
            return 0.0
        disputes = self.model.issues.category[ids] == Category.DISPUTE
        return np.where(disputes, self.params.linkage, 0.0)

    def escalation_factor(self, ids: np.ndarray) -> np.ndarray | float:
        if not self.enabled:
            return 1.0
        t = self.model.issues
        local = (t.category[ids] == Category.DISPUTE) & (t.level[ids] >= Level.COMMUNITY)
        return np.where(local, self.params.keep_local, 1.0)

    def metrics(self) -> dict[str, float]:
        c = self.committee
        return {"mediation_cases": float(c.cases),
                "mediation_success_rate": c.settled / c.cases if c.cases else 0.0}
