"""Export a cordsim result to an NWB file (Neurodata Without Borders, via pynwb).

Needs the optional extra ``nwb`` (``pip install 'cordsim[nwb]'``: pynwb and
nwbinspector); importing this module does not need it, writing does.

What the file holds
-------------------
Times are in seconds, as NWB requires: cordsim works in ms, and every time
below is ``time_ms / 1000``.

``units`` (the Units table)
    One unit per cell of every population, silent cells included, in the
    circuit's table order; unit id = the cell's gid. ``spike_times`` (s) and
    ``obs_intervals`` (``[0, tstop]``, s), and the columns ``gid``,
    ``population``, ``kind`` (``motor_pool``, ``interneuron``,
    ``afferent``), ``cell_type`` (the population's role: ``mn``, ``iain``,
    ``rc``, ``ia``, ...), ``muscle`` and, when the result records motor-unit
    sizes, ``mu_size`` (membrane area relative to the smallest cell of its
    pool, dimensionless; NaN for cells that are not motor neurons).
``intervals/stimulus_volleys``
    One row per dorsal-root volley of the protocol (``stim_times_ms``):
    ``start_time`` = the volley (s), ``stop_time`` = the end of its
    monosynaptic response window (s; the volley itself when the protocol
    has no response window), ``response_start_time`` (s) the window's start,
    and ``rate_hz`` and ``pulse_index`` when the protocol gives them.
``epochs``
    The protocol's windows (s): ``analysis_window`` (the window of the rates
    and EMG indices; the drive of a contraction), ``spontaneous_window`` and
    one ``cycle`` epoch per drive cycle of a rhythmic protocol.
``processing/ecephys``
    The synthetic EMG envelope of each motor pool
    (:func:`cordsim.analysis.emg.pool_emg`: MUAP kernels summed, rectified,
    low-passed), a TimeSeries ``emg_envelope_<pool>`` in arbitrary units
    (``a.u.``), sampled every ``emg_dt_ms`` from t = 0.
    When given (``ventral_root.parquet`` of a run folder), the synthetic
    ventral-root recording: one TimeSeries ``ventral_root_<root>`` per root,
    stored in uV with ``unit = "volts"`` and ``conversion = 1e-6``.
Metadata
    ``session_description`` (protocol, profile, seed), ``notes`` (the
    provenance as JSON: source, seed, profile, parameters, versions),
    ``stimulus_notes`` (the protocol record as JSON, times in ms as cordsim
    keeps them), ``source_script`` (the exporting cordsim), a ``subject``
    (the simulated mouse: species, the preset's age), and the circuit spec TOML,
    metrics and any other text in ``scratch`` (one ScratchData each).

The file is written atomically (:mod:`cordsim.files`). Sweep points are
exported by :mod:`cordsim.sweeps.nwb_point`, a layer above (it reads the
sweep folder, then calls :func:`export_result`).
"""

from __future__ import annotations

import json
import os
import platform
import uuid
import warnings
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cordsim.analysis.emg import DEFAULT_DT_MS, DEFAULT_KERNEL_WIDTH_MS, DEFAULT_LOWPASS_HZ
from cordsim.errors import CordsimError, ParameterError
from cordsim.files import atomic_write_with

if TYPE_CHECKING:
    from cordsim.models.result import SimulationResult

__all__ = [
    "INSTALL_HINT",
    "NWBDependencyError",
    "NWBExportError",
    "check_nwb_path",
    "export_result",
    "export_run_folder",
    "read_nwb_spikes",
    "require_pynwb",
    "result_to_nwbfile",
]

#: How to install what this module needs.
INSTALL_HINT = "pip install 'cordsim[nwb]'"

#: Name of the interval table of the protocol's volleys.
VOLLEY_TABLE = "stimulus_volleys"

#: Processing module of the synthetic EMG envelopes and ventral-root traces
#: (one of NWB's schema module names: they are extracellular signals).
SIGNALS_MODULE = "ecephys"

#: The subject's species (NCBI taxonomy's binomial name).
SPECIES = "Mus musculus"

