"""What the sweep engine asks of a model, and the per-process cache of built models.

The sweep engine never imports a model directly: it talks to any object that
satisfies :class:`SweepModel`, built by a factory looked up by name in
:mod:`cordsim.sweeps.registry`. The models cordsim ships are the circuit
(:mod:`cordsim.sweeps.circuit_model`) and the pure-numpy
:class:`~cordsim.sweeps.toy_model.ToyModel` (tests, examples, benchmarks).

Models in worker processes
--------------------------
A model is built by a *factory*: an importable, top-level callable
``factory(*, base=None, profile="wild_type") -> SweepModel`` (a class works).
The engine ships the factory itself (pickled by reference) to each worker, so a
model registered at run time in the parent also works in loky and Dask
workers. Each process keeps **one model instance per (name, base, profile)**
in a module-level cache (:func:`cached_model`): the first point a worker runs
builds the model (the circuit compiles/loads its NEURON mechanisms there, once
per process), later points reuse it. The model must therefore reset any state
it keeps (NEURON's included) at the start of every
:meth:`SweepModel.run_point`, so that a point's result is a pure function of
its inputs no matter which worker runs it or what ran before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from cordsim.spikes import empty_spikes

__all__ = [
    "ModelFactory",
    "ParameterInfo",
    "PointOutput",
    "SweepModel",
    "cached_model",
    "clear_model_cache",
    "forget_model",
    "required_metrics",
    "stable_ints",
]


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
        Long format (:data:`cordsim.spikes.SPIKE_COLUMNS`): ``time_ms``
        (float64), ``gid`` (int64), ``population`` (str).
    """

    metrics: dict[str, float]
    spikes: pd.DataFrame = field(default_factory=empty_spikes)


@runtime_checkable
class SweepModel(Protocol):
    """The interface a model offers to the sweep engine.

    Optional extras the engine uses when present: ``profiles() -> tuple[str, ...]``
    (names accepted as the sweep's ``profile``), ``required_metrics(protocol) ->
    tuple[str, ...]`` (metrics whose NaN marks a point as failed),
    ``thread_safe: bool`` (several points may run at once in one process),
    ``preflight() -> None`` (called once in the sweep's process before any
    worker starts; raises a :class:`~cordsim.errors.CordsimError` for a problem
    every point would hit, e.g. mechanisms that cannot be compiled) and
    ``resource_estimate(params)`` (an object with ``bytes`` and a one-line
    ``str``: the memory one point needs, checked before the sweep starts).
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


#: ``factory(*, base=None, profile="wild_type") -> SweepModel``.
ModelFactory = Callable[..., SweepModel]

# Per-process cache of built models, keyed by (name, base, profile).
_MODEL_CACHE: dict[tuple[str, str | None, str], SweepModel] = {}


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


def forget_model(name: str) -> None:
    """Drop this process's cached instances of the model ``name`` (every base and profile)."""
    for key in [k for k in _MODEL_CACHE if k[0] == name]:
        del _MODEL_CACHE[key]


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
