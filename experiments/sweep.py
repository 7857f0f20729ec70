"""Sweeps: every scenario × parameter point × replicate of an experiment, on any executor.

The runs go through :class:`cogov.experiments.batch.Batch`: serial, a local process pool
(spawn), or a Dask cluster (``Client.get_executor()``). Workers get a task — resolved scenario
config, seed, size — run it with :func:`cogov.experiments.runner.run` and return small results;
only the parent writes.

Crash safety. Results are written in numbered shards: first ``timeseries/part-N.parquet``, then
``runs/part-N.parquet``, each by an atomic rename. A run counts as done only once its row is in a
runs shard, so after a crash or ``kill -9`` ``--resume`` drops unpaired timeseries shards and
temporary files, and reruns exactly the runs that have no row — nothing finished is lost and
nothing is duplicated. ``runs.parquet`` (all runs) and ``failures.csv`` are rebuilt at the end.

Equal cost (``equal_cost:`` in the file). After the experiment's own runs, every scenario but the
reference is run again at each point, its paid means scaled to the reference's mean social cost
at that point by :func:`cogov.experiments.equal_cost.equalise` — the fixed point ``cogov compare
--equal-cost`` uses. The runs of the earlier fixed-point steps are only measured; the last
step's are kept like any others (rows ``NAME · equal cost`` with their ``cost_scale``, marked in
their run id). Their scales are in the manifest before they start, so ``--resume`` finishes them
at those scales.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from cogov.model.loading import ResolvedScenario, ScenarioError

from .batch import Batch
from .equal_cost import (
    COST,
    EQUAL_COST_RULE,
    STEPS,
    SUFFIX,
    achieved,
    base_name,
    equal_cost_name,
    equalise,
    scaled_overrides,
)
from .outputs import OutputError, write_json
from .runner import RunResult, RunTask, replicate_seed
from .spec import Experiment, Resolution, _dotted_get

RUNS_DIR = "runs"
TIMESERIES_DIR = "timeseries"


@dataclass(frozen=True)
class PlannedRun:
    """One run of the sweep: where it sits in the design, and the task a worker runs."""

    run_id: str
    scenario: str
    point_id: int
    point: dict[str, Any]  # the design's parameters as the resolved scenario has them
    replicate: int
    seed: int
    config: dict[str, Any]
    residents: int | None
    keep_timeseries: bool
    every: int
    cost_scale: float | None = None  # with equal cost: the scale of its paid means (1: as is)

    @property
    def inputs(self) -> dict[str, Any]:
        out = {"run_id": self.run_id, "scenario": self.scenario, "point_id": self.point_id,
               **self.point, "replicate": self.replicate, "seed": self.seed}
        if self.cost_scale is not None:
            out["cost_scale"] = self.cost_scale
        return out

    @property
    def task(self) -> RunTask:
        return RunTask(self.scenario, self.seed, residents=self.residents, config=self.config,
                       timeseries=self.keep_timeseries, every=self.every, key=self.run_id)


def plan(exp: Experiment) -> list[PlannedRun]:
    """The full list of runs, in a fixed order (scenario, point, replicate).

    A run id hashes the configuration digest, the seed and the size, so it does not change when
    an experiment file is edited elsewhere (``--resume`` of an old folder keeps working). Two
    runs with one id would overwrite each other's results; the experiment's checks refuse such
    designs, and a plan that still holds two is refused here before anything runs.
    """
    scale = 1.0 if exp.spec.equal_cost is not None else None
    tasks = [run for res in exp.resolutions  # resolved and checked when the file was loaded
             if res.same_as is None  # a Morris or Sobol point equal to an earlier one is run once
             for run in _replicates(exp, res, scale)]
    return refuse_shared_ids(exp, tasks)


def _replicates(exp: Experiment, res: Resolution, scale: float | None,
                scaled: ResolvedScenario | None = None) -> list[PlannedRun]:
    """The runs of one scenario at one point, one per replicate seed; with ``scaled``, of its
    equal-cost configuration, named ``NAME · equal cost``. Every parameter is recorded with the
    value the resolved point has (typed by the schema): an equal-cost run keeps the point it was
    made from, and its scale is in ``cost_scale``."""
    spec = exp.spec
    point = {k: _dotted_get(res.config, k) for k in parameter_names(exp)}
    name = res.name if scaled is None else equal_cost_name(res.name)
    digest = res.digest if scaled is None else scaled.digest
    config = res.config if scaled is None else scaled.resolved_dict
    runs = []
    for rep in range(spec.replicates):
        seed = replicate_seed(spec.root_seed, rep)
        runs.append(PlannedRun(run_id(digest, seed, spec.residents, scaled is not None), name,
                               res.point_id, point, rep, seed, config, spec.residents,
                               spec.outputs.timeseries, spec.outputs.every, scale))
    return runs


def run_id(digest: str, seed: int, residents: int | None, equal_cost: bool = False) -> str:
    """A run's id: its configuration, seed and size. An equal-cost run is marked as one, so it
    can never share the id of a run of the experiment's own points."""
    parts: list[Any] = [digest, seed, residents] + (["equal cost"] if equal_cost else [])
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def refuse_shared_ids(exp: Experiment, tasks: list[PlannedRun]) -> list[PlannedRun]:
    """Two runs with one id would overwrite each other's results: refuse them before any run."""
    first: dict[str, PlannedRun] = {}
    for task in tasks:
        other = first.setdefault(task.run_id, task)
        if other is not task:
            raise ScenarioError(
                f"{exp.path}: the runs of '{other.scenario}' at point {other.point_id} and "
                f"'{task.scenario}' at point {task.point_id} (replicate {task.replicate}) are "
                "the same run; make the points differ")
    return tasks


