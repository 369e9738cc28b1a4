"""Impedance of a cell from a chirp (ZAP) current: its magnitude and resonance.

No NEURON here. A chirp current whose frequency sweeps from ``f_start_hz`` to
``f_stop_hz`` is injected at the soma at rest; the impedance magnitude is
``|FFT(v)| / |FFT(i)|`` (Puil et al. 1986 J Neurophysiol 55:995; Hutcheon &
Yarom 2000 Trends Neurosci 23:216), smoothed over ``smooth_hz``. The
resonance frequency is the frequency of the largest impedance, and the
resonance strength Q is that largest impedance over the impedance at the
lowest frequency of the sweep (Hutcheon, Miura & Puil 1996 J Neurophysiol
76:683: ``Q = |Z(f_res)| / |Z(lowest)|``). A cell whose impedance falls
monotonically (a low-pass membrane) has Q = 1 and no resonance frequency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ImpedanceProfile", "chirp_current", "impedance_profile"]

#: Q below this counts as "no resonance" (a peak within 2 % of the lowest-frequency
#: impedance is within the smoothing's ripple).
NO_RESONANCE_Q = 1.02


def chirp_current(
    t_ms: np.ndarray, amp_na: float, f_start_hz: float, f_stop_hz: float, dur_ms: float
) -> np.ndarray:
    """A linear chirp ``amp * sin(2 pi (f0 t + (f1 - f0) t^2 / (2 T)))`` (nA); 0 after ``dur_ms``.

    Parameters
    ----------
    t_ms : numpy.ndarray
        Times from the chirp's start (ms).
    amp_na : float
        Amplitude (nA).
    f_start_hz, f_stop_hz : float
        Instantaneous frequency at the start and at the end (Hz).
    dur_ms : float
        Duration (ms).
    """
    t_s = np.asarray(t_ms, dtype=float) / 1000.0
    dur_s = dur_ms / 1000.0
    rate = (f_stop_hz - f_start_hz) / dur_s
    phase = 2 * np.pi * (f_start_hz * t_s + 0.5 * rate * t_s**2)
    return np.where((t_s >= 0) & (t_s <= dur_s), amp_na * np.sin(phase), 0.0)


@dataclass(frozen=True)
class ImpedanceProfile:
    """Impedance magnitude over frequency and its resonance.

    Attributes
    ----------
    frequency_hz, impedance_mohm : numpy.ndarray
        The smoothed magnitude (MOhm) at each analysed frequency (Hz).
    resonance_frequency_hz : float
        Frequency of the largest impedance (Hz); NaN when Q < NO_RESONANCE_Q.
    resonance_q : float
        Largest impedance / impedance at the lowest analysed frequency.
    """

    frequency_hz: np.ndarray
    impedance_mohm: np.ndarray
    resonance_frequency_hz: float
    resonance_q: float


def impedance_profile(
    v_mv: np.ndarray,
    i_na: np.ndarray,
    sample_ms: float,
    *,
    f_start_hz: float,
    f_stop_hz: float,
    smooth_hz: float = 1.0,
) -> ImpedanceProfile:
    """Impedance magnitude from a recorded chirp response.

    Parameters
    ----------
    v_mv, i_na : numpy.ndarray
        Potential (mV) and injected current (nA), same samples, over the chirp.
    sample_ms : float
        Sampling interval (ms).
    f_start_hz, f_stop_hz : float
        Band analysed (Hz): the chirp's sweep.
    smooth_hz : float
        Width of the moving average over frequency (Hz).

    Returns
    -------
    ImpedanceProfile

    Raises
    ------
    ValueError
        If the signals differ in length, are too short for the band, or the
        current has no power in it.
    """
    v = np.asarray(v_mv, dtype=float)
    i = np.asarray(i_na, dtype=float)
    if v.shape != i.shape or v.ndim != 1:
        raise ValueError(f"v and i must be 1-D and of one length, got {v.shape} and {i.shape}")
    freqs = np.fft.rfftfreq(v.size, sample_ms / 1000.0)
    band = (freqs >= f_start_hz) & (freqs <= f_stop_hz)
    if band.sum() < 3:
        raise ValueError(
            f"{v.size} samples of {sample_ms} ms resolve fewer than 3 frequencies in "
            f"{f_start_hz}-{f_stop_hz} Hz"
        )
    spec_v = np.fft.rfft(v - v.mean())[band]
    spec_i = np.fft.rfft(i - i.mean())[band]
    if not np.all(np.abs(spec_i) > 0):
        raise ValueError("the current has no power at some frequencies of the band")
    z = np.abs(spec_v / spec_i)  # mV / nA = MOhm
    step = freqs[1] - freqs[0]
    width = max(1, int(round(smooth_hz / step)))
    kernel = np.ones(width) / width
    # average over a sliding window, normalised at the band's edges
    smooth = np.convolve(z, kernel, mode="same") / np.convolve(np.ones_like(z), kernel, mode="same")
    f = freqs[band]
    edge = f <= f[0] + smooth_hz  # the lowest analysed frequencies
    z_low = float(smooth[edge].mean())
    peak = int(np.argmax(smooth))
    q = float(smooth[peak] / z_low)
    f_res = float(f[peak]) if q >= NO_RESONANCE_Q else float("nan")
    return ImpedanceProfile(f, smooth, f_res, q)
