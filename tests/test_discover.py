"""Scenario discovery: PRIM finds a known box, reports none when nothing is of interest, the
--where grammar refuses what it cannot read, and ``cogov discover`` writes its outputs from an
experiment file or a sweep folder (and nothing on bad input)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cogov.experiments import prim
from cogov.experiments.cli import main
from cogov.experiments.condition import parse_condition
from cogov.model.loading import ScenarioError

TINY = """\
title: tiny discovery
scenarios: [one-core-four-element, fragmented]
replicates: 2
days: 20
outputs:
  timeseries: false
set:
  structure.units: 12
  structure.buildings: 3
  structure.areas: 1
design:
  kind: lhs
  samples: 4
  parameters:
    issues.demand: {low: 0.5, high: 2.0}
    mechanisms.coordination.triage_hours: {low: 0.1, high: 0.6}
"""
WHERE = "one-core-four-element - fragmented < 0"
FILES = {"boxes.json", "boxes.csv", "trajectory.csv", "trajectory.png", "report.md",
         "points.csv", "manifest.json"}


def known_box(n: int = 600, seed: int = 3):
    """Points uniform in [0, 1]^4; cases inside x1 < 0.3 and x3 > 0.6 (90% of them there, 5%
    of the points outside)."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(size=(n, 4)), columns=["x1", "x2", "x3", "x4"])
    inside = ((x["x1"] < 0.3) & (x["x3"] > 0.6)).to_numpy()
    y = np.where(inside, rng.uniform(size=n) < 0.9, rng.uniform(size=n) < 0.05)
    return x, y, inside


def test_prim_finds_a_known_box_with_coverage_and_density_near_the_truth():
    x, y, inside = known_box()
    result = prim.search(x, y)
    box = result.boxes[0]
    assert set(box.restricted) == {"x1", "x3"}
    assert box.limits["x1"].high == pytest.approx(0.3, abs=0.05)
    assert box.limits["x3"].low == pytest.approx(0.6, abs=0.08)
    true_coverage = (y & inside).sum() / y.sum()
    true_density = y[inside].mean()
    assert box.coverage == pytest.approx(true_coverage, abs=0.1)
    assert box.density == pytest.approx(true_density, abs=0.15)
    assert box.mass == pytest.approx(inside.mean(), abs=0.05)
    assert all(p < 1e-6 for p in box.qp.values())  # both restrictions matter
    trajectory = result.searches[0].trajectory
    assert trajectory[0].coverage == 1 and not trajectory[0].restricted
    assert trajectory[-1].mass >= prim.MIN_MASS - 1e-9


def test_prim_reports_no_box_when_no_case_is_of_interest():
    x, _, _ = known_box(200)
    result = prim.search(x, np.zeros(len(x), dtype=bool))
    assert result.boxes == [] and result.total_cases == 0


def test_prim_reports_no_box_below_the_density_asked_for():
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.uniform(size=(300, 3)), columns=["a", "b", "c"])
    y = rng.uniform(size=300) < 0.2  # noise: no region is dense
    result = prim.search(x, y, min_density=0.9)
    assert result.boxes == [] and result.searches[0].chosen is None


def test_prim_restricts_a_categorical_parameter():
    rng = np.random.default_rng(1)
    n = 400
    x = pd.DataFrame({"mode": rng.choice(["one_core", "none", "government"], n),
                      "share": rng.uniform(size=n)})
    y = ((x["mode"] == "none") & (x["share"] > 0.5)).to_numpy()
    box = prim.search(x, y, min_density=1.0).boxes[0]
    assert box.limits["mode"].values == frozenset({"none"})
    assert box.limits["share"].low == pytest.approx(0.5, abs=0.05)
    assert box.density == 1.0 and box.coverage > 0.9


