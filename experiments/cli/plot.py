"""``cogov plot``: the figures of a sweep's results folder."""

from __future__ import annotations

import argparse

from .arguments import results_dir


def cmd_plot(args: argparse.Namespace) -> int:
    from ..plots import plot_results

    paths = plot_results(results_dir(args.dir))
    for p in paths:
        print(p)
    return 0


def add_command(sub) -> None:
    s = sub.add_parser("plot", help="draw the plots of a sweep's results")
    s.add_argument("dir", metavar="DIR", help="results folder of cogov sweep")
    s.set_defaults(func=cmd_plot)
