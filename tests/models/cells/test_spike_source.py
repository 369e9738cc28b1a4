"""Rate waveforms held in the spike source mechanism: rates, silent stretches, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from neuron import h
from scipy import stats

from cordsim.errors import ParameterError
from cordsim.models.cells.spike_source import SpikeSource
from cordsim.models.solver import run_neuron

pytestmark = pytest.mark.usefixtures("mechanisms")

N_SOURCES = 200
BIN_MS = 50.0


def _run(sources, tstop_ms: float) -> np.ndarray:
    """All spike times (ms) of ``sources`` over a run of ``tstop_ms``."""
    vectors, keep = [], []
    for source in sources:
        times = h.Vector()
        nc = source.netcon()
        nc.record(times)
        vectors.append(times)
        keep.append(nc)
    run_neuron(tstop_ms, celsius=37.0, v_init_mv=-70.0)
    return np.concatenate([np.array(v.to_python(), dtype=float) for v in vectors])


def _expected_counts(source: SpikeSource, tstop_ms: float) -> np.ndarray:
    """Expected spikes per bin of N_SOURCES sources: the rate integrated over each bin."""
    edges = np.arange(0.0, tstop_ms + BIN_MS, BIN_MS)
    fine = np.linspace(0.0, tstop_ms, int(tstop_ms * 10) + 1)
    rate = np.array([source.rate_at(t) for t in fine])
    cumulative = np.concatenate([[0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1]) * 0.1)])
    per_bin = np.diff(np.interp(edges, fine, cumulative)) / 1000.0
    return N_SOURCES * per_bin


def _assert_poisson_counts(spikes: np.ndarray, expected: np.ndarray, tstop_ms: float) -> None:
    edges = np.arange(0.0, tstop_ms + BIN_MS, BIN_MS)
    observed, _ = np.histogram(spikes, edges)
    silent = expected == 0
    assert not observed[silent].any(), "spikes where the rate is zero"
    chi2 = float(np.sum((observed[~silent] - expected[~silent]) ** 2 / expected[~silent]))
    # a test that can fail: the counts of 200 sources follow the waveform bin by bin
    assert stats.chi2.sf(chi2, int((~silent).sum())) > 1e-4, (observed, expected.round(1))


def test_trapezoid_rate_is_followed_and_silent_outside():
    sources = [SpikeSource(3, "t:trapezoid", i) for i in range(N_SOURCES)]
    for s in sources:
        s.set_trapezoid(0.0, 80.0, start_ms=200.0, rise_ms=200.0, hold_ms=100.0, fall_ms=200.0)
    assert sources[0].rate_at(100.0) == 0.0
    assert sources[0].rate_at(300.0) == pytest.approx(40.0)
    assert sources[0].rate_at(450.0) == pytest.approx(80.0)
    assert sources[0].rate_at(600.0) == pytest.approx(40.0)
    assert sources[0].rate_at(800.0) == 0.0
    spikes = _run(sources, 1000.0)
    assert spikes.min() >= 200.0 and spikes.max() <= 700.0
    _assert_poisson_counts(spikes, _expected_counts(sources[0], 1000.0), 1000.0)
    # candidates only while the rate can be > 0: 80 Hz x 0.5 s per source
    candidates = sum(s.n_candidates for s in sources)
    expected = N_SOURCES * 80.0 * 0.5
    assert abs(candidates - expected) < 5 * math.sqrt(expected)


def test_rectified_sine_bursts_in_antiphase_on_a_base_rate():
    sources = [SpikeSource(4, "t:sine", i) for i in range(N_SOURCES)]
    for s in sources:
        s.set_rectified_sine(10.0, 110.0, start_ms=100.0, period_ms=200.0, n_cycles=2, phase=0.5)
    src = sources[0]
    assert src.rate_at(50.0) == pytest.approx(10.0)
    assert src.rate_at(150.0) == pytest.approx(10.0)  # first half period: the antagonist's
    assert src.rate_at(250.0) == pytest.approx(110.0)  # peak of the delayed burst
    assert src.rate_at(600.0) == pytest.approx(10.0)
    spikes = _run(sources, 700.0)
    _assert_poisson_counts(spikes, _expected_counts(src, 700.0), 700.0)


def test_silent_sources_draw_no_candidates():
    silent = SpikeSource(5, "t:silent", 0, rate_hz=0.0, rate_max_hz=3000.0)
    bursts = SpikeSource(5, "t:bursts", 0)
    bursts.set_rectified_sine(0.0, 1000.0, start_ms=0.0, period_ms=100.0, n_cycles=2)
    constant = SpikeSource(5, "t:constant", 0, rate_hz=500.0)
    spikes = _run([silent], 400.0)
    assert len(spikes) == 0 and silent.n_candidates == 0
    # bursts: candidates only in the positive half-cycles (2 x 50 ms at 1 kHz)
    assert abs(bursts.n_candidates - 100) < 5 * math.sqrt(100)
    assert abs(constant.n_candidates - 200) < 5 * math.sqrt(200)


def test_constant_sources_keep_their_spikes():
    # the constant-rate path draws exactly as before waveforms existed: the
    # same source with and without a (zero-amplitude) waveform fires the same
    plain = SpikeSource(6, "t:same", 0, rate_hz=40.0)
    first = _run([plain], 1000.0)
    waved = SpikeSource(6, "t:same", 0, rate_hz=40.0)
    waved.set_trapezoid(40.0, 40.0, start_ms=0.0, rise_ms=0.0, hold_ms=0.0, fall_ms=0.0)
    assert np.array_equal(_run([waved], 1000.0), first)


@pytest.mark.parametrize(
    ("method", "kwargs", "match"),
    [
        ("set_trapezoid", {"peak_hz": -1.0}, "peak_hz must be finite and >= 0 Hz"),
        ("set_trapezoid", {"rise_ms": "soon"}, "rise_ms must be a number in ms"),
        ("set_trapezoid", {"start_ms": float("inf")}, "start_ms"),
        ("set_rectified_sine", {"period_ms": 0.0}, "period_ms must be > 0"),
        ("set_rectified_sine", {"n_cycles": 1.5}, "n_cycles"),
        ("set_rectified_sine", {"phase": 1.0}, "phase must be a fraction"),
    ],
)
def test_bad_waveforms_name_the_problem(method, kwargs, match):
    defaults = {
        "set_trapezoid": {
            "base_hz": 0.0,
            "peak_hz": 10.0,
            "start_ms": 0.0,
            "rise_ms": 1.0,
            "hold_ms": 1.0,
            "fall_ms": 1.0,
        },
        "set_rectified_sine": {
            "base_hz": 0.0,
            "peak_hz": 10.0,
            "start_ms": 0.0,
            "period_ms": 10.0,
            "n_cycles": 1,
        },
    }[method]
    with pytest.raises(ParameterError, match=match):
        getattr(SpikeSource(1, "t:bad", 0), method)(**{**defaults, **kwargs})
