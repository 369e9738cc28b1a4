"""Run a sweep: fan the points out with joblib (loky locally, Dask on a cluster).

:func:`run_sweep` validates the spec in full, opens (or resumes) the results
folder (:mod:`cordsim.sweeps.store`), and runs every simulation not yet
finished. Results come back to this process as they finish, in any order,
and are written at once, one atomic file per point, made durable in batches
(see **Durability** below); the consolidated
``metrics.parquet`` is rebuilt at the end (and after an interruption).

- **Workers** build the model once per process (cached by name, base and
  profile, see :mod:`cordsim.sweeps.interface`) and reuse it for every point.
- **Batching**: ``batch_size="auto"`` lets joblib group several short points
  per task (it aims at tasks of 0.2-2 s), so per-task overhead stays small;
  long simulations go one per task.
- **Determinism**: a point's result depends only on its parameters, protocol
  and seed, and the table is sorted by the design, so ``n_jobs=1``,
  ``n_jobs=N`` and Dask give identical tables and spikes.
- **Failures**: a point that raises, or returns NaN for a required metric, is
  recorded with ``status="failed"`` and its error; the sweep goes on.
- **Crashes**: a point that kills its worker process (segfault, out of
  memory) does not stop the sweep. The points that were in flight are rerun
  one at a time in a fresh worker (:mod:`cordsim.sweeps.pools`); the one that
  crashes its worker again is recorded as failed with the cause (signal, exit
  code) and is not run again without ``retry_failed``; the others finish.
- **Checks before work**: options, the output folder (a folder, writable),
  the model's environment (the circuit's compiled mechanisms) and the memory
  the largest simulation needs (times the workers that run at once) are
  checked before any point runs; finished points are verified (and damaged
  ones recomputed) on every resume.
- **Summary**: at the end, failed points are counted and grouped by error
  (also without a progress bar); ``cordsim sweep`` then exits with code 3
  unless ``--allow-failed``.
- **Durability**: with ``durable_every=N`` (default
  :data:`DURABLE_EVERY`) a point's files are written and renamed at once but
  fsync'ed in batches: one barrier (:meth:`SweepStore.make_durable`) after
  each round of results that came back together, and after every ``N``
  points within a round, instead of two fsyncs per point. A point counts as
  finished (progress bar, counts, the "saved" message) only after its
  barrier. A killed process loses nothing written (renames are atomic); a
  power loss or OS crash can lose or truncate only points not yet made
  durable, which the next run recomputes (damaged ones are moved to
  ``damaged/`` first). ``durable_every=1`` is the old per-point durable
  write (two fsyncs per point).
- **Ctrl-C**: finished points are already on disk; the table is rebuilt,
  a message says how to resume, and ``KeyboardInterrupt`` is re-raised.
  Re-running the same spec into the same folder resumes (finished points,
  failed ones included unless ``retry_failed``, are skipped).
- **Kills**: only this process writes files, so killing it at any moment
  loses only the points in flight (killing a worker costs nothing: its points
  are rerun). If this process alone is SIGKILLed, orphaned loky workers
  finish their current task, write nothing, and exit; killing the process
  group (as SLURM does) stops them at once.

Running on a SLURM cluster with dask-jobqueue
---------------------------------------------
``cordsim sweep SPEC --slurm-jobs N`` starts SLURM jobs for one sweep and
cancels them when it ends (:mod:`cordsim.sweeps.slurm`). To keep workers
between sweeps, start a scheduler and SLURM-backed workers in one long-lived
Python process (e.g. on the login node, in ``tmux``)::

    from dask_jobqueue import SLURMCluster
    from distributed import Client

    cluster = SLURMCluster(
        cores=1, processes=1,         # one single-threaded worker per job:
        memory="4GB",                 # NEURON is not thread-safe
        walltime="04:00:00", queue="normal", account="mylab",
        job_script_prologue=["source ~/venvs/cordsim/bin/activate"],
        scheduler_options={"dashboard_address": ":8787"},
    )
    cluster.scale(jobs=64)            # or cluster.adapt(minimum_jobs=0, maximum_jobs=64)
    client = Client(cluster)
    print(cluster.scheduler_address)  # e.g. tcp://10.0.0.5:8786

then, from any shell that can reach it (results folder on a shared file
system; workers need the same cordsim installed)::

    cordsim sweep spec.toml --out /shared/results/run1 --scheduler tcp://10.0.0.5:8786

or in Python ``run_sweep(spec, out, backend="dask", scheduler=client)``. Only the
submitting process writes files; workers send results back over Dask. Ctrl-C or
a lost job costs only the points in flight: run the same command to resume.
"""

