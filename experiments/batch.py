"""Many runs on one executor: this process, the local process pool, or a Dask cluster.

Every command that runs more than one simulation (compare, sweep, sensitivity, validate-patterns)
goes through :class:`Batch`, so they share one way of choosing, starting and ending an executor —
the parent-death guard of :func:`cogov.experiments.pool.process_pool`, the Dask connection check,
shutting down on Ctrl-C without starting queued runs — and one progress bar. Each task runs
through :func:`cogov.experiments.runner.run`, the same function ``cogov run`` calls.

Results are yielded as they complete, in whatever order the executor finishes them; a caller
sorts them by ``result.task.key`` before writing, so its output is the same on every executor.
Only a bounded number of runs is in flight at a time, so a sweep of a million runs neither
submits a million futures nor waits for the last before it can write the first.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from contextlib import ExitStack, contextmanager

from cogov.model.loading import ScenarioError

from .pool import process_pool
from .runner import RunResult, RunTask, run


class Batch:
    """A context that holds one executor for its lifetime::

        with Batch(workers=4, dask="local") as batch:   # connects (or fails) here
            for result in batch.run(tasks, desc="sweep"):
                ...

    ``workers`` <= 1 without ``dask`` runs in this process; more starts the local process pool;
    ``dask`` is ``"local"`` (a LocalCluster of ``workers`` processes) or a scheduler address.
    """

    def __init__(self, workers: int = 1, dask: str | None = None):
        self.workers = workers
        self.dask = dask
        self._stack = ExitStack()
        self._executor: Executor | None = None

    def __enter__(self) -> Batch:
        self._executor = self._stack.enter_context(_executor(self.workers, self.dask))
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def run(self, tasks: Iterable[RunTask], record_failures: bool = False, desc: str = "",
            progress: bool = True, leave: bool = True) -> Iterator[RunResult]:
        """Run every task, yielding each result as it completes, with a progress bar on stderr
        (hidden when stderr is not a terminal, or with ``progress=False``)."""
        from tqdm import tqdm

        tasks = list(tasks)
        with tqdm(total=len(tasks), desc=desc, unit="run",
                  file=sys.stderr, leave=leave, disable=None if progress else True) as bar:
            for result in self._results(tasks, record_failures):
                yield result
                bar.update(1)

    def _results(self, tasks: list[RunTask], record_failures: bool) -> Iterator[RunResult]:
        if self._executor is None:
            for task in tasks:
                yield run(task, record_failures)
            return
        in_flight = set()
        limit = max(2, 2 * max(self.workers, 1))
        for task in tasks:
            in_flight.add(self._executor.submit(run, task, record_failures))
            if len(in_flight) >= limit:
                finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in finished)
        while in_flight:
            finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in finished)


@contextmanager
def _executor(workers: int, dask: str | None) -> Iterator[Executor | None]:
    """``None`` means run serially in this process."""
    if dask is None:
        if workers <= 1:
            yield None
            return
        pool = process_pool(workers)
        try:
            yield pool
        finally:  # Ctrl-C or an error: do not start the queued runs, wait for the running ones
            pool.shutdown(wait=True, cancel_futures=True)
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ScenarioError("--dask needs dask.distributed: pip install 'cogov[cluster]'") from None
    if dask == "local":
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        cluster = None
        try:
            client = Client(dask, timeout="10s")
        except OSError as exc:
            raise ScenarioError(f"--dask {dask}: cannot reach the scheduler: {exc}") from None
    try:
        yield client.get_executor()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
