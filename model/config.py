"""The scenario schema: every parameter of a run, with its default, range and source.

A scenario file (``scenarios/*.yaml``) is validated against :class:`ScenarioConfig`. Unknown keys
are errors (``extra="forbid"``) so that a typo never silently falls back to a default. Defaults
describe the reference community, Jiangxinyuan in Hanyang, Wuhan (seed 000 L679, L693), without
any governance mechanism switched on; named governance models switch mechanisms on in their files.

Where a figure comes from the source documents the field description cites it as ``seed NNN Lxx``;
everything else is marked ``[design choice]`` and is a candidate for calibration.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Literal

from pydantic import Field, create_model, model_validator

from .events import FIXED_ORGANIZATIONS, Event
from .schema import (  # noqa: F401 — re-exported: the public names of the schema
    CATEGORY_NAMES,
    MAX_AMOUNT,
    MAX_COUNT,
    MAX_DAYS,
    Amount,
    Category,
    CategoryName,
    Count,
    Day,
    Days,
    FieldError,
    Hours,
    Label,
    NonNeg,
    NonNegInt,
    Note,
    Pos,
    PosAmount,
    PosCount,
    PosInt,
    Prose,
    Real,
    Share,
    Strict,
    Switch,
    WeekHours,
    Whole,
    plural,
)


class Citation(Strict):
    cite: str = Field(pattern=r"^seed \d{3} L\d+(–\d+|-\d+)?(, L\d+(–\d+|-\d+)?)*$")
    note: Note


# ---------------------------------------------------------------------------------------------
# Community structure and residents
# ---------------------------------------------------------------------------------------------


class Structure(Strict):
    """Areas → buildings → units → households; grids overlay units (MECHANISMS §3)."""

    areas: PosInt = Field(4, description="片区; Jiangxinyuan has 4 (seed 000 L693)")
    buildings: PosInt = Field(41, description="楼栋; 41 in Jiangxinyuan (seed 000 L693)")
    units: PosInt = Field(128, description="单元; 128 in Jiangxinyuan (seed 000 L693)")
    households_per_unit: PosCount = Field(
        10, le=10_000, description="households per unit; not given by the seeds [design choice]"
    )
    household_size_mean: Real = Field(
        2.7, gt=1.0, le=8.0, description="mean persons per household [design choice]"
    )
    units_per_grid: PosInt = Field(
        1, description="units per grid; Jiangxinyuan keeps volunteer grids per unit or finer "
        "(seed 000 L693) [design choice]"
    )

    @model_validator(mode="after")
    def _nested(self) -> Structure:
        if self.buildings < self.areas:
            raise FieldError(("buildings",), f"must be >= areas ({self.areas}): every area has "
                             f"a building (got {self.buildings})")
        if self.units < self.buildings:
            raise FieldError(("units",), f"must be >= buildings ({self.buildings}): every "
                             f"building has a unit (got {self.units})")
        return self

    @property
    def grids(self) -> int:
        return -(-self.units // self.units_per_grid)

    @property
    def expected_residents(self) -> float:
        return self.units * self.households_per_unit * self.household_size_mean


class InitialState(Strict):
    """Population means of resident state at day 0, all in [0, 1] [design choice]."""

    satisfaction: Share = Field(0.55, description="satisfaction with community governance")
    expectation: Share = Field(0.55, description="what residents expect of governance")
    trust_party: Share = Field(0.5, description="trust in the party branch")
    trust_rc: Share = Field(0.5, description="trust in the residents' committee")
    trust_gov: Share = Field(0.45, description="trust in government (the street office)")
    trust_so: Share = Field(0.4, description="trust in social organizations; they are few and "
                            "young (3.8 per 10,000, seed 000 L581) [size: design choice]")
    trust_enterprise: Share = Field(0.4, description="trust in enterprises")
    grievance: Share = Field(0.1, description="accumulated grievance")
    participation: Share = Field(0.06, description="mean intrinsic propensity to take part")
    participation_shape: Pos = Field(
        0.05, description="Beta shape of intrinsic propensity: small values make a few residents "
        "do most of the participating (少数人参与, seed 001 L6, L32); calibrated to pattern P6 "
        "(docs/calibration.md) [size: design choice]"
    )
    civic: Share = Field(0.35, description="civic awareness")
    legal: Share = Field(0.4, description="legal awareness (the rule of law, §7.10.10)")
    spread: Share = Field(0.12, description="standard deviation of individual states")


class PopulationParams(Strict):
    party_member_share: Share = Field(
        0.065, description="218 members in Jiangxinyuan (seed 000 L679) over the ~3,450 "
        "residents the default structure gives (its population is not in the seeds)"
    )
    vulnerable_share: Share = Field(
        0.15, description="elderly and vulnerable (鳏寡孤独, seed 004 L120) [design choice]"
    )
    activist_share: Share = Field(
        0.04, description="activists / potential liaisons (seed 000 L693) [design choice]"
    )
    migrant_share: Share = Field(
        0.15, description="renters and migrants, 人户分离 (seed 004 L161) [design choice]"
    )
    initial: InitialState = InitialState()


class NetworkParams(Strict):
    """Layers of the social network (MECHANISMS §3, network layers) [design choice]."""

    neighbour_ties: Count = Field(4, le=1000, description="ties to residents of the same "
                                  "unit")
    building_ties: Count = Field(1, le=1000, description="ties to residents anywhere in the "
                                 "building")
    associations: Count = Field(18, le=100_000, description="resident associations (seed 000 "
                                "L695)")
    association_share: Share = Field(0.2, description="share of residents in an association")
    association_ties: Count = Field(3, le=1000, description="ties to fellow members per "
                                    "member")
    long_range_ties: Amount = Field(0.5, le=1000.0, description="random community-wide ties "
                                    "per resident")
    topology: Literal["layered", "lattice", "small_world", "scale_free"] = Field(
        "layered", description="shape of the ties beyond household and association: "
        "``layered`` draws them within units and buildings plus a few long-range ones; the "
        "others replace them, at the same mean degree, by a ring lattice over neighbouring "
        "homes, a Watts–Strogatz small world, or a Chung–Lu scale-free graph — for robustness "
        "checks (ODD §2.5)"
    )
    rewiring: Share = Field(0.1, description="small_world: share of lattice ties rewired to a "
                            "random resident")
    degree_exponent: Annotated[Real, Field(gt=2.0, le=5.0)] = Field(
        2.5, description="scale_free: exponent of the power-law degree distribution")


# ---------------------------------------------------------------------------------------------
# Issues, detection, escalation, resident behaviour
# ---------------------------------------------------------------------------------------------


class CategoryParams(Strict):
    rate: Amount = Field(le=1000.0, description="new issues per 1,000 residents per day (per "
                         "1,000 vulnerable residents for care); at most one per resident a day")
    effort_hours: Pos = Field(description="staff-hours to close when found at the latent stage")
    cost: NonNeg = Field(0.0, description="yuan needed to close")
    progress: Share = Field(description="daily chance an undetected issue moves one stage on "
                            "(诱因→苗头→事态, seed 003 L5)")
    complex_share: Share = Field(description="share needing joint handling (R9, seed 004 L225)")
    power_share: Share = Field(description="share needing powers above the residents' "
                               "committee (权责不对称, R10, seed 001 L27, L116)")
    success: Share = Field(0.95, description="chance one handling attempt settles the issue")


class DisputeParams(CategoryParams):
    """Disputes are the one category whose rate and success a seed gives: people's mediation in
    the seed 004 city (seed 004 L280)."""

    rate: Amount = Field(
        0.0095, le=1000.0,
        description="new disputes per 1,000 residents per day: 14,000+ disputes a year (seed 004 "
        "L280) among ≈3.87 million people (271 lawyers at 0.7 per 10,000, seed 004 L292) is "
        "≈3.6 per 1,000 a year, ≈0.0099 a day [derived]; set ≈3% lower because grievance "
        "(``grievance_sensitivity``) and recurrences add about that much, so the realised "
        "``disputes_per_1000_residents_year`` is ≈3.6"
    )
    success: Share = Field(0.93, description="chance one handling attempt settles the dispute: "
                           "people's mediation succeeds over 93% of the time (seed 004 L280)")


def _cat(**kw) -> CategoryParams:
    return CategoryParams(**kw)


class IssueParams(Strict):
    """Issue generation (R1–R4). Only the dispute rate is anchored on a seed figure: the seed 004
    city's people's mediation took 14,000+ disputes a year (seed 004 L280) among ≈3.87 million
    people (271 lawyers at 0.7 per 10,000, seed 004 L292), ≈3.6 per 1,000 people a year
    [derived]; the model has no informal settlement before routing, so that is the dispute rate
    it generates. The other rates are design choices.

    Hours per case are not in the seeds. Their ratios between categories are design choices;
    their level is calibrated: community workers report working at full load (满负荷运转; 82.7%
    of 162 surveyed community workers call the workload heavy, NBS Changzhou survey team, 2023),
    so the hours are set, one common factor for all categories, to make the government-led
    committee use about 80% of the hours that reach it under default demand (0.78 ± 0.01 over 8
    seeds, 730 days; tests/test_levels.py). Before, at half these hours, it used 65%, almost all
    of it administrative tasks, and handling took 7% of its hours."""

    dispute: DisputeParams = DisputeParams(effort_hours=10.0, progress=0.06, complex_share=0.2,
                                           power_share=0.1)
    facility: CategoryParams = _cat(rate=0.25, effort_hours=8.0, cost=400.0, progress=0.04,
                                    complex_share=0.3, power_share=0.35, success=0.95)
    safety: CategoryParams = _cat(rate=0.08, effort_hours=6.0, cost=200.0, progress=0.08,
                                  complex_share=0.3, power_share=0.3, success=0.95)
    care: CategoryParams = _cat(rate=1.0, effort_hours=4.0, cost=50.0, progress=0.05,
                                complex_share=0.1, power_share=0.05, success=0.97)
    project: CategoryParams = _cat(rate=0.02, effort_hours=32.0, cost=3000.0, progress=0.02,
                                   complex_share=0.6, power_share=0.4, success=0.9)
    demand: Pos = Field(
        1.0, le=100.0,
        description="multiplier on every category's rate: a stress test of capacity (2 = twice "
        "the default demand) [design choice]"
    )
    stage_effort: tuple[Pos, Pos, Pos] = Field(
        (1.0, 1.6, 2.6),
        description="effort multiplier by stage found (latent, sign, open): 事后处置→事前预防 "
        "cuts cost (seed 000 L801)",
    )
    grievance_sensitivity: Amount = Field(
        1.0, le=100.0,
        description="rate × (1 + s·grievance): unmet needs breed disputes (seed 004 L124)"
    )
    recurrence: Share = Field(
        0.08, description="chance a closed issue comes back when it was handled late, at the "
        "open stage (end-of-pipe fixes fade, seed 004 L149)"
    )

    def category(self, c: Category) -> CategoryParams:
        return getattr(self, CATEGORY_NAMES[c])


class DetectionParams(Strict):
    self_report: tuple[Share, Share, Share] = Field(
        (0.0, 0.08, 0.35),
        description="daily chance the affected resident reports an issue at each stage, at "
        "trust 0.5 (R5: reporting rises with trust, seed 004 L143)",
    )
    trust_elasticity: NonNeg = Field(1.0, description="report × (1 + e·(trust − 0.5)·2)")
    proactive_stage: tuple[Share, Share, Share] = Field(
        (0.5, 0.8, 1.0),
        description="relative visibility of an issue to a searcher at each stage: proactive "
        "search catches latent and early signs (从等问题到找问题, seed 001 L11)",
    )


class EscalationParams(Strict):
    """The ladder R18: building → community → street → petition → mass incident."""

    patience_days: Pos = Field(10.0, description="days a resident waits before pushing up "
                               "[design choice]")
    daily_rate: Share = Field(0.04, description="daily chance to push up once patience is "
                              "exhausted, at grievance 0.3, trust 0.5 and legal awareness 0.4")
    grievance_weight: NonNeg = Field(2.0, description="R19: grievance raises escalation")
    trust_weight: NonNeg = Field(1.5, description="R19: trust lowers escalation (seed 004 L143)")
    legal_weight: NonNeg = Field(0.5, description="R19: legal awareness keeps claims in lawful "
                                 "channels (seed 000 L201)")
    mass_incident_grievance: Share = Field(
        0.2, description="mean grievance in the petitioner's building at which a petition "
        "turns into a mass incident with ``mass_incident_rate`` (集体散步, seed 000 L577); the "
        "chance scales with the square of the ratio below it [design choice]"
    )
    mass_incident_rate: Share = Field(0.3, description="chance per petition at that level")


class BehaviourParams(Strict):
    """Resident updates R25–R32 [functional forms: design choice]."""

    satisfaction_rate: Share = Field(0.03, description="daily speed of satisfaction toward "
                                     "its target")
    satisfaction_gain: Pos = Field(1.0, description="target = 0.5 + gain·(performance − "
                                   "expectation) (R25, seed 004 L247)")
    expectation_drift: NonNeg = Field(
        0.0003, description="daily rise of expectations with rights awareness (seed 004 L247)"
    )
    expectation_adapt: Share = Field(0.0005, description="daily pull of expectation toward "
                                     "experienced performance")
    memory: Share = Field(0.02, description="daily weight of new experience in perceived "
                          "performance")
    trust_gain: Share = Field(0.12, description="trust gained in a handler that settles your "
                              "issue (kept promises, seed 004 L112)")
    trust_loss: Share = Field(0.08, description="trust lost in the handler when your issue "
                              "escalates past it")
    trust_erosion: Share = Field(0.04, description="trust lost in every public actor after a "
                                 "petition (R26, seed 002 L69)")
    trust_recovery: Share = Field(0.001, description="daily drift of trust back to its "
                                  "initial mean")
    grievance_per_open_day: NonNeg = Field(0.006, description="grievance per day an own issue "
                                           "stays open (R28, seed 004 L149)")
    grievance_failure: Share = Field(0.15, description="grievance added by a failed attempt")
    grievance_relief: Share = Field(0.3, description="share of grievance removed on resolution")
    grievance_decay: Share = Field(0.004, description="daily decay of grievance")
    participation_rate: Share = Field(0.02, description="daily speed of participation "
                                      "propensity toward its target")
    participation_trust: NonNeg = Field(0.5, description="relative rise of one's intrinsic "
                                        "propensity per unit of trust in the committee above 0.5")
    participation_civic: NonNeg = Field(0.5, description="the same for civic awareness above "
                                        "its initial mean")
    participation_grievance: NonNeg = Field(1.0, description="relative fall per unit of "
                                            "grievance (seed 004 L157)")
    participation_organising: NonNeg = Field(
        0.06, description="propensity every resident gains when the committee organises "
        "(seed 000 L691), at ``organising_saturation`` or more"
    )
    organising_saturation: Pos = Field(
        5.0, description="committee organising hours per 1,000 residents a day beyond which "
        "more organising adds no participation [design choice]"
    )
    neighbour_influence: Share = Field(0.1, description="weight of neighbours' mean propensity; "
                                       "calibrated with ``participation_shape`` "
                                       "(docs/calibration.md) [design choice]")
    acts_per_day: Share = Field(0.1, description="chance per day that a resident at "
                                "propensity 1 takes part in something")
    hours_per_act: PosAmount = Field(2.0, le=24.0, description="volunteer hours per act")
    volunteer_limit_week: WeekHours = Field(
        5.0, description="hours a resident can give as a volunteer over a fading week (party "
        "duty, volunteer patrols, council meetings, acts); at the limit they are fatigued and "
        "give nothing more until it fades (工作对象→工作力量, seed 004 L147; the amount: design "
        "choice)", json_schema_extra={"unit": "hours/week"})
    window_days: Days = Field(30, description="a resident counts as participating when they "
                                "acted within this many days")
    civic_learning: Share = Field(0.002, description="civic awareness gained per act (being "
                                  "heard raises civic awareness, R27, seed 002 L89)")
    so_join: Share = Field(0.03, description="chance that a resident who took part today joins "
                           "a social organization, times their trust in social organizations "
                           "(SOs turn scattered interests into channels, seed 002 L123)")
    so_leave: Share = Field(0.002, description="daily chance a member leaves, doubled at full "
                            "grievance [design choice]")
    member_hours: NonNeg = Field(0.05, description="hours a member gives their organization "
                                 "per day [design choice]")
    member_participation: Share = Field(0.04, description="propensity a member gains: "
                                        "organisation amplifies (R30, seed 002 L73, L123)")


# ---------------------------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------------------------


class Staffed(Strict):
    """Staff, hours and money of an actor; subclasses change the defaults (descriptions here are
    shared by them, see :mod:`cogov.model.parameters`)."""

    staff: Annotated[Real, Field(ge=0.0, le=MAX_COUNT)] = Field(
        1.0, description="full-time staff equivalents working on this community's issues")
    hours_per_day: Annotated[Real, Field(ge=0.0, le=16.0)] = Field(
        7.0, description="working hours per staff member a day")
    budget_per_day: NonNeg = Field(0.0, description="yuan available for issue costs per day")


class PartyBranchParams(Staffed):
    staff: Annotated[Real, Field(ge=0.0, le=MAX_COUNT)] = 3.0


class ResidentsCommitteeParams(Staffed):
    staff: Annotated[Real, Field(ge=0.0, le=MAX_COUNT)] = 9.0
    hours_per_day: Annotated[Real, Field(ge=0.0, le=16.0)] = 7.5
    budget_per_day: NonNeg = 300.0
    organising_share: Share = Field(
        0.25, description="share of the committee's non-administrative time spent organising "
        "and mobilising residents (seed 000 L691) [design choice]"
    )
    volunteer_use: Share = Field(
        0.3, description="share of residents' volunteer hours the committee turns into service "
        "capacity (工作对象→工作力量, seed 004 L147) [design choice]"
    )


class StreetOfficeParams(Staffed):
    """The street office (街道): escalation target and source of administrative tasks. Its staff
    is the share of street staff time available to this one community [design choice]."""

    staff: Annotated[Real, Field(ge=0.0, le=MAX_COUNT)] = 1.0
    budget_per_day: NonNeg = 1500.0
    response_days: Day = Field(
        10, description="days before the street office first acts on an escalated issue "
        "(township leaders busy with the economy only react, seed 004 L241)"
    )


class SocialOrganizationParams(Staffed):
    name: Label = Field(description="label in outputs and the visualizer")
    name_zh: Label = Field("", description="Chinese label")
    specialties: list[CategoryName] = Field(min_length=1, max_length=5,
                                            description="issue categories it may "
                                            "be given")
    staff: Annotated[Real, Field(ge=0.0, le=MAX_COUNT)] = 2.0
    budget_per_day: NonNeg = 100.0


class EnterpriseParams(Staffed):
    name: Label = Field(description="label in outputs and the visualizer")
    name_zh: Label = Field("", description="Chinese label")
    kind: Literal["property", "collective", "firm"] = Field(
        description="property company, community collective enterprise or other firm (a label)")
    specialties: list[CategoryName] = Field(default_factory=list, max_length=5,
                                            description="issue categories it may be given")
    staff: Annotated[Real, Field(ge=0.0, le=MAX_COUNT)] = 2.0
    profit_per_day: NonNeg = Field(0.0, description="yuan of profit per day")
    public_service_share: Share = Field(
        0.0, description="share of profit put into public services (the core steers firms' "
        "profit to public services, seed 000 L687, L691)"
    )


def _default_sos() -> list[SocialOrganizationParams]:
    return [
        SocialOrganizationParams(name="elderly-care", name_zh="居家养老服务社",
                                 specialties=["care"], staff=3.0),
        SocialOrganizationParams(name="mediation", name_zh="邻里调解协会",
                                 specialties=["dispute"], staff=2.0),
        SocialOrganizationParams(name="volunteers", name_zh="社区志愿者协会",
                                 specialties=["care", "facility"], staff=1.0),
    ]


def _default_enterprises() -> list[EnterpriseParams]:
    return [
        EnterpriseParams(name="property", name_zh="物业公司", kind="property",
                         specialties=["facility", "safety"], staff=4.0, budget_per_day=600.0,
                         profit_per_day=800.0),
        EnterpriseParams(name="collective", name_zh="社区集体企业（龙洲置业）", kind="collective",
                         specialties=["project", "facility"], staff=2.0,
                         budget_per_day=200.0, profit_per_day=3000.0),
    ]


class Actors(Strict):
    party_branch: PartyBranchParams = PartyBranchParams()
    residents_committee: ResidentsCommitteeParams = ResidentsCommitteeParams()
    street_office: StreetOfficeParams = StreetOfficeParams()
    social_organizations: list[SocialOrganizationParams] = Field(
        default_factory=_default_sos, max_length=1000)
    enterprises: list[EnterpriseParams] = Field(default_factory=_default_enterprises,
                                                max_length=1000)




# ---------------------------------------------------------------------------------------------
# The scenario
# ---------------------------------------------------------------------------------------------


class LedgerParams(Strict):
    """Prices of the resource ledger's hours (:mod:`cogov.model.ledger`): they only value time
    in the run's costs and change nothing in the day."""

    wage: Pos = Field(60.0, description="yuan an hour of paid staff time costs, overheads "
                      "included: the price of an hour of purchased social-work service, "
                      "mechanisms.service_purchase.yuan_per_hour [design choice]",
                      json_schema_extra={"unit": "yuan/hour"})
    shadow_wage: NonNeg = Field(
        12.5, description="yuan an hour of volunteer time is worth: a council member's "
        "opportunity cost, 50 yuan per 4-hour meeting (mechanisms.councils); village cadres earn "
        "1,500–2,200 yuan a month, about 9–12.5 an hour (seed 001 L154) [design choice]",
        json_schema_extra={"unit": "yuan/hour"})


