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


# ----------------------------------------------------------------------------- damage
def _ok(point, spikes=None):
    return PointResult(point.point_id, "ok", "", 0.5, {"m": 1.0, "k": 2.0}, spikes, 1)


def test_point_files_record_the_spike_sha256_and_have_page_checksums(tmp_path):
    store, _ = _prepare(tmp_path)
    store.write_point(_ok(POINTS[0], _spikes()))
    pid = POINTS[0].point_id
    data = (tmp_path / "spikes" / f"{pid}.parquet").read_bytes()
    assert store.recorded_spikes_sha256(pid) == store_mod.sha256_of(data)
    assert store.recorded_spikes_sha256(POINTS[1].point_id) is None  # not finished
    assert store.spike_problem(pid, store.recorded_spikes_sha256(pid)) == ""
    assert store.spike_problem(pid, "0" * 64) == "spike file checksum mismatch"
    assert store.spike_problem(pid, None) == ""  # older point file: pages verified instead
    flipped = bytearray(data)
    flipped[len(flipped) // 3] ^= 0xFF
    atomic_write_bytes(tmp_path / "spikes" / f"{pid}.parquet", bytes(flipped))
    assert store.check_finished(repair=False).reasons == {pid: "spike file checksum mismatch"}


def test_check_finished_reasons_and_repair(tmp_path):
    store, _ = _prepare(tmp_path)
    for p in POINTS:
        store.write_point(_ok(p, _spikes()))
    a, b, c = (p.point_id for p in POINTS)
    path_a = tmp_path / "points" / f"{a}.parquet"
    path_a.write_bytes(path_a.read_bytes()[:-20])
    (tmp_path / "spikes" / f"{b}.parquet").unlink()
    pq.write_table(store_mod.point_table(_ok(POINTS[0])), tmp_path / "points" / f"{c}.parquet")
    report = store.check_finished(repair=True)
    assert report.reasons == {
        a: "point file truncated or not Parquet",
        b: "spike file missing",
        c: "point file names another point",
    }
    assert report.repaired and report.damaged == [a, b, c]
    assert store.finished() == set()
    moved = sorted(p.name.split(".")[0] for p in (tmp_path / "damaged").rglob("*.parquet"))
    assert moved == [a, a, b, c, c]  # point and spike files; b had no spike file
    assert not store.check_finished()


def test_damage_report_summary_is_one_short_line():
    report = store_mod.DamageReport({f"p{i:04d}": "spike file missing" for i in range(8)})
    assert not store_mod.DamageReport() and report and not report.repaired
    line = report.summary()
    assert line.startswith("8 damaged point file(s) left in place: p0000 (spike file missing)")
    assert line.endswith("and 3 more") and "p0005" not in line and "\n" not in line
    report.moved_to = store_mod.Path("/x/sweep/damaged")
    assert "8 damaged point file(s) moved to damaged/ and will be recomputed" in report.summary()


def test_check_finished_many_points_on_threads(tmp_path):
    points = [Point(f"{i:016x}", i, "rest", 1, {"x": float(i), "n": i}) for i in range(80)]
    store = SweepStore(tmp_path)
    store.prepare(
        spec_hash="h",
        spec_name="t",
        spec_toml="x = 1\n",
        design=design_table(points, ["x", "n"]),
        manifest={},
    )
    for p in points:
        store.write_point(_ok(p, _spikes(1)))
    victim = tmp_path / "points" / f"{points[41].point_id}.parquet"
    victim.write_bytes(b"")
    assert store.check_finished(repair=False).damaged == [points[41].point_id]


def test_consolidate_records_the_damaged_points(tmp_path):
    store, _ = _prepare(tmp_path)
    store.write_point(_ok(POINTS[0], _spikes()))
    store.write_point(_ok(POINTS[1], _spikes()))
    (tmp_path / "points" / f"{POINTS[1].point_id}.parquet").write_bytes(b"garbage")
    frame = store.consolidate()
    assert frame.attrs["damaged"] == [POINTS[1].point_id]
    meta = pq.read_schema(tmp_path / "metrics.parquet").metadata
    assert meta[store_mod.DAMAGED_KEY] == f'["{POINTS[1].point_id}"]'.encode()


def test_close_stale_runs(tmp_path):
    store, _ = _prepare(tmp_path)
    assert store.close_stale_runs() == 0
    store.record_run({"id": "a", "state": "complete"})
    store.record_run({"id": "b", "state": "running"})
    assert store.close_stale_runs() == 1
    runs = {r["id"]: r for r in store.manifest()["runs"]}
    assert runs["a"]["state"] == "complete"
    assert runs["b"]["state"] == "killed" and "killed" in runs["b"]["ended"]
