"""Where a sweep's points run: worker pools that survive a crashing point.

Every pool runs *tasks* (a short list of points, see
:func:`cordsim.sweeps.worker.run_point_batch`) and offers the same four
operations to the engine: :meth:`submit`, :meth:`wait`, :meth:`result` and
:meth:`close`. A model error inside a point never reaches the pool (the
worker records it as a failed point); what the pool handles is a worker
*process* that dies: a segmentation fault, the kernel's out-of-memory killer,
an ``abort()`` (NEURON's ``std::bad_alloc``), ``kill -9``. Then
:meth:`result` raises :class:`WorkerDied` with the cause in one line, and the
engine reruns the points that were in flight one at a time in a fresh
process (:meth:`isolated`) to find the one that crashes.

- :class:`InProcessPool`: runs each task at once in this process (for
  debugging: a crash ends the sweep).
- :class:`LokyPool`: local worker processes (joblib's loky executor). A dying
  worker breaks the whole executor, so every task in flight fails with it and
  the pool is restarted.
- :class:`DaskPool`: a Dask cluster. The scheduler itself retries a task
  whose worker died (``distributed.scheduler.allowed-failures``, set to 1 on
  the local clusters cordsim starts) and reports ``KilledWorker`` after
  that, so such a task has already crashed more than once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Sequence
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import wait as wait_futures
from typing import Any

from cordsim.sweeps.sampling import Point
from cordsim.sweeps.store import PointResult
from cordsim.sweeps.worker import RunnerArgs, run_point_batch

__all__ = [
    "DaskPool",
    "InProcessPool",
    "LokyPool",
    "WorkerDied",
    "describe_exit_codes",
]

#: What a signal that ends a worker usually means, for the failure message.
_SIGNAL_CAUSES = {
    "SIGSEGV": "segmentation fault (SIGSEGV)",
    "SIGBUS": "bus error (SIGBUS)",
    "SIGILL": "illegal instruction (SIGILL)",
    "SIGFPE": "floating-point exception (SIGFPE)",
    "SIGABRT": "aborted (SIGABRT; NEURON aborts this way when out of memory: std::bad_alloc)",
    "SIGKILL": "killed (SIGKILL: the out-of-memory killer, or kill -9)",
    "SIGTERM": "terminated (SIGTERM)",
    "SIGINT": "interrupted (SIGINT)",
}


class WorkerDied(Exception):
    """A worker process died while it ran a task.

    Attributes
    ----------
    cause : str
        One line: the signal or exit code and what it usually means.
    repeated : bool
        True when the backend already retried the task on other workers, so
        it crashed more than one worker (Dask's ``KilledWorker``).
    """

    def __init__(self, cause: str, *, repeated: bool = False) -> None:
        super().__init__(cause)
        self.cause = cause
        self.repeated = repeated


def describe_exit_codes(message: str) -> str:
    """The cause of a loky ``TerminatedWorkerError`` in words.

    loky's message ends with ``The exit codes of the workers are
    {SIGSEGV(-11)}``; each code becomes e.g. ``"segmentation fault
    (SIGSEGV)"`` or ``"exited with code 3"``.
    """
    match = re.search(r"exit codes of the workers are \{([^}]*)\}", message)
    if not match:
        return "the worker process died (cause unknown)"
    causes = []
    for code in (c.strip() for c in match.group(1).split(",")):
        name = re.match(r"(SIG[A-Z0-9]+)", code)
        if name:
            causes.append(_SIGNAL_CAUSES.get(name.group(1), f"killed by {code}"))
        else:
            number = re.search(r"-?\d+", code)
            causes.append(f"exited with code {number.group(0) if number else code}")
    return "; ".join(dict.fromkeys(causes))


#: This worker's crash log (kept open so faulthandler can write to it).
_FAULT_LOG: Any = None


def _log_faults_to(log_dir: str) -> None:
    """Worker initializer: a crash dumps the Python stack to ``log_dir``, not to stderr.

    The engine reports the cause in one line and names the folder;
    ``CORDSIM_DEBUG=1`` keeps loky's default (the dump on stderr).
    """
    global _FAULT_LOG
    import faulthandler

    if os.environ.get("CORDSIM_DEBUG"):
        return
    _FAULT_LOG = open(os.path.join(log_dir, f"worker-{os.getpid()}.log"), "a")  # noqa: SIM115
    faulthandler.enable(file=_FAULT_LOG)


class InProcessPool:
    """Run each task at once, in this process (no crash isolation)."""

    capacity = 1
    restarts_on_crash = False

    def __init__(self, runner_args: RunnerArgs) -> None:
        self._runner_args = runner_args

    def submit(self, points: Sequence[Point]) -> Future:
        future: Future = Future()
        future.set_result(run_point_batch(self._runner_args, points))
        return future

    def wait(self, futures: Collection[Any]) -> set[Any]:
        return set(futures)

    def result(self, future: Future) -> list[PointResult]:
        return future.result()

    def restart(self) -> None:
        pass

    def isolated(self) -> InProcessPool:
        return self

    def close(self, *, cancel: bool = False) -> None:
        pass


class LokyPool:
    """Local worker processes (loky), restarted after a worker dies.

    Parameters
    ----------
    runner_args : tuple
        What :func:`~cordsim.sweeps.worker.run_point_batch` needs besides points.
    n_workers : int
        Worker processes.
    log_dir : str, optional
        Folder for crashed workers' stack dumps (default: a new temporary one).
    """

    restarts_on_crash = True

    def __init__(
        self, runner_args: RunnerArgs, n_workers: int, *, log_dir: str | None = None
    ) -> None:
        import tempfile

        self._runner_args = runner_args
        self.capacity = int(n_workers)
        self._executor: Any = None
        #: Where crashed workers' stack dumps go (removed by :meth:`close` when empty).
        self.log_dir = log_dir or tempfile.mkdtemp(prefix="cordsim-worker-logs-")

    def _pool(self) -> Any:
        if self._executor is None:
            from joblib.externals.loky import ProcessPoolExecutor

            self._executor = ProcessPoolExecutor(
                max_workers=self.capacity,
                initializer=_log_faults_to,
                initargs=(self.log_dir,),
            )
        return self._executor

    def submit(self, points: Sequence[Point]) -> Future:
        """Submit a batch; if the executor broke meanwhile, a future holding that error.

        A worker can die between two waits: loky then refuses new tasks with
        the crash's error, which :meth:`result` turns into :class:`WorkerDied`
        like that of a task in flight, so the engine restarts the pool.
        """
        from joblib.externals.loky.process_executor import BrokenProcessPool

        try:
            return self._pool().submit(run_point_batch, self._runner_args, list(points))
        except BrokenProcessPool as exc:
            failed: Future = Future()
            failed.set_exception(exc)
            return failed

    def wait(self, futures: Collection[Any]) -> set[Any]:
        done, _ = wait_futures(futures, return_when=FIRST_COMPLETED)
        return set(done)

    def result(self, future: Future) -> list[PointResult]:
        from joblib.externals.loky.process_executor import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool as exc:
            cause = describe_exit_codes(str(exc))
            raise WorkerDied(f"{cause}; stack dumps in {self.log_dir}") from None

    def restart(self) -> None:
        """Drop the broken executor; the next :meth:`submit` starts a fresh one."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, kill_workers=True)
            self._executor = None

    def isolated(self) -> LokyPool:
        """A pool of one fresh worker, to run suspects one at a time (same log folder)."""
        return LokyPool(self._runner_args, 1, log_dir=self.log_dir)

    def close(self, *, cancel: bool = False) -> None:
        """Stop the workers (``cancel``: at once); drop the log folder if no worker crashed."""
        if self._executor is not None:
            if cancel:
                self._executor.shutdown(wait=False, kill_workers=True)
            else:
                self._executor.shutdown(wait=True)
            self._executor = None
        _remove_empty_logs(self.log_dir)


def _remove_empty_logs(log_dir: str) -> None:
    """Delete the empty logs of workers that did not crash, and the folder if empty."""
    try:
        for entry in os.scandir(log_dir):
            if entry.is_file() and entry.stat().st_size == 0:
                os.unlink(entry.path)
        os.rmdir(log_dir)
    except OSError:  # a crash log is kept; or already removed
        pass


class DaskPool:
    """Tasks on a Dask cluster through a ``distributed.Client``."""

    restarts_on_crash = False

    def __init__(self, runner_args: RunnerArgs, client: Any) -> None:
        self._runner_args = runner_args
        self._client = client

    @property
    def capacity(self) -> int:
        """Threads of the cluster's workers now (at least 1)."""
        try:
            return max(1, sum(self._client.nthreads().values()))
        except Exception:  # pragma: no cover - scheduler gone; submit will say so
            return 1

    def submit(self, points: Sequence[Point]) -> Any:
        return self._client.submit(run_point_batch, self._runner_args, list(points), pure=False)

    def wait(self, futures: Collection[Any]) -> set[Any]:
        from distributed import wait

        with self._client.as_current():
            done, _ = wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done)

    def result(self, future: Any) -> list[PointResult]:
        from distributed.scheduler import KilledWorker

        try:
            return future.result()
        except KilledWorker as exc:
            raise WorkerDied(
                f"its Dask workers died each time it ran ({' '.join(str(exc).split())[:200]})",
                repeated=True,
            ) from None

    def restart(self) -> None:
        pass

    def isolated(self) -> DaskPool:
        return self

    def close(self, *, cancel: bool = False) -> None:
        pass
