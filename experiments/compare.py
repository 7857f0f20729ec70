"""Scenarios side by side: every scenario × replicate seeds, summaries with 95% intervals, a plot.

A Python API first, the ``cogov compare`` command a thin layer over it::

    from cogov.experiments.compare import compare, summarize, plot

    runs = compare(["one-core-four-element", "government-led"], replicates=10)
    summary = summarize(runs)            # tidy: scenario × metric → mean, sd, n, ci_low, ci_high
    plot(summary, "comparison.png", runs=runs)

Replicate ``i`` of root seed ``R`` runs with seed
``SeedSequence(R, spawn_key=(i,)).generate_state(1)[0]``, so adding replicates never changes the
old ones. The runs go through :class:`cogov.experiments.batch.Batch`, one call of
:func:`cogov.experiments.runner.run` each; the runs table is sorted by scenario (in the order
given) and replicate, so it is the same whether the runs went through a process pool or one
after another.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from cogov.model import catalogue
from cogov.model.catalogue import Metric
from cogov.model.loading import ScenarioError, find_scenario, load_scenario, scenario_names

from .batch import Batch
from .equal_cost import (
    COST,
    EQUAL_COST_RULE,
    STEPS,
    base_name,
    equal_cost_name,
    equalise,
    plot_cost_outcome,
    scaled_overrides,
)
from .runner import RESIDENT_AGENTS, RunResult, RunTask, replicate_seed

#: The baselines the source documents contrast governance models with (drawn in grey).
BASELINES = ("government-led", "fragmented", "market-led", "campaign", "elite-capture",
             "control-reactive")  # B1–B5 of the mechanism catalogue and the campaign contrast
FLAGSHIP = "one-core-four-element"


#: An outcome is a metric of the catalogue (names, unit, format: ``cogov.model.catalogue``).
Outcome = Metric
#: The key outcomes: one panel each in the plot, one column each in the printed table.
KEY_OUTCOMES: tuple[Metric, ...] = tuple(catalogue.metric(key) for key in catalogue.KEY_OUTCOMES)

NOT_METRICS = ("scenario", "replicate", "seed", "cost_scale")


# --- planning: everything is validated before anything runs ----------------------------------


@dataclass
class Entry:
    name: str  # label in tables and plots: the file's stem
    ref: str  # what the worker loads: a shipped name or an absolute path
    title_zh: str
    title_en: str
    digest: str
    days: int
    config: Any = field(default=None, repr=False)  # resolved with the plan's overrides


@dataclass
class Plan:
    entries: list[Entry]
    replicates: int
    root_seed: int
    seeds: list[int]
    days: int | None
    residents: int | None
    overrides: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    dropped: dict[str, list[str]] = field(default_factory=dict)  # beyond a shorter --days
    equal_cost: bool = False  # also run every other scenario at the first one's social cost
    scales: dict[str, dict[str, float]] = field(default_factory=dict)  # equal cost: k, ratio
    events: tuple[str, ...] = ()  # ``--event`` texts added to every scenario's timeline

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.entries]

    def tasks(self, scales: dict[int, float] | None = None) -> list[RunTask]:
        """One task per scenario and replicate, keyed by their positions (the table's order);
        with ``scales``, only those scenarios, their paid means scaled (equal cost)."""
        def overrides(k: int) -> dict[str, Any]:
            if scales is None:
                return self.overrides
            return {**self.overrides, **scaled_overrides(self.entries[k].config, scales[k])}

        chosen = range(len(self.entries)) if scales is None else sorted(scales)
        return [RunTask(self.entries[k].ref, seed, self.days, self.residents, overrides(k),
                        events=self.events,
                        timeseries=False, key=(k, i))
                for k in chosen for i, seed in enumerate(self.seeds)]


def prepare(scenarios: Iterable[str | Path], replicates: int = 10, root_seed: int = 0,
            days: int | None = None, residents: int | None = None,
            overrides: dict[str, Any] | None = None, equal_cost: bool = False,
            events: Iterable[str] = ()) -> Plan:
    """Resolve and validate every scenario with the overrides and ``--event`` texts; raise
    ScenarioError on a mistake."""
    from cogov.model.footprint import require_fits
    from cogov.model.structure import scale_to_residents

    refs = [str(s) for s in scenarios]
    if not refs:
        raise ScenarioError("compare: name at least one scenario, or pass --all")
    if replicates < 1:
        raise ScenarioError(f"compare: replicates must be >= 1 (got {replicates})")
    if root_seed < 0:
        raise ScenarioError(f"compare: the root seed must be >= 0 (got {root_seed})")
    if residents is not None and residents < 1:
        raise ScenarioError(f"compare: residents must be >= 1 (got {residents})")
    over = dict(overrides or {})
    if days is not None and days < 1:
        raise ScenarioError(f"compare: days must be >= 1 (got {days})")
    entries: list[Entry] = []
    dropped: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    for ref in refs:
        path = find_scenario(ref)
        resolved = load_scenario(ref, over, horizon=days, events=tuple(events))
        if resolved.name in seen:
            if Path(seen[resolved.name]).resolve() == path.resolve():
                continue  # named twice: run once
            raise ScenarioError(f"compare: two scenarios are called '{resolved.name}' "
                                f"({seen[resolved.name]} and {path}); rename one")
        seen[resolved.name] = str(path)
        if resolved.dropped:
            dropped[resolved.name] = resolved.dropped
        require_fits(resolved.config, RESIDENT_AGENTS, where=str(path), residents=residents)
        if residents is not None:
            scale_to_residents(resolved.config, residents)  # a size it cannot reach fails here
        shipped = path.resolve().parent == find_scenario(FLAGSHIP).resolve().parent
        entries.append(Entry(resolved.name, resolved.name if shipped else str(path.resolve()),
                             resolved.config.title_zh, resolved.config.title_en,
                             resolved.digest, resolved.config.days, resolved.config))
    if equal_cost and len(entries) < 2:
        raise ScenarioError("compare: --equal-cost needs at least two scenarios (the first is "
                            "the reference whose cost the others are given)")
    seeds = [replicate_seed(root_seed, i) for i in range(replicates)]
    return Plan(entries, replicates, root_seed, seeds, days, residents, over, dropped=dropped,
                equal_cost=equal_cost, events=tuple(events))


# --- running ----------------------------------------------------------------------------------


def _row(plan: Plan, result: RunResult, scale: float | None = None) -> dict[str, Any]:
    """The run's row of the runs table: scenario, replicate and seed, then its summary; an
    equal-cost run is named ``NAME · equal cost`` and carries its scale."""
    k, replicate = result.task.key
    name = plan.entries[k].name
    out = {"scenario": name if scale is None else equal_cost_name(name),
           "replicate": replicate, "seed": result.task.seed}
    out.update((key, v) for key, v in result.summary.items() if key not in out)
    if plan.equal_cost:
        out["cost_scale"] = 1.0 if scale is None else scale
    return out


def _equalise(plan: Plan, batch: Batch, nominal: list[RunResult], progress: bool
              ) -> tuple[list[RunResult], dict[int, float]]:
    """Rescale every scenario but the first to the first one's mean social cost (the rule and
    its fixed point: :func:`cogov.experiments.equal_cost.equalise`); returns the last runs and
    their scales."""
    def mean_cost(results: list[RunResult]) -> dict[int, float]:
        costs: dict[int, list[float]] = {}
        for r in results:
            if COST not in r.summary:
                raise ScenarioError(f"compare: --equal-cost needs '{COST}' in the run summary")
            costs.setdefault(r.task.key[0], []).append(float(r.summary[COST]))
        return {k: float(np.mean(v)) for k, v in costs.items()}

    last: list[RunResult] = []

    def measure(scales: dict[int, float], step: int) -> dict[int, float]:
        last[:] = batch.run(plan.tasks(scales), desc=f"equal cost {step + 1}/{STEPS}",
                            progress=progress, leave=False)
        return mean_cost(last)

    cost = mean_cost(nominal)
    others = range(1, len(plan.entries))
    found = equalise({k: cost[0] for k in others}, cost, measure)
    plan.scales = {plan.entries[k].name: s for k, s in found.items()}
    return last, {k: s["scale"] for k, s in found.items()}


def execute(plan: Plan, workers: int = 1, progress: bool = True) -> pd.DataFrame:
    """Run a plan; one row per run, sorted by scenario (as planned) and replicate; with equal
    cost, then the rescaled runs of every scenario but the first, in the same order."""
    tasks = plan.tasks()
    workers = max(1, min(workers, len(tasks)))
    t0 = time.perf_counter()
    with Batch(workers) as batch:
        results = list(batch.run(tasks, desc="compare", progress=progress, leave=False))
        results.sort(key=lambda r: r.task.key)
        rows = [_row(plan, r) for r in results]
        if plan.equal_cost:
            equal, scales = _equalise(plan, batch, results, progress)
            equal.sort(key=lambda r: r.task.key)
            rows += [_row(plan, r, scales[r.task.key[0]]) for r in equal]
            results += equal
    seconds = [r.seconds for r in results]
    runs = pd.DataFrame(rows)
    plan.timings = {"total": round(time.perf_counter() - t0, 3),
                    "runs_sum": round(sum(seconds), 3),
                    "per_run_mean": round(sum(seconds) / len(seconds), 4),
                    "workers": workers}
    return runs


def compare(scenarios: Iterable[str | Path], replicates: int = 10, root_seed: int = 0,
            days: int | None = None, residents: int | None = None,
            overrides: dict[str, Any] | None = None, workers: int = 1,
            progress: bool = True, equal_cost: bool = False,
            events: Iterable[str] = ()) -> pd.DataFrame:
    """Run every scenario × ``replicates`` seeds; one row per run with all summary metrics
    (with ``equal_cost``, also every scenario but the first at the first one's social cost)."""
    plan = prepare(scenarios, replicates, root_seed, days, residents, overrides, equal_cost,
                   events)
    return execute(plan, workers, progress)


# --- summarizing ------------------------------------------------------------------------------


def metric_columns(runs: pd.DataFrame) -> list[str]:
    return [c for c in runs.columns
            if c not in NOT_METRICS and pd.api.types.is_numeric_dtype(runs[c])]


def summarize(runs: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per scenario × metric: mean, sd, n and a Student-t interval (a long, tidy table)."""
    from .statistics import half_width

    out = []
    metrics = metric_columns(runs)
    for name, group in runs.groupby("scenario", sort=False):
        for metric in metrics:
            values = group[metric].dropna().to_numpy(dtype=float)
            n = values.size
            mean = float(values.mean()) if n else float("nan")
            sd = float(values.std(ddof=1)) if n > 1 else float("nan")
            if n > 1:
                half = float(half_width(sd, n, level))
                low, high = mean - half, mean + half
            else:
                low = high = float("nan")
            out.append({"scenario": name, "metric": metric, "mean": mean, "sd": sd, "n": n,
                        "ci_low": low, "ci_high": high})
    return pd.DataFrame(out, columns=["scenario", "metric", "mean", "sd", "n", "ci_low",
                                      "ci_high"])


def is_baseline(name: str) -> bool:
    return base_name(name) in BASELINES


def display_order(names: Sequence[str]) -> list[str]:
    """The flagship first, then the other models as given, then the baselines (each followed by
    its equal-cost run)."""
    names = list(dict.fromkeys(names))
    firsts = list(dict.fromkeys(base_name(n) for n in names))
    models = [n for n in firsts if n not in BASELINES]
    if FLAGSHIP in models:
        models.remove(FLAGSHIP)
        models.insert(0, FLAGSHIP)
    order = models + [n for n in firsts if n in BASELINES]
    return [n for base in order for n in names if base_name(n) == base]


def _cell(outcome: Outcome, mean: float, low: float, high: float) -> str:
    scale = 100.0 if outcome.percent else 1.0
    half = (high - low) / 2 * scale
    if np.isnan(half):
        return f"{mean * scale:.{outcome.decimals}f}"
    return f"{mean * scale:.{outcome.decimals}f}±{half:.{outcome.decimals}f}"


def format_table(summary: pd.DataFrame, outcomes: Sequence[Outcome] = KEY_OUTCOMES,
                 width: int = 100, name_width: int = 24) -> str:
    """Rows scenarios, columns outcomes as mean ± half-width of the interval, split to fit."""
    order = display_order(summary["scenario"])
    cells = summary.set_index(["scenario", "metric"])
    table = {(name, o.key): _cell(o, *cells.loc[(name, o.key), ["mean", "ci_low", "ci_high"]])
             for name in order for o in outcomes if (name, o.key) in cells.index}
    names = {n: n if len(n) <= name_width else n[:name_width - 1] + "…" for n in order}
    nw = max(len("scenario"), *(len(v) for v in names.values()))
    col = {o.key: max(len(o.header), *(len(table.get((n, o.key), "")) for n in order))
           for o in outcomes}
    blocks, current, used = [], [], nw
    for o in outcomes:
        if current and used + 2 + col[o.key] > width:
            blocks.append(current)
            current, used = [], nw
        current.append(o)
        used += 2 + col[o.key]
    if current:
        blocks.append(current)
    lines: list[str] = []
    for block in blocks:
        if lines:
            lines.append("")
        lines.append(f"{'scenario':<{nw}}" + "".join(f"  {o.header:>{col[o.key]}}" for o in block))
        for n in order:
            if n == order[0] or (is_baseline(n) and not is_baseline(order[order.index(n) - 1])):
                lines.append("-" * (nw + sum(2 + col[o.key] for o in block)))
            lines.append(f"{names[n]:<{nw}}" + "".join(
                f"  {table.get((n, o.key), ''):>{col[o.key]}}" for o in block))
    n_rep = int(summary["n"].max()) if len(summary) else 0
    lines.append("")
    lines.append(f"mean ± half-width of the 95% confidence interval over {n_rep} replicate(s); "
                 "% columns are percentages")
    return "\n".join(lines)


# --- plotting ---------------------------------------------------------------------------------


def scenario_labels(names: Sequence[str], titles: dict[str, tuple[str, str]] | None = None,
                    ) -> dict[str, str]:
    """Chinese and English names when a CJK font is installed, otherwise the scenario name."""
    from .dashboard import cjk_font

    if not cjk_font():
        return {n: n for n in names}
    labels = {}
    for n in names:
        zh, en = (titles or {}).get(n, ("", ""))
        if not (zh or en) and n in scenario_names():
            cfg = load_scenario(n).config
            zh, en = cfg.title_zh, cfg.title_en
        labels[n] = "\n".join(t for t in (zh, en) if t) or n
    return labels


def plot(summary: pd.DataFrame, path: str | Path | None = None,
         runs: pd.DataFrame | None = None, titles: dict[str, tuple[str, str]] | None = None,
         outcomes: Sequence[Outcome] = KEY_OUTCOMES, note: str = ""):
    """A grid of panels, one per key outcome: mean and 95% interval per scenario (dot and
    whisker), replicate values as faint points when ``runs`` is given, baselines in grey.

    Returns the matplotlib Figure (closed); each panel's ``gid`` is its metric.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    from .dashboard import cjk_font

    order = display_order(summary["scenario"])
    labels = scenario_labels(order, titles)
    cells = summary.set_index(["scenario", "metric"])
    outcomes = [o for o in outcomes if o.key in set(summary["metric"])]
    y = {name: k for k, name in enumerate(order)}
    is_base = np.array([is_baseline(n) for n in order])
    model_colour = matplotlib.colormaps["tab10"](0)
    base_colour = "0.55"
    colours = [base_colour if b else model_colour for b in is_base]

    font = cjk_font()
    rc = {"font.family": ["sans-serif"],
          "font.sans-serif": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
          "axes.titlesize": 10, "xtick.labelsize": 8, "ytick.labelsize": 8}
    ncols = 4
    nrows = -(-(len(outcomes) + 1) // ncols)
    row_height = 0.34 if font else 0.24
    with plt.rc_context(rc):
        fig, axes = plt.subplots(nrows, ncols, sharey=True, constrained_layout=True,
                                 figsize=(4 * 3.3 + 3.2, nrows * (len(order) * row_height + 1.1)))
        axes = np.atleast_2d(axes)
        for ax, o in zip(axes.flat, outcomes, strict=False):
            mean = np.array([cells.loc[(n, o.key), "mean"] for n in order])
            low = np.array([cells.loc[(n, o.key), "ci_low"] for n in order])
            high = np.array([cells.loc[(n, o.key), "ci_high"] for n in order])
            # whiskers stay inside what the metric can be: shares in [0, 1], the rest >= 0
            low = np.clip(low, 0.0, None)
            high = np.clip(high, None, 1.0) if o.percent else high
            xerr = np.clip(np.nan_to_num(np.vstack([mean - low, high - mean])), 0.0, None)
            ys = np.arange(len(order))
            if runs is not None and o.key in runs:
                for n in order:
                    vals = runs.loc[runs["scenario"] == n, o.key].to_numpy(dtype=float)
                    jitter = np.linspace(-0.22, 0.22, vals.size) if vals.size > 1 else 0.0
                    ax.scatter(vals, y[n] + jitter, s=7, alpha=0.35, linewidths=0,
                               color=base_colour if is_baseline(n) else model_colour, zorder=2)
            for mask, colour in ((~is_base, model_colour), (is_base, base_colour)):
                if mask.any():
                    ax.errorbar(mean[mask], ys[mask], xerr=xerr[:, mask], fmt="o", ms=4.5,
                                color=colour, ecolor=colour, elinewidth=1.6, capsize=2.5,
                                zorder=3)
            if FLAGSHIP in y:
                ax.axvline(mean[y[FLAGSHIP]], color=model_colour, lw=0.8, ls=":", zorder=1)
            if is_base.any() and (~is_base).any():
                ax.axhline(int(np.argmax(is_base)) - 0.5, color="0.8", lw=0.8)
            ax.set_title(o.title())
            ax.set_gid(o.key)
            ax.grid(axis="x", color="0.92", lw=0.6)
            ax.set_axisbelow(True)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
            if o.percent:
                ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
            else:
                ax.ticklabel_format(axis="x", useOffset=False)
            ax.margins(x=0.08)
            lo, hi = ax.get_xlim()
            if hi - lo < 1e-9:  # every run gave the same value: show a readable range
                pad = 0.05 if o.percent else max(1.0, abs(lo) * 0.1)
                ax.set_xlim(lo - pad, hi + pad)
        first = axes[0, 0]
        first.set_yticks(np.arange(len(order)), [labels[n] for n in order])
        first.set_ylim(len(order) - 0.5, -0.5)
        for ax in axes[:, 0]:
            for tick, colour in zip(ax.get_yticklabels(), colours, strict=False):
                tick.set_color("0.35" if colour == base_colour else "black")
        for ax in axes.flat[len(outcomes):]:
            ax.axis("off")
        key = axes.flat[len(outcomes)] if len(outcomes) < axes.size else None
        if key is not None:
            handles = [
                Line2D([], [], color=model_colour, marker="o", lw=1.6, label="governance model"),
                Line2D([], [], color=base_colour, marker="o", lw=1.6,
                       label="baseline (" + ", ".join(b for b in BASELINES if b in y) + ")"),
                Line2D([], [], color=model_colour, marker="o", lw=0, alpha=0.35, ms=3,
                       label="one replicate run"),
            ]
            if FLAGSHIP in y:
                handles.append(Line2D([], [], color=model_colour, ls=":", lw=0.8,
                                      label=f"{FLAGSHIP} mean"))
            n_rep = int(summary["n"].max())
            key.legend(handles=handles, loc="upper left", frameon=False, fontsize=8,
                       title=f"dot: mean of {n_rep} replicates\nwhisker: 95% CI (Student t)",
                       title_fontsize=8, alignment="left")
            if note:
                key.text(0.0, 0.02, note, transform=key.transAxes, fontsize=8, va="bottom",
                         color="0.3", wrap=True)
        fig.suptitle("Scenarios side by side", fontsize=13)
        if path is not None:
            fig.savefig(path, dpi=100)
        plt.close(fig)
    return fig


# --- writing ----------------------------------------------------------------------------------


def manifest(plan: Plan, runs: pd.DataFrame) -> dict[str, Any]:
    from .runner import versions

    return {
        "scenarios": [{"name": e.name, "source": e.ref, "title_zh": e.title_zh,
                       "title_en": e.title_en, "config_digest": e.digest, "days": e.days}
                      for e in plan.entries],
        "replicates": plan.replicates,
        "root_seed": plan.root_seed,
        "seeds": plan.seeds,
        "seed_rule": "numpy.random.SeedSequence(root_seed, spawn_key=(i,)).generate_state(1)[0]",
        "days": plan.days,
        "residents_requested": plan.residents,
        "residents": {n: {"min": int(g["residents"].min()), "max": int(g["residents"].max())}
                      for n, g in runs.groupby("scenario", sort=False)},
        "overrides": {k: v for k, v in plan.overrides.items()},
        "events_given": list(plan.events),
        "runs": len(runs),
        "versions": versions(),
        "timings_seconds": plan.timings,
        **({"equal_cost": {"reference": plan.entries[0].name, "rule": EQUAL_COST_RULE,
                           "scales": plan.scales}} if plan.equal_cost else {}),
    }


def save(out: Path, plan: Plan, runs: pd.DataFrame, summary: pd.DataFrame,
         overwrite: bool = False) -> Path:
    """Write runs, comparison, plot and manifest into ``out``, whole or not at all."""
    from .outputs import write_atomically, write_json, write_table

    titles = {e.name: (e.title_zh, e.title_en) for e in plan.entries}
    days = sorted({e.days for e in plan.entries})
    note = (f"root seed {plan.root_seed} · {'/'.join(map(str, days))} days"
            + (f" · ~{plan.residents:,} residents" if plan.residents else ""))

    def fill(folder: Path) -> None:
        write_table(runs, folder, "runs")
        write_table(summary, folder, "comparison")
        plot(summary, folder / "comparison.png", runs=runs, titles=titles, note=note)
        if "social_cost_per_resident_year" in runs.columns:
            plot_cost_outcome(summary, folder / "cost-outcome.png")
        write_json(manifest(plan, runs), folder / "manifest.json")

    return write_atomically(out, overwrite, fill)
