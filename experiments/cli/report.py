"""``cogov report``: one self-contained HTML page of a sweep's results."""

from __future__ import annotations

import argparse

from .arguments import results_dir


def cmd_report(args: argparse.Namespace) -> int:
    from ..report import write_report

    print(write_report(results_dir(args.dir)))
    return 0


def add_command(sub) -> None:
    s = sub.add_parser("report", help="write one self-contained HTML report of a sweep")
    s.add_argument("dir", metavar="DIR", help="results folder of cogov sweep")
    s.set_defaults(func=cmd_report)
