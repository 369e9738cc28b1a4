"""Impedance from a chirp: known answers on synthetic responses (no NEURON)."""

import numpy as np
import pytest
from scipy import signal

from cordsim.models.measurement.impedance import (
    NO_RESONANCE_Q,
    chirp_current,
    impedance_profile,
)

SAMPLE_MS = 0.5
DUR_MS = 20000.0
F0, F1 = 0.5, 100.0


def _respond(b, a):
    """Chirp current and the response of the continuous filter b/a (MOhm; s domain)."""
    t = np.arange(0.0, DUR_MS, SAMPLE_MS)
    i = chirp_current(t, 0.5, F0, F1, DUR_MS)
    system = signal.lti(b, a)
    _, v, _ = signal.lsim(system, i, t / 1000.0)
    return v, i


def test_resonant_filter_gives_its_peak_frequency_and_q():
    # a damped oscillator Z(s) = R w0^2 / (s^2 + (w0/Qd) s + w0^2), R = 5 MOhm
    f_n, damping_q, r = 10.0, 2.0, 5.0
    w0 = 2 * np.pi * f_n
    v, i = _respond([r * w0**2], [1.0, w0 / damping_q, w0**2])
    prof = impedance_profile(v, i, SAMPLE_MS, f_start_hz=F0, f_stop_hz=F1, smooth_hz=0.5)
    # analytic magnitude on the same grid
    w = 2 * np.pi * prof.frequency_hz
    z = np.abs(r * w0**2 / (-(w**2) + 1j * w * w0 / damping_q + w0**2))
    f_peak = prof.frequency_hz[np.argmax(z)]
    assert prof.resonance_frequency_hz == pytest.approx(f_peak, abs=0.5)
    assert prof.resonance_q == pytest.approx(z.max() / z[:5].mean(), rel=0.05)
    assert prof.resonance_q > 1.5


def test_low_pass_membrane_has_no_resonance():
    tau_s, r = 0.003, 4.0  # an RC membrane: Z = R / (1 + s tau)
    v, i = _respond([r], [tau_s, 1.0])
    prof = impedance_profile(v, i, SAMPLE_MS, f_start_hz=F0, f_stop_hz=F1)
    assert np.isnan(prof.resonance_frequency_hz)
    assert 1.0 <= prof.resonance_q < NO_RESONANCE_Q
    assert prof.impedance_mohm[0] == pytest.approx(r, rel=0.02)


def test_chirp_sweeps_its_band_and_stops():
    t = np.arange(0.0, 1200.0, 0.1)
    i = chirp_current(t, 2.0, 1.0, 50.0, 1000.0)
    assert np.abs(i).max() == pytest.approx(2.0, rel=1e-3)
    assert np.all(i[t > 1000.0] == 0)


def test_bad_signals_are_clear_errors():
    with pytest.raises(ValueError, match="one length"):
        impedance_profile(np.zeros(10), np.zeros(11), 0.5, f_start_hz=1, f_stop_hz=10)
    with pytest.raises(ValueError, match="fewer than 3 frequencies"):
        impedance_profile(np.ones(8), np.ones(8), 0.5, f_start_hz=1, f_stop_hz=10)
    with pytest.raises(ValueError, match="no power"):
        impedance_profile(np.ones(4000), np.zeros(4000), 0.5, f_start_hz=1, f_stop_hz=10)
