"""Experiment files: bad input is refused when the file is loaded — one message naming the
experiment file, its line and the field, exit code 2, nothing written — and a sweep never loses
a run silently nor leaves its workers behind when it is killed.

Each test holds the reproductions of one class of defect (issue 11, defects 5–7)."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from cogov.experiments import spec as spec_module
from cogov.experiments.cli import main
from cogov.experiments.design import design_points
from cogov.experiments.spec import MAX_RUNS, load_experiment, planned_points
from cogov.experiments.sweep import ShardStore, plan, run_sweep
from cogov.model.loading import ScenarioError, Sourced

TINY_SET = "set: {structure.units: 12, structure.buildings: 4, structure.areas: 2}"


def experiment(tmp_path: Path, body: str = "", scenarios: str = "[fragmented]",
               head: str = "replicates: 1\ndays: 3", name: str = "exp.yaml") -> str:
    """A tiny experiment: line 1 scenarios, 2–3 ``head``, 4 set, then ``body`` from line 5."""
    text = f"scenarios: {scenarios}\n{head}\n{TINY_SET}\n{textwrap.dedent(body)}"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def fails(argv: list[str], capsys, *needles: str) -> str:
    """Exit 2, one ``cogov: error:`` message holding every needle, no traceback."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert "error: " in err, err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def sweep_fails(tmp_path: Path, path: str, capsys, *needles: str) -> str:
    out = tmp_path / "out"
    err = fails(["sweep", path, "--out", str(out)], capsys, *needles)
    assert not out.exists(), "a refused experiment must leave nothing behind"
    return err


# --- 5. duplicates: every planned run is a distinct run ------------------------------------------


def test_repeated_grid_values_scenarios_and_points_are_refused_at_their_line(tmp_path, capsys):
    sweep_fails(tmp_path, experiment(tmp_path, """\
        design: {kind: grid, parameters: {mechanisms.grid.coverage: [0.5, 0.5, 1]}}
        """), capsys, "exp.yaml:5: design.parameters.mechanisms.grid.coverage.1: repeats the "
                      "value 0.5 (item 0)")
    sweep_fails(tmp_path, experiment(tmp_path, scenarios="[fragmented, campaign, fragmented]"),
                capsys, "exp.yaml:1: scenarios.2: 'fragmented' is listed twice (first as "
                        "scenarios.0)")
    sweep_fails(tmp_path, experiment(tmp_path, """\
        design:
          kind: list
          points:
            - {mechanisms.grid.coverage: 0.5}
            - {mechanisms.grid.coverage: 0.5}
        """), capsys, "exp.yaml:9: design.points.1: the same point as design.points.0")


def test_points_resolving_to_one_configuration_are_refused(tmp_path, capsys):
    # 1 and 1.0 are different values as written, the same coverage once validated.
    sweep_fails(tmp_path, experiment(tmp_path, """\
        design: {kind: grid, parameters: {mechanisms.grid.coverage: [0.5, 1, 1.0]}}
        """), capsys, "exp.yaml:5: design.parameters.mechanisms.grid.coverage: the values 1 and "
                      "1.0 give the same configuration")
    # A point that sets what set: already set is the point that sets nothing.
    sweep_fails(tmp_path, experiment(tmp_path, """\
        design:
          kind: list
          points:
            - {}
            - {structure.units: 12}
        """), capsys, "exp.yaml:9: design.points.1: resolves to the same configuration as "
                      "design.points.0")
    # Two files that say the same thing.
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("extends: fragmented\n", encoding="utf-8")
    sweep_fails(tmp_path, experiment(tmp_path, scenarios="[a.yaml, b.yaml]"), capsys,
                "exp.yaml:1: scenarios.1: 'b' resolves to the same configuration as "
                "scenarios.0 ('a')")
    # Two files of one name would be one group in every table and plot.
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.yaml").write_text("extends: campaign\n", encoding="utf-8")
    sweep_fails(tmp_path, experiment(tmp_path, scenarios="[a.yaml, other/a.yaml]"), capsys,
                "scenarios.1", "both called 'a'")
    # Whole-number rounding collapses LHS samples onto three values.
    sweep_fails(tmp_path, experiment(tmp_path, """\
        design:
          kind: lhs
          parameters:
            structure.units_per_grid: {low: 1, high: 3, integer: true}
        """), capsys, "exp.yaml:8: design.parameters.structure.units_per_grid: rounded to whole "
                      "numbers, sample points")


