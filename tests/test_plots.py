"""Sweep plots and the HTML report, checked by the data they draw, not by pixels."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from cogov.experiments.cli import main
from cogov.experiments.plots import load_results, plot_results
from cogov.experiments.report import write_report
from cogov.experiments.spec import load_experiment
from cogov.experiments.sweep import run_sweep

GRID = """\
title: burden grid
description: a tiny two-parameter grid
scenarios: [fragmented]
replicates: 3
days: 40
set: {structure.units: 12, structure.buildings: 3, structure.areas: 1}
design:
  kind: grid
  parameters:
    mechanisms.admin_burden.task_share: [0.2, 0.6]
    mechanisms.admin_burden.empowerment: [0.0, 0.8]
"""


@pytest.fixture(scope="module")
def grid_results(tmp_path_factory):
    root = tmp_path_factory.mktemp("plots")
    (root / "e.yaml").write_text(GRID, encoding="utf-8")
    out = root / "out"
    run_sweep(load_experiment(root / "e.yaml"), out, progress=False)
    return out


def test_plots_show_bands_boxes_and_heatmaps_of_the_results(grid_results):
    paths, data = plot_results(grid_results, return_data=True)
    assert all(p.exists() for p in paths)
    names = {p.stem for p in paths}
    assert {"timeseries-satisfaction", "compare-resolution_rate",
            "heatmap-resolution_rate"} <= names
    runs = pd.read_parquet(grid_results / "runs.parquet")
    box = data["compare-resolution_rate"]
    assert box["group"].nunique() == 4  # one box per parameter point
    assert len(box) == len(runs)  # every replicate drawn
    heat = data["heatmap-resolution_rate"]
    means = runs.groupby(["mechanisms.admin_burden.task_share",
                          "mechanisms.admin_burden.empowerment"])["resolution_rate"].mean()
    for _, cell in heat.iterrows():
        key = (cell["mechanisms.admin_burden.task_share"],
               cell["mechanisms.admin_burden.empowerment"])
        assert np.isclose(cell["mean"], means.loc[key])
    band = data["timeseries-satisfaction"]
    ts = pd.read_parquet(grid_results / "timeseries")
    assert band["group"].nunique() == 4
    res = load_results(grid_results)
    g0 = res.ok[res.ok["group"] == 0]["run_id"]
    day = 20
    expected = ts[ts["run_id"].isin(g0) & (ts["day"] == day)]["satisfaction"].mean()
    got = band[(band["group"] == 0) & (band["day"] == day)]["mean"].iloc[0]
    assert np.isclose(got, expected)


def test_failed_runs_are_left_out_and_the_report_is_self_contained(grid_results, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(grid_results, copy)
    runs = pd.read_parquet(copy / "runs.parquet")
    runs.loc[0, "status"] = "failed"
    runs.loc[0, "error"] = "RuntimeError: boom"
    runs.to_parquet(copy / "runs.parquet", index=False)
    shutil.rmtree(copy / "plots", ignore_errors=True)
    _, data = plot_results(copy, return_data=True)
    assert len(data["compare-resolution_rate"]) == len(runs) - 1
    report = write_report(copy)
    text = report.read_text(encoding="utf-8")
    assert text.count('<img alt=') >= 3 and 'src="data:image/png;base64,' in text
    assert "http://" not in text and "https://" not in text
    assert "burden grid" in text and "1 failed" in text and "RuntimeError: boom" in text


def test_cli_plot_and_report(grid_results, capsys):
    assert main(["plot", str(grid_results)]) == 0
    assert "heatmap-" in capsys.readouterr().out
    assert main(["report", str(grid_results)]) == 0
    assert (grid_results / "report.html").exists()
    assert main(["plot", str(grid_results / "nowhere")]) == 2
