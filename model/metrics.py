"""What a run reports: the per-day metrics and the run summary.

Daily values are collected through Mesa's ``DataCollector``; each reporter reads one entry of the
dict :func:`daily_metrics` computes, so the reporters are picklable (no lambdas). Issue rates and
shares are cumulative from day 0 (``resolution_rate`` on day 100 is resolved / created over days
0–100); counts are per day; resident states, ``participation_rate`` (acted within the window),
``participation_top10_share`` (over about a year of acts) and ``rc_admin_share`` describe that day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .catalogue import CORE, TRUST
from .config import CATEGORY_NAMES
from .daylog import DayLog, Totals  # noqa: F401 — re-exported for existing imports
from .equity import resolution_gaps, satisfaction_gaps
from .issues import PROACTIVE_BY_CHANNEL, Level, Status
from .ledger import USE
from .survival import (
    RESOLVED,
    clock_stops,
    cumulative_incidence,
    median_days,
    median_of,
    share_within,
)

if TYPE_CHECKING:
    from .model import CommunityModel


# The per-category metric names, in the order of CATEGORY_NAMES.
NEW_KEYS = tuple(f"new_{c}" for c in CATEGORY_NAMES)
OPEN_KEYS = tuple(f"open_{c}" for c in CATEGORY_NAMES)
RESOLVED_KEYS = tuple(f"resolved_{c}" for c in CATEGORY_NAMES)


def top_share(values: np.ndarray, top: float = 0.1) -> float:
    """Share of the total held by the top ``top`` fraction (the "few participate" problem)."""
    total = values.sum()
    if total <= 0:
        return 0.0
    k = max(1, int(round(top * values.size)))
    return float(np.partition(values, values.size - k)[-k:].sum() / total)


def daily_metrics(model: CommunityModel) -> dict[str, float]:
    t = model.issues
    pop = model.population
    today = model.today
    tot = model.totals
    day = model.day

    resolved = today.resolved()
    tot.resolved += resolved.size
    tot.days_to_resolve += float((t.closed[resolved] - t.created[resolved]).sum())
    tot.resolved_in_community += int((t.level[resolved] <= Level.COMMUNITY).sum())
    found_today = np.flatnonzero(t.column("detected") == day)
    tot.detected += found_today.size
    proactive = PROACTIVE_BY_CHANNEL[t.channel[found_today] + 1]
    tot.detected_proactively += int(np.count_nonzero(proactive))
    tot.money_spent += today.money_spent
    tot.rc_admin_hours += model.rc.admin_hours
    tot.rc_staff_hours += model.rc.staff_hours
    volunteer_today = float(np.dot(model.ledger.supply, model.ledger.volunteer))
    tot.volunteer_hours += volunteer_today
    tot.escalations += today.escalations
    tot.power_referrals += today.power_referrals

    created = len(t)
    n_cat = len(CATEGORY_NAMES)
    open_ids = t.open_ids()
    open_by_cat = np.bincount(t.category[open_ids], minlength=n_cat)
    res_by_cat = np.bincount(t.category[resolved], minlength=n_cat)
    closed_today = int(((t.column("closed") == day)
                        & (t.column("status") == Status.CLOSED_ESCALATED)).sum())

    m: dict[str, float] = {"day": day}
    m["new_issues"] = float(today.new_by_category.sum() + today.recurrences)
    m.update(zip(NEW_KEYS, map(float, today.new_by_category.tolist()), strict=True))
    m["open_issues"] = float(open_ids.size)
    m.update(zip(OPEN_KEYS, map(float, open_by_cat.tolist()), strict=True))
    m["resolved_issues"] = float(resolved.size)
    m.update(zip(RESOLVED_KEYS, map(float, res_by_cat.tolist()), strict=True))
    m["closed_by_escalation"] = float(closed_today)
    m["issues_created"] = float(created)
    m["resolution_rate"] = tot.resolved / created if created else 0.0
    m["mean_days_to_resolve"] = tot.days_to_resolve / tot.resolved if tot.resolved else 0.0
    m["proactive_detection_share"] = (tot.detected_proactively / tot.detected
                                      if tot.detected else 0.0)
    m["resolved_in_community_share"] = (tot.resolved_in_community / tot.resolved
                                        if tot.resolved else 0.0)
    m["escalations_community"] = float(today.escalations[Level.COMMUNITY])
    m["escalations_street"] = float(today.escalations[Level.STREET])
    m["power_referrals"] = float(today.power_referrals)
    m["events_applied"] = float(today.events)
    m["petitions"] = float(today.escalations[Level.PETITION])
    m["mass_incidents"] = float(today.escalations[Level.MASS_INCIDENT])
    m["recurrences"] = float(today.recurrences)
    # Means as sum / n: the same sums and division as ndarray.mean, without its overhead.
    m["satisfaction"] = float(pop.satisfaction.sum()) / pop.n
    m["grievance"] = float(pop.grievance.sum()) / pop.n
    trust = pop.trust.sum(axis=0).tolist()  # column by column: trust is column-major
    for inst, metric in enumerate(TRUST):  # TRUST follows the order of Institution
        m[metric.key] = trust[inst] / pop.n
    window = model.config.behaviour.window_days
    m["participation_rate"] = np.count_nonzero(pop.last_act_day > day - window) / pop.n
    m["participation_top10_share"] = top_share(pop.activity)
    m.update(satisfaction_gaps(model))
    m["volunteer_hours"] = volunteer_today
    m["rc_admin_share"] = model.rc.admin_share
    m["money_spent"] = float(today.money_spent)
    m["cost_per_resolved"] = tot.money_spent / tot.resolved if tot.resolved else 0.0
    m["public_fund"] = float(model.public_fund)
    m["so_members"] = float(sum(so.members for so in model.social_organizations))
    for mech in model.mechanisms.values():
        m.update(mech.metrics())
    return m


def time_to_resolution(model: CommunityModel) -> dict[str, float]:
    """Days to resolution on two clocks, open issues censored and petitions competing
    (:mod:`cogov.model.survival`): from onset, which no one sees, and from the first report,
    which is what a hotline or a committee's ledger counts."""
    t = model.issues
    created, detected = t.column("created"), t.column("detected")
    end, event = clock_stops(t, model.day)
    reported = detected >= 0
    since_report, report_event = (end - detected)[reported], event[reported]
    resolved = report_event == RESOLVED
    curve = cumulative_incidence(since_report, report_event)  # one curve, read four times
    out = {"median_days_onset_to_resolution": median_days(end - created, event),
           "median_days_report_to_resolution": median_of(*curve),
           "mean_days_report_to_resolution": (float(since_report[resolved].mean())
                                              if resolved.any() else 0.0)}
    for within in (7, 30, 90):
        out[f"resolved_within_{within}_days_share"] = share_within(*curve, within)
    out["monthly_resolution_rate"] = monthly_resolution_rate(detected, end, event, model.day)
    return out


