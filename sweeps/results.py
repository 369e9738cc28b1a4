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
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from cordsim.files import read_toml
from cordsim.sweeps.store import (
    DAMAGED_KEY,
    MANIFEST_FILE,
    METRICS_FILE,
    POINTS_DIR,
    READ_ERRORS,
    SPEC_FILE,
    SPIKE_SCHEMA,
    SPIKES_DIR,
    SweepFolderError,
    SweepStore,
    one_line_error,
    read_parquet,
    verified_dataset,
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
        ``spec.toml``), ``"manifest"``, ``"folder"`` and ``"damaged"`` (ids
        of the points whose files are damaged and were left out).

    Warns
    -----
    UserWarning
        ``metrics.parquet`` is damaged (it is rebuilt from the point files);
        point files are damaged (one warning naming how many and which; the
        next run of the sweep recomputes them); ``manifest.json`` or
        ``spec.toml`` is unreadable (its attr is ``{}``; running the sweep
        again rebuilds the manifest).
    """
    path = _folder(folder)
    metrics = path / METRICS_FILE
    if consolidate == "auto":
        consolidate = not metrics.exists() or _stale(path, metrics)
    df = None
    if consolidate:
        df = _reconsolidate(path)
    if df is None and metrics.exists():
        try:
            table = read_parquet(metrics)
            df = table.to_pandas()
            df.attrs["damaged"] = _damaged_of(table)
        except READ_ERRORS as exc:
            warnings.warn(
                f"{metrics}: damaged ({one_line_error(exc)}); rebuilt from the point files",
                stacklevel=2,
            )
            df = _reconsolidate(path)
    if df is None:  # a sweep still running, never consolidated
        df = SweepStore(path).build_metrics_frame()
    damaged = list(df.attrs.get("damaged", []))
    if damaged:
        shown = ", ".join(damaged[:5]) + (
            f" and {len(damaged) - 5} more" if len(damaged) > 5 else ""
        )
        warnings.warn(
            f"{path}: {len(damaged)} damaged point file(s) left out ({shown}); run the sweep "
            "again to recompute them",
            stacklevel=2,
        )
    df.attrs["damaged"] = damaged
    df.attrs["spec"] = _spec_or_warn(path)
    df.attrs["manifest"] = _manifest(path)
    df.attrs["folder"] = str(path)
    return df


def _manifest(path: Path) -> dict[str, Any]:
    """The folder's manifest; an unreadable one gives a warning and ``{}``."""
    try:
        return json.loads((path / MANIFEST_FILE).read_text())
    except (OSError, ValueError) as exc:
        warnings.warn(
            f"{path / MANIFEST_FILE}: unreadable ({one_line_error(exc)}); the results are intact, and "
            "running the sweep again rebuilds it",
            stacklevel=3,
        )
        return {}


def _spec_or_warn(path: Path) -> dict[str, Any]:
    """The folder's spec; an unreadable ``spec.toml`` gives a warning and ``{}``."""
    try:
        return sweep_spec(path)
    except (OSError, ValueError) as exc:  # TOMLDecodeError and ParameterError are ValueErrors
        warnings.warn(
            f"{path / SPEC_FILE}: unreadable ({one_line_error(exc)}); the results are intact",
            stacklevel=3,
        )
        return {}


def _damaged_of(table: pa.Table) -> list[str]:
    """The damaged points ``metrics.parquet`` records as left out (its schema metadata)."""
    raw = (table.schema.metadata or {}).get(DAMAGED_KEY)
    try:
        return [str(x) for x in json.loads(raw)] if raw else []
    except ValueError:
        return []


def _stale(path: Path, metrics: Path) -> bool:
    mtime = metrics.stat().st_mtime
    points = path / POINTS_DIR
    if not points.is_dir():
        return False
    return any(e.stat().st_mtime > mtime for e in os.scandir(points) if e.is_file())


def _reconsolidate(path: Path) -> pd.DataFrame | None:
    """Rebuild ``metrics.parquet`` and return it; None if a sweep runs there."""
    store = SweepStore(path)
    try:
        with store.locked():
            return store.consolidate()
    except SweepFolderError:
        return None  # a sweep is running there; it consolidates when it ends


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
        ids = list(dict.fromkeys(ids))
        _check_spike_files(path.parent, ids)
        files = [str(path / f"{pid}.parquet") for pid in ids]
        files = [f for f in files if os.path.exists(f)]
    elif all_points or as_dataset:
        files = sorted(str(p) for p in path.glob("[0-9a-f]*.parquet")) if path.is_dir() else []
    else:
        raise ValueError(
            "load_spikes: give point_id=... (or all_points=True to read every point's spikes)"
        )
    dataset = verified_dataset(files, SPIKE_SCHEMA)
    if as_dataset:
        return dataset
    pops = _as_list(population)
    flt = ds.field("population").isin(pops) if pops is not None else None
    cols = list(columns) if columns is not None else list(SPIKE_SCHEMA.names)
    try:
        table = dataset.to_table(columns=cols, filter=flt)
    except READ_ERRORS:  # name the damaged file (all_points reads are not hashed first)
        _check_spike_files(path.parent, [Path(f).name[: -len(".parquet")] for f in files])
        raise
    sort = [(c, "ascending") for c in ("point_id", "time_ms", "gid") if c in cols]
    if sort:
        table = table.sort_by(sort)
    return table.to_pandas()


def _check_spike_files(folder: Path, point_ids: list[str]) -> None:
    """Raise a one-line error naming the first damaged spike file of ``point_ids``.

    A spike file must match the SHA-256 its point file records (or, for an
    older point file, pass its page checksums); a finished point whose point
    file records spikes must have its spike file.
    """
    store = SweepStore(folder)
    for point_id in point_ids:
        spike_file = store.spikes_dir / f"{point_id}.parquet"
        expected = store.recorded_spikes_sha256(point_id)
        if not spike_file.exists() and not expected:
            continue  # unknown, unfinished or failed point: it has no spikes
        problem = store.spike_problem(point_id, expected)
        if problem:
            raise SweepFolderError(
                f"{spike_file}: damaged ({problem}); run the sweep again to recompute this point"
            )
