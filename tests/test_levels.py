"""Levels, not only differences: the dispute demand and the mediators' caseload sit near the
seed 004 city's figures (MECHANISMS §9), within a factor of 2 of them over replicate seeds; the
committee works near full load, and twice the demand makes a baseline fall behind.

A referee found both an order of magnitude off (≈45 disputes per 1,000 residents a year, ≈18
cases per mediator); effects between scenarios can survive such an error, so only a level test
catches it.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from cogov.model import CommunityModel
from cogov.model.issues import Status

from .conftest import SEEDS, greater, outcomes

# 14,000+ disputes a year, 10,285 mediators (seed 004 L280) in a city of 271 lawyers at 0.7 per
# 10,000 (seed 004 L292), i.e. ≈3.87 million people [derived].
POPULATION = 271 / 0.7 * 10_000
DISPUTES_PER_1000_YEAR = 14_000 / POPULATION * 1000   # ≈3.6 [derived]
CASES_PER_MEDIATOR_YEAR = 14_000 / 10_285              # ≈1.4 [derived]


def within_factor_2(value: float, target: float) -> bool:
    return target / 2 <= value <= target * 2


@pytest.mark.parametrize("scenario", ["one-core-four-element", "government-led", "fragmented",
                                      "market-led", "fengqiao"])
def test_disputes_per_1000_residents_a_year_near_the_seed_city(scenario):
    mean = float(outcomes(scenario)["disputes_per_1000_residents_year"].mean())
    assert within_factor_2(mean, DISPUTES_PER_1000_YEAR), (scenario, mean)


def test_fengqiao_cases_per_mediator_near_the_seed_city():
    """Every Fengqiao dispute goes to the mediation committee, so this checks the mediator
    density (``mediators_per_1000``) against the dispute rate."""
    mean = float(outcomes("fengqiao")["mediation_cases_per_mediator_year"].mean())
    assert within_factor_2(mean, CASES_PER_MEDIATOR_YEAR), mean


def test_the_targets_are_the_documented_figures():
    """The derivation in MECHANISMS §9: ≈3.6 disputes per 1,000 a year, ≈1.36 per mediator."""
    assert DISPUTES_PER_1000_YEAR == pytest.approx(3.62, abs=0.01)
    assert CASES_PER_MEDIATOR_YEAR == pytest.approx(1.36, abs=0.01)


# --- capacity: the committee works near full load, and a baseline can fall behind ------------

# Community workers report working at full load (满负荷运转: 82.7% of 162 surveyed community
# workers call the workload heavy; NBS Changzhou survey team, 2023). Hours per case are
# calibrated (model/config.py, IssueParams) so that the government-led committee uses about 80%
# of the hours that reach it; "most of its hours" is tested as more than 70%.
FULL_LOAD = 0.8


def test_the_government_led_committee_uses_most_of_its_hours():
    util = outcomes("government-led", days=730)["utilisation_residents_committee"]
    assert 0.7 < float(util.mean()) < 0.9, util


@functools.lru_cache(maxsize=8)
def _open_issues(scenario: str, demand: float) -> tuple[np.ndarray, np.ndarray]:
    """Mean open issues in the second half of year 1 and of year 2, per replicate seed."""
    first, second = [], []
    for seed in SEEDS:
        model = CommunityModel(scenario, rng=seed, create_resident_agents=False,
                               overrides={"days": 730, "issues.demand": demand})
        series = model.run().timeseries()["open_issues"].to_numpy()
        first.append(series[183:365].mean())
        second.append(series[548:730].mean())
    return np.array(first), np.array(second)


def test_at_twice_the_demand_the_fragmented_backlog_grows_out_of_proportion():
    """Twice the demand more than doubles the backlog: queues are not linear near capacity.
    The honest finding beside it: the backlog then levels off rather than growing without
    bound (year 2 vs year 1 not significant over 10 seeds), because petitions and failed
    attempts take issues out of the community's hands; docs/scenarios.md reports both."""
    _, y2 = _open_issues("fragmented", 2.0)
    _, base2 = _open_issues("fragmented", 1.0)
    assert y2.mean() > 2.5 * base2.mean(), (base2.mean(), y2.mean())
    assert greater(y2, 2 * base2) < 0.01


def test_at_twice_the_demand_the_government_led_committee_saturates():
    """The committee that handles everything runs out of hours: its open issues grow faster
    than demand and the wait from report to resolution jumps."""
    base = outcomes("government-led", days=730)
    tipped = outcomes("government-led", days=730, **{"issues.demand": 2.0})
    assert tipped["utilisation_residents_committee"].mean() > 0.95
    _, base2 = _open_issues("government-led", 1.0)
    _, y2 = _open_issues("government-led", 2.0)
    assert y2.mean() > 3 * base2.mean(), (base2.mean(), y2.mean())
    assert (np.nanmedian(tipped["median_days_report_to_resolution"])
            > np.nanmedian(base["median_days_report_to_resolution"]) + 14)


def test_a_resident_pushes_an_issue_at_most_three_times_and_repeats_are_counted():
    """Petitions are bounded by issues (one per issue: it leaves the community), and pushes
    after the first about the same issue are counted as repeat complaints."""
    model = CommunityModel("fragmented", rng=3, create_resident_agents=False,
                           overrides={"days": 730, "issues.demand": 2.0}).run()
    complaints = model.issues.column("complaints")
    status = model.issues.column("status")
    summary = model.summary()
    assert complaints.max() <= 3
    petitions = summary["petitions_per_10k_year"] * 2 * summary["residents"] / 10_000
    assert petitions <= (status == Status.CLOSED_ESCALATED).sum() + 1e-9
    repeats = np.maximum(complaints - 1, 0).sum()
    assert repeats > 0
    assert summary["repeat_complaints_per_1000_residents_year"] >= (
        repeats / 2 / summary["residents"] * 1000 - 1e-9)
