"""Ventral root recording: kernel, conduction delays, size scaling, noise, file round trip."""

import time

import numpy as np
import pandas as pd
import pytest

from cordsim.analysis import ventral_root as vr
from cordsim.errors import ParameterError
from cordsim.models.result import ProtocolRecord, SimulationResult, default_population

#: Noise- and filter-free recording with the triphasic kernel (main peak at the
#: arrival time): the trace is exactly the sum of kernels.
CLEAN = vr.VentralRootParams(noise_rms_uv=0.0, lowpass_hz=0.0, kernel_shape="triphasic")


def _result(spikes=(), sizes=None, extensor_spikes=(), tstop=100.0, seed=5, n=3):
    """Flexor pool gids 0..n-1, extensor pool gids 10..10+n-1; spikes as (time, cell index)."""
    sizes = np.ones(n) if sizes is None else np.asarray(sizes, dtype=float)
    pops = {
        "mn_flexor": default_population("mn_flexor", np.arange(n), sizes),
        "mn_extensor": default_population("mn_extensor", 10 + np.arange(n), sizes),
        "ia_flexor": default_population("ia_flexor", [50, 51]),
    }
    rows = [(t, int(i), "mn_flexor") for t, i in spikes]
    rows += [(t, 10 + int(i), "mn_extensor") for t, i in extensor_spikes]
    rows += [(20.0, 50, "ia_flexor")]  # afferent spikes never reach a ventral root
    frame = pd.DataFrame(rows, columns=["time_ms", "gid", "population"]).sort_values("time_ms")
    proto = ProtocolRecord("reflex_test", tstop, (0.0, tstop))
    return SimulationResult(frame.reset_index(drop=True), pops, tstop, proto, seed)


