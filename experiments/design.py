"""Parameter points of an experiment design: grids, lists, Latin hypercubes, Morris, Sobol.

Morris and Sobol samples come from SALib (the ``sensitivity`` extra); everything else needs only
NumPy and SciPy. Samples are seeded by the experiment's root seed, so a design is reproducible.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from cogov.model.loading import ScenarioError

from .spec import Design, Range


def salib_problem(design: Design) -> dict[str, Any]:
    names = list(design.parameters)
    bounds = [[r.low, r.high] for r in design.parameters.values() if isinstance(r, Range)]
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def _require_salib() -> None:
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise ScenarioError("Morris and Sobol designs need SALib: pip install 'cogov[sensitivity]'"
                            ) from None


def sample_matrix(design: Design, root_seed: int) -> np.ndarray:
    """The raw sample (rows = points) for range-based designs, before rounding."""
    problem = salib_problem(design)
    d = problem["num_vars"]
    if design.kind == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=d, seed=root_seed).random(design.samples)
        lows = np.array([b[0] for b in problem["bounds"]])
        highs = np.array([b[1] for b in problem["bounds"]])
        return qmc.scale(unit, lows, highs)
    _require_salib()
    if design.kind == "morris":
        from SALib.sample import morris

        return morris.sample(problem, design.samples, num_levels=design.levels, seed=root_seed)
    from SALib.sample import sobol

    return sobol.sample(problem, design.samples, calc_second_order=False, seed=root_seed)


def design_points(design: Design, root_seed: int = 0) -> list[dict[str, Any]]:
    """Every parameter point of the design, as dotted-key overrides (``[]`` for kind none)."""
    if design.kind == "none":
        return []
    if design.kind == "list":
        return [dict(p) for p in design.points]
    if design.kind == "grid":
        keys = list(design.parameters)
        values = [design.parameters[k] for k in keys]
        return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*values)]
    matrix = sample_matrix(design, root_seed)
    ranges = list(design.parameters.items())
    points = []
    for row in matrix:
        point = {}
        for (key, r), value in zip(ranges, row, strict=True):
            assert isinstance(r, Range)
            point[key] = int(round(value)) if r.integer else float(value)
        points.append(point)
    return points
