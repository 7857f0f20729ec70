"""Plots of a sweep's results folder: time series with confidence bands, box plots, heatmaps, and
outcome against social cost (``cogov compare``'s cost–outcome plot).

A Python API first (``cogov plot DIR`` is a thin layer over it)::

    from cogov.experiments.plots import plot_results

    paths = plot_results("results/burden")                    # PNGs in results/burden/plots/
    paths, data = plot_results("results/burden", return_data=True)
    data["compare-satisfaction"]                              # what that plot drew

Groups. A group is a scenario, or a scenario and a parameter point when the experiment swept
parameters; its runs are the replicates. Failed runs are left out everywhere (and counted in each
plot's footnote). Intervals are 95% Student-t intervals of the mean over replicates.

Every drawing function returns a small DataFrame of exactly what it drew, so tests (and readers)
can check the content of a plot rather than its pixels.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from cogov.model import catalogue  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from .equal_cost import SUFFIX, base_name, plot_cost_outcome  # noqa: E402
from .statistics import LEVEL, half_width, mean_ci  # noqa: E402, F401 — mean_ci re-exported

PLOTS_DIR = "plots"
#: Daily metrics drawn over time (skipped when the time series lacks them) and the run outcomes
#: compared across groups (box plots, heatmaps, report tables): the catalogue's.
TIMESERIES_METRICS = catalogue.TIMESERIES_OUTCOMES
KEY_OUTCOMES = catalogue.KEY_OUTCOMES
#: The cost–outcome plot (``cost-outcome.png``, as ``cogov compare`` draws it): social cost per
#: resident and year, and the outcomes it is drawn against.
COST_PLOT = "cost-outcome"
COST_OUTCOMES = ("social_cost_per_resident_year", "resolution_rate", "satisfaction")
#: At most this many groups per time-series panel, and boxes per box plot.
MAX_LINES = 8
MAX_BOXES = 40
JITTER_SEED = 0
DPI = 110


def format_value(key: str, value: float, extra_digits: int = 0) -> str:
    """A metric's value as the catalogue formats it: shares in %, others to its precision."""
    return catalogue.metric(key).format(value, extra_digits)


def extra_digits_for(metric: str, values: np.ndarray | pd.Series, most: int = 2) -> int:
    """Digits to add so that values which differ do not print the same (up to ``most``)."""
    x = np.asarray(values, dtype=float)
    x = np.unique(x[np.isfinite(x)])
    for extra in range(most + 1):
        if len({format_value(metric, v, extra) for v in x}) == len(x):
            return extra
    return most


# --- reading a results folder ----------------------------------------------------------------


@dataclass
class Results:
    """A sweep's results folder, read once: runs, groups, the ok runs' time series."""

    root: Path
    manifest: dict[str, Any]
    parameters: list[str]
    runs: pd.DataFrame  # every run, failed ones included
    ok: pd.DataFrame  # the successful runs, with a ``group`` column
    groups: pd.DataFrame  # one row per group: group, scenario, point_id, parameters, labels
    titles: dict[str, tuple[str, str]]  # scenario -> (title_zh, title_en)
    cjk: str | None  # a font that draws Chinese, if any

    @property
    def failed(self) -> pd.DataFrame:
        return self.runs[self.runs["status"] != "ok"]

    @property
    def title(self) -> str:
        return str(self.manifest.get("experiment", {}).get("title") or self.root.name)

    def timeseries(self, metrics: list[str] | tuple[str, ...]) -> pd.DataFrame | None:
        """The ok runs' daily values of ``metrics`` (those present), or None without any."""
        folder = self.root / "timeseries"
        if not folder.is_dir() or not any(folder.glob("*.parquet")):
            return None
        import pyarrow.dataset as ds

        names = set(ds.dataset(folder, format="parquet").schema.names)
        wanted = [m for m in metrics if m in names]
        if "day" not in names or not wanted:
            return None
        ts = pd.read_parquet(folder, columns=["run_id", "day", *wanted])
        ts = ts.merge(self.ok[["run_id", "group"]], on="run_id", how="inner")
        return ts.sort_values(["group", "run_id", "day"], kind="stable").reset_index(drop=True)


