"""Phase 1: the scenario's timeline — scheduled changes of the rules (``interventions:``), then
shocks to the state (``events:``, :mod:`cogov.model.events`), then the issue surges in force.

An event acts at once: on its day, before anything else of the day, so the day's issues,
routing and residents' update already meet the changed community.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..config import CATEGORY_NAMES
from ..lifecycle import add_issues
from ..loading import apply_intervention
from ..population import INSTITUTION_KEYS

if TYPE_CHECKING:
    from ..model import CommunityModel


def apply_interventions(model: CommunityModel) -> None:
    for iv in model.config.interventions:
        if iv.day == model.day:
            model.reconfigure(apply_intervention(model.config, iv.set))
            model.log.append(f"day {model.day}: {iv.note or iv.set}")
    for ev in model.config.events:
        if ev.day == model.day:
            apply_event(model, ev)
    if model.surges:
        update_surges(model)


def apply_event(model: CommunityModel, ev) -> None:
    """Change the community's state as ``ev`` says (already validated for this scenario)."""
    kind = ev.kind
    if kind == "trust_drop":
        model.population.lose_trust([INSTITUTION_KEYS.index(i) for i in ev.institution],
                                    ev.share)
    elif kind == "issue_surge":
        c = CATEGORY_NAMES.index(ev.category)
        if ev.days is not None:
            model.surges.append((model.day + ev.days, c, ev.multiplier))
            update_surges(model)
        if ev.add:
            at_risk = model.vulnerable_ids if ev.category == "care" else None
            size = model.population.n if at_risk is None else at_risk.size
            if size:
                pick = model.rng.integers(0, size, ev.add)
                add_issues(model, c, pick if at_risk is None else at_risk[pick])
                model.today.event_issues[c] += ev.add
    elif kind == "budget_cut":
        key = budget_key(model, ev.organization)
        now = _read(model.config, key)
        model.reconfigure(apply_intervention(model.config, {key: now * (1.0 - ev.share)}))
    elif kind == "leader_leaves":
        model.mechanisms["leadership"].turnover()
    else:  # the schema admits no other kind
        raise ValueError(f"unknown event kind {kind!r}")
    model.today.events += 1
    note = f" — {ev.note}" if ev.note else ""
    model.log.append(f"day {model.day}: event {ev.describe()}{note}")
    model.events_applied.append({"day_applied": model.day, **ev.model_dump(mode="json")})


def budget_key(model: CommunityModel, name: str) -> str:
    """The dotted key of an organization's daily budget, by the name an event gives it."""
    a = model.config.actors
    if hasattr(a, name):
        return f"actors.{name}.budget_per_day"
    for group in ("social_organizations", "enterprises"):
        for i, org in enumerate(getattr(a, group)):
            if org.name == name:
                return f"actors.{group}.{i}.budget_per_day"
    raise ValueError(f"no organization {name!r}")


def _read(config, key: str) -> float:
    node = config
    for part in key.split("."):
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return float(node)


def update_surges(model: CommunityModel) -> None:
    """Today's multiplier on each category's rate: the product of the surges in force; a surge
    ends after its days."""
    model.surges = [s for s in model.surges if model.day < s[0]]
    factor = np.ones(len(CATEGORY_NAMES))
    for _, c, mult in model.surges:
        factor[c] *= mult
    model.surge_factor = factor
