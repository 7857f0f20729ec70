"""The core's handler draw is numpy's weighted choice, draw for draw: results stay bit-identical
to runs recorded with ``rng.choice``."""

from __future__ import annotations

import numpy as np
from cogov.model.mechanisms.coordination import draw_handlers


def test_draw_handlers_gives_what_rng_choice_gives_and_leaves_the_same_state():
    cases = np.random.default_rng(0)
    for _ in range(2000):
        n, k = int(cases.integers(1, 30)), int(cases.integers(1, 20))
        weights = cases.random(n) ** int(cases.integers(1, 6)) * 10 ** cases.uniform(-8, 8)
        weights[cases.random(n) < 0.2] = 0.0
        weights[int(cases.integers(n))] += 1e-3  # at least one positive weight
        cand = np.sort(cases.choice(100, n, replace=False))
        seed = int(cases.integers(2**62))
        a, b = np.random.default_rng(seed), np.random.default_rng(seed)
        want = a.choice(cand, size=k, p=weights / weights.sum())
        got = draw_handlers(b, cand, weights, k)
        assert got.dtype == want.dtype and np.array_equal(got, want)
        assert a.bit_generator.state == b.bit_generator.state
