"""Pattern-oriented calibration: a grid over uncertain parameters, scored by the pattern checks.

For every point of the grid, every case the patterns need runs on the same replicate seeds with
the point's values applied to all scenarios, and the pattern checks of ``cogov validate-patterns``
score it. Points are ranked by the number of patterns passed, then by the summed distance of
failing patterns' means from their bands (in band widths or, for open bands, in the CI's width).
The table is written to ``--out`` (CSV) and the best points are printed. docs/calibration.md
records the run behind the shipped defaults.

    .venv/bin/python scripts/calibrate.py --replicates 4 --workers 2 \\
        --grid population.initial.participation_shape=0.5,0.2,0.1,0.05 \\
        --grid behaviour.neighbour_influence=0.2,0.1,0.05 --out results/calibration.csv
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from cogov.experiments.patterns import select
from cogov.experiments.validation import validate
from cogov.model.loading import parse_set_args


def miss(row: pd.Series) -> float:
    """How far a failing pattern's interval is from its band (0 when it passes)."""
    if row["passed"]:
        return 0.0
    lo, hi = row["band_low"], row["band_high"]
    width = (hi - lo) if np.isfinite(hi - lo) else max(row["ci_high"] - row["ci_low"], 1e-9)
    gap = max(lo - row["ci_low"], row["ci_high"] - hi, 0.0)
    return float(gap / width)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--grid", action="append", required=True, metavar="KEY=V1,V2,...")
    ap.add_argument("--replicates", type=int, default=4)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--only", help="comma-separated pattern keys (default: all)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    if args.out.exists():
        print(f"calibrate: {args.out} exists; choose another --out", file=sys.stderr)
        return 2
    axes = {}
    for item in args.grid:
        key, _, values = item.partition("=")
        axes[key] = [parse_set_args([f"{key}={v}"])[key] for v in values.split(",")]
    patterns = select(args.only.split(",") if args.only else None)
    rows = []
    for point in itertools.product(*axes.values()):
        overrides = dict(zip(axes, point, strict=True))
        results, _ = validate(patterns, args.replicates, workers=args.workers,
                              overrides=overrides)
        row = overrides | {"passed": int(results["passed"].sum()),
                           "distance": float(results.apply(miss, axis=1).sum())}
        row |= {f"{r.pattern}": r["mean"] for _, r in results.iterrows()}
        row["failing"] = " ".join(results.loc[~results["passed"], "pattern"])
        rows.append(row)
        print(f"{overrides}: {row['passed']}/{len(results)} pass, distance "
              f"{row['distance']:.2f}, failing: {row['failing'] or '-'}", flush=True)
    table = pd.DataFrame(rows).sort_values(["passed", "distance"], ascending=[False, True])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print("\nbest points:\n" + table.head(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
