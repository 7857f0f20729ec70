"""The resource ledger: every hour and yuan has a payer, no source gives more than it has, and
money is conserved (income = spent + lapsed + held)."""

from __future__ import annotations

import numpy as np
import pytest
from cogov.experiments.cli import main
from cogov.model import CommunityModel
from cogov.model.ledger import TOLERANCE, USE, USES, Ledger, Source
from cogov.model.volunteer_time import spare

from .conftest import SMALL
from .test_bad_input import TINY, fails

# Scenarios that between them switch on every source: grids paid and by volunteers, mediation,
# councils, the alliance, purchase, separation, enterprises' profit.
SCENARIOS = ("one-core-four-element", "government-led", "fragmented", "dongcheng-grid",
             "fengqiao", "chengdu-village-deliberation", "kangbashi-big-neighbourhood",
             "wujiang-government-society-interaction", "yantian-separation", "reform-to-one-core",
             "campaign", "futian-micro-projects", "three-governance-fusion")
SEEDS = (3, 11)
DAYS = 400  # past one fiscal year-end (day 364) and the reform's switch (day 365)


def run(scenario: str, seed: int, days: int = DAYS, **over) -> CommunityModel:
    return CommunityModel(scenario, rng=seed, overrides={**SMALL, "days": days, **over},
                          create_resident_agents=False).run()


@pytest.fixture(scope="module", params=[(s, seed) for s in SCENARIOS for seed in SEEDS],
                ids=lambda p: f"{p[0]}@{p[1]}")
def model(request):
    return run(*request.param)


def _days(m: CommunityModel) -> tuple[np.ndarray, np.ndarray]:
    return np.array(m.ledger._supply_days), np.array(m.ledger._used_days)


# --- invariants over shipped scenarios ------------------------------------------------------


def test_no_source_gives_more_hours_than_it_has_on_any_day(model):
    supply, used = _days(model)
    hours = model.ledger.is_hours
    drawn = used[:, hours, :].sum(axis=2)
    assert np.all(drawn <= supply[:, hours] + TOLERANCE)
    assert np.all(used >= -TOLERANCE) and np.all(supply >= 0.0)


def test_no_fund_is_ever_negative_and_yuan_are_conserved(model):
    ledger = model.ledger
    supply, used = _days(model)
    funds = ~ledger.is_hours
    income = supply[:, funds].sum(axis=0)
    spent = used[:, funds][:, :, [i for u, i in USE.items() if u != "lapse"]].sum(axis=(0, 2))
    lapsed = used[:, funds, USE["lapse"]].sum(axis=0)
    held = np.array(ledger._balance)[funds]
    assert np.allclose(income, spent + lapsed + held, atol=1e-6, rtol=1e-9)
    running = np.cumsum(supply[:, funds] - used[:, funds].sum(axis=2), axis=0)
    assert running.min() >= -TOLERANCE
    # The ledger's balances are the actors' own funds.
    for org in model.handlers:
        assert ledger.balance(ledger.fund_key[org.slot]) == pytest.approx(org.fund, abs=1e-6)
        assert org.fund >= -TOLERANCE
    assert ledger.balance("public_fund") == pytest.approx(model.public_fund, abs=1e-6)


def test_what_a_fund_holds_at_the_year_end_lapses(model):
    """Fiscal year-end is the evening of day 364: funds lapse then, and nowhere else; after it a
    fund holds no more than what arrived that evening (the next year's first budget)."""
    supply, used = _days(model)
    funds = ~model.ledger.is_hours
    lapse = used[:, funds, USE["lapse"]]
    assert lapse[364].sum() > 0 and np.delete(lapse, 364, axis=0).sum() == 0.0
    held = np.cumsum(supply[:, funds] - used[:, funds].sum(axis=2), axis=0)
    assert np.all(held[364] <= supply[364, funds] + TOLERANCE)


def test_residents_never_give_more_than_their_week(model):
    assert np.all(model.population.time_load <= model.config.behaviour.volunteer_limit_week
                  + 1e-9)
    assert np.all(spare(model) >= 0.0)


