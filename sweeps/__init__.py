"""Parameter sweeps: specs, sampling, the engine (joblib/Dask) and the results store.

Typical use::

    from cordsim.sweeps import load_spec, load_sweep, run_sweep
    folder = run_sweep(load_spec("sweep.toml"), "results/run1", n_jobs=4)
    df = load_sweep(folder)          # one row per (point, replicate)

Modules: :mod:`~cordsim.sweeps.spec` (TOML -> validated spec),
:mod:`~cordsim.sweeps.sampling` (designs and point ids),
:mod:`~cordsim.sweeps.engine` (:func:`run_sweep`),
:mod:`~cordsim.sweeps.store` (the results folder),
:mod:`~cordsim.sweeps.results` (:func:`load_sweep`, :func:`load_spikes`),
:mod:`~cordsim.sweeps.interface` (what a model offers the engine),
:mod:`~cordsim.sweeps.registry` (models by name),
:mod:`~cordsim.sweeps.circuit_model` (the circuit, ``"circuit"``),
:mod:`~cordsim.sweeps.toy_model` (a numpy stand-in, ``"toy"``) and
:mod:`~cordsim.sweeps.demo` (``cordsim demo``).

The engine is generic over the model: anything satisfying
:class:`~cordsim.sweeps.interface.SweepModel`, registered with
:func:`~cordsim.sweeps.registry.register_model`. Importing this package does
not load NEURON (the circuit model loads it when a point runs).
"""

from cordsim.sweeps.circuit_model import CircuitModel
from cordsim.sweeps.engine import run_point_task, run_sweep
from cordsim.sweeps.interface import ParameterInfo, PointOutput, SweepModel
from cordsim.sweeps.registry import get_model, register_model, registered_models
from cordsim.sweeps.results import load_spikes, load_sweep, sweep_spec
from cordsim.sweeps.sampling import Point, design, plan_points, point_id
from cordsim.sweeps.spec import (
    ParameterSpec,
    SweepSpec,
    SweepSpecError,
    load_spec,
    spec_from_dict,
    spec_hash,
    validate_spec,
)
from cordsim.sweeps.store import SweepFolderError, SweepStore
from cordsim.sweeps.toy_model import ToyModel

#: Alias used in the design notes (``sweeps.run(sweep_spec)``).
run = run_sweep

__all__ = [
    "CircuitModel",
    "ParameterInfo",
    "ParameterSpec",
    "Point",
    "PointOutput",
    "SweepFolderError",
    "SweepModel",
    "SweepSpec",
    "SweepSpecError",
    "SweepStore",
    "ToyModel",
    "design",
    "get_model",
    "load_spec",
    "load_spikes",
    "load_sweep",
    "plan_points",
    "point_id",
    "register_model",
    "registered_models",
    "run",
    "run_point_task",
    "run_sweep",
    "spec_from_dict",
    "spec_hash",
    "sweep_spec",
    "validate_spec",
]
