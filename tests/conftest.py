"""Shared fixtures: small communities and short horizons keep the suite fast."""

from __future__ import annotations

import functools

import matplotlib
import numpy as np
import pytest
from scipy.stats import mannwhitneyu

matplotlib.use("Agg")

from cogov.model import CommunityModel  # noqa: E402

SMALL = {"structure.units": 24, "structure.buildings": 8, "structure.areas": 2}


def replicate_seeds(root: int, n: int) -> list[int]:
    """Replicate seeds as sweeps define them: adding replicates never changes old ones."""
    from cogov.experiments.sweep import replicate_seed

    return [replicate_seed(root, i) for i in range(n)]


REPLICATES = 10
SEEDS = tuple(replicate_seeds(20261121, REPLICATES))


@functools.lru_cache(maxsize=256)
def _summaries(scenario: str, days: int | None, overrides: tuple,
               replicates: int) -> tuple[dict, ...]:
    over = dict(overrides)
    if days is not None:
        over["days"] = days
    seeds = SEEDS if replicates == REPLICATES else replicate_seeds(20261121, replicates)
    return tuple(CommunityModel(scenario, rng=s, overrides=over, create_resident_agents=False)
                 .run().summary() for s in seeds)


def outcomes(scenario: str, days: int | None = None, replicates: int = REPLICATES,
             **overrides) -> dict[str, np.ndarray]:
    """Summary metrics of ``scenario`` over the replicate seeds, one array per metric. Small
    effects and rare events ask for more ``replicates`` (the first ten are always the same)."""
    rows = _summaries(scenario, days, tuple(sorted(overrides.items())), replicates)
    return {k: np.array([r[k] for r in rows]) for k in rows[0] if not isinstance(rows[0][k], str)}


def greater(a: np.ndarray, b: np.ndarray) -> float:
    """One-sided Mann–Whitney U p-value for "a tends to exceed b"."""
    return mannwhitneyu(a, b, alternative="greater").pvalue


@pytest.fixture
def small_model():
    def make(scenario: str = "one-core-four-element", seed: int = 1, days: int = 120,
             agents: bool = True, **over):
        overrides = {**SMALL, "days": days, **over}
        return CommunityModel(scenario, rng=seed, overrides=overrides,
                              create_resident_agents=agents)

    return make


def outcomes_at_cost_of(reference: dict[str, np.ndarray], scenario: str,
                        days: int | None = None, replicates: int = REPLICATES,
                        **overrides) -> tuple[dict[str, np.ndarray], float]:
    """Outcomes of ``scenario`` given the ``reference`` arm's mean social cost by the rule of
    ``cogov compare --equal-cost`` — every organization's paid staff and budget times one factor,
    found by the same fixed point (:func:`cogov.experiments.equal_cost.equalise`) over the same
    seeds — and that factor. A claim of a mechanism that adds hours or money is checked against
    this arm: the effect must survive when the other side is given the same means."""
    from cogov.experiments.equal_cost import COST, equalise, scaled_overrides
    from cogov.model.loading import load_scenario

    config = load_scenario(scenario, overrides).config

    def arm(k: float) -> dict[str, np.ndarray]:
        return outcomes(scenario, days, replicates, **overrides, **scaled_overrides(config, k))

    got = equalise({0: float(np.mean(reference[COST]))},
                   {0: float(np.mean(outcomes(scenario, days, replicates, **overrides)[COST]))},
                   lambda scales, step: {0: float(np.mean(arm(scales[0])[COST]))})[0]
    return arm(got["scale"]), got["scale"]