def parameter_names(exp: Experiment) -> list[str]:
    design = exp.spec.design
    names = list(design.parameters)
    for p in design.points:
        names += [k for k in p if k not in names]
    return names


# --- equal cost ------------------------------------------------------------------------------

#: What one scale applies to: (position in ``scenarios:``, point id).
Key = tuple[int, int]


def scaled_resolution(res: Resolution, k: float) -> ResolvedScenario:
    """``res`` with every organization's paid staff and budget multiplied by ``k`` — the rule of
    :mod:`cogov.experiments.equal_cost`, the overrides ``cogov compare --equal-cost`` uses —
    validated like any configuration."""
    from cogov.model.loading import Sourced, apply_overrides, config_from_dict

    config = config_from_dict(res.config, res.name)
    src = apply_overrides(Sourced(res.config, {}, [res.name]), scaled_overrides(config, k),
                          label=f"equal cost × {k:.4g}:")
    return ResolvedScenario(res.name, None, config_from_dict(src.data, res.name), {})


def plan_equal_cost(exp: Experiment, scales: dict[Key, float], timeseries: bool = True,
                    ) -> list[PlannedRun]:
    """The runs of every scenario and point in ``scales`` at its scale, in plan order."""
    runs = []
    for res in exp.resolutions:
        k = scales.get((res.scenario, res.point_id))
        if k is not None:
            runs += _replicates(exp, res, k, scaled_resolution(res, k))
    if not timeseries:
        runs = [dataclasses.replace(r, keep_timeseries=False) for r in runs]
    return runs


def mean_costs(exp: Experiment, runs: pd.DataFrame, equal: bool) -> dict[Key, float]:
    """Mean social cost of the successful runs per scenario and point: of the experiment's own
    runs, or (``equal``) of the equal-cost ones, keyed by the scenario they were made from.
    Keys without a finite positive cost are left out: they cannot be rescaled."""
    if runs.empty or COST not in runs.columns:
        return {}
    ok = runs[(runs["status"] == "ok") & (runs["scenario"].str.endswith(SUFFIX) == equal)]
    index = {Path(ref).stem: i for i, ref in enumerate(exp.scenario_refs)}
    means = ok.groupby(["scenario", "point_id"], sort=False)[COST].mean()
    return {(index[base_name(s)], int(p)): float(c) for (s, p), c in means.items()
            if base_name(s) in index and np.isfinite(c) and c > 0}


def cost_targets(exp: Experiment, nominal: dict[Key, float]) -> tuple[dict[Key, float],
                                                                          list[Key]]:
    """Per scenario and point but the reference's: the reference's mean cost at that point;
    and the keys that cannot be rescaled (no successful run of theirs or of the reference)."""
    ref = exp.spec.reference_index()
    keys = [(r.scenario, r.point_id) for r in exp.resolutions if r.scenario != ref]
    targets = {key: nominal[(ref, key[1])] for key in keys
               if key in nominal and (ref, key[1]) in nominal}
    return targets, [key for key in keys if key not in targets]


def scale_records(exp: Experiment, found: dict[Key, dict[str, float]]) -> list[dict[str, Any]]:
    """The manifest's list of scales: scenario, point id (and its parameters), scale and the
    achieved ratio of its mean social cost to the reference's at that point."""
    names = parameter_names(exp)
    by_key = {(r.scenario, r.point_id): r for r in exp.resolutions}
    out = []
    for key, s in found.items():
        res = by_key[key]
        point = {k: _dotted_get(res.config, k) for k in names}
        out.append({"scenario": res.name, "point_id": res.point_id,
                    **({"point": point} if point else {}), **s})
    return out