def test_the_ledger_frame_is_the_record(model):
    df = model.ledger.frame()
    assert list(df.columns) == ["day", "source", "use", "hours", "yuan"]
    assert set(df["use"]) <= {"available", "held", *USES}
    supply, used = _days(model)
    drawn = df[~df["use"].isin(["available", "held"])]
    assert drawn["hours"].sum() == pytest.approx(used[:, model.ledger.is_hours].sum())
    assert drawn["yuan"].sum() == pytest.approx(used[:, ~model.ledger.is_hours].sum())
    assert df["day"].max() == DAYS - 1


# --- mechanisms and their sources -----------------------------------------------------------


def _source_use(m: CommunityModel, source: str, use: str) -> float:
    _, used = m.ledger.totals()
    return float(used[m.ledger.index[source], USE[use]])


def test_grid_patrol_hours_are_drawn_from_a_source():
    paid = run("dongcheng-grid", 5, 60)
    volunteers = run("one-core-four-element", 5, 60)
    for m, source in ((paid, "grid_workers"), (volunteers, "grid_volunteers")):
        ts = m.timeseries()
        patrolled = _source_use(m, source, "patrol")
        assert patrolled > 0
        assert patrolled == pytest.approx(ts["patrol_hours"].sum())
        _, used = m.ledger.totals()
        assert used[:, USE["patrol"]].sum() == pytest.approx(patrolled)  # no other payer


def test_paid_patrols_stop_at_what_the_grid_workers_supply():
    """Forty grids asking an hour a day each from two workers of 7.5 hours get 15 hours."""
    m = run("fragmented", 2, 20, **{"mechanisms.grid.enabled": True, "structure.units_per_grid": 1,
                                   "mechanisms.grid.patrol_hours_per_grid": 1.0,
                                   "mechanisms.grid.workers": 2.0})
    ts = m.timeseries()
    assert m.community.n_grids * 1.0 > 15.0
    assert np.allclose(ts["patrol_hours"], 15.0)
    supply, used = _days(m)
    s = m.ledger.index["grid_workers"]
    assert np.allclose(supply[:, s], 15.0) and np.allclose(used[:, s, USE["patrol"]], 15.0)


def test_volunteer_patrols_and_duty_are_limited_by_residents_time():
    """A shorter week cuts what volunteers give; with none at all no volunteer patrols, duty or
    acts happen. A patrol spread over a grid's residents asks little of each, so only a very
    short week limits it."""
    free = run("one-core-four-element", 4, 60)
    limit = "behaviour.volunteer_limit_week"
    tight = {s: run("one-core-four-element", 4, 60, **{limit: w})
             for s, w in (("party_volunteers", 1.0), ("resident_acts", 2.5),
                          ("grid_volunteers", 0.05))}
    none = run("one-core-four-element", 4, 60, **{limit: 0.0})
    for source, m in tight.items():
        i = free.ledger.index[source]
        assert 0 < m.ledger.totals()[0][i] < free.ledger.totals()[0][i], source
        assert none.ledger.totals()[0][i] == 0.0, source
    assert none.summary()["patrol_hours"] == 0.0
    assert none.summary()["volunteer_hours"] < free.summary()["volunteer_hours"]


@pytest.mark.parametrize("switch, source, use", [
    ("grid", "grid_volunteers", "patrol"),
    ("volunteers", "party_volunteers", None),
    ("councils", "council_attendees", None),
    ("service_purchase", "purchase_budget", "purchase"),
    ("mediation", "fund:street office", "mediation_pay"),
])
def test_switching_a_mechanism_off_removes_its_uses(switch, source, use):
    scenario = {"councils": "chengdu-village-deliberation", "service_purchase":
                "wujiang-government-society-interaction", "mediation": "fengqiao"}.get(
        switch, "one-core-four-element")
    # At the seed 004 city's dispute level (≈3.6 per 1,000 residents a year) a small community
    # has no dispute in 120 days, so the mediation committee would never be paid; this test is
    # about the ledger, so it asks for disputes often enough to give the committee cases.
    more = {"issues.dispute.rate": 0.12} if switch == "mediation" else {}
    on = run(scenario, 6, 120, **more)
    off = run(scenario, 6, 120, **more, **{f"mechanisms.{switch}.enabled": False})
    for m, present in ((on, True), (off, False)):
        supply, used = m.ledger.totals()
        s = m.ledger.index[source]
        amount = used[s, USE[use]] if use else supply[s]
        assert (amount > 0) == present, (switch, present, amount)


