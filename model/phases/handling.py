"""Phase 5: handling — each actor spends today's staff hours and money on its queue (R13–R16).

An actor works its ready queue in the order the coordination mechanism sets (FIFO, or triaged
by urgency under one core). Hours go down the queue: every issue whose remaining effort fits is
finished, the next one progresses partly. A finished issue also needs its cost paid from the
actor's fund or the public-service fund (seed 000 L691: the collective enterprise supplies the
material base); without money it waits. A finished attempt settles the issue with the category's
success chance — 93% for people's mediation (seed 004 L280) — raised when actors handle it
jointly; a failed attempt adds grievance and needs another, shorter round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..lifecycle import fail, resolve

if TYPE_CHECKING:
    from ..agents import Organization
    from ..model import CommunityModel

JOINT_FAILURE_CUT = 0.5  # joint handling halves the failure chance [design choice]


def handle(model: CommunityModel) -> None:
    # The workable issues are found once: working one actor's queue closes or changes only that
    # actor's issues (recurrences are new, undetected and unassigned), so the others' queues
    # stay what they were. Most actors hold none, and a phase-wide selection saves each of them
    # its own pass over the open issues.
    t = model.issues
    ids = t.open_ids()
    workable = ids[(t.detected[ids] >= 0) & (t.ready[ids] <= model.day)]
    holder = t.handler[workable]
    holding = set(holder.tolist())
    for actor in model.acting_order():
        if actor.slot in holding and actor.hours > 0:
            work_queue(model, actor, workable[holder == actor.slot])


def work_queue(model: CommunityModel, actor: Organization, queue: np.ndarray) -> None:
    """Work ``queue``, the actor's workable issues in id order (not empty, hours > 0)."""
    t = model.issues
    queue = model.mechanisms["coordination"].priority(queue)
    for mech in model.hooked["queue_order"]:
        queue = mech.queue_order(queue)
    left = t.effort_left[queue]
    cum = left.cumsum()  # the methods, not np.cumsum or .sum: the same loops, less overhead
    n_fit = int(np.count_nonzero(cum <= actor.hours + 1e-9))
    used = float(cum[n_fit - 1]) if n_fit else 0.0
    if n_fit < queue.size:  # the next issue in line progresses partly
        part = actor.hours - used
        t.effort_left[queue[n_fit]] -= part
        used += part
    actor.hours -= used
    actor.hours_used += used
    model.ledger.use_hours(actor.slot, "handling", used)
    finished = queue[:n_fit]
    t.effort_left[finished] = 0.0
    if finished.size == 0:
        return

    # Money: pay in queue order from the actor's fund, then from the public-service fund.
    cost = t.cost[finished]
    affordable = cost.cumsum() <= actor.fund + model.public_fund + 1e-9
    finished = finished[affordable]
    paid = float(cost[affordable].sum())
    own = min(paid, actor.fund)
    actor.fund -= own
    model.public_fund -= paid - own
    model.ledger.spend(model.ledger.fund_key[actor.slot], "handling", own)
    model.ledger.spend("public_fund", "handling", paid - own)
    actor.spent += paid
    model.today.money_spent += paid

    failure = 1.0 - actor.success(t.category[finished])
    failure[t.joint[finished]] *= JOINT_FAILURE_CUT
    for mech in model.hooked["failure_factor"]:
        failure = failure * mech.failure_factor(finished, actor)
    ok = model.rng.random(finished.size) >= failure
    actor.attempted(finished, ok)
    resolve(model, finished[ok], actor)
    fail(model, finished[~ok])


