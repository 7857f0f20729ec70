"""The browser visualizer (Solara): network, outcome curves, KPI cards, controls, comparison.

Run it with ``cogov viz [SCENARIO]``; Solara serves :func:`Page`. Every browser tab renders its
own ``Page`` and so owns its own :class:`~cogov.viz.session.Session` (models, figures, play
thread): a classroom of trainees each steer their own community.

Why a Solara page rather than Mesa's ``SolaraViz`` — see ``viz/__init__.py``.

Speed: a model day of a 2,000-resident community costs about a millisecond; drawing costs more.
While playing, the loop steps the days due at the chosen speed, then redraws the KPI cards and
the outcome curves (blitted: ~10 ms), and the network only every N days (~30–60 ms) and when
paused. When drawing lags, several days go into one frame, so the speed holds.
"""

from __future__ import annotations

import html
import os
import time
from typing import Any

import solara
import solara.lab
from cogov.model.catalogue import metric
from cogov.model.loading import ScenarioError, load_scenario

from .figures import NetworkView, SeriesView, cjk_font
from .labels import (
    COLOUR_OPTIONS,
    COORDINATION_MODES,
    LANGS,
    LEVERS,
    Lang,
    mechanism_name,
    scenario_items,
    scenario_label,
    tr,
)
from .session import DEFAULT_BASELINE, DEFAULT_RESIDENTS, DEFAULT_SCENARIO, DEFAULT_SEED, Session

SPEEDS = (1, 5, 10, 30, 100, 0)  # days per second; 0 = as fast as the machine draws
DEFAULT_SPEED = 30
NET_EVERY = (10, 30, 90, 365)
DEFAULT_NET_EVERY = 30
MAX_DAYS_PER_FRAME = 60


def _env_defaults() -> dict[str, Any]:
    """Initial settings handed over by ``cogov viz`` through the environment."""
    env = os.environ
    return {
        "scenario": env.get("COGOV_VIZ_SCENARIO", DEFAULT_SCENARIO),
        "seed": int(env.get("COGOV_VIZ_SEED", DEFAULT_SEED)),
        "residents": int(env.get("COGOV_VIZ_RESIDENTS", DEFAULT_RESIDENTS)),
        "lang": env.get("COGOV_VIZ_LANG", "zh") if env.get("COGOV_VIZ_LANG", "zh") in LANGS
        else "zh",
    }


# ---------------------------------------------------------------------------------------------
# Pieces
# ---------------------------------------------------------------------------------------------


KPI_CARD_STYLE = ("flex:1 1 150px; min-width:150px; padding:8px 12px; border-radius:6px; "
                  "background:#f7f9fa; border:1px solid #e1e5e8")


def _kpi_html(title: str, values: list[tuple[str, str]], sub: str) -> str:
    rows = "".join(
        f'<div style="display:flex;align-items:baseline;gap:6px">'
        f'<span style="font-size:{22 if i == 0 else 15}px;font-weight:{600 if i == 0 else 400};'
        f'color:{"#1a5276" if i == 0 else "#7b7d7d"}">{v}</span>'
        f'<span style="font-size:11px;color:#7b7d7d">{who}</span></div>'
        for i, (v, who) in enumerate(values))
    return (f'<div style="{KPI_CARD_STYLE}"><div style="font-size:12px;color:#566573">{title}'
            f'</div>{rows}<div style="font-size:11px;color:#95a5a6">{sub}</div></div>')


@solara.component
def KpiCards(session: Session, lang: Lang, tick: solara.Reactive[int]):
    """Resolution rate, days to resolve, petitions, satisfaction, participation breadth."""
    tick.value  # noqa: B018 -- re-render on every frame (only this component)
    kpis = [run.kpis() for run in session.runs]
    who = ([tr("chosen", lang), tr("baseline_short", lang)] if len(kpis) > 1 else [""])

    def vals(fmt):
        return [(fmt(k), w) for k, w in zip(kpis, who, strict=True)]

    def card(key: str, sub: str) -> str:
        m = metric(key)
        return _kpi_html(m.title(lang), vals(lambda k: m.format(k[key])), sub)

    cards = [
        card("resolution_rate", tr("kpi_res_sub", lang)),
        card("mean_days_to_resolve", tr("kpi_days_sub", lang)),
        card("petitions", tr("kpi_mass", lang, n=" / ".join(
            metric("mass_incidents").format(k["mass_incidents"]) for k in kpis))),
        card("satisfaction", tr("kpi_sat_sub", lang)),
        card("participation_rate", tr("kpi_top10", lang, share=metric(
            "participation_top10_share").format(kpis[0]["participation_top10_share"]))),
    ]
    solara.HTML(tag="div", unsafe_innerHTML="".join(cards),
                style="display:flex; flex-wrap:wrap; gap:8px; width:100%",
                classes=["cogov-kpis"])


