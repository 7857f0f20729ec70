"""Mesa agents: residents as views over the columnar population, and the organizations.

Residents are many, so their state lives in :class:`~cogov.model.population.Population` arrays and
a :class:`Resident` only holds its index; reading ``resident.satisfaction`` reads one cell of the
array (no search, no copy of a column). Whether a model makes these views at all is one switch,
``CommunityModel(create_resident_agents=...)``, default
:data:`~cogov.model.footprint.RESIDENT_AGENTS`; the model's results never depend on it: the day
runs on the arrays, and the views only let Mesa tools and users look at one resident.
Organizations are few and keep their state on themselves: daily staff hours, a fund, what they
specialise in. Each has a ``slot`` — its row in the handler columns of the issue table.

Levers — state one part of the model sets and others act on — are declared on the actor that
carries them, with who writes and who reads them; nothing else is set on an actor from outside.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .config import CATEGORY_NAMES, Category
from .population import INSTITUTION_KEYS, Institution, Kind
from .volunteer_time import give

if TYPE_CHECKING:
    from .model import CommunityModel


def _column(name: str, doc: str, writable: bool = True):
    """A resident's cell of a population column. Satisfaction, grievance and trust are read-only
    through the view: they change only in the residents' phase."""
    def get(self: Resident) -> float:
        return float(getattr(self.model.population, name)[self.index])

    def set_(self: Resident, value: float) -> None:
        getattr(self.model.population, name)[self.index] = value

    return property(get, set_ if writable else None, doc=doc)


def _trust(inst: Institution):
    def get(self: Resident) -> float:
        return float(self.model.population.trust[self.index, inst])

    return property(get, doc=f"trust in the {INSTITUTION_KEYS[inst]} institution")


class Resident(mesa.Agent):
    """One resident; a view over row ``index`` of the model's population arrays."""

    def __init__(self, model: CommunityModel, index: int):
        super().__init__(model)
        self.index = index

    satisfaction = _column("satisfaction", "satisfaction with community governance, [0, 1]",
                           writable=False)
    expectation = _column("expectation", "what the resident expects, rising over time")
    grievance = _column("grievance", "accumulated grievance, [0, 1]", writable=False)
    participation = _column("participation", "propensity to take part, [0, 1]")
    civic = _column("civic", "civic awareness, [0, 1]")
    legal = _column("legal", "legal awareness, [0, 1]")
    trust_party = _trust(Institution.PARTY)
    trust_rc = _trust(Institution.RC)
    trust_gov = _trust(Institution.GOV)
    trust_so = _trust(Institution.SO)
    trust_enterprise = _trust(Institution.ENTERPRISE)

    @property
    def kind(self) -> Kind:
        return self.model.population.kind_of(self.index)

    @property
    def household(self) -> int:
        return int(self.model.population.household[self.index])

    @property
    def unit(self) -> int:
        return int(self.model.population.unit[self.index])

    @property
    def building(self) -> int:
        return int(self.model.population.building[self.index])

    @property
    def grid(self) -> int:
        return int(self.model.population.grid[self.index])

    @property
    def acts(self) -> int:
        return int(self.model.population.acts[self.index])

    def __repr__(self) -> str:
        return f"Resident({self.index}, {self.kind.name.lower()})"


class Organization(mesa.Agent):
    """An organizational actor with staff time, a fund and a queue of issues."""

    institution: Institution = Institution.RC
    label_en: str = "organization"
    label_zh: str = "组织"
    #: Its staff are paid (their hours on duty enter the paid cost at the wage); people's
    #: mediators are not (seed 004 L294).
    paid_staff: bool = True

    def __init__(self, model: CommunityModel, slot: int, params, name: str = "",
                 name_zh: str = "", specialties: list[str] | tuple[str, ...] = ()):
        super().__init__(model)
        self.slot = slot
        self.name = name or self.label_en
        self.name_zh = name_zh or self.label_zh
        self.specialties = np.zeros(len(Category), dtype=bool)
        self._set_specialties(specialties)
        self.active = True  # idle actors of a switched-off mechanism take no issues
        self.routable = True  # False: takes issues only by claiming them (alliance units)
        self.committee_system = False  # part of the committee's own apparatus (大包大揽 uses it)
        self.first_call = np.zeros(len(Category), dtype=bool)  # designated for these categories
        self.configure(params)
        self.fund = self.budget_per_day  # the first day's budget
        self.hours = 0.0  # staff hours available today, after administrative tasks
        self.admin_hours = 0.0
        self.hours_used = 0.0
        self.spent = 0.0

    def _set_specialties(self, names) -> None:
        self.specialties[:] = False
        for s in names:
            self.specialties[CATEGORY_NAMES.index(s)] = True

    def configure(self, params) -> None:
        """Read (or, after an intervention, re-read) this actor's parameters."""
        if hasattr(params, "specialties"):
            self._set_specialties(params.specialties)
        self.params = params
        self.staff = params.staff
        self.hours_per_day = params.hours_per_day
        self.budget_per_day = params.budget_per_day

    @property
    def staff_hours(self) -> float:
        return self.staff * self.hours_per_day if self.active else 0.0

    def success(self, categories: np.ndarray) -> np.ndarray:
        """Chance that one finished attempt settles each issue; specialists may do better."""
        return self.model.category_success[categories]

    def attempted(self, ids: np.ndarray, ok: np.ndarray) -> None:
        """Called with every batch of finished attempts (for per-case pay and tallies)."""

    def begin_day(self) -> None:
        self.hours = self.staff_hours
        ledger = self.model.ledger
        ledger.add_hours(ledger.staff_key[self.slot], self.slot, self.hours)
        self.admin_hours = 0.0
        self.hours_used = 0.0
        self.spent = 0.0

    def organize(self) -> None:
        """End of day: tomorrow's budget arrives (actors with more dynamics extend this)."""
        if self.active:
            self.fund += self.budget_per_day
            ledger = self.model.ledger
            ledger.receive(ledger.fund_key[self.slot], self.budget_per_day)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, slot={self.slot})"


