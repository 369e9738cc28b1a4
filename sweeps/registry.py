"""Sweep models by name: what a spec's ``[sweep] model = "..."`` refers to.

Every entry is a factory object imported here directly (no ``"module:attr"``
strings): ``"toy"`` is :class:`~cordsim.sweeps.toy_model.ToyModel` and
``"circuit"`` is :func:`~cordsim.sweeps.circuit_model.circuit_model` (whose
module does not load NEURON until a point runs). Other models register with
:func:`register_model`; see :mod:`cordsim.sweeps.interface` for what a factory
and a model must offer.
"""

from __future__ import annotations

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.sweeps.circuit_model import circuit_model
from cordsim.sweeps.interface import ModelFactory, SweepModel, cached_model, forget_model
from cordsim.sweeps.toy_model import ToyModel

__all__ = ["get_model", "model_factory", "register_model", "registered_models"]

# name -> factory
_REGISTRY: dict[str, ModelFactory] = {
    "toy": ToyModel,
    "circuit": circuit_model,
}


def register_model(name: str, factory: ModelFactory, *, replace: bool = False) -> None:
    """Register ``factory`` under ``name``.

    Parameters
    ----------
    name : str
        The name a sweep spec uses (``[sweep] model = "..."``).
    factory : callable
        An importable top-level callable ``factory(*, base, profile)`` (a
        class works); worker processes receive it pickled by reference.
    replace : bool
        Allow replacing an existing registration.
    """
    if not callable(factory):
        raise TypeError(f"factory must be callable, got {type(factory).__name__}")
    if not replace and name in _REGISTRY and _REGISTRY[name] is not factory:
        raise ValueError(f"a sweep model named {name!r} is already registered")
    _REGISTRY[name] = factory
    forget_model(name)


def registered_models() -> tuple[str, ...]:
    """Names of the registered models, sorted."""
    return tuple(sorted(_REGISTRY))


def model_factory(name: str) -> ModelFactory:
    """Return the factory registered under ``name``."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ParameterError(
            "sweep.model: " + unknown_name_message("model", name, _REGISTRY)
        ) from None


def get_model(name: str, *, base: str | None = None, profile: str = "wild_type") -> SweepModel:
    """Return this process's (cached) instance of the model registered as ``name``."""
    return cached_model(name, model_factory(name), base=base, profile=profile)
