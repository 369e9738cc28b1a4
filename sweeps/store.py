"""The results folder of a sweep: atomic per-point files, manifest, resume.

Layout of a sweep folder::

    spec.toml          the resolved spec (seeds explicit), written once
    manifest.json      format, spec hash, cordsim/model/python versions, runs
    design.parquet     every planned simulation: point_id, sample, protocol,
                       seed, one column per parameter (spec order)
    points/<id>.parquet  one file per finished simulation (long format:
                       point_id, status, error, wall_time_s, pid, metric, value)
    spikes/<id>.parquet  its spikes (time_ms, gid, population, point_id)
    metrics.parquet    the consolidated table (rebuilt at the end of every run)
    .lock              held while a sweep runs in the folder

Every file is written atomically: to a hidden temporary file in the same
folder, flushed and fsync'ed, then ``os.replace``'d onto its name, so a process
killed at any moment leaves either the whole file or none of it (stray
temporaries are removed on the next run). A point's spikes are written
before its ``points/`` file, which is the point's commit mark: a point counts as
finished exactly when its ``points/<id>.parquet`` exists, so a kill loses only
the simulations still in flight. 10,000 points make 10,000 small files per
folder, never one giant file; ``metrics.parquet`` holds one row per point.

The manifest is written last when a folder is created; a folder that holds a
manifest with another spec hash is refused (:class:`SweepFolderError`).

Every Parquet file is written with page checksums, and each point file
carries the SHA-256 of its spike file (column ``spikes_sha256``), so damage
(a truncated file, flipped bytes) is detected when a file is read.
:meth:`SweepStore.check_finished` verifies every finished point and moves the
damaged ones into ``damaged/`` (nothing is deleted), so that the next run
recomputes them; a manifest that cannot be parsed is rebuilt from
``spec.toml`` when the same spec runs again; run records left ``running`` by
a killed process are closed as ``killed``.

Batched durability: :meth:`SweepStore.write_point` with ``durable=False``
writes and renames a point's two files at once (so a killed *process* never
loses them, as before) but skips their per-file fsync; the caller then makes a
whole batch durable against power loss or an OS crash with one
:meth:`SweepStore.make_durable` (``syncfs`` of the folder's file system on
Linux, else an fsync of each pending file; then the ``points/`` and
``spikes/`` folders). The engine reports a point finished only after that
barrier. A point written but not yet made durable when the machine goes down
may be missing (it is then simply recomputed on resume) or truncated (then
:meth:`SweepStore.check_finished` moves it to ``damaged/`` and it is
recomputed); either way no point reported finished is lost. The files are the
same as with ``durable=True`` (one fsync per file, as before), so the format
does not change.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import platform
import shutil
import socket
import sys
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from cordsim.errors import CordsimError
from cordsim.files import (
    TMP_PREFIX,
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
)
from cordsim.spikes import spike_schema

__all__ = [
    "POINT_SCHEMA",
    "SPIKE_SCHEMA",
    "DamageReport",
    "PointResult",
    "SweepFolderError",
    "SweepStore",
    "atomic_write_table",
]

FORMAT = "cordsim-sweep/1"
SPEC_FILE = "spec.toml"
MANIFEST_FILE = "manifest.json"
DESIGN_FILE = "design.parquet"
METRICS_FILE = "metrics.parquet"
POINTS_DIR = "points"
SPIKES_DIR = "spikes"
LOCK_FILE = ".lock"
DAMAGED_DIR = "damaged"
_KNOWN = {
    SPEC_FILE,
    MANIFEST_FILE,
    DESIGN_FILE,
    METRICS_FILE,
    POINTS_DIR,
    SPIKES_DIR,
    LOCK_FILE,
    DAMAGED_DIR,
}
#: Options of every Parquet file cordsim writes: zstd, and a CRC per data page.
PARQUET_WRITE_OPTIONS: dict[str, Any] = {"compression": "zstd", "write_page_checksum": True}
#: Schema metadata key of ``metrics.parquet``: JSON list of the damaged points left out.
DAMAGED_KEY = b"cordsim.damaged"
#: Errors reading a damaged Parquet file can raise (truncated, bad checksum...).
READ_ERRORS = (OSError, pa.ArrowException, ValueError)

POINT_SCHEMA = pa.schema(
    [
        ("point_id", pa.string()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("wall_time_s", pa.float64()),
        ("pid", pa.int64()),
        ("metric", pa.string()),
        ("value", pa.float64()),
        ("spikes_sha256", pa.string()),
    ]
)
#: Arrow schema of a point's spike file: the one spike schema with ``point_id``.
SPIKE_SCHEMA = spike_schema(with_point_id=True)
#: Leading and trailing columns of ``metrics.parquet`` (parameters and metrics between).
LEAD_COLUMNS = ("point_id", "sample", "seed", "protocol")
TAIL_COLUMNS = ("status", "error", "wall_time_s")


class SweepFolderError(CordsimError):
    """A results folder that this sweep cannot use (another spec, busy, not a sweep)."""


@dataclass
class PointResult:
    """The outcome of one simulation, as sent back from a worker."""

    point_id: str
    status: str  # "ok" or "failed"
    error: str = ""
    wall_time_s: float = float("nan")
    metrics: dict[str, float] = field(default_factory=dict)
    spikes: pd.DataFrame | None = None
    pid: int = 0


# ----------------------------------------------------------------------------
# Atomic writes (the byte and text ones are cordsim.files')
# ----------------------------------------------------------------------------


def atomic_write_table(
    path: str | os.PathLike[str], table: pa.Table, *, sync_dir: bool = True
) -> None:
    """Write an Arrow table to a Parquet file atomically (:func:`cordsim.files.atomic_path`).

    ``sync_dir`` also fsyncs the folder, making the rename itself durable
    against power loss (a killed process never loses a replaced file anyway).
    """
    with atomic_path(path, sync_dir=sync_dir) as tmp:
        pq.write_table(table, tmp, **PARQUET_WRITE_OPTIONS)


def _replace_unsynced(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary beside ``path`` and rename it onto ``path``, no fsync.

    Atomic against a killed process (a reader sees the old file or the new
    one), not yet durable against power loss: see :meth:`SweepStore.make_durable`.
    """
    atomic_write_bytes(path, data, sync_dir=False, fsync=False)