def rows_at_equal_cost(exp: Experiment) -> int:
    """The equal-cost rows the results will hold when every scenario and point can be rescaled:
    one per replicate of each scenario but the reference at each point."""
    ref = exp.spec.reference_index()
    if ref is None:
        return 0
    return sum(r.scenario != ref for r in exp.resolutions) * exp.spec.replicates


def recorded_scales(exp: Experiment, manifest: dict[str, Any]) -> dict[Key, float] | None:
    """The scales an interrupted sweep of this experiment recorded before its equal-cost runs
    began (``--resume`` runs the missing ones at the same scales), or None."""
    records = (manifest.get("equal_cost") or {}).get("scales")
    if not records:
        return None
    index = {Path(ref).stem: i for i, ref in enumerate(exp.scenario_refs)}
    return {(index[r["scenario"]], int(r["point_id"])): float(r["scale"]) for r in records}


# --- shards ------------------------------------------------------------------------------------


def _atomic_parquet(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, path)


@dataclass
class ShardStore:
    """The numbered shards of a results folder."""

    root: Path
    next_part: int = 0
    done: dict[str, str] = field(default_factory=dict)  # run_id -> status

    @classmethod
    def open(cls, root: Path) -> ShardStore:
        runs, series = root / RUNS_DIR, root / TIMESERIES_DIR
        runs.mkdir(parents=True, exist_ok=True)
        series.mkdir(parents=True, exist_ok=True)
        for tmp in list(runs.glob(".*.tmp")) + list(series.glob(".*.tmp")):
            tmp.unlink()  # half-written by a killed process
        committed = {p.name for p in runs.glob("part-*.parquet")}
        for orphan in series.glob("part-*.parquet"):
            if orphan.name not in committed:
                orphan.unlink()  # its runs were never committed; they will run again
        store = cls(root)
        numbers = [int(p.stem.split("-")[1]) for p in runs.glob("part-*.parquet")]
        store.next_part = max(numbers, default=-1) + 1
        for part in sorted(runs.glob("part-*.parquet")):
            table = pd.read_parquet(part, columns=["run_id", "status"])
            store.done.update(zip(table["run_id"], table["status"], strict=True))
        return store

    def commit(self, rows: list[dict[str, Any]], series: list[pd.DataFrame]) -> None:
        if not rows:
            return
        name = f"part-{self.next_part:06d}.parquet"
        if series:
            _atomic_parquet(pd.concat(series, ignore_index=True), self.root / TIMESERIES_DIR / name)
        _atomic_parquet(pd.DataFrame(rows), self.root / RUNS_DIR / name)
        self.next_part += 1
        for row in rows:
            self.done[row["run_id"]] = row["status"]

    def runs(self) -> pd.DataFrame:
        # Shards are read one by one: a shard of failed runs lacks the metric columns.
        parts = sorted((self.root / RUNS_DIR).glob("part-*.parquet"))
        table = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        # A run that failed and later succeeded on --resume keeps only its latest row.
        return table.drop_duplicates("run_id", keep="last").reset_index(drop=True)


# --- the sweep -------------------------------------------------------------------------------


@dataclass
class SweepResult:
    out: Path
    planned: int
    ran: int
    skipped: int
    failed: int
    seconds: float
    run_seconds: float
    calibration_runs: int = 0  # equal cost: the fixed-point steps' runs, not kept
    equal_cost: dict[str, Any] | None = None  # the manifest's record of it

    @property
    def ok(self) -> bool:
        return self.failed == 0


def spec_record(exp: Experiment) -> dict[str, Any]:
    """The experiment as the manifest records it. A file without ``equal_cost`` is recorded
    (and digested) as before the key existed, so ``--resume`` of its older folders works."""
    record = exp.spec.model_dump(mode="json")
    if record.get("equal_cost") is None:
        record.pop("equal_cost", None)
    return record


