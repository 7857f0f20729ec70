"""Write the side-by-side tables of docs/scenarios.md from a ``cogov compare`` folder.

The tables in the docs are measured, not typed: run

    cogov compare --all --replicates 10 --workers 2 --out results/compare-all
    python scripts/scenario_tables.py results/compare-all

and paste the printed Markdown. Each cell is the mean and, when the replicates differ, the 95%
Student-t interval from ``comparison.csv``; metrics are named and formatted by the catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from cogov.model.catalogue import metric

#: Row order: the flagship, the named local models, then the baselines at the bottom.
BASELINES = ("campaign", "control-reactive", "elite-capture", "fragmented", "government-led",
             "market-led")
TABLES = (
    ("resolution_rate", "median_days_onset_to_resolution", "median_days_report_to_resolution",
     "resolved_within_30_days_share", "proactive_detection_share", "satisfaction",
     "trust_party_branch"),
    ("participation_rate", "participation_top10_share", "petitions_per_10k_year",
     "repeat_complaints_per_1000_residents_year", "utilisation_residents_committee",
     "rc_admin_share"),
    ("social_cost_per_resident_year", "paid_cost_yuan", "volunteer_hours",
     "resolved_per_10k_yuan", "disputes_per_1000_residents_year",
     "dispute_township_share"),
)
FLAGSHIP = "one-core-four-element"


def cell(rows: pd.DataFrame, key: str) -> str:
    m = metric(key)
    row = rows[rows["metric"] == key]
    if row.empty:
        return "—"
    r = row.iloc[0]
    if pd.isna(r["mean"]):
        return "—"
    mean = m.format(r["mean"])
    if pd.isna(r["ci_low"]) or r["ci_high"] - r["ci_low"] < 1e-12:
        return mean
    return f"{mean} ({m.format(r['ci_low'])}–{m.format(r['ci_high'])})"


def order(names: list[str]) -> list[str]:
    named = sorted(n for n in names if n != FLAGSHIP and n not in BASELINES)
    return [n for n in (FLAGSHIP, *named, *BASELINES) if n in names]


def tables(folder: Path) -> str:
    summary = pd.read_csv(folder / "comparison.csv")
    names = order(list(dict.fromkeys(summary["scenario"])))
    out = []
    for keys in TABLES:
        head = "| scenario | " + " | ".join(metric(k).en for k in keys) + " |"
        out += [head, "|---" * (len(keys) + 1) + "|"]
        for name in names:
            rows = summary[summary["scenario"] == name]
            out.append(f"| `{name}` | " + " | ".join(cell(rows, k) for k in keys) + " |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/scenario_tables.py RESULTS_FOLDER")
    print(tables(Path(sys.argv[1])))