def test_triage_is_paid_by_the_branch_and_admin_by_the_committee():
    m = run("one-core-four-element", 8, 60)
    _, used = m.ledger.totals()
    triage = used[:, USE["triage"]]
    admin = used[:, USE["admin"]]
    assert triage.sum() > 0 and admin.sum() > 0
    branch = [m.ledger.index["staff:party branch"], m.ledger.index["party_volunteers"]]
    assert triage[branch].sum() == pytest.approx(triage.sum())
    assert admin[m.ledger.index["staff:residents' committee"]] == pytest.approx(admin.sum())


def test_costs_and_utilisation_in_the_summary():
    m = run("one-core-four-element", 9, 60)
    s = m.summary()
    costs = m.ledger.costs(m.config.ledger.wage, m.config.ledger.shadow_wage)
    assert s["paid_cost_yuan"] == pytest.approx(costs["paid_cost_yuan"])
    assert s["social_cost_yuan"] == pytest.approx(
        s["paid_cost_yuan"] + m.config.ledger.shadow_wage * s["volunteer_hours"])
    assert s["paid_cost_yuan"] >= s["money_spent"]
    for key in ("residents_committee", "party_branch", "street_office"):
        assert 0.0 <= s[f"utilisation_{key}"] <= 1.0 + 1e-9
    assert s["utilisation_residents_committee"] > 0
    dearer = run("one-core-four-element", 9, 60, **{"ledger.wage": 120.0}).summary()
    assert dearer["paid_cost_yuan"] > s["paid_cost_yuan"]
    assert dearer["resolution_rate"] == s["resolution_rate"]  # prices value, never act


# --- bad input ------------------------------------------------------------------------------


def test_paid_patrols_without_grid_workers_are_refused_before_the_run(tmp_path, capsys):
    fails(["run", "dongcheng-grid", "--days", "5", "--out", str(tmp_path / "a"), *TINY,
           "--set", "mechanisms.grid.workers=0"], capsys, "mechanisms.grid.workers",
          "never free")
    path = tmp_path / "s.yaml"
    path.write_text("extends: fragmented\nmechanisms:\n  grid:\n    enabled: true\n"
                    "    hours_per_worker_day: 0\n", encoding="utf-8")
    fails(["run", str(path), "--days", "5", "--out", str(tmp_path / "b")], capsys,
          f"{path}:5", "mechanisms.grid.hours_per_worker_day")
    path.write_text("extends: fragmented\ninterventions:\n  - day: 3\n    set:\n"
                    "      mechanisms.grid.enabled: true\n      mechanisms.grid.workers: 0\n",
                    encoding="utf-8")
    fails(["run", str(path), "--days", "5", "--out", str(tmp_path / "c")], capsys,
          f"{path}:6", "mechanisms.grid.workers", "intervention at day 3")
    assert not any(tmp_path.glob("[abc]"))
    # Volunteers need no workers; an idle grid needs none either.
    assert main(["validate", "fragmented", "--set", "mechanisms.grid.enabled=true",
                 "--set", "mechanisms.grid.force=volunteers", "--set",
                 "mechanisms.grid.workers=0"]) == 0


@pytest.mark.parametrize("key", ["mechanisms.grid.workers", "behaviour.volunteer_limit_week",
                                 "actors.residents_committee.budget_per_day",
                                 "actors.street_office.staff", "ledger.shadow_wage"])
def test_a_negative_supply_is_refused_by_the_schema(key, capsys):
    fails(["validate", "fragmented", "--set", f"{key}=-1"], capsys, key)


# --- the ledger class -----------------------------------------------------------------------


def _ledger() -> Ledger:
    sources = [Source("staff", "hours", paid=True), Source("vol", "hours"),
               Source("fund", "yuan")]
    return Ledger(sources, [0, "other"])


