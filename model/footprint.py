"""What a run will need — memory and time — estimated from its configuration before anything is
built, so that a community too large for the machine is refused with a figure instead of
ending in a MemoryError, a segmentation fault or a swap storm an hour later.

The coefficients were measured on the reference machine (docs/performance.md): about 160 MB for
the interpreter and libraries, ~300 bytes of state per resident, ~170 bytes at the peak of the
network build per tie drawn, ~250 bytes per issue row (columns, growth by doubling); a day costs
about a millisecond plus 0.1 µs per resident. They are deliberately round: the estimate is for a
refusal with a reason, not for a benchmark.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass

from .config import ScenarioConfig
from .loading import ScenarioError

#: Whether a model makes one Mesa ``Resident`` view per resident unless told otherwise
#: (``CommunityModel(create_resident_agents=...)``): on in the Python API, for Mesa tools. The
#: views cost memory, never results, so every ``cogov`` command runs without them
#: (``cogov.experiments.runner.RESIDENT_AGENTS``), as does the visualizer.
RESIDENT_AGENTS = True

BASE_BYTES = 160e6
BYTES_PER_RESIDENT = 300.0
BYTES_PER_AGENT = 200.0  # one Mesa ``Resident`` view, when they are made
BYTES_PER_TIE = 170.0
BYTES_PER_ISSUE = 250.0
SECONDS_PER_RESIDENT_BUILT = 8e-6
SECONDS_PER_DAY = 1e-3
SECONDS_PER_RESIDENT_DAY = 1e-7
SECONDS_PER_ISSUE = 2e-5


@dataclass(frozen=True)
class Footprint:
    residents: float
    ties: float  # ties drawn while building the network, before duplicates are merged
    issues: float  # issues expected over the whole run
    bytes: float
    seconds: float

    def describe(self) -> str:
        took = _duration(self.seconds)
        took = took if took.startswith("under") else f"~{took}"
        return f"~{self.residents:,.0f} residents, ~{_size(self.bytes)} of memory, {took}"


def _size(n: float) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return f"{n / 1e3:,.0f} kB"


def _duration(s: float) -> str:
    if s < 120:
        return f"{s:,.0f} s" if s >= 1 else "under a second"
    if s < 2 * 3600:
        return f"{s / 60:,.0f} min"
    if s < 3 * 86400:
        return f"{s / 3600:,.1f} h"
    return f"{s / 86400:,.0f} days"


def estimate(config: ScenarioConfig, resident_agents: bool = RESIDENT_AGENTS,
             residents: float | None = None) -> Footprint:
    """The footprint of one run of ``config``, resized to about ``residents`` if given (sizes
    scale with the structure, so the estimate does too)."""
    s, net, pop = config.structure, config.network, config.population
    n = float(s.units) * s.households_per_unit * s.household_size_mean
    if residents is not None:
        n = float(residents)
    household_ties = max(s.household_size_mean - 1.0, 0.0)  # pairs per resident, roughly
    ties = n * (household_ties + net.neighbour_ties + net.building_ties
                + net.association_share * net.association_ties + net.long_range_ties)
    per_1000 = sum(getattr(config.issues, c).rate for c in ("dispute", "facility", "safety",
                                                             "project"))
    per_1000 += config.issues.care.rate * pop.vulnerable_share
    # Grievance raises rates by up to (1 + sensitivity); campaigns bring deterred issues back.
    # (counted even while campaigns are off: an intervention may start them).
    c = config.mechanisms.campaign
    deterred = c.deterrence * min(1.0, c.duration_days / c.period_days)
    surge = (1.0 + config.issues.grievance_sensitivity) * (1.0 + deterred * c.rebound)
    issues = n / 1000.0 * per_1000 * surge * config.days
    memory = (BASE_BYTES + n * (BYTES_PER_RESIDENT + (BYTES_PER_AGENT if resident_agents else 0))
              + ties * BYTES_PER_TIE + issues * BYTES_PER_ISSUE)
    seconds = (n * SECONDS_PER_RESIDENT_BUILT
               + config.days * (SECONDS_PER_DAY + n * SECONDS_PER_RESIDENT_DAY)
               + issues * SECONDS_PER_ISSUE)
    return Footprint(n, ties, issues, memory, seconds)


def available_memory() -> float:
    """Bytes this process may still take: free memory, or less under an address-space limit."""
    free = float("inf")
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    free = float(line.split()[1]) * 1024
                    break
    except OSError:
        pages = os.sysconf("SC_AVPHYS_PAGES") if hasattr(os, "sysconf") else -1
        if pages > 0:
            free = float(pages * os.sysconf("SC_PAGE_SIZE"))
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        free = min(free, float(soft))
    return free


def _largest_part(need: Footprint, resident_agents: bool) -> str:
    parts = {
        "the residents (structure.units, structure.households_per_unit, --residents)":
            need.residents * (BYTES_PER_RESIDENT + (BYTES_PER_AGENT if resident_agents else 0)),
        "the social ties (network.*_ties)": need.ties * BYTES_PER_TIE,
        (f"the ~{need.issues:,.0f} issues of the run (issues.*.rate, "
         "issues.grievance_sensitivity, mechanisms.campaign.rebound, days)"):
            need.issues * BYTES_PER_ISSUE,
    }
    return max(parts, key=parts.get)


def require_fits(config: ScenarioConfig, resident_agents: bool = RESIDENT_AGENTS,
                 where: str = "the scenario", residents: float | None = None) -> Footprint:
    """Refuse, with the estimate in the message, a run this machine cannot hold — at the start
    or after any of its interventions (one may raise issue rates tenfold on day 365)."""
    from .loading import apply_intervention

    free = available_memory()
    states = [("", config)]
    current = config
    for iv in config.interventions:
        current = apply_intervention(current, iv.set)
        states.append((f" after the intervention at day {iv.day}", current))
    first = None
    for when, state in states:
        need = estimate(state, resident_agents, residents)
        first = first or need
        if need.bytes > free:
            raise ScenarioError(
                f"{where}: too large for this machine{when}: {need.describe()}, but only "
                f"{_size(free)} of memory is available; most of it goes to "
                f"{_largest_part(need, resident_agents)}")
    return first
