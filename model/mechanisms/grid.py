"""Grid coverage and patrols: proactive discovery by grid workers (R5–R8).

Jiangxinyuan lays volunteer grid workers over every unit (seed 000 L693); Dongcheng staffs each of
its 589 grids with seven forces (seed 002 L257); full-time grid workers are the main patrol force
(seed 004 L261); smaller grids mean denser service (seed 002 L237, L265). A covered grid is
patrolled every day; its patrol hours spread over its units, and each hour in a unit finds a
visible issue there with ``find_per_hour`` × the issue's visibility at its stage, so latent
causes and early signs are caught before they become open conflicts (从等问题到找问题, seed 001
L11).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..issues import Channel
from ..ledger import GRID
from ..schema import Hours, Share, Strict, Switch
from .base import Mechanism


class GridParams(Strict):
    """Grid coverage and patrols: proactive discovery (R5–R8; seed 000 L693; seed 002 L257)."""

    enabled: Switch = False
    coverage: Share = Field(1.0, description="share of grids with an active grid worker")
    patrol_hours_per_grid: Hours = Field(0.5, description="patrol hours per covered grid "
                                          "per day")
    find_per_hour: Share = Field(0.3, description="chance an hour of patrol in a unit finds a "
                                 "given visible issue there; a grid's hours spread over its units")


class GridPatrol(Mechanism):
    key = "grid"
    Params = GridParams
    order = 20
    name_zh = "网格化管理"
    name_en = "grid management"
    reports = (
        Metric("grid_coverage", "网格覆盖率", "grid coverage", "share",
               definition="share of buildings in a staffed grid"),
        Metric("patrol_hours", "网格巡查时数", "grid patrol hours", "hours", definition="per day"),
    )

    def setup(self) -> None:
        n_grids = self.model.community.n_grids
        # A fixed random order of grids: raising coverage adds grids, never reshuffles them.
        self._rank = self.model.rng.permutation(n_grids)

    @property
    def covered(self) -> np.ndarray:
        n = self._rank.size
        return self._rank < round(self.params.coverage * n) if self.enabled else np.zeros(n, bool)

    def adjust_hours(self) -> None:
        hours = float(self.covered.sum() * self.params.patrol_hours_per_grid)
        ledger = self.model.ledger
        ledger.add_hours("grid_workers", GRID, hours)
        ledger.use_hours(GRID, "patrol", hours)

    def search(self, ids: np.ndarray) -> list[tuple[np.ndarray, Channel]]:
        if ids.size == 0:
            return []
        m = self.model
        t = m.issues
        vis = np.asarray(m.config.detection.proactive_stage)[t.stage[ids]]
        # Patrol time spreads over the grid's units: smaller grids are searched more densely.
        hours_per_unit = self.params.patrol_hours_per_grid / m.config.structure.units_per_grid
        rate = hours_per_unit * self.params.find_per_hour
        p = self.covered[t.grid[ids]] * (1.0 - np.exp(-rate * vis))
        return [(p, Channel.GRID_PATROL)]

    def metrics(self) -> dict[str, float]:
        if not self.enabled:
            return {"grid_coverage": 0.0, "patrol_hours": 0.0}
        cov = self.covered
        return {"grid_coverage": float(cov.mean()),
                "patrol_hours": float(cov.sum() * self.params.patrol_hours_per_grid)}
