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

Visits take the mediators' own hours: every morning ``visit_hours_per_mediator_week`` / 7 per
mediator is drawn from the committee's working day (use ``visits``), before it works its cases,
and the visits find with ``visit_find`` × the share of those hours the committee had [design
choice]. The committee is the mediators' time: switching mediation on with no mediators or no
hours is refused before the run, like a grid with no grid workers.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, model_validator

from ..agents import Organization
from ..catalogue import Metric
from ..config import Category
from ..issues import Channel, Level, Stage
from ..population import Institution
from ..schema import Amount, FieldError, NonNeg, Pos, Share, Strict, Switch, WeekHours
from .base import Mechanism


class MediationParams(Strict):
    """People's mediation at the lowest level (枫桥经验; 3+4 调解; seed 000 L383, L399; seed 004
    L225–227, L245, L265, L280, L294)."""

    enabled: Switch = False
    mediators_per_1000: Amount = Field(
        2.66, le=1000.0,
        description="people's mediators per 1,000 residents: 10,285 mediators (seed 004 L280) "
        "among ≈3.87 million people (271 lawyers at 0.7 per 10,000, seed 004 L292) [derived]; "
        "with ≈3.6 disputes per 1,000 a year that is ≈1.4 cases per mediator a year (14,000 / "
        "10,285) [derived]"
    )
    hours_per_mediator_week: WeekHours = Field(5.0, description="unpaid volunteers' time [design "
                                            "choice]")
    skill: Share = Field(0.9, description="training level: untrained mediators write defective "
                         "agreements (seed 004 L245); trained ones per township (seed 004 L265)")
    pay_per_case: NonNeg = Field(200.0, description="yuan per case, no salary: 50–500 (seed 004 "
                                 "L294)")
    half_effort_pay: Pos = Field(40.0, description="pay per case at which effort is half its "
                                 "maximum [design choice]")
    success_floor: Share = Field(0.75, description="success with no skill or effort [design "
                                 "choice]")
    success_ceiling: Share = Field(0.99, description="success at full skill and effort; "
                                   "Zhejiang reports >97% (seed 000 L399)")
    visit_find: Share = Field(
        0.08, description="daily chance a mediator's household visits find a dispute at its "
        "latent or sign stage (first-moment, on-the-spot settlement, seed 000 L383; continuous "
        "visits, seed 004 L265)"
    )
    visit_hours_per_mediator_week: WeekHours = Field(
        1.0, description="of each mediator's weekly hours, those spent visiting households "
        "(进村入户, seed 004 L265) [amount: design choice]",
        json_schema_extra={"unit": "hours/week"})
    linkage: Share = Field(
        0.6, description="chance that administrative and judicial mediation join a dispute "
        "that needs powers beyond the community (三调联动, seed 002 L295; 3+4 linkage across "
        "levels, seed 004 L225) [size: design choice]"
    )
    keep_local: Share = Field(
        0.5, description="factor on the chance a dispute is pushed above the community: "
        "小事不出村、大事不出镇 (seed 000 L809) [size: design choice]"
    )


    @model_validator(mode="after")
    def _mediation_has_mediators(self) -> MediationParams:
        if self.enabled and self.mediators_per_1000 * self.hours_per_mediator_week <= 0:
            field = ("mediators_per_1000" if self.mediators_per_1000 <= 0
                     else "hours_per_mediator_week")
            raise FieldError((field,), (
                "people's mediation needs a mediation committee with time: mediators_per_1000 "
                "> 0 and hours_per_mediator_week > 0 (the committee is its mediators' hours); "
                "give the mediators, or switch mediation off"))
        return self


class MediationCommittee(Organization):
    institution = Institution.RC
    label_en, label_zh = "people's mediation committee", "人民调解委员会"
    paid_staff = False  # mediators get no salary, only pay per case (seed 004 L294)

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
        """Pay per case (以案定补) is a government subsidy (seed 004 L294), paid from the street
        office's fund as far as it goes; a case it cannot pay is worked unpaid [design choice]."""
        m = self.model
        street = m.street
        pay = min(self.params.pay_per_case * ids.size, max(street.fund, 0.0))
        street.fund -= pay
        m.ledger.spend(m.ledger.fund_key[street.slot], "mediation_pay", pay)
        self.cases += ids.size
        self.settled += int(ok.sum())
        self.spent += pay
        m.today.money_spent += pay


class Mediation(Mechanism):
    key = "mediation"
    Params = MediationParams
    order = 70
    name_zh = "人民调解"
    name_en = "people's mediation"
    reports = (
        Metric("mediation_cases", "调解案件数", "mediation cases", "count",
               definition="cumulative cases the mediation committee accepted"),
        Metric("mediation_success_rate", "调解成功率", "mediation success rate", "share",
               definition="settled / accepted, cumulative"),
        Metric("mediation_cases_per_mediator_year", "调解员人均年调解案件",
               "mediation cases per mediator a year", "rate",
               definition="cases accepted / mediators / years so far; about 1.4 in seed 004 "
               "L280 (14,000 disputes a year, 10,285 mediators)"),
    )

    def add_organizations(self, add) -> None:
        self.committee = add(MediationCommittee, self.params, specialties=("dispute",))
        self.committee.committee_system = True  # 调委会 sits under the residents' committee
        self.committee.first_call[Category.DISPUTE] = True
        self.committee.active = self.enabled

    def configure(self, params) -> None:
        super().configure(params)
        self.committee.configure(params)
        self.committee.active = self.enabled

    def setup(self) -> None:
        self.visiting = 0.0  # share of today's visiting hours the committee had

    def adjust_hours(self) -> None:
        """The morning's household visits come out of the mediators' working day."""
        c = self.committee
        asked = c.staff * self.params.visit_hours_per_mediator_week / 7.0
        self.visiting = 0.0
        if asked <= 0.0:
            return
        got = self.model.ledger.use_hours(c.slot, "visits", min(asked, max(c.hours, 0.0)))
        c.hours -= got
        c.hours_used += got
        self.visiting = got / asked

    def search(self, ids: np.ndarray) -> list[tuple[np.ndarray, Channel]]:
        if ids.size == 0:
            return []
        t = self.model.issues
        early = (t.category[ids] == Category.DISPUTE) & (t.stage[ids] <= Stage.SIGN)
        return [(self.params.visit_find * self.visiting * early, Channel.VOLUNTEER)]

    def powers(self, ids: np.ndarray) -> np.ndarray | float:
        disputes = self.model.issues.category[ids] == Category.DISPUTE
        return np.where(disputes, self.params.linkage, 0.0)

    def escalation_factor(self, ids: np.ndarray) -> np.ndarray | float:
        t = self.model.issues
        local = (t.category[ids] == Category.DISPUTE) & (t.level[ids] >= Level.COMMUNITY)
        return np.where(local, self.params.keep_local, 1.0)

    def metrics(self) -> dict[str, float]:
        c = self.committee
        years = (self.model.day + 1) / 365.0
        return {"mediation_cases": float(c.cases),
                "mediation_success_rate": c.settled / c.cases if c.cases else 0.0,
                "mediation_cases_per_mediator_year": (c.cases / c.staff / years
                                                      if c.staff > 0 else 0.0)}
