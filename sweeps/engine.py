"""Run a sweep: fan the points out with joblib (loky locally, Dask on a cluster).

:func:`run_sweep` validates the spec in full, opens (or resumes) the results
folder (:mod:`cordsim.sweeps.store`), and runs every simulation not yet
finished. Results come back to this process as they finish, in any order,
and are written at once, one atomic file per point; the consolidated
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
- **Ctrl-C**: finished points are already on disk; the table is rebuilt,
  a message says how to resume, and ``KeyboardInterrupt`` is re-raised.
  Re-running the same spec into the same folder resumes (finished points,
  failed ones included unless ``retry_failed``, are skipped).
- **Kills**: only this process writes files, so killing it (or a worker) at
  any moment loses only the points in flight. If this process alone is
  SIGKILLed, orphaned loky workers finish their current point, write
  nothing, and exit on loky's idle timeout; killing the process group (as
  SLURM does) stops them at once.

Running on a SLURM cluster with dask-jobqueue
---------------------------------------------
Start a scheduler and SLURM-backed workers in one long-lived Python process
(e.g. on the login node, in ``tmux``)::

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

import math
import os
import socket
import sys
import time
import uuid
import warnings
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from cordsim.spikes import SPIKE_COLUMNS, empty_spikes
from cordsim.sweeps.interface import ModelFactory, cached_model, required_metrics
from cordsim.sweeps.registry import model_factory
from cordsim.sweeps.sampling import Point, plan_points
from cordsim.sweeps.spec import (
    RESERVED_COLUMNS,
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

__all__ = ["run_point_task", "run_sweep"]


# ----------------------------------------------------------------------------
# In the worker
# ----------------------------------------------------------------------------


def _check_output(out: Any, required: Sequence[str], params: dict[str, Any]) -> tuple:
    """Validate a model's PointOutput; return (metrics, spikes, error or '')."""
    metrics_in = getattr(out, "metrics", None)
    if not isinstance(metrics_in, dict):
        return {}, None, f"run_point returned {type(out).__name__}, not a PointOutput"
    metrics: dict[str, float] = {}
    for name, value in metrics_in.items():
        if not isinstance(name, str) or name in RESERVED_COLUMNS or name in params:
            return {}, None, f"metric name {name!r} is reserved or clashes with a parameter"
        try:
            metrics[name] = float(value)
        except (TypeError, ValueError):
            return {}, None, f"metric {name!r} is not a number: {value!r}"
    spikes = getattr(out, "spikes", None)
    if spikes is None:
        spikes = empty_spikes()
    missing = [c for c in SPIKE_COLUMNS if c not in getattr(spikes, "columns", ())]
    if missing:
        return metrics, None, f"spikes lack column(s) {missing}"
    for name in required:
        value = metrics.get(name, float("nan"))
        if math.isnan(value):
            reason = "is NaN" if name in metrics else "is missing"
            return metrics, None, f"required metric {name!r} {reason}"
    return metrics, spikes, ""


def run_point_task(
    factory: ModelFactory,
    model_name: str,
    base: str | None,
    profile: str,
    required: tuple[str, ...] | None,
    point: Point,
) -> PointResult:
    """Run one point in this process (a worker) and never raise for a model error.

    The model comes from the per-process cache (built on first use). A model
    exception, or a NaN in a required metric, gives ``status="failed"``.
    ``KeyboardInterrupt`` and other ``BaseException`` propagate.
    """
    pid = os.getpid()
    t0 = time.perf_counter()
    try:
        model = cached_model(model_name, factory, base=base, profile=profile)
        req = required if required is not None else required_metrics(model, point.protocol)
        out = model.run_point(dict(point.params), point.protocol, point.seed)
        wall = time.perf_counter() - t0
        metrics, spikes, error = _check_output(out, req, point.params)
    except Exception as exc:  # noqa: BLE001 - failure isolation is the point
        wall = time.perf_counter() - t0
        msg = " ".join(str(exc).split()) or "(no message)"
        return PointResult(point.point_id, "failed", f"{type(exc).__name__}: {msg}", wall, pid=pid)
    if error:
        return PointResult(point.point_id, "failed", error, wall, metrics, None, pid)
    return PointResult(point.point_id, "ok", "", wall, metrics, spikes, pid)