def test_kernels():
    p = vr.VentralRootParams(fs_hz=100000.0, kernel_width_ms=0.25, kernel_shape="triphasic")
    t, k = vr.single_fibre_kernel(p)
    assert t.size % 2 == 1 and t[t.size // 2] == 0.0
    assert k.max() == pytest.approx(1.0) and t[np.argmax(k)] == 0.0  # main phase at arrival
    np.testing.assert_allclose(k, k[::-1], atol=1e-12)  # triphasic: symmetric
    # zero crossings at +/- sigma, side troughs -2 exp(-3/2) at +/- sqrt(3) sigma
    assert np.interp(0.25, t, k) == pytest.approx(0.0, abs=1e-9)
    side = t > 0
    assert k[side].min() == pytest.approx(-2 * np.exp(-1.5), rel=1e-3)
    assert t[side][np.argmin(k[side])] == pytest.approx(np.sqrt(3) * 0.25, abs=0.01)
    assert t[-1] == pytest.approx(4 * 0.25, abs=1e-9)
    _, flipped = vr.single_fibre_kernel(p.replace(polarity=-1))
    np.testing.assert_array_equal(flipped, -k)
    # the default: monophasic (the cut end of the root), a Gaussian of peak 1 at arrival
    assert vr.VentralRootParams().kernel_shape == "monophasic"
    tm, km = vr.single_fibre_kernel(p.replace(kernel_shape="monophasic"))
    assert km.min() > 0 and km.max() == pytest.approx(1.0) and tm[np.argmax(km)] == 0.0
    assert np.interp(0.25, tm, km) == pytest.approx(np.exp(-0.5), rel=1e-6)  # sigma 0.25 ms
    # biphasic: positive phase first, peaks at -/+ sigma / sqrt(2)
    tb, kb = vr.single_fibre_kernel(p.replace(kernel_shape="biphasic"))
    np.testing.assert_allclose(kb, -kb[::-1], atol=1e-12)  # biphasic: odd
    assert tb[np.argmax(kb)] == pytest.approx(-0.25 / np.sqrt(2), abs=0.01)
    assert tb[np.argmin(kb)] == pytest.approx(0.25 / np.sqrt(2), abs=0.01)
    assert kb.max() == pytest.approx(1.0, abs=1e-3)


def test_one_spike_is_the_kernel_at_spike_time_plus_conduction_delay():
    p = CLEAN.replace(distance_mm=6.0, cv_mean_m_s=4.0, unit_amplitude_uv=25.0)
    frame = vr.ventral_root_trace(_result([(40.0, 1)]), p)
    assert list(frame.columns) == ["t_ms", "vr_flexor_uv", "vr_extensor_uv"]
    t, x = frame["t_ms"].to_numpy(), frame["vr_flexor_uv"].to_numpy()
    assert t[0] == 0.0 and t[-1] == pytest.approx(100.0) and t.size == 1001
    delay = 6.0 / 4.0  # mm / (m/s) = ms; equal sizes: every axon at the mean velocity
    assert t[np.argmax(x)] == pytest.approx(40.0 + delay, abs=0.05)
    assert x.max() == pytest.approx(25.0, rel=1e-9)
    _, k = vr.single_fibre_kernel(p)
    centre, half = int(round((40.0 + delay) / 0.1)), k.size // 2
    np.testing.assert_allclose(x[centre - half : centre + half + 1], 25.0 * k, atol=1e-12)
    assert np.count_nonzero(x) == np.count_nonzero(k)
    assert np.all(frame["vr_extensor_uv"] == 0.0)  # the other root stayed silent


def test_larger_units_are_earlier_and_bigger():
    sizes = [1.0, 2.0, 4.0]
    p = CLEAN.replace(distance_mm=8.0, cv_mean_m_s=4.0)
    v = vr.conduction_velocities_m_s(np.asarray(sizes), p)
    assert v.mean() == pytest.approx(4.0) and np.all(np.diff(v) > 0)
    assert v[2] / v[0] == pytest.approx(2.0)  # CV ~ sqrt(size): sqrt(4 / 1)
    peaks, times = [], []
    for cell in range(3):
        frame = vr.ventral_root_trace(_result([(30.0, cell)], sizes=sizes), p)
        x = frame["vr_flexor_uv"].to_numpy()
        peaks.append(x.max())
        times.append(frame["t_ms"].to_numpy()[np.argmax(x)])
    assert times[0] > times[1] > times[2]
    np.testing.assert_allclose(times, 30.0 + 8.0 / v, atol=0.05)
    np.testing.assert_allclose(peaks, 10.0 * np.asarray(sizes), rtol=1e-9)
    # exponent 0: one velocity and one amplitude for the whole pool
    flat = p.replace(cv_size_exponent=0.0, amplitude_size_exponent=0.0)
    np.testing.assert_allclose(vr.conduction_velocities_m_s(np.asarray(sizes), flat), 4.0)


def test_no_spikes_no_signal():
    frame = vr.ventral_root_trace(_result(), CLEAN)
    assert np.all(frame[["vr_flexor_uv", "vr_extensor_uv"]].to_numpy() == 0.0)
    # the band-pass on: still zero
    banded = CLEAN.replace(highpass_hz=1.0, lowpass_hz=3000.0)
    frame = vr.ventral_root_trace(_result(), banded)
    assert np.all(frame[["vr_flexor_uv", "vr_extensor_uv"]].to_numpy() == 0.0)


def test_signal_is_linear_in_spikes_and_roots_are_separate():
    a = vr.ventral_root_trace(_result([(20.0, 0)]), CLEAN)["vr_flexor_uv"]
    b = vr.ventral_root_trace(_result([(21.0, 2)]), CLEAN)["vr_flexor_uv"]
    both = vr.ventral_root_trace(_result([(20.0, 0), (21.0, 2)], extensor_spikes=[(5.0, 0)]), CLEAN)
    np.testing.assert_allclose(both["vr_flexor_uv"], a + b, atol=1e-12)
    assert both["vr_extensor_uv"].abs().max() > 0


def test_noise_has_the_requested_rms_and_is_reproducible():
    p = vr.VentralRootParams(noise_rms_uv=7.5)
    res = _result(tstop=2000.0, seed=11)
    frame = vr.ventral_root_trace(res, p)
    flex, ext = frame["vr_flexor_uv"].to_numpy(), frame["vr_extensor_uv"].to_numpy()
    assert np.sqrt(np.mean(flex**2)) == pytest.approx(7.5, rel=1e-9)
    assert np.sqrt(np.mean(ext**2)) == pytest.approx(7.5, rel=1e-9)
    assert abs(flex.mean()) < 0.5
    assert abs(np.corrcoef(flex, ext)[0, 1]) < 0.05  # independent roots
    # band-limited by the 3 kHz low-pass: neighbouring samples correlate
    assert np.corrcoef(flex[:-1], flex[1:])[0, 1] > 0.2
    # same result, same trace; another seed, another trace
    again = vr.ventral_root_trace(res, p)
    pd.testing.assert_frame_equal(frame, again)
    other = vr.ventral_root_trace(res, p, seed=12)
    assert not np.allclose(other["vr_flexor_uv"], flex)
    np.testing.assert_array_equal(
        vr.ventral_root_trace(_result(tstop=2000.0, seed=12), p)["vr_flexor_uv"],
        other["vr_flexor_uv"],
    )
    # the white (unfiltered) noise also has the requested RMS
    white = vr.ventral_root_trace(res, p.replace(lowpass_hz=0.0))["vr_flexor_uv"].to_numpy()
    assert np.sqrt(np.mean(white**2)) == pytest.approx(7.5, rel=1e-9)
    assert abs(np.corrcoef(white[:-1], white[1:])[0, 1]) < 0.05


def test_signal_survives_the_default_filter_and_noise():
    # a 20-unit synchronous volley with the defaults (monophasic, 3 kHz low-pass, 5 uV
    # noise): 20 x 10 uV peaks stand far above the noise, at the arrival time
    spikes = [(50.0, i) for i in range(20)]
    frame = vr.ventral_root_trace(_result(spikes, n=20), vr.VentralRootParams())
    x, t = frame["vr_flexor_uv"].to_numpy(), frame["t_ms"].to_numpy()
    arrival = 50.0 + 5.0 / 5.0  # 5 mm at 5 m/s
    assert t[np.argmax(x)] == pytest.approx(arrival, abs=0.15)
    assert x.max() == pytest.approx(200.0, rel=0.15)
    assert x.min() > -30.0  # one phase: only noise below zero
    # the biphasic shape: positive then negative phase around the arrival
    frame = vr.ventral_root_trace(
        _result(spikes, n=20), vr.VentralRootParams(kernel_shape="biphasic", kernel_width_ms=0.25)
    )
    x = frame["vr_flexor_uv"].to_numpy()
    assert t[np.argmax(x)] == pytest.approx(arrival - 0.25 / np.sqrt(2), abs=0.15)
    assert t[np.argmin(x)] == pytest.approx(arrival + 0.25 / np.sqrt(2), abs=0.15)
    assert x.max() == pytest.approx(200.0, rel=0.15)
    assert x.min() == pytest.approx(-200.0, rel=0.15)


def test_muscle_selection_and_errors():
    res = _result([(10.0, 0)])
    assert list(vr.ventral_root_trace(res, CLEAN, muscle="flexor").columns) == [
        "t_ms",
        "vr_flexor_uv",
    ]
    assert list(vr.ventral_root_trace(res, CLEAN, muscle="mn_extensor").columns) == [
        "t_ms",
        "vr_extensor_uv",
    ]
    with pytest.raises(ParameterError, match="flexor"):
        vr.ventral_root_trace(res, CLEAN, muscle="flexr")
    no_pool = SimulationResult(
        res.spikes.iloc[:0], {"ia_flexor": res.populations["ia_flexor"]}, 10.0, res.protocol, 1
    )
    with pytest.raises(ParameterError, match="no motor pool"):
        vr.ventral_root_trace(no_pool)


def test_params_are_validated():
    with pytest.raises(ParameterError, match="polarity"):
        vr.VentralRootParams(polarity=0)
    with pytest.raises(ParameterError, match="kernel_shape"):
        vr.VentralRootParams(kernel_shape="tetraphasic")
    with pytest.raises(ParameterError, match="lowpass_hz"):
        vr.VentralRootParams(fs_hz=5000.0, lowpass_hz=3000.0)
    with pytest.raises(ParameterError, match="highpass_hz"):
        vr.VentralRootParams(highpass_hz=4000.0, lowpass_hz=3000.0)
    with pytest.raises(ParameterError, match="distance_mm"):
        vr.VentralRootParams(distance_mm=-1.0)
    assert vr.VentralRootParams(distance_mm="0.8 mm").distance_mm == pytest.approx(0.8)
    for name, info in vr.VentralRootParams.field_info().items():
        assert info["source"] and info["unit"], name


def test_file_round_trip(tmp_path):
    frame = vr.ventral_root_trace(_result([(10.0, 0), (30.0, 2)], tstop=200.0))
    path = vr.write_ventral_root(tmp_path, frame)
    assert path == tmp_path / vr.VENTRAL_ROOT_FILE and path.is_file()
    assert [p.name for p in tmp_path.iterdir()] == [vr.VENTRAL_ROOT_FILE]  # no temporary left
    back = vr.read_ventral_root(tmp_path)
    assert list(back.columns) == list(frame.columns)
    np.testing.assert_array_equal(back["t_ms"], frame["t_ms"])
    assert back["vr_flexor_uv"].dtype == np.float32
    for col in ("vr_flexor_uv", "vr_extensor_uv"):
        np.testing.assert_allclose(back[col], frame[col], rtol=1e-6, atol=1e-5)
    assert back.attrs["ventral_root"]["seed"] == 5
    assert back.attrs["ventral_root"]["params"] == vr.VentralRootParams().to_dict()
    assert vr.read_ventral_root(path)["t_ms"].size == frame["t_ms"].size  # the file itself


def test_damaged_or_missing_file_gives_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="ventral_root.parquet"):
        vr.read_ventral_root(tmp_path)
    path = tmp_path / vr.VENTRAL_ROOT_FILE
    path.write_bytes(b"PAR1 this is not a parquet file")
    with pytest.raises(vr.VentralRootFileError, match=r"ventral_root\.parquet: damaged"):
        vr.read_ventral_root(tmp_path)
    # a truncated real file
    frame = vr.ventral_root_trace(_result([(10.0, 0)]))
    vr.write_ventral_root(tmp_path, frame)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(vr.VentralRootFileError, match="damaged"):
        vr.read_ventral_root(tmp_path)
    # a Parquet file that is not a trace
    pd.DataFrame({"x": [1.0]}).to_parquet(path)
    with pytest.raises(vr.VentralRootFileError, match="not a ventral root trace"):
        vr.read_ventral_root(tmp_path)
    with pytest.raises(ParameterError, match="not a ventral-root frame"):
        vr.write_ventral_root(tmp_path, pd.DataFrame({"x": [1.0]}))


def test_long_run_is_fast():
    # 20 s at 10 kHz, 100 units x 40 spikes each
    rng = np.random.default_rng(0)
    n = 50
    spikes = [(t, i) for i in range(n) for t in rng.uniform(0, 20000, 40)]
    res = _result(spikes, sizes=np.linspace(1, 3, n), extensor_spikes=spikes, tstop=20000.0, n=n)
    start = time.perf_counter()
    frame = vr.ventral_root_trace(res)
    assert time.perf_counter() - start < 2.0
    assert frame.shape == (200001, 3)
