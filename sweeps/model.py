"""The adapter between the sweep engine and a model, a registry, and a toy model.

The sweep engine never imports the circuit model directly: it talks to any
object that satisfies :class:`SweepModel`, looked up by name in a small
registry. The real circuit registers itself as ``"circuit"``; the pure-numpy
:class:`ToyModel` (``"toy"``) is here for tests, examples and benchmarks.

Models in worker processes
--------------------------
A model is built by a *factory*: an importable, top-level callable
``factory(*, base=None, profile="wild_type") -> SweepModel`` (a class works).
The engine ships the factory itself (pickled by reference) to each worker, so a
model registered at run time in the parent also works in loky and Dask
workers. Each process keeps **one model instance per (name, base, profile)**
in a module-level cache (:func:`get_model`, :func:`cached_model`): the first
point a worker runs builds the model (the circuit compiles/loads its NEURON
mechanisms there, once per process), later points reuse it. The model must
therefore reset any state it keeps (NEURON's included) at the start of every
:meth:`SweepModel.run_point`, so that a point's result is a pure function of
its inputs no matter which worker runs it or what ran before.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from cordsim.errors import ParameterError, unknown_name_message

__all__ = [
    "ParameterInfo",
    "PointOutput",
    "SweepModel",
    "ToyModel",
    "cached_model",
    "clear_model_cache",
    "get_model",
    "model_factory",
    "register_model",
    "registered_models",
    "required_metrics",
    "stable_ints",
]

SPIKE_COLUMNS = ("time_ms", "gid", "population")


@dataclass(frozen=True)
class ParameterInfo:
    """What a model says about one sweepable parameter.

    Attributes
    ----------
    name : str
        Dotted name, e.g. ``"connections.ia_to_mn.weight_scale"``.
    kind : type
        ``float``, ``int``, ``bool`` or ``str``.
    low, high : float or int or None
        Inclusive allowed range (None: unbounded on that side; ignored for
        ``bool`` and ``str``).
    default : object
        The value used when a sweep does not set the parameter.
    unit : str
        Unit of the value (``"Hz"``, ``"ms"``, ``"1"`` for dimensionless).
    doc : str
        One line saying what the parameter does.
    choices : tuple or None
        For ``str`` parameters, the accepted values (None: any string).
    """

    name: str
    kind: type
    low: float | int | None = None
    high: float | int | None = None
    default: Any = None
    unit: str = ""
    doc: str = ""
    choices: tuple[Any, ...] | None = None

    def __post_init__(self) -> None:
        if self.kind not in (float, int, bool, str):
            raise TypeError(f"ParameterInfo {self.name!r}: kind must be float, int, bool or str")


@dataclass(frozen=True)
class PointOutput:
    """What one simulation of one point returns.

    Attributes
    ----------
    metrics : dict of str to float
        One number per metric (NaN allowed where a metric is undefined).
    spikes : pandas.DataFrame
        Long format: ``time_ms`` (float64), ``gid`` (int64), ``population`` (str).
    """

    metrics: dict[str, float]
    spikes: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            {
                "time_ms": np.empty(0, np.float64),
                "gid": np.empty(0, np.int64),
                "population": pd.Series([], dtype=object),
            }
        )
    )


@runtime_checkable
class SweepModel(Protocol):
    """The interface a model offers to the sweep engine.

    Optional extras the engine uses when present: ``profiles() -> tuple[str, ...]``
    (names accepted as the sweep's ``profile``), ``required_metrics(protocol) ->
    tuple[str, ...]`` (metrics whose NaN marks a point as failed) and
    ``thread_safe: bool`` (several points may run at once in one process).
    """

    name: str

    def parameters(self) -> dict[str, ParameterInfo]:
        """Every sweepable dotted name with its type, range, default and unit."""
        ...

    def protocols(self) -> tuple[str, ...]:
        """Names of the protocols :meth:`run_point` accepts."""
        ...

    def run_point(self, params: dict[str, object], protocol: str, seed: int) -> PointOutput:
        """Simulate one point; a pure, deterministic function of its arguments."""
        ...

    def versions(self) -> dict[str, str]:
        """Versions recorded in the sweep's manifest (code, simulator, mechanisms)."""
        ...


ModelFactory = Callable[..., SweepModel]

# name -> factory, or "module:attribute" string resolved on first use (lets a
# heavy model register without being imported).
_REGISTRY: dict[str, ModelFactory | str] = {
    "toy": "cordsim.sweeps.model:ToyModel",
    "circuit": "cordsim.models.sweep_model:circuit_model",
}

# Per-process cache of built models, keyed by (name, base, profile).
_MODEL_CACHE: dict[tuple[str, str | None, str], SweepModel] = {}


def register_model(name: str, factory: ModelFactory | str, *, replace: bool = False) -> None:
    """Register ``factory`` under ``name``.

    Parameters
    ----------
    name : str
        The name a sweep spec uses (``[sweep] model = "..."``).
    factory : callable or str
        An importable top-level callable ``factory(*, base, profile)``, or its
        ``"package.module:attribute"`` path (imported on first use).
    replace : bool
        Allow replacing an existing registration.
    """
    if not replace and name in _REGISTRY and _REGISTRY[name] is not factory:
        raise ValueError(f"a sweep model named {name!r} is already registered")
    if not isinstance(factory, str) and not callable(factory):
        raise TypeError("factory must be a callable or a 'module:attribute' string")
    _REGISTRY[name] = factory
    for key in [k for k in _MODEL_CACHE if k[0] == name]:
        del _MODEL_CACHE[key]


def registered_models() -> tuple[str, ...]:
    """Names of the registered models, sorted."""
    return tuple(sorted(_REGISTRY))


def model_factory(name: str) -> ModelFactory:
    """Return the factory registered under ``name`` (importing it if needed)."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ParameterError(
            "sweep.model: " + unknown_name_message("model", name, _REGISTRY)
        ) from None
    if isinstance(factory, str):
        module, _, attr = factory.partition(":")
        obj: Any = importlib.import_module(module)
        for part in attr.split("."):
            obj = getattr(obj, part)
        factory = obj
        _REGISTRY[name] = factory
    return factory


def cached_model(
    name: str, factory: ModelFactory, *, base: str | None = None, profile: str = "wild_type"
) -> SweepModel:
    """Build ``factory(base=, profile=)`` once per process and cache it under ``name``."""
    key = (name, base, profile)
    model = _MODEL_CACHE.get(key)
    if model is None:
        model = factory(base=base, profile=profile)
        _MODEL_CACHE[key] = model
    return model


def get_model(name: str, *, base: str | None = None, profile: str = "wild_type") -> SweepModel:
    """Return this process's (cached) instance of the model registered as ``name``."""
    return cached_model(name, model_factory(name), base=base, profile=profile)


def clear_model_cache() -> None:
    """Forget every cached model instance of this process."""
    _MODEL_CACHE.clear()


def required_metrics(model: SweepModel, protocol: str) -> tuple[str, ...]:
    """The metrics of ``protocol`` that must not be NaN (model's optional hook)."""
    hook = getattr(model, "required_metrics", None)
    return tuple(hook(protocol)) if callable(hook) else ()


def stable_ints(*parts: object, n: int = 4) -> list[int]:
    """``n`` uint32 words from the SHA-256 of a canonical JSON of ``parts``.

    Unlike ``hash()``, the result is the same in every process and on every
    machine; use it to key random streams (``SeedSequence([seed, *words])``).
    """
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(text.encode()).digest()
    return [int.from_bytes(digest[4 * i : 4 * i + 4], "little") for i in range(n)]


# ----------------------------------------------------------------------------
# Toy model
# ----------------------------------------------------------------------------

#: Environment variable: when set to a file path, every :meth:`ToyModel.run_point`
#: that completes appends one JSON line (params, protocol, seed, pid) to it.
TOY_LOG_ENV = "CORDSIM_TOY_LOG"

_TOY_DURATION_MS = 1000.0
_TOY_STIM_MS = 500.0
_TOY_WINDOW_MS = 20.0
_TOY_FAIL_RATE_HZ = 400.0

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
    emulate a simulation of that duration.
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