MONTH = 30  # days in a reporting month [design choice]


def monthly_resolution_rate(detected: np.ndarray, end: np.ndarray, event: np.ndarray,
                            last_day: int) -> float:
    """What a monthly report counts: of the issues first reported in a month, the share resolved
    by that month's end; the mean over the run's complete months (``nan`` if there is none)."""
    months = (last_day + 1) // MONTH
    reported = (detected >= 0) & (detected < months * MONTH)
    if months == 0 or not reported.any():
        return float("nan")
    month = detected[reported] // MONTH
    closed_in_month = (event[reported] == RESOLVED) & (end[reported] < (month + 1) * MONTH)
    per_month = (np.bincount(month, weights=closed_in_month, minlength=months)
                 / np.maximum(np.bincount(month, minlength=months), 1))
    has = np.bincount(month, minlength=months) > 0
    return float(per_month[has].mean())


def resource_costs(model: CommunityModel) -> dict[str, float]:
    """What the run cost, from the ledger (:mod:`cogov.model.ledger`): money spent plus paid
    staff hours on duty at the wage; that plus volunteers' hours at the shadow wage; money that
    lapsed at fiscal year-ends; and how much of the hours that reached the three public actors
    were used."""
    ledger = model.ledger
    prices = model.config.ledger
    costs = ledger.costs(prices.wage, prices.shadow_wage)
    _, used = ledger.totals()
    return {"paid_cost_yuan": costs["paid_cost_yuan"],
            "social_cost_yuan": costs["social_cost_yuan"],
            "lapsed_yuan": float(used[:, USE["lapse"]].sum()),
            "utilisation_residents_committee": ledger.utilisation(model.rc.slot),
            "utilisation_party_branch": ledger.utilisation(model.party.slot),
            "utilisation_street_office": ledger.utilisation(model.street.slot)}


