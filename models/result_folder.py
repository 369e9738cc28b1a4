"""The result folder of ``cordsim run``: write one simulation's result, and read it back.

A result folder holds:

``spikes.parquet``
    Long format, one row per spike (the one spike schema,
    :func:`cordsim.spikes.spike_schema`): ``time_ms`` (float64, ms), ``gid``
    (int64), ``population`` (string).
``spec.toml``
    The circuit spec that made the result (``CircuitSpec.to_dict``; absent
    when the result carries no such spec).
``protocol.json``
    The protocol record of the run (:meth:`ProtocolRecord.to_dict
    <cordsim.models.result.ProtocolRecord.to_dict>`: name, resolved
    parameters, event times, analysis windows).
``run.json``
    What else a reader needs to rebuild the result: ``seed``, ``tstop_ms``
    (ms), ``populations`` (by population: its :meth:`Population.to_dict
    <cordsim.models.result.Population.to_dict>` record, gids of every cell
    included, silent ones too), the cordsim, NEURON and Python versions
    (``cordsim_version``, ``neuron_version``, ``python_version``; folders
    written before the last two were added lack them), and any caller
    ``info`` (e.g. the profile applied).
``metrics.json``
    The metrics row (:func:`cordsim.analysis.metrics`); NaN is stored as
    ``null``. Written last: a folder with ``metrics.json`` is complete.

Every file is written atomically (:mod:`cordsim.files`: a temporary file in
the same folder, then ``os.replace``), so a killed run never leaves a
half-written file under a final name.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import tomli_w

from cordsim.errors import CordsimError
from cordsim.files import atomic_write_text, atomic_write_with, read_toml
from cordsim.models.result import Population, ProtocolRecord, SimulationResult
from cordsim.spikes import spike_schema

__all__ = [
    "RESULT_FILES",
    "SPIKE_SCHEMA",
    "ResultFolderError",
    "load_result",
    "read_result_folder",
    "write_result",
]

SPIKES_FILE = "spikes.parquet"
METRICS_FILE = "metrics.json"
SPEC_FILE = "spec.toml"
PROTOCOL_FILE = "protocol.json"
RUN_FILE = "run.json"
#: The files :func:`write_result` writes (``spec.toml`` only for a circuit spec).
RESULT_FILES = (SPIKES_FILE, SPEC_FILE, PROTOCOL_FILE, RUN_FILE, METRICS_FILE)

#: Arrow schema of ``spikes.parquet`` (the one spike schema).
SPIKE_SCHEMA = spike_schema()


class ResultFolderError(CordsimError, FileNotFoundError):
    """A folder that is not a complete cordsim result folder."""


# --------------------------------------------------------------------------- writing
def _plain(value: Any) -> Any:
    """JSON-ready copy: records (``to_dict``) and numpy values to Python, NaN/inf to None."""
    if isinstance(value, Population | ProtocolRecord):
        return _plain(value.to_dict())
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Path):
        return str(value)
    return value


def _dump_json(data: Mapping[str, Any]) -> str:
    return json.dumps(_plain(data), indent=2, allow_nan=False) + "\n"


def spikes_table(spikes: pd.DataFrame | None) -> pa.Table:
    """Spikes (``time_ms, gid, population``) as an Arrow table with :data:`SPIKE_SCHEMA`."""
    if spikes is None or len(spikes) == 0:
        return SPIKE_SCHEMA.empty_table()
    frame = pd.DataFrame(
        {
            "time_ms": spikes["time_ms"].to_numpy(dtype=np.float64),
            "gid": spikes["gid"].to_numpy(dtype=np.int64),
            "population": spikes["population"].astype(str).to_numpy(dtype=object),
        }
    )
    return pa.Table.from_pandas(frame, schema=SPIKE_SCHEMA, preserve_index=False)


def _write_spikes(path: Path, spikes: pd.DataFrame | None) -> None:
    table = spikes_table(spikes)
    atomic_write_with(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def _neuron_version() -> str | None:
    """The version of the NEURON this process simulates with (None when not installed)."""
    import sys
    from importlib import metadata

    module = sys.modules.get("neuron")  # the one that ran, when loaded
    if module is not None and getattr(module, "__version__", None):
        return str(module.__version__)
    for dist in ("neuron", "neuron-nightly", "neuron-gpu"):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None


def _run_info(result: SimulationResult, info: Mapping[str, Any] | None) -> dict[str, Any]:
    import platform

    from cordsim import __version__

    return {
        "seed": int(result.seed),
        "tstop_ms": float(result.tstop_ms),
        "populations": dict(result.populations),
        "cordsim_version": __version__,
        "neuron_version": _neuron_version(),
        "python_version": platform.python_version(),
        "info": dict(info or {}),
    }


def write_result(
    result: SimulationResult,
    folder: str | os.PathLike[str],
    metrics: Mapping[str, Any],
    *,
    info: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``result`` and its metrics row to ``folder`` (see the module docstring).

    Parameters
    ----------
    result : SimulationResult
        One simulation.
    folder : path
        Created if missing; files already there with the same names are
        replaced (atomically, one by one).
    metrics : mapping
        The metrics row of ``result`` (floats/ints; NaN allowed).
    info : mapping, optional
        Extra provenance stored under ``run.json["info"]`` (JSON-ready
        values: e.g. profile name and scale, command line).

    Returns
    -------
    pathlib.Path
        The folder.
    """
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    _write_spikes(path / SPIKES_FILE, result.spikes)
    spec = result.spec
    if spec is not None and callable(getattr(spec, "to_dict", None)):
        atomic_write_text(path / SPEC_FILE, tomli_w.dumps(spec.to_dict()))
    atomic_write_text(path / PROTOCOL_FILE, _dump_json(result.protocol or {}))
    atomic_write_text(path / RUN_FILE, _dump_json(_run_info(result, info)))
    atomic_write_text(path / METRICS_FILE, _dump_json(dict(metrics)))
    return path