def test_sweep_writes_one_row_per_reported_run(tmp_path, capsys):
    out = tmp_path / "out"
    path = experiment(tmp_path, """\
        design: {kind: grid, parameters: {mechanisms.grid.coverage: [0.25, 0.5, 1]}}
        """, scenarios="[fragmented, campaign]")
    assert main(["sweep", path, "--out", str(out)]) == 0
    assert "6 runs planned: 6 run now, 0 already done, 0 failed" in capsys.readouterr().out
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 6 and runs["run_id"].is_unique
    days = pd.read_parquet(out / "timeseries").groupby("run_id")["day"].count()
    assert (days == 3).all() and len(days) == 6


def test_sweep_refuses_to_report_runs_it_did_not_write(tmp_path, monkeypatch):
    exp = load_experiment(experiment(tmp_path, head="replicates: 2\ndays: 3"))
    shards = ShardStore.runs
    monkeypatch.setattr(ShardStore, "runs", lambda self: shards(self).iloc[1:])
    with pytest.raises(RuntimeError, match="planned 2 runs but its results hold 1 rows"):
        run_sweep(exp, tmp_path / "out", progress=False)
    assert not (tmp_path / "out" / "runs.parquet").exists()


def test_plan_refuses_two_runs_with_one_id_even_past_the_file_checks(tmp_path):
    exp = load_experiment(experiment(tmp_path, """\
        design: {kind: grid, parameters: {mechanisms.grid.coverage: [0.5, 1]}}
        """))
    first, second = exp.resolutions
    exp._resolutions = [first, dataclasses.replace(first, point_id=second.point_id)]
    with pytest.raises(ScenarioError, match="are the same run"):
        plan(exp)


def test_resume_refuses_a_folder_whose_runs_the_experiment_no_longer_plans(tmp_path, capsys):
    scenario = tmp_path / "mine.yaml"
    scenario.write_text("extends: fragmented\n", encoding="utf-8")
    path = experiment(tmp_path, scenarios="[mine.yaml]")
    out = tmp_path / "out"
    assert main(["sweep", path, "--out", str(out)]) == 0
    scenario.write_text("extends: campaign\n", encoding="utf-8")  # same experiment file
    fails(["sweep", path, "--out", str(out), "--resume"], capsys, "no longer plans")
    assert len(pd.read_parquet(out / "runs.parquet")) == 1  # the old results are untouched


def test_coinciding_morris_points_share_runs_and_the_analysis_reads_them(tmp_path, capsys):
    pytest.importorskip("SALib")
    # One parameter on four levels: ten trajectories of two points must meet.
    path = experiment(tmp_path, """\
        design:
          kind: morris
          samples: 10
          parameters:
            mechanisms.grid.coverage: {low: 0, high: 1}
        """)
    exp = load_experiment(path)
    shared = [r for r in exp.resolutions if r.same_as is not None]
    assert shared and len(plan(exp)) == 20 - len(shared)
    assert len({t.run_id for t in plan(exp)}) == len(plan(exp))
    out = tmp_path / "out"
    assert main(["sensitivity", path, "--out", str(out)]) == 0
    table = pd.read_csv(out / "sensitivity.csv")
    assert set(table["parameter"]) == {"mechanisms.grid.coverage"}
    assert len(pd.read_parquet(out / "runs.parquet")) == 20 - len(shared)


# --- 6. a killed sweep takes its workers with it -------------------------------------------------


