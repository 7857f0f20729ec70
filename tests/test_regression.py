"""Every shipped scenario still gives exactly the results recorded in tests/regression/.

A refactor must leave these bit-identical. Metrics added since the baselines were recorded are
not compared (:func:`regression.fingerprint`); every recorded value is. A change that alters
results on purpose regenerates them with ``make regression`` in the same commit and says why in
its message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from regression import BASELINES, fingerprint  # noqa: E402

RECORDED = json.loads(BASELINES.read_text(encoding="utf-8"))["runs"]


def same(a, b) -> bool:
    """Equal, with an undefined value (``nan``, recorded as ``NaN``) equal to itself."""
    return a == b or (isinstance(a, float) and isinstance(b, float) and a != a and b != b)


@pytest.mark.parametrize("run", sorted(RECORDED))
def test_results_match_the_recorded_baseline(run):
    scenario, seed = run.rsplit("@", 1)
    was = RECORDED[run]
    now = fingerprint(scenario, int(seed), recorded=was["summary"])
    changed = {k: (was["summary"].get(k), v) for k, v in now["summary"].items()
               if not same(was["summary"].get(k), v)}
    assert not changed, f"summary changed: {changed}"
    assert now["rows"] == was["rows"]
    assert now["timeseries_sha256"] == was["timeseries_sha256"], "time series changed"
