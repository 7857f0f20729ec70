"""Experiment files: which scenarios, which parameter points, how many replicates, what to keep.

An experiment file is YAML validated like a scenario — unknown keys, bad values and parameters
that the scenarios do not have are errors naming the file, line and field (exit code 2). Example::

    title: Administrative burden × empowerment
    scenarios: [fragmented]
    replicates: 10
    days: 365
    design:
      kind: grid
      parameters:
        mechanisms.admin_burden.task_share: [0.1, 0.4, 0.7]
        mechanisms.admin_burden.empowerment: [0.0, 0.5, 0.9]

Designs: ``none`` (each scenario as it is), ``grid`` (full factorial over value lists), ``list``
(explicit points), ``lhs`` (Latin hypercube over ranges), ``morris`` and ``sobol`` (SALib samples
over ranges, for ``cogov sensitivity``).

``equal_cost: true`` (or ``equal_cost: {reference: SCENARIO}``; the first scenario when none is
named, as with ``cogov compare --equal-cost``) also runs every other scenario at each design
point with its paid staff and budgets scaled so that its mean social cost equals the reference's
at that point (the rule and its fixed point: :mod:`cogov.experiments.equal_cost`). It needs two
scenarios or more and refuses Morris and Sobol designs, whose analyses read each scenario's
sample as drawn.

Everything is checked when the file is loaded, before a folder is made or a run starts, and every
complaint points at the experiment file's own line:

* numbers are strict and finite (``replicates: "3"``, ``true`` or ``.inf`` are errors), and every
  count has an upper bound (the ``MAX_*`` constants below);
* the planned number of runs is computed from the counts *before* anything is sampled; more than
  :data:`MAX_RUNS` needs ``--yes``, more than :data:`MAX_RUNS_EVER` is refused;
* dotted keys in ``set:`` and the design must exist in the scenario schema;
* both ends of every range (rounded for ``integer: true``) must be valid in every scenario, and
  a whole-number field needs ``integer: true``;
* every run must be distinct: a repeated scenario, grid value or list point, or two points that
  resolve to the same configuration, would give two runs one run id and one of them would be
  lost, so they are refused. The exception are Morris and Sobol samples, whose points coincide
  by construction: a coinciding point is run once and the analysis reads its runs for both;
* ``days:`` must reach every scenario's interventions (it is part of a file, like ``days`` in a
  scenario, so unlike ``cogov run --days`` it does not drop the later ones): a shorter run is
  refused with the day it needs;
* each resolved configuration must fit in this machine's memory
  (:func:`cogov.model.footprint.require_fits`);
* ``outputs.sensitivity_metrics`` must name summary metrics;
* ``equal_cost`` must be true, false or ``{reference: SCENARIO}`` naming one of ``scenarios:``,
  in an experiment of at least two scenarios and not of a Morris or Sobol design.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import math
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from cogov.model.config import MAX_COUNT, MAX_DAYS, FieldError, Real, ScenarioConfig, Whole
from cogov.model.footprint import Footprint, available_memory, require_fits
from cogov.model.loading import (
    ResolvedScenario,
    ScenarioError,
    Sourced,
    echo,
    find_scenario,
    load_scenario,
    read_yaml,
)
from cogov.model.model import MAX_SEED
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    ValidationError,
    model_validator,
)

from .equal_cost import STEPS

# Bounds [design choice]: far above any useful experiment, low enough that no count can exhaust
# memory or time before the run count below is checked.
MAX_SCENARIOS = 1_000
MAX_REPLICATES = 1_000_000
MAX_SAMPLES = 100_000_000  # LHS points, Morris trajectories, Sobol base samples
MAX_LEVELS = 1_000  # Morris grid levels; 4–10 are usual
MAX_PARAMETERS = 100  # parameters of one design, keys of one list point
MAX_VALUES = 10_000  # values of one grid parameter
MAX_POINTS = 100_000  # points of a list design
MAX_METRICS = 200
MAX_RANGE = 1e15  # |low|, |high|: beyond, high − low overflows the samplers' arithmetic
MAX_RUNS = 100_000  # more needs --yes
MAX_RUNS_EVER = 1_000_000  # refused even with --yes: split the experiment
# What planning holds per resolved configuration and per run (measured: ~13 kB, ~0.5 kB).
PLAN_BYTES_PER_CONFIGURATION = 16e3
PLAN_BYTES_PER_RUN = 1e3
# Designs whose sampling scheme itself makes points coincide — Morris trajectories meet on the
# grid of levels, Saltelli's cross-sampled rows repeat once rounded — and whose analysis needs
# every sample row: a coinciding point shares the runs of the first, instead of being refused.
SHARED_KINDS = ("morris", "sobol")

Loc = tuple[str | int, ...]
Switch = Annotated[bool, Field(strict=True)]


def _scalar(value: Any) -> Any:
    """One value a dotted key can be set to. A single validator instead of a union, so that an
    error is reported at the value's own location and not at a union member's."""
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value
    kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else (
        "null" if value is None else type(value).__name__)
    raise ValueError(f"must be a number, true/false or text, not {kind}")


Scalar = Annotated[Any, PlainValidator(_scalar)]
Bound = Annotated[Real, Field(ge=-MAX_RANGE, le=MAX_RANGE)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Range(_Strict):
    low: Bound
    high: Bound
    integer: Switch = Field(False, description="round sampled values to whole numbers")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError("low must be < high")
        if self.integer and round(self.low) == round(self.high):
            raise FieldError(("high",), f"rounds to the same whole number as low "
                             f"({round(self.low)}): the range holds one value")
        return self

    def ends(self) -> dict[str, int | float]:
        """Both ends as a sample can take them: rounded for ``integer: true``, whole floats as
        ints so that a message echoes the value as it was written."""
        out: dict[str, int | float] = {}
        for name in ("low", "high"):
            value = getattr(self, name)
            out[name] = int(round(value)) if self.integer or value.is_integer() else value
        return out


def _kind_of_parameter(value: Any) -> str:
    return "range" if isinstance(value, (dict, Range)) else "values"


# A tagged union: lists are value lists, mappings are ranges. Tags appear in pydantic's error
# locations; _validate removes them again.
_PARAMETER_TAGS = ("values", "range")
Parameter = Annotated[
    Annotated[list[Scalar], Field(min_length=1, max_length=MAX_VALUES), Tag("values")]
    | Annotated[Range, Tag("range")],
    Discriminator(_kind_of_parameter),
]


def _written(value: Any) -> str:
    """A value as written: ``1`` and ``1.0`` differ here (if they resolve to the same
    configuration, the check of the resolved points says so), key order does not."""
    return json.dumps(value, sort_keys=True)


def _same(a: Any, b: Any) -> bool:
    return _written(a) == _written(b)


def _repeat(items: list[Any]) -> tuple[int | None, int]:
    """The first item that repeats an earlier one, and that earlier one (in linear time: a list
    design may hold 100,000 points)."""
    seen: dict[str, int] = {}
    for j, item in enumerate(items):
        first = seen.setdefault(_written(item), j)
        if first != j:
            return j, first
    return None, -1


class Design(_Strict):
    kind: Literal["none", "grid", "list", "lhs", "morris", "sobol"] = "none"
    parameters: dict[str, Parameter] = Field(default_factory=dict, max_length=MAX_PARAMETERS)
    points: list[Annotated[dict[str, Scalar], Field(max_length=MAX_PARAMETERS)]] = Field(
        default_factory=list, max_length=MAX_POINTS)
    samples: Annotated[Whole, Field(gt=0, le=MAX_SAMPLES)] = Field(
        16, description="LHS points; Morris trajectories; Sobol base sample size")
    levels: Annotated[Whole, Field(ge=2, le=MAX_LEVELS)] = Field(
        4, description="Morris grid levels")

    @model_validator(mode="after")
    def _consistent(self) -> Design:
        ranges = {k: v for k, v in self.parameters.items() if isinstance(v, Range)}
        lists = {k: v for k, v in self.parameters.items() if not isinstance(v, Range)}
        if self.kind == "grid":
            if ranges or not lists:
                raise ValueError("a grid design needs parameters given as lists of values")
            for key, values in lists.items():
                j, first = _repeat(values)
                if j is not None:
                    raise FieldError(("parameters", key, j), f"repeats the value "
                                     f"{echo(values[j])} (item {first}); every point would run "
                                     "twice under one run id")
        elif self.kind in ("lhs", "morris", "sobol"):
            if lists or not ranges:
                raise ValueError(f"a {self.kind} design needs parameters given as "
                                 "{low: …, high: …} ranges")
        elif self.kind == "list":
            if not self.points:
                raise ValueError("a list design needs 'points'")
            j, first = _repeat(self.points)
            if j is not None:
                raise FieldError(("points", j), f"the same point as design.points.{first}; "
                                 "it would run twice under one run id")
        elif self.parameters or self.points:
            raise ValueError("design kind 'none' takes no parameters or points")
        if self.kind != "list" and self.points:
            raise ValueError("'points' belong to a list design")
        return self


DEFAULT_SENSITIVITY_METRICS = ["resolution_rate", "mean_days_to_resolve", "satisfaction",
                               "participation_rate", "petitions_per_10k_year"]


class Outputs(_Strict):
    timeseries: Switch = Field(True, description="keep every run's per-day metrics")
    every: Annotated[Whole, Field(gt=0, le=MAX_DAYS)] = Field(
        1, description="keep every n-th day")
    sensitivity_metrics: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SENSITIVITY_METRICS), max_length=MAX_METRICS,
        description="summary metrics ``cogov sensitivity`` analyses")


class EqualCost(_Strict):
    """Every scenario also run at the reference's social cost (:mod:`.equal_cost`)."""

    reference: str | None = Field(None, max_length=1_000, description=(
        "the scenario whose social cost the others are given, as listed in scenarios: or by "
        "its name; the first scenario when not given"))