#: Subject age of each preset (ISO 8601 duration range; NWB needs an age, and a
#: simulated circuit has a preset, not a birthday): juvenile is documented as
#: P6-P12 (cordsim.models.cells.motor_neuron_parameters); the adult preset names
#: no age, so it gets the usual convention for an adult mouse, 8 weeks or older.
PRESET_AGE = {"juvenile": "P6D/P12D", "adult": "P8W/"}
#: Age range of every preset (the youngest and older), for a result that names none.
ANY_PRESET_AGE = "P6D/"


class NWBExportError(CordsimError):
    """A result that cannot be exported to NWB as it is."""


class NWBDependencyError(NWBExportError, ImportError):
    """pynwb (the optional ``nwb`` extra) is not installed."""


def require_pynwb() -> Any:
    """Import and return :mod:`pynwb`.

    Raises
    ------
    NWBDependencyError
        When pynwb is not installed (with the command that installs it).
    """
    try:
        import pynwb
    except ImportError:
        raise NWBDependencyError(
            f"NWB export needs pynwb, which is not installed ({INSTALL_HINT})"
        ) from None
    return pynwb


def _s(ms: Any) -> Any:
    """ms -> s (float or numpy array)."""
    return np.asarray(ms, dtype=np.float64) / 1000.0 if np.ndim(ms) else float(ms) / 1000.0


def _json(data: Any) -> str:
    from cordsim.models.result_folder import _plain

    return json.dumps(_plain(data), indent=1, allow_nan=False, sort_keys=False)


# --------------------------------------------------------------------------- building
def result_to_nwbfile(
    result: SimulationResult,
    *,
    provenance: Mapping[str, Any] | None = None,
    texts: Mapping[str, tuple[str, str]] | None = None,
    ventral_root: pd.DataFrame | None = None,
    session_start_time: datetime | None = None,
    emg_dt_ms: float = DEFAULT_DT_MS,
    spike_resolution_ms: float | None = None,
) -> Any:
    """The in-memory ``pynwb.NWBFile`` of one simulation (see the module docstring).

    Parameters
    ----------
    result : SimulationResult
        Spikes (ms), populations and protocol record of one run.
    provenance : mapping, optional
        JSON-ready facts stored as JSON in ``notes`` (e.g. ``source``,
        ``profile``, ``versions``); ``profile`` also goes into the session
        description.
    texts : mapping of str to (text, description), optional
        Texts stored as ScratchData under their name (e.g. the circuit spec
        TOML).
    ventral_root : pandas.DataFrame, optional
        A ventral-root frame (:func:`cordsim.analysis.ventral_root.ventral_root_trace`:
        ``t_ms`` and ``vr_<root>_uv`` columns).
    session_start_time : datetime, optional
        When the result was made (timezone-aware); default: now (UTC).
    emg_dt_ms : float
        Sampling step of the EMG envelopes (ms).
    spike_resolution_ms : float, optional
        Resolution of the spike times (ms), stored as the Units table's
        ``resolution`` (s); default: the solver's time step of
        ``result.spec`` (a compartmental cell's spike is detected at a time
        step; afferent fibres are event sources whose times are exact, which
        the table's description says), unset when the result carries no spec.

    Returns
    -------
    pynwb.NWBFile

    Raises
    ------
    NWBDependencyError
        pynwb is not installed.
    NWBExportError
        Spikes of gids that no population lists (they would be lost).
    """
    pynwb = require_pynwb()
    from pynwb.file import Subject

    provenance = dict(provenance or {})
    record = result.protocol
    protocol_name = getattr(record, "name", None) or dict(record or {}).get("name", "?")
    profile = provenance.get("profile")
    start = session_start_time or datetime.now(timezone.utc)
    if start.tzinfo is None:
        raise ParameterError("session_start_time must be timezone-aware")
    described = f"protocol {protocol_name!r}" + (f", profile {profile!r}" if profile else "")
    from cordsim import __version__

    nwbfile = pynwb.NWBFile(
        session_description=f"cordsim simulation of the mouse lumbar spinal circuit: "
        f"{described}, seed {result.seed}, {result.tstop_ms / 1000.0:g} s simulated",
        identifier=_identifier(result, provenance),
        session_start_time=start,
        experiment_description="Simulated with cordsim (NEURON): spike times of every cell, "
        "the protocol's stimulus volleys and windows, and EMG envelopes (and ventral-root "
        "traces) synthesised from the motor neuron spikes. No animal was recorded.",
        notes=_json(provenance),
        stimulus_notes=_json(record if record is not None else {}),
        source_script=f"cordsim {__version__} (cordsim.analysis.nwb_export)",
        source_script_file_name="cordsim/analysis/nwb_export.py",
        keywords=["simulation", "spinal cord", "motor neuron", "reflex", "cordsim"],
        subject=Subject(**_subject(provenance, result)),
    )
    _add_units(nwbfile, result, spike_resolution_ms or _solver_dt_ms(result))
    _add_protocol_times(nwbfile, result)
    _add_emg(nwbfile, result, emg_dt_ms)
    if ventral_root is not None:
        _add_ventral_root(nwbfile, ventral_root)
    for name, (text, description) in (texts or {}).items():
        nwbfile.add_scratch(text, name=name, description=description)
    return nwbfile


