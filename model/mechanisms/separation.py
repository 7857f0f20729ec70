"""Separating administration from the residents' committee (盐田模式, 议行分设).

Yantian split the all-in-one committee: a government workstation parallel to it does
administration, a service station (an NGO under the committee) delivers services, and the elected
committee returns to self-governance; the reform was called transitional and immature (seed 000
L43). Daqing's "一委一站一会" went the same way (seed 000 L553).

With the switch on, a workstation (government staff) takes over all but ``residual_share`` of the
committee's administrative tasks, and a service station with its own staff handles care,
facility and dispute issues. Both are idle while the switch is off.
"""

from __future__ import annotations

from pydantic import Field

from ..agents import Organization
from ..catalogue import Metric
from ..population import Institution
from ..schema import NonNeg, Share, Strict, Switch
from .base import Mechanism


class SeparationParams(Strict):
    """Separating administration from the committee (盐田模式, 议行分设; seed 000 L43; Daqing
    "一委一站一会", seed 000 L553)."""

    enabled: Switch = False
    workstation_staff: NonNeg = Field(4.0, description="staff of the government workstation "
                                      "that takes over administrative tasks")
    residual_share: Share = Field(0.15, description="share of administrative tasks that still "
                                  "reach the committee (the reform was 过渡性, seed 000 L43)")
    service_station_staff: NonNeg = Field(3.0, description="staff of the service station (an "
                                          "NGO under the committee) that delivers services")


class Workstation(Organization):
    institution = Institution.GOV
    label_en, label_zh = "community workstation", "社区工作站"

    def configure(self, params) -> None:
        self.params = params
        self.staff = params.workstation_staff
        self.hours_per_day = 7.5
        self.budget_per_day = 0.0


class ServiceStation(Organization):
    institution = Institution.SO
    label_en, label_zh = "community service station", "社区服务站"

    def configure(self, params) -> None:
        self.params = params
        self.staff = params.service_station_staff
        self.hours_per_day = 7.5
        self.budget_per_day = 200.0


class Separation(Mechanism):
    key = "separation"
    # It moves administration; it runs no programme of its own [design choice].
    reports_upward = False
    Params = SeparationParams
    order = 40
    name_zh = "议行分设"
    name_en = "separation of administration"
    reports = (Metric("workstation_admin_hours", "工作站行政事务时数",
                      "service-station administrative hours", "hours", definition="per day"),)

    def add_organizations(self, add) -> None:
        self.workstation = add(Workstation, self.params)
        self.workstation.routable = False  # it does administration, not residents' issues
        self.station = add(ServiceStation, self.params,
                           specialties=("care", "facility", "dispute"))
        self.station.committee_system = True  # an NGO under the committee (seed 000 L43)
        self.configure(self.params)

    def configure(self, params) -> None:
        super().configure(params)
        for org in (self.workstation, self.station):
            org.active = self.enabled
            org.configure(params)

    def adjust_hours(self) -> None:
        rc = self.model.rc
        moved = rc.admin_hours * (1.0 - self.params.residual_share)
        rc.admin_hours -= moved
        rc.hours += moved
        ledger = self.model.ledger
        ledger.give_back(rc.slot, "admin", moved)
        ws = self.workstation
        ws.admin_hours += moved
        ledger.use_hours(ws.slot, "admin", min(moved, ws.hours))
        ws.hours = max(ws.hours - moved, 0.0)

    def metrics(self) -> dict[str, float]:
        return {"workstation_admin_hours": float(self.workstation.admin_hours)}
