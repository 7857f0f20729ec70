"""``cogov validate``: check scenario and experiment files completely without running them."""

from __future__ import annotations

import argparse

from cogov.model.loading import ScenarioError, find_scenario, load_scenario, parse_set_args

from .arguments import add_set


def mechanisms_on(cfg) -> list[str]:
    """The mechanisms a scenario switches on, coordination mode first."""
    mech = cfg.mechanisms
    return [f"coordination={mech.coordination.mode}"] + [
        key for key in type(mech).model_fields
        if key != "coordination" and getattr(mech, key).enabled]


def cmd_validate(args: argparse.Namespace) -> int:
    from cogov.model.config import plural
    from cogov.model.footprint import require_fits

    from ..runner import RESIDENT_AGENTS
    from ..spec import describe_experiment, looks_like_experiment

    overrides = parse_set_args(args.set)
    for ref in args.files:
        path = find_scenario(ref)
        if looks_like_experiment(path):
            if overrides:
                raise ScenarioError(f"{path}: --set applies to scenarios; an experiment file "
                                    "sets its overrides in 'set:'")
            print(describe_experiment(path, yes=args.yes))
            continue
        resolved = load_scenario(ref, overrides)
        cfg = resolved.config
        need = require_fits(cfg, RESIDENT_AGENTS, where=str(path))
        on = mechanisms_on(cfg)
        print(f"{path}: ok — {cfg.title_en or resolved.name}; {plural(cfg.days, 'day')}, "
              f"{need.describe()}; mechanisms: {', '.join(on)}; "
              f"{plural(len(cfg.interventions), 'intervention')}")
    return 0


def add_command(sub) -> None:
    s = sub.add_parser("validate", help="check scenario and experiment files without running "
                       "them")
    s.add_argument("files", nargs="+", metavar="FILE")
    add_set(s)
    s.add_argument("--yes", action="store_true",
                   help="accept an experiment of more than 100,000 runs")
    s.set_defaults(func=cmd_validate)
