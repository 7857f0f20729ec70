"""Load scenarios: YAML with line numbers, ``extends:`` chains, ``--set`` overrides, clear errors.

A user's mistake must end in one readable message naming the file, the line, the field and the
reason, e.g. ``scenarios/x.yaml:14: actors.residents_committee.staff: must be >= 0`` or
``… unknown key 'capacty' (did you mean 'capacity'?)``. To get there every value keeps the file
and line it came from through the merge of an ``extends:`` chain, and pydantic's error locations
are mapped back to those origins.

YAML 1.1 surprises are removed by the loader: ``1e3`` is a number, only ``true``/``false`` are
booleans (``no`` stays a string), and ``010`` is ten, not octal eight.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .config import ScenarioConfig
from .events import KINDS

Loc = tuple[str | int, ...]


class ScenarioError(Exception):
    """A user error in a scenario, an override or an experiment file (exit code 2)."""


# ---------------------------------------------------------------------------------------------
# A YAML loader without the YAML 1.1 traps, and with bounds
# ---------------------------------------------------------------------------------------------

# A scenario or experiment file is a few kilobytes; these bounds are generous for any real file
# and keep a hostile or broken one (a billion-laughs alias bomb, a device file, a million keys)
# from taking unbounded time or memory before it is rejected [design choice].
MAX_FILE_BYTES = 1 << 20  # 1 MiB
MAX_DEPTH = 50  # nesting of mappings and lists; shipped files reach 5
MAX_NODES = 100_000  # values in one file, with every alias expanded
MAX_CHAIN = 32  # files in one `extends` chain
MAX_ECHO = 60  # characters of a bad value quoted back in a message
MAX_INT_DIGITS = 4000  # Python refuses to convert longer decimal strings


def echo(value: Any) -> str:
    """``repr`` of a value for an error message, shortened: a 1 MB string is not echoed."""
    text = repr(value)
    return text if len(text) <= MAX_ECHO else f"{text[:MAX_ECHO - 12]}… ({len(text):,} chars)"


# libyaml's parser when PyYAML has it (its wheels do): the pure-Python one takes seconds a MiB.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """Safe loading with the YAML 1.2 core schema's spelling of numbers and booleans.

    Dates stay strings (no field is a date, and ``2024-02-30`` must not crash the reader), and
    only the plain tags a scenario can use are accepted.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            value = echo(node.value) if isinstance(node.value, str) else "the value"
            kind = _TAG_WORDS.get(node.tag.rsplit(":", 1)[-1], node.tag)
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {value} as {kind}: {exc}", node.start_mark) from None


_PLAIN_TAGS = {"null", "bool", "int", "float", "str", "seq", "map"}
_TAG_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false",
              "null": "null", "str": "text", "seq": "a list", "map": "a mapping"}
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag.rsplit(":", 1)[-1] not in
        ("bool", "float", "int", "timestamp")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = loader.construct_scalar(node).replace("_", "")
    if len(text.lstrip("+-")) > MAX_INT_DIGITS:
        raise ValueError(f"a whole number with {len(text):,} digits is far beyond any count")
    return int(text, 10)  # decimal, even with a leading zero


def _construct_float(loader: yaml.SafeLoader, node: yaml.Node) -> float:
    text = loader.construct_scalar(node).replace("_", "").lower()
    if text.lstrip("+-") == ".inf":
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    if len(text) > MAX_INT_DIGITS:
        raise ValueError(f"a number with {len(text):,} characters")
    return float(text)


def _refuse_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not "
        "allowed in scenario and experiment files; write a plain value",
        node.start_mark)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
for _tag in list(yaml.SafeLoader.yaml_constructors):
    if _tag is not None and _tag.rsplit(":", 1)[-1] not in _PLAIN_TAGS:
        _Loader.add_constructor(_tag, _refuse_tag)
_Loader.add_constructor(None, _refuse_tag)  # unknown tags such as !!python/object


