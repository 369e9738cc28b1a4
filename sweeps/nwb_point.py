"""One point of a sweep as a :class:`SimulationResult`, and its NWB export.

A sweep folder (:mod:`cordsim.sweeps.store`) keeps each finished point's
spikes and metrics, and its design row (parameters, protocol, seed), but not
the population and protocol records that the EMG and an NWB file need (gids
of silent cells, motor-unit sizes, volley times). :func:`point_result`
rebuilds them from the sweep's spec: the point's circuit spec and protocol
(:meth:`CircuitModel.point_inputs
<cordsim.sweeps.circuit_model.CircuitModel.point_inputs>`), built with the
point's seed and torn down without simulating
(:func:`cordsim.models.simulation.run_records`; the build is the one the
point ran, so gids and sizes are the same). Only sweeps of the ``circuit``
model have such records.

A point is named by its ``point_id`` (the ``point_id`` column of
:func:`~cordsim.sweeps.results.load_sweep`, 16 hex digits) or by a unique
prefix of it.

:func:`export_folder` is what ``cordsim export`` calls: a ``cordsim run``
folder or one point of a sweep folder, to one NWB file.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from cordsim.errors import ParameterError
from cordsim.sweeps.store import MANIFEST_FILE, POINTS_DIR, SweepStore

__all__ = ["export_folder", "export_sweep_point", "find_point", "point_result"]

#: Shortest prefix of a point id accepted in place of the whole id.
MIN_PREFIX = 4


def _ok_points(store: SweepStore) -> dict[str, dict[str, Any]]:
    """``{point_id: {"status", "error"}}`` of every finished point (failed ones too)."""
    frame = store.read_results()
    out: dict[str, dict[str, Any]] = {}
    for pid, grp in frame.groupby("point_id", sort=True):
        out[str(pid)] = {"status": str(grp["status"].iloc[0]), "error": grp["error"].iloc[0]}
    return out


def find_point(folder: str | os.PathLike[str], point: str | None) -> str:
    """The full id of a finished, successful point of a sweep folder.

    Parameters
    ----------
    folder : path
        A sweep results folder.
    point : str or None
        A point id or a unique prefix of one (at least :data:`MIN_PREFIX`
        characters); None picks the only point of a one-point sweep.

    Raises
    ------
    cordsim.errors.ParameterError
        No such point, an ambiguous prefix, a point that failed or has not
        run, or no ``point`` for a sweep of several points.
    """
    store = SweepStore(folder)
    finished = _ok_points(store)
    design = store.read_design()
    planned = [str(p) for p in design["point_id"]]
    ok = [p for p, row in finished.items() if row["status"] == "ok"]
    shown = ", ".join(ok[:3]) + (f" and {len(ok) - 3} more" if len(ok) > 3 else "")
    hint = f"the point_id column of cordsim.sweeps.load_sweep({str(folder)!r}) lists them" + (
        f" (finished: {shown})" if ok else ""
    )
    if point is None:
        if len(ok) == 1:
            return ok[0]
        raise ParameterError(
            f"{folder}: a sweep folder of {len(planned)} point(s): choose one with --point ID; "
            + hint
        )
    point = str(point).strip().lower()
    if point in planned:
        match = [point]
    elif len(point) >= MIN_PREFIX:
        match = sorted({p for p in planned if p.startswith(point)})
    else:
        match = []
    if not match:
        raise ParameterError(f"{folder}: no point {point!r} in this sweep; " + hint)
    if len(match) > 1:
        raise ParameterError(
            f"{folder}: point {point!r} is ambiguous ({', '.join(match[:5])}); give more digits"
        )
    pid = match[0]
    if pid not in finished:
        raise ParameterError(f"{folder}: point {pid} has not run yet (resume the sweep)")
    if finished[pid]["status"] != "ok":
        raise ParameterError(
            f"{folder}: point {pid} failed ({finished[pid]['error']}); it has no result to export"
        )
    return pid


def point_result(folder: str | os.PathLike[str], point: str | None) -> tuple[Any, dict[str, Any]]:
    """The :class:`SimulationResult` of one point of a sweep, and its provenance.

    Parameters
    ----------
    folder : path
        A sweep results folder of the ``circuit`` model.
    point : str or None
        Point id or unique prefix (see :func:`find_point`).

    Returns
    -------
    result : cordsim.models.result.SimulationResult
        The point's spikes (``time_ms``, ms) with the population and protocol
        records rebuilt (see the module docstring) and its circuit spec.
    info : dict
        ``point_id``, ``design`` (sample, protocol, seed, parameters),
        ``metrics`` (the point's row), ``sweep_spec`` (dict), ``manifest``
        and ``finished`` (the point file's modification time, UTC).

    Raises
    ------
    FileNotFoundError
        ``folder`` is not a sweep results folder.
    cordsim.errors.ParameterError
        No such point (see :func:`find_point`), or a sweep of another model.
    """
    from cordsim.models.result import SimulationResult
    from cordsim.models.simulation import run_records
    from cordsim.sweeps.registry import get_model
    from cordsim.sweeps.results import load_spikes, sweep_spec
    from cordsim.sweeps.spec import SweepSpecError, model_base, spec_from_dict

    path = Path(folder)
    spec_data = sweep_spec(path)  # FileNotFoundError when not a sweep folder
    pid = find_point(path, point)
    store = SweepStore(path)
    design = store.read_design()
    row = design[design["point_id"] == pid].iloc[0].to_dict()
    params = {
        k: _plain(v) for k, v in row.items() if k not in ("point_id", "sample", "protocol", "seed")
    }
    sweep = spec_from_dict(spec_data)
    try:
        model = get_model(sweep.model, base=model_base(sweep), profile=sweep.profile)
    except SweepSpecError as exc:
        raise ParameterError(
            f"{path}: cannot rebuild the sweep's model to export point {pid} ({exc}); run the "
            "export from the folder the sweep spec's relative paths refer to"
        ) from None
    if not callable(getattr(model, "point_inputs", None)):
        raise ParameterError(
            f"{path}: a sweep of the {sweep.model!r} model; NWB export needs the circuit "
            "model (a point of another model has no circuit to describe)"
        )
    spec, protocol = model.point_inputs(params, str(row["protocol"]))
    seed = int(row["seed"])
    populations, record, built = run_records(spec, protocol, seed)
    spikes = load_spikes(path, pid).drop(columns="point_id").reset_index(drop=True)
    listed = np.concatenate([p.gids for p in populations.values()])
    stray = np.setdiff1d(spikes["gid"].to_numpy(dtype=np.int64), listed)
    if stray.size:
        raise ParameterError(
            f"{path}: point {pid}'s spikes name cells (gid {int(stray[0])}) that its rebuilt "
            "circuit does not have; was the base circuit file changed after the sweep ran?"
        )
    result = SimulationResult(
        spikes=spikes,
        populations=populations,
        tstop_ms=float(record.tstop_ms),
        protocol=record,
        seed=seed,
        spec=built,
    )
    results = store.read_results()
    mine = results[results["point_id"] == pid]
    metrics = {str(m): float(v) for m, v in zip(mine["metric"], mine["value"], strict=True) if m}
    mtime = (path / POINTS_DIR / f"{pid}.parquet").stat().st_mtime
    info = {
        "point_id": pid,
        "design": {
            "sample": _plain(row["sample"]),
            "protocol": str(row["protocol"]),
            "seed": seed,
            "parameters": params,
        },
        "metrics": metrics,
        "sweep_spec": spec_data,
        "manifest": store.manifest() or {},
        "finished": datetime.fromtimestamp(mtime, tz=timezone.utc),
    }
    return result, info


def _plain(value: Any) -> Any:
    """numpy scalars -> Python (design rows come from pandas)."""
    return value.item() if isinstance(value, np.generic) else value


def export_sweep_point(
    folder: str | os.PathLike[str],
    point: str | None,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
) -> Path:
    """Write one point of a sweep to an NWB file.

    The file is that of :func:`cordsim.analysis.nwb_export.result_to_nwbfile`
    (spikes in s, EMG envelopes, volleys and windows), with the point's
    circuit spec and the sweep spec (TOML) and its metrics as ScratchData,
    and the sweep name, point id, design row and the manifest's versions in
    ``notes``. The session start time is when the point finished.

    Parameters
    ----------
    folder : path
        A sweep results folder of the ``circuit`` model.
    point : str or None
        Point id or unique prefix (None: the only point of the sweep).
    path : path
        The ``.nwb`` file.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    import json

    import tomli_w

    from cordsim.analysis.nwb_export import check_nwb_path, export_result, require_pynwb

    require_pynwb()
    check_nwb_path(path, overwrite)  # before rebuilding anything
    result, info = point_result(folder, point)
    manifest = info["manifest"]
    sweep = dict(info["sweep_spec"].get("sweep", {}))
    profile_params = {
        k: v for k, v in info["design"]["parameters"].items() if k.startswith("profile.")
    }
    provenance = {
        "source": {
            "kind": "cordsim sweep point",
            "folder": str(Path(folder).resolve()),
            "sweep": sweep.get("name"),
            "point_id": info["point_id"],
        },
        "seed": info["design"]["seed"],
        "tstop_ms": result.tstop_ms,
        "profile": sweep.get("profile", "wild_type"),
        "profile_parameters": profile_params,
        "age": result.spec.age,
        "preparation": result.spec.preparation,
        "design": info["design"],
        "versions": {
            "cordsim": manifest.get("cordsim"),
            "neuron": (manifest.get("model_versions") or {}).get("neuron"),
            "mechanisms": (manifest.get("model_versions") or {}).get("mechanisms"),
            "python": manifest.get("python"),
        },
        "time_unit_note": "NWB times are in s (cordsim's ms / 1000); stimulus_notes keeps ms",
    }
    texts = {
        "cordsim_circuit_spec": (
            tomli_w.dumps(result.spec.to_dict()),
            "the circuit spec of the point (cordsim TOML): the sweep's base with the point's "
            "parameters and profiles applied",
        ),
        "cordsim_sweep_spec": (
            tomli_w.dumps(info["sweep_spec"]),
            "the resolved spec of the sweep (cordsim TOML)",
        ),
        "cordsim_metrics": (
            json.dumps({k: (v if np.isfinite(v) else None) for k, v in info["metrics"].items()}),
            "the point's metrics row (cordsim.analysis.metrics, JSON; times in ms)",
        ),
    }
    return export_result(
        result,
        path,
        overwrite=overwrite,
        provenance=provenance,
        texts=texts,
        session_start_time=info["finished"],
    )


def export_folder(
    folder: str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    point: str | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a ``cordsim run`` folder, or one point of a sweep folder, to an NWB file.

    Parameters
    ----------
    folder : path
        A run folder (``cordsim run --out``) or a sweep results folder.
    path : path
        The ``.nwb`` file.
    point : str, optional
        Sweep folders: the point id or a unique prefix (default: the only
        point of a one-point sweep). Not used with a run folder.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    cordsim.analysis.nwb_export.NWBDependencyError
        pynwb is not installed.
    cordsim.models.result_folder.ResultFolderError
        ``folder`` is neither a run folder nor a sweep folder, or an
        incomplete run folder.
    cordsim.errors.ParameterError
        A point that does not exist (or ``point`` given with a run folder).
    """
    from cordsim.analysis.nwb_export import export_run_folder, require_pynwb
    from cordsim.models.result_folder import METRICS_FILE, SPIKES_FILE, ResultFolderError

    require_pynwb()
    src = Path(folder)
    if not src.is_dir():
        raise ResultFolderError(f"{str(src)!r} does not exist or is not a folder")
    if (src / MANIFEST_FILE).is_file():
        return export_sweep_point(src, point, path, overwrite=overwrite)
    if (src / SPIKES_FILE).is_file() or (src / METRICS_FILE).is_file():
        if point is not None:
            raise ParameterError(f"{src} is a run folder (one simulation): --point is for sweeps")
        return export_run_folder(src, path, overwrite=overwrite)
    raise ResultFolderError(
        f"{str(src)!r} is neither a cordsim run folder (spikes.parquet, metrics.json: "
        "cordsim run --out) nor a sweep results folder (manifest.json: cordsim sweep)"
    )
