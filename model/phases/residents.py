"""Phase 7: residents update — satisfaction, trust, grievance, participation (R25–R32).

Everything here is one array operation over all residents.

* Perceived performance blends the record of the resident's building (issues settled promptly vs
  failed or escalated, fading over about a month) with the resident's own experience.
* Expectations rise with rights awareness (seed 004 L247) and adapt to experience; satisfaction
  moves toward 0.5 + gain·(performance − expectation) (R25).
* Trust rises in the actor that settles your issue (kept promises, seed 004 L112), falls in the one
  you had to go over, and a petition erodes trust in every public actor (R26, seed 002 L69).
  Mechanisms declare what trust they win (``Mechanism.trust_gain``: a disclosure meeting) and it
  is applied here, last: this phase is the only place where trust, satisfaction and grievance
  change.
* Grievance grows with every day an own issue stays open and with failed attempts (R28, seed 004
  L149), falls on resolution, and spreads through a building after a mass incident.
* Participation propensity moves toward a target raised by trust in the committee, civic
  awareness, the committee's organising time (seed 000 L691) and mechanisms' mobilisation, lowered
  by grievance (seed 004 L157), and mixed with the propensity of one's ties (neighbour influence).
  Intrinsic propensity is skewed (few participate), organising and mobilisation lift everyone.
  Residents then act with a chance proportional to propensity; acts give volunteer hours and
  civic awareness (being heard, R27, seed 002 L89).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..ledger import RESIDENTS
from ..population import Institution
from ..volunteer_time import give, spare

if TYPE_CHECKING:
    from ..model import CommunityModel

QUICK_DAYS = 14  # settled within two weeks counts as good service [design choice]
RECORD_MEMORY = 30.0  # days over which a building's record fades [design choice]
OWN_EXPERIENCE = 0.3  # weight of an own event in perceived performance [design choice]
MASS_INCIDENT_GRIEVANCE = 0.1
PUBLIC = [Institution.PARTY, Institution.RC, Institution.GOV]


def _cat(parts: list[np.ndarray], dtype=np.int64) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype)


def update_residents(model: CommunityModel) -> None:
    pop = model.population
    b = model.config.behaviour
    today = model.today
    t = model.issues
    # Every whole-population step below writes into these two reused rows (``out=`` and in-place
    # operators) instead of allocating a temporary per operation; the operations and their order
    # are those of the equations, so results do not change.
    w1, w2 = pop.work

    resolved = _cat(today.resolved_ids)
    res_who = t.origin[resolved]
    res_inst = _cat(today.resolved_inst)
    quick = (t.closed[resolved] - t.created[resolved]) <= QUICK_DAYS
    esc_who = _cat(today.escalated_origins)
    esc_inst = _cat(today.escalated_inst)
    fail_who = _cat(today.failed_origins)
    pet_who = _cat(today.petition_origins)
    bad_who = np.concatenate([esc_who, fail_who])

    # Perceived performance: the building's record and one's own experience.
    n_b = model.community.n_buildings
    rec = model.building_record
    rec *= 1.0 - 1.0 / RECORD_MEMORY
    res_building = pop.building[res_who]
    rec[:, 0] += np.bincount(res_building, weights=np.where(quick, 1.0, 0.5), minlength=n_b)
    rec[:, 1] += np.bincount(res_building, weights=np.where(quick, 0.0, 0.5), minlength=n_b)
    if bad_who.size:  # failures and escalations are rare: skip the empty index operations
        rec[:, 1] += np.bincount(pop.building[bad_who], minlength=n_b)
    ambient = (rec[:, 0] + 1.0) / (rec.sum(axis=1) + 2.0)
    perf = pop.performance
    np.take(ambient, pop.building, out=w1, mode="clip")  # perf += memory·(ambient − perf)
    w1 -= perf
    w1 *= b.memory
    perf += w1
    perf[res_who] += OWN_EXPERIENCE * (np.where(quick, 1.0, 0.6) - perf[res_who])
    if bad_who.size:
        perf[bad_who] -= OWN_EXPERIENCE * perf[bad_who]

    # expectation += drift·(1 − expectation) + adapt·(perf − expectation)
    expectation = pop.expectation
    np.subtract(1.0, expectation, out=w1)
    w1 *= b.expectation_drift
    np.subtract(perf, expectation, out=w2)
    w2 *= b.expectation_adapt
    w1 += w2
    expectation += w1
    # satisfaction moves toward clip(0.5 + gain·(perf − expectation))
    np.subtract(perf, expectation, out=w1)
    w1 *= b.satisfaction_gain
    w1 += 0.5
    w1.clip(0.0, 1.0, out=w1)  # the array's own clip: np.clip only dispatches to it
    w1 -= pop.satisfaction
    w1 *= b.satisfaction_rate
    pop.satisfaction += w1

    trust = pop.trust
    trust[res_who, res_inst] += b.trust_gain * (1.0 - trust[res_who, res_inst])
    if esc_who.size:  # escalations and petitions are rare: skip the empty index operations
        trust[esc_who, esc_inst] -= b.trust_loss * trust[esc_who, esc_inst]
    if pet_who.size:
        for inst in PUBLIC:
            trust[pet_who, inst] -= b.trust_erosion * trust[pet_who, inst]
    # trust += recovery·(clip(baseline + perf − 0.5) − trust), in a column-major buffer shaped
    # like trust so that each step is one contiguous pass
    drift = pop.work_trust
    np.subtract(perf, 0.5, out=w1)
    np.add(w1[:, None], pop.trust_baseline, out=drift)
    drift.clip(0.0, 1.0, out=drift)
    drift -= trust
    drift *= b.trust_recovery
    trust += drift

    g = pop.grievance
    # Each open issue adds a day's grievance to its originator: only the few originators with an
    # open issue change, so add to them rather than counting over every resident.
    with_open, n_open = np.unique(t.origin[t.open_ids()], return_counts=True)
    g[with_open] += b.grievance_per_open_day * n_open
    if fail_who.size:
        g[fail_who] += b.grievance_failure
    g[res_who] -= b.grievance_relief * g[res_who]
    np.multiply(g, b.grievance_decay, out=w1)
    g -= w1
    hot = _cat(today.mass_incident_buildings)
    if hot.size:
        g[np.isin(pop.building, hot)] += MASS_INCIDENT_GRIEVANCE
    g.clip(0.0, 1.0, out=g)

    update_participation(model)
    perf.clip(0.0, 1.0, out=perf)
    trust.clip(0.0, 1.0, out=trust)
    apply_trust_gains(model)


def apply_trust_gains(model: CommunityModel) -> None:
    """Mechanisms' trust gains (a disclosure meeting) come last, at the end of the day, after
    today's participation has read the trust residents started with; a gain toward 1 keeps
    trust within [0, 1]."""
    pop = model.population
    w1 = pop.work[0]
    for mech in model.hooked["trust_gain"]:
        gain = mech.trust_gain()
        if gain is None:
            continue
        for inst in np.flatnonzero(gain):
            column = pop.trust[:, inst]
            np.subtract(1.0, column, out=w1)
            w1 *= gain[inst]
            column += w1


def participation_target(model: CommunityModel) -> np.ndarray:
    """Where each resident's propensity is heading, given today's organising and ties.

    Returns ``population.work[0]``, which the next whole-population step overwrites."""
    pop = model.population
    b = model.config.behaviour
    target, tmp = pop.work
    per_thousand = model.rc.organising_hours / max(pop.n / 1000.0, 1e-9)
    organising = b.participation_organising * min(1.0, per_thousand / b.organising_saturation)
    pulls = [m.participation_pull() for m in model.hooked["participation_pull"]]
    # One pull is added as it is (0.0 + pull is the pull, and the target it joins is ≥ +0).
    pull = pulls[0] if len(pulls) == 1 else sum(pulls, 0.0)

    # motive = 1 + trust_w·2·(trust_rc − 0.5) + civic_w·2·(civic − baseline) − grievance_w·g
    np.subtract(pop.trust[:, Institution.RC], 0.5, out=target)
    target *= b.participation_trust * 2.0
    target += 1.0
    np.subtract(pop.civic, pop.civic_baseline, out=tmp)
    tmp *= b.participation_civic * 2.0
    target += tmp
    np.multiply(pop.grievance, b.participation_grievance, out=tmp)
    target -= tmp
    # target = base·max(motive, 0) + organising + pull + member
    np.maximum(target, 0.0, out=target)
    target *= pop.participation_base
    target += organising
    target += pull
    # The member bonus is added where it is not 0 (adding 0 elsewhere changes nothing).
    np.add(target, b.member_participation, out=target, where=pop.member_of >= 0)
    target.clip(0.0, 1.0, out=target)
    # mixed with the mean propensity of one's ties
    target *= 1.0 - b.neighbour_influence
    ties = model.network.neighbour_mean(pop.participation)
    ties *= b.neighbour_influence
    target += ties
    return target


def settle_participation(model: CommunityModel, rounds: int = 30) -> None:
    """Start residents at the propensity today's rules sustain, so that day 0 is not a
    transient (the neighbour term converges geometrically)."""
    for _ in range(rounds):
        model.population.participation[:] = np.clip(participation_target(model), 0.0, 1.0)


def update_participation(model: CommunityModel) -> None:
    pop = model.population
    b = model.config.behaviour
    target = participation_target(model)  # population.work[0]
    draw, chance = pop.work
    p = pop.participation
    target -= p  # p += rate·(target − p)
    target *= b.participation_rate
    p += target
    p.clip(0.0, 1.0, out=p)

    model.rng.random(out=draw)  # the same draws as rng.random(n), into a reused row
    np.multiply(p, b.acts_per_day, out=chance)
    act = np.flatnonzero(draw < chance)
    act = act[spare(model, act) >= b.hours_per_act]  # fatigued residents do not act
    give(model, act, b.hours_per_act)
    pop.acts[act] += 1
    pop.activity *= 1.0 - 1.0 / model.activity_memory
    pop.activity[act] += 1.0
    pop.last_act_day[act] = model.day
    pop.volunteer_hours[act] += b.hours_per_act
    pop.civic[act] = np.minimum(pop.civic[act] + b.civic_learning, 1.0)
    hours = float(act.size) * b.hours_per_act
    model.ledger.add_hours("resident_acts", RESIDENTS, hours)
    model.ledger.use_hours(RESIDENTS, "acts", hours)
    model.resident_hours_yesterday = hours
    model.today.actors = act
