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

Each mode is a class (:class:`Routing` and one subclass per mode, in ``MODES``) that overrides
only the steps where it differs, so a mode reads on its own and a new one is a new subclass. The
mechanism ``Coordination`` stays the one block ``mechanisms.coordination`` of a scenario; it picks
the mode's class from ``MODES`` in ``configure``, so an intervention that changes ``mode``
mid-run (the reform scenario) swaps the behaviour the next time issues are routed.

The core's coordination takes time, drawn from the ledger like any other use: triage costs the
branch ``triage_hours`` an issue (use ``triage``); convening partners on a complex issue costs it
``joint_hours`` an issue (``joint_handling``) — complex issues beyond its remaining hours are
handled alone; and the monthly joint meeting asks ``meeting_hours`` of the branch and of every
other active community actor it may match issues to (the street is summoned, not met;
``joint_meeting``), set aside that morning out of each one's working day. A hard case is taken
on jointly with chance (the branch's share of its meeting hours given) × (its holder's share),
and it is re-matched only among the actors that came, in proportion to the share each gave
[design choice]: a branch with no time left holds no meeting, a saturated actor misses it.

What must
outlive a swap stays on the mechanism: who pays for service (drawn once, at the first market
routing, and kept if the market returns later) and the day's counters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from .. import lifecycle
from ..catalogue import Metric
from ..config import Category
from ..issues import Level
from ..schema import Day, Hours, Pos, Share, Strict
from .base import Mechanism

MEETING_PERIOD = 30  # monthly joint meeting on hard issues (seed 001 L53)
HARD_CASE_DAYS = 30


def draw_handlers(rng: np.random.Generator, cand: np.ndarray, weights: np.ndarray,
                  k: int) -> np.ndarray:
    """``k`` handlers drawn from ``cand`` in proportion to ``weights`` (positive, finite): the
    draws and results of ``rng.choice(cand, size=k, p=weights / weights.sum())`` — the same
    cumulative distribution, the same uniforms, the same search — without the checks of its
    arguments, which cost three times the draw on the few candidates of a community
    (tests/test_coordination_draws.py holds the two equal)."""
    cdf = (weights / weights.sum()).cumsum()
    cdf /= cdf[-1]
    return cand[cdf.searchsorted(rng.random(k), side="right")]


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
    joint_hours: Hours = Field(
        0.5, description="party-branch hours to convene partners on one complex issue handled "
        "jointly (combined advantages, seed 001 L12) [design choice]",
        json_schema_extra={"unit": "hours/issue"})
    meeting_hours: Hours = Field(
        2.0, description="hours each participating actor gives the monthly joint meeting on "
        "hard cases (seed 001 L53): one representative for two hours [design choice]",
        json_schema_extra={"unit": "hours/meeting"})
    market_paid_share: Share = Field(
        0.6, description="market mode: share of residents able and willing to pay for service"
    )


# --- the modes ----------------------------------------------------------------------------------


