"""Sweeps: planning, validation, failures, resume after a kill, and the same results on every
executor."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cogov.experiments.spec import load_experiment
from cogov.experiments.sweep import plan, replicate_seed, run_sweep
from cogov.model.loading import ScenarioError

TINY = """\
title: tiny
scenarios: [fragmented, one-core-four-element]
replicates: 2
days: 40
set:
  structure.units: 12
  structure.buildings: 3
  structure.areas: 1
design:
  kind: grid
  parameters:
    mechanisms.admin_burden.task_share: [0.2, 0.6]
"""


def write(tmp_path: Path, text: str, name: str = "e.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def comparable(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    runs = pd.read_parquet(out / "runs.parquet").drop(columns=["run_seconds"])
    ts = pd.read_parquet(out / "timeseries").sort_values(["run_id", "day"])
    return runs.reset_index(drop=True), ts.reset_index(drop=True)


def test_plan_covers_scenarios_points_and_replicates(tmp_path):
    exp = load_experiment(write(tmp_path, TINY))
    tasks = plan(exp)
    assert len(tasks) == 2 * 2 * 2
    assert len({t.run_id for t in tasks}) == len(tasks)
    assert {t.seed for t in tasks} == {replicate_seed(0, 0), replicate_seed(0, 1)}
    assert replicate_seed(0, 1) == int(np.random.SeedSequence(0, spawn_key=(1,))
                                       .generate_state(1)[0])
    assert [t.run_id for t in plan(exp)] == [t.run_id for t in tasks]  # stable ids


@pytest.mark.parametrize("text, message", [
    (TINY.replace("replicates: 2", "replicats: 2"),
     r"e.yaml:3: replicats: unknown key 'replicats' \(did you mean 'replicates'\?\)"),
    (TINY.replace("task_share: [0.2, 0.6]", "task_share: [0.2, 1.6]"),
     r"e.yaml:12: design.parameters.mechanisms.admin_burden.task_share: must be less than or"),
    (TINY.replace("mechanisms.admin_burden.task_share", "mechanisms.admin_burden.task_shar"),
     r"e.yaml:12: .*did you mean 'task_share'"),
    (TINY.replace("[fragmented, one-core-four-element]", "[fragmentd]"),
     r"e.yaml:2: scenarios.0: unknown scenario 'fragmentd' \(did you mean 'fragmented'\?\)"),
    (TINY.replace("kind: grid", "kind: lhs"), r"e.yaml:\d+: design: .*ranges"),
])
def test_experiment_errors_name_file_line_and_field(tmp_path, text, message):
    with pytest.raises(ScenarioError, match=message):
        load_experiment(write(tmp_path, text))


def test_sweep_writes_tidy_tables_and_refuses_to_overwrite(tmp_path):
    exp = load_experiment(write(tmp_path, TINY))
    out = tmp_path / "out"
    result = run_sweep(exp, out, progress=False)
    assert result.ok and result.ran == 8
    runs, ts = comparable(out)
    assert list(runs.columns[:7]) == ["run_id", "scenario", "point_id",
                                      "mechanisms.admin_burden.task_share", "replicate", "seed",
                                      "status"]
    assert (runs["status"] == "ok").all() and "resolution_rate" in runs
    assert len(ts) == 8 * 40 and {"run_id", "day", "satisfaction"} <= set(ts.columns)
    assert (out / "manifest.json").exists() and not (out / "failures.csv").exists()
    with pytest.raises(ScenarioError, match="--resume"):
        run_sweep(exp, out, progress=False)
    again = run_sweep(exp, out, resume=True, progress=False)
    assert again.ran == 0 and again.skipped == 8


def test_failing_run_is_recorded_and_does_not_stop_the_sweep(tmp_path, monkeypatch):
    from cogov.model import CommunityModel

    bad_seed = replicate_seed(0, 1)
    original = CommunityModel.step

    def step(self):
        if self.seed == bad_seed and self.day >= 0 and self.time > 5:
            raise FloatingPointError("diverged")
        original(self)

    monkeypatch.setattr(CommunityModel, "step", step)
    exp = load_experiment(write(tmp_path, TINY))
    result = run_sweep(exp, tmp_path / "out", progress=False)
    assert result.failed == 4 and not result.ok
    failures = pd.read_csv(tmp_path / "out" / "failures.csv")
    assert (failures["seed"] == bad_seed).all()
    assert failures["error"].str.contains("FloatingPointError: diverged").all()
    assert {"scenario", "mechanisms.admin_burden.task_share", "replicate"} <= set(failures)
    monkeypatch.setattr(CommunityModel, "step", original)
    fixed = run_sweep(exp, tmp_path / "out", resume=True, progress=False)
    assert fixed.ran == 4 and fixed.ok
    assert not (tmp_path / "out" / "failures.csv").exists()
    assert len(pd.read_parquet(tmp_path / "out" / "runs.parquet")) == 8


def test_resume_after_kill_loses_nothing_and_duplicates_nothing(tmp_path):
    text = TINY.replace("replicates: 2", "replicates: 6").replace("days: 40", "days: 150")
    path = write(tmp_path, text)
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    code = ("import sys; from pathlib import Path; "
            "from cogov.experiments.spec import load_experiment; "
            "from cogov.experiments.sweep import run_sweep; "
            f"run_sweep(load_experiment({str(path)!r}), Path({str(killed)!r}), progress=False, "
            "flush_seconds=0)")
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if len(list((killed / "runs").glob("part-*.parquet"))) >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list((killed / "runs").glob("part-*.parquet")))
    assert 3 <= done_before < 24
    assert not (killed / "runs.parquet").exists()

    exp = load_experiment(path)
    resumed = run_sweep(exp, killed, resume=True, progress=False)
    assert resumed.skipped >= done_before and resumed.ran + resumed.skipped == 24
    run_sweep(exp, clean, progress=False)
    runs_k, ts_k = comparable(killed)
    runs_c, ts_c = comparable(clean)
    assert runs_k["run_id"].is_unique and len(runs_k) == 24
    pd.testing.assert_frame_equal(runs_k, runs_c)
    pd.testing.assert_frame_equal(ts_k, ts_c)


def test_same_results_serial_process_pool_and_dask(tmp_path):
    pytest.importorskip("dask.distributed")
    exp = load_experiment(write(tmp_path, TINY))
    run_sweep(exp, tmp_path / "serial", progress=False)
    run_sweep(exp, tmp_path / "pool", workers=2, progress=False)
    run_sweep(exp, tmp_path / "dask", workers=2, dask="local", progress=False)
    runs_s, ts_s = comparable(tmp_path / "serial")
    for other in ("pool", "dask"):
        runs_o, ts_o = comparable(tmp_path / other)
        pd.testing.assert_frame_equal(runs_s, runs_o)
        pd.testing.assert_frame_equal(ts_s, ts_o)


def test_existing_dask_cluster_by_address(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    exp = load_experiment(write(tmp_path, TINY.replace("replicates: 2", "replicates: 1")))
    run_sweep(exp, tmp_path / "serial", progress=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        run_sweep(exp, tmp_path / "remote", dask=cluster.scheduler_address, progress=False)
    pd.testing.assert_frame_equal(comparable(tmp_path / "serial")[0],
                                  comparable(tmp_path / "remote")[0])


def test_unreachable_cluster_is_a_clear_error(tmp_path):
    pytest.importorskip("dask.distributed")
    exp = load_experiment(write(tmp_path, TINY))
    with pytest.raises(ScenarioError, match="cannot reach the scheduler"):
        run_sweep(exp, tmp_path / "out", dask="tcp://127.0.0.1:9", progress=False)
    assert not (tmp_path / "out").exists()
