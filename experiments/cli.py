"""The ``cogov`` command line: a thin layer over functions a Python user can call directly.

Every user error (bad YAML, unknown key or scenario, out-of-range value, unusable output folder)
ends in one message on stderr and exit code 2, without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from cogov.model.loading import (
    ScenarioError,
    find_scenario,
    load_scenario,
    parse_set_args,
    scenario_names,
)

SUMMARY_ROWS = [
    ("resolution_rate", "resolution rate", "{:.1%}"),
    ("mean_days_to_resolve", "mean days to resolve", "{:.1f}"),
    ("proactive_detection_share", "found proactively", "{:.1%}"),
    ("resolved_in_community_share", "resolved within the community", "{:.1%}"),
    ("escalations_street", "escalations to the street", "{:.0f}"),
    ("petitions", "petitions", "{:.0f}"),
    ("mass_incidents", "mass incidents", "{:.0f}"),
    ("satisfaction", "satisfaction (end)", "{:.3f}"),
    ("trust_party_branch", "trust in the party branch", "{:.3f}"),
    ("trust_residents_committee", "trust in the residents' committee", "{:.3f}"),
    ("participation_rate", "participation rate (end)", "{:.1%}"),
    ("participation_top10_share", "share of participation by top 10%", "{:.1%}"),
    ("volunteer_hours", "volunteer hours", "{:,.0f}"),
    ("rc_admin_share", "committee time on admin tasks", "{:.1%}"),
    ("cost_per_resolved", "cost per resolved issue (yuan)", "{:,.0f}"),
]


def _version() -> str:
    import cogov

    return cogov.__version__


def mechanisms_on(cfg) -> list[str]:
    """The mechanisms a scenario switches on, coordination mode first."""
    mech = cfg.mechanisms
    return [f"coordination={mech.coordination.mode}"] + [
        key for key in type(mech).model_fields
        if key != "coordination" and getattr(mech, key).enabled]


def format_summary(summary: dict) -> str:
    width = max(len(label) for _, label, _ in SUMMARY_ROWS)
    lines = [f"{'scenario':<{width}}  {summary['scenario']}",
             f"{'residents · days · seed':<{width}}  {summary['residents']:,} · "
             f"{summary['days']} · {summary['seed']}",
             f"{'issues created':<{width}}  {summary['issues_created']:,}"]
    for key, label, fmt in SUMMARY_ROWS:
        lines.append(f"{label:<{width}}  {fmt.format(summary[key])}")
    return "\n".join(lines)


# --- commands ----------------------------------------------------------------------------------


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
    resolved = load_scenario(args.scenario, parse_set_args(args.set))
    data = resolved.config.model_dump(mode="json")
    if data.get("extends") is None:  # resolved: nothing left to extend
        data.pop("extends", None)
    print(f"# {resolved.name} (resolved from {resolved.path}; digest {resolved.digest})")
    print(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), end="")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from cogov.model.config import plural
    from cogov.model.footprint import require_fits

    from .spec import describe_experiment, looks_like_experiment

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
        need = require_fits(cfg, where=str(path))
        on = mechanisms_on(cfg)
        print(f"{path}: ok — {cfg.title_en or resolved.name}; {plural(cfg.days, 'day')}, "
              f"{need.describe()}; mechanisms: {', '.join(on)}; "
              f"{plural(len(cfg.interventions), 'intervention')}")
    return 0


def warn_dropped(name: str, dropped: list[str], days: int) -> None:
    for note in dropped:
        print(f"cogov: warning: {name}: the intervention at {note} is beyond --days {days} and "
              "does not happen in this run", file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    from cogov.model.footprint import require_fits
    from tqdm import tqdm

    from .outputs import check_target, out_path
    from .runner import run_scenario, save_run

    overrides = parse_set_args(args.set)
    out = out_path(args.out, Path("results") / (
        f"{Path(args.scenario).stem}-seed{args.seed}"))
    check_target(out, args.overwrite)  # fail before the run, not after it
    resolved = load_scenario(args.scenario, overrides, horizon=args.days)
    where = str(resolved.path) + (f" with --residents {args.residents:,}" if args.residents
                                  else "")
    require_fits(resolved.config, True, where, args.residents)  # before the progress bar
    warn_dropped(resolved.name, resolved.dropped, args.days or 0)
    with tqdm(total=resolved.config.days, desc=resolved.name, unit="day", disable=None,
              leave=False, file=sys.stderr) as bar:
        result = run_scenario(args.scenario, seed=args.seed, days=args.days,
                              residents=args.residents, overrides=overrides,
                              progress=lambda day: bar.update(1))
    path = save_run(result, out, overwrite=args.overwrite)
    print(format_summary(result.summary))
    print(f"\nresults in {path}/ (timeseries, summary, manifest, dashboard.png)")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import execute, format_table, prepare, save, summarize
    from .outputs import check_target, out_path

    if args.all and args.scenarios:
        raise ScenarioError("compare: name scenarios or pass --all, not both")
    names = scenario_names() if args.all else args.scenarios
    plan = prepare(names, replicates=args.replicates, root_seed=args.seed, days=args.days,
                   residents=args.residents, overrides=parse_set_args(args.set))
    out = out_path(args.out, Path("results/compare"))
    check_target(out, args.overwrite)  # fail before the runs, not after them
    for name, notes in plan.dropped.items():
        warn_dropped(name, notes, args.days or 0)
    runs = execute(plan, workers=args.workers)
    summary = summarize(runs)
    path = save(out, plan, runs, summary, overwrite=args.overwrite)
    print(format_table(summary))
    print(f"\n{len(runs)} runs in {plan.timings['total']:.1f} s; results in {path}/ "
          "(runs, comparison, comparison.png, manifest)")
    return 0


# --- parser ------------------------------------------------------------------------------------


def _nonneg_int(text: str) -> int:
    if len(text) > 30:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {len(text)} characters")
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _pos_int(text: str) -> int:
    value = _nonneg_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return value


def _bounded(high: int, what: str):
    """A positive whole number up to ``high``: more workers or replicates than that is a typo."""

    def parse(text: str) -> int:
        value = _pos_int(text)
        if value > high:
            raise argparse.ArgumentTypeError(f"must be at most {high:,} {what}, got {text}")
        return value

    return parse


WORKERS = _bounded(256, "processes")
REPLICATES = _bounded(10_000, "replicates")


def _seed(text: str) -> int:
    from cogov.model.model import MAX_SEED

    value = _nonneg_int(text)
    if value > MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_SEED} (2^63 − 1), got {text}")
    return value


def _days(text: str) -> int:
    from cogov.model.config import MAX_DAYS

    value = _pos_int(text)
    if value > MAX_DAYS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_DAYS:,} (a century), got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cogov",
        description="Agent-based simulation of community co-governance (一核引领、多元共治).")
    p.add_argument("--version", action="version", version=f"cogov {_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("scenarios", help="list the shipped scenarios")
    s.set_defaults(func=cmd_scenarios)

    s = sub.add_parser("show", help="print a scenario's resolved configuration")
    s.add_argument("scenario", metavar="SCENARIO", help="shipped name or YAML path")
    s.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a key")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("validate", help="check scenario and experiment files without running "
                       "them")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a key")
    s.add_argument("--yes", action="store_true",
                   help="accept an experiment of more than 100,000 runs")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("run", help="run one scenario and write its results")
    s.add_argument("scenario", metavar="SCENARIO", help="shipped name or YAML path")
    s.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    s.add_argument("--days", type=_days, help="days to simulate (default: the scenario's; "
                   "interventions beyond a shorter run are dropped with a warning)")
    s.add_argument("--residents", type=_pos_int,
                   help="scale the community to about this many residents")
    s.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="override any scenario key, e.g. mechanisms.grid.coverage=0.5")
    s.add_argument("--out", metavar="DIR", help="output folder (default results/NAME-seedN)")
    s.add_argument("--overwrite", action="store_true", help="replace an existing output folder")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("compare", help="run scenarios over replicate seeds and compare them")
    s.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="shipped names or YAML paths")
    s.add_argument("--all", action="store_true", help="every shipped scenario")
    s.add_argument("--replicates", type=REPLICATES, default=10,
                   help="replicate seeds per scenario (default 10)")
    s.add_argument("--seed", type=_seed, default=0,
                   help="root seed the replicate seeds derive from (default 0)")
    s.add_argument("--days", type=_days, help="days to simulate (default: each scenario's; "
                   "interventions beyond a shorter run are dropped with a warning)")
    s.add_argument("--residents", type=_pos_int,
                   help="scale every community to about this many residents")
    s.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="override a key in every scenario, e.g. mechanisms.grid.coverage=0.5")
    s.add_argument("--workers", type=WORKERS, default=1,
                   help="processes running in parallel (default 1)")
    s.add_argument("--out", metavar="DIR", default="results/compare",
                   help="output folder (default results/compare)")
    s.add_argument("--overwrite", action="store_true", help="replace an existing output folder")
    s.set_defaults(func=cmd_compare)

    from .cli_sweep import add_sweep_commands
    from .cli_validate import add_validation_command

    add_sweep_commands(sub)
    add_validation_command(sub)
    add_plugin_commands(sub)
    return p


def add_plugin_commands(sub) -> None:
    """Commands registered under the ``cogov.commands`` entry point (``cogov viz``): the CLI
    learns of them from the installed package's metadata instead of importing them."""
    from importlib.metadata import entry_points

    for entry in sorted(entry_points(group="cogov.commands"), key=lambda e: e.name):
        entry.load()(sub)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(f"cogov: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cogov: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `cogov show NAME | head`
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
