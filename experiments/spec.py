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
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from cogov.model.loading import (
    ScenarioError,
    Sourced,
    find_scenario,
    load_scenario,
    read_yaml,
    validate,
)
from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Range(_Strict):
    low: float
    high: float
    integer: bool = Field(False, description="round sampled values to whole numbers")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError("low must be < high")
        return self


Scalar = bool | int | float | str


class Design(_Strict):
    kind: Literal["none", "grid", "list", "lhs", "morris", "sobol"] = "none"
    parameters: dict[str, list[Scalar] | Range] = Field(default_factory=dict)
    points: list[dict[str, Scalar]] = Field(default_factory=list)
    samples: Annotated[int, Field(gt=0)] = Field(
        16, description="LHS points; Morris trajectories; Sobol base sample size")
    levels: Annotated[int, Field(ge=2)] = Field(4, description="Morris grid levels")

    @model_validator(mode="after")
    def _consistent(self) -> Design:
        ranges = {k: v for k, v in self.parameters.items() if isinstance(v, Range)}
        lists = {k: v for k, v in self.parameters.items() if not isinstance(v, Range)}
        if self.kind == "grid":
            if ranges or not lists:
                raise ValueError("a grid design needs parameters given as lists of values")
            if any(len(v) == 0 for v in lists.values()):
                raise ValueError("every grid parameter needs at least one value")
        elif self.kind in ("lhs", "morris", "sobol"):
            if lists or not ranges:
                raise ValueError(f"a {self.kind} design needs parameters given as "
                                 "{low: …, high: …} ranges")
        elif self.kind == "list":
            if not self.points:
                raise ValueError("a list design needs 'points'")
        elif self.parameters or self.points:
            raise ValueError("design kind 'none' takes no parameters or points")
        if self.kind != "list" and self.points:
            raise ValueError("'points' belong to a list design")
        return self


DEFAULT_SENSITIVITY_METRICS = ["resolution_rate", "mean_days_to_resolve", "satisfaction",
                               "participation_rate", "petitions_per_10k_year"]


class Outputs(_Strict):
    timeseries: bool = Field(True, description="keep every run's per-day metrics")
    every: Annotated[int, Field(gt=0)] = Field(1, description="keep every n-th day")
    sensitivity_metrics: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SENSITIVITY_METRICS),
        description="summary metrics ``cogov sensitivity`` analyses")


class ExperimentSpec(_Strict):
    title: str = ""
    description: str = ""
    scenarios: list[str] = Field(min_length=1)
    replicates: Annotated[int, Field(gt=0)] = 10
    root_seed: Annotated[int, Field(ge=0)] = 0
    days: Annotated[int, Field(gt=0)] | None = None
    residents: Annotated[int, Field(gt=0)] | None = None
    set: dict[str, Scalar] = Field(default_factory=dict,
                                   description="overrides applied to every run")
    design: Design = Design()
    outputs: Outputs = Outputs()


class Experiment:
    """A validated experiment file, with its scenarios resolved to paths."""

    def __init__(self, path: Path, spec: ExperimentSpec, source: Sourced):
        self.path = path
        self.spec = spec
        self.source = source
        self.scenario_refs = [str(find_scenario(s, relative_to=path)) if s.endswith(
            (".yaml", ".yml")) else s for s in spec.scenarios]


def load_experiment(path: str | Path) -> Experiment:
    path = Path(path)
    source = read_yaml(path)
    spec = validate(source, ExperimentSpec)
    assert isinstance(spec, ExperimentSpec)
    exp = Experiment(path, spec, source)
    _check_against_scenarios(exp)
    return exp


def _check_against_scenarios(exp: Experiment) -> None:
    """Every scenario must load, and accept every parameter the design sets, before a run."""
    from .design import design_points

    spec = exp.spec
    for i, ref in enumerate(exp.scenario_refs):
        try:
            load_scenario(ref, dict(spec.set))
        except ScenarioError as exc:
            where = exp.source.origin(("scenarios", i))
            raise ScenarioError(f"{where}: scenarios.{i}: {exc}") from None
    points = design_points(spec.design, spec.root_seed)
    if not points:
        return
    # Check the extremes of each parameter once against the first scenario; points from
    # a grid or a list are checked one by one.
    probes = points if spec.design.kind in ("grid", "list") else points[:1]
    for point in probes:
        for ref in exp.scenario_refs:
            try:
                load_scenario(ref, {**spec.set, **point})
            except ScenarioError as exc:
                key = _first_key(str(exc), point)
                loc: tuple[Any, ...] = (("design", "parameters", key) if key in
                                        spec.design.parameters else ("design", "points"))
                reason = _strip_origin(str(exc))
                if reason.startswith(f"{key}: "):
                    reason = reason[len(key) + 2:]
                raise ScenarioError(f"{exp.source.origin(loc)}: {'.'.join(map(str, loc))}: "
                                    f"{reason}") from None


def _first_key(message: str, point: dict[str, Any]) -> str:
    return next((k for k in point if k in message), next(iter(point), ""))


def _strip_origin(message: str) -> str:
    """Drop the '--set key=value: ' prefix the scenario loader puts on override errors."""
    if message.startswith("--set "):
        head, _, rest = message.partition(": ")
        return rest or message
    return message


def looks_like_experiment(path: str | Path) -> bool:
    """An experiment names ``scenarios:`` or a ``design:``; a scenario never has either. Unreadable
    files are not experiments: the scenario loader then says what is wrong with them."""
    import re

    from cogov.model.loading import read_text

    try:
        text = read_text(Path(path))
    except ScenarioError:
        return False
    return re.search(r"^(?:scenarios|design)\s*:", text, re.MULTILINE) is not None


def describe_experiment(path: str | Path) -> str:
    """Validate an experiment file completely and say in one line what it would run."""
    from .sweep import plan

    exp = load_experiment(path)
    tasks = plan(exp)
    spec = exp.spec
    points = len({t.point_id for t in tasks}) or 1
    days = spec.days if spec.days is not None else "each scenario's"
    title = f"'{spec.title}'" if spec.title else Path(path).stem
    return (f"{path}: ok — experiment {title}; {len(exp.scenario_refs)} scenario(s) × {points} "
            f"point(s) × {spec.replicates} replicate(s) = {len(tasks):,} runs of {days} days")
