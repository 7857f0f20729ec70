"""Columnar resident state: one NumPy array per attribute, indexed by resident id.

A community has 10^3–10^5 residents and a street up to 10^6, so the day's resident updates are
array operations over these columns, never a Python loop over residents. ``Resident`` agents
(:mod:`cogov.model.agents`) are thin views that read and write a row of these arrays.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from .config import PopulationParams
from .structure import Community


class Institution(IntEnum):
    """Whom a resident can trust; also the kind of actor that handles an issue."""

    PARTY = 0
    RC = 1
    GOV = 2  # the street office and departments
    SO = 3
    ENTERPRISE = 4


INSTITUTION_KEYS = ["party", "rc", "gov", "so", "enterprise"]


class Kind(IntEnum):
    """The sub-kind shown for a resident; flags below can overlap (an elderly party member)."""

    ORDINARY = 0
    PARTY_MEMBER = 1
    VULNERABLE = 2
    ACTIVIST = 3
    MIGRANT = 4


# The flag that decides a resident's display kind, the first that applies.
KIND_PRECEDENCE = ((Kind.PARTY_MEMBER, "party"), (Kind.ACTIVIST, "activist"),
                   (Kind.VULNERABLE, "vulnerable"), (Kind.MIGRANT, "migrant"))

STATE_COLUMNS = ("satisfaction", "expectation", "performance", "grievance", "participation",
                 "civic", "legal")


class Population:
    """All residents' attributes as arrays of length ``n``."""

    def __init__(self, community: Community, params: PopulationParams,
                 rng: np.random.Generator):
        n = community.n_residents
        self.n = n
        self.household = community.household
        self.unit = community.unit
        self.building = community.building
        self.area = community.area
        self.grid = community.grid

        self.migrant = rng.random(n) < params.migrant_share
        self.vulnerable = rng.random(n) < params.vulnerable_share
        self.party = rng.random(n) < params.party_member_share
        # Activists come from settled residents: mobility lowers participation (seed 004 L161).
        self.activist = (rng.random(n) < params.activist_share / max(1 - params.migrant_share,
                                                                       1e-9)) & ~self.migrant
        init = params.initial

        def draw(mean: float) -> np.ndarray:
            return np.clip(rng.normal(mean, init.spread, n), 0.0, 1.0)

        self.satisfaction = draw(init.satisfaction)
        self.expectation = draw(init.expectation)
        self.performance = self.expectation.copy()  # perceived performance starts as expected
        self.grievance = draw(init.grievance)
        self.civic = draw(init.civic)
        self.legal = draw(init.legal)
        # Column-major (n × 5): each institution's column is contiguous, so the day's
        # per-institution updates and means stream through memory instead of striding.
        self.trust = np.asfortranarray(np.column_stack([
            draw(init.trust_party), draw(init.trust_rc), draw(init.trust_gov),
            draw(init.trust_so), draw(init.trust_enterprise),
        ]))
        self.trust_baseline = np.array([init.trust_party, init.trust_rc, init.trust_gov,
                                        init.trust_so, init.trust_enterprise])
        # Intrinsic propensity is skewed: most take part rarely, a few often (seed 001 L32).
        a = init.participation_shape
        mean = init.participation
        # A mean of 1 leaves the Beta no second shape: everyone is at full propensity.
        base = (rng.beta(a, a * (1.0 - mean) / max(mean, 1e-9), n) if mean < 1.0
                else np.ones(n))
        base[self.migrant] *= 0.6  # mobility lowers participation (seed 004 L161)
        base[self.party] += 0.1
        base[self.activist] += 0.3
        self.participation_base = np.clip(base, 0.0, 1.0)
        self.participation = self.participation_base.copy()
        self.civic_baseline = init.civic
        self.civic[self.party | self.activist] = np.clip(
            self.civic[self.party | self.activist] + 0.2, 0, 1)
        self.trust[self.party, Institution.PARTY] = np.clip(
            self.trust[self.party, Institution.PARTY] + 0.2, 0, 1)

        self.member_of = np.full(n, -1, dtype=np.int16)  # social organization, -1 for none
        self.acts = np.zeros(n, dtype=np.int64)  # participation acts since day 0
        self.volunteer_hours = np.zeros(n)
        self.time_load = np.zeros(n)  # volunteer hours given over a fading week (volunteer_time)
        self.withdrawn = np.zeros(n, dtype=bool)  # quit volunteering, worn out (fatigue)
        # Two reused rows for the residents' phase: its whole-population steps write here
        # instead of allocating n-sized temporaries every day (a phase's scratch, not state).
        self.work = np.empty((2, n))
        self.work_trust = np.empty_like(self.trust)  # column-major, as trust

    def warm_start(self, acts_per_day: float, window: int, memory: float,
                   rng: np.random.Generator) -> None:
        """Give residents the participation history their propensity implies, so that the
        participation metrics mean the same on day 0 as on day 700."""
        daily = self.participation * acts_per_day
        since = rng.geometric(np.clip(daily, 1e-12, 1.0))  # days since the last act
        self.last_act_day = -np.minimum(since, 10**6).astype(np.int64)
        self.activity = daily * memory  # expected acts within the memory

    # --- derived views -------------------------------------------------------------------

    @property
    def kind(self) -> np.ndarray:
        """One display kind per resident; party membership shows first."""
        k = np.full(self.n, Kind.ORDINARY, dtype=np.int8)
        for kind, flag in reversed(KIND_PRECEDENCE):
            k[getattr(self, flag)] = kind
        return k

    def kind_of(self, i: int) -> Kind:
        """The display kind of resident ``i`` alone, without building the whole column."""
        for kind, flag in KIND_PRECEDENCE:
            if getattr(self, flag)[i]:
                return kind
        return Kind.ORDINARY

    def joiner_weight(self) -> np.ndarray:
        """Relative propensity to join associations (organisation amplifies, seed 002 L123)."""
        w = np.ones(self.n)
        w[self.activist] *= 3.0
        w[self.party] *= 2.0
        w[self.migrant] *= 0.5
        return w

    def lose_trust(self, institutions: list[int], share: float) -> None:
        """A scandal (the event ``trust_drop``): every resident loses ``share`` of their trust
        in each of ``institutions`` at once. The one change to trust outside the residents'
        phase: it comes from outside the community's rules, on a day a scenario names."""
        for inst in institutions:
            self.trust[:, inst] *= 1.0 - share

    def check_bounds(self) -> None:
        for name in STATE_COLUMNS:
            arr = getattr(self, name)
            assert np.all((arr >= 0) & (arr <= 1)), name
        assert np.all((self.trust >= 0) & (self.trust <= 1)), "trust"
