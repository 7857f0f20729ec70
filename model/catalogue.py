"""The metric catalogue: every number a run reports, with its names, unit and how it is summarised.

One entry per metric is read by everything that shows a metric — the run summary, the CLI's
table, ``cogov compare``, the plots, the dashboard, the report and the visualizer's KPI cards —
so a metric's name, unit and format are written once (as Starsim's ``Result(label,
summarize_by)``). The core metrics are listed here; each governance mechanism declares the
metrics it reports in its ``reports`` (:class:`~cogov.model.mechanisms.base.Mechanism`), which
register here when the class is defined.

The order of :data:`CORE` is the order of the run summary's columns.

How a metric enters the run summary (``summary``):

* ``last`` — its value on the last day (cumulative rates, end-of-run states);
* ``sum`` — the total of its daily counts;
* ``run`` — computed once over the whole run by :func:`cogov.model.metrics.summarize` (rates per
  resident and year, shares over all closed issues);
* ``daily`` — time series only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from .schema import CATEGORY_NAMES

Unit = Literal["share", "index", "days", "count", "yuan", "hours", "rate", "flag", "label"]
Summary = Literal["last", "sum", "run", "daily"]
Lang = Literal["zh", "en"]

#: Decimals shown for a unit unless the metric says otherwise (shares are shown in %).
UNIT_DIGITS: dict[str, int] = {"share": 1, "index": 3, "days": 1, "count": 0, "yuan": 0,
                               "hours": 0, "rate": 2, "flag": 0, "label": 0}
UNIT_NAMES: dict[str, tuple[str, str]] = {
    "share": ("比例", "share"), "index": ("指数 0–1", "index 0–1"), "days": ("天", "days"),
    "count": ("个数", "count"), "yuan": ("元", "yuan"), "hours": ("小时", "hours"),
    "rate": ("比率", "rate"), "flag": ("开/关", "on/off"), "label": ("", "")}


@dataclass(frozen=True)
class Metric:
    """One reported number. ``zh`` / ``en`` name it in titles and tables; ``short_*`` in legends
    and cards where space is short; ``column`` heads a compact plain-text table."""

    key: str
    zh: str
    en: str
    unit: Unit = "count"
    summary: Summary = "last"
    definition: str = ""
    short_zh: str = ""
    short_en: str = ""
    column: str = ""
    digits: int | None = None

    @property
    def percent(self) -> bool:
        """A share in [0, 1], shown in %."""
        return self.unit == "share"

    @property
    def decimals(self) -> int:
        return UNIT_DIGITS[self.unit] if self.digits is None else self.digits

    def label(self, lang: Lang = "en", short: bool = False) -> str:
        if short:
            text = self.short_zh if lang == "zh" else self.short_en
            if text:
                return text
        return self.zh if lang == "zh" else self.en

    def title(self, lang: Lang = "en") -> str:
        """The label as a heading (a plot's or a table's title)."""
        text = self.label(lang)
        return text[:1].upper() + text[1:]

    @property
    def header(self) -> str:
        """A compact column header for plain-text tables."""
        return self.column or self.key

    def format(self, value: float | None, extra_digits: int = 0, sign: bool = False) -> str:
        """The value as a reader wants it: shares in %, others to the metric's precision."""
        if value is None or not math.isfinite(float(value)):
            return "–"
        plus = "+" if sign else ""
        if self.percent:
            return f"{float(value) * 100:{plus}.{self.decimals + extra_digits}f}%"
        return f"{float(value):{plus},.{self.decimals + extra_digits}f}"


CATEGORY_ZH = {"dispute": "邻里纠纷", "facility": "设施环境", "safety": "安全隐患",
               "care": "困难群体照护", "project": "微项目"}
CATEGORY_EN = {"dispute": "disputes", "facility": "facilities and environment",
               "safety": "safety hazards", "care": "care needs", "project": "micro-projects"}


def _per_category(key: str, zh: str, en: str, **kw) -> list[Metric]:
    return [Metric(key.format(c=c), zh.format(c=CATEGORY_ZH[c]), en.format(c=CATEGORY_EN[c]),
                   **kw) for c in CATEGORY_NAMES]


