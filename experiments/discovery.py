"""Scenario discovery on a sweep: the boxes of parameter space where one scenario does worse than
another on one outcome, found with PRIM (:mod:`cogov.experiments.prim`).

At every design point the two scenarios' runs are paired on their common seeds and the first's
outcome minus the second's is averaged over the seeds; the points where that mean difference
meets the ``--where`` condition (:mod:`cogov.experiments.condition`) are the cases of interest,
and PRIM looks for boxes over the design's parameters where they are dense. Each box is then
described by the paired differences inside it: their mean, with a 95% Student-t interval over the
common seeds (each seed's mean over the box's points) and one over the box's points (each point's
mean over the seeds). Both intervals are in-sample — the box was chosen on the same points — so a
box is a hypothesis to confirm with a new sweep over its ranges on fresh seeds, not a finding by
itself.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from cogov.model import catalogue
from cogov.model.loading import ScenarioError

from . import prim
from .condition import Condition, require_scenarios
from .statistics import mean_ci

#: Columns of a sweep's runs table that are not outcomes.
ID_COLUMNS = {"run_id", "scenario", "point_id", "replicate", "seed", "status", "error",
              "run_seconds", "cost_scale"}
NEEDED = ("scenario", "point_id", "seed", "status")


@dataclass(frozen=True)
class Settings:
    alpha: float = prim.ALPHA
    min_mass: float = prim.MIN_MASS
    min_density: float = prim.MIN_DENSITY
    max_boxes: int = prim.MAX_BOXES
    pasting: bool = True
    step: int | None = None


@dataclass
class Discovery:
    """What ``cogov discover`` found, ready to print and write."""

    outcome: str
    condition: Condition
    parameters: list[str]
    points: pd.DataFrame  # one row per design point: parameters, difference, seeds, case
    pairs: pd.DataFrame  # one row per point and common seed: the paired difference
    result: prim.Result
    boxes: list[dict[str, Any]]  # each box's PRIM statistics and its differences
    overall: dict[str, Any]  # the differences over every point
    settings: Settings
    dropped_pairs: int  # pairs whose outcome was not a number in one of the runs

    @property
    def seeds(self) -> int:
        return int(self.pairs["seed"].nunique())


def sweep_parameters(manifest: dict[str, Any], runs: pd.DataFrame, where: str) -> list[str]:
    """The design's parameters, as the sweep's manifest lists them, each a column of the runs."""
    names = manifest.get("parameters")
    if not isinstance(names, list):
        raise ScenarioError(f"{where}: manifest.json does not list the design's parameters; "
                            "is this a cogov sweep's results folder?")
    if not names:
        raise ScenarioError(f"{where}: the sweep has no design parameters (design kind none); "
                            "PRIM needs a grid, list or lhs design over parameters")
    missing = [n for n in names if n not in runs.columns]
    if missing:
        raise ScenarioError(f"{where}: runs.parquet has no column for the design parameter(s) "
                            f"{', '.join(missing)}")
    return [str(n) for n in names]


def choose_parameters(chosen: list[str] | None, design: list[str]) -> list[str]:
    """The parameters PRIM may restrict: all of the design's, or those named (a dotted key or
    a suffix of one that no other key shares)."""
    if not chosen:
        return list(design)
    out = []
    for name in chosen:
        if name in design:
            match = name
        else:
            ends = [k for k in design if k.endswith("." + name)]
            if len(ends) != 1:
                close = difflib.get_close_matches(name, design, n=1, cutoff=0.5)
                hint = (f" (did you mean '{close[0]}'?)" if close and not ends
                        else f" (it ends {len(ends)} of them: {', '.join(ends)})" if ends else "")
                raise ScenarioError(f"--parameters: '{name}' is not a parameter of the design "
                                    f"({', '.join(design)}){hint}")
            match = ends[0]
        if match not in out:
            out.append(match)
    return out


def outcome_columns(runs: pd.DataFrame, parameters: list[str]) -> list[str]:
    return [c for c in runs.columns if c not in ID_COLUMNS and c not in parameters
            and pd.api.types.is_numeric_dtype(runs[c]) and not pd.api.types.is_bool_dtype(runs[c])]


def require_outcome(outcome: str, known: list[str], where: str) -> None:
    if outcome not in known:
        close = difflib.get_close_matches(outcome, known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ScenarioError(f"--outcome: '{outcome}' is not a summary metric of {where}{hint}; "
                            "docs/ODD.md §7.11 lists them")


def summary_metrics() -> list[str]:
    """Every metric a run's summary holds, mechanisms' included: what --outcome may name before
    a sweep has run."""
    import cogov.model.model  # noqa: F401 — registers every mechanism's metrics

    return [k for k, m in catalogue.METRICS.items() if m.summary != "daily"
            and m.unit not in ("label",)]


def paired(runs: pd.DataFrame, outcome: str, condition: Condition, parameters: list[str],
           where: str) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Per point and common seed, the first scenario's outcome minus the second's; per point,
    the design's parameters, the mean difference over the seeds and whether it is a case."""
    missing = [c for c in NEEDED if c not in runs.columns]
    if missing:
        raise ScenarioError(f"{where}: runs.parquet has no {', '.join(missing)} column; is this a "
                            "cogov sweep's results folder?")
    require_scenarios(condition, runs["scenario"].astype(str), where)
    ok = runs[runs["status"] == "ok"]
    a = ok[ok["scenario"] == condition.first]
    b = ok[ok["scenario"] == condition.second]
    both = a[["point_id", "seed", outcome, *parameters]].merge(
        b[["point_id", "seed", outcome]], on=["point_id", "seed"], suffixes=("", "__second"))
    if both.empty:
        raise ScenarioError(f"{where}: no design point has successful runs of both "
                            f"'{condition.first}' and '{condition.second}' on a common seed")
    both["difference"] = both[outcome].astype(float) - both[f"{outcome}__second"].astype(float)
    finite = np.isfinite(both["difference"].to_numpy())
    dropped = int((~finite).sum())
    both = both[finite]
    if both.empty:
        raise ScenarioError(f"{where}: '{outcome}' is not a number in any pair of runs of "
                            f"'{condition.first}' and '{condition.second}' (no issue resolved?)")
    pairs = both[["point_id", "seed", "difference"]].reset_index(drop=True)
    grouped = both.groupby("point_id", sort=True)
    points = grouped[parameters].first()
    points["difference"] = grouped["difference"].mean()
    points["seeds"] = grouped["difference"].size()
    points["case"] = condition.holds(points["difference"].to_numpy())
    return points.reset_index(), pairs, dropped