def _children(pid: int) -> dict[int, str]:
    """Living processes whose parent is ``pid``, with their command lines."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(stat.parent.name)] = cmdline
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its parent's reaping is missing


def _working(pid: int) -> bool:
    """The worker has taken a task, so its initializer (the guard) has run: unpickling a task
    imports pandas, and nothing before it does."""
    try:
        return "pandas/_libs" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_a_sweep_ends_its_workers_and_releases_its_output(tmp_path):
    path = experiment(tmp_path, head="replicates: 40\ndays: 400")
    code = "import sys; from cogov.experiments.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen([sys.executable, "-c", code, "sweep", path, "--workers", "2",
                             "--out", str(tmp_path / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            workers = [p for p, cmd in _children(proc.pid).items() if "spawn_main" in cmd]
            if len(workers) >= 2 and all(_working(p) for p in workers):
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the sweep ended before it could be killed"
        assert len(workers) == 2, workers
        others = list(_children(proc.pid))  # workers and multiprocessing's resource tracker
        drained = threading.Thread(target=proc.stdout.read, daemon=True)  # type: ignore[union-attr]
        drained.start()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.time() + 5
        while time.time() < deadline and any(_alive(p) for p in others):
            time.sleep(0.05)
        assert not [p for p in others if _alive(p)], "workers outlived the killed sweep"
        drained.join(timeout=max(deadline - time.time(), 0.5))
        assert not drained.is_alive(), "the sweep's stdout is still held open (| tee hangs)"
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()


def test_every_process_pool_is_made_by_experiments_pool():
    root = Path(__file__).resolve().parents[1] / "experiments"
    makers = [p.name for p in root.glob("*.py") if "ProcessPoolExecutor(" in p.read_text()]
    assert makers == ["pool.py"]


# --- 7. validation: complete, and at load -----------------------------------------------------


def test_range_ends_are_checked_against_every_scenario_at_their_line(tmp_path, capsys):
    fails(["sweep", experiment(tmp_path, """\
        design:
          kind: lhs
          parameters:
            mechanisms.grid.coverage: {low: 0, high: 2}
        """)], capsys,
        "exp.yaml:8: design.parameters.mechanisms.grid.coverage.high: must be less than or "
        "equal to 1 (got 2)")
    # rounded ends: -0.6 becomes -1
    fails(["sweep", experiment(tmp_path, """\
        design:
          kind: sobol
          parameters:
            structure.units_per_grid:
              low: -0.6
              high: 3
              integer: true
        """)], capsys, "exp.yaml:9: design.parameters.structure.units_per_grid.low: must be "
                       "greater than 0 (got -1)")
    # an end that suits the first scenario but not the second
    small = "extends: fragmented\nstructure: {units: 12, buildings: 4, areas: %d}\n"
    (tmp_path / "one.yaml").write_text(small % 1, encoding="utf-8")
    (tmp_path / "three.yaml").write_text(small % 3, encoding="utf-8")
    (tmp_path / "exp.yaml").write_text(textwrap.dedent("""\
        scenarios: [one.yaml, three.yaml]
        replicates: 1
        days: 3
        design:
          kind: lhs
          parameters:
            structure.buildings: {low: 2, high: 4, integer: true}
        """), encoding="utf-8")
    fails(["sweep", str(tmp_path / "exp.yaml")], capsys,
          "exp.yaml:7: design.parameters.structure.buildings.low: must be >= areas (3)",
          "(in 'three')")


def test_whole_number_field_sampled_without_integer_gets_a_hint(tmp_path, capsys):
    fails(["sweep", experiment(tmp_path, """\
        design:
          kind: lhs
          parameters:
            structure.units_per_grid: {low: 1, high: 4}
        """)], capsys, "exp.yaml:8: design.parameters.structure.units_per_grid: is a whole "
                       "number", "integer: true")


def test_days_shorter_than_an_intervention_is_the_experiments_days(tmp_path, capsys):
    fails(["sweep", experiment(tmp_path, scenarios="[reform-to-one-core]")], capsys,
          "exp.yaml:3: days: scenario 'reform-to-one-core' has an intervention at day 365",
          "needs days ≥ 366")
    fails(["sweep", experiment(tmp_path, """\
        design: {kind: grid, parameters: {days: [3, 400]}}
        """, scenarios="[reform-to-one-core]", head="replicates: 1\nroot_seed: 0")], capsys,
          "exp.yaml:5: design.parameters.days: scenario 'reform-to-one-core'", "needs days ≥ 366")
    path = experiment(tmp_path, head="replicates: 1\ndays: 3")
    Path(path).write_text(Path(path).read_text().replace("structure.areas: 2",
                                                         "structure.areas: 2, days: 4"))
    fails(["sweep", path], capsys, "exp.yaml:4: set.days:", "give days once")


def test_unknown_sensitivity_metric_is_found_at_load(tmp_path, capsys):
    fails(["sweep", experiment(tmp_path, """\
        outputs:
          sensitivity_metrics: [resolution_rate, satisfation]
        """)], capsys, "exp.yaml:6: outputs.sensitivity_metrics.1: unknown summary metric "
                       "'satisfation' (did you mean 'satisfaction'?)")
    # a metric that is not among the defaults but exists is accepted
    path = experiment(tmp_path, "outputs: {sensitivity_metrics: [grid_coverage]}\n")
    assert load_experiment(path).spec.outputs.sensitivity_metrics == ["grid_coverage"]


@pytest.mark.parametrize("body, head, needles", [
    ("design: {kind: lhs, samples: 1e12, parameters: {mechanisms.grid.coverage: "
     "{low: 0, high: 1}}}\n", "replicates: 1\ndays: 3",
     ["exp.yaml:5: design.samples: must be less than or equal to 100000000"]),
    ("design: {kind: morris, levels: 1e9, parameters: {mechanisms.grid.coverage: "
     "{low: 0, high: 1}}}\n", "replicates: 1\ndays: 3",
     ["exp.yaml:5: design.levels: must be less than or equal to 1000"]),
    ("design: {kind: sobol, samples: 1e7, parameters: {mechanisms.grid.coverage: "
     "{low: 0, high: 1}}}\n", "replicates: 1\ndays: 3",
     ["exp.yaml:5: design.samples: 30,000,000 runs planned", "(10,000,000 samples × "
      "(1 parameters + 2))", "split it"]),
    ("", "replicates: 1e6\ndays: 3", ["exp.yaml:2: replicates: 1,000,000 runs planned",
                                      "--yes"]),
    ("design: {kind: grid, parameters: {mechanisms.grid.coverage: [0, 0.1, 0.2, 0.3, 0.4], "
     "mechanisms.grid.patrol_hours_per_grid: [1, 2, 3, 4, 5]}}\n", "replicates: 5000\ndays: 3",
     ["exp.yaml:2: replicates: 125,000 runs planned (1 scenario(s) × 25 point(s) × 5,000 "
      "replicate(s)); more than 100,000 runs need --yes"]),
])
def test_run_count_is_computed_and_refused_before_sampling(tmp_path, capsys, monkeypatch, body,
                                                           head, needles):
    def no_sampling(*args, **kwargs):
        raise AssertionError("sampled before the run count was checked")

    monkeypatch.setattr("cogov.experiments.design.design_points", no_sampling)
    sweep_fails(tmp_path, experiment(tmp_path, body, head=head), capsys, *needles)


def test_yes_accepts_a_large_experiment_and_check_runs_nothing(tmp_path, capsys):
    path = experiment(tmp_path, head=f"replicates: {MAX_RUNS + 1}\ndays: 3")
    fails(["sweep", path, "--check"], capsys, "--yes")
    out = tmp_path / "out"
    assert main(["sweep", path, "--check", "--yes", "--out", str(out)]) == 0
    line = capsys.readouterr().out
    assert f"= {MAX_RUNS + 1:,} runs of 3 days" in line and "exp.yaml: ok" in line
    assert not out.exists()


@pytest.mark.parametrize("kind, extra", [
    ("lhs", "samples: 7"), ("morris", "samples: 3\n  levels: 6"), ("sobol", "samples: 8"),
    ("grid", ""), ("list", ""),
])
def test_planned_points_is_what_the_design_samples(tmp_path, kind, extra):
    pytest.importorskip("SALib")
    if kind == "grid":
        params = "  parameters: {a.b: [1, 2, 3], c.d: [1, 2]}"
    elif kind == "list":
        params = "  points: [{a.b: 1}, {a.b: 2}, {c.d: 3}]"
    else:
        params = "  parameters: {a.b: {low: 0, high: 1}, c.d: {low: 0, high: 1}}"
    text = f"scenarios: [fragmented]\ndesign:\n  kind: {kind}\n  {extra}\n{params}\n"
    design = spec_module._validate(Sourced(yaml.safe_load(text), {}, ["t"])).design
    assert planned_points(design) == len(design_points(design, 0))


@pytest.mark.parametrize("body, needle", [
    ("design: {kind: lhs, parameters: {mechanisms.grid.coverage: "
     "{low: -.inf, high: .inf, integer: true}}}\n",
     "exp.yaml:5: design.parameters.mechanisms.grid.coverage.low: input should be a finite"),
    ("design: {kind: lhs, parameters: {mechanisms.grid.coverage: {low: .nan, high: 1}}}\n",
     "exp.yaml:5: design.parameters.mechanisms.grid.coverage.low: input should be a finite"),
    ("design: {kind: grid, parameters: {mechanisms.grid.coverage: [0.5, .inf]}}\n",
     "exp.yaml:5: design.parameters.mechanisms.grid.coverage.1: must be a finite number"),
    ("design: {kind: lhs, parameters: {mechanisms.grid.coverage: {low: 0, hig: 1}}}\n",
     "unknown key 'hig' (did you mean 'high'?)"),
    ("design: {kind: lhs, parameters: {mechanisms.grid.coverage: {low: 0, high: 1e300}}}\n",
     "exp.yaml:5: design.parameters.mechanisms.grid.coverage.high: must be less than or equal "
     "to 1000000000000000"),
])
def test_every_number_in_an_experiment_is_finite(tmp_path, capsys, body, needle):
    sweep_fails(tmp_path, experiment(tmp_path, body), capsys, needle)


@pytest.mark.parametrize("head, needle", [
    ("replicates: true\ndays: 3", "exp.yaml:2: replicates: input should be a valid integer "
                                  "(got True)"),
    ('replicates: "3"\ndays: 3', "exp.yaml:2: replicates: input should be a valid integer "
                                 "(got '3')"),
    ('replicates: 1\ndays: "5"', "exp.yaml:3: days: input should be a valid integer"),
    ("replicates: 1\ndays: 36501", "exp.yaml:3: days: must be less than or equal to 36500"),
    ("replicates: 1\nroot_seed: 9223372036854775808",
     "exp.yaml:3: root_seed: must be less than or equal to 9223372036854775807"),
    ("replicates: 1\nresidents: 2.5", "exp.yaml:3: residents: input should be a valid integer"),
    ("replicates: 1\noutputs: {timeseries: 1}", "exp.yaml:3: outputs.timeseries: input should "
                                                "be a valid boolean"),
])
def test_numbers_are_numbers(tmp_path, capsys, head, needle):
    sweep_fails(tmp_path, experiment(tmp_path, head=head), capsys, needle)


def test_whole_floats_and_int_for_float_are_fine(tmp_path):
    exp = load_experiment(experiment(tmp_path, """\
        design: {kind: lhs, samples: 4.0, parameters: {mechanisms.grid.coverage: {low: 0, high: 1}}}
        """, head="replicates: 2.0\ndays: 3"))
    assert exp.spec.replicates == 2 and exp.spec.design.samples == 4
    assert len(plan(exp)) == 8


def test_scenario_names_and_dotted_keys_are_checked_at_their_line(tmp_path, capsys):
    sweep_fails(tmp_path, experiment(tmp_path, scenarios="[fragmented, campain]"), capsys,
                "exp.yaml:1: scenarios.1: unknown scenario 'campain' (did you mean 'campaign'?)")
    sweep_fails(tmp_path, experiment(tmp_path, scenarios="[fragmented, nowhere.yaml]"), capsys,
                "exp.yaml:1: scenarios.1:", "no such file")
    sweep_fails(tmp_path, experiment(tmp_path, """\
        design:
          kind: grid
          parameters:
            mechanisms.grid.coverag: [0.5, 1]
        """), capsys, "exp.yaml:8: design.parameters.mechanisms.grid.coverag: unknown key "
                      "'coverag' in mechanisms.grid (did you mean 'coverage'?)")
    sweep_fails(tmp_path, experiment(tmp_path, """\
        design:
          kind: list
          points:
            - {mechanisms.grid.coverage: 0.5}
            - {mechanisms.grid.coverage.x: 0.5}
        """), capsys, "exp.yaml:9: design.points.1.mechanisms.grid.coverage.x: "
                      "mechanisms.grid.coverage is a single value")
    sweep_fails(tmp_path, experiment(tmp_path, """\
        design: {kind: grid, parameters: {actors.enterprises.first.staff: [1, 2]}}
        """), capsys, "actors.enterprises is a list")
    sweep_fails(tmp_path, experiment(tmp_path, """\
        design: {kind: grid, parameters: {"mechanisms..grid": [1, 2]}}
        """), capsys, "exp.yaml:5:", "not a dotted key")


def test_a_bad_set_key_or_value_names_the_experiment_line(tmp_path, capsys):
    path = tmp_path / "exp.yaml"
    path.write_text(textwrap.dedent("""\
        scenarios: [fragmented]
        days: 3
        set:
          structure.units: 12
          bogus.key: 1
        """), encoding="utf-8")
    sweep_fails(tmp_path, str(path), capsys, "exp.yaml:5: set.bogus.key: unknown key 'bogus'")
    path.write_text(textwrap.dedent("""\
        scenarios: [fragmented]
        days: 3
        set:
          structure.units: 2
        """), encoding="utf-8")
    sweep_fails(tmp_path, str(path), capsys, "exp.yaml:4: set.structure.units: must be >= "
                                             "buildings")
    path.write_text(textwrap.dedent("""\
        scenarios: [fragmented]
        set:
          structure.units: [1, 2]
        """), encoding="utf-8")
    sweep_fails(tmp_path, str(path), capsys, "exp.yaml:3: set.structure.units: must be a "
                                             "number, true/false or text, not a list")


def test_an_experiment_too_large_for_the_machine_is_refused_before_any_run(tmp_path, capsys,
                                                                         monkeypatch):
    huge = "structure.units: 1000000, structure.households_per_unit: 10000"
    path = experiment(tmp_path)
    Path(path).write_text(Path(path).read_text().replace("structure.units: 12", huge))
    sweep_fails(tmp_path, path, capsys, "exp.yaml:1: scenarios.0 ('fragmented'): too large "
                                        "for this machine")
    sweep_fails(tmp_path, experiment(tmp_path, """\
        design: {kind: grid, parameters: {structure.units: [12, 1000000],
                                          structure.households_per_unit: [10000]}}
        """), capsys, "exp.yaml:5: design ('fragmented' at point 1: structure.units=1000000, ",
                "too large for this machine")
    monkeypatch.setattr("cogov.model.footprint.available_memory", lambda: 2e9)
    sweep_fails(tmp_path, experiment(tmp_path, head="replicates: 1\nresidents: 9000000"), capsys,
                "exp.yaml:3: residents ('fragmented'): too large for this machine")


def test_workers_are_bounded(tmp_path, capsys):
    fails(["sweep", experiment(tmp_path), "--workers", "100000"], capsys,
          "--workers: must be at most 256")
    fails(["sensitivity", experiment(tmp_path), "--workers", "0"], capsys, "--workers")


def test_sensitivity_needs_a_morris_or_sobol_design_at_its_line(tmp_path, capsys):
    fails(["sensitivity", experiment(tmp_path, "design: {kind: grid, parameters: "
                                                "{mechanisms.grid.coverage: [0.5, 1]}}\n"),
           "--out", str(tmp_path / "out")], capsys,
          "exp.yaml:5: design.kind: must be morris or sobol")
    assert not (tmp_path / "out").exists()


# --- equal cost: the option, and what it cannot mean ---------------------------------------------


def test_equal_cost_parses_as_a_switch_or_a_chosen_reference(tmp_path):
    from cogov.experiments.equal_cost import STEPS
    from cogov.experiments.spec import planned_runs
    from cogov.experiments.sweep import spec_record

    two = "[fragmented, campaign]"
    on = load_experiment(experiment(tmp_path, "equal_cost: true\n", scenarios=two)).spec
    assert on.equal_cost is not None and on.reference_index() == 0  # the first, as compare
    # every other scenario runs STEPS times more: the fixed-point steps, the last one kept
    assert planned_runs(on) == 2 + STEPS * 1
    chosen = load_experiment(experiment(tmp_path, "equal_cost:\n  reference: campaign\n",
                                        scenarios=two)).spec
    assert chosen.reference_index() == 1
    for off in ("equal_cost: false\n", ""):
        exp = load_experiment(experiment(tmp_path, off, scenarios=two))
        assert exp.spec.equal_cost is None and exp.spec.reference_index() is None
        assert planned_runs(exp.spec) == 2
        # files without the option are recorded (and digested) as before it existed
        assert "equal_cost" not in spec_record(exp)


@pytest.mark.parametrize("body, scenarios, needle", [
    ("equal_cost: 1\n", "[fragmented, campaign]",
     "exp.yaml:5: equal_cost: must be true, false or {reference: SCENARIO} (got 1)"),
    ("equal_cost: yes please\n", "[fragmented, campaign]",
     "exp.yaml:5: equal_cost: must be true, false or {reference: SCENARIO} (got 'yes please')"),
    ("equal_cost: [campaign]\n", "[fragmented, campaign]",
     "exp.yaml:5: equal_cost: must be true, false or {reference: SCENARIO}"),
    ("equal_cost:\n  reference: campain\n", "[fragmented, campaign]",
     "exp.yaml:6: equal_cost.reference: 'campain' is not one of the experiment's scenarios "
     "(fragmented, campaign) (did you mean 'campaign'?)"),
    ("equal_cost: {refrence: campaign}\n", "[fragmented, campaign]",
     "exp.yaml:5: equal_cost.refrence: unknown key 'refrence' (did you mean 'reference'?)"),
    ("equal_cost: true\n", "[fragmented]",
     "exp.yaml:5: equal_cost: needs at least two scenarios"),
    ("equal_cost: true\ndesign: {kind: morris, parameters: {mechanisms.grid.coverage: "
     "{low: 0, high: 1}}}\n", "[fragmented, campaign]",
     "exp.yaml:5: equal_cost: does not apply to a morris design"),
])
def test_a_bad_equal_cost_is_refused_at_its_line_before_anything_runs(tmp_path, capsys, body,
                                                                      scenarios, needle):
    sweep_fails(tmp_path, experiment(tmp_path, body, scenarios=scenarios), capsys, needle)
    fails(["sweep", experiment(tmp_path, body, scenarios=scenarios), "--check"], capsys, needle)
