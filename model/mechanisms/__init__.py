"""Governance mechanisms: each one module with its parameters and its hooks; scenarios compose
them.

Every module of this package is imported here, and each mechanism class registers itself
(:class:`~cogov.model.mechanisms.base.Mechanism`), so adding a mechanism is adding a file.
``MECHANISMS`` maps the key of each block under ``mechanisms:`` in a scenario to its class, in the
order their hooks run each day (disclosure before the councils that read it, the administrative
burden before the mechanisms that move or cut it). The model builds all of them and the phases
call the daily hooks of those switched on (``CommunityModel.hooked``), so an intervention can
switch one on or off mid-run. The scenario schema's
``mechanisms:`` block is built from the same registry (:mod:`cogov.model.config`).
"""

import importlib
import pkgutil

from .base import REGISTRY, Mechanism

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

MECHANISMS: dict[str, type[Mechanism]] = dict(sorted(REGISTRY.items(),
                                                      key=lambda item: item[1].order))
globals().update({cls.__name__: cls for cls in MECHANISMS.values()})

__all__ = ["MECHANISMS", "Mechanism", *(cls.__name__ for cls in MECHANISMS.values())]
