"""The resource ledger: every hour and every yuan the model spends has a declared source.

Comparing arrangements is fair only at equal means: an hour a grid worker patrols, an hour a
party member volunteers and a yuan a council spends must each be paid by someone who has it.
The ledger declares the **sources** — each organization's paid (or, for people's mediators,
unpaid) staff and its fund, the grid workers, residents' volunteer time in its several forms,
the public-service fund fed by enterprise profit, the purchase budget — and records, per day,
what each source supplied and what each **use** drew from it (:data:`USES`), in hours or yuan.

Hours arrive in *pots*: an organization's working time for the day, into which its staff, its
members, volunteers and purchased hours flow. Hours in a pot are fungible, so a use drawn from
a pot is attributed to the sources still in it in proportion to what each has left [design
choice]; a draw never takes more than the pot holds (it is capped, and the granted hours are
returned). Hours do not carry over: what a pot has left at night is idle time. A yuan fund
keeps its balance from day to day; a draw beyond the balance is capped the same way, and at
every fiscal year-end (:data:`FISCAL_YEAR_DAYS`) what a fund has not spent lapses, recorded as
the use ``lapse`` — no mechanism keeps a carry-over yet.

The arrays are small and dense (sources × uses), so recording costs a few vector operations
per draw; one copy per day is kept for :meth:`Ledger.frame`.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

#: What hours and yuan are used for. ``acts`` are residents' own acts of participation;
#: ``lapse`` is money a fund had not spent at a fiscal year-end. The names before ``lapse`` are
#: kept as they were (scripts read them); the mechanisms' own uses follow it.
USES = ("handling", "triage", "admin", "organising", "patrol", "acts", "mediation_pay",
        "purchase", "lapse",
        "disclosure",  # a disclosure meeting: the branch's preparation, attendees' time
        "joint_meeting",  # the core's monthly joint meeting: each participant's hours
        "joint_handling",  # the core convening partners on a complex issue
        "assembly",  # the alliance's half-yearly assembly: each member unit's hours
        "liaison",  # building liaisons' and unit observers' watching time
        "watch",  # the neighbourhood watch of moral points
        "visits",  # mediators' household visits
        "sweeps",  # campaign sweeps, out of the campaign's surge hours
        "overtime",  # yuan paying a campaign's overtime
        "dispatch",  # the street office running unified event dispatch
        "legal_advice",  # legal advisers' publicity and backing of mediators
        "allowance",  # council attendees' allowance
        "redemption",  # moral points redeemed
        "formalism",  # meetings, reports, inspections and ledgers that resolve nothing
        "bounces")  # the committee's hours on an issue sent back down to it (推诿)
USE = {name: i for i, name in enumerate(USES)}
FISCAL_YEAR_DAYS = 365  # budgets are annual, years counted from day 0 [design choice]
TOLERANCE = 1e-6  # float slack in the invariants (hours and yuan)

Unit = Literal["hours", "yuan"]


@dataclass(frozen=True)
class Source:
    """One declared source. ``paid`` hours are paid staff time, priced at the wage in the paid
    cost; unpaid hours are volunteers' time, priced at the shadow wage in the social cost.
    ``priced`` is False for hours already paid for in yuan (purchased service) and for hours
    that are not new time (``mobilised_acts``: residents' acts the committee turns into
    capacity, already counted as acts)."""

    key: str
    unit: Unit
    paid: bool = False
    priced: bool = True
    zh: str = ""


def _zeros(n: int) -> array:
    """An empty day's record: ``n`` C doubles at 0."""
    return array("d", bytes(8 * n))


