"""Government purchase of services from social organizations (政府购买服务; 三社联动).

Jiangsu's government–society interaction buys services and reports higher quality (seed 002
L207); community as platform, social organizations as vehicle and social workers as support (seed
000 L135) — incubate, cultivate, bring in, purchase (seed 002 L233); in one matching fair 109
social organizations took 106 projects for 3.4 M yuan (seed 000 L71).

With the switch on, a yearly purchase budget buys hours of professional service, shared equally
among the active social organizations, and issues they handle fail less often (``quality``) in
proportion to the share of their hours that was purchased.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..agents import SocialOrganization
from ..catalogue import Metric
from ..schema import NonNeg, Pos, Share, Strict, Switch
from .base import Mechanism


class ServicePurchaseParams(Strict):
    """Government purchase of services from social organizations (政府购买服务; 三社联动; seed
    002 L207, L233; seed 000 L135, L143)."""

    enabled: Switch = False
    yuan_per_resident_year: NonNeg = Field(
        40.0, description="purchase budget per resident per year [design choice]; 109 SOs took "
        "106 projects for ¥3.4 M in one fair (seed 000 L71)"
    )
    yuan_per_hour: Pos = Field(60.0, description="price of an hour of social-work service "
                               "[design choice]")
    quality: Share = Field(0.5, description="cut in the failure chance of issues handled by "
                           "purchased professional staff: purchase raises quality (seed 002 "
                           "L207) [size: design choice]")


class ServicePurchase(Mechanism):
    key = "service_purchase"
    Params = ServicePurchaseParams
    order = 120
    name_zh = "政府购买服务"
    name_en = "purchase of services"
    reports = (Metric("purchased_hours", "购买服务时数", "purchased service hours", "hours",
                      definition="per day"),)

    def setup(self) -> None:
        self.purchased = {}

    def adjust_hours(self) -> None:
        self.purchased = {}
        m = self.model
        sos = [o for o in m.social_organizations if o.active]
        if not sos:
            return
        budget = self.params.yuan_per_resident_year * m.population.n / 365.0
        each = budget / self.params.yuan_per_hour / len(sos)
        m.ledger.receive("purchase_budget", budget)
        m.ledger.spend("purchase_budget", "purchase", budget)
        for so in sos:
            self.purchased[so.slot] = each / max(so.hours + each, 1e-9)
            so.hours += each
            m.ledger.add_hours("purchased_service", so.slot, each)
        m.today.money_spent += budget

    def failure_factor(self, ids: np.ndarray, actor) -> np.ndarray | float:
        if not isinstance(actor, SocialOrganization) or actor.slot not in self.purchased:
            return 1.0
        return 1.0 - self.params.quality * self.purchased[actor.slot]

    def metrics(self) -> dict[str, float]:
        m = self.model
        hours = (self.params.yuan_per_resident_year * m.population.n / 365.0
                 / self.params.yuan_per_hour) if self.enabled else 0.0
        return {"purchased_hours": hours}
