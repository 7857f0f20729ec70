"""Shared fixtures: small communities and short horizons keep the suite fast."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from cogov.model import CommunityModel  # noqa: E402

SMALL = {"structure.units": 24, "structure.buildings": 8, "structure.areas": 2}


def replicate_seeds(root: int, n: int) -> list[int]:
    """Replicate seeds as the project defines them: adding replicates never changes old ones."""
    return [int(np.random.SeedSequence(root, spawn_key=(i,)).generate_state(1)[0])
            for i in range(n)]


@pytest.fixture
def small_model():
    def make(scenario: str = "one-core-four-element", seed: int = 1, days: int = 120,
             agents: bool = True, **over):
        overrides = {**SMALL, "days": days, **over}
        return CommunityModel(scenario, rng=seed, overrides=overrides,
                              create_resident_agents=agents)

    return make