def _equal_cost_switch(value: Any) -> Any:
    """``equal_cost: true`` is ``{}`` (the first scenario is the reference, as with ``cogov
    compare --equal-cost``) and ``false`` is off: one key for the common case, a mapping for a
    chosen reference. Anything else is refused here, at the key's own line."""
    if value is True:
        return {}
    if value is False or value is None:
        return None
    if isinstance(value, dict):
        return value
    raise ValueError("must be true, false or {reference: SCENARIO}")


class ExperimentSpec(_Strict):
    title: str = Field("", max_length=500)
    description: str = Field("", max_length=20_000)
    scenarios: list[str] = Field(min_length=1, max_length=MAX_SCENARIOS)
    replicates: Annotated[Whole, Field(gt=0, le=MAX_REPLICATES)] = 10
    root_seed: Annotated[Whole, Field(ge=0, le=MAX_SEED)] = 0
    days: Annotated[Whole, Field(gt=0, le=MAX_DAYS)] | None = None
    residents: Annotated[Whole, Field(gt=0, le=MAX_COUNT)] | None = None
    set: dict[str, Scalar] = Field(default_factory=dict,
                                   description="overrides applied to every run")
    design: Design = Design()
    outputs: Outputs = Outputs()
    equal_cost: Annotated[EqualCost | None, BeforeValidator(_equal_cost_switch)] = Field(
        None, description="also run every scenario but the reference at the reference's "
        "social cost, at every design point")

    @model_validator(mode="after")
    def _consistent(self) -> ExperimentSpec:
        if self.days is not None and "days" in self.set:
            raise FieldError(("set", "days"), f"the experiment's days: {self.days} says it "
                             "already; give days once")
        if self.equal_cost is not None:
            self.reference_index()
        if self.design.kind in ("morris", "sobol") and not self.outputs.sensitivity_metrics:
            raise FieldError(("outputs", "sensitivity_metrics"), "name at least one summary "
                             f"metric for the {self.design.kind} analysis")
        return self

    def reference_index(self) -> int | None:
        """Position in ``scenarios:`` of the equal-cost reference (None without equal cost);
        raises FieldError when equal cost cannot apply to this experiment."""
        if self.equal_cost is None:
            return None
        if len(self.scenarios) < 2:
            raise FieldError(("equal_cost",), "needs at least two scenarios: every scenario "
                             "but the reference is given the reference's social cost")
        if self.design.kind in SHARED_KINDS:
            raise FieldError(("equal_cost",), f"does not apply to a {self.design.kind} design: "
                             "its analysis reads every sample point of each scenario as "
                             "sampled; compare at equal cost with a none, grid, list or lhs "
                             "design")
        ref = self.equal_cost.reference
        if ref is None:
            return 0
        names = [Path(s).stem if s.endswith((".yaml", ".yml")) else s for s in self.scenarios]
        for i, (written, name) in enumerate(zip(self.scenarios, names, strict=True)):
            if ref in (written, name):
                return i
        close = difflib.get_close_matches(ref, names, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise FieldError(("equal_cost", "reference"), f"{echo(ref)} is not one of the "
                         f"experiment's scenarios ({', '.join(names)}){hint}")


@dataclass(frozen=True)
class Resolution:
    """One scenario at one design point, as every replicate of it will run."""

    scenario: int  # index in ``scenarios:``
    point_id: int
    name: str
    digest: str
    config: dict[str, Any]
    footprint: Footprint
    same_as: int | None = None  # a Morris or Sobol point equal to this earlier point: shares runs


class Experiment:
    """A validated experiment file. Its points are resolved once (``resolutions``), and the
    checks, the plan and the description all read that one resolution."""

    def __init__(self, path: Path, spec: ExperimentSpec, source: Sourced):
        self.path = path
        self.spec = spec
        self.source = source
        self.scenario_refs = [str(find_scenario(s, relative_to=path)) if s.endswith(
            (".yaml", ".yml")) else s for s in spec.scenarios]
        self._resolutions: list[Resolution] | None = None

    def where(self, loc: Loc) -> str:
        """``file:line: dotted.field`` of a location in the experiment file."""
        return f"{self.source.origin(loc)}: {'.'.join(map(str, loc)) or '(top level)'}"

    @property
    def resolutions(self) -> list[Resolution]:
        """Every scenario × design point, resolved and checked (in plan order)."""
        if self._resolutions is None:
            self._resolutions = _resolve_all(self)
        return self._resolutions


def load_experiment(path: str | Path, yes: bool = False) -> Experiment:
    """Load and check an experiment completely; ``yes`` accepts more than MAX_RUNS runs."""
    path = Path(path)
    source = read_yaml(path)
    spec = _validate(source)
    exp = Experiment(path, spec, source)
    for key in spec.set:
        _check_key(exp, ("set", key), key)
    for key in spec.design.parameters:
        _check_key(exp, ("design", "parameters", key), key)
    for j, point in enumerate(spec.design.points):
        for key in point:
            _check_key(exp, ("design", "points", j, key), key)
    _check_scenario_list(exp)
    _check_metrics(exp)
    _check_run_count(exp, yes)
    _check_against_scenarios(exp)
    exp.resolutions  # noqa: B018 — sample and resolve every point now, not in the first run
    return exp


# --- the schema, with locations ----------------------------------------------------------------


def _validate(source: Sourced) -> ExperimentSpec:
    """``loading.validate`` for the experiment schema, without the union tags in locations."""
    from cogov.model.loading import describe_error

    try:
        return ExperimentSpec.model_validate(source.data)
    except ValidationError as exc:
        errors = exc.errors()
    lines = []
    for err in errors[:5]:
        loc: Loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and
                                                        p.startswith("function-")))
        if loc[:2] == ("design", "parameters") and len(loc) > 3 and loc[3] in _PARAMETER_TAGS:
            loc = loc[:3] + loc[4:]
        loc += tuple(getattr((err.get("ctx") or {}).get("error"), "loc", ()))
        err = {**err, "loc": loc}
        reason = describe_error(err, ExperimentSpec)
        if err["type"] == "extra_forbidden" and loc[:2] == ("design", "parameters"):
            # the loader's hint cannot see through the union of lists and ranges
            close = difflib.get_close_matches(str(loc[-1]), list(Range.model_fields), n=1)
            reason += f" (did you mean '{close[0]}'?)" if close and "(" not in reason else ""
        lines.append(f"{source.origin(loc)}: {'.'.join(map(str, loc)) or '(top level)'}: "
                     f"{reason}")
    if len(errors) > len(lines):
        lines.append(f"… and {len(errors) - len(lines)} more")
    raise ScenarioError("\n".join(lines))