class Intervention(Strict):
    day: Day
    set: dict[str, object] = Field(description="dotted keys to new values, validated like "
                                   "the file")
    note: Note = ""


class ScenarioConfig(Strict):
    extends: str | None = Field(None, description="scenario name or path this one overrides")
    title_zh: Label = ""
    title_en: Label = ""
    summary: Prose = ""
    place: Label = ""
    provenance: list[Citation] = Field(default_factory=list)
    days: Days = Field(730, description="days to simulate; the Beichen reform took \"just over "
                         "two years\" (seed 001 L11)")
    activation: Literal["random", "fixed", "reverse"] = Field(
        "random", description="order in which organizations act each day (they share the "
        "public-service fund): shuffled daily, in creation order (party branch first), or "
        "reversed (enterprises first) — for robustness checks"
    )
    structure: Structure = Structure()
    population: PopulationParams = PopulationParams()
    network: NetworkParams = NetworkParams()
    issues: IssueParams = IssueParams()
    detection: DetectionParams = DetectionParams()
    escalation: EscalationParams = EscalationParams()
    behaviour: BehaviourParams = BehaviourParams()
    actors: Actors = Actors()
    ledger: LedgerParams = LedgerParams()
    mechanisms: Mechanisms = Field(default_factory=lambda: Mechanisms())
    interventions: list[Intervention] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list, max_length=10_000,
                                description="shocks to the community's state on given days "
                                "(model/events.py)")

    @model_validator(mode="after")
    def _events_fit_the_run(self) -> ScenarioConfig:
        """An event must happen within the run and name what the community has."""
        for i, ev in enumerate(self.events):
            if ev.day >= self.days:
                raise FieldError(("events", i, "day"), (
                    f"event at day {ev.day} would never happen: the run has "
                    f"{plural(self.days, 'day')} (days 0–{self.days - 1}); --days drops a file's "
                    "later events with a warning, never those given with --event"))
            problem = self.event_problem(ev)
            if problem is not None:
                raise FieldError(("events", i, problem[0]), problem[1])
        return self

    def organization_names(self) -> list[str]:
        """Names an event may give an organization: the three every scenario has by their key
        under ``actors:``, then the social organizations' and enterprises' names."""
        return (list(FIXED_ORGANIZATIONS) + [o.name for o in self.actors.social_organizations]
                + [o.name for o in self.actors.enterprises])

    def event_problem(self, ev) -> tuple[str, str] | None:
        """What is wrong with ``ev`` in this scenario, as (field, reason), or None."""
        if ev.kind == "budget_cut":
            names = self.organization_names()
            if ev.organization not in names:
                hint = difflib.get_close_matches(ev.organization, names, n=1)
                tip = f" (did you mean '{hint[0]}'?)" if hint else ""
                return "organization", (f"unknown organization {ev.organization!r}{tip}; this "
                                        f"scenario has {', '.join(names)}")
        if ev.kind == "leader_leaves" and not self.switched_on("leadership", ev.day):
            return "kind", (f"the secretary leaving at day {ev.day} needs mechanisms.leadership."
                            "enabled: true by that day; with it off the branch's coordination "
                            "does not rest on one person")
        return None

    def switched_on(self, mechanism: str, day: int) -> bool:
        """Whether ``mechanisms.MECHANISM.enabled`` is true on ``day``, after the interventions
        up to that day."""
        on = bool(getattr(self.mechanisms, mechanism).enabled)
        for iv in sorted(self.interventions, key=lambda iv: iv.day):
            if iv.day > day:
                break
            block = iv.set.get(f"mechanisms.{mechanism}")
            if isinstance(block, dict) and "enabled" in block:
                on = block["enabled"] is True
            if f"mechanisms.{mechanism}.enabled" in iv.set:
                on = iv.set[f"mechanisms.{mechanism}.enabled"] is True
        return on

    @model_validator(mode="after")
    def _interventions_in_range(self) -> ScenarioConfig:
        for i, iv in enumerate(self.interventions):
            if iv.day >= self.days:
                raise FieldError(("interventions", i, "day"), (
                    f"intervention at day {iv.day} would never happen: the run has "
                    f"{plural(self.days, 'day')} (days 0–{self.days - 1}); it needs days >= "
                    f"{iv.day + 1} (a shorter run from the command line, --days, drops it with "
                    "a warning)"))
            for key in iv.set:
                parts = key.split(".")
                if parts[0] in {"structure", "population", "network", "days"}:
                    raise FieldError(("interventions", i, "set", key), (
                        f"intervention at day {iv.day} sets {key!r}: the community's structure, "
                        "population and network are fixed once built"))
                if parts[:2] in (["actors", "social_organizations"], ["actors", "enterprises"]) \
                        and (len(parts) < 4 or not parts[2].isdigit()):
                    raise FieldError(("interventions", i, "set", key), (
                        f"intervention at day {iv.day} sets {key!r}: organizations cannot be "
                        "added or removed mid-run; change one by its index, e.g. "
                        f"'{'.'.join(parts[:2])}.0.staff'"))
        return self

    @model_validator(mode="after")
    def _mechanisms_have_their_sources(self) -> ScenarioConfig:
        """A switched-on mechanism that draws on an actor the scenario does not have is refused:
        the ledger would have no source to draw from."""
        if self.mechanisms.service_purchase.enabled and not self.actors.social_organizations:
            raise FieldError(("mechanisms", "service_purchase", "enabled"), (
                "purchase of services needs a social organization to buy from: the scenario has "
                "none under actors.social_organizations; add one, or switch service_purchase "
                "off"))
        return self


# The ``mechanisms:`` block: one field per registered mechanism, its parameters declared in its own
# module. Imported last because mechanisms build on the actors, which use the names above.
from .mechanisms import MECHANISMS  # noqa: E402

Mechanisms = create_model(
    "Mechanisms", __base__=Strict,
    __doc__="One block per governance mechanism (model/mechanisms/), in the order they act.",
    **{key: (cls.Params, Field(default_factory=cls.Params)) for key, cls in MECHANISMS.items()})
ScenarioConfig.model_rebuild()