@pytest.mark.parametrize("text, first, second, op, threshold", [
    ("one-core-four-element - government-led < 0", "one-core-four-element", "government-led",
     "<", 0.0),
    ("  a-b -   c >= -1.5e-2 ", "a-b", "c", ">=", -0.015),
    ("fengqiao - government-led · equal cost <= 3", "fengqiao", "government-led · equal cost",
     "<=", 3.0),
])
def test_where_reads_a_difference_a_comparison_and_a_number(text, first, second, op, threshold):
    c = parse_condition(text)
    assert (c.first, c.second, c.op, c.threshold) == (first, second, op, threshold)
    assert c.holds(np.array([threshold - 1]))[0] == (op in ("<", "<="))


@pytest.mark.parametrize("text, message", [
    ("", "the condition is empty"),
    ("a - b", "no comparison"),
    ("a - b == 0", "'=' compares nothing"),
    ("a - b < 0 < 1", "2 comparisons"),
    ("a - b < zero", "'zero' after < is not a number"),
    ("a - b < inf", "is not a number"),
    ("a-b < 0", "not two scenarios joined by ' - '"),
    ("a - b - c > 0", "not two scenarios"),
    ("a - a > 0", "both sides are 'a'"),
])
def test_where_errors_say_what_is_wrong(text, message):
    with pytest.raises(ScenarioError, match=message):
        parse_condition(text)


@pytest.fixture(scope="module")
def discovered(tmp_path_factory):
    """One tiny experiment discovered end to end through the CLI (its sweep inside)."""
    root = tmp_path_factory.mktemp("discover")
    exp = root / "tiny.yaml"
    exp.write_text(textwrap.dedent(TINY), encoding="utf-8")
    out = root / "out"
    code = main(["discover", str(exp), "--outcome", "satisfaction", "--where", WHERE,
                 "--out", str(out)])
    return root, exp, out, code


