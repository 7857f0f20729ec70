"""The ``--where`` condition of ``cogov discover``: which design points are cases of interest.

The grammar is deliberately small, so that a condition reads one way only::

    SCENARIO - SCENARIO OP NUMBER        OP is one of  <  <=  >  >=

for example ``one-core-four-element - government-led < 0``: at a design point, the first
scenario's outcome minus the second's, each run paired with the other's on the same seed and the
differences averaged over the seeds, is below zero. Scenario names contain hyphens, so the minus
between them must stand between spaces. Which side is "worse" depends on the outcome (lower
satisfaction, more days), so the direction is always written out, never guessed.
"""

from __future__ import annotations

import difflib
import math
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cogov.model.loading import ScenarioError, echo

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}
MAX_LENGTH = 500
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
GRAMMAR = "'SCENARIO - SCENARIO OP NUMBER' with OP one of <, <=, >, >="


@dataclass(frozen=True)
class Condition:
    """``first - second OP threshold`` over the paired differences of one outcome."""

    first: str
    second: str
    op: str
    threshold: float

    def holds(self, difference):
        return OPERATORS[self.op](difference, self.threshold)

    def __str__(self) -> str:
        return f"{self.first} - {self.second} {self.op} {self.threshold:g}"


def _fail(text: str, why: str) -> ScenarioError:
    return ScenarioError(f"--where {echo(text)}: {why}; write {GRAMMAR}, e.g. "
                         "\"one-core-four-element - government-led < 0\"")


def parse_condition(text: str) -> Condition:
    """The condition ``text`` states, or one error saying what is wrong with it."""
    if len(text) > MAX_LENGTH:
        raise ScenarioError(f"--where: {len(text):,} characters; a condition is at most "
                            f"{MAX_LENGTH}")
    if not text.strip():
        raise _fail(text, "the condition is empty")
    if re.search(r"(?<![<>])=", text):
        raise _fail(text, "'=' compares nothing here (differences of means are never exactly "
                    "equal)")
    ops = re.findall(r"<=|>=|<|>", text)
    if not ops:
        raise _fail(text, "no comparison")
    if len(ops) > 1:
        raise _fail(text, f"{len(ops)} comparisons; give one")
    op = ops[0]
    left, _, right = text.partition(op)
    number = right.strip()
    if not _NUMBER.fullmatch(number):
        raise _fail(text, f"{echo(number) if number else 'nothing'} after {op} is not a number")
    threshold = float(number)
    if not math.isfinite(threshold):
        raise _fail(text, f"{number} is not a finite number")
    names = left.split(" - ")
    if len(names) != 2 or not all(n.strip() for n in names):
        raise _fail(text, f"{echo(left.strip())} is not two scenarios joined by ' - ' (a minus "
                    "between spaces)")
    first, second = (n.strip() for n in names)
    if first == second:
        raise _fail(text, f"both sides are '{first}'; compare two scenarios")
    return Condition(first, second, op, threshold)


def require_scenarios(condition: Condition, known: Iterable[str], where: str) -> None:
    """Both scenarios of the condition are among ``known`` (the sweep's), or one error."""
    known = list(dict.fromkeys(known))
    for name in (condition.first, condition.second):
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ScenarioError(f"--where: '{name}' is not a scenario of {where} "
                                f"({', '.join(known)}){hint}")