def test_a_draw_is_capped_at_the_pot_and_attributed_pro_rata():
    led = _ledger()
    led.add_hours("staff", 0, 6.0)
    led.add_hours("vol", 0, 2.0)
    assert led.use_hours(0, "handling", 4.0) == 4.0
    assert led.used[0, USE["handling"]] == pytest.approx(3.0)
    assert led.used[1, USE["handling"]] == pytest.approx(1.0)
    assert led.use_hours(0, "triage", 10.0) == pytest.approx(4.0)  # only 4 were left
    assert led.left(0) == pytest.approx(0.0)
    assert led.use_hours(0, "triage", 1.0) == 0.0
    assert led.use_hours("other", "patrol", 1.0) == 0.0  # an empty pot gives nothing
    led.give_back(0, "triage", 2.0)
    assert led.left(0) == pytest.approx(2.0) and led.used[:, USE["triage"]].sum() == \
        pytest.approx(2.0)
    led.end_day()
    assert led.left(0) == 0.0  # hours do not carry over
    supply, used = led.totals()
    assert supply[0] == 6.0 and used[:2].sum() == pytest.approx(6.0)
    assert led.utilisation(0) == pytest.approx(6.0 / 8.0)


def test_funds_carry_over_are_capped_and_lapse():
    led = _ledger()
    led.receive("fund", 100.0)
    assert led.spend("fund", "handling", 30.0) == 30.0
    led.end_day()
    assert led.balance("fund") == 70.0  # money carries over from day to day
    assert led.spend("fund", "handling", 500.0) == pytest.approx(70.0, abs=TOLERANCE)
    led.receive("fund", 40.0)
    assert led.lapse("fund") == pytest.approx(40.0, abs=TOLERANCE) and led.balance("fund") == 0.0
    led.end_day()
    costs = led.costs(wage=10.0, shadow_wage=1.0)
    assert costs["yuan_spent"] == pytest.approx(100.0, abs=TOLERANCE)  # lapse is not spending
    df = led.frame()
    assert set(df["use"]) == {"available", "handling", "lapse", "held"}
    assert df.loc[df["use"] == "lapse", "yuan"].sum() == pytest.approx(40.0, abs=TOLERANCE)


def test_paid_cost_prices_paid_hours_on_duty_and_social_cost_volunteer_hours():
    led = _ledger()
    led.add_hours("staff", 0, 8.0)  # on duty, idle or not
    led.add_hours("vol", 0, 3.0)
    led.receive("fund", 50.0)
    led.spend("fund", "purchase", 20.0)
    led.end_day()
    c = led.costs(wage=60.0, shadow_wage=12.5)
    assert c["paid_cost_yuan"] == pytest.approx(20.0 + 8.0 * 60.0)
    assert c["social_cost_yuan"] == pytest.approx(c["paid_cost_yuan"] + 3.0 * 12.5)
    assert c["volunteer_hours"] == 3.0


def test_source_keys_are_unique():
    with pytest.raises(ValueError, match="share a key"):
        Ledger([Source("a", "hours"), Source("a", "yuan")], [0])


# --- every use has a source, and its effect is what that source gave ------------------------


def _channel_finds(m: CommunityModel, channel) -> int:
    t = m.issues
    return int(((t.column("detected") >= 0) & (t.column("channel") == channel)).sum())


def test_a_disclosure_meeting_is_the_branch_s_and_the_attendees_hours():
    """A meeting draws the branch's preparation and its attendees' week; with no branch hours
    there is no transparency, with no residents' time no trust gain."""
    on = {"mechanisms.disclosure.enabled": True, "mechanisms.disclosure.first_day": 2,
          "mechanisms.volunteers.enabled": False}
    m = run("fragmented", 1, 3, **on)
    assert _source_use(m, "staff:party branch", "disclosure") == pytest.approx(8.0)
    assert 0.9 * 33 * 2.0 < _source_use(m, "meeting_attendees", "disclosure") <= 33 * 2.0
    assert m.party.transparency > 0.99
    idle = run("fragmented", 1, 3, **on, **{"actors.party_branch.staff": 0.0})
    assert idle.party.transparency == 0.0
    assert _source_use(idle, "staff:party branch", "disclosure") == 0.0
    tired = run("fragmented", 1, 3, **on, **{"behaviour.volunteer_limit_week": 0.0})
    assert tired.mechanisms["disclosure"].trust_gain()[0] == 0.0  # nobody came
    assert m.mechanisms["disclosure"].trust_gain()[0] > 0.0