#: Trust in each institution, in the order of :class:`~cogov.model.population.Institution`.
TRUST = (
    Metric("trust_party_branch", "对党组织的信任", "trust in the party branch", "index",
           definition="mean over residents, end of run", short_zh="党组织",
           short_en="party branch", column="trust PB"),
    Metric("trust_residents_committee", "对居委会的信任", "trust in the residents' committee",
           "index", definition="mean over residents, end of run", short_zh="居委会",
           short_en="residents' committee", column="trust RC"),
    Metric("trust_gov", "对街道的信任", "trust in the street office", "index",
           definition="mean over residents, end of run", short_zh="街道",
           short_en="street office", column="trust gov"),
    Metric("trust_so", "对社会组织的信任", "trust in social organizations", "index",
           definition="mean over residents, end of run", short_zh="社会组织",
           short_en="social organizations", column="trust SO"),
    Metric("trust_enterprise", "对企业的信任", "trust in enterprises", "index",
           definition="mean over residents, end of run", short_zh="企业", short_en="enterprises",
           column="trust ent"),
)

#: The groups of the equity outcomes (:mod:`cogov.model.equity`): key, names, column, remark.
_GROUPS = (
    ("vulnerable", "困难群体", "vulnerable residents", "vuln", ""),
    ("migrant", "流动人口", "migrants", "migr", ""),
    ("low_participation", "低参与居民", "low-participation residents", "lowp",
     "; low participation: activity below the median that day"),
)

