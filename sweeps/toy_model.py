"""A pure-numpy stand-in for the circuit: the ``"toy"`` sweep model.

:class:`ToyModel` satisfies :class:`~cordsim.sweeps.interface.SweepModel`
without NEURON, so the engine, the store and the samplers can be tested,
shown and benchmarked in seconds.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Mapping

import numpy as np
import pandas as pd

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.sweeps.interface import ParameterInfo, PointOutput, stable_ints

__all__ = ["TOY_LOG_ENV", "ToyModel"]

#: Environment variable: when set to a file path, every :meth:`ToyModel.run_point`
#: that completes appends one JSON line (params, protocol, seed, pid) to it.
TOY_LOG_ENV = "CORDSIM_TOY_LOG"

_TOY_DURATION_MS = 1000.0
_TOY_STIM_MS = 500.0
_TOY_WINDOW_MS = 20.0
_TOY_FAIL_RATE_HZ = 400.0

#: ``toy.crash`` values: how the process running the point dies.
_TOY_CRASHES = ("none", "segfault", "abort", "exit")

_TOY_PROFILES = {"wild_type": 0.0, "tor1a_het": 0.25, "tor1a_ko": 0.5}


class ToyModel:
    """A pure-numpy stand-in for the circuit: Poisson spikes of a small pool.

    Each of ``toy.n_cells`` cells fires as a Poisson process at
    ``toy.rate_hz * (1 + k * profile.toy_tor1a.scale)`` (``k`` set by the
    profile) for 1 s. Under ``"reflex"`` a stimulus at 500 ms makes each cell
    fire once more with probability ``1 - exp(-toy.weight)`` after a latency of
    2 ms + an exponential delay of mean ``4 / toy.weight`` ms.

    Failure hooks for tests: ``toy.fail = true`` or ``toy.rate_hz`` above
    400 Hz raises; ``toy.nan_latency = true`` makes ``latency_ms`` (required
    under ``"reflex"``) NaN. ``toy.sleep_s`` sleeps inside :meth:`run_point` to
    emulate a simulation of that duration. ``toy.crash`` kills the process that
    runs the point (after the sleep) as a crashing simulator would:
    ``"segfault"`` (SIGSEGV), ``"abort"`` (SIGABRT, as NEURON's
    ``std::bad_alloc``) or ``"exit"`` (``os._exit(3)``); use it only with
    worker processes (``run_sweep(..., in_process=False)``).
    """

    name = "toy"
    thread_safe = True

    _PARAMETERS = (
        ParameterInfo("toy.rate_hz", float, 0.0, 500.0, 20.0, "Hz",
                      "background rate of each cell; above 400 Hz run_point raises"),
        ParameterInfo("toy.weight", float, 0.0, 10.0, 1.0, "1",
                      "strength of the reflex response"),
        ParameterInfo("toy.n_cells", int, 1, 1000, 10, "1", "number of cells"),
        ParameterInfo("profile.toy_tor1a.scale", float, 0.0, 1.0, 1.0, "1",
                      "how much of the mutation profile is applied (0: wild type)"),
        ParameterInfo("toy.train", str, None, None, "poisson", "",
                      "spike train statistics", choices=("poisson", "regular")),
        ParameterInfo("toy.fail", bool, None, None, False, "",
                      "raise inside run_point (failure tests)"),
        ParameterInfo("toy.nan_latency", bool, None, None, False, "",
                      "make the required metric latency_ms NaN (failure tests)"),
        ParameterInfo("toy.sleep_s", float, 0.0, 60.0, 0.0, "s",
                      "sleep inside run_point to emulate a simulation's duration"),
        ParameterInfo("toy.crash", str, None, None, "none", "",
                      "kill the process running the point (crash-isolation tests)",
                      choices=_TOY_CRASHES),
    )  # fmt: skip

    def __init__(self, *, base: str | None = None, profile: str = "wild_type") -> None:
        if profile not in _TOY_PROFILES:
            raise ParameterError(
                "sweep.profile: " + unknown_name_message("profile", profile, _TOY_PROFILES)
            )
        self.base = base
        self.profile = profile

    def parameters(self) -> dict[str, ParameterInfo]:
        return {p.name: p for p in self._PARAMETERS}

    def protocols(self) -> tuple[str, ...]:
        return ("rest", "reflex")

    def profiles(self) -> tuple[str, ...]:
        return tuple(_TOY_PROFILES)

    def required_metrics(self, protocol: str) -> tuple[str, ...]:
        return ("rate_hz", "latency_ms") if protocol == "reflex" else ("rate_hz",)

    def versions(self) -> dict[str, str]:
        from cordsim import __version__

        return {"cordsim": __version__, "numpy": np.__version__, "toy_model": "1"}

    def run_point(self, params: Mapping[str, object], protocol: str, seed: int) -> PointOutput:
        if protocol not in self.protocols():
            raise ValueError(unknown_name_message("protocol", protocol, self.protocols()))
        p = {info.name: info.default for info in self._PARAMETERS}
        unknown = set(params) - set(p)
        if unknown:
            raise ValueError(unknown_name_message("parameter", sorted(unknown)[0], p))
        p.update(params)
        if p["toy.sleep_s"]:
            time.sleep(float(p["toy.sleep_s"]))
        _toy_crash(str(p.pop("toy.crash")))
        if p["toy.fail"]:
            raise RuntimeError("toy model asked to fail (toy.fail = true)")
        rate = float(p["toy.rate_hz"])
        if rate > _TOY_FAIL_RATE_HZ:
            raise RuntimeError(f"toy.rate_hz = {rate} Hz > {_TOY_FAIL_RATE_HZ} Hz: diverged")

        words = stable_ints("toy", sorted(p.items()), protocol, self.profile, self.base)
        rng = np.random.default_rng(np.random.SeedSequence([int(seed), *words]))
        rate *= 1.0 + _TOY_PROFILES[self.profile] * float(p["profile.toy_tor1a.scale"])
        n_cells = int(p["toy.n_cells"])
        weight = float(p["toy.weight"])
        times: list[np.ndarray] = []
        gids: list[np.ndarray] = []
        for gid in range(n_cells):
            if p["toy.train"] == "regular" and rate > 0:
                phase = rng.random() / rate
                t = np.arange(phase, _TOY_DURATION_MS / 1000.0, 1.0 / rate) * 1000.0
            else:
                n = rng.poisson(rate * _TOY_DURATION_MS / 1000.0)
                t = np.sort(rng.random(n)) * _TOY_DURATION_MS
            if protocol == "reflex" and rng.random() < 1.0 - math.exp(-weight):
                t = np.sort(np.append(t, _TOY_STIM_MS + 2.0 + rng.exponential(4.0 / weight)))
            times.append(t)
            gids.append(np.full(t.size, gid, np.int64))
        time_ms = np.concatenate(times) if times else np.empty(0)
        gid_arr = np.concatenate(gids) if gids else np.empty(0, np.int64)
        order = np.lexsort((gid_arr, time_ms))
        spikes = pd.DataFrame(
            {
                "time_ms": time_ms[order].astype(np.float64),
                "gid": gid_arr[order],
                "population": np.full(order.size, "toy_mn", dtype=object),
            }
        )
        metrics = _toy_metrics(times, protocol, n_cells)
        if p["toy.nan_latency"]:
            metrics["latency_ms"] = float("nan")
        _toy_log(p, protocol, seed)
        return PointOutput(metrics=metrics, spikes=spikes)


def _toy_crash(how: str) -> None:
    """Kill this process the way ``toy.crash`` says (``"none"``: do nothing)."""
    import signal

    if how == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif how == "abort":
        os.abort()
    elif how == "exit":
        os._exit(3)


def _toy_metrics(times: list[np.ndarray], protocol: str, n_cells: int) -> dict[str, float]:
    n_spikes = int(sum(t.size for t in times))
    isis = np.concatenate([np.diff(t) for t in times if t.size > 1] or [np.empty(0)])
    cv = float(isis.std() / isis.mean()) if isis.size > 1 and isis.mean() > 0 else float("nan")
    metrics = {
        "rate_hz": n_spikes / n_cells / (_TOY_DURATION_MS / 1000.0),
        "n_spikes": float(n_spikes),
        "cv_isi": cv,
    }
    if protocol == "reflex":
        first = [
            t[(t >= _TOY_STIM_MS) & (t < _TOY_STIM_MS + _TOY_WINDOW_MS)][:1] - _TOY_STIM_MS
            for t in times
        ]
        lat = np.concatenate(first) if first else np.empty(0)
        metrics["reflex_fraction"] = lat.size / n_cells
        metrics["latency_ms"] = float(lat.mean()) if lat.size else float("nan")
    return metrics


def _toy_log(params: Mapping[str, object], protocol: str, seed: int) -> None:
    path = os.environ.get(TOY_LOG_ENV)
    if not path:
        return
    line = json.dumps(
        {"params": dict(sorted(params.items())), "protocol": protocol, "seed": int(seed),
         "pid": os.getpid()},
        sort_keys=True,
    )  # fmt: skip
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)