def _identifier(result: SimulationResult, provenance: Mapping[str, Any]) -> str:
    """A stable id of the result: the same spikes, seed and source give the same id."""
    key = f"{result.spike_hash()}:{result.seed}:{json.dumps(provenance.get('source'))}"
    return f"cordsim-{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


def _subject(provenance: Mapping[str, Any], result: SimulationResult) -> dict[str, Any]:
    """The Subject's fields: the simulated mouse, aged as its preset.

    NWB's inspector counts a missing subject, or one without an age, as
    critical; when the result names no preset the age is the range of all
    presets (:data:`ANY_PRESET_AGE`).
    """
    age = provenance.get("age") or getattr(result.spec, "age", None)
    preparation = provenance.get("preparation") or getattr(result.spec, "preparation", None)
    what = f"{age} preset" if age in PRESET_AGE else "preset not recorded"
    if preparation and preparation != "default":
        what += f", {preparation} preparation"
    span = PRESET_AGE.get(age, ANY_PRESET_AGE)
    return {
        "subject_id": "cordsim-model",
        "species": SPECIES,
        "sex": "U",
        "age": span,
        "description": f"No animal: a simulated mouse lumbar spinal circuit ({what}). "
        f"Age: that of the preset ({span}).",
    }


def _add_units(nwbfile: Any, result: SimulationResult, resolution_ms: float | None) -> None:
    spikes = result.spikes
    times = {
        int(g): np.sort(grp.to_numpy(dtype=np.float64))
        for g, grp in spikes.groupby("gid")["time_ms"]
    }
    listed = {int(g) for p in result.populations.values() for g in p.gids}
    lost = sorted(set(times) - listed)
    if lost:
        raise NWBExportError(
            f"{len(lost)} gid(s) with spikes belong to no population of the result "
            f"(first: {lost[:3]}); the result's population records do not match its spikes"
        )
    from pynwb.misc import Units

    nwbfile.units = Units(
        name="units",
        description="one unit per simulated cell (silent cells included); spike times in s "
        "(cordsim's ms / 1000). resolution: the solver time step, at which compartmental "
        "cells' spikes are detected; afferent fibres' spike times are exact event times",
        resolution=_s(resolution_ms) if resolution_ms else None,
    )
    with_sizes = any(p.mu_sizes is not None for p in result.populations.values())
    columns = [
        ("gid", "global id of the cell in the cordsim circuit (int)"),
        ("population", "cordsim population name"),
        ("kind", "population kind: motor_pool, interneuron or afferent"),
        ("cell_type", "the population's role: mn (motor neuron), iain, rc, ein, ia, ib, ii, ..."),
        ("muscle", "muscle of the population: flexor or extensor"),
    ]
    if with_sizes:
        columns.append(
            (
                "mu_size",
                "motor-unit size factor: membrane area relative to the smallest cell of its "
                "pool (dimensionless); NaN for cells that are not motor neurons",
            )
        )
    for name, description in columns:
        nwbfile.add_unit_column(name=name, description=description)
    observed = [[0.0, _s(result.tstop_ms)]]
    for pop in result.populations.values():
        sizes = pop.mu_sizes if pop.mu_sizes is not None else np.full(pop.n_cells, np.nan)
        for gid, size in zip(pop.gids, sizes, strict=True):
            row = {
                "id": int(gid),
                "spike_times": _s(times.get(int(gid), np.empty(0))),
                "obs_intervals": observed,
                "gid": int(gid),
                "population": pop.name,
                "kind": pop.kind,
                "cell_type": pop.role,
                "muscle": pop.muscle,
            }
            if with_sizes:
                row["mu_size"] = float(size)
            nwbfile.add_unit(**row)


