"""Time to resolution with censoring and competing events: estimators checked against cases
worked by hand, and against the plain empirical answer where nothing is censored."""

from __future__ import annotations

import math

import numpy as np
from cogov.model.survival import (
    CENSORED,
    COMPETING,
    RESOLVED,
    cumulative_incidence,
    median_days,
    share_resolved_within,
)


def test_without_censoring_it_is_the_empirical_distribution():
    rng = np.random.default_rng(0)
    days = rng.integers(0, 60, 501)
    event = np.full(days.size, RESOLVED)
    for within in (0, 7, 30, 59):
        assert math.isclose(share_resolved_within(days, event, within), (days <= within).mean())
    assert median_days(days, event) == np.sort(days)[250]  # the 251st of 501


def test_censoring_worked_by_hand():
    # Four issues: resolved on day 1, censored on day 2, resolved on day 3, resolved on day 3.
    # Kaplan–Meier: S(1) = 3/4; at day 3 two of the two at risk resolve: S(3) = 0.
    days = np.array([1, 2, 3, 3])
    event = np.array([RESOLVED, CENSORED, RESOLVED, RESOLVED])
    times, cif = cumulative_incidence(days, event)
    assert list(times) == [1, 2, 3] and np.allclose(cif, [0.25, 0.25, 1.0])
    assert median_days(days, event) == 3.0
    # Counting the censored issue as never resolved would say 3/4; ignoring it, 1/3 by day 1.


def test_a_competing_exit_is_not_resolution():
    # Two petitions on day 0 leave two of four issues; the other two resolve on day 5.
    days = np.array([0, 0, 5, 5])
    event = np.array([COMPETING, COMPETING, RESOLVED, RESOLVED])
    assert share_resolved_within(days, event, 10) == 0.5
    assert median_days(days, event) == 5.0
    event[:2] = RESOLVED  # without the petitions, half are resolved on day 0
    assert median_days(days, event) == 0.0


def test_when_fewer_than_half_are_ever_resolved_there_is_no_median():
    days = np.array([1, 4, 4, 4])
    event = np.array([RESOLVED, CENSORED, COMPETING, COMPETING])
    assert math.isnan(median_days(days, event))
    assert share_resolved_within(days, event, 0) == 0.0
    assert math.isnan(median_days(np.array([], dtype=int), np.array([], dtype=int)))


def test_the_run_summary_reports_both_clocks(small_model):
    s = small_model("fragmented", days=200, agents=False).run().summary()
    assert s["median_days_report_to_resolution"] <= s["median_days_onset_to_resolution"]
    assert 0 <= s["resolved_within_7_days_share"] <= s["resolved_within_30_days_share"] \
        <= s["resolved_within_90_days_share"] <= 1
