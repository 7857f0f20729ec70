"""The ``cogov`` command line, driven through ``main(argv)`` as a user would type it."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from cogov.experiments.cli import main

SMALL = ["--set", "structure.units=16", "--set", "structure.buildings=4",
         "--set", "structure.areas=1"]


def test_run_writes_every_output_and_prints_a_summary(tmp_path, capsys):
    out = tmp_path / "x"
    assert main(["run", "one-core-four-element", "--seed", "7", "--days", "60", "--out",
                 str(out), *SMALL]) == 0
    printed = capsys.readouterr().out
    assert "resolution rate" in printed and "satisfaction" in printed
    names = {p.name for p in out.iterdir()}
    assert names == {"timeseries.parquet", "timeseries.csv", "summary.json", "summary.csv",
                     "summary.parquet", "manifest.json", "dashboard.png", "ledger.parquet",
                     "ledger.csv"}
    ledger = pd.read_parquet(out / "ledger.parquet")
    assert list(ledger.columns) == ["day", "source", "use", "hours", "yuan"]
    assert ledger["day"].between(0, 59).all() and pd.read_csv(out / "ledger.csv").shape == \
        ledger.shape
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts) == 60 and ts["day"].tolist() == list(range(60))
    assert pd.read_csv(out / "timeseries.csv").shape == ts.shape
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 7 and summary["days"] == 60
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"] == "one-core-four-element"
    assert manifest["resolved_config"]["structure"]["units"] == 16
    assert manifest["versions"]["mesa"].startswith("3.")
    assert (out / "dashboard.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_same_seed_gives_identical_files(tmp_path):
    for name in ("a", "b"):
        assert main(["run", "fragmented", "--seed", "3", "--days", "40", "--out",
                     str(tmp_path / name), *SMALL]) == 0
    for f in ("timeseries.parquet", "timeseries.csv", "summary.json", "summary.csv"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_existing_results_are_never_silently_overwritten(tmp_path, capsys):
    out = tmp_path / "x"
    args = ["run", "fragmented", "--days", "10", "--out", str(out), *SMALL]
    assert main(args) == 0
    before = (out / "summary.json").read_bytes()
    assert main(args + ["--seed", "9"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (out / "summary.json").read_bytes() == before
    assert main(args + ["--seed", "9", "--overwrite"]) == 0
    assert json.loads((out / "summary.json").read_text())["seed"] == 9
    assert [p.name for p in tmp_path.iterdir()] == ["x"]  # no temporary folders left behind


def test_residents_option_scales_the_community(tmp_path):
    out = tmp_path / "x"
    assert main(["run", "government-led", "--days", "5", "--residents", "1000", "--out",
                 str(out)]) == 0
    assert 800 < json.loads((out / "summary.json").read_text())["residents"] < 1200


@pytest.mark.parametrize("argv, message", [
    (["run", "no-such-scenario"], "unknown scenario 'no-such-scenario'"),
    (["run", "fragmented", "--set", "mechanisms.grid.coverage=2"],
     "--set mechanisms.grid.coverage=2: mechanisms.grid.coverage: must be less than or equal"),
    (["run", "fragmented", "--set", "actors.residents_committee.staf=3"],
     "unknown key 'staf' (did you mean 'staff'?)"),
    (["validate", "missing.yaml"], "missing.yaml: no such file"),
])
def test_user_errors_exit_2_with_one_message_and_no_output(tmp_path, capsys, argv, message):
    out = tmp_path / "never"
    assert main(argv + (["--out", str(out)] if argv[0] == "run" else [])) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_bad_file_error_names_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: fragmented\nactors:\n  residents_committee:\n    staff: -1\n")
    assert main(["validate", str(bad)]) == 2
    assert f"{bad}:4: actors.residents_committee.staff: must be greater than or equal to 0" \
        in capsys.readouterr().err


def test_scenarios_show_validate_and_version(tmp_path, capsys):
    assert main(["scenarios"]) == 0
    listing = capsys.readouterr().out
    assert "one-core-four-element" in listing and "一核引领、四元共治" in listing
    assert main(["show", "government-led"]) == 0
    shown = capsys.readouterr().out
    assert "mode: government" in shown and "task_share: 0.6" in shown
    assert main(["validate", "one-core-four-element", "fragmented"]) == 0
    assert capsys.readouterr().out.count(": ok") == 2
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("cogov ")


def test_user_scenario_file_runs(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: one-core-four-element\ntitle_en: my variant\ndays: 20\n"
                    "structure: {units: 12, buildings: 3, areas: 1}\n"
                    "mechanisms:\n  grid:\n    coverage: 0.5\n")
    out = tmp_path / "out"
    assert main(["run", str(mine), "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"] == "mine"
    assert manifest["resolved_config"]["mechanisms"]["grid"]["coverage"] == 0.5


def test_manifest_keeps_the_configuration_the_run_started_from(tmp_path):
    mine = tmp_path / "iv.yaml"
    mine.write_text("extends: one-core-four-element\ndays: 20\n"
                    "structure: {units: 12, buildings: 3, areas: 1}\n"
                    "mechanisms:\n  grid:\n    coverage: 0.5\n"
                    "interventions:\n  - day: 10\n    set: {mechanisms.grid.coverage: 1.0}\n")
    out = tmp_path / "out"
    assert main(["run", str(mine), "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["resolved_config"]["mechanisms"]["grid"]["coverage"] == 0.5
    assert len(manifest["interventions_applied"]) == 1


def test_a_failed_run_creates_no_folders(tmp_path):
    out = tmp_path / "new" / "deep" / "x"
    assert main(["run", "fragmented", "--set", "mechanisms.grid.coverag=1",
                 "--out", str(out)]) == 2
    assert not (tmp_path / "new").exists()