def _read_runs(root: Path) -> pd.DataFrame:
    if (root / "runs.parquet").exists():
        return pd.read_parquet(root / "runs.parquet")
    parts = sorted((root / "runs").glob("part-*.parquet"))  # a sweep still running or crashed
    if not parts:
        raise FileNotFoundError(f"{root}: no runs.parquet (is this a sweep's results folder?)")
    table = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    return table.drop_duplicates("run_id", keep="last").reset_index(drop=True)


def _scenario_titles(manifest: dict[str, Any], names: list[str]) -> dict[str, tuple[str, str]]:
    """(title_zh, title_en) of each scenario, from its file when it can still be loaded."""
    from cogov.model.loading import load_scenario

    titles: dict[str, tuple[str, str]] = {}
    for ref in list(manifest.get("scenarios", [])) + names:
        try:
            resolved = load_scenario(ref)
        except Exception:  # noqa: BLE001 — a moved or renamed file only costs the titles
            continue
        titles.setdefault(resolved.name, (resolved.config.title_zh, resolved.config.title_en))
    return titles


def _short_keys(keys: list[str]) -> dict[str, str]:
    """The shortest dotted suffix of each key that is still unique among the keys."""
    short = {}
    for key in keys:
        parts = key.split(".")
        for n in range(1, len(parts) + 1):
            candidate = ".".join(parts[-n:])
            if sum(k == candidate or k.endswith("." + candidate) for k in keys) == 1:
                break
        short[key] = candidate
    return short


def format_param(value: Any) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):g}"
    return str(value)


def load_results(results_dir: str | Path) -> Results:
    from .dashboard import cjk_font

    root = Path(results_dir)
    manifest_path = root / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() \
        else {}
    runs = _read_runs(root)
    parameters = [p for p in manifest.get("parameters", []) if p in runs.columns]
    scenarios = list(dict.fromkeys(runs["scenario"]))
    titles = _scenario_titles(manifest, scenarios)
    cjk = cjk_font()

    keys = ["scenario", "point_id"]
    groups = runs.drop_duplicates(keys)[keys + parameters].reset_index(drop=True)
    groups.insert(0, "group", np.arange(len(groups)))
    short = _short_keys(parameters)
    # An equal-cost group is named by the scenario it was made from, then " · equal cost" last,
    # so that its label leads back to the nominal group's (equal_cost.base_name).
    bases = [base_name(s) for s in groups["scenario"]]
    plain = [(titles.get(b, ("", ""))[0] or b) if cjk else b for b in bases]
    suffix = ["" if s == b else SUFFIX for s, b in zip(groups["scenario"], bases, strict=True)]
    groups["scenario_label"] = [p + x for p, x in zip(plain, suffix, strict=True)]
    groups["point_label"] = [
        ", ".join(f"{short[p]}={format_param(row[p])}" for p in parameters)
        for _, row in groups.iterrows()]
    if not parameters:
        groups["label"] = groups["scenario_label"]
    elif len(scenarios) == 1:
        groups["label"] = groups["point_label"]
    else:
        groups["label"] = [f"{p} · {point}{x}" for p, point, x in
                           zip(plain, groups["point_label"], suffix, strict=True)]

    ok = runs[runs["status"] == "ok"].merge(groups[["group", *keys]], on=keys, how="left")
    return Results(root, manifest, parameters, runs, ok.reset_index(drop=True), groups, titles,
                   cjk)


# --- statistics --------------------------------------------------------------------------------


def summarize_groups(res: Results, metrics: list[str] | tuple[str, ...] = KEY_OUTCOMES,
                     ) -> pd.DataFrame:
    """Per group × metric: mean, 95% interval and n over the ok replicates (a tidy table)."""
    rows = []
    for metric in metrics:
        if metric not in res.ok.columns:
            continue
        for g, part in res.ok.groupby("group", sort=True):
            mean, low, high, n = mean_ci(part[metric])
            rows.append({"group": g, "metric": metric, "mean": mean, "ci_low": low,
                         "ci_high": high, "n": n})
    out = pd.DataFrame(rows, columns=["group", "metric", "mean", "ci_low", "ci_high", "n"])
    return res.groups.merge(out, on="group", how="inner")


