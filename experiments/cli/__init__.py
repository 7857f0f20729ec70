"""The ``cogov`` command line: a thin layer over functions a Python user can call directly.

One module per command, each with an ``add_command(subparsers)`` that registers its parser and
its ``cmd_NAME(args)``; the argument types they share live in :mod:`.arguments`. Every user
error (bad YAML, unknown key or scenario, out-of-range value, unusable output folder) ends in one
message on stderr and exit code 2, without a traceback.
"""

from __future__ import annotations

import argparse
import sys

from cogov.model.loading import ScenarioError

from . import (
    compare,
    discover,
    patterns,
    plot,
    report,
    run,
    scenarios,
    sensitivity,
    sweep,
    validate,
)

#: The commands in the order ``cogov --help`` lists them.
COMMANDS = (scenarios, validate, run, compare, sweep, sensitivity, discover, plot, report,
            patterns)


def _version() -> str:
    import cogov

    return cogov.__version__


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cogov",
        description="Agent-based simulation of community co-governance (一核引领、多元共治).")
    p.add_argument("--version", action="version", version=f"cogov {_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_command(sub)
    add_plugin_commands(sub)
    return p


def add_plugin_commands(sub) -> None:
    """Commands registered under the ``cogov.commands`` entry point (``cogov viz``): the CLI
    learns of them from the installed package's metadata instead of importing them."""
    from importlib.metadata import entry_points

    for entry in sorted(entry_points(group="cogov.commands"), key=lambda e: e.name):
        entry.load()(sub)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(f"cogov: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cogov: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `cogov show NAME | head`
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
