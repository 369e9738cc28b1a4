"""``cordsim export``: a run folder to NWB from the command line, and its errors.

NEURON-free: the run folder holds a synthetic result (the round trip of real
runs and sweep points is tests/analysis/test_nwb_export.py); every error
exits with status 2 and one line naming the problem.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pynwb")

from cordsim.cli import build_parser, main  # noqa: E402
from cordsim.models.result import ProtocolRecord, SimulationResult, default_population  # noqa: E402
from cordsim.models.result_folder import write_result  # noqa: E402

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def run_folder(tmp_path):
    populations = {
        "mn_flexor": default_population("mn_flexor", [0, 1], mu_sizes=[1.0, 1.8]),
        "ia_flexor": default_population("ia_flexor", [1_000_000, 1_000_001]),
    }
    spikes = pd.DataFrame(
        {
            "time_ms": [20.0, 30.0, 30.0, 45.5],
            "gid": np.array([1_000_000, 0, 1_000_001, 0], dtype=np.int64),
            "population": ["ia_flexor", "mn_flexor", "ia_flexor", "mn_flexor"],
        }
    )
    proto = ProtocolRecord(
        name="reflex",
        tstop_ms=100.0,
        analysis_window_ms=(20.0, 100.0),
        measures=("reflex",),
        agonist="flexor",
        stim_times_ms=(20.0, 30.0),
        response_window_ms=(1.0, 6.0),
    )
    result = SimulationResult(spikes, populations, 100.0, proto, 4)
    return write_result(result, tmp_path / "run", {"mn_rate_hz_flexor": 5.0})


def _run(args, capsys):
    rc = main([str(a) for a in args])
    return rc, capsys.readouterr()


def test_export_a_run_folder(run_folder, tmp_path, capsys):
    from cordsim.analysis.nwb_export import read_nwb_spikes

    out = tmp_path / "out" / "run.nwb"
    rc, printed = _run(["export", run_folder, "--nwb", out], capsys)
    assert rc == 0, printed.err
    assert printed.out.strip() == f"NWB file: {out}"
    got = read_nwb_spikes(out)
    assert got["gid"].tolist() == [1_000_000, 0, 1_000_001, 0]  # by (time, gid)
    np.testing.assert_allclose(got["time_ms"], [20.0, 30.0, 30.0, 45.5])
    # a second export needs --overwrite
    rc, printed = _run(["export", run_folder, "--nwb", out], capsys)
    assert rc == 2 and "exists already" in printed.err and "--overwrite" in printed.err
    rc, printed = _run(["export", run_folder, "--nwb", out, "--overwrite"], capsys)
    assert rc == 0, printed.err


@pytest.mark.parametrize(
    "make, extra, message",
    [
        (lambda p: p / "missing", [], "does not exist"),
        (lambda p: p, [], "is neither a cordsim run folder"),
        ("run", ["--point", "abcd"], "--point is for sweeps"),
        ("run", ["--nwb-name-ignored"], None),
    ],
)
def test_errors_exit_2(make, extra, message, run_folder, tmp_path, capsys):
    folder = run_folder if make == "run" else make(tmp_path / "empty")
    (tmp_path / "empty").mkdir(exist_ok=True)
    if message is None:  # an unknown option is argparse's (exit 2 too)
        with pytest.raises(SystemExit) as exit_:
            main(["export", str(folder), "--nwb", str(tmp_path / "x.nwb"), *extra])
        assert exit_.value.code == 2
        return
    rc, printed = _run(["export", folder, "--nwb", tmp_path / "x.nwb", *extra], capsys)
    assert rc == 2 and printed.err.startswith("cordsim: error: ") and message in printed.err
    assert printed.err.count("\n") == 1 and not (tmp_path / "x.nwb").exists()


def test_wrong_suffix_and_missing_pynwb(run_folder, tmp_path, capsys, monkeypatch):
    rc, printed = _run(["export", run_folder, "--nwb", tmp_path / "x.h5"], capsys)
    assert rc == 2 and "named *.nwb" in printed.err
    monkeypatch.setitem(sys.modules, "pynwb", None)  # as if not installed
    rc, printed = _run(["export", run_folder, "--nwb", tmp_path / "x.nwb"], capsys)
    assert rc == 2 and "pip install 'cordsim[nwb]'" in printed.err


def test_sweep_points_by_id(tmp_path, capsys):
    """A sweep folder: an unknown point is named, with where to find the ids."""
    from cordsim.sweeps.engine import run_sweep
    from cordsim.sweeps.spec import SweepSpec, validate_spec

    spec = validate_spec(
        SweepSpec(
            name="toy",
            model="toy",
            protocols=["rest"],
            seeds=[1, 2],
            parameters={"toy.rate_hz": [10.0], "toy.n_cells": [3]},
        )
    )
    folder = run_sweep(spec, tmp_path / "toy", n_jobs=1, progress=False, in_process=True)
    out = tmp_path / "x.nwb"
    rc, printed = _run(["export", folder, "--nwb", out, "--point", "0123abc"], capsys)
    assert rc == 2 and "no point '0123abc'" in printed.err and "point_id" in printed.err
    rc, printed = _run(["export", folder, "--nwb", out], capsys)
    assert rc == 2 and "choose one with --point ID" in printed.err
    from cordsim.sweeps.results import load_sweep

    pid = load_sweep(folder)["point_id"].iloc[0]
    rc, printed = _run(["export", folder, "--nwb", out, "--point", pid[:5]], capsys)
    assert rc == 2 and "needs the circuit model" in printed.err


def test_help_has_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = capsys.readouterr().out
    assert "examples:" in text and "cordsim export out/reflex --nwb out/reflex.nwb" in text
    for line in text.splitlines():  # every example parses
        if line.strip().startswith("cordsim "):
            build_parser().parse_args(shlex.split(line.strip(), comments=True)[1:])


def test_readme_example_parses():
    """The README's "Exporting to NWB" commands are valid command lines."""
    text = README.read_text()
    section = text[text.index("### Exporting to NWB") :]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    lines = [ln.split("#")[0].strip() for ln in block.splitlines()]
    commands = [shlex.split(ln)[1:] for ln in lines if ln.startswith("cordsim ")]
    assert any(c[0] == "export" for c in commands) and any(c[0] == "run" for c in commands)
    for argv in commands:
        build_parser().parse_args(argv)
