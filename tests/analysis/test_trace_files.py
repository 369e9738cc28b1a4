"""read_trace: CSV, NPY and ABF (written here with pyabf, read back through neo)."""

from __future__ import annotations

import numpy as np
import pytest

from cordsim.analysis.trace_files import Recording, read_trace
from cordsim.errors import ParameterError

FS = 10_000.0


def frames(n_frames=3, n=500):
    t = np.arange(n) / FS * 1000.0
    return np.array([(k + 1) * 40.0 * np.sin(t / (2 + k)) for k in range(n_frames)])


def write_csv(path, data, names, time_name="t_ms", t0=0.0, step=1000.0 / FS):
    t = t0 + np.arange(data.shape[1]) * step
    lines = [",".join([time_name, *names])]
    lines += [",".join(f"{float(v)!r}" for v in [t[i], *data[:, i]]) for i in range(data.shape[1])]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_csv_round_trip_with_units(tmp_path):
    data = frames()
    path = write_csv(
        tmp_path / "a.csv",
        np.stack([data[0], data[1] / 1e3, data[2] / 1e6]),
        ["sweep1", "sweep2_mv", "sweep3_V"],
        t0=5.0,
    )
    rec = read_trace(path)
    assert isinstance(rec, Recording) and rec.n_frames == 3
    assert rec.fs_hz == pytest.approx(FS, rel=1e-9)
    assert rec.t0_ms == 5.0 and rec.source == path
    np.testing.assert_allclose(rec.frames_uv, data, rtol=1e-12, atol=1e-9)
    assert rec.duration_ms == pytest.approx(50.0)
    one = read_trace(path, channel="sweep2_mv", fs_hz=FS)
    assert one.n_frames == 1 and one.channel == "sweep2_mv"
    np.testing.assert_allclose(one.frames_uv[0], data[1], rtol=1e-12)
    np.testing.assert_allclose(read_trace(path, channel=2).frames_uv[0], data[2], rtol=1e-12)
    seconds = write_csv(tmp_path / "s.csv", data[:1], ["x_uv"], time_name="Time_s", step=1e-4)
    assert read_trace(seconds).fs_hz == pytest.approx(FS)


def test_csv_errors(tmp_path):
    data = frames(1)
    with pytest.raises(ParameterError, match="no time column"):
        read_trace(write_csv(tmp_path / "a.csv", data, ["v"], time_name="when"))
    uneven = tmp_path / "u.csv"
    uneven.write_text("t_ms,v\n0,1\n0.1,2\n0.3,3\n0.4,4\n")
    with pytest.raises(ParameterError, match="not evenly spaced"):
        read_trace(uneven)
    good = write_csv(tmp_path / "g.csv", data, ["v"])
    with pytest.raises(ParameterError, match="sampled at 10000 Hz but fs_hz=20000"):
        read_trace(good, fs_hz=20_000.0)
    with pytest.raises(ParameterError, match="no column 'w'"):
        read_trace(good, channel="w")


def test_npy_round_trip(tmp_path):
    data = frames()
    np.save(tmp_path / "a.npy", data)
    rec = read_trace(tmp_path / "a.npy", fs_hz=FS)
    np.testing.assert_array_equal(rec.frames_uv, data)
    assert rec.fs_hz == FS
    np.save(tmp_path / "b.npy", data[0])
    assert read_trace(tmp_path / "b.npy", fs_hz=FS).frames_uv.shape == (1, 500)
    with pytest.raises(ParameterError, match="give fs_hz"):
        read_trace(tmp_path / "a.npy")
    np.save(tmp_path / "c.npy", np.zeros((2, 3, 4)))
    with pytest.raises(ParameterError, match="1-D or 2-D"):
        read_trace(tmp_path / "c.npy", fs_hz=FS)


def test_generic_errors(tmp_path):
    with pytest.raises(ParameterError, match="unknown trace format '.txt'"):
        read_trace(tmp_path / "a.txt")
    with pytest.raises(ParameterError, match="no such file"):
        read_trace(tmp_path / "missing.csv")
    with pytest.raises(ParameterError, match="no such file"):
        read_trace(tmp_path / "missing.abf")
    with pytest.raises(ParameterError, match="fs_hz"):
        read_trace(tmp_path / "a.npy", fs_hz=-1)


def test_neo_missing_is_a_parameter_error(tmp_path, monkeypatch):
    import builtins

    path = tmp_path / "a.abf"
    path.write_bytes(b"\0" * 16)
    real_import = builtins.__import__

    def no_neo(name, *args, **kwargs):
        if name == "neo" or name.startswith("neo."):
            raise ImportError("No module named 'neo'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_neo)
    with pytest.raises(ParameterError, match="needs the 'neo' package"):
        read_trace(path)


def write_abf(path, data_mv):
    """An ABF1 file of these sweeps (neo needs >= ~512 samples a sweep to read pyabf's)."""
    pytest.importorskip("neo")
    abf_writer = pytest.importorskip("pyabf.abfWriter")
    abf_writer.writeABF1(np.asarray(data_mv, dtype=float), str(path), FS, units="mV")
    return path


def test_abf_round_trip_through_neo(tmp_path):
    pyabf = pytest.importorskip("pyabf")
    data_uv = frames(n=2000)
    path = write_abf(tmp_path / "a.abf", data_uv / 1000.0)
    rec = read_trace(path)
    assert rec.n_frames == 3 and rec.frames_uv.shape == (3, 2000)
    assert rec.fs_hz == pytest.approx(FS)
    abf = pyabf.ABF(str(path))  # pyabf's own reading (float32) of the same samples
    stored = []
    for k in range(abf.sweepCount):
        abf.setSweep(k)
        stored.append(abf.sweepY * 1000.0)
    stored = np.array(stored)
    np.testing.assert_allclose(rec.frames_uv, stored, rtol=1e-5, atol=1e-3)
    # the ABF holds 16-bit integers: the original to one quantisation step
    levels = np.unique(stored)
    step_uv = float(np.diff(levels).min())
    assert 0 < step_uv < 0.1
    np.testing.assert_allclose(rec.frames_uv, data_uv, rtol=0, atol=1.01 * step_uv)
    assert read_trace(path, channel=0).channel == rec.channel
    assert read_trace(path, channel=rec.channel).n_frames == 3
    with pytest.raises(ParameterError, match="no channel 'EMG'"):
        read_trace(path, channel="EMG")
    with pytest.raises(ParameterError, match="fs_hz=20000"):
        read_trace(path, fs_hz=20_000.0)


def test_abf_not_a_voltage(tmp_path):
    pytest.importorskip("neo")
    abf_writer = pytest.importorskip("pyabf.abfWriter")
    abf = tmp_path / "pa.abf"
    abf_writer.writeABF1(frames(1, n=2000), str(abf), FS, units="pA")
    with pytest.raises(ParameterError, match="not a voltage"):
        read_trace(abf)


def test_corrupt_abf(tmp_path):
    pytest.importorskip("neo")
    path = tmp_path / "bad.abf"
    path.write_bytes(b"not an abf file at all" * 10)
    with pytest.raises(ParameterError, match="cannot read"):
        read_trace(path)
