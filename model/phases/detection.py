"""Phase 3: detection — residents report, patrols and liaisons search (R5–R7).

A resident reports an own issue only once it shows (sign or open stage), more readily the more
they trust the committee (seed 004 L143). Mechanisms add proactive search (grid patrols,
liaisons), which reaches latent causes too (从等问题到找问题, seed 001 L11). Each channel is an
independent daily chance; an issue found by several is credited to the proactive one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..issues import PROACTIVE_BY_CHANNEL, Channel
from ..lifecycle import mark_detected
from ..population import Institution

if TYPE_CHECKING:
    from ..model import CommunityModel


def detect(model: CommunityModel) -> None:
    t = model.issues
    ids = t.open_ids()
    ids = ids[t.detected[ids] < 0]
    if ids.size == 0:
        return
    params = model.config.detection
    stage = t.stage[ids]
    trust = model.population.trust[t.origin[ids], Institution.RC]
    p_self = np.asarray(params.self_report)[stage] * (
        1.0 + params.trust_elasticity * (trust - 0.5) * 2.0)
    channel = np.full(ids.size, Channel.NONE, dtype=np.int8)
    found = model.rng.random(ids.size) < p_self.clip(0.0, 1.0)
    channel[found] = Channel.SELF_REPORT
    for mech in model.hooked["search"]:
        for p, ch in mech.search(ids):
            hit = model.rng.random(ids.size) < p
            channel[hit & ~PROACTIVE_BY_CHANNEL[channel + 1]] = ch
    mark_detected(model, ids[channel != Channel.NONE], channel[channel != Channel.NONE])


