"""One run as a function: a :class:`RunTask` in, a :class:`RunResult` out.

:func:`run` is the only place in the experiments that builds a ``CommunityModel``: ``cogov run``,
compare, sweeps, sensitivity and pattern validation all hand it their runs, directly or through
the batch runner of :mod:`cogov.experiments.batch`, so every command simulates a scenario the same
way and with the same :data:`RESIDENT_AGENTS`. A task is small and picklable, so the same call
runs in this process, in a local worker or on a Dask cluster; it touches no files.
``save_run`` writes a result into an output folder.
"""

from __future__ import annotations

import platform
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from cogov.model.config import ScenarioConfig
from cogov.model.loading import ResolvedScenario, config_from_dict, load_scenario

from .outputs import write_atomically, write_json, write_table

#: Whether runs build one Mesa ``Resident`` view per resident. Results do not depend on it; the
#: views cost memory and build time that no command reads, so every command runs without them
#: (the memory check before a run is made with the same value).
RESIDENT_AGENTS = False


def replicate_seed(root_seed: int, replicate: int) -> int:
    """Seed of replicate ``i``: adding replicates never changes the seeds of earlier ones."""
    return int(np.random.SeedSequence(root_seed, spawn_key=(replicate,)).generate_state(1)[0])


@dataclass(frozen=True)
class RunTask:
    """Everything one run needs.

    Either ``scenario`` is a shipped name or a YAML path that the run resolves with
    ``overrides`` and ``days`` (a ``--days`` horizon), or ``config`` is a configuration already
    resolved (sweeps resolve every point before anything runs) and ``scenario`` only names it.
    ``key`` is the caller's name for the run, handed back with its result so that results
    arriving in any order can be put in a fixed one.
    """

    scenario: str
    seed: int = 0
    days: int | None = None
    residents: int | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] | None = None
    events: tuple[str, ...] = ()  # ``--event`` texts added to the scenario's timeline
    timeseries: bool = True
    every: int = 1  # keep every n-th day of the time series
    manifest: bool = False  # describe the run for its output folder (cogov run)
    key: Any = None


@dataclass
class RunResult:
    timeseries: pd.DataFrame | None
    summary: dict[str, Any]
    manifest: dict[str, Any] = field(default_factory=dict)
    config: ScenarioConfig | None = None
    task: RunTask | None = None
    seconds: float = 0.0
    error: str = ""  # set only when failures are recorded instead of raised
    traceback: str = ""
    #: The resource ledger, long format (day, source, use, hours, yuan;
    #: :meth:`cogov.model.ledger.Ledger.frame`), for a run described for its output folder
    #: (``manifest``): sweeps of thousands of runs need not ship one each.
    ledger: pd.DataFrame | None = None

    @property
    def ok(self) -> bool:
        return not self.error


def versions() -> dict[str, str]:
    import cogov
    import mesa
    import scipy

    return {"cogov": cogov.__version__, "mesa": mesa.__version__, "numpy": np.__version__,
            "scipy": scipy.__version__, "pandas": pd.__version__,
            "python": platform.python_version()}


def run(task: RunTask, record_failures: bool = False,
        progress: Callable[[int], Any] | None = None) -> RunResult:
    """Simulate one task (top-level, so a process pool or Dask can ship it).

    With ``record_failures`` an error comes back in the result instead of being raised: one bad
    run must not stop a sweep of thousands.
    """
    t0 = time.perf_counter()
    try:
        return _simulate(task, t0, progress)
    except Exception as exc:
        if not record_failures:
            raise
        return RunResult(None, {}, task=task, seconds=time.perf_counter() - t0,
                         error=f"{type(exc).__name__}: {exc}",
                         traceback=traceback.format_exc(limit=8))


def _simulate(task: RunTask, t0: float, progress) -> RunResult:
    from cogov.model import CommunityModel

    if task.config is not None:
        resolved = None
        name, config = task.scenario, config_from_dict(task.config, f"run {task.key}")
    else:
        resolved = load_scenario(task.scenario, task.overrides, horizon=task.days,
                                 events=task.events)
        name, config = resolved.name, resolved.config
    t_build = time.perf_counter()
    model = CommunityModel(name, rng=task.seed, residents=task.residents, config=config,
                           create_resident_agents=RESIDENT_AGENTS)
    t_run = time.perf_counter()
    model.run(progress=progress)
    t_end = time.perf_counter()
    summary = model.summary()
    ts = model.timeseries() if task.timeseries else None
    if ts is not None and task.every > 1:
        ts = ts[ts["day"] % task.every == 0].reset_index(drop=True)
    manifest = {}
    if task.manifest:
        manifest = _manifest(task, resolved, config, model,
                             {"build": round(t_run - t_build, 4), "run": round(t_end - t_run, 4)})
    ledger = model.ledger.frame() if task.manifest else None
    return RunResult(ts, summary, manifest, model.config if task.manifest else None, task,
                     time.perf_counter() - t0, ledger=ledger)


def _manifest(task: RunTask, resolved: ResolvedScenario | None, start: ScenarioConfig, model,
              timings: dict[str, float]) -> dict[str, Any]:
    path = resolved.path if resolved is not None else None
    return {
        "scenario": model.scenario_name,
        "scenario_file": str(path) if path else None,
        "title_zh": model.config.title_zh,
        "title_en": model.config.title_en,
        "config_digest": resolved.digest if resolved is not None else None,
        "seed": task.seed,
        "days": model.config.days,
        "residents_requested": task.residents,
        "residents": model.population.n,
        "overrides": dict(task.overrides),
        "days_requested": task.days,
        "interventions_dropped": resolved.dropped if resolved is not None else [],
        "versions": versions(),
        "timings_seconds": timings,
        "interventions_applied": model.log,
        "events_given": list(task.events),  # from the command line, after the file's
        "events_applied": model.events_applied,
        # The configuration the run started from (interventions change it during the run).
        "resolved_config": start.model_dump(mode="json"),
    }


def run_scenario(scenario: str | Path, seed: int = 0, days: int | None = None,
                 residents: int | None = None, overrides: dict[str, Any] | None = None,
                 progress=None, events: list[str] | tuple[str, ...] = ()) -> RunResult:
    """One scenario, with its time series and the manifest ``save_run`` writes; ``events`` are
    ``--event`` texts added to its timeline."""
    task = RunTask(str(scenario), seed, days, residents, dict(overrides or {}), manifest=True,
                   events=tuple(events))
    return run(task, progress=progress)


def save_run(result: RunResult, out: Path, overwrite: bool = False) -> Path:
    from .dashboard import draw_dashboard, title_for

    def fill(folder: Path) -> None:
        write_table(result.timeseries, folder, "timeseries")
        write_table(pd.DataFrame([result.summary]), folder, "summary")
        if result.ledger is not None:
            write_table(result.ledger, folder, "ledger")
        write_json(result.summary, folder / "summary.json")
        write_json(result.manifest, folder / "manifest.json")
        title = title_for(result.config.title_en or result.manifest["scenario"],
                          result.config.title_zh)
        draw_dashboard(result.timeseries, result.summary, title, folder / "dashboard.png")

    return write_atomically(out, overwrite, fill)
