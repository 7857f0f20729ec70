"""Formalism (形式主义, 台账) and pressure passed down (压力层层下传, 推诿): unit tests of hooks,
then each effect against its own counterfactual over common seeds."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from cogov.model import CommunityModel
from cogov.model.config import Category
from cogov.model.issues import Level
from cogov.model.ledger import USE
from cogov.model.lifecycle import add_issues, refer_to_street
from cogov.model.phases import open_offices
from cogov.model.phases.routing import route

from .conftest import SEEDS, greater

FORMALISM = {"mechanisms.formalism.enabled": True}
HEAVY = {**FORMALISM, "mechanisms.formalism.assessment_pressure": 3.0}
PRESSURE = {"mechanisms.pressure_down.enabled": True}
NO_PUSHBACK = {"mechanisms.pressure_down.pushback": 0.0}


# --- formalism: hours that produce only paper -------------------------------------------------


def _formalism_hours(m) -> tuple[float, float]:
    used = m.ledger.used
    return (float(used[m.ledger.index[m.ledger.staff_key[m.rc.slot]], USE["formalism"]]),
            float(used[m.ledger.index[m.ledger.staff_key[m.party.slot]], USE["formalism"]]))


def test_formalism_draws_committee_and_branch_hours_per_reporting_mechanism(small_model):
    m = small_model("one-core-four-element", days=1, **FORMALISM)
    f = m.mechanisms["formalism"]
    # The flagship switches on grid and volunteers; coordination, the burden and formalism
    # itself keep no ledger of their own.
    assert f.count_ledgers() == 2
    open_offices(m)
    p = f.params
    share = p.assessment_pressure * (p.base_share + 2 * p.ledger_share)
    rc, party = _formalism_hours(m)
    assert rc == pytest.approx(share * m.rc.staff_hours)
    assert party == pytest.approx(share * m.party.staff_hours)
    members = np.flatnonzero(m.population.party)
    per = p.assessment_pressure * p.member_ledger_hours_week * 2 / 7.0
    given = float(m.ledger.used[m.ledger.index["formalism_members"], USE["formalism"]])
    assert 0.0 < given <= per * members.size + 1e-9


def test_formalism_hours_are_not_there_for_issues(small_model):
    off = small_model("government-led", days=1)
    on = small_model("government-led", days=1, **FORMALISM)
    open_offices(off)
    open_offices(on)
    assert on.rc.hours < off.rc.hours
    assert on.rc.organising_hours < off.rc.organising_hours  # paper comes before organising
    assert on.rc.admin_hours == off.rc.admin_hours  # not administration: a use of its own


def test_formalism_grows_with_switched_on_mechanisms_and_pressure(small_model):
    m = small_model("one-core-four-element", days=1, **FORMALISM,
                    **{"mechanisms.mediation.enabled": True, "mechanisms.councils.enabled": True})
    assert m.mechanisms["formalism"].count_ledgers() == 4
    light = small_model("one-core-four-element", days=1, **FORMALISM,
                        **{"mechanisms.formalism.assessment_pressure": 0.5})
    heavy = small_model("one-core-four-element", days=1, **FORMALISM,
                        **{"mechanisms.formalism.assessment_pressure": 2.0})
    open_offices(light)
    open_offices(heavy)
    assert _formalism_hours(heavy)[0] == pytest.approx(4 * _formalism_hours(light)[0])


def test_formalism_never_takes_more_than_the_day_holds(small_model):
    m = small_model("government-led", days=1, **FORMALISM,
                    **{"mechanisms.formalism.assessment_pressure": 10.0})
    open_offices(m)
    assert m.rc.hours >= 0.0
    assert _formalism_hours(m)[0] <= m.rc.staff_hours * (1 - 0.6) + 1e-9


def test_formalism_share_is_reported_over_the_run(small_model):
    m = small_model("one-core-four-element", days=30, agents=False, **FORMALISM).run()
    s = m.summary()
    p = m.mechanisms["formalism"].params
    assert s["formalism_ledgers"] == 2
    assert s["formalism_share_residents_committee"] == pytest.approx(
        p.base_share + 2 * p.ledger_share)
    off = small_model("one-core-four-element", days=30, agents=False).run().summary()
    assert off["formalism_share_residents_committee"] == 0.0
    assert off["formalism_member_hours"] == 0.0


# --- pressure passed down: tasks without money, issues sent back -----------------------------


def test_pressure_scales_the_burden_within_the_access_list_cap(small_model):
    base = small_model("fragmented", days=1)
    on = small_model("fragmented", days=1, **PRESSURE)
    open_offices(base)
    open_offices(on)
    pressure = on.mechanisms["pressure_down"].params.pressure
    assert on.rc.admin_hours == pytest.approx(base.rc.admin_hours * (1 + pressure))
    capped = small_model("fragmented", days=1, **PRESSURE,
                         **{"mechanisms.admin_burden.access_list_cap": 0.45})
    open_offices(capped)
    assert capped.rc.admin_hours == pytest.approx(0.45 * capped.rc.staff_hours)
    none = small_model("fragmented", days=1, **PRESSURE,
                       **{"mechanisms.admin_burden.enabled": False})
    open_offices(none)
    assert none.rc.admin_hours == 0.0  # nothing to pass down without the burden


def test_tasks_without_money_are_paid_from_the_committee_fund(small_model):
    m = small_model("fragmented", days=1, **PRESSURE)
    open_offices(m)
    mech = m.mechanisms["pressure_down"]
    fund = m.rc.fund
    mech.organize()
    assert m.rc.fund == pytest.approx(fund - mech.params.unfunded_yuan_per_hour
                                      * mech.pushed_hours)
    assert mech.unfunded_yuan > 0.0


def _at_the_street(m, n=400):
    """``n`` power-needing issues the street office takes up today."""
    ids = add_issues(m, int(Category.FACILITY), m.rng.integers(0, m.population.n, n))
    m.issues.detected[ids] = m.day
    m.issues.needs_power[ids] = True
    refer_to_street(m, ids)
    m.issues.ready[ids] = m.day
    return ids


def test_the_street_sends_issues_back_down_and_they_are_routed_again(small_model):
    m = small_model("fragmented", days=1, **PRESSURE,
                    **{"mechanisms.admin_burden.empowerment": 0.0,
                       "mechanisms.coordination.summon_success": 0.0})
    open_offices(m)
    ids = _at_the_street(m)
    hours = m.rc.hours
    mech = m.mechanisms["pressure_down"]
    mech.send_back()
    back = ids[m.issues.bounces[ids] == 1]
    p = mech.params.pressure * mech.params.pushback
    assert abs(back.size / ids.size - p) < 0.1
    assert np.all(m.issues.handler[back] == -1)
    assert np.all(m.issues.level[back] == Level.COMMUNITY)
    assert m.rc.hours == pytest.approx(max(hours - mech.params.bounce_hours * back.size, 0.0))
    # Routed again, with no powers anywhere they go up again, to wait once more.
    route(m)
    assert np.all(m.issues.handler[back] == m.street.slot)
    assert np.all(m.issues.ready[back] == m.day + m.street.response_days)


def test_no_bounce_without_the_mechanism_or_without_pushback(small_model):
    off = small_model("fragmented", days=1)
    open_offices(off)
    ids = _at_the_street(off)
    route(off)
    assert np.all(off.issues.bounces[ids] == 0)
    calm = small_model("fragmented", days=1, **PRESSURE,
                       **{"mechanisms.pressure_down.pushback": 0.0})
    open_offices(calm)
    ids = _at_the_street(calm)
    route(calm)
    assert np.all(calm.issues.bounces[ids] == 0)


# --- effects over replicates: each mechanism against its own counterfactual -------------------
#
# 10 common seeds, 2,000 residents, 365 days; one-sided Mann–Whitney U at p < 0.01.


@functools.lru_cache(maxsize=32)
def _runs(scenario: str, overrides: tuple) -> tuple[dict, ...]:
    rows = []
    for seed in SEEDS:
        m = CommunityModel(scenario, rng=seed, residents=2000,
                           overrides={"days": 365, **dict(overrides)},
                           create_resident_agents=False).run()
        row = {k: v for k, v in m.summary().items() if not isinstance(v, str)}
        _, used = m.ledger.totals()
        staff = m.ledger.index[m.ledger.staff_key[m.rc.slot]]
        row["rc_staff_handling_hours"] = float(used[staff, USE["handling"]])
        rows.append(row)
    return tuple(rows)


def arms(scenario: str, **overrides) -> dict[str, np.ndarray]:
    rows = _runs(scenario, tuple(sorted(overrides.items())))
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


def test_formalism_at_the_defaults_takes_committee_hours_but_not_days():
    """Formalism on vs off at the defaults (10 seeds, 2,000 residents, 365 days; means). The
    flagship's committee spends 11% of its staff hours on paper; its staff hours on issues fall
    from 520 to 459 (−12%, p = 0.07) because one-core matching sends issues to actors with spare
    time, and days to resolve barely move (7.94 → 8.07, p = 0.24). Government-led (5% on paper)
    has slack: hours on issues 2,075 → 2,027 (p = 0.34), days 30.8 → 30.3 (p = 0.81). At the
    defaults formalism does not slow resolution; this test holds that finding (it fails if a
    change makes the effect emerge, p < 0.05)."""
    for scenario in ("one-core-four-element", "government-led"):
        on, off = arms(scenario, **FORMALISM), arms(scenario)
        assert greater(on["mean_days_to_resolve"], off["mean_days_to_resolve"]) > 0.05


def test_heavy_assessment_pressure_takes_hours_from_issues_and_slows_resolution():
    """At assessment pressure 3 (the flagship's committee and branch spend 33% of their staff
    hours on paper, government-led's 15%) the flagship's committee staff hours on issues fall
    from 520 to 299 (p = 0.0001) and days to resolve rise from 7.94 to 8.81 (p = 0.0004;
    satisfaction 0.529 → 0.524, p = 0.016). Government-led pays less and shows less: hours on
    issues 2,075 → 1,883 (p = 0.02), days 30.8 → 32.5 (p = 0.08, not established)."""
    core_on = arms("one-core-four-element", **HEAVY)
    core_off = arms("one-core-four-element")
    assert greater(core_off["rc_staff_handling_hours"], core_on["rc_staff_handling_hours"]) < 0.01
    assert greater(core_on["mean_days_to_resolve"], core_off["mean_days_to_resolve"]) < 0.01


def test_the_flagship_with_more_ledgers_pays_more_for_formalism():
    """The flagship runs two reporting mechanisms (grid, volunteers), government-led none: its
    committee's formalism share is 0.11 against 0.05 at the defaults (every seed)."""
    core = arms("one-core-four-element", **FORMALISM)
    gov = arms("government-led", **FORMALISM)
    assert greater(core["formalism_share_residents_committee"],
                   gov["formalism_share_residents_committee"]) < 0.01
    assert np.all(arms("government-led")["formalism_share_residents_committee"] == 0.0)


@pytest.mark.parametrize("scenario", ["one-core-four-element", "government-led"])
def test_bounces_occur_only_with_pressure_passed_down(scenario):
    """Bounces per issue 0.014 (flagship) and 0.031 (government-led); 5.5% and 11.1% of the issues
    needing powers are sent back at least once; none with the mechanism off."""
    on, off = arms(scenario, **PRESSURE), arms(scenario)
    assert np.all(on["bounces_per_issue"] > 0.0) and np.all(on["bounced_issue_share"] > 0.0)
    assert np.all(off["bounces_per_issue"] == 0.0) and np.all(off["bounced_issue_share"] == 0.0)


def test_pressure_passed_down_slows_resolution_and_lowers_satisfaction_government_led():
    """Government-led, on vs off: the committee's administrative share rises from 0.6 to 0.9, its
    staff hours on issues fall from 2,075 to 948; days to resolve 30.8 → 45.5 (p = 0.0002),
    satisfaction 0.416 → 0.330 (p = 0.0003), resolution rate 0.881 → 0.775."""
    on, off = arms("government-led", **PRESSURE), arms("government-led")
    assert greater(on["mean_days_to_resolve"], off["mean_days_to_resolve"]) < 0.01
    assert greater(off["satisfaction"], on["satisfaction"]) < 0.01


def test_pressure_passed_down_in_the_flagship_slows_resolution_but_not_satisfaction():
    """Flagship, on vs off: committee staff hours on issues 520 → 373 (p = 0.0004); days to
    resolve 7.94 → 8.36 (p = 0.011, asserted at 0.05); satisfaction does not fall (0.529 →
    0.530, p = 0.57): the branch's matching moves work to actors with time. Held as found."""
    on, off = arms("one-core-four-element", **PRESSURE), arms("one-core-four-element")
    assert greater(off["rc_staff_handling_hours"], on["rc_staff_handling_hours"]) < 0.01
    assert greater(on["mean_days_to_resolve"], off["mean_days_to_resolve"]) < 0.05
    assert greater(off["satisfaction"], on["satisfaction"]) > 0.05


def test_bounces_themselves_cost_days_in_the_flagship_not_under_government_led():
    """The bounce alone: pressure on with pushback 0.5 vs 0 (same tasks pushed down). Flagship:
    days 7.98 → 8.36 (p = 0.011, asserted at 0.05), satisfaction 0.535 → 0.530 (p = 0.07, not
    established). Government-led: no effect on days (45.9 → 45.5, p = 0.60) or satisfaction
    (p = 0.69): its committee is saturated (99% of its hours used) and a bounced issue gets
    another chance at the power check, so waiting at the street again costs little more than
    waiting in the committee's queue. Held as found."""
    core = arms("one-core-four-element", **PRESSURE)
    core_calm = arms("one-core-four-element", **PRESSURE, **NO_PUSHBACK)
    assert greater(core["mean_days_to_resolve"], core_calm["mean_days_to_resolve"]) < 0.05
    gov = arms("government-led", **PRESSURE)
    gov_calm = arms("government-led", **PRESSURE, **NO_PUSHBACK)
    assert greater(gov["mean_days_to_resolve"], gov_calm["mean_days_to_resolve"]) > 0.05


def test_failure_modes_keep_no_ledgers(small_model):
    on = {f"mechanisms.{k}.enabled": True for k in ("leadership", "elite_capture", "fatigue",
                                                    "pressure_down")}
    m = small_model("one-core-four-element", days=1, **FORMALISM, **on)
    assert m.mechanisms["formalism"].count_ledgers() == 2  # grid and volunteers, as without them
