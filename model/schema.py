"""The building blocks of the scenario schema, shared by :mod:`cogov.model.config` and the
mechanisms, which declare their own parameters: strict bounded number types, the issue
categories and the base class of every parameter block. Nothing here imports the model.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

# Bounds on every number. Numbers are strict — ``true``, ``"0.5"`` or ``" 2 "`` are not numbers —
# and finite (``.inf`` and ``.nan`` cannot be simulated). Every count and amount has an upper
# bound far above any real community (a street of a million residents is 10^6; the bounds are
# orders of magnitude beyond) so that no value can overflow an array size or a random draw; the
# resources a configuration needs are estimated separately (:mod:`cogov.model.footprint`).
MAX_COUNT = 10_000_000  # [design choice]
MAX_AMOUNT = 1e9  # yuan, hours or persons a day [design choice]
MAX_DAYS = 36_500  # a century of days


def _whole(value: Any) -> Any:
    """``1e3`` in YAML is a float; a whole float is accepted where a count is expected."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e300:
        return int(value)
    return value


Real = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Whole = Annotated[int, BeforeValidator(_whole), Field(strict=True)]
Switch = Annotated[bool, Field(strict=True)]  # only true/false, never "no" or 0
Share = Annotated[Real, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[Real, Field(ge=0.0, le=MAX_AMOUNT)]
Pos = Annotated[Real, Field(gt=0.0, le=MAX_AMOUNT)]
PosInt = Annotated[Whole, Field(gt=0, le=MAX_COUNT)]
NonNegInt = Annotated[Whole, Field(ge=0, le=MAX_COUNT)]
# the same without the general bound, for fields that state a tighter one of their own
Count = Annotated[Whole, Field(ge=0)]
PosCount = Annotated[Whole, Field(gt=0)]
Amount = Annotated[Real, Field(ge=0.0)]
PosAmount = Annotated[Real, Field(gt=0.0)]
Days = Annotated[Whole, Field(gt=0, le=MAX_DAYS)]
Day = Annotated[Whole, Field(ge=0, le=MAX_DAYS)]
Hours = Annotated[Real, Field(ge=0.0, le=24.0)]  # hours in one day
WeekHours = Annotated[Real, Field(ge=0.0, le=168.0)]  # hours in one week


# Text: a label is drawn in titles and legends, a note or summary in reports; a megabyte of it would
# stall the figures, so lengths are bounded too [design choice].
def _printable(text: str) -> str:
    """Control characters (NUL, escape sequences…) draw as missing glyphs or garble a terminal."""
    bad = next((c for c in text if (ord(c) < 32 and c not in "\t\n\r") or ord(c) == 127), None)
    if bad is not None:
        raise ValueError(f"control character U+{ord(bad):04X} is not allowed in text")
    return text


Label = Annotated[str, Field(max_length=200), AfterValidator(_printable)]
Note = Annotated[str, Field(max_length=2000), AfterValidator(_printable)]
Prose = Annotated[str, Field(max_length=20_000), AfterValidator(_printable)]


class FieldError(ValueError):
    """A model validator's complaint about one field below the model: ``loc`` lets the loader
    point at that field's line instead of the top of the file."""

    def __init__(self, loc: tuple[str | int, ...], message: str):
        super().__init__(message)
        self.loc = loc


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


class Category(IntEnum):
    """Issue categories (MECHANISMS R1)."""

    DISPUTE = 0  # neighbour disputes: 邻里纠纷不出组 (seed 000 L383)
    # facilities and environment: 占道经营, 脏乱差, e-bike sheds (seed 004 L149; seed 002 L23)
    FACILITY = 1
    SAFETY = 2  # safety hazards (seed 001 L55; seed 004 L247)
    CARE = 3  # care needs of vulnerable residents (seed 002 L23)
    PROJECT = 4  # collective micro-projects (seed 002 L225)


CATEGORY_NAMES = [c.name.lower() for c in Category]
CategoryName = Literal["dispute", "facility", "safety", "care", "project"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_default=True)
