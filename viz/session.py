"""One browser session's runs: the chosen scenario and, in comparison mode, a baseline.

Plain Python (no Solara), so the logic — building models from the levers, stepping both runs in
lock-step, reading histories and KPIs — is tested without a browser. The Solara page keeps one
:class:`Session` per browser tab (per-session state), so a classroom of trainees each steer their
own model.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from cogov.model import CommunityModel
from cogov.model.loading import load_scenario

from .labels import LEVERS, lever_value

DEFAULT_SCENARIO = "one-core-four-element"
DEFAULT_BASELINE = "government-led"
DEFAULT_SEED = 7
DEFAULT_RESIDENTS = 2000


def make_model(scenario: str = DEFAULT_SCENARIO, seed: int = DEFAULT_SEED,
               residents: int | None = DEFAULT_RESIDENTS,
               overrides: dict[str, Any] | None = None) -> CommunityModel:
    """A model as the visualizer runs it. Every parameter is a keyword with a default (the same
    contract as Mesa's SolaraViz, which re-creates ``type(model)(**params)`` on Reset)."""
    return CommunityModel(scenario=scenario, rng=int(seed), residents=residents,
                          overrides=dict(overrides) if overrides else None,
                          create_resident_agents=False)


def scenario_levers(scenario: str) -> dict[str, Any]:
    """The lever values a scenario file gives (what the sliders show before any change)."""
    cfg = load_scenario(scenario).config
    return {lv.key: lever_value(cfg, lv.key) for lv in LEVERS}


def lever_overrides(scenario: str, values: dict[str, Any]) -> dict[str, Any]:
    """The levers that differ from the scenario's own values, as ``overrides``."""
    base = scenario_levers(scenario)
    out = {}
    for key, value in values.items():
        if key not in base:
            raise KeyError(f"unknown lever {key!r}")
        if isinstance(base[key], float):
            if not np.isclose(float(value), base[key]):
                out[key] = float(value)
        elif value != base[key]:
            out[key] = value
    return out


@dataclass
class Run:
    """One model and what the page reads from it."""

    scenario: str
    model: CommunityModel
    role: str = "chosen"  # or "baseline"

    @property
    def day(self) -> int:
        """Days simulated so far."""
        return len(self.model.datacollector.model_vars.get("day", ()))

    @property
    def days(self) -> int:
        return int(self.model.config.days)

    def series(self, name: str) -> np.ndarray:
        return np.asarray(self.model.datacollector.model_vars.get(name, ()), dtype=float)

    def kpis(self) -> dict[str, float]:
        """The headline figures: cumulative rates and totals, today's resident states."""
        m = self.model.metrics_today
        if not m:
            pop = self.model.population
            return {"resolution_rate": 0.0, "mean_days_to_resolve": 0.0, "petitions": 0.0,
                    "mass_incidents": 0.0, "satisfaction": float(pop.satisfaction.mean()),
                    "participation_rate": float("nan"), "participation_top10_share": float("nan")}
        return {
            "resolution_rate": m["resolution_rate"],
            "mean_days_to_resolve": m["mean_days_to_resolve"],
            "petitions": float(self.series("petitions").sum()),
            "mass_incidents": float(self.series("mass_incidents").sum()),
            "satisfaction": m["satisfaction"],
            "participation_rate": m["participation_rate"],
            "participation_top10_share": m["participation_top10_share"],
        }


@dataclass
class Session:
    """The runs of one browser session; ``reset`` applies the levers as overrides."""

    scenario: str = DEFAULT_SCENARIO
    seed: int = DEFAULT_SEED
    residents: int = DEFAULT_RESIDENTS
    levers: dict[str, Any] = field(default_factory=dict)
    compare: bool = False
    baseline: str = DEFAULT_BASELINE
    runs: list[Run] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lock = threading.RLock()  # the play thread steps while the page may reset
        self.generation = 0  # bumped by every reset: views rebuild their layouts
        if not self.levers:
            self.levers = scenario_levers(self.scenario)
        self.reset()

    # --- building ---------------------------------------------------------------------------

    def overrides(self) -> dict[str, Any]:
        return lever_overrides(self.scenario, self.levers)

    def choose(self, scenario: str) -> None:
        """Switch scenario: the levers return to the new scenario's values and the run restarts."""
        self.scenario = scenario
        self.levers = scenario_levers(scenario)
        self.reset()

    def reset(self) -> None:
        with self.lock:
            runs = [Run(self.scenario, make_model(self.scenario, self.seed, self.residents,
                                                  self.overrides()))]
            if self.compare:
                runs.append(Run(self.baseline, make_model(self.baseline, self.seed,
                                                          self.residents), role="baseline"))
            self.runs = runs
            self.applied = (self.overrides(), self.seed, self.residents, self.compare,
                            self.baseline)
            self.generation += 1

    @property
    def pending(self) -> bool:
        """True when the levers, seed or size differ from what the current runs were built with."""
        return self.applied != (self.overrides(), self.seed, self.residents, self.compare,
                                self.baseline)

    # --- running ----------------------------------------------------------------------------

    @property
    def day(self) -> int:
        return self.runs[0].day

    @property
    def days(self) -> int:
        return self.runs[0].days

    @property
    def finished(self) -> bool:
        return self.day >= self.days

    def step(self, n: int = 1) -> int:
        """Advance every run by up to ``n`` days (not past the horizon); returns days done."""
        with self.lock:
            n = max(0, min(n, self.days - self.day))
            for _ in range(n):
                for run in self.runs:
                    run.model.step()
            return n