def tidy_summary(res: Results, metrics: list[str] | tuple[str, ...] = KEY_OUTCOMES,
                 names: str = "label") -> pd.DataFrame:
    """:func:`summarize_groups` in the shape of ``cogov compare``'s summary — one row per group
    and metric, the group named in ``scenario`` by its ``label`` (or another column of the
    groups) — so that compare's table, leads and cost–outcome plot read a sweep's results
    too."""
    summary = summarize_groups(res, metrics)
    summary = summary.assign(scenario=summary[names])
    return summary[["scenario", "point_id", "metric", "mean", "ci_low", "ci_high", "n"]]


def _band(ts: pd.DataFrame, metric: str, level: float = LEVEL) -> pd.DataFrame:
    """Per group and day: mean over runs and the Student-t interval."""
    agg = ts.groupby(["group", "day"], sort=True)[metric].agg(["mean", "std", "count"])
    agg = agg.reset_index().rename(columns={"count": "n"})
    half = half_width(agg["std"].to_numpy(), agg["n"].to_numpy(), level)
    agg["ci_low"] = agg["mean"] - half
    agg["ci_high"] = agg["mean"] + half
    return agg.drop(columns="std")


def spread_pick(order_values: pd.Series, k: int) -> list[Any]:
    """``k`` index labels of ``order_values`` spread evenly over its sorted range (the extremes
    always among them): the most different groups, not the first ones."""
    if len(order_values) <= k:
        return list(order_values.index)
    ranked = order_values.sort_values(kind="stable")
    picks = np.unique(np.linspace(0, len(ranked) - 1, k).round().astype(int))
    return sorted(ranked.index[picks])


# --- drawing -------------------------------------------------------------------------------------


def _rc(res: Results) -> dict[str, Any]:
    fonts = [res.cjk, "DejaVu Sans"] if res.cjk else ["DejaVu Sans"]
    return {"font.family": ["sans-serif"], "font.sans-serif": fonts, "axes.titlesize": 10,
            "axes.labelsize": 9, "xtick.labelsize": 8, "ytick.labelsize": 8,
            "legend.fontsize": 8, "axes.spines.top": False, "axes.spines.right": False,
            "axes.grid": True, "grid.alpha": 0.25}


def _footnote(res: Results, text: str) -> str:
    parts = [res.title, text]
    n_failed = len(res.failed)
    if n_failed:
        parts.append(f"{n_failed} failed run{'s' if n_failed != 1 else ''} excluded")
    return "  ·  ".join(p for p in parts if p)


def _finish(fig: plt.Figure, title: str, note: str, path: Path) -> Path:
    fig.suptitle(title, fontsize=13)
    width_chars = int(fig.get_figwidth() * 15)  # about 15 characters an inch at 8 pt
    lines = textwrap.wrap(note, width_chars) or [""]
    fig.text(0.5, 0.008, "\n".join(lines), ha="center", va="bottom", fontsize=8, color="0.35")
    bottom = (0.16 + 0.14 * len(lines)) / fig.get_figheight()
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def _replicates(counts: pd.Series) -> str:
    """'3 replicates', or '2–3 replicates' when failures left some groups short."""
    low, high = (int(counts.min()), int(counts.max())) if len(counts) else (0, 0)
    return f"{low if low == high else f'{low}–{high}'} replicate{'s' if high != 1 else ''}"


def _share_axis(axis: Any, metric: str) -> None:
    if catalogue.metric(metric).percent:
        axis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=None))


def _colors(n: int) -> list[Any]:
    cmap = matplotlib.colormaps["tab10"]
    return [cmap(i % 10) for i in range(n)]