def _syncfs(folder: Path) -> bool:
    """``syncfs(2)`` the file system holding ``folder``; False where unavailable or failed."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):  # pragma: no cover
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        return syncfs(fd) == 0
    finally:
        os.close(fd)


def _fsync_path(path: Path) -> None:
    """fsync a file or folder by path (folders: not on Windows, where it is skipped)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(fd)


def parquet_bytes(table: pa.Table) -> bytes:
    """``table`` as the bytes of a Parquet file (with page checksums)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, **PARQUET_WRITE_OPTIONS)
    return sink.getvalue().to_pybytes()


def read_parquet(
    path: str | os.PathLike[str] | pa.NativeFile, columns: list[str] | None = None
) -> pa.Table:
    """Read a Parquet file, verifying its page checksums.

    Parameters
    ----------
    path : path or pyarrow.NativeFile
        The file (or its bytes in a ``pyarrow.BufferReader``).
    columns : list of str, optional
        Read only these columns (only their pages are verified).

    Raises
    ------
    OSError, pyarrow.ArrowException or ValueError (see :data:`READ_ERRORS`)
        The file is truncated, not Parquet, or a page fails its checksum.
    """
    with pq.ParquetFile(path, page_checksum_verification=True) as parquet:
        return parquet.read(columns=columns)


def verified_dataset(files: list[str], schema: pa.Schema) -> ds.Dataset:
    """A dataset of Parquet files whose page checksums are verified when scanned."""
    options = ds.ParquetFragmentScanOptions(page_checksum_verification=True)
    file_format = ds.ParquetFileFormat(default_fragment_scan_options=options)
    return ds.dataset(files, schema=schema, format=file_format)


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


# ----------------------------------------------------------------------------
# Tables
# ----------------------------------------------------------------------------


def spikes_table(spikes: pd.DataFrame | None, point_id: str) -> pa.Table:
    """A point's spikes as an Arrow table with :data:`SPIKE_SCHEMA`."""
    if spikes is None or len(spikes) == 0:
        return SPIKE_SCHEMA.empty_table()
    n = len(spikes)
    population = spikes["population"]
    if isinstance(population.dtype, pd.CategoricalDtype):
        population = population.astype(str)
    return pa.table(
        {
            "time_ms": pa.array(np.asarray(spikes["time_ms"], dtype=np.float64)),
            "gid": pa.array(np.asarray(spikes["gid"], dtype=np.int64)),
            "population": pa.array(population, pa.string(), from_pandas=True),
            "point_id": pa.array([point_id] * n, pa.string()),
        },
        schema=SPIKE_SCHEMA,
    )


