"""Batched durable writes: same results, and a crash loses only the non-durable batch."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cordsim.sweeps import store as store_mod
from cordsim.sweeps.engine import SweepBackendError, run_sweep
from cordsim.sweeps.sampling import plan_points
from cordsim.sweeps.spec import SweepSpec, validate_spec
from cordsim.sweeps.store import PointResult, SweepStore
from cordsim.sweeps.toy_model import TOY_LOG_ENV


def _spec(**kw) -> SweepSpec:
    base = {
        "name": "durable",
        "model": "toy",
        "protocols": ["rest", "reflex"],
        "seeds": [3],
        "sampling": "lhs",
        "n_samples": 6,
        "parameters": {
            "toy.rate_hz": {"low": 5.0, "high": 60.0},
            "toy.weight": {"low": 0.5, "high": 3.0},
            "toy.n_cells": [4],
        },
    }
    base.update(kw)
    return validate_spec(SweepSpec(**base))


def _table(folder: Path) -> pd.DataFrame:
    return pq.read_table(folder / "metrics.parquet").to_pandas().drop(columns="wall_time_s")


def _spikes(folder: Path) -> pd.DataFrame:
    from cordsim.sweeps import load_spikes

    return load_spikes(folder, all_points=True)


def _saved(folder: Path) -> set[str]:
    return {p.stem for p in (folder / "points").glob("*.parquet")}


def test_identical_results_batched_and_per_point(tmp_path):
    spec = _spec()
    per_point = run_sweep(spec, tmp_path / "d1", n_jobs=1, durable_every=1, progress=False)
    batched = run_sweep(spec, tmp_path / "d3", n_jobs=1, durable_every=3, progress=False)
    parallel = run_sweep(
        spec, tmp_path / "p", n_jobs=2, batch_size=2, durable_every=5, progress=False
    )
    ref = _table(per_point)
    assert len(ref) == 12 and (ref["status"] == "ok").all()
    for other in (batched, parallel):
        pd.testing.assert_frame_equal(_table(other), ref)
        pd.testing.assert_frame_equal(_spikes(other), _spikes(per_point))
        assert not SweepStore(other).check_finished(repair=False)
        assert not list(other.rglob(".tmp-*"))


def test_store_batch_barrier_covers_every_written_file(tmp_path, monkeypatch):
    store = SweepStore(tmp_path)
    ok = PointResult(
        "a1", "ok", metrics={"m": 1.0}, spikes=pd.DataFrame(
            {"time_ms": [1.0], "gid": [0], "population": ["mn"]}
        )
    )  # fmt: skip
    store.write_point(ok, durable=False)
    store.write_point(PointResult("b2", "failed", error="boom"), durable=False)
    assert store.n_unsynced == 3  # spikes + point of a1, point of b2
    synced: list[Path] = []
    monkeypatch.setattr(store_mod, "_syncfs", lambda folder: False)  # the portable path
    monkeypatch.setattr(store_mod, "_fsync_path", synced.append)
    assert store.make_durable() == 3
    assert store.n_unsynced == 0 and store.make_durable() == 0
    assert set(synced) >= {
        tmp_path / "spikes" / "a1.parquet",
        tmp_path / "points" / "a1.parquet",
        tmp_path / "points" / "b2.parquet",
        tmp_path / "points",
        tmp_path / "spikes",
    }
    assert not store.check_finished(repair=False)
    assert store.finished() == {"a1", "b2"}


class _PowerLoss(BaseException):
    """The machine went down (not an Exception: nothing in the engine handles it)."""


def test_crash_loses_only_the_non_durable_batch(tmp_path, monkeypatch):
    """A crash between barriers loses (or damages) only points not yet made durable.

    Simulated: the third barrier "loses power" before syncing: of the pending
    files, one point file is left truncated and the rest vanish, as after an
    OS crash with unsynced data; then the parent dies.
    """
    spec = _spec()
    out = tmp_path / "out"
    durable_sets: list[set[str]] = []
    crashed: list[bool] = []
    real = SweepStore.make_durable

    def make_durable(self):
        if crashed:  # the engine's error path; a real power loss would not get here
            return real(self)
        if len(durable_sets) == 2 and self.n_unsynced:
            crashed.append(True)
            pending = [p for p in self._unsynced if p.parent.name == "points"]
            for path in self._unsynced:
                path.unlink()
            pending[0].write_bytes(b"PAR1 truncated")  # renamed, data never reached disk
            self._unsynced = []
            raise _PowerLoss
        n = real(self)
        durable_sets.append(_saved(out))
        return n

    monkeypatch.setattr(SweepStore, "make_durable", make_durable)
    with pytest.raises(_PowerLoss):
        run_sweep(spec, out, n_jobs=1, batch_size=1, durable_every=3, progress=False)
    reported = durable_sets[-1]  # what the engine reported finished before the crash
    assert 0 < len(reported) < 12
    assert reported <= _saved(out)  # nothing reported finished is lost
    monkeypatch.setattr(SweepStore, "make_durable", real)

    log = tmp_path / "log.jsonl"
    monkeypatch.setenv(TOY_LOG_ENV, str(log))
    run_sweep(spec, out, n_jobs=1, durable_every=3, progress=False)
    names = spec.parameter_names
    id_of = {
        (p.protocol, p.seed, tuple(p.params[n] for n in names)): p.point_id
        for p in plan_points(spec)
    }
    rerun = [
        id_of[(e["protocol"], e["seed"], tuple(e["params"][n] for n in names))]
        for e in map(json.loads, log.read_text().splitlines())
    ]
    assert len(rerun) == len(set(rerun))
    assert set(rerun) == set(id_of.values()) - reported  # the lost batch, recomputed
    damaged = list((out / "damaged" / "points").glob("*.parquet"))
    assert len(damaged) == 1  # the truncated one was moved aside, then recomputed

    monkeypatch.delenv(TOY_LOG_ENV)
    clean = run_sweep(spec, tmp_path / "clean", n_jobs=1, durable_every=1, progress=False)
    pd.testing.assert_frame_equal(_table(out), _table(clean))
    pd.testing.assert_frame_equal(_spikes(out), _spikes(clean))


def test_keyboard_interrupt_makes_the_written_batch_durable(tmp_path, monkeypatch):
    """Ctrl-C between barriers: the points already written are synced and kept."""
    spec = _spec()
    out = tmp_path / "out"
    written: list[str] = []
    real_write = SweepStore.write_point

    def write_point(self, result, *, durable=True):
        real_write(self, result, durable=durable)
        written.append(result.point_id)
        if len(written) == 5:
            raise KeyboardInterrupt

    monkeypatch.setattr(SweepStore, "write_point", write_point)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, out, n_jobs=1, batch_size=1, durable_every=100, progress=False)
    assert _saved(out) == set(written)
    assert set(pq.read_table(out / "metrics.parquet").column("point_id").to_pylist()) == set(
        written
    )


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_durable_every_is_checked(tmp_path, bad):
    with pytest.raises(SweepBackendError, match="durable_every"):
        run_sweep(_spec(), tmp_path / "o", durable_every=bad, progress=False)