from __future__ import annotations

import os
import socket
import sys
import time
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from cordsim.errors import CordsimError
from cordsim.folders import check_writable_folder
from cordsim.sweeps.interface import cached_model
from cordsim.sweeps.pools import DaskPool, InProcessPool, LokyPool, WorkerDied
from cordsim.sweeps.registry import model_factory
from cordsim.sweeps.report import failure_lines
from cordsim.sweeps.sampling import Point, plan_points
from cordsim.sweeps.spec import (
    SweepSpec,
    SweepSpecError,
    load_spec,
    model_base,
    spec_hash,
    validate_spec,
)
from cordsim.sweeps.store import (
    PointResult,
    SweepStore,
    design_table,
    environment_manifest,
)
from cordsim.sweeps.worker import RunnerArgs, run_point_task

__all__ = ["SweepBackendError", "run_point_task", "run_sweep"]

#: Target wall time of one task when ``batch_size="auto"`` (s): long enough
#: that per-task overhead (about 1 ms) stays below 1 %, short enough that a
#: crash loses little.
_TASK_SECONDS = 0.5
#: Most points in one task when ``batch_size="auto"``.
_MAX_BATCH = 64
#: Default ``durable_every``: the most points written between two durability barriers.
DURABLE_EVERY = 256
#: Seconds to wait for a Dask scheduler to answer.
_CONNECT_TIMEOUT_S = 10


class SweepBackendError(CordsimError):
    """The workers cannot be started or reached (bad ``n_jobs``, scheduler down...)."""


# ----------------------------------------------------------------------------
# Checks before any work
# ----------------------------------------------------------------------------


def _resolve_spec(spec: SweepSpec | str | os.PathLike[str]) -> SweepSpec:
    if isinstance(spec, SweepSpec):
        return validate_spec(spec)
    return load_spec(spec)


def _check_options(
    backend: str, n_jobs: Any, scheduler: Any, dask_local: Any, batch_size: Any
) -> str:
    """Validate the run options (one-line errors); return the backend."""
    if scheduler is not None or dask_local is not None:
        backend = "dask"
    if backend not in ("loky", "dask"):
        raise SweepBackendError(f"backend: expected 'loky' or 'dask', got {backend!r}")
    if scheduler is not None and dask_local is not None:
        raise SweepBackendError("give either a Dask scheduler or dask_local, not both")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise SweepBackendError(
            f"n_jobs (-j) {n_jobs!r}: give a number of workers >= 1, or -1 for all cores"
        )
    if dask_local is not None and (
        isinstance(dask_local, bool) or not isinstance(dask_local, int) or dask_local < 1
    ):
        raise SweepBackendError(f"dask_local {dask_local!r}: give a number of workers >= 1")
    if batch_size != "auto" and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise SweepBackendError(f"batch_size {batch_size!r}: give 'auto' or an integer >= 1")
    return backend


def _check_durable_every(durable_every: Any) -> None:
    if isinstance(durable_every, bool) or not isinstance(durable_every, int) or durable_every < 1:
        raise SweepBackendError(f"durable_every {durable_every!r}: give an integer >= 1")


def _preflight(model: Any) -> None:
    """The model's own check of its environment (e.g. compiled mechanisms), if any."""
    hook = getattr(model, "preflight", None)
    if callable(hook):
        hook()


def _check_memory(model: Any, points: Sequence[Point], n_parallel: int) -> str:
    """Estimate the largest simulation's memory and check it fits; return a summary line."""
    hook = getattr(model, "resource_estimate", None)
    if not callable(hook) or not points:
        return ""
    from cordsim.models.resources import check_memory

    estimates: dict[tuple, Any] = {}
    for point in points:
        key = tuple(sorted((k, repr(v)) for k, v in point.params.items()))
        if key not in estimates:
            estimates[key] = hook(point.params)
    largest = max(estimates.values(), key=lambda e: e.bytes)
    n_concurrent = max(1, min(n_parallel, len(points)))
    check_memory(largest, n_concurrent=n_concurrent)
    return f"largest simulation: {largest} (x{n_concurrent} at once)"


