"""The sweep family of commands: ``cogov sweep``, ``sensitivity``, ``plot`` and ``report``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cogov.model.loading import ScenarioError


def _results_dir(text: str) -> Path:
    """A sweep's results folder whose tables can be read, or one message saying why not."""
    import pyarrow.parquet as pq

    path = Path(text)
    runs = path / "runs.parquet"
    try:
        if not runs.is_file():
            raise ScenarioError(f"{path}: no sweep results here (runs.parquet is missing)")
        missing = {"run_id", "scenario", "replicate", "status"} - set(pq.read_schema(runs).names)
        if missing:
            raise ScenarioError(f"{path}: runs.parquet is not a cogov sweep's table (no "
                                f"{', '.join(sorted(missing))} column)")
        series = path / "timeseries"
        for part in sorted(series.glob("part-*.parquet")) if series.is_dir() else []:
            pq.read_metadata(part)
    except ScenarioError:
        raise
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise ScenarioError(f"{path}: the sweep results cannot be read ({exc}); rerun the sweep "
                            "or finish it with --resume") from None
    return path


def _default_out(file: str) -> Path:
    return Path("results") / Path(file).stem


def cmd_sweep(args: argparse.Namespace) -> int:
    from .outputs import out_path
    from .spec import describe_experiment, load_experiment
    from .sweep import run_sweep

    if args.check:
        print(describe_experiment(args.file, yes=args.yes))
        return 0
    exp = load_experiment(args.file, yes=args.yes)
    out = out_path(args.out, _default_out(args.file))
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


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from .outputs import out_path
    from .sensitivity import require_sensitivity_design, run_sensitivity
    from .spec import describe, load_experiment

    exp = load_experiment(args.file, yes=args.yes)
    require_sensitivity_design(exp)
    if args.check:
        print(describe(exp))
        return 0
    out = out_path(args.out, _default_out(args.file))
    table, paths = run_sensitivity(exp, out, workers=args.workers, dask=args.dask,
                                   resume=args.resume)
    key = "mu_star" if "mu_star" in table else "ST"
    for (scenario, metric), g in table.groupby(["scenario", "metric"], sort=False):
        top = g.sort_values(key, ascending=False).head(3)
        ranked = ", ".join(f"{p.rsplit('.', 1)[-1]} ({v:.3g})"
                           for p, v in zip(top["parameter"], top[key], strict=True))
        print(f"{scenario} · {metric}: {ranked}")
    print(f"\nindices in {out}/sensitivity.csv; {len(paths)} plots in {out}/plots/")
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    from .plots import plot_results

    paths = plot_results(_results_dir(args.dir))
    for p in paths:
        print(p)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    print(write_report(_results_dir(args.dir)))
    return 0


def add_sweep_commands(sub) -> None:
    from .cli import WORKERS  # the main CLI's argument types (imported when it builds parsers)
    from .spec import MAX_RUNS

    def executor_options(s: argparse.ArgumentParser) -> None:
        s.add_argument("--workers", type=WORKERS, default=1,
                       help="worker processes (default 1: run in this process)")
        s.add_argument("--dask", metavar="ADDRESS",
                       help="run on Dask: 'local' starts a LocalCluster with --workers "
                            "processes; tcp://host:8786 uses an existing cluster")
        s.add_argument("--out", metavar="DIR", help="results folder (default results/FILE)")
        s.add_argument("--resume", action="store_true",
                       help="finish an interrupted sweep: only missing or failed runs run")
        s.add_argument("--yes", action="store_true",
                       help=f"confirm an experiment of more than {MAX_RUNS:,} runs")
        s.add_argument("--check", action="store_true",
                       help="validate the experiment completely and say what it would run, "
                            "without running it")

    s = sub.add_parser("sweep", help="run an experiment file: scenarios × points × replicates")
    s.add_argument("file", metavar="FILE", help="experiment YAML (see experiments/)")
    executor_options(s)
    s.add_argument("--csv", action="store_true", help="also write runs.csv")
    s.set_defaults(func=cmd_sweep)

    s = sub.add_parser("sensitivity",
                       help="run a Morris or Sobol experiment and compute its indices")
    s.add_argument("file", metavar="FILE", help="experiment YAML with a morris or sobol design")
    executor_options(s)
    s.set_defaults(func=cmd_sensitivity)

    s = sub.add_parser("plot", help="draw the plots of a sweep's results")
    s.add_argument("dir", metavar="DIR", help="results folder of cogov sweep")
    s.set_defaults(func=cmd_plot)

    s = sub.add_parser("report", help="write one self-contained HTML report of a sweep")
    s.add_argument("dir", metavar="DIR", help="results folder of cogov sweep")
    s.set_defaults(func=cmd_report)
