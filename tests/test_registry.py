"""Mechanisms register themselves, and the scenario schema's ``mechanisms:`` block is built from
the registry: a new mechanism is one file in model/mechanisms/."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import pytest
from cogov.model import mechanisms
from cogov.model.config import Mechanisms, ScenarioConfig
from cogov.model.mechanisms.base import REGISTRY, Mechanism
from pydantic import BaseModel


def test_every_module_holds_one_registered_mechanism_and_the_schema_follows():
    folder = str(Path(mechanisms.__file__).parent)
    modules = {m.name for m in pkgutil.iter_modules([folder])}
    owners = {cls.__module__.rsplit(".", 1)[-1] for cls in mechanisms.MECHANISMS.values()}
    assert owners == modules - {"base"}
    assert list(Mechanisms.model_fields) == list(mechanisms.MECHANISMS)
    orders = [cls.order for cls in mechanisms.MECHANISMS.values()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    defaults = ScenarioConfig().mechanisms
    for key, cls in mechanisms.MECHANISMS.items():
        assert Mechanisms.model_fields[key].annotation is cls.Params
        assert isinstance(getattr(defaults, key), cls.Params)
        assert cls.Params.__module__ == cls.__module__  # parameters live beside the mechanism


def test_a_mechanism_must_declare_its_parameters_and_a_free_key():
    class P(BaseModel):
        pass

    with pytest.raises(TypeError, match="must declare Params"):
        type("NoParams", (Mechanism,), {"key": "no_params_here", "order": 999})
    with pytest.raises(TypeError, match="two mechanisms use the key 'grid'"):
        type("Grid2", (Mechanism,), {"key": "grid", "Params": P, "order": 998})
    assert "no_params_here" not in REGISTRY
