"""Volunteer fatigue (mechanisms.fatigue) and crowding out (points, service purchase)."""

from __future__ import annotations

import numpy as np
from cogov.model import CommunityModel
from cogov.model.volunteer_time import give, give_everyone, spare
from scipy.stats import wilcoxon

from .conftest import replicate_seeds

FATIGUE = {"mechanisms.fatigue.enabled": True}


def test_a_withdrawn_resident_gives_nothing(small_model):
    model = small_model(days=1)
    pop = model.population
    pop.withdrawn[:3] = True
    assert np.all(spare(model, np.arange(5))[:3] == 0.0)
    assert np.all(spare(model, np.arange(5))[3:] > 0.0)
    assert np.all(give(model, np.arange(3), 2.0) == 0.0)
    assert np.all(give_everyone(model, np.full(pop.n, 1.0))[:3] == 0.0)


def test_fatigue_is_not_called_while_off(small_model):
    model = small_model()
    assert model.mechanisms["fatigue"] not in model.hooked["organize"]
    model.run(30)
    assert not model.population.withdrawn.any()


def test_over_used_volunteers_quit_and_come_back(small_model):
    quit_all = {**FATIGUE, "mechanisms.fatigue.threshold_hours": 0.0,
                "mechanisms.fatigue.quit_chance": 1.0, "mechanisms.fatigue.return_chance": 0.0}
    model = small_model(days=3, **quit_all)
    model.run()
    gave = model.mechanisms["fatigue"].strain > 0
    assert gave.any() and np.array_equal(model.population.withdrawn, gave)
    assert model.metrics_today["volunteer_quits"] == gave.sum()
    back = model.config.mechanisms.fatigue.model_copy(update={"return_chance": 1.0,
                                                             "quit_chance": 0.0})
    model.mechanisms["fatigue"].configure(back)
    model.run(1)
    assert not model.population.withdrawn.any()


def test_switching_fatigue_off_brings_everyone_back(small_model):
    model = small_model(days=2, **FATIGUE)
    fatigue = model.mechanisms["fatigue"]
    model.population.withdrawn[:10] = True
    fatigue.configure(fatigue.params.model_copy(update={"enabled": False}))
    assert not model.population.withdrawn.any()


SEEDS = replicate_seeds(20261121, 10)


def _arm(scenario: str, **over) -> list[dict]:
    over = {"days": 365, **over}
    return [CommunityModel(scenario, rng=s, residents=2000, overrides=over,
                           create_resident_agents=False).run().summary() for s in SEEDS]


def _paired(on: list[dict], off: list[dict], key: str) -> np.ndarray:
    return np.array([a[key] - b[key] for a, b in zip(on, off, strict=True)])


def test_fatigue_costs_the_flagship_volunteer_hours_and_days_more_than_government_led():
    """2,000 residents, 365 days, 10 common seeds, fatigue on (defaults: 28-day window, 12 hours,
    quit 0.02 a day, return 1/180) against off, paired one-sided Wilcoxon. Measured: the
    flagship, which leans on volunteers, loses 16.9% of its volunteer hours (47,285 → 39,315;
    138 quits, 54 withdrawn at the end, active volunteers 292 → 242) and its mean days from
    report to resolution rise 0.594 → 0.686 (+15%, but p = 0.10 over 10 seeds: not
    established); its mean days to resolve from onset, the catalogue's days to resolve, rise
    7.94 → 8.78 (+11%), asserted here; government-led loses 1.0% of its hours and its days to
    resolve move −0.56 (noise), with no quits. The median from report stays 0
    in the flagship: most issues are still settled the day they are found."""
    core_on, core_off = _arm("one-core-four-element", **FATIGUE), _arm("one-core-four-element")
    gov_on, gov_off = _arm("government-led", **FATIGUE), _arm("government-led")
    hours = _paired(core_off, core_on, "volunteer_hours")
    assert wilcoxon(hours, alternative="greater").pvalue < 0.01
    days_core = _paired(core_on, core_off, "mean_days_to_resolve")
    days_gov = _paired(gov_on, gov_off, "mean_days_to_resolve")
    assert wilcoxon(days_core, alternative="greater").pvalue < 0.05
    assert wilcoxon(days_core - days_gov, alternative="greater").pvalue < 0.05
    loss_gov = _paired(gov_off, gov_on, "volunteer_hours") / np.array(
        [r["volunteer_hours"] for r in gov_off])
    loss_core = hours / np.array([r["volunteer_hours"] for r in core_off])
    assert wilcoxon(loss_core - loss_gov, alternative="greater").pvalue < 0.01


def test_points_crowd_out_their_earners_intrinsic_propensity(small_model):
    """The direct effect of the default crowding_out 0.2 against 0 on the same seed: point
    earners' intrinsic propensity ends lower (and no one's higher)."""
    points = {"mechanisms.points.enabled": True}
    on = small_model("three-governance-fusion", days=120, **points)
    off = small_model("three-governance-fusion", days=120, **points,
                      **{"mechanisms.points.crowding_out": 0.0})
    # The same seed builds the same community: only the erosion can separate them.
    assert np.array_equal(on.population.participation_base, off.population.participation_base)
    on.run(), off.run()
    assert on.population.participation_base.mean() < off.population.participation_base.mean()


def test_purchased_service_crowds_out_members_propensity(small_model):
    """Service purchase with crowding_out 0.2 against 0, same seed: members of social
    organizations whose hours were bought end with lower intrinsic propensity."""
    on = small_model("futian-micro-projects", days=200)
    off = small_model("futian-micro-projects", days=200,
                      **{"mechanisms.service_purchase.crowding_out": 0.0})
    on.run(), off.run()
    assert on.population.participation_base.mean() < off.population.participation_base.mean()
