"""Scenario loading: extends, overrides, YAML traps and the clear errors users see."""

from __future__ import annotations

import textwrap

import pytest
from cogov.model.loading import ScenarioError, load_scenario, parse_set_args, scenario_names


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_shipped_scenarios_all_load_with_provenance():
    names = scenario_names()
    assert {"one-core-four-element", "government-led", "fragmented", "market-led"} <= set(names)
    for name in names:
        cfg = load_scenario(name).config
        assert cfg.title_zh and cfg.title_en and cfg.provenance, name


def test_unknown_key_names_file_line_and_suggestion(tmp_path):
    p = write(tmp_path, "bad.yaml", """\
        title_en: test
        actors:
          residents_committee:
            staf: 3
        """)
    with pytest.raises(ScenarioError) as err:
        load_scenario(p)
    msg = str(err.value)
    assert f"{p}:4:" in msg
    assert "actors.residents_committee.staf" in msg
    assert "did you mean 'staff'?" in msg


def test_out_of_range_value_names_line_and_bound(tmp_path):
    p = write(tmp_path, "bad.yaml", """\
        mechanisms:
          grid:
            enabled: true
            coverage: 1.5
        """)
    with pytest.raises(ScenarioError) as err:
        load_scenario(p)
    assert f"{p}:4: mechanisms.grid.coverage: must be less than or equal to 1" in str(err.value)


def test_invalid_yaml_reports_line(tmp_path):
    p = write(tmp_path, "bad.yaml", "days: 10\nstructure: [1, 2\n")
    with pytest.raises(ScenarioError, match=r"bad.yaml:\d+: invalid YAML"):
        load_scenario(p)


def test_yaml_11_traps_are_avoided(tmp_path):
    p = write(tmp_path, "s.yaml", """\
        title_en: no
        days: 010
        actors:
          street_office:
            budget_per_day: 1e3
        """)
    cfg = load_scenario(p).config
    assert cfg.title_en == "no"  # not False
    assert cfg.days == 10  # not octal 8
    assert cfg.actors.street_office.budget_per_day == 1000.0  # not the string "1e3"


def test_extends_merges_deeply_and_reports_child_lines(tmp_path):
    parent = write(tmp_path, "parent.yaml", """\
        title_en: parent
        mechanisms:
          grid:
            enabled: true
            coverage: 0.5
        """)
    child = write(tmp_path, "child.yaml", f"""\
        extends: {parent.name}
        mechanisms:
          grid:
            coverage: 0.25
        """)
    cfg = load_scenario(child).config
    assert cfg.title_en == "parent"
    assert cfg.mechanisms.grid.enabled is True
    assert cfg.mechanisms.grid.coverage == 0.25
    bad = write(tmp_path, "bad.yaml", f"""\
        extends: {parent.name}
        mechanisms:
          grid:
            coverage: -1
        """)
    with pytest.raises(ScenarioError, match=rf"{bad}:4: mechanisms.grid.coverage"):
        load_scenario(bad)
    # An error in a value the parent set is reported at the parent's line.
    broken_parent = write(tmp_path, "p2.yaml", "days: 0\n")
    child2 = write(tmp_path, "c2.yaml", "extends: p2.yaml\ntitle_en: x\n")
    with pytest.raises(ScenarioError, match=rf"{broken_parent}:1: days"):
        load_scenario(child2)


def test_extends_a_shipped_scenario_and_cycles(tmp_path):
    p = write(tmp_path, "mine.yaml", "extends: one-core-four-element\ndays: 30\n")
    cfg = load_scenario(p).config
    assert cfg.mechanisms.coordination.mode == "one_core" and cfg.days == 30
    a = write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(a)


def test_set_overrides_are_validated_like_the_file():
    over = parse_set_args(["mechanisms.grid.coverage=0.3", "days=5",
                           "actors.social_organizations.0.staff=7"])
    cfg = load_scenario("fragmented", over).config
    assert cfg.mechanisms.grid.coverage == 0.3 and cfg.days == 5
    assert cfg.actors.social_organizations[0].staff == 7
    with pytest.raises(ScenarioError, match=r"--set mechanisms.grid.coverag=0.3: "
                                           r"mechanisms.grid.coverag: unknown key 'coverag' "
                                           r"\(did you mean 'coverage'\?\)"):
        load_scenario("fragmented", parse_set_args(["mechanisms.grid.coverag=0.3"]))
    with pytest.raises(ScenarioError, match="expected dotted.key=value"):
        parse_set_args(["days"])


def test_unknown_scenario_suggests_a_name():
    with pytest.raises(ScenarioError, match="did you mean 'fragmented'"):
        load_scenario("fragmentd")


def test_interventions_are_checked_at_load_time(tmp_path):
    p = write(tmp_path, "iv.yaml", """\
        extends: government-led
        interventions:
          - day: 10
            set:
              mechanisms.coordination.mode: one_cor
        """)
    with pytest.raises(ScenarioError, match=r"iv.yaml:5: .*mechanisms.coordination.mode"):
        load_scenario(p)
    p2 = write(tmp_path, "iv2.yaml", """\
        interventions:
          - day: 10
            set:
              structure.units: 5
        """)
    with pytest.raises(ScenarioError, match="fixed once built"):
        load_scenario(p2)


def test_switches_accept_only_true_or_false(tmp_path):
    p = write(tmp_path, "s.yaml", "mechanisms:\n  grid:\n    enabled: no\n")
    with pytest.raises(ScenarioError, match=r"s.yaml:3: mechanisms.grid.enabled: .*boolean"):
        load_scenario(p)


def test_interventions_cannot_add_organizations(tmp_path):
    p = write(tmp_path, "s.yaml", """\
        interventions:
          - day: 5
            set:
              actors.social_organizations: []
        """)
    with pytest.raises(ScenarioError, match="cannot be added or removed"):
        load_scenario(p)


def test_duplicate_keys_and_empty_files_are_errors(tmp_path):
    dup = write(tmp_path, "dup.yaml", "mechanisms:\n  grid:\n    coverage: 0.5\n  grid:\n"
                "    enabled: true\n")
    with pytest.raises(ScenarioError, match=r"dup.yaml:4: mechanisms.grid: duplicate key"):
        load_scenario(dup)
    with pytest.raises(ScenarioError, match=r"empty.yaml:1: the file is empty"):
        load_scenario(write(tmp_path, "empty.yaml", ""))


def test_setting_a_block_changes_it_and_extends_cannot_be_set():
    cfg = load_scenario("one-core-four-element", {"mechanisms.grid": {"coverage": 0.3}}).config
    assert cfg.mechanisms.grid.enabled is True and cfg.mechanisms.grid.coverage == 0.3
    with pytest.raises(ScenarioError, match="'extends' is read from the file"):
        load_scenario("fragmented", {"extends": "government-led"})


def test_interventions_must_fall_within_the_run():
    with pytest.raises(ScenarioError, match="would never happen"):
        load_scenario("reform-to-one-core", {"days": 300})
