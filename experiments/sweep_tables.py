"""A sweep's results in plain text: outcomes per group, per 10,000 yuan of social cost among
them, and — at equal cost — the reference's lead that survives.

``cogov sweep`` prints both when it finishes, and the HTML report shows the same numbers. They
are ``cogov compare``'s table (:func:`cogov.experiments.compare.format_table`) over the sweep's
groups and compare's leads (:func:`cogov.experiments.equal_cost.format_leads`), once per design
point, so a sweep and a comparison of the same scenarios read alike.
"""

from __future__ import annotations

from typing import Any

from .equal_cost import LEAD_METRICS, format_leads
from .plots import KEY_OUTCOMES, Results, tidy_summary

#: More groups than this are not printed: a table of hundreds of rows is read in the report.
MAX_PRINTED_GROUPS = 40
MAX_NAME = 56  # characters of a group's name in the table


def format_summary(res: Results) -> str:
    """Mean ± half-width of the 95% interval of every key outcome, one row per group; among the
    columns social cost per resident a year and issues resolved per 10,000 yuan of it."""
    from .compare import KEY_OUTCOMES as OUTCOMES
    from .compare import format_table

    if res.ok.empty:
        return "no run succeeded: nothing to summarise"
    if len(res.groups) > MAX_PRINTED_GROUPS:
        return (f"{len(res.groups):,} groups, too many to print here: `cogov report "
                f"{res.root}` tabulates them")
    summary = tidy_summary(res, KEY_OUTCOMES)
    width = min(MAX_NAME, max(len(n) for n in summary["scenario"]))
    return format_table(summary, OUTCOMES, name_width=width)


def scales_at(equal: dict[str, Any], point_id: int) -> dict[str, dict[str, float]]:
    """The manifest's equal-cost scales at one design point, by scenario."""
    return {r["scenario"]: r for r in equal.get("scales", []) if r["point_id"] == point_id}


def format_equal_cost(res: Results) -> str:
    """At equal cost, per design point: every other scenario's scale and achieved cost ratio, and
    the reference's lead over it at nominal means and at equal cost ("" without equal cost)."""
    equal = res.manifest.get("equal_cost")
    if not equal or res.ok.empty:
        return ""
    reference = equal["reference"]
    summary = tidy_summary(res, LEAD_METRICS, names="scenario")
    labels = res.groups.drop_duplicates("point_id").set_index("point_id")["point_label"]
    blocks = []
    for point_id, part in summary.groupby("point_id", sort=True):
        scales = scales_at(equal, int(point_id))
        if not scales or reference not in set(part["scenario"]):
            continue
        head = f"at point {point_id} ({labels[point_id]})\n" if res.parameters else ""
        blocks.append(head + format_leads(part, reference, scales, LEAD_METRICS))
        if len(blocks) == MAX_PRINTED_GROUPS:
            blocks.append(f"… more points: `cogov report {res.root}` lists them all")
            break
    for r in equal.get("not_rescaled", []):
        blocks.append(f"not rescaled (no successful run of it or of {reference}): "
                      f"{r['scenario']} at point {r['point_id']}")
    return "\n\n".join(blocks)
