"""``cogov validate-patterns``: run the pattern catalogue over replicates and report pass/fail.

The cases the chosen patterns need run once per replicate seed (in parallel with ``workers``);
each pattern's replicate values give a mean and a 95% t-interval; a pattern passes when the whole
interval lies inside its band. The report comes as a printed table, ``patterns.csv``,
``report.md`` and a self-contained ``report.html``, written atomically to one folder.
"""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .batch import Batch
from .equal_cost import COST, EQUAL_COST_RULE, equalise, scaled_overrides
from .outputs import write_atomically, write_json, write_table
from .patterns import KINDS, VALIDATES, Case, Pattern, Runs, _fmt
from .runner import RunTask, replicate_seed
from .statistics import LEVEL, mean_ci


def run_cases(cases: list[Case], replicates: int, root_seed: int = 0, workers: int = 1,
              residents: int | None = None, overrides: dict[str, Any] | None = None,
              progress: bool = False) -> Runs:
    """Every case on every replicate seed; replicate ``i`` uses the same seed in every case.
    Cases at another case's cost run after the cases at their own means, by the fixed point of
    ``cogov compare --equal-cost`` (:func:`cogov.experiments.equal_cost.equalise`)."""
    common = dict(sorted((overrides or {}).items()))
    equal = [c for c in cases if c.equal_cost_to is not None]
    plain = list(dict.fromkeys([c for c in cases if c.equal_cost_to is None]
                               + [x for c in equal for x in (c.nominal, c.equal_cost_to)]))

    def task(k: int, case: Case, i: int, extra: dict[str, Any] | None = None) -> RunTask:
        return RunTask(case.scenario, replicate_seed(root_seed, i), residents=residents,
                       overrides=common | dict(case.overrides) | (extra or {}),
                       timeseries=case.timeseries, key=(k, i))

    summaries: dict[Case, list[dict[str, Any]]] = {}
    series: dict[Case, list[pd.DataFrame]] = {}
    scales: dict[str, dict[str, float]] = {}
    with Batch(workers) as batch:
        def collect(todo: list[Case], tasks: list[RunTask]) -> None:
            results = sorted(batch.run(tasks, desc="patterns", progress=progress),
                             key=lambda r: r.task.key)
            for c in todo:
                summaries[c], series[c] = [], []
            for result in results:
                k, replicate = result.task.key
                summaries[todo[k]].append(result.summary | {"replicate": replicate})
                if result.timeseries is not None:
                    series[todo[k]].append(result.timeseries)

        collect(plain, [task(k, c, i) for k, c in enumerate(plain) for i in range(replicates)])
        if equal:
            configs = [_config(c, common, residents) for c in equal]

            def measure(scales: dict[int, float], step: int) -> dict[int, float]:
                collect(equal, [task(k, c, i, scaled_overrides(configs[k], scales[k]))
                                for k, c in enumerate(equal) for i in range(replicates)])
                return {k: _mean_cost(summaries[c]) for k, c in enumerate(equal)}

            got = equalise({k: _mean_cost(summaries[c.equal_cost_to])
                            for k, c in enumerate(equal)},
                           {k: _mean_cost(summaries[c.nominal]) for k, c in enumerate(equal)},
                           measure)
            scales = {c.label: got[k] for k, c in enumerate(equal)}
    runs = Runs({c: pd.DataFrame(rows) for c, rows in summaries.items()}, series)
    runs.scales = scales
    return runs


def _config(case: Case, common: dict[str, Any], residents: int | None):
    """The case's validated scenario, sized as it will run: the paid means the rule scales."""
    from cogov.model.loading import load_scenario
    from cogov.model.structure import scale_to_residents

    config = load_scenario(case.scenario, common | dict(case.overrides)).config
    if residents is not None:
        scale_to_residents(config, residents)
    return config


def _mean_cost(rows: list[dict[str, Any]]) -> float:
    return float(np.mean([r[COST] for r in rows])) if rows else float("nan")


def evaluate(patterns: tuple[Pattern, ...], runs: Runs) -> pd.DataFrame:
    rows = []
    for p in patterns:
        mean, low, high, n = mean_ci(p.measure(runs))
        lo, hi = p.band
        rows.append({
            "pattern": p.key, "claim": p.claim, "source": p.source, "kind": p.kind,
            "quantity": p.quantity, "band": p.band_text(), "band_low": lo, "band_high": hi,
            "mean": mean, "ci_low": low, "ci_high": high, "n": n,
            "passed": p.contains(low, high),
            "percent": p.percent, "cases": "; ".join(c.label for c in p.cases),
        })
    return pd.DataFrame(rows)


def _value(row: pd.Series) -> str:
    f = _fmt(bool(row["percent"]))
    return f"{f(row['mean'])} [{f(row['ci_low'])}, {f(row['ci_high'])}]"


def format_table(results: pd.DataFrame) -> str:
    lines = []
    for _, r in results.iterrows():
        mark = "PASS" if r["passed"] else "FAIL"
        lines.append(f"{mark}  {r['pattern']:<6} {r['claim']}")
        lines.append(f"      source: {r['source']}   ({r['kind']})")
        lines.append(f"      {r['quantity']}: {_value(r)}, target {r['band']}")
    lines.append(f"\n{tally(results)} (95% CI over {int(results['n'].max())} replicates "
                 "inside the target band)")
    return "\n".join(lines)


