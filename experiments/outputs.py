"""Writing results: an output folder appears whole or not at all, and is never silently replaced.

Files are written into a hidden temporary folder beside the target and moved into place in one
rename. An existing target is an error unless the caller allows overwriting; even then the old
folder is only removed after the new one is complete.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from cogov.model.loading import ScenarioError


class OutputError(ScenarioError):
    """The output folder cannot be used (exists, not writable)."""


def check_target(out: Path, overwrite: bool) -> None:
    """Fail early — before a long run — if ``out`` cannot be written."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise OutputError(f"{out}: already holds results; choose another --out or pass "
                          "--overwrite to replace them")
    ancestor = out.resolve().parent
    while not ancestor.exists():  # nothing is created until the results are written
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"{out}: {ancestor} is a file, not a folder")
    if not _writable(ancestor):
        raise OutputError(f"{out}: the folder {ancestor} is not writable")


def _writable(folder: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def write_atomically(out: Path, overwrite: bool, fill: Callable[[Path], None]) -> Path:
    """Create ``out`` by letting ``fill`` write into a temporary folder, then renaming it."""
    check_target(out, overwrite)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; results are meant to be shared
        fill(tmp)
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            if old.exists():
                shutil.rmtree(old)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def write_table(df: pd.DataFrame, folder: Path, stem: str, csv: bool = True) -> None:
    df.to_parquet(folder / f"{stem}.parquet", index=False)
    if csv:
        df.to_csv(folder / f"{stem}.csv", index=False)


def write_json(obj: object, path: Path) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
                    encoding="utf-8")
