"""The engine: determinism across backends, failures, resume after kill/Ctrl-C, refusal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cordsim.cli import main
from cordsim.sweeps import interface, registry
from cordsim.sweeps.engine import run_sweep
from cordsim.sweeps.registry import register_model
from cordsim.sweeps.sampling import plan_points
from cordsim.sweeps.spec import SweepSpec, validate_spec
from cordsim.sweeps.store import SweepFolderError
from cordsim.sweeps.toy_model import TOY_LOG_ENV, ToyModel

KILL_SPEC = """\
[sweep]
name = "kill"
model = "toy"
protocols = ["rest"]
seeds = [1, 2]
sampling = "grid"

[parameters."toy.rate_hz"]
values = [5.0, 10.0, 20.0, 40.0, 60.0, 80.0]

[parameters."toy.sleep_s"]
values = [0.25]
"""


def _spec(**kw) -> SweepSpec:
    base = {
        "name": "det",
        "model": "toy",
        "protocols": ["rest", "reflex"],
        "seeds": [3, 4],
        "sampling": "lhs",
        "n_samples": 6,
        "parameters": {
            "toy.rate_hz": {"low": 5.0, "high": 60.0},
            "toy.weight": {"low": 0.5, "high": 3.0},
            "toy.n_cells": [4, 8],
        },
    }
    base.update(kw)
    return validate_spec(SweepSpec(**base))


def _table(folder: Path) -> pd.DataFrame:
    df = pq.read_table(folder / "metrics.parquet").to_pandas()
    return df.drop(columns="wall_time_s")


def _all_spikes(folder: Path) -> pd.DataFrame:
    from cordsim.sweeps import load_spikes

    return load_spikes(folder, all_points=True)


def _log_entries(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def _key(params: dict, protocol: str, seed: int, names) -> tuple:
    return (protocol, int(seed), tuple(params[n] for n in names))


def test_identical_results_with_1_and_2_jobs(tmp_path):
    spec = _spec()
    serial = run_sweep(spec, tmp_path / "j1", n_jobs=1, progress=False)
    parallel = run_sweep(spec, tmp_path / "j2", n_jobs=2, batch_size=1, progress=False)
    ref = _table(serial)
    assert len(ref) == 6 * 2 * 2 and (ref["status"] == "ok").all()
    assert ref["sample"].is_monotonic_increasing  # design order, whatever finished first
    pd.testing.assert_frame_equal(_table(parallel), ref)
    pd.testing.assert_frame_equal(_all_spikes(parallel), _all_spikes(serial))
    pids = set(pq.read_table(parallel / "points").column("pid").to_pylist())
    assert os.getpid() not in pids  # the points really ran in worker processes


def test_identical_results_with_dask(tmp_path):
    from distributed import LocalCluster

    spec = _spec()
    serial = run_sweep(spec, tmp_path / "j1", n_jobs=1, progress=False)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        dask = run_sweep(
            spec, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False
        )
    pd.testing.assert_frame_equal(_table(dask), _table(serial))
    pd.testing.assert_frame_equal(_all_spikes(dask), _all_spikes(serial))
    pids = set(pq.read_table(dask / "points").column("pid").to_pylist())
    assert os.getpid() not in pids


def test_failure_isolation_and_retry(tmp_path, monkeypatch):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv(TOY_LOG_ENV, str(log))
    spec = _spec(
        name="fail",
        sampling="grid",
        n_samples=None,
        protocols=["reflex"],
        seeds=[0],
        parameters={
            "toy.fail": [False, True],
            "toy.rate_hz": [10.0, 450.0],
            "toy.nan_latency": [False, True],
        },
    )
    out = run_sweep(spec, tmp_path / "out", n_jobs=1, progress=False)
    df = pq.read_table(out / "metrics.parquet").to_pandas()
    assert len(df) == 8 and len(_log_entries(log)) == 2  # 2 points return, 6 raise
    ok = df[df["status"] == "ok"]
    assert len(ok) == 1 and ok.iloc[0]["toy.rate_hz"] == 10.0 and ok.iloc[0]["error"] == ""
    errors = set(df.loc[df["status"] == "failed", "error"])
    assert "RuntimeError: toy model asked to fail (toy.fail = true)" in errors
    assert any("diverged" in e for e in errors)
    assert "required metric 'latency_ms' is NaN" in errors
    nan_row = df[df["error"] == "required metric 'latency_ms' is NaN"].iloc[0]
    assert nan_row["rate_hz"] > 0  # metrics of a NaN-failed point are kept

    log.unlink()
    run_sweep(spec, out, n_jobs=1, progress=False)  # resume: nothing to do
    assert _log_entries(log) == []
    run_sweep(spec, out, n_jobs=1, progress=False, retry_failed=True)
    assert len(_log_entries(log)) == 1  # only the NaN point returns; 6 raise again
    assert len(pq.read_table(out / "metrics.parquet")) == 8


def test_required_metrics_from_spec_override_model(tmp_path):
    spec = _spec(
        name="req",
        sampling="grid",
        n_samples=None,
        protocols=["reflex"],
        seeds=[0],
        parameters={"toy.nan_latency": [True]},
        required_metrics=[],
    )
    df = _table(run_sweep(spec, tmp_path / "o", n_jobs=1, progress=False))
    assert df["status"].tolist() == ["ok"] and df["latency_ms"].isna().all()


def test_parquet_schema(tmp_path):
    out = run_sweep(_spec(n_samples=2, seeds=[1]), tmp_path / "o", n_jobs=1, progress=False)
    schema = pq.read_schema(out / "metrics.parquet")
    expected = [
        ("point_id", pa.string()),
        ("sample", pa.int64()),
        ("seed", pa.int64()),
        ("protocol", pa.string()),
        ("toy.rate_hz", pa.float64()),
        ("toy.weight", pa.float64()),
        ("toy.n_cells", pa.int64()),
        ("cv_isi", pa.float64()),
        ("latency_ms", pa.float64()),
        ("n_spikes", pa.float64()),
        ("rate_hz", pa.float64()),
        ("reflex_fraction", pa.float64()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("wall_time_s", pa.float64()),
    ]
    assert [(f.name, f.type) for f in schema] == expected
    spikes = [pq.read_schema(p) for p in (out / "spikes").glob("*.parquet")]
    assert len(spikes) == 4
    assert all(
        [(f.name, f.type) for f in s]
        == [
            ("time_ms", pa.float64()),
            ("gid", pa.int64()),
            ("population", pa.string()),
            ("point_id", pa.string()),
        ]
        for s in spikes
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["model_versions"]["toy_model"] == "1" and manifest["cordsim"]
    assert manifest["runs"][-1]["state"] == "complete"
    assert {"python", "created", "spec_hash"} <= set(manifest)


def test_refuses_another_spec_in_the_same_folder(tmp_path, capsys):
    spec = _spec(n_samples=2, seeds=[1], protocols=["rest"])
    out = run_sweep(spec, tmp_path / "o", n_jobs=1, progress=False)
    with pytest.raises(SweepFolderError, match="another spec"):
        run_sweep(_spec(n_samples=2, seeds=[2], protocols=["rest"]), out, n_jobs=1)
    path = tmp_path / "other.toml"
    path.write_text(KILL_SPEC)
    assert main(["sweep", str(path), "--out", str(out), "-j", "1", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "another spec" in err and len(err.strip().splitlines()) == 1


def test_cli_runs_and_resumes(tmp_path, capsys):
    path = tmp_path / "s.toml"
    path.write_text(KILL_SPEC.replace("values = [0.25]", "values = [0.0]"))
    args = ["sweep", str(path), "--out", str(tmp_path / "o"), "-j", "1", "--no-progress"]
    assert main(args) == 0
    assert main(args) == 0
    assert "sweep results:" in capsys.readouterr().out
    runs = json.loads((tmp_path / "o" / "manifest.json").read_text())["runs"]
    assert [r["to_run"] for r in runs] == [12, 0]


class _InterruptingToy(ToyModel):
    calls = 0

    def run_point(self, params, protocol, seed):
        type(self).calls += 1
        if type(self).calls == 3:
            raise KeyboardInterrupt
        return super().run_point(params, protocol, seed)


def _interrupting_factory(*, base=None, profile="wild_type"):
    return _InterruptingToy(base=base, profile=profile)


def test_keyboard_interrupt_keeps_finished_points(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    monkeypatch.setattr(interface, "_MODEL_CACHE", {})
    register_model("itoy", _interrupting_factory)
    spec = _spec(model="itoy", n_samples=4, seeds=[1], protocols=["rest"])
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, tmp_path / "o", n_jobs=1, progress=False)
    assert "resume with the same command" in capsys.readouterr().err
    assert len(pq.read_table(tmp_path / "o" / "metrics.parquet")) == 2
    runs = json.loads((tmp_path / "o" / "manifest.json").read_text())["runs"]
    assert runs[-1]["state"] == "interrupted"
    run_sweep(spec, tmp_path / "o", n_jobs=1, progress=False)
    assert len(pq.read_table(tmp_path / "o" / "metrics.parquet")) == 4


def _start_cli(spec_path: Path, out: Path, log: Path) -> subprocess.Popen:
    env = dict(os.environ, **{TOY_LOG_ENV: str(log)})
    return subprocess.Popen(
        [sys.executable, "-m", "cordsim.cli", "sweep", str(spec_path), "--out", str(out),
         "-j", "2", "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: signals reach its workers too
        # A child inherits an ignored SIGINT (e.g. pytest started in the
        # background by a non-interactive shell), and Python then installs no
        # KeyboardInterrupt handler: Ctrl-C was a no-op for the sweep (rc 0).
        preexec_fn=_default_sigint,
    )  # fmt: skip


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_points(out: Path, n: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    t0 = time.monotonic()
    while len(list((out / "points").glob("*.parquet"))) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() - t0 < timeout, "sweep too slow to start"
        time.sleep(0.05)


def test_sigkill_then_resume_computes_each_point_once(tmp_path, monkeypatch):
    spec_path = tmp_path / "kill.toml"
    # 1-s points (6 s of work on 2 workers): the kill always lands mid-sweep
    spec_path.write_text(KILL_SPEC.replace("values = [0.25]", "values = [1.0]"))
    out = tmp_path / "out"
    proc = _start_cli(spec_path, out, tmp_path / "log1.jsonl")
    _wait_for_points(out, 3, proc)
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, mid-way
    proc.communicate(timeout=60)
    saved = {p.stem for p in (out / "points").glob("*.parquet")}
    assert 3 <= len(saved) < 12, "the sweep finished before it could be killed"

    from cordsim.sweeps.spec import load_spec

    spec = load_spec(spec_path)
    points = plan_points(spec)
    names = spec.parameter_names
    id_of = {_key(p.params, p.protocol, p.seed, names): p.point_id for p in points}
    first = [id_of[_key(e["params"], e["protocol"], e["seed"], names)]
             for e in _log_entries(tmp_path / "log1.jsonl")]  # fmt: skip
    assert saved <= set(first)

    log2 = tmp_path / "log2.jsonl"
    monkeypatch.setenv(TOY_LOG_ENV, str(log2))
    run_sweep(spec, out, n_jobs=1, progress=False)
    second = [id_of[_key(e["params"], e["protocol"], e["seed"], names)]
              for e in _log_entries(log2)]  # fmt: skip
    assert len(second) == len(set(second))  # nothing computed twice in the resume
    assert set(second) == {p.point_id for p in points} - saved  # finished points skipped

    monkeypatch.delenv(TOY_LOG_ENV)
    clean = run_sweep(spec, tmp_path / "clean", n_jobs=2, progress=False)
    pd.testing.assert_frame_equal(_table(out), _table(clean))
    pd.testing.assert_frame_equal(_all_spikes(out), _all_spikes(clean))
    assert not list(out.rglob(".tmp-*"))


def test_sigint_stops_cleanly(tmp_path):
    spec_path = tmp_path / "kill.toml"
    # 1-s points (6 s of work on 2 workers): the signal always lands mid-sweep
    spec_path.write_text(KILL_SPEC.replace("values = [0.25]", "values = [1.0]"))
    out = tmp_path / "out"
    proc = _start_cli(spec_path, out, tmp_path / "log.jsonl")
    _wait_for_points(out, 2, proc)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "resume" in err
    saved = {p.stem for p in (out / "points").glob("*.parquet")}
    table = pq.read_table(out / "metrics.parquet").to_pandas()
    assert set(table["point_id"]) == saved
    assert (table["status"] == "ok").all()  # Ctrl-C is not recorded as a failure
    runs = json.loads((out / "manifest.json").read_text())["runs"]
    assert runs[-1]["state"] == "interrupted"