def point_table(result: PointResult, spikes_sha256: str = "") -> pa.Table:
    """A point's status and metrics as an Arrow table with :data:`POINT_SCHEMA`.

    ``spikes_sha256`` is the hex SHA-256 of the point's spike file ("" if none).
    """
    names = sorted(result.metrics) or [None]
    values = [float(result.metrics[m]) if m is not None else None for m in names]
    n = len(names)
    return pa.table(
        {
            "point_id": [result.point_id] * n,
            "status": [result.status] * n,
            "error": [result.error] * n,
            "wall_time_s": [float(result.wall_time_s)] * n,
            "pid": [int(result.pid)] * n,
            "metric": names,
            "value": values,
            "spikes_sha256": [spikes_sha256] * n,
        },
        schema=POINT_SCHEMA,
    )


def _string_schema(table: pa.Table) -> pa.Table:
    """Cast large_string columns to string so the file schema does not vary."""
    fields = [
        pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


def design_table(points: Iterable[Any], parameter_names: Iterable[str]) -> pa.Table:
    """The planned simulations as an Arrow table (see module docstring)."""
    points = list(points)
    names = list(parameter_names)
    cols: dict[str, pa.Array] = {
        "point_id": pa.array([p.point_id for p in points], pa.string()),
        "sample": pa.array([p.sample for p in points], pa.int64()),
        "seed": pa.array([p.seed for p in points], pa.int64()),
        "protocol": pa.array([p.protocol for p in points], pa.string()),
    }
    for name in names:
        values = [p.params[name] for p in points]
        if all(isinstance(v, bool) for v in values):
            typ = pa.bool_()
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            typ = pa.int64()
        elif all(isinstance(v, float) for v in values):
            typ = pa.float64()
        else:
            typ = pa.string()
            values = [str(v) for v in values]
        cols[name] = pa.array(values, typ)
    return pa.table(cols)


# ----------------------------------------------------------------------------
# The store
# ----------------------------------------------------------------------------


@dataclass
class DamageReport:
    """Finished points whose files are damaged (see :meth:`SweepStore.check_finished`).

    Attributes
    ----------
    reasons : dict of point id -> str
        What is wrong with each damaged point's files.
    moved_to : pathlib.Path or None
        Where the damaged files were moved (``<folder>/damaged``), or None if
        they were left in place (``repair=False``).

    A report is true only when something is damaged.
    """

    reasons: dict[str, str] = field(default_factory=dict)
    moved_to: Path | None = None

    @property
    def damaged(self) -> list[str]:
        """Ids of the damaged points, sorted."""
        return sorted(self.reasons)

    @property
    def repaired(self) -> bool:
        """Whether the damaged files were moved aside (so the points will be recomputed)."""
        return self.moved_to is not None

    def __bool__(self) -> bool:
        return bool(self.reasons)

    def summary(self, shown: int = 5) -> str:
        """One line: how many points, which (the first ``shown``), why, and what was done."""
        items = [f"{pid} ({self.reasons[pid]})" for pid in self.damaged[:shown]]
        more = f" and {len(self.reasons) - shown} more" if len(self.reasons) > shown else ""
        done = (
            f"moved to {self.moved_to.name}/ and will be recomputed"
            if self.moved_to is not None
            else "left in place"
        )
        return f"{len(self.reasons)} damaged point file(s) {done}: {', '.join(items)}{more}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SweepStore:
    """Reads and writes one sweep's results folder (see module docstring)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.points_dir = self.folder / POINTS_DIR
        self.spikes_dir = self.folder / SPIKES_DIR
        self._lock: Any = None
        #: Files written with ``durable=False`` not yet made durable.
        self._unsynced: list[Path] = []

    # -- locking ---------------------------------------------------------------
    @contextmanager
    def locked(self) -> Iterator[SweepStore]:
        """Hold the folder's lock (another running sweep -> :class:`SweepFolderError`)."""
        from filelock import FileLock, Timeout

        self.folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.folder / LOCK_FILE), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise SweepFolderError(
                f"{self.folder}: another sweep is running in this folder (lock {LOCK_FILE} held)"
            ) from None
        try:
            yield self
        finally:
            lock.release()

    # -- creation / checking ---------------------------------------------------
    def manifest(self) -> dict[str, Any] | None:
        """The manifest, or None when the folder has none."""
        path = self.folder / MANIFEST_FILE
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise SweepFolderError(f"{path}: unreadable manifest ({exc})") from None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        text = json.dumps(manifest, indent=2, sort_keys=False) + "\n"
        atomic_write_text(self.folder / MANIFEST_FILE, text, sync_dir=True)

    def prepare(
        self,
        *,
        spec_hash: str,
        spec_name: str,
        spec_toml: str,
        design: pa.Table,
        manifest: dict[str, Any],
    ) -> bool:
        """Create the folder's files, or check that it holds this very spec.

        Returns True when the folder already held this sweep (a resume).
        Raises :class:`SweepFolderError` when it holds another sweep or other files.
        """
        old = self._manifest_or_heal(spec_toml, spec_hash, spec_name, manifest)
        if old is not None:
            if old.get("spec_hash") != spec_hash:
                raise SweepFolderError(
                    f"{self.folder} holds sweep {old.get('name')!r} of another spec "
                    f"(hash {str(old.get('spec_hash'))[:12]}, this spec "
                    f"{spec_hash[:12]}); choose another output folder, or delete that one"
                )
            return True
        if self.folder.exists():
            others = sorted(
                e.name
                for e in self.folder.iterdir()
                if e.name not in _KNOWN and not e.name.startswith(TMP_PREFIX)
            )
            if others or any(self.points_dir.glob("*.parquet")):
                shown = ", ".join(others[:3]) or POINTS_DIR
                raise SweepFolderError(
                    f"{self.folder} is not empty and holds no sweep manifest ({shown}); "
                    "choose an empty or new output folder"
                )
        self.points_dir.mkdir(parents=True, exist_ok=True)
        self.spikes_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.folder / SPEC_FILE, spec_toml, sync_dir=True)
        atomic_write_table(self.folder / DESIGN_FILE, design)
        full = {
            "format": FORMAT,
            "name": spec_name,
            "spec_hash": spec_hash,
            "created": _now(),
            **manifest,
            "runs": [],
        }
        self.write_manifest(full)
        return False

    def _manifest_or_heal(
        self, spec_toml: str, spec_hash: str, spec_name: str, manifest: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The manifest; an unreadable one is rebuilt if ``spec.toml`` is this spec's."""
        try:
            return self.manifest()
        except SweepFolderError:
            spec_file = self.folder / SPEC_FILE
            try:
                same = spec_file.read_text(encoding="utf-8") == spec_toml
            except (OSError, UnicodeDecodeError):
                same = False
            if not same:
                raise
        healed = {
            "format": FORMAT,
            "name": spec_name,
            "spec_hash": spec_hash,
            "created": _now(),
            **manifest,
            "runs": [],
            "healed": f"{_now()}: manifest.json was unreadable; rebuilt from spec.toml "
            "(earlier run records lost)",
        }
        self.write_manifest(healed)
        warnings.warn(
            f"{self.folder / MANIFEST_FILE}: unreadable; rebuilt from {SPEC_FILE} "
            "(the finished points are kept)",
            stacklevel=3,
        )
        return healed

    def close_stale_runs(self) -> int:
        """Mark run records left ``running`` by a killed process as ``killed``.

        Call it with the folder's lock held: no run can then be live, so every
        ``running`` record is stale. Returns how many were closed.
        """
        manifest = self.manifest() or {}
        runs = manifest.get("runs", [])
        stale = [r for r in runs if r.get("state") == "running"]
        for run in stale:
            run["state"] = "killed"
            run["ended"] = f"before {_now()} (the process was killed; found by the next run)"
        if stale:
            self.write_manifest(manifest)
        return len(stale)

    def check_finished(self, *, repair: bool = True) -> DamageReport:
        """Verify every finished point's files; move damaged ones aside.

        A point file must read with valid page checksums and name its point;
        an ``ok`` point's spike file must exist and match the SHA-256 stored in
        its point file. With ``repair`` the damaged points' files are moved to
        ``<folder>/damaged/`` (never deleted), so those points count as not
        finished and the next run recomputes them.

        Returns
        -------
        DamageReport
            True when something was damaged; ``summary()`` is one line.
        """
        files = self._point_files()
        problems = _threaded(lambda f: self.point_problem(f, f.name[: -len(".parquet")]), files)
        reasons = {
            f.name[: -len(".parquet")]: problem
            for f, problem in zip(files, problems, strict=True)
            if problem
        }
        report = DamageReport(reasons)
        if reasons and repair:
            report.moved_to = self._move_damaged(reasons)
        return report

    def point_problem(self, path: Path, point_id: str) -> str:
        """What is wrong with a finished point's files, or "" (see :meth:`check_finished`)."""
        try:
            table = read_parquet(path)
        except READ_ERRORS as exc:
            return f"point file {damage_kind(exc)}"
        if "point_id" not in table.schema.names or "status" not in table.schema.names:
            return "point file lacks its point_id or status column"
        if set(table.column("point_id").to_pylist()) != {point_id}:
            return "point file names another point"
        if table.column("status")[0].as_py() != "ok":
            return ""  # a failed point has no spike file
        expected = (
            table.column("spikes_sha256")[0].as_py()
            if "spikes_sha256" in table.schema.names
            else None
        )
        return self.spike_problem(point_id, expected)

    def recorded_spikes_sha256(self, point_id: str) -> str | None:
        """The SHA-256 a point's file records for its spike file; None when unknown.

        Unknown: the point is not finished, failed, its file is unreadable, or
        it was written before checksums were stored.
        """
        try:
            table = read_parquet(self.points_dir / f"{point_id}.parquet")
        except READ_ERRORS:
            return None
        if "spikes_sha256" not in table.schema.names or table.num_rows == 0:
            return None
        return table.column("spikes_sha256")[0].as_py() or None

    def spike_problem(self, point_id: str, expected_sha256: str | None) -> str:
        """What is wrong with an ``ok`` point's spike file, or "".

        Parameters
        ----------
        point_id : str
            The point.
        expected_sha256 : str or None
            The hex SHA-256 its point file records; None or "" (a file from
            before checksums were stored, or an unreadable point file): the
            spike file's Parquet page checksums are verified instead.
        """
        try:
            data = (self.spikes_dir / f"{point_id}.parquet").read_bytes()
        except FileNotFoundError:
            return "spike file missing"
        except OSError as exc:
            return f"spike file unreadable: {one_line_error(exc)}"
        if expected_sha256:
            return "" if sha256_of(data) == expected_sha256 else "spike file checksum mismatch"
        try:
            read_parquet(pa.BufferReader(data))
        except READ_ERRORS as exc:
            return f"spike file {damage_kind(exc)}"
        return ""

    def _move_damaged(self, reasons: dict[str, str]) -> Path:
        """Move the damaged points' files into ``damaged/`` (suffixed, never overwritten)."""
        target = self.folder / DAMAGED_DIR
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        for point_id in reasons:
            for kind, source in (
                (POINTS_DIR, self.points_dir / f"{point_id}.parquet"),
                (SPIKES_DIR, self.spikes_dir / f"{point_id}.parquet"),
            ):
                if source.exists():
                    (target / kind).mkdir(parents=True, exist_ok=True)
                    shutil.move(str(source), target / kind / f"{point_id}.{stamp}.parquet")
        return target

    def clean_temporaries(self) -> int:
        """Remove temporaries left by killed writers; return how many."""
        n = 0
        for d in (self.folder, self.points_dir, self.spikes_dir):
            if d.is_dir():
                for tmp in d.glob(TMP_PREFIX + "*"):
                    try:
                        tmp.unlink()
                        n += 1
                    except OSError:  # pragma: no cover
                        pass
        return n

    # -- reading ---------------------------------------------------------------
    def read_design(self) -> pd.DataFrame:
        """The planned simulations (``design.parquet``) as a DataFrame."""
        return pq.read_table(self.folder / DESIGN_FILE).to_pandas()

    def design_points(self) -> list[Any]:
        """The planned simulations as :class:`~cordsim.sweeps.sampling.Point` objects."""
        from cordsim.sweeps.sampling import Point

        table = pq.read_table(self.folder / DESIGN_FILE)
        cols = {name: table.column(name).to_pylist() for name in table.column_names}
        params = [c for c in table.column_names if c not in LEAD_COLUMNS]
        return [
            Point(
                cols["point_id"][i],
                cols["sample"][i],
                cols["protocol"][i],
                cols["seed"][i],
                {name: cols[name][i] for name in params},
            )
            for i in range(table.num_rows)
        ]

    def _point_files(self) -> list[Path]:
        if not self.points_dir.is_dir():
            return []
        return sorted(self.points_dir.glob("[0-9a-f]*.parquet"))

    def read_results(self) -> pd.DataFrame:
        """Every finished point's rows (long format, :data:`POINT_SCHEMA`).

        Point files that cannot be read are left out; their ids are listed in
        ``frame.attrs["damaged"]`` (empty when none).
        """
        files = self._point_files()
        if not files:
            frame = POINT_SCHEMA.empty_table().to_pandas()
            frame.attrs["damaged"] = []
            return frame
        try:
            table = verified_dataset([str(f) for f in files], POINT_SCHEMA).to_table()
            damaged: list[str] = []
        except READ_ERRORS:  # find the damaged files one by one
            tables, damaged = [], []
            for f in files:
                try:
                    tables.append(_padded(f))
                except READ_ERRORS:
                    damaged.append(f.name[: -len(".parquet")])
            table = pa.concat_tables(tables) if tables else POINT_SCHEMA.empty_table()
        frame = table.to_pandas()
        frame.attrs["damaged"] = damaged
        return frame

    def finished(self, *, include_failed: bool = True) -> set[str]:
        """Ids of the finished points (failed ones too unless ``include_failed=False``)."""
        files = self._point_files()
        ids = {f.name[: -len(".parquet")] for f in files}
        if include_failed or not ids:
            return ids
        table = pa.Table.from_pandas(self.read_results()[["point_id", "status"]])
        failed = {
            pid
            for pid, st in zip(
                table.column("point_id").to_pylist(),
                table.column("status").to_pylist(),
                strict=True,
            )
            if st != "ok"
        }
        return ids - failed

    # -- writing ---------------------------------------------------------------
    def write_point(self, result: PointResult, *, durable: bool = True) -> None:
        """Persist one point: spikes first, then its ``points/`` file (the commit mark).

        ``durable=True`` fsyncs each file before its rename (two fsyncs per
        point). ``durable=False`` only writes and renames them (safe against a
        killed process); the point is durable against power loss once
        :meth:`make_durable` returns, and may be lost (recomputed on resume)
        or damaged (moved aside by :meth:`check_finished`) if the machine
        goes down before.
        """
        digest = ""
        spike_path = self.spikes_dir / f"{result.point_id}.parquet"
        point_path = self.points_dir / f"{result.point_id}.parquet"
        if result.status == "ok":
            data = parquet_bytes(spikes_table(result.spikes, result.point_id))
            digest = sha256_of(data)
            if durable:
                atomic_write_bytes(spike_path, data, sync_dir=False)
            else:
                _replace_unsynced(spike_path, data)
                self._unsynced.append(spike_path)
        elif spike_path.exists():
            spike_path.unlink()
        if durable:
            atomic_write_table(point_path, point_table(result, digest), sync_dir=False)
        else:
            _replace_unsynced(point_path, parquet_bytes(point_table(result, digest)))
            self._unsynced.append(point_path)

    @property
    def n_unsynced(self) -> int:
        """How many files were written with ``durable=False`` since the last barrier."""
        return len(self._unsynced)

    def make_durable(self) -> int:
        """The durability barrier of the points written with ``durable=False``.

        On Linux one ``syncfs(2)`` flushes the folder's whole file system
        (data and metadata, so the files and their renames); elsewhere, or if
        it fails, each pending file is fsync'ed. Then the ``points/`` and
        ``spikes/`` folders are fsync'ed. Returns how many files it covered.
        """
        pending, self._unsynced = self._unsynced, []
        if not pending:
            return 0
        try:
            if not _syncfs(self.folder):
                for path in pending:
                    _fsync_path(path)
            for folder in (self.spikes_dir, self.points_dir):
                if folder.is_dir() and os.name != "nt":
                    _fsync_path(folder)
        except BaseException:  # Ctrl-C or an I/O error: these files are still pending
            self._unsynced = pending + self._unsynced
            raise
        return len(pending)

    def consolidate(self) -> pd.DataFrame:
        """Rebuild ``metrics.parquet`` from the design and the finished points; return it.

        One row per finished (sample, protocol, seed), in design order (sample,
        then protocol, then seed as listed in the spec): ``point_id, sample,
        seed, protocol, <parameters>, <metrics, sorted by name>, status, error,
        wall_time_s``. Metrics a point did not report are NaN. Point files that
        cannot be read are left out and listed in ``frame.attrs["damaged"]``
        and in the file's schema metadata (:data:`DAMAGED_KEY`).
        """
        frame = self.build_metrics_frame()
        table = _string_schema(pa.Table.from_pandas(frame, preserve_index=False))
        damaged = frame.attrs.get("damaged", [])
        table = table.replace_schema_metadata(
            {DAMAGED_KEY: json.dumps(damaged).encode()} if damaged else None
        )
        atomic_write_table(self.folder / METRICS_FILE, table)
        return frame

    def build_metrics_frame(self) -> pd.DataFrame:
        """The consolidated table (see :meth:`consolidate`) without writing it."""
        design = self.read_design()
        results = self.read_results()
        status = results.drop_duplicates("point_id").set_index("point_id")
        status = status[["status", "error", "wall_time_s"]]
        values = results[results["metric"].notna()]
        if len(values):
            wide = values.pivot(index="point_id", columns="metric", values="value")
            wide = wide[sorted(wide.columns)].astype(np.float64)
        else:
            wide = pd.DataFrame(index=pd.Index([], name="point_id", dtype=object))
        wide.columns.name = None
        frame = design[design["point_id"].isin(status.index)]
        frame = frame.join(wide, on="point_id").join(status, on="point_id")
        frame = frame.reset_index(drop=True)
        for col in ("status", "error"):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), "").astype(str)
        frame["wall_time_s"] = frame["wall_time_s"].astype(np.float64)
        frame.attrs["damaged"] = results.attrs.get("damaged", [])
        return frame

    def record_run(self, run: dict[str, Any]) -> None:
        """Append (or update, by ``run["id"]``) a run record in the manifest."""
        manifest = self.manifest() or {}
        runs = [r for r in manifest.get("runs", []) if r.get("id") != run.get("id")]
        runs.append(run)
        manifest["runs"] = runs
        self.write_manifest(manifest)