def plot_timeseries(res: Results, ts: pd.DataFrame, metric: str, path: Path) -> pd.DataFrame:
    """Mean over replicates per group and day with a 95% band. One panel, or one per scenario
    when parameters were swept over several scenarios; at most ``MAX_LINES`` groups a panel
    (the most different by their last day's mean). Returns the drawn bands: panel, group, label,
    day, mean, ci_low, ci_high, n."""
    band = _band(ts[["group", "day", metric]].dropna(), metric)
    band = band.merge(res.groups[["group", "scenario", "scenario_label", "point_label", "label"]],
                      on="group")
    facet = bool(res.parameters) and band["scenario"].nunique() > 1
    band["panel"] = band["scenario_label"] if facet else ""
    panels = list(dict.fromkeys(band["panel"]))
    shown = []
    hidden = 0
    for panel in panels:
        part = band[band["panel"] == panel]
        last = part[part["day"] == part.groupby("group")["day"].transform("max")]
        keep = spread_pick(last.set_index("group")["mean"], MAX_LINES)
        hidden += part["group"].nunique() - len(keep)
        shown.append(part[part["group"].isin(keep)])
    drawn = pd.concat(shown, ignore_index=True)

    ncols = min(3, len(panels))
    nrows = -(-len(panels) // ncols)
    width = 10.5 if ncols == 1 else 5.2 * ncols
    with plt.rc_context(_rc(res)):
        height = 4.6 if not facet else 5.4 * nrows
        fig, axes = plt.subplots(nrows, ncols, figsize=(width, height),
                                 squeeze=False, sharey=True, layout="constrained")
        for ax, panel in zip(axes.flat, panels, strict=False):
            part = drawn[drawn["panel"] == panel]
            group_ids = list(dict.fromkeys(part["group"]))
            for color, g in zip(_colors(len(group_ids)), group_ids, strict=True):
                line = part[part["group"] == g]
                label = line["point_label"].iloc[0] if facet else line["label"].iloc[0]
                ax.plot(line["day"], line["mean"], color=color, linewidth=1.6, label=label)
                if line["ci_low"].notna().any():
                    low, high = line["ci_low"], line["ci_high"]
                    if catalogue.metric(metric).percent:  # a share's band stays within 0–100%
                        low, high = low.clip(0, 1), high.clip(0, 1)
                    ax.fill_between(line["day"], low, high, color=color, alpha=0.18,
                                    linewidth=0)
            if facet:
                ax.set_title(panel)
            elif res.parameters:  # one scenario, many points
                ax.set_title(part["scenario_label"].iloc[0])
            ax.set_xlabel("day")
            _share_axis(ax.yaxis, metric)
            ax.margins(x=0)
            if facet:  # beneath its panel, so that it hides no line
                ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2,
                          frameon=False)
            elif len(group_ids) > 1:
                ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        for ax in list(axes.flat)[len(panels):]:
            ax.set_visible(False)
        for ax in axes[:, 0]:
            ax.set_ylabel(metric)
        note = f"mean of {_replicates(drawn.groupby('group')['n'].max())} per group; " \
               "shaded: 95% CI (Student t)"
        if hidden:
            note += f"; {hidden} group{'s' if hidden != 1 else ''} not drawn (the " \
                    f"{MAX_LINES} most different by their last day are)"
        _finish(fig, catalogue.metric(metric).title(), _footnote(res, note), path)
    drawn = drawn[["panel", "group", "label", "day", "mean", "ci_low", "ci_high", "n"]]
    drawn.attrs["groups_not_drawn"] = hidden
    return drawn