class Ledger:
    """Supply and draws per source, today and for every past day."""

    def __init__(self, sources: list[Source], pots: list):
        keys = [s.key for s in sources]
        if len(set(keys)) != len(keys):
            raise ValueError(f"two ledger sources share a key: {keys}")
        self.sources = sources
        self.index = {k: i for i, k in enumerate(keys)}
        self.pots = {name: i for i, name in enumerate(pots)}
        n_s, n_p = len(sources), len(pots)
        self._n_uses = len(USES)
        self.is_hours = np.array([s.unit == "hours" for s in sources])
        self.paid = np.array([s.paid and s.unit == "hours" and s.priced for s in sources])
        self.volunteer = np.array([not s.paid and s.unit == "hours" and s.priced
                                   for s in sources])
        # Today's record in flat C-double arrays: a draw touches one to three cells, and a
        # NumPy call on a tiny array costs more than the arithmetic; at the end of the day the
        # record becomes a NumPy array without converting hundreds of Python floats.
        self._supply = _zeros(n_s)  # hours supplied, or yuan received
        self._used = _zeros(n_s * self._n_uses)  # hours or yuan drawn: source-major, by use
        self._left: list[dict[int, float]] = [{} for _ in range(n_p)]  # per pot: source → hours
        self._balance = [0.0] * n_s  # yuan funds: the balance, carried from day to day
        self.pot_supply = [0.0] * n_p  # cumulative hours into each pot
        self.pot_used = [0.0] * n_p  # cumulative hours drawn from each pot
        self._supply_days: list[np.ndarray] = []
        self._used_days: list[np.ndarray] = []
        self.staff_key: list[str] = []  # per organization slot: its staff source
        self.fund_key: list[str] = []  # per organization slot: its fund

    # --- hours -------------------------------------------------------------------------------

    def add_hours(self, source: str, pot, hours: float) -> None:
        """``hours`` of ``source`` arrive in ``pot`` for today."""
        if hours <= 0.0:
            return
        s, p = self.index[source], self.pots[pot]
        self._supply[s] += hours
        left = self._left[p]
        left[s] = left.get(s, 0.0) + hours
        self.pot_supply[p] += hours

    def use_hours(self, pot, use: str, hours: float) -> float:
        """Draw ``hours`` from ``pot`` for ``use``, never more than it holds; returns the hours
        granted, attributed to the pot's sources in proportion to what each has left."""
        if hours <= 0.0:
            return 0.0
        p = self.pots[pot]
        left = self._left[p]
        total = sum(left.values())
        take = min(hours, total)
        if take <= 0.0:
            return 0.0
        frac = take / total
        u, n_u, used = USE[use], self._n_uses, self._used
        for s, have in left.items():
            share = have * frac
            used[s * n_u + u] += share
            left[s] = max(have - share, 0.0)
        self.pot_used[p] += take
        return take

    def give_back(self, pot, use: str, hours: float) -> None:
        """Return ``hours`` of today's ``use`` to ``pot`` (administration moved elsewhere), to
        the sources that paid for it in proportion to what each paid."""
        if hours <= 0.0:
            return
        p, u, n_u, used = self.pots[pot], USE[use], self._n_uses, self._used
        left = self._left[p]
        drawn = {s: used[s * n_u + u] for s in left}
        total = sum(drawn.values())
        back = min(hours, total)
        if back <= 0.0:
            return
        for s, d in drawn.items():
            portion = d * (back / total)
            used[s * n_u + u] -= portion
            left[s] += portion
        self.pot_used[p] -= back

    def left(self, pot) -> float:
        return float(sum(self._left[self.pots[pot]].values()))

    # --- yuan --------------------------------------------------------------------------------

    def receive(self, source: str, yuan: float) -> None:
        """``yuan`` arrive in fund ``source`` (a day's budget, a share of profit)."""
        if yuan <= 0.0:
            return
        s = self.index[source]
        self._supply[s] += yuan
        self._balance[s] += yuan

    def spend(self, source: str, use: str, yuan: float) -> float:
        """Pay ``yuan`` from fund ``source`` for ``use``, never more than its balance (within
        float slack); returns what was paid."""
        if yuan <= 0.0:
            return 0.0
        s = self.index[source]
        paid = min(yuan, max(self._balance[s], 0.0) + TOLERANCE)
        self._used[s * self._n_uses + USE[use]] += paid
        self._balance[s] -= paid
        return paid

    def lapse(self, source: str) -> float:
        """Fiscal year-end: the fund's unspent balance lapses; returns it."""
        s = self.index[source]
        left = max(self._balance[s], 0.0)
        self._used[s * self._n_uses + USE["lapse"]] += left
        self._balance[s] = 0.0
        return left

    def balance(self, source: str) -> float:
        return self._balance[self.index[source]]

    def give_time(self, source: str, pot, use: str, hours: float) -> float:
        """Hours residents gave for ``use`` (already taken out of their week): they arrive from
        ``source`` and are drawn at once; returns the hours recorded."""
        self.add_hours(source, pot, hours)
        return self.use_hours(pot, use, hours)

    # --- days and totals ---------------------------------------------------------------------

    @property
    def supply(self) -> np.ndarray:
        """Today so far: hours supplied or yuan received, per source."""
        return np.array(self._supply)

    @property
    def used(self) -> np.ndarray:
        """Today so far: (sources × uses) hours or yuan drawn."""
        return np.array(self._used).reshape(len(self.sources), self._n_uses)

    def end_day(self) -> None:
        """Keep today's record and start an empty day (hours left in pots are idle)."""
        n_s = len(self.sources)
        self._supply_days.append(np.frombuffer(self._supply))  # today's record, not copied
        self._used_days.append(np.frombuffer(self._used).reshape(n_s, self._n_uses))
        self._supply = _zeros(n_s)
        self._used = _zeros(n_s * self._n_uses)
        for left in self._left:
            left.clear()

    def restart(self) -> None:
        """Forget everything recorded so far except the funds' balances, which become their
        opening income of day 0 (the model calls this once, after it has been built)."""
        n_s = len(self.sources)
        self._supply = array("d", [0.0 if h else b for h, b in zip(self.is_hours, self._balance,
                                                                   strict=True)])
        self._used = _zeros(n_s * self._n_uses)
        for left in self._left:
            left.clear()
        self.pot_supply = [0.0] * len(self.pot_supply)
        self.pot_used = [0.0] * len(self.pot_used)
        self._supply_days.clear()
        self._used_days.clear()

    def totals(self) -> tuple[np.ndarray, np.ndarray]:
        """Supply (sources) and draws (sources × uses) summed over the recorded days."""
        supply = np.sum(self._supply_days, axis=0) if self._supply_days else self.supply * 0
        used = np.sum(self._used_days, axis=0) if self._used_days else self.used * 0
        return supply, used

    def utilisation(self, pot) -> float:
        """Hours drawn from ``pot`` over hours that arrived in it, over the run (0 if none)."""
        p = self.pots[pot]
        return float(self.pot_used[p] / self.pot_supply[p]) if self.pot_supply[p] > 0 else 0.0

    def costs(self, wage: float, shadow_wage: float) -> dict[str, float]:
        """The run's money and time: yuan spent (lapse excluded), paid staff hours on duty,
        volunteer hours given, and their prices."""
        supply, used = self.totals()
        spent = float(used[~self.is_hours][:, [i for u, i in USE.items() if u != "lapse"]].sum())
        paid_hours = float(supply[self.paid].sum())
        volunteer = float(supply[self.volunteer].sum())
        paid_cost = spent + wage * paid_hours
        return {"yuan_spent": spent, "paid_hours": paid_hours, "volunteer_hours": volunteer,
                "paid_cost_yuan": paid_cost,
                "social_cost_yuan": paid_cost + shadow_wage * volunteer}

    def frame(self) -> pd.DataFrame:
        """Long format, one row per day × source × use with anything in it: ``use`` is
        ``available`` for what a source supplied (hours) or received (yuan) that day, else what
        that use drew; the last day adds each fund's balance as ``held``."""
        cols = {"day": [], "source": [], "use": [], "hours": [], "yuan": []}
        keys = np.array([s.key for s in self.sources], dtype=object)
        uses = np.array(USES, dtype=object)
        for day, (sup, used) in enumerate(zip(self._supply_days, self._used_days, strict=True)):
            s_idx = np.flatnonzero(sup)
            si, ui = np.nonzero(used)
            src = np.concatenate([s_idx, si])
            use = np.concatenate([np.full(s_idx.size, "available", dtype=object), uses[ui]])
            val = np.concatenate([sup[s_idx], used[si, ui]])
            hours = self.is_hours[src]
            cols["day"].append(np.full(src.size, day))
            cols["source"].append(keys[src])
            cols["use"].append(use)
            cols["hours"].append(np.where(hours, val, 0.0))
            cols["yuan"].append(np.where(hours, 0.0, val))
        if self._supply_days:
            funds = np.flatnonzero(~self.is_hours)
            cols["day"].append(np.full(funds.size, len(self._supply_days) - 1))
            cols["source"].append(keys[funds])
            cols["use"].append(np.full(funds.size, "held", dtype=object))
            cols["hours"].append(np.zeros(funds.size))
            cols["yuan"].append(np.array(self._balance)[funds])
        if not cols["day"]:
            return pd.DataFrame({k: [] for k in cols})
        df = pd.DataFrame({k: np.concatenate(v) for k, v in cols.items()})
        df["day"] = df["day"].astype(np.int64)
        return df