@solara.component
def NetworkImage(session: Session, views: dict, index: int, colour_by: str, lang: Lang,
                 net_tick: solara.Reactive[int]):
    run = session.runs[index]
    key = ("net", session.generation, index)

    def draw() -> bytes:
        view = views.get(key)
        if view is None:
            view = views[key] = NetworkView(run.model)
        return view.render(colour_by, lang, scenario_label(run.scenario, lang))

    image = solara.use_memo(draw, [session.generation, index, colour_by, lang, net_tick.value])
    solara.Image(image, width="100%", classes=["cogov-network"])


@solara.component
def SeriesImage(session: Session, views: dict, lang: Lang, tick: solara.Reactive[int]):
    key = ("series", session.generation, lang, len(session.runs))

    def draw() -> bytes:
        view = views.get(key)
        if view is None:
            for old in [k for k in views if k[0] == "series"]:
                del views[old]
            view = views[key] = SeriesView(session.runs, lang)
        return view.render(session.runs)

    image = solara.use_memo(draw, [key, tick.value])
    solara.Image(image, width="100%", classes=["cogov-series"])


@solara.component
def ScenarioInfo(session: Session, lang: Lang, generation: int):
    """What the chosen scenario represents, with its sources (plain HTML: solara.Markdown would
    fetch mermaid from a CDN, which an offline classroom cannot)."""
    cfg = session.runs[0].model.config
    on = [k for k, v in cfg.mechanisms.model_dump().items()
          if k != "coordination" and v.get("enabled") is True]
    mode = cfg.mechanisms.coordination.mode
    cites = "; ".join(p.cite for p in cfg.provenance[:5])
    e = html.escape
    sep = "、" if lang == "zh" else ", "
    solara.HTML(tag="div", classes=["cogov-info"], style="font-size:13px; line-height:1.45",
                unsafe_innerHTML=(
                    f'<div style="font-size:18px;font-weight:600">{e(cfg.title_zh)}</div>'
                    f'<div style="font-weight:600;margin-bottom:6px">{e(cfg.title_en)}</div>'
                    f'<div style="color:#566573">{e(cfg.place)}</div>'
                    f'<p style="margin:6px 0">{e(cfg.summary)}</p>'
                    f'<div><i>{e(tr("l_coordination", lang))}</i>: '
                    f'{e(tr("mode_" + mode, lang))}</div>'
                    f'<div><i>{e(tr("mechanisms_on", lang))}</i>: '
                    f'{e(sep.join(mechanism_name(k, lang) for k in on) or "–")}</div>'
                    f'<div style="color:#95a5a6;font-size:11px;margin-top:6px">{e(cites)}</div>'))


def _decimals(lever) -> int:
    return 3 if lever.step < 0.01 else 2


@solara.component
def LeverPanel(session: Session, lang: Lang, on_change, version: int):
    """Sliders and switches for the main governance parameters; applied on Reset."""
    for lever in LEVERS:
        value = session.levers[lever.key]

        def set_value(v, key=lever.key):
            on_change(key, v)

        if lever.kind == "select":
            solara.v.Select(
                label=tr(lever.label, lang), v_model=value, on_v_model=set_value, dense=True,
                items=[{"text": tr(f"mode_{m}", lang), "value": m} for m in COORDINATION_MODES],
                class_="cogov-lever-mode")
        elif lever.kind == "switch":
            solara.Checkbox(label=tr(lever.label, lang), value=bool(value), on_value=set_value,
                            style="margin-top:6px")
        elif lever.max - lever.min > 50:
            solara.SliderInt(f"{tr(lever.label, lang)}: {int(value)}", value=int(value),
                             on_value=set_value, min=int(lever.min), max=int(lever.max),
                             step=int(lever.step))
        else:
            solara.SliderFloat(f"{tr(lever.label, lang)}: {float(value):.{_decimals(lever)}f}",
                               value=float(value), on_value=set_value, min=lever.min,
                               max=lever.max, step=lever.step)