def differences(pairs: pd.DataFrame, point_ids) -> dict[str, Any]:
    """The paired differences of the given points: mean, 95% interval over the common seeds and
    over the points."""
    inside = pairs[pairs["point_id"].isin(set(point_ids))]
    over_seeds = mean_ci(inside.groupby("seed")["difference"].mean())
    over_points = mean_ci(inside.groupby("point_id")["difference"].mean())
    return {"mean_difference": float(inside["difference"].mean()) if len(inside) else np.nan,
            "pairs": int(len(inside)),
            "ci_seeds": [over_seeds[1], over_seeds[2]], "seeds": over_seeds[3],
            "ci_points": [over_points[1], over_points[2]], "n_points": over_points[3]}


def discover(runs: pd.DataFrame, outcome: str, condition: Condition, parameters: list[str],
             settings: Settings = Settings(), where: str = "the sweep") -> Discovery:
    """PRIM over the design points of ``runs`` for the cases ``condition`` defines."""
    require_outcome(outcome, outcome_columns(runs, parameters), where)
    points, pairs, dropped = paired(runs, outcome, condition, parameters, where)
    try:
        result = prim.search(points[parameters], points["case"].to_numpy(),
                             alpha=settings.alpha, min_mass=settings.min_mass,
                             min_density=settings.min_density, max_boxes=settings.max_boxes,
                             pasting=settings.pasting, step=settings.step)
    except ValueError as exc:  # a --step beyond the trajectory
        raise ScenarioError(f"--step: {exc}") from None
    boxes = []
    for i, search in enumerate(result.searches):
        if search.box is None:
            continue
        ids = points.loc[search.mask, "point_id"]
        peeled = search.trajectory[search.chosen]
        boxes.append({"box": len(boxes) + 1, "search": i, "step": search.chosen,
                      "step_coverage": peeled.coverage, "step_density": peeled.density,
                      "step_restricted": len(peeled.restricted),
                      "describe": search.box.describe(), **prim.as_record(search.box),
                      **differences(pairs, ids)})
    overall = {"points": len(points), "cases": int(points["case"].sum()),
               "density": float(points["case"].mean()), **differences(pairs, points["point_id"])}
    return Discovery(outcome, condition, parameters, points, pairs, result, boxes, overall,
                     settings, dropped)


def read_sweep(folder: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A finished sweep's runs and manifest (the folder was checked by ``results_dir``)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ScenarioError(f"{folder}: no readable manifest.json; is this a cogov sweep's "
                            "results folder?") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != "sweep":
        raise ScenarioError(f"{folder}: manifest.json is not a cogov sweep's")
    return pd.read_parquet(folder / "runs.parquet"), manifest
