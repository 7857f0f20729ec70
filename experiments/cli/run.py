"""``cogov run``: one scenario, its outcomes printed and its results written to a folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cogov.model.catalogue import RUN_OUTCOMES, metric
from cogov.model.loading import load_scenario, parse_set_args

from .arguments import add_days, add_event, add_out, add_residents, add_set, seed


def format_summary(summary: dict) -> str:
    """The run's headline outcomes (the catalogue's ``RUN_OUTCOMES``), one per line."""
    rows = [(metric(key).label(), metric(key).format(summary[key])) for key in RUN_OUTCOMES
            if key not in ("residents", "days") and key in summary]
    width = max(len(label) for label, _ in rows)
    lines = [f"{'scenario':<{width}}  {summary['scenario']}",
             f"{'residents · days · seed':<{width}}  {summary['residents']:,} · "
             f"{summary['days']} · {summary['seed']}"]
    lines += [f"{label:<{width}}  {value}" for label, value in rows]
    return "\n".join(lines)


def warn_dropped(name: str, dropped: list[str], days: int) -> None:
    """Say which interventions and events a shorter ``--days`` leaves out (run and compare)."""
    for note in dropped:
        what = "" if ": event " in note else "the intervention at "
        print(f"cogov: warning: {name}: {what}{note} is beyond --days {days} and "
              "does not happen in this run", file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    from cogov.model.footprint import require_fits
    from tqdm import tqdm

    from ..outputs import check_target, out_path
    from ..runner import RESIDENT_AGENTS, run_scenario, save_run

    overrides = parse_set_args(args.set)
    out = out_path(args.out, Path("results") / (
        f"{Path(args.scenario).stem}-seed{args.seed}"))
    check_target(out, args.overwrite)  # fail before the run, not after it
    events = tuple(args.event or ())
    resolved = load_scenario(args.scenario, overrides, horizon=args.days, events=events)
    where = str(resolved.path) + (f" with --residents {args.residents:,}" if args.residents
                                  else "")
    require_fits(resolved.config, RESIDENT_AGENTS, where, args.residents)  # before the bar
    warn_dropped(resolved.name, resolved.dropped, args.days or 0)
    with tqdm(total=resolved.config.days, desc=resolved.name, unit="day", disable=None,
              leave=False, file=sys.stderr) as bar:
        result = run_scenario(args.scenario, seed=args.seed, days=args.days,
                              residents=args.residents, overrides=overrides,
                              progress=lambda day: bar.update(1), events=events)
    path = save_run(result, out, overwrite=args.overwrite)
    print(format_summary(result.summary))
    print(f"\nresults in {path}/ (timeseries, summary, ledger, manifest, dashboard.png)")
    return 0


def add_command(sub) -> None:
    s = sub.add_parser("run", help="run one scenario and write its results")
    s.add_argument("scenario", metavar="SCENARIO", help="shipped name or YAML path")
    s.add_argument("--seed", type=seed, default=0, help="random seed (default 0)")
    add_days(s, "the scenario's")
    add_residents(s, "scale the community to about this many residents")
    add_set(s, "override any scenario key, e.g. mechanisms.grid.coverage=0.5")
    add_event(s)
    add_out(s, "output folder (default results/NAME-seedN)")
    s.set_defaults(func=cmd_run)
