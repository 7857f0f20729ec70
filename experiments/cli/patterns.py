"""``cogov validate-patterns``: the pattern checks of :mod:`cogov.experiments.patterns`."""

from __future__ import annotations

import argparse
from pathlib import Path

from .arguments import add_out, add_residents, add_root_seed, add_set, add_workers, bounded


def cmd_validate_patterns(args: argparse.Namespace) -> int:
    from cogov.model.loading import parse_set_args

    from ..outputs import check_target, out_path
    from ..patterns import select
    from ..validation import format_table, save, validate

    patterns = select([k.strip() for k in args.only.split(",")] if args.only is not None else None)
    overrides = parse_set_args(args.set)
    out = out_path(args.out, Path("results/patterns"))
    check_target(out, args.overwrite)  # before the runs, not after
    results, meta = validate(patterns, replicates=args.replicates, root_seed=args.seed,
                             workers=args.workers, residents=args.residents,
                             overrides=overrides)
    print(format_table(results))
    folder = save(out, results, meta, args.overwrite)
    print(f"report in {folder}/ (report.md, report.html, patterns.csv)")
    return 0 if bool(results["passed"].all()) else 1


def add_command(sub) -> None:
    s = sub.add_parser("validate-patterns",
                       help="check the model against the patterns of the source documents")
    s.add_argument("--replicates", default=10,
                   type=bounded(10_000, "replicates", 2, "a confidence interval needs at least 2"),
                   help="replicate seeds per case (default 10, at least 2)")
    add_root_seed(s)
    add_workers(s)
    add_residents(s)
    s.add_argument("--only", metavar="KEYS",
                   help="comma-separated pattern keys or groups, e.g. P1,P8")
    add_set(s, "override a key in every case (to test a calibration candidate)")
    add_out(s, "report folder (default results/patterns)", default="results/patterns",
            overwrite="replace an existing report folder")
    s.set_defaults(func=cmd_validate_patterns)
