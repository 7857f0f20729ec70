"""Phase 4: routing — detected issues get a handler (R9–R12), then the power check (R10).

Who handles what is the coordination mechanism's decision. After it, an issue that needs powers
above the committee (权责不对称, seed 001 L27, L116) is settled locally only if the committee was
empowered or a summoned department comes; otherwise it is referred up to the street office —
counted as an escalation for lack of power ("看得见、管不着"). Before the matching, a mechanism may
send back down issues the street office holds that the committee cannot close (``send_back``:
推诿, pressure passed down); they are routed again with today's others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..lifecycle import refer_to_street

if TYPE_CHECKING:
    from ..model import CommunityModel


def route(model: CommunityModel) -> None:
    for mech in model.hooked["send_back"]:
        mech.send_back()
    t = model.issues
    ids = t.open_ids()
    ids = ids[(t.detected[ids] >= 0) & (t.handler[ids] < 0)]
    routed = model.mechanisms["coordination"].route(ids)
    check_powers(model, routed)


def check_powers(model: CommunityModel, ids: np.ndarray) -> None:
    t = model.issues
    ids = ids[t.needs_power[ids] & (t.handler[ids] != model.street.slot)]
    if ids.size == 0:
        return
    rng = model.rng
    ok = (t.handler[ids] == model.rc.slot) & (rng.random(ids.size) < model.rc.empowerment)
    summon = model.mechanisms["coordination"].summon_success
    ok |= rng.random(ids.size) < summon
    for mech in model.hooked["powers"]:
        support = mech.powers(ids)
        if np.any(support):
            ok |= rng.random(ids.size) < support
    up = ids[~ok]
    model.today.power_referrals += int(up.size)
    refer_to_street(model, up)


