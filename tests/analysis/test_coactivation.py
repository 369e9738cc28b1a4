"""Co-contraction indices on envelopes with known answers."""

import numpy as np
import pytest

from cordsim.analysis import coactivation as co

T = np.linspace(0, 1, 1001)
BUMP = np.exp(-(((T - 0.5) / 0.1) ** 2))


def test_identical_envelopes_give_100():
    assert co.cocontraction_index(BUMP, BUMP) == pytest.approx(100.0)
    assert co.overlap_index(BUMP, BUMP) == pytest.approx(100.0)
    # Rudolph on identical peak-normalised envelopes: mean(1 * 2a)
    assert co.rudolph_cci(BUMP, BUMP) == pytest.approx(np.mean(2 * BUMP / BUMP.max()))


def test_one_silent_gives_0_both_silent_nan():
    zero = np.zeros_like(BUMP)
    for f in (co.cocontraction_index, co.overlap_index, co.rudolph_cci):
        assert f(BUMP, zero) == 0.0
        assert f(zero, BUMP) == 0.0
        assert np.isnan(f(zero, zero))


def test_amplitude_vs_shape():
    half = 0.5 * BUMP
    # CI sees amplitude: 100 * 2 * 0.5 / 1.5
    assert co.cocontraction_index(BUMP, half) == pytest.approx(200.0 / 3.0)
    # overlap and Rudolph normalise each to its peak: same shape -> as identical
    assert co.overlap_index(BUMP, half) == pytest.approx(100.0)
    assert co.rudolph_cci(BUMP, half) == pytest.approx(co.rudolph_cci(BUMP, BUMP))
    # without normalisation the overlap is the sample-wise CI: 2 * 0.5 / 1.5
    assert co.overlap_index(BUMP, half, normalize=False) == pytest.approx(200.0 / 3.0)


def test_timing_squares():
    a = np.zeros(200)
    b = np.zeros(200)
    a[0:100] = 1.0
    b[100:200] = 1.0
    # alternating, equal amounts: CI says "equal activity", overlap says "never together"
    assert co.cocontraction_index(a, b) == pytest.approx(100.0)
    assert co.overlap_index(a, b) == pytest.approx(0.0)
    assert co.rudolph_cci(a, b) == pytest.approx(0.0)
    # half overlap: common 50, areas 100 + 100 -> 50 %
    b = np.zeros(200)
    b[50:150] = 1.0
    assert co.overlap_index(a, b) == pytest.approx(50.0)
    # Rudolph: ratio 1 and sum 2 on the 50 shared samples -> 2 * 50 / 200
    assert co.rudolph_cci(a, b) == pytest.approx(0.5)


def test_reference_peaks():
    # normalising b to a reference peak twice its own halves its weight
    a = np.ones(10)
    b = np.ones(10)
    assert co.overlap_index(a, b, peak_a=1.0, peak_b=2.0) == pytest.approx(2 * 5 / 15 * 100)
    assert co.normalize_to_peak(np.zeros(3)).tolist() == [0, 0, 0]
    with pytest.raises(ValueError):
        co.normalize_to_peak(np.ones(3), peak=0.0)


def test_area_and_bad_inputs():
    assert co.envelope_area(np.ones(10), dt_ms=0.1) == pytest.approx(1.0)
    with pytest.raises(ValueError, match=">= 0"):
        co.cocontraction_index(-BUMP, BUMP)
    with pytest.raises(ValueError, match="equal length"):
        co.overlap_index(BUMP, BUMP[:-1])
    with pytest.raises(ValueError, match="empty"):
        co.overlap_index(np.empty(0), np.empty(0))
