"""Scenarios compared at equal means: what a governance arrangement adds when no one gets more.

A mechanism that adds hours or money is only better than a baseline that is given the same
hours and money. ``cogov compare A B … --equal-cost`` therefore runs every scenario as it is
(*nominal*) and again with its paid means rescaled so that its social cost — money spent plus
paid staff hours and volunteer hours priced (``social_cost_yuan`` of the run summary) — equals
that of the first scenario named (the *reference*).

The rule [design choice, documented here and in docs/scenarios.md]: every organization's paid
staff (``actors.*.staff``) and daily budget (``actors.*.budget_per_day``) is multiplied by one
factor ``k``: the party branch, the residents' committee, the street office, each social
organization and each enterprise. The governance arrangement — coordination, mechanisms and
their parameters, volunteers, the population — is left alone, because it is what is being
compared. Cost does not scale exactly with ``k`` (money is spent only on issues that arise), so
``k`` is found by a few fixed-point steps, ``k ← k · C_ref / C(k)``, on the mean over the same
replicate seeds; the achieved cost ratio is reported with the results.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

import numpy as np

COST = "social_cost_yuan"  # the run summary's measure of all means used
STEPS = 3  # fixed-point steps; two already land within a few per cent [design choice]
MAX_SCALE = 50.0  # a baseline needing more than 50× its staff is reported, not run
#: The outcomes whose lead is reported at nominal means and at equal cost.
LEAD_METRICS = ("resolution_rate", "median_days_report_to_resolution", "mean_days_to_resolve",
                "satisfaction", "petitions_per_10k_year")
SCALED_ACTORS = ("party_branch", "residents_committee", "street_office")
SCALED_LISTS = ("social_organizations", "enterprises")
SUFFIX = " · equal cost"
EQUAL_COST_RULE = ("every organization's staff and budget_per_day multiplied by one factor per "
                   f"scenario, found in {STEPS} fixed-point steps so that its mean {COST} over "
                   "the same seeds equals the reference scenario's")


def scaled_overrides(config, k: float) -> dict[str, Any]:
    """Dotted-key overrides that multiply every organization's paid staff and budget by ``k``."""
    a = config.actors
    out: dict[str, Any] = {}
    for name in SCALED_ACTORS:
        p = getattr(a, name)
        out[f"actors.{name}.staff"] = p.staff * k
        out[f"actors.{name}.budget_per_day"] = p.budget_per_day * k
    for name in SCALED_LISTS:
        for i, p in enumerate(getattr(a, name)):
            out[f"actors.{name}.{i}.staff"] = p.staff * k
            out[f"actors.{name}.{i}.budget_per_day"] = p.budget_per_day * k
    return out


def next_scale(k: float, reference_cost: float, cost: float) -> float:
    """One fixed-point step towards ``cost == reference_cost`` (bounded, never zero)."""
    if not np.isfinite(cost) or cost <= 0:
        return k
    return float(np.clip(k * reference_cost / cost, 1.0 / MAX_SCALE, MAX_SCALE))


def equalise[Key: Hashable](targets: Mapping[Key, float], nominal: Mapping[Key, float],
             measure: Callable[[dict[Key, float], int], Mapping[Key, float]],
             steps: int = STEPS) -> dict[Key, dict[str, float]]:
    """The fixed point of the rule, shared by ``cogov compare`` and experiment files.

    A key is what one scale applies to: a scenario (compare) or a scenario at a design point
    (experiment files). ``targets`` is the reference's mean cost for each key, ``nominal`` the
    key's own mean cost at scale 1. ``measure(scales, step)`` runs every key at its scale (the
    same replicate seeds each time) and returns their mean costs; it is called ``steps`` times,
    and the caller keeps the runs of the last call (``step == steps - 1``), whose scales are
    returned. A key whose cost is not measured keeps its scale. Returns per key its scale and
    the achieved ratio of its cost to the target.
    """
    scales = {key: next_scale(1.0, targets[key], nominal[key]) for key in targets}
    cost: Mapping[Key, float] = {}
    for step in range(steps):
        cost = measure(scales, step)
        if step < steps - 1:
            scales = {key: next_scale(k, targets[key], cost.get(key, float("nan")))
                      for key, k in scales.items()}
    return achieved(scales, cost, targets)


def achieved[Key: Hashable](scales: Mapping[Key, float], cost: Mapping[Key, float],
             targets: Mapping[Key, float]) -> dict[Key, dict[str, float]]:
    """Per key its scale and the ratio of the cost its runs reached to the target."""
    nan = float("nan")
    return {key: {"scale": k, "cost_ratio": cost.get(key, nan) / targets.get(key, nan)}
            for key, k in scales.items()}


def equal_cost_name(name: str) -> str:
    return name + SUFFIX


def base_name(name: str) -> str:
    """The scenario an equal-cost row was made from."""
    return name[:-len(SUFFIX)] if name.endswith(SUFFIX) else name


