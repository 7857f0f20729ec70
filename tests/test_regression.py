"""Every shipped scenario still gives the results recorded in tests/regression/.

A refactor must leave them unchanged — equal to a relative 1e-9, which last-place rounding on
another CPU stays far below and any changed count or rule far above (scripts/regression.py). A
change that alters results on purpose regenerates them with ``make regression`` in the same
commit and says why in its message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from regression import BASELINES, differences, fingerprint, same  # noqa: E402

RECORDED = json.loads(BASELINES.read_text(encoding="utf-8"))["runs"]


@pytest.mark.parametrize("run", sorted(RECORDED))
def test_results_match_the_recorded_baseline(run):
    scenario, seed = run.rsplit("@", 1)
    changed = differences(RECORDED[run], fingerprint(scenario, int(seed)))
    assert not changed, "results changed:\n" + "\n".join(changed[:20])


def test_the_comparison_sees_a_changed_count_and_a_changed_value():
    """The tolerance must not hide a result: one issue more in a column of hundreds, or a
    value changed in its seventh digit, is a difference; last-place rounding is not."""
    was = {"rows": 2, "summary": {"resolved": 412, "satisfaction": 0.5012345},
           "columns": {"open": [0.0, 400.0, 400.0, 300.0]}}
    assert differences(was, was) == []
    rounding = {**was, "summary": {"resolved": 412, "satisfaction": 0.5012345 * (1 + 1e-15)}}
    assert differences(was, rounding) == []
    assert differences(was, {**was, "columns": {"open": [0.0, 401.0, 401.0, 300.5]}})
    assert differences(was, {**was, "summary": {"resolved": 412, "satisfaction": 0.5012346}})
    assert differences(was, {**was, "summary": {"satisfaction": 0.5012345}})  # a metric gone
    assert differences(was, {**was, "summary": {**was["summary"], "new_metric": 1.0}}) == []
    assert same(float("nan"), float("nan")) and not same(1, 2) and not same("a", "b")
