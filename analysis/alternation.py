"""Flexor-extensor alternation under an alternating drive.

Main index (``alternation_index``): minus the Pearson correlation of the two
pools' binned rates over the drive window::

    alternation_index = -corr(rate_a(t), rate_b(t))

+1 = perfect alternation (one pool active exactly when the other is silent,
with mirror-image time courses), 0 = unrelated activity, -1 = synchronous
(in-phase) activity. NaN when either pool's binned rate is constant over the
window (e.g. silent): correlation is undefined there. Bins default to 1/20 of
the drive period, so the index sees the cycle's shape but not spike-level
jitter.

Phase view (``burst_phase`` and ``phase_alternation_index``): each spike gets
a phase in the drive cycle, ``((t - t0) / period) mod 1``; a pool's mean phase
is the angle of the mean of ``exp(2 pi i phase)`` over its spikes and its
vector strength (0-1) the modulus (1 = every spike at the same phase).
``phase_alternation_index = -cos(2 pi (phase_a - phase_b))``: +1 for pools half
a cycle apart, -1 in phase, 0 a quarter cycle apart. Read it together with the
vector strengths: when a pool is not locked to the drive its mean phase, and
so this index, is arbitrary.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cordsim.analysis.rates import pool_rate_histogram

__all__ = [
    "alternation_index",
    "binned_alternation_index",
    "burst_phase",
    "phase_alternation_index",
]


def alternation_index(rate_a: np.ndarray, rate_b: np.ndarray) -> float:
    """Minus the Pearson correlation of two rate time courses (dimensionless, -1..1).

    NaN when either series is constant (zero variance) or shorter than 2.
    """
    a = np.asarray(rate_a, dtype=float)
    b = np.asarray(rate_b, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"rates must be 1-D of equal length, got {a.shape} and {b.shape}")
    if a.size < 2:
        return float("nan")
    da, db = a - a.mean(), b - b.mean()
    denom = np.sqrt(np.sum(da**2) * np.sum(db**2))
    if denom == 0 or not np.isfinite(denom):
        return float("nan")
    return float(-np.sum(da * db) / denom)


def binned_alternation_index(
    trains_a: Sequence[np.ndarray],
    trains_b: Sequence[np.ndarray],
    t0_ms: float,
    t1_ms: float,
    bin_ms: float,
) -> float:
    """:func:`alternation_index` of the two pools' rates in ``bin_ms`` bins of ``[t0_ms, t1_ms)``."""
    _, rate_a = pool_rate_histogram(trains_a, t0_ms, t1_ms, bin_ms)
    _, rate_b = pool_rate_histogram(trains_b, t0_ms, t1_ms, bin_ms)
    return alternation_index(rate_a, rate_b)


def burst_phase(
    spike_trains: Sequence[np.ndarray], period_ms: float, t0_ms: float, t1_ms: float
) -> tuple[float, float]:
    """Mean phase (cycles, in [0, 1)) and vector strength (0-1) of a pool's spikes.

    Phase 0 is ``t0_ms`` (the start of the drive); spikes in
    ``[t0_ms, t1_ms)`` are used. ``(nan, nan)`` when there are none.
    """
    if period_ms <= 0:
        raise ValueError(f"period_ms must be > 0, got {period_ms}")
    t = (
        np.concatenate([np.asarray(st, dtype=float) for st in spike_trains])
        if len(spike_trains)
        else np.empty(0)
    )
    t = t[(t >= t0_ms) & (t < t1_ms)]
    if t.size == 0:
        return float("nan"), float("nan")
    z = np.mean(np.exp(2j * np.pi * (t - t0_ms) / period_ms))
    phase = (np.angle(z) / (2 * np.pi)) % 1.0
    return float(phase), float(np.abs(z))


def phase_alternation_index(
    trains_a: Sequence[np.ndarray],
    trains_b: Sequence[np.ndarray],
    period_ms: float,
    t0_ms: float,
    t1_ms: float,
) -> float:
    """``-cos(2 pi (phase_a - phase_b))`` of the pools' mean phases (-1..1); NaN if a pool is silent."""
    pa, _ = burst_phase(trains_a, period_ms, t0_ms, t1_ms)
    pb, _ = burst_phase(trains_b, period_ms, t0_ms, t1_ms)
    if not (np.isfinite(pa) and np.isfinite(pb)):
        return float("nan")
    return float(-np.cos(2 * np.pi * (pa - pb)))
