"""``CommunityModel``: one community, its actors and its governance rules, one step per day.

Build order: scenario → community structure → population → social network → organizations →
mechanisms → data collector. ``step`` runs the phases of :data:`cogov.model.phases.DAY` and
collects the day's metrics.

Randomness: one ``numpy.random.Generator`` (``self.rng``, from the seed) drives every draw, and
Mesa's ``self.random`` (seeded by the same seed) shuffles the order in which organizations act
(``activation``: random by default, or fixed or reversed for robustness checks), so
the same scenario and seed give bit-identical results on any executor.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.agentset import AgentSet

from .agents import (
    Enterprise,
    Organization,
    PartyBranch,
    Resident,
    ResidentsCommittee,
    SocialOrganization,
    StreetOffice,
)
from .config import Category, ScenarioConfig
from .daylog import DayLog, Totals
from .events import Event, parse_event
from .footprint import RESIDENT_AGENTS, require_fits
from .issues import IssueTable, Level
from .ledger import build_ledger
from .loading import ResolvedScenario, ScenarioError, load_scenario
from .mechanisms import MECHANISMS, Mechanism
from .mechanisms.base import DAILY_HOOKS
from .metrics import daily_metrics, summarize
from .network import build_network
from .phases import DAY, open_offices
from .phases.interventions import apply_event
from .phases.residents import settle_participation
from .population import Institution, Population
from .structure import build_community, scale_to_residents

DEFAULT_SCENARIO = "one-core-four-element"
MAX_SEED = 2**63 - 1  # seeds are written to Parquet as int64
ACTIVITY_MEMORY = 365.0  # days over which participation counts toward its concentration


def _read_metric(model: CommunityModel, name: str) -> float:
    return model.metrics_today[name]


class DailyCollector(mesa.DataCollector):
    """Mesa's ``DataCollector`` over the day's metrics, one reporter per metric.

    Mesa's ``collect`` calls each reporter and deep-copies what it returns: some seventy calls
    and copies a day, which in a community of a few thousand residents cost as much as a
    phase. Every reporter here reads one number of ``model.metrics_today``, and numbers are
    immutable, so ``collect`` appends them directly: the same record, the same
    ``model_vars`` and data frames. Anything else (a reporter added later, agent reporters)
    goes through Mesa's own ``collect``.
    """

    def __init__(self, names: list[str]):
        super().__init__(model_reporters={name: partial(_read_metric, name=name)
                                          for name in names})
        self._metric_names = tuple(names)

    def collect(self, model) -> None:
        if (not self._validated or self.agent_reporters or self.agenttype_reporters
                or len(self.model_reporters) != len(self._metric_names)):
            super().collect(model)
            return
        self._collection_steps.append(model.time)
        today = model.metrics_today
        for name, values in self.model_vars.items():
            values.append(today[name])


class CommunityModel(mesa.Model):
    """A community under a governance scenario.

    Args:
        scenario: a shipped scenario name or a path to a YAML file.
        rng: the seed (an int) of the run.
        residents: resize the community to about this many residents (staff and budgets scale
            with it, see :func:`~cogov.model.structure.scale_to_residents`).
        overrides: dotted keys to values, validated like the file (``{"days": 365}``).
        config: an already resolved :class:`ScenarioConfig` (then ``scenario`` is only a label).
        create_resident_agents: make one Mesa ``Resident`` view per resident (``self.residents``,
            also in ``self.agents``); default :data:`~cogov.model.footprint.RESIDENT_AGENTS`
            (True). Results are the same either way: the views only read and write the
            population's columns, draw nothing and never act in the day.
    """

    resident_class: type[Resident] = Resident  # the Mesa agent viewing one resident's row
    day_phases = DAY  # the phases of one day, in order

    def __init__(
        self,
        scenario: str | Path = DEFAULT_SCENARIO,
        rng: int | None = None,
        residents: int | None = None,
        overrides: dict[str, Any] | None = None,
        config: ScenarioConfig | None = None,
        create_resident_agents: bool = RESIDENT_AGENTS,
    ):
        if rng is None:
            rng = int(np.random.SeedSequence().generate_state(1)[0])
        if not isinstance(rng, (int, np.integer)) or isinstance(rng, bool):
            raise TypeError("rng must be an int seed so that a run can be repeated")
        if not 0 <= int(rng) <= MAX_SEED:
            raise ScenarioError(f"seed {int(rng)}: must be 0 … {MAX_SEED} (it is stored as a "
                                "64-bit integer with the results)")
        super().__init__(rng=int(rng))
        self.seed = int(rng)
        if config is None:
            resolved: ResolvedScenario = load_scenario(scenario, overrides)
            config = resolved.config
            self.scenario_name = resolved.name
            where = str(resolved.path)
        else:
            self.scenario_name = where = str(scenario)
        where += f" with --residents {residents:,}" if residents else ""
        self.footprint = require_fits(config, create_resident_agents, where, residents)
        if residents is not None:
            config = scale_to_residents(config, residents)
        self.config: ScenarioConfig = config
        self._derive_category_arrays()
        self.day = 0
        self.log: list[str] = []
        self.events_applied: list[dict[str, Any]] = []  # the timeline's events, as applied
        self.surges: list[tuple[int, int, float]] = []  # issue surges: (end day, category, ×)
        self.surge_factor = np.ones(len(Category))
        self.activity_memory = ACTIVITY_MEMORY

        self.community = build_community(config.structure, self.rng)
        self.population = Population(self.community, config.population, self.rng)
        self.network = build_network(self.community, config.network, self.rng,
                                     self.population.joiner_weight())
        self.vulnerable_ids = np.flatnonzero(self.population.vulnerable)
        self.issues = IssueTable(capacity=max(1024, self.population.n // 2))
        self.residents = (
            [self.resident_class(self, i) for i in range(self.population.n)]
            if create_resident_agents else []
        )
        self.mechanisms: dict[str, Mechanism] = {
            key: cls(self, getattr(config.mechanisms, key)) for key, cls in MECHANISMS.items()
        }
        self._build_organizations()
        self.ledger = build_ledger(self.handlers)
        for org in self.handlers:  # the first day's budgets
            self.ledger.receive(self.ledger.fund_key[org.slot], org.fund)

        self.public_fund = 0.0
        self.resident_hours_yesterday = 0.0
        self.building_record = np.zeros((self.community.n_buildings, 2))
        self.totals = Totals()
        self.today = DayLog()

        for mech in self.mechanisms.values():
            mech.setup()
        self._dispatch()
        open_offices(self)  # the rules in force on day 0 set where participation starts
        settle_participation(self)
        b = config.behaviour
        self.population.warm_start(b.acts_per_day, b.window_days, ACTIVITY_MEMORY, self.rng)

        self.metrics_today: dict[str, float] = {}
        self._daily: list[dict[str, float]] = []
        names = list(daily_metrics(self).keys())  # the same names every day
        self.totals = Totals()
        self.ledger.restart()
        self.population.time_load[:] = 0.0  # the rules' trial day above gave no one's time
        self.datacollector = DailyCollector(names)
        self.running = True

    # --- construction -------------------------------------------------------------------------

    def _build_organizations(self) -> None:
        a = self.config.actors
        self.handlers: list[Organization] = []

        def add(cls, params, **kw) -> Organization:
            org = cls(self, len(self.handlers), params, **kw)
            self.handlers.append(org)
            return org

        self.party: PartyBranch = add(PartyBranch, a.party_branch,
                                      specialties=("dispute", "facility", "safety", "care",
                                                   "project"))
        self.rc: ResidentsCommittee = add(ResidentsCommittee, a.residents_committee)
        self.street: StreetOffice = add(StreetOffice, a.street_office)
        self.social_organizations = [
            add(SocialOrganization, p, name=p.name, name_zh=p.name_zh, specialties=p.specialties)
            for p in a.social_organizations
        ]
        self.enterprises = [
            add(Enterprise, p, name=p.name, name_zh=p.name_zh, specialties=p.specialties)
            for p in a.enterprises
        ]
        for mech in self.mechanisms.values():
            mech.add_organizations(add)
        for org in self.handlers:
            if not org.active:  # idle until its mechanism is switched on
                org.fund = 0.0
        self.organizations = AgentSet(self.handlers, random=self.random)
        self.slot_institution = np.array([h.institution for h in self.handlers], dtype=np.int64)
        self.slot_specialty = np.array([h.specialties for h in self.handlers])

    def _derive_category_arrays(self) -> None:
        """Per-category parameters as arrays indexed by category code, for the vectorized phases."""
        cats = [self.config.issues.category(c) for c in Category]
        self.category_success = np.array([c.success for c in cats])
        self.category_effort = np.array([c.effort_hours for c in cats])
        self.category_progress = np.array([c.progress for c in cats])

    def reconfigure(self, config: ScenarioConfig) -> None:
        """Adopt changed governance rules mid-run (an intervention)."""
        self.config = config
        self._derive_category_arrays()
        a = config.actors
        self.party.configure(a.party_branch)
        self.rc.configure(a.residents_committee)
        self.street.configure(a.street_office)
        for org, p in zip(self.social_organizations, a.social_organizations, strict=True):
            org.configure(p)
        for org, p in zip(self.enterprises, a.enterprises, strict=True):
            org.configure(p)
        for key, mech in self.mechanisms.items():
            mech.configure(getattr(config.mechanisms, key))
        self.slot_specialty = np.array([h.specialties for h in self.handlers])
        self._dispatch()

    def apply_event(self, event: Event | dict[str, Any]) -> None:
        """Apply one event on the timeline now (:mod:`cogov.model.events`), e.g. from the
        visualizer: ``model.apply_event({"kind": "trust_drop", "institution": "party",
        "share": 0.3})``. A mapping is validated like an entry of ``events:``, against this
        community (its organizations, whether the leadership mechanism is on); a ``day``, if
        given, must be today's. Bad input raises ``ScenarioError`` and changes nothing."""
        if isinstance(event, dict):
            data = {"day": self.day, **event}
            event = parse_event(data, "event")
        if event.day != self.day:
            raise ScenarioError(f"event: day: {event.day} is not today (day {self.day}); an "
                                "event applied to a running model happens now")
        problem = self.config.event_problem(event)
        if problem is not None:
            raise ScenarioError(f"event: {problem[0]}: {problem[1]}")
        apply_event(self, event)

    def _dispatch(self) -> None:
        """Per daily hook, the mechanisms the phases call, in ``order``: those switched on that
        override it (and any that declare it ``runs_while_off``). Recomputed whenever the rules
        change, so a switched-off mechanism costs nothing in the day and its hooks need not ask."""
        self.hooked: dict[str, list[Mechanism]] = {
            hook: [m for m in self.mechanisms.values() if m.takes_part(hook)]
            for hook in DAILY_HOOKS}

    # --- the day ------------------------------------------------------------------------------

    def step(self) -> None:
        self.day = int(round(self.time)) - 1  # Mesa advances time before calling step
        self.today = DayLog()
        for phase in self.day_phases:
            phase(self)
        self.metrics_today = daily_metrics(self)
        self._daily.append(self.metrics_today)
        self.datacollector.collect(self)
        self.ledger.end_day()

    def acting_order(self) -> list[Organization]:
        """The organizations in the order they act today (``activation``). The order matters
        because they draw on one public-service fund; shuffling daily (the default) keeps any
        actor from always coming first. Same draws as Mesa's ``AgentSet.shuffle_do``: the
        AgentSet ``organizations`` holds the handlers in their order, and the list of handlers
        is cheaper to copy than the set's weak references are to walk."""
        order = self.config.activation
        if order == "random":
            agents = list(self.handlers)
            self.random.shuffle(agents)
            return agents
        return list(self.handlers if order == "fixed" else reversed(self.handlers))

    def log_escalation(self, ids: np.ndarray, level: Level) -> None:
        """Count escalations into ``level`` and note whose issue went over whose head."""
        if ids.size == 0:
            return
        t = self.issues
        self.today.escalations[level] += ids.size
        holder = t.handler[ids]
        inst = np.where(holder >= 0, self.slot_institution[np.maximum(holder, 0)],
                        Institution.RC)
        self.today.escalated_origins.append(t.origin[ids])
        self.today.escalated_inst.append(inst)

    # --- running and results ------------------------------------------------------------------

    def run(self, days: int | None = None, progress=None) -> CommunityModel:
        """Run ``days`` (default: the scenario's ``days``) more days."""
        n = self.config.days if days is None else days
        for _ in range(n):
            self.step()
            if progress is not None:
                progress(self.day)
        return self

    def timeseries(self) -> pd.DataFrame:
        df = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        df["day"] = df["day"].astype(int)
        return df

    def summary(self) -> dict[str, float | int | str]:
        if not self._daily:
            raise RuntimeError("run the model before asking for its summary")
        return summarize(self, self._daily)
