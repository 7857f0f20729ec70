"""``cogov compare``: scenarios × replicate seeds, tables with 95% intervals, one plot."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from cogov.experiments.cli import main
from cogov.experiments.compare import (
    BASELINES,
    KEY_OUTCOMES,
    compare,
    plot,
    replicate_seed,
    summarize,
)

SMALL = ["--set", "structure.units=16", "--set", "structure.buildings=4",
         "--set", "structure.areas=1"]
SMALL_OVERRIDES = {"structure.units": 16, "structure.buildings": 4, "structure.areas": 1}
SCENARIOS = ["one-core-four-element", "fragmented"]
ARGS = ["compare", *SCENARIOS, "--replicates", "3", "--days", "30", *SMALL]


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp") / "serial"
    assert main([*ARGS, "--out", str(out)]) == 0
    return out


def test_writes_every_output(serial):
    assert {p.name for p in serial.iterdir()} == {
        "runs.parquet", "runs.csv", "comparison.csv", "comparison.parquet", "comparison.png",
        "cost-outcome.png", "manifest.json"}
    for png in ("comparison.png", "cost-outcome.png"):
        assert (serial / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    manifest = json.loads((serial / "manifest.json").read_text())
    assert [s["name"] for s in manifest["scenarios"]] == SCENARIOS
    assert manifest["replicates"] == 3 and manifest["root_seed"] == 0
    assert manifest["days"] == 30 and manifest["overrides"]["structure.units"] == 16
    assert manifest["versions"]["mesa"].startswith("3.")


def test_runs_table_has_one_row_per_scenario_and_replicate(serial):
    runs = pd.read_parquet(serial / "runs.parquet")
    assert len(runs) == len(SCENARIOS) * 3
    assert list(runs.columns[:3]) == ["scenario", "replicate", "seed"]
    assert runs["scenario"].tolist() == [s for s in SCENARIOS for _ in range(3)]
    assert runs["replicate"].tolist() == [0, 1, 2] * len(SCENARIOS)
    seeds = [int(np.random.SeedSequence(0, spawn_key=(i,)).generate_state(1)[0])
             for i in range(3)]
    assert runs["seed"].tolist() == seeds * len(SCENARIOS)
    assert (runs["days"] == 30).all()
    assert {o.key for o in KEY_OUTCOMES} <= set(runs.columns)
    assert pd.read_csv(serial / "runs.csv").shape == runs.shape


def test_intervals_contain_the_mean_of_the_runs(serial):
    runs = pd.read_parquet(serial / "runs.parquet")
    comp = pd.read_parquet(serial / "comparison.parquet")
    assert list(comp.columns) == ["scenario", "metric", "mean", "sd", "n", "ci_low", "ci_high"]
    # n counts the runs where the metric exists: a median days to resolution does not when
    # fewer than half of a run's issues are ever resolved
    counts = runs.groupby("scenario").count()
    assert all(row.n == counts.loc[row.scenario, row.metric] for row in comp.itertuples())
    assert (comp.loc[comp.metric == "resolution_rate", "n"] == 3).all()
    assert comp.loc[comp.n < 2, "ci_low"].isna().all()  # no interval from fewer than 2 runs
    comp = comp[comp.n >= 2]
    assert (comp["ci_low"] <= comp["mean"] + 1e-12).all()
    assert (comp["mean"] <= comp["ci_high"] + 1e-12).all()
    for (name, metric), row in comp.set_index(["scenario", "metric"]).iterrows():
        values = runs.loc[runs.scenario == name, metric]
        assert row["mean"] == pytest.approx(values.mean(), rel=1e-12, abs=1e-12)
        assert row["sd"] == pytest.approx(values.std(ddof=1), rel=1e-9, abs=1e-12)
    # a Student-t interval with 2 degrees of freedom: half-width 4.303 · sd / √3
    rate = comp.set_index(["scenario", "metric"]).loc[("fragmented", "resolution_rate")]
    assert (rate.ci_high - rate.ci_low) / 2 == pytest.approx(4.302653 * rate.sd / np.sqrt(3))


def test_printed_table_lists_every_scenario(tmp_path, capsys):
    assert main([*ARGS, "--replicates", "2", "--out", str(tmp_path / "x")]) == 0
    printed = capsys.readouterr().out
    assert all(name in printed for name in SCENARIOS)
    assert "resolved%" in printed and "±" in printed
    table = [line for line in printed.splitlines() if "results in" not in line]
    assert max(len(line) for line in table) <= 100


def test_process_pool_gives_the_same_runs_as_serial(serial, tmp_path):
    out = tmp_path / "pool"
    assert main([*ARGS, "--workers", "2", "--out", str(out)]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(serial / "runs.parquet"),
                                  pd.read_parquet(out / "runs.parquet"))
    assert (serial / "runs.csv").read_bytes() == (out / "runs.csv").read_bytes()
    assert (serial / "comparison.csv").read_bytes() == (out / "comparison.csv").read_bytes()


def test_adding_replicates_keeps_the_old_ones(serial):
    more = compare(["fragmented"], replicates=4, days=30, overrides=SMALL_OVERRIDES,
                   progress=False)
    assert more["seed"].tolist() == [replicate_seed(0, i) for i in range(4)]
    old = pd.read_parquet(serial / "runs.parquet")
    old = old[old.scenario == "fragmented"].reset_index(drop=True)
    pd.testing.assert_frame_equal(more.iloc[:3], old)


def test_user_errors_exit_2_before_anything_is_written(tmp_path, capsys):
    out = tmp_path / "x"
    assert main(["compare", "one-core-four-element", "no-such-scenario", "--out",
                 str(out)]) == 2
    assert "unknown scenario 'no-such-scenario'" in capsys.readouterr().err
    assert main(["compare", "fragmented", "--set", "mechanisms.grid.coverag=1", "--out",
                 str(out)]) == 2
    assert "did you mean 'coverage'" in capsys.readouterr().err
    assert main(["compare", "fragmented", "--all", "--out", str(out)]) == 2
    assert main(["compare", "--out", str(out)]) == 2
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_existing_results_are_kept_without_overwrite(serial, capsys):
    before = (serial / "runs.csv").read_bytes()
    assert main([*ARGS, "--seed", "5", "--out", str(serial)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (serial / "runs.csv").read_bytes() == before


def test_plot_draws_one_panel_per_outcome_with_one_row_per_scenario(serial, tmp_path):
    runs = pd.read_parquet(serial / "runs.parquet")
    runs = pd.concat([runs, runs.assign(scenario="government-led")], ignore_index=True)
    summary = summarize(runs)
    fig = plot(summary, tmp_path / "p.png", runs=runs)
    assert (tmp_path / "p.png").stat().st_size > 0
    panels = {ax.get_gid(): ax for ax in fig.axes if ax.get_gid()}
    assert list(panels) == [o.key for o in KEY_OUTCOMES]
    assert [ax.get_title() for ax in panels.values()] == [o.title() for o in KEY_OUTCOMES]
    order = ["one-core-four-element", "fragmented", "government-led"]  # models, then baselines
    for key, ax in panels.items():
        means = summary[summary.metric == key].set_index("scenario")["mean"]
        drawn = {}
        for container in ax.containers:  # one errorbar per group: models, baselines
            line = container.lines[0]
            for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
                drawn[int(y)] = x
        assert sorted(drawn) == [0, 1, 2], key
        assert [drawn[i] for i in range(3)] == pytest.approx([means[n] for n in order]), key
        grey = [c.lines[0].get_color() for c in ax.containers]
        assert len(set(grey)) == 2  # baselines look different
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 3
    assert ("fragmented" in labels[1]) or ("Fragmented" in labels[1])
    assert set(order[1:]) <= set(BASELINES)
