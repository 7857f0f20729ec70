"""The one place cogov computes intervals: every table, band and pattern check uses these, so a
"95% CI" means the same thing in `cogov compare`, `cogov plot`, `cogov report` and
`cogov validate-patterns`.

Intervals are Student-t intervals of the mean over replicate runs (which share their seeds across
scenarios, so differences are paired where a caller pairs them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LEVEL = 0.95


def half_width(sd, n, level: float = LEVEL):
    """Half-width of the Student-t interval of a mean, elementwise; NaN where n < 2."""
    from scipy import stats

    n = np.asarray(n)
    t = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1))
    return np.where(n > 1, t * np.asarray(sd) / np.sqrt(np.maximum(n, 1)), np.nan)


def mean_ci(values: np.ndarray | pd.Series, level: float = LEVEL) -> tuple[float, float, float,
                                                                             int]:
    """Mean and Student-t interval of the mean: (mean, low, high, n) over the finite values;
    NaN bounds when n < 2."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    mean = float(x.mean())
    if n < 2:
        return mean, float("nan"), float("nan"), 1
    half = float(half_width(x.std(ddof=1), n, level))
    return mean, mean - half, mean + half, n
