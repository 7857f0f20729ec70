"""The argument types and options every command shares, so ``--seed`` or ``--workers`` means the
same thing, is bounded the same way and fails with the same message wherever it appears.

A type raises ``argparse.ArgumentTypeError``: argparse then prints the usage and one message and
exits with code 2, the exit code of every user error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cogov.model.loading import ScenarioError


def nonneg_int(text: str) -> int:
    if len(text) > 30:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {len(text)} characters")
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def pos_int(text: str) -> int:
    value = nonneg_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return value


def bounded(high: int, what: str, low: int = 1, why_low: str = ""):
    """A whole number from ``low`` up to ``high``: more workers or replicates than that is a
    typo; ``why_low`` says why fewer than ``low`` cannot work."""

    def parse(text: str) -> int:
        value = pos_int(text)
        if value > high:
            raise argparse.ArgumentTypeError(f"must be at most {high:,} {what}, got {text}")
        if value < low:
            raise argparse.ArgumentTypeError(why_low)
        return value

    return parse


def fraction(low: float, high: float, closed: bool = False):
    """A number between ``low`` and ``high`` (excluded, unless ``closed``)."""

    def parse(text: str) -> float:
        import math

        if len(text) > 30:
            raise argparse.ArgumentTypeError(f"expected a number, got {len(text)} characters")
        try:
            value = float(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        inside = low <= value <= high if closed else low < value < high
        if not math.isfinite(value) or not inside:
            ends = f"[{low:g}, {high:g}]" if closed else f"({low:g}, {high:g})"
            raise argparse.ArgumentTypeError(f"must be in {ends}, got {text}")
        return value

    return parse


WORKERS = bounded(256, "processes")
REPLICATES = bounded(10_000, "replicates")


def seed(text: str) -> int:
    from cogov.model.model import MAX_SEED

    value = nonneg_int(text)
    if value > MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_SEED} (2^63 − 1), got {text}")
    return value


def days(text: str) -> int:
    from cogov.model.config import MAX_DAYS

    value = pos_int(text)
    if value > MAX_DAYS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_DAYS:,} (a century), got {text}")
    return value


def results_dir(text: str) -> Path:
    """A sweep's results folder whose tables can be read, or one message saying why not.

    Called by the command rather than given to argparse as a type: reading the tables may fail
    in ways worth a full sentence, which a ``ScenarioError`` carries to the one error line."""
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


# --- options several commands take --------------------------------------------------------------


def add_set(s: argparse.ArgumentParser, help: str = "override a key") -> None:
    s.add_argument("--set", action="append", metavar="KEY=VALUE", help=help)


def add_event(s: argparse.ArgumentParser) -> None:
    s.add_argument("--event", action="append", metavar='"day=D kind=K …"',
                   help="add an event to the timeline, repeatable, e.g. \"day=200 "
                   "kind=trust_drop institution=party share=0.3\" (kinds: trust_drop, "
                   "issue_surge, budget_cut, leader_leaves; fields as in events: of a scenario)")


def add_out(s: argparse.ArgumentParser, help: str, default: str | None = None,
            overwrite: str | None = "replace an existing output folder") -> None:
    """``--out DIR`` and, unless ``overwrite`` is None, ``--overwrite``."""
    s.add_argument("--out", metavar="DIR", default=default, help=help)
    if overwrite is not None:
        s.add_argument("--overwrite", action="store_true", help=overwrite)


def add_root_seed(s: argparse.ArgumentParser) -> None:
    s.add_argument("--seed", type=seed, default=0,
                   help="root seed the replicate seeds derive from (default 0)")


def add_workers(s: argparse.ArgumentParser,
                help: str = "processes running in parallel (default 1)") -> None:
    s.add_argument("--workers", type=WORKERS, default=1, help=help)


def add_residents(s: argparse.ArgumentParser,
                  help: str = "scale every community to about this many residents") -> None:
    s.add_argument("--residents", type=pos_int, help=help)


def add_days(s: argparse.ArgumentParser, whose: str) -> None:
    s.add_argument("--days", type=days, help=f"days to simulate (default: {whose}; "
                   "interventions beyond a shorter run are dropped with a warning)")


def default_out(file: str) -> Path:
    """Where a sweep of ``file`` writes unless ``--out`` says otherwise: results/STEM."""
    return Path("results") / Path(file).stem


def add_executor_options(s: argparse.ArgumentParser) -> None:
    """The options of the commands that run an experiment file (sweep, sensitivity)."""
    from ..spec import MAX_RUNS

    add_workers(s, "worker processes (default 1: run in this process)")
    s.add_argument("--dask", metavar="ADDRESS",
                   help="run on Dask: 'local' starts a LocalCluster with --workers "
                        "processes; tcp://host:8786 uses an existing cluster")
    add_out(s, "results folder (default results/FILE)", overwrite=None)
    s.add_argument("--resume", action="store_true",
                   help="finish an interrupted sweep: only missing or failed runs run")
    s.add_argument("--yes", action="store_true",
                   help=f"confirm an experiment of more than {MAX_RUNS:,} runs")
    s.add_argument("--check", action="store_true",
                   help="validate the experiment completely and say what it would run, "
                        "without running it")
