"""The results folder: atomic writes, refusal of other specs, finished points."""

from __future__ import annotations

import os

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cordsim.files import atomic_write_bytes
from cordsim.spikes import spike_schema
from cordsim.sweeps import store as store_mod
from cordsim.sweeps.sampling import Point
from cordsim.sweeps.store import (
    POINT_SCHEMA,
    PointResult,
    SweepFolderError,
    SweepStore,
    atomic_write_table,
    design_table,
)

POINTS = [
    Point("00000000000000aa", 0, "rest", 1, {"x": 1.0, "n": 2}),
    Point("00000000000000bb", 1, "rest", 1, {"x": 2.0, "n": 3}),
    Point("00000000000000cc", 2, "rest", 1, {"x": 3.0, "n": 4}),
]


def _prepare(folder, spec_hash="h1"):
    store = SweepStore(folder)
    resumed = store.prepare(
        spec_hash=spec_hash,
        spec_name="t",
        spec_toml='[sweep]\nname = "t"\n',
        design=design_table(POINTS, ["x", "n"]),
        manifest={"cordsim": "0"},
    )
    return store, resumed


def _spikes(n=3):
    return pd.DataFrame(
        {"time_ms": [1.0, 2.0, 3.0][:n], "gid": [0, 1, 0][:n], "population": ["a", "b", "a"][:n]}
    )


def test_atomic_write_replaces_and_leaves_no_temporaries(tmp_path):
    path = tmp_path / "f.bin"
    atomic_write_bytes(path, b"one")
    atomic_write_bytes(path, b"two")
    assert path.read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["f.bin"]


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "t.parquet"
    atomic_write_table(path, pa.table({"a": [1]}))

    def half_write(table, where, **kw):
        with open(where, "wb") as fh:
            fh.write(b"PAR1 half a file")
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_mod.pq, "write_table", half_write)
    with pytest.raises(RuntimeError, match="disk full"):
        atomic_write_table(path, pa.table({"a": [2]}))
    monkeypatch.undo()
    assert pq.read_table(path).to_pydict() == {"a": [1]}
    assert os.listdir(tmp_path) == ["t.parquet"]


def test_prepare_then_resume_then_refuse_other_spec(tmp_path):
    store, resumed = _prepare(tmp_path / "s")
    assert not resumed
    assert {p.name for p in (tmp_path / "s").iterdir()} >= {
        "spec.toml",
        "manifest.json",
        "design.parquet",
        "points",
        "spikes",
    }
    assert store.manifest()["spec_hash"] == "h1"
    assert _prepare(tmp_path / "s")[1] is True
    with pytest.raises(SweepFolderError, match="another spec"):
        _prepare(tmp_path / "s", spec_hash="h2")


def test_refuse_foreign_non_empty_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SweepFolderError, match="not empty"):
        _prepare(tmp_path)


def test_lock_refuses_a_second_writer(tmp_path):
    store = SweepStore(tmp_path)
    with store.locked():
        with pytest.raises(SweepFolderError, match="another sweep is running"):
            with SweepStore(tmp_path).locked():
                pass
    with SweepStore(tmp_path).locked():  # released
        pass


def test_points_finished_and_consolidated(tmp_path):
    store, _ = _prepare(tmp_path)
    store.write_point(PointResult(POINTS[0].point_id, "ok", "", 0.5, {"m": 1.0}, _spikes(), 1))
    store.write_point(PointResult(POINTS[1].point_id, "failed", "boom", 0.1, {}, None, 1))
    assert store.finished() == {POINTS[0].point_id, POINTS[1].point_id}
    assert store.finished(include_failed=False) == {POINTS[0].point_id}
    assert pq.read_schema(tmp_path / "points" / f"{POINTS[0].point_id}.parquet").equals(
        POINT_SCHEMA
    )
    spikes = pq.read_table(tmp_path / "spikes" / f"{POINTS[0].point_id}.parquet")
    assert spikes.schema.equals(spike_schema(with_point_id=True)) and spikes.num_rows == 3
    assert not (tmp_path / "spikes" / f"{POINTS[1].point_id}.parquet").exists()

    df = store.consolidate()
    assert list(df.columns) == [
        "point_id", "sample", "seed", "protocol", "x", "n", "m", "status", "error", "wall_time_s"
    ]  # fmt: skip
    assert df["status"].tolist() == ["ok", "failed"]
    assert df["error"].tolist() == ["", "boom"]
    assert pd.isna(df["m"].iloc[1])
    on_disk = pq.read_table(tmp_path / "metrics.parquet")
    assert on_disk.schema.field("n").type == pa.int64()
    assert on_disk.schema.field("point_id").type == pa.string()


def test_clean_temporaries_and_design_points(tmp_path):
    store, _ = _prepare(tmp_path)
    (tmp_path / "points" / ".tmp-abc.parquet.123").write_bytes(b"half")
    assert store.clean_temporaries() == 1
    assert store.design_points() == POINTS
    assert store.finished() == set()
