"""The one way cogov makes a local process pool: spawned workers that die with their parent.

A worker of a plain ``ProcessPoolExecutor`` outlives a parent killed with ``kill -9``: it keeps
running its task, then blocks writing the result to a pipe nobody reads, and it holds the
parent's stdout and stderr, so ``cogov sweep … | tee log`` never returns. Each worker therefore
installs a parent-death guard before it takes a task:

* on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker the moment its
  parent dies. The signal is tied to the *thread* that started the worker, so pools are made
  from a thread that lives as long as the pool (cogov's commands use the main thread);
* everywhere, a daemon thread that checks once a second whether the worker's parent process
  changed (an orphan is adopted by init or a subreaper) and then ends the worker with
  ``os._exit``: no cleanup, no flushing into a dead pipe.

Workers are spawned, never forked: a fork of a parent holding threads (tqdm's monitor, Dask's
event loop) can deadlock, and spawn behaves the same on every platform.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_SECONDS = 1.0


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A spawn-context pool of ``workers`` processes, each ending when this process ends."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_guard_parent, initargs=(os.getpid(),))


def _guard_parent(parent: int) -> None:
    """Worker initializer: die with ``parent``, whichever way it goes."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no usable libc (static or exotic builds)
            pass  # the watchdog below still applies
    if os.getppid() != parent:  # the parent died while this worker was starting
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="cogov-parent-watchdog",
                     daemon=True).start()


def _watch(parent: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent:
            os._exit(1)
