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
    print_tables(out)
    calibration = (f" (and {result.calibration_runs} runs of the equal-cost fixed point, not kept)"
                   if result.calibration_runs else "")
    print(f"\n{result.planned} runs planned: {result.ran} run now{calibration}, {result.skipped} "
          f"already done, {result.failed} failed; {result.seconds:.1f} s wall, "
          f"{result.run_seconds:.1f} s of model time")
    print(f"results in {out}/ (runs.parquet, timeseries/, manifest.json); `cogov report {out}` "
          "adds plots and tables")
    if not result.ok:
        print(f"cogov: {result.failed} run(s) failed; see {out}/failures.csv", file=sys.stderr)
        return 1
    return 0


def print_tables(out) -> None:
    """The outcomes of every group (per 10,000 yuan of social cost among them) and, at equal
    cost, the lead that survives: what a reader looks at first."""
    from ..plots import load_results
    from ..sweep_tables import format_equal_cost, format_summary

    res = load_results(out)
    print(format_summary(res))
    equal = format_equal_cost(res)
    if equal:
        print("\n" + equal)


def add_command(sub) -> None:
    s = sub.add_parser("sweep", help="run an experiment file: scenarios × points × replicates")
    s.add_argument("file", metavar="FILE", help="experiment YAML (see experiments/)")
    add_executor_options(s)
    s.add_argument("--csv", action="store_true", help="also write runs.csv")
    s.set_defaults(func=cmd_sweep)
