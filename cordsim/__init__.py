"""cordsim: mouse lumbar spinal microcircuits on NEURON.

The flat public API (names are imported on first use, so ``import cordsim``
loads neither NEURON nor pandas)::

    from cordsim import CircuitSpec, apply_profile, build, circuit_spec, metrics, simulate

    spec = apply_profile(circuit_spec("adult"), "tor1a_spinal_drg")
    result = simulate(spec, "reflex", seed=1)
    row = metrics(result)

    from cordsim import load_spec, load_sweep, run_sweep
    folder = run_sweep(load_spec("sweep.toml"), "results/run1", n_jobs=2)
    df = load_sweep(folder)

    from cordsim import default_cells, measure_cell
    props = measure_cell(default_cells("adult")["motor_neuron"], age="adult")

The library lives in the mapped packages, one layer each (arrows point down
only): ``cordsim.errors`` / ``cordsim.files`` / ``cordsim.spikes`` (shared
helpers) -> ``cordsim.mechanisms`` -> ``cordsim.models`` ->
``cordsim.analysis`` -> ``cordsim.sweeps`` -> ``cordsim.cli``.
"""

import importlib as _importlib
import os as _os
from pathlib import Path as _Path
from typing import Any as _Any

from cordsim._version import __version__

# cordsim never opens NEURON's GUI: without this, every process that imports
# neuron (each sweep worker included) prints "no DISPLAY environment variable"
# on a headless machine. A user's own NEURON_MODULE_OPTIONS is left alone.
_os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

# In a source checkout the subpackages are sibling folders of this one
# (models/, mechanisms/, sweeps/, analysis/; setup.cfg maps them into the
# namespace when installed). When Python imports this folder from the
# checkout (e.g. `python -c ...` run in the repository root shadows an
# installed copy), let `cordsim.models` etc. resolve to those siblings.
_root = _Path(__file__).resolve().parent.parent
if (_root / "setup.cfg").is_file() and (_root / "models" / "__init__.py").is_file():
    __path__.append(str(_root))  # noqa: F821  (a package's own __path__)

#: Public name -> the module that defines it (imported on first use).
API: dict[str, str] = {
    # errors
    "CordsimError": "cordsim.errors",
    "ParameterError": "cordsim.errors",
    "MechanismError": "cordsim.errors",
    # models: cells, circuit, protocols, profiles, simulation
    "default_cells": "cordsim.models.cells",
    "measure_cell": "cordsim.models.measurement",
    "CircuitSpec": "cordsim.models.circuit",
    "PopulationParams": "cordsim.models.circuit",
    "ConnectionParams": "cordsim.models.circuit",
    "circuit_spec": "cordsim.models.circuit",
    "Network": "cordsim.models.network",
    "build": "cordsim.models.network",
    "make_protocol": "cordsim.models.protocols",
    "PROTOCOLS": "cordsim.models.protocols",
    "PROFILES": "cordsim.models.profiles",
    "apply_profile": "cordsim.models.profiles",
    "simulate": "cordsim.models.simulation",
    "SimulationResult": "cordsim.models.result",
    # analysis
    "METRIC_KEYS": "cordsim.analysis.phenotype",
    "metrics": "cordsim.analysis.phenotype",
    "metrics_frame": "cordsim.analysis.phenotype",
    # sweeps
    "load_spec": "cordsim.sweeps",
    "run_sweep": "cordsim.sweeps",
    "load_sweep": "cordsim.sweeps",
    "load_spikes": "cordsim.sweeps",
}

__all__ = ["__version__", *sorted(API)]


def __getattr__(name: str) -> _Any:
    if name in API:
        return getattr(_importlib.import_module(API[name]), name)
    raise AttributeError(f"module 'cordsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(API))
