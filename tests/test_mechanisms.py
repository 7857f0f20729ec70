"""Unit tests of each governance mechanism, in isolation where the hooks allow it."""

from __future__ import annotations

import numpy as np
import pytest
from cogov.model.config import Category
from cogov.model.issues import Channel, Level, Stage
from cogov.model.lifecycle import add_issues
from cogov.model.phases import open_offices


def _detected_issues(m, n=40, category=Category.FACILITY, stage=Stage.SIGN):
    """Put ``n`` detected, unrouted issues into a fresh model's table."""
    origin = m.rng.integers(0, m.population.n, n)
    ids = add_issues(m, int(category), origin)
    m.issues.stage[ids] = stage
    m.issues.detected[ids] = m.day
    m.issues.effort_left[ids] = 2.0
    m.issues.needs_power[ids] = False
    m.issues.complex[ids] = False
    return ids


# --- coordination ----------------------------------------------------------------------------


def test_government_mode_sends_everything_to_the_committee(small_model):
    m = small_model("government-led", days=1)
    open_offices(m)
    ids = np.concatenate([_detected_issues(m, 20, c) for c in Category])
    m.mechanisms["coordination"].route(ids)
    assert np.all(m.issues.handler[ids] == m.rc.slot)


def test_silo_mode_misroutes_some_issues_and_never_uses_the_core(small_model):
    m = small_model("fragmented", days=1, **{"mechanisms.coordination.misroute": 0.5})
    open_offices(m)
    ids = _detected_issues(m, 400, Category.CARE)
    m.mechanisms["coordination"].route(ids)
    handlers = m.issues.handler[ids]
    assert m.party.slot not in handlers and m.street.slot not in handlers
    late = np.mean(m.issues.ready[ids] > m.day)
    assert 0.4 < late < 0.6
    # Care issues go to the committee or to a care specialist, chosen blindly.
    care_specialists = {o.slot for o in m.social_organizations if o.specialties[Category.CARE]}
    assert set(handlers) <= care_specialists | {m.rc.slot}


def test_one_core_triage_costs_core_hours_and_follows_spare_capacity(small_model):
    m = small_model("one-core-four-element", days=1,
                    **{"mechanisms.coordination.triage_hours": 0.5})
    open_offices(m)
    before = m.party.hours
    ids = _detected_issues(m, 30, Category.FACILITY)
    routed = m.mechanisms["coordination"].route(ids)
    assert m.party.hours == pytest.approx(before - 0.5 * routed.size)
    # Starve the committee of time: the core then sends facility issues elsewhere.
    m.rc.hours = 0.0
    ids2 = _detected_issues(m, 300, Category.FACILITY)
    m.party.hours = 1e6
    m.mechanisms["coordination"].route(ids2)
    assert np.mean(m.issues.handler[ids2] == m.rc.slot) < 0.05