# --------------------------------------------------------------------------- reading
def _folder(folder: str | os.PathLike[str]) -> Path:
    path = Path(folder)
    if not path.is_dir():
        raise ResultFolderError(f"result folder {str(path)!r} does not exist")
    missing = [f for f in (METRICS_FILE, SPIKES_FILE, PROTOCOL_FILE) if not (path / f).is_file()]
    if missing:
        raise ResultFolderError(
            f"{str(path)!r} is not a complete cordsim result folder (missing {', '.join(missing)})"
        )
    return path


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResultFolderError(f"{path}: invalid JSON: {exc}") from None


def read_result_folder(
    folder: str | os.PathLike[str],
) -> tuple[pd.DataFrame, dict[str, Any], dict[str, Any]]:
    """Read a result folder written by :func:`write_result`.

    Returns
    -------
    spikes : pandas.DataFrame
        ``time_ms`` (float64, ms), ``gid`` (int64), ``population`` (str).
    metrics : dict
        The metrics row (``null`` read back as NaN).
    protocol : dict
        The protocol description.

    Raises
    ------
    ResultFolderError
        If the folder is missing or incomplete (no ``metrics.json``, ...).
    """
    path = _folder(folder)
    spikes = pq.read_table(path / SPIKES_FILE, schema=SPIKE_SCHEMA).to_pandas()
    spikes["population"] = spikes["population"].astype(str)
    metrics = {k: math.nan if v is None else v for k, v in _read_json(path / METRICS_FILE).items()}
    protocol = _read_json(path / PROTOCOL_FILE)
    return spikes, metrics, protocol


def load_result(folder: str | os.PathLike[str], *, read_spec: bool = True) -> SimulationResult:
    """Rebuild the :class:`SimulationResult` stored in a result folder.

    Parameters
    ----------
    folder : path
        A folder written by :func:`write_result`.
    read_spec : bool
        Parse ``spec.toml`` into a ``CircuitSpec`` (validated); with False
        ``result.spec`` is None (enough for plots and metrics).

    Returns
    -------
    SimulationResult
        Spikes, populations, ``tstop_ms``, protocol and seed as written (no
        traces).
    """
    path = _folder(folder)
    spikes, _, protocol = read_result_folder(path)
    if not (path / RUN_FILE).is_file():
        raise ResultFolderError(
            f"{str(path)!r} is not a complete cordsim result folder (no run.json)"
        )
    run = _read_json(path / RUN_FILE)
    spec = None
    if read_spec and (path / SPEC_FILE).is_file():
        from cordsim.models.circuit import CircuitSpec

        spec = CircuitSpec.from_dict(read_toml(path / SPEC_FILE), origin=str(path / SPEC_FILE))
    return SimulationResult(
        spikes=spikes,
        populations={p: _population(p, entry) for p, entry in run["populations"].items()},
        tstop_ms=float(run["tstop_ms"]),
        protocol=_protocol(protocol),
        seed=int(run["seed"]),
        spec=spec,
    )


def _population(name: str, entry: Any) -> Population:
    """A population record of ``run.json`` (a bare gid list: a default-circuit population)."""
    if isinstance(entry, Mapping):
        return Population.from_dict(name, entry)
    from cordsim.models.result import default_population

    return default_population(name, np.asarray(entry, dtype=np.int64))


def _protocol(data: Mapping[str, Any]) -> ProtocolRecord | dict[str, Any]:
    """The protocol record of ``protocol.json`` (left a dict when it is no record)."""
    if {"name", "tstop_ms", "analysis_window_ms"} <= set(data):
        return ProtocolRecord.from_dict(data)
    return dict(data)