class Routing:
    """How issues find handlers in one mode. The base is the shared skeleton: everyone but the
    street and the core may take what they specialise in, designated actors take their
    categories, each issue goes to a candidate drawn blindly, queues are worked first come first
    served and nothing happens at the end of the day. A mode overrides the steps it changes."""

    mode: ClassVar[str]
    leads: ClassVar[bool] = False  # the core leads (``PartyBranch.leads``) in this mode

    def __init__(self, coordination: Coordination):
        self.coordination = coordination
        self.model = coordination.model
        self._eligible_for: tuple[np.ndarray, list[bool]] | None = None

    @property
    def params(self) -> CoordinationParams:
        return self.coordination.params

    @property
    def summon_success(self) -> float:
        """Chance a power-limited issue gets the department it needs without escalating."""
        return self.params.summon_success

    def specialists(self) -> np.ndarray:
        """(handlers × categories) active, routable actors by what they specialise in; the
        street only receives referrals, the core handles issues only when it leads."""
        m = self.model
        active = np.array([h.active and h.routable for h in m.handlers])
        spec = m.slot_specialty & active[:, None]
        spec[m.street.slot] = False
        if not self.leads:
            spec[m.party.slot] = False
        return spec

    def eligible(self) -> np.ndarray:
        """(handlers × categories) who may take an issue of each category in this mode.

        Where a mechanism designates an active actor for a category (``first_call``: people's
        mediators for disputes, a council for micro-projects), issues of that category go to the
        designated actors only.
        """
        m = self.model
        spec = self.specialists()
        active = np.array([h.active and h.routable for h in m.handlers])
        first = np.array([h.first_call for h in m.handlers]) & active[:, None]
        designated = first.any(axis=0)
        spec[:, designated] = first[:, designated]
        return spec

    def admit(self, ids: np.ndarray) -> np.ndarray:
        """The issues that get routed today (all of them, unless someone must triage first)."""
        return ids

    def weigher(self) -> Callable[[int, np.ndarray], np.ndarray]:
        """How strongly each candidate is preferred for an issue of a category, as a function
        ``(category, candidate slots) -> weights`` fixed for one routing: blind by default.
        Only the candidates of the categories that arrived are weighed, and a community has
        few of each, so the weights are worked out per candidate rather than for every actor
        and category."""
        return lambda category, cand: np.ones(cand.size)

    def assign(self, ids: np.ndarray, eligible: np.ndarray) -> np.ndarray:
        """A handler slot per issue: drawn among the eligible by ``weights``; the committee
        where nobody is eligible."""
        m = self.model
        cats = m.issues.category[ids]
        chosen = np.full(ids.size, m.rc.slot, dtype=np.int16)
        weigh = None
        present = set(cats.tolist())  # a day brings few issues: skip the absent categories
        for c in Category:
            if c not in present:
                continue
            sel = np.flatnonzero(cats == c)
            cand = np.flatnonzero(eligible[:, c])
            if cand.size:
                if weigh is None:
                    weigh = self.weigher()
                chosen[sel] = draw_handlers(m.rng, cand, weigh(c, cand), sel.size)
        return chosen

    def delay(self, ids: np.ndarray) -> np.ndarray | int:
        """Days before each routed issue reaches its handler: none, unless it was misrouted."""
        return 0

    def after_assignment(self, ids: np.ndarray) -> None:
        """What happens to routed issues once they have a handler (joint work)."""

    def route(self, ids: np.ndarray) -> np.ndarray:
        """Assign handlers to newly detected issues; returns the ids routed today."""
        self.coordination.triaged_today = 0
        self.coordination.joint_today = 0
        if ids.size == 0:
            return ids
        ids = self.admit(ids)
        if ids.size == 0:
            return ids
        handlers = self.assign(ids, self._eligible_today())
        lifecycle.assign(self.model, ids, handlers, self.delay(ids))
        self.after_assignment(ids)
        return ids

    def _eligible_today(self) -> np.ndarray:
        """:meth:`eligible`, worked out again only when an actor is switched on or off (or made
        routable) or the actors' specialties are rebuilt. What else it reads — designations,
        the committee's apparatus, whether the core leads — is set when actors are made or the
        rules change, and every change of the rules makes a new routing (``configure``)."""
        m = self.model
        key = (m.slot_specialty, [h.active and h.routable for h in m.handlers])
        was = self._eligible_for
        if was is None or was[0] is not key[0] or was[1] != key[1]:
            self._eligible = self.eligible()
            self._eligible_for = key
        return self._eligible

    def priority(self, ids: np.ndarray) -> np.ndarray:
        """The order a handler works its queue: first come, first served."""
        t = self.model.issues
        return ids[np.argsort(t.detected[ids], kind="stable")]

    def adjust_hours(self) -> None:
        """Morning: nothing, unless the mode holds meetings that need hours set aside."""

    def organize(self) -> None:
        """End of the day: nothing, unless the mode holds meetings."""


