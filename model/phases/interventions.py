"""Phase 1: scheduled changes of the governance rules (the scenario's ``interventions:``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..loading import apply_intervention

if TYPE_CHECKING:
    from ..model import CommunityModel


def apply_interventions(model: CommunityModel) -> None:
    for iv in model.config.interventions:
        if iv.day == model.day:
            model.reconfigure(apply_intervention(model.config, iv.set))
            model.log.append(f"day {model.day}: {iv.note or iv.set}")
