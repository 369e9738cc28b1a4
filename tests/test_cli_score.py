"""``cordsim score``: a CSV and an ABF written here, scored through main()."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from cordsim.analysis.trace_files import read_trace
from cordsim.analysis.vr_scoring import METRIC_NAMES, ScoringRules, score_response
from cordsim.cli import main

FS = 20_000.0
N = 2000
STIM = 20.0
T = np.arange(N) * 1000.0 / FS


def sweep(amp: float) -> np.ndarray:
    """Alternating +/-1 µV before the stimulus, then a +amp / -amp/2 biphasic wave (µV)."""
    y = np.where(T < STIM, np.where(np.arange(N) % 2 == 0, 1.0, -1.0), 0.0)
    pos = (T >= STIM + 5) & (T <= STIM + 9)
    neg = (T > STIM + 9) & (T <= STIM + 15)
    y[pos] += amp * np.sin(np.pi * (T[pos] - STIM - 5) / 4)
    y[neg] -= amp / 2 * np.sin(np.pi * (T[neg] - STIM - 9) / 6)
    return y


def write_csv(path, frames_uv):
    header = "t_ms," + ",".join(f"sweep{k}" for k in range(len(frames_uv)))
    rows = [",".join(f"{float(v)!r}" for v in [T[i], *frames_uv[:, i]]) for i in range(N)]
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def run(argv, capsys):
    rc = main(argv)
    return rc, capsys.readouterr()


def same(printed, expected):
    for key in METRIC_NAMES:
        if math.isnan(expected[key]):
            assert printed[key] is None, key
        else:
            assert printed[key] == pytest.approx(expected[key], rel=1e-9, abs=1e-9), key


def test_score_csv_json_and_table(tmp_path, capsys):
    frames = np.stack([sweep(100.0), sweep(50.0)])
    path = write_csv(tmp_path / "vr.csv", frames)
    rc, out = run(["score", str(path), "--stim-ms", str(STIM), "--json"], capsys)
    assert rc == 0, out.err
    rows = json.loads(out.out)
    assert [r["frame"] for r in rows] == [0, 1]
    for row, frame in zip(rows, frames, strict=True):
        same(row, score_response(frame, FS, STIM))
    assert rows[0]["vr_peak_amplitude_uv"] == pytest.approx(100.0)
    assert rows[1]["vr_peak_amplitude_uv"] == pytest.approx(50.0)

    rc, out = run(["score", str(path), "--stim-ms", "20"], capsys)
    assert rc == 0
    lines = out.out.splitlines()
    assert lines[0].split() == ["frame", *METRIC_NAMES]
    assert len(lines) == 3
    header = lines[0].split()
    first = dict(zip(header, lines[1].split(), strict=True))
    expected = score_response(frames[0], FS, STIM)
    assert float(first["vr_onset_latency_ms"]) == pytest.approx(
        expected["vr_onset_latency_ms"], rel=1e-5
    )
    assert float(first["vr_area_uv_ms"]) == pytest.approx(expected["vr_area_uv_ms"], rel=1e-5)


def test_score_flags_reach_the_rules(tmp_path, capsys):
    path = write_csv(tmp_path / "vr.csv", np.stack([sweep(100.0)]))
    argv = ["score", str(path), "--stim-ms", "20", "--json", "--falling-threshold", "--complex"]
    rc, out = run(argv, capsys)
    assert rc == 0, out.err
    rules = ScoringRules(falling_threshold=True, complex_mode=True)
    same(json.loads(out.out)[0], score_response(sweep(100.0), FS, STIM, rules))


def test_score_abf(tmp_path, capsys):
    pytest.importorskip("neo")
    abf_writer = pytest.importorskip("pyabf.abfWriter")
    path = tmp_path / "vr.abf"
    frames_uv = np.stack([sweep(100.0), sweep(30.0)])
    abf_writer.writeABF1(frames_uv / 1000.0, str(path), FS, units="mV")
    rc, out = run(["score", str(path), "--stim-ms", "20", "--json", "--channel", "0"], capsys)
    assert rc == 0, out.err
    rows = json.loads(out.out)
    stored = read_trace(path).frames_uv
    assert len(rows) == 2
    for row, frame in zip(rows, stored, strict=True):
        same(row, score_response(frame, FS, STIM))
    assert rows[0]["vr_peak_amplitude_uv"] == pytest.approx(100.0, abs=0.1)


def test_score_errors(tmp_path, capsys):
    path = write_csv(tmp_path / "vr.csv", np.stack([sweep(100.0)]))
    rc, out = run(["score", str(path), "--stim-ms", "90"], capsys)
    assert rc == 2 and "cordsim: error:" in out.err and "stim_ms=90" in out.err
    rc, out = run(["score", str(tmp_path / "nope.csv"), "--stim-ms", "20"], capsys)
    assert rc == 2 and "no such file" in out.err
    rc, out = run(["score", str(tmp_path / "vr.txt"), "--stim-ms", "20"], capsys)
    assert rc == 2 and "unknown trace format" in out.err
    flat = write_csv(tmp_path / "flat.csv", np.zeros((1, N)))
    rc, out = run(["score", str(flat), "--stim-ms", "20"], capsys)
    assert rc == 2 and "--min-sd-uv" in out.err
    rc, out = run(["score", str(flat), "--stim-ms", "20", "--min-sd-uv", "1", "--json"], capsys)
    assert rc == 0 and json.loads(out.out)[0]["vr_onset_latency_ms"] is None
