"""Every scenario parameter as a row — key, default, unit, range, source — read from the schema.

The ODD's parameter appendix (docs/ODD.md, Appendix A) is this table; ``make docs`` rewrites it
and a test fails when it differs from the code, so documented defaults cannot drift from the
ones a run uses. Sources come from the field descriptions: a ``seed NNN Lxx`` citation, or
"design choice" when the description says so or cites nothing.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel

from .config import ScenarioConfig

SEED = re.compile(r"seed \d{3} L\d+(?:[–-]\d+)?(?:, L\d+(?:[–-]\d+)?)*")
NOT_PARAMETERS = {"extends", "title_zh", "title_en", "summary", "place", "provenance",
                  "interventions"}

# Units by the last part of the key, then by a word in it; shares are recognised by their range.
UNIT_BY_NAME = {
    "days": "days", "period_days": "days", "first_day": "day", "response_days": "days",
    "patience_days": "days", "reroute_days": "days", "window_days": "days",
    "staff": "FTE", "hours_per_day": "h·day⁻¹", "effort_hours": "h", "triage_hours": "h",
    "hours_per_member_week": "h·week⁻¹", "hours_per_mediator_week": "h·week⁻¹",
    "budget_per_day": "yuan·day⁻¹", "profit_per_day": "yuan·day⁻¹", "cost": "yuan",
    "pay_per_case": "yuan", "allowance": "yuan", "opportunity_cost": "yuan",
    "half_effort_pay": "yuan", "fund_per_resident_year": "yuan·resident⁻¹·year⁻¹",
    "rate": "issues·(1,000 residents)⁻¹·day⁻¹", "mediators_per_1000": "per 1,000 residents",
    "household_size_mean": "persons", "hours_per_act": "h", "member_hours": "h·day⁻¹",
    "patrol_hours_per_grid": "h·grid⁻¹·day⁻¹", "hours_per_attendee": "h",
}
UNIT_BY_WORD = (("days", "days"), ("hours", "h"), ("ties", "ties"), ("yuan", "yuan"))


@dataclass(frozen=True)
class Parameter:
    key: str
    default: Any
    unit: str
    range: str
    source: str
    meaning: str


def _num(x: float) -> str:
    """Bounds as people read them: 36,500 and 10,000,000, not 1e+07."""
    return f"{int(x):,}" if float(x).is_integer() and abs(x) >= 10_000 else f"{x:g}"


def _bounds(field) -> tuple[list[str], list[str]]:
    low, high = [], []
    metadata = list(field.metadata)
    ann = field.annotation
    for arg in typing.get_args(ann):
        metadata += getattr(arg, "__metadata__", [])
    if typing.get_origin(ann) is typing.Annotated:
        metadata += list(ann.__metadata__)
    for m in metadata:
        for inner in getattr(m, "metadata", [m]):
            if isinstance(inner, Ge):
                low.append(f"≥ {_num(inner.ge)}")
            elif isinstance(inner, Gt):
                low.append(f"> {_num(inner.gt)}")
            elif isinstance(inner, Le):
                high.append(f"≤ {_num(inner.le)}")
            elif isinstance(inner, Lt):
                high.append(f"< {_num(inner.lt)}")
    return low, high


def _range(field) -> str:
    ann = field.annotation
    if typing.get_origin(ann) is typing.Literal:
        return " \\| ".join(str(a) for a in typing.get_args(ann))
    if ann is bool:
        return "true \\| false"
    low, high = _bounds(field)
    if low == ["≥ 0"] and high == ["≤ 1"]:
        return "[0, 1]"
    return ", ".join(low + high)


def _unit(name: str, range_text: str, field=None) -> str:
    declared = getattr(field, "json_schema_extra", None)
    if isinstance(declared, dict) and "unit" in declared:  # Field(..., json_schema_extra=
        return str(declared["unit"])                       # {"unit": "yuan"}) beside the field
    if name in UNIT_BY_NAME:
        return UNIT_BY_NAME[name]
    if range_text == "[0, 1]":
        return "share"
    for word, unit in UNIT_BY_WORD:
        if word in name:
            return unit
    return ""


def _source(description: str) -> str:
    cites = SEED.findall(description)
    if cites and "design choice" in description:
        return "; ".join(cites) + "; size: design choice"
    if cites:
        return "; ".join(cites)
    return "design choice"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    return str(value)


def _inherited_description(cls: type[BaseModel], name: str) -> str:
    """A subclass that only changes a default keeps its parent's description."""
    for base in cls.__mro__[1:]:
        fields = getattr(base, "model_fields", {})
        if name in fields and fields[name].description:
            return fields[name].description
    return ""


def iter_parameters(model: BaseModel | None = None, prefix: str = "") -> Iterator[Parameter]:
    """Walk the schema in declaration order; list items appear as ``key.N.field``."""
    model = model if model is not None else ScenarioConfig()
    for name, field in type(model).model_fields.items():
        if not prefix and name in NOT_PARAMETERS:
            continue
        key = f"{prefix}{name}"
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from iter_parameters(value, key + ".")
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for i, item in enumerate(value):
                yield from iter_parameters(item, f"{key}.{i}.")
        else:
            description = field.description or _inherited_description(type(model), name)
            if not description and name == "enabled":
                doc = (type(model).__doc__ or "").strip().split("\n\n")[0]
                description = "switches on: " + " ".join(doc.split())
            rng = _range(field)
            yield Parameter(key, _show(value), _unit(name, rng, field), rng, _source(description),
                            description)


def markdown_table() -> str:
    rows = ["| Key | Default | Unit | Range | Source | Meaning |",
            "|---|---|---|---|---|---|"]
    for p in iter_parameters():
        meaning = re.sub(r"\s*\[(size: )?design choice\]", "", p.meaning)
        meaning = re.sub(r"[,;]?\s*" + SEED.pattern, "", meaning)
        meaning = re.sub(r"\s*\(\s*[,;]?\s*\)", "", meaning).strip(" ;,")
        cells = [f"`{p.key}`", p.default, p.unit, p.range, p.source, meaning]
        rows.append("| " + " | ".join(str(c).replace("|", "\\|") if i != 3 else str(c)
                                      for i, c in enumerate(cells)) + " |")
    return "\n".join(rows) + "\n"


BEGIN = "<!-- parameters: generated by `make docs` from model/config.py; do not edit -->"
END = "<!-- /parameters -->"


def rewrite_block(text: str) -> str:
    """``text`` with the generated table between the markers replaced by today's table."""
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + markdown_table() + text[stop:]
