"""Read a sweep results folder (written by :mod:`cordsim.sweeps.store`) into tidy frames.

- :func:`load_sweep`: the metrics table, one row per (point, replicate), with
  the sweep's spec and manifest in ``df.attrs``.
- :func:`load_spikes`: spikes in long format, read lazily with
  ``pyarrow.dataset``: only the requested points' files are opened, and all
  spikes are loaded only when asked for explicitly.
- :func:`sweep_spec`: the resolved spec the folder holds.

Both loaders are exported by :mod:`cordsim.sweeps` (and ``cordsim``)::

    from cordsim.sweeps import load_spikes, load_sweep
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from cordsim.files import read_toml
from cordsim.sweeps.store import (
    MANIFEST_FILE,
    METRICS_FILE,
    POINTS_DIR,
    SPEC_FILE,
    SPIKE_SCHEMA,
    SPIKES_DIR,
    SweepFolderError,
    SweepStore,
)

__all__ = ["load_spikes", "load_sweep", "sweep_spec"]


def _folder(folder: str | os.PathLike[str]) -> Path:
    path = Path(folder)
    if not (path / MANIFEST_FILE).is_file():
        raise FileNotFoundError(f"{path} is not a sweep results folder (no manifest.json)")
    return path


def sweep_spec(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The resolved spec stored in a results folder (``spec.toml``), as a dict."""
    return read_toml(_folder(folder) / SPEC_FILE)


def load_sweep(folder: str | os.PathLike[str], *, consolidate: bool | str = "auto") -> pd.DataFrame:
    """The metrics table of a sweep.

    Parameters
    ----------
    folder : path
        A sweep results folder.
    consolidate : bool or "auto"
        Rebuild ``metrics.parquet`` from the per-point files first: always
        (True), never (False), or when it is missing or older than the newest
        point file ("auto"; e.g. after a run was killed). Rebuilding takes the
        folder's lock, so it is skipped while a sweep is running there.

    Returns
    -------
    pandas.DataFrame
        One row per finished (point, replicate): ``point_id, sample, seed,
        protocol, <parameters>, <metrics>, status, error, wall_time_s``.
        ``df.attrs`` holds ``"spec"`` (the resolved spec, a dict as in
        ``spec.toml``), ``"manifest"`` and ``"folder"``.
    """
    path = _folder(folder)
    metrics = path / METRICS_FILE
    if consolidate == "auto":
        consolidate = not metrics.exists() or _stale(path, metrics)
    if consolidate:
        _reconsolidate(path)
    if metrics.exists():
        df = pq.read_table(metrics).to_pandas()
    else:  # a sweep still running, never consolidated
        df = SweepStore(path).build_metrics_frame()
    df.attrs["spec"] = sweep_spec(path)
    df.attrs["manifest"] = json.loads((path / MANIFEST_FILE).read_text())
    df.attrs["folder"] = str(path)
    return df


def _stale(path: Path, metrics: Path) -> bool:
    mtime = metrics.stat().st_mtime
    points = path / POINTS_DIR
    if not points.is_dir():
        return False
    return any(e.stat().st_mtime > mtime for e in os.scandir(points) if e.is_file())


def _reconsolidate(path: Path) -> None:
    store = SweepStore(path)
    try:
        with store.locked():
            store.consolidate()
    except SweepFolderError:
        pass  # a sweep is running there; it consolidates when it ends


def _as_list(x: str | Iterable[str] | None) -> list[str] | None:
    if x is None:
        return None
    return [x] if isinstance(x, str) else list(x)


def load_spikes(
    folder: str | os.PathLike[str],
    point_id: str | Iterable[str] | None = None,
    *,
    population: str | Iterable[str] | None = None,
    columns: Iterable[str] | None = None,
    all_points: bool = False,
    as_dataset: bool = False,
) -> pd.DataFrame | ds.Dataset:
    """Spikes of some points of a sweep, read lazily.

    Parameters
    ----------
    folder : path
        A sweep results folder.
    point_id : str or list of str, optional
        The point(s) to read (only their files are opened).
    population : str or list of str, optional
        Keep only these populations (filter pushed down to Parquet).
    columns : list of str, optional
        Columns to read (default: ``time_ms, gid, population, point_id``).
    all_points : bool
        With no ``point_id``, read every point's spikes (may be large).
    as_dataset : bool
        Return the ``pyarrow.dataset.Dataset`` instead, to filter and scan
        yourself; nothing is read.

    Returns
    -------
    pandas.DataFrame or pyarrow.dataset.Dataset
        Long format: ``time_ms`` (float64), ``gid`` (int64), ``population``
        (str), ``point_id`` (str); sorted by (point_id, time_ms, gid).
    """
    path = _folder(folder) / SPIKES_DIR
    ids = _as_list(point_id)
    if ids is not None:
        files = [str(path / f"{pid}.parquet") for pid in dict.fromkeys(ids)]
        files = [f for f in files if os.path.exists(f)]
    elif all_points or as_dataset:
        files = sorted(str(p) for p in path.glob("[0-9a-f]*.parquet")) if path.is_dir() else []
    else:
        raise ValueError(
            "load_spikes: give point_id=... (or all_points=True to read every point's spikes)"
        )
    dataset = ds.dataset(files, schema=SPIKE_SCHEMA, format="parquet")
    if as_dataset:
        return dataset
    pops = _as_list(population)
    flt = ds.field("population").isin(pops) if pops is not None else None
    cols = list(columns) if columns is not None else list(SPIKE_SCHEMA.names)
    table = dataset.to_table(columns=cols, filter=flt)
    sort = [(c, "ascending") for c in ("point_id", "time_ms", "gid") if c in cols]
    if sort:
        table = table.sort_by(sort)
    return table.to_pandas()