@solara.component
def Controls(session: Session, lang: Lang, playing: solara.Reactive[bool],
             tick: solara.Reactive[int], on_step, on_reset, on_lang):
    """Step / Play / Reset, the language switch and the day; re-renders on every frame, so the
    rest of the page does not."""
    tick.value  # noqa: B018
    with solara.Row(gap="8px", style="align-items:center"):
        solara.Button(tr("step", lang), on_click=on_step, color="primary",
                      disabled=playing.value or session.finished, classes=["cogov-step"])
        solara.Button(tr("pause", lang) if playing.value else tr("play", lang),
                      on_click=lambda: playing.set(not playing.value), color="primary",
                      disabled=session.finished and not playing.value, classes=["cogov-play"])
        solara.Button(tr("reset", lang), on_click=on_reset, outlined=True,
                      classes=["cogov-reset"])
        solara.Button(tr("switch_lang", lang), outlined=True, classes=["cogov-lang"],
                      on_click=on_lang)
        solara.Text(tr("day", lang, day=session.day, days=session.days), classes=["cogov-day"],
                    style="margin-left:12px; font-size:16px")
        if session.finished:
            solara.Text(tr("finished", lang), style="color:#7b7d7d")


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


@solara.component
def App(scenario: str = DEFAULT_SCENARIO, seed: int = DEFAULT_SEED,
        residents: int = DEFAULT_RESIDENTS, lang: Lang = "zh", compare: bool = False,
        baseline: str = DEFAULT_BASELINE, session: Session | None = None):
    """The whole visualizer; the arguments are the initial settings of this browser session
    (or an existing ``session``, which tests use to look inside)."""
    given = session
    session = solara.use_memo(
        lambda: given or Session(scenario=scenario, seed=seed, residents=residents,
                                 compare=compare, baseline=baseline), [])
    views: dict = solara.use_memo(dict, [])
    lang_r = solara.use_reactive(lang)
    colour_by = solara.use_reactive("satisfaction")
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(DEFAULT_SPEED)
    net_every = solara.use_reactive(DEFAULT_NET_EVERY)
    tick = solara.use_reactive(0)  # curves and cards
    net_tick = solara.use_reactive(0)  # the network
    version = solara.use_reactive(0)  # settings and levers
    error = solara.use_reactive("")
    L: Lang = lang_r.value

    def refresh(network: bool = True) -> None:
        tick.value += 1
        if network:
            net_tick.value += 1

    def rebuild(action) -> None:
        playing.value = False
        with session.lock:
            try:
                action()
                error.value = ""
            except (ScenarioError, ValueError) as exc:
                error.value = str(exc)
        views.clear()
        version.value += 1
        refresh()

    def play_loop() -> None:
        """Runs in a thread while playing: step the days due, redraw, repeat."""
        start = time.perf_counter()
        done = 0
        last_net = session.day
        current_speed = speed.value
        while playing.value and not session.finished:
            if speed.value != current_speed:  # a new speed counts from now
                current_speed, start, done = speed.value, time.perf_counter(), 0
            if current_speed:
                due = int((time.perf_counter() - start) * current_speed) - done
                if due <= 0:
                    time.sleep(min(0.05, (done + 1) / current_speed
                                   - (time.perf_counter() - start)))
                    continue
                due = min(due, MAX_DAYS_PER_FRAME)
                done += session.step(due)
            else:  # as fast as possible: a frame every ~0.1 s, the days in between unseen
                frame_start = time.perf_counter()
                while (time.perf_counter() - frame_start < 0.1 and not session.finished
                       and playing.value):
                    done += session.step(1)
            if session.day - last_net >= net_every.value or session.finished:
                last_net = session.day
                refresh(network=True)
            else:
                refresh(network=False)
        if playing.value:  # reached the horizon
            playing.value = False
        net_tick.value += 1

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def do_step() -> None:
        session.step(1)
        refresh()

    def do_reset() -> None:
        rebuild(session.reset)

    def set_lever(key: str, value) -> None:
        session.levers[key] = value
        version.value += 1

    def choose(name: str) -> None:
        if name and name != session.scenario:
            rebuild(lambda: session.choose(name))

    def set_compare(value: bool) -> None:
        session.compare = bool(value)
        rebuild(session.reset)

    def set_baseline(name: str) -> None:
        if name:
            session.baseline = name
            rebuild(session.reset)

    def set_seed(value) -> None:
        session.seed = int(value or 0)
        version.value += 1

    def set_residents(value) -> None:
        session.residents = int(value)
        version.value += 1

    extra = (session.scenario,) if session.scenario.endswith((".yaml", ".yml")) else ()
    solara.Title(tr("app_title", L))
    with solara.AppBar():
        solara.AppBarTitle(tr("app_title", L))

    with solara.Sidebar():
        with solara.Column(gap="4px"):
            solara.v.Select(label=tr("scenario", L), v_model=session.scenario, on_v_model=choose,
                            items=scenario_items(L, extra), class_="cogov-scenario", dense=True)
            solara.v.Switch(label=tr("compare", L), v_model=session.compare,
                            on_v_model=set_compare, class_="cogov-compare", dense=True,
                            hide_details=True)
            if session.compare:
                solara.v.Select(label=tr("baseline", L), v_model=session.baseline,
                                on_v_model=set_baseline, items=scenario_items(L), dense=True,
                                class_="cogov-baseline")
            solara.v.Select(label=tr("colour_by", L), v_model=colour_by.value,
                            on_v_model=colour_by.set, dense=True, class_="cogov-colour",
                            items=[{"text": tr(f"c_{c}", L), "value": c}
                                   for c in COLOUR_OPTIONS])
            solara.v.Select(label=tr("speed", L), v_model=speed.value, on_v_model=speed.set,
                            dense=True, class_="cogov-speed",
                            items=[{"text": str(s) if s else tr("speed_max", L), "value": s}
                                   for s in SPEEDS])
            solara.v.Select(label=tr("net_every", L), v_model=net_every.value,
                            on_v_model=net_every.set, dense=True,
                            items=[{"text": str(n), "value": n} for n in NET_EVERY])
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(tr("levers", L)),
                        style="font-weight:600; margin-top:8px")
            LeverPanel(session, L, set_lever, version.value)
            solara.SliderInt(f'{tr("residents", L)}: {session.residents}',
                             value=session.residents,
                             on_value=set_residents, min=500, max=10000, step=500)
            solara.InputInt(tr("seed", L), value=session.seed, on_value=set_seed)
            if session.pending:
                solara.Warning(tr("levers_pending", L), dense=True, classes=["cogov-pending"])

    with solara.Column(gap="8px", style="padding: 4px 12px"):
        Controls(session, L, playing, tick, on_step=do_step, on_reset=do_reset,
                 on_lang=lambda: lang_r.set("en" if L == "zh" else "zh"))
        if error.value:
            solara.Error(error.value)
        KpiCards(session, L, tick)
        if len(session.runs) > 1:
            with solara.Columns([1, 1]):
                NetworkImage(session, views, 0, colour_by.value, L, net_tick)
                NetworkImage(session, views, 1, colour_by.value, L, net_tick)
        else:
            with solara.Columns([3, 2]):
                NetworkImage(session, views, 0, colour_by.value, L, net_tick)
                ScenarioInfo(session, L, session.generation)
        note = tr("network_note", L)
        if L == "zh" and not cjk_font():
            note += " · " + tr("no_cjk_font", L)
        solara.Text(note, style="font-size:12px; color:#7b7d7d")
        SeriesImage(session, views, L, tick)


@solara.component
def Page():
    """Solara's entry point: one :func:`App` per browser session, set up from ``cogov viz``."""
    App(**_env_defaults())


def check_scenario(ref: str) -> None:
    """Raise :class:`ScenarioError` unless ``ref`` loads (a shipped name or a YAML file)."""
    load_scenario(ref)
