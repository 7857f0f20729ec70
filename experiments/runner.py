"""One run as a function: resolve the scenario, simulate, and hand back tables and a manifest.

``run_scenario`` is what ``cogov run`` calls and what sweeps will call in their workers; it
touches no files. ``save_run`` writes a result into an output folder.
"""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from cogov.model import CommunityModel
from cogov.model.config import ScenarioConfig
from cogov.model.loading import load_scenario

from .outputs import write_atomically, write_json, write_table


@dataclass
class RunResult:
    timeseries: pd.DataFrame
    summary: dict[str, Any]
    manifest: dict[str, Any]
    config: ScenarioConfig


def versions() -> dict[str, str]:
    import cogov
    import mesa
    import numpy
    import scipy

    return {"cogov": cogov.__version__, "mesa": mesa.__version__, "numpy": numpy.__version__,
            "scipy": scipy.__version__, "pandas": pd.__version__,
            "python": platform.python_version()}


def run_scenario(scenario: str | Path, seed: int = 0, days: int | None = None,
                 residents: int | None = None, overrides: dict[str, Any] | None = None,
                 progress=None) -> RunResult:
    overrides = dict(overrides or {})
    resolved = load_scenario(scenario, overrides, horizon=days)
    t0 = time.perf_counter()
    model = CommunityModel(resolved.name, rng=seed, residents=residents, config=resolved.config)
    t1 = time.perf_counter()
    model.run(progress=progress)
    t2 = time.perf_counter()
    ts = model.timeseries()
    summary = model.summary()
    manifest = {
        "scenario": resolved.name,
        "scenario_file": str(resolved.path) if resolved.path else None,
        "title_zh": model.config.title_zh,
        "title_en": model.config.title_en,
        "config_digest": resolved.digest,
        "seed": seed,
        "days": model.config.days,
        "residents_requested": residents,
        "residents": model.population.n,
        "overrides": {k: v for k, v in overrides.items()},
        "days_requested": days,
        "interventions_dropped": resolved.dropped,  # beyond a shorter --days
        "versions": versions(),
        "timings_seconds": {"build": round(t1 - t0, 4), "run": round(t2 - t1, 4)},
        "interventions_applied": model.log,
        # The configuration the run started from (interventions change it during the run).
        "resolved_config": resolved.config.model_dump(mode="json"),
    }
    return RunResult(ts, summary, manifest, model.config)


def save_run(result: RunResult, out: Path, overwrite: bool = False) -> Path:
    from .dashboard import draw_dashboard, title_for

    def fill(folder: Path) -> None:
        write_table(result.timeseries, folder, "timeseries")
        write_table(pd.DataFrame([result.summary]), folder, "summary")
        write_json(result.summary, folder / "summary.json")
        write_json(result.manifest, folder / "manifest.json")
        title = title_for(result.config.title_en or result.manifest["scenario"],
                          result.config.title_zh)
        draw_dashboard(result.timeseries, result.summary, title, folder / "dashboard.png")

    return write_atomically(out, overwrite, fill)