class PartyBranch(Organization):
    """社区党组织: the core. Triages and matches when one-core coordination is on."""

    institution = Institution.PARTY
    label_en, label_zh = "party branch", "社区党委"

    #: The core leads: it triages and matches demand to resources, mobilises party-member
    #: volunteers around itself and leads the alliance. Written by the coordination mechanism
    #: (``mode: one_core``); read by volunteers and the alliance.
    leads: bool = False
    #: How fresh its last disclosure of funds, plans and issues is, [0, 1]: set to 1 at a
    #: disclosure meeting and halving every ``half_life_days``. Written by disclosure; read by
    #: councils (turnout) and disclosure's metric.
    transparency: float = 0.0
    #: Its coordinating strength as its secretary's relations with the other actors allow,
    #: [0, 1]: 1 for an established secretary, lower after a turnover until the successor has
    #: rebuilt them. Written by the leadership mechanism (1 while it is off); read by
    #: coordination (one-core summons, joint handling, the joint meeting).
    relations: float = 1.0


class ResidentsCommittee(Organization):
    """居委会: elected, but burdened with administrative tasks (seed 000 L91; seed 004 L155)."""

    institution = Institution.RC
    label_en, label_zh = "residents' committee", "居委会"

    #: Chance the committee holds the powers an issue needs (赋权赋能). Written by the
    #: administrative-burden mechanism; read by routing (power-limited issues stay local).
    empowerment: float = 0.0
    #: Hours spent today organising and mobilising residents, out of its non-administrative
    #: time. Written by the offices phase; read by the residents' phase (participation).
    organising_hours: float = 0.0

    def configure(self, params) -> None:
        super().configure(params)
        self.specialties[:] = True  # the committee is the generalist of last resort
        self.committee_system = True

    @property
    def admin_share(self) -> float:
        total = self.staff_hours
        return self.admin_hours / total if total > 0 else 0.0


class StreetOffice(Organization):
    """街道办事处: escalation target and source of administrative tasks."""

    institution = Institution.GOV
    label_en, label_zh = "street office", "街道办"

    #: Share of misrouting that unified event dispatch removes. Written by the smart-platform
    #: mechanism; read by coordination (silo misrouting).
    dispatch: float = 0.0

    def configure(self, params) -> None:
        super().configure(params)
        self.specialties[:] = True
        self.response_days = params.response_days


class SocialOrganization(Organization):
    """社会组织: specialised service providers funded by budgets and purchased services, with
    members who give their time (mass mobilisation is their advantage, seed 001 L12). Members
    are residents: what they give comes out of their own limited week (volunteer_time), first
    thing in the morning, so a fatigued member gives less [design choice]."""

    institution = Institution.SO
    label_en, label_zh = "social organization", "社会组织"
    #: Its members: how many, and who (ascending resident ids). Written by the memberships'
    #: update at the end of the day (the only place ``population.member_of`` changes); read
    #: here the next morning.
    members = 0
    member_ids = np.empty(0, dtype=np.int64)

    def begin_day(self) -> None:
        super().begin_day()
        m = self.model
        per = m.config.behaviour.member_hours
        if self.members == 0 or per <= 0:
            return
        given = float(give(m, self.member_ids, per).sum())
        self.hours += given
        m.ledger.add_hours("so_members", self.slot, given)


class Enterprise(Organization):
    """企业: the property company, the community collective enterprise, stationed firms."""

    institution = Institution.ENTERPRISE
    label_en, label_zh = "enterprise", "企业"

    def configure(self, params) -> None:
        super().configure(params)
        self.kind = params.kind
        self.profit_per_day = params.profit_per_day
        self.public_service_share = params.public_service_share

    def organize(self) -> None:
        """Part of the profit goes to public services (seed 000 L687, L691, L701)."""
        super().organize()
        share = self.profit_per_day * self.public_service_share
        self.model.public_fund += share
        self.model.ledger.receive("public_fund", share)
