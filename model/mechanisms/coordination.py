"""Coordination: who decides which actor handles a detected issue (R9–R12). Switch: ``mode``.

* ``none`` — 各自为政 / 条块分割 (baseline B2; seed 001 L11; seed 002 L237): the issue lands with
  whichever office the resident reached — the committee or a specialist — with no regard to who
  has time; a share first lands on the wrong desk and loses days; power-limited issues seldom get
  the department they need.
* ``government`` — 大包大揽 (baseline B1; seed 001 L106–107; seed 002 L57, L91): the committee does
  everything; social organizations and firms are crowded out.
* ``market`` — providers serve what is paid for: firms and social organizations take the issues
  of residents who pay, the committee the rest [design choice].
* ``one_core`` — 一核引领 (seed 000 L687; seed 001 L53; seed 002 L23): the party branch triages each
  issue (costing its hours), matches it among the actors able to handle it in proportion to their
  spare hours and, for issues that cost money, to whether they can pay for it (demand list →
  resource list → project list: a need is matched to resources, not only to time), handles
  complex issues jointly with combined strengths (seed 001 L12), summons departments for issues
  beyond local powers (joint operations instead of silos, seed 001 L11), and holds a monthly
  joint meeting on hard cases (seed 001 L53).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..config import Category
from ..issues import Level
from ..schema import Day, Hours, Pos, Share, Strict
from .base import Mechanism

MEETING_PERIOD = 30  # monthly joint meeting on hard issues (seed 001 L53)
HARD_CASE_DAYS = 30


class CoordinationParams(Strict):
    """Who routes issues to handlers (R9, R11, R12). Its switch is ``mode``."""

    mode: Literal["none", "government", "market", "one_core"] = Field(
        "none",
        description="none = 各自为政 silos; government = 大包大揽, the committee and street do "
        "everything; market = providers serve what is paid for; one_core = the party branch "
        "triages and matches demand to resources (一核引领, seed 000 L687)",
    )
    misroute: Share = Field(0.3, description="silo mode: chance an issue first lands with the "
                            "wrong office (条块分割, seed 002 L237)")
    reroute_days: Day = Field(4, description="days lost per misrouting")
    summon_success: Share = Field(
        0.3, description="chance a power-limited issue gets the department it needs without "
        "escalating (joint operations instead of silos, seed 001 L11); one_core uses "
        "``joint_summon_success``"
    )
    joint_summon_success: Share = Field(
        0.8, description="the same when the core summons departments to joint operations "
        "(seed 001 L11) [size: design choice]")
    joint_effort: Pos = Field(0.75, description="effort multiplier for complex issues handled "
                              "jointly (combined advantages, seed 001 L12)")
    triage_hours: Hours = Field(0.2, description="party-branch hours spent per issue triaged")
    market_paid_share: Share = Field(
        0.6, description="market mode: share of residents able and willing to pay for service"
    )


class Coordination(Mechanism):
    key = "coordination"
    Params = CoordinationParams
    order = 10
    name_zh = "协调方式"
    name_en = "coordination"
    reports = (Metric("triaged", "党组织分流问题数", "issues triaged by the party branch",
                      "count", definition="per day, one-core coordination"),)

    @property
    def mode(self) -> str:
        return self.params.mode

    @property
    def summon_success(self) -> float:
        p = self.params
        return p.joint_summon_success if self.mode == "one_core" else p.summon_success

    def setup(self) -> None:
        self._payer: np.ndarray | None = None
        self.triaged_today = 0
        self.hard_cases_reviewed = 0
        self.configure(self.params)

    def configure(self, params) -> None:
        super().configure(params)
        self.model.party.leads = self.mode == "one_core"

    # --- routing ------------------------------------------------------------------------------

    def eligible(self) -> np.ndarray:
        """(handlers × categories) who may take an issue of each category in this mode.

        Where a mechanism designates an active actor for a category (``first_call``: people's
        mediators for disputes, a council for micro-projects), issues of that category go to the
        designated actors only — except under 大包大揽, where the committee and the bodies under it
        take everything.
        """
        m = self.model
        active = np.array([h.active and h.routable for h in m.handlers])
        spec = m.slot_specialty & active[:, None]
        spec[m.street.slot] = False
        if self.mode != "one_core":
            spec[m.party.slot] = False
        if self.mode == "government":
            # The committee and what hangs under it (its mediation committee, service station)
            # do everything; social organizations and firms are crowded out.
            system = np.array([h.committee_system for h in m.handlers])
            spec &= system[:, None]
            spec[m.rc.slot] = True
            return spec
        first = np.array([h.first_call for h in m.handlers]) & active[:, None]
        designated = first.any(axis=0)
        spec[:, designated] = first[:, designated]
        return spec

    def spare_capacity(self) -> np.ndarray:
        """Per handler: hours this week minus the effort already queued."""
        m = self.model
        t = m.issues
        ids = t.open_ids()
        mine = ids[t.handler[ids] >= 0]
        backlog = np.bincount(t.handler[mine], weights=t.effort_left[mine],
                              minlength=len(m.handlers))
        hours = np.array([h.hours for h in m.handlers])
        return np.maximum(7.0 * hours - backlog, 0.05 * hours + 1e-3)

    def spare_funds(self) -> np.ndarray:
        """Per handler: yuan it can spend this week (its fund, a week's budget and the public
        fund every actor may draw on) minus the cost of the issues already queued with it."""
        m = self.model
        t = m.issues
        ids = t.open_ids()
        mine = ids[t.handler[ids] >= 0]
        committed = np.bincount(t.handler[mine], weights=t.cost[mine], minlength=len(m.handlers))
        money = np.array([h.fund + 7.0 * h.budget_per_day for h in m.handlers])
        return np.maximum(money + m.public_fund - committed, 0.0)

    def match_weights(self, category: int, spare_hours: np.ndarray,
                      spare_money: np.ndarray) -> np.ndarray:
        """How strongly the core prefers each handler for an issue of ``category``: its spare
        hours, scaled down by the share of the issue's cost it could not pay."""
        cost = self.model.config.issues.category(Category(category)).cost
        if cost <= 0:
            return spare_hours
        return spare_hours * np.clip(spare_money / cost, 0.02, 1.0)

    def route(self, ids: np.ndarray) -> np.ndarray:
        """Assign handlers to newly detected issues; returns the ids routed today."""
        m = self.model
        t = m.issues
        p = self.params
        self.triaged_today = 0
        if ids.size == 0:
            return ids
        if self.mode == "one_core":
            ids = self._triage_budget(ids)
            if ids.size == 0:
                return ids
        eligible = self.eligible()
        cats = t.category[ids]
        chosen = np.full(ids.size, m.rc.slot, dtype=np.int16)
        blind = np.ones(len(m.handlers))
        if self.mode == "one_core":
            hours, money = self.spare_capacity(), self.spare_funds()
        for c in Category:
            sel = np.flatnonzero(cats == c)
            if sel.size == 0:
                continue
            cand = np.flatnonzero(eligible[:, c])
            if self.mode in ("one_core", "none", "government") and cand.size:
                w = (self.match_weights(c, hours, money) if self.mode == "one_core"
                     else blind)[cand]
                chosen[sel] = m.rng.choice(cand, size=sel.size, p=w / w.sum())
            elif self.mode == "market":
                chosen[sel] = self._market_choice(ids[sel], c, cand)
        t.handler[ids] = chosen
        t.ready[ids] = m.day

        misroute = p.misroute * (1.0 - m.street.dispatch)  # unified dispatch removes it
        if self.mode == "none" and misroute > 0:
            lost = m.rng.random(ids.size) < misroute
            t.ready[ids[lost]] = m.day + p.reroute_days
        if self.mode == "one_core":
            joint = t.complex[ids]
            t.joint[ids[joint]] = True
            t.effort_left[ids[joint]] *= p.joint_effort
        return ids

    def _triage_budget(self, ids: np.ndarray) -> np.ndarray:
        """The core triages as many issues as its hours allow, most advanced stage first."""
        party = self.model.party
        per = self.params.triage_hours
        if per <= 0:
            self.triaged_today = ids.size
            return ids
        t = self.model.issues
        order = ids[np.lexsort((t.detected[ids], -t.stage[ids].astype(np.int64)))]
        k = int(min(order.size, party.hours // per))
        party.hours -= k * per
        party.hours_used += k * per
        self.triaged_today = k
        return order[:k]

    def _market_choice(self, ids: np.ndarray, c: int, cand: np.ndarray) -> np.ndarray:
        m = self.model
        if self._payer is None:
            self._payer = m.rng.random(m.population.n) < self.params.market_paid_share
        providers = cand[cand != m.rc.slot]
        out = np.full(ids.size, m.rc.slot, dtype=np.int16)
        if providers.size and c != Category.DISPUTE:
            pays = self._payer[m.issues.origin[ids]]
            out[pays] = m.rng.choice(providers, size=int(pays.sum()))
        return out

    # --- queue order --------------------------------------------------------------------------

    def priority(self, ids: np.ndarray) -> np.ndarray:
        """The order a handler works its queue: triaged by urgency under one core, else FIFO."""
        t = self.model.issues
        if self.mode == "one_core":
            return ids[np.lexsort((t.detected[ids], -t.stage[ids].astype(np.int64),
                                   -t.level[ids].astype(np.int64)))]
        return ids[np.argsort(t.detected[ids], kind="stable")]

    # --- the monthly joint meeting --------------------------------------------------------------

    def organize(self) -> None:
        m = self.model
        if self.mode != "one_core" or m.day == 0 or m.day % MEETING_PERIOD:
            return
        t = m.issues
        ids = t.open_ids()
        hard = ids[(t.detected[ids] >= 0) & (m.day - t.detected[ids] >= HARD_CASE_DAYS)
                   & ~t.joint[ids] & (t.level[ids] <= Level.COMMUNITY)]
        if hard.size:
            t.joint[hard] = True
            t.effort_left[hard] *= self.params.joint_effort
            # Re-match to whoever has time now; the stage decides urgency next time round.
            hours, money = self.spare_capacity(), self.spare_funds()
            elig = self.eligible()
            for c in np.unique(t.category[hard]):
                sel = hard[t.category[hard] == c]
                cand = np.flatnonzero(elig[:, c])
                w = self.match_weights(int(c), hours, money)[cand]
                t.handler[sel] = m.rng.choice(cand, size=sel.size, p=w / w.sum())
        self.hard_cases_reviewed = int(hard.size)

    def metrics(self) -> dict[str, float]:
        return {"triaged": float(self.triaged_today)}