class Silos(Routing):
    """``none``: each office takes what reaches it; some issues first land on the wrong desk."""

    mode = "none"

    def delay(self, ids: np.ndarray) -> np.ndarray | int:
        m = self.model
        p = self.params
        misroute = p.misroute * (1.0 - m.street.dispatch)  # unified dispatch removes it
        if misroute <= 0:
            return 0
        lost = m.rng.random(ids.size) < misroute
        return np.where(lost, p.reroute_days, 0)


class GovernmentLed(Routing):
    """``government``: the committee and what hangs under it take everything."""

    mode = "government"

    def eligible(self) -> np.ndarray:
        """The committee and the bodies under it (its mediation committee, service station) do
        everything; social organizations and firms are crowded out, designations included."""
        m = self.model
        spec = self.specialists()
        system = np.array([h.committee_system for h in m.handlers])
        spec &= system[:, None]
        spec[m.rc.slot] = True
        return spec


class Market(Routing):
    """``market``: providers take the issues of residents who pay; the committee the rest and
    every dispute (there is no market for mediation)."""

    mode = "market"

    def assign(self, ids: np.ndarray, eligible: np.ndarray) -> np.ndarray:
        m = self.model
        cats = m.issues.category[ids]
        chosen = np.full(ids.size, m.rc.slot, dtype=np.int16)
        for c in Category:
            sel = np.flatnonzero(cats == c)
            if sel.size == 0:
                continue
            payer = self.coordination.payers()
            cand = np.flatnonzero(eligible[:, c])
            providers = cand[cand != m.rc.slot]
            if providers.size and c != Category.DISPUTE:
                out = chosen[sel]
                pays = payer[m.issues.origin[ids[sel]]]
                out[pays] = m.rng.choice(providers, size=int(pays.sum()))
                chosen[sel] = out
        return chosen


