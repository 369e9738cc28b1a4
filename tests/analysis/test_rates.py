"""Rates, recruitment, ISI CV and the pool-rate histogram on spike trains with known answers."""

import numpy as np
import pytest

from cordsim.analysis import rates


def _half_pool_at_20hz():
    """10 cells; cells 0-4 fire every 50 ms from 25 ms (20 Hz), cells 5-9 are silent."""
    active = [np.arange(25.0, 1000.0, 50.0) for _ in range(5)]
    return active + [np.empty(0) for _ in range(5)]


def test_half_pool_at_20hz_rate_and_recruitment_exact():
    trains = _half_pool_at_20hz()
    np.testing.assert_array_equal(rates.spike_counts(trains, 0, 1000), [20] * 5 + [0] * 5)
    np.testing.assert_allclose(rates.cell_rates_hz(trains, 0, 1000), [20.0] * 5 + [0.0] * 5)
    assert rates.pool_rate_hz(trains, 0, 1000) == pytest.approx(10.0)
    assert rates.active_rate_hz(trains, 0, 1000) == pytest.approx(20.0)
    assert rates.recruited_fraction(trains, 0, 1000) == pytest.approx(0.5)
    assert rates.recruited_fraction(trains, 0, 1000, min_spikes=20) == pytest.approx(0.5)
    assert rates.recruited_fraction(trains, 0, 1000, min_spikes=21) == 0.0
    # a 500 ms window: still 20 Hz
    assert rates.active_rate_hz(trains, 0, 500) == pytest.approx(20.0)


def test_windows_are_half_open():
    trains = [np.array([10.0, 20.0])]
    assert rates.spike_counts(trains, 10.0, 20.0)[0] == 1
    assert rates.spike_counts(trains, 20.0, 30.0)[0] == 1


def test_empty_and_silent_pools():
    assert np.isnan(rates.pool_rate_hz([], 0, 100))
    assert np.isnan(rates.recruited_fraction([], 0, 100))
    silent = [np.empty(0)] * 3
    assert rates.pool_rate_hz(silent, 0, 100) == 0.0
    assert np.isnan(rates.active_rate_hz(silent, 0, 100))
    assert np.isnan(rates.isi_cv(silent))


def test_isi_cv_known_values():
    regular = np.arange(0.0, 100.0, 10.0)
    two_isis = np.array([0.0, 10.0, 40.0])  # ISIs 10, 30: mean 20, SD(ddof=1) = 14.142
    too_few = np.array([0.0, 5.0])
    cv = rates.cell_isi_cv([regular, two_isis, too_few])
    assert cv[0] == pytest.approx(0.0, abs=1e-12)
    assert cv[1] == pytest.approx(np.sqrt(200.0) / 20.0)
    assert np.isnan(cv[2])
    assert rates.isi_cv([regular, two_isis, too_few]) == pytest.approx(np.sqrt(200.0) / 40.0)
    # the window restricts the spikes used: only 0 and 10 of two_isis remain -> NaN
    assert np.isnan(rates.isi_cv([two_isis], 0.0, 30.0))


def test_pool_rate_histogram():
    trains = _half_pool_at_20hz()
    t, r = rates.pool_rate_histogram(trains, 0, 1000, bin_ms=50.0)
    assert t.size == 20 and t[0] == pytest.approx(25.0)
    # each 50 ms bin holds one spike from each of 5 of 10 cells: 5 / (10 * 0.05 s) = 10 Hz
    np.testing.assert_allclose(r, 10.0)
    # spikes only in the first half: rate 20 Hz per cell there, 0 after
    trains = [np.array([1.0, 2.0]), np.empty(0)]
    t, r = rates.pool_rate_histogram(trains, 0, 20, bin_ms=10.0)
    np.testing.assert_allclose(r, [2 / (2 * 0.01), 0.0])


def test_bad_window_raises():
    with pytest.raises(ValueError, match="t0_ms < t1_ms"):
        rates.pool_rate_hz([np.empty(0)], 10, 10)
    with pytest.raises(ValueError, match="bin_ms"):
        rates.pool_rate_histogram([np.empty(0)], 0, 10, bin_ms=0)
