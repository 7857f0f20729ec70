"""The residents' update written the plain Mesa way: one Python ``step`` per Resident agent.

Used only by the benchmark (to show what the columnar, vectorized update buys) and by a test
that checks the two agree statistically. It implements the same equations as
``cogov.model.phases.residents.update_residents`` — perceived performance, expectation,
satisfaction, trust, grievance, participation with neighbour influence, acts — but each
resident computes its own update in Python from today's events, reading its ties from the
network's adjacency lists. Draws come from Mesa's ``model.random`` per agent, so results agree in
distribution, not bit for bit.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from cogov.model.agents import Resident
from cogov.model.ledger import RESIDENTS
from cogov.model.model import CommunityModel
from cogov.model.phases import DAY, update_residents
from cogov.model.phases.residents import (
    MASS_INCIDENT_GRIEVANCE,
    OWN_EXPERIENCE,
    PUBLIC,
    QUICK_DAYS,
    RECORD_MEMORY,
    _cat,
    apply_trust_gains,
)
from cogov.model.population import Institution


def _clip(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


class ReferenceResident(Resident):
    """A resident that updates itself; the day's shared facts come in ``ctx``."""

    def reference_step(self, ctx: dict) -> None:
        m = self.model
        pop = m.population
        b = m.config.behaviour
        i = self.index

        perf = pop.performance[i]
        perf += b.memory * (ctx["ambient"][pop.building[i]] - perf)
        if i in ctx["resolved"]:
            _, quick = ctx["resolved"][i]
            perf += OWN_EXPERIENCE * ((1.0 if quick else 0.6) - perf)
        if i in ctx["bad"]:
            perf -= OWN_EXPERIENCE * perf
        e = pop.expectation[i]
        e += b.expectation_drift * (1.0 - e) + b.expectation_adapt * (perf - e)
        target = _clip(0.5 + b.satisfaction_gain * (perf - e))
        pop.satisfaction[i] += b.satisfaction_rate * (target - pop.satisfaction[i])
        pop.expectation[i] = e

        trust = pop.trust[i]
        if i in ctx["resolved"]:
            inst, _ = ctx["resolved"][i]
            trust[inst] += b.trust_gain * (1.0 - trust[inst])
        if i in ctx["escalated"]:
            inst = ctx["escalated"][i]
            trust[inst] -= b.trust_loss * trust[inst]
        if i in ctx["petitioned"]:
            for inst in PUBLIC:
                trust[inst] -= b.trust_erosion * trust[inst]
        for k in range(trust.size):
            drift_to = _clip(pop.trust_baseline[k] + perf - 0.5)
            trust[k] = _clip(trust[k] + b.trust_recovery * (drift_to - trust[k]))

        g = pop.grievance[i]
        g += b.grievance_per_open_day * ctx["open"].get(i, 0)
        if i in ctx["failed"]:
            g += b.grievance_failure
        if i in ctx["resolved"]:
            g -= b.grievance_relief * g
        g -= b.grievance_decay * g
        if pop.building[i] in ctx["hot"]:
            g += MASS_INCIDENT_GRIEVANCE
        pop.grievance[i] = _clip(g)
        pop.performance[i] = _clip(perf)

        # Participation: the same target, with the mean over one's ties from yesterday's values.
        motive = (1.0 + b.participation_trust * 2.0 * (trust[Institution.RC] - 0.5)
                  + b.participation_civic * 2.0 * (pop.civic[i] - pop.civic_baseline)
                  - b.participation_grievance * pop.grievance[i])
        member = b.member_participation if pop.member_of[i] >= 0 else 0.0
        own = _clip(pop.participation_base[i] * max(motive, 0.0) + ctx["organising"]
                    + ctx["pull"][i] + member)
        lo, hi = ctx["indptr"][i], ctx["indptr"][i + 1]
        weights = ctx["weights"][lo:hi]
        ties = ctx["old_p"][ctx["indices"][lo:hi]]
        strength = weights.sum()
        neighbours = float((weights * ties).sum() / strength) if strength > 0 else 0.0
        target = (1.0 - b.neighbour_influence) * own + b.neighbour_influence * neighbours
        p = _clip(pop.participation[i] + b.participation_rate * (target - pop.participation[i]))
        pop.participation[i] = p
        pop.activity[i] *= 1.0 - 1.0 / m.activity_memory
        if m.random.random() < p * b.acts_per_day and \
                b.volunteer_limit_week - pop.time_load[i] >= b.hours_per_act:  # not fatigued
            pop.time_load[i] += b.hours_per_act
            pop.acts[i] += 1
            pop.activity[i] += 1.0
            pop.last_act_day[i] = m.day
            pop.volunteer_hours[i] += b.hours_per_act
            pop.civic[i] = min(pop.civic[i] + b.civic_learning, 1.0)
            ctx["actors"].append(i)


