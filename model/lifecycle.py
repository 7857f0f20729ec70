"""The life of an issue, in the operations the day's phases and the mechanisms share: an issue is
added, detected, assigned to a handler (or taken back, or handled jointly), pushed up to the
community, referred to the street, resolved or failed by an attempt, or closed by a petition
(and turned into a mass incident). The phases import these from here — never from one another —
so each phase reads on its own, and every change of who holds an issue, at what level, and
whether it is open happens in one of the functions below (or in the issue table itself). How an
issue ripens and how much effort is spent on it are the business of the phase that does it
(generation, handling).

These are functions of the model rather than methods of the issue table because most of them
also record the event in the day's log (``model.today``, ``model.log_escalation``) that the
residents' phase and the metrics read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .config import Category
from .issues import Level, Stage, Status

if TYPE_CHECKING:
    from .agents import Organization
    from .model import CommunityModel

RETRY_EFFORT = 0.5  # a second attempt needs half the original effort [design choice]


def add_issues(model: CommunityModel, c: int, origin: np.ndarray,
               recurrence_of: np.ndarray | None = None) -> np.ndarray:
    pop = model.population
    cat = model.config.issues.category(Category(c))
    k = origin.size
    # origin first: it gives the number of rows; constant columns are single values
    cols = dict(
        origin=origin, category=c, unit=pop.unit[origin],
        building=pop.building[origin], grid=pop.grid[origin], created=model.day,
        cost=cat.cost, complex=model.rng.random(k) < cat.complex_share,
        needs_power=model.rng.random(k) < cat.power_share, last_push=model.day,
        level=Level.GRID, status=Status.OPEN,
    )
    if recurrence_of is not None:
        cols["recurrence_of"] = recurrence_of
    return model.issues.add(**cols)


def mark_detected(model: CommunityModel, ids: np.ndarray, channel: np.ndarray | int,
                  level: Level = Level.GRID) -> None:
    """Record detection; the effort an issue needs depends on the stage it is found at."""
    t = model.issues
    if ids.size == 0:
        return
    effort = model.category_effort
    mult = np.asarray(model.config.issues.stage_effort)
    t.detected[ids] = model.day
    t.channel[ids] = channel
    t.found_stage[ids] = t.stage[ids]
    t.effort_left[ids] = effort[t.category[ids]] * mult[t.stage[ids]]
    t.level[ids] = np.maximum(t.level[ids], level)
    t.last_push[ids] = model.day


def assign(model: CommunityModel, ids: np.ndarray, handler: np.ndarray | int,
           delay: np.ndarray | int | None = 0) -> None:
    """Give issues to a handler slot, workable ``delay`` days from today (a misrouted issue
    loses days); ``delay=None`` keeps when each could be worked (a re-match of waiting issues)."""
    t = model.issues
    t.handler[ids] = handler
    if delay is not None:
        t.ready[ids] = model.day + delay


def unassign(model: CommunityModel, ids: np.ndarray) -> None:
    """Take issues back from their handler: they are routed again."""
    model.issues.handler[ids] = -1


def handle_jointly(model: CommunityModel, ids: np.ndarray, effort: float | None = None) -> None:
    """Actors take issues on jointly: combined strengths cut the failure chance (handling) and,
    with ``effort``, the effort left."""
    t = model.issues
    t.joint[ids] = True
    if effort is not None:
        t.effort_left[ids] *= effort


def escalate_to_community(model: CommunityModel, ids: np.ndarray) -> None:
    """A resident takes a grid-level issue to the community."""
    t = model.issues
    t.level[ids] = Level.COMMUNITY
    t.last_push[ids] = model.day
    model.log_escalation(ids, Level.COMMUNITY)


def refer_to_street(model: CommunityModel, ids: np.ndarray) -> None:
    """Hand issues to the street office, which acts after its response delay."""
    if ids.size == 0:
        return
    t = model.issues
    model.log_escalation(ids, Level.STREET)
    t.handler[ids] = model.street.slot
    t.level[ids] = Level.STREET
    t.ready[ids] = model.day + model.street.response_days
    t.last_push[ids] = model.day


def send_back(model: CommunityModel, ids: np.ndarray) -> None:
    """The street office or a department sends issues the committee cannot legally close back
    down to the community (推诿, 踢皮球): they lose their handler and are routed again, their
    bounce counted."""
    if ids.size == 0:
        return
    t = model.issues
    t.handler[ids] = -1
    t.level[ids] = Level.COMMUNITY
    t.bounces[ids] += 1
    t.last_push[ids] = model.day
    model.today.bounces += int(ids.size)


def resolve(model: CommunityModel, ids: np.ndarray, actor: Organization) -> None:
    if ids.size == 0:
        return
    t = model.issues
    t.close(ids, Status.RESOLVED, model.day)
    model.today.log_resolved(ids, actor.institution)
    # End-of-pipe fixes of open conflicts tend to come back (seed 004 L149).
    late = ids[t.found_stage[ids] == Stage.OPEN]
    back = late[model.rng.random(late.size) < model.config.issues.recurrence]
    if back.size:
        for c in np.unique(t.category[back]):
            sel = back[t.category[back] == c]
            add_issues(model, int(c), t.origin[sel], recurrence_of=sel)
        model.today.recurrences += int(back.size)


def fail(model: CommunityModel, ids: np.ndarray) -> None:
    if ids.size == 0:
        return
    t = model.issues
    t.attempts[ids] += 1
    t.effort_left[ids] = model.category_effort[t.category[ids]] * RETRY_EFFORT
    model.today.failed_origins.append(t.origin[ids])


def close_by_petition(model: CommunityModel, ids: np.ndarray) -> None:
    """A petition (信访) takes the issue out of the community's hands."""
    t = model.issues
    model.log_escalation(ids, Level.PETITION)
    t.level[ids] = Level.PETITION
    t.close(ids, Status.CLOSED_ESCALATED, model.day)
    model.today.petition_origins.append(t.origin[ids])


def mark_mass_incident(model: CommunityModel, ids: np.ndarray) -> None:
    """Petitions that turned into a mass incident in their building."""
    t = model.issues
    t.level[ids] = Level.MASS_INCIDENT
    model.log_escalation(ids, Level.MASS_INCIDENT)
    model.today.mass_incident_buildings.append(t.building[ids])
