"""``cogov compare``: scenarios side by side over replicate seeds, with confidence intervals."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from cogov.experiments import compare
from cogov.experiments.cli import main

TINY = ["--days", "30", "--set", "structure.units=16", "--set", "structure.buildings=4",
        "--set", "structure.areas=1"]


def test_compare_writes_runs_intervals_plot_and_manifest(tmp_path, capsys):
    out = tmp_path / "cmp"
    assert main(["compare", "fragmented", "one-core-four-element", "--replicates", "3",
                 "--out", str(out), *TINY]) == 0
    assert "resolved" in capsys.readouterr().out
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 6 and set(runs["scenario"]) == {"fragmented", "one-core-four-element"}
    seeds = sorted(set(runs["seed"]))
    assert seeds == sorted(compare.replicate_seed(0, i) for i in range(3))
    summary = pd.read_parquet(out / "comparison.parquet")
    rate = summary[(summary["metric"] == "resolution_rate")].set_index("scenario")
    for name, group in runs.groupby("scenario"):
        row = rate.loc[name]
        assert np.isclose(row["mean"], group["resolution_rate"].mean())
        assert row["ci_low"] <= row["mean"] <= row["ci_high"]
        assert row["n"] == 3
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["replicates"] == 3
    assert (out / "comparison.png").read_bytes()[:4] == b"\x89PNG"


def test_plot_draws_one_row_per_scenario_in_each_panel(tmp_path):
    runs = compare.compare(["fragmented", "government-led"], replicates=2, days=20,
                           overrides={"structure.units": 12, "structure.buildings": 3,
                                      "structure.areas": 1}, progress=False)
    summary = compare.summarize(runs)
    fig = compare.plot(summary, tmp_path / "c.png")
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titles) >= 8
    for ax in fig.axes:
        if ax.get_title():
            assert len(ax.get_yticks()) == 2  # one row per scenario


def test_serial_and_parallel_runs_are_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    args = ["compare", "fragmented", "market-led", "--replicates", "2", *TINY]
    assert main([*args, "--out", str(a)]) == 0
    assert main([*args, "--out", str(b), "--workers", "2"]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(a / "runs.parquet"),
                                  pd.read_parquet(b / "runs.parquet"))


def test_unknown_scenario_exits_2_before_anything_is_written(tmp_path, capsys):
    out = tmp_path / "never"
    assert main(["compare", "fragmented", "no-such", "--out", str(out), *TINY]) == 2
    assert "unknown scenario 'no-such'" in capsys.readouterr().err
    assert not out.exists()