def tally(results: pd.DataFrame) -> str:
    """What passed, by kind: only emergent patterns count as validation."""
    counts = []
    for kind in KINDS:
        of = results[results["kind"] == kind]
        if len(of):
            counts.append((kind, int(of["passed"].sum()), len(of)))
    valid = [f"{p} of {n} {k} patterns pass" for k, p, n in counts if k in VALIDATES]
    checks = [f"{p} of {n} {k} checks pass" for k, p, n in counts if k not in VALIDATES]
    text = "; ".join(valid) or "no emergent pattern chosen"
    if checks:
        text += "; not counted as validation: " + ", ".join(checks)
    return text


def markdown(results: pd.DataFrame, meta: dict[str, Any]) -> str:
    head = ["# Pattern-oriented validation", "",
            f"cogov {meta['version']}, {meta['replicates']} replicates (root seed "
            f"{meta['root_seed']}), residents: {meta['residents'] or 'as in each scenario'}, "
            f"overrides: {meta['overrides'] or 'none'}. A pattern passes when the whole "
            f"{int(LEVEL * 100)}% confidence interval (t over replicates) lies inside its band.",
            "", f"**{tally(results)}.**", "",
            "| | Pattern | Claim | Source | Kind | Model quantity | Target | Model, mean "
            "[95% CI] |", "|---|---|---|---|---|---|---|---|"]
    for _, r in results.iterrows():
        cells = ["✅ pass" if r["passed"] else "❌ fail", r["pattern"], r["claim"], r["source"],
                 r["kind"], r["quantity"], r["band"], _value(r)]
        head.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    head += ["", "Cases run: " + "; ".join(meta["cases"]) + "."]
    scales = meta.get("equal_cost", {}).get("scales", {})
    if scales:
        head += ["", f"At equal cost ({meta['equal_cost']['rule']}): " + "; ".join(
            f"{label}: paid means × {v['scale']:.3f}, cost {v['cost_ratio']:.1%} of the target"
            for label, v in scales.items()) + "."]
    return "\n".join(head) + "\n"


def html_report(results: pd.DataFrame, meta: dict[str, Any]) -> str:
    e = html.escape
    rows = "\n".join(
        f"<tr class={'pass' if r['passed'] else 'fail'}><td>{'pass' if r['passed'] else 'fail'}"
        f"</td><td>{e(r['pattern'])}</td><td>{e(r['claim'])}</td><td>{e(r['source'])}</td>"
        f"<td>{e(r['kind'])}</td><td>{e(r['quantity'])}</td><td>{e(r['band'])}</td>"
        f"<td>{e(_value(r))}</td></tr>" for _, r in results.iterrows())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cogov pattern validation</title>
<style>body{{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;
margin:2em;max-width:80em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;
padding:.3em .5em;vertical-align:top}}tr.pass td:first-child{{background:#d9f2d9}}
tr.fail td:first-child{{background:#f8d0d0}}</style></head><body>
<h1>Pattern-oriented validation</h1>
<p>cogov {e(meta['version'])}; {meta['replicates']} replicates (root seed {meta['root_seed']});
residents: {e(str(meta['residents'] or 'as in each scenario'))}; overrides:
{e(str(meta['overrides'] or 'none'))}; {meta['seconds']:.0f} s. A pattern passes when the whole
{int(LEVEL * 100)}% confidence interval over replicates lies inside its target band.</p>
<p><b>{e(tally(results))}.</b></p>
<table><tr><th></th><th>Pattern</th><th>Claim</th><th>Source</th><th>Kind</th>
<th>Model quantity</th><th>Target</th><th>Model, mean [95% CI]</th></tr>
{rows}</table>
<p>Cases run: {e('; '.join(meta['cases']))}.</p></body></html>
"""


def validate(patterns: tuple[Pattern, ...], replicates: int = 10, root_seed: int = 0,
             workers: int = 1, residents: int | None = None,
             overrides: dict[str, Any] | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    import cogov

    cases = list(dict.fromkeys(c for p in patterns for c in p.cases))
    t0 = time.perf_counter()
    runs = run_cases(cases, replicates, root_seed, workers, residents, overrides)
    results = evaluate(patterns, runs)
    meta = {"version": cogov.__version__, "replicates": replicates, "root_seed": root_seed,
            "residents": residents, "overrides": dict(overrides or {}),
            "cases": [c.label for c in cases], "seconds": time.perf_counter() - t0,
            "equal_cost": {"rule": EQUAL_COST_RULE, "scales": runs.scales}}
    return results, meta


def save(out: Path, results: pd.DataFrame, meta: dict[str, Any], overwrite: bool) -> Path:
    def fill(folder: Path) -> None:
        write_table(results.drop(columns=["percent"]), folder, "patterns")
        (folder / "report.md").write_text(markdown(results, meta), encoding="utf-8")
        (folder / "report.html").write_text(html_report(results, meta), encoding="utf-8")
        write_json(meta, folder / "manifest.json")

    return write_atomically(out, overwrite, fill)