#: Sources every community declares besides each organization's staff and fund.
SHARED_SOURCES = (
    Source("so_members", "hours", zh="社会组织成员时间"),
    Source("party_volunteers", "hours", zh="党员志愿者时间"),
    Source("council_attendees", "hours", zh="议事会成员时间"),
    Source("resident_acts", "hours", zh="居民参与时间"),
    Source("mobilised_acts", "hours", priced=False, zh="居委会动员的居民时间"),
    Source("purchased_service", "hours", paid=True, priced=False, zh="购买的服务时间"),
    Source("grid_workers", "hours", paid=True, zh="专职网格员时间"),
    Source("grid_volunteers", "hours", zh="志愿网格员时间"),
    Source("public_fund", "yuan", zh="公共服务资金"),
    Source("purchase_budget", "yuan", zh="政府购买服务预算"),
    Source("meeting_attendees", "hours", zh="信息公开会参会居民时间"),
    Source("liaisons", "hours", zh="楼栋联系员与单元观察员时间"),
    Source("watchers", "hours", zh="邻里守望时间"),
    Source("campaign_overtime", "hours", paid=True, priced=False, zh="集中整治加班时间"),
    Source("campaign_fund", "yuan", zh="集中整治专项经费"),
    Source("legal_advisers", "hours", paid=True, zh="法律顾问时间"),
    Source("points_fund", "yuan", zh="道德银行兑换资金"),
    Source("formalism_members", "hours", zh="党员应付检查留痕时间"),
)
#: Pots that are not an organization's working day: patrol time, residents' own time, the legal
#: advisers' time.
GRID, RESIDENTS, LEGAL = "grid", "residents", "legal"


def build_ledger(handlers) -> Ledger:
    """A ledger for these organizations: each one's staff hours and fund (named after it,
    with its slot where two share a name), its working day as a pot, and the shared sources."""
    names = [h.name for h in handlers]
    unique = [n if names.count(n) == 1 else f"{n} {h.slot}" for n, h in zip(names, handlers,
                                                                          strict=True)]
    staff = [Source(f"staff:{n}", "hours", paid=h.paid_staff, zh=f"{h.name_zh}人员时间")
             for n, h in zip(unique, handlers, strict=True)]
    funds = [Source(f"fund:{n}", "yuan", zh=f"{h.name_zh}资金")
             for n, h in zip(unique, handlers, strict=True)]
    ledger = Ledger(staff + funds + list(SHARED_SOURCES),
                    [h.slot for h in handlers] + [GRID, RESIDENTS, LEGAL])
    ledger.staff_key = [s.key for s in staff]
    ledger.fund_key = [s.key for s in funds]
    return ledger
