"""One metric catalogue: every number a run reports has one entry (names, unit, how summarised),
and everything that shows a metric reads it."""

from __future__ import annotations

import pytest
from cogov.model import CommunityModel
from cogov.model.catalogue import CORE, METRICS, Metric, metric, register
from cogov.model.loading import scenario_names
from cogov.model.mechanisms import MECHANISMS

# Past day 365, when the reform scenario switches its mechanisms on.
SMALL = {"structure.units": 24, "structure.buildings": 8, "structure.areas": 2, "days": 370}


@pytest.mark.parametrize("scenario", scenario_names())
def test_every_reported_number_has_one_catalogue_entry(scenario):
    model = CommunityModel(scenario, rng=3, overrides=SMALL, create_resident_agents=False).run()
    daily = set(model.timeseries().columns)
    summary = model.summary()
    assert daily <= set(METRICS), f"daily metrics missing: {daily - set(METRICS)}"
    assert set(summary) <= set(METRICS), f"summary keys missing: {set(summary) - set(METRICS)}"
    for key in summary:  # what the catalogue says enters the summary is what does
        assert METRICS[key].summary != "daily", key
    core_in_summary = [m.key for m in CORE if m.summary != "daily"]
    assert list(summary)[:len(core_in_summary)] == core_in_summary  # columns in catalogue order
    for mech in model.mechanisms.values():
        assert list(mech.metrics()) == [m.key for m in mech.reports], mech.key


def test_entries_name_themselves_in_both_languages_with_a_known_unit():
    for m in METRICS.values():
        assert m.zh and m.en, m.key
        assert m.decimals >= 0


def test_what_mechanisms_report_is_in_the_catalogue():
    for cls in MECHANISMS.values():
        assert all(METRICS[m.key] is m for m in cls.reports), cls.__name__


def test_a_key_means_one_thing():
    with pytest.raises(TypeError, match="already means"):
        register(Metric("satisfaction", "别的", "something else"), "a test")
    assert METRICS["satisfaction"].en == "satisfaction"


def test_formats_follow_the_unit():
    assert metric("resolution_rate").format(0.9876) == "98.8%"
    assert metric("resolution_rate").format(0.9876, extra_digits=1) == "98.76%"
    assert metric("mean_days_to_resolve").format(8.04) == "8.0"
    assert metric("cost_per_resolved").format(1234.5) == "1,234"
    assert metric("satisfaction").format(0.5, sign=True) == "+0.500"
    assert metric("satisfaction").format(float("nan")) == "–"
    assert metric("a_users_column").label() == "a users column"  # unknown keys still show


def test_the_odd_lists_every_metric_from_the_catalogue():
    from pathlib import Path

    from cogov.model.catalogue import METRICS_BEGIN, METRICS_END, markdown_table

    text = (Path(__file__).resolve().parents[1] / "docs" / "ODD.md").read_text(encoding="utf-8")
    block = text[text.index(METRICS_BEGIN) + len(METRICS_BEGIN):text.index(METRICS_END)]
    assert block.strip() == markdown_table().strip(), "run `make docs` to regenerate"