def damage_kind(exc: BaseException) -> str:
    """A short name for why a Parquet file could not be read ("truncated or not Parquet", ...)."""
    text = str(exc)
    if "magic bytes" in text or "file size is 0" in text:
        return "truncated or not Parquet"
    if "checksum" in text.lower():
        return "page checksum mismatch"
    return f"unreadable: {one_line_error(exc)}"


def _threaded(fn: Any, items: list[Any], *, serial_below: int = 64) -> list[Any]:
    """``[fn(x) for x in items]``, on a few threads when there are many (I/O, hashing)."""
    if len(items) < serial_below:
        return [fn(x) for x in items]
    workers = min(8, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


def one_line_error(exc: BaseException) -> str:
    """An exception as one short line."""
    return " ".join(str(exc).split())[:120] or type(exc).__name__


def _padded(path: Path) -> pa.Table:
    """A point file of an older format, with its missing columns as nulls."""
    table = read_parquet(path)
    for name in POINT_SCHEMA.names:
        if name not in table.schema.names:
            table = table.append_column(
                name, pa.nulls(table.num_rows, POINT_SCHEMA.field(name).type)
            )
    return table.select(POINT_SCHEMA.names).cast(POINT_SCHEMA)


def environment_manifest(model_name: str, model_versions: dict[str, str]) -> dict[str, Any]:
    """The versions recorded in a new sweep's manifest."""
    from cordsim import __version__

    versions = {"python": platform.python_version()}
    for mod in ("numpy", "scipy", "pandas", "pyarrow", "joblib"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # pragma: no cover
            pass
    return {
        "cordsim": __version__,
        "model": model_name,
        "model_versions": {str(k): str(v) for k, v in model_versions.items()},
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "host": socket.gethostname(),
        "packages": versions,
    }
