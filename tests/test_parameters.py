"""The ODD's parameter appendix is the code's schema, and the section tables quote it right."""

from __future__ import annotations

import re
from pathlib import Path

from cogov.model.catalogue import METRICS_BEGIN, METRICS_END
from cogov.model.parameters import BEGIN, END, iter_parameters, markdown_table

ODD = Path(__file__).resolve().parents[1] / "docs" / "ODD.md"


def test_appendix_is_generated_from_the_code():
    text = ODD.read_text(encoding="utf-8")
    block = text[text.index(BEGIN) + len(BEGIN):text.index(END)]
    assert block.strip() == markdown_table().strip(), "run `make docs` to regenerate"


def test_every_parameter_has_a_source_and_a_range_or_choices():
    params = list(iter_parameters())
    assert len(params) > 200
    for p in params:
        assert p.source, p.key
        assert p.range or isinstance(p.default, str), p.key


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text.replace(",", ""))]


def test_section_tables_quote_the_code_defaults():
    """Rows of the hand-written §7 tables that name one key quote its default."""
    defaults = {p.key: p.default for p in iter_parameters()}
    text = ODD.read_text(encoding="utf-8")
    text = text[:text.index(BEGIN)]
    # The metric table (generated from the catalogue) names metrics, not parameters.
    text = text[:text.index(METRICS_BEGIN)] + text[text.index(METRICS_END):]
    checked, wrong = 0, []
    for line in text.splitlines():
        m = re.match(r"^\| `([a-z_.0-9]+)` \| ([^|]+) \|", line)
        if not m or m.group(1) not in defaults:
            continue
        quoted, code = m.group(2).strip().strip("`"), defaults[m.group(1)]
        same = (_numbers(quoted) == _numbers(code) if _numbers(code)
                else quoted.split()[0] == code)
        if not same:
            wrong.append(f"{m.group(1)}: ODD says {quoted!r}, code has {code!r}")
        checked += 1
    assert not wrong, "\n".join(wrong)
    assert checked > 30
