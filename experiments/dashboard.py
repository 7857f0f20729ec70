"""The PNG dashboard of one run: the outcomes a reader looks at first, over time."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
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


def draw_dashboard(ts: pd.DataFrame, summary: dict, title: str, path: Path) -> None:
    font = cjk_font()
    rc = {"font.family": ["sans-serif"], "font.sans-serif": [font, "DejaVu Sans"] if font
          else ["DejaVu Sans"], "axes.titlesize": 10, "axes.labelsize": 9}
    with plt.rc_context(rc):
        fig, axes = plt.subplots(2, 3, figsize=(15, 8.5), constrained_layout=True)
        day = ts["day"]

        ax = axes[0, 0]
        ax.plot(day, ts["resolution_rate"], label="resolution rate (cumulative)")
        ax.plot(day, ts["proactive_detection_share"], label="found proactively (share)")
        ax.plot(day, ts["resolved_in_community_share"], label="resolved within community")
        ax.set_ylim(0, 1.02)
        ax.set_title("Issues: resolution and detection")
        ax.legend(fontsize=8, loc="lower right")

        ax = axes[0, 1]
        for c in CATEGORY_NAMES:
            ax.plot(day, ts[f"open_{c}"], label=c)
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
        ax.plot(day, ts["satisfaction"], label="satisfaction", linewidth=2)
        ax.plot(day, ts["grievance"], label="grievance")
        for key, label in (("trust_party_branch", "trust: party branch"),
                           ("trust_residents_committee", "trust: residents' committee"),
                           ("trust_gov", "trust: street office")):
            ax.plot(day, ts[key], label=label, linestyle=":")
        ax.set_ylim(0, 1.02)
        ax.set_title("Residents (population means)")
        ax.legend(fontsize=8)

        ax = axes[1, 1]
        ax.plot(day, ts["participation_rate"], label="participating (last 30 days)")
        ax.plot(day, ts["participation_top10_share"], label="share of acts by top 10%")
        ax.plot(day, ts["rc_admin_share"], label="committee time on admin tasks")
        ax.set_ylim(0, 1.02)
        ax.set_title("Participation and administrative burden")
        ax.legend(fontsize=8)

        ax = axes[1, 2]
        ax.axis("off")
        rows = [
            ("residents", f"{summary['residents']:,}"),
            ("days", f"{summary['days']}"),
            ("issues created", f"{summary['issues_created']:,}"),
            ("resolution rate", f"{summary['resolution_rate']:.1%}"),
            ("mean days to resolve", f"{summary['mean_days_to_resolve']:.1f}"),
            ("found proactively", f"{summary['proactive_detection_share']:.1%}"),
            ("petitions / mass incidents",
             f"{summary['petitions']:.0f} / {summary['mass_incidents']:.0f}"),
            ("satisfaction (end)", f"{summary['satisfaction']:.3f}"),
            ("participation rate (end)", f"{summary['participation_rate']:.1%}"),
            ("top-10% share of participation", f"{summary['participation_top10_share']:.1%}"),
            ("committee admin share", f"{summary['rc_admin_share']:.1%}"),
            ("cost per resolved issue", f"¥{summary['cost_per_resolved']:.0f}"),
        ]
        table = ax.table(cellText=rows, colLabels=["outcome", "value"], loc="center",
                         cellLoc="left", colWidths=[0.62, 0.38])
        table.auto_set_font_size(False)
        table.set_fontsize(9)
        table.scale(1, 1.35)
        ax.set_title("Summary")
        for a in axes.flat[:5]:
            a.set_xlabel("day")
        fig.suptitle(f"{title}  ·  seed {summary['seed']}", fontsize=13)
        fig.savefig(path, dpi=110)
        plt.close(fig)
