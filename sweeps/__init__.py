"""Parameter sweeps: specs, sampling, the engine (joblib/Dask) and the results store.

Typical use::

    from cordsim.sweeps import load_spec, run_sweep
    folder = run_sweep(load_spec("sweep.toml"), "results/run1", n_jobs=4)

    from cordsim.analysis.io import load_sweep
    df = load_sweep(folder)          # one row per (point, replicate)

The engine is generic over the model: anything satisfying
:class:`~cordsim.sweeps.model.SweepModel`, registered with
:func:`~cordsim.sweeps.model.register_model` (``"toy"`` is built in).
"""

from cordsim.sweeps.engine import run_point_task, run_sweep
from cordsim.sweeps.model import (
    ParameterInfo,
    PointOutput,
    SweepModel,
    ToyModel,
    get_model,
    register_model,
    registered_models,
)
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

#: Alias used in the design notes (``sweeps.run(sweep_spec)``).
run = run_sweep

__all__ = [
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
    "plan_points",
    "point_id",
    "register_model",
    "registered_models",
    "run",
    "run_point_task",
    "run_sweep",
    "spec_from_dict",
    "spec_hash",
    "validate_spec",
]
