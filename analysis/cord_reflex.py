"""The isolated cord's ventral-root readouts: evoked responses by rate, and spontaneous bursts.

A run whose protocol declares the ``ventral_root`` measure (``cord_reflex``;
``rest`` on the isolated-cord preparation) is recorded as the lab records it:
:func:`~cordsim.analysis.ventral_root.ventral_root_trace` synthesises each
ventral root's potential from the motor neurons' spikes, and
:mod:`~cordsim.analysis.vr_scoring` scores it by the rules of the lab's
script.

Evoked responses
----------------
Every dorsal-root volley (``stim_times_ms``) is one frame, cut from the root's
trace 20 ms before to 60 ms after it (the script's baseline starts at -15 ms,
its response window ends at +55 ms), and scored alone. The protocol labels
each volley with the rate it stands for (``stim_rates_hz``: the first,
rested volley of each train stands for the reference rate, 0.1 Hz) and its
place in its train (``stim_pulse_index``). A rate's response is the mean over
its volleys: for the reference rate every rested volley; for a train's rate
the volleys after the train's first ``n_discard``. A volley with no response
above threshold counts as 0 uV and 0 uV ms in the means of amplitudes and
areas (so failures depress the mean, as they do in a recording averaged over
sweeps) and is left out of the means of latencies and durations.

Row keys (the stimulated muscle's root, :attr:`ProtocolRecord.agonist`):
``vr_<measure>`` for each measure of :data:`RESPONSE_METRICS` at the
reference rate, and ``vr_peak_amplitude_depression_<rate>hz`` /
``vr_area_depression_<rate>hz`` (the mean at that rate over the mean at the
reference rate; ``0p1hz`` style labels) for every train rate.

Spontaneous activity
--------------------
In the protocol's ``spontaneous_window_ms`` each root's trace is searched for
bursts (:func:`~cordsim.analysis.vr_scoring.detect_bursts`);
``vr_burst_count``, ``vr_burst_rate_hz`` and ``vr_burst_duration_ms`` sum
(count, rate) or average (duration) over the roots.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cordsim.analysis import vr_scoring as score
from cordsim.analysis.ventral_root import root_column, ventral_root_trace
from cordsim.files import atomic_write_text

if TYPE_CHECKING:  # pragma: no cover
    from cordsim.models.result import SimulationResult

__all__ = [
    "FRAME_MS",
    "RESPONSE_METRICS",
    "SCORES_FILE",
    "write_volley_scores",
    "rate_label",
    "rate_responses",
    "spontaneous_bursts",
    "ventral_root_metrics",
    "volley_scores",
]

#: The per-volley scores file of a result folder (:func:`write_volley_scores`).
SCORES_FILE = "ventral_root_scores.csv"

#: The frame cut around each volley (ms, relative to it).
FRAME_MS = (-20.0, 60.0)

#: Standard-mode measures reported per rate (means over the rate's volleys).
RESPONSE_METRICS = (
    "vr_onset_latency_ms",
    "vr_peak_latency_ms",
    "vr_peak_amplitude_uv",
    "vr_area_uv_ms",
    "vr_rms_uv",
    "vr_duration_ms",
    "vr_peak_to_peak_uv",
    "vr_min_uv",
    "vr_triphasic_duration_ms",
)

#: Amplitude-like measures: a frame without response counts as 0 in their means.
_ZERO_WHEN_ABSENT = ("vr_peak_amplitude_uv", "vr_area_uv_ms", "vr_rms_uv", "vr_peak_to_peak_uv")

#: Measures whose rate-dependent depression is reported, and the columns
#: :func:`~cordsim.analysis.vr_scoring.rate_depression` names it by.
DEPRESSION_METRICS = ("vr_peak_amplitude_uv", "vr_area_uv_ms")
DEPRESSION_COLUMNS = ("vr_peak_amplitude_depression", "vr_area_depression")

NAN = float("nan")


def rate_label(rate_hz: float) -> str:
    """A rate as a metric-name suffix: 10 -> ``"10hz"``, 0.1 -> ``"0p1hz"``."""
    return f"{rate_hz:g}".replace(".", "p") + "hz"


def _fs_hz(frame: pd.DataFrame) -> float:
    t = frame["t_ms"].to_numpy()
    return 1000.0 / float(t[1] - t[0])


def volley_scores(
    result: SimulationResult,
    trace: pd.DataFrame | None = None,
    rules: score.ScoringRules | None = None,
) -> pd.DataFrame:
    """Score every volley on every ventral root of ``result``.

    Parameters
    ----------
    result : SimulationResult
        A run with dorsal-root volleys (``protocol.stim_times_ms``).
    trace : pandas.DataFrame, optional
        The run's ventral-root recording (default: synthesised with
        :func:`~cordsim.analysis.ventral_root.ventral_root_trace`).
    rules : ScoringRules, optional
        Default: the script's standard mode.

    Returns
    -------
    pandas.DataFrame
        One row per (root, volley): ``root`` (muscle), ``volley``,
        ``stim_time_ms``, ``rate_hz`` (the rate the volley stands for),
        ``pulse_index``, then every :data:`~cordsim.analysis.vr_scoring.METRIC_NAMES`.
        Volleys whose frame would leave the trace are left out.
    """
    proto = result.protocol
    trace = ventral_root_trace(result) if trace is None else trace
    fs = _fs_hz(trace)
    stims = np.asarray(proto.stim_times_ms, dtype=float)
    rates = np.asarray(proto.stim_rates_hz or [NAN] * len(stims), dtype=float)
    index = np.asarray(proto.stim_pulse_index or range(len(stims)), dtype=int)
    pre = int(round(-FRAME_MS[0] * fs / 1000.0))
    n = int(round((FRAME_MS[1] - FRAME_MS[0]) * fs / 1000.0))
    rows = []
    for muscle in (p.muscle for p in result.populations.values() if p.kind == "motor_pool"):
        column = root_column(muscle)
        if column not in trace or any(r["root"] == muscle for r in rows):
            continue
        values = trace[column].to_numpy(dtype=float)
        for k, stim in enumerate(stims):
            start = int(round(stim * fs / 1000.0)) - pre
            if start < 0 or start + n > len(values):
                continue
            frame = values[start : start + n]
            scores = score.score_response(frame, fs, pre * 1000.0 / fs, rules)
            rows.append(
                {
                    "root": muscle,
                    "volley": k,
                    "stim_time_ms": float(stim),
                    "rate_hz": float(rates[k]),
                    "pulse_index": int(index[k]),
                    **scores,
                }
            )
    columns = ["root", "volley", "stim_time_ms", "rate_hz", "pulse_index", *score.METRIC_NAMES]
    return pd.DataFrame(rows, columns=columns)


def write_volley_scores(folder: str | Path, scores: pd.DataFrame) -> Path:
    """Write :func:`volley_scores` rows as ``ventral_root_scores.csv`` in ``folder`` (atomic)."""
    path = Path(folder) / SCORES_FILE
    atomic_write_text(path, scores.to_csv(index=False))
    return path


def rate_responses(scores: pd.DataFrame, n_discard: int) -> pd.DataFrame:
    """Mean response and depression per (root, rate) of :func:`volley_scores` rows.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`volley_scores`.
    n_discard : int
        Volleys of each train left out before its steady response (the
        rested first one is the reference).

    Returns
    -------
    pandas.DataFrame
        One row per (root, rate), ascending rate: ``root``, ``rate_hz``,
        ``n_frames``, the mean of each :data:`RESPONSE_METRICS` (amplitudes
        and areas with absent responses as 0), and
        ``vr_peak_amplitude_depression`` / ``vr_area_depression`` relative to
        the root's reference (lowest) rate.
    """
    kept = scores[(scores["pulse_index"] == 0) | (scores["pulse_index"] >= n_discard)].copy()
    for metric in _ZERO_WHEN_ABSENT:
        kept[metric] = kept[metric].fillna(0.0)
    parts = []
    for root, rows in kept.groupby("root", sort=False):
        reference = float(rows["rate_hz"].min())
        means = rows.groupby("rate_hz", sort=True)[list(RESPONSE_METRICS)].mean()
        table = score.rate_depression(
            rows, rate_column="rate_hz", reference_hz=reference, metrics=DEPRESSION_METRICS
        )
        merged = means.reset_index().merge(
            table[["rate_hz", "n_frames", *DEPRESSION_COLUMNS]],
            on="rate_hz",
        )
        merged.insert(0, "root", root)
        parts.append(merged)
    if not parts:
        return pd.DataFrame(columns=["root", "rate_hz", "n_frames", *RESPONSE_METRICS])
    out = pd.concat(parts, ignore_index=True)
    return out[["root", "rate_hz", "n_frames", *RESPONSE_METRICS, *DEPRESSION_COLUMNS]]


def spontaneous_bursts(trace: pd.DataFrame, window_ms: tuple[float, float]) -> dict[str, float]:
    """Bursts of every root of ``trace`` in ``window_ms``, summed over the roots.

    Returns
    -------
    dict
        ``vr_burst_count``, ``vr_burst_rate_hz`` (bursts per second, all
        roots together) and ``vr_burst_duration_ms`` (mean; NaN without
        bursts).
    """
    t = trace["t_ms"].to_numpy()
    inside = (t >= window_ms[0]) & (t < window_ms[1])
    fs = _fs_hz(trace)
    durations: list[float] = []
    for column in (c for c in trace.columns if c != "t_ms"):
        bursts = score.detect_bursts(trace[column].to_numpy(dtype=float)[inside], fs)
        durations += list(bursts["duration_ms"])
    length_s = (window_ms[1] - window_ms[0]) / 1000.0
    return {
        "vr_burst_count": float(len(durations)),
        "vr_burst_rate_hz": len(durations) / length_s if length_s > 0 else NAN,
        "vr_burst_duration_ms": float(np.mean(durations)) if durations else NAN,
    }


def ventral_root_metrics(
    result: SimulationResult, trace: pd.DataFrame | None = None
) -> dict[str, Any]:
    """The ventral-root keys of one run's metrics row (see the module docstring)."""
    proto = result.protocol
    trace = ventral_root_trace(result) if trace is None else trace
    row: dict[str, Any] = {}
    if proto.stim_times_ms:
        scores = volley_scores(result, trace)
        n_discard = proto.n_discard if proto.n_discard is not None else 1
        table = rate_responses(scores, n_discard)
        mine = table[table["root"] == (proto.agonist or "flexor")]
        if len(mine):
            reference = mine.iloc[0]
            for metric in RESPONSE_METRICS:
                row[metric] = float(reference[metric])
            for _, line in mine.iloc[1:].iterrows():
                label = rate_label(float(line["rate_hz"]))
                for column in DEPRESSION_COLUMNS:
                    row[f"{column}_{label}"] = float(line[column])
    if proto.spontaneous_window_ms is not None:
        row.update(spontaneous_bursts(trace, proto.spontaneous_window_ms))
    return row