def _experiment_digest(exp: Experiment) -> str:
    blob = json.dumps(spec_record(exp), sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _prepare_folder(out: Path, exp: Experiment, resume: bool) -> dict[str, Any]:
    """Make ``out`` or check that ``--resume`` may finish the sweep in it; returns the manifest
    of that earlier sweep (empty for a new folder)."""
    manifest = out / "manifest.json"
    previous: dict[str, Any] = {}
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    if out.exists() and any(out.iterdir()):
        if not resume:
            raise OutputError(f"{out}: already holds results; pass --resume to finish that "
                              "sweep, or choose another --out")
        if not manifest.exists():
            raise OutputError(f"{out}: holds files but no sweep manifest; choose another --out")
        previous = json.loads(manifest.read_text(encoding="utf-8"))
        if previous.get("experiment_digest") != _experiment_digest(exp):
            raise OutputError(f"{out}: was made by a different experiment file (or a changed "
                              "one); choose another --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the folder: {exc.strerror}") from None
    return previous


def _row(run: PlannedRun, result: RunResult) -> dict[str, Any]:
    summary = {k: v for k, v in result.summary.items() if k not in ("scenario", "seed")}
    return {**run.inputs, "status": "ok" if result.ok else "failed", "error": result.error,
            "run_seconds": result.seconds, **summary}


def _series(run: PlannedRun, result: RunResult) -> pd.DataFrame | None:
    ts = result.timeseries
    if ts is None:
        return None
    ts = ts.copy()
    for i, (key, value) in enumerate(run.inputs.items()):
        ts.insert(i, key, value)
    return ts


def check_complete(runs: pd.DataFrame, order: dict[str, int]) -> None:
    """Exactly one row per planned run, or the sweep must not report success: a sweep that
    reports N runs and writes fewer loses results silently."""
    ids = set(runs["run_id"])
    missing, extra = len(set(order) - ids), len(ids - set(order))
    if len(runs) != len(order) or missing or extra:
        raise RuntimeError(f"the sweep planned {len(order):,} runs but its results hold "
                           f"{len(runs):,} rows ({missing:,} planned runs missing, {extra:,} "
                           "unplanned); runs.parquet was not written — please report this")


@dataclass
class _Writer:
    """Runs planned runs on the batch and commits their rows and time series in shards: every
    few seconds, and whatever finished when the runs end or are interrupted."""

    store: ShardStore
    batch: Batch
    progress: bool
    flush_seconds: float
    ran: int = 0  # runs kept (committed to the shards)
    calibrated: int = 0  # equal cost: runs of the fixed-point steps, measured and dropped
    run_seconds: float = 0.0

    def run(self, todo: list[PlannedRun], desc: str) -> None:
        by_id = {t.run_id: t for t in todo}
        rows: list[dict[str, Any]] = []
        series: list[pd.DataFrame] = []
        last_flush = time.perf_counter()
        try:
            for result in self.batch.run((t.task for t in todo), record_failures=True,
                                         desc=desc, progress=self.progress):
                run = by_id[result.task.key]
                rows.append(_row(run, result))
                ts = _series(run, result)
                if ts is not None:
                    series.append(ts)
                self.ran += 1
                self.run_seconds += result.seconds
                if time.perf_counter() - last_flush >= self.flush_seconds:
                    self.store.commit(rows, series)
                    rows.clear()
                    series.clear()
                    last_flush = time.perf_counter()
        finally:  # Ctrl-C or an error: keep every run that finished
            self.store.commit(rows, series)

    def todo(self, tasks: list[PlannedRun]) -> list[PlannedRun]:
        return [t for t in tasks if self.store.done.get(t.run_id) != "ok"]


def _calibrate(exp: Experiment, writer: _Writer, scales: dict[Key, float], step: int
               ) -> dict[Key, float]:
    """One fixed-point step whose runs are only measured: their mean social costs."""
    tasks = {t.run_id: t for t in plan_equal_cost(exp, scales, timeseries=False)}
    rows = [_row(tasks[r.task.key], r) for r in writer.batch.run(
        (t.task for t in tasks.values()), record_failures=True, progress=writer.progress,
        desc=f"equal cost {step + 1}/{STEPS}", leave=False)]
    writer.run_seconds += sum(r["run_seconds"] for r in rows)
    writer.calibrated += len(rows)
    return mean_costs(exp, pd.DataFrame(rows), equal=True)


def _run_equal_cost(exp: Experiment, writer: _Writer, manifest: dict[str, Any], out: Path,
                    recorded: dict[Key, float] | None) -> list[PlannedRun]:
    """Every scenario but the reference, at every point, at the reference's mean social cost
    there: the scales found by :func:`cogov.experiments.equal_cost.equalise` over the same
    replicate seeds, the last step's runs kept like any other. The scales are written to the
    manifest before those runs start, so ``--resume`` finishes them at the same scales
    (``recorded``) instead of searching again."""
    nominal = mean_costs(exp, writer.store.runs(), equal=False)
    targets, skipped = cost_targets(exp, nominal)
    record = manifest["equal_cost"]
    record["calibration_runs"] = (STEPS - 1) * len(targets) * exp.spec.replicates
    record["not_rescaled"] = scale_records(exp, {k: {} for k in skipped})
    kept: list[PlannedRun] = []

    def final(scales: dict[Key, float]) -> dict[Key, float]:
        record["scales"] = scale_records(exp, {k: {"scale": v} for k, v in scales.items()})
        write_json(manifest, out / "manifest.json")
        kept[:] = plan_equal_cost(exp, scales)
        writer.run(writer.todo(kept), desc=f"equal cost {STEPS}/{STEPS}")
        ids = {t.run_id for t in kept}
        runs = writer.store.runs()
        return mean_costs(exp, runs[runs["run_id"].isin(ids)], equal=True)

    def measure(scales: dict[Key, float], step: int) -> dict[Key, float]:
        return final(scales) if step == STEPS - 1 else _calibrate(exp, writer, scales, step)

    if recorded is not None:
        found = achieved(recorded, final(recorded), targets)
    else:
        found = equalise(targets, nominal, measure)
    record["scales"] = scale_records(exp, found)
    return kept


def run_sweep(exp: Experiment, out: Path, workers: int = 1, dask: str | None = None,
              resume: bool = False, csv: bool = False, progress: bool = True,
              flush_seconds: float = 5.0) -> SweepResult:
    from .runner import versions

    t0 = time.perf_counter()
    out = Path(out)
    tasks = plan(exp)  # resolves every scenario and point first: bad input fails here
    ref = exp.spec.reference_index()
    # Connect to the executor before touching the folder: an unreachable cluster leaves nothing
    # behind.
    with Batch(workers, dask) as batch:
        previous = _prepare_folder(out, exp, resume)
        store = ShardStore.open(out)
        recorded = recorded_scales(exp, previous) if ref is not None else None
        earlier = plan_equal_cost(exp, recorded) if recorded else []
        planned = {t.run_id for t in tasks + earlier}
        stale = [r for r in store.done if r not in planned]
        if stale:  # the same file, but a scenario it uses (or cogov) changed since
            raise OutputError(f"{out}: holds {len(stale):,} run(s) this experiment no longer "
                              "plans (a scenario it uses or cogov itself changed since that "
                              "sweep); choose another --out")
        manifest = {
            "kind": "sweep",
            "experiment_file": str(exp.path),
            "experiment_digest": _experiment_digest(exp),
            "experiment": spec_record(exp),
            "scenarios": exp.scenario_refs,
            "parameters": parameter_names(exp),
            "runs_planned": len(tasks) + rows_at_equal_cost(exp),
            "points_sharing_runs": sum(r.same_as is not None for r in exp.resolutions),
            **({"equal_cost": {
                "reference": Path(exp.scenario_refs[ref]).stem, "rule": EQUAL_COST_RULE,
                "per": "at each design point: a scenario's runs there are given the "
                       "reference's mean social cost at that point",
                "steps": STEPS}} if ref is not None else {}),
            "versions": versions(),
            "status": "running",
        }
        write_json(manifest, out / "manifest.json")
        writer = _Writer(store, batch, progress, flush_seconds)
        writer.run(writer.todo(tasks), desc=exp.spec.title or exp.path.stem)
        if ref is not None:
            tasks = tasks + _run_equal_cost(exp, writer, manifest, out, recorded)
            manifest["runs_planned"] = len(tasks)

    order = {t.run_id: i for i, t in enumerate(tasks)}
    runs = store.runs()
    check_complete(runs, order)
    runs = runs.iloc[np.argsort(runs["run_id"].map(order).to_numpy(), kind="stable")]
    runs = runs.reset_index(drop=True)
    _atomic_parquet(runs, out / "runs.parquet")
    if csv:
        runs.to_csv(out / "runs.csv", index=False)
    failures = runs[runs["status"] != "ok"]
    if len(failures):
        failures.to_csv(out / "failures.csv", index=False)
    elif (out / "failures.csv").exists():
        (out / "failures.csv").unlink()
    seconds = time.perf_counter() - t0
    manifest.update({
        "status": "complete" if failures.empty else "complete with failures",
        "runs_ok": int((runs["status"] == "ok").sum()),
        "runs_failed": int(len(failures)),
        "timings_seconds": {"wall": round(seconds, 3), "runs": round(writer.run_seconds, 3)},
        "workers": workers, "dask": dask,
    })
    write_json(manifest, out / "manifest.json")
    equal = manifest.get("equal_cost")
    return SweepResult(out, len(tasks), writer.ran, len(tasks) - writer.ran, len(failures),
                       seconds, writer.run_seconds, writer.calibrated, equal)