def _add_protocol_times(nwbfile: Any, result: SimulationResult) -> None:
    from cordsim.models.result import ProtocolRecord

    record = result.protocol
    if not isinstance(record, ProtocolRecord):
        return  # an old result folder's free-form protocol: kept in stimulus_notes only
    for tag, window in (
        ("analysis_window", record.analysis_window_ms),
        ("spontaneous_window", record.spontaneous_window_ms),
    ):
        if window is not None:
            nwbfile.add_epoch(start_time=_s(window[0]), stop_time=_s(window[1]), tags=[tag])
    if record.cycle_period_ms:
        t0, t1 = record.analysis_window_ms
        n = int(np.floor((t1 - t0) / record.cycle_period_ms + 1e-9))
        for k in range(n):
            start = t0 + k * record.cycle_period_ms
            nwbfile.add_epoch(
                start_time=_s(start), stop_time=_s(start + record.cycle_period_ms), tags=["cycle"]
            )
    if not record.stim_times_ms:
        return
    from pynwb.epoch import TimeIntervals

    table = TimeIntervals(
        name=VOLLEY_TABLE,
        description=f"dorsal-root volleys of the {record.name!r} protocol"
        + (f" (stimulated muscle: {record.agonist})" if record.agonist else "")
        + "; start_time: the volley (s), stop_time: the end of its monosynaptic response "
        "window (s)",
    )
    extra = []
    if record.stim_rates_hz:
        extra += [
            ("rate_hz", "rate (Hz) of the train the volley belongs to", record.stim_rates_hz),
            (
                "pulse_index",
                "position of the volley in its train (0: the first, rested one)",
                record.stim_pulse_index,
            ),
        ]
    window = record.response_window_ms
    if window is not None:
        extra.append(
            (
                "response_start_time",
                "start of the volley's monosynaptic response window (s)",
                [_s(t + window[0]) for t in record.stim_times_ms],
            )
        )
    end_ms = window[1] if window is not None else 0.0
    for name, description, _ in extra:
        table.add_column(name=name, description=description)
    for i, t in enumerate(record.stim_times_ms):
        table.add_row(
            start_time=_s(t),
            stop_time=_s(t + end_ms),
            **{name: values[i] for name, _, values in extra},
        )
    nwbfile.add_time_intervals(table)


def _solver_dt_ms(result: SimulationResult) -> float | None:
    solver = getattr(result.spec, "solver", None)
    dt = getattr(solver, "dt_ms", None)
    return float(dt) if dt else None


def _signals_module(nwbfile: Any) -> Any:
    """The ``ecephys`` processing module of the synthetic signals (created once)."""
    if SIGNALS_MODULE in nwbfile.processing:
        return nwbfile.processing[SIGNALS_MODULE]
    return nwbfile.create_processing_module(
        name=SIGNALS_MODULE,
        description="signals synthesised from the simulated motor neuron spikes: EMG envelopes "
        "(cordsim.analysis.emg) and ventral-root recordings (cordsim.analysis.ventral_root)",
    )


def _add_emg(nwbfile: Any, result: SimulationResult, dt_ms: float) -> None:
    from pynwb import TimeSeries

    from cordsim.analysis.emg import pool_emg

    pools = [p for p in result.populations.values() if p.kind == "motor_pool"]
    if not pools or result.tstop_ms <= 0:
        return
    module = _signals_module(nwbfile)
    for pop in pools:
        _, _, envelope = pool_emg(result, pop.name, dt_ms=dt_ms)
        module.add(
            TimeSeries(
                name=f"emg_envelope_{pop.name}",
                data=envelope,
                unit="a.u.",
                rate=1000.0 / dt_ms,
                starting_time=0.0,
                description=f"linear envelope of the synthetic EMG of motor pool {pop.name!r} "
                f"({pop.muscle}): one MUAP (Hermite-Rodriguez kernel, width "
                f"{DEFAULT_KERNEL_WIDTH_MS} ms, peak = the unit's size factor) per spike, "
                f"summed, full-wave rectified and low-passed ({DEFAULT_LOWPASS_HZ} Hz "
                "Butterworth, order 2, forward-backward); see cordsim.analysis.emg",
                comments="arbitrary units: 1 is the MUAP peak of the pool's smallest unit",
            )
        )