def _n_workers(n_jobs: int) -> int:
    return (os.cpu_count() or 1) if n_jobs == -1 else n_jobs


# ----------------------------------------------------------------------------
# Dask
# ----------------------------------------------------------------------------


def _dask_client(
    stack: ExitStack, scheduler: Any, dask_local: int | None, n_jobs: int
) -> tuple[Any, str]:
    """A distributed Client (and a description) for the Dask backend."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover
        raise SweepBackendError(
            "the Dask backend needs 'dask[distributed]' (pip install cordsim[dask])"
        ) from None
    if scheduler is not None:
        if isinstance(scheduler, Client):
            return scheduler, f"dask client {scheduler.scheduler.address}"
        try:
            client = stack.enter_context(
                Client(scheduler, set_as_default=False, timeout=_CONNECT_TIMEOUT_S)
            )
        except (OSError, TimeoutError, ValueError) as exc:
            msg = " ".join(str(exc).split())[:200] or type(exc).__name__
            raise SweepBackendError(
                f"cannot reach the Dask scheduler {scheduler!r} within "
                f"{_CONNECT_TIMEOUT_S} s ({msg})"
            ) from None
        return client, f"dask scheduler {scheduler}"
    if dask_local is None:
        try:
            from distributed import get_client

            client = get_client()
            return client, f"dask client {client.scheduler.address}"
        except ValueError:
            dask_local = _n_workers(n_jobs)
    # a task whose worker dies is retried once, then reported as KilledWorker
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = stack.enter_context(
            LocalCluster(
                n_workers=int(dask_local),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
        )
    client = stack.enter_context(Client(cluster, set_as_default=False))
    # Runs first on exit: quiet the workers' shutdown chatter (heartbeats to a
    # scheduler that is closing), which is not an error of the sweep.
    stack.callback(_quiet_dask_shutdown, client)
    return client, f"dask local cluster ({dask_local} workers)"


def _silence_distributed() -> None:
    import logging

    logging.getLogger("distributed").setLevel(logging.CRITICAL)


def _quiet_dask_shutdown(client: Any) -> None:
    try:
        client.run(_silence_distributed)
    except Exception:  # pragma: no cover - best effort
        pass


def _warn_threads(client: Any, model: Any) -> None:
    if getattr(model, "thread_safe", False):
        return
    try:
        nthreads = client.nthreads()
    except Exception:  # pragma: no cover
        return
    if any(n > 1 for n in nthreads.values()):
        warnings.warn(
            "some Dask workers run several threads; this model is not thread-safe "
            "(start workers with threads_per_worker=1 / --nthreads 1)",
            stacklevel=3,
        )


# ----------------------------------------------------------------------------
# Running the points
# ----------------------------------------------------------------------------


class _BatchSizer:
    """Points per task: fixed, or grown until a task takes about ``_TASK_SECONDS``."""

    def __init__(self, batch_size: int | str) -> None:
        self.fixed = batch_size != "auto"
        self.size = 1 if batch_size == "auto" else int(batch_size)
        self._walls: deque[float] = deque(maxlen=32)

    def update(self, results: Sequence[PointResult]) -> None:
        if self.fixed:
            return
        self._walls.extend(r.wall_time_s for r in results if r.wall_time_s == r.wall_time_s)
        if self._walls:
            mean = max(sum(self._walls) / len(self._walls), 1e-4)
            self.size = max(1, min(_MAX_BATCH, int(_TASK_SECONDS / mean)))


def _crash_result(point: Point, cause: str) -> PointResult:
    """A failed point whose worker died on it (twice, or as Dask reported)."""
    return PointResult(
        point.point_id,
        "failed",
        f"WorkerCrash: {cause}; it crashed its worker twice (run again only with --retry-failed)",
    )


def _run_points(
    pool: Any,
    todo: Sequence[Point],
    batch_size: int | str,
    on_result: Callable[[PointResult], None],
    say: Callable[[str], None],
    after_round: Callable[[], None] = lambda: None,
) -> None:
    """Run ``todo`` on ``pool``; points in flight when a worker dies are rerun alone.

    ``after_round`` is called after each round of results handled together
    (the engine's durability barrier).
    """
    queue = deque(todo)
    suspects: list[Point] = []
    inflight: dict[Any, list[Point]] = {}
    sizer = _BatchSizer(batch_size)
    try:
        while queue or inflight:
            while queue and len(inflight) < 2 * pool.capacity:
                batch = [queue.popleft() for _ in range(min(sizer.size, len(queue)))]
                inflight[pool.submit(batch)] = batch
            crash: WorkerDied | None = None
            for future in pool.wait(inflight):
                batch = inflight.pop(future)
                try:
                    results = pool.result(future)
                except WorkerDied as died:
                    if died.repeated and len(batch) == 1:
                        on_result(_crash_result(batch[0], died.cause))
                    else:
                        suspects.extend(batch)
                        crash = died
                    continue
                sizer.update(results)
                for result in results:
                    on_result(result)
            after_round()
            if crash is not None:
                if pool.restarts_on_crash:  # every task in flight died with the worker
                    for batch in inflight.values():
                        suspects.extend(batch)
                    inflight.clear()
                    pool.restart()
                say(
                    f"a worker died ({crash.cause}); {len(suspects)} point(s) in flight "
                    "will be rerun one at a time"
                )
        if suspects:
            _run_alone(pool.isolated(), suspects, on_result, say, after_round)
    finally:
        for future in inflight:
            future.cancel()


def _run_alone(
    pool: Any,
    suspects: Sequence[Point],
    on_result: Callable[[PointResult], None],
    say: Callable[[str], None],
    after_round: Callable[[], None] = lambda: None,
) -> None:
    """Run each suspect alone in a fresh worker; one that crashes it again has failed."""
    try:
        for point in suspects:
            future = pool.submit([point])
            pool.wait([future])
            try:
                results = pool.result(future)
            except WorkerDied as died:
                say(f"point {point.point_id} crashed its worker again ({died.cause}): failed")
                on_result(_crash_result(point, died.cause))
                after_round()
                pool.restart()
                continue
            for result in results:
                on_result(result)
            after_round()
    finally:
        pool.close(cancel=True)


def _progress_bar(total: int, initial: int, name: str, enabled: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        initial=initial,
        desc=name,
        unit="pt",
        disable=not enabled,
        smoothing=0.05,
        dynamic_ncols=True,
        file=sys.stderr,
    )


def _say(bar: Any) -> Callable[[str], None]:
    """Print a line to stderr without breaking the progress bar."""

    def say(line: str) -> None:
        if bar is not None and not getattr(bar, "disable", True):
            bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr, flush=True)

    return say


def run_sweep(
    spec: SweepSpec | str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    n_jobs: int = -1,
    backend: str = "loky",
    scheduler: Any = None,
    dask_local: int | None = None,
    batch_size: int | str = "auto",
    progress: bool = True,
    retry_failed: bool = False,
    in_process: bool | None = None,
    durable_every: int = DURABLE_EVERY,
) -> Path:
    """Run (or resume) a sweep and return its results folder.

    Parameters
    ----------
    spec : SweepSpec or path
        The sweep (validated in full before anything runs).
    out : path, optional
        Results folder; defaults to the spec's ``[output] folder``.
    n_jobs : int
        Worker processes for loky (-1: all cores). With Dask and no
        scheduler, the size of the local cluster.
    backend : {"loky", "dask"}
        ``"dask"`` is implied by ``scheduler`` or ``dask_local``.
    scheduler : str or distributed.Client, optional
        Address of a running Dask scheduler (``tcp://host:8786``) or a Client.
    dask_local : int, optional
        Start a ``LocalCluster(n_workers=dask_local, threads_per_worker=1)``.
    batch_size : int or "auto"
        Points per task ("auto": grown until a task takes about 0.5 s).
    progress : bool
        Show a tqdm bar (rate, ETA) on stderr. Crashes, repairs and the
        failure summary are printed in any case.
    retry_failed : bool
        Run again the points recorded as failed.
    in_process : bool, optional
        Run the points in this process, one after the other (for debugging:
        a point that kills the process ends the sweep). Default: only when
        ``n_jobs == 1`` with loky; ``cordsim sweep`` always uses workers.
    durable_every : int
        Make the finished points durable (fsync) at least every this many
        points, and after each round of results (see **Durability** in the
        module docstring); 1: two fsyncs per point, as before batching.

    Returns
    -------
    pathlib.Path
        The results folder (read it with :func:`cordsim.sweeps.load_sweep`).

    Raises
    ------
    SweepSpecError
        The spec is invalid, or no output folder was given.
    SweepBackendError
        Bad ``n_jobs``/``dask_local``/``batch_size``, or an unreachable scheduler.
    cordsim.errors.ParameterError
        The output folder is a file, or cannot be created or written.
    SweepFolderError
        The folder holds another sweep, or another process runs in it.
    cordsim.errors.ResourceError
        The largest simulation would not fit in the machine's memory.
    KeyboardInterrupt
        After Ctrl-C, once finished points are consolidated.
    """
    spec = _resolve_spec(spec)
    backend = _check_options(backend, n_jobs, scheduler, dask_local, batch_size)
    _check_durable_every(durable_every)
    folder = out if out is not None else spec.output
    if folder is None:
        raise SweepSpecError("no output folder: give --out (or out=) or [output] folder")
    folder = Path(folder)
    check_writable_folder(folder, what="output folder")
    if in_process is None:
        in_process = backend == "loky" and n_jobs == 1

    base = model_base(spec)
    factory = model_factory(spec.model)
    model = cached_model(spec.model, factory, base=base, profile=spec.profile)
    _preflight(model)
    points = plan_points(spec)
    store = SweepStore(folder)
    say = _say(None)

    with ExitStack() as backend_stack:
        client = None
        if backend == "dask" and not in_process:  # reach the workers before touching the folder
            client, where = _dask_client(backend_stack, scheduler, dask_local, n_jobs)
            _warn_threads(client, model)
            if progress:
                say(f"{spec.name}: running on {where}")
        n_parallel = 1 if in_process else (dask_local or _n_workers(n_jobs))
        if scheduler is None:  # a remote cluster's memory is not this machine's
            # checked before the folder is bound to this spec, so that a smaller
            # spec can go into the same folder after a refusal
            memory = _check_memory(model, points, n_parallel)
            if memory and progress:
                say(f"{spec.name}: {memory}")
        with store.locked():
            unique, todo = _open_folder(store, spec, points, model, retry_failed, say)
            n_done = len(unique) - len(todo)

            run = {
                "id": uuid.uuid4().hex[:12],
                "started": _utcnow(),
                "state": "running",
                "backend": "in-process" if in_process else backend,
                "n_jobs": n_jobs,
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "to_run": len(todo),
            }
            store.record_run(run)
            counts = {"ok": 0, "failed": 0}
            state = "complete"
            bar: Any = None
            runner_args: RunnerArgs = (
                factory,
                spec.model,
                base,
                spec.profile,
                spec.required_metrics,
            )

            # statuses of the points written, not yet durable nor counted (not the
            # results: their spikes need not stay in memory until the barrier)
            pending: list[str] = []

            def make_durable() -> None:
                """The barrier: the pending points are durable, then counted as finished."""
                if not pending:
                    return
                store.make_durable()
                for status in pending:
                    counts[status] = counts.get(status, 0) + 1
                bar.update(len(pending))
                pending.clear()
                if counts["failed"]:
                    bar.set_postfix(failed=counts["failed"], refresh=False)

            def on_result(result: PointResult) -> None:
                if durable_every == 1:
                    store.write_point(result)
                    pending.append(result.status)
                    make_durable()  # nothing left to sync: just counts
                    return
                store.write_point(result, durable=False)
                pending.append(result.status)
                if len(pending) >= durable_every:
                    make_durable()

            t0 = time.perf_counter()
            try:
                with ExitStack() as stack:
                    pool: Any
                    if in_process or not todo:
                        pool = InProcessPool(runner_args)
                    elif client is not None:
                        pool = DaskPool(runner_args, client)
                    else:
                        pool = LokyPool(runner_args, _n_workers(n_jobs))
                        stack.callback(pool.close, cancel=True)
                    # created once the workers exist, so that rate and ETA are not skewed
                    bar = _progress_bar(len(unique), n_done, spec.name, progress)
                    _run_points(pool, todo, batch_size, on_result, _say(bar), make_durable)
                    make_durable()
            except KeyboardInterrupt:
                state = "interrupted"
                _durable_anyway(make_durable)
                _close(bar)
                _finish(store, run, state, counts, quiet=True)
                n_now = n_done + counts["ok"] + counts["failed"]
                say(
                    f"\ninterrupted: {n_now} of {len(unique)} points are saved in {folder}; "
                    f"resume with the same command (cordsim sweep SPEC --out {folder})"
                )
                raise
            except BaseException as exc:
                state = "error"
                _durable_anyway(make_durable)
                _close(bar)
                _finish(store, run, state, counts, quiet=True)
                if not isinstance(exc, CordsimError):
                    say(
                        f"\nsweep stopped by an error; finished points are saved in {folder}; "
                        "run the same command again to resume"
                    )
                raise
            _close(bar)
            frame = _finish(store, run, state, counts)
    if progress and todo:
        say(
            f"{spec.name}: {counts['ok']} point(s) computed, {counts['failed']} failed, "
            f"in {time.perf_counter() - t0:.1f} s"
        )
    for line in failure_lines(frame, folder):
        say(line)
    return folder


def _durable_anyway(make_durable: Callable[[], None]) -> None:
    """After Ctrl-C or an error: make the written points durable (they then count as saved)."""
    try:
        make_durable()
    except Exception:  # pragma: no cover - they are recomputed on resume
        pass


def _close(bar: Any) -> None:
    if bar is not None:
        bar.close()


def _open_folder(
    store: SweepStore,
    spec: SweepSpec,
    points: list[Point],
    model: Any,
    retry_failed: bool,
    say: Callable[[str], None],
) -> tuple[dict[str, Point], list[Point]]:
    """Create or check the folder, heal it, and return (every unique point, those to run)."""
    resumed = store.prepare(
        spec_hash=spec_hash(spec),
        spec_name=spec.name,
        spec_toml=spec.to_toml(),
        design=design_table(points, spec.parameter_names),
        manifest=environment_manifest(spec.model, model.versions()),
    )
    if resumed:
        points = _check_resume(store, points, model)
    store.clean_temporaries()
    _heal(store, say)
    unique: dict[str, Point] = {}
    for p in points:
        unique.setdefault(p.point_id, p)
    done = store.finished(include_failed=not retry_failed)
    if not retry_failed:
        n_stored_failed = len(done - store.finished(include_failed=False))
        if n_stored_failed:
            say(
                f"{n_stored_failed} point(s) stored as failed are skipped; "
                "run again with --retry-failed (retry_failed=True) to rerun them"
            )
    return unique, [p for pid, p in unique.items() if pid not in done]


def _heal(store: SweepStore, say: Callable[[str], None]) -> None:
    """Close stale run records and recompute damaged finished points."""
    n_stale = store.close_stale_runs()
    if n_stale:
        say(f"{store.folder}: {n_stale} earlier run(s) had been killed; recorded as such")
    report = store.check_finished(repair=True)
    if report:
        say(f"{store.folder}: {report.summary()}")


def _utcnow() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _finish(
    store: SweepStore,
    run: dict[str, Any],
    state: str,
    counts: dict[str, int],
    *,
    quiet: bool = False,
) -> Any:
    """Consolidate the table and close the run record (``quiet``: never raise)."""
    try:
        frame = store.consolidate()
        run.update(state=state, ended=_utcnow(), computed=counts["ok"], failed=counts["failed"])
        store.record_run(run)
        return frame
    except Exception as exc:
        if not quiet:
            raise
        print(f"could not consolidate {store.folder}: {exc}", file=sys.stderr)
        return None


def _check_resume(store: SweepStore, points: list[Point], model: Any) -> list[Point]:
    """On resume, use the stored design; warn when versions or the design changed."""
    manifest = store.manifest() or {}
    old = manifest.get("model_versions", {})
    new = {str(k): str(v) for k, v in model.versions().items()}
    if old and old != new:
        changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        warnings.warn(
            f"resuming {store.folder} with other versions than it was created with "
            f"({', '.join(changed)}); results may mix versions",
            stacklevel=3,
        )
    stored = store.design_points()
    if [p.point_id for p in stored] != [p.point_id for p in points]:
        warnings.warn(
            f"the sampler now gives other points than those stored in {store.folder} "
            "(library versions changed?); resuming with the stored design",
            stacklevel=3,
        )
    return stored
