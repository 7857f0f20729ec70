"""An HTML report of a sweep's results folder: one self-contained file to open or send.

    from cogov.experiments.report import write_report

    write_report("results/burden")          # -> results/burden/report.html

The file holds everything: inline CSS, the plots as base64 data URIs, no scripts and no links
outside the page. It says what was run (scenarios, design, replicates, seeds, days, versions,
timings, failures and their errors), gives each key outcome as mean [95% CI] by group, shows the
plots (drawing them first when they are missing or older than the runs) and ends with the
manifest. Every piece of user text is escaped.
"""

from __future__ import annotations

import base64
import json
import os
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
from cogov.model import catalogue

from .equal_cost import COST, LEAD_METRICS, base_name, surviving_lead
from .plots import (
    COST_OUTCOMES,
    COST_PLOT,
    KEY_OUTCOMES,
    PLOTS_DIR,
    TIMESERIES_METRICS,
    Results,
    extra_digits_for,
    format_param,
    format_value,
    has_cost,
    load_results,
    plot_results,
    summarize_groups,
    tidy_summary,
)
from .sweep_tables import scales_at

REPORT_NAME = "report.html"
MAX_FAILURE_ROWS = 200
MAX_SEEDS = 12
MAX_COST_ROWS = 400  # groups in the cost table; the rest are in runs.parquet
PLOT_KINDS = ("timeseries", "compare", "heatmap", "cost")  # the files plot_results writes
#: The cost table's outcomes, after social cost per resident a year: issues resolved per 10,000
#: yuan of social cost first — what a yuan buys — then what the outcomes are.
COST_TABLE = ("resolved_per_10k_yuan", "resolution_rate", "satisfaction")

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --band: #f6f8fa; --accent: #0969da;
        --bad: #b42318; --good: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
       font: 15px/1.5 -apple-system, "Segoe UI", "Noto Sans", "PingFang SC",
             "Microsoft YaHei", "Noto Sans CJK SC", Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 28px 64px; }
h1 { font-size: 1.9em; margin: 0 0 4px; }
h2 { font-size: 1.35em; margin: 40px 0 12px; padding-bottom: 6px;
     border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05em; margin: 24px 0 8px; }
h3 code { font-weight: normal; color: var(--muted); font-size: 0.85em; }
p.lead { font-size: 1.05em; color: var(--muted); margin: 4px 0 12px; white-space: pre-line; }
nav { font-size: 0.9em; margin: 12px 0 0; }
nav a { color: var(--accent); text-decoration: none; margin-right: 14px; }
.badge { display: inline-block; padding: 1px 10px; border-radius: 12px; font-size: 0.85em;
         font-weight: 600; background: #dafbe1; color: var(--good); }
.badge.bad { background: #ffebe9; color: var(--bad); }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 0.9em; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left;
         vertical-align: top; }
th { background: var(--band); font-weight: 600; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.facts > tbody > tr > th { width: 190px; }
table.facts > tbody > tr > td { min-width: 420px; }
.muted { color: var(--muted); }
td.error { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
           font-size: 0.85em; color: var(--bad); white-space: pre-wrap; }
.outcomes { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr));
            gap: 0 28px; }
