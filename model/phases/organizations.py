"""Organizational phases: the offices open in the morning (hours, budgets, administrative tasks)
and, at the end of the day, organizations and mechanisms run their own dynamics (R21, R38–R40).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import CommunityModel


def open_offices(model: CommunityModel) -> None:
    """Each actor gets its staff hours and budget; mechanisms then take or add hours.

    The committee spends what is left after administrative tasks partly on organising residents
    (seed 000 L691) and gains capacity from the volunteers it organised yesterday (seed 004 L147).
    """
    for org in model.organizations:
        org.begin_day()
    for mech in model.mechanisms.values():
        mech.adjust_hours()
    rc = model.rc
    rc_params = model.config.actors.residents_committee
    rc.organising_hours = rc.hours * rc_params.organising_share
    rc.hours -= rc.organising_hours
    rc.hours += model.resident_hours_yesterday * rc_params.volunteer_use


def organize(model: CommunityModel) -> None:
    model.organizations.shuffle_do("organize")
    for mech in model.mechanisms.values():
        mech.organize()
