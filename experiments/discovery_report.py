"""What ``cogov discover`` prints and writes: the boxes (text, JSON, CSV), the peeling trajectory
(CSV and the coverage–density plot the EMA Workbench draws), a Markdown report and a manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from cogov.model import catalogue  # noqa: E402

from .discovery import Discovery  # noqa: E402
from .outputs import write_json  # noqa: E402

FILES = ("boxes.json", "boxes.csv", "trajectory.csv", "trajectory.png", "report.md")
DPI = 110


def _diff(d: Discovery, value: float) -> str:
    return catalogue.metric(d.outcome).format(value, extra_digits=1, sign=True)


def _interval(d: Discovery, ci: list[float]) -> str:
    if not all(np.isfinite(ci)):
        return "–"
    return f"[{_diff(d, ci[0])}, {_diff(d, ci[1])}]"


def describe_cases(d: Discovery) -> str:
    label = catalogue.metric(d.outcome).en
    o = d.overall
    return (f"cases of interest: design points where {d.condition.first}'s {label} minus "
            f"{d.condition.second}'s, averaged over their common seeds, is "
            f"{d.condition.op} {d.condition.threshold:g} — {o['cases']} of {o['points']} points "
            f"({o['density']:.0%}); over all points the mean difference is "
            f"{_diff(d, o['mean_difference'])}, 95% CI {_interval(d, o['ci_seeds'])} over "
            f"{o['seeds']} seeds")


def format_boxes(d: Discovery) -> str:
    """Each box: its restrictions and ranges, coverage, density, mass, points, and the mean
    difference inside it with its 95% intervals."""
    lines = [describe_cases(d)]
    if not d.boxes:
        lines.append(no_box_reason(d))
    for box in d.boxes:
        lines.append("")
        lines.append(f"box {box['box']}: coverage {box['coverage']:.0%}, density "
                     f"{box['density']:.0%}, mass {box['mass']:.0%} ({box['points']} points, "
                     f"{box['cases']} cases)")
        for name, limit in box["restrictions"].items():
            shown = ("{" + ", ".join(limit["values"]) + "}" if "values" in limit
                     else f"[{limit['low']:.4g}, {limit['high']:.4g}]")
            lines.append(f"  {name} ∈ {shown}   (quasi-p {box['quasi_p'][name]:.2g})")
        if not box["restrictions"]:
            lines.append("  the whole parameter space")
        lines.append(f"  from step {box['step']} of the peeling trajectory (coverage "
                     f"{box['step_coverage']:.0%}, density {box['step_density']:.0%}, "
                     f"{box['step_restricted']} parameter(s) restricted), then "
                     + ("pasted and " if d.settings.pasting else "") + "pruned")
        lines.append(f"  mean difference {_diff(d, box['mean_difference'])}; 95% CI "
                     f"{_interval(d, box['ci_seeds'])} over {box['seeds']} common seeds, "
                     f"{_interval(d, box['ci_points'])} over {box['n_points']} points")
    return "\n".join(lines)


def no_box_reason(d: Discovery) -> str:
    if d.overall["cases"] == 0:
        return (f"no box: the condition holds at no design point ({d.condition.first} never "
                f"meets '{d.condition}' on {d.outcome})")
    densest = max((b.density for s in d.result.searches for b in s.trajectory), default=0.0)
    return (f"no box: no box on the peeling trajectory reaches density "
            f"{d.settings.min_density:.0%} (the densest reaches {densest:.0%}); "
            "--min-density lowers the bar")


def boxes_table(d: Discovery) -> pd.DataFrame:
    rows = []
    for box in d.boxes:
        row: dict[str, Any] = {
            "box": box["box"], "restrictions": box["describe"], "coverage": box["coverage"],
            "density": box["density"], "mass": box["mass"], "points": box["points"],
            "cases": box["cases"], "mean_difference": box["mean_difference"],
            "ci_seeds_low": box["ci_seeds"][0], "ci_seeds_high": box["ci_seeds"][1],
            "seeds": box["seeds"], "ci_points_low": box["ci_points"][0],
            "ci_points_high": box["ci_points"][1], "step": box["step"],
            "step_density": box["step_density"], "step_restricted": box["step_restricted"]}
        for name, limit in box["restrictions"].items():
            if "values" in limit:
                row[f"{name}.values"] = "|".join(limit["values"])
            else:
                row[f"{name}.low"], row[f"{name}.high"] = limit["low"], limit["high"]
            row[f"{name}.quasi_p"] = box["quasi_p"][name]
        rows.append(row)
    return pd.DataFrame(rows, columns=None if rows else ["box", "restrictions", "coverage",
                                                         "density", "mass", "points", "cases"])


def trajectory_table(d: Discovery) -> pd.DataFrame:
    rows = []
    for i, search in enumerate(d.result.searches):
        for step, box in enumerate(search.trajectory):
            rows.append({"search": i, "step": step, "coverage": box.coverage,
                         "density": box.density, "mass": box.mass, "points": box.points,
                         "restricted": len(box.restricted),
                         "restrictions": box.describe(), "chosen": step == search.chosen})
        if search.box is not None:
            b = search.box
            rows.append({"search": i, "step": "pasted", "coverage": b.coverage,
                         "density": b.density, "mass": b.mass, "points": b.points,
                         "restricted": len(b.restricted), "restrictions": b.describe(),
                         "chosen": True})
    return pd.DataFrame(rows)


def plot_trajectory(d: Discovery, path: Path) -> None:
    """Coverage against density of every box on the peeling trajectories, coloured by how many
    parameters each restricts (as the EMA Workbench's ``show_tradeoff``); the chosen boxes are
    ringed and numbered, the density a box must reach is dashed."""
    fig, ax = plt.subplots(figsize=(7.5, 5.5), constrained_layout=True)
    table = trajectory_table(d)
    peeled = table[table["step"] != "pasted"] if len(table) else table
    most = int(peeled["restricted"].max()) if len(peeled) else 0
    cmap = matplotlib.colormaps["viridis"].resampled(max(most + 1, 2))
    markers = "osD^v"
    for i in range(len(d.result.searches)):
        part = peeled[peeled["search"] == i]
        ax.plot(part["coverage"], part["density"], color="0.8", linewidth=0.8, zorder=1)
        sc = ax.scatter(part["coverage"], part["density"], c=part["restricted"], cmap=cmap,
                        vmin=-0.5, vmax=max(most, 1) + 0.5, s=22, marker=markers[i % 5],
                        zorder=2, label=f"search {i + 1}" if len(d.result.searches) > 1 else None)
    box_no = 0
    for search in d.result.searches:
        if search.box is None:
            continue
        box_no += 1
        b = search.box
        ax.scatter([b.coverage], [b.density], s=160, facecolors="none", edgecolors="crimson",
                   linewidths=1.6, zorder=3)
        ax.annotate(f"box {box_no}", (b.coverage, b.density), xytext=(6, 6),
                    textcoords="offset points", color="crimson", fontsize=9)
    ax.axhline(d.settings.min_density, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xlim(-0.02, 1.04)
    ax.set_ylim(-0.02, 1.04)
    ax.set_xlabel("coverage (share of the cases of interest inside the box)")
    ax.set_ylabel("density (share of the box's points that are cases)")
    ax.set_title(f"Peeling trajectory: {d.condition} on {d.outcome}", fontsize=10)
    if len(peeled):
        bar = fig.colorbar(sc, ax=ax, ticks=range(0, max(most, 1) + 1))
        bar.set_label("parameters restricted")
    if len(d.result.searches) > 1:
        ax.legend(loc="lower left", fontsize=8)
    if not d.boxes:
        ax.text(0.5, 0.5, no_box_reason(d), ha="center", va="center", wrap=True, fontsize=9,
                transform=ax.transAxes)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def report_markdown(d: Discovery, source: str) -> str:
    metric = catalogue.metric(d.outcome)
    s = d.settings
    lines = [f"# Scenario discovery: {d.condition} on {metric.en}", "",
             f"Input: `{source}`. Outcome: `{d.outcome}` ({metric.en}, {metric.unit}).", "",
             describe_cases(d) + ".", "",
             f"PRIM over {len(d.parameters)} parameter(s): " + ", ".join(
                 f"`{p}`" for p in d.parameters) + ".",
             f"Peeling and pasting α = {s.alpha:g}, minimum mass {s.min_mass:g}, a box must "
             f"reach density {s.min_density:g}" + (f", step {s.step} of the first trajectory"
                                                   if s.step is not None else "")
             + f"; up to {s.max_boxes} box(es) by covering; pasting "
             + ("on" if s.pasting else "off") + ".", ""]
    if d.dropped_pairs:
        lines += [f"{d.dropped_pairs} pair(s) of runs were left out: the outcome was not a "
                  "number in one of them.", ""]
    if not d.boxes:
        lines += [no_box_reason(d) + ".", ""]
    else:
        lines += ["| box | restrictions | coverage | density | mass | points | mean difference "
                  "| 95% CI over seeds | 95% CI over points |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for b in d.boxes:
            lines.append(f"| {b['box']} | {b['describe']} | {b['coverage']:.0%} | "
                         f"{b['density']:.0%} | {b['mass']:.0%} | {b['points']} | "
                         f"{_diff(d, b['mean_difference'])} | {_interval(d, b['ci_seeds'])} | "
                         f"{_interval(d, b['ci_points'])} |")
        lines += ["", "Quasi-p-values of each restriction (the binomial chance of as many cases "
                  "inside were the density that of the box without it):", ""]
        for b in d.boxes:
            qp = ", ".join(f"`{k}` {v:.2g}" for k, v in b["quasi_p"].items()) or "none"
            lines.append(f"- box {b['box']} (from peeling step {b['step']}: density "
                         f"{b['step_density']:.0%}, {b['step_restricted']} restricted): {qp}")
        lines.append("")
    lines += ["![Peeling trajectory](trajectory.png)", "",
              "The boxes were found and measured on the same design points, so their density "
              "and intervals are optimistic; confirm a box with a new sweep over its ranges on "
              "fresh seeds before reading it as a finding.", ""]
    return "\n".join(lines)


def write_outputs(d: Discovery, folder: Path, source: str, manifest: dict[str, Any]) -> None:
    """Every file of a discovery into ``folder`` (a temporary folder the caller renames)."""
    record = {"outcome": d.outcome, "condition": str(d.condition), "parameters": d.parameters,
              "settings": d.settings.__dict__, "overall": d.overall,
              "boxes": [{k: v for k, v in b.items() if k != "search"} for b in d.boxes],
              "searches": len(d.result.searches), "dropped_pairs": d.dropped_pairs}
    write_json(record, folder / "boxes.json")
    boxes_table(d).to_csv(folder / "boxes.csv", index=False)
    trajectory_table(d).to_csv(folder / "trajectory.csv", index=False)
    d.points.to_csv(folder / "points.csv", index=False)
    plot_trajectory(d, folder / "trajectory.png")
    (folder / "report.md").write_text(report_markdown(d, source), encoding="utf-8")
    write_json(manifest, folder / "manifest.json")