class OneCore(Routing):
    """``one_core``: the core triages within its hours, matches demand to resources, handles
    complex issues jointly, summons departments and meets monthly on hard cases."""

    mode = "one_core"
    leads = True

    @property
    def summon_success(self) -> float:
        """Joint operations summon departments as far as the secretary's relations reach
        (``party.relations``, the leadership mechanism); the silo chance without them."""
        rel = self.model.party.relations
        if rel >= 1.0:
            return self.params.joint_summon_success
        p = self.params
        return p.summon_success + rel * (p.joint_summon_success - p.summon_success)

    def admit(self, ids: np.ndarray) -> np.ndarray:
        """The core triages as many issues as its hours allow, most advanced stage first."""
        coordination = self.coordination
        party = self.model.party
        per = self.params.triage_hours
        if per <= 0:
            coordination.triaged_today = ids.size
            return ids
        t = self.model.issues
        order = ids[np.lexsort((t.detected[ids], -t.stage[ids].astype(np.int64)))]
        k = int(min(order.size, party.hours // per))
        party.hours -= k * per
        party.hours_used += k * per
        self.model.ledger.use_hours(party.slot, "triage", k * per)
        coordination.triaged_today = k
        return order[:k]

    def weigher(self) -> Callable[[int, np.ndarray], np.ndarray]:
        """Spare hours, scaled down by the share of an issue's cost the handler could not pay:
        :meth:`match_weights` on the candidates, element by element the same arithmetic."""
        hours, money = self._spare()
        costs = [self.model.config.issues.category(c).cost for c in Category]

        def weigh(category: int, cand: np.ndarray) -> np.ndarray:
            cost = costs[category]
            slots = cand.tolist()
            if cost <= 0:
                return np.array([hours[j] for j in slots])
            return np.array([hours[j] * min(max(money[j] / cost, 0.02), 1.0) for j in slots])

        return weigh

    def _spare(self) -> tuple[list[float], list[float]]:
        """Per handler slot, :meth:`spare_capacity` and :meth:`spare_funds` as lists, from one
        selection of the queues: a few dozen actors cost less as Python numbers than as arrays,
        and each value is the same expression on the same doubles."""
        m = self.model
        t = m.issues
        ids = t.open_ids()
        mine = ids[t.handler[ids] >= 0]
        holder = t.handler[mine]
        n = len(m.handlers)
        backlog = np.bincount(holder, weights=t.effort_left[mine], minlength=n).tolist()
        committed = np.bincount(holder, weights=t.cost[mine], minlength=n).tolist()
        fund = m.public_fund
        hours = [max(7.0 * h.hours - b, 0.05 * h.hours + 1e-3)
                 for h, b in zip(m.handlers, backlog, strict=True)]
        money = [max(h.fund + 7.0 * h.budget_per_day + fund - c, 0.0)
                 for h, c in zip(m.handlers, committed, strict=True)]
        return hours, money

    def spare_capacity(self) -> np.ndarray:
        """Per handler: hours this week minus the effort already queued."""
        return np.array(self._spare()[0])

    def spare_funds(self) -> np.ndarray:
        """Per handler: yuan it can spend this week (its fund, a week's budget and the public
        fund every actor may draw on) minus the cost of the issues already queued with it."""
        return np.array(self._spare()[1])

    def match_weights(self, category: int, spare_hours: np.ndarray,
                      spare_money: np.ndarray) -> np.ndarray:
        """How strongly the core prefers each handler for an issue of ``category``."""
        cost = self.model.config.issues.category(Category(category)).cost
        if cost <= 0:
            return spare_hours
        return spare_hours * np.clip(spare_money / cost, 0.02, 1.0)

    def after_assignment(self, ids: np.ndarray) -> None:
        """Complex issues are handled jointly as far as the branch has hours to convene the
        partners, most urgent first (``ids`` arrive in triage order)."""
        m = self.model
        joint = ids[m.issues.complex[ids]]
        per = self.params.joint_hours
        if joint.size and per > 0:
            party = m.party
            k = int(min(joint.size, max(party.hours, 0.0) // per))
            got = m.ledger.use_hours(party.slot, "joint_handling", k * per)
            k = min(k, int(got / per + 1e-9))
            party.hours -= k * per
            party.hours_used += k * per
            joint = joint[:k]
        rel = m.party.relations
        if rel < 1.0 and joint.size:  # partners answer the call as far as relations reach
            joint = joint[m.rng.random(joint.size) < rel]
        lifecycle.handle_jointly(m, joint, self.params.joint_effort)
        self.coordination.joint_today += int(joint.size)

    def priority(self, ids: np.ndarray) -> np.ndarray:
        """Triaged by urgency: the highest level, then the most advanced stage, then the oldest."""
        t = self.model.issues
        return ids[np.lexsort((t.detected[ids], -t.stage[ids].astype(np.int64),
                               -t.level[ids].astype(np.int64)))]

    def _meets_today(self) -> bool:
        day = self.model.day
        return day > 0 and day % MEETING_PERIOD == 0

    def adjust_hours(self) -> None:
        self.came = self.meet() if self._meets_today() else None

    def meet(self) -> np.ndarray:
        """The meeting's hours, set aside from each participant's working day; returns per
        handler slot the share of ``meeting_hours`` it gave (0 for those not asked)."""
        m = self.model
        per = self.params.meeting_hours
        came = np.zeros(len(m.handlers))
        if per <= 0:
            came[:] = 1.0
        for h in m.handlers if per > 0 else ():
            if not (h.active and h.routable) or h is m.street:
                continue
            got = m.ledger.use_hours(h.slot, "joint_meeting", min(per, max(h.hours, 0.0)))
            h.hours -= got
            h.hours_used += got
            came[h.slot] = got / per
        rel = m.party.relations
        if rel < 1.0:  # partners come, but a new secretary carries fewer hard cases with them
            party = came[m.party.slot]
            came *= rel
            came[m.party.slot] = party
        return came

    def organize(self) -> None:
        """The monthly joint meeting takes on hard cases jointly and re-matches them among the
        actors that came."""
        m = self.model
        if not self._meets_today():
            return
        came = getattr(self, "came", None)
        if came is None:  # the mode changed to one-core after this morning: no meeting set
            return
        t = m.issues
        ids = t.open_ids()
        hard = ids[(t.detected[ids] >= 0) & (m.day - t.detected[ids] >= HARD_CASE_DAYS)
                   & ~t.joint[ids] & (t.level[ids] <= Level.COMMUNITY)]
        if hard.size:
            holder = came[np.maximum(t.handler[hard], 0)] * (t.handler[hard] >= 0)
            hard = hard[m.rng.random(hard.size) < came[m.party.slot] * holder]
        if hard.size:
            lifecycle.handle_jointly(m, hard, self.params.joint_effort)
            self.coordination.joint_today += int(hard.size)
            # Re-match to whoever came and has time now; the stage decides urgency next time.
            hours, money = (np.array(v) for v in self._spare())
            elig = self.eligible()
            for c in np.unique(t.category[hard]):
                sel = hard[t.category[hard] == c]
                cand = np.flatnonzero(elig[:, c] & (came > 0))
                if cand.size == 0:
                    continue
                w = self.match_weights(int(c), hours, money)[cand] * came[cand]
                lifecycle.assign(m, sel, draw_handlers(m.rng, cand, w, sel.size), delay=None)
        self.coordination.hard_cases_reviewed = int(hard.size)


MODES: dict[str, type[Routing]] = {cls.mode: cls for cls in (Silos, GovernmentLed, Market,
                                                              OneCore)}


# --- the mechanism ------------------------------------------------------------------------------


class Coordination(Mechanism):
    key = "coordination"
    # Always on in every scenario: its records are the standing ledgers [design choice].
    reports_upward = False
    Params = CoordinationParams
    order = 10
    name_zh = "协调方式"
    name_en = "coordination"
    reports = (Metric("triaged", "党组织分流问题数", "issues triaged by the party branch",
                      "count", definition="per day, one-core coordination"),
               Metric("joint_handled", "联合处置问题数", "issues taken on jointly", "count",
                      "sum", "per day, one-core coordination: complex issues convened on "
                      "routing plus hard cases the monthly joint meeting took on"))

    @property
    def mode(self) -> str:
        return self.params.mode

    @property
    def summon_success(self) -> float:
        return self.routing.summon_success

    def setup(self) -> None:
        self._payer: np.ndarray | None = None
        self.triaged_today = 0
        self.joint_today = 0
        self.hard_cases_reviewed = 0
        self.configure(self.params)

    def configure(self, params) -> None:
        super().configure(params)
        self.routing: Routing = MODES[params.mode](self)
        self.model.party.leads = self.routing.leads

    def adjust_hours(self) -> None:
        self.routing.adjust_hours()

    def payers(self) -> np.ndarray:
        """Per resident: able and willing to pay for service. Drawn at the first market routing
        and kept, so a market that returns after a reform serves the same payers."""
        if self._payer is None:
            m = self.model
            self._payer = m.rng.random(m.population.n) < self.params.market_paid_share
        return self._payer

    def eligible(self) -> np.ndarray:
        return self.routing.eligible()

    def route(self, ids: np.ndarray) -> np.ndarray:
        return self.routing.route(ids)

    def priority(self, ids: np.ndarray) -> np.ndarray:
        return self.routing.priority(ids)

    def organize(self) -> None:
        self.routing.organize()

    def metrics(self) -> dict[str, float]:
        return {"triaged": float(self.triaged_today), "joint_handled": float(self.joint_today)}
