"""``cogov validate-patterns``: the pattern checks of :mod:`cogov.experiments.patterns`."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_validate_patterns(args: argparse.Namespace) -> int:
    from cogov.model.loading import parse_set_args

    from .outputs import check_target, out_path
    from .patterns import select
    from .validation import format_table, save, validate

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


def add_validation_command(sub) -> None:
    from .cli import REPLICATES, WORKERS, _pos_int, _seed

    def replicates(text: str) -> int:
        value = REPLICATES(text)
        if value < 2:
            raise argparse.ArgumentTypeError("a confidence interval needs at least 2")
        return value

    s = sub.add_parser("validate-patterns",
                       help="check the model against the patterns of the source documents")
    s.add_argument("--replicates", type=replicates, default=10,
                   help="replicate seeds per case (default 10, at least 2)")
    s.add_argument("--seed", type=_seed, default=0,
                   help="root seed the replicate seeds derive from (default 0)")
    s.add_argument("--workers", type=WORKERS, default=1,
                   help="processes running in parallel (default 1)")
    s.add_argument("--residents", type=_pos_int,
                   help="scale every community to about this many residents")
    s.add_argument("--only", metavar="KEYS",
                   help="comma-separated pattern keys or groups, e.g. P1,P8")
    s.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="override a key in every case (to test a calibration candidate)")
    s.add_argument("--out", metavar="DIR", default="results/patterns",
                   help="report folder (default results/patterns)")
    s.add_argument("--overwrite", action="store_true", help="replace an existing report folder")
    s.set_defaults(func=cmd_validate_patterns)
