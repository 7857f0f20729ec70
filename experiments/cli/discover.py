"""``cogov discover``: the boxes of parameter space where one scenario loses to another (PRIM).

Given a sweep's results folder, it reads the runs; given an experiment file, it first runs the
sweep into ``OUT/sweep`` — inside the folder being written, so the whole folder appears at once or
not at all (a sweep that must survive an interruption is run with ``cogov sweep``, resumable,
and then discovered from its folder). Everything the command can check — the condition, the
outcome, the parameters, the output folder — is checked before a run starts or a file is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cogov.model.loading import ScenarioError

from .arguments import add_out, add_workers, bounded, fraction, nonneg_int, results_dir

MAX_BOXES = bounded(20, "boxes")


def cmd_discover(args: argparse.Namespace) -> int:
    from ..condition import parse_condition
    from ..discovery import Settings
    from ..outputs import out_path

    condition = parse_condition(args.where)
    settings = Settings(alpha=args.alpha, min_mass=args.min_mass, min_density=args.min_density,
                        max_boxes=args.max_boxes, pasting=not args.no_paste, step=args.step)
    chosen = [p.strip() for p in args.parameters.split(",")] if args.parameters else None
    if chosen is not None and not all(chosen):
        raise ScenarioError(f"--parameters {args.parameters!r}: an empty name; separate dotted "
                            "keys with commas")
    source = Path(args.source)
    out = out_path(args.out, Path("results") / f"discover-{source.stem}")
    if source.is_dir():
        found = _from_sweep(source, out, args, condition, settings, chosen)
    elif source.is_file():
        found = _from_experiment(source, out, args, condition, settings, chosen)
    else:
        raise ScenarioError(f"{source}: no such sweep folder or experiment file")
    print(_printed(found))
    print(f"\nresults in {out}/ (boxes.json, boxes.csv, trajectory.png, trajectory.csv, "
          "points.csv, report.md, manifest.json)")
    return 0


def _printed(found) -> str:
    from ..discovery_report import format_boxes

    return format_boxes(found)


def _manifest(found, source: Path, kind: str, extra: dict) -> dict:
    from ..runner import versions

    return {"kind": "discover", "input": str(source), "input_kind": kind,
            "outcome": found.outcome, "where": str(found.condition),
            "parameters": found.parameters, "settings": found.settings.__dict__,
            "points": len(found.points), "seeds": found.seeds,
            "cases": found.overall["cases"], "boxes": len(found.boxes),
            "method": "PRIM (Friedman & Fisher 1999): peeling, pasting, covering "
                      "(cogov.experiments.prim)",
            **extra, "versions": versions()}


def _from_sweep(source: Path, out: Path, args, condition, settings, chosen):
    from ..discovery import choose_parameters, discover, read_sweep, sweep_parameters
    from ..discovery_report import write_outputs
    from ..outputs import write_atomically

    folder = results_dir(str(source))
    runs, manifest = read_sweep(folder)
    design = sweep_parameters(manifest, runs, str(folder))
    found = discover(runs, args.outcome, condition, choose_parameters(chosen, design), settings,
                     where=str(folder))
    record = _manifest(found, folder, "sweep", {
        "sweep_experiment_digest": manifest.get("experiment_digest"),
        "sweep_runs": int(len(runs))})
    write_atomically(out, args.overwrite,
                     lambda tmp: write_outputs(found, tmp, str(folder), record))
    return found


def _from_experiment(source: Path, out: Path, args, condition, settings, chosen):
    import pandas as pd

    from ..condition import require_scenarios
    from ..discovery import choose_parameters, discover, require_outcome, summary_metrics
    from ..discovery_report import write_outputs
    from ..equal_cost import equal_cost_name
    from ..outputs import check_target, write_atomically
    from ..spec import load_experiment, looks_like_experiment
    from ..sweep import parameter_names, run_sweep

    if not looks_like_experiment(source):
        raise ScenarioError(f"{source}: not an experiment file (it names no scenarios: or "
                            "design:) and not a sweep's results folder")
    exp = load_experiment(source, yes=args.yes)
    names = list(dict.fromkeys(r.name for r in exp.resolutions))
    ref = exp.spec.reference_index()
    if ref is not None:
        names += [equal_cost_name(r.name) for r in exp.resolutions if r.scenario != ref]
    require_scenarios(condition, names, str(source))
    design = parameter_names(exp)
    if not design:
        raise ScenarioError(f"{exp.where(('design',))}: the experiment has no design "
                            "parameters; PRIM needs a grid, list or lhs design over parameters")
    parameters = choose_parameters(chosen, design)
    require_outcome(args.outcome, summary_metrics(), str(source))
    check_target(out, args.overwrite)  # before the sweep, not after it
    holder = {}

    def fill(tmp: Path) -> None:
        result = run_sweep(exp, tmp / "sweep", workers=args.workers)
        if not result.ok:
            print(f"cogov: {result.failed} run(s) failed; discovery uses the successful ones",
                  file=sys.stderr)
        runs = pd.read_parquet(tmp / "sweep" / "runs.parquet")
        found = discover(runs, args.outcome, condition, parameters, settings,
                         where=str(source))
        record = _manifest(found, source, "experiment", {
            "sweep": "sweep/", "sweep_runs": int(len(runs)),
            "sweep_runs_failed": result.failed})
        write_outputs(found, tmp, str(source), record)
        holder["found"] = found

    write_atomically(out, args.overwrite, fill)
    return holder["found"]


def add_command(sub) -> None:
    s = sub.add_parser(
        "discover", help="find where in parameter space one scenario loses to another (PRIM)",
        description="Scenario discovery with PRIM: the boxes of a sweep's parameter space where "
        "the --where condition on the paired difference of two scenarios holds.")
    s.add_argument("source", metavar="SWEEP_DIR_OR_EXPERIMENT",
                   help="a sweep's results folder, or an experiment file to sweep first")
    s.add_argument("--outcome", required=True, metavar="METRIC",
                   help="a summary metric, e.g. satisfaction (docs/ODD.md §7.11)")
    s.add_argument("--where", required=True, metavar="CONDITION",
                   help="the cases of interest, e.g. \"one-core-four-element - government-led < 0\""
                        " (first minus second, mean over common seeds, compared to a number)")
    s.add_argument("--parameters", metavar="P1,P2",
                   help="restrict boxes to these design parameters (default: all of them)")
    s.add_argument("--alpha", type=fraction(0, 0.5), default=0.05,
                   help="share of a box's points peeled or pasted at a time (default 0.05)")
    s.add_argument("--min-mass", type=fraction(0, 1), default=0.05,
                   help="stop peeling below this share of the points (default 0.05)")
    s.add_argument("--min-density", type=fraction(0, 1, closed=True), default=0.8,
                   help="a box must hold at least this share of cases (default 0.8)")
    s.add_argument("--max-boxes", type=MAX_BOXES, default=3,
                   help="boxes found one after another by covering (default 3)")
    s.add_argument("--step", type=nonneg_int,
                   help="take this step of the first peeling trajectory (trajectory.csv) "
                        "instead of choosing by --min-density, with all its restrictions; "
                        "one box")
    s.add_argument("--no-paste", action="store_true", help="skip pasting after peeling")
    add_workers(s, "worker processes when an experiment is swept first (default 1)")
    s.add_argument("--yes", action="store_true", help="confirm a very large experiment")
    add_out(s, "output folder (default results/discover-NAME)")
    s.set_defaults(func=cmd_discover)
