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

from ..agents import SocialOrganization
from .base import Mechanism


class ServicePurchase(Mechanism):
    key = "service_purchase"

    def setup(self) -> None:
        self.purchased = {}

    def adjust_hours(self) -> None:
        self.purchased = {}
        if not self.enabled:
            return
        m = self.model
        sos = [o for o in m.social_organizations if o.active]
        if not sos:
            return
        budget = self.params.yuan_per_resident_year * m.population.n / 365.0
        each = budget / self.params.yuan_per_hour / len(sos)
        for so in sos:
            self.purchased[so.slot] = each / max(so.hours + each, 1e-9)
            so.hours += each
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