def test_one_core_triage_stops_when_core_has_no_time(small_model):
    m = small_model("one-core-four-element", days=1)
    open_offices(m)
    m.party.hours = 1.0
    ids = _detected_issues(m, 50)
    routed = m.mechanisms["coordination"].route(ids)
    assert routed.size == int(1.0 // m.config.mechanisms.coordination.triage_hours)
    assert np.sum(m.issues.handler[ids] >= 0) == routed.size


def test_market_mode_serves_payers_through_providers(small_model):
    m = small_model("market-led", days=1, **{"mechanisms.coordination.market_paid_share": 1.0})
    open_offices(m)
    ids = _detected_issues(m, 50, Category.FACILITY)
    m.mechanisms["coordination"].route(ids)
    assert not np.any(m.issues.handler[ids] == m.rc.slot)
    disputes = _detected_issues(m, 20, Category.DISPUTE)
    m.mechanisms["coordination"].route(disputes)
    assert np.all(m.issues.handler[disputes] == m.rc.slot)  # no market for mediation


def test_each_mode_is_its_own_class_and_an_intervention_swaps_it(small_model):
    from cogov.model.mechanisms.coordination import MODES, Market, OneCore, Routing

    assert set(MODES) == {"none", "government", "market", "one_core"}
    assert all(issubclass(cls, Routing) for cls in MODES.values())
    m = small_model("market-led", days=1)
    coordination = m.mechanisms["coordination"]
    assert isinstance(coordination.routing, Market) and not m.party.leads
    open_offices(m)
    coordination.route(_detected_issues(m, 30, Category.FACILITY))
    payers = coordination.payers()
    m.reconfigure(m.config.model_copy(update={"mechanisms": m.config.mechanisms.model_copy(
        update={"coordination": coordination.params.model_copy(update={"mode": "one_core"})})}))
    assert isinstance(coordination.routing, OneCore) and m.party.leads
    assert coordination.summon_success == coordination.params.joint_summon_success
    m.reconfigure(m.config.model_copy(update={"mechanisms": m.config.mechanisms.model_copy(
        update={"coordination": coordination.params.model_copy(update={"mode": "market"})})}))
    assert coordination.payers() is payers  # who pays is drawn once and outlives the swap


# --- grid patrols --------------------------------------------------------------------------------


def test_grid_search_only_in_covered_grids_and_grows_with_coverage(small_model):
    m = small_model("one-core-four-element", days=1, **{"mechanisms.grid.coverage": 0.5})
    grid = m.mechanisms["grid"]
    assert grid.covered.mean() == pytest.approx(0.5, abs=0.05)
    ids = _detected_issues(m, 300, stage=Stage.LATENT)
    m.issues.detected[ids] = -1
    [(p, channel)] = grid.search(ids)
    assert channel == Channel.GRID_PATROL
    covered = grid.covered[m.issues.grid[ids]]
    assert np.all(p[~covered] == 0) and np.all(p[covered] > 0)
    was = grid.covered.copy()
    grid.configure(grid.params.model_copy(update={"coverage": 0.8}))
    assert np.all(grid.covered[was])  # raising coverage only adds grids
    off = m.config.mechanisms.model_copy(
        update={"grid": grid.params.model_copy(update={"enabled": False})})
    m.reconfigure(m.config.model_copy(update={"mechanisms": off}))
    assert grid not in m.hooked["search"]  # switched off, the detection phase skips it


# --- administrative burden ----------------------------------------------------------------------


def test_admin_tasks_take_committee_time_up_to_the_access_list_cap(small_model):
    m = small_model("fragmented", days=1, **{"mechanisms.admin_burden.task_share": 0.6})
    open_offices(m)
    assert m.rc.admin_share == pytest.approx(0.6)
    m2 = small_model("fragmented", days=1, **{"mechanisms.admin_burden.task_share": 0.6,
                                                "mechanisms.admin_burden.access_list_cap": 0.2})
    open_offices(m2)
    assert m2.rc.admin_share == pytest.approx(0.2)
    assert m2.rc.hours > m.rc.hours


def test_empowerment_keeps_power_issues_local(small_model):
    from cogov.model.phases.routing import check_powers

    def referred(empowerment):
        m = small_model("government-led", days=1,
                        **{"mechanisms.admin_burden.empowerment": empowerment,
                           "mechanisms.coordination.summon_success": 0.0})
        open_offices(m)
        ids = _detected_issues(m, 400)
        m.issues.needs_power[ids] = True
        m.mechanisms["coordination"].route(ids)
        check_powers(m, ids)
        return np.mean(m.issues.level[ids] == Level.STREET)

    assert referred(0.0) == 1.0
    assert referred(1.0) == 0.0
    assert 0.3 < referred(0.5) < 0.7


# --- volunteers ---------------------------------------------------------------------------------


def test_volunteers_one_observer_per_unit_and_hours_to_the_core(small_model):
    m = small_model("one-core-four-element", days=1)
    vol = m.mechanisms["volunteers"]
    assert np.array_equal(np.sort(m.population.unit[vol.observers]),
                          np.arange(m.community.n_units))
    open_offices(m)
    with_volunteers = m.party.hours
    m2 = small_model("one-core-four-element", days=1, **{"mechanisms.volunteers.enabled": False})
    open_offices(m2)
    # Fresh residents have their whole week: every active member gives their weekly share.
    expected = vol.active.sum() * vol.params.hours_per_member_week / 7.0
    assert with_volunteers - m2.party.hours == pytest.approx(vol.given_today)
    assert vol.given_today == pytest.approx(expected) and expected > 0
    # Mobilisation reaches the active members and their ties only.
    pull = vol.participation_pull()
    assert np.all(pull[vol.active] > 0)
    assert 0 < np.mean(pull > 0) < 1