def test_discover_from_an_experiment_writes_every_output(discovered, capsys):
    root, _, out, code = discovered
    assert code == 0
    assert FILES <= {p.name for p in out.iterdir()}
    assert (out / "sweep" / "runs.parquet").is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "discover" and manifest["where"] == WHERE
    assert manifest["points"] == 4 and manifest["seeds"] == 2
    record = json.loads((out / "boxes.json").read_text())
    assert record["overall"]["points"] == 4
    points = pd.read_csv(out / "points.csv")
    assert len(points) == 4 and set(points["case"]) <= {True, False}
    assert record["overall"]["cases"] == int(points["case"].sum())
    assert "# Scenario discovery" in (out / "report.md").read_text()
    assert (out / "trajectory.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_discover_from_a_sweep_folder_and_refuses_to_overwrite(discovered, capsys):
    root, _, out, _ = discovered
    again = root / "again"
    argv = ["discover", str(out / "sweep"), "--outcome", "resolution_rate", "--where",
            "fragmented - one-core-four-element > -1", "--out", str(again)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "box 1: coverage 100%, density 100%" in printed  # every point: -1 is always beaten
    assert FILES <= {p.name for p in again.iterdir()}
    assert main(argv) == 2
    assert "already holds results" in capsys.readouterr().err
    assert main([*argv, "--overwrite"]) == 0


@pytest.mark.parametrize("args, message", [
    (["--outcome", "satisfactoin"], "did you mean 'satisfaction'"),
    (["--where", "one-core-four-element - governmentled < 0"], "'governmentled' is not a "
     "scenario"),
    (["--where", "one-core-four-element < 0"], "not two scenarios"),
    (["--parameters", "demandd"], "'demandd' is not a parameter of the design"),
    (["--step", "9999", "--where", "fragmented - one-core-four-element > -1"],
     "step 9999 is not on the peeling trajectory"),
])
def test_bad_input_exits_2_and_writes_nothing(discovered, capsys, args, message):
    root, _, out, _ = discovered
    target = root / "bad"
    argv = {"--outcome": "satisfaction", "--where": WHERE}
    flags = ["discover", str(out / "sweep"), "--out", str(target)]
    for key, value in argv.items():
        if key not in args:
            flags += [key, value]
    assert main([*flags, *args]) == 2
    assert message in capsys.readouterr().err
    assert not target.exists()


@pytest.mark.parametrize("option, value", [("--alpha", "0.7"), ("--min-density", "1.5"),
                                           ("--max-boxes", "0"), ("--alpha", "nan")])
def test_out_of_range_settings_exit_2(discovered, capsys, option, value):
    _, _, out, _ = discovered
    with pytest.raises(SystemExit) as exc:
        main(["discover", str(out / "sweep"), "--outcome", "satisfaction", "--where", WHERE,
              option, value])
    assert exc.value.code == 2 and option in capsys.readouterr().err


def test_a_folder_without_the_needed_columns_exits_2(discovered, tmp_path, capsys):
    _, _, out, _ = discovered
    broken = tmp_path / "broken"
    broken.mkdir()
    runs = pd.read_parquet(out / "sweep" / "runs.parquet").drop(columns=["issues.demand"])
    runs.to_parquet(broken / "runs.parquet")
    (broken / "manifest.json").write_text((out / "sweep" / "manifest.json").read_text())
    code = main(["discover", str(broken), "--outcome", "satisfaction", "--where", WHERE,
                 "--out", str(tmp_path / "o")])
    assert code == 2
    assert "no column for the design parameter(s) issues.demand" in capsys.readouterr().err
    assert main(["discover", str(tmp_path / "missing"), "--outcome", "satisfaction",
                 "--where", WHERE]) == 2
    assert not (tmp_path / "o").exists()


def test_an_experiment_is_checked_before_it_runs(discovered, tmp_path, capsys):
    _, exp, _, _ = discovered
    target = tmp_path / "never"
    code = main(["discover", str(exp), "--outcome", "satisfaction", "--where",
                 "one-core-four-element - government-led < 0", "--out", str(target)])
    assert code == 2
    assert "'government-led' is not a scenario of" in capsys.readouterr().err
    code = main(["discover", str(exp), "--outcome", "nonsense", "--where", WHERE,
                 "--out", str(target)])
    assert code == 2 and not target.exists()


def test_prim_result_is_plain_json():
    x, y, _ = known_box(200)
    record = prim.as_record(prim.search(x, y).boxes[0])
    assert json.loads(json.dumps(record))["restrictions"]


def test_the_shipped_discovery_experiment_is_an_lhs_over_common_seeds():
    from cogov.experiments.spec import load_experiment

    root = Path(__file__).resolve().parents[1]
    exp = load_experiment(root / "experiments" / "when-does-one-core-fail.yaml")
    assert exp.spec.design.kind == "lhs" and len(exp.spec.design.parameters) >= 8
    assert exp.spec.scenarios[:2] == ["one-core-four-element", "government-led"]



def test_the_failure_modes_experiment_switches_every_failure_on_in_every_scenario():
    from cogov.experiments.spec import load_experiment

    root = Path(__file__).resolve().parents[1] / "experiments"
    exp = load_experiment(root / "when-does-one-core-fail-failure-modes.yaml")
    failures = ("formalism", "pressure_down", "elite_capture", "fatigue", "leadership")
    assert all(exp.spec.set[f"mechanisms.{m}.enabled"] is True for m in failures)
    swept = exp.spec.design.parameters
    assert all(any(k.startswith(f"mechanisms.{m}.") for k in swept) for m in failures)
    confirm = load_experiment(root / "when-does-one-core-fail-failure-modes-confirm.yaml")
    assert confirm.spec.set == exp.spec.set and confirm.spec.root_seed != exp.spec.root_seed
    assert confirm.spec.scenarios == exp.spec.scenarios
    for name, rng in confirm.spec.design.parameters.items():  # inside the discovery's ranges
        assert swept[name].low <= rng.low <= rng.high <= swept[name].high

def test_a_step_chosen_by_the_user_keeps_its_restrictions():
    x, y, _ = known_box()
    peeled = prim.search(x, y, pasting=False, prune_p=None)
    step = peeled.searches[0].chosen
    chosen = prim.search(x, y, pasting=False, step=step)
    assert len(chosen.boxes) == 1
    assert chosen.boxes[0].restricted == peeled.searches[0].trajectory[step].restricted
