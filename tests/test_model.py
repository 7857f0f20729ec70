"""The model as a whole: structure, network, invariants, determinism, Mesa integration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cogov.model import CommunityModel
from cogov.model.agents import (
    Enterprise,
    PartyBranch,
    Resident,
    ResidentsCommittee,
    SocialOrganization,
    StreetOffice,
)
from cogov.model.config import CATEGORY_NAMES
from cogov.model.issues import Status
from cogov.model.loading import load_scenario
from cogov.model.structure import scale_to_residents


def test_reference_community_matches_jiangxinyuan():
    m = CommunityModel("one-core-four-element", rng=3, overrides={"days": 1})
    c = m.community
    assert (c.n_areas, c.n_buildings, c.n_units) == (4, 41, 128)  # seed 000 L693
    assert np.unique(c.unit_building).size == 41
    # Residents are numbered in contiguous unit blocks.
    assert np.all(np.diff(c.unit) >= 0) and np.all(np.diff(c.household) >= 0)
    assert 2500 < c.n_residents < 4500


def test_network_is_simple_symmetric_and_layered():
    m = CommunityModel("fragmented", rng=5, overrides={"days": 1})
    net = m.network
    a = net.adjacency
    assert (a != a.T).nnz == 0
    assert a.diagonal().sum() == 0
    assert np.all(net.src < net.dst)
    assert set(np.unique(net.layer)) == {0, 1, 2, 3, 4}
    rows = np.asarray(net.mean_operator.sum(axis=1)).ravel()
    assert np.allclose(rows[net.degree() > 0], 1.0)
    g = net.to_networkx()
    assert g.number_of_nodes() == m.population.n
    assert g.number_of_edges() == net.n_edges
    assert all(isinstance(n, int) for n in list(g.nodes)[:50])
    # Household members are tied to each other.
    hh = m.population.household
    same = np.flatnonzero(hh[:-1] == hh[1:])[:20]
    assert all(a[i, i + 1] > 0 for i in same)


def test_agents_are_registered_by_type_and_residents_are_views(small_model):
    m = small_model(days=5)
    types = m.agents_by_type
    assert len(types[Resident]) == m.population.n
    for cls in (PartyBranch, ResidentsCommittee, StreetOffice):
        assert len(types[cls]) == 1
    assert len(types[SocialOrganization]) == 3 and len(types[Enterprise]) == 2
    r = m.residents[10]
    r.civic = 0.123
    assert m.population.civic[10] == 0.123
    m.population.satisfaction[10] = 0.456
    assert r.satisfaction == 0.456
    with pytest.raises(AttributeError):  # changed only in the residents' phase
        r.trust_rc = 0.5
    assert r.unit == m.population.unit[10]


def test_issue_conservation_and_bounded_states(small_model):
    m = small_model(days=200)
    for _ in range(200):
        m.step()
        c = m.issues.counts()
        assert c["created"] == c["open"] + c["resolved"] + c["closed_escalated"]
        m.population.check_bounds()
    ts = m.timeseries()
    for col in ts.columns:
        if col.endswith(("_rate", "_share")) or col in ("satisfaction", "grievance") \
                or col.startswith("trust_"):
            assert ts[col].between(0, 1).all(), col
    assert (ts["day"] == np.arange(200)).all()
    status = m.issues.column("status")
    assert set(np.unique(status)) <= {Status.OPEN, Status.RESOLVED, Status.CLOSED_ESCALATED}


def test_same_seed_same_results_different_seed_different(small_model):
    a = small_model(seed=11, days=150).run()
    b = small_model(seed=11, days=150).run()
    c = small_model(seed=12, days=150).run()
    pd.testing.assert_frame_equal(a.timeseries(), b.timeseries())
    assert pd.Series(a.summary()).equals(pd.Series(b.summary()))  # an undefined gap equals itself
    assert not a.timeseries().equals(c.timeseries())


def test_summary_has_the_documented_keys(small_model):
    s = small_model(days=30).run().summary()
    for key in ("resolution_rate", "mean_days_to_resolve", "proactive_detection_share",
                "petitions", "mass_incidents", "satisfaction", "trust_party_branch",
                "trust_residents_committee", "participation_rate", "participation_top10_share",
                "volunteer_hours", "rc_admin_share", "cost_per_resolved", "residents", "days",
                "seed"):
        assert key in s, key
    assert s["days"] == 30


def test_daily_metrics_cover_categories_and_levels(small_model):
    ts = small_model(days=20).run().timeseries()
    for c in CATEGORY_NAMES:
        assert {f"new_{c}", f"open_{c}", f"resolved_{c}"} <= set(ts.columns)
    assert {"escalations_community", "escalations_street", "petitions", "mass_incidents",
            "volunteer_hours", "money_spent"} <= set(ts.columns)


def test_scaling_to_residents_keeps_per_capita_capacity():
    cfg = load_scenario("one-core-four-element").config
    big = scale_to_residents(cfg, 34_000)
    factor = big.structure.units / cfg.structure.units
    assert 9 < factor < 11
    assert big.actors.residents_committee.staff == pytest.approx(
        cfg.actors.residents_committee.staff * factor)
    m = CommunityModel("one-core-four-element", rng=1, residents=20_000,
                       overrides={"days": 2}, create_resident_agents=False)
    assert 17_000 < m.population.n < 23_000
    m.run()


def test_interventions_switch_rules_mid_run(tmp_path):
    p = tmp_path / "reform.yaml"
    p.write_text("extends: government-led\ndays: 60\nstructure: {units: 20, buildings: 5, "
                 "areas: 1}\ninterventions:\n  - day: 30\n    set:\n"
                 "      mechanisms.coordination.mode: one_core\n"
                 "      mechanisms.grid.enabled: true\n    note: reform\n")
    m = CommunityModel(p, rng=2).run()
    assert m.mechanisms["coordination"].mode == "one_core"
    assert m.log == ["day 30: reform"]
    ts = m.timeseries()
    assert ts.loc[ts.day < 30, "patrol_hours"].eq(0).all()
    assert ts.loc[ts.day >= 30, "patrol_hours"].gt(0).all()


@pytest.mark.parametrize("scenario, days", [("fragmented", 40), ("reform-to-one-core", 400),
                                            ("one-core-four-element", 120)])
def test_results_never_depend_on_making_resident_agents(small_model, scenario, days):
    a = small_model(scenario, seed=4, days=days, agents=True)
    b = small_model(scenario, seed=4, days=days, agents=False)
    assert len(a.residents) == a.population.n and b.residents == []
    a.run()
    b.run()
    pd.testing.assert_frame_equal(a.timeseries(), b.timeseries())
    assert pd.Series(a.summary()).equals(pd.Series(b.summary()))  # an undefined gap equals itself


def test_the_resident_agents_switch_has_one_default():
    import inspect

    from cogov.model import footprint

    assert footprint.RESIDENT_AGENTS is True
    for f in (CommunityModel.__init__, footprint.estimate, footprint.require_fits):
        params = inspect.signature(f).parameters
        name = "create_resident_agents" if f is CommunityModel.__init__ else "resident_agents"
        assert params[name].default is footprint.RESIDENT_AGENTS


def test_resident_views_read_one_cell(small_model, monkeypatch):
    from cogov.model.population import Population

    m = small_model(days=1)
    kinds = m.population.kind.copy()

    def whole_column(self):
        raise AssertionError("a resident's kind built the whole column")

    monkeypatch.setattr(Population, "kind", property(whole_column))
    assert [int(r.kind) for r in m.residents] == kinds.tolist()
    r = m.residents[7]
    assert (r.unit, r.grid, r.acts) == (m.population.unit[7], m.population.grid[7],
                                        m.population.acts[7])


def test_social_organizations_gain_members_who_add_hours(small_model):
    m = small_model("fragmented", days=200, **{"behaviour.so_join": 0.5})
    assert sum(so.members for so in m.social_organizations) == 0
    m.run()
    members = m.population.member_of
    counts = np.bincount(members[members >= 0], minlength=len(m.social_organizations))
    assert counts.sum() > 0
    assert [so.members for so in m.social_organizations] == counts.tolist()
    so = m.social_organizations[0]
    so.begin_day()
    assert so.hours == pytest.approx(so.staff_hours + so.members * m.config.behaviour.member_hours)
    # Members are residents who took part: their propensity is above the population's.
    assert m.population.participation[members >= 0].mean() > m.population.participation.mean()
    none = small_model("fragmented", days=200, **{"behaviour.so_join": 0.0}).run()
    assert (none.population.member_of < 0).all()
