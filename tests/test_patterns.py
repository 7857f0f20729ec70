"""``cogov validate-patterns``: pass/fail logic, intervals, the report, errors before any run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cogov.experiments.cli import main
from cogov.experiments.patterns import (
    INF,
    KINDS,
    PATTERNS,
    Case,
    Pattern,
    Runs,
    campaign_rebound,
    select,
)
from cogov.experiments.statistics import mean_ci
from cogov.experiments.validation import evaluate


def _pattern(band, values):
    case = Case("x")
    return Pattern("T", "claim", "seed 000 L1", "q", band, lambda runs: np.asarray(values),
                   (case,))


@pytest.mark.parametrize(("band", "values", "passed"), [
    ((0.0, INF), [0.1, 0.2, 0.15, 0.12], True),
    ((0.0, INF), [0.1, -0.2, 0.15, 0.12], False),  # the interval reaches below zero
    ((0.0, INF), [0.0, 0.0, 0.0], False),  # no difference is not an ordering
    ((-INF, 1.0), [0.5, 0.6, 0.55], True),
    ((0.93, 1.0), [0.95, 0.96, 0.955, 0.957], True),
    ((0.93, 1.0), [0.94, 0.90, 0.97, 0.93], False),  # mean inside, interval not
])
def test_a_pattern_passes_only_when_its_whole_interval_is_in_the_band(band, values, passed):
    result = evaluate((_pattern(band, values),), Runs({}, {}))
    assert bool(result["passed"].iloc[0]) is passed


def test_interval_is_a_t_interval():
    mean, low, high, _ = mean_ci(np.array([1.0, 2.0, 3.0]))
    assert mean == 2.0 and low == pytest.approx(2 - 4.303 / np.sqrt(3), abs=1e-3)
    assert high - mean == pytest.approx(mean - low)


def test_rebound_measure_reads_the_days_after_campaigns():
    case = Case("campaign", timeseries=True)
    active = np.zeros(100)
    active[10:20] = 1
    new = np.ones(100)
    new[20:30] = 3.0  # three times the routine rate right after the campaign
    ts = pd.DataFrame({"campaign_active": active, "new_dispute": new, "new_safety": 0 * new})
    value = campaign_rebound(case, 10)(Runs({}, {case: [ts]}))
    assert value == pytest.approx([3.0])


def test_catalogue_cites_sources_and_covers_the_issue():
    keys = {p.key.split(".")[0] for p in PATTERNS}
    assert {"P1", "P5", "P6", "P8", "P9", "P10"} <= keys
    for p in PATTERNS:
        assert p.source.startswith("seed") and p.kind in KINDS
        assert p.band[0] < p.band[1]
    assert [p.key for p in select(["P8"])] == ["P8.1", "P8.2"]


def test_cli_writes_the_report(tmp_path, capsys):
    out = tmp_path / "pat"
    code = main(["validate-patterns", "--only", "P8.1", "--replicates", "3", "--residents",
                 "1500", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code in (0, 1)
    assert "P8.1" in printed and "seed 004 L280" in printed and "target [93.0%, 100.0%]" in printed
    table = pd.read_csv(out / "patterns.csv")
    assert table["pattern"].tolist() == ["P8.1"] and table["n"].iloc[0] == 3
    assert code == (0 if table["passed"].all() else 1)
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| P8.1 |" in md and "95%" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<table>" in html and "P8.1" in html and "http" not in html


def test_cli_errors_before_running(tmp_path, capsys):
    assert main(["validate-patterns", "--only", "P99", "--out", str(tmp_path / "a")]) == 2
    assert "no pattern 'P99'" in capsys.readouterr().err
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "keep.txt").write_text("x")
    assert main(["validate-patterns", "--only", "P8.1", "--out", str(tmp_path / "b")]) == 2
    assert (tmp_path / "b" / "keep.txt").read_text() == "x"
    with pytest.raises(SystemExit):
        main(["validate-patterns", "--replicates", "1"])


# Honest misses with the shipped defaults (10 replicates, root seed 0; docs/calibration.md):
# - P8.2 (Fengqiao, Zhejiang's 97%): mean 0.976 but CI 0.943–1.010; a run has only about 20–25
#   disputes (seed 004 city's level), so a run's mediation success is a ratio of small counts.
# - P10.2 (26 of 33 after phone calls): 0.696, CI 0.684–0.708. The 50-yuan allowance (seed 001
#   L154) is paid from the committee's fund, which issue costs drain first; at 300 yuan a day
#   some meetings go unpaid (with 600 yuan a day turnout is 0.79: tests/test_scenarios.py).
# - P10.3 (more active after disclosure): −0.025, CI −0.050–0.000: with allowances going unpaid
#   in both years, no year-on-year gain shows (disclosure still raises turnout against the same
#   scenario without it, over 20 replicates: tests/test_scenarios.py).
# - P8.1 (three-governance fusion, > 93%; an input pattern): since crowding out defaults to 0.2
#   (ODD §7.10.7) its runs differ, and with ≈20–25 disputes a run the mean 95.8% has the 95% CI
#   92.7–98.8%, whose lower end falls just below the band.
HONEST_MISSES = {"P8.1", "P8.2", "P10.2", "P10.3"}


def test_shipped_defaults_pass_every_pattern():
    """The calibration holds: every pattern but the honest misses passes with the shipped
    defaults (10 replicates, as `cogov validate-patterns` runs them; docs/calibration.md)."""
    from cogov.experiments.validation import validate

    results, _ = validate(PATTERNS, replicates=10)
    missed = results["pattern"].isin(HONEST_MISSES)
    failing = results.loc[~results["passed"] & ~missed,
                          ["pattern", "mean", "ci_low", "ci_high", "band"]]
    assert failing.empty, failing.to_string()
    row = results.set_index("pattern")
    assert not row.loc[list(HONEST_MISSES), "passed"].any()
    assert row.loc["P8.2", "mean"] > 0.93 and row.loc["P8.2", "ci_low"] < 0.97
    assert row.loc["P10.2", "ci_high"] < 0.72
    assert row.loc["P10.3", "ci_low"] < 0


def test_an_equal_cost_case_runs_at_the_cost_of_its_reference():
    """The orderings are checked again with the baseline given the flagship's social cost; the
    baseline is in fact given more (a scale above 1) and lands near the flagship's cost."""
    from cogov.experiments.validation import run_cases

    flagship = Case("one-core-four-element", (("days", 90),))
    equal = Case("fragmented", (("days", 90),), equal_cost_to=flagship)
    runs = run_cases([flagship, equal], replicates=2, residents=600)
    (scale,) = runs.scales.values()
    assert scale["scale"] > 1.02 and abs(scale["cost_ratio"] - 1) < 0.03
    cost = runs.value(equal, "social_cost_yuan").mean()
    assert cost == pytest.approx(runs.value(flagship, "social_cost_yuan").mean(), rel=0.03)
    assert runs.value(equal.nominal, "social_cost_yuan").mean() < 0.98 * cost
    assert {p.key for p in PATTERNS if "equal cost" in p.tags} == {
        f"P1.{i}e" for i in range(1, 7)}
