"""Phase 2: issues arise (R1–R2) and undetected or waiting issues ripen (R3).

Each resident carries a daily hazard per category, scaled by mechanisms that deter or prevent
(campaigns, rule of virtue); a dispute's hazard rises with the resident's grievance — many
conflicts come from unmet livelihood needs (seed 004 L124). Care needs arise only among
vulnerable residents (seed 002 L23). Counts are Poisson draws over the summed hazard, origins
drawn in proportion to individual hazard: one vectorized draw per category.

An issue not yet settled moves from latent cause to early sign to open conflict (诱因 → 苗头 →
事态, seed 003 L5); each step makes it costlier to settle (事后处置 → 事前预防, seed 000 L801).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..config import Category
from ..issues import Level, Stage
from ..lifecycle import add_issues

if TYPE_CHECKING:
    from ..model import CommunityModel


def generate(model: CommunityModel) -> None:
    ripen(model)
    new = np.array([_new_of_category(model, c) for c in Category])
    if model.today.event_issues.any():  # issues an event added this morning are new too
        new = new + model.today.event_issues
    model.today.new_by_category = new


def _new_of_category(model: CommunityModel, c: Category) -> int:
    pop = model.population
    params = model.config.issues
    cat = params.category(c)
    if cat.rate == 0:
        return 0
    rate = cat.rate / 1000.0 * params.demand
    for mech in model.hooked["generation_factor"]:
        rate *= mech.generation_factor(c)
    if model.surge_factor[c] != 1.0:  # an issue surge on the timeline
        rate *= model.surge_factor[c]
    if c == Category.DISPUTE:
        # Grievance raises the hazard, so origins are drawn in proportion to it.
        hazard = rate * (1.0 + params.grievance_sensitivity * pop.grievance)
        cum = hazard.cumsum()
        k = int(model.rng.poisson(cum[-1]))
        origin = cum.searchsorted(model.rng.random(k) * cum[-1], side="right")
        origin = np.minimum(origin, pop.n - 1)
    else:
        # Uniform hazard over those at risk: everyone, or the vulnerable for care needs.
        at_risk = model.vulnerable_ids if c == Category.CARE else None
        size = pop.n if at_risk is None else at_risk.size
        k = int(model.rng.poisson(rate * size))
        pick = (model.rng.random(k) * size).astype(np.int64)
        origin = pick if at_risk is None else at_risk[pick]
    if k == 0:
        return 0
    add_issues(model, c, origin)
    return k


def ripen(model: CommunityModel) -> None:
    t = model.issues
    ids = t.open_ids()
    ids = ids[(t.stage[ids] < Stage.OPEN) & (t.level[ids] <= Level.COMMUNITY)]
    if ids.size == 0:
        return
    moves = model.rng.random(ids.size) < model.category_progress[t.category[ids]]
    ids = ids[moves]
    if ids.size == 0:
        return
    mult = np.asarray(model.config.issues.stage_effort)
    old = t.stage[ids]
    t.stage[ids] = old + 1
    found = t.detected[ids] >= 0  # effort of waiting issues grows with the stage
    t.effort_left[ids[found]] *= mult[old[found] + 1] / mult[old[found]]