def update_residents_per_agent(model: CommunityModel) -> None:
    """Phase 7, agent by agent. The building record is shared, so it is kept as in the model."""
    pop = model.population
    b = model.config.behaviour
    today = model.today
    t = model.issues

    resolved_ids = _cat(today.resolved_ids)
    resolved_inst = _cat(today.resolved_inst)
    resolved = {}
    for rid, inst in zip(resolved_ids, resolved_inst, strict=True):
        resolved[int(t.origin[rid])] = (int(inst), t.closed[rid] - t.created[rid] <= QUICK_DAYS)
    escalated = dict(zip(_cat(today.escalated_origins).tolist(),
                         _cat(today.escalated_inst).tolist(), strict=True))
    failed = set(_cat(today.failed_origins).tolist())
    bad = set(escalated) | failed

    record = model.building_record
    record *= 1.0 - 1.0 / RECORD_MEMORY
    for who, (_, quick) in resolved.items():
        record[pop.building[who], 0] += 1.0 if quick else 0.5
        record[pop.building[who], 1] += 0.0 if quick else 0.5
    for who in list(escalated) + list(failed):
        record[pop.building[who], 1] += 1.0
    ambient = (record[:, 0] + 1.0) / (record.sum(axis=1) + 2.0)

    per_thousand = model.rc.organising_hours / max(pop.n / 1000.0, 1e-9)
    pull = sum((m.participation_pull() for m in model.hooked["participation_pull"]), 0.0)
    adjacency = model.network.adjacency
    ctx = {
        "ambient": ambient,
        "resolved": resolved,
        "escalated": escalated,
        "failed": failed,
        "bad": bad,
        "petitioned": set(_cat(today.petition_origins).tolist()),
        "open": Counter(t.origin[t.open_ids()].tolist()),
        "hot": set(_cat(today.mass_incident_buildings).tolist()),
        "organising": b.participation_organising * min(1.0, per_thousand
                                                        / b.organising_saturation),
        "pull": np.broadcast_to(np.asarray(pull, dtype=float), (pop.n,)),
        "old_p": pop.participation.copy(),
        "indptr": adjacency.indptr, "indices": adjacency.indices, "weights": adjacency.data,
        "actors": [],
    }
    model.agents_by_type[ReferenceResident].shuffle_do("reference_step", ctx)
    hours = len(ctx["actors"]) * b.hours_per_act
    model.ledger.add_hours("resident_acts", RESIDENTS, hours)
    model.ledger.use_hours(RESIDENTS, "acts", hours)
    model.resident_hours_yesterday = hours
    model.today.actors = np.array(sorted(ctx["actors"]), dtype=np.int64)
    apply_trust_gains(model)  # the mechanisms' gains come last, as in the model


class ReferenceModel(CommunityModel):
    """The community model with the per-agent residents' update."""

    resident_class = ReferenceResident
    day_phases = tuple(update_residents_per_agent if p is update_residents else p for p in DAY)

