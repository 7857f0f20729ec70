"""The pictures: the community network and the outcome curves, drawn with matplotlib.

No pyplot (each browser session draws on its own ``Figure`` from its own thread) and no Solara.
Positions come from the community's structure — areas side by side, buildings in a grid inside
each area, units along each building, residents scattered around their unit — computed once per
model with NumPy in milliseconds. ``nx.spring_layout`` would take minutes at 10^4 residents.

Each view keeps its figure and artists between frames and only changes colours and data before
saving a PNG, so a redraw costs tens of milliseconds.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache

import matplotlib
import numpy as np
from cogov.model.catalogue import metric as catalogued
from cogov.model.issues import Level, Status
from cogov.model.network import Layer
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from PIL import Image

from .labels import Lang, org_label, scenario_label, tr

MAX_EDGES_DRAWN = 1500  # cross-cutting ties shown; ties inside a unit are implied by the layout
INSTITUTION_COLOURS = ("#c0392b", "#2471a3", "#616a6b", "#17a589", "#b9770e")  # party rc gov so ent
RUN_STYLES = ("-", "--")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    from cogov.experiments.dashboard import cjk_font as find

    return find()


def configure_fonts() -> str | None:
    """Let figures draw Chinese when a CJK font exists: DejaVu Sans first, the CJK font as
    glyph-by-glyph fallback. Called before every draw: under Solara each browser session (kernel)
    has its own ``rcParams``, so this is per session and thread-safe."""
    font = cjk_font()
    if font and matplotlib.rcParams["font.family"] != ["DejaVu Sans", font]:
        matplotlib.rcParams["font.family"] = ["DejaVu Sans", font]
        matplotlib.rcParams["axes.unicode_minus"] = False
    return font


def figure_lang(lang: Lang) -> Lang:
    """The language figures can use: Chinese only when a CJK font is installed."""
    return lang if lang == "en" or configure_fonts() else "en"


def png(fig: Figure, dpi: float) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def encode_canvas(canvas: FigureCanvasAgg) -> bytes:
    """PNG of what the canvas holds now (fast zlib level: frames are many and short-lived)."""
    rgba = np.asarray(canvas.buffer_rgba())
    buf = io.BytesIO()
    Image.fromarray(rgba[..., :3]).save(buf, format="png", compress_level=1)
    return buf.getvalue()


class BlitFigure:
    """A figure whose static part is drawn once and kept as a bitmap; each frame restores it and
    draws only the ``animated`` artists (blitting), which is several times cheaper than a full
    draw. ``static_key`` changes (language, colouring, rescaled axes) trigger a full draw."""

    DPI = 80

    def __init__(self, size: tuple[float, float]):
        configure_fonts()
        self.fig = Figure(figsize=size, dpi=self.DPI)  # DPI: a class attribute
        self.canvas = FigureCanvasAgg(self.fig)
        self._key = None
        self._background = None
        self.animated: list = []

    def frame(self, static_key) -> bytes:
        configure_fonts()
        if static_key != self._key or self._background is None:
            self.canvas.draw()  # everything but the animated artists
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self._key = static_key
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in self.animated:
            if artist.get_visible():
                artist.draw(renderer)
        return encode_canvas(self.canvas)


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------


@dataclass
class Layout:
    xy: np.ndarray  # (n, 2) resident positions
    buildings: np.ndarray  # (n_buildings, 4) x, y, width, height
    areas: np.ndarray  # (n_areas, 4)
    extent: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax of the residents' part


def _grid_shape(n_areas: int, per_area: int, gap: float, aspect: float) -> tuple[int, int]:
    """Buildings per row inside an area and areas per row, closest to the wanted aspect."""
    best, best_score = (1, 1), math.inf
    for acols in range(1, n_areas + 1):
        arows = math.ceil(n_areas / acols)
        for cols in range(1, per_area + 1):
            rows = math.ceil(per_area / cols)
            width, height = acols * (cols + gap), arows * (rows + gap)
            score = abs(math.log(width / height / aspect))
            if score < best_score - 1e-9:
                best, best_score = (cols, acols), score
    return best


def structure_layout(community, seed: int = 0, aspect: float = 1.1) -> Layout:
    """Positions from the structure: area → building → unit → resident (vectorized).

    Areas are blocks in a grid, buildings a grid inside their area, a building's units side by
    side along it, and residents scattered inside their unit's slot. Cost: milliseconds at 10^5
    residents (``nx.spring_layout`` takes minutes at 10^4)."""
    rng = np.random.default_rng(seed)
    nb, na = community.n_buildings, community.n_areas
    unit_building = np.asarray(community.unit_building)
    building_area = np.zeros(nb, dtype=np.int64)
    building_area[community.building] = community.area
    units_in_building = np.bincount(unit_building, minlength=nb)
    first_unit = np.concatenate(([0], np.cumsum(units_in_building)[:-1]))

    per_area = np.bincount(building_area, minlength=na)
    gap = 0.6
    cols, acols = _grid_shape(na, int(per_area.max()), gap, aspect)
    rows = math.ceil(per_area.max() / cols)
    rank = np.arange(nb) - np.concatenate(([0], np.cumsum(per_area)[:-1]))[building_area]
    bx = (building_area % acols) * (cols + gap) + rank % cols
    by = -((building_area // acols) * (rows + gap) + rank // cols)
    bw, bh = 0.86, 0.62
    buildings = np.column_stack([bx, by, np.full(nb, bw), np.full(nb, bh)]).astype(float)
    a = np.arange(na)
    areas = np.column_stack([(a % acols) * (cols + gap) - 0.15,
                             -((a // acols) * (rows + gap)) - (rows - 1) - 0.15,
                             np.full(na, cols - 1 + bw + 0.3),
                             np.full(na, rows - 1 + bh + 0.3)]).astype(float)

    unit = np.asarray(community.unit)
    b = np.asarray(community.building)
    slot = unit - first_unit[b]
    width = bw / units_in_building[b]
    x = bx[b] + (slot + 0.5 + 0.8 * (rng.random(unit.size) - 0.5)) * width
    y = by[b] + bh * (0.5 + 0.84 * (rng.random(unit.size) - 0.5))
    extent = (float(areas[:, 0].min()), float((areas[:, 0] + areas[:, 2]).max()),
              float(areas[:, 1].min()), float((areas[:, 1] + areas[:, 3]).max()))
    return Layout(np.column_stack([x, y]), buildings, areas, extent)


def escalated_origins(model) -> tuple[np.ndarray, np.ndarray]:
    """Residents behind issues escalated to the street office (still open), and behind petitions
    or mass incidents (ever)."""
    t = model.issues
    n = len(t)
    level, status, origin = t.level[:n], t.status[:n], t.origin[:n]
    street = origin[(status == Status.OPEN) & (level >= Level.STREET) & (origin >= 0)]
    petition = origin[(level >= Level.PETITION) & (origin >= 0)]
    return np.unique(street), np.unique(petition)


def resident_values(model, colour_by: str) -> np.ndarray:
    pop = model.population
    if colour_by == "satisfaction":
        return pop.satisfaction
    if colour_by == "trust_party":
        return pop.trust[:, 0]
    if colour_by == "trust_rc":
        return pop.trust[:, 1]
    if colour_by == "participation":
        return pop.participation
    if colour_by == "grievance":
        return pop.grievance
    raise ValueError(f"unknown colouring {colour_by!r}")


def model_day(model) -> int:
    return len(model.datacollector.model_vars.get("day", ()))


# ---------------------------------------------------------------------------------------------
# The network
# ---------------------------------------------------------------------------------------------


class NetworkView(BlitFigure):
    """The community of one model. Static: areas, buildings, a sample of the ties that cross
    units (ties inside a unit are implied by the layout), legend and colour bar. Each frame:
    resident colours, escalation rings, organizations (size grows with the open issues they
    hold) and the title."""

    DPI = 96

    def __init__(self, model, size: tuple[float, float] = (6.0, 4.6)):
        super().__init__(size)
        self.model = model
        self.layout = lay = structure_layout(model.community, aspect=1.15)
        n = model.population.n
        x0, x1, y0, y1 = lay.extent
        width = x1 - x0
        self.org_x = x1 + 0.06 * width + 0.3
        xlim = (x0 - 0.02 * width, x1 + 0.45 * width + 2.5)
        ylim = (y0 - 0.02 * (y1 - y0), y1 + 0.02 * (y1 - y0))
        # the figure's height follows the layout's shape: no empty bands above and below
        fig = self.fig
        top_in, bottom_in = 0.3, 0.8
        axes_h = size[0] * 0.98 * (ylim[1] - ylim[0]) / (xlim[1] - xlim[0])
        height = float(np.clip(axes_h + top_in + bottom_in, 3.0, 9.0))
        fig.set_size_inches(size[0], height)
        fig.subplots_adjust(left=0.01, right=0.99, top=1 - top_in / height,
                            bottom=bottom_in / height)
        ax = self.ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_aspect("equal")
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.add_collection(PatchCollection(
            [Rectangle((x, y), w, h) for x, y, w, h in lay.areas],
            facecolor="#f4f6f7", edgecolor="#d5d8dc", linewidth=0.8, zorder=0))
        ax.add_collection(PatchCollection(
            [Rectangle((x, y), w, h) for x, y, w, h in lay.buildings],
            facecolor="#e5e8e8", edgecolor="#cacfd2", linewidth=0.5, zorder=1))
        net = model.network
        cross = np.flatnonzero(net.layer >= Layer.ASSOCIATION)
        if cross.size > MAX_EDGES_DRAWN:
            cross = np.random.default_rng(1).choice(cross, MAX_EDGES_DRAWN, replace=False)
        segs = np.stack([lay.xy[net.src[cross]], lay.xy[net.dst[cross]]], axis=1)
        ax.add_collection(LineCollection(segs, colors="#85929e", linewidths=0.3, alpha=0.18,
                                         zorder=2))
        size_pt = float(np.clip(12000.0 / max(n, 1), 0.6, 16.0))
        self.norm = Normalize(0.0, 1.0)
        self.dots = ax.scatter(lay.xy[:, 0], lay.xy[:, 1], s=size_pt, c=np.zeros(n),
                               cmap="RdYlGn", norm=self.norm, linewidths=0, zorder=3,
                               animated=True)
        ring = max(size_pt * 6, 28.0)
        self.street = ax.scatter([], [], s=ring, facecolors="none", edgecolors="#e67e22",
                                 linewidths=1.2, zorder=4, animated=True)
        self.petition = ax.scatter([], [], s=ring * 2.2, facecolors="none",
                                   edgecolors="#c0392b", linewidths=2.0, zorder=5, animated=True)
        cax = fig.add_axes((0.06, 0.42 / height, 0.36, 0.12 / height))
        self.cbar = fig.colorbar(self.dots, cax=cax, orientation="horizontal")
        self.cbar.ax.tick_params(labelsize=7)
        self.orgs = ax.scatter(np.zeros(0), np.zeros(0), s=np.zeros(0), edgecolors="white",
                               linewidths=1.2, zorder=6, animated=True)
        self.org_texts: list = []
        self.title = ax.text(0.5, 1.01, "", transform=ax.transAxes, ha="center", va="bottom",
                             fontsize=10, animated=True)
        self._legend_key = None

    def _static(self, colour_by: str, lang: Lang) -> None:
        self.dots.set_cmap("RdYlGn_r" if colour_by == "grievance" else "RdYlGn")
        self.cbar.set_label(tr(f"c_{colour_by}", lang), fontsize=8)
        if self._legend_key != lang:
            handles = [
                Line2D([], [], marker="o", linestyle="none", markerfacecolor="none",
                       markeredgecolor="#e67e22", markersize=7, markeredgewidth=1.2),
                Line2D([], [], marker="o", linestyle="none", markerfacecolor="none",
                       markeredgecolor="#c0392b", markersize=9, markeredgewidth=2.0),
            ]
            labels = [tr("ring_street", lang), tr("ring_petition", lang)]
            if getattr(self, "legend", None) is not None:
                self.legend.remove()
            self.legend = self.fig.legend(handles, labels, loc="lower right", fontsize=7,
                                          frameon=False, bbox_to_anchor=(0.99, 0.01), ncol=1)
            self._legend_key = lang

    def render(self, colour_by: str = "satisfaction", lang: Lang = "en", title: str = "") -> bytes:
        model = self.model
        flang = figure_lang(lang)
        self._static(colour_by, flang)
        self.dots.set_array(resident_values(model, colour_by))
        street, petition = escalated_origins(model)
        xy = self.layout.xy
        self.street.set_offsets(xy[street] if street.size else np.empty((0, 2)))
        self.petition.set_offsets(xy[petition] if petition.size else np.empty((0, 2)))

        active = [h for h in model.handlers if h.active]
        x0, x1, y0, y1 = self.layout.extent
        pad = 0.06 * (y1 - y0)
        ys = (np.linspace(y1 - pad, y0 + pad, num=len(active)) if len(active) > 1
              else np.full(len(active), (y0 + y1) / 2))
        t = model.issues
        n = len(t)
        held = t.handler[:n][t.status[:n] == Status.OPEN]
        queue = np.bincount(held[held >= 0], minlength=len(model.handlers))
        self.orgs.set_offsets(np.column_stack([np.full(len(active), self.org_x), ys])
                              if active else np.empty((0, 2)))
        self.orgs.set_sizes([90 + 30 * math.sqrt(queue[h.slot]) for h in active])
        self.orgs.set_facecolors([INSTITUTION_COLOURS[int(h.institution)] for h in active])
        for text in self.org_texts:
            text.remove()
        self.org_texts = [
            self.ax.text(self.org_x + 0.03 * (x1 - x0) + 0.25, y,
                         f"{org_label(h, flang)} ({queue[h.slot]})", fontsize=7, va="center",
                         ha="left", zorder=7, clip_on=False, animated=True)
            for h, y in zip(active, ys, strict=True)
        ]
        day = tr("day", flang, day=model_day(model), days=model.config.days)
        self.title.set_text(f"{title}  ·  {day}" if title else day)
        self.animated = [self.dots, self.street, self.petition, self.orgs, *self.org_texts,
                         self.title]
        return self.frame((colour_by, flang))


# ---------------------------------------------------------------------------------------------
# Outcome curves
# ---------------------------------------------------------------------------------------------

PANELS: tuple[tuple[str, tuple[str, ...], bool, bool], ...] = (
    # title key, metrics, shares in [0, 1], cumulative
    ("plot_resolution", ("resolution_rate", "proactive_detection_share",
                         "resolved_in_community_share"), True, False),
    ("plot_open", ("open_issues",), False, False),
    ("plot_escalation", ("escalations_street", "petitions", "mass_incidents"), False, True),
    ("plot_residents", ("satisfaction", "grievance"), True, False),
    ("plot_trust", ("trust_party_branch", "trust_residents_committee", "trust_gov"), True, False),
    ("plot_participation", ("participation_rate", "participation_top10_share",
                            "rc_admin_share"), True, False),
)
METRIC_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c")
SHARE_TOP = 1.32  # room above 1.0 for the legend


def _nice_top(value: float) -> float:
    """An axis top above ``value`` with headroom, from 1-2-5 steps (so it changes rarely)."""
    value = max(value, 1.0) * 1.45
    mag = 10 ** math.floor(math.log10(value))
    return next(m * mag for m in (1, 2, 5, 10) if m * mag >= value)


class SeriesView(BlitFigure):
    """Six small panels of outcomes over the run's horizon. In comparison mode both runs share
    each panel's axes (solid: the chosen scenario, dashed: the baseline). Axes stay fixed (x to
    the horizon, shares 0–1, counts on 1-2-5 steps), so a frame only redraws the lines."""

    def __init__(self, runs, lang: Lang = "en", size: tuple[float, float] = (13.0, 5.2)):
        super().__init__(size)
        self.lang = figure_lang(lang)
        self.n_runs = len(runs)
        fig = self.fig
        fig.subplots_adjust(left=0.035, right=0.995, bottom=0.07,
                            top=0.87 if len(runs) > 1 else 0.94, wspace=0.14, hspace=0.3)
        self.axes = fig.subplots(2, 3).ravel()
        days = max(r.days for r in runs)
        self.lines: list[list[tuple[str, bool, object, int]]] = []
        self.tops = [SHARE_TOP if share else 10.0 for _, _, share, _ in PANELS]
        for ax, (title, metrics, share, cumulative), top in zip(self.axes, PANELS, self.tops,
                                                                strict=True):
            ax.set_title(tr(title, self.lang), fontsize=10)
            ax.set_xlim(0, days)
            ax.set_ylim(0, top)
            if share:
                ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
            panel = []
            for r, _run in enumerate(runs):
                for metric, colour in zip(metrics, METRIC_COLOURS, strict=False):
                    label = catalogued(metric).label(self.lang, short=True) if r == 0 else None
                    (line,) = ax.plot([], [], RUN_STYLES[r % 2], color=colour, label=label,
                                      linewidth=1.6 if r == 0 else 1.3, animated=True)
                    panel.append((metric, cumulative, line, r))
            ax.legend(fontsize=7, loc="upper left", ncol=3 if share else 1, frameon=False,
                      handlelength=1.5, columnspacing=0.8)
            self.lines.append(panel)
        if len(runs) > 1:
            fig.suptitle(f"——  {scenario_label(runs[0].scenario, self.lang)}"
                         f"        - - -  {scenario_label(runs[1].scenario, self.lang)}",
                         fontsize=10)
        self.animated = [line for panel in self.lines for (_, _, line, _) in panel]

    def render(self, runs) -> bytes:
        for i, (ax, panel, (_, _, share, _)) in enumerate(zip(self.axes, self.lines, PANELS,
                                                              strict=True)):
            peak = 0.0
            for metric, cumulative, line, r in panel:
                y = runs[r].series(metric)
                if cumulative:
                    y = np.cumsum(y)
                line.set_data(np.arange(y.size), y)
                if y.size:
                    peak = max(peak, float(y.max()))
            if not share and peak > self.tops[i] / 1.25:
                self.tops[i] = _nice_top(peak)
                ax.set_ylim(0, self.tops[i])
        return self.frame(tuple(self.tops))
