"""The Python model layer: parameters, cells, circuits, protocols, profiles.

Submodules are imported on first use (most of them load NEURON), so that
``import cordsim.models`` stays cheap. The entry points most users want are
re-exported here (and, with the analysis and sweep entry points, from
``cordsim`` itself)::

    from cordsim.models import apply_profile, circuit_spec, simulate
    result = simulate(apply_profile(circuit_spec(), "tor1a_spinal_drg"), "reflex", seed=1)
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> submodule that defines it (imported lazily).
_EXPORTS = {
    "CircuitSpec": "circuit",
    "circuit_spec": "circuit",
    "animal_values": "circuit",
    "PopulationParams": "circuit",
    "Network": "network",
    "build": "network",
    "simulate": "simulation",
    "SimulationResult": "result",
    "ProtocolRecord": "result",
    "make_protocol": "protocols",
    "PROTOCOLS": "protocols",
    "PROFILES": "profiles",
    "apply_profile": "profiles",
    "measure_cell": "measurement",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f"cordsim.models.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'cordsim.models' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
