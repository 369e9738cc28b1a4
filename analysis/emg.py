"""A motor pool's "EMG", synthesised from its motor-unit spike trains.

The simulator has no muscle; to apply the co-contraction indices of the EMG
literature unchanged, each motor neuron spike is turned into a motor-unit
action potential (MUAP) and the MUAPs of the pool are summed, as in the usual
EMG simulation models (Fuglevand et al. 1993; Lo Conte et al. 1994; Cisi &
Kohn 2008).

MUAP kernel
-----------
First-order Hermite-Rodriguez (HR1) function, the derivative-of-Gaussian
biphasic shape used for MUAPs by Lo Conte, Merletti & Sandri (1994, IEEE Trans
Biomed Eng 41(12), "Hermite expansions of compact support waveforms:
applications to myoelectric signals") and in later pool models (Cisi & Kohn
2008, J Comput Neurosci 25; a motor-evoked-potential pool model in J
Neurophysiol 2017, doi:10.1152/jn.00626.2017, eqs. 4-5)::

    h(t) = A * c * x * exp(-x**2),   x = (t - t_spike - delay_ms) / lambda_ms

``lambda_ms`` (``kernel_width_ms``) sets the duration: the positive and the
negative peak lie at ``x = -/+ 1/sqrt(2)``, i.e. ``sqrt(2) * lambda_ms`` apart,
and the kernel is truncated at ``|x| <= 3`` (the tails beyond are
< 0.1 % of the peak). ``c = sqrt(2 e)`` scales the peak to ``A``, the motor
unit's size factor (1 = smallest unit), so the EMG is in arbitrary units where
a smallest unit's MUAP has a peak of 1. The area of a rectified MUAP is
``c * lambda_ms * A`` (a.u. * ms), so the integrated rectified EMG counts
spikes weighted by unit size (exactly so when MUAPs do not overlap).

Default width ``lambda_ms = 1.0`` ms gives a ~6 ms MUAP with 1.4 ms between
its phases; the human model cited above uses 2 ms (first dorsal interosseous), and mouse
intramuscular MUAPs are shorter (a few ms; soft, from memory). The default
``delay_ms`` (``3 * lambda_ms``) places the start of the truncated MUAP at the
spike, so the EMG is causal; a conduction delay can be given instead.
Overlapping MUAPs partly cancel, as in real EMG, so at high pool rates the
rectified area grows less than linearly with the spike count; the width sets
how much.

Linear envelope
---------------
Full-wave rectification, then a zero-phase Butterworth low-pass (order 2,
run forward and backward: ``scipy.signal.butter`` + ``sosfiltfilt``, the
second-order-sections form of ``filtfilt``), i.e. Winter's "linear envelope"
(Winter DA, *Biomechanics and Motor Control of Human Movement*, processing of
the EMG: rectification then a low-pass of 3-10 Hz). The default cut-off is
10 Hz, the upper end of that range, because mouse muscle is faster than
human: twitch contraction times of 7-33 ms (Martinez-Silva et al. 2018,
targets.md a1) correspond to a muscle low-pass corner 1/(2 pi T) of about
5-23 Hz. ``lowpass_hz`` is the single-pass design cut-off: the
forward-backward pass squares the gain, so for order 2 the -3 dB point of the
pair lies at 0.80 x ``lowpass_hz`` (Winter's dual-pass correction factor
0.802, not applied here).

Everything here is deterministic: noise is added only when a seeded
``numpy.random.Generator`` is passed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy import signal

if TYPE_CHECKING:  # pragma: no cover
    from cordsim.models.result import SimulationResult

__all__ = [
    "DEFAULT_DT_MS",
    "DEFAULT_KERNEL_WIDTH_MS",
    "DEFAULT_LOWPASS_HZ",
    "KERNEL_HALF_SUPPORT",
    "hermite_rodriguez_kernel",
    "synthesize_emg",
    "emg_envelope",
    "mu_sizes_for",
    "pool_emg",
]

DEFAULT_DT_MS = 0.1
"""EMG sampling step (ms): 10 kHz, the usual intramuscular EMG rate."""

DEFAULT_KERNEL_WIDTH_MS = 1.0
"""HR1 time scale lambda (ms) of the MUAP kernel."""

DEFAULT_LOWPASS_HZ = 10.0
"""Linear-envelope low-pass cut-off (Hz); see the module docstring."""

KERNEL_HALF_SUPPORT = 3.0
"""The kernel is truncated at ``|t - centre| <= KERNEL_HALF_SUPPORT * lambda``."""

_HR1_PEAK_SCALE = np.sqrt(2.0 * np.e)  # 1 / max(x exp(-x^2)) = sqrt(2e)


def hermite_rodriguez_kernel(
    dt_ms: float = DEFAULT_DT_MS, kernel_width_ms: float = DEFAULT_KERNEL_WIDTH_MS
) -> tuple[np.ndarray, np.ndarray]:
    """Sampled first-order Hermite-Rodriguez MUAP of unit peak amplitude.

    Parameters
    ----------
    dt_ms : float
        Sampling step (ms).
    kernel_width_ms : float
        Time scale lambda (ms); must be at least ``dt_ms``.

    Returns
    -------
    t_ms : numpy.ndarray
        Sample times relative to the kernel's centre (zero crossing), ms;
        an odd number of samples, symmetric about 0.
    kernel : numpy.ndarray
        ``sqrt(2e) * x * exp(-x**2)`` with ``x = t_ms / kernel_width_ms``
        (a.u., peak +1 at ``x = 1/sqrt(2)``, trough -1 at ``-1/sqrt(2)``).
    """
    if dt_ms <= 0:
        raise ValueError(f"dt_ms must be > 0, got {dt_ms}")
    if kernel_width_ms < dt_ms:
        raise ValueError(
            f"kernel_width_ms ({kernel_width_ms}) must be >= dt_ms ({dt_ms}) to be sampled"
        )
    half = int(np.ceil(KERNEL_HALF_SUPPORT * kernel_width_ms / dt_ms))
    t_ms = dt_ms * np.arange(-half, half + 1)
    x = t_ms / kernel_width_ms
    return t_ms, _HR1_PEAK_SCALE * x * np.exp(-(x**2))


def synthesize_emg(
    spike_trains: Sequence[np.ndarray],
    tstop_ms: float,
    dt_ms: float = DEFAULT_DT_MS,
    mu_sizes: Sequence[float] | np.ndarray | None = None,
    kernel_width_ms: float = DEFAULT_KERNEL_WIDTH_MS,
    delay_ms: float | None = None,
    noise_sd: float = 0.0,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sum of motor-unit action potentials of a pool on a regular time grid.

    Each spike at ``t`` adds ``mu_sizes[i] * h(t' - t - delay_ms)`` (see the
    module docstring) to the signal; spikes are placed on the nearest sample.

    Parameters
    ----------
    spike_trains : sequence of numpy.ndarray
        Spike times (ms) of each motor unit.
    tstop_ms : float
        End of the signal (ms); the grid is ``0, dt_ms, ..., tstop_ms``.
    dt_ms : float
        Sampling step (ms), default 0.1 (10 kHz).
    mu_sizes : array-like, optional
        Size factor of each unit (MUAP peak amplitude, 1 = smallest unit);
        default all ones.
    kernel_width_ms : float
        HR1 time scale lambda (ms).
    delay_ms : float, optional
        Spike-to-MUAP-centre delay (ms); default ``3 * kernel_width_ms`` (the
        MUAP starts at the spike).
    noise_sd : float
        SD of additive white Gaussian noise (a.u.); needs ``rng`` when > 0.
    rng : numpy.random.Generator, optional
        Seeded generator for the noise.

    Returns
    -------
    t_ms : numpy.ndarray
        Sample times (ms).
    emg : numpy.ndarray
        Synthetic EMG (a.u.).
    """
    if tstop_ms <= 0:
        raise ValueError(f"tstop_ms must be > 0, got {tstop_ms}")
    n_units = len(spike_trains)
    sizes = np.ones(n_units) if mu_sizes is None else np.asarray(mu_sizes, dtype=float)
    if sizes.shape != (n_units,):
        raise ValueError(f"mu_sizes has shape {sizes.shape}, expected ({n_units},)")
    if np.any(sizes < 0) or not np.all(np.isfinite(sizes)):
        raise ValueError("mu_sizes must be finite and >= 0")
    if delay_ms is None:
        delay_ms = KERNEL_HALF_SUPPORT * kernel_width_ms
    _, kernel = hermite_rodriguez_kernel(dt_ms, kernel_width_ms)
    half = kernel.size // 2

    n = int(round(tstop_ms / dt_ms)) + 1
    t_ms = dt_ms * np.arange(n)
    # impulses on an extended grid so that MUAPs centred just outside [0, tstop]
    # still contribute their tails
    impulses = np.zeros(n + 2 * half)
    for size, st in zip(sizes, spike_trains, strict=True):
        st = np.asarray(st, dtype=float)
        if st.size == 0 or size == 0:
            continue
        idx = np.rint((st + delay_ms) / dt_ms).astype(np.int64) + half
        idx = idx[(idx >= 0) & (idx < impulses.size)]
        np.add.at(impulses, idx, size)
    emg = np.convolve(impulses, kernel, mode="same")[half : half + n]

    if noise_sd > 0:
        if rng is None:
            raise ValueError("noise_sd > 0 needs a seeded rng (numpy.random.Generator)")
        emg = emg + rng.normal(0.0, noise_sd, size=n)
    return t_ms, emg


