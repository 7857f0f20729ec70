"""Phase 6: escalation — residents push unresolved issues up the ladder (R18–R20).

Once a resident's patience is spent, each day brings a chance to push the issue one rung up:
more likely with grievance and less with trust in whoever holds the issue (seed 004 L143) and
with legal awareness, which keeps claims in lawful channels (seed 000 L201). An undetected open
conflict becomes a complaint to the community; a community issue goes to the street office; a
street issue becomes a petition (信访) and leaves the community. Where the building is already
aggrieved, a petition can turn into a mass incident (集体散步, seed 000 L577).

Petitions are bounded by issues, not by days: a resident pushes an issue at most three times
(complaint, street, petition), and the petition takes it out of the community. Every push after
the first about the same issue, and every push about a problem that came back after it was
closed, is a repeat complaint (``repeat_complaints_per_1000_residents_year``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..issues import Channel, Level, Stage
from ..lifecycle import (
    close_by_petition,
    escalate_to_community,
    mark_detected,
    mark_mass_incident,
    refer_to_street,
)
from ..population import Institution

if TYPE_CHECKING:
    from ..model import CommunityModel

GRIEVANCE_REF = 0.3  # grievance at which the base rate applies [design choice]
TRUST_REF = 0.5
LEGAL_REF = 0.4


def escalate(model: CommunityModel) -> None:
    t = model.issues
    pop = model.population
    params = model.config.escalation
    ids = t.open_ids()
    detected = t.detected[ids] >= 0
    waiting = model.day - t.last_push[ids] >= params.patience_days
    ids = ids[waiting & (detected | (t.stage[ids] == Stage.OPEN))]
    if ids.size == 0:
        return
    who = t.origin[ids]
    holder = np.where(t.handler[ids] >= 0, model.slot_institution[np.maximum(t.handler[ids], 0)],
                      Institution.RC)
    x = (params.grievance_weight * (pop.grievance[who] - GRIEVANCE_REF)
         - params.trust_weight * (pop.trust[who, holder] - TRUST_REF)
         - params.legal_weight * (pop.legal[who] - LEGAL_REF))
    p = params.daily_rate * np.exp(x)
    for mech in model.hooked["escalation_factor"]:
        p = p * mech.escalation_factor(ids)
    p = p.clip(0.0, 1.0)
    up = ids[model.rng.random(ids.size) < p]
    if up.size == 0:
        return
    t.complaints[up] += 1

    level = t.level[up]
    undetected = t.detected[up] < 0
    complaint = up[undetected]
    mark_detected(model, complaint, Channel.COMPLAINT, Level.COMMUNITY)
    model.log_escalation(complaint, Level.COMMUNITY)

    rest = up[~undetected]
    level = level[~undetected]
    escalate_to_community(model, rest[level == Level.GRID])

    refer_to_street(model, rest[level == Level.COMMUNITY])
    petition(model, rest[level == Level.STREET])


def petition(model: CommunityModel, ids: np.ndarray) -> None:
    """A petition leaves the community's hands; an aggrieved building can turn it into a mass
    incident."""
    if ids.size == 0:
        return
    t = model.issues
    pop = model.population
    params = model.config.escalation
    close_by_petition(model, ids)

    n_b = model.community.n_buildings
    mean_g = np.bincount(pop.building, weights=pop.grievance, minlength=n_b) / np.maximum(
        np.bincount(pop.building, minlength=n_b), 1)
    ratio = np.minimum(mean_g[t.building[ids]] / max(params.mass_incident_grievance, 1e-9), 1.0)
    mass = ids[model.rng.random(ids.size) < params.mass_incident_rate * ratio**2]
    if mass.size:
        mark_mass_incident(model, mass)
