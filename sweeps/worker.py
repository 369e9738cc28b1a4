"""The worker side of a sweep: run points and never raise for a model error.

:func:`run_point_task` runs one point; :func:`run_point_batch` runs several
in order (one task of a pool). Both are shipped to worker processes (loky or
Dask) by :mod:`cordsim.sweeps.pools`; a point's result depends only on its
parameters, protocol and seed, never on the process that runs it.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from typing import Any

from cordsim.spikes import SPIKE_COLUMNS, empty_spikes
from cordsim.sweeps.interface import ModelFactory, cached_model, required_metrics
from cordsim.sweeps.sampling import Point
from cordsim.sweeps.spec import RESERVED_COLUMNS
from cordsim.sweeps.store import PointResult

__all__ = ["RunnerArgs", "run_point_batch", "run_point_task"]

#: ``(factory, model_name, base, profile, required)``: what every task needs
#: besides its points.
RunnerArgs = tuple[ModelFactory, str, "str | None", str, "tuple[str, ...] | None"]


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
    exception, or a NaN in a required metric, gives ``status="failed"`` with
    the error in one line. ``KeyboardInterrupt`` and other ``BaseException``
    propagate; a crash of the process itself (segfault, out of memory) is
    handled by the pool (:mod:`cordsim.sweeps.pools`).
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


def run_point_batch(runner_args: RunnerArgs, points: Sequence[Point]) -> list[PointResult]:
    """Run ``points`` one after the other in this process (one task of a pool)."""
    return [run_point_task(*runner_args, point) for point in points]
