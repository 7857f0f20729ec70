"""Grid coverage and patrols: proactive discovery by grid workers (R5–R8).

Jiangxinyuan lays volunteer grid workers over every unit (seed 000 L693); Dongcheng staffs each of
its 589 grids with seven forces (seed 002 L257); full-time grid workers are the main patrol force
(seed 004 L261); smaller grids mean denser service (seed 002 L237, L265). A covered grid is
patrolled every day; its patrol hours spread over its units, and each hour in a unit finds a
visible issue there with ``find_per_hour`` × the issue's visibility at its stage, so latent
causes and early signs are caught before they become open conflicts (从等问题到找问题, seed 001
L11).

Patrol hours are never free: every morning they are drawn from a declared source in the
ledger. With ``force: paid`` (the default: full-time grid workers are the main force, seed 004
L261) ``workers`` grid workers supply ``hours_per_worker_day`` each, spread evenly over the
covered grids, and their hours on duty enter the paid cost at the wage; patrols beyond what they
supply do not happen. With ``force: volunteers`` (Jiangxinyuan's 868 volunteer grid workers,
seed 000 L693) each covered grid's patrol hours come from its own residents, asked in
proportion to their participation propensity and never beyond their spare time
(:mod:`cogov.model.volunteer_time`). Either way the search uses the hours actually patrolled.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from ..catalogue import Metric
from ..issues import Channel
from ..ledger import GRID
from ..schema import FieldError, Hours, NonNeg, Share, Strict, Switch
from ..volunteer_time import give_everyone
from .base import Mechanism


class GridParams(Strict):
    """Grid coverage and patrols: proactive discovery (R5–R8; seed 000 L693; seed 002 L257)."""

    enabled: Switch = False
    coverage: Share = Field(1.0, description="share of grids with an active grid worker")
    patrol_hours_per_grid: Hours = Field(0.5, description="patrol hours per covered grid "
                                          "per day")
    find_per_hour: Share = Field(0.3, description="chance an hour of patrol in a unit finds a "
                                 "given visible issue there; a grid's hours spread over its units")
    force: Literal["paid", "volunteers"] = Field(
        "paid", description="who patrols: full-time grid workers, paid (专职网格员为主要力量, seed "
        "004 L261), or volunteer grid workers out of their grid's residents' own time (868 "
        "志愿网格员 in Jiangxinyuan, seed 000 L693)")
    workers: NonNeg = Field(4.0, description="full-time grid workers patrolling this "
                            "community (force: paid) [design choice: about one per 300 "
                            "households]", json_schema_extra={"unit": "persons"})
    hours_per_worker_day: Hours = Field(7.5, description="patrol hours a grid worker gives a "
                                        "day (force: paid) [design choice]")

    @model_validator(mode="after")
    def _patrols_have_a_payer(self) -> GridParams:
        if self.enabled and self.force == "paid" and self.workers * self.hours_per_worker_day <= 0:
            field = "workers" if self.workers <= 0 else "hours_per_worker_day"
            raise FieldError((field,), (
                "grid patrols by paid grid workers need workers > 0 and hours_per_worker_day > 0: "
                "patrol hours are never free; give the grid workers, or patrol with "
                "force: volunteers, or switch the grid off"))
        return self


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
        self.hours = np.zeros(n_grids)  # hours patrolled today, per grid
        self._coverage_key: tuple[bool, float] | None = None

    @property
    def covered(self) -> np.ndarray:
        """Per grid, whether it is covered (read-only: shared until the rules change)."""
        return self._coverage()[0]

    def _coverage(self) -> tuple[np.ndarray, bool, float]:
        """Covered grids, whether all are, and their share: worked out again only when the
        switch or the coverage changes, not twice a day."""
        key = (self.enabled, self.params.coverage)
        if key != self._coverage_key:
            n = self._rank.size
            cov = (self._rank < round(self.params.coverage * n) if self.enabled
                   else np.zeros(n, bool))
            # the share as sum / n: ndarray.mean's sum and division
            self._coverage_cache = (cov, bool(cov.all()), float(cov.sum()) / n)
            self._coverage_key = key
        return self._coverage_cache

    def adjust_hours(self) -> None:
        """Today's patrol hours per grid, drawn from the grid workers or the residents."""
        m = self.model
        p = self.params
        ledger = m.ledger
        cov, all_covered, _ = self._coverage()
        if p.force == "paid":
            ledger.add_hours("grid_workers", GRID, p.workers * p.hours_per_worker_day)
            n_cov = int(cov.sum())
            got = ledger.use_hours(GRID, "patrol", n_cov * p.patrol_hours_per_grid)
            self.hours = np.where(cov, got / max(n_cov, 1), 0.0)
            return
        pop = m.population
        grid = pop.grid
        # Whole columns, no index lists: every resident is asked (nothing, outside a covered
        # grid or at zero propensity), which is cheaper than selecting who is.
        weight = pop.participation if all_covered else pop.participation * cov[grid]
        total = np.bincount(grid, weights=weight, minlength=cov.size)
        per_weight = np.divide(p.patrol_hours_per_grid, total, out=np.zeros(cov.size),
                               where=total > 0)
        given = give_everyone(m, weight * per_weight[grid])
        self.hours = np.bincount(grid, weights=given, minlength=cov.size)
        patrolled = float(self.hours.sum())
        ledger.add_hours("grid_volunteers", GRID, patrolled)
        ledger.use_hours(GRID, "patrol", patrolled)

    def search(self, ids: np.ndarray) -> list[tuple[np.ndarray, Channel]]:
        if ids.size == 0:
            return []
        m = self.model
        t = m.issues
        vis = np.asarray(m.config.detection.proactive_stage)[t.stage[ids]]
        # Patrol time spreads over the grid's units: smaller grids are searched more densely.
        hours_per_unit = self.hours[t.grid[ids]] / m.config.structure.units_per_grid
        p = 1.0 - np.exp(-hours_per_unit * self.params.find_per_hour * vis)
        return [(p, Channel.GRID_PATROL)]

    def metrics(self) -> dict[str, float]:
        if not self.enabled:
            return {"grid_coverage": 0.0, "patrol_hours": 0.0}
        return {"grid_coverage": self._coverage()[2], "patrol_hours": float(self.hours.sum())}
