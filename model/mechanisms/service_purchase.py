"""Government purchase of services from social organizations (政府购买服务; 三社联动).

Jiangsu's government–society interaction buys services and reports higher quality (seed 002
L207); community as platform, social organizations as vehicle and social workers as support (seed
000 L135) — incubate, cultivate, bring in, purchase (seed 002 L233); in one matching fair 109
social organizations took 106 projects for 3.4 M yuan (seed 000 L71).

With the switch on, a yearly purchase budget buys hours of professional service, shared equally
among the active social organizations, and issues they handle fail less often (``quality``) in
proportion to the share of their hours that was purchased.

Paid service can crowd out unpaid service. Motivation crowding theory (Frey & Jegen 2001) holds
that an outside payment perceived as controlling displaces intrinsic motivation; here, members of
a social organization whose work is bought in lose intrinsic propensity to take part: each
evening their ``participation_base`` falls by ``crowding_out`` / 365 × the share of the
organization's hours that was purchased, so a year of fully purchased work costs them
``crowding_out`` of it. The theory gives the sign, not the size [design choice].
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
    crowding_out: Share = Field(
        0.2, description="share of intrinsic propensity a member of a social organization loses "
        "over a year in which all its hours are purchased (motivation crowding, Frey & Jegen "
        "2001) [size: design choice; 0 = off]", json_schema_extra={"unit": "share per year"})


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

    def organize(self) -> None:
        """Members of organizations whose work was bought today lose some intrinsic propensity."""
        if not self.purchased or self.params.crowding_out <= 0:
            return
        m = self.model
        pop = m.population
        share = np.zeros(len(m.social_organizations) + 1)  # the last entry: no membership
        for i, so in enumerate(m.social_organizations):
            share[i] = self.purchased.get(so.slot, 0.0)
        cut = 1.0 - self.params.crowding_out / 365.0 * share[pop.member_of]
        pop.participation_base *= cut

    def failure_factor(self, ids: np.ndarray, actor) -> np.ndarray | float:
        if not isinstance(actor, SocialOrganization) or actor.slot not in self.purchased:
            return 1.0
        return 1.0 - self.params.quality * self.purchased[actor.slot]

    def metrics(self) -> dict[str, float]:
        m = self.model
        hours = (self.params.yuan_per_resident_year * m.population.n / 365.0
                 / self.params.yuan_per_hour) if self.enabled else 0.0
        return {"purchased_hours": hours}
