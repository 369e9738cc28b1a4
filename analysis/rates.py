"""Firing rates, recruitment and spike-train regularity of a population.

Every function takes ``spike_trains``: a sequence with one array of spike
times (ms) per cell, in cell-index order, silent cells included as empty
arrays (what :meth:`cordsim.models.result.SimulationResult.spike_times`
returns). Windows are half-open, ``t0_ms <= t < t1_ms``, so adjacent windows
never count a spike twice.

Conventions
-----------
- A *pool rate* is the mean over **all** cells of the pool, silent cells
  included (spikes / cell / s). The mean over recruited cells only is
  :func:`active_rate_hz`.
- ISI CV is computed per cell (sample SD, ``ddof=1``, over mean of the
  inter-spike intervals inside the window), then averaged over the cells with
  at least ``min_spikes`` (default 3, i.e. two intervals) spikes in the window;
  NaN when no cell qualifies.
- An empty pool (no cells) gives NaN for every mean.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "spike_counts",
    "cell_rates_hz",
    "pool_rate_hz",
    "active_rate_hz",
    "recruited_fraction",
    "cell_isi_cv",
    "isi_cv",
    "pool_rate_histogram",
]

SpikeTrains = Sequence[np.ndarray]


def _check_window(t0_ms: float, t1_ms: float) -> float:
    if not np.isfinite(t0_ms) or not np.isfinite(t1_ms) or t1_ms <= t0_ms:
        raise ValueError(f"window must satisfy t0_ms < t1_ms, got [{t0_ms}, {t1_ms})")
    return float(t1_ms - t0_ms)


def _in_window(times_ms: np.ndarray, t0_ms: float, t1_ms: float) -> np.ndarray:
    t = np.asarray(times_ms, dtype=float)
    return t[(t >= t0_ms) & (t < t1_ms)]


def spike_counts(spike_trains: SpikeTrains, t0_ms: float, t1_ms: float) -> np.ndarray:
    """Number of spikes of each cell in ``[t0_ms, t1_ms)``.

    Parameters
    ----------
    spike_trains : sequence of numpy.ndarray
        Spike times (ms) of each cell.
    t0_ms, t1_ms : float
        Window (ms), half-open.

    Returns
    -------
    numpy.ndarray
        Integer counts, one per cell.
    """
    _check_window(t0_ms, t1_ms)
    return np.array([_in_window(st, t0_ms, t1_ms).size for st in spike_trains], dtype=np.int64)


def cell_rates_hz(spike_trains: SpikeTrains, t0_ms: float, t1_ms: float) -> np.ndarray:
    """Mean firing rate (Hz) of each cell in ``[t0_ms, t1_ms)``.

    Returns
    -------
    numpy.ndarray
        ``count / duration_s`` per cell (float).
    """
    duration_ms = _check_window(t0_ms, t1_ms)
    return spike_counts(spike_trains, t0_ms, t1_ms) / (duration_ms * 1e-3)


def pool_rate_hz(spike_trains: SpikeTrains, t0_ms: float, t1_ms: float) -> float:
    """Pool firing rate (Hz): mean over all cells (silent ones included).

    NaN for an empty pool.
    """
    rates = cell_rates_hz(spike_trains, t0_ms, t1_ms)
    return float(rates.mean()) if rates.size else float("nan")


def active_rate_hz(
    spike_trains: SpikeTrains, t0_ms: float, t1_ms: float, min_spikes: int = 1
) -> float:
    """Mean rate (Hz) over the recruited cells only (>= ``min_spikes`` in the window).

    NaN when no cell is recruited.
    """
    counts = spike_counts(spike_trains, t0_ms, t1_ms)
    active = counts >= min_spikes
    if not active.any():
        return float("nan")
    return float(counts[active].mean() / ((t1_ms - t0_ms) * 1e-3))


def recruited_fraction(
    spike_trains: SpikeTrains, t0_ms: float, t1_ms: float, min_spikes: int = 1
) -> float:
    """Fraction (0-1) of cells with at least ``min_spikes`` spikes in the window.

    NaN for an empty pool.
    """
    if min_spikes < 1:
        raise ValueError(f"min_spikes must be >= 1, got {min_spikes}")
    counts = spike_counts(spike_trains, t0_ms, t1_ms)
    return float(np.mean(counts >= min_spikes)) if counts.size else float("nan")


def cell_isi_cv(
    spike_trains: SpikeTrains,
    t0_ms: float = -np.inf,
    t1_ms: float = np.inf,
    min_spikes: int = 3,
) -> np.ndarray:
    """Coefficient of variation of the inter-spike intervals of each cell.

    Only spikes inside ``[t0_ms, t1_ms)`` are used (default: all spikes).
    CV = SD(ISI, ddof=1) / mean(ISI), dimensionless.

    Returns
    -------
    numpy.ndarray
        One value per cell; NaN for cells with fewer than ``min_spikes``
        spikes in the window.
    """
    if min_spikes < 3:
        raise ValueError(f"min_spikes must be >= 3 (two intervals), got {min_spikes}")
    out = np.full(len(spike_trains), np.nan)
    for i, st in enumerate(spike_trains):
        t = np.sort(_in_window(st, t0_ms, t1_ms))
        if t.size < min_spikes:
            continue
        isi = np.diff(t)
        mean = isi.mean()
        if mean > 0:
            out[i] = isi.std(ddof=1) / mean
    return out


def isi_cv(
    spike_trains: SpikeTrains,
    t0_ms: float = -np.inf,
    t1_ms: float = np.inf,
    min_spikes: int = 3,
) -> float:
    """Mean ISI CV over the cells with at least ``min_spikes`` spikes; NaN when none."""
    cv = cell_isi_cv(spike_trains, t0_ms, t1_ms, min_spikes)
    cv = cv[np.isfinite(cv)]
    return float(cv.mean()) if cv.size else float("nan")


def pool_rate_histogram(
    spike_trains: SpikeTrains, t0_ms: float, t1_ms: float, bin_ms: float = 10.0
) -> tuple[np.ndarray, np.ndarray]:
    """Instantaneous pool rate: spikes per cell per second in consecutive bins.

    Bins of ``bin_ms`` start at ``t0_ms``; a last partial bin is dropped so
    every bin has the same width.

    Returns
    -------
    t_ms : numpy.ndarray
        Bin centres (ms).
    rate_hz : numpy.ndarray
        Pool rate in each bin (Hz per cell); NaN everywhere for an empty pool.
    """
    duration_ms = _check_window(t0_ms, t1_ms)
    if bin_ms <= 0:
        raise ValueError(f"bin_ms must be > 0, got {bin_ms}")
    n_bins = int(np.floor(duration_ms / bin_ms + 1e-9))
    if n_bins < 1:
        raise ValueError(f"window [{t0_ms}, {t1_ms}) is shorter than one bin ({bin_ms} ms)")
    edges = t0_ms + bin_ms * np.arange(n_bins + 1)
    all_t = (
        np.concatenate([np.asarray(st, dtype=float) for st in spike_trains])
        if len(spike_trains)
        else np.empty(0)
    )
    all_t = np.sort(all_t)
    # half-open bins [edge_k, edge_k+1): searchsorted(side="left") on both edges
    counts = np.diff(np.searchsorted(all_t, edges, side="left"))
    centres = edges[:-1] + bin_ms / 2.0
    if len(spike_trains) == 0:
        return centres, np.full(n_bins, np.nan)
    return centres, counts / (len(spike_trains) * bin_ms * 1e-3)
