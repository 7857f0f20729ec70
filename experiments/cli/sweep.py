"""``cogov sweep``: an experiment file's scenarios × points × replicates, resumable."""

from __future__ import annotations

import argparse
import sys

from .arguments import add_executor_options, default_out


def cmd_sweep(args: argparse.Namespace) -> int:
    from ..outputs import out_path
    from ..spec import describe_experiment, load_experiment
    from ..sweep import run_sweep

    if args.check:
        print(describe_experiment(args.file, yes=args.yes))
        return 0
    exp = load_experiment(args.file, yes=args.yes)
    out = out_path(args.out, default_out(args.file))
    try:
        result = run_sweep(exp, out, workers=args.workers, dask=args.dask, resume=args.resume,
                           csv=args.csv)
    except KeyboardInterrupt:
        print(f"cogov: interrupted; finished runs are kept in {out}/ — add --resume to finish",
              file=sys.stderr)
        return 130
    print(f"{result.planned} runs planned: {result.ran} run now, {result.skipped} already done, "
          f"{result.failed} failed; {result.seconds:.1f} s wall, {result.run_seconds:.1f} s of "
          "model time")
    print(f"results in {out}/ (runs.parquet, timeseries/, manifest.json)")
    if not result.ok:
        print(f"cogov: {result.failed} run(s) failed; see {out}/failures.csv", file=sys.stderr)
        return 1
    return 0


def add_command(sub) -> None:
    s = sub.add_parser("sweep", help="run an experiment file: scenarios × points × replicates")
    s.add_argument("file", metavar="FILE", help="experiment YAML (see experiments/)")
    add_executor_options(s)
    s.add_argument("--csv", action="store_true", help="also write runs.csv")
    s.set_defaults(func=cmd_sweep)
