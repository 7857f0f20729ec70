"""Every text the visualizer shows, in Chinese and English.

The Chinese terms are the source documents' own (一核引领, 大包大揽, 网格化, 信访 …); scenario names
come from each scenario's ``title_zh`` / ``title_en``. No Solara here, so tests and the figure code
can use it without the ``viz`` extra.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from cogov.model.loading import ScenarioError, load_scenario, scenario_names
from cogov.model.mechanisms import MECHANISMS

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

TEXT: dict[str, tuple[str, str]] = {
    # page
    "app_title": ("社区共治模拟", "Community co-governance simulator"),
    "switch_lang": ("English", "中文"),
    "scenario": ("治理模式", "Governance model"),
    "baseline": ("对照模式", "Baseline"),
    "compare": ("对照比较（同一随机种子）", "Compare with a baseline (same seed)"),
    "seed": ("随机种子", "Random seed"),
    "residents": ("居民人数", "Residents"),
    "levers": ("治理参数（重置后生效）", "Governance levers (applied on Reset)"),
    "levers_pending": ("参数已更改，点“重置”生效", "Levers changed: press Reset to apply"),
    "controls": ("运行", "Run"),
    "step": ("单步", "Step"),
    "play": ("播放", "Play"),
    "pause": ("暂停", "Pause"),
    "reset": ("重置", "Reset"),
    "speed": ("速度（天/秒）", "Speed (days per second)"),
    "speed_max": ("最快", "max"),
    "net_every": ("播放时每隔多少天重绘网络", "Redraw the network every N days while playing"),
    "colour_by": ("居民着色", "Colour residents by"),
    "day": ("第 {day} 天 / 共 {days} 天", "Day {day} of {days}"),
    "finished": ("模拟已结束，点“重置”重新开始", "The run is over: press Reset to start again"),
    "network": ("社区网络", "Community network"),
    "outcomes": ("主要结果", "Key outcomes"),
    "chosen": ("所选模式", "chosen"),
    "baseline_short": ("对照", "baseline"),
    "network_note": (
        "按片区→楼栋→单元布局；大圆点为组织，橙圈：已上交街道的问题，红圈：信访/群体性事件发起人",
        "Laid out by area → building → unit; large dots are organizations; orange ring: issue "
        "escalated to the street office; red ring: petition or mass-incident origin",
    ),
    "ring_street": ("已上交街道的问题（未结）", "escalated to the street office (open)"),
    "ring_petition": ("信访/群体性事件发起人", "petition or mass-incident origin"),
    "no_cjk_font": (
        "本机无中文字体，图中文字以英文显示（可安装 fonts-noto-cjk）",
        "",
    ),
    # KPI cards
    "kpi_mass": ("群体性事件 {n} 起", "mass incidents: {n}"),
    "kpi_top10": ("前10%居民占 {share} 的参与", "top 10% make {share} of acts"),
    "kpi_days_sub": ("已办结问题", "resolved issues"),
    "kpi_sat_sub": ("均值 0–1", "mean, 0–1"),
    "kpi_res_sub": ("已解决 / 已产生", "resolved / created"),
    # plots
    "plot_resolution": ("解决与发现", "Resolution and detection"),
    "plot_open": ("未结问题", "Open issues"),
    "plot_escalation": ("问题上交（累计）", "Escalations (cumulative)"),
    "plot_residents": ("居民满意度与不满", "Satisfaction and grievance"),
    "plot_trust": ("信任", "Trust"),
    "plot_participation": ("参与与行政负担", "Participation and admin burden"),
    "axis_day": ("天", "day"),
    # colouring
    "c_satisfaction": ("满意度", "satisfaction"),
    "c_trust_party": ("对党组织的信任", "trust in the party branch"),
    "c_trust_rc": ("对居委会的信任", "trust in the residents' committee"),
    "c_participation": ("参与倾向", "participation propensity"),
    "c_grievance": ("不满情绪", "grievance"),
    # levers
    "l_coordination": ("协调方式", "Coordination"),
    "mode_none": ("各自为政", "silos (fragmented)"),
    "mode_government": ("大包大揽", "government does everything"),
    "mode_market": ("市场供给", "market provision"),
    "mode_one_core": ("一核引领", "one core leads"),
    "l_grid": ("网格化管理", "Grid management"),
    "l_grid_coverage": ("网格覆盖率", "Grid coverage"),
    "l_admin": ("行政负担", "Administrative burden"),
    "l_admin_task_share": ("行政任务占比（下指标）", "Admin tasks' share of time"),
    "l_admin_empowerment": ("赋权赋能", "Empowerment"),
    "l_volunteers": ("党员志愿者（认岗）", "Party-member volunteers"),
    "l_volunteers_share": ("认岗党员比例", "Share of members on duty"),
    "l_mediation": ("人民调解", "People's mediation"),
    "l_mediation_pay": ("每案补贴（元）", "Pay per case (yuan)"),
    "l_points": ("道德积分", "Moral points bank"),
    "l_points_incentive": ("积分激励", "Points incentive"),
    "on": ("开启", "on"),
    "mechanisms_on": ("已开启的机制", "mechanisms on"),
}

# Each mechanism names itself (model/mechanisms/); a new one needs no entry here.
MECHANISM_NAMES: dict[str, tuple[str, str]] = {
    key: (cls.name_zh or key, cls.name_en or key) for key, cls in MECHANISMS.items()}


def mechanism_name(key: str, lang: Lang) -> str:
    zh, en = MECHANISM_NAMES.get(key, (key, key))
    return zh if lang == "zh" else en


COLOUR_OPTIONS = ("satisfaction", "trust_party", "trust_rc", "participation", "grievance")
COORDINATION_MODES = ("none", "government", "market", "one_core")


def tr(key: str, lang: Lang, **fmt) -> str:
    """The text for ``key`` in ``lang`` (English when a Chinese text is missing)."""
    zh, en = TEXT[key]
    text = zh if lang == "zh" else en
    return (text or en).format(**fmt) if fmt else (text or en)


@dataclass(frozen=True)
class Lever:
    """A governance parameter the trainer can change; applied as an override on Reset."""

    key: str  # dotted scenario key
    label: str  # TEXT key
    kind: Literal["switch", "slider", "select"]
    min: float = 0.0
    max: float = 1.0
    step: float = 0.05
    group: str = ""  # TEXT key of the block it belongs to


LEVERS: tuple[Lever, ...] = (
    Lever("mechanisms.coordination.mode", "l_coordination", "select", group="l_coordination"),
    Lever("mechanisms.grid.enabled", "l_grid", "switch", group="l_grid"),
    Lever("mechanisms.grid.coverage", "l_grid_coverage", "slider", 0.0, 1.0, 0.05, "l_grid"),
    Lever("mechanisms.admin_burden.task_share", "l_admin_task_share", "slider", 0.0, 0.8, 0.05,
          "l_admin"),
    Lever("mechanisms.admin_burden.empowerment", "l_admin_empowerment", "slider", 0.0, 1.0, 0.05,
          "l_admin"),
    Lever("mechanisms.volunteers.enabled", "l_volunteers", "switch", group="l_volunteers"),
    Lever("mechanisms.volunteers.member_active_share", "l_volunteers_share", "slider", 0.0, 1.0,
          0.05, "l_volunteers"),
    Lever("mechanisms.mediation.enabled", "l_mediation", "switch", group="l_mediation"),
    Lever("mechanisms.mediation.pay_per_case", "l_mediation_pay", "slider", 0.0, 500.0, 10.0,
          "l_mediation"),
    Lever("mechanisms.points.enabled", "l_points", "switch", group="l_points"),
    Lever("mechanisms.points.incentive", "l_points_incentive", "slider", 0.0, 0.1, 0.005,
          "l_points"),
)


def lever_value(config, key: str):
    """The value a scenario config gives a dotted key."""
    obj = config
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


@lru_cache(maxsize=64)
def scenario_titles(ref: str) -> tuple[str, str]:
    """(title_zh, title_en) of a shipped scenario name or a YAML path."""
    try:
        cfg = load_scenario(ref).config
    except ScenarioError:
        return ref, ref
    return cfg.title_zh or ref, cfg.title_en or ref


def scenario_label(ref: str, lang: Lang) -> str:
    zh, en = scenario_titles(ref)
    return zh if lang == "zh" else en


def scenario_items(lang: Lang, extra: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Picker entries (``text``, ``value``) for every shipped scenario and any extra file."""
    names = list(scenario_names()) + [e for e in extra if e not in scenario_names()]
    items = []
    for name in names:
        zh, en = scenario_titles(name)
        text = f"{zh}  ·  {name}" if lang == "zh" else f"{en}  ·  {name}"
        items.append({"text": text, "value": name})
    return items


def org_label(org, lang: Lang) -> str:
    """An organization's name: its Chinese name, or its English name."""
    return org.name_zh if lang == "zh" else org.name
