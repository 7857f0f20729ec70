"""One self-contained HTML report of a sweep: what was run, the outcomes with 95% intervals, the
plots and the manifest — in a single file an academic can send to a colleague (images embedded
as data URIs; no scripts, no external links)."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from .plots import (
    KEY_OUTCOMES,
    PLOTS_DIR,
    format_value,
    load_results,
    metric_info,
    plot_results,
    summarize_groups,
)

CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222;
       line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .6rem 0 1.2rem; font-size: .9rem; }
th, td { border: 1px solid #ddd; padding: .25rem .6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; } th { background: #f3f5f8; }
.muted { color: #666; } .fail { color: #a40000; }
figure { margin: 1rem 0; } figure img { max-width: 100%; border: 1px solid #eee; }
pre { background: #f7f7f7; padding: .8rem; overflow-x: auto; font-size: .8rem; }
"""


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    alt = html.escape(path.stem.replace("-", " "))
    return f'<figure><img alt="{alt}" src="data:image/png;base64,{data}"></figure>'


def _outcome_table(summary, metric: str) -> str:
    part = summary[summary["metric"] == metric]
    if part.empty:
        return ""
    rows = []
    for _, r in part.iterrows():
        ci = (f"[{format_value(metric, r['ci_low'])}, {format_value(metric, r['ci_high'])}]"
              if r["n"] > 1 else "—")
        rows.append(f"<tr><td>{html.escape(str(r['label']))}</td>"
                    f"<td>{format_value(metric, r['mean'])}</td><td>{ci}</td>"
                    f"<td>{int(r['n'])}</td></tr>")
    title = html.escape(metric_info(metric).title)
    return (f"<h3>{title} <span class='muted'>({html.escape(metric)})</span></h3><table>"
            "<tr><th>group</th><th>mean</th><th>95% CI</th><th>runs</th></tr>"
            + "".join(rows) + "</table>")


def write_report(results_dir: str | Path) -> Path:
    res = load_results(results_dir)
    plots_dir = res.root / PLOTS_DIR
    if not plots_dir.is_dir() or not any(plots_dir.glob("*.png")):
        plot_results(res.root)
    spec = res.manifest.get("experiment", {})
    design = spec.get("design", {})
    summary = summarize_groups(res, KEY_OUTCOMES)
    e = html.escape
    failed = res.failed
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(res.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(res.title)}</h1>",
        f"<p>{e(str(spec.get('description', '')))}</p>",
        "<h2>What was run</h2><table>",
        f"<tr><td>scenarios</td><td>{e(', '.join(map(str, res.manifest.get('scenarios', []))))}"
        "</td></tr>",
        f"<tr><td>design</td><td>{e(str(design.get('kind', 'none')))}; parameters: "
        f"{e(', '.join(res.parameters) or '—')}</td></tr>",
        f"<tr><td>replicates · root seed</td><td>{e(str(spec.get('replicates')))} · "
        f"{e(str(spec.get('root_seed')))}</td></tr>",
        f"<tr><td>days · residents</td><td>{e(str(spec.get('days') or 'scenario default'))} · "
        f"{e(str(spec.get('residents') or 'scenario default'))}</td></tr>",
        f"<tr><td>runs</td><td>{len(res.runs)} ({len(res.runs) - len(failed)} ok, "
        f"<span class='{'fail' if len(failed) else ''}'>{len(failed)} failed</span>)</td></tr>",
        f"<tr><td>versions</td><td>{e(json.dumps(res.manifest.get('versions', {})))}</td></tr>",
        f"<tr><td>timings</td><td>{e(json.dumps(res.manifest.get('timings_seconds', {})))}"
        "</td></tr></table>",
    ]
    if len(failed):
        parts.append("<h2>Failed runs</h2><table><tr><th>scenario</th><th>replicate</th>"
                     "<th>seed</th><th>error</th></tr>")
        for _, r in failed.iterrows():
            parts.append(f"<tr><td>{e(str(r['scenario']))}</td><td>{r['replicate']}</td>"
                         f"<td>{r['seed']}</td><td>{e(str(r['error']))}</td></tr>")
        parts.append("</table>")
    parts.append("<h2>Outcomes</h2><p class='muted'>Mean over replicates with the 95% Student-t "
                 "interval of the mean; failed runs excluded.</p>")
    parts += [_outcome_table(summary, m) for m in KEY_OUTCOMES]
    parts.append("<h2>Plots</h2>")
    parts += [_img(p) for p in sorted(plots_dir.glob("*.png"))]
    parts.append("<h2>Manifest</h2><details><summary>manifest.json</summary><pre>"
                 f"{e(json.dumps(res.manifest, indent=2, ensure_ascii=False))}</pre></details>")
    parts.append("</body></html>")
    path = res.root / "report.html"
    tmp = path.with_name(".report.html.tmp")
    tmp.write_text("\n".join(parts), encoding="utf-8")
    tmp.replace(path)
    return path
