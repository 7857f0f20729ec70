"""The day calls a mechanism's daily hooks only while it is switched on (or for the hooks it
declares ``runs_while_off``), and an intervention that switches it changes who is called."""

from __future__ import annotations

import pytest
from cogov.model.mechanisms import MECHANISMS, Mechanism
from cogov.model.mechanisms.base import DAILY_HOOKS


def _switch(model, key: str, on: bool) -> None:
    mech = model.mechanisms[key]
    blocks = model.config.mechanisms.model_copy(
        update={key: mech.params.model_copy(update={"enabled": on})})
    model.reconfigure(model.config.model_copy(update={"mechanisms": blocks}))


def _overridden(cls) -> list[str]:
    return [h for h in DAILY_HOOKS if getattr(cls, h) is not getattr(Mechanism, h)]


def test_hooks_of_switched_off_mechanisms_are_never_called(small_model, monkeypatch):
    m = small_model("fragmented", days=150)
    off = [mech for mech in m.mechanisms.values() if not mech.enabled]
    assert len(off) >= 8
    patched = 0
    for mech in off:
        for hook in _overridden(type(mech)):
            if hook in mech.runs_while_off:
                continue

            def boom(*args, _name=f"{mech.key}.{hook}", **kwargs):
                raise AssertionError(f"{_name} called while switched off")

            monkeypatch.setattr(mech, hook, boom)
            patched += 1
    assert patched > 10
    m.run()
    # Their metrics are still reported every day.
    ts = m.timeseries()
    for col in ("patrol_hours", "moral_points", "council_turnout", "mediation_cases"):
        assert ts[col].eq(0).all()


def test_switching_a_mechanism_on_and_off_mid_run_changes_who_is_called(small_model,
                                                                       monkeypatch):
    m = small_model("fragmented", days=100)
    grid = m.mechanisms["grid"]
    calls = []
    real = grid.search

    def counted(ids):
        calls.append(m.day)
        return real(ids)

    monkeypatch.setattr(grid, "search", counted)
    m.run(30)
    assert calls == [] and grid not in m.hooked["search"]
    _switch(m, "grid", True)
    assert grid in m.hooked["search"]
    m.run(30)
    assert calls and set(calls) <= set(range(30, 60))
    n = len(calls)
    _switch(m, "grid", False)
    m.run(30)
    assert len(calls) == n


def test_hooks_declared_to_run_while_off_keep_running(small_model):
    m = small_model("chengdu-village-deliberation", days=5)
    disclosure = m.mechanisms["disclosure"]
    assert disclosure.enabled
    _switch(m, "disclosure", False)
    assert disclosure in m.hooked["organize"]  # transparency keeps fading
    m.party.transparency = 1.0
    m.run(1)
    assert 0.0 < m.party.transparency < 1.0
    assert m.mechanisms["councils"] in m.hooked["adjust_hours"]


def test_the_dispatch_lists_follow_the_mechanisms_order(small_model):
    m = small_model("one-core-four-element", days=1)
    order = list(MECHANISMS)
    for hook, mechs in m.hooked.items():
        keys = [mech.key for mech in mechs]
        assert keys == sorted(keys, key=order.index), hook
        assert all(mech.enabled or hook in mech.runs_while_off for mech in mechs)


def test_runs_while_off_must_name_a_daily_hook():
    with pytest.raises(TypeError, match="runs_while_off"):
        type("Broken", (Mechanism,), {"key": "broken_hooks", "Params": object, "order": 1,
                                      "runs_while_off": frozenset({"metrics"})})
