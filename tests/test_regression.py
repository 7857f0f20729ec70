"""Every shipped scenario still gives exactly the results recorded in tests/regression/.

A refactor must leave these bit-identical. A change that alters results on purpose regenerates
them with ``make regression`` in the same commit and says why in its message. A metric added
since the baselines were recorded (a new mechanism's, switched off in every shipped scenario) is
not a change of results: the recorded columns and summary keys must all still be there with the
same values; the new ones are not compared.
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
    now = fingerprint(scenario, int(seed), was["columns"])
    assert not now["missing"], f"recorded columns gone: {now['missing']}"
    changed = {k: (v, now["summary"].get(k, "missing")) for k, v in was["summary"].items()
               if not same(now["summary"].get(k), v)}
    assert not changed, f"summary changed: {changed}"
    assert now["rows"] == was["rows"]
    assert now["timeseries_sha256"] == was["timeseries_sha256"], "time series changed"
