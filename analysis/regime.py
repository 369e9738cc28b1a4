"""Is a run in a physiological regime? Per-cell rate checks behind every verdict.

A pool mean can hide a runaway: two motor neurons locked at 250 Hz and the
rest silent give a "spontaneous rate" of 25 Hz. A sign of the phenotype
counts only if the cells that make it fire at rates motor neurons reach in
behaving animals and stop when their drive stops. Two checks, each a flag
in every metrics row (:func:`cordsim.analysis.phenotype.metrics`):

``regime_rate_flag``
    1 when any motor neuron's rate in the analysis window
    (``mn_max_cell_rate_hz_<muscle>``) or in the spontaneous window
    (``mn_spontaneous_max_cell_rate_hz``: a runaway at rest) exceeds
    :data:`MAX_CELL_RATE_HZ`.
``regime_persistence_flag``
    1 when, in a protocol with a drive that ends (``contraction``), any motor
    neuron still fires a sustained discharge (at least three spikes) faster
    than :data:`MAX_AFTER_DRIVE_RATE_HZ` from :data:`AFTER_DRIVE_DELAY_MS`
    after the end of the drive to the end of the run
    (``mn_after_drive_max_cell_rate_hz``, 1000 / mean ISI). 0 where it cannot
    be read.

Both are 0 (not flagged) or 1, NaN never: a row without motor neuron spikes
is in regime. The limits are documented choices, not fits; change them with
the arguments of :func:`regime_flags`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = [
    "AFTER_DRIVE_DELAY_MS",
    "FLAG_KEYS",
    "MAX_AFTER_DRIVE_RATE_HZ",
    "MAX_CELL_RATE_HZ",
    "REGIME_KEYS",
    "flagged_rows",
    "regime_flags",
]

MAX_CELL_RATE_HZ = 150.0
"""Highest mean rate (Hz) of one motor neuron over an analysis window that counts
as behavioural. Assumed: about twice the burst rates of fast motor units in
freely moving rats (60-80 Hz, Hennig & Lomo 1985 Nature 314:164; from memory,
not verified here), and half the lower bound of the current-evoked maximum of
adult mouse motor neurons in vivo (Fmax > 300 Hz, Meehan et al. 2010), which
only strong injected current reaches. No published maximal rate of mouse motor
units in behaviour was found."""

MAX_AFTER_DRIVE_RATE_HZ = 38.0
"""Fastest rate (Hz) allowed 50-100 ms after a drive ends: the minimum steady
rate of adult mouse motor neurons in vivo plus 2 SD (Fmin 23.5 +/- 7.4 Hz,
Meehan et al. 2010 Table 1). Self-sustained (plateau-driven) firing of real
motor neurons runs near Fmin; a cell faster than nearly every cell's Fmin
after its drive stopped is locked by something other than the drive."""

AFTER_DRIVE_DELAY_MS = 50.0
"""Time (ms) after the drive ends from which persistence is read (the synaptic
and afferent tail of the drive has decayed by then: descending and Ia EPSC
decay time constants are a few ms)."""

FLAG_KEYS = ("regime_rate_flag", "regime_persistence_flag")
"""The 0/1 flag columns (:func:`regime_flags`)."""

REGIME_KEYS = (
    "mn_spontaneous_max_cell_rate_hz",
    "mn_after_drive_max_cell_rate_hz",
    "regime_rate_flag",
    "regime_persistence_flag",
)
"""Metric columns this module fills."""


def _finite(x: Any) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return math.nan
    return x if math.isfinite(x) else math.nan


def regime_flags(
    row: Mapping[str, Any],
    *,
    max_cell_rate_hz: float = MAX_CELL_RATE_HZ,
    max_after_drive_rate_hz: float = MAX_AFTER_DRIVE_RATE_HZ,
) -> dict[str, int]:
    """The two regime flags of one metrics row.

    Parameters
    ----------
    row : mapping
        A metrics row with ``mn_max_cell_rate_hz_<muscle>`` (Hz) and, where
        the protocol has them, ``mn_spontaneous_max_cell_rate_hz`` and
        ``mn_after_drive_max_cell_rate_hz`` (Hz).
    max_cell_rate_hz : float
        Rate ceiling over the analysis window (Hz).
    max_after_drive_rate_hz : float
        Rate ceiling after the drive ended (Hz).

    Returns
    -------
    dict
        ``regime_rate_flag`` and ``regime_persistence_flag``, each 0 or 1.
    """
    peaks = [
        _finite(v)
        for k, v in row.items()
        if str(k).startswith("mn_max_cell_rate_hz_") or k == "mn_spontaneous_max_cell_rate_hz"
    ]
    peak = max((p for p in peaks if not math.isnan(p)), default=math.nan)
    after = _finite(row.get("mn_after_drive_max_cell_rate_hz"))
    return {
        "regime_rate_flag": int(not math.isnan(peak) and peak > max_cell_rate_hz),
        "regime_persistence_flag": int(not math.isnan(after) and after > max_after_drive_rate_hz),
    }


def flagged_rows(frame: pd.DataFrame, flag_columns: Sequence[str] = FLAG_KEYS) -> pd.Series:
    """Per row of a metrics frame: 1.0 when any of its regime flags is set, else 0.0.

    Missing flag columns (and NaN flags) count as not set.
    """
    cols = [c for c in flag_columns if c in frame]
    if not cols:
        return pd.Series(0.0, index=frame.index)
    return pd.Series(
        (frame[cols].fillna(0).to_numpy(dtype=float) > 0).any(axis=1).astype(float),
        index=frame.index,
    )
