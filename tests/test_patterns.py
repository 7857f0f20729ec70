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


# Both P8 patterns are honest misses since the dispute rate is at the seed 004 city's level
# (≈3.6 per 1,000 residents a year, seed 004 L280, L292): a run has only about 20–25 disputes, so
# a run's mediation_success_rate is a ratio of small counts. Over the 10 replicates P8.1
# (three-governance fusion) has mean 0.9620, 95% CI 0.9235–1.0005: the mean is above 93% but the
# CI reaches below it. P8.2 (Fengqiao) has mean 0.9675, 95% CI 0.9362–0.9989: above seed 004's
# 93% but below Zhejiang's 97% (at the earlier rate of ≈45 disputes per 1,000 a year, with paid
# patrols, it was 0.9775, CI 0.9698–0.9852). Asserted as such.
HONEST_MISSES = {"P8.1", "P8.2"}


def test_shipped_defaults_pass_every_pattern():
    """The calibration holds: every pattern but the honest misses passes with the shipped
    defaults (10 replicates, as `cogov validate-patterns` runs them; docs/calibration.md)."""
    from cogov.experiments.validation import validate

    results, _ = validate(PATTERNS, replicates=10)
    missed = results["pattern"].isin(HONEST_MISSES)
    failing = results.loc[~results["passed"] & ~missed,
                          ["pattern", "mean", "ci_low", "ci_high", "band"]]
    assert failing.empty, failing.to_string()
    p81 = results.loc[results["pattern"] == "P8.1"].iloc[0]
    assert 0.93 <= p81["mean"] <= 1.0 and p81["ci_low"] < 0.93 and not p81["passed"], p81
    p82 = results.loc[results["pattern"] == "P8.2"].iloc[0]
    assert 0.93 <= p82["mean"] < 0.97 and p82["ci_low"] < 0.97 and not p82["passed"], p82


def test_only_emergent_patterns_count_as_validation():
    """Patterns that hold by how a rule is written, or echo a figure taken in, are checks."""
    from cogov.experiments.validation import tally

    kinds = {p.key: p.kind for p in PATTERNS}
    assert kinds["P2"] == kinds["P5"] == kinds["P10.3"] == "construction"
    assert {kinds[k] for k in ("P8.1", "P8.2", "P10.1", "P10.2")} == {"input"}
    results = pd.DataFrame({"kind": ["emergent", "emergent", "input", "construction"],
                            "passed": [True, False, True, True]})
    assert tally(results) == ("1 of 2 emergent patterns pass; not counted as validation: "
                              "1 of 1 input checks pass, 1 of 1 construction checks pass")