def _unwrap(ann: Any) -> Any:
    """The type under ``Annotated[...]`` and ``X | None``."""
    while True:
        origin = typing.get_origin(ann)
        if origin is Annotated:
            ann = typing.get_args(ann)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if len(args) == 1 or models:
                ann = (models or args)[0]
            else:
                return ann
        else:
            return ann


@functools.lru_cache(maxsize=4096)
def key_problem(key: str) -> str | None:
    """Why a dotted key names no field of a scenario (``None`` if it does). Cached: the points
    of a list design repeat the same few keys many times."""
    parts = key.split(".")
    if any(not p.strip() for p in parts):
        return f"{echo(key)} is not a dotted key (an empty part)"
    ann: Any = ScenarioConfig
    for n, part in enumerate(parts):
        ann = _unwrap(ann)
        here = ".".join(parts[:n])
        origin = typing.get_origin(ann)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            if part not in ann.model_fields:
                close = difflib.get_close_matches(part, list(ann.model_fields), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                return f"unknown key {echo(part)}{' in ' + here if here else ''}{hint}"
            ann = ann.model_fields[part].annotation
        elif origin is list:
            if not part.isdigit():
                return f"{here} is a list: {echo(part)} must be an item number"
            ann = typing.get_args(ann)[0]
        elif origin is dict:
            ann = typing.get_args(ann)[1]
        elif ann in (object, Any):
            return None
        else:
            return f"{here} is a single value: it has no {echo(part)}"
    return None


def _check_key(exp: Experiment, loc: Loc, key: str) -> None:
    problem = key_problem(key)
    if problem is not None:
        raise ScenarioError(f"{exp.where(loc)}: {problem}")


def _check_scenario_list(exp: Experiment) -> None:
    """Each scenario exists, once: a repeated one would run every point twice under one id."""
    seen: dict[Path, int] = {}
    names: dict[str, int] = {}
    for i, ref in enumerate(exp.scenario_refs):
        try:
            path = find_scenario(ref)
        except ScenarioError as exc:
            raise ScenarioError(f"{exp.where(('scenarios', i))}: {exc}") from None
        try:
            key = path.resolve()
        except (OSError, RuntimeError, ValueError):
            key = path
        if key in seen:
            raise ScenarioError(f"{exp.where(('scenarios', i))}: {echo(exp.spec.scenarios[i])} "
                                f"is listed twice (first as scenarios.{seen[key]}); every run "
                                "would run twice under one run id")
        if path.stem in names:
            j = names[path.stem]
            raise ScenarioError(f"{exp.where(('scenarios', i))}: {echo(exp.spec.scenarios[i])} "
                                f"and scenarios.{j} ({echo(exp.spec.scenarios[j])}) are both "
                                f"called '{path.stem}', and results are grouped by that name; "
                                "rename one file")
        seen[key] = i
        names[path.stem] = i


# --- metrics ---------------------------------------------------------------------------------


@functools.cache
def summary_metrics() -> tuple[str, ...]:
    """The numeric summary metrics a run reports. Every mechanism reports its metrics whether it
    is on or not, so one tiny one-day run of any scenario lists them all."""
    from .runner import RunTask, run

    tiny = {"structure.units": 4, "structure.buildings": 2, "structure.areas": 1, "days": 1}
    summary = run(RunTask("fragmented", overrides=tiny, timeseries=False)).summary
    return tuple(k for k, v in summary.items() if k not in ("scenario", "seed")
                 and isinstance(v, (int, float)) and not isinstance(v, bool))


def _check_metrics(exp: Experiment) -> None:
    wanted = exp.spec.outputs.sensitivity_metrics
    if all(m in DEFAULT_SENSITIVITY_METRICS for m in wanted):
        return  # known good: no need to run the model to list the metrics
    known = summary_metrics()
    for j, metric in enumerate(wanted):
        if metric not in known:
            close = difflib.get_close_matches(metric, known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ScenarioError(f"{exp.where(('outputs', 'sensitivity_metrics', j))}: unknown "
                                f"summary metric {echo(metric)}{hint}")


# --- how many runs -----------------------------------------------------------------------------


def planned_points(design: Design) -> int:
    """Points the design will sample, from its counts alone (nothing is sampled)."""
    d = len(design.parameters)
    if design.kind == "grid":
        return math.prod(len(v) for v in design.parameters.values())  # type: ignore[arg-type]
    if design.kind == "list":
        return len(design.points)
    if design.kind == "lhs":
        return design.samples
    if design.kind == "morris":
        return design.samples * (d + 1)  # trajectories of d steps
    if design.kind == "sobol":
        return design.samples * (d + 2)  # Saltelli's scheme without second-order indices
    return 1


def equal_cost_scenarios(spec: ExperimentSpec) -> int:
    """Scenarios run again at the reference's cost: all but the reference, or none."""
    return len(spec.scenarios) - 1 if spec.equal_cost is not None else 0


def planned_runs(spec: ExperimentSpec) -> int:
    """Model runs, from the counts alone: every scenario × point × replicate, and with equal
    cost each other scenario's point × replicate ``STEPS`` times more (the fixed-point steps;
    the last one's runs are the equal-cost rows of the results)."""
    scenarios = len(spec.scenarios) + STEPS * equal_cost_scenarios(spec)
    return scenarios * planned_points(spec.design) * spec.replicates


def _check_run_count(exp: Experiment, yes: bool) -> None:
    spec, design = exp.spec, exp.spec.design
    scenarios, points, replicates = len(spec.scenarios), planned_points(design), spec.replicates
    runs = planned_runs(spec)
    d = len(design.parameters)
    how = {"morris": f" ({design.samples:,} trajectories × ({d} parameters + 1))",
           "sobol": f" ({design.samples:,} samples × ({d} parameters + 2))"}.get(design.kind, "")
    if max(scenarios, points, replicates) == replicates:
        loc: Loc = ("replicates",)
    elif max(scenarios, points) == scenarios:
        loc = ("scenarios",)
    else:
        loc = {"grid": ("design", "parameters"), "list": ("design", "points")}.get(
            design.kind, ("design", "samples"))
    again = equal_cost_scenarios(spec)
    equal = (f", {STEPS} times more for {again:,} scenario(s) at equal cost" if again else "")
    count = (f"{runs:,} runs planned ({scenarios:,} scenario(s) × {points:,} point(s){how} × "
             f"{replicates:,} replicate(s){equal})")
    if runs > MAX_RUNS_EVER:
        raise ScenarioError(f"{exp.where(loc)}: {count}; one experiment runs at most "
                            f"{MAX_RUNS_EVER:,}: split it into several")
    if runs > MAX_RUNS and not yes:
        raise ScenarioError(f"{exp.where(loc)}: {count}; more than {MAX_RUNS:,} runs need "
                            "--yes to confirm")
    need = scenarios * points * PLAN_BYTES_PER_CONFIGURATION + runs * PLAN_BYTES_PER_RUN
    free = available_memory()
    if need > free:
        raise ScenarioError(f"{exp.where(loc)}: {count}; planning them needs about "
                            f"{need / 1e9:,.1f} GB of memory, more than the {free / 1e9:,.1f} GB "
                            "available")


# --- against the scenarios ---------------------------------------------------------------------


def _base(exp: Experiment) -> tuple[dict[str, Any], dict[str, Loc]]:
    """The overrides every run gets, and where in the file each comes from."""
    spec = exp.spec
    base = dict(spec.set)
    locs: dict[str, Loc] = {k: ("set", k) for k in spec.set}
    if spec.days is not None:
        base["days"] = spec.days
        locs["days"] = ("days",)
    return base, locs


def _point_locs(design: Design, point_id: int, point: dict[str, Any]) -> dict[str, Loc]:
    if design.kind == "list":
        return {k: ("design", "points", point_id, k) for k in point}
    return {k: ("design", "parameters", k) for k in point}


def _is_days(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_DAYS


def resolve(exp: Experiment, index: int, overrides: dict[str, Any],
            locs: dict[str, Loc]) -> ResolvedScenario:
    """Resolve scenario ``index`` with ``overrides``; an error points at the experiment line of
    the override that caused it (``locs``), or else at the scenario's entry in ``scenarios:``.

    A ``days`` shorter than an intervention of the scenario is refused with the day it needs.
    It is resolved as a horizon only to learn which interventions it misses; when it misses
    none, the configuration — and so every run id — is the one a plain ``days`` override gives.
    """
    ref = exp.scenario_refs[index]
    days = overrides.get("days")
    horizon = days if _is_days(days) and not any(
        k.split(".")[0] == "interventions" for k in overrides) else None
    over = {k: v for k, v in overrides.items() if not (horizon is not None and k == "days")}
    try:
        resolved = load_scenario(ref, over, horizon=horizon)
    except ScenarioError as exc:
        raise ScenarioError(_blame(exp, index, str(exc), overrides, locs)) from None
    if resolved.dropped:
        last = max(int(m.group(1)) for d in resolved.dropped if (m := re.match(r"day (\d+)", d)))
        raise ScenarioError(
            f"{exp.where(locs['days'])}: scenario '{resolved.name}' has an intervention at day "
            f"{last}, which a run of {days} days never reaches; it needs days ≥ {last + 1}")
    return resolved


def _blame(exp: Experiment, index: int, message: str, overrides: dict[str, Any],
           locs: dict[str, Loc]) -> str:
    """Rewrite the loader's ``--set key=value: …`` origins as the experiment's lines."""
    out = []
    for line in message.split("\n"):
        out.append(_blame_line(exp, index, line, overrides, locs))
    return "\n".join(out)


def _blame_line(exp: Experiment, index: int, line: str, overrides: dict[str, Any],
                locs: dict[str, Loc]) -> str:
    for key in sorted(locs, key=len, reverse=True):
        prefix = f"--set {key}={echo(overrides[key])}: "
        if not line.startswith(prefix):
            continue
        rest = line[len(prefix):]
        field = ".".join(map(str, locs[key]))
        if rest.startswith(f"{key}: "):
            rest = rest[len(key) + 2:]
        elif rest.startswith(f"{key}.") and ": " in rest:
            sub, _, rest = rest.partition(": ")
            field += sub[len(key):]
        # with several scenarios, say which one the value does not suit
        which = f" (in '{Path(exp.scenario_refs[index]).stem}')" if len(exp.scenario_refs) > 1 \
            else ""
        return f"{exp.source.origin(locs[key])}: {field}: {rest}{which}"
    if line.startswith("… and "):
        return line
    return f"{exp.where(('scenarios', index))}: {line}"


def _check_against_scenarios(exp: Experiment) -> None:
    """Every scenario loads with ``set:`` and ``days:``, and takes both ends of every range.

    Ends are checked here, one parameter at a time, so that a range reaching outside a field's
    bounds is reported at its own ``low``/``high`` line before anything is sampled.
    """
    spec = exp.spec
    base, locs = _base(exp)
    ranges = {k: r for k, r in spec.design.parameters.items() if isinstance(r, Range)}
    for i in range(len(exp.scenario_refs)):
        resolved = resolve(exp, i, base, locs)
        data = resolved.config.model_dump(mode="json")
        for key, r in ranges.items():
            try:
                current = _dotted_get(data, key)
            except (KeyError, IndexError, TypeError, ValueError):
                continue  # the ends below say what is wrong with the key
            if type(current) is int and not r.integer:
                raise ScenarioError(
                    f"{exp.where(('design', 'parameters', key))}: is a whole number (it is "
                    f"{current} in '{resolved.name}'); add 'integer: true' to the range so "
                    "samples are rounded to whole numbers")
        for key, r in ranges.items():
            for end, value in r.ends().items():
                resolve(exp, i, {**base, key: value},
                        {**locs, key: ("design", "parameters", key, end)})


def _dotted_get(data: Any, key: str) -> Any:
    for part in key.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _resolve_all(exp: Experiment) -> list[Resolution]:
    """Resolve every scenario at every point, check each fits in memory, and refuse two that
    resolve to the same configuration (their runs would share run ids)."""
    from .design import design_points

    spec = exp.spec
    points = design_points(spec.design, spec.root_seed) or [{}]
    base, base_locs = _base(exp)
    out: list[Resolution] = []
    seen: dict[str, Resolution] = {}
    for i in range(len(exp.scenario_refs)):
        for point_id, point in enumerate(points):
            locs = {**base_locs, **_point_locs(spec.design, point_id, point)}
            resolved = resolve(exp, i, {**base, **point}, locs)
            where = _point_where(exp, i, point_id, point, resolved.name)
            footprint = require_fits(resolved.config, resident_agents=False, where=where,
                                     residents=spec.residents)
            if spec.residents is not None:
                _check_resize(exp, resolved, where)
            res = Resolution(i, point_id, resolved.name, resolved.digest,
                             resolved.config.model_dump(mode="json"), footprint)
            first = seen.get(res.digest)
            if first is not None:
                if first.scenario != i or spec.design.kind not in SHARED_KINDS:
                    refuse_same(exp, first, res, points)
                res = dataclasses.replace(res, config=first.config, same_as=first.point_id)
            else:
                seen[res.digest] = res
            out.append(res)
    return out


def _point_where(exp: Experiment, index: int, point_id: int, point: dict[str, Any],
                 name: str) -> str:
    if exp.spec.residents is not None:
        return f"{exp.where(('residents',))} ('{name}')"
    if not point:
        return f"{exp.where(('scenarios', index))} ('{name}')"
    loc: Loc = ("design", "points", point_id) if exp.spec.design.kind == "list" else ("design",)
    shown = ", ".join(f"{k}={echo(v)}" for k, v in point.items())
    return f"{exp.where(loc)} ('{name}' at point {point_id}: {shown[:200]})"


def _check_resize(exp: Experiment, resolved: ResolvedScenario, where: str) -> None:
    from cogov.model.structure import scale_to_residents

    try:
        scale_to_residents(resolved.config, exp.spec.residents)
    except (ScenarioError, ValueError) as exc:
        reason = str(exc).split(": ", 1)[-1]
        raise ScenarioError(f"{where}: {reason}") from None


def refuse_same(exp: Experiment, first: Resolution, second: Resolution,
                points: list[dict[str, Any]]) -> None:
    """Two resolutions with one configuration: say which lines made them the same."""
    design = exp.spec.design
    if first.scenario != second.scenario:
        raise ScenarioError(
            f"{exp.where(('scenarios', second.scenario))}: '{second.name}' resolves to the same "
            f"configuration as scenarios.{first.scenario} ('{first.name}'); their runs would be "
            "the same runs under one run id")
    a, b = points[first.point_id], points[second.point_id]
    if design.kind == "list":
        raise ScenarioError(
            f"{exp.where(('design', 'points', second.point_id))}: resolves to the same "
            f"configuration as design.points.{first.point_id} ('{second.name}'); the two would "
            "be the same runs under one run id")
    if design.kind == "grid":
        key = next((k for k in a if not _same(a[k], b.get(k))), next(iter(a), ""))
        raise ScenarioError(
            f"{exp.where(('design', 'parameters', key))}: the values {echo(a.get(key))} and "
            f"{echo(b.get(key))} give the same configuration ('{second.name}'); drop one")
    whole = [k for k, r in design.parameters.items() if isinstance(r, Range) and r.integer]
    if whole:
        key = whole[0]
        raise ScenarioError(
            f"{exp.where(('design', 'parameters', key))}: rounded to whole numbers, sample points "
            f"{first.point_id} and {second.point_id} are the same configuration ('{second.name}') "
            "and their runs would share run ids; use fewer samples, wider 'integer: true' "
            "ranges, or a grid design over the whole numbers")
    raise ScenarioError(
        f"{exp.where(('design',))}: sample points {first.point_id} and {second.point_id} are the "
        f"same configuration ('{second.name}'), so their runs would share run ids; use fewer "
        "samples or wider ranges")


# --- cogov validate ----------------------------------------------------------------------------


def looks_like_experiment(path: str | Path) -> bool:
    """An experiment names ``scenarios:`` or a ``design:``; a scenario never has either. Unreadable
    files are not experiments: the scenario loader then says what is wrong with them."""
    from cogov.model.loading import read_text

    try:
        text = read_text(Path(path))
    except ScenarioError:
        return False
    return re.search(r"^(?:scenarios|design)\s*:", text, re.MULTILINE) is not None


def _duration(seconds: float) -> str:
    for unit, scale in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= 2 * scale:
            return f"{seconds / scale:,.1f} {unit}"
    return f"{seconds:,.0f} s"


def describe_experiment(path: str | Path, yes: bool = False) -> str:
    """Validate an experiment file completely and say in one line what it would run and what
    that costs, so a sweep of days can be seen to be one before it starts."""
    return describe(load_experiment(path, yes=yes))


def describe(exp: Experiment) -> str:
    """The one line of :func:`describe_experiment`, for an experiment already loaded."""
    path, spec = exp.path, exp.spec
    res = exp.resolutions
    points = len({r.point_id for r in res}) or 1
    shared = sum(r.same_as is not None for r in res)
    runs = (len(res) - shared) * spec.replicates
    days = spec.days if spec.days is not None else "each scenario's"
    title = f"'{spec.title}'" if spec.title else Path(path).stem
    largest = max(res, key=lambda r: r.footprint.bytes).footprint
    total = sum(r.footprint.seconds for r in res if r.same_as is None) * spec.replicates
    note = f"; {shared:,} coinciding sample point(s) share runs" if shared else ""
    equals = "→" if shared else "="
    equal = ""
    ref = spec.reference_index()
    if ref is not None:
        again = [r for r in res if r.scenario != ref]
        total += STEPS * sum(r.footprint.seconds for r in again) * spec.replicates
        name = next(r.name for r in res if r.scenario == ref)
        kept = len(again) * spec.replicates
        equal = (f"; at equal cost to '{name}': {kept:,} more runs, each found in {STEPS} "
                 f"fixed-point steps ({STEPS * kept:,} runs)")
    return (f"{path}: ok — experiment {title}; {len(exp.scenario_refs)} scenario(s) × {points:,} "
            f"point(s) × {spec.replicates:,} replicate(s) {equals} {runs:,} runs of {days} "
            f"days ({spec.design.kind} design{note}){equal}; largest run {largest.describe()}; "
            f"about {_duration(total)} of model time in all")