CORE: tuple[Metric, ...] = (
    Metric("scenario", "治理模式", "scenario", "label", "run", "the scenario's name"),
    Metric("seed", "随机种子", "seed", "label", "run", "the run's seed"),
    Metric("days", "天数", "days simulated", "count", "run", "days simulated"),
    Metric("residents", "居民人数", "residents", "count", "run", "residents in the community"),
    Metric("network_edges", "社会网络连接数", "ties in the social network", "count", "run",
           "edges of the social network"),
    Metric("issues_created", "已产生问题", "issues created", "count", "run",
           "cumulative from day 0"),
    Metric("issues_open", "未结问题（期末）", "issues open at the end", "count", "run",
           "issues still open when the run stops"),
    Metric("issues_resolved", "已解决问题", "issues resolved", "count", "run",
           "issues resolved over the run"),
    Metric("issues_closed_by_escalation", "因上交而结案", "issues closed by escalation", "count",
           "run", "issues that left the community by petition over the run"),
    Metric("resolution_rate", "问题解决率", "resolution rate", "share", "last",
           "resolved / created, cumulative from day 0", short_zh="解决率",
           short_en="resolution rate", column="resolved%"),
    Metric("mean_days_to_resolve", "平均办结天数", "mean days to resolve", "days", "last",
           "from an issue's onset (which residents cannot see) to its resolution, over issues "
           "resolved so far; ignores the open ones",
           short_zh="办结天数", short_en="days to resolve", column="days"),
    Metric("proactive_detection_share", "主动发现比例", "issues found proactively", "share",
           "last", "cumulative share of detections through the grid patrol, liaison, volunteer "
           "(mediators' visits, neighbourhood watch) or campaign channels rather than residents' "
           "reports", short_zh="主动发现", short_en="found proactively",
           column="proactive%"),
    Metric("resolved_in_community_share", "社区内解决比例", "resolved within the community",
           "share", "last", "cumulative share of resolutions at level ≤ COMMUNITY (the level at "
           "resolution)",
           short_zh="社区内解决", short_en="in community", column="in comm%"),
    Metric("satisfaction", "居民满意度", "satisfaction", "index", "last",
           "mean over residents, end of run", short_zh="满意度", short_en="satisfaction",
           column="satisf."),
    Metric("grievance", "不满情绪", "grievance", "index", "last",
           "mean over residents, end of run", short_zh="不满", short_en="grievance",
           column="griev."),
    *TRUST,
    Metric("participation_rate", "参与广度", "participation rate",
           "share", "last", "share of residents who took part within the last window_days "
           "(30 by default), end of run", short_zh="近30天参与", short_en="participating",
           column="partic.%"),
    Metric("participation_top10_share", "前10%居民的参与份额",
           "share of participation by the top 10%", "share", "last",
           "share of faded activity (about a year of acts) held by the most active 10% of "
           "residents",
           short_zh="前10%参与份额", short_en="top-10% share", column="top10%"),
    *(Metric(f"satisfaction_gap_{key}", f"满意度差距：{zh}", f"satisfaction gap: {en}",
             "index", "last", f"the other residents' mean satisfaction minus {en}' (positive: "
             f"{en} are less satisfied), end of run{extra}", column=f"sat.gap {col}")
      for key, zh, en, col, extra in _GROUPS),
    Metric("cost_per_resolved", "每解决一件问题的花费（元）", "cost per resolved issue (yuan)",
           "yuan", "last", "money spent / issues resolved, cumulative", short_zh="件均花费",
           short_en="yuan per issue", column="yuan/res"),
    Metric("so_members", "社会组织成员", "members of social organizations", "count", "last",
           "residents belonging to a social organization"),
    Metric("new_issues", "新问题", "new issues", "count", "sum", "per day, recurrences included"),
    Metric("resolved_issues", "解决问题", "issues resolved", "count", "sum", "per day"),
    Metric("closed_by_escalation", "上交结案", "closed by escalation", "count", "sum",
           "issues closed today by petition: they leave the community's hands unresolved"),
    Metric("escalations_community", "上交社区", "escalations to the community", "count", "sum",
           "per day"),
    Metric("escalations_street", "上交街道", "escalations to the street office", "count", "sum",
           "per day, power referrals included", short_zh="上交街道",
           short_en="to the street office"),
    Metric("power_referrals", "因权限不足上交", "referrals for lack of powers", "count", "sum",
           "per day: issues sent to the street because the community lacks the powers"),
    Metric("petitions", "信访", "petitions", "count", "sum", "per day", short_zh="信访",
           short_en="petitions"),
    Metric("mass_incidents", "群体性事件", "mass incidents", "count", "sum", "per day",
           short_zh="群体性事件", short_en="mass incidents"),
    Metric("recurrences", "问题复发", "recurrences", "count", "sum",
           "recurrences created today"),
    Metric("events_applied", "时间线事件", "events applied", "count", "sum",
           "per day: events on the timeline (trust drops, issue surges, budget cuts, the "
           "secretary leaving) applied that day"),
    Metric("money_spent", "花费（元）", "money spent (yuan)", "yuan", "sum",
           "per day: issue costs, mediators' pay per case, purchased services"),
    Metric("petitions_per_10k_year", "每万人每年信访", "petitions per 10,000 residents a year",
           "rate", "run", "summed petitions / years / residents × 10,000",
           short_zh="信访/万人年", short_en="petitions /10k/yr",
           column="petit/10k"),
    Metric("repeat_complaints_per_1000_residents_year", "每千人每年重复投诉",
           "repeat complaints per 1,000 residents a year", "rate", "run",
           "pushes up by the affected resident about an issue they had pushed before, plus "
           "pushes about a problem that came back after it was closed, per 1,000 residents a "
           "year; a resident pushes an issue at most three times and petitions it once",
           short_zh="重复投诉/千人年", short_en="repeat complaints /1k/yr", column="rep/1k"),
    Metric("disputes_per_1000_residents_year", "每千人每年纠纷",
           "disputes per 1,000 residents a year", "rate", "run",
           "new disputes / years / residents × 1,000; about 3.6 mediated disputes "
           "per 1,000 people a year in seed 004 L280 among the population seed 004 L292 "
           "implies (derived)", digits=1),
    Metric("volunteer_hours", "志愿服务时数", "volunteer hours", "hours", "run",
           "every unpaid hour given, from the ledger: residents' act hours, party-member "
           "volunteers, volunteer grid workers, members of social organizations, people's "
           "mediators on duty and council attendees; per day in the time series, total over the "
           "run in the summary"),
    Metric("volunteer_hours_per_1k_year", "每千人每年志愿时数",
           "volunteer hours per 1,000 residents a year", "rate", "run", digits=0),
    Metric("rc_admin_share", "居委会行政事务占比", "committee time on administrative tasks",
           "share", "run", "committee admin hours / staff hours: that day's in the time series, "
           "over the whole run in the summary",
           short_zh="行政事务占比", short_en="admin time", column="RC admin%"),
    Metric("paid_cost_yuan", "付费成本（元）", "paid cost (yuan)", "yuan", "run",
           "money actually spent (issue costs, mediators' pay, purchased services; lapsed money "
           "not counted) plus paid staff hours on duty — every organization's paid staff and "
           "the grid workers — at ledger.wage yuan an hour, over the run", short_zh="付费成本",
           short_en="paid cost", column="paid ¥"),
    Metric("social_cost_yuan", "社会成本（元）", "social cost (yuan)", "yuan", "run",
           "paid cost plus volunteer_hours at ledger.shadow_wage yuan an hour, over the run",
           short_zh="社会成本", short_en="social cost", column="social ¥"),
    Metric("social_cost_per_resident_year", "人均年社会成本（元）",
           "social cost per resident a year (yuan)", "yuan", "run",
           "social_cost_yuan / years / residents", column="yuan/res/yr"),
    Metric("resolved_per_10k_yuan", "每万元社会成本解决问题数",
           "issues resolved per 10,000 yuan of social cost", "rate", "run",
           "issues resolved / social_cost_yuan × 10,000", column="res/10k¥"),
    Metric("lapsed_yuan", "年末失效资金（元）", "money lapsed at year-ends (yuan)", "yuan", "run",
           "budgets and funds unspent at a fiscal year-end (every 365 days from day 0), summed"),
    *(Metric(f"utilisation_{key}", f"{zh}工时利用率", f"utilisation of the {en}'s hours",
             "share", "run", f"hours the {en} used (issue work, triage, administrative tasks, "
             "organising) / hours that reached it (its staff, volunteers, members), over the "
             "run", column=f"util {col}%")
      for key, zh, en, col in (("residents_committee", "居委会", "residents' committee", "RC"),
                               ("party_branch", "党组织", "party branch", "PB"),
                               ("street_office", "街道", "street office", "SO"))),
    Metric("satisfaction_mean_last_90", "末90天平均满意度",
           "satisfaction, mean of the last 90 days", "index", "run",
           "mean of the daily population mean over the last 90 days"),
    Metric("dispute_community_share", "小事不出村（社区）", "disputes settled within the community",
           "share", "run", "disputes resolved at level ≤ COMMUNITY / disputes closed (resolved or "
           "closed by petition; open ones not counted): 小事不出村 (seed 000 L809)",
           column="disp.com%"),
    Metric("dispute_township_share", "大事不出镇（街道）", "disputes settled within the township",
           "share", "run", "the same with level ≤ STREET: 大事不出镇 (seed 000 L809)",
           column="disp.twp%"),
    Metric("median_days_onset_to_resolution", "问题发生至解决的中位天数",
           "median days from onset to resolution", "days", "run",
           "first day by which half of all issues are estimated resolved, counted from their "
           "onset (which residents cannot see); open issues censored, petitions competing "
           "(Aalen–Johansen); blank when fewer than half are ever resolved"),
    Metric("median_days_report_to_resolution", "首次反映至解决的中位天数",
           "median days from first report to resolution", "days", "run",
           "the same counted from the day the issue was first reported or found, as a hotline "
           "counts; only issues ever reported", column="days rep."),
    Metric("mean_days_report_to_resolution", "首次反映至解决的平均天数",
           "mean days from first report to resolution", "days", "run",
           "over issues resolved; ignores the open ones (see the median)"),
    *(Metric(f"resolved_within_{d}_days_share", f"{d}天内解决比例",
             f"resolved within {d} days of the first report", "share", "run",
             "estimated share of reported issues resolved within that many days of their "
             "first report; open issues censored, petitions competing",
             column=f"≤{d}d%") for d in (7, 30, 90)),
    *(Metric(f"days_gap_{key}", f"办结天数差距：{zh}", f"days-to-resolve gap: {en}", "days",
             "run", f"median days from first report to resolution of issues belonging to {en} "
             "minus that of the other residents' issues (each median censored as "
             f"median_days_report_to_resolution; positive: {en} wait longer; blank when a "
             f"median is undefined){extra}", column=f"days gap {col}")
      for key, zh, en, col, extra in _GROUPS),
    Metric("resolved_top10_share", "前10%活跃居民所获解决份额",
           "share of resolutions going to the most active 10%", "share", "run",
           "share of resolved issues whose resident is among the 10% of residents with the most "
           "activity (about a year of acts) at the end of the run; about 0.1 when benefits do "
           "not follow participation", column="res top10%"),
    Metric("monthly_resolution_rate", "月度办结率", "monthly resolution rate", "share", "run",
           "of the issues first reported in a month, the share resolved by that month's end, "
           "averaged over the run's complete 30-day months, as a monthly report counts"),
    *(m for c in CATEGORY_NAMES for m in (
        Metric(f"new_{c}", f"新问题：{CATEGORY_ZH[c]}", f"new issues: {CATEGORY_EN[c]}", "count",
               "sum", "per day, recurrences not included"),
        Metric(f"days_to_resolve_{c}", f"办结天数：{CATEGORY_ZH[c]}",
               f"days to resolve: {CATEGORY_EN[c]}", "days", "run",
               "mean of (closed − created) over resolved issues of the category, recurrences "
               "included (0 if none)"))),
    Metric("day", "天", "day", "count", "daily", "0, 1, … (the row's day)"),
    Metric("open_issues", "未结问题", "open issues", "count", "daily",
           "open issues at the end of the day", short_zh="未结问题",
           short_en="open issues", digits=1),
    *_per_category("open_{c}", "未结问题：{c}", "open issues: {c}", unit="count",
                   summary="daily", definition="at the end of the day"),
    *_per_category("resolved_{c}", "解决问题：{c}", "issues resolved: {c}", unit="count",
                   summary="daily", definition="per day"),
    Metric("public_fund", "公共服务资金余额（元）", "public-service fund (yuan)", "yuan", "daily",
           "the balance at the end of the day"),
)

