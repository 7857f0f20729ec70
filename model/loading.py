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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .config import ScenarioConfig

Loc = tuple[str | int, ...]


class ScenarioError(Exception):
    """A user error in a scenario, an override or an experiment file (exit code 2)."""


# ---------------------------------------------------------------------------------------------
# A YAML loader without the YAML 1.1 traps
# ---------------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:bool",
                                                    "tag:yaml.org,2002:float",
                                                    "tag:yaml.org,2002:int")]
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
    re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    return int(loader.construct_scalar(node))  # decimal, even with a leading zero


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def parse_scalar(text: str) -> Any:
    """Parse one ``--set`` value the way the same text would load inside a scenario file."""
    return yaml.load(text, Loader=_Loader) if text.strip() else ""


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


def read_yaml(path: Path) -> Sourced:
    """Read one YAML mapping, remembering the line of every key."""
    src = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{src}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{src}: cannot read: {exc}") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{src}:{mark.line + 1}" if mark else src
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"{where}: invalid YAML: {problem}") from None
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


def find_scenario(ref: str, relative_to: Path | None = None) -> Path:
    """A shipped scenario name, or a path to a YAML file (relative to the referring file)."""
    if ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref:
        path = Path(ref)
        if not path.is_absolute() and relative_to is not None and not path.exists():
            path = relative_to.parent / path
        return path
    path = scenarios_dir() / f"{ref}.yaml"
    if not path.exists():
        names = scenario_names()
        hint = difflib.get_close_matches(ref, names, n=1)
        tip = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise ScenarioError(
            f"unknown scenario '{ref}'{tip}; shipped scenarios: {', '.join(names)}"
        )
    return path


def _read_chain(path: Path, seen: tuple[Path, ...] = ()) -> Sourced:
    resolved = path.resolve()
    if resolved in seen:
        chain = " -> ".join(str(p) for p in seen + (resolved,))
        raise ScenarioError(f"{path}: 'extends' forms a cycle: {chain}")
    own = read_yaml(path)
    parent_ref = own.data.get("extends")
    if parent_ref is None:
        return own
    if not isinstance(parent_ref, str):
        raise ScenarioError(f"{own.origin(('extends',))}: extends: must be a scenario name or path")
    try:
        parent_path = find_scenario(parent_ref, relative_to=path)
    except ScenarioError as exc:
        raise ScenarioError(f"{own.origin(('extends',))}: extends: {exc}") from None
    if not parent_path.exists():
        raise ScenarioError(f"{own.origin(('extends',))}: extends: no such file {parent_ref}")
    parent = _read_chain(parent_path, seen + (resolved,))
    # Descriptive fields belong to the file that states them; a child does not inherit its
    # parent's titles or provenance silently as its own, but keeps them when it says nothing.
    return _merge(parent, own)


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
        where = f"{label} {key}={value}"
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
            raise ScenarioError(f"--set {item}: expected dotted.key=value")
        key, text = item.split("=", 1)
        try:
            out[key.strip()] = parse_scalar(text)
        except yaml.YAMLError:
            raise ScenarioError(f"--set {item}: cannot parse the value") from None
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


def _describe(err: dict, schema: type[BaseModel]) -> str:
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
    msg = err["msg"]
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        msg = msg.replace("Input should be", "must be")
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    else:
        msg = msg[0].lower() + msg[1:]
    value = err.get("input")
    if kind not in ("model_type", "dict_type") and isinstance(value, (int, float, str, bool)):
        msg += f" (got {value!r})"
    return msg


def _loc_text(loc: Loc) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def validate(src: Sourced, schema: type[BaseModel] = ScenarioConfig) -> BaseModel:
    try:
        return schema.model_validate(src.data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors()[:5]:
            loc: Loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and
                                                              p.startswith("function-")))
            lines.append(f"{src.origin(loc)}: {_loc_text(loc)}: {_describe(err, schema)}")
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

    @property
    def resolved_dict(self) -> dict[str, Any]:
        return self.config.model_dump(mode="json")

    @property
    def digest(self) -> str:
        blob = json.dumps(self.resolved_dict, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def load_scenario(ref: str | Path, overrides: dict[str, Any] | None = None) -> ResolvedScenario:
    """Resolve a scenario name or file, its ``extends`` chain and overrides into a config."""
    path = find_scenario(str(ref))
    src = _read_chain(path)
    if overrides:
        # Overrides may reach into defaults the files never spelled out (a list item, say), so
        # they apply to the complete validated scenario, keeping the files' line numbers.
        complete = validate(src).model_dump(mode="json")
        src = apply_overrides(Sourced(complete, src.origins, src.files), overrides)
    config = validate(src)
    assert isinstance(config, ScenarioConfig)
    _check_interventions(src, config)
    name = path.stem
    return ResolvedScenario(name, path, config, dict(overrides or {}))


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
                set_dotted(probe.data, key, value, f"{src.origin(here)}")
            except ScenarioError as exc:
                raise ScenarioError(f"{exc} (intervention at day {iv.day})") from None
            probe.origins[_split_key(key)] = src.origin(here + (key,))
        validate(probe)
        data = probe.data


def apply_intervention(config: ScenarioConfig, changes: dict[str, Any]) -> ScenarioConfig:
    data = config.model_dump(mode="json")
    for key, value in changes.items():
        set_dotted(data, key, value, "intervention")
    return config_from_dict(data, "intervention")
