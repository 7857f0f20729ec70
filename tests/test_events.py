"""Events on the timeline (model/events.py): each kind changes the state as documented on its
day, bad events are refused with file, line and field, and ``--event`` works end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest
from cogov.experiments.cli import main
from cogov.model import CommunityModel
from cogov.model.events import KINDS, InstitutionName
from cogov.model.loading import ScenarioError, load_scenario, scenario_names
from cogov.model.population import INSTITUTION_KEYS, Institution

from .conftest import SMALL
from .test_bad_input import TINY, fails, write


def model(scenario="one-core-four-element", days=40, events=(), **over):
    overrides = {**SMALL, "days": days, **over}
    if events:
        overrides["events"] = list(events)
    return CommunityModel(scenario, rng=3, overrides=overrides, create_resident_agents=False)


def run_to(m, day):
    """Step until ``day`` has run."""
    while not m._daily or m.day < day:
        m.step()
    return m


def test_names_agree_with_the_model_and_no_shipped_scenario_has_events():
    assert list(InstitutionName.__args__) == INSTITUTION_KEYS
    assert set(KINDS) == {"trust_drop", "issue_surge", "budget_cut", "leader_leaves"}
    for name in scenario_names():
        assert load_scenario(name).config.events == []


def test_a_trust_drop_takes_its_share_of_the_named_institutions_only():
    m = run_to(model(), 5)
    before = m.population.trust.copy()
    m.apply_event({"kind": "trust_drop", "institution": ["party", "so"], "share": 0.25})
    after = m.population.trust
    for inst in Institution:
        factor = 0.75 if inst in (Institution.PARTY, Institution.SO) else 1.0
        assert np.array_equal(after[:, inst], before[:, inst] * factor)
    assert m.events_applied[-1]["kind"] == "trust_drop" and "event kind=trust_drop" in m.log[-1]


def test_a_scheduled_event_applies_on_its_day_and_is_counted_in_the_time_series():
    ev = {"day": 10, "kind": "trust_drop", "institution": "rc", "share": 0.5, "note": "scandal"}
    m = model(events=[ev]).run()
    ts = m.timeseries()
    assert ts["events_applied"].tolist() == [1.0 if d == 10 else 0.0 for d in ts["day"]]
    drop = ts.set_index("day")["trust_residents_committee"]
    assert drop[10] < 0.6 * drop[9]  # halved, then the day's own small changes
    assert m.summary()["events_applied"] == 1
    assert m.log == ["day 10: event kind=trust_drop institution=rc share=0.5 — scandal"]


def test_an_issue_surge_adds_issues_at_once_and_raises_the_rate_for_its_days():
    m = run_to(model(), 5)
    n = len(m.issues)
    m.step()  # day 6, as a reference of what a day adds
    m.apply_event({"kind": "issue_surge", "category": "care", "add": 30, "day": m.day})
    added = np.arange(n, len(m.issues))[-30:]
    assert len(m.issues) >= n + 30
    assert np.all(m.issues.category[added] == 3)
    assert np.all(m.population.vulnerable[m.issues.origin[added]])  # care: the vulnerable
    m.apply_event({"kind": "issue_surge", "category": "facility", "multiplier": 4.0, "days": 3})
    assert m.surge_factor.tolist() == [1.0, 4.0, 1.0, 1.0, 1.0]
    for _ in range(3):
        m.step()
    assert m.surge_factor[1] == 1.0 and m.surges == []  # over after its three days


def test_a_surge_of_added_issues_counts_as_new_issues_that_day():
    ev = {"day": 8, "kind": "issue_surge", "category": "project", "add": 25}
    with_, without = model(events=[ev]).run().timeseries(), model().run().timeseries()
    assert with_["new_project"][8] >= 25 and with_["new_project"][8] > without["new_project"][8]
    assert with_.loc[:7, "open_issues"].equals(without.loc[:7, "open_issues"])


def test_a_budget_cut_scales_the_budget_from_that_day_and_outlives_later_interventions():
    iv = [{"day": 20, "set": {"actors.residents_committee.staff": 8.0}}]
    ev = {"day": 10, "kind": "budget_cut", "organization": "residents_committee", "share": 0.4}
    m = model(events=[ev], interventions=iv)
    budget = m.rc.budget_per_day
    run_to(m, 10)
    assert m.rc.budget_per_day == pytest.approx(budget * 0.6)
    run_to(m, 25)
    assert m.rc.budget_per_day == pytest.approx(budget * 0.6) and m.rc.staff == 8.0
    cut = {"day": 2, "kind": "budget_cut", "organization": "elderly-care", "share": 1.0}
    m = run_to(model(events=[cut]), 3)
    assert m.social_organizations[0].budget_per_day == 0.0


def test_the_secretary_leaving_drops_the_branch_relations_until_rebuilt():
    lead = {"mechanisms.leadership.enabled": True, "mechanisms.leadership.turnover_per_year": 0.0,
            "mechanisms.leadership.rebuild_days": 20}
    m = model(events=[{"day": 5, "kind": "leader_leaves"}], days=40, **lead)
    p = m.config.mechanisms.leadership
    run_to(m, 4)
    assert m.party.relations == 1.0
    m.step()
    low = 1.0 - p.dependence * (1.0 - p.successor_relations)
    assert m.metrics_today["leader_relations"] == pytest.approx(p.successor_relations + 0.8 / 20)
    run_to(m, 14)  # halfway: successor_relations + (1 − s) · 10 / 20
    assert m.party.relations == pytest.approx(1.0 - p.dependence * (1 - (0.2 + 0.8 * 0.5)))
    assert m.party.relations > low
    run_to(m, 30)
    assert m.party.relations == 1.0 and m.metrics_today["leader_turnovers"] == 1.0


def test_the_secretary_leaving_needs_the_leadership_mechanism():
    with pytest.raises(ScenarioError, match="needs mechanisms.leadership.enabled"):
        model(events=[{"day": 5, "kind": "leader_leaves"}])
    # switched on by an intervention before the day: accepted
    iv = [{"day": 3, "set": {"mechanisms.leadership.enabled": True}}]
    model(events=[{"day": 5, "kind": "leader_leaves"}], interventions=iv)


def test_bad_events_are_refused_with_file_line_and_field(tmp_path, capsys):
    head = "extends: fragmented\ndays: 50\nevents:\n"
    cases = [
        ("  - {day: 3, kind: scandal}\n", "4: events.0.kind: unknown event kind 'scandal'"),
        ("  - day: 3\n    kind: trust_drop\n    institution: parti\n    share: 0.2\n",
         "6: events.0.institution"),
        ("  - day: 3\n    kind: trust_drop\n    institution: party\n    share: 1.5\n",
         "7: events.0.share: must be less than or equal to 1"),
        ("  - {day: 60, kind: issue_surge, category: care, add: 5}\n",
         "4: events.0.day: event at day 60 would never happen"),
        ("  - day: 3\n    kind: issue_surge\n    category: flood\n    add: 5\n",
         "6: events.0.category"),
        ("  - day: 3\n    kind: issue_surge\n    category: care\n    multiplier: 3.0\n",
         "4: events.0.days: a surge with a multiplier needs days"),
        ("  - day: 3\n    kind: budget_cut\n    organization: residents_comittee\n"
         "    share: 0.5\n", "6: events.0.organization: unknown organization "
         "'residents_comittee' (did you mean 'residents_committee'?)"),
        ("  - day: 3\n    kind: budget_cut\n    organization: street_office\n    share: 0.5\n"
         "    size: 3\n", "8: events.0.size: unknown key 'size'"),
        ("  - {day: 3}\n", "4: events.0.kind: required but missing"),
    ]
    for i, (text, needle) in enumerate(cases):
        path = write(tmp_path / f"bad{i}.yaml", head + text)
        fails(["validate", path], capsys, f"bad{i}.yaml:{needle}")


def test_the_event_option_runs_end_to_end_and_is_recorded(tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["run", "government-led", "--days", "30", "--out", str(out), *TINY,
            "--event", "day=5 kind=trust_drop institution=party,rc share=0.3 note='a scandal'",
            "--event", "day=9 kind=issue_surge category=facility multiplier=2.5 days=5"]
    assert main(argv) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["kind"] for e in manifest["events_applied"]] == ["trust_drop", "issue_surge"]
    assert manifest["events_applied"][0]["institution"] == ["party", "rc"]
    assert len(manifest["events_given"]) == 2
    assert any("a scandal" in line for line in manifest["interventions_applied"])
    import pandas as pd

    ts = pd.read_parquet(out / "timeseries.parquet")
    assert ts["events_applied"].sum() == 2


@pytest.mark.parametrize("text, needle", [
    ("day=5 kind=trust_drop institution=party share=2", "--event 'day=5 kind=trust_drop "
     "institution=party share=2': events.0.share: must be less than or equal to 1"),
    ("day=99 kind=issue_surge category=care add=3", "events.0.day: event at day 99"),
    ("day=5 kind=flood", "unknown event kind 'flood'"),
    ("day=5 kind", "'kind': expected key=value"),
    ("", "empty"),
])
def test_a_bad_event_option_exits_2_and_writes_nothing(tmp_path, capsys, text, needle):
    out = tmp_path / "never"
    fails(["run", "fragmented", "--days", "30", "--out", str(out), *TINY, "--event", text],
          capsys, needle)
    assert not out.exists()


def test_a_shorter_run_drops_a_file_event_with_a_warning(tmp_path, capsys):
    path = write(tmp_path / "late.yaml", "extends: fragmented\nevents:\n"
                 "  - {day: 300, kind: issue_surge, category: care, add: 5, note: a flood}\n")
    out = tmp_path / "short"
    assert main(["run", path, "--days", "20", "--out", str(out), *TINY]) == 0
    err = capsys.readouterr().err
    assert "day 300: event issue_surge (a flood) is beyond --days 20" in err