def summarize(model: CommunityModel, daily: list[dict[str, float]]) -> dict[str, float | int | str]:
    """One row per run, its columns in catalogue order: the last day's value of cumulative rates
    and end-of-run states, the totals of daily counts, and what only the whole run can tell; then
    each mechanism's own indicators on the last day."""
    last = daily[-1]
    tot = model.totals
    counts = model.issues.counts()
    n = model.population.n
    years = max(len(daily) / 365.0, 1e-9)
    run: dict[str, float | int | str] = {
        "scenario": model.scenario_name,
        "seed": model.seed,
        "days": len(daily),
        "residents": n,
        "network_edges": model.network.n_edges,
        "issues_created": counts["created"],
        "issues_open": counts["open"],
        "issues_resolved": counts["resolved"],
        "issues_closed_by_escalation": counts["closed_escalated"],
    }
    petitions = float(sum(d["petitions"] for d in daily))
    run["petitions_per_10k_year"] = petitions / years / n * 10_000
    disputes = float(sum(d["new_dispute"] for d in daily))
    run["disputes_per_1000_residents_year"] = disputes / years / n * 1000
    complaints = model.issues.column("complaints").astype(np.int64)
    came_back = model.issues.column("recurrence_of") >= 0
    repeats = np.maximum(complaints - 1, 0).sum() + (came_back & (complaints > 0)).sum()
    run["repeat_complaints_per_1000_residents_year"] = float(repeats) / years / n * 1000
    run["volunteer_hours"] = tot.volunteer_hours
    run["volunteer_hours_per_1k_year"] = tot.volunteer_hours / years / n * 1000
    run.update(resource_costs(model))
    run["social_cost_per_resident_year"] = run["social_cost_yuan"] / years / n
    run["resolved_per_10k_yuan"] = (counts["resolved"] / run["social_cost_yuan"] * 10_000
                                    if run["social_cost_yuan"] > 0 else 0.0)
    run["rc_admin_share"] = tot.rc_admin_hours / tot.rc_staff_hours if tot.rc_staff_hours else 0.0
    run["satisfaction_mean_last_90"] = float(np.mean([d["satisfaction"] for d in daily[-90:]]))
    t = model.issues
    cat, status = t.column("category"), t.column("status")
    days = t.column("closed") - t.column("created")
    level = t.column("level")
    closed = (cat == 0) & (status != Status.OPEN)
    local = closed & (status == Status.RESOLVED) & (level <= Level.COMMUNITY)
    township = closed & (status == Status.RESOLVED) & (level <= Level.STREET)
    n_closed = max(int(closed.sum()), 1)
    run["dispute_community_share"] = float(local.sum() / n_closed)  # 小事不出村
    run["dispute_township_share"] = float(township.sum() / n_closed)  # 大事不出镇
    for i, c in enumerate(CATEGORY_NAMES):
        done = (cat == i) & (status == Status.RESOLVED)
        run[f"days_to_resolve_{c}"] = float(days[done].mean()) if done.any() else 0.0
    run.update(time_to_resolution(model))
    run.update(resolution_gaps(model))

    s: dict[str, float | int | str] = {}
    for metric in CORE:
        if metric.summary == "last":
            s[metric.key] = last[metric.key]
        elif metric.summary == "sum":
            s[metric.key] = float(sum(d[metric.key] for d in daily))
        elif metric.summary == "run":
            s[metric.key] = run[metric.key]
    for mech in model.mechanisms.values():  # each mechanism's own indicators, at the end
        s.update({m.key: last[m.key] for m in mech.reports})
    return s
