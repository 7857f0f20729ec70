"""Bad input never crashes, hangs or destroys anything: one message with a location, exit code 2,
nothing written — and an existing folder that is not cogov's results survives ``--overwrite``.

One test per class of defect, each with the reproductions that once crashed, hung or deleted
user data."""

from __future__ import annotations

import json
import os
import stat

import pytest
from cogov.experiments.cli import main
from cogov.model.footprint import estimate
from cogov.model.loading import load_scenario

TINY = ["--set", "structure.units=12", "--set", "structure.buildings=4",
        "--set", "structure.areas=2"]


def fails(argv, capsys, *needles):
    """Exit 2, one ``cogov: error:`` message holding every needle, no traceback."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "cogov" in err and "error: " in err, err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- 1. data loss -----------------------------------------------------------------------------


def test_overwrite_never_replaces_the_current_folder_or_its_parents(tmp_path, capsys,
                                                                    monkeypatch):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "src").mkdir()
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    fails(["run", "fragmented", "--days", "2", "--out", ".", "--overwrite", *TINY], capsys,
          "current folder")
    monkeypatch.chdir(tmp_path / "a" / "b")
    fails(["run", "fragmented", "--days", "2", "--out", "..", "--overwrite", *TINY], capsys,
          "current folder or one of its parents")
    fails(["compare", "fragmented", "--days", "2", "--replicates", "1", "--out", "../..",
           "--overwrite", *TINY], capsys, "current folder")
    assert (tmp_path / "notes.txt").read_text() == "mine" and (tmp_path / "src").is_dir()
    assert (tmp_path / "a" / "b").is_dir()


def test_overwrite_replaces_only_a_folder_cogov_wrote(tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["run", "fragmented", "--days", "2", "--out", str(out), *TINY]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert "timeseries.parquet" in manifest["output_files"]
    assert main(["run", "fragmented", "--days", "3", "--out", str(out), "--overwrite", *TINY]) == 0
    assert json.loads((out / "summary.json").read_text())["days"] == 3
    (out / "mine.txt").write_text("keep me")
    capsys.readouterr()
    fails(["run", "fragmented", "--days", "2", "--out", str(out), "--overwrite", *TINY], capsys,
          "did not write", "mine.txt")
    assert (out / "mine.txt").read_text() == "keep me"

    foreign = tmp_path / "project"
    foreign.mkdir()
    (foreign / "data.csv").write_text("1,2")
    fails(["run", "fragmented", "--days", "2", "--out", str(foreign), "--overwrite", *TINY],
          capsys, "no cogov manifest")
    # A folder that merely has a file called manifest.json is not cogov's either.
    (foreign / "manifest.json").write_text('{"name": "my package"}')
    fails(["run", "fragmented", "--days", "2", "--out", str(foreign), "--overwrite", *TINY],
          capsys, "not cogov's")
    assert (foreign / "data.csv").read_text() == "1,2"


# --- 9. killed saves ---------------------------------------------------------------------------


def test_temporaries_of_a_killed_save_are_cleaned_and_a_cut_swap_restored(tmp_path):
    out = tmp_path / "r"
    assert main(["run", "fragmented", "--days", "2", "--out", str(out), *TINY]) == 0
    dead = 2**22 + 12345  # above the default pid_max: no such process
    stale = tmp_path / f".r.{dead}-abcd.tmp"
    stale.mkdir()
    (stale / "timeseries.parquet").write_bytes(b"half")
    live = tmp_path / f".r.{os.getpid()}-efgh.tmp"  # a save in progress is left alone
    live.mkdir()
    # a swap cut between its two renames: the old results set aside, the new never moved in
    out.rename(tmp_path / ".r.old")
    assert main(["run", "fragmented", "--days", "2", "--out", str(tmp_path / "other"),
                 *TINY]) == 0  # a different target does not touch r's leftovers
    assert stale.exists()
    assert main(["run", "fragmented", "--days", "3", "--out", str(out), "--overwrite",
                 *TINY]) == 0
    assert not stale.exists() and live.exists() and not (tmp_path / ".r.old").exists()
    assert json.loads((out / "summary.json").read_text())["days"] == 3


# --- 2. resources ------------------------------------------------------------------------------


@pytest.mark.parametrize("argv, needle", [
    (["--set", "structure.units=18446744073709551616"], "structure.units: must be less than"),
    (["--set", "structure.units=1e9"], "structure.units"),
    (["--set", "structure.households_per_unit=1e8"], "households_per_unit"),
    (["--set", "network.associations=1e9"], "network.associations"),
    (["--set", "issues.care.rate=1e12"], "issues.care.rate"),
    (["--set", "network.long_range_ties=1e300"], "network.long_range_ties"),
    (["--set", "mechanisms.alliance.units=1e20"], "mechanisms.alliance.units"),
    (["--residents", "1000000000"], "too large for this machine"),
    (["--residents", "40000000"], "GB of memory"),
    (["--days", "1000000000"], "--days"),
    (["--seed", "18446744073709551616"], "--seed"),
])
def test_what_the_machine_cannot_run_is_refused_before_building(tmp_path, capsys, argv,
                                                                needle):
    out = tmp_path / "never"
    fails(["run", "one-core-four-element", *argv, "--out", str(out)], capsys, needle)
    assert not out.exists()


def test_validate_shows_the_estimate_and_refuses_the_impossible(tmp_path, capsys):
    assert main(["validate", "one-core-four-element"]) == 0
    assert "residents, ~" in capsys.readouterr().out
    huge = write(tmp_path / "huge.yaml", "extends: fragmented\nstructure:\n  units: 9000000\n"
                 "  households_per_unit: 1000\n")
    fails(["validate", huge], capsys, "too large for this machine", "GB")


def test_the_estimate_grows_with_what_costs_memory():
    base = load_scenario("fragmented").config
    more_ties = load_scenario("fragmented", {"network.long_range_ties": 50}).config
    more_issues = load_scenario("fragmented", {"issues.care.rate": 500}).config
    assert estimate(more_ties).bytes > 2 * estimate(base).bytes - 160e6
    assert estimate(more_issues).bytes > estimate(base).bytes
    assert estimate(base, residents=1e6).bytes > 100 * (estimate(base).bytes - 160e6)


# --- 3. the YAML reader ------------------------------------------------------------------------


NASTY = {
    "dot_value": ("extends: fragmented\ndays: .\n", "dot_value.yaml:2: days"),
    "dot_key": ("extends: fragmented\n.: 1\n", "dot_key.yaml:2: .: unknown key"),
    "impossible_date": ("extends: fragmented\ndays: 2024-02-30\n",
                        "impossible_date.yaml:2: days: input should be a valid integer"),
    "int_tag": ("extends: fragmented\ndays: !!int x\n", "int_tag.yaml:2: invalid YAML"),
    "float_tag": ("extends: fragmented\ndays: !!float x\n", "float_tag.yaml:2: invalid YAML"),
    "bool_tag": ("extends: fragmented\nactivation: !!bool maybe\n", "bool_tag.yaml:2"),
    "timestamp_tag": ("extends: fragmented\ntitle_en: !!timestamp x\n", "timestamp_tag.yaml:2"),
    "python_tag": ("extends: fragmented\ntitle_en: !!python/object:os.system x\n",
                   "python_tag.yaml:2"),
    "huge_int": ("extends: fragmented\ndays: " + "9" * 5000 + "\n", "huge_int.yaml:2"),
    "deep": ("extends: fragmented\ntitle_en: " + "[" * 1200 + "]" * 1200 + "\n",
             "deep.yaml:2: invalid YAML"),
    "deeper_than_50": ("extends: fragmented\ntitle_en: " + "[" * 60 + "]" * 60 + "\n",
                       "deeper_than_50.yaml:2: nested more than 50 levels"),
    "recursive_alias": ("extends: fragmented\na: &a [*a]\n", "recursive_alias.yaml:2"),
    "billion_laughs": ("extends: fragmented\nl0: &l0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 7)),
        "expands to more than"),
    "control_char": ("extends: fragmented\ntitle_en: \"a\x01b\"\n",
                     "control_char.yaml:2: invalid YAML: the character U+0001"),
    "nul": ("extends: fragmented\ntitle_en: a\x00b\n", "nul.yaml:2"),
    "list_key": ("extends: fragmented\n? [a, b]\n: 1\n", "list_key.yaml:2: invalid YAML"),
    "bool_key": ("extends: fragmented\ntrue: 1\n", "keys must be names"),
    "not_utf8": (None, "not_utf8.yaml:2: not UTF-8"),
    "huge_value": ("extends: fragmented\ndays: " + "x" * 1_000_00 + "\n", "chars)"),
}


@pytest.mark.parametrize("name", sorted(NASTY))
def test_nasty_yaml_ends_in_one_located_message(tmp_path, capsys, name):
    text, needle = NASTY[name]
    path = tmp_path / f"{name}.yaml"
    if text is None:
        path.write_bytes(b"extends: fragmented\ntitle_en: caf\xe9\n")
    else:
        path.write_text(text, encoding="utf-8")
    err = fails(["validate", str(path)], capsys, needle)
    assert len(err) < 600  # a bad value is quoted, not echoed in full


def test_dates_are_text(tmp_path):
    path = write(tmp_path / "d.yaml", "extends: fragmented\ntitle_en: 2024-02-30\n")
    assert load_scenario(path).config.title_en == "2024-02-30"


def test_long_extends_chains_cycles_and_odd_paths(tmp_path, capsys):
    previous = "fragmented"
    for i in range(1200):
        write(tmp_path / f"c{i}.yaml", f"extends: {previous}\n")
        previous = f"c{i}.yaml"
    fails(["validate", str(tmp_path / "c1199.yaml")], capsys, "more than 32 files")
    write(tmp_path / "self.yaml", "extends: self.yaml\n")
    fails(["validate", str(tmp_path / "self.yaml")], capsys, "cycle")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    fails(["validate", str(fifo)], capsys, "not a regular file")
    fails(["validate", "/dev/zero"], capsys, "not a regular file")
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    fails(["validate", str(loop)], capsys, "symbolic links")
    fails(["validate", str(tmp_path / ("n" * 300 + ".yaml"))], capsys, "too long")
    fails(["validate", str(tmp_path / "a\x00b.yaml")], capsys, "NUL")
    big = tmp_path / "big.yaml"
    big.write_text("extends: fragmented\n" + "\n".join(f"k{i}: {i}" for i in range(300_000)))
    fails(["validate", str(big)], capsys, "bytes")
    (tmp_path / "folder.yaml").mkdir()
    fails(["validate", str(tmp_path / "folder.yaml")], capsys, "is a folder")


def test_set_values_are_read_with_the_same_bounds(capsys):
    for value, needle in [(".", "title_en"), ("9" * 5000, "digits"), ("[" * 2000, "nest"),
                          ("[" * 60 + "]" * 60, "nested"), ("&a [*a]", "aliases"),
                          ("!!python/name:os.system", "not allowed")]:
        err = fails(["show", "fragmented", "--set", f"days={value}"], capsys, "--set days=",
                    needle) if needle != "title_en" else None
        if needle == "title_en":
            assert main(["show", "fragmented", "--set", "title_en=."]) == 0
            assert "title_en: ." in capsys.readouterr().out
        else:
            assert len(err) < 400


# --- 4. valid configurations that crashed at run time ----------------------------------------


def test_full_participation_runs(tmp_path):
    out = tmp_path / "r"
    assert main(["run", "fragmented", "--days", "3", "--set",
                 "population.initial.participation=1", "--out", str(out), *TINY]) == 0


@pytest.mark.parametrize("key", ["actors.residents_committee.staff", "issues.care.rate",
                                 "behaviour.trust_gain", "escalation.patience_days",
                                 "mechanisms.grid.patrol_hours_per_grid"])
@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_infinite_and_nan_numbers_are_refused(capsys, key, value):
    fails(["show", "fragmented", "--set", f"{key}={value}"], capsys, key, "finite")


def test_every_json_written_is_strict_json(tmp_path):
    out = tmp_path / "r"
    # no issue is ever resolved: means over nothing must not become NaN in the JSON
    assert main(["run", "fragmented", "--days", "2", "--out", str(out), "--set",
                 "issues.care.rate=0", "--set", "issues.dispute.rate=0", "--set",
                 "issues.facility.rate=0", "--set", "issues.safety.rate=0", "--set",
                 "issues.project.rate=0", *TINY]) == 0

    def refuse(name):
        raise ValueError(f"{name} is not JSON")

    for path in out.glob("*.json"):
        json.loads(path.read_text(), parse_constant=refuse)


# --- 8. locations ------------------------------------------------------------------------------


def test_interventions_are_located_precisely(tmp_path, capsys):
    bogus = write(tmp_path / "bogus.yaml", "extends: fragmented\ninterventions:\n  - day: 3\n"
                  "    set:\n      bogus.key: 1\n")
    fails(["validate", bogus], capsys, "bogus.yaml:5: bogus: unknown key 'bogus'")
    late = write(tmp_path / "late.yaml", "extends: fragmented\ndays: 10\ninterventions:\n"
                 "  - day: 30\n    set: {mechanisms.grid.enabled: true}\n")
    fails(["validate", late], capsys, "late.yaml:4: interventions.0.day", "needs days >= 31",
          "10 days")
    one = write(tmp_path / "one.yaml", "extends: fragmented\ndays: 1\ninterventions:\n"
                "  - day: 5\n    set: {mechanisms.grid.enabled: true}\n")
    fails(["validate", one], capsys, "the run has 1 day ")


# --- 10. lax conversions and silent overrides -------------------------------------------------


@pytest.mark.parametrize("text, needle", [
    ("days: true", "days: input should be a valid integer (got True)"),
    ("mechanisms:\n  grid:\n    coverage: \"0.5\"", "coverage: input should be a valid number"),
    ("mechanisms:\n  grid:\n    coverage: \" 2 \"", "coverage: input should be a valid number"),
    ("actors:\n  party_branch:\n    staff: \"1e1\"", "staff: input should be a valid number"),
    ("days: 2.5", "days: input should be a valid integer"),
])
def test_numbers_must_be_numbers(tmp_path, capsys, text, needle):
    fails(["validate", write(tmp_path / "s.yaml", f"extends: fragmented\n{text}\n")], capsys,
          needle)


def test_whole_floats_count_as_counts():
    assert load_scenario("fragmented", {"structure.units": 1e3}).config.structure.units == 1000


def test_conflicting_days_are_an_error_and_a_short_run_drops_late_interventions(tmp_path,
                                                                               capsys):
    fails(["run", "fragmented", "--days", "3", "--set", "days=5", "--out",
           str(tmp_path / "x")], capsys, "disagree")
    out = tmp_path / "short"
    assert main(["run", "reform-to-one-core", "--days", "20", "--out", str(out), *TINY]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "day 365" in err and "--days 20" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["interventions_dropped"] and manifest["days"] == 20
    fails(["run", "reform-to-one-core", "--set", "days=20", "--out", str(tmp_path / "y")],
          capsys, "needs days >= 366")


def test_show_prints_no_empty_extends(capsys):
    assert main(["show", "one-core-four-element"]) == 0
    assert "extends: null" not in capsys.readouterr().out


def test_unwritable_output_parent_is_refused_before_running(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(locked, os.W_OK):  # running as root: permissions do not bind
            pytest.skip("permissions are not enforced for this user")
        fails(["run", "fragmented", "--days", "2", "--out", str(locked / "r"), *TINY], capsys,
              "not writable")
    finally:
        locked.chmod(stat.S_IRWXU)


def test_output_names_the_file_system_cannot_hold(tmp_path, capsys):
    for out in (tmp_path / "x" / ("n" * 300) / "y", tmp_path / ("n" * 300)):
        fails(["run", "fragmented", "--days", "2", "--out", str(out), *TINY], capsys,
              "longer than 255 bytes")
    assert not (tmp_path / "x").exists()  # nothing created on the way
    (tmp_path / "file").write_text("")
    fails(["run", "fragmented", "--days", "2", "--out", str(tmp_path / "file" / "r"), *TINY],
          capsys, "is a file, not a folder")


def test_text_is_bounded_and_undecodable_arguments_are_refused(tmp_path, capsys):
    long = write(tmp_path / "long.yaml", "extends: fragmented\ntitle_en: " + "x" * 900_000 + "\n")
    fails(["validate", long], capsys, "long.yaml:2: title_en", "at most 200 characters")
    fails(["show", "fragmented", "--set", "title_en=\udcff"], capsys, "not valid UTF-8")


def test_plot_and_report_refuse_unreadable_results(tmp_path, capsys):
    import pandas as pd

    res = tmp_path / "res"
    res.mkdir()
    (res / "runs.parquet").write_bytes(b"")
    fails(["plot", str(res)], capsys, "cannot be read")
    (res / "runs.parquet").write_text("garbage")
    fails(["report", str(res)], capsys, "cannot be read")
    pd.DataFrame({"a": [1]}).to_parquet(res / "runs.parquet")
    fails(["plot", str(res)], capsys, "not a cogov sweep's table")


def test_an_intervention_the_machine_cannot_hold_is_refused_before_the_run(tmp_path, capsys):
    path = write(tmp_path / "surge.yaml", "extends: fragmented\ninterventions:\n  - day: 4\n"
                 "    set: {issues.care.rate: 1000, issues.dispute.rate: 1000,\n"
                 "          issues.grievance_sensitivity: 100}\n")
    out = tmp_path / "never"
    fails(["run", path, "--days", "36500", "--out", str(out)], capsys, "surge.yaml",
          "after the intervention at day 4", "issues of the run")
    assert not out.exists()


def test_extends_of_an_unreadable_file_names_the_extends_line(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.yaml")
    child = write(tmp_path / "child.yaml", "title_en: x\nextends: pipe.yaml\n")
    fails(["validate", child], capsys, "child.yaml:2: extends:", "not a regular file")


def test_control_characters_and_empty_out(tmp_path, capsys):
    esc = write(tmp_path / "esc.yaml", 'extends: fragmented\ntitle_en: "a\\u001b[31mred"\n')
    fails(["validate", esc], capsys, "esc.yaml:2: title_en: control character U+001B")
    fails(["run", "fragmented", "--out", "", *TINY], capsys, "--out: the folder name is empty")


def test_validate_patterns_with_an_empty_only_is_an_error(tmp_path, capsys):
    fails(["validate-patterns", "--only", "", "--out", str(tmp_path / "p")], capsys,
          "--only: no pattern ''")
