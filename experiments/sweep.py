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
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from cogov.model.loading import ScenarioError

from .batch import Batch
from .outputs import OutputError, write_json
from .runner import RunResult, RunTask, replicate_seed
from .spec import Experiment, _dotted_get

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

    @property
    def inputs(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "scenario": self.scenario, "point_id": self.point_id,
                **self.point, "replicate": self.replicate, "seed": self.seed}

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
    spec = exp.spec
    names = parameter_names(exp)
    tasks = []
    for res in exp.resolutions:  # resolved and checked when the experiment was loaded
        if res.same_as is not None:
            continue  # a Morris or Sobol point equal to an earlier one: its runs serve both
        # Record every parameter with the value the run really used (typed by the schema).
        point = {k: _dotted_get(res.config, k) for k in names}
        for rep in range(spec.replicates):
            seed = replicate_seed(spec.root_seed, rep)
            key = json.dumps([res.digest, seed, spec.residents], sort_keys=True)
            run_id = hashlib.sha256(key.encode()).hexdigest()[:16]
            tasks.append(PlannedRun(run_id, res.name, res.point_id, point, rep, seed, res.config,
                                 spec.residents, spec.outputs.timeseries, spec.outputs.every))
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

    @property
    def ok(self) -> bool:
        return self.failed == 0


def _experiment_digest(exp: Experiment) -> str:
    blob = json.dumps(exp.spec.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _prepare_folder(out: Path, exp: Experiment, resume: bool) -> None:
    manifest = out / "manifest.json"
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


def run_sweep(exp: Experiment, out: Path, workers: int = 1, dask: str | None = None,
              resume: bool = False, csv: bool = False, progress: bool = True,
              flush_seconds: float = 5.0) -> SweepResult:
    from .runner import versions

    t0 = time.perf_counter()
    out = Path(out)
    tasks = plan(exp)  # resolves every scenario and point first: bad input fails here
    # Connect to the executor before touching the folder: an unreachable cluster leaves nothing
    # behind.
    with Batch(workers, dask) as batch:
        _prepare_folder(out, exp, resume)
        store = ShardStore.open(out)
        planned = {t.run_id for t in tasks}
        stale = [r for r in store.done if r not in planned]
        if stale:  # the same file, but a scenario it uses (or cogov) changed since
            raise OutputError(f"{out}: holds {len(stale):,} run(s) this experiment no longer "
                              "plans (a scenario it uses or cogov itself changed since that "
                              "sweep); choose another --out")
        todo = [t for t in tasks if store.done.get(t.run_id) != "ok"]
        manifest = {
            "kind": "sweep",
            "experiment_file": str(exp.path),
            "experiment_digest": _experiment_digest(exp),
            "experiment": exp.spec.model_dump(mode="json"),
            "scenarios": exp.scenario_refs,
            "parameters": parameter_names(exp),
            "runs_planned": len(tasks),
            "points_sharing_runs": sum(r.same_as is not None for r in exp.resolutions),
            "versions": versions(),
            "status": "running",
        }
        write_json(manifest, out / "manifest.json")

        by_id = {t.run_id: t for t in todo}
        rows: list[dict[str, Any]] = []
        series: list[pd.DataFrame] = []
        last_flush = time.perf_counter()
        run_seconds = 0.0
        failed = 0

        def take(result: RunResult) -> None:
            nonlocal last_flush, run_seconds, failed
            run = by_id[result.task.key]
            rows.append(_row(run, result))
            ts = _series(run, result)
            if ts is not None:
                series.append(ts)
            run_seconds += result.seconds
            failed += not result.ok
            if time.perf_counter() - last_flush >= flush_seconds:
                store.commit(rows, series)
                rows.clear()
                series.clear()
                last_flush = time.perf_counter()

        try:
            for result in batch.run((t.task for t in todo), record_failures=True,
                                    desc=exp.spec.title or exp.path.stem, progress=progress):
                take(result)
        finally:  # Ctrl-C or an error: keep every run that finished
            store.commit(rows, series)

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
        "timings_seconds": {"wall": round(seconds, 3), "runs": round(run_seconds, 3)},
        "workers": workers, "dask": dask,
    })
    write_json(manifest, out / "manifest.json")
    return SweepResult(out, len(tasks), len(todo), len(tasks) - len(todo), len(failures),
                       seconds, run_seconds)