def plot_compare(res: Results, metric: str, path: Path) -> pd.DataFrame:
    """A horizontal box per group with each replicate as a jittered point (fixed-seed jitter);
    boxes coloured by scenario. Returns one row per drawn run: group, label, run_id, replicate,
    seed, value, y (the box's position)."""
    data = res.ok[["group", "scenario", "run_id", "replicate", "seed", metric]]
    data = data.dropna(subset=[metric]).rename(columns={metric: "value"})
    data = data.merge(res.groups[["group", "label"]], on="group")
    means = data.groupby("group")["value"].mean()
    keep = spread_pick(means, MAX_BOXES)
    hidden = len(means) - len(keep)
    data = data[data["group"].isin(keep)]
    order = sorted(keep)
    position = {g: len(order) - i for i, g in enumerate(order)}  # first group on top
    data = data.assign(y=data["group"].map(position)).reset_index(drop=True)
    scenarios = list(dict.fromkeys(res.groups["scenario"]))
    scenario_color = dict(zip(scenarios, _colors(len(scenarios)), strict=True))
    labels = res.groups.set_index("group")["label"]
    rng = np.random.default_rng(JITTER_SEED)

    with plt.rc_context(_rc(res)):
        longest = max(len(str(labels[g])) for g in order)
        height = max(3.2, 0.42 * len(order) + 1.6)
        fig, ax = plt.subplots(figsize=(min(13.0, 7.5 + 0.06 * longest), height),
                               layout="constrained")
        values = [data.loc[data["group"] == g, "value"].to_numpy() for g in order]
        boxes = ax.boxplot(values, positions=[position[g] for g in order],
                           tick_labels=[labels[g] for g in order], orientation="horizontal",
                           widths=0.55, patch_artist=True, showfliers=False,
                           medianprops={"color": "0.15", "linewidth": 1.4})
        group_scenario = res.groups.set_index("group")["scenario"]
        for patch, g in zip(boxes["boxes"], order, strict=True):
            patch.set_facecolor(scenario_color[group_scenario[g]])
            patch.set_alpha(0.35)
        jitter = rng.uniform(-0.16, 0.16, size=len(data))
        ax.scatter(data["value"], data["y"] + jitter, s=14, color="0.15", alpha=0.75, zorder=3,
                   linewidths=0)
        ax.set_xlabel(metric)
        _share_axis(ax.xaxis, metric)
        ax.grid(axis="y", visible=False)
        note = f"box: quartiles and median; points: each group's " \
               f"{_replicates(data.groupby('group').size())} (one value each)"
        if hidden:
            note += f"; {hidden} groups not drawn (the {MAX_BOXES} most different by mean are)"
        _finish(fig, catalogue.metric(metric).title(), _footnote(res, note), path)
    return data[["group", "label", "run_id", "replicate", "seed", "value", "y"]]


def grid_axes(res: Results) -> tuple[str, str, list[Any], list[Any]] | None:
    """The two swept parameters and their values when every scenario's points form a full
    two-way grid; otherwise None (no heatmap)."""
    if len(res.parameters) != 2:
        return None
    px, py = res.parameters
    xs, ys = list(pd.unique(res.groups[px])), list(pd.unique(res.groups[py]))
    if len(xs) < 2 and len(ys) < 2:
        return None
    for _, part in res.groups.groupby("scenario", sort=False):
        cells = set(zip(part[px], part[py], strict=True))
        if len(part) != len(xs) * len(ys) or cells != {(x, y) for x in xs for y in ys}:
            return None
    return px, py, xs, ys


def plot_heatmap(res: Results, metric: str, path: Path) -> pd.DataFrame | None:
    """Mean of ``metric`` over replicates on the two-parameter grid, annotated, one panel per
    scenario on a shared colour scale. Returns scenario, both parameters, mean, n per cell; None
    when the design is not a two-parameter grid."""
    axes_ = grid_axes(res)
    if axes_ is None:
        return None
    px, py, xs, ys = axes_
    summary = summarize_groups(res, [metric])
    cells = summary[["scenario", "scenario_label", px, py, "mean", "n"]].reset_index(drop=True)
    if cells["mean"].notna().sum() == 0:
        return None
    scenarios = list(dict.fromkeys(res.groups["scenario"]))
    short = _short_keys([px, py])
    vmin, vmax = np.nanmin(cells["mean"]), np.nanmax(cells["mean"])
    if vmin == vmax:
        vmin, vmax = vmin - 0.5 * (abs(vmin) or 1), vmax + 0.5 * (abs(vmax) or 1)
    cmap = matplotlib.colormaps["viridis"]
    ncols = min(3, len(scenarios))
    nrows = -(-len(scenarios) // ncols)
    extra = extra_digits_for(metric, cells["mean"])
    cell_w = max(0.9, 0.55 + 0.08 * max(len(format_value(metric, v, extra))
                                        for v in cells["mean"]))
    pw = max(3.8, cell_w * len(xs) + 1.6)
    ph = max(3.0, 0.6 * len(ys) + 1.6)
    with plt.rc_context(_rc(res) | {"axes.grid": False}):
        fig, axes = plt.subplots(nrows, ncols, figsize=(pw * ncols + 1.2, ph * nrows),
                                 squeeze=False, layout="constrained")
        image = None
        for ax, scenario in zip(axes.flat, scenarios, strict=False):
            part = cells[cells["scenario"] == scenario]
            grid = np.full((len(ys), len(xs)), np.nan)
            for _, row in part.iterrows():
                grid[ys.index(row[py]), xs.index(row[px])] = row["mean"]
            image = ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap, vmin=vmin,
                              vmax=vmax)
            for i in range(len(ys)):
                for j in range(len(xs)):
                    v = grid[i, j]
                    shade = (v - vmin) / (vmax - vmin) if np.isfinite(v) else 0.0
                    ax.text(j, i, format_value(metric, v, extra), ha="center", va="center",
                            fontsize=8, color="black" if shade > 0.55 else "white")
            ax.set_xticks(range(len(xs)), [format_param(x) for x in xs])
            ax.set_yticks(range(len(ys)), [format_param(y) for y in ys])
            ax.set_xlabel(px, fontsize=8)
            ax.set_ylabel(py, fontsize=8)
            ax.set_title(part["scenario_label"].iloc[0] if len(part) else scenario)
            ax.spines[:].set_visible(False)
        for ax in list(axes.flat)[len(scenarios):]:
            ax.set_visible(False)
        if image is not None:
            bar = fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.9, pad=0.02)
            bar.set_label(metric)
            _share_axis(bar.ax.yaxis, metric)
        note = f"cell: mean over {_replicates(cells['n'])} at " \
               f"{short[px]} × {short[py]}"
        _finish(fig, catalogue.metric(metric).title(), _footnote(res, note), path)
    return cells.drop(columns="scenario_label")


