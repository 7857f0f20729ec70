"""``cogov scenarios`` and ``cogov show``: what is shipped, and one scenario fully resolved."""

from __future__ import annotations

import argparse

from cogov.model.loading import load_scenario, parse_set_args, scenario_names

from .arguments import add_set


def cmd_scenarios(args: argparse.Namespace) -> int:
    rows = []
    for name in scenario_names():
        cfg = load_scenario(name).config
        rows.append((name, cfg.title_zh, cfg.title_en))
    width = max(len(r[0]) for r in rows)
    for name, zh, en in rows:
        print(f"{name:<{width}}  {zh} — {en}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    import yaml

    resolved = load_scenario(args.scenario, parse_set_args(args.set))
    data = resolved.config.model_dump(mode="json")
    if data.get("extends") is None:  # resolved: nothing left to extend
        data.pop("extends", None)
    print(f"# {resolved.name} (resolved from {resolved.path}; digest {resolved.digest})")
    print(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), end="")
    return 0


def add_command(sub) -> None:
    s = sub.add_parser("scenarios", help="list the shipped scenarios")
    s.set_defaults(func=cmd_scenarios)

    s = sub.add_parser("show", help="print a scenario's resolved configuration")
    s.add_argument("scenario", metavar="SCENARIO", help="shipped name or YAML path")
    add_set(s)
    s.set_defaults(func=cmd_show)