def test_the_core_s_joint_meeting_and_joint_handling_take_participants_hours():
    m = run("one-core-four-element", 3, 61)
    _, used = m.ledger.totals()
    meeting = used[:, USE["joint_meeting"]]
    assert meeting.sum() > 0 and used[:, USE["joint_handling"]].sum() > 0
    # Every participating actor paid its share: more than one staff source.
    staff = [m.ledger.index[k] for k in m.ledger.staff_key]
    assert (meeting[staff] > 0).sum() >= 3
    # A branch with no hours convenes nobody: no issue is handled jointly.
    idle = run("one-core-four-element", 3, 61, **{"actors.party_branch.staff": 0.0,
                                                 "mechanisms.volunteers.enabled": False})
    assert idle.issues.column("joint").sum() == 0
    assert m.issues.column("joint").sum() > 0


def test_liaisons_and_the_watch_watch_with_residents_time():
    from cogov.model.issues import Channel
    over = {"mechanisms.points.enabled": True}
    m = run("one-core-four-element", 4, 90, **over)
    assert _source_use(m, "liaisons", "liaison") > 0 and _source_use(m, "watchers", "watch") > 0
    assert _channel_finds(m, Channel.LIAISON) > 0
    none = run("one-core-four-element", 4, 90, **over, **{"behaviour.volunteer_limit_week": 0.0})
    assert _channel_finds(none, Channel.LIAISON) == 0
    assert _source_use(none, "watchers", "watch") == 0.0
    assert none.mechanisms["points"]._unit_share.max() == 0.0


def test_mediators_visits_take_the_committee_s_hours():
    more = {"issues.dispute.rate": 0.12}
    m = run("fengqiao", 5, 60, **more)
    c = m.mechanisms["mediation"].committee
    visits = _source_use(m, f"staff:{c.name}", "visits")
    assert visits == pytest.approx(60 * c.staff * 1.0 / 7.0)
    none = run("fengqiao", 5, 60, **more,
               **{"mechanisms.mediation.visit_hours_per_mediator_week": 0.0})
    assert none.mechanisms["mediation"].visiting == 0.0
    assert _source_use(none, f"staff:{c.name}", "visits") == 0.0


def test_a_campaign_s_surge_is_paid_overtime_and_its_sweeps_use_it():
    from cogov.model.issues import Channel
    def full(**over):  # the full-size community: a small one has too few issues to sweep
        return CommunityModel("campaign", rng=6, overrides={"days": 40, **over},
                              create_resident_agents=False).run()

    m = full()
    hours = m.ledger.totals()[0][m.ledger.index["campaign_overtime"]]
    paid = _source_use(m, "campaign_fund", "overtime")
    assert hours > 0 and paid == pytest.approx(hours * 60.0)
    assert _source_use(m, "campaign_overtime", "sweeps") > 0
    unfunded = full(**{"mechanisms.campaign.allocation_per_1000_day": 0.0})
    assert unfunded.ledger.totals()[0][unfunded.ledger.index["campaign_overtime"]] == 0.0
    assert _channel_finds(unfunded, Channel.CAMPAIGN) == 0 < _channel_finds(m, Channel.CAMPAIGN)


def test_dispatch_is_the_street_office_s_hours_and_advisers_are_paid_hours():
    over = {"mechanisms.smart_platform.enabled": True, "mechanisms.legal.enabled": True}
    m = run("fragmented", 7, 5, **over)
    assert _source_use(m, "staff:street office", "dispatch") > 0
    assert m.street.dispatch == pytest.approx(0.9)
    assert _source_use(m, "legal_advisers", "legal_advice") > 0
    assert m.mechanisms["legal"].advising == pytest.approx(1.0)
    idle = run("fragmented", 7, 5, **over, **{"actors.street_office.staff": 0.0})
    assert idle.street.dispatch == 0.0


def test_council_allowances_are_paid_from_the_committee_fund():
    m = run("chengdu-village-deliberation", 8, 65)
    assert _source_use(m, "fund:residents' committee", "allowance") > 0
    assert m.mechanisms["councils"].allowance_paid == pytest.approx(1.0)
    broke = run("chengdu-village-deliberation", 8, 65,
                **{"actors.residents_committee.budget_per_day": 0.0})
    councils = broke.mechanisms["councils"]
    assert councils.allowance_paid == 0.0
    assert councils.turnout() < m.mechanisms["councils"].turnout()


