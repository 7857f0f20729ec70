"""Regression baselines: every shipped scenario, a small community, a fixed seed.

``tests/test_regression.py`` reruns them and requires the same summaries and time series, so a
refactor that claims to change nothing is proven to change nothing. A change that alters results
on purpose regenerates the baselines in the same commit (``make regression``) and says why.

"The same" is equal to a relative 1e-9, not to the last bit. NumPy chooses its SIMD kernels by
the CPU it runs on (AVX2, AVX-512, …) and their floating-point sums round differently in the
last place, so a digest of every bit fails on another machine although no result has changed.
Each time series column is kept as three sums — of its values, of their absolute values and
weighted by the day, which sees a value moved in time — and every summary value as it is. A
changed count moves a sum by at least one part in the column's total; a changed rule moves
many values: both lie orders of magnitude above 1e-9, last-place rounding (≈1e-16 per value)
far below it. Metrics added after the baselines were recorded are not compared; a recorded
metric that disappears is.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
from cogov.model import CommunityModel
from cogov.model.loading import scenario_names

ROOT = Path(__file__).resolve().parents[1]
BASELINES = ROOT / "tests" / "regression" / "baselines.json"
# A small community over 400 days reaches every shipped intervention (day 365) and keeps the
# whole set under a minute [design choice].
OVERRIDES = {"structure.units": 24, "structure.buildings": 8, "structure.areas": 2, "days": 400}
SEEDS = (20261202, 7)
RELATIVE = 1e-9  # agreement asked of every value and column sum (see the module docstring)


def column_sums(ts) -> dict[str, list[float]]:
    """Per column: how many values are undefined, their sum, the sum of their absolute values
    and their sum weighted by the day (day 1 … n over n)."""
    weights = np.arange(1, len(ts) + 1) / max(len(ts), 1)
    out = {}
    for name in sorted(ts.columns):
        x = ts[name].to_numpy(dtype=float)
        defined = np.where(np.isnan(x), 0.0, x)
        out[name] = [float(np.isnan(x).sum()), float(defined.sum()),
                     float(np.abs(defined).sum()), float((defined * weights).sum())]
    return out


def same(was, now) -> bool:
    """Equal within :data:`RELATIVE` for numbers (an undefined value equal to itself), exactly
    for anything else."""
    if isinstance(was, bool) or isinstance(now, bool) or not (
            isinstance(was, int | float) and isinstance(now, int | float)):
        return was == now
    if math.isnan(was) or math.isnan(now):
        return math.isnan(was) and math.isnan(now)
    return math.isclose(was, now, rel_tol=RELATIVE, abs_tol=RELATIVE)


def fingerprint(scenario: str, seed: int) -> dict:
    model = CommunityModel(scenario, rng=seed, overrides=OVERRIDES,
                           create_resident_agents=False).run()
    ts = model.timeseries()
    return {"rows": len(ts), "columns": column_sums(ts), "summary": dict(model.summary())}


def differences(was: dict, now: dict) -> list[str]:
    """What differs between a recorded fingerprint and a new one, one line each; metrics the
    recording does not have are new, not differences."""
    out = [f"rows: {was['rows']} → {now['rows']}"] if was["rows"] != now["rows"] else []
    for key, value in was["summary"].items():
        if key not in now["summary"]:
            out.append(f"summary {key}: gone")
        elif not same(value, now["summary"][key]):
            out.append(f"summary {key}: {value!r} → {now['summary'][key]!r}")
    for name, sums in was["columns"].items():
        if name not in now["columns"]:
            out.append(f"time series {name}: gone")
        elif not all(map(same, sums, now["columns"][name])):
            out.append(f"time series {name}: sums {sums} → {now['columns'][name]}")
    return out


def compute() -> dict:
    return {f"{name}@{seed}": fingerprint(name, seed) for name in scenario_names()
            for seed in SEEDS}


def main() -> int:
    BASELINES.parent.mkdir(parents=True, exist_ok=True)
    data = {"seeds": list(SEEDS), "overrides": OVERRIDES, "runs": compute()}
    BASELINES.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {BASELINES} ({len(data['runs'])} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