figure { margin: 18px 0 26px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
figcaption { font-size: 0.82em; color: var(--muted); }
details { margin: 10px 0; border: 1px solid var(--line); border-radius: 6px;
          padding: 6px 12px; background: var(--band); }
summary { cursor: pointer; font-weight: 600; }
pre { overflow-x: auto; font-size: 0.8em; line-height: 1.4; margin: 8px 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
"""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _table(header: list[str], rows: list[list[str]], classes: dict[int, str] | None = None,
           ) -> str:
    """An HTML table; ``header`` and ``rows`` hold already escaped HTML, ``classes`` maps a
    column index to the class of its cells (``num`` right-aligns figures)."""
    classes = classes or {}

    def cell(i: int, content: str) -> str:
        return f'<td class="{classes[i]}">{content}</td>' if i in classes else f"<td>{content}</td>"

    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _facts(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="facts"><tbody>{body}</tbody></table>'


def _seconds(s: float | None) -> str:
    if s is None or not np.isfinite(s):
        return "–"
    if s < 120:
        return f"{s:.1f} s"
    if s < 7200:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.2f} h"


# --- sections ----------------------------------------------------------------------------------


def _design_html(design: dict[str, Any]) -> str:
    kind = design.get("kind", "none")
    parts = [f"<code>{_e(kind)}</code>"]
    params = design.get("parameters") or {}
    if params:
        rows = []
        for key, spec in params.items():
            if isinstance(spec, dict):
                text = f"{spec.get('low')} … {spec.get('high')}" + (
                    " (whole numbers)" if spec.get("integer") else "")
            else:
                text = ", ".join(format_param(v) for v in spec)
            rows.append([f"<code>{_e(key)}</code>", _e(text)])
        parts.append(_table(["parameter", "values"], rows))
    if design.get("points"):
        parts.append(f"{len(design['points'])} explicit points")
    if kind in ("lhs", "morris", "sobol"):
        parts.append(f"samples: {_e(design.get('samples'))}"
                     + (f", levels: {_e(design.get('levels'))}" if kind == "morris" else ""))
    return " ".join(parts)


def _run_section(res: Results) -> str:
    m, spec = res.manifest, res.manifest.get("experiment", {})
    runs = res.runs
    rows: list[tuple[str, str]] = []

    scen = []
    for name in dict.fromkeys(runs["scenario"]):
        zh, en = res.titles.get(name, ("", ""))
        extra = " — ".join(t for t in (zh, en) if t)
        scen.append(f"<code>{_e(name)}</code>" + (f" <span class=muted>{_e(extra)}</span>"
                                                   if extra else ""))
    rows.append(("scenarios", "<br>".join(scen)))
    rows.append(("design", _design_html(spec.get("design", {}))))
    n_groups = len(res.groups)
    kind = "scenario × parameter point" if res.parameters else "scenario"
    rows.append(("groups", f"{n_groups} (one per {kind})"))
    if spec.get("set"):
        rows.append(("settings for every run", "<br>".join(
            f"<code>{_e(k)} = {_e(v)}</code>" for k, v in spec["set"].items())))
    reps = sorted(runs["replicate"].unique()) if "replicate" in runs else []
    rows.append(("replicates", _e(spec.get("replicates", len(reps)))))
    seeds = (runs.drop_duplicates("replicate").sort_values("replicate")["seed"].tolist()
             if "seed" in runs else [])
    shown = ", ".join(str(s) for s in seeds[:MAX_SEEDS]) + (" …" if len(seeds) > MAX_SEEDS else "")
    rows.append(("seeds", f"root seed {_e(spec.get('root_seed', '–'))}; replicate seeds "
                          f"<code>{_e(shown)}</code>"))
    days = spec.get("days")
    if days is None and "days" in res.ok and len(res.ok):
        days = ", ".join(str(int(d)) for d in sorted(res.ok["days"].unique()))
    rows.append(("days", _e(days if days is not None else "scenario default")))
    if "residents" in res.ok and len(res.ok):
        sizes = sorted(int(r) for r in res.ok["residents"].unique())
        text = (", ".join(f"{r:,}" for r in sizes) if len(sizes) <= 3
                else f"{sizes[0]:,} – {sizes[-1]:,} (drawn per seed)")
        rows.append(("residents", _e(text)))
    if m.get("equal_cost"):
        rows.append(("equal cost", _equal_cost_html(m["equal_cost"])))
    n_failed = len(res.failed)
    badge = (f'<span class="badge bad">{n_failed} run{"s" if n_failed != 1 else ""} failed</span>'
             if n_failed else '<span class="badge">all runs ok</span>')
    planned = m.get("runs_planned", len(runs))
    rows.append(("runs", f"{len(res.ok)} ok of {_e(planned)} planned ({len(runs)} recorded); "
                         f"{n_failed} failed {badge}"))
    rows.append(("status", _e(m.get("status", "unknown"))))
    timings = m.get("timings_seconds", {})
    per_run = runs["run_seconds"].mean() if "run_seconds" in runs and len(runs) else None
    workers = m.get("workers")
    rows.append(("timings", f"wall {_seconds(timings.get('wall'))}, runs "
                            f"{_seconds(timings.get('runs'))} in total, "
                            f"{_seconds(per_run)} a run on average"
                            + (f"; {_e(workers)} worker(s)" if workers else "")
                            + (f", Dask {_e(m['dask'])}" if m.get("dask") else "")))
    versions = m.get("versions", {})
    if versions:
        rows.append(("versions", " · ".join(f"{_e(k)} <code>{_e(v)}</code>"
                                             for k, v in versions.items())))
    if m.get("experiment_file"):
        rows.append(("experiment file", f"<code>{_e(m['experiment_file'])}</code>"))
    rows.append(("results folder", f"<code>{_e(res.root.resolve())}</code>"))
    return '<h2 id="run">What was run</h2>' + _facts(rows)


def _equal_cost_html(equal: dict[str, Any]) -> str:
    """The rule, the reference and every scale with the cost ratio it achieved."""
    records = equal.get("scales", [])
    points = any(r.get("point") for r in records)
    rows = []
    for r in records:
        point = ", ".join(f"{k.split('.')[-1]}={format_param(v)}"
                          for k, v in (r.get("point") or {}).items())
        ratio = r.get("cost_ratio")
        rows.append([f"<code>{_e(r['scenario'])}</code>"] + ([_e(point)] if points else []) + [
            f"× {r['scale']:.3f}",
            f"{ratio:.1%}" if isinstance(ratio, float) and np.isfinite(ratio) else "–"])
    header = ["scenario"] + (["point"] if points else []) + [
        "scale of paid staff and budgets", "its cost / the reference's"]
    skipped = [f"<code>{_e(r['scenario'])}</code> at point {_e(r['point_id'])}"
               for r in equal.get("not_rescaled", [])]
    return (f"every scenario but <code>{_e(equal['reference'])}</code> run again at the "
            f"reference's social cost, {_e(equal.get('per', ''))}. Rule: "
            f"{_e(equal.get('rule', ''))}; the {_e(equal.get('calibration_runs', 0))} runs of the "
            "earlier fixed-point steps were measured, not kept."
            + _table(header, rows, {len(header) - 2: "num", len(header) - 1: "num"})
            + (f"<p>not rescaled (no successful run of it or of the reference): "
               f"{', '.join(skipped)}</p>" if skipped else ""))


def _failures_section(res: Results) -> str:
    failed = res.failed
    if failed.empty:
        return ""
    n = len(failed)
    cols = ["run_id", "scenario", *res.parameters, "replicate", "seed"]
    rows = [[f"<code>{_e(r['run_id'])}</code>", _e(r["scenario"]),
             *[_e(format_param(r[p])) for p in res.parameters], _e(r["replicate"]),
             _e(r["seed"]), _e(r.get("error", ""))]
            for _, r in failed.head(MAX_FAILURE_ROWS).iterrows()]
    table = _table([_e(c) for c in cols] + ["error"], rows, {len(cols): "error"})
    by_error = failed["error"].fillna("").value_counts()
    summary = "".join(f"<li><b>{c}×</b> <code>{_e(err or '(no message)')}</code></li>"
                      for err, c in by_error.items())
    more = (f'<p class="muted">The first {MAX_FAILURE_ROWS} of {n} are listed; all are in '
            "<code>failures.csv</code>.</p>" if n > MAX_FAILURE_ROWS else "")
    return (f'<h2 id="failures">Failures: {n} run{"s" if n != 1 else ""} failed</h2>'
            '<p>Failed runs are left out of every table and plot below. Errors:</p>'
            f"<ul>{summary}</ul>{table}{more}")


def _ci_cell(metric: str, mean: float, low: float, high: float, extra: int) -> str:
    text = format_value(metric, mean, extra)
    if np.isfinite(low) and np.isfinite(high):
        text += (f' <span class="muted">[{format_value(metric, low, extra)}, '
                 f"{format_value(metric, high, extra)}]</span>")
    return text


def _outcomes_section(res: Results) -> str:
    if res.ok.empty:
        return '<h2 id="outcomes">Outcomes</h2><p>No run succeeded: nothing to summarise.</p>'
    summary = summarize_groups(res, KEY_OUTCOMES)
    many_scenarios = res.groups["scenario"].nunique() > 1 or not res.parameters
    blocks = []
    for metric in KEY_OUTCOMES:
        part = summary[summary["metric"] == metric]
        if part.empty or part["mean"].isna().all():
            continue
        extra = extra_digits_for(metric, part["mean"], most=1)
        header = (["scenario"] if many_scenarios else []) + [
            f"<code>{_e(p.split('.')[-1])}</code>" for p in res.parameters] + [
            "n", "mean [95% CI]"]
        rows = []
        for _, r in part.iterrows():
            cells = [_e(r["scenario"])] if many_scenarios else []
            cells += [_e(format_param(r[p])) for p in res.parameters]
            cells += [str(int(r["n"])), _ci_cell(metric, r["mean"], r["ci_low"], r["ci_high"],
                                                 extra)]
            rows.append(cells)
        first = len(header) - 2
        title = catalogue.metric(metric).title()
        blocks.append(f"<div><h3>{_e(title)} <code>{_e(metric)}</code></h3>"
                      + _table(header, rows, {first: "num", first + 1: "num"}) + "</div>")
    scen = (f" in <code>{_e(res.groups['scenario'].iloc[0])}</code>"
            if not many_scenarios else "")
    intro = ("<p>Mean over the successful replicates of each group" + scen + ", with its 95% "
             "confidence interval (Student t). Shares are in %; the interval is missing for a "
             "group with a single run.</p>")
    return '<h2 id="outcomes">Outcomes</h2>' + intro + '<div class="outcomes">' + \
        "".join(blocks) + "</div>"


def _cost_ratios(res: Results) -> dict[int, float]:
    """Per group at equal cost: its mean social cost over the reference's at the same point."""
    equal = res.manifest.get("equal_cost")
    if not equal or COST not in res.ok.columns:
        return {}
    means = summarize_groups(res, [COST])
    ref = means[means["scenario"] == equal["reference"]].set_index("point_id")["mean"]
    return {int(r["group"]): r["mean"] / ref[r["point_id"]] for _, r in means.iterrows()
            if r["point_id"] in ref.index}


def _beside_their_nominal(groups):
    """Groups in plan order, each equal-cost group right after the group it was made from."""
    order = {b: i for i, b in enumerate(dict.fromkeys(groups["scenario"].map(base_name)))}
    key = [(order[base_name(s)], p, s != base_name(s))
           for s, p in zip(groups["scenario"], groups["point_id"], strict=True)]
    return groups.iloc[sorted(range(len(groups)), key=key.__getitem__)]


def _cost_table(res: Results) -> str:
    """One row per group: its cost scale, social cost per resident a year (and, at equal cost,
    as a share of the reference's), issues resolved per 10,000 yuan of social cost and the
    outcomes they buy, each as mean [95% CI]."""
    metrics = (COST_OUTCOMES[0], *COST_TABLE)
    summary = summarize_groups(res, metrics).set_index(["group", "metric"])
    ratios = _cost_ratios(res)
    scale = res.ok.groupby("group")["cost_scale"].first() if "cost_scale" in res.ok else None
    extra = {m: extra_digits_for(m, summary.xs(m, level="metric")["mean"], most=1)
             for m in metrics if m in summary.index.get_level_values("metric")}
    header = ["group", "n"] + (["scale"] if scale is not None else []) + [
        f"{_e(catalogue.metric(metrics[0]).label())}"] + (
        ["cost / reference's"] if ratios else []) + [
        f"{_e(catalogue.metric(m).label())}" for m in COST_TABLE]
    rows = []
    for _, g in _beside_their_nominal(res.groups).head(MAX_COST_ROWS).iterrows():
        cells = [_e(g["label"]), ""]
        if scale is not None:
            cells.append(f"× {scale.get(g['group'], float('nan')):.3f}")
        for j, m in enumerate(metrics):
            if (g["group"], m) not in summary.index:
                cells.append("–")
            else:
                r = summary.loc[(g["group"], m)]
                cells[1] = str(int(r["n"]))
                cells.append(_ci_cell(m, r["mean"], r["ci_low"], r["ci_high"], extra[m]))
            if j == 0 and ratios:
                ratio = ratios.get(int(g["group"]), float("nan"))
                cells.append(f"{ratio:.1%}" if np.isfinite(ratio) else "–")
        rows.append(cells)
    more = (f'<p class="muted">The first {MAX_COST_ROWS} of {len(res.groups)} groups are listed.'
            "</p>" if len(res.groups) > MAX_COST_ROWS else "")
    return _table(header, rows, {i: "num" for i in range(1, len(header))}) + more


def _leads_table(res: Results) -> str:
    """At equal cost: the reference's lead over each other scenario at nominal means and at
    equal cost, and the share of it that survives (per design point)."""
    equal = res.manifest.get("equal_cost")
    if not equal:
        return ""
    reference = equal["reference"]
    summary = tidy_summary(res, LEAD_METRICS, names="scenario")
    labels = res.groups.drop_duplicates("point_id").set_index("point_id")["point_label"]
    rows = []
    for point_id, part in summary.groupby("point_id", sort=True):
        if not scales_at(equal, int(point_id)) or reference not in set(part["scenario"]):
            continue
        for metric in LEAD_METRICS:
            m = catalogue.metric(metric)
            for r in surviving_lead(part, reference, metric):
                share = r["surviving_share"]
                rows.append(([_e(labels[point_id])] if res.parameters else []) + [
                    _e(m.label()), _e(r["scenario"]), _e(m.format(r["lead_nominal"], sign=True)),
                    _e(m.format(r["lead_equal_cost"], sign=True)),
                    f"{share:.0%}" if np.isfinite(share) else "–"])
    header = (["point"] if res.parameters else []) + [
        "outcome", "over", "lead at nominal means", "lead at equal cost", "share surviving"]
    first = len(header) - 3
    return (f"<h3>Lead of <code>{_e(reference)}</code> at equal cost</h3><p>Its mean minus the "
            "other scenario's, at nominal means and with the other given its social cost.</p>"
            + _table(header, rows, {first: "num", first + 1: "num", first + 2: "num"}))


def _cost_section(res: Results, plots: list[Path]) -> str:
    """Social cost and what it buys: the table per group, the equal-cost leads, the plot."""
    if res.ok.empty or not has_cost(res):
        return ""
    figures = "".join(_figure(p) for p in plots if p.stem == COST_PLOT)
    return ('<h2 id="cost">Cost and outcome</h2><p>Social cost is money spent plus paid staff '
            "hours and volunteer hours priced (<code>social_cost_yuan</code>); issues resolved "
            "per 10,000 yuan of it is <code>resolved_per_10k_yuan</code>. Mean [95% CI] over "
            "the successful replicates of each group"
            + ("; <i>scale</i> is the factor on every organization's paid staff and budgets, "
               "× 1 for the experiment's own runs" if "cost_scale" in res.ok else "")
            + ".</p>" + _cost_table(res) + _leads_table(res) + figures)


def _figure(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    kind, _, metric = path.stem.partition("-")
    alt = "cost–outcome plot" if path.stem == COST_PLOT else \
        f"{kind}: {catalogue.metric(metric).title()}"
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{_e(alt)}">'
            f"<figcaption>{_e(path.name)}</figcaption></figure>")


def _plot_order(path: Path) -> tuple[int, int, str]:
    kind, _, metric = path.stem.partition("-")
    kinds = list(PLOT_KINDS)
    metrics = list(TIMESERIES_METRICS if kind == "timeseries" else KEY_OUTCOMES)
    return (kinds.index(kind) if kind in kinds else len(kinds),
            metrics.index(metric) if metric in metrics else len(metrics), path.name)


def _current_plots(res: Results) -> list[Path]:
    """The plots in the folder, drawn anew when ours are missing or predate the runs. Other
    PNGs there (``cogov sensitivity`` puts its own in ``plots/``) are kept and shown too."""
    folder = res.root / PLOTS_DIR
    ours = [p for p in folder.glob("*.png") if p.stem.partition("-")[0] in PLOT_KINDS] \
        if folder.is_dir() else []
    runs_file = res.root / "runs.parquet"
    stale = runs_file.exists() and any(p.stat().st_mtime < runs_file.stat().st_mtime
                                       for p in ours)
    missing = has_cost(res) and not (folder / f"{COST_PLOT}.png").exists()  # an older folder
    if not ours or stale or missing:
        plot_results(res.root)
    pngs = list(folder.glob("*.png")) if folder.is_dir() else []
    return sorted(pngs, key=_plot_order)


def _plots_section(plots: list[Path]) -> str:
    titles = {"timeseries": ("Over time", "Mean of the replicates per group with a 95% band."),
              "compare": ("Outcomes compared",
                          "Box per group; every point is one replicate's end-of-run value."),
              "heatmap": ("Parameter grid", "Mean over replicates at each grid point.")}
    out, current = [], None
    for path in plots:
        if path.stem == COST_PLOT:
            continue  # shown with the cost table
        kind = path.stem.partition("-")[0]
        if kind != current:
            current = kind
            head, text = titles.get(kind, (kind, ""))
            out.append(f'<h2 id="plots-{_e(kind)}">{_e(head)}</h2><p class="muted">{_e(text)}</p>')
        out.append(_figure(path))
    return "".join(out)


def render_report(res: Results, plots: list[Path]) -> str:
    spec = res.manifest.get("experiment", {})
    title = res.title
    description = spec.get("description", "")
    n_failed = len(res.failed)
    kinds = list(dict.fromkeys(p.stem.partition("-")[0] for p in plots
                               if p.stem != COST_PLOT))
    cost = _cost_section(res, plots)
    nav = ['<a href="#run">What was run</a>']
    if n_failed:
        nav.append('<a href="#failures">Failures</a>')
    if cost:
        nav.append('<a href="#cost">Cost</a>')
    nav.append('<a href="#outcomes">Outcomes</a>')
    names = {"timeseries": "Over time", "compare": "Compared", "heatmap": "Grid"}
    nav += [f'<a href="#plots-{_e(k)}">{_e(names.get(k, k))}</a>' for k in kinds]
    nav.append('<a href="#manifest">Manifest</a>')
    manifest = json.dumps(res.manifest, indent=2, ensure_ascii=False, default=str)
    body = [
        f"<h1>{_e(title)}</h1>",
        f'<p class="lead">{_e(description)}</p>' if description else "",
        f'<p class="muted">Sweep report · {len(res.ok)} successful run'
        f'{"s" if len(res.ok) != 1 else ""} in {len(res.groups)} group'
        f'{"s" if len(res.groups) != 1 else ""}'
        + (f" · {n_failed} failed" if n_failed else "") + "</p>",
        f"<nav>{''.join(nav)}</nav>",
        _run_section(res),
        _failures_section(res),
        cost,
        _outcomes_section(res),
        _plots_section(plots),
        '<h2 id="manifest">Manifest</h2>',
        f"<details><summary>manifest.json</summary><pre><code>{_e(manifest)}</code></pre>"
        "</details>",
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head>"
            f"<body><main>{''.join(body)}</main></body></html>\n")


def write_report(results_dir: str | Path) -> Path:
    """Write ``results_dir/report.html`` (drawing the plots if needed) and return its path."""
    res = load_results(results_dir)
    html = render_report(res, _current_plots(res))
    path = res.root / REPORT_NAME
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return path


__all__ = ["render_report", "write_report"]
