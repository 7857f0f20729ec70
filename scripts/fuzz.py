"""Fuzz the ``cogov`` command line with mutated scenario and experiment files and odd arguments.

The contract under test (issue 11, "bad input never crashes, hangs or destroys anything"): for
any input ``cogov.experiments.cli.main(argv)`` either exits 0 after a clean run, or exits 2 with
one ``cogov: error: `` message naming a location (``file.yaml:12: …``, an option such as
``--set key=value: …``, or argparse's usage error). ``cogov sweep`` exits 1 only when runs
failed, and a run failing for a valid configuration is itself a defect. Never a traceback, a
hang, a signal, another exit code, an output file that is not strict JSON, a half-written output
folder, a leftover hidden ``.NAME.*.tmp`` folder, or a file cogov did not write removed.

Usage::

    python scripts/fuzz.py --scenarios 600 --experiments 120 --seed 1 --timeout 20 \\
        --report fuzz-report.json
    python scripts/fuzz.py --only scenario:1:17          # re-run one case, print everything

Every case is reproducible from its id: mutants are drawn from ``random.Random`` seeded by the
fuzz seed and the case's index. cogov is imported once; each case runs in a forked child with an
address-space limit, its output captured to files and a wall-clock timeout. The engine is
importable: :func:`scenario_mutants`, :func:`experiment_mutants`, :func:`fixed_cases`,
:func:`run_case`, :func:`classify` (``tests/test_fuzz.py`` uses them).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # the machine is shared: one thread per process
os.environ.setdefault("MPLBACKEND", "Agg")

import argparse  # noqa: E402
import copy  # noqa: E402
import csv  # noqa: E402
import functools  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import types  # noqa: E402
import typing  # noqa: E402
import warnings  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_DIR = ROOT / "scenarios"
EXPERIMENT_DIR = ROOT / "experiments"
MEMORY_LIMIT = 3 << 30  # address space of a case's process
FILE_LIMIT = 1 << 30  # largest file a case may write
TINY = {"structure.units": 12, "structure.buildings": 4, "structure.areas": 2}

# Classes of outcome, worst first. HARD ones break the contract; SOFT ones are reported apart.
ORDER = ["data-loss", "signal", "hang", "traceback", "bad-exit", "invalid-json", "leftover-tmp",
         "partial-output", "run-failed", "error-without-location", "warning", "ok-error",
         "ok-run"]
HARD = {"data-loss", "signal", "hang", "traceback", "bad-exit", "invalid-json", "leftover-tmp",
        "partial-output", "run-failed"}
SOFT = {"error-without-location", "warning"}
OUTPUT_COMMANDS = {"run", "compare", "sweep", "sensitivity", "validate-patterns"}


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------


@dataclass
class Step:
    """One ``cogov`` invocation; ``after`` files are written once it has finished (to plant a
    foreign file in a results folder before the next step, say)."""

    argv: list[str]
    after: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Case:
    """Files (relative to the case's working folder; ``../x`` lands beside it) and the steps run
    in that folder. ``special`` makes what files cannot be: ``("fifo", path)``, ``("symlink",
    path, target)``, ``("mkdir", path)``."""

    id: str
    family: str
    files: dict[str, bytes]
    steps: list[Step]
    mutations: list[str]
    intent: str = "invalid"  # "valid": meant to be a valid configuration that runs
    special: list[tuple[str, ...]] = field(default_factory=list)
    main: str = "m.yaml"


# ---------------------------------------------------------------------------------------------
# A YAML writer that can also write what a mutation needs: raw text, repeated keys
# ---------------------------------------------------------------------------------------------


class Raw(str):
    """YAML text emitted as it is: a tag, an alias, a control character, a 5,000-digit number."""


class Pairs(list):
    """A mapping as ``(key, value)`` pairs, so that a key may repeat."""


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}
_NONPRINT = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def quote(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    return _NONPRINT.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def scalar(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, (dict, Pairs, list)) and not value:
        return "{}" if isinstance(value, (dict, Pairs)) else "[]"
    raise TypeError(f"cannot write {type(value).__name__}")


def _key(key: Any) -> str:
    if isinstance(key, Raw):
        return str(key)
    if isinstance(key, str) and _PLAIN_KEY.match(key) and key.lower() not in _RESERVED:
        return key
    return scalar(key)


def _items(mapping: Any) -> list[tuple[Any, Any]]:
    return list(mapping) if isinstance(mapping, Pairs) else list(mapping.items())


def _block(value: Any) -> bool:
    return isinstance(value, (dict, list)) and not isinstance(value, Raw) and len(value) > 0


def emit(doc: Any) -> str:
    """Block-style YAML of ``doc`` (dicts, :class:`Pairs`, lists, scalars, :class:`Raw`)."""
    lines: list[str] = []
    _emit(doc, 0, lines)
    return "\n".join(lines) + "\n"


def _emit(value: Any, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, Pairs) or isinstance(value, dict):
        for k, v in _items(value):
            if _block(v):
                lines.append(f"{pad}{_key(k)}:")
                _emit(v, indent + 2, lines)
            else:
                lines.append(f"{pad}{_key(k)}: {scalar(v)}")
    elif isinstance(value, list) and value:
        for item in value:
            if _block(item):
                lines.append(f"{pad}-")
                _emit(item, indent + 2, lines)
            else:
                lines.append(f"{pad}- {scalar(item)}")
    else:
        lines.append(pad + scalar(value))


# ---------------------------------------------------------------------------------------------
# The schema, for mutations that hit every field and for values in range
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    path: tuple[str | int, ...]
    kind: str  # int float bool str literal tuple list other
    lo: float | None = None
    lo_open: bool = False
    hi: float | None = None
    hi_open: bool = False
    choices: tuple[Any, ...] = ()
    size: int = 0

    @property
    def dotted(self) -> str:
        return ".".join(map(str, self.path))


def _unwrap(ann: Any) -> tuple[Any, list[Any]]:
    meta: list[Any] = []
    while typing.get_origin(ann) is typing.Annotated:
        args = typing.get_args(ann)
        ann, meta = args[0], meta + list(args[1:])
    return ann, meta


def _bounds(meta: list[Any]) -> tuple[float | None, bool, float | None, bool]:
    from pydantic.fields import FieldInfo

    lo = hi = None
    lo_open = hi_open = False
    stack = list(meta)
    while stack:
        m = stack.pop()
        if isinstance(m, FieldInfo):
            stack += m.metadata
            continue
        for attr, is_low, is_open in (("gt", True, True), ("ge", True, False),
                                      ("lt", False, True), ("le", False, False)):
            v = getattr(m, attr, None)
            if v is None:
                continue
            if is_low and (lo is None or v > lo):
                lo, lo_open = v, is_open
            elif not is_low and (hi is None or v < hi):
                hi, hi_open = v, is_open
    return lo, lo_open, hi, hi_open


def _walk_model(model: Any, prefix: tuple, out: list[Leaf]) -> None:
    for name, info in model.model_fields.items():
        ann, meta = _unwrap(info.annotation)
        _walk_ann(ann, meta + list(info.metadata), prefix + (name,), out)


def _walk_ann(ann: Any, meta: list[Any], path: tuple, out: list[Leaf]) -> None:
    from pydantic import BaseModel

    origin = typing.get_origin(ann)
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        _walk_model(ann, path, out)
    elif origin is typing.Literal:
        out.append(Leaf(path, "literal", choices=typing.get_args(ann)))
    elif origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if len(args) == 1:
            inner, m2 = _unwrap(args[0])
            _walk_ann(inner, meta + m2, path, out)
        else:
            out.append(Leaf(path, "other"))
    elif origin is list:
        inner, _ = _unwrap(typing.get_args(ann)[0])
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            _walk_model(inner, path + (0,), out)
        else:
            out.append(Leaf(path, "list"))
    elif origin is tuple:
        elems = [_unwrap(a) for a in typing.get_args(ann)]
        lo, lo_open, hi, hi_open = _bounds(elems[0][1])
        out.append(Leaf(path, "tuple", lo, lo_open, hi, hi_open, size=len(elems)))
    elif ann in (bool, int, float, str):
        out.append(Leaf(path, ann.__name__, *_bounds(meta)))
    else:
        out.append(Leaf(path, "other"))


@functools.cache
def schema_leaves(which: str = "scenario") -> tuple[Leaf, ...]:
    if which == "scenario":
        from cogov.model.config import ScenarioConfig as model
    else:
        from cogov.experiments.spec import ExperimentSpec as model
    out: list[Leaf] = []
    _walk_model(model, (), out)
    return tuple(out)


@functools.cache
def _defaults_json() -> str:
    from cogov.model.config import ScenarioConfig

    return json.dumps(ScenarioConfig().model_dump(mode="json"))


def defaults() -> dict[str, Any]:
    return json.loads(_defaults_json())


# Fields whose size costs time or memory: values in range stay below these (the schema's own
# bounds are reached only by the edge-value mutations) [fuzzer's choice].
CAPS = {"neighbour_ties": 20, "building_ties": 20, "association_ties": 20,
        "long_range_ties": 20, "associations": 200, "rate": 20, "seats": 500, "units": 50,
        "quota": 200, "mediators_per_1000": 50, "advisers_per_10k": 100, "staff": 200,
        "workstation_staff": 200, "service_station_staff": 200, "hours_per_unit_week": 1000}
NOT_GENERIC = ("structure", "days", "extends", "interventions", "provenance")


def in_range(leaf: Leaf, rng: random.Random) -> Any:
    """A value the schema accepts for ``leaf``, often at an edge of its range."""
    if leaf.kind == "bool":
        return rng.random() < 0.5
    if leaf.kind == "literal":
        return rng.choice(leaf.choices)
    if leaf.kind == "tuple":
        one = Leaf(leaf.path, "float", leaf.lo, leaf.lo_open, leaf.hi, leaf.hi_open)
        return [in_range(one, rng) for _ in range(leaf.size)]
    whole = leaf.kind == "int"
    lo = 0.0 if leaf.lo is None else float(leaf.lo)
    hi = 1e6 if leaf.hi is None else float(leaf.hi)
    cap = CAPS.get(str(leaf.path[-1]))
    if cap is not None:
        hi = min(hi, cap)
    if whole:
        lo_v = int(lo) + (1 if leaf.lo_open else 0)
        hi_v = int(hi) - (1 if leaf.hi_open and hi == int(hi) else 0)
        r = rng.random()
        if r < 0.3:
            return lo_v
        if r < 0.45:
            return hi_v
        return rng.randint(lo_v, max(lo_v, min(hi_v, lo_v + 100 if r < 0.8 else hi_v)))
    lo_v = lo + (max(abs(lo), 1.0) * 1e-6 if leaf.lo_open else 0.0)
    hi_v = hi - (max(abs(hi), 1.0) * 1e-6 if leaf.hi_open else 0.0)
    r = rng.random()
    if r < 0.3:
        return lo_v
    if r < 0.45:
        return hi_v
    if hi_v > 1000 * max(lo_v, 1e-3) and r < 0.75:
        return round(10 ** rng.uniform(math.log10(max(lo_v, 1e-3)), math.log10(hi_v)), 6)
    return round(rng.uniform(lo_v, hi_v), 6) if hi_v - lo_v > 1e-5 else lo_v


def generic_leaves() -> list[Leaf]:
    return [leaf for leaf in schema_leaves("scenario")
            if leaf.path[0] not in NOT_GENERIC and leaf.kind in
            ("bool", "literal", "tuple", "int", "float")]


# ---------------------------------------------------------------------------------------------
# Trees
# ---------------------------------------------------------------------------------------------


def tree_paths(tree: Any, prefix: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(tree, dict):
        for k, v in tree.items():
            out.append(prefix + (k,))
            out += tree_paths(v, prefix + (k,))
    elif isinstance(tree, list) and not isinstance(tree, Raw):
        for i, v in enumerate(tree):
            out.append(prefix + (i,))
            out += tree_paths(v, prefix + (i,))
    return out


def get_path(tree: Any, path: tuple) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def set_path(tree: Any, path: tuple, value: Any, base: Any = None) -> bool:
    """Set ``path`` in ``tree``, creating mappings (or copying lists from ``base``)."""
    node = tree
    for i, part in enumerate(path[:-1]):
        want_list = isinstance(path[i + 1], int)
        if isinstance(node, dict):
            child = node.get(part)
            if not isinstance(child, list if want_list else dict) or isinstance(child, Raw):
                try:
                    child = copy.deepcopy(get_path(base, path[: i + 1]))
                except (KeyError, IndexError, TypeError):
                    child = [] if want_list else {}
                if not isinstance(child, list if want_list else dict):
                    return False
                node[part] = child
            node = child
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
    last = path[-1]
    if isinstance(node, dict):
        node[last] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = value
    else:
        return False
    return True


def del_path(tree: Any, path: tuple) -> None:
    parent = get_path(tree, path[:-1])
    del parent[path[-1]]


def rename_in(mapping: dict, old: str, new: str) -> dict:
    return {(new if k == old else k): v for k, v in mapping.items()}


def typo(key: str, rng: random.Random) -> str:
    if len(key) < 2:
        return key + "x"
    i = rng.randrange(len(key))
    kind = rng.randrange(5)
    if kind == 0:
        return key[:i] + key[i + 1:]
    if kind == 1 and i < len(key) - 1:
        return key[:i] + key[i + 1] + key[i] + key[i + 2:]
    if kind == 2:
        return key[:i] + rng.choice("aeiouxs_") + key[i:]
    if kind == 3:
        return key.upper() if rng.random() < 0.5 else key.replace("_", "-")
    return key + rng.choice(["s", " ", "_", "2"])


# ---------------------------------------------------------------------------------------------
# Edge values
# ---------------------------------------------------------------------------------------------

BIG = Raw("9" * 5000)
MEGA = "x" * 1_000_000
EDGES: list[tuple[str, Any]] = [
    ("0", 0), ("-1", -1), ("1", 1), ("1e9", Raw("1e9")), ("1e20", Raw("1e20")),
    ("1e300", Raw("1e300")), ("2^64", 18446744073709551616), ("5000 digits", BIG),
    (".inf", math.inf), ("-.inf", -math.inf), (".nan", math.nan), ("true", True),
    ('"0.5"', "0.5"), ('" 2 "', " 2 "), ('"1e1"', "1e1"), ("1e1", Raw("1e1")), (".", Raw(".")),
    ('""', ""), ("null", None), ("[]", []), ("{}", {}), ("1 MB string", MEGA),
    ("2024-02-30", Raw("2024-02-30")), ("!!int x", Raw("!!int x")),
    ("!!float x", Raw("!!float x")), ("!!bool maybe", Raw("!!bool maybe")),
    ("!!timestamp x", Raw("!!timestamp x")), ("raw NUL", Raw("a\x00b")),
    ("raw control char", Raw("a\x01b")), ('"NUL"', "a\x00b"), ('"ESC"', "\x1b[31mred"),
    ("!!python/object", Raw("!!python/object/apply:os.system ['echo pwned']")),
    ("0x10", Raw("0x10")), ("010", Raw("010")), ("1_000", Raw("1_000")), ("-0.0", -0.0),
    ("5e-324", 5e-324), ("no", Raw("no")), ("[1, 2]", [1, 2]), ("{a: 1}", {"a": 1}),
]
SET_VALUES = [".", "", " ", "18446744073709551616", "9" * 5000, ".inf", "-.inf", ".nan", "1e300",
              "1e20", "true", "no", "!!int x", "!!python/object/apply:os.system [ls]", "[]",
              "{}", "&a [*a]", "*a", "a\x00b", "\x01", "{a: 1", "null", "~", "- a",
              "2024-02-30", "0.5", "-1", "0", "1", "12", "'0.5'", "x" * 100_000, "[1, 2, 3]",
              "a: b", "\ud800", "1e1", "0x10"]


def edge(rng: random.Random) -> tuple[str, Any]:
    return rng.choice(EDGES)


# ---------------------------------------------------------------------------------------------
# Mutation state
# ---------------------------------------------------------------------------------------------


@dataclass
class _State:
    rng: random.Random
    data: Any
    text: bytes
    main: str = "m.yaml"
    days: int = 5
    small: bool = False
    dirty: bool = False
    intent: str = "invalid"
    files: dict[str, bytes] = field(default_factory=dict)
    special: list[tuple[str, ...]] = field(default_factory=list)
    mutations: list[str] = field(default_factory=list)
    text_ops: list[Callable[[bytes], bytes]] = field(default_factory=list)
    finalizers: list[Callable[[Any], Any]] = field(default_factory=list)
    command: str | None = None
    input: str | None = None
    extra: list[str] = field(default_factory=list)
    run_opts: dict[str, str] = field(default_factory=dict)
    out: str = "out"
    overwrite: bool = False
    before: list[Step] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.mutations.append(text)

    def mapping(self) -> dict | None:
        return self.data if isinstance(self.data, dict) else None

    def content(self) -> bytes:
        if self.dirty or self.finalizers:
            data = copy.deepcopy(self.data)
            for fin in self.finalizers:
                data = fin(data)
            raw = emit(data).encode("utf-8", "surrogatepass")
        else:
            raw = self.text
        for op in self.text_ops:
            raw = op(raw)
        return raw


def _pick_path(st: _State, which: str = "scenario", leaves: bool = True) -> tuple:
    rng = st.rng
    existing = tree_paths(st.data)
    if existing and (not leaves or rng.random() < 0.5):
        return rng.choice(existing)
    return rng.choice(schema_leaves(which)).path


# --- generic data mutations ------------------------------------------------------------------


def m_delete(st: _State, which: str = "scenario") -> None:
    paths = tree_paths(st.data)
    if not paths:
        return m_empty(st)
    path = st.rng.choice(paths)
    del_path(st.data, path)
    st.dirty = True
    st.note(f"delete {'.'.join(map(str, path))}")


def m_rename(st: _State, which: str = "scenario") -> None:
    paths = [p for p in tree_paths(st.data) if isinstance(p[-1], str)]
    if not paths:
        return m_empty(st)
    path = st.rng.choice(paths)
    new = typo(path[-1], st.rng)
    parent = get_path(st.data, path[:-1])
    renamed = rename_in(parent, path[-1], new)
    if path[:-1]:
        set_path(st.data, path[:-1], renamed)
    else:
        st.data = renamed
    st.dirty = True
    st.note(f"rename {'.'.join(map(str, path))} -> {new!r}")


def m_replace(st: _State, which: str = "scenario") -> None:
    label, value = edge(st.rng)
    path = _pick_path(st, which)
    if not isinstance(st.data, dict) or not set_path(st.data, path, value,
                                                     defaults() if which == "scenario" else None):
        path = ("title_en",) if which == "scenario" else ("title",)
        if not isinstance(st.data, dict):
            st.data = {}
        st.data[path[0]] = value
    st.dirty = True
    st.note(f"set {'.'.join(map(str, path))} = {label}")


def m_duplicate(st: _State, which: str = "scenario") -> None:
    maps = [()] + [p for p in tree_paths(st.data) if isinstance(get_path(st.data, p), dict)
                   and get_path(st.data, p)]
    path = st.rng.choice(maps)
    target = get_path(st.data, path) if path else st.data
    if not isinstance(target, dict) or not target:
        return m_empty(st)
    keys = list(target)
    key = st.rng.choice(keys)
    same = st.rng.random() < 0.5
    label, value = edge(st.rng)

    def fin(data: Any) -> Any:
        mapping = get_path(data, path) if path else data
        pairs = Pairs(mapping.items())
        pairs.append((key, mapping[key] if same else value))
        if not path:
            return pairs
        set_path(data, path, pairs)
        return data

    st.finalizers.append(fin)
    st.note(f"duplicate key {'.'.join(map(str, path + (key,)))}"
            f"{' (same value)' if same else f' (second = {label})'}")


def m_deep(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    kind = rng.randrange(6)
    if kind == 0:
        n = rng.choice([51, 200, 5000, 200_000])
        value, label = Raw("[" * n + "]" * n), f"{n} nested lists"
    elif kind == 1:
        n = rng.choice([51, 1000, 50_000])
        value, label = Raw("{a: " * n + "1" + "}" * n), f"{n} nested flow mappings"
    elif kind == 2:
        n = rng.choice([55, 300])
        value: Any = 1
        for _ in range(n):
            value = {"a": value}
        label = f"{n} nested block mappings"
    elif kind == 3:
        n = rng.choice([100_001, 300_000])
        value, label = Raw("[" + "1," * n + "1]"), f"a list of {n:,} items"
    elif kind == 4:
        n = rng.choice([20_000, 120_000])
        value = Raw("{" + ", ".join(f"k{i}: {i}" for i in range(n)) + "}")
        label = f"a mapping of {n:,} keys"
    else:
        value = {f"k{i}": i for i in range(2000)}
        label = "a mapping of 2,000 keys"
    path = _pick_path(st, which)
    if not isinstance(st.data, dict) or not set_path(st.data, path, value):
        path = ("summary",)
        if isinstance(st.data, dict):
            st.data["summary"] = value
    st.dirty = True
    st.note(f"set {'.'.join(map(str, path))} = {label}")


LAUGHS = Raw("[" + ", ".join(
    ["&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"&l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]) + "]")


def m_alias(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    kind = rng.randrange(5)
    data = st.mapping()
    if data is None:
        st.data = data = {}
    if kind == 3 and which == "scenario":
        mech = data.setdefault("mechanisms", {})
        if isinstance(mech, dict):
            mech.pop("grid", None)
            mech.pop("points", None)
            mech["grid"] = Raw("&g {enabled: true, coverage: 0.5}")
            mech["points"] = {Raw("<<"): Raw("*g")}
            st.dirty = True
            st.note("merge key: mechanisms.points: {<<: *g} with &g at mechanisms.grid")
            return
        kind = 0
    value, label = {0: (Raw("&r [*r]"), "recursive alias &r [*r]"),
                    1: (Raw("&r {a: *r}"), "recursive alias &r {a: *r}"),
                    2: (LAUGHS, "billion laughs"),
                    3: (Raw("*nowhere"), "undefined alias"),
                    4: (Raw("&a 1"), "an unused anchor")}[kind]
    path = _pick_path(st, which)
    if not set_path(data, path, value):
        path = ("summary",)
        data["summary"] = value
    st.dirty = True
    st.note(f"set {'.'.join(map(str, path))} = {label}")


# --- text mutations ----------------------------------------------------------------------------


def m_truncate(st: _State, which: str = "scenario") -> None:
    frac = st.rng.random()
    st.text_ops.append(lambda b: b[: max(1, int(len(b) * frac))] if len(b) > 1 else b"")
    st.note(f"truncate at {frac:.0%}")


BAD_BYTES = [b"\xff", b"\xc3", b"\xe4\xb8", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80", b"\xfe\xff"]


def m_utf8(st: _State, which: str = "scenario") -> None:
    frac = st.rng.random()
    bad = st.rng.choice(BAD_BYTES)
    st.text_ops.append(lambda b: b[: int(len(b) * frac)] + bad + b[int(len(b) * frac):])
    st.note(f"insert invalid UTF-8 {bad!r} at {frac:.0%}")


EMPTY = [b"", b"\n", b"   \n\t\n", b"---\n", b"~\n", b"null\n", b"# only a comment\n", b"[]\n",
         b"42\n", b"'just a string'\n", b"---\n...\n---\n", b"- a\n- b\n", b"\xef\xbb\xbf"]


def m_empty(st: _State, which: str = "scenario") -> None:
    body = st.rng.choice(EMPTY)
    st.text_ops.append(lambda b: body)
    st.note(f"replace the file by {body!r}")


def m_noise(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    frac = rng.random()
    kind = rng.randrange(9)

    def at(insert: bytes) -> Callable[[bytes], bytes]:
        def op(b: bytes) -> bytes:
            i = b.rfind(b"\n", 0, int(len(b) * frac)) + 1
            return b[:i] + insert + b[i:]
        return op

    ops: dict[int, tuple[Callable[[bytes], bytes], str]] = {
        0: (lambda b: b"\xef\xbb\xbf" + b, "a UTF-8 byte-order mark"),
        1: (lambda b: b.replace(b"\n", b"\r\n"), "CRLF line ends"),
        2: (lambda b: re.sub(rb"\n  (\S)", b"\n\t\\1", b, count=1), "a tab for indentation"),
        3: (at(b"\x00"), "a raw NUL byte"),
        4: (at(rng.choice([b"\x01", b"\x1b", b"\x7f", b"\x0c"])), "a raw control character"),
        5: (lambda b: b + b"\n---\nextra: 1\n", "a second YAML document"),
        6: (at("\u2028\u0085".encode()), "Unicode line separators"),
        7: (at(b"title_en: " + b"y" * 200_000 + b"\n"), "a 200 kB line"),
        8: (at(b"  ]\n"), "a stray bracket"),
    }
    op, label = ops[kind]
    st.text_ops.append(op)
    st.note(f"insert {label}")


# --- scenario-specific mutations --------------------------------------------------------------


def m_extends(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    data = st.mapping()
    if data is None:
        st.data = data = {}
    kind = rng.randrange(14)
    st.dirty = True
    if kind == 0:
        data["extends"] = "no-such-scenario"
        st.note("extends a missing scenario")
    elif kind == 1:
        data["extends"] = st.main
        st.note("extends itself")
    elif kind == 2:
        data["extends"] = "p.yaml"
        st.files["p.yaml"] = emit({"extends": st.main, "title_en": "p"}).encode()
        st.note("extends cycle m -> p -> m")
    elif kind in (3, 4):
        n = 1200 if kind == 3 else rng.choice([31, 33, 40])
        data["extends"] = "c0.yaml"
        for i in range(n):
            parent = f"c{i + 1}.yaml" if i < n - 1 else "fragmented"
            st.files[f"c{i}.yaml"] = f"extends: {parent}\n".encode()
        st.note(f"a {n}-deep extends chain")
    elif kind == 5:
        label, value = edge(rng)
        data["extends"] = value
        st.note(f"extends = {label}")
    elif kind == 6:
        data["extends"] = rng.choice([".", "..", "/", "adir.yaml"])
        st.special.append(("mkdir", "adir.yaml"))
        st.note(f"extends a folder {data['extends']!r}")
    elif kind == 7:
        data["extends"] = rng.choice(["/dev/zero", "/dev/null", "/proc/self/status"])
        st.note(f"extends {data['extends']}")
    elif kind == 8:
        data["extends"] = "fifo.yaml"
        st.special.append(("fifo", "fifo.yaml"))
        st.note("extends a FIFO")
    elif kind == 9:
        data["extends"] = str(EXPERIMENT_DIR / "fengqiao-vs-reactive.yaml")
        st.note("extends an experiment file")
    elif kind == 10:
        data["extends"] = rng.choice(["frag\x00mented", "x" * 300, "a/" * 2100 + "b.yaml"])
        st.note(f"extends an impossible name ({len(data['extends'])} chars)")
    elif kind == 11:
        data["extends"] = "loop.yaml"
        st.special += [("symlink", "loop.yaml", "loop2.yaml"), ("symlink", "loop2.yaml",
                                                                "loop.yaml")]
        st.note("extends a symlink loop")
    elif kind == 12:  # copy the parent beside the mutant and mutate the copy
        parent = data.get("extends") if isinstance(data.get("extends"), str) else "fragmented"
        src = SCENARIO_DIR / f"{parent}.yaml"
        try:
            shipped = src.is_file()
        except (OSError, ValueError):  # the mutated name may be too long or hold a NUL
            shipped = False
        if not shipped:
            src = SCENARIO_DIR / "fragmented.yaml"
        pdata = yaml.safe_load(src.read_text(encoding="utf-8"))
        sub = _State(rng, pdata, src.read_bytes(), main="parent.yaml", days=st.days)
        rng.choice([m_replace, m_delete, m_rename, m_truncate, m_duplicate])(sub)
        st.files["parent.yaml"] = sub.content()
        st.files.update(sub.files)
        data["extends"] = "parent.yaml"
        st.note(f"extends a mutated copy of {src.stem}: " + "; ".join(sub.mutations))
    else:
        data["extends"] = rng.choice(["Fragmented", "fragmentd", "fragmented.yml", " fragmented",
                                      "scenarios/fragmented"])
        st.note(f"extends a near-miss name {data['extends']!r}")


def m_intervention(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    data = st.mapping()
    if data is None:
        st.data = data = {}
    kind = rng.randrange(12)
    leaf = rng.choice(generic_leaves())
    iv: Any = {"day": rng.randint(0, max(0, st.days - 1)), "set": {leaf.dotted: in_range(leaf,
                                                                                        rng)}}
    label = "valid"
    if kind == 0:
        iv["day"], label = rng.choice([1000, 729, 730, 36_499, 36_500]), f"late day {iv['day']}"
    elif kind == 1:
        iv["day"], label = rng.choice([-1, Raw("1e9"), 18446744073709551616, 2.5, "3", None,
                                       math.inf]), "bad day"
    elif kind == 2:
        iv["set"], label = {"mechanisms.bogus.enabled": True}, "bogus key"
    elif kind == 3:
        iv["set"], label = {rng.choice(["structure.units", "population.party_member_share",
                                        "network.topology", "days"]): 5}, "fixed-structure key"
    elif kind == 4:
        iv["set"], label = {rng.choice(["actors.enterprises.7.staff", "actors.enterprises",
                                        "actors.social_organizations.0",
                                        "actors.enterprises.x.staff"]): 1}, "bad actor index"
    elif kind == 5:
        lab, value = edge(rng)
        iv["set"] = {leaf.dotted: value}
        label = f"{leaf.dotted} = {lab}"
    elif kind == 6:
        iv["set"], label = rng.choice([None, [], {}, "x", {"": 1}, {"a..b": 1}]), "bad set"
    elif kind == 7:
        iv, label = rng.choice([None, [], "day 3", 5, {"day": 2}]), "not an intervention"
    elif kind == 8:
        iv["set"] = {"mechanisms.coordination.mode": "one_core",
                     "mechanisms.grid.enabled": True, "mechanisms.grid.coverage": 2.0}
        label = "value out of range"
    elif kind == 9:
        data["interventions"] = rng.choice([{}, "x", 5, None, [[]]])
        st.dirty = True
        st.note(f"interventions = {data['interventions']!r}")
        return
    elif kind == 10:
        iv["note"], label = rng.choice([5, None, [], MEGA[:2000]]), "odd note"
    else:
        iv["extra"], label = 1, "unknown intervention key"
    timeline = data.get("interventions")
    if not isinstance(timeline, list):
        timeline = data["interventions"] = []
    timeline.append(iv)
    st.dirty = True
    st.note(f"intervention: {label}")


# --- mutations that keep the configuration valid ----------------------------------------------


def v_structure(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    top = 16 if st.small else 200
    units = rng.choice([1, 2, rng.randint(1, top), top])
    buildings = rng.choice([1, units, rng.randint(1, units)])
    areas = rng.choice([1, buildings, rng.randint(1, buildings)])
    new: dict[str, Any] = {"areas": areas, "buildings": buildings, "units": units}
    if rng.random() < 0.5:
        new["households_per_unit"] = rng.choice([1, 2, rng.randint(1, 5 if st.small else 20)])
    if rng.random() < 0.4:
        new["household_size_mean"] = rng.choice([1.000001, 8.0, round(rng.uniform(1.01, 8), 3)])
    if rng.random() < 0.4:
        new["units_per_grid"] = rng.choice([1, units, units + 1, rng.randint(1, 2 * units)])
    data = st.mapping()
    if data is None:
        return
    structure = data.get("structure")
    data["structure"] = {**structure, **new} if isinstance(structure, dict) else new
    st.dirty = True
    st.note("structure " + ", ".join(f"{k}={v}" for k, v in new.items()))


def v_leaf(st: _State, which: str = "scenario") -> None:
    data = st.mapping()
    if data is None:
        return
    for _ in range(1 + st.rng.randrange(3)):
        leaf = st.rng.choice(generic_leaves())
        value = in_range(leaf, st.rng)
        if set_path(data, leaf.path, value, defaults()):
            st.dirty = True
            st.note(f"set {leaf.dotted} = {value!r}")


def v_mechanisms(st: _State, which: str = "scenario") -> None:
    data = st.mapping()
    if data is None:
        return
    names = [k for k in defaults()["mechanisms"] if k != "coordination"]
    chosen = st.rng.sample(names, st.rng.randint(1, 6))
    on = st.rng.random() < 0.8
    for name in chosen:
        set_path(data, ("mechanisms", name, "enabled"), on)
    mode = st.rng.choice(["none", "government", "market", "one_core"])
    set_path(data, ("mechanisms", "coordination", "mode"), mode)
    st.dirty = True
    st.note(f"mechanisms {', '.join(chosen)} {'on' if on else 'off'}; coordination {mode}")


def v_actors(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    data = st.mapping()
    if data is None:
        return
    kind = rng.randrange(4)
    cats = ["dispute", "facility", "safety", "care", "project"]
    actors = data.setdefault("actors", {})
    if not isinstance(actors, dict):
        return
    if kind == 0:
        actors["social_organizations"] = []
        st.note("no social organizations")
    elif kind == 1:
        n = rng.choice([1, 2, 8])
        actors["social_organizations"] = [
            {"name": f"so{i}", "specialties": rng.sample(cats, rng.randint(1, 5)),
             "staff": rng.choice([0.0, 0.5, 3.0]), "budget_per_day": rng.choice([0.0, 100.0])}
            for i in range(n)]
        st.note(f"{n} social organizations")
    elif kind == 2:
        n = rng.choice([1, 3])
        actors["enterprises"] = [
            {"name": f"e{i}", "kind": rng.choice(["property", "collective", "firm"]),
             "specialties": rng.sample(cats, rng.randint(0, 3)), "staff": rng.choice([0.0, 2.0]),
             "profit_per_day": rng.choice([0.0, 1000.0]),
             "public_service_share": rng.choice([0.0, 1.0])} for i in range(n)]
        st.note(f"{n} enterprises")
    else:
        for who in ("party_branch", "residents_committee", "street_office"):
            actors.setdefault(who, {})
            if isinstance(actors[who], dict):
                actors[who]["staff"] = rng.choice([0.0, 0.0, 0.1, 1.0])
                actors[who]["hours_per_day"] = rng.choice([0.0, 16.0, 7.0])
                actors[who]["budget_per_day"] = rng.choice([0.0, 1e9])
        st.note("edge staff, hours and budgets for the public actors")
    st.dirty = True


def v_intervention(st: _State, which: str = "scenario") -> None:
    data = st.mapping()
    if data is None:
        return
    leaves = [leaf for leaf in generic_leaves() if leaf.path[0] in ("mechanisms", "actors",
                                                                    "issues", "behaviour")]
    sets = {}
    for _ in range(st.rng.randint(1, 3)):
        leaf = st.rng.choice(leaves)
        sets[leaf.dotted] = in_range(leaf, st.rng)
    timeline = data.get("interventions")
    if not isinstance(timeline, list):
        timeline = data["interventions"] = []
    day = st.rng.randint(0, max(0, st.days - 1))
    timeline.append({"day": day, "set": sets, "note": "fuzz"})
    st.dirty = True
    st.note(f"intervention at day {day}: " + ", ".join(f"{k}={v!r}" for k, v in sets.items()))


def v_network(st: _State, which: str = "scenario") -> None:
    data = st.mapping()
    if data is None:
        return
    rng = st.rng
    net = {"topology": rng.choice(["layered", "lattice", "small_world", "scale_free"]),
           "neighbour_ties": rng.choice([0, 1, 4]), "building_ties": rng.choice([0, 1]),
           "long_range_ties": rng.choice([0.0, 0.5, 5.0]), "associations": rng.choice([0, 1, 18]),
           "association_share": rng.choice([0.0, 1.0, 0.2]), "rewiring": rng.choice([0.0, 1.0]),
           "degree_exponent": rng.choice([2.000001, 5.0, 2.5])}
    keep = dict(rng.sample(sorted(net.items()), rng.randint(1, len(net))))
    base = data.get("network")
    data["network"] = {**base, **keep} if isinstance(base, dict) else keep
    st.dirty = True
    st.note("network " + ", ".join(f"{k}={v}" for k, v in keep.items()))


def v_alias(st: _State, which: str = "scenario") -> None:
    data = st.mapping()
    if data is None:
        return
    mech = data.setdefault("mechanisms", {})
    if not isinstance(mech, dict):
        return
    names = [k for k in defaults()["mechanisms"] if k not in mech and k != "coordination"]
    if len(names) < 2:
        return
    a, b = st.rng.sample(names, 2)
    mech[a] = {"enabled": Raw("&on true")}
    mech[b] = {"enabled": Raw("*on")}
    st.dirty = True
    st.note(f"alias: mechanisms.{a}.enabled &on true, mechanisms.{b}.enabled *on")


def v_copy_extends(st: _State, which: str = "scenario") -> None:
    data = st.mapping()
    if data is None or not isinstance(data.get("extends"), str):
        return v_structure(st)
    parent = data["extends"]
    src = SCENARIO_DIR / f"{parent}.yaml"
    try:
        shipped = "/" not in parent and src.is_file()
    except (OSError, ValueError):  # a mutated name too long or holding a NUL
        shipped = False
    if not shipped:
        return v_structure(st)
    st.files[f"base-{parent}.yaml"] = src.read_bytes()
    data["extends"] = f"base-{parent}.yaml"
    st.dirty = True
    st.note(f"extends a copy of {parent}")


def v_residents(st: _State, which: str = "scenario") -> None:
    n = st.rng.choice([1, 2, 10, 50, 300])
    st.run_opts["--residents"] = str(n)
    st.command = "run"
    st.note(f"--residents {n}")


def v_seed(st: _State, which: str = "scenario") -> None:
    s = st.rng.choice([0, 2**63 - 1, 2**32, 2**32 - 1, st.rng.randrange(2**63)])
    st.run_opts["--seed"] = str(s)
    st.note(f"--seed {s}")


VALID_OPS = [v_structure, v_structure, v_leaf, v_leaf, v_mechanisms, v_actors, v_intervention,
             v_network, v_alias, v_copy_extends, v_residents, v_seed]
BAD_OPS = [m_delete, m_rename, m_replace, m_replace, m_replace, m_duplicate, m_deep, m_alias,
           m_truncate, m_utf8, m_empty, m_noise, m_extends, m_extends, m_intervention,
           m_intervention]


# --- command-line mutations -------------------------------------------------------------------

FOREIGN = {"precious.txt": b"a file cogov did not write\n", "notes/keep.md": b"# keep me\n",
           "../beside.txt": b"a file beside the working folder\n"}


def c_set(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    kind = rng.randrange(4)
    if kind == 0:
        key = rng.choice(["title_en", "structure.units", "mechanisms.grid.coverage", "days",
                          "mechanisms.grid.enabled", "actors.enterprises.0.staff",
                          rng.choice(schema_leaves("scenario")).dotted])
        item = f"{key}={rng.choice(SET_VALUES)}"
    elif kind == 1:
        item = rng.choice(["x", "=1", "a..b=1", ".=1", "extends=fragmented",
                           "actors.enterprises.99.staff=1", "structure=5", "structure.units.x=1",
                           "interventions.0.day=1", "title_en=", "structure.unitz=12",
                           "mechanisms=[]", "actors.enterprises.-1.staff=1", " = ",
                           "actors.enterprises.0=7", "a." * 3000 + "b=1", "\x00=1",
                           "interventions=[{day: 1, set: {mechanisms.grid.enabled: true}}]"])
    elif kind == 2:
        st.extra += ["--set", "structure.units=12"]
        item = "structure.units=13"
    else:
        leaf = rng.choice(generic_leaves())
        item = f"{leaf.dotted}={json.dumps(in_range(leaf, rng))}"
        st.intent = "valid" if st.intent == "valid" else st.intent
    st.extra += ["--set", item]
    st.note(f"--set {item[:80]!r}")


def c_option(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    opt = rng.choice(["--seed", "--days", "--residents"])
    value = rng.choice(["18446744073709551616", "-1", "1e3", "0", " 5 ", "", "٣", "9" * 40,
                        "1_000", "0x10", "+5", "1000000000", "nan", "5.0"])
    st.run_opts[opt] = value
    st.command = "run"
    st.note(f"{opt} {value!r}")


def c_out(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    kind = rng.randrange(11)
    st.command = "run"
    st.files.update(FOREIGN)
    if kind == 0:
        st.out, st.overwrite = ".", True
        st.note("--out . --overwrite beside foreign files")
    elif kind == 1:
        st.out, st.overwrite = "..", True
        st.note("--out .. --overwrite beside foreign files")
    elif kind == 2:
        st.out, st.overwrite = "notes", True
        st.note("--out a foreign folder --overwrite")
    elif kind == 3:
        st.out = "precious.txt"
        st.overwrite = rng.random() < 0.5
        st.note("--out an existing file")
    elif kind == 4:
        st.special += [("mkdir", "real"), ("symlink", "link", "real")]
        st.files["real/inside.txt"] = b"behind a link\n"
        st.out, st.overwrite = "link", rng.random() < 0.5
        st.note("--out a symlink to a folder")
    elif kind == 5:
        st.out = rng.choice(["", "o\x00ut", "y" * 300, "a/" * 2100 + "b", "out/\n", " "])
        st.note(f"--out an impossible name ({len(st.out)} chars)")
    elif kind == 6:  # own results replaced: valid
        st.before.append(Step([]))
        st.overwrite = True
        st.note("run twice into the same --out, the second with --overwrite")
    elif kind == 7:  # own results with a foreign file planted: must refuse and keep it
        st.before.append(Step([], after={"out/planted.txt": b"mine\n"}))
        st.overwrite = True
        st.note("run, plant a foreign file in the results, run again with --overwrite")
    elif kind == 8:
        st.before.append(Step([]))
        st.note("run twice into the same --out without --overwrite")
    elif kind == 9:
        st.out = "precious.txt/sub"
        st.note("--out below a file")
    else:
        st.files["out/manifest.json"] = b'{"version": "0.1.0"}\n'
        st.files["out/secret.txt"] = b"not cogov's\n"
        st.out, st.overwrite = "out", True
        st.note("--out a folder with a fake manifest and a foreign file, --overwrite")


def c_input(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    kind = rng.randrange(11)
    if kind == 0:
        st.special.append(("fifo", "fifo.yaml"))
        st.input = "fifo.yaml"
    elif kind == 1:
        st.input = rng.choice(["/dev/zero", "/dev/null", "/dev/urandom", "/proc/self/mem"])
    elif kind == 2:
        st.special += [("symlink", "loop.yaml", "loop2.yaml"), ("symlink", "loop2.yaml",
                                                                "loop.yaml")]
        st.input = "loop.yaml"
    elif kind == 3:
        st.input = "n" * 300 + ".yaml"
    elif kind == 4:
        st.input = "m\x00.yaml"
    elif kind == 5:
        st.special.append(("mkdir", "adir.yaml"))
        st.input = "adir.yaml"
    elif kind == 6:
        st.input = rng.choice(["missing.yaml", "nosuch", "", " ", "-", "Fragmented",
                               "fragmented.yaml"])
    elif kind == 7:
        st.input = "a/" * 2100 + "m.yaml"
    elif kind == 8:
        st.special.append(("symlink", "dangling.yaml", "nowhere.yaml"))
        st.input = "dangling.yaml"
    elif kind == 9:
        st.command = "validate"
        st.extra += [rng.choice(["fragmented", "missing.yaml", "m.yaml"])]
        st.note("validate two files")
        return
    else:
        st.input = str(EXPERIMENT_DIR / "fengqiao-vs-reactive.yaml")
        st.command = rng.choice(["run", "show"])
    st.note(f"input {st.input[:60]!r}" + (f" ({len(st.input)} chars)"
                                          if len(st.input) > 60 else ""))


def c_misc(st: _State, which: str = "scenario") -> None:
    rng = st.rng
    kind = rng.randrange(7)
    if kind == 0:
        st.command = rng.choice(["rn", "", "RUN", "run\x00", "viz2", "scenarios2"])
    elif kind == 1:
        st.extra += [rng.choice(["--dayz", "--set", "--", "-x", "--out", "--version"])]
    elif kind == 2:
        st.command = "compare"
    elif kind == 3:
        st.command = "show"
    elif kind == 4:
        st.command = "scenarios"
    elif kind == 5:
        st.command = rng.choice(["plot", "report"])
        if rng.random() < 0.5:
            st.files["res/runs.parquet"] = rng.choice([b"", b"PAR1garbage", b"\x00" * 100])
        st.input = "res"
    else:
        st.command = "validate-patterns"
        st.extra += rng.choice([["--replicates", "1"], ["--only", "NOPE"], ["--workers", "0"],
                                ["--only", ""], ["--replicates", "10001"]])
    st.note(f"command {st.command!r} {' '.join(st.extra)[:40]}")


CLI_OPS = [c_set, c_set, c_option, c_out, c_out, c_input, c_input, c_misc]


# ---------------------------------------------------------------------------------------------
# Scenario mutants
# ---------------------------------------------------------------------------------------------


@functools.cache
def _bases(folder: str) -> tuple[tuple[str, bytes], ...]:
    return tuple((p.stem, p.read_bytes()) for p in sorted(Path(folder).glob("*.yaml")))


def _shrink(st: _State) -> None:
    data = st.mapping()
    if data is None:
        return
    s = data.get("structure")
    s = dict(s) if isinstance(s, dict) else {}
    s.update({"areas": 2, "buildings": 4, "units": 12})
    data["structure"] = s
    st.dirty = True


def _scenario_state(rng: random.Random, days: int, small: bool, main: str = "m.yaml") -> _State:
    name, text = rng.choice(_bases(str(SCENARIO_DIR)))
    st = _State(rng, yaml.safe_load(text.decode("utf-8")), text, main=main, days=days,
                small=small)
    st.note(f"from {name}")
    if small:
        _shrink(st)
    return st


def _scenario_ops(st: _State) -> None:
    rng = st.rng
    r = rng.random()
    if r < 0.45:
        st.intent = "valid"
        for op in rng.sample(VALID_OPS, rng.randint(1, 3)):
            op(st)
    elif r < 0.6:
        for op in rng.sample(CLI_OPS, rng.randint(1, 2)):
            op(st)
        if rng.random() < 0.5:
            rng.choice(VALID_OPS)(st)
    else:
        for op in rng.sample(BAD_OPS, rng.randint(1, 3)):
            op(st)


def _argv(st: _State, command: str) -> list[str]:
    target = st.input if st.input is not None else st.main
    if command == "run":
        opts = {"--days": str(st.days), "--seed": str(st.rng.randrange(1000)), **st.run_opts}
        argv = ["run", target, "--out", st.out]
        for k, v in opts.items():
            argv += [k, v]
        return argv + (["--overwrite"] if st.overwrite else []) + st.extra
    if command == "compare":
        return ["compare", target, "fragmented", "--replicates", "1", "--days", str(st.days),
                "--out", st.out] + st.extra
    if command in ("validate", "show"):
        return [command, target] + st.extra
    if command in ("plot", "report"):
        return [command, target]
    if command in ("scenarios", "validate-patterns"):
        return [command] + st.extra
    return [command, target] + st.extra


def _finish(st: _State, case_id: str, family: str, command: str) -> Case:
    files = dict(st.files)
    files[st.main] = st.content()
    argv = _argv(st, command)
    steps = []
    for before in st.before:
        first = [a for a in argv if a != "--overwrite"]
        steps.append(Step(first, before.after))
    steps.append(Step(argv))
    return Case(case_id, family, files, steps, st.mutations, st.intent, st.special, st.main)


def scenario_mutant(index: int, seed: int = 0, days: int = 5, small: bool = False) -> Case:
    # A chain of mutations can leave a document a later one cannot work on (a mapping replaced
    # by a string); such a draw is redrawn, reproducibly, from the next attempt's seed.
    for attempt in range(20):
        rng = random.Random(f"scenario:{seed}:{index}" + (f":{attempt}" if attempt else ""))
        try:
            st = _scenario_state(rng, days, small)
            _scenario_ops(st)
            st.content()
            break
        except (TypeError, KeyError, IndexError, AttributeError, ValueError):
            continue
    command = st.command
    if command is None:
        r = rng.random()
        if st.intent == "valid":
            command = "run" if r < 0.9 else ("validate" if r < 0.95 else "show")
        else:
            command = "run" if r < 0.55 else ("validate" if r < 0.85 else "show")
    return _finish(st, f"scenario:{seed}:{index}", "scenario", command)


def scenario_mutants(n: int, seed: int = 0, days: int = 5, small: bool = False) -> list[Case]:
    """``n`` reproducible scenario mutants: case ``i`` depends only on ``seed`` and ``i``."""
    return [scenario_mutant(i, seed, days, small) for i in range(n)]


# ---------------------------------------------------------------------------------------------
# Experiment mutants
# ---------------------------------------------------------------------------------------------


def _force_small(data: dict, days: int) -> None:
    data["replicates"] = 1
    data["days"] = days
    base = data.get("set")
    data["set"] = {**(base if isinstance(base, dict) else {}), **TINY}
    design = data.get("design")
    if isinstance(design, dict):
        params = design.get("parameters")
        if isinstance(params, dict):
            for k, v in params.items():
                if isinstance(v, list):
                    params[k] = v[:2]
        if design.get("kind") in ("morris", "sobol"):
            design["samples"] = 2
        elif design.get("kind") == "lhs":
            design["samples"] = 3


def d_design(st: _State, which: str = "experiment") -> None:
    rng = st.rng
    data = st.mapping()
    if data is None:
        return
    design = data.setdefault("design", {})
    if not isinstance(design, dict):
        design = data["design"] = {}
    params = design.get("parameters")
    params = params if isinstance(params, dict) else {}
    design["parameters"] = params
    kind = rng.randrange(20)
    st.dirty = True
    alone = len(st.mutations) == 1  # nothing but "from NAME" so far
    st.intent = "invalid"
    first = next(iter(params), "mechanisms.grid.coverage")
    if kind == 0:
        design["kind"] = "grid"
        values = params.get(first)
        values = values if isinstance(values, list) and values else [0.5]
        params[first] = values + [values[0]]
        st.note(f"repeat a grid value of {first}")
    elif kind == 1:
        scen = data.get("scenarios")
        scen = scen if isinstance(scen, list) and scen else ["fragmented"]
        data["scenarios"] = scen + [scen[0]]
        st.note("repeat a scenario")
    elif kind == 2:
        design.update(kind=rng.choice(["lhs", "morris", "sobol"]), samples=2,
                      parameters={"mechanisms.grid.coverage": {"low": 1.0, "high": 0.0}})
        st.note(f"{design['kind']} range with low > high")
    elif kind == 3:
        lo, hi = rng.choice([(0.0, math.inf), (-math.inf, 1.0), (math.nan, 1.0), (0.5, 0.5),
                             (-1e308, 1e308), (0.0, 1e300)])
        design.update(kind=rng.choice(["lhs", "morris", "sobol"]), samples=2,
                      parameters={"mechanisms.grid.coverage": {"low": lo, "high": hi}})
        st.note(f"{design['kind']} range [{lo}, {hi}]")
    elif kind == 4:
        design.update(kind=rng.choice(["lhs", "morris", "sobol"]),
                      parameters={"mechanisms.grid.coverage": {"low": 0.0, "high": 1.0}})
        design["samples"] = rng.choice([10**9, 2**40, Raw("1e9"), 0, -1, 18446744073709551616])
        st.note(f"{design['kind']} samples {design['samples']}")
    elif kind == 5:
        design.update(kind="morris", samples=2,
                      parameters={"mechanisms.grid.coverage": {"low": 0.0, "high": 1.0}})
        design["levels"] = rng.choice([10**9, 1, 0, 3, 2**63])
        st.note(f"morris levels {design['levels']}")
    elif kind == 6:
        data["replicates"] = rng.choice([10**9, 10**6, 2**31, 18446744073709551616, 0, -1])
        st.note(f"replicates {data['replicates']}")
    elif kind == 7:
        outputs = data.setdefault("outputs", {})
        if isinstance(outputs, dict):
            outputs["sensitivity_metrics"] = rng.choice([["nope"], [], ["scenario"], ["seed"],
                                                         ["resolution_rate", "nope"]])
        design.update(kind="morris", samples=2,
                      parameters={"mechanisms.grid.coverage": {"low": 0.0, "high": 1.0}})
        st.command = "sensitivity"
        st.note(f"sensitivity_metrics {data['outputs']}")
    elif kind == 8:
        design["kind"] = "grid"
        design["parameters"] = {leaf.dotted: [in_range(leaf, rng) for _ in range(10)]
                                for leaf in rng.sample(generic_leaves(), 6)}
        st.note("a grid of 10^6 points")
    elif kind == 9:
        data["root_seed"] = rng.choice([2**32, 2**63, 2**64, -1, 2**63 - 1])
        if rng.random() < 0.7:
            design.update(kind=rng.choice(["lhs", "morris", "sobol"]), samples=2,
                          parameters={"mechanisms.grid.coverage": {"low": 0.0, "high": 1.0}})
        st.note(f"root_seed {data['root_seed']} with {design.get('kind')}")
    elif kind == 10:
        outputs = data.setdefault("outputs", {})
        if isinstance(outputs, dict):
            outputs["every"] = rng.choice([0, -1, 10**30, 1000, True])
        st.note(f"outputs.every {data['outputs']}")
    elif kind == 11:
        data["scenarios"] = rng.choice([[], ["nope"], ["e.yaml"], ["fifo.yaml"], "fragmented",
                                        [None], [5], ["/dev/zero"], ["../beside.yaml"]])
        if data["scenarios"] == ["fifo.yaml"]:
            st.special.append(("fifo", "fifo.yaml"))
        st.note(f"scenarios {data['scenarios']}")
    elif kind == 12:
        design.update(kind="list")
        design.pop("parameters", None)
        design["points"] = rng.choice([[{}], [{"bogus.key": 1}], [{first: 10**30}], [],
                                       [{"structure.units": 0}], [{"days": 2}],
                                       [{"mechanisms.grid.coverage": 0.5}] * 3, "x", [[1]]])
        st.note(f"list design points {str(design['points'])[:60]}")
    elif kind == 13:
        data["set"] = {**(data.get("set") or {}), **rng.choice([
            {"days": 0}, {"extends": "x"}, {"structure": {"units": 3}}, {"structure.units": 0},
            {"bogus": 1}, {"structure.units": 10**7}, {"title_en": MEGA[:5000]}, {"": 1}])}
        st.note(f"set {list(data['set'])[-1]!r}")
    elif kind == 14:
        data["days"] = rng.choice([0, 10**9, 36_501, -1, 2.5, "3", True])
        st.note(f"days {data['days']!r}")
    elif kind == 15:
        data["residents"] = rng.choice([1, 2, 10**9, 0, 10**7])
        st.note(f"residents {data['residents']!r}")
    elif kind == 16:
        design["kind"] = rng.choice(["none", "grid", "lhs", "list", "bogus", 5])
        st.note(f"design kind {design['kind']!r} with {len(params)} parameters")
    elif kind == 17:
        design["kind"] = "grid"
        params[first] = rng.choice([[[1]], [None], [math.inf], [1, "a", True], [{}], [], 5,
                                    [math.nan], [BIG], ["one_core", 0.5]])
        st.note(f"grid values of {first}: {str(params[first])[:40]}")
    elif kind == 18:
        design["kind"] = "grid"
        params[rng.choice(["structure.units", "structure.buildings", "days",
                           "structure.households_per_unit", "interventions",
                           "actors.enterprises.5.staff", "extends"])] = [1, 10**7]
        st.note("grid over a structural or odd key")
    else:
        design["kind"] = "grid"
        design.pop("points", None)
        leaf = rng.choice(generic_leaves())
        params.clear()
        params[leaf.dotted] = [in_range(leaf, rng), in_range(leaf, rng)]
        st.intent = "valid" if alone else "invalid"
        st.note(f"valid grid over {leaf.dotted}")


def d_valid(st: _State, which: str = "experiment") -> None:
    rng = st.rng
    data = st.mapping()
    if data is None:
        return
    st.intent = "valid"
    st.dirty = True
    kind = rng.randrange(5)
    if kind == 0:
        leaf = rng.choice(generic_leaves())
        data["design"] = {"kind": "grid", "parameters": {
            leaf.dotted: sorted({json.dumps(in_range(leaf, rng)) for _ in range(2)})}}
        data["design"]["parameters"][leaf.dotted] = [
            json.loads(v) for v in data["design"]["parameters"][leaf.dotted]]
        st.note(f"grid over {leaf.dotted}")
    elif kind == 1:
        leaves = [leaf for leaf in generic_leaves() if leaf.kind == "float"
                  and leaf.lo is not None and leaf.hi is not None and leaf.hi <= 1.0]
        chosen = rng.sample(leaves, 2)
        data["design"] = {"kind": rng.choice(["lhs", "morris", "sobol"]), "samples": 2,
                          "parameters": {leaf.dotted: {"low": float(leaf.lo),
                                                       "high": float(leaf.hi)}
                                         for leaf in chosen}}
        if rng.random() < 0.4:
            st.command = "sensitivity"
        st.note(f"{data['design']['kind']} over {', '.join(x.dotted for x in chosen)}")
    elif kind == 2:
        data["scenarios"] = rng.sample([n for n, _ in _bases(str(SCENARIO_DIR))], 2)
        data["design"] = {"kind": "none"}
        st.note(f"scenarios {data['scenarios']}")
    elif kind == 3:
        sub = _scenario_state(rng, st.days, True, main="s.yaml")
        sub.intent = "valid"
        for op in rng.sample([v_structure, v_leaf, v_mechanisms, v_network], 2):
            op(sub)
        _shrink(sub)
        st.files["s.yaml"] = sub.content()
        st.files.update(sub.files)
        data["scenarios"] = ["s.yaml"]
        data["set"] = {}
        st.note("a mutated scenario file: " + "; ".join(sub.mutations))
    else:
        data["root_seed"] = rng.choice([0, 1, 2**32 - 1, 2**63 - 1])
        outputs = data.setdefault("outputs", {})
        if isinstance(outputs, dict):
            outputs.update(timeseries=rng.random() < 0.5, every=rng.choice([1, 2, 1000]))
        st.note(f"root_seed {data['root_seed']}, outputs {data.get('outputs')}")


def d_scenario_file(st: _State, which: str = "experiment") -> None:
    """An experiment over a (mostly invalid) scenario mutant."""
    sub = _scenario_state(st.rng, st.days, True, main="s.yaml")
    for op in st.rng.sample(BAD_OPS, st.rng.randint(1, 2)):
        op(sub)
    st.files["s.yaml"] = sub.content()
    st.files.update(sub.files)
    st.special += sub.special
    data = st.mapping()
    if data is not None:
        data["scenarios"] = ["s.yaml"]
        st.dirty = True
    st.note("over a scenario mutant: " + "; ".join(sub.mutations))


def experiment_mutant(index: int, seed: int = 0, days: int = 3) -> Case:
    for attempt in range(20):  # redraw a chain of mutations that cannot apply (see above)
        try:
            return _experiment_mutant(index, seed, days, attempt)
        except (TypeError, KeyError, IndexError, AttributeError, ValueError):
            continue
    return _experiment_mutant(index, seed, days, 20)


def _experiment_mutant(index: int, seed: int, days: int, attempt: int) -> Case:
    rng = random.Random(f"experiment:{seed}:{index}" + (f":{attempt}" if attempt else ""))
    name, text = rng.choice(_bases(str(EXPERIMENT_DIR)))
    st = _State(rng, yaml.safe_load(text.decode("utf-8")), text, main="e.yaml", days=days,
                small=True)
    st.note(f"from {name}")
    _force_small(st.data, days)
    st.dirty = True
    r = rng.random()
    if r < 0.3:
        d_valid(st)
    elif r < 0.65:
        for _ in range(rng.randint(1, 2)):
            d_design(st)
    elif r < 0.75:
        d_scenario_file(st)
    else:
        ops = [m_delete, m_rename, m_replace, m_replace, m_duplicate, m_deep, m_alias,
               m_truncate, m_utf8, m_empty, m_noise]
        for op in rng.sample(ops, rng.randint(1, 2)):
            op(st, "experiment")
    command = st.command
    if command is None:
        command = "sweep" if rng.random() < 0.85 else "validate"
    argv = [command, st.main]
    if command in ("sweep", "sensitivity"):
        argv += ["--out", "out"]
        if command == "sweep" and rng.random() < 0.2:
            argv.append("--csv")
        if rng.random() < 0.1:
            argv.append("--resume")
    files = dict(st.files)
    files[st.main] = st.content()
    return Case(f"experiment:{seed}:{index}", "experiment", files, [Step(argv)], st.mutations,
                st.intent, st.special, st.main)


def experiment_mutants(n: int, seed: int = 0, days: int = 3) -> list[Case]:
    """``n`` reproducible experiment mutants, small: one replicate, ``days`` days, 12 units."""
    return [experiment_mutant(i, seed, days) for i in range(n)]


# ---------------------------------------------------------------------------------------------
# The fixed list: every concrete input of issue 11, by name
# ---------------------------------------------------------------------------------------------


def _small_scenario(**extra: Any) -> dict[str, Any]:
    return {"extends": "one-core-four-element", "title_en": "fuzz",
            "structure": {"areas": 2, "buildings": 4, "units": 12}, **extra}


def _yaml_case(name: str, doc: Any, argv: list[str] | None = None, *, days: int = 2,
               files: dict[str, bytes] | None = None, special: list | None = None,
               raw: bytes | None = None, intent: str = "invalid") -> Case:
    body = raw if raw is not None else emit(doc).encode("utf-8", "surrogatepass")
    argv = argv or ["run", "m.yaml", "--days", str(days), "--out", "out"]
    return Case(f"fixed:{name}", "fixed", {"m.yaml": body, **(files or {})}, [Step(argv)],
                [name], intent, list(special or []))


def _exp_case(name: str, doc: dict[str, Any], command: str = "sweep", *, days: int = 2,
              files: dict[str, bytes] | None = None, special: list | None = None,
              intent: str = "invalid") -> Case:
    base = {"title": "fuzz", "scenarios": ["fragmented"], "replicates": 1, "days": days,
            "set": dict(TINY)}
    base.update(doc)
    argv = [command, "e.yaml"] + (["--out", "out"] if command != "validate" else [])
    return Case(f"fixed:{name}", "fixed", {"e.yaml": emit(base).encode(), **(files or {})},
                [Step(argv)], [name], intent, list(special or []), main="e.yaml")


STRING_EDGES = {'""', "1 MB string", '"NUL"', '"ESC"', "2024-02-30", "raw NUL"}
FLOAT_EDGES = {".inf", "-.inf", ".nan", "1e300", "-0.0", "5e-324", '"0.5"', "true", "1", "0"}


def fixed_cases(days: int = 2, full: bool = True) -> dict[str, Case]:
    """Named cases for every concrete input the issue lists. ``full`` puts every edge value
    at fields of four types and every ``--set`` value at two keys; otherwise each edge value
    goes to an integer field, and string or float edges also to a field of that type."""
    cases: list[Case] = []
    run = ["run", "m.yaml", "--days", str(days), "--out", "out"]
    # Edge values at fields of each type.
    for key in ("structure.units", "mechanisms.grid.coverage", "title_en",
                "mechanisms.grid.enabled"):
        for label, value in EDGES:
            if not full and not (key == "structure.units"
                                 or (key == "title_en" and label in STRING_EDGES)
                                 or (key == "mechanisms.grid.coverage"
                                     and label in FLOAT_EDGES)):
                continue
            doc = _small_scenario()
            set_path(doc, tuple(key.split(".")), value)
            cases.append(_yaml_case(f"{key}={label}", doc))
    # The same through --set.
    for key in ("structure.units", "title_en"):
        for text in SET_VALUES:
            if not full and key == "title_en" and text not in (".", "", "a\x00b", "\ud800"):
                continue
            shown = text if len(text) < 20 else f"{text[:8]}…{len(text)}"
            cases.append(_yaml_case(f"--set {key}={shown!r}", _small_scenario(),
                                    run + ["--set", f"{key}={text}"]))
    # YAML structure.
    big_map = Raw("{" + ", ".join(f"k{i}: {i}" for i in range(120_000)) + "}")
    for name, value in [("deep lists 200000", Raw("[" * 200_000 + "]" * 200_000)),
                        ("deep flow maps 50000", Raw("{a: " * 50_000 + "1" + "}" * 50_000)),
                        ("recursive alias", Raw("&a [*a]")), ("recursive map", Raw("&r {a: *r}")),
                        ("billion laughs", LAUGHS), ("undefined alias", Raw("*nope")),
                        ("list of 300000", Raw("[" + "1," * 300_000 + "1]")),
                        ("map of 120000", big_map)]:
        cases.append(_yaml_case(name, _small_scenario(summary=value)))
    deep: Any = 1
    for _ in range(300):
        deep = {"a": deep}
    cases.append(_yaml_case("deep block maps 300", _small_scenario(mechanisms=deep)))
    cases.append(_yaml_case("duplicate key", Pairs(list(_small_scenario().items())
                                                   + [("title_en", "again")])))
    cases.append(_yaml_case("merge key", _small_scenario(mechanisms={
        "grid": Raw("&g {enabled: true, coverage: 0.5}"), "points": {Raw("<<"): Raw("*g")}})))
    cases.append(_yaml_case("benign alias", _small_scenario(mechanisms={
        "grid": {"enabled": Raw("&on true")}, "points": {"enabled": Raw("*on")}}),
        intent="valid"))
    text = emit(_small_scenario()).encode()
    for name, raw in [("empty file", b""), ("whitespace only", b" \n\t\n"),
                      ("null document", b"~\n"), ("list document", b"- a\n"),
                      ("number document", b"42\n"), ("two documents", text + b"---\na: 1\n"),
                      ("BOM", b"\xef\xbb\xbf" + text), ("CRLF", text.replace(b"\n", b"\r\n")),
                      ("tab indent", text.replace(b"\n  ", b"\n\t")),
                      ("raw NUL", text + b"summary: a\x00b\n"),
                      ("raw ESC", text + b"summary: a\x1bb\n"),
                      ("invalid UTF-8", text + b"summary: \xff\xfe\n"),
                      ("cut multibyte", "title_zh: 一核".encode()[:-1]),
                      ("truncated", (SCENARIO_DIR / "one-core-four-element.yaml").read_bytes()
                       [:1500]),
                      ("over 1 MiB", text + b"# " + b"x" * (1 << 20) + b"\n"),
                      ("unclosed bracket", b"structure: [1, 2\n"),
                      ("python tag", b"title_en: !!python/object/apply:os.system ['echo hi']\n"),
                      ("binary tag", b"title_en: !!binary aGVsbG8=\n"),
                      ("set tag", b"title_en: !!set {a, b}\n"),
                      ("non-string key", b"1: a\n"), ("null key", b"~: a\n"),
                      ("list key", b"? [a]\n: b\n")]:
        cases.append(_yaml_case(name, None, raw=raw))
    # Bad extends.
    chain = {f"c{i}.yaml": f"extends: c{i + 1}.yaml\n".encode() for i in range(1199)}
    chain["c1199.yaml"] = b"extends: fragmented\n"
    for name, ext, files, special in [
            ("extends missing", "no-such-scenario", {}, []),
            ("extends self", "m.yaml", {}, []),
            ("extends cycle", "p.yaml", {"p.yaml": b"extends: m.yaml\n"}, []),
            ("extends chain 1200", "c0.yaml", chain, []),
            ("extends number", 123, {}, []), ("extends empty", "", {}, []),
            ("extends folder", ".", {}, []), ("extends /dev/zero", "/dev/zero", {}, []),
            ("extends FIFO", "fifo.yaml", {}, [("fifo", "fifo.yaml")]),
            ("extends NUL", "frag\x00mented", {}, []),
            ("extends symlink loop", "loop.yaml", {}, [("symlink", "loop.yaml", "loop2.yaml"),
                                                       ("symlink", "loop2.yaml", "loop.yaml")]),
            ("extends experiment", str(EXPERIMENT_DIR / "fengqiao-vs-reactive.yaml"), {}, [])]:
        cases.append(_yaml_case(name, _small_scenario(extends=ext), files=files,
                                special=special))
    # Interventions.
    for name, ivs, argv in [
            ("intervention late --days", [{"day": 1000, "set": {"mechanisms.grid.enabled":
                                                               True}}], None),
            ("intervention late validate", [{"day": 1000, "set": {"mechanisms.grid.enabled":
                                                                 True}}], ["validate", "m.yaml"]),
            ("intervention bogus key", [{"day": 1, "set": {"mechanisms.bogus": 1}}], None),
            ("intervention structure", [{"day": 1, "set": {"structure.units": 5}}], None),
            ("intervention enterprise 7", [{"day": 1, "set": {"actors.enterprises.7.staff": 1}}],
             None),
            ("intervention day -1", [{"day": -1, "set": {}}], None),
            ("intervention day 2^64", [{"day": 18446744073709551616, "set": {}}], None),
            ("intervention set null", [{"day": 1, "set": None}], None),
            ("intervention valid", [{"day": 1, "set": {"mechanisms.grid.enabled": True,
                                                      "mechanisms.grid.coverage": 0.0}}], None)]:
        cases.append(_yaml_case(name, _small_scenario(interventions=ivs), argv,
                                intent="valid" if name == "intervention valid" else "invalid"))
    # Found by the fuzzer: an intervention that multiplies issues beyond the footprint check.
    cases.append(_yaml_case("intervention explodes issue rates", {"interventions": [
        {"day": 4, "set": {"issues.grievance_sensitivity": 1e9}}]}, days=5, intent="valid"))
    # Command-line values.
    small = emit(_small_scenario()).encode()
    for name, extra in [("--seed 2^64", ["--seed", "18446744073709551616"]),
                        ("--seed -1", ["--seed", "-1"]),
                        ("--days 1e9", ["--days", "1000000000"]),
                        ("--days 0", ["--days", "0"]),
                        ("--residents 1e9", ["--residents", "1000000000"]),
                        ("--residents 1", ["--residents", "1"]),
                        ("--set twice", ["--set", "title_en=a", "--set", "title_en=b"]),
                        ("--set no =", ["--set", "title_en"]),
                        ("--set extends", ["--set", "extends=fragmented"]),
                        ("--set days and --days", ["--set", "days=3"])]:
        cases.append(Case(f"fixed:{name}", "fixed", {"m.yaml": small}, [Step(run + extra)],
                          [name], "valid" if name == "--residents 1" else "invalid"))
    # Output folders.
    foreign = dict(FOREIGN)
    for name, out, overwrite, files, special, cwd_files in [
            ("--out . --overwrite", ".", True, {}, [], True),
            ("--out .. --overwrite", "..", True, {}, [], True),
            ("--out foreign folder --overwrite", "notes", True, {}, [], True),
            ("--out existing file", "precious.txt", False, {}, [], True),
            ("--out symlink", "link", True, {"real/inside.txt": b"x\n"},
             [("mkdir", "real"), ("symlink", "link", "real")], True),
            ("--out empty", "", False, {}, [], False),
            ("--out NUL", "o\x00ut", False, {}, [], False),
            ("--out 300 chars", "y" * 300, False, {}, [], False),
            ("--out path too long", "a/" * 2100 + "b", False, {}, [], False),
            ("--out fake manifest", "out", True, {"out/manifest.json": b'{"version": "0"}\n',
                                                  "out/secret.txt": b"x\n"}, [], True)]:
        argv = ["run", "m.yaml", "--days", str(days), "--out", out] + (
            ["--overwrite"] if overwrite else [])
        all_files = {"m.yaml": small, **(foreign if cwd_files else {}), **files}
        cases.append(Case(f"fixed:{name}", "fixed", all_files, [Step(argv)], [name],
                          special=special))
    argv = ["run", "m.yaml", "--days", str(days), "--out", "out"]
    cases.append(Case("fixed:overwrite own results", "fixed", {"m.yaml": small},
                      [Step(argv), Step(argv + ["--overwrite"])], ["overwrite own"], "valid"))
    cases.append(Case("fixed:overwrite with planted file", "fixed", {"m.yaml": small},
                      [Step(argv, after={"out/planted.txt": b"mine\n"}),
                       Step(argv + ["--overwrite"])], ["planted"]))
    # Input paths.
    for name, target, special in [
            ("input FIFO", "fifo.yaml", [("fifo", "fifo.yaml")]),
            ("input /dev/zero", "/dev/zero", []), ("input /dev/urandom", "/dev/urandom", []),
            ("input symlink loop", "loop.yaml", [("symlink", "loop.yaml", "loop2.yaml"),
                                                 ("symlink", "loop2.yaml", "loop.yaml")]),
            ("input 300 chars", "n" * 300 + ".yaml", []), ("input NUL", "m\x00.yaml", []),
            ("input folder", "adir.yaml", [("mkdir", "adir.yaml")]),
            ("input missing", "missing.yaml", []), ("input empty name", "", [])]:
        for command in ("run", "validate"):
            argv = ([command, target] + (["--days", str(days), "--out", "out"]
                                         if command == "run" else []))
            cases.append(Case(f"fixed:{name} ({command})", "fixed", {"m.yaml": small},
                              [Step(argv)], [name], special=special))
    cases.append(Case("fixed:plot garbage parquet", "fixed",
                      {"res/runs.parquet": b"PAR1 not parquet"}, [Step(["plot", "res"])],
                      ["plot garbage"]))
    cases.append(Case("fixed:report empty parquet", "fixed", {"res/runs.parquet": b""},
                      [Step(["report", "res"])], ["report empty"]))
    # Experiments.
    cov = "mechanisms.grid.coverage"
    rng01 = {cov: {"low": 0.0, "high": 1.0}}
    for name, doc, command in [
            ("experiment valid grid", {"design": {"kind": "grid", "parameters": {
                cov: [0.0, 1.0]}}}, "sweep"),
            ("experiment valid morris", {"design": {"kind": "morris", "samples": 2,
                                                    "parameters": rng01}}, "sensitivity"),
            ("grid repeated value", {"design": {"kind": "grid", "parameters": {
                cov: [0.5, 0.5]}}}, "sweep"),
            ("repeated scenario", {"scenarios": ["fragmented", "fragmented"]}, "sweep"),
            ("range low > high", {"design": {"kind": "lhs", "samples": 2, "parameters": {
                cov: {"low": 1.0, "high": 0.0}}}}, "sweep"),
            ("range infinite", {"design": {"kind": "lhs", "samples": 2, "parameters": {
                cov: {"low": 0.0, "high": math.inf}}}}, "sweep"),
            ("range -inf morris", {"design": {"kind": "morris", "samples": 2, "parameters": {
                cov: {"low": -math.inf, "high": 1.0}}}}, "sensitivity"),
            ("range nan", {"design": {"kind": "sobol", "samples": 2, "parameters": {
                cov: {"low": math.nan, "high": 1.0}}}}, "sweep"),
            ("huge samples lhs", {"design": {"kind": "lhs", "samples": 10**9,
                                             "parameters": rng01}}, "sweep"),
            ("huge samples sobol", {"design": {"kind": "sobol", "samples": 2**40,
                                               "parameters": rng01}}, "sweep"),
            ("huge levels", {"design": {"kind": "morris", "samples": 2, "levels": 10**9,
                                        "parameters": rng01}}, "sweep"),
            ("huge replicates", {"replicates": 10**9}, "sweep"),
            ("replicates 2^64", {"replicates": 18446744073709551616}, "sweep"),
            ("huge grid", {"design": {"kind": "grid", "parameters": {
                f"mechanisms.{m}.enabled": [True, False] for m in defaults()["mechanisms"]
                if m != "coordination"} | {cov: [0.1 * i for i in range(10)]}}}, "sweep"),
            ("unknown sensitivity metric", {"outputs": {"sensitivity_metrics": ["nope"]},
                                            "design": {"kind": "morris", "samples": 2,
                                                       "parameters": rng01}}, "sensitivity"),
            ("root_seed 2^64 morris", {"root_seed": 2**64, "design": {
                "kind": "morris", "samples": 2, "parameters": rng01}}, "sweep"),
            ("root_seed 2^63 lhs", {"root_seed": 2**63, "design": {
                "kind": "lhs", "samples": 2, "parameters": rng01}}, "sweep"),
            ("every 0", {"outputs": {"every": 0}}, "sweep"),
            ("every 10^30", {"outputs": {"every": 10**30}}, "sweep"),
            ("no scenarios", {"scenarios": []}, "sweep"),
            ("scenario FIFO", {"scenarios": ["fifo.yaml"]}, "sweep"),
            ("scenario self", {"scenarios": ["e.yaml"]}, "sweep"),
            ("list point bogus", {"design": {"kind": "list", "points": [{"bogus": 1}]}},
             "sweep"),
            ("list point empty", {"design": {"kind": "list", "points": [{}]}}, "sweep"),
            ("set days 0", {"set": {"days": 0}}, "sweep"),
            ("days 10^9", {"days": 10**9}, "sweep"),
            ("residents 10^9", {"residents": 10**9}, "sweep"),
            ("residents 1", {"residents": 1}, "sweep"),
            ("grid over structure", {"design": {"kind": "grid", "parameters": {
                "structure.units": [1, 10**7]}}}, "sweep"),
            ("grid value list", {"design": {"kind": "grid", "parameters": {cov: [[1]]}}},
             "sweep"),
            ("grid value inf", {"design": {"kind": "grid", "parameters": {cov: [math.inf]}}},
             "sweep"),
            ("sensitivity on grid", {"design": {"kind": "grid", "parameters": {
                cov: [0.0, 1.0]}}}, "sensitivity"),
            ("validate experiment", {}, "validate")]:
        special = [("fifo", "fifo.yaml")] if name == "scenario FIFO" else []
        intent = "valid" if name.startswith("experiment valid") or name in (
            "residents 1", "grid repeated value", "repeated scenario") else "invalid"
        cases.append(_exp_case(name, doc, command, days=days, special=special, intent=intent))
    exp = emit({"title": "fuzz", "scenarios": ["fragmented"], "replicates": 1, "days": days,
                "set": dict(TINY)}).encode()
    sweep = ["sweep", "e.yaml", "--out", "out"]
    cases.append(Case("fixed:sweep twice", "fixed", {"e.yaml": exp}, [Step(sweep), Step(sweep)],
                      ["sweep twice"]))
    cases.append(Case("fixed:sweep resume", "fixed", {"e.yaml": exp},
                      [Step(sweep), Step(sweep + ["--resume"])], ["sweep resume"], "valid"))
    cases.append(Case("fixed:sweep into foreign folder", "fixed", {"e.yaml": exp, **FOREIGN},
                      [Step(["sweep", "e.yaml", "--out", "notes"])], ["sweep foreign"]))
    cases.append(Case("fixed:sweep --out .", "fixed", {"e.yaml": exp, **FOREIGN},
                      [Step(["sweep", "e.yaml", "--out", "."])], ["sweep ."]))
    cases.append(Case("fixed:sweep --workers 0", "fixed", {"e.yaml": exp},
                      [Step(sweep + ["--workers", "0"])], ["workers 0"]))
    return {c.id[len("fixed:"):]: c for c in cases}


# ---------------------------------------------------------------------------------------------
# Running a case
# ---------------------------------------------------------------------------------------------

_LOADED = False


def preload() -> None:
    """Import cogov and everything a command imports lazily, once, before forking."""
    global _LOADED
    if _LOADED:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401
    from cogov.experiments import cli  # noqa: F401

    with warnings.catch_warnings():  # fonts and text metrics, loaded once for every child
        warnings.simplefilter("ignore")
        fig, axes = matplotlib.pyplot.subplots(2, 3, figsize=(6, 4))
        for ax in axes.flat:
            ax.plot([0, 1], [0, 1])
            ax.set_title("一核 warm-up")
        fig.savefig(io.BytesIO(), format="png", dpi=50)
        matplotlib.pyplot.close(fig)
    # (the command modules of cogov.experiments.cli came with it)
    for name in ("runner", "batch", "sweep", "spec", "design", "outputs", "dashboard", "compare",
                 "sensitivity", "plots", "report", "validation", "patterns"):
        try:
            __import__(f"cogov.experiments.{name}")
        except ImportError:
            pass
    _LOADED = True


def _call_main(argv: list[str]) -> int:
    from cogov.experiments.cli import main

    try:
        rc = main(argv)
    except SystemExit as exc:
        rc = exc.code
        if rc is not None and not isinstance(rc, int):
            print(rc, file=sys.stderr)
            rc = 1
    except BaseException:  # noqa: BLE001 — an escaped exception is a finding
        traceback.print_exc()
        rc = 99
    if rc is None:
        rc = 0
    if not isinstance(rc, int) or not 0 <= rc <= 255:
        print(f"fuzz: main returned {rc!r}", file=sys.stderr)
        rc = 97
    return rc


def _child(argv: list[str], cwd: Path, out_path: Path, err_path: Path) -> None:
    code = 98
    try:
        os.setpgid(0, 0)
        fd = os.open(os.devnull, os.O_RDONLY)
        os.dup2(fd, 0)
        os.dup2(os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
        os.dup2(os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 2)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                      line_buffering=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                      errors="backslashreplace", line_buffering=True)
        sys.__stdout__, sys.__stderr__ = sys.stdout, sys.stderr
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(cwd)
        code = _call_main(argv)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:  # noqa: BLE001
                code = code or 96
    except BaseException:  # noqa: BLE001
        try:
            os.write(2, traceback.format_exc().encode())
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(code)


def fork_run(argv: list[str], cwd: Path, timeout: float, io_dir: Path
             ) -> tuple[int, bool, str, str, float]:
    """Run ``main(argv)`` in a forked child: (exit code or -signal, timed out, stdout, stderr,
    seconds)."""
    preload()
    out_path, err_path = io_dir / "stdout", io_dir / "stderr"
    sys.stdout.flush()
    sys.stderr.flush()
    t0 = time.monotonic()
    with warnings.catch_warnings():  # only jemalloc's fork-safe thread runs beside this one
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        _child(argv, cwd, out_path, err_path)
    timed_out = False
    delay = 0.002
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - t0 > timeout:
            timed_out = True
            _kill_group(pid)
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(delay)
        delay = min(delay * 1.5, 0.05)
    _kill_group(pid)  # whatever the case started and left behind
    seconds = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    return code, timed_out, _read(out_path), _read(err_path), seconds


def _kill_group(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
            return
        except (ProcessLookupError, PermissionError):
            continue


def _read(path: Path, limit: int = 4 << 20) -> str:
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit)
    except OSError:
        return ""
    return data.decode("utf-8", "backslashreplace")


def _materialise(case: Case, work: Path) -> None:
    case_dir = work.parent
    for rel, data in case.files.items():
        path = Path(os.path.normpath(work / rel))
        assert case_dir in path.parents, rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for item in case.special:
        path = work / item[1]
        if item[0] == "fifo":
            os.mkfifo(path)
        elif item[0] == "symlink":
            if not path.is_symlink():
                os.symlink(item[2], path)
        elif item[0] == "mkdir":
            path.mkdir(parents=True, exist_ok=True)


def _snapshot(case_dir: Path) -> dict[str, str]:
    out = {}
    for root, dirs, files in os.walk(case_dir):
        for name in files:
            p = Path(root) / name
            if p.is_symlink() or not p.is_file():
                continue
            out[str(p.relative_to(case_dir))] = hashlib.sha1(p.read_bytes()).hexdigest()
        dirs[:] = [d for d in dirs if not (Path(root) / d).is_symlink()]
    return out


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_TMP = re.compile(r"^\..+\.(tmp|old)$|^\..*\.tmp\b")


def _command(argv: list[str]) -> str:
    return argv[0] if argv else ""


def _out_of(argv: list[str]) -> str | None:
    out = None
    for i, a in enumerate(argv[:-1]):
        if a == "--out":
            out = argv[i + 1]
    if not out and _command(argv) in ("run", "sweep", "sensitivity", "compare"):
        out = "results"
    return out


def _exists(path: Path) -> bool:
    try:
        return os.path.lexists(path)
    except (OSError, ValueError):
        return False


def check_outputs(argv: list[str], code: int, work: Path, root: Path, sentinels: dict[str, str],
                  out_existed: bool, root_before: set[str]) -> list[tuple[str, str, str]]:
    """File-system findings after one step: (class, signature, detail)."""
    found: list[tuple[str, str, str]] = []
    case_dir = work.parent
    command = _command(argv)
    shape = " ".join(a if a.startswith("-") or i == 0 else "X" for i, a in enumerate(argv))
    now = _snapshot(case_dir) if case_dir.exists() else {}
    lost = [rel for rel, digest in sentinels.items() if now.get(rel) != digest]
    if lost:
        found.append(("data-loss", f"data-loss: {shape}",
                      f"removed or changed: {', '.join(sorted(lost)[:5])}"))
    if case_dir.exists():
        for dirpath, dirs, files in os.walk(case_dir):
            for name in files + dirs:
                p = Path(dirpath) / name
                rel = str(p.relative_to(case_dir))
                if _TMP.match(name):
                    pattern = re.sub(r"\d+", "#", name)
                    found.append(("leftover-tmp", f"leftover-tmp {command}: {pattern[:60]}",
                                  rel))
                if name.endswith(".json") and rel not in sentinels and p.is_file():
                    try:
                        json.loads(p.read_text(encoding="utf-8"),
                                   parse_constant=_refuse_constant)
                    except (ValueError, UnicodeDecodeError) as exc:
                        found.append(("invalid-json", f"invalid-json {command}: {name}: "
                                      f"{type(exc).__name__}", f"{rel}: {str(exc)[:200]}"))
            dirs[:] = [d for d in dirs if not (Path(dirpath) / d).is_symlink()]
    for name in set(os.listdir(root)) - root_before:
        if name.startswith("."):
            found.append(("leftover-tmp", f"leftover-tmp {command}: beside the case folder",
                          name))
    out = _out_of(argv)
    if out is not None and command in OUTPUT_COMMANDS:
        target = work / out
        made = _exists(target) and not out_existed
        if code not in (0, 1) and made:
            found.append(("partial-output", f"partial-output {command}: exit {code} left "
                          "--out behind", str(out)[:80]))
        if code == 1 and command in ("sweep", "sensitivity"):
            found.append(_failures(target))
        if code == 0 and out != "results":
            problem = _complete(target, command)
            if problem:
                found.append(("partial-output", f"partial-output {command}: exit 0 but "
                              f"{problem}", str(out)[:80]))
    return found


def _complete(target: Path, command: str) -> str | None:
    try:
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"no readable manifest.json ({type(exc).__name__})"
    if not isinstance(manifest, dict):
        return "manifest.json is not a mapping"
    if command in ("sweep", "sensitivity"):
        if not str(manifest.get("status", "")).startswith("complete"):
            return f"manifest status {manifest.get('status')!r}"
        return None
    listed = manifest.get("output_files")
    if isinstance(listed, list):
        missing = [f for f in listed if not (target / str(f)).exists()]
        if missing:
            return f"manifest lists missing files ({', '.join(missing[:3])})"
    return None


def _failures(target: Path) -> tuple[str, str, str]:
    path = target / "failures.csv"
    try:
        csv.field_size_limit(sys.maxsize)
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, csv.Error, UnicodeDecodeError):
        return ("run-failed", "run-failed: exit 1 without a readable failures.csv", "")
    errors = Counter(r.get("error", "") for r in rows)
    first = errors.most_common(1)[0][0] if errors else ""
    return ("run-failed", f"run-failed: {normalize(first)}",
            f"{len(rows)} failed run(s): " + "; ".join(f"{e[:300]} (×{n})"
                                                       for e, n in errors.most_common(3)))


def normalize(text: str, root: str | None = None) -> str:
    """A message with its case-specific parts (paths, numbers, quoted values) blanked."""
    if root:
        text = text.replace(root, "<tmp>")
    text = re.sub(r"/tmp/[^\s:'\"]*", "<tmp>", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    text = re.sub(r"\d+", "#", text)
    return text[:160]


# ---------------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------------

_ERROR_LINE = re.compile(r"^cogov(?: [\w-]+)?: error: (.*)$")
_FILE_LINE = re.compile(r"^(.+?):(\d+): ")
_FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+), in (.+)$')
_WARNING = re.compile(r"^(\S+?\.py):(\d+): (\w*Warning): (.*)$")


def _traceback_signature(stderr: str) -> str:
    block = stderr[stderr.rfind("Traceback (most recent call last)"):]
    frames = [_FRAME.match(line) for line in block.splitlines()]
    frames = [f for f in frames if f]
    lines = [ln for ln in block.splitlines()[1:] if ln and not ln.startswith(" ")]
    exc = lines[-1] if lines else "?"
    kind = exc.split(":", 1)[0]
    ours = [f for f in frames if "/cogov" in f[1] or "/work/main/" in f[1]]

    def where(f: re.Match) -> str:
        parts = Path(f[1]).parts
        return f"{'/'.join(parts[-2:])}:{f[3]}"

    last = where(frames[-1]) if frames else "?"
    mine = where(ours[-1]) if ours else None
    return f"traceback {kind} at {last}" + (f" (from {mine})" if mine and mine != last else "")


def has_location(message: str, argv: list[str], cwd: Path | None = None) -> str | None:
    """None when the first line of an error message names a location, else the reason not."""
    if message.startswith(("argument ", "the following arguments", "unrecognized arguments",
                           "invalid choice")):
        return None
    m = _FILE_LINE.match(message)
    if m:
        if cwd is not None:
            path = Path(m[1]) if Path(m[1]).is_absolute() else cwd / m[1]
            try:
                if path.is_file() and int(m[2]) > path.read_bytes().count(b"\n") + 2:
                    return f"line {m[2]} is beyond the end of {m[1]}"
            except (OSError, ValueError):
                pass
        return None
    if message.startswith("--"):
        return None
    head = message.split(": ", 1)[0]
    if any(tok.startswith("--") and tok in head for tok in argv[1:]):
        return None
    for tok in argv[1:]:
        if not tok.strip():
            if repr(tok) in head:
                return None
            continue
        if tok.startswith("-"):
            continue
        forms = {tok, repr(tok), repr(tok)[1:-1], tok.rstrip("/"), repr(tok)[:40],
                 repr(tok)[1:40]}
        if any(f and (head.endswith(f) or head.startswith(f) or f in head) for f in forms):
            return None
    return "names no file:line, option or argument"


def classify(argv: list[str], code: int, stderr: str, timed_out: bool = False,
             problems: list[tuple[str, str, str]] | tuple = (), cwd: Path | None = None
             ) -> tuple[str, str, str]:
    """(class, signature, detail) of one step. ``code`` is the exit code, or -N for signal N."""
    command = _command(argv)
    found: list[tuple[str, str, str]] = list(problems)
    if timed_out:
        found.append(("hang", f"hang: {command}", "killed at the timeout"))
    elif code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        found.append(("signal", f"signal {name}: {command}", stderr[-300:]))
    if "Traceback (most recent call last)" in stderr or code == 99:
        found.append(("traceback", _traceback_signature(stderr), _tail(stderr)))
    elif not timed_out and code >= 0:
        if code == 1 and command in ("sweep", "sensitivity"):
            if not any(f[0] == "run-failed" for f in found):
                found.append(("run-failed", "run-failed: exit 1", _tail(stderr)))
        elif code not in (0, 2):
            found.append(("bad-exit", f"bad-exit {code}: {command}: "
                          f"{normalize(_first(stderr))}", _tail(stderr)))
        elif code == 2:
            errors = [m for m in map(_ERROR_LINE.match, stderr.splitlines()) if m]
            if len(errors) != 1:
                why = "no 'cogov: error:' line" if not errors else f"{len(errors)} error lines"
                found.append(("error-without-location", f"no-location: {why}: "
                              f"{normalize(_first(stderr))}", _tail(stderr)))
            else:
                reason = has_location(errors[0][1], argv, cwd)
                if reason:
                    found.append(("error-without-location", f"no-location: "
                                  f"{normalize(errors[0][1])}", f"{reason}: {errors[0][1]}"))
                else:
                    found.append(("ok-error", "ok-error", errors[0][1][:300]))
        else:
            warnings = [m for m in map(_WARNING.match, stderr.splitlines()) if m]
            if warnings:
                w = warnings[0]
                found.append(("warning", f"warning {w[3]} at {'/'.join(Path(w[1]).parts[-2:])}"
                              f":{w[2]}: {normalize(w[4])[:80]}", w[0][:300]))
            found.append(("ok-run", "ok-run", ""))
    found.sort(key=lambda f: ORDER.index(f[0]))
    return found[0] if found else ("ok-run", "ok-run", "")


def _first(text: str) -> str:
    for line in text.splitlines():
        if line.strip() and not line.startswith("usage:"):
            return line
    return ""


def _tail(text: str, n: int = 12) -> str:
    lines = text.splitlines()[-n:]
    return "\n".join(line[:300] for line in lines)


def run_case(case: Case, timeout: float = 20.0, root: Path | str | None = None,
             keep: bool = False) -> dict[str, Any]:
    """Run every step of ``case`` in a fresh folder and classify the outcome."""
    base = Path(root) if root is not None else Path(tempfile.gettempdir())
    base.mkdir(parents=True, exist_ok=True)
    case_dir = Path(tempfile.mkdtemp(prefix="case-", dir=base))
    io_dir = Path(tempfile.mkdtemp(prefix="io-", dir=base))
    work = case_dir / "work"
    work.mkdir()
    steps: list[dict[str, Any]] = []
    worst = ("ok-run", "ok-run", "")
    try:
        _materialise(case, work)
        sentinels = _snapshot(case_dir)
        for step in case.steps:
            root_before = set(os.listdir(base))
            out = _out_of(step.argv)
            out_existed = out is not None and _exists(work / out)
            code, timed_out, stdout, stderr, seconds = fork_run(step.argv, work, timeout,
                                                                io_dir)
            problems = check_outputs(step.argv, code, work, base, sentinels, out_existed,
                                     root_before)
            result = classify(step.argv, code, stderr, timed_out, problems, work)
            steps.append({"argv": step.argv, "exit": code, "seconds": round(seconds, 3),
                          "class": result[0], "signature": result[1], "detail": result[2],
                          "stderr": _tail(stderr, 20), "stdout": _tail(stdout, 5)})
            if ORDER.index(result[0]) < ORDER.index(worst[0]):
                worst = result
            if result[0] in HARD:
                break
            for rel, data in step.after.items():
                path = work / rel
                if path.parent.is_dir():
                    path.write_bytes(data)
            sentinels = {**sentinels, **{k: v for k, v in _snapshot(case_dir).items()
                                         if k in {str(Path("work") / r) for r in step.after}}}
    finally:
        if not keep:
            shutil.rmtree(case_dir, ignore_errors=True)
        shutil.rmtree(io_dir, ignore_errors=True)
        for name in os.listdir(base):  # what a case left beside its folder
            if name.startswith(f".{case_dir.name}"):
                p = base / name
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()
    return {"id": case.id, "family": case.family, "intent": case.intent, "class": worst[0],
            "seconds": round(sum(s["seconds"] for s in steps), 3),
            "signature": worst[1], "detail": worst[2], "mutations": case.mutations,
            "steps": steps, "case_dir": str(case_dir) if keep else None}


# ---------------------------------------------------------------------------------------------
# Reduction and the report
# ---------------------------------------------------------------------------------------------


def reproduction(case: Case, result: dict[str, Any], limit: int = 2048) -> dict[str, Any]:
    def show(data: bytes) -> str:
        text = data[:limit].decode("utf-8", "backslashreplace")
        return text + (f"\n… ({len(data):,} bytes)" if len(data) > limit else "")

    others = [k for k in case.files if k != case.main]
    return {"id": case.id, "argv": [s.argv for s in case.steps], "mutations": case.mutations,
            "main": case.main, "file": show(case.files.get(case.main, b"")),
            "other_files": {k: show(case.files[k])[:400] for k in others[:3]},
            "more_files": max(0, len(others) - 3), "special": case.special,
            "exit": [s["exit"] for s in result["steps"]], "detail": result["detail"],
            "stderr": result["steps"][-1]["stderr"] if result["steps"] else ""}


def _blocks(lines: list[bytes], indent: int) -> list[tuple[int, int]]:
    """(start, end) of each YAML block that starts at ``indent`` spaces: the line and the more
    deeply indented lines below it."""
    out: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        depth = len(line) - len(line.lstrip(b" "))
        if line.strip() and depth == indent:
            out.append((i, i + 1))
        elif out and out[-1][1] == i and (depth > indent or not line.strip()):
            out[-1] = (out[-1][0], i + 1)
    return out


def minimize(case: Case, result: dict[str, Any], timeout: float, root: Path,
             budget: int = 40) -> Case:
    """Drop YAML blocks (top-level keys, then the keys below them), then single lines, of the
    main file while the signature stays the same: greedy and bounded by ``budget`` runs."""
    data = case.files.get(case.main)
    if not data or result["class"] not in HARD | SOFT:
        return case
    lines = data.split(b"\n")
    tries = 0

    def same(trial: list[bytes]) -> bool:
        nonlocal tries
        tries += 1
        probe = copy.copy(case)
        probe.files = {**case.files, case.main: b"\n".join(trial)}
        return run_case(probe, timeout, root)["signature"] == result["signature"]

    for indent in (0, 2, 4, None):
        spans = ([(i, i + 1) for i in range(len(lines))] if indent is None
                 else _blocks(lines, indent))
        for start, end in reversed(spans):  # from the end: earlier spans keep their place
            if tries >= budget:
                break
            trial = lines[:start] + lines[end:]
            if trial != lines and same(trial):
                lines = trial
    out = copy.copy(case)
    out.files = {**case.files, case.main: b"\n".join(lines)}
    return out


def summarize(pairs: list[tuple[Case, dict[str, Any]]]) -> dict[str, Any]:
    counts = Counter(r["class"] for _, r in pairs)
    by_family: dict[str, Counter] = {}
    for _, r in pairs:
        by_family.setdefault(r["family"], Counter())[r["class"]] += 1
    groups: dict[str, dict[str, Any]] = {}
    for case, r in pairs:
        if r["class"] not in HARD | SOFT:
            continue
        g = groups.setdefault(r["signature"], {"class": r["class"], "count": 0, "ids": [],
                                               "_best": None})
        g["count"] += 1
        g["ids"].append(r["id"])
        size = sum(len(v) for v in case.files.values()) + len(case.files) * 100
        if g["_best"] is None or size < g["_best"][0]:
            g["_best"] = (size, case, r)
    defects = []
    for sig, g in sorted(groups.items(), key=lambda kv: (ORDER.index(kv[1]["class"]),
                                                           -kv[1]["count"])):
        _, case, r = g.pop("_best")
        defects.append({"signature": sig, "class": g["class"], "count": g["count"],
                        "ids": g["ids"][:20], "example": reproduction(case, r)})
    valid = [r for _, r in pairs if r["family"] == "scenario"]
    ran = sum(r["class"] == "ok-run" and any(s["argv"][0] == "run" for s in r["steps"])
              for r in valid)
    return {"counts": dict(counts), "by_family": {k: dict(v) for k, v in by_family.items()},
            "scenario_mutants_run_ok": ran, "scenario_mutants": len(valid),
            "hard": [d for d in defects if d["class"] in HARD],
            "soft": [d for d in defects if d["class"] in SOFT]}


def print_table(summary: dict[str, Any], file: Any = sys.stdout) -> None:
    families = sorted(summary["by_family"])
    print(f"{'class':<24}" + "".join(f"{f:>12}" for f in families) + f"{'total':>8}", file=file)
    for cls in ORDER:
        total = summary["counts"].get(cls, 0)
        if not total:
            continue
        row = "".join(f"{summary['by_family'][f].get(cls, 0):>12}" for f in families)
        mark = " !" if cls in HARD else (" ~" if cls in SOFT else "")
        print(f"{cls + mark:<24}{row}{total:>8}", file=file)
    n = summary["scenario_mutants"]
    if n:
        print(f"\nscenario mutants that ran cleanly: {summary['scenario_mutants_run_ok']} of {n}"
              f" ({summary['scenario_mutants_run_ok'] / n:.0%})", file=file)
    for title, key in (("defects", "hard"), ("softer defects", "soft")):
        if summary[key]:
            print(f"\n{title} by signature:", file=file)
            for d in summary[key]:
                print(f"  {d['count']:>4}  {d['class']:<22} {d['signature'][:110]}", file=file)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scenarios", type=int, default=300, help="scenario mutants")
    p.add_argument("--experiments", type=int, default=60, help="experiment mutants")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per step")
    p.add_argument("--days", type=int, default=5, help="days of each scenario run")
    p.add_argument("--small", action="store_true", help="shrink every scenario to 12 units")
    p.add_argument("--no-fixed", action="store_true", help="skip the fixed list of cases")
    p.add_argument("--only", metavar="ID", action="append",
                   help="run only these case ids (e.g. scenario:1:17, fixed:input FIFO (run))")
    p.add_argument("--minimize", type=int, default=30, metavar="N",
                   help="runs spent reducing each defect's example (0: none)")
    p.add_argument("--keep", action="store_true", help="keep the case folders")
    p.add_argument("--report", metavar="JSON", help="write the report here")
    args = p.parse_args(argv)

    cases: list[Case] = []
    if not args.no_fixed:
        cases += list(fixed_cases(days=2).values())
    cases += scenario_mutants(args.scenarios, args.seed, args.days, args.small)
    cases += experiment_mutants(args.experiments, args.seed, 3)
    if args.only:
        wanted = set(args.only)
        extra = [c for c in cases if c.id in wanted]
        for ident in sorted(wanted - {c.id for c in extra}):
            family, _, rest = ident.partition(":")
            if family not in ("scenario", "experiment"):
                p.error(f"--only {ident!r}: no such case")
            seed, _, index = rest.partition(":")
            maker = scenario_mutant if family == "scenario" else experiment_mutant
            extra.append(maker(int(index), int(seed)))
        cases = extra
    preload()
    root = Path(tempfile.mkdtemp(prefix="cogov-fuzz-"))
    pairs = []
    t0 = time.monotonic()
    try:
        for i, case in enumerate(cases, 1):
            result = run_case(case, args.timeout, root, keep=args.keep)
            pairs.append((case, result))
            if args.only:
                print(json.dumps({"mutations": case.mutations, **result}, indent=2,
                                 ensure_ascii=False))
                print(case.files.get(case.main, b"")[:2048].decode("utf-8", "replace"))
            if i % 25 == 0 or i == len(cases):
                bad = sum(r["class"] in HARD for _, r in pairs)
                print(f"[{i}/{len(cases)}] {time.monotonic() - t0:.0f} s, {bad} defects",
                      file=sys.stderr, flush=True)
        summary = summarize(pairs)
        if args.minimize:
            by_id = {c.id: (c, r) for c, r in pairs}
            for d in summary["hard"] + summary["soft"]:
                case, result = by_id[d["example"]["id"]]
                small = minimize(case, result, args.timeout, root, args.minimize)
                if small is not case:
                    d["example"]["file"] = reproduction(small, result)["file"]
                    d["example"]["minimized"] = True
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print_table(summary)
    if args.report:
        report = {"seed": args.seed, "scenarios": args.scenarios,
                  "experiments": args.experiments, "days": args.days, "timeout": args.timeout,
                  "seconds": round(time.monotonic() - t0, 1), **summary,
                  "results": [{k: r[k] for k in ("id", "intent", "class", "signature",
                                                 "seconds")}
                              for _, r in pairs]}
        Path(args.report).write_text(json.dumps(report, indent=2, ensure_ascii=False,
                                                default=str) + "\n", encoding="utf-8",
                                     errors="backslashreplace")
        print(f"\nreport in {args.report}")
    return 1 if summary["hard"] else 0


if __name__ == "__main__":
    sys.exit(main())