def _add_ventral_root(nwbfile: Any, frame: pd.DataFrame) -> None:
    from pynwb import TimeSeries

    from cordsim.analysis.ventral_root import TIME_COLUMN, root_columns

    roots = root_columns(frame)
    t_ms = frame[TIME_COLUMN].to_numpy(dtype=np.float64)
    if not roots or t_ms.size < 2:
        raise NWBExportError("the ventral-root frame has no trace (t_ms and vr_<root>_uv columns)")
    dt_ms = float(t_ms[1] - t_ms[0])
    if not np.allclose(np.diff(t_ms), dt_ms, rtol=1e-6, atol=1e-9):
        raise NWBExportError("the ventral-root trace is not sampled at a constant rate")
    module = _signals_module(nwbfile)
    for root, column in roots.items():
        module.add(
            TimeSeries(
                name=f"ventral_root_{root}",
                data=frame[column].to_numpy(dtype=np.float32),
                unit="volts",
                conversion=1e-6,  # stored in uV
                rate=1000.0 / dt_ms,
                starting_time=_s(t_ms[0]),
                description=f"synthetic ventral-root recording of the {root} root (data in uV)",
            )
        )


# --------------------------------------------------------------------------- writing
def check_nwb_path(path: str | os.PathLike[str], overwrite: bool = False) -> Path:
    """``path`` as a Path, checked before any work: named ``*.nwb``, not a folder, new
    unless ``overwrite``.

    Raises
    ------
    cordsim.errors.ParameterError
        When it is not.
    """
    out = Path(path)
    if out.suffix.lower() != ".nwb":
        raise ParameterError(f"{out}: an NWB file is named *.nwb")
    if out.exists() and not overwrite:
        raise ParameterError(f"{out}: exists already (use overwrite=True, or --overwrite)")
    if out.is_dir():
        raise ParameterError(f"{out}: is a folder")
    return out


