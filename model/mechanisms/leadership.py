"""Dependence on one leader: the branch's coordination rests on its secretary's relations.

The sources credit the core's reach to the person at its head: Jiangxinyuan's first task was to
pick the "lead goose" (选准"头雁", seed 000 L689); community elites' results rest "more on
personal charisma and interpersonal trust" than on the tools of office (更要依靠个人魅力、人际
信任, seed 003 L13), many cities "still have to rely" on them, and whether their succession
succeeds decides whether the grassroots hold (代际更替, seed 003 L15); their young successors
bring knowledge but governance is personal (人际化) and needs more than knowledge (seed 003
L19); successors are hard to find (人难选、无人选, seed 001 L35). Reliance on a few is one of the
named failures of grassroots governance (少数人参与, seed 001 L6).

The mechanism keeps the secretary's relations with the other actors, ``r`` in [0, 1]: 1 for an
established secretary. When the secretary leaves — at random with ``turnover_per_year`` (a daily
hazard, drawn at the end of each day) or on a scheduled day (the event ``leader_leaves``,
:mod:`cogov.model.events`) — ``r`` falls to ``successor_relations`` and rises linearly back to 1
over ``rebuild_days``. The branch's coordinating strength, the lever ``party.relations``, is
``1 − dependence · (1 − r)``: ``dependence`` is the share of the core's coordination carried by
the secretary's person rather than by its institutions (from 感情化 ties to 契约化 rules,
seed 002 L19, lowers it). Coordination reads the lever in one-core mode: the chance that a
summoned department comes moves from ``joint_summon_success`` toward the silo
``summon_success``; a complex issue is convened jointly only with chance ``relations``; and a
partner's attendance at the monthly joint meeting counts ``relations`` times as much toward
taking on hard cases. In the other modes nothing reads it.

With the switch off the lever stays 1, no draw is made, and results are those without the
mechanism.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..catalogue import Metric
from ..schema import Days, Real, Share, Strict, Switch
from .base import Mechanism

YEAR_DAYS = 365.0


class LeadershipParams(Strict):
    """The branch's dependence on its secretary (头雁, seed 000 L689; seed 003 L13–19)."""

    enabled: Switch = False
    turnover_per_year: Annotated[Real, Field(ge=0.0, le=12.0)] = Field(
        0.2, description="chance per year that the secretary leaves (a daily hazard of this "
        "/ 365): a mean tenure of five years; the seeds name the succession (seed 003 L15) but "
        "give no rate [design choice]", json_schema_extra={"unit": "1/year"})
    successor_relations: Share = Field(
        0.2, description="the successor's relations with the other actors on arrival, 0–1: "
        "new secretaries bring knowledge but not the personal ties (seed 003 L17–19) [size: "
        "design choice]")
    rebuild_days: Days = Field(
        365, description="days a successor takes to rebuild the relations to 1, linearly "
        "[design choice]", json_schema_extra={"unit": "days"})
    dependence: Share = Field(
        0.6, description="share of the core's coordinating strength carried by the secretary's "
        "person rather than its institutions: more than half, since results rest \"more on\" "
        "personal trust than on the tools of office (更要依靠, seed 003 L13) [size: design "
        "choice]")


class Leadership(Mechanism):
    key = "leadership"
    reports_upward = False  # a failure mode, not a programme that keeps 台账 [design choice]
    Params = LeadershipParams
    order = 5  # before coordination, which reads the lever
    name_zh = "带头人依赖"
    name_en = "dependence on one leader"
    reports = (
        Metric("leader_relations", "党组织书记关系强度", "secretary's relations", "index",
               definition="the branch secretary's relations with the other actors, 0–1 "
               "(1 when the mechanism is off)", short_en="leader relations",
               short_zh="书记关系"),
        Metric("leader_turnovers", "书记更替次数", "secretary turnovers", "count",
               definition="cumulative departures of the branch secretary, random or "
               "scheduled"),
    )

    def setup(self) -> None:
        self.relations = 1.0  # the secretary's own relations, r
        self.left_on: int | None = None  # day the last secretary left
        self.turnovers = 0
        self._apply()

    def configure(self, params) -> None:
        super().configure(params)
        self._apply()

    def _apply(self) -> None:
        """Set the branch's coordinating strength from ``r``; 1 while switched off."""
        p = self.params
        party = self.model.party
        party.relations = 1.0 - p.dependence * (1.0 - self.relations) if self.enabled else 1.0

    def turnover(self) -> None:
        """The secretary leaves today; the successor starts from ``successor_relations``."""
        self.turnovers += 1
        self.left_on = self.model.day
        self.relations = self.params.successor_relations
        self._apply()

    def organize(self) -> None:
        """End of the day: the secretary may leave; otherwise the successor's relations grow
        toward tomorrow's level."""
        m = self.model
        p = self.params
        if p.turnover_per_year > 0 and m.rng.random() < p.turnover_per_year / YEAR_DAYS:
            self.turnover()
            return
        if self.left_on is not None:
            s = p.successor_relations
            done = (m.day + 1 - self.left_on) / p.rebuild_days
            if done >= 1.0:  # rebuilt: the successor is now the established secretary
                self.relations, self.left_on = 1.0, None
            else:
                self.relations = s + (1.0 - s) * done
        self._apply()

    def metrics(self) -> dict[str, float]:
        return {"leader_relations": float(self.relations) if self.enabled else 1.0,
                "leader_turnovers": float(self.turnovers)}
