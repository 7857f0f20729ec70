"""Bad input never crashes, hangs or destroys anything (issue 11).

The fuzzer of ``scripts/fuzz.py`` runs the command line on mutated scenario and experiment files
and odd arguments, each case in a forked child with a memory limit and a timeout. No case may end
in a traceback, a hang, a signal, an exit code other than 0 or 2 (1 for a sweep whose runs
failed, which for a valid configuration is a defect too), an output file that is not strict
JSON, a half-written output folder, a leftover temporary folder, or a lost file. Messages that
name no location are softer defects: the fuzzer reports them, this test does not fail on them.

Sizes are kept small (two days, a dozen units) so that the file runs in about a minute and a
half; ``COGOV_FUZZ_SCENARIOS``, ``COGOV_FUZZ_EXPERIMENTS`` and ``COGOV_FUZZ_SEED`` change the
random part.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import fuzz  # noqa: E402

TIMEOUT = float(os.environ.get("COGOV_FUZZ_TIMEOUT", "15"))
SEED = int(os.environ.get("COGOV_FUZZ_SEED", "20261121"))
N_SCENARIOS = int(os.environ.get("COGOV_FUZZ_SCENARIOS", "160"))
N_EXPERIMENTS = int(os.environ.get("COGOV_FUZZ_EXPERIMENTS", "60"))
DAYS = 2

FIXED = fuzz.fixed_cases(days=DAYS, full=False)


def explain(case: fuzz.Case, result: dict) -> str:
    last = result["steps"][-1] if result["steps"] else {}
    text = case.files.get(case.main, b"")[:600].decode("utf-8", "backslashreplace")
    return (f"{case.id}: {result['class']} — {result['signature']}\n"
            f"  mutations: {'; '.join(case.mutations)}\n"
            f"  argv: {[s.argv for s in case.steps]}\n"
            f"  exit: {[s['exit'] for s in result['steps']]}; {result['detail'][:400]}\n"
            f"  stderr: {last.get('stderr', '')[-800:]}\n"
            f"  {case.main}:\n{text}")


def run_all(cases: list[fuzz.Case], root: Path) -> list[tuple[fuzz.Case, dict]]:
    return [(case, fuzz.run_case(case, TIMEOUT, root)) for case in cases]


def assert_no_defects(pairs: list[tuple[fuzz.Case, dict]]) -> None:
    bad = [(c, r) for c, r in pairs if r["class"] in fuzz.HARD]
    if bad:
        groups: dict[str, list] = {}
        for c, r in bad:
            groups.setdefault(r["signature"], []).append((c, r))
        lines = [f"{len(bad)} of {len(pairs)} cases break the contract, "
                 f"{len(groups)} signatures:"]
        for sig, members in groups.items():
            lines.append(f"\n[{len(members)}×] {sig}\n" + explain(*min(
                members, key=lambda cr: sum(len(v) for v in cr[0].files.values()))))
        pytest.fail("\n".join(lines), pytrace=False)


# --- the fuzzer itself --------------------------------------------------------------------------


def test_mutants_are_reproducible_and_a_third_are_valid():
    a = fuzz.scenario_mutants(60, SEED, DAYS, small=True)
    b = fuzz.scenario_mutants(60, SEED, DAYS, small=True)
    assert [(c.files, [s.argv for s in c.steps]) for c in a] == \
        [(c.files, [s.argv for s in c.steps]) for c in b]
    assert fuzz.scenario_mutant(17, SEED, DAYS, small=True).files == a[17].files
    assert len({c.files["m.yaml"] for c in a}) > 50  # different mutants, not one
    assert sum(c.intent == "valid" for c in a) >= len(a) / 3
    e = fuzz.experiment_mutants(20, SEED, DAYS)
    assert [c.files for c in e] == [c.files for c in fuzz.experiment_mutants(20, SEED, DAYS)]


def test_classification():
    """The classifier tells each kind of outcome apart (so the fuzz tests can fail)."""
    tb = ('Traceback (most recent call last):\n  File "/work/main/model/x.py", line 3, in f\n'
          "ZeroDivisionError: division by zero\n")
    run = ["run", "m.yaml", "--out", "out"]
    assert fuzz.classify(run, 99, tb)[0] == "traceback"
    assert "ZeroDivisionError" in fuzz.classify(run, 99, tb)[1]
    assert fuzz.classify(run, 0, tb)[0] == "traceback"
    assert fuzz.classify(run, -9, "")[0] == "signal"
    assert fuzz.classify(run, -9, "", timed_out=True)[0] == "hang"
    assert fuzz.classify(run, 1, "boom")[0] == "bad-exit"
    assert fuzz.classify(run, 3, "")[0] == "bad-exit"
    assert fuzz.classify(["sweep", "e.yaml"], 1, "cogov: 1 run(s) failed")[0] == "run-failed"
    assert fuzz.classify(run, 0, "")[0] == "ok-run"
    assert fuzz.classify(run, 2, "cogov: error: m.yaml:3: structure.units: must be > 0")[0] \
        == "ok-error"
    assert fuzz.classify(run, 2, "cogov: error: --set a=b: unknown key")[0] == "ok-error"
    assert fuzz.classify(run, 2, "usage: cogov run …\ncogov run: error: argument --days: "
                                 "must be > 0")[0] == "ok-error"
    assert fuzz.classify(run, 2, "cogov: error: something is wrong")[0] == \
        "error-without-location"
    assert fuzz.classify(run, 2, "")[0] == "error-without-location"
    assert fuzz.classify(run, 2, "cogov: error: m.yaml:1: a\ncogov: error: m.yaml:2: b")[0] \
        == "error-without-location"
    loss = [("data-loss", "data-loss: run X", "precious.txt")]
    assert fuzz.classify(run, 2, "cogov: error: m.yaml:1: x", problems=loss)[0] == "data-loss"


def test_file_checks_catch_bad_json_leftovers_and_lost_files(tmp_path):
    case_dir = tmp_path / "case"
    work = case_dir / "work"
    (work / "out").mkdir(parents=True)
    (work / "precious.txt").write_text("x")
    sentinels = fuzz._snapshot(case_dir)
    (work / "precious.txt").unlink()
    (work / "out" / "manifest.json").write_text('{"a": NaN}')
    (work / ".out.123-abc.tmp").mkdir()
    found = {f[0] for f in fuzz.check_outputs(["run", "m.yaml", "--out", "out"], 0, work,
                                              tmp_path, sentinels, False, set())}
    assert {"data-loss", "invalid-json", "leftover-tmp"} <= found


def test_yaml_writer_round_trips():
    doc = {"a": 1, "b": [1.5, "x y", None, True], "c": {"d": {}, "e": []}, "f": "a\x00b",
           "g": float("inf"), "structure.units": -3}
    import yaml

    back = yaml.safe_load(fuzz.emit(doc))
    assert back == doc
    assert "a: 1\na: 2" in fuzz.emit(fuzz.Pairs([("a", 1), ("a", 2)]))


# --- the command line under fuzz ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(FIXED))
def test_fixed_case(name, tmp_path):
    case = FIXED[name]
    result = fuzz.run_case(case, TIMEOUT, tmp_path)
    assert result["class"] not in fuzz.HARD, explain(case, result)


def test_random_scenario_mutants(tmp_path):
    cases = fuzz.scenario_mutants(N_SCENARIOS, SEED, DAYS, small=True)
    pairs = run_all(cases, tmp_path)
    assert_no_defects(pairs)
    ran = sum(r["class"] == "ok-run" and r["steps"][-1]["argv"][0] == "run" for _, r in pairs)
    assert ran >= len(cases) / 4, f"only {ran} of {len(cases)} mutants ran"


def test_random_experiment_mutants(tmp_path):
    cases = fuzz.experiment_mutants(N_EXPERIMENTS, SEED, DAYS)
    assert_no_defects(run_all(cases, tmp_path))
