"""The PNG dashboard of one run: the outcomes a reader looks at first, over time."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from cogov.model.catalogue import CATEGORY_EN, RUN_OUTCOMES, TRUST, metric  # noqa: E402
from cogov.model.config import CATEGORY_NAMES  # noqa: E402
from matplotlib import font_manager  # noqa: E402

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "Source Han Sans SC", "SimHei", "Microsoft YaHei")


def cjk_font() -> str | None:
    """A font that can draw Chinese, if the machine has one."""
    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FONTS if f in available), None)


def title_for(title_en: str, title_zh: str) -> str:
    return f"{title_zh} — {title_en}" if title_zh and cjk_font() else title_en


def _lines(ax, ts: pd.DataFrame, keys: tuple[str, ...], **style) -> None:
    for key in keys:
        ax.plot(ts["day"], ts[key], label=metric(key).label(), **style)


def draw_dashboard(ts: pd.DataFrame, summary: dict, title: str, path: Path) -> None:
    font = cjk_font()
    rc = {"font.family": ["sans-serif"], "font.sans-serif": [font, "DejaVu Sans"] if font
          else ["DejaVu Sans"], "axes.titlesize": 10, "axes.labelsize": 9}
    with plt.rc_context(rc):
        fig, axes = plt.subplots(2, 3, figsize=(15, 8.5), constrained_layout=True)
        day = ts["day"]

        ax = axes[0, 0]
        _lines(ax, ts, ("resolution_rate", "proactive_detection_share",
                        "resolved_in_community_share"))
        ax.set_ylim(0, 1.02)
        ax.set_title("Issues: resolution and detection")
        ax.legend(fontsize=8, loc="lower right")

        ax = axes[0, 1]
        for c in CATEGORY_NAMES:
            ax.plot(day, ts[f"open_{c}"], label=CATEGORY_EN[c])
        ax.set_title("Open issues by category")
        ax.legend(fontsize=8)

        ax = axes[0, 2]
        ax.plot(day, ts["escalations_street"].cumsum(), label="to the street office")
        ax.plot(day, ts["power_referrals"].cumsum(), label="… of which for lack of power",
                linestyle="--")
        ax.plot(day, ts["petitions"].cumsum(), label="petitions (信访)" if font else "petitions")
        ax.plot(day, ts["mass_incidents"].cumsum(), label="mass incidents")
        ax.set_title("Escalations (cumulative)")
        ax.legend(fontsize=8)

        ax = axes[1, 0]
        _lines(ax, ts, ("satisfaction",), linewidth=2)
        _lines(ax, ts, ("grievance",))
        for trust in TRUST[:3]:
            ax.plot(day, ts[trust.key], label=trust.label(), linestyle=":")
        ax.set_ylim(0, 1.02)
        ax.set_title("Residents (population means)")
        ax.legend(fontsize=8)

        ax = axes[1, 1]
        _lines(ax, ts, ("participation_rate", "participation_top10_share", "rc_admin_share"))
        ax.set_ylim(0, 1.02)
        ax.set_title("Participation and administrative burden")
        ax.legend(fontsize=8)

        ax = axes[1, 2]
        ax.axis("off")
        rows = [(metric(key).label(), metric(key).format(summary[key])) for key in RUN_OUTCOMES]
        table = ax.table(cellText=rows, colLabels=["outcome", "value"], cellLoc="left",
                         colWidths=[0.72, 0.28], bbox=[0, 0, 1, 1])
        table.auto_set_font_size(False)
        table.set_fontsize(9)
        ax.set_title("Summary")
        for a in axes.flat[:5]:
            a.set_xlabel("day")
        fig.suptitle(f"{title}  ·  seed {summary['seed']}", fontsize=13)
        fig.savefig(path, dpi=110)
        plt.close(fig)
