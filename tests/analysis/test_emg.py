"""Synthetic EMG: HR1 kernel shape, placement, scaling, envelope."""

import numpy as np
import pytest

from cordsim.analysis import emg

LAM = 1.0
DT = 0.1


def test_hr1_kernel_shape():
    t, k = emg.hermite_rodriguez_kernel(DT, LAM)
    assert t.size % 2 == 1 and t[t.size // 2] == 0.0
    assert k[t.size // 2] == 0.0
    np.testing.assert_allclose(k, -k[::-1], atol=1e-12)  # odd function
    # analytic: peak +1 at +lambda/sqrt(2), trough -1 at -lambda/sqrt(2)
    fine_t, fine_k = emg.hermite_rodriguez_kernel(0.001, LAM)
    assert fine_k.max() == pytest.approx(1.0, abs=1e-6)
    assert fine_t[np.argmax(fine_k)] == pytest.approx(LAM / np.sqrt(2), abs=1e-3)
    assert fine_t[np.argmin(fine_k)] == pytest.approx(-LAM / np.sqrt(2), abs=1e-3)
    # width scales the time axis
    t2, k2 = emg.hermite_rodriguez_kernel(0.001, 2 * LAM)
    assert t2[np.argmax(k2)] == pytest.approx(2 * LAM / np.sqrt(2), abs=1e-3)
    with pytest.raises(ValueError):
        emg.hermite_rodriguez_kernel(DT, DT / 2)


def test_single_spike_is_the_kernel_at_the_spike():
    _, k = emg.hermite_rodriguez_kernel(DT, LAM)
    t, x = emg.synthesize_emg([np.array([50.0])], 100.0, DT, kernel_width_ms=LAM, delay_ms=0.0)
    assert t[0] == 0.0 and t[-1] == pytest.approx(100.0) and x.size == 1001
    centre = 500
    half = k.size // 2
    np.testing.assert_allclose(x[centre - half : centre + half + 1], k, atol=1e-12)
    assert np.count_nonzero(x) == np.count_nonzero(k)


def test_default_delay_is_causal():
    t, x = emg.synthesize_emg([np.array([50.0])], 100.0, DT, kernel_width_ms=LAM)
    assert np.all(x[t < 50.0 - 1e-9] == 0)
    assert np.any(x[(t > 50.0) & (t < 50.0 + 6 * LAM)] != 0)
    assert t[np.argmax(x)] == pytest.approx(50.0 + 3 * LAM + LAM / np.sqrt(2), abs=DT)


def test_linear_in_sizes_and_units():
    a = np.array([20.0, 60.0])
    b = np.array([40.0, 61.0])
    _, xa = emg.synthesize_emg([a], 100.0)
    _, xb = emg.synthesize_emg([b], 100.0)
    _, xab = emg.synthesize_emg([a, b], 100.0, mu_sizes=[3.0, 0.5])
    np.testing.assert_allclose(xab, 3 * xa + 0.5 * xb, atol=1e-12)


def test_rectified_area_counts_size_weighted_spikes():
    # non-overlapping MUAPs: area of |emg| = sqrt(2e) * lambda * sum(sizes)
    trains = [np.arange(10.0, 500.0, 20.0), np.arange(20.0, 500.0, 40.0)]
    sizes = [1.0, 4.0]
    _, x = emg.synthesize_emg(trains, 600.0, DT, mu_sizes=sizes, kernel_width_ms=LAM)
    expected = np.sqrt(2 * np.e) * LAM * (trains[0].size * 1.0 + trains[1].size * 4.0)
    assert np.sum(np.abs(x)) * DT == pytest.approx(expected, rel=0.01)


def test_envelope_zero_phase_and_nonnegative():
    # a 300 Hz carrier under a Gaussian burst centred on 500 ms: the envelope peaks at 500 ms
    t = DT * np.arange(10001)
    x = np.exp(-(((t - 500.0) / 40.0) ** 2)) * np.sin(2 * np.pi * 0.3 * t)
    env = emg.emg_envelope(x, DT, lowpass_hz=10.0)
    assert env.shape == x.shape and np.all(env >= 0)
    assert abs(t[np.argmax(env)] - 500.0) < 1.0  # zero phase: no lag
    # the mean level of a rectified sine is 2/pi of its amplitude
    steady = emg.emg_envelope(np.sin(2 * np.pi * 0.3 * t), DT, lowpass_hz=10.0)
    assert steady[3000:7000].mean() == pytest.approx(2 / np.pi, rel=0.01)
    # silent -> zero envelope
    _, z = emg.synthesize_emg([np.empty(0)], 1000.0)
    assert np.all(emg.emg_envelope(z, DT) == 0)


def test_envelope_of_steady_train_is_its_mean():
    # 20 units firing regularly (staggered) -> envelope ~ mean rectified EMG, little ripple
    trains = [np.arange(5.0 + 2.5 * i, 2000.0, 50.0) for i in range(20)]
    _, x = emg.synthesize_emg(trains, 2000.0)
    env = emg.emg_envelope(x, DT, lowpass_hz=10.0)
    mid = env[5000:15000]
    assert mid.mean() == pytest.approx(np.abs(x[5000:15000]).mean(), rel=0.02)
    assert mid.std() / mid.mean() < 0.02


def test_deterministic_and_noise_needs_rng():
    trains = [np.array([10.0, 30.0])]
    _, x1 = emg.synthesize_emg(trains, 50.0)
    _, x2 = emg.synthesize_emg(trains, 50.0)
    np.testing.assert_array_equal(x1, x2)
    with pytest.raises(ValueError, match="rng"):
        emg.synthesize_emg(trains, 50.0, noise_sd=0.1)
    _, n1 = emg.synthesize_emg(trains, 50.0, noise_sd=0.1, rng=np.random.default_rng(3))
    _, n2 = emg.synthesize_emg(trains, 50.0, noise_sd=0.1, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(n1, n2)
    assert not np.array_equal(n1, x1)


def test_bad_inputs():
    with pytest.raises(ValueError, match="mu_sizes"):
        emg.synthesize_emg([np.empty(0)] * 2, 10.0, mu_sizes=[1.0])
    with pytest.raises(ValueError, match="lowpass_hz"):
        emg.emg_envelope(np.zeros(100), DT, lowpass_hz=6000.0)