def emg_envelope(
    emg: np.ndarray,
    dt_ms: float = DEFAULT_DT_MS,
    lowpass_hz: float = DEFAULT_LOWPASS_HZ,
    order: int = 2,
) -> np.ndarray:
    """Linear envelope: full-wave rectification, then zero-phase low-pass.

    Parameters
    ----------
    emg : numpy.ndarray
        Raw EMG (a.u.), sampled every ``dt_ms``.
    dt_ms : float
        Sampling step (ms).
    lowpass_hz : float
        Butterworth cut-off (Hz) of each pass; default 10 Hz (see module
        docstring for the source of the convention).
    order : int
        Butterworth order of each pass (default 2; the forward-backward pair
        has twice this order and zero phase).

    Returns
    -------
    numpy.ndarray
        Envelope (a.u.), same length as ``emg``; clipped at 0 (the filter's
        small ringing below zero is removed so that areas stay >= 0).
    """
    emg = np.asarray(emg, dtype=float)
    fs_hz = 1000.0 / dt_ms
    if not 0 < lowpass_hz < fs_hz / 2:
        raise ValueError(f"lowpass_hz must be in (0, {fs_hz / 2}) Hz, got {lowpass_hz}")
    rectified = np.abs(emg)
    if rectified.size < 2:
        return rectified.copy()
    sos = signal.butter(order, lowpass_hz, btype="low", fs=fs_hz, output="sos")
    padlen = min(rectified.size - 1, 3 * (2 * len(sos) + 1))
    env = signal.sosfiltfilt(sos, rectified, padlen=padlen)
    return np.clip(env, 0.0, None)


def mu_sizes_for(result: SimulationResult, population: str) -> np.ndarray:
    """Motor-unit size factors of ``population`` (its record's ``mu_sizes``).

    Returns all ones when the population carries none.
    """
    pop = result.populations[population]
    if pop.mu_sizes is None:
        return np.ones(pop.n_cells)
    return np.asarray(pop.mu_sizes, dtype=float)


def pool_emg(
    result: SimulationResult,
    population: str,
    dt_ms: float = DEFAULT_DT_MS,
    kernel_width_ms: float = DEFAULT_KERNEL_WIDTH_MS,
    lowpass_hz: float = DEFAULT_LOWPASS_HZ,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic EMG and its linear envelope for one motor pool of a result.

    Returns
    -------
    t_ms, emg, envelope : numpy.ndarray
        Sample times (ms), raw EMG (a.u.) and envelope (a.u.) over
        ``[0, result.tstop_ms]``.
    """
    t_ms, emg = synthesize_emg(
        result.spike_times(population),
        result.tstop_ms,
        dt_ms=dt_ms,
        mu_sizes=mu_sizes_for(result, population),
        kernel_width_ms=kernel_width_ms,
    )
    return t_ms, emg, emg_envelope(emg, dt_ms, lowpass_hz)
