"""``cogov compare``: scenarios over replicate seeds, side by side with 95% intervals."""

from __future__ import annotations

import argparse
from pathlib import Path

from cogov.model.loading import ScenarioError, parse_set_args, scenario_names

from .arguments import (
    REPLICATES,
    add_days,
    add_event,
    add_out,
    add_residents,
    add_root_seed,
    add_set,
    add_workers,
)
from .run import warn_dropped


def cmd_compare(args: argparse.Namespace) -> int:
    from ..compare import execute, format_table, prepare, save, summarize
    from ..outputs import check_target, out_path

    if args.all and args.scenarios:
        raise ScenarioError("compare: name scenarios or pass --all, not both")
    names = scenario_names() if args.all else args.scenarios
    plan = prepare(names, replicates=args.replicates, root_seed=args.seed, days=args.days,
                   residents=args.residents, overrides=parse_set_args(args.set),
                   equal_cost=args.equal_cost, events=tuple(args.event or ()))
    out = out_path(args.out, Path("results/compare"))
    check_target(out, args.overwrite)  # fail before the runs, not after them
    for name, notes in plan.dropped.items():
        warn_dropped(name, notes, args.days or 0)
    runs = execute(plan, workers=args.workers)
    summary = summarize(runs)
    path = save(out, plan, runs, summary, overwrite=args.overwrite)
    print(format_table(summary))
    if plan.equal_cost:
        from ..equal_cost import LEAD_METRICS, format_leads

        print("\n" + format_leads(summary, plan.entries[0].name, plan.scales, LEAD_METRICS))
    print(f"\n{len(runs)} runs in {plan.timings['total']:.1f} s; results in {path}/ "
          "(runs, comparison, comparison.png, cost-outcome.png, manifest)")
    return 0


def add_command(sub) -> None:
    s = sub.add_parser("compare", help="run scenarios over replicate seeds and compare them")
    s.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="shipped names or YAML paths")
    s.add_argument("--all", action="store_true", help="every shipped scenario")
    s.add_argument("--replicates", type=REPLICATES, default=10,
                   help="replicate seeds per scenario (default 10)")
    add_root_seed(s)
    add_days(s, "each scenario's")
    add_residents(s)
    add_set(s, "override a key in every scenario, e.g. mechanisms.grid.coverage=0.5")
    add_event(s)
    s.add_argument("--equal-cost", action="store_true",
                   help="also run every scenario but the first with its paid staff and budgets "
                   "scaled to the first one's social cost (money plus priced hours)")
    add_workers(s)
    add_out(s, "output folder (default results/compare)", default="results/compare")
    s.set_defaults(func=cmd_compare)
