"""Monosynaptic reflex, its rate-dependent depression, and reciprocal inhibition.

All times are relative to each volley's arrival at the dorsal root
(``stim_times_ms`` of the reflex protocol).

Per-volley reflex
-----------------
In the monosynaptic window ``[stim + w0, stim + w1)`` (protocol
``window_ms``, e.g. [1, 10] ms) of each volley:

- amplitude (spikes) = number of spikes of the stimulated muscle's motor pool
  in the window, minus the number in the window of the same length that ends
  at the volley (the baseline: spikes that would have come anyway, e.g. from
  cells firing tonically), so it counts evoked spikes only and may be
  negative (the analogue of the ventral-root reflex area above baseline: it
  grows with the number of motor neurons discharged by the volley);
- fraction (0-1) = (motor neurons that fired at least once in the window -
  those that fired in the baseline window) / pool size;
- latency (ms) = first-spike latency of each motor neuron that fired, from the
  volley: its mean over those cells and its minimum (the onset); NaN when
  none fired.

Rate-dependent depression
-------------------------
``reflex_depression_ratio`` = mean amplitude of the volleys after the first
``n_discard`` (default 3) / amplitude of the first volley. Convention: the
first volley of a train arrives after rest, when the Ia synapse has fully
recovered, so it stands for the 0.1 Hz (unconditioned) amplitude; the
discarded volleys are the transition to the steady state, and the mean of
the rest is the steady amplitude at the train's rate. This follows the Bos
et al. protocol (15 pulses per rate, discard the first 3, average 12,
normalise to 0.1 Hz; targets.md d) with the rested first pulse in place of a
separate 0.1 Hz train. 1 = no depression, < 1 = depression. NaN when the
first volley evokes nothing above baseline or there are not more volleys than
``n_discard``.

Reciprocal inhibition
---------------------
Ia volleys of the agonist inhibit the antagonist motor pool through the Ia
inhibitory interneurons. Its depth = ``1 - test / control`` where test is the
antagonist pool's spike count summed over the windows
``[stim + r0, stim + r1)`` after the volleys (default [2, 20] ms: disynaptic
onset about 1 ms after the monosynaptic one, IPSPs lasting 10-20 ms) and
control the count in matched windows of the same length ending at each volley
(``[stim - (r1 - r0), stim)``). Volleys whose control window would overlap
the previous volley's test window (trains faster than about 1000 / (r1 - r0 +
r1) Hz) are left out. 1 = complete suppression, 0 = no effect, < 0 =
facilitation. The antagonist is usually silent without a drive, and
inhibition of a silent pool cannot be seen in its spikes: NaN when the
control windows hold fewer than ``min_control_spikes`` spikes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from cordsim.models.result import SimulationResult

__all__ = [
    "DEFAULT_WINDOW_MS",
    "DEFAULT_N_DISCARD",
    "DEFAULT_RI_WINDOW_MS",
    "VOLLEY_COLUMNS",
    "volley_responses",
    "reflex_responses",
    "reflex_depression_ratio",
    "depression_curve",
    "window_spike_counts",
    "reciprocal_inhibition_counts",
    "reciprocal_inhibition_depth",
    "antagonist_of",
]

DEFAULT_WINDOW_MS = (1.0, 10.0)
"""Monosynaptic window after the volley (ms) when the protocol gives none."""

DEFAULT_N_DISCARD = 3
"""Volleys skipped before the steady amplitude (Bos et al.; targets.md d)."""

DEFAULT_RI_WINDOW_MS = (2.0, 20.0)
"""Window after an agonist volley in which antagonist spikes are counted (ms)."""

VOLLEY_COLUMNS = (
    "volley",
    "stim_time_ms",
    "amplitude_spikes",
    "evoked_spikes",
    "baseline_spikes",
    "n_cells_fired",
    "fraction_fired",
    "latency_mean_ms",
    "latency_min_ms",
)


def _check_window(window_ms: Sequence[float]) -> tuple[float, float]:
    w0, w1 = (float(w) for w in window_ms)
    if not w1 > w0:
        raise ValueError(f"window_ms must be [start, end] with end > start, got {window_ms}")
    return w0, w1


def volley_responses(
    spike_trains: Sequence[np.ndarray],
    stim_times_ms: Sequence[float],
    window_ms: Sequence[float] = DEFAULT_WINDOW_MS,
) -> pd.DataFrame:
    """Reflex response of a motor pool to each volley.

    Parameters
    ----------
    spike_trains : sequence of numpy.ndarray
        Spike times (ms) of each motor neuron of the stimulated muscle's pool.
    stim_times_ms : sequence of float
        Volley times at the dorsal root (ms).
    window_ms : (float, float)
        Monosynaptic window relative to each volley (ms), half-open.

    Returns
    -------
    pandas.DataFrame
        One row per volley with the columns of :data:`VOLLEY_COLUMNS`:
        ``volley`` (index from 0), ``stim_time_ms``, ``amplitude_spikes``
        (``evoked_spikes`` in the window minus ``baseline_spikes`` in the
        window of the same length ending at the volley), ``n_cells_fired``
        (in the window), ``fraction_fired`` (cells that fired in the window
        minus cells that fired in the baseline window, over the pool size;
        NaN for an empty pool), ``latency_mean_ms`` and
        ``latency_min_ms`` (first-spike latencies from the volley; NaN when
        no cell fired).
    """
    w0, w1 = _check_window(window_ms)
    trains = [np.sort(np.asarray(st, dtype=float)) for st in spike_trains]
    n_cells = len(trains)
    rows = []
    for k, stim in enumerate(np.asarray(stim_times_ms, dtype=float)):
        n_spikes = n_baseline = cells_baseline = 0
        first = []
        for st in trains:
            b0, lo, hi = np.searchsorted(st, [stim - (w1 - w0), stim + w0, stim + w1], "left")
            b1 = np.searchsorted(st, stim, side="left")
            if hi > lo:
                n_spikes += int(hi - lo)
                first.append(st[lo] - stim)
            if b1 > b0:
                n_baseline += int(b1 - b0)
                cells_baseline += 1
        rows.append(
            {
                "volley": k,
                "stim_time_ms": float(stim),
                "amplitude_spikes": n_spikes - n_baseline,
                "evoked_spikes": n_spikes,
                "baseline_spikes": n_baseline,
                "n_cells_fired": len(first),
                "fraction_fired": (len(first) - cells_baseline) / n_cells
                if n_cells
                else float("nan"),
                "latency_mean_ms": float(np.mean(first)) if first else float("nan"),
                "latency_min_ms": float(np.min(first)) if first else float("nan"),
            }
        )
    frame = pd.DataFrame(rows, columns=list(VOLLEY_COLUMNS))
    ints = ("volley", "amplitude_spikes", "evoked_spikes", "baseline_spikes", "n_cells_fired")
    return frame.astype(dict.fromkeys(ints, "int64"))


def antagonist_of(muscle: str) -> str:
    """``"flexor"`` <-> ``"extensor"``."""
    pairs = {"flexor": "extensor", "extensor": "flexor"}
    if muscle not in pairs:
        raise ValueError(f"muscle must be 'flexor' or 'extensor', got {muscle!r}")
    return pairs[muscle]


def reflex_responses(result: SimulationResult) -> pd.DataFrame:
    """:func:`volley_responses` of the stimulated pool of a reflex result.

    Uses the protocol record's ``agonist`` (the stimulated muscle),
    ``stim_times_ms`` and ``response_window_ms``.
    """
    proto = result.protocol
    if "reflex" not in proto.measures:
        raise ValueError(f"not a reflex protocol: {proto.name!r}")
    pool = result.motor_pools()[proto.agonist]
    return volley_responses(result.spike_times(pool), proto.stim_times_ms, proto.response_window_ms)


def reflex_depression_ratio(
    amplitudes: Sequence[float], n_discard: int = DEFAULT_N_DISCARD
) -> float:
    """Steady reflex amplitude over the rested (first-volley) amplitude.

    ``mean(amplitudes[n_discard:]) / amplitudes[0]``; NaN when
    ``amplitudes[0] <= 0`` or ``len(amplitudes) <= n_discard``. See the module
    docstring for the convention.
    """
    amp = np.asarray(amplitudes, dtype=float)
    if n_discard < 1:
        raise ValueError(
            f"n_discard must be >= 1 (the first volley is the reference), got {n_discard}"
        )
    if amp.size <= n_discard or amp[0] <= 0:
        return float("nan")
    return float(amp[n_discard:].mean() / amp[0])


def depression_curve(
    results: Iterable[SimulationResult], n_discard: int | None = None
) -> pd.DataFrame:
    """Rate-dependent depression from reflex results at several train rates.

    Parameters
    ----------
    results : iterable of SimulationResult
        Reflex-protocol results (any mix of rates and seeds).
    n_discard : int, optional
        Overrides each protocol's ``n_discard`` (default: the protocol's, else 3).

    Returns
    -------
    pandas.DataFrame
        One row per result, sorted by ``rate_hz`` then ``seed``: ``rate_hz``
        (train rate, Hz), ``seed``, ``stim_muscle``, ``n_volleys``,
        ``amplitude_first`` (spikes, first volley), ``amplitude_steady``
        (spikes, mean after ``n_discard`` volleys), ``depression_ratio``
        (steady / first).
    """
    rows = []
    for res in results:
        table = reflex_responses(res)
        own = res.protocol.n_discard
        nd = n_discard if n_discard is not None else (own if own is not None else DEFAULT_N_DISCARD)
        amp = table["amplitude_spikes"].to_numpy(dtype=float)
        rows.append(
            {
                "rate_hz": float(res.protocol.params["rate_hz"]),
                "seed": int(res.seed),
                "stim_muscle": res.protocol.agonist,
                "n_volleys": int(amp.size),
                "amplitude_first": float(amp[0]) if amp.size else float("nan"),
                "amplitude_steady": float(amp[nd:].mean()) if amp.size > nd else float("nan"),
                "depression_ratio": reflex_depression_ratio(amp, nd),
            }
        )
    columns = [
        "rate_hz",
        "seed",
        "stim_muscle",
        "n_volleys",
        "amplitude_first",
        "amplitude_steady",
        "depression_ratio",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["rate_hz", "seed"], kind="stable").reset_index(drop=True)


def window_spike_counts(
    spike_trains: Sequence[np.ndarray],
    anchors_ms: Sequence[float],
    window_ms: Sequence[float],
) -> np.ndarray:
    """Spikes of the whole pool in ``[anchor + w0, anchor + w1)`` for each anchor.

    Returns
    -------
    numpy.ndarray
        Integer counts, one per anchor.
    """
    w0, w1 = _check_window(window_ms)
    all_t = (
        np.sort(np.concatenate([np.asarray(st, dtype=float) for st in spike_trains]))
        if len(spike_trains)
        else np.empty(0)
    )
    anchors = np.asarray(anchors_ms, dtype=float)
    lo = np.searchsorted(all_t, anchors + w0, side="left")
    hi = np.searchsorted(all_t, anchors + w1, side="left")
    return (hi - lo).astype(np.int64)


def reciprocal_inhibition_counts(
    antagonist_trains: Sequence[np.ndarray],
    stim_times_ms: Sequence[float],
    window_ms: Sequence[float] = DEFAULT_RI_WINDOW_MS,
) -> tuple[np.ndarray, np.ndarray]:
    """Antagonist spike counts after each agonist volley and in its control window.

    The control window of a volley has the test window's length and ends at
    the volley. Volleys whose control window would start before the end of
    the previous volley's test window are left out.

    Returns
    -------
    test, control : numpy.ndarray
        Counts per kept volley (equal lengths, possibly empty).
    """
    r0, r1 = _check_window(window_ms)
    length = r1 - r0
    stims = np.sort(np.asarray(stim_times_ms, dtype=float))
    keep = np.ones(stims.size, dtype=bool)
    keep[1:] = stims[1:] - length >= stims[:-1] + r1
    stims = stims[keep]
    test = window_spike_counts(antagonist_trains, stims, (r0, r1))
    control = window_spike_counts(antagonist_trains, stims, (-length, 0.0))
    return test, control


def reciprocal_inhibition_depth(
    test_counts: Sequence[float],
    control_counts: Sequence[float],
    min_control_spikes: int = 1,
) -> float:
    """Depth of reciprocal inhibition: ``1 - sum(test) / sum(control)``.

    NaN when the control windows hold fewer than ``min_control_spikes``
    spikes (no baseline activity to inhibit).
    """
    test = np.asarray(test_counts, dtype=float)
    control = np.asarray(control_counts, dtype=float)
    if test.shape != control.shape:
        raise ValueError(f"test and control differ in shape: {test.shape} vs {control.shape}")
    total = control.sum()
    if total < max(min_control_spikes, 1):
        return float("nan")
    return float(1.0 - test.sum() / total)
