"""Writing results: an output folder appears whole or not at all, and only cogov's own results are
ever replaced.

Files are written into a hidden temporary folder beside the target and moved into place in one
rename. An existing target is an error unless the caller allows overwriting, and even then only a
folder cogov wrote — recognised by its manifest, which lists every file of the folder — is
replaced: never the current folder or one of its parents, never a folder holding anything else.
The old folder is removed only after the new one is complete. A run killed while saving leaves a
temporary folder named after its process; the next save into the same parent removes it.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from cogov.model.loading import ScenarioError, echo

MANIFEST = "manifest.json"
STAMP_KEY = "output_files"  # the manifest's list of the files cogov wrote into the folder
# What results folders of earlier versions hold (their manifests have no list of files).
LEGACY_FILES = {
    "manifest.json", "timeseries.parquet", "timeseries.csv", "summary.json", "summary.csv",
    "summary.parquet", "dashboard.png", "runs.parquet", "runs.csv", "comparison.parquet",
    "comparison.csv", "comparison.png", "patterns.parquet", "patterns.csv", "report.md",
    "report.html",
}


class OutputError(ScenarioError):
    """The output folder cannot be used (exists, not writable, not cogov's to replace)."""


def _lstat_kind(path: Path) -> str:
    """'missing', 'link', 'folder' or 'other', never raising on odd names."""
    try:
        if path.is_symlink():
            return "link"
        if not path.exists():
            return "missing"
        return "folder" if path.is_dir() else "other"
    except (OSError, ValueError) as exc:
        raise OutputError(f"{echo(str(path))}: cannot use this path: "
                          f"{getattr(exc, 'strerror', None) or exc}") from None


def files_in(folder: Path) -> list[str]:
    """Every file below ``folder``, as sorted relative POSIX paths."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in files:
            out.append((Path(root) / name).relative_to(folder).as_posix())
        for name in dirs:  # a link to a folder is listed (and refused), never followed
            if (Path(root) / name).is_symlink():
                out.append((Path(root) / name).relative_to(folder).as_posix())
    return sorted(out)


def _why_not_replaceable(out: Path) -> str | None:
    """The reason ``out`` must not be replaced, or None if it is cogov's own results folder."""
    here = Path.cwd().resolve()
    target = out.resolve()
    if here == target or target in here.parents:
        return "it is the current folder or one of its parents"
    manifest = out / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "it has no cogov manifest.json, so it was not written by cogov"
    if not isinstance(data, dict):
        return "its manifest.json is not cogov's"
    present = set(files_in(out))
    listed = data.get(STAMP_KEY)
    if isinstance(listed, list):
        known = {str(f) for f in listed}
    elif "versions" in data or "version" in data:  # written before manifests listed files
        known = LEGACY_FILES
    else:
        return "its manifest.json is not cogov's"
    foreign = sorted(present - known)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3
                                          else "")
        return f"it holds files cogov did not write ({shown})"
    return None


def out_path(text: str | None, default: Path) -> Path:
    """The ``--out`` folder: the default when not given; an empty name is a mistake, not '.'."""
    if text is None:
        return default
    if not text.strip():
        raise OutputError("--out: the folder name is empty")
    return Path(text)


def _check_name(out: Path) -> None:
    """Names the file system cannot hold are refused before anything is created."""
    text = str(out)
    if "\0" in text:
        raise OutputError(f"{echo(text)}: a path cannot contain a NUL character")
    for part in out.parts:
        if len(os.fsencode(part)) > 255:
            raise OutputError(f"{echo(text)}: the name {echo(part)} is longer than 255 bytes")
    if len(os.fsencode(os.path.abspath(text))) > 4000:
        raise OutputError(f"{echo(text)}: the path is longer than 4,000 bytes")


def check_target(out: Path, overwrite: bool) -> None:
    """Fail early — before a long run — if ``out`` cannot be written."""
    _check_name(out)
    kind = _lstat_kind(out)
    if kind == "other":
        raise OutputError(f"{out}: exists and is not a folder")
    if kind == "link":
        raise OutputError(f"{out}: is a symbolic link; give the folder itself as --out")
    if kind == "folder":
        here, target = Path.cwd().resolve(), out.resolve()
        if here == target or target in here.parents:
            raise OutputError(f"{out}: is the current folder or one of its parents; results go "
                              "into a folder of their own, e.g. --out results/run1")
    if kind == "folder" and any(out.iterdir()):
        if not overwrite:
            raise OutputError(f"{out}: already holds results; choose another --out or pass "
                              "--overwrite to replace them")
        reason = _why_not_replaceable(out)
        if reason:
            raise OutputError(f"{out}: --overwrite refused: {reason}; only a folder of cogov "
                              "results is replaced. Choose another --out")
    try:
        ancestor = out.resolve().parent
    except (OSError, RuntimeError) as exc:
        raise OutputError(f"{out}: cannot use this path: {exc}") from None
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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def clean_stale(out: Path) -> None:
    """Remove what a save killed midway left beside ``out``: temporary folders of processes that
    no longer exist, and the previous results folder set aside for a swap (restored when the
    swap never finished)."""
    parent = out.parent
    if not parent.is_dir():
        return
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(\d+)-[^/]*\.tmp$")
    for tmp in parent.iterdir():
        match = pattern.match(tmp.name)
        if match and tmp.is_dir() and not tmp.is_symlink() and not _alive(int(match[1])):
            shutil.rmtree(tmp, ignore_errors=True)
    old = parent / f".{out.name}.old"
    if old.is_dir() and not old.is_symlink() and _why_not_replaceable(old) is None:
        if _lstat_kind(out) == "missing":
            old.rename(out)  # a swap was cut short: the previous results come back
        else:
            shutil.rmtree(old)


def _stamp(folder: Path) -> None:
    """Record in the manifest every file of the folder: the proof, later, that it is cogov's."""
    manifest = folder / MANIFEST
    data: dict[str, Any] = {}
    if manifest.exists():
        loaded = json.loads(manifest.read_text(encoding="utf-8"))
        data = loaded if isinstance(loaded, dict) else {"content": loaded}
    data[STAMP_KEY] = sorted(set(files_in(folder)) | {MANIFEST})
    write_json(data, manifest)


def write_atomically(out: Path, overwrite: bool, fill: Callable[[Path], None]) -> Path:
    """Create ``out`` by letting ``fill`` write into a temporary folder, then renaming it."""
    out = Path(os.path.abspath(out))
    clean_stale(out)
    check_target(out, overwrite)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}-", suffix=".tmp",
                                    dir=out.parent))
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the folder: {exc.strerror}") from None
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; results are meant to be shared
        fill(tmp)
        _stamp(tmp)
        if out.exists():
            check_target(out, overwrite)  # it may have changed during a long run
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


def json_safe(obj: Any) -> Any:
    """Plain JSON values: NumPy scalars become numbers, and a value that is not a finite number
    (a mean over no issues) becomes null, because NaN and Infinity are not JSON."""
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def write_json(obj: object, path: Path) -> None:
    text = json.dumps(json_safe(obj), indent=2, ensure_ascii=False, sort_keys=False,
                      allow_nan=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")