def export_result(
    result: SimulationResult,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    **options: Any,
) -> Path:
    """Write one simulation to an NWB file (atomically).

    Parameters
    ----------
    result : SimulationResult
    path : path
        The ``.nwb`` file; its folder is created if missing.
    overwrite : bool
        Replace an existing file.
    **options
        Passed to :func:`result_to_nwbfile` (``provenance``, ``texts``,
        ``ventral_root``, ``session_start_time``, ``emg_dt_ms``).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    require_pynwb()
    out = check_nwb_path(path, overwrite)
    nwbfile = result_to_nwbfile(result, **options)
    from pynwb import NWBHDF5IO

    def write(tmp: str) -> None:
        with warnings.catch_warnings():  # the temporary name (renamed onto *.nwb)
            warnings.filterwarnings("ignore", message=".*does not end in '.nwb'")
            with NWBHDF5IO(tmp, mode="w") as io:
                io.write(nwbfile)

    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_with(out, write)
    return out


def export_run_folder(
    folder: str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    emg_dt_ms: float = DEFAULT_DT_MS,
) -> Path:
    """Write the result folder of ``cordsim run`` to an NWB file.

    Everything the folder holds goes in: the spikes (ms -> s), the
    population records, the protocol record, ``ventral_root.parquet`` when
    present, ``spec.toml`` and ``metrics.json`` (as ScratchData), and
    ``run.json``'s seed, profile, parameters and versions (in ``notes``).
    The session start time is when the run finished (``metrics.json``'s
    modification time, UTC).

    Parameters
    ----------
    folder : path
        A folder written by ``cordsim run --out`` (or
        :func:`cordsim.models.result_folder.write_result`).
    path : path
        The ``.nwb`` file to write.
    overwrite : bool
        Replace an existing file.
    emg_dt_ms : float
        Sampling step of the EMG envelopes (ms).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    NWBDependencyError
        pynwb is not installed.
    cordsim.models.result_folder.ResultFolderError
        ``folder`` is not a complete result folder.
    """
    from cordsim.analysis.ventral_root import VENTRAL_ROOT_FILE, read_ventral_root
    from cordsim.files import loads_toml
    from cordsim.models.result_folder import (
        METRICS_FILE,
        RUN_FILE,
        SPEC_FILE,
        load_result,
    )

    require_pynwb()
    check_nwb_path(path, overwrite)  # before reading anything
    result = load_result(folder, read_spec=False)
    src = Path(folder)
    run = json.loads((src / RUN_FILE).read_text(encoding="utf-8"))  # load_result read it
    info = dict(run.get("info") or {})
    spec_text = (src / SPEC_FILE).read_text(encoding="utf-8") if (src / SPEC_FILE).is_file() else ""
    spec = loads_toml(spec_text) if spec_text else {}
    provenance = {
        "source": {"kind": "cordsim run folder", "folder": str(src.resolve())},
        "seed": int(run["seed"]),
        "tstop_ms": float(run["tstop_ms"]),
        "profile": info.get("profile"),
        "profile_scale": info.get("profile_scale"),
        "age": spec.get("age"),
        "preparation": spec.get("preparation"),
        "run_info": info,
        "versions": {
            "cordsim": run.get("cordsim_version"),
            "neuron": run.get("neuron_version", "not recorded by this result folder"),
            "python": run.get("python_version", "not recorded by this result folder"),
        },
        "exported_with": _export_versions(),
        "time_unit_note": "NWB times are in s (cordsim's ms / 1000); stimulus_notes keeps ms",
    }
    texts = {}
    if spec_text:
        texts["cordsim_circuit_spec"] = (spec_text, "the circuit spec of the run (cordsim TOML)")
    texts["cordsim_metrics"] = (
        (src / METRICS_FILE).read_text(encoding="utf-8"),
        "the run's metrics row (cordsim.analysis.metrics, JSON; times in ms)",
    )
    has_vr = (src / VENTRAL_ROOT_FILE).is_file()
    mtime = (src / METRICS_FILE).stat().st_mtime
    return export_result(
        result,
        path,
        overwrite=overwrite,
        provenance=provenance,
        texts=texts,
        ventral_root=read_ventral_root(src) if has_vr else None,
        session_start_time=datetime.fromtimestamp(mtime, tz=timezone.utc),
        emg_dt_ms=emg_dt_ms,
        spike_resolution_ms=(spec.get("solver") or {}).get("dt_ms"),
    )


def _export_versions() -> dict[str, str]:
    """Versions of the exporting environment (cordsim, pynwb, Python)."""
    import pynwb

    from cordsim import __version__

    return {
        "cordsim": __version__,
        "pynwb": str(pynwb.__version__),
        "python": platform.python_version(),
    }


# --------------------------------------------------------------------------- reading
def read_nwb_spikes(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The spikes of an NWB file written here, in cordsim's spike schema.

    Returns
    -------
    pandas.DataFrame
        ``time_ms`` (float64, ms: the file's s x 1000), ``gid`` (int64),
        ``population`` (str), sorted by (time_ms, gid).
    """
    require_pynwb()
    from pynwb import NWBHDF5IO

    with NWBHDF5IO(str(path), mode="r") as io:
        units = io.read().units
        if units is None:
            return pd.DataFrame({"time_ms": [], "gid": [], "population": []}).astype(
                {"time_ms": np.float64, "gid": np.int64, "population": str}
            )
        gids = np.asarray(units["gid"][:], dtype=np.int64)
        pops = [str(p) for p in units["population"][:]]
        trains = [np.asarray(units.get_unit_spike_times(i)) for i in range(len(gids))]
    counts = [t.size for t in trains]
    frame = pd.DataFrame(
        {
            "time_ms": np.concatenate(trains) * 1000.0 if trains else np.empty(0),
            "gid": np.repeat(gids, counts),
            "population": np.repeat(np.asarray(pops, dtype=object), counts),
        }
    )
    frame = frame.sort_values(["time_ms", "gid"], kind="stable").reset_index(drop=True)
    frame["population"] = frame["population"].astype(str)
    return frame