def _yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[int | None, str]:
    """Line (1-based) and reason of a YAML error; reader errors only know a character offset."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        char = exc.character
        code = ord(char) if isinstance(char, str) else char
        what = f"U+{code:04X}" if isinstance(code, int) else repr(char)
        return line, f"the character {what} is not allowed in YAML"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return (mark.line + 1 if mark else None), problem


def _check_shape(text: str, source: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH and more than MAX_NODES values, from the event stream
    (which, unlike composing, needs no recursion and no memory)."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise ScenarioError(f"{source}:{event.start_mark.line + 1}: nested more than "
                                    f"{MAX_DEPTH} levels deep")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise ScenarioError(f"{source}:{event.start_mark.line + 1}: more than "
                                    f"{MAX_NODES:,} values; not a scenario or experiment file")


def load_text(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML text into plain data and its node tree, within the bounds above."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates, e.g. from undecodable argv bytes
        line = text.count("\n", 0, exc.start) + 1
        raise ScenarioError(f"{source}:{line}: not valid UTF-8 text (U+{ord(text[exc.start]):04X})"
                            ) from None
    try:
        _check_shape(text, source)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _count_expanded(node, source)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        line, problem = _yaml_problem(exc, text)
        where = f"{source}:{line}" if line else source
        raise ScenarioError(f"{where}: invalid YAML: {problem}") from None
    return data, node


def _count_expanded(root: yaml.Node, source: str) -> None:
    """Aliases make a small file stand for a huge (or infinite) tree: count the tree as it will
    be expanded, without recursion, and stop at the bounds."""
    stack = [(root, 1)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES or depth > MAX_DEPTH:
            what = (f"expands to more than {MAX_NODES:,} values" if seen > MAX_NODES else
                    f"nests more than {MAX_DEPTH} levels deep")
            raise ScenarioError(f"{source}:{node.start_mark.line + 1}: the YAML {what} through "
                                "its aliases (&name / *name); write the values out")
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append((k, depth + 1))
                stack.append((v, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def parse_scalar(text: str) -> Any:
    """Parse one ``--set`` value the way the same text would load inside a scenario file."""
    if not text.strip():
        return ""
    data, _ = load_text(text, "--set")
    return data


# ---------------------------------------------------------------------------------------------
# Values with origins
# ---------------------------------------------------------------------------------------------


@dataclass
class Origin:
    source: str  # a file path, or "--set key=value"
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass
class Sourced:
    """A plain scenario dict plus the origin of every key path in it."""

    data: dict[str, Any]
    origins: dict[Loc, Origin] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def origin(self, loc: Loc) -> Origin:
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.origins:
                return self.origins[loc[:n]]
        return Origin(self.files[-1] if self.files else "<scenario>")


def _walk_lines(node: yaml.Node, loc: Loc, out: dict[Loc, Origin], source: str) -> None:
    out[loc] = Origin(source, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for k, _ in node.value:
            where = ".".join(map(str, loc)) or "(top level)"
            if not (isinstance(k, yaml.ScalarNode) and k.tag == "tag:yaml.org,2002:str"):
                shown = echo(k.value) if isinstance(k, yaml.ScalarNode) else "a list or mapping"
                raise ScenarioError(f"{source}:{k.start_mark.line + 1}: {where}: keys must be "
                                    f"names, not {shown}")
            if k.value in seen:
                where = ".".join(map(str, loc + (k.value,)))
                raise ScenarioError(f"{source}:{k.start_mark.line + 1}: {where}: duplicate key "
                                    f"(first at line {seen[k.value]}); the second would "
                                    "silently replace the first")
            seen[k.value] = k.start_mark.line + 1
        for k, v in node.value:
            key = k.value
            out[loc + (key,)] = Origin(source, k.start_mark.line + 1)
            _walk_lines(v, loc + (key,), out, source)
            out[loc + (key,)] = Origin(source, k.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk_lines(item, loc + (i,), out, source)


def read_text(path: Path) -> str:
    """The text of a scenario or experiment file, refusing what is not a small regular file: a
    FIFO would block forever and /dev/zero never ends."""
    src = str(path)
    if "\0" in src:
        raise ScenarioError(f"{src!r}: a path cannot contain a NUL character")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError(f"{src}: no such file") from None
    except OSError as exc:  # a symlink loop, a name too long, no permission
        raise ScenarioError(f"{echo(src)[1:-1]}: cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(f"{src}: is a folder, not a YAML file")
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(f"{src}: not a regular file (a device, FIFO or socket)")
    if info.st_size > MAX_FILE_BYTES:
        raise ScenarioError(f"{src}: {info.st_size:,} bytes; scenario and experiment files are "
                            f"at most {MAX_FILE_BYTES:,}")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"{src}: cannot read: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"{src}: more than {MAX_FILE_BYTES:,} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(f"{src}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save "
                            "the file as UTF-8") from None


def read_yaml(path: Path) -> Sourced:
    """Read one YAML mapping, remembering the line of every key."""
    src = str(path)
    text = read_text(path)
    data, node = load_text(text, src)
    if data is None:
        raise ScenarioError(f"{src}:1: the file is empty; a scenario needs at least "
                            "'extends:' or its own settings")
    if not isinstance(data, dict):
        raise ScenarioError(f"{src}:1: a scenario must be a mapping of keys to values")
    origins: dict[Loc, Origin] = {}
    if node is not None:
        _walk_lines(node, (), origins, src)
    return Sourced(data, origins, [src])


def _merge(base: Sourced, over: Sourced) -> Sourced:
    """Deep-merge ``over`` onto ``base``: mappings merge, everything else is replaced."""
    data = copy.deepcopy(base.data)
    origins = dict(base.origins)

    def rec(dst: dict, src: dict, loc: Loc) -> None:
        for key, value in src.items():
            here = loc + (key,)
            if isinstance(value, dict) and isinstance(dst.get(key), dict):
                rec(dst[key], value, here)
            else:
                dst[key] = copy.deepcopy(value)
                for o in [o for o in origins if o[: len(here)] == here]:
                    del origins[o]

    rec(data, over.data, ())
    origins.update(over.origins)
    return Sourced(data, origins, base.files + over.files)


# ---------------------------------------------------------------------------------------------
# Finding scenarios
# ---------------------------------------------------------------------------------------------


def scenarios_dir() -> Path:
    from cogov import scenarios

    return Path(scenarios.__file__).parent


def scenario_names() -> list[str]:
    return sorted(p.stem for p in scenarios_dir().glob("*.yaml"))


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long, a NUL byte: read_text says which
        return False


def find_scenario(ref: str, relative_to: Path | None = None) -> Path:
    """A shipped scenario name, or a path to a YAML file (relative to the referring file)."""
    if ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref or "\0" in ref:
        path = Path(ref)
        if not path.is_absolute() and relative_to is not None and not _exists(path):
            path = relative_to.parent / path
        return path
    path = scenarios_dir() / f"{ref}.yaml"
    if not _exists(path):
        names = scenario_names()
        hint = difflib.get_close_matches(ref, names, n=1)
        tip = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise ScenarioError(
            f"unknown scenario {echo(ref)}{tip}; shipped scenarios: {', '.join(names)}"
        )
    return path


def _read_chain(path: Path) -> Sourced:
    """The file and every file it ``extends``, merged from the root down."""
    chain: list[tuple[Path, Sourced]] = []
    while True:
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError, ValueError):  # symlink loop, NUL: read_text says which
            resolved = path
        if any(resolved == p for p, _ in chain):
            names = " -> ".join(str(p) for p, _ in chain + [(resolved, None)])  # type: ignore
            raise ScenarioError(f"{path}: 'extends' forms a cycle: {names}")
        if len(chain) >= MAX_CHAIN:
            last = chain[-1][1]
            raise ScenarioError(f"{last.origin(('extends',))}: extends: more than {MAX_CHAIN} "
                                f"files extend one another, starting from {chain[0][0]}")
        try:
            own = read_yaml(path)
        except ScenarioError as exc:
            if not chain:
                raise
            raise ScenarioError(f"{chain[-1][1].origin(('extends',))}: extends: {exc}") from None
        chain.append((resolved, own))
        parent_ref = own.data.get("extends")
        if parent_ref is None:
            break
        if not isinstance(parent_ref, str):
            raise ScenarioError(f"{own.origin(('extends',))}: extends: must be a scenario name "
                                "or path")
        try:
            parent_path = find_scenario(parent_ref, relative_to=path)
        except ScenarioError as exc:
            raise ScenarioError(f"{own.origin(('extends',))}: extends: {exc}") from None
        if not _exists(parent_path):
            raise ScenarioError(f"{own.origin(('extends',))}: extends: no such file "
                                f"{echo(parent_ref)}")
        path = parent_path
    merged = chain[-1][1]
    for _, child in reversed(chain[:-1]):
        merged = _merge(merged, child)
    return merged


# ---------------------------------------------------------------------------------------------
# Overrides and validation
# ---------------------------------------------------------------------------------------------


def _split_key(key: str) -> Loc:
    return tuple(int(p) if p.isdigit() else p for p in key.split("."))


def _deep_update(base: dict, changes: dict) -> dict:
    for k, v in changes.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            _deep_update(base[k], v)
        else:
            base[k] = v
    return base


def set_dotted(data: dict, key: str, value: Any, where: str) -> None:
    """Set ``a.b.0.c`` in nested dicts/lists, creating mappings as needed."""
    parts = _split_key(key)
    if not key or any(p == "" for p in parts):
        raise ScenarioError(f"{where}: empty key")
    node: Any = data
    for i, part in enumerate(parts[:-1]):
        nxt = parts[i + 1]
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                raise ScenarioError(f"{where}: {'.'.join(map(str, parts[:i + 1]))}: no list "
                                    f"item {part} here")
            node = node[part]
            continue
        if not isinstance(node, dict):
            raise ScenarioError(f"{where}: {'.'.join(map(str, parts[:i]))} is not a mapping")
        if part not in node or node[part] is None:
            node[part] = [] if isinstance(nxt, int) else {}
        node = node[part]
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise ScenarioError(f"{where}: no list item {last} at {key}")
        node[last] = value
    elif isinstance(node, dict):
        if isinstance(value, dict) and isinstance(node.get(last), dict):
            node[last] = _deep_update(copy.deepcopy(node[last]), value)  # change, not replace
        else:
            node[last] = value
    else:
        raise ScenarioError(f"{where}: {key}: parent is not a mapping")


def apply_overrides(src: Sourced, overrides: dict[str, Any], label: str = "--set") -> Sourced:
    data = copy.deepcopy(src.data)
    origins = dict(src.origins)
    for key, value in overrides.items():
        where = f"{label} {key}={echo(value)}"
        if key.split(".")[0] == "extends":
            raise ScenarioError(f"{where}: 'extends' is read from the file, not overridden; "
                                "write a file that extends the scenario you want")
        set_dotted(data, key, value, where)
        loc = _split_key(key)
        for o in [o for o in origins if o[: len(loc)] == loc]:
            del origins[o]
        origins[loc] = Origin(where)
    return Sourced(data, origins, src.files)


def parse_set_args(items: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or []:
        if "=" not in item:
            raise ScenarioError(f"--set {echo(item)[1:-1]}: expected dotted.key=value")
        key, text = item.split("=", 1)
        key = key.strip()
        if key in out:
            raise ScenarioError(f"--set {key}: given twice; which one should win?")
        try:
            out[key] = parse_scalar(text)
        except ScenarioError as exc:
            reason = str(exc).split(": ", 1)[-1]
            raise ScenarioError(f"--set {key}={echo(text)[1:-1]}: {reason}") from None
    return out


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The pydantic model class that holds the last key of ``loc`` (for 'did you mean')."""
    import typing

    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        ann = info.annotation
        for _ in range(3):  # unwrap list[X], X | None
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                break
            if args:
                ann = args[-1] if typing.get_origin(ann) is dict else args[0]
        current = ann
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def describe_error(err: dict, schema: type[BaseModel]) -> str:
    """One pydantic error as the reason part of a message: "must be <= 1 (got 2)"."""
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        holder = _model_at(schema, loc)
        hint = ""
        if holder is not None:
            close = difflib.get_close_matches(key, list(holder.model_fields), n=1, cutoff=0.6)
            if close:
                hint = f" (did you mean '{close[0]}'?)"
        return f"unknown key '{key}'{hint}"
    if kind == "missing":
        return "required but missing"
    if kind == "union_tag_not_found":
        return f"required but missing; kinds: {', '.join(KINDS)}"
    if kind == "union_tag_invalid":
        tag = str((err.get("ctx") or {}).get("tag", ""))
        close = difflib.get_close_matches(tag, KINDS, n=1, cutoff=0.5)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown event kind {echo(tag)}{hint}; kinds: {', '.join(KINDS)}"
    msg = err["msg"]
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        msg = msg.replace("Input should be", "must be")
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    else:
        msg = msg[0].lower() + msg[1:]
    value = err.get("input")
    if kind not in ("model_type", "dict_type") and isinstance(value, (int, float, str, bool)):
        msg += f" (got {echo(value)})"
    return msg


