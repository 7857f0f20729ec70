"""Patient rule induction (PRIM; Friedman & Fisher 1999): boxes of input space where the cases of
interest are dense, as the EMA Workbench's scenario discovery finds them.

PRIM is implemented here rather than taken from the EMA Workbench because the workbench pulls in
scikit-learn, statsmodels, seaborn and an optimisation library for one algorithm of a few hundred
lines, and its PRIM draws as it goes; this module needs only NumPy, SciPy and pandas and draws
nothing.

The box starts as the whole sample. **Peeling** removes, along one parameter at a time, the
``alpha`` share of the box's points at its low or its high end (a categorical parameter drops one
of its values) — the candidate that raises the share of cases of interest most per point removed
(Friedman & Fisher's criterion) — until the box holds less than ``min_mass`` of the points or only
cases of interest. Every box on the way is kept: the **peeling trajectory**, from high coverage
and low density to the reverse. A box is chosen from it (the one of highest coverage whose density
reaches ``min_density``, or a step the user names) and then **pasted**: a limit is widened again,
``alpha`` of the box's points at a time, while that raises the density. **Covering** repeats the
search on the points outside the boxes found so far.

Statistics of a box, as the workbench reports them:

* coverage — the share of all cases of interest that lie inside it;
* density — the share of the points inside it that are cases of interest;
* mass — the share of all points that lie inside it;
* for each restricted parameter, a quasi-p-value: the one-sided binomial chance of at least as
  many cases inside the box were the density that of the box without that restriction.

A restriction with a quasi-p-value above ``prune_p`` is then dropped, the least significant
first: the box without it holds its cases about as densely, so the restriction is not part of
the finding — unless the box would then be significantly less dense than the box chosen. The
box's statistics are those after pruning, so its density can end a little below
``min_density``.

Box limits are the smallest and largest values of the points a peel keeps, so a box never claims
a region its sample did not reach.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: Defaults [design choice: the EMA Workbench's — peel and paste 5% of a box at a time, stop
#: below 5% of the points, and call a box of 80% cases of interest a finding].
ALPHA = 0.05
MIN_MASS = 0.05
MIN_DENSITY = 0.8
MAX_BOXES = 3
#: A restriction whose quasi-p-value exceeds this is dropped from a chosen box [design choice:
#: peeling trims a few points off parameters that do not matter on its way; the workbench leaves
#: dropping them to the user, here it is the default].
PRUNE_P = 0.05


@dataclass(frozen=True)
class Limit:
    """A box's range along one parameter: ``[low, high]`` for a number, a set of ``values`` for a
    categorical parameter."""

    low: float = -np.inf
    high: float = np.inf
    values: frozenset | None = None

    def holds(self, column: np.ndarray) -> np.ndarray:
        if self.values is not None:
            return np.isin(column, list(self.values))
        return (column >= self.low) & (column <= self.high)

    def describe(self) -> str:
        if self.values is not None:
            return "{" + ", ".join(sorted(map(str, self.values))) + "}"
        return f"[{self.low:.4g}, {self.high:.4g}]"


@dataclass(frozen=True)
class Box:
    """One box and its statistics over the points PRIM was given."""

    limits: dict[str, Limit]
    restricted: tuple[str, ...]  # parameters whose limit is narrower than the data's
    points: int
    cases: int
    coverage: float
    density: float
    mass: float
    qp: dict[str, float] = field(default_factory=dict)  # quasi-p-value per restricted parameter

    def describe(self) -> str:
        if not self.restricted:
            return "the whole parameter space"
        return "; ".join(f"{k} ∈ {self.limits[k].describe()}" for k in self.restricted)


@dataclass
class Search:
    """One box search: its peeling trajectory, the step chosen, and the pasted box."""

    trajectory: list[Box]
    chosen: int | None  # index into the trajectory; None when no box reaches the density
    box: Box | None  # the chosen box after pasting
    mask: np.ndarray | None = None  # which of all points lie in ``box``


@dataclass
class Result:
    """Every search of a covering run; ``boxes`` are the ones found, in order."""

    searches: list[Search]
    total_points: int
    total_cases: int

    @property
    def boxes(self) -> list[Box]:
        return [s.box for s in self.searches if s.box is not None]


class _Space:
    """The sample as columns, with the full-range limit of each parameter."""

    def __init__(self, x: pd.DataFrame):
        self.names = list(x.columns)
        self.columns: dict[str, np.ndarray] = {}
        self.categorical: dict[str, bool] = {}
        for name in self.names:
            col = x[name]
            numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
            self.categorical[name] = not numeric
            self.columns[name] = col.to_numpy(dtype=float if numeric else object)

    def full(self, mask: np.ndarray) -> dict[str, Limit]:
        """Limits that hold every point of ``mask``."""
        out = {}
        for name in self.names:
            col = self.columns[name][mask]
            if self.categorical[name]:
                out[name] = Limit(values=frozenset(col.tolist()))
            else:
                out[name] = Limit(float(col.min()), float(col.max()))
        return out

    def inside(self, limits: dict[str, Limit]) -> np.ndarray:
        mask = np.ones(len(next(iter(self.columns.values()))), dtype=bool)
        for name, limit in limits.items():
            mask &= limit.holds(self.columns[name])
        return mask


def _count(mask: np.ndarray) -> int:
    return int(np.count_nonzero(mask))


def _mean(y: np.ndarray, mask: np.ndarray) -> float:
    n = _count(mask)
    return float(y[mask].sum() / n) if n else 0.0


def _peels(space: _Space, limits: dict[str, Limit], box: np.ndarray, alpha: float):
    """Every candidate peel of the box: (new limits, new mask)."""
    n = _count(box)
    k = max(1, int(alpha * n))
    for name in space.names:
        col = space.columns[name]
        values = col[box]
        if space.categorical[name]:
            present = set(values.tolist())
            if len(present) < 2:
                continue
            for drop in present:
                keep = Limit(values=frozenset(present - {drop}))
                yield {**limits, name: keep}, box & keep.holds(col)
            continue
        ordered = np.sort(values)
        if ordered[0] == ordered[-1]:
            continue
        low = ordered[k] if ordered[k] > ordered[0] else ordered[ordered > ordered[0]][0]
        high = ordered[-1 - k] if ordered[-1 - k] < ordered[-1] else ordered[
            ordered < ordered[-1]][-1]
        old = limits[name]
        for new in (Limit(float(low), old.high), Limit(old.low, float(high))):
            yield {**limits, name: new}, box & new.holds(col)


def _pastes(space: _Space, limits: dict[str, Limit], box: np.ndarray, within: np.ndarray,
            alpha: float):
    """Every candidate widening of the box, over the points in ``within``."""
    k = max(1, int(alpha * _count(box)))
    for name in space.names:
        col = space.columns[name]
        others = within & space.inside({n: v for n, v in limits.items() if n != name})
        limit = limits[name]
        if space.categorical[name]:
            for value in set(col[others].tolist()) - set(limit.values or ()):
                wider = Limit(values=frozenset(limit.values | {value}))
                yield {**limits, name: wider}, others & wider.holds(col)
            continue
        below = np.sort(col[others & (col < limit.low)])
        above = np.sort(col[others & (col > limit.high)])
        if below.size:
            wider = Limit(float(below[max(0, below.size - k)]), limit.high)
            yield {**limits, name: wider}, others & wider.holds(col)
        if above.size:
            wider = Limit(limit.low, float(above[min(above.size, k) - 1]))
            yield {**limits, name: wider}, others & wider.holds(col)


def _box(space: _Space, y: np.ndarray, limits: dict[str, Limit], mask: np.ndarray,
         within: np.ndarray, total_points: int, total_cases: int) -> Box:
    """The statistics of a box; its restrictions are judged against the data in ``within``."""
    full = space.full(within)
    restricted = []
    for name in space.names:
        a, b = limits[name], full[name]
        if space.categorical[name]:
            if a.values is not None and not b.values <= a.values:
                restricted.append(name)
        elif a.low > b.low or a.high < b.high:
            restricted.append(name)
    tidy = {}
    for name in space.names:  # an unrestricted limit spans the data, a restricted one as set
        tidy[name] = limits[name] if name in restricted else full[name]
    n, cases = _count(mask), int(y[mask].sum())
    return Box(tidy, tuple(restricted), n, cases,
               cases / total_cases if total_cases else 0.0,
               cases / n if n else 0.0, n / total_points if total_points else 0.0)


def _quasi_p(space: _Space, y: np.ndarray, box: Box, within: np.ndarray) -> dict[str, float]:
    from scipy.stats import binom

    out = {}
    for name in box.restricted:
        relaxed = within & space.inside({k: v for k, v in box.limits.items() if k != name})
        p = _mean(y, relaxed)
        out[name] = float(binom.sf(box.cases - 1, box.points, p)) if box.points else 1.0
    return out


def peel(space: _Space, y: np.ndarray, within: np.ndarray, alpha: float, min_mass: float,
         total_points: int, total_cases: int) -> list[tuple[dict[str, Limit], np.ndarray]]:
    """The peeling trajectory over the points in ``within``: (limits, mask) per step."""
    limits = space.full(within)
    box = within.copy()
    steps = [(limits, box)]
    while _mean(y, box) < 1.0:
        n_old, mean_old = _count(box), _mean(y, box)
        best = None
        for new_limits, new_box in _peels(space, limits, box, alpha):
            n_new = _count(new_box)
            if n_new == 0 or n_new == n_old or n_new < min_mass * total_points:
                continue
            gain = (_mean(y, new_box) - mean_old) / (n_old - n_new)
            if best is None or gain > best[0]:
                best = (gain, new_limits, new_box)
        if best is None:
            break
        _, limits, box = best
        steps.append((limits, box))
    return steps


def paste(space: _Space, y: np.ndarray, limits: dict[str, Limit], box: np.ndarray,
          within: np.ndarray, alpha: float) -> tuple[dict[str, Limit], np.ndarray]:
    """Widen the box while a widening raises its density."""
    while True:
        mean_old = _mean(y, box)
        best = None
        for new_limits, new_box in _pastes(space, limits, box, within, alpha):
            mean_new = _mean(y, new_box)
            if mean_new > mean_old and (best is None or mean_new > best[0]):
                best = (mean_new, new_limits, new_box)
        if best is None:
            return limits, box
        _, limits, box = best


def prune(space: _Space, y: np.ndarray, limits: dict[str, Limit], within: np.ndarray,
          prune_p: float, total_points: int, total_cases: int,
          ) -> tuple[dict[str, Limit], np.ndarray]:
    """Drop the restrictions that do not matter (quasi-p above ``prune_p``), least significant
    first, one at a time, judging the rest again after each — but never so many that the box
    becomes significantly less dense than the box chosen (the same one-sided binomial test the
    other way), as dropping several weak restrictions one by one could make it."""
    from scipy.stats import binom

    full = space.full(within)
    mask = within & space.inside(limits)
    chosen_density = _mean(y, mask)
    while True:
        box = _box(space, y, limits, mask, within, total_points, total_cases)
        qp = _quasi_p(space, y, box, within)
        for name in sorted((k for k, p in qp.items() if p > prune_p), key=lambda k: -qp[k]):
            relaxed = {**limits, name: full[name]}
            wider = within & space.inside(relaxed)
            cases = int(y[wider].sum())
            if binom.cdf(cases, _count(wider), chosen_density) > prune_p:
                limits, mask = relaxed, wider
                break
        else:
            return limits, mask


def choose(trajectory: list[Box], min_density: float) -> int | None:
    """The step of highest coverage whose density reaches ``min_density`` (the first such step
    when several tie), or None."""
    good = [i for i, b in enumerate(trajectory) if b.cases and b.density >= min_density]
    return max(good, key=lambda i: (trajectory[i].coverage, -i)) if good else None


def search(x: pd.DataFrame, y: np.ndarray | pd.Series, alpha: float = ALPHA,
           min_mass: float = MIN_MASS, min_density: float = MIN_DENSITY,
           max_boxes: int = MAX_BOXES, pasting: bool = True, step: int | None = None,
           prune_p: float | None = PRUNE_P) -> Result:
    """PRIM with covering: up to ``max_boxes`` boxes, each found on the points outside the
    earlier ones. ``y`` marks the cases of interest. With ``step`` the first search takes that
    step of its peeling trajectory instead of choosing by density, keeps every restriction of it
    (pasting aside), and no further box is sought. ``prune_p`` (None: keep every restriction)
    drops restrictions that do not matter. A search
    with no case of interest left, or whose trajectory never reaches ``min_density``, finds no
    box and ends the covering."""
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows and y {len(y)}")
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must be in (0, 0.5), got {alpha}")
    space = _Space(x.reset_index(drop=True))
    target = np.asarray(y, dtype=bool).astype(float)
    total_points, total_cases = len(target), int(target.sum())
    within = np.ones(total_points, dtype=bool)
    searches: list[Search] = []
    if total_points == 0 or not space.names:
        return Result(searches, total_points, total_cases)
    for _ in range(1 if step is not None else max_boxes):
        if not target[within].any():
            break
        steps = peel(space, target, within, alpha, min_mass, total_points, total_cases)
        trajectory = [_box(space, target, lim, m, within, total_points, total_cases)
                      for lim, m in steps]
        if step is not None:
            if not 0 <= step < len(trajectory):
                raise ValueError(f"step {step} is not on the peeling trajectory (0–"
                                 f"{len(trajectory) - 1})")
            chosen: int | None = step
        else:
            chosen = choose(trajectory, min_density)
        if chosen is None:
            searches.append(Search(trajectory, None, None))
            break
        limits, mask = steps[chosen]
        if pasting:
            limits, mask = paste(space, target, limits, mask, within, alpha)
        if prune_p is not None and step is None:
            limits, mask = prune(space, target, limits, within, prune_p, total_points,
                                 total_cases)
        box = _box(space, target, limits, mask, within, total_points, total_cases)
        box = dataclasses.replace(box, qp=_quasi_p(space, target, box, within))
        searches.append(Search(trajectory, chosen, box, mask))
        within = within & ~mask
    return Result(searches, total_points, total_cases)


def as_record(box: Box) -> dict[str, Any]:
    """A box as plain JSON values."""
    limits = {}
    for name in box.restricted:
        limit = box.limits[name]
        limits[name] = ({"values": sorted(map(str, limit.values))} if limit.values is not None
                        else {"low": limit.low, "high": limit.high})
    return {"restrictions": limits, "points": box.points, "cases": box.cases,
            "coverage": box.coverage, "density": box.density, "mass": box.mass,
            "quasi_p": box.qp}
