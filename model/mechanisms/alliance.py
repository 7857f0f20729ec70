"""The big-neighbourhood party-building alliance (大邻里党建联盟, "1+N+X"), Kangbashi.

Xingwang community groups its area into four neighbourhood units and allies with 12 city-level
paired units, stationed firms and district contact units (seed 002 L15). A co-building agreement,
a charter and six working mechanisms turn ties kept by sentiment (感情化) into ties kept by
contract (契约化); every half year an assembly elects a rotating deputy secretary who leads the
"六个一", including solving a batch of residents' top problems (seed 002 L19). Demands from the
service hall and from work, and the units' own intentions, become a demand list and a resource
list, then a project list from which units "点单" — claim projects (seed 002 L23).

With the switch on, member units (idle when it is off) give weekly hours and money. When the core
leads it matches issues to units like to any actor (the resource list); in any mode, every
``claim_period_days`` each unit also claims the oldest waiting issues on the project list that match
its specialties, up to its spare hours. At each half-yearly assembly a unit leaves with chance
``leave_contract`` or ``leave_sentiment`` depending on the binding (R37), and the rotating deputy's
unit takes on ``quota`` of the oldest open problems, handled jointly.

The units' hours and money are declared sources: each unit's ``staff:member unit N`` (paid
staff hours, ``hours_per_unit_week``) and ``fund:member unit N`` (``budget_per_unit_day``), the
same as any actor's, and they stop when a unit leaves. An assembly is not free: each member
unit sets aside ``assembly_hours`` of its working day that morning (use ``assembly``), and the
rotating deputy's unit takes on ``quota`` × the share of its assembly hours it gave [design
choice].
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..agents import Organization
from ..catalogue import Metric
from ..issues import Level
from ..lifecycle import assign, handle_jointly, unassign
from ..population import Institution
from ..schema import Amount, Count, Days, Hours, NonNeg, NonNegInt, Share, Strict, Switch
from .base import Mechanism

# The project list's categories (关心关爱, 社会治理, facilities, micro-projects; seed 002 L23),
# two per unit in rotation [design choice].
UNIT_SPECIALTIES = [("care", "facility"), ("safety", "project"), ("facility", "care"),
                    ("project", "safety")]


class AllianceParams(Strict):
    """The big-neighbourhood party-building alliance (大邻里党建联盟, 1+N+X; seed 002 L11–23)."""

    enabled: Switch = False
    units: Count = Field(12, le=1000, description="member units: 12 city-level paired units (seed "
                             "002 L15)")
    binding: Literal["contract", "sentiment"] = Field(
        "contract", description="bound by agreement, charter and six mechanisms (契约化) or by "
        "sentiment (感情化) (seed 002 L19)"
    )
    leave_contract: Share = Field(0.03, description="chance a contract-bound unit leaves at a "
                                  "half-yearly assembly [design choice]")
    leave_sentiment: Share = Field(0.25, description="the same for a sentiment-bound unit: ties "
                                   "kept by sentiment decay (R37) [design choice]")
    hours_per_unit_week: Amount = Field(6.0, le=100_000.0,
                                        description="staff and volunteer hours a unit "
                                        "gives per week [design choice]")
    budget_per_unit_day: NonNeg = Field(60.0, description="yuan a unit contributes per day "
                                        "(units fund facilities, seed 002 L23) [design choice]")
    claim_period_days: Days = Field(7, description="units 点单 — claim projects from the "
                                      "project list — weekly [design choice] (seed 002 L23)")
    assembly_days: Days = Field(182, description="alliance assembly every half year (seed 002 "
                                  "L19)")
    quota: NonNegInt = Field(10, description="六个一: the rotating deputy's unit takes on a "
                             "batch of residents' top problems at each assembly (seed 002 L19)")
    assembly_hours: Hours = Field(2.0, description="hours each member unit gives a half-yearly "
                                  "assembly (seed 002 L19) [amount: design choice]",
                                  json_schema_extra={"unit": "hours/assembly"})


class AllianceUnit(Organization):
    institution = Institution.PARTY  # party-building alliance: credit goes to the core
    label_en, label_zh = "alliance member unit", "联盟成员单位"
    resolved = 0

    @property
    def routable(self) -> bool:
        """When the core leads, member units are on its resource list and it matches issues to
        them directly; otherwise units only claim from the project list."""
        return self.model.party.leads

    @routable.setter
    def routable(self, value: bool) -> None:  # the base class sets a default; units decide above
        pass

    def attempted(self, ids: np.ndarray, ok: np.ndarray) -> None:
        self.resolved += int(ok.sum())

    def configure(self, params) -> None:
        self.params = params
        self.staff = 1.0
        self.hours_per_day = params.hours_per_unit_week / 7.0
        self.budget_per_day = params.budget_per_unit_day if self.active else 0.0


class Alliance(Mechanism):
    key = "alliance"
    Params = AllianceParams
    order = 100
    name_zh = "党建联盟"
    name_en = "party-building alliance"
    reports = (
        Metric("alliance_units", "共建单位数", "alliance member units", "count",
               definition="units in the alliance while it is on"),
        Metric("alliance_claims", "认领项目数", "issues claimed by alliance units", "count",
               definition="cumulative claims from the project list"),
        Metric("alliance_resolved", "共建单位解决问题数", "issues resolved by alliance units",
               "count", definition="cumulative"),
    )

    def add_organizations(self, add) -> None:
        self.units = []
        for i in range(self.params.units):
            unit = add(AllianceUnit, self.params, name=f"member unit {i + 1}",
                       name_zh=f"成员单位{i + 1}", specialties=UNIT_SPECIALTIES[i % 4])
            unit.active = self.enabled
            self.units.append(unit)

    def setup(self) -> None:
        self.claims = 0
        self.departures = 0
        self.assemblies = 0
        self._deputy = 0
        self._came: dict[int, float] = {}  # today's assembly: per unit slot, share of hours given

    def configure(self, params) -> None:
        was = self.enabled
        super().configure(params)
        if self.enabled and not was:  # the alliance is founded mid-run
            for unit in self.units:
                unit.active = True
        for unit in self.units:
            unit.configure(params)

    @property
    def members(self) -> list[AllianceUnit]:
        return [u for u in self.units if u.active]

    def _assembly_day(self) -> bool:
        day = self.model.day
        return day > 0 and day % self.params.assembly_days == 0

    def adjust_hours(self) -> None:
        """An assembly day: each member unit sets aside its assembly hours in the morning."""
        self._came = {}
        if not self._assembly_day():
            return
        m = self.model
        per = self.params.assembly_hours
        for unit in self.members:
            got = m.ledger.use_hours(unit.slot, "assembly", min(per, max(unit.hours, 0.0)))
            unit.hours -= got
            unit.hours_used += got
            self._came[unit.slot] = got / per if per > 0 else 1.0

    def organize(self) -> None:
        m = self.model
        if not self.members:
            return
        if m.day % self.params.claim_period_days == 0:
            self._claim()
        if self._assembly_day():
            self._assembly()

    def _waiting(self) -> np.ndarray:
        """The project list: detected issues still waiting at community level, oldest first."""
        t = self.model.issues
        ids = t.open_ids()
        unit_slots = [u.slot for u in self.units]
        ids = ids[(t.detected[ids] >= 0) & (t.level[ids] <= Level.COMMUNITY)
                  & ~np.isin(t.handler[ids], unit_slots)]
        return ids[np.argsort(t.detected[ids], kind="stable")]

    def _claim(self) -> None:
        m = self.model
        t = m.issues
        period = self.params.claim_period_days
        for unit in [self.members[i] for i in m.rng.permutation(len(self.members))]:
            waiting = self._waiting()
            mine = waiting[unit.specialties[t.category[waiting]]]
            queued = t.effort_left[t.open_ids()[t.handler[t.open_ids()] == unit.slot]].sum()
            spare = unit.staff_hours * period - queued
            take = mine[np.cumsum(t.effort_left[mine]) <= spare]
            assign(m, take, unit.slot)
            self.claims += take.size

    def _assembly(self) -> None:
        m = self.model
        t = m.issues
        self.assemblies += 1
        leave = (self.params.leave_contract if self.params.binding == "contract"
                 else self.params.leave_sentiment)
        for unit in self.members:
            if m.rng.random() < leave:
                unit.active = False
                unit.budget_per_day = 0.0
                self.departures += 1
                ids = t.open_ids()
                unassign(m, ids[t.handler[ids] == unit.slot])  # back to routing
        members = self.members
        if not members:
            return
        deputy = members[self._deputy % len(members)]
        self._deputy += 1
        share = self._came.get(deputy.slot, 0.0)
        batch = self._waiting()[: int(round(self.params.quota * share))]
        assign(m, batch, deputy.slot)
        handle_jointly(m, batch)

    def metrics(self) -> dict[str, float]:
        return {"alliance_units": float(len(self.members)) if self.enabled else 0.0,
                "alliance_claims": float(self.claims),
                "alliance_resolved": float(sum(u.resolved for u in self.units))}