def _loc_text(loc: Loc) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _data_loc(loc: Loc, data: Any) -> Loc:
    """``loc`` as a path through the data: without the tag pydantic inserts for a member of a
    tagged union (``events.0.trust_drop.share`` is ``events.0.share`` in the file), and
    stopping where a single value stands for a list (``institution: party``)."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part not in node \
                and node.get("kind") == part:
            continue
        if isinstance(part, int) and not isinstance(node, list):
            break
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def validate(src: Sourced, schema: type[BaseModel] = ScenarioConfig) -> BaseModel:
    try:
        return schema.model_validate(src.data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors()[:5]:
            loc: Loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and
                                                              p.startswith("function-")))
            loc += tuple(getattr((err.get("ctx") or {}).get("error"), "loc", ()))
            loc = _data_loc(loc, src.data)
            if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
                loc += ("kind",)
            lines.append(f"{src.origin(loc)}: {_loc_text(loc)}: {describe_error(err, schema)}")
        more = len(exc.errors()) - len(lines)
        if more > 0:
            lines.append(f"… and {more} more")
        raise ScenarioError("\n".join(lines)) from None


# ---------------------------------------------------------------------------------------------
# The public entry point
# ---------------------------------------------------------------------------------------------


@dataclass
class ResolvedScenario:
    name: str
    path: Path | None
    config: ScenarioConfig
    overrides: dict[str, Any]
    dropped: list[str] = field(default_factory=list)  # interventions beyond a shorter horizon

    @property
    def resolved_dict(self) -> dict[str, Any]:
        return self.config.model_dump(mode="json")

    @property
    def digest(self) -> str:
        blob = json.dumps(self.resolved_dict, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def load_scenario(ref: str | Path, overrides: dict[str, Any] | None = None,
                  horizon: int | None = None,
                  events: list[str] | tuple[str, ...] | None = None) -> ResolvedScenario:
    """Resolve a scenario name or file, its ``extends`` chain and overrides into a config.

    ``horizon`` is a run length asked for on the command line (``--days``): unlike ``days`` in a
    file or an override, it may be shorter than the scenario's timeline, and the interventions
    and events it never reaches are dropped and listed in ``dropped`` so the caller can say so.
    ``events`` are ``--event`` texts (:func:`cogov.model.events.parse_event_text`), added after
    the file's events and validated like them; an error names the option.
    """
    overrides = dict(overrides or {})
    if horizon is not None and "days" in overrides:
        raise ScenarioError(f"--set days={echo(overrides['days'])} and --days {horizon} "
                            "disagree; give one of them")
    path = find_scenario(str(ref))
    src = _read_chain(path)
    dropped: list[str] = []
    if horizon is not None:
        src, dropped = _cut_timeline(src, horizon)
        overrides["days"] = horizon
    if events:
        src = _add_events(src, events)
    if overrides:
        # Overrides may reach into defaults the files never spelled out (a list item, say), so
        # they apply to the complete validated scenario, keeping the files' line numbers.
        complete = validate(src).model_dump(mode="json")
        src = apply_overrides(Sourced(complete, src.origins, src.files), overrides)
    config = validate(src)
    assert isinstance(config, ScenarioConfig)
    _check_interventions(src, config)
    name = path.stem
    given = {k: v for k, v in overrides.items() if not (horizon is not None and k == "days")}
    return ResolvedScenario(name, path, config, given, dropped)


def _add_events(src: Sourced, texts: list[str] | tuple[str, ...]) -> Sourced:
    """The scenario with ``--event`` texts appended to its ``events:``, each value's origin the
    option that gave it."""
    from .events import parse_event_text

    data = copy.deepcopy(src.data)
    origins = dict(src.origins)
    timeline = data.get("events")
    if timeline is None:
        timeline = data["events"] = []
    if not isinstance(timeline, list):
        raise ScenarioError(f"{src.origin(('events',))}: events: must be a list of events")
    for text in texts:
        event = parse_event_text(text)
        where = Origin(f"--event {echo(text)}")
        loc: Loc = ("events", len(timeline))
        origins[loc] = where
        for key in event:
            origins[loc + (key,)] = where
        timeline.append(event)
    return Sourced(data, origins, src.files)


def _dropped_text(entry: dict, what: str) -> str:
    """``day 365: full grid coverage`` for an intervention, ``day 200: event trust_drop (a
    scandal)`` for an event."""
    note = entry.get("note")
    if what == "event":
        label = f"event {entry.get('kind')}" + (f" ({note})" if note else "")
        return f"day {entry['day']}: {label}"
    return f"day {entry['day']}: {note or what}"


def _cut_timeline(src: Sourced, horizon: int) -> tuple[Sourced, list[str]]:
    """Drop the interventions and events at or after ``horizon``, keeping the lines of the
    others."""
    data = dict(src.data)
    origins = dict(src.origins)
    dropped: list[str] = []
    for key, what in (("interventions", "intervention"), ("events", "event")):
        timeline = data.get(key)
        if not isinstance(timeline, list):
            continue
        keep = [i for i, iv in enumerate(timeline)
                if not (isinstance(iv, dict) and isinstance(iv.get("day"), int)
                        and not isinstance(iv.get("day"), bool) and iv["day"] >= horizon)]
        if len(keep) == len(timeline):
            continue
        dropped += [_dropped_text(timeline[i], what) for i in range(len(timeline))
                    if i not in keep]
        data[key] = [timeline[i] for i in keep]
        new_index = {old: new for new, old in enumerate(keep)}
        moved: dict[Loc, Origin] = {}
        for loc, origin in origins.items():
            if loc[:1] == (key,) and len(loc) > 1 and isinstance(loc[1], int):
                if loc[1] not in new_index:
                    continue
                loc = (key, new_index[loc[1]], *loc[2:])
            moved[loc] = origin
        origins = moved
    if not dropped:
        return src, []
    return Sourced(data, origins, src.files), dropped


def config_from_dict(data: dict[str, Any], label: str = "<dict>") -> ScenarioConfig:
    """Validate a plain dict (e.g. a resolved config shipped to a worker)."""
    src = Sourced(copy.deepcopy(data), {}, [label])
    config = validate(src)
    assert isinstance(config, ScenarioConfig)
    return config


def _check_interventions(src: Sourced, config: ScenarioConfig) -> None:
    """Each intervention must leave a valid scenario behind: check it now, not at day 365."""
    data = config.model_dump(mode="json")
    for i, iv in enumerate(config.interventions):
        probe = Sourced(copy.deepcopy(data), {}, src.files)
        here = ("interventions", i, "set")
        for key, value in iv.set.items():
            try:
                set_dotted(probe.data, key, value, f"{src.origin(here + (key,))}")
            except ScenarioError as exc:
                raise ScenarioError(f"{exc} (intervention at day {iv.day})") from None
            loc = _split_key(key)
            for n in range(1, len(loc) + 1):  # an unknown key is reported at its first part
                probe.origins.setdefault(loc[:n], src.origin(here + (key,)))
        try:
            validate(probe)
        except ScenarioError as exc:
            raise ScenarioError(f"{exc} (set by the intervention at day {iv.day})") from None
        data = probe.data


def apply_intervention(config: ScenarioConfig, changes: dict[str, Any]) -> ScenarioConfig:
    data = config.model_dump(mode="json")
    for key, value in changes.items():
        set_dotted(data, key, value, "intervention")
    return config_from_dict(data, "intervention")
