"""Plots and the HTML report of a sweep's results folder, checked by the data they draw."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cogov.experiments.cli import main
from cogov.experiments.plots import (
    KEY_OUTCOMES,
    TIMESERIES_METRICS,
    load_results,
    plot_compare,
    plot_results,
)
from cogov.experiments.report import write_report
from cogov.experiments.spec import load_experiment
from cogov.experiments.sweep import run_sweep
from scipy import stats

SMALL = "set: {structure.units: 16, structure.buildings: 4, structure.areas: 1}\n"
SCENARIOS = ("title: Two <scenarios> & friends\n"
             "description: A tiny sweep for the plot tests.\n"
             "scenarios: [one-core-four-element, fragmented]\n"
             "replicates: 3\ndays: 30\n" + SMALL)
GRID = ("title: Burden grid\nscenarios: [fragmented]\nreplicates: 2\ndays: 30\n" + SMALL +
        "design:\n  kind: grid\n  parameters:\n"
        "    mechanisms.admin_burden.task_share: [0.1, 0.7]\n"
        "    mechanisms.admin_burden.empowerment: [0.0, 0.9]\n")
PX, PY = "mechanisms.admin_burden.task_share", "mechanisms.admin_burden.empowerment"


def _sweep(root: Path, name: str, text: str) -> Path:
    spec = root / f"{name}.yaml"
    spec.write_text(text, encoding="utf-8")
    out = root / name
    run_sweep(load_experiment(spec), out, progress=False)
    return out


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweeps")
    folders = {"scen": _sweep(root, "scen", SCENARIOS), "grid": _sweep(root, "grid", GRID)}
    plotted = {k: plot_results(v, return_data=True) for k, v in folders.items()}
    return folders, plotted


def test_plots_exist_for_the_expected_metrics(sweeps):
    folders, plotted = sweeps
    paths, data = plotted["scen"]
    names = {p.name for p in paths}
    assert names == ({f"timeseries-{m}.png" for m in TIMESERIES_METRICS}
                     | {f"compare-{m}.png" for m in KEY_OUTCOMES} | {"cost-outcome.png"})
    for p in paths:
        assert p.parent == folders["scen"] / "plots"
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert set(data) == {p.stem for p in paths}


def test_cost_outcome_plot_has_each_groups_mean_cost_and_outcome(sweeps):
    folders, plotted = sweeps
    drawn = plotted["scen"][1]["cost-outcome"]
    res = load_results(folders["scen"])
    # Groups are drawn under their labels: the scenario's titles where a CJK font is installed.
    label = dict(zip(res.groups["scenario"], res.groups["label"], strict=True))
    means = res.ok.groupby("scenario")[["social_cost_per_resident_year", "satisfaction"]].mean()
    means = means.rename(index=label)
    sat = drawn[drawn["metric"] == "satisfaction"].set_index("scenario")
    assert set(sat.index) == {label["one-core-four-element"], label["fragmented"]}
    assert not sat["hollow"].any()
    for name, row in sat.iterrows():
        assert row["cost"] == pytest.approx(means.loc[name, "social_cost_per_resident_year"])
        assert row["outcome"] == pytest.approx(means.loc[name, "satisfaction"])


def test_timeseries_band_per_group_with_the_mean_of_the_runs(sweeps):
    folders, plotted = sweeps
    drawn = plotted["scen"][1]["timeseries-satisfaction"]
    assert drawn["label"].nunique() == 2  # scenario names, or Chinese titles with a CJK font
    assert drawn.groupby("group")["day"].nunique().eq(30).all()
    ts = pd.read_parquet(folders["scen"] / "timeseries")
    day = 17
    for scenario, group in (("one-core-four-element", 0), ("fragmented", 1)):
        values = ts[(ts["scenario"] == scenario) & (ts["day"] == day)]["satisfaction"]
        row = drawn[(drawn["group"] == group) & (drawn["day"] == day)].iloc[0]
        assert len(values) == 3 and row["n"] == 3
        assert row["mean"] == pytest.approx(values.mean())
        half = stats.t.ppf(0.975, 2) * values.std(ddof=1) / np.sqrt(3)
        assert row["ci_high"] - row["mean"] == pytest.approx(half)


def test_grid_timeseries_has_one_band_per_point(sweeps):
    drawn = sweeps[1]["grid"][1]["timeseries-resolution_rate"]
    assert drawn["group"].nunique() == 4
    assert "task_share=0.1, empowerment=0.9" in set(drawn["label"])


def test_box_plot_has_one_box_per_group_with_every_replicate(sweeps):
    folders, plotted = sweeps
    drawn = plotted["scen"][1]["compare-resolution_rate"]
    runs = pd.read_parquet(folders["scen"] / "runs.parquet")
    assert drawn["group"].nunique() == 2
    for (scenario, part), group in zip(runs.groupby("scenario", sort=False), (0, 1),
                                       strict=True):
        box = drawn[drawn["group"] == group]
        assert sorted(box["value"]) == sorted(part["resolution_rate"]), scenario
    again = plot_compare(load_results(folders["scen"]), "resolution_rate",
                         folders["scen"] / "plots" / "compare-resolution_rate.png")
    pd.testing.assert_frame_equal(drawn, again)  # fixed-seed jitter: same plot every time


def test_heatmap_only_for_a_two_parameter_grid_with_the_point_means(sweeps):
    folders, plotted = sweeps
    assert not any(k.startswith("heatmap-") for k in plotted["scen"][1])
    paths, data = plotted["grid"]
    assert {f"heatmap-{m}.png" for m in KEY_OUTCOMES} <= {p.name for p in paths}
    cells = data["heatmap-rc_admin_share"]
    runs = pd.read_parquet(folders["grid"] / "runs.parquet")
    means = runs.groupby([PX, PY])["rc_admin_share"].mean()
    assert len(cells) == 4
    for _, c in cells.iterrows():
        assert c["mean"] == pytest.approx(means[(c[PX], c[PY])])
        assert c["n"] == 2


@pytest.fixture(scope="module")
def with_failure(sweeps, tmp_path_factory):
    """A copy of the scenario sweep in which one run is marked failed."""
    src = sweeps[0]["scen"]
    dst = tmp_path_factory.mktemp("failed") / "scen"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("plots", "report.html"))
    runs = pd.read_parquet(dst / "runs.parquet")
    metrics = runs.columns[runs.columns.get_loc("run_seconds") + 1:]
    runs.loc[1, "status"] = "failed"
    runs.loc[1, "error"] = "RuntimeError: <boom> & bust"
    runs.loc[1, metrics] = np.nan
    runs.to_parquet(dst / "runs.parquet", index=False)
    return dst, runs


def test_failed_runs_are_excluded(with_failure):
    folder, runs = with_failure
    failed_id = runs.loc[1, "run_id"]
    _, data = plot_results(folder, return_data=True)
    box = data["compare-satisfaction"]
    assert failed_id not in set(box["run_id"]) and len(box) == len(runs) - 1
    band = data["timeseries-satisfaction"]
    ts = pd.read_parquet(folder / "timeseries")
    ok = ts[(ts["scenario"] == runs.loc[1, "scenario"]) & (ts["run_id"] != failed_id)
            & (ts["day"] == 5)]
    row = band[(band["group"] == 0) & (band["day"] == 5)].iloc[0]
    assert row["n"] == 2 and row["mean"] == pytest.approx(ok["satisfaction"].mean())


def test_report_is_one_self_contained_file(with_failure):
    folder, _ = with_failure
    path = write_report(folder)
    assert path == folder / "report.html"
    html = path.read_text(encoding="utf-8")
    assert html.count('<img src="data:image/png;base64,') == len(TIMESERIES_METRICS) + len(
        KEY_OUTCOMES) + 1  # one figure per time series and per outcome compared, cost–outcome
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*https?://""", html, re.I)
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert "Two &lt;scenarios&gt; &amp; friends" in html and "<scenarios>" not in html
    assert "1 run failed" in html
    assert "RuntimeError: &lt;boom&gt; &amp; bust" in html
    assert "<details>" in html and json.loads(
        (folder / "manifest.json").read_text())["experiment"]["title"] in html.replace(
        "&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert (folder / "plots").is_dir()  # drawn because they were missing


def test_cli_plot_and_report(sweeps, capsys):
    folder = sweeps[0]["scen"]
    assert main(["plot", str(folder)]) == 0
    assert "compare-satisfaction.png" in capsys.readouterr().out
    assert main(["report", str(folder)]) == 0
    assert (folder / "report.html").exists()
    assert main(["plot", str(folder / "nowhere")]) == 2
