"""Residents' limited time: what a resident gives as a volunteer comes out of their own week.

Party-member volunteers, volunteer grid workers, council attendees and residents acting in
community life are the same residents, and none of them has unlimited time. Each resident may
give at most ``behaviour.volunteer_limit_week`` hours over a fading week: their *load* is the
hours given, each day's fading by a seventh, so a steady ``limit / 7`` a day keeps them at the
limit [design choice]. A resident at the limit is fatigued: they give nothing more — no patrol,
no duty hours, no act of participation — until their load has faded. Volunteer teams turn
residents into "a force of work" (seed 004 L147), but the seeds give no figure for how much time
one gives, so the limit is a design choice.

A volunteer worn out over a longer stretch may quit altogether (``population.withdrawn``, set by
:mod:`cogov.model.mechanisms.fatigue`): a withdrawn resident has no spare time to give until they
come back.

Who draws first is the day's order: volunteer grid patrols (morning), party members' duty
hours (morning), council attendance, then residents' own acts (the residents' phase).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .model import CommunityModel

FADE = 1.0 - 1.0 / 7.0  # a day's hours fade by a seventh a day: a week's memory


def fade(model: CommunityModel) -> None:
    """A new day: yesterday's load fades."""
    model.population.time_load *= FADE


def spare(model: CommunityModel, ids: np.ndarray | None = None) -> np.ndarray:
    """Hours each resident (or each of ``ids``) can still give today."""
    pop = model.population
    load = pop.time_load if ids is None else pop.time_load[ids]
    free = np.maximum(model.config.behaviour.volunteer_limit_week - load, 0.0)
    free[pop.withdrawn if ids is None else pop.withdrawn[ids]] = 0.0
    return free


def give_everyone(model: CommunityModel, hours: np.ndarray) -> np.ndarray:
    """Every resident gives up to ``hours[i]``, never beyond their spare time; returns what each
    gave (whole columns: cheaper than an index list when most residents are asked)."""
    load = model.population.time_load
    given = np.subtract(model.config.behaviour.volunteer_limit_week, load)
    np.maximum(given, 0.0, out=given)
    np.minimum(given, hours, out=given)
    given[model.population.withdrawn] = 0.0
    load += given
    return given


def give(model: CommunityModel, ids: np.ndarray, hours: np.ndarray | float) -> np.ndarray:
    """``ids`` give up to ``hours`` each (ids distinct), never beyond their spare time; returns
    what each gave."""
    given = np.minimum(hours, spare(model, ids))
    model.population.time_load[ids] += given
    return given
