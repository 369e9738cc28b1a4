"""Alternation indices on square-wave bursts with known answers."""

import numpy as np
import pytest

from cordsim.analysis import alternation as alt

PERIOD = 200.0
T1 = 2000.0


def _bursts(phase_start, n_cells=5, rate_hz=100.0):
    """Each cell fires regularly during the half-cycle starting at phase_start (cycles)."""
    trains = []
    for i in range(n_cells):
        t = np.arange(0.0, T1, 1000.0 / rate_hz) + i * 1.7
        ph = (t / PERIOD - phase_start) % 1.0
        trains.append(t[(ph < 0.5) & (t < T1)])
    return trains


def test_antiphase_is_plus_one_inphase_minus_one():
    a, b = _bursts(0.0), _bursts(0.5)
    assert alt.binned_alternation_index(a, b, 0.0, T1, PERIOD / 20) > 0.95
    assert alt.binned_alternation_index(a, _bursts(0.0), 0.0, T1, PERIOD / 20) < -0.95
    assert alt.phase_alternation_index(a, b, PERIOD, 0.0, T1) == pytest.approx(1.0, abs=0.02)
    assert alt.phase_alternation_index(a, a, PERIOD, 0.0, T1) == pytest.approx(-1.0)
    # a quarter cycle apart: phase index 0, rate correlation 0
    q = _bursts(0.25)
    assert alt.phase_alternation_index(a, q, PERIOD, 0.0, T1) == pytest.approx(0.0, abs=0.05)
    assert abs(alt.binned_alternation_index(a, q, 0.0, T1, PERIOD / 20)) < 0.1


def test_exact_square_waves():
    sq = np.tile(np.r_[np.ones(10), np.zeros(10)], 5)
    assert alt.alternation_index(sq, 1 - sq) == pytest.approx(1.0)
    assert alt.alternation_index(sq, sq) == pytest.approx(-1.0)
    assert alt.alternation_index(sq, 3 * sq + 1) == pytest.approx(-1.0)


def test_unrelated_is_near_zero():
    rng = np.random.default_rng(0)
    a = [np.sort(rng.uniform(0, T1, 200)) for _ in range(5)]
    b = [np.sort(rng.uniform(0, T1, 200)) for _ in range(5)]
    assert abs(alt.binned_alternation_index(a, b, 0.0, T1, 10.0)) < 0.15


def test_silent_or_constant_is_nan():
    silent = [np.empty(0)] * 5
    assert np.isnan(alt.binned_alternation_index(_bursts(0.0), silent, 0.0, T1, 10.0))
    assert np.isnan(alt.alternation_index(np.ones(10), np.arange(10.0)))
    assert np.isnan(alt.phase_alternation_index(_bursts(0.0), silent, PERIOD, 0.0, T1))
    assert all(np.isnan(v) for v in alt.burst_phase(silent, PERIOD, 0.0, T1))


def test_burst_phase():
    trains = [np.arange(50.0, T1, PERIOD)]  # every spike at phase 0.25
    phase, vs = alt.burst_phase(trains, PERIOD, 0.0, T1)
    assert phase == pytest.approx(0.25)
    assert vs == pytest.approx(1.0)
    # uniform half-cycle bursts: vector strength 2/pi, mean phase at the burst centre
    t = np.arange(0.0, T1, 0.01)
    phase, vs = alt.burst_phase([t[(t % PERIOD) < PERIOD / 2]], PERIOD, 0.0, T1)
    assert phase == pytest.approx(0.25, abs=1e-3)
    assert vs == pytest.approx(2 / np.pi, abs=1e-3)
