"""One network over two MPI ranks: cross-rank spikes arrive, spikes equal the serial run.

Each check launches ``mpiexec -n 2 python tests/models/mpi_script.py MODE`` (or
``cordsim run``) in a subprocess; skipped when ``mpiexec`` is not installed
(CI installs Debian's openmpi-bin, see .ci/run).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cordsim.models.result_folder import load_result

SCRIPT = Path(__file__).with_name("mpi_script.py")
MPIEXEC = shutil.which("mpiexec")
pytestmark = pytest.mark.skipif(
    MPIEXEC is None, reason="mpiexec not found (install openmpi-bin to test MPI runs)"
)


def _mpi_env() -> dict[str, str]:
    # CI runs as root; Open MPI refuses root without these
    return os.environ | {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}


def _launch(n: int, *cmd: str, timeout: float = 300) -> str:
    full = [MPIEXEC, "--oversubscribe", "-n", str(n), *cmd] if n > 1 else list(cmd)
    proc = subprocess.run(
        full, capture_output=True, text=True, env=_mpi_env(), timeout=timeout, check=False
    )
    assert proc.returncode == 0, f"{full} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _script(n: int, mode: str) -> dict:
    out = _launch(n, sys.executable, str(SCRIPT), mode)
    return json.loads(out.strip().splitlines()[-1])


def test_cross_rank_spikes_are_all_delivered():
    got = _script(2, "twocell")
    assert got["nhost"] == 2
    assert got["received"] == got["sent"]  # set_maxstep before finitialize (issue 14)


@pytest.mark.slow
def test_circuit_spikes_identical_on_one_and_two_ranks():
    serial, parallel = _script(1, "circuit"), _script(2, "circuit")
    assert parallel["nhost"] == 2
    for protocol in ("rest", "reflex"):
        assert serial[protocol + "_n"] > 0
        assert parallel[protocol] == serial[protocol], protocol
    traces = [k for k in serial if "_trace_" in k]
    assert len(traces) == 3  # t_ms and two cells, one per rank
    assert {k: parallel.get(k) for k in traces} == {k: serial[k] for k in traces}


@pytest.mark.slow
def test_cordsim_run_on_two_ranks_writes_one_serial_result(tmp_path):
    cordsim = [sys.executable, "-m", "cordsim.cli"]
    args = ["run", "--seed", "2", "--no-progress", "--protocol-param", "tstop_ms=150",
            "--protocol-param", "settle_ms=50"]  # fmt: skip
    _launch(1, *cordsim, *args, "--out", str(tmp_path / "serial"))
    stdout = _launch(2, *cordsim, *args, "--out", str(tmp_path / "mpi"))
    assert stdout.count("result:") == 1  # only rank 0 prints
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mpi", "serial"]
    serial, parallel = load_result(tmp_path / "serial"), load_result(tmp_path / "mpi")
    assert len(serial.spikes) > 0
    assert parallel.spike_hash() == serial.spike_hash()


@pytest.mark.parametrize(("mode", "where"), [("fail_build", "building"), ("fail_run", "running")])
def test_one_failing_rank_stops_every_rank(mode, where):
    """A rank that raises alone (the others wait for it in a collective) ends the job.

    mpiexec (Open MPI) aborts every rank once one exits with a non-zero status;
    the job must end with that rank's error, well within the timeout, not hang.
    """
    full = [MPIEXEC, "--oversubscribe", "-n", "2", sys.executable, str(SCRIPT), mode]
    proc = subprocess.run(
        full, capture_output=True, text=True, env=_mpi_env(), timeout=120, check=False
    )
    assert proc.returncode != 0
    assert f"deliberate failure while {where} on the last rank" in proc.stdout + proc.stderr
