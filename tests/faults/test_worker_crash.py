"""Crash isolation: a point that kills its worker is recorded as failed and the sweep goes on.

The toy model's ``toy.crash`` parameter kills the process that runs the point
(SIGSEGV, SIGABRT as NEURON's ``std::bad_alloc``, or ``os._exit(3)``); a
worker killed by hand stands for the out-of-memory killer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from cordsim.cli import EXIT_FAILED_POINTS, EXIT_OK, main
from cordsim.sweeps.engine import run_sweep
from cordsim.sweeps.spec import SweepSpec, validate_spec

CRASH_SPEC = """\
[sweep]
name = "crash"
model = "toy"
protocols = ["rest"]
seeds = [1]
sampling = "grid"

[parameters."toy.rate_hz"]
values = [5.0, 10.0]

[parameters."toy.crash"]
values = ["none", "segfault", "abort", "exit"]
"""


def _crash_spec(**params) -> SweepSpec:
    parameters = {"toy.rate_hz": [5.0, 10.0], "toy.crash": ["none", "segfault", "abort", "exit"]}
    parameters.update(params)
    return validate_spec(
        SweepSpec(
            name="crash",
            model="toy",
            protocols=["rest"],
            seeds=[1],
            sampling="grid",
            parameters=parameters,
        )
    )


def _table(folder: Path):
    return pq.read_table(folder / "metrics.parquet").to_pandas()


def test_crashing_points_fail_with_their_cause_and_the_rest_finish(tmp_path, capsys):
    out = run_sweep(_crash_spec(), tmp_path / "out", n_jobs=2, progress=False, in_process=False)
    df = _table(out).set_index("toy.crash")
    assert len(df) == 8
    good = df.loc["none"]
    assert (good["status"] == "ok").all() and (good["rate_hz"] > 0).all()
    causes = {
        "segfault": "segmentation fault (SIGSEGV)",
        "abort": "aborted (SIGABRT",
        "exit": "exited with code 3",
    }
    for crash, cause in causes.items():
        rows = df.loc[crash]
        assert (rows["status"] == "failed").all()
        assert all(e.startswith("WorkerCrash: ") and cause in e for e in rows["error"]), rows
        assert all("crashed its worker twice" in e for e in rows["error"])
    err = capsys.readouterr().err
    assert "a worker died" in err and "6 of 8 point(s) failed" in err
    assert "--retry-failed" in err

    # the good points are those of a sweep without crashes
    clean = run_sweep(
        _crash_spec(**{"toy.crash": ["none"]}), tmp_path / "clean", n_jobs=1, progress=False
    )
    ok = _table(out)
    drop = ["wall_time_s", "point_id", "sample"]
    ok = ok[ok["status"] == "ok"].drop(columns=drop)
    ref = _table(clean).drop(columns=drop)
    assert ok.reset_index(drop=True).equals(ref.reset_index(drop=True))

    # a re-run does not run the crashing points again, and says so
    capsys.readouterr()
    run_sweep(_crash_spec(), out, n_jobs=2, progress=False, in_process=False)
    err = capsys.readouterr().err
    assert "6 point(s) stored as failed are skipped" in err
    assert "a worker died" not in err


def test_cli_exit_code_with_failed_points(tmp_path, capsys):
    spec = tmp_path / "crash.toml"
    spec.write_text(CRASH_SPEC)
    out = tmp_path / "out"
    rc = main(["sweep", str(spec), "--out", str(out), "-j", "1", "--no-progress"])
    assert rc == EXIT_FAILED_POINTS  # -j 1 still runs in a worker: the CLI survived
    err = capsys.readouterr().err
    assert "6 of 8 point(s) failed" in err
    assert main(["sweep", str(spec), "--out", str(out), "--allow-failed", "--no-progress"]) == 0
    assert EXIT_OK == 0


def _children(pid: int) -> list[int]:
    import psutil

    return [c.pid for c in psutil.Process(pid).children(recursive=True)]


def test_killing_a_worker_by_hand_loses_nothing(tmp_path):
    spec = tmp_path / "slow.toml"
    spec.write_text(
        CRASH_SPEC.replace(
            'values = ["none", "segfault", "abort", "exit"]', 'values = ["none"]'
        ).replace("values = [5.0, 10.0]", "values = [5.0, 10.0, 20.0, 40.0, 60.0, 80.0]")
        + '\n[parameters."toy.sleep_s"]\nvalues = [0.4]\n'
    )
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cordsim.cli", "sweep", str(spec), "--out", str(out),
         "-j", "2", "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        t0 = time.monotonic()
        while len(list((out / "points").glob("*.parquet"))) < 1:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() - t0 < 120
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert workers
        os.kill(workers[-1], signal.SIGKILL)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, err
    df = _table(out)
    assert len(df) == 6 and (df["status"] == "ok").all()
