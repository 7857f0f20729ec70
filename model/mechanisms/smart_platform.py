"""Smart governance: online reporting and unified event dispatch (智治).

Dongcheng's grid system runs one dispatch platform over 118 processes of 29 departments (seed 002
L271); Futian replaces fragmented handling with unified dispatch (seed 002 L237); online channels
make "every resident a grid worker" (seed 002 L209; seed 001 L159) — for those who can use them:
left-behind older residents rely on word of mouth (seed 001 L151–152).

With the switch on, literate residents (``literacy_share``; the vulnerable a third as often)
report visible issues online with a daily chance ``online_report``, and unified dispatch removes
``dispatch`` of the misrouting that silo handling causes.

Dispatch is somebody's work: the street office runs the dispatch centre with
``dispatch_hours_per_1000_day`` hours per 1,000 residents a day out of its working day (use
``dispatch``), drawn in the morning, and the misrouting removed is ``dispatch`` × the share of
those hours it had [design choice]. An online report is a resident's own report, like reporting
in person: it takes no hours the ledger counts. The platform's build and upkeep are paid above
the community and are not in the ledger [design choice].
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..catalogue import Metric
from ..issues import Channel, Stage
from ..schema import Hours, Share, Strict, Switch
from .base import Mechanism


class SmartPlatformParams(Strict):
    """Online reporting and unified dispatch (智治; 网格化 unified event dispatch, seed 002 L237,
    L271; online participation, seed 001 L159; seed 002 L209)."""

    enabled: Switch = False
    online_report: Share = Field(0.15, description="daily chance a digitally literate resident "
                                 "reports a visible issue online")
    literacy_share: Share = Field(0.6, description="share of residents able to use the platform; "
                                  "the vulnerable rarely are (seed 001 L152)")
    dispatch: Share = Field(0.9, description="share of misrouting that unified dispatch removes")
    dispatch_hours_per_1000_day: Hours = Field(
        0.5, description="street-office hours a day per 1,000 residents to run unified "
        "dispatch (118 processes of 29 departments on one platform, seed 002 L271) [amount: "
        "design choice]", json_schema_extra={"unit": "hours/1,000 residents/day"})


class SmartPlatform(Mechanism):
    key = "smart_platform"
    Params = SmartPlatformParams
    order = 150
    name_zh = "智慧平台"
    name_en = "smart platform"
    reports = (Metric("online_literacy", "会用线上平台的居民比例",
                      "residents able to use the platform", "share"),)

    def setup(self) -> None:
        pop = self.model.population
        self._draw = self.model.rng.random(pop.n) * np.where(pop.vulnerable, 3.0, 1.0)
        self.configure(self.params)

    def configure(self, params) -> None:
        super().configure(params)
        self.literate = self._draw < params.literacy_share
        self.model.street.dispatch = params.dispatch if self.enabled else 0.0

    def adjust_hours(self) -> None:
        """The street office's dispatch hours come out of its working day."""
        m = self.model
        street = m.street
        asked = self.params.dispatch_hours_per_1000_day * m.population.n / 1000.0
        got = m.ledger.use_hours(street.slot, "dispatch", min(asked, max(street.hours, 0.0)))
        street.hours -= got
        street.hours_used += got
        street.dispatch = self.params.dispatch * (got / asked if asked > 0 else 0.0)

    def search(self, ids: np.ndarray) -> list[tuple[np.ndarray, Channel]]:
        if ids.size == 0:
            return []
        t = self.model.issues
        can = self.literate[t.origin[ids]] & (t.stage[ids] >= Stage.SIGN)
        return [(self.params.online_report * can, Channel.ONLINE)]

    def metrics(self) -> dict[str, float]:
        return {"online_literacy": float(self.literate.mean()) if self.enabled else 0.0}