def test_points_are_redeemed_from_a_fund_and_the_incentive_fades_without_money():
    over = {"mechanisms.points.enabled": True}
    m = run("one-core-four-element", 9, 60, **over)
    assert _source_use(m, "points_fund", "redemption") > 0
    assert m.mechanisms["points"].redeemable == pytest.approx(1.0)
    poor = run("one-core-four-element", 9, 60, **over,
               **{"mechanisms.points.fund_per_resident_year": 0.01})
    mech = poor.mechanisms["points"]
    assert mech.redeemable < 0.2
    assert mech.participation_pull() < m.mechanisms["points"].participation_pull()
    assert mech.held.sum() > 0  # points the fund could not pay are still held


def test_members_of_social_organizations_give_out_of_their_week():
    m = run("one-core-four-element", 10, 120)
    s = m.ledger.index["so_members"]
    assert m.ledger.totals()[0][s] > 0
    none = run("one-core-four-element", 10, 120, **{"behaviour.volunteer_limit_week": 0.0})
    assert none.ledger.totals()[0][s] == 0.0


def test_alliance_assemblies_take_member_units_hours():
    m = run("kangbashi-big-neighbourhood", 11, 190)
    _, used = m.ledger.totals()
    assert used[:, USE["assembly"]].sum() > 0
    units = [m.ledger.index[k] for k in m.ledger.staff_key if k.startswith("staff:member unit")]
    assert used[units, USE["assembly"]].sum() == pytest.approx(used[:, USE["assembly"]].sum())


def test_evaluation_returns_the_admin_hours_it_cuts_to_the_committee():
    m = run("fragmented", 12, 5, **{"mechanisms.evaluation.enabled": True})
    supply, used = _days(m)
    rc = m.ledger.index["staff:residents' committee"]
    share = m.config.mechanisms.admin_burden.task_share * (1 - 0.25)
    assert np.allclose(used[:, rc, USE["admin"]], share * supply[:, rc])


# --- mechanisms switched on without their source are refused --------------------------------


@pytest.mark.parametrize("sets, needle", [
    (["mechanisms.mediation.enabled=true", "mechanisms.mediation.mediators_per_1000=0"],
     "mechanisms.mediation.mediators_per_1000"),
    (["mechanisms.mediation.enabled=true", "mechanisms.mediation.hours_per_mediator_week=0"],
     "mechanisms.mediation.hours_per_mediator_week"),
    (["mechanisms.service_purchase.enabled=true", "actors.social_organizations=[]"],
     "mechanisms.service_purchase.enabled"),
    (["mechanisms.points.enabled=true", "mechanisms.points.fund_per_resident_year=0"],
     "mechanisms.points.fund_per_resident_year"),
    (["mechanisms.legal.enabled=true", "mechanisms.legal.hours_per_adviser_week=0"],
     "mechanisms.legal.hours_per_adviser_week"),
])
def test_a_mechanism_without_its_source_is_refused(sets, needle, tmp_path, capsys):
    argv = [a for s in sets for a in ("--set", s)]
    fails(["run", "fragmented", "--days", "5", "--out", str(tmp_path / "r"), *TINY, *argv],
          capsys, needle)
    assert not (tmp_path / "r").exists()


def test_an_intervention_that_switches_on_a_mechanism_without_its_source_is_refused(tmp_path,
                                                                                     capsys):
    path = tmp_path / "s.yaml"
    path.write_text("extends: fragmented\nactors:\n  social_organizations: []\ninterventions:\n"
                    "  - day: 2\n    set:\n      mechanisms.service_purchase.enabled: true\n",
                    encoding="utf-8")
    fails(["run", str(path), "--days", "5", "--out", str(tmp_path / "a")], capsys,
          f"{path}:7", "mechanisms.service_purchase.enabled", "social organization",
          "intervention at day 2")
    path.write_text("extends: fengqiao\ninterventions:\n  - day: 2\n    set:\n"
                    "      mechanisms.mediation.mediators_per_1000: 0\n", encoding="utf-8")
    fails(["run", str(path), "--days", "5", "--out", str(tmp_path / "b")], capsys,
          f"{path}:5", "mechanisms.mediation.mediators_per_1000", "intervention at day 2")
    assert not any(tmp_path.glob("[ab]"))
    # Switched off, a mechanism needs no source.
    assert main(["validate", "fragmented", "--set", "mechanisms.mediation.mediators_per_1000=0",
                 "--set", "mechanisms.points.fund_per_resident_year=0"]) == 0
