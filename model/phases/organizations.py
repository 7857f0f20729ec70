"""Organizational phases: the offices open in the morning (hours, administrative tasks) and, at
the end of the day, organizations, memberships and mechanisms run their own dynamics (R21,
R30, R38–R40).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..ledger import FISCAL_YEAR_DAYS, SHARED_SOURCES
from ..population import Institution
from ..volunteer_time import fade

if TYPE_CHECKING:
    from ..model import CommunityModel


def open_offices(model: CommunityModel) -> None:
    """Each actor gets its staff hours; mechanisms then take or add hours (budgets arrive at the
    end of the previous day).

    The committee spends what is left after administrative tasks partly on organising residents
    (seed 000 L691) and gains capacity from the volunteers it organised yesterday (seed 004 L147).
    """
    fade(model)
    for org in model.handlers:  # the agents of model.organizations, in the same order
        org.begin_day()
    for mech in model.hooked["adjust_hours"]:
        mech.adjust_hours()
    rc = model.rc
    rc_params = model.config.actors.residents_committee
    rc.organising_hours = rc.hours * rc_params.organising_share
    rc.hours -= rc.organising_hours
    model.ledger.use_hours(rc.slot, "organising", rc.organising_hours)
    mobilised = model.resident_hours_yesterday * rc_params.volunteer_use
    rc.hours += mobilised
    model.ledger.add_hours("mobilised_acts", rc.slot, mobilised)


def organize(model: CommunityModel) -> None:
    if (model.day + 1) % FISCAL_YEAR_DAYS == 0:
        close_fiscal_year(model)
    for actor in model.acting_order():
        actor.organize()
    update_memberships(model)
    for mech in model.hooked["organize"]:
        mech.organize()


def close_fiscal_year(model: CommunityModel) -> None:
    """The last evening of a fiscal year, before tomorrow's budgets arrive: what every fund has
    not spent lapses — each organization's fund, the public-service fund (the enterprise's
    unspent allocation goes back to it) and every other shared fund (the moral points bank's)
    [design choice]. No mechanism keeps a carry-over yet."""
    ledger = model.ledger
    for org in model.handlers:
        ledger.lapse(ledger.fund_key[org.slot])
        org.fund = 0.0
    for source in SHARED_SOURCES:
        if source.unit == "yuan":
            ledger.lapse(source.key)
    model.public_fund = 0.0


def update_memberships(model: CommunityModel) -> None:
    """Residents who take part join social organizations they trust; aggrieved members drift
    away (R30, R38). Members give their organization hours and participate more."""
    sos = model.social_organizations
    if not sos:
        return
    pop = model.population
    b = model.config.behaviour
    rng = model.rng
    member = pop.member_of >= 0
    leave = np.flatnonzero(member & (rng.random(pop.n) < b.so_leave * (1.0 + pop.grievance)))
    pop.member_of[leave] = -1
    acted = model.today.actors
    free = acted[pop.member_of[acted] < 0]
    joins = free[rng.random(free.size) < b.so_join * pop.trust[free, Institution.SO]]
    pop.member_of[joins] = rng.integers(0, len(sos), joins.size)
    # Who belongs where, from one pass over the residents: tomorrow morning each organization
    # takes its members' hours without searching the population again.
    members = np.flatnonzero(pop.member_of >= 0)
    of = pop.member_of[members]
    counts = np.bincount(of, minlength=len(sos))
    for k, (so, n) in enumerate(zip(sos, counts.tolist(), strict=True)):
        so.members = n
        so.member_ids = members[of == k] if n else members[:0]