def surviving_lead(summary, reference: str, metric: str) -> list[dict[str, Any]]:
    """Per other scenario: the reference's lead over it at nominal means and at equal cost, and
    the share of the nominal lead that survives (``nan`` when there was no lead)."""
    cells = summary.set_index(["scenario", "metric"])["mean"]
    rows = []
    for name in dict.fromkeys(summary["scenario"]):
        if name == reference or name.endswith(SUFFIX):
            continue
        equal = equal_cost_name(name)
        if (equal, metric) not in cells.index or (name, metric) not in cells.index:
            continue
        ref = cells[(reference, metric)]
        nominal, at_equal = ref - cells[(name, metric)], ref - cells[(equal, metric)]
        rows.append({"scenario": name, "metric": metric, "lead_nominal": nominal,
                     "lead_equal_cost": at_equal,
                     "surviving_share": at_equal / nominal if nominal else float("nan")})
    return rows


def format_leads(summary, reference: str, scales: dict[str, dict[str, float]],
                 metrics: tuple[str, ...]) -> str:
    """A plain-text table: the reference's lead at nominal means and at equal cost."""
    from cogov.model.catalogue import metric

    lines = [f"equal cost: every other scenario given {reference}'s social cost "
             f"({COST}); scale of its paid staff and budgets, achieved cost ratio:"]
    for name, s in scales.items():
        lines.append(f"  {name}: × {s['scale']:.2f} (cost {s['cost_ratio']:.1%} of the reference)")
    lines.append(f"lead of {reference} (its mean minus the other's): at nominal means → at "
                 "equal cost (share of the nominal lead that survives)")
    width = max(len(metric(key).label()) for key in metrics)
    names = max((len(n) for n in scales), default=0)
    for key in metrics:
        m = metric(key)
        for row in surviving_lead(summary, reference, key):
            share = row["surviving_share"]
            lines.append(f"  {m.label():<{width}}  vs {row['scenario']:<{names}} "
                         f"{m.format(row['lead_nominal'], sign=True):>9} → "
                         f"{m.format(row['lead_equal_cost'], sign=True):>9}"
                         + (f"  ({share:.0%})" if np.isfinite(share) else ""))
    return "\n".join(lines)


MAX_LEGEND = 12  # more scenarios than this and the legend would hide the points


def plot_cost_outcome(summary, path, metrics: tuple[str, ...] = ("resolution_rate",
                                                                  "satisfaction")):
    """Outcome against social cost per resident and year, one point per scenario (or sweep
    group) with its 95% intervals on both axes; equal-cost runs hollow, an arrow from their
    nominal run. Returns what it drew: scenario, metric, cost, outcome, hollow."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cogov.model.catalogue import metric

    cells = summary.set_index(["scenario", "metric"])
    per = "social_cost_per_resident_year"
    names = [n for n in dict.fromkeys(summary["scenario"]) if (n, per) in cells.index]
    fig, axes = plt.subplots(1, len(metrics), figsize=(6.2 * len(metrics), 4.6),
                             constrained_layout=True, squeeze=False)
    colours = plt.get_cmap("tab10")
    bases = list(dict.fromkeys(base_name(n) for n in names))
    drawn = []
    for ax, key in zip(axes.flat, metrics, strict=True):
        for n in names:
            if (n, key) not in cells.index:
                continue
            x, y = cells.loc[(n, per)], cells.loc[(n, key)]
            colour = colours(bases.index(base_name(n)) % 10)
            hollow = n.endswith(SUFFIX)
            drawn.append({"scenario": n, "metric": key, "cost": x["mean"], "outcome": y["mean"],
                          "hollow": hollow})
            ax.errorbar(x["mean"], y["mean"], xerr=(x["ci_high"] - x["ci_low"]) / 2,
                        yerr=(y["ci_high"] - y["ci_low"]) / 2, fmt="o", color=colour,
                        mfc="white" if hollow else colour, capsize=2,
                        label=None if hollow else n)
            if hollow and (base_name(n), per) in cells.index:
                ax.annotate("", (x["mean"], y["mean"]),
                            (cells.loc[(base_name(n), per), "mean"],
                             cells.loc[(base_name(n), key), "mean"]),
                            arrowprops={"arrowstyle": "->", "color": colour, "alpha": 0.6})
        ax.set_xlabel(metric(per).label())
        ax.set_ylabel(metric(key).label())
        ax.set_title(metric(key).title() + " against social cost")
        ax.grid(alpha=0.3)
    if len(bases) <= MAX_LEGEND:
        axes.flat[0].legend(fontsize=8, title="filled: nominal · hollow: equal cost",
                            title_fontsize=8)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    import pandas as pd

    return pd.DataFrame(drawn, columns=["scenario", "metric", "cost", "outcome", "hollow"])