# --- everything at once --------------------------------------------------------------------------


@overload
def plot_results(results_dir: str | Path, out_dir: str | Path | None = None, *,
                 return_data: Literal[False] = False) -> list[Path]: ...
@overload
def plot_results(results_dir: str | Path, out_dir: str | Path | None = None, *,
                 return_data: Literal[True]) -> tuple[list[Path], dict[str, pd.DataFrame]]: ...
def plot_results(results_dir: str | Path, out_dir: str | Path | None = None, *,
                 return_data: bool = False,
                 ) -> list[Path] | tuple[list[Path], dict[str, pd.DataFrame]]:
    """Write the PNGs of a sweep's results folder into ``out_dir`` (``results_dir/plots`` by
    default) and return their paths: ``timeseries-<metric>``, ``compare-<metric>``, for a
    two-parameter grid ``heatmap-<metric>``, and ``cost-outcome`` when the runs priced their
    means. With ``return_data`` also return, per file stem,
    the DataFrame of what that plot drew."""
    res = load_results(results_dir)
    out = Path(out_dir) if out_dir is not None else res.root / PLOTS_DIR
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    data: dict[str, pd.DataFrame] = {}

    def keep(stem: str, drawn: pd.DataFrame | None) -> None:
        if drawn is not None:
            paths.append(out / f"{stem}.png")
            data[stem] = drawn

    if len(res.ok):
        ts = res.timeseries(TIMESERIES_METRICS)
        if ts is not None:
            for metric in TIMESERIES_METRICS:
                if metric in ts.columns and ts[metric].notna().any():
                    stem = f"timeseries-{metric}"
                    keep(stem, plot_timeseries(res, ts, metric, out / f"{stem}.png"))
        outcomes = [m for m in KEY_OUTCOMES if m in res.ok.columns and res.ok[m].notna().any()]
        for metric in outcomes:
            stem = f"compare-{metric}"
            keep(stem, plot_compare(res, metric, out / f"{stem}.png"))
        if grid_axes(res) is not None:
            for metric in outcomes:
                stem = f"heatmap-{metric}"
                keep(stem, plot_heatmap(res, metric, out / f"{stem}.png"))
        if has_cost(res):
            keep(COST_PLOT, plot_cost_outcome(tidy_summary(res, COST_OUTCOMES),
                                              out / f"{COST_PLOT}.png"))
    return (paths, data) if return_data else paths


def has_cost(res: Results) -> bool:
    """Whether the runs priced their means (a cost–outcome plot can be drawn)."""
    return COST_OUTCOMES[0] in res.ok.columns and res.ok[COST_OUTCOMES[0]].notna().any()