METRICS: dict[str, Metric] = {}


def register(metric: Metric, owner: str) -> None:
    """Add a metric a mechanism reports; a key means one thing across the whole model."""
    known = METRICS.get(metric.key)
    if known is not None and known != metric:
        raise TypeError(f"{owner} reports {metric.key!r}, which already means {known.en!r}")
    METRICS[metric.key] = metric


for _metric in CORE:
    register(_metric, "the core metrics")


def metric(key: str) -> Metric:
    """The catalogue entry of ``key``; an unknown key (a column a user added) gets a plain one."""
    return METRICS.get(key) or Metric(key, key.replace("_", " "), key.replace("_", " "), "index",
                                      digits=2)


#: What one run shows first (the CLI's table after ``cogov run``, the dashboard's summary).
RUN_OUTCOMES = ("residents", "days", "issues_created", "resolution_rate", "mean_days_to_resolve",
                "median_days_report_to_resolution", "resolved_within_30_days_share",
                "proactive_detection_share", "resolved_in_community_share", "escalations_street",
                "petitions", "mass_incidents", "satisfaction", "trust_party_branch",
                "trust_residents_committee", "participation_rate", "participation_top10_share",
                "volunteer_hours", "rc_admin_share", "cost_per_resolved")
#: The outcomes scenarios are compared on (``cogov compare``, sweep plots and reports).
KEY_OUTCOMES = ("resolution_rate", "mean_days_to_resolve", "median_days_report_to_resolution",
                "proactive_detection_share",
                "dispute_township_share", "satisfaction", "trust_party_branch",
                "participation_rate", "participation_top10_share", "petitions_per_10k_year",
                "rc_admin_share", "cost_per_resolved", "social_cost_per_resident_year",
                "resolved_per_10k_yuan")
#: Daily metrics drawn over time in sweep plots.
TIMESERIES_OUTCOMES = ("resolution_rate", "satisfaction", "participation_rate", "open_issues",
                       "trust_party_branch", "rc_admin_share")


METRICS_BEGIN = "<!-- metrics: generated by `make docs` from model/catalogue.py; do not edit -->"
METRICS_END = "<!-- /metrics -->"
SUMMARY_TEXT = {"last": "last day", "sum": "sum of days", "run": "whole run", "daily": "—"}


def markdown_table() -> str:
    """Every metric of the catalogue as a table for docs/ODD.md (``make docs``)."""
    rows = ["| Metric | 中文 | Unit | In the summary | Definition |", "|---|---|---|---|---|"]
    for m in METRICS.values():
        cells = [f"`{m.key}`", m.zh, UNIT_NAMES[m.unit][1] or "text", SUMMARY_TEXT[m.summary],
                 m.definition or m.en]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows) + "\n"


def rewrite_block(text: str) -> str:
    """``text`` with the generated metric table between the markers replaced by today's."""
    start, stop = text.index(METRICS_BEGIN) + len(METRICS_BEGIN), text.index(METRICS_END)
    return text[:start] + "\n" + markdown_table() + text[stop:]