# ----------------------------------------------------------------------------
# In the parent
# ----------------------------------------------------------------------------


def _resolve_spec(spec: SweepSpec | str | os.PathLike[str]) -> SweepSpec:
    if isinstance(spec, SweepSpec):
        return validate_spec(spec)
    return load_spec(spec)


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


def _dask_client(
    stack: ExitStack, scheduler: Any, dask_local: int | None, n_jobs: int
) -> tuple[Any, str]:
    """A distributed Client (and a description) for the Dask backend."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover
        raise SweepSpecError(
            "the Dask backend needs 'dask[distributed]' (pip install cordsim[dask])"
        ) from exc
    if scheduler is not None:
        if isinstance(scheduler, Client):
            return scheduler, f"dask client {scheduler.scheduler.address}"
        client = stack.enter_context(Client(scheduler, set_as_default=False))
        return client, f"dask scheduler {scheduler}"
    if dask_local is None:
        try:
            from distributed import get_client

            client = get_client()
            return client, f"dask client {client.scheduler.address}"
        except ValueError:
            dask_local = n_jobs if n_jobs > 0 else (os.cpu_count() or 1)
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


def _results(
    tasks: list[Point],
    runner_args: tuple,
    *,
    backend: str,
    n_jobs: int,
    batch_size: Any,
    client: Any = None,
) -> Iterator[PointResult]:
    from joblib import Parallel, delayed, parallel_config

    calls = (delayed(run_point_task)(*runner_args, p) for p in tasks)
    if backend == "dask":
        with client.as_current(), parallel_config(backend="dask", wait_for_workers_timeout=60):
            yield from Parallel(n_jobs=-1, return_as="generator_unordered", batch_size=batch_size)(
                calls
            )
    else:
        yield from Parallel(
            n_jobs=n_jobs, backend="loky", return_as="generator_unordered", batch_size=batch_size
        )(calls)


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
) -> Path:
    """Run (or resume) a sweep and return its results folder.

    Parameters
    ----------
    spec : SweepSpec or path
        The sweep (validated in full before anything runs).
    out : path, optional
        Results folder; defaults to the spec's ``[output] folder``.
    n_jobs : int
        Worker processes for loky (-1: all cores; 1: run in this process).
        With Dask and no scheduler, the size of the local cluster.
    backend : {"loky", "dask"}
        ``"dask"`` is implied by ``scheduler`` or ``dask_local``.
    scheduler : str or distributed.Client, optional
        Address of a running Dask scheduler (``tcp://host:8786``) or a Client.
    dask_local : int, optional
        Start a ``LocalCluster(n_workers=dask_local, threads_per_worker=1)``.
    batch_size : int or "auto"
        Points per task (joblib's ``batch_size``).
    progress : bool
        Show a tqdm bar (rate, ETA) on stderr.
    retry_failed : bool
        Run again the points recorded as failed.

    Returns
    -------
    pathlib.Path
        The results folder (read it with :func:`cordsim.sweeps.load_sweep`).

    Raises
    ------
    SweepSpecError
        The spec is invalid, or no output folder was given.
    SweepFolderError
        The folder holds another sweep, or another process is running in it.
    KeyboardInterrupt
        After Ctrl-C, once finished points are consolidated.
    """
    spec = _resolve_spec(spec)
    if scheduler is not None or dask_local is not None:
        backend = "dask"
    if backend not in ("loky", "dask"):
        raise SweepSpecError(f"backend: expected 'loky' or 'dask', got {backend!r}")
    if scheduler is not None and dask_local is not None:
        raise SweepSpecError("give either a Dask scheduler or dask_local, not both")
    folder = out if out is not None else spec.output
    if folder is None:
        raise SweepSpecError("no output folder: give --out (or out=) or [output] folder")
    folder = Path(folder)

    base = model_base(spec)
    factory = model_factory(spec.model)
    model = cached_model(spec.model, factory, base=base, profile=spec.profile)
    points = plan_points(spec)
    digest = spec_hash(spec)
    store = SweepStore(folder)

    with store.locked():
        resumed = store.prepare(
            spec_hash=digest,
            spec_name=spec.name,
            spec_toml=spec.to_toml(),
            design=design_table(points, spec.parameter_names),
            manifest=environment_manifest(spec.model, model.versions()),
        )
        if resumed:
            points = _check_resume(store, points, model)
        store.clean_temporaries()
        done = store.finished(include_failed=not retry_failed)
        unique: dict[str, Point] = {}
        for p in points:
            unique.setdefault(p.point_id, p)
        todo = [p for pid, p in unique.items() if pid not in done]
        n_done = len(unique) - len(todo)

        run = {
            "id": uuid.uuid4().hex[:12],
            "started": _utcnow(),
            "state": "running",
            "backend": backend,
            "n_jobs": n_jobs,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "to_run": len(todo),
        }
        store.record_run(run)
        counts = {"ok": 0, "failed": 0}
        state = "complete"
        bar = _NoBar()
        required = spec.required_metrics
        runner_args = (factory, spec.model, base, spec.profile, required)
        try:
            with ExitStack() as stack:
                client = None
                if todo and backend == "dask":
                    client, where = _dask_client(stack, scheduler, dask_local, n_jobs)
                    _warn_threads(client, model)
                    if progress:
                        print(f"{spec.name}: running on {where}", file=sys.stderr)
                # created once the workers exist, so that rate and ETA are not skewed
                bar = _progress_bar(len(unique), n_done, spec.name, progress)
                if todo and n_jobs == 1 and backend == "loky":
                    results: Any = (run_point_task(*runner_args, p) for p in todo)
                elif todo:
                    results = _results(
                        todo,
                        runner_args,
                        backend=backend,
                        n_jobs=n_jobs,
                        batch_size=batch_size,
                        client=client,
                    )
                else:
                    results = iter(())
                # close() at once on any exit: joblib then cancels the tasks in flight
                stack.callback(getattr(results, "close", lambda: None))
                for result in results:
                    store.write_point(result)
                    counts[result.status] = counts.get(result.status, 0) + 1
                    bar.update(1)
                    if counts["failed"]:
                        bar.set_postfix(failed=counts["failed"], refresh=False)
        except KeyboardInterrupt:
            state = "interrupted"
            bar.close()
            _finish(store, run, state, counts, quiet=True)
            n_now = n_done + counts["ok"] + counts["failed"]
            print(
                f"\ninterrupted: {n_now} of {len(unique)} points are saved in {folder}; "
                f"resume with the same command (cordsim sweep SPEC --out {folder})",
                file=sys.stderr,
            )
            raise
        except BaseException:
            state = "error"
            bar.close()
            _finish(store, run, state, counts, quiet=True)
            print(
                f"\nsweep stopped by an error; finished points are saved in {folder}; "
                "run the same command again to resume",
                file=sys.stderr,
            )
            raise
        bar.close()
        _finish(store, run, state, counts)
    if counts["failed"] and progress:
        print(
            f"{counts['failed']} point(s) failed; see the 'error' column of "
            f"{folder / 'metrics.parquet'}",
            file=sys.stderr,
        )
    return folder


class _NoBar:
    """Stands in for the progress bar until it exists."""

    def close(self) -> None:
        pass


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
) -> None:
    """Consolidate the table and close the run record (``quiet``: never raise)."""
    try:
        store.consolidate()
        run.update(state=state, ended=_utcnow(), computed=counts["ok"], failed=counts["failed"])
        store.record_run(run)
    except Exception as exc:
        if not quiet:
            raise
        print(f"could not consolidate {store.folder}: {exc}", file=sys.stderr)


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
