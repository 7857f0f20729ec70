"""The patterns the model is validated against (pattern-oriented modelling; ODD §1.2).

Each :class:`Pattern` names what the source documents say, where they say it, the model
quantity that should show it, the band it must fall in, and how to measure that quantity on each
replicate. A pattern passes when the whole 95% confidence interval of its replicate values lies
inside the band — a mean that merely lands in the band with a wide interval does not count.

Patterns are of three kinds, and the report says which: *emergent* ones arise from the
interplay of the rules (orderings between scenarios on resolution and satisfaction,
concentration of participation, rebound after campaigns); *input* ones check that a figure the
model takes from a source (mediation success, council turnout) survives the dynamics around it;
*construction* ones hold by how a rule is written — the baselines have no proactive channel
(P2), the committee's organising hours are defined as proportional to one minus the burden (P5),
the disclosure meeting adds turnout directly (P10.3). Input and construction checks are
necessary, not evidence: only emergent patterns count as validation (:data:`VALIDATES`).

Runs are shared: every pattern lists the :class:`Case` runs it reads, and each case runs once per
replicate, with the replicate seeds of :func:`cogov.experiments.runner.replicate_seed`, so
differences between cases are paired (common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Case:
    """One scenario with overrides, run on every replicate seed."""

    scenario: str
    overrides: tuple[tuple[str, Any], ...] = ()
    timeseries: bool = False  # keep the daily series (patterns over time need it)
    #: Run at this case's mean social cost instead, by the rule of ``cogov compare
    #: --equal-cost`` (every organization's paid staff and budget times one factor).
    equal_cost_to: Case | None = None

    @property
    def label(self) -> str:
        name = self.scenario
        if self.overrides:
            name += " [" + ", ".join(f"{k}={v}" for k, v in self.overrides) + "]"
        if self.equal_cost_to is not None:
            name += f" · at the cost of {self.equal_cost_to.label}"
        return name

    @property
    def nominal(self) -> Case:
        """The same case at its own means."""
        return replace(self, equal_cost_to=None)


class Runs:
    """Replicate results by case: summaries (one row per replicate) and daily series."""

    def __init__(self, summaries: dict[Case, pd.DataFrame],
                 series: dict[Case, list[pd.DataFrame]]):
        self.summaries = summaries
        self.series = series
        self.scales: dict[str, dict[str, float]] = {}  # equal-cost cases: scale, cost ratio

    def value(self, case: Case, metric: str) -> np.ndarray:
        return self.summaries[case][metric].to_numpy(dtype=float)


Measure = Callable[[Runs], np.ndarray]


@dataclass(frozen=True)
class Pattern:
    key: str
    claim: str  # what the sources say, in one sentence
    source: str  # seed citations
    quantity: str  # the model quantity, in words
    band: tuple[float, float]  # the interval the 95% CI must lie in
    measure: Measure  # per-replicate values
    cases: tuple[Case, ...]
    kind: str = "emergent"  # or "input" (a source figure taken in) or "construction"
    percent: bool = False
    tags: tuple[str, ...] = field(default=())

    def contains(self, low: float, high: float) -> bool:
        """Whether the interval [low, high] lies inside the band; an open side is strict, so a
        difference whose interval touches zero does not establish an ordering."""
        lo, hi = self.band
        if not (np.isfinite(low) and np.isfinite(high)):
            return False
        if np.isinf(hi):
            return low > lo
        if np.isinf(lo):
            return high < hi
        return lo <= low and high <= hi

    def band_text(self) -> str:
        lo, hi = self.band
        f = _fmt(self.percent)
        if np.isinf(hi):
            return f"> {f(lo)}"
        if np.isinf(lo):
            return f"< {f(hi)}"
        return f"[{f(lo)}, {f(hi)}]"


def _fmt(percent: bool) -> Callable[[float], str]:
    return (lambda v: f"{100 * v:.1f}%") if percent else (lambda v: f"{v:.3g}")


#: The kinds of pattern whose passing counts as validation.
VALIDATES = ("emergent",)
KINDS = ("emergent", "input", "construction")


# --- measures ------------------------------------------------------------------------------------


def level(case: Case, metric: str) -> Measure:
    return lambda runs: runs.value(case, metric)


def difference(a: Case, b: Case, metric: str) -> Measure:
    """Paired difference ``a − b`` per replicate seed."""
    return lambda runs: runs.value(a, metric) - runs.value(b, metric)


def ratio(a: Case, b: Case, metric: str) -> Measure:
    """``a / b`` per replicate seed (pairs where ``b`` is 0 count as ``a + 1``)."""
    def measure(runs: Runs) -> np.ndarray:
        x, y = runs.value(a, metric), runs.value(b, metric)
        return np.where(y > 0, x / np.where(y > 0, y, 1.0), x + 1.0)
    return measure


def campaign_rebound(case: Case, rebound_days: int) -> Measure:
    """New disputes and safety issues a day in the ``rebound_days`` after each campaign,
    relative to the rate on the other days outside campaigns."""
    def measure(runs: Runs) -> np.ndarray:
        out = []
        for ts in runs.series[case]:
            active = ts["campaign_active"].to_numpy() > 0
            new = (ts["new_dispute"] + ts["new_safety"]).to_numpy(dtype=float)
            ended = np.flatnonzero(active[:-1] & ~active[1:]) + 1
            after = np.zeros(active.size, dtype=bool)
            for e in ended:
                after[e:e + rebound_days] = True
            after &= ~active
            rest = ~active & ~after
            out.append(new[after].mean() / max(new[rest].mean(), 1e-9))
        return np.array(out)
    return measure


def council_turnout(case: Case, start: int, stop: int) -> Measure:
    """Mean turnout of the council meetings held on days ``start`` ≤ day < ``stop``."""
    def measure(runs: Runs) -> np.ndarray:
        out = []
        for ts in runs.series[case]:
            day = ts["day"].to_numpy()
            held = (day % PERIOD == 0) & (day >= start) & (day < stop)
            out.append(ts["council_turnout"].to_numpy()[held].mean())
        return np.array(out)
    return measure


# --- the catalogue --------------------------------------------------------------------------------

FLAGSHIP = Case("one-core-four-element")
GOVERNMENT = Case("government-led")
FRAGMENTED = Case("fragmented")
MARKET = Case("market-led")
FENGQIAO = Case("fengqiao")
CAMPAIGN = Case("campaign", timeseries=True)
THREE_FUSION = Case("three-governance-fusion")
# Administrative burden cut from 60% to 20% of the committee's time, nothing else changed.
LIGHTER_BURDEN = Case("government-led", (("mechanisms.admin_burden.task_share", 0.2),))
# Xinghua's council (seed 001 L128): unprompted, and with phone calls, before the year-end
# disclosure meeting on day 364; the prodded case runs on to see the year after disclosure.
PERIOD = 30  # the council meets monthly in the Chengdu scenario
DISCLOSURE_DAY = 364
COUNCIL_UNPROMPTED = Case("chengdu-village-deliberation",
                          (("days", 364), ("mechanisms.councils.prodding", False)),
                          timeseries=True)
COUNCIL_PRODDED = Case("chengdu-village-deliberation", (("days", 729),), timeseries=True)
INF = float("inf")

_ONE_CORE = "One core leadership (一核引领) beats {name} on {what}"
_ONE_CORE_SRC = "seed 000 L687–691; seed 001 L11; seed 001 L106"


def _ordering(key: str, baseline: Case, name: str, metric: str, what: str,
              lower_is_better: bool = False, percent: bool = False) -> tuple[Pattern, Pattern]:
    """The ordering at nominal means, and again with the baseline given the flagship's social
    cost: a lead that only extra means produce fails the second."""
    patterns = []
    for suffix, base, at in (("", baseline, ""),
                             ("e", replace(baseline, equal_cost_to=FLAGSHIP), ", at equal cost")):
        a, b = (base, FLAGSHIP) if lower_is_better else (FLAGSHIP, base)
        patterns.append(Pattern(
            key + suffix, _ONE_CORE.format(name=name, what=what) + at, _ONE_CORE_SRC,
            f"{metric}: {'baseline − flagship' if lower_is_better else 'flagship − baseline'}"
            + (" (baseline at the flagship's social cost)" if suffix else ""),
            (0.0, INF), difference(a, b, metric), (FLAGSHIP, base), percent=percent,
            tags=("ordering",) + (("equal cost",) if suffix else ())))
    return patterns[0], patterns[1]


PATTERNS: tuple[Pattern, ...] = (
    *_ordering("P1.1", GOVERNMENT, "government-led (大包大揽)", "resolution_rate",
              "resolution", percent=True),
    *_ordering("P1.2", GOVERNMENT, "government-led (大包大揽)", "satisfaction",
              "residents' satisfaction"),
    *_ordering("P1.3", GOVERNMENT, "government-led (大包大揽)", "mean_days_to_resolve",
              "speed (days to resolve)", lower_is_better=True),
    *_ordering("P1.4", FRAGMENTED, "fragmented actors (各自为政)", "resolution_rate",
              "resolution", percent=True),
    *_ordering("P1.5", FRAGMENTED, "fragmented actors (各自为政)", "satisfaction",
              "residents' satisfaction"),
    *_ordering("P1.6", MARKET, "market provision", "satisfaction", "residents' satisfaction"),
    Pattern("P2", "Proactive search finds issues before residents report them: from waiting for "
            "problems to looking for them (从等问题到找问题)",
            "seed 001 L11; seed 000 L693", "proactive_detection_share: flagship − fragmented",
            (0.0, INF), difference(FLAGSHIP, FRAGMENTED, "proactive_detection_share"),
            (FLAGSHIP, FRAGMENTED), kind="construction", percent=True, tags=("ordering",)),
    Pattern("P4.1", "Fengqiao keeps disputes local and cuts petitions against campaign-style "
            "governance (矛盾不上交)", "seed 000 L383, L387; MECHANISMS §5.6 E",
            "petitions_per_10k_year: Fengqiao ÷ campaign", (-INF, 1.0),
            ratio(FENGQIAO, CAMPAIGN, "petitions_per_10k_year"), (FENGQIAO, CAMPAIGN),
            tags=("ordering",)),
    Pattern("P4.2", "More disputes are settled in the village or community under Fengqiao than "
            "under campaigns (小事不出村)", "seed 000 L383, L809",
            "dispute_community_share: Fengqiao − campaign", (0.0, INF),
            difference(FENGQIAO, CAMPAIGN, "dispute_community_share"), (FENGQIAO, CAMPAIGN),
            percent=True, tags=("ordering",)),
    Pattern("P5", "Tasks pushed down to the committee crowd out organising and serving; "
            "participation rises when the administrative burden falls",
            "seed 004 L155; MECHANISMS §5.15 E",
            "participation_rate: burden 20% − burden 60% (government-led)", (0.0, INF),
            difference(LIGHTER_BURDEN, GOVERNMENT, "participation_rate"),
            (LIGHTER_BURDEN, GOVERNMENT), kind="construction", percent=True),
    # "Most" read as a majority of acts by a tenth of residents [design choice of the band].
    Pattern("P6", "Few residents do most of the participating (少数人参与): ordinary people take "
            "little part, power sits with local elites", "seed 001 L6, L32",
            "participation_top10_share in government-led (share of acts by the top 10%)",
            (0.5, 1.0), level(GOVERNMENT, "participation_top10_share"), (GOVERNMENT,),
            percent=True),
    # Both sources give lower bounds ("始终保持在93%以上", "都在97%以上"), for different places:
    # the ordinary mediation committees of seed 004's city, and Zhejiang, home of Fengqiao.
    Pattern("P8.1", "People's mediation settles more than 93% of disputes", "seed 004 L280",
            "mediation_success_rate in three-governance fusion (default mediators)",
            (0.93, 1.0), level(THREE_FUSION, "mediation_success_rate"), (THREE_FUSION,),
            kind="input", percent=True),
    Pattern("P8.2", "In Zhejiang, home of Fengqiao, mediation succeeds in more than 97% of "
            "disputes", "seed 000 L399", "mediation_success_rate in Fengqiao (trained mediators)",
            (0.97, 1.0), level(FENGQIAO, "mediation_success_rate"), (FENGQIAO,),
            kind="input", percent=True),
    Pattern("P9", "Crackdowns check problems, which then rebound (major cases +100% in 1989 "
            "after the 1983–86 campaign)", "seed 000 L609; seed 004 L149, L245",
            "new disputes + safety issues a day after campaigns ÷ on other routine days",
            (1.0, INF), campaign_rebound(CAMPAIGN, 60), (CAMPAIGN,)),
    Pattern("P10.1", "At Xinghua's first council 7 of 33 members came unprompted",
            "seed 001 L128", "mean council turnout in year 1, no phone calls", (0.15, 0.27),
            council_turnout(COUNCIL_UNPROMPTED, 0, DISCLOSURE_DAY), (COUNCIL_UNPROMPTED,),
            kind="input", percent=True),
    Pattern("P10.2", "26 of 33 came after the secretary's phone calls", "seed 001 L128",
            "mean council turnout in year 1, with phone calls", (0.72, 0.86),
            council_turnout(COUNCIL_PRODDED, 0, DISCLOSURE_DAY), (COUNCIL_PRODDED,),
            kind="input", percent=True),
    Pattern("P10.3", "After the secretary's year-end disclosure meeting members took part "
            "actively", "seed 001 L128",
            "mean council turnout in year 2 − year 1 (with phone calls)", (0.0, INF),
            lambda runs: (council_turnout(COUNCIL_PRODDED, DISCLOSURE_DAY + 1, 10**9)(runs)
                          - council_turnout(COUNCIL_PRODDED, 0, DISCLOSURE_DAY)(runs)),
            (COUNCIL_PRODDED,), kind="construction", percent=True),
)


def select(keys: list[str] | None) -> tuple[Pattern, ...]:
    """The patterns whose key is, or starts with, one of ``keys`` (all when None)."""
    if not keys:
        return PATTERNS
    chosen = tuple(p for p in PATTERNS
                   if any(p.key == k or p.key.startswith(k + ".") for k in keys))
    unknown = [k for k in keys if not any(p.key == k or p.key.startswith(k + ".")
                                          for p in PATTERNS)]
    if unknown:
        from cogov.model.loading import ScenarioError

        raise ScenarioError(f"--only: no pattern {', '.join(map(repr, unknown))}; known: "
                            + ", ".join(p.key for p in PATTERNS))
    return chosen
