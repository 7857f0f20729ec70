"""``cogov sensitivity``: a Morris or Sobol experiment, run as a sweep, then its indices."""

from __future__ import annotations

import argparse

from .arguments import add_executor_options, default_out


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from ..outputs import out_path
    from ..sensitivity import require_sensitivity_design, run_sensitivity
    from ..spec import describe, load_experiment

    exp = load_experiment(args.file, yes=args.yes)
    require_sensitivity_design(exp)
    if args.check:
        print(describe(exp))
        return 0
    out = out_path(args.out, default_out(args.file))
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


def add_command(sub) -> None:
    s = sub.add_parser("sensitivity",
                       help="run a Morris or Sobol experiment and compute its indices")
    s.add_argument("file", metavar="FILE", help="experiment YAML with a morris or sobol design")
    add_executor_options(s)
    s.set_defaults(func=cmd_sensitivity)
