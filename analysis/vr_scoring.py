"""Ventral-root (VR) potentials scored by the rules of the Brownstone lab's Signal script.

Source of the rules
-------------------
Pocratsky et al. 2023 (Sci Transl Med, Tor1a dystonia) scored the ventral-root
population potentials evoked by dorsal-root stimulation of isolated mouse
spinal cords with a CED Signal script, public at GitHub
``Brownstone-lab/Pocratsky2023_signalScript`` (files ``MSR_script.sgs``,
version 20220430, and ``README.md``). The script places *active cursors* on
each frame and reads Signal measurements between them. This module re-states
those rules in numpy; it shares no code or text with the script. Cursor names
below are the script's (``v1``..``v9`` vertical, ``h1``..``h4`` horizontal).

Windows and threshold (all relative to the stimulus time ``stim_ms``)

* baseline ``[-15, -5)`` ms (cursors v1, v2); the threshold is the baseline
  mean + 2 SD (h1, "BL+2SD"), :attr:`ScoringRules.threshold_sd` = 2.
* response window ``[+2, +55)`` ms (v3 "START", v4 "END").
* optional *falling threshold* (the script's "BL(+/-)2SD" option): the rising
  crossings use ``mean + 2 SD`` as before, the falling crossings that end the
  positive phase use ``mean - 2 SD`` (h3).

Standard waveform (``complex_mode=False``; the script's ``Measure1%`` and
``TrendPlot1%``)

* on (v5): first rising crossing of the threshold in the response window that
  stays above it for 1 ms (``onset_hold_ms``).
* off (v6): first falling crossing after ``on`` (below the upper threshold, or
  the lower one with the falling-threshold option) that stays below for 0.1 ms
  (``offset_hold_ms``).
* min (v7): the minimum between ``off`` and the end of the window.
* return (v8): first *rising* crossing of the upper threshold after ``min``,
  held for 0.1 ms (``return_hold_ms``) -- the start of the third phase of a
  triphasic wave.
* measures: ``vr_onset_latency_ms`` = on - stim; ``vr_peak_latency_ms`` and
  ``vr_peak_amplitude_uv``: time and value of the maximum between on and off
  (the script's "extreme"; the data are above threshold there, so it is the
  maximum); ``vr_area_uv_ms`` and ``vr_rms_uv``: area and RMS amplitude of the
  trace between on and off (the positive phase); ``vr_duration_ms`` = off - on;
  ``vr_peak_to_peak_uv``: maximum - minimum between on and return;
  ``vr_min_uv``/``vr_min_latency_ms``: value and time of ``min``;
  ``vr_triphasic_duration_ms`` = return - on.

Complex waveform (``complex_mode=True``; ``Measure1Rev%``,
``Measure1RevPeaks%`` and their trend plots)

* true peak (v5): the maximum in the response window -> ``vr_peak_latency_ms``,
  ``vr_peak_amplitude_uv`` (the largest peak of a multi-peaked response).
* on (v6): first rising crossing held 0.5 ms (``complex_onset_hold_ms``), i.e.
  the onset of the *first* response, -> ``vr_onset_latency_ms``.
* total (v7): first falling crossing after the true peak held 2 ms
  (``total_hold_ms``) -> ``vr_total_duration_ms`` = total - on,
  ``vr_total_area_uv_ms`` = area between on and total.
* off (v8): first falling crossing after the true peak, held 0.1 ms, searched
  up to total + 10 ms -> ``vr_duration_ms`` = off - on and ``vr_area_uv_ms``
  between on and off. With the falling-threshold option total and off use
  ``mean - 2 SD``.
* first peak (``Measure1RevPeaks%``, upper threshold only, its END is +40 ms,
  ``first_peak_window_end_ms``): the first "peak find" peak between on and
  (the maximum in ``[+2, +40)`` ms) + 10 ms, that is above the threshold and
  rises and falls by at least 3 µV (``peak_min_rise_uv``; the script's 3e-6 V)
  within 10 ms (``peak_max_width_ms``) -> ``vr_first_peak_latency_ms``,
  ``vr_first_peak_amplitude_uv`` (its value).
* RMS, peak-to-peak, minimum and triphasic duration are not measured in this
  mode (NaN), as in the script.

Where this port differs from, or had to interpret, the script
--------------------------------------------------------------
* Threshold-crossing cursors: Signal's "rising/falling threshold" cursors are
  read as: the first pair of samples, both in the search range, that goes from
  one side of the level to the other, with the data staying on the new side
  for the hold time (``round(hold_ms * fs)`` samples, at least one). The
  crossing time is interpolated linearly between the two samples. The script
  passes the threshold as both level arguments (no hysteresis); so does this.
* The script searches ``off`` (standard mode) from START, not from ``on``; the
  two agree whenever ``off`` > ``on``. Searching from ``on`` avoids a negative
  duration when a sub-1-ms blip precedes the onset.
* Falling threshold, standard mode: the script's h3 is the expression
  ``-HCursor(1)``, i.e. ``-(mean + 2 SD)``, whereas its dialogs and its complex
  mode use ``mean - 2 SD``. The two are equal for a zero-mean (AC-coupled)
  baseline; this port uses ``mean - threshold_sd * SD`` in both modes.
* The script measures the minimum between off and return (and loses it when
  there is no return); here it is the minimum cursor itself (off to END), the
  same value whenever a return exists. Its time is reported relative to the
  stimulus (the script plots the absolute frame time).
* Windows are half-open, ``[start, end)``: a 10 ms baseline at fs = 20 kHz is
  200 samples. The baseline SD is the population SD (``ddof=0``); Signal does
  not say which it uses (the two differ by ``sqrt(n/(n-1))``, 0.25 % at 200
  samples).
* Areas and RMS are integrals of the linearly interpolated trace between the
  two fractional crossing times (trapezoid rule), in µV·ms (the script: V·s);
  RMS = sqrt(integral of y**2 / duration). Like Signal's "Area" and "RMS
  amplitude" they are taken from y = 0, not from the baseline mean: the script
  never subtracts the baseline (VR recordings are AC-coupled). Set
  ``subtract_baseline=True`` to measure every amplitude, area and RMS from the
  baseline mean instead (thresholds are unchanged).
  ``vr_baseline_mean_uv``, ``vr_baseline_sd_uv`` and the thresholds are always
  in the trace's own (raw) frame.
* ``vr_n_peaks`` (complex mode) is not in the script: the number of peaks found
  by the first-peak rule between on and END.
* No response: a cursor that Signal cannot place gives no point in the
  script's trend plot; here every measure that depends on a missing cursor is
  NaN (amplitudes and areas included, not 0). ``vr_n_peaks`` is 0 when there is
  no onset. Use ``frame.fillna(0)`` on amplitude columns to count failures as
  zero responses.
* Zero-noise baselines (simulated traces): a baseline SD of 0 would put the
  threshold at the baseline mean and score any deflection. By default this
  raises :class:`~cordsim.errors.ParameterError`; set
  ``min_threshold_sd_uv`` (a floor on the SD used for the thresholds, µV) to
  score such traces, e.g. ``min_threshold_sd_uv=1.0``.

Spontaneous bursts (:func:`detect_bursts`) and rate depression
(:func:`rate_depression`) are not in the script; their rules are cordsim's
and are documented on the functions.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.signal import find_peaks

from cordsim.errors import ParameterError

#: Every key of :func:`score_response`, in order (always all present).
METRIC_NAMES: tuple[str, ...] = (
    "vr_baseline_mean_uv",
    "vr_baseline_sd_uv",
    "vr_threshold_uv",
    "vr_lower_threshold_uv",
    "vr_onset_latency_ms",
    "vr_peak_latency_ms",
    "vr_peak_amplitude_uv",
    "vr_area_uv_ms",
    "vr_rms_uv",
    "vr_duration_ms",
    "vr_peak_to_peak_uv",
    "vr_min_uv",
    "vr_min_latency_ms",
    "vr_triphasic_duration_ms",
    "vr_first_peak_latency_ms",
    "vr_first_peak_amplitude_uv",
    "vr_total_duration_ms",
    "vr_total_area_uv_ms",
    "vr_n_peaks",
)

#: Amplitude and area metrics, the default of :func:`rate_depression`.
DEPRESSION_METRICS: tuple[str, ...] = (
    "vr_peak_amplitude_uv",
    "vr_area_uv_ms",
    "vr_rms_uv",
    "vr_peak_to_peak_uv",
)

_NAN = float("nan")


@dataclass(frozen=True)
class ScoringRules:
    """Rules of one VR scoring run; defaults are those of ``MSR_script.sgs``.

    Times are in ms relative to the stimulus, amplitudes in µV. Validated on
    construction (:class:`~cordsim.errors.ParameterError` naming the field).

    Attributes
    ----------
    baseline_start_ms, baseline_end_ms : float
        Baseline window ``[start, end)``, -15 and -5 ms (script v1, v2).
    threshold_sd : float
        Threshold = baseline mean + ``threshold_sd`` * SD (2, "BL+2SD").
    falling_threshold : bool
        The script's "BL(+/-)2SD" option: falling crossings use
        mean - ``threshold_sd`` * SD.
    response_start_ms, response_end_ms : float
        Response window ``[start, end)``, +2 and +55 ms (v3, v4).
    onset_hold_ms, offset_hold_ms, return_hold_ms : float
        Time the data must stay past the level after a crossing: 1, 0.1 and
        0.1 ms for on, off and return (standard mode).
    complex_mode : bool
        Score with the complex-waveform rules (largest peak, first peak,
        total activity) instead of the standard ones.
    complex_onset_hold_ms, total_hold_ms, offset_search_extension_ms : float
        Complex mode: 0.5 ms onset hold, 2 ms hold of the end of total
        activity, off searched up to total + 10 ms.
    first_peak_window_end_ms : float
        END of the first-peak search (+40 ms in the script).
    peak_min_rise_uv, peak_max_width_ms : float
        Peak find: a peak rises and falls by at least 3 µV within 10 ms on
        each side; also the extension of the first-peak search beyond the
        largest peak (10 ms).
    subtract_baseline : bool
        Measure amplitudes, areas and RMS from the baseline mean instead of
        from 0 µV (the script: from 0).
    min_threshold_sd_uv : float or None
        Floor on the SD used for the thresholds (µV). None (default): a
        baseline SD of 0 raises ParameterError.
    """

    baseline_start_ms: float = -15.0
    baseline_end_ms: float = -5.0
    threshold_sd: float = 2.0
    falling_threshold: bool = False
    response_start_ms: float = 2.0
    response_end_ms: float = 55.0
    onset_hold_ms: float = 1.0
    offset_hold_ms: float = 0.1
    return_hold_ms: float = 0.1
    complex_mode: bool = False
    complex_onset_hold_ms: float = 0.5
    total_hold_ms: float = 2.0
    offset_search_extension_ms: float = 10.0
    first_peak_window_end_ms: float = 40.0
    peak_min_rise_uv: float = 3.0
    peak_max_width_ms: float = 10.0
    subtract_baseline: bool = False
    min_threshold_sd_uv: float | None = None

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in ("falling_threshold", "complex_mode", "subtract_baseline"):
                if not isinstance(value, bool):
                    raise ParameterError(f"ScoringRules.{field.name}={value!r}: give True or False")
                continue
            if value is None and field.name == "min_threshold_sd_uv":
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ParameterError(f"ScoringRules.{field.name}={value!r}: give a number")
            if not math.isfinite(value):
                raise ParameterError(f"ScoringRules.{field.name}={value!r}: must be finite")
        if not self.baseline_start_ms < self.baseline_end_ms:
            raise ParameterError(
                f"ScoringRules.baseline_end_ms={self.baseline_end_ms}: must be after "
                f"baseline_start_ms={self.baseline_start_ms} (window reversed or empty)"
            )
        if self.baseline_end_ms > 0:
            raise ParameterError(
                f"ScoringRules.baseline_end_ms={self.baseline_end_ms}: the baseline must end "
                "at or before the stimulus (<= 0 ms)"
            )
        if self.response_start_ms < 0:
            raise ParameterError(
                f"ScoringRules.response_start_ms={self.response_start_ms}: must be >= 0 "
                "(after the stimulus)"
            )
        if not self.response_start_ms < self.response_end_ms:
            raise ParameterError(
                f"ScoringRules.response_end_ms={self.response_end_ms}: must be after "
                f"response_start_ms={self.response_start_ms} (window reversed or empty)"
            )
        if not self.response_start_ms < self.first_peak_window_end_ms <= self.response_end_ms:
            raise ParameterError(
                f"ScoringRules.first_peak_window_end_ms={self.first_peak_window_end_ms}: must "
                f"lie in ({self.response_start_ms}, {self.response_end_ms}]"
            )
        if self.threshold_sd <= 0:
            raise ParameterError(f"ScoringRules.threshold_sd={self.threshold_sd}: must be > 0")
        for name in (
            "onset_hold_ms",
            "offset_hold_ms",
            "return_hold_ms",
            "complex_onset_hold_ms",
            "total_hold_ms",
            "offset_search_extension_ms",
            "peak_min_rise_uv",
        ):
            if getattr(self, name) < 0:
                raise ParameterError(f"ScoringRules.{name}={getattr(self, name)}: must be >= 0")
        if self.peak_max_width_ms <= 0:
            raise ParameterError(
                f"ScoringRules.peak_max_width_ms={self.peak_max_width_ms}: must be > 0"
            )
        if self.min_threshold_sd_uv is not None and self.min_threshold_sd_uv <= 0:
            raise ParameterError(
                f"ScoringRules.min_threshold_sd_uv={self.min_threshold_sd_uv}: must be > 0 "
                "(or None)"
            )


# ----------------------------------------------------------------------------- helpers
def _index_range(a_ms: float, b_ms: float, fs_hz: float, n: int) -> tuple[int, int]:
    """Sample indices ``[i0, i1)`` of the half-open window ``[a_ms, b_ms)``."""
    i0 = math.ceil(a_ms * fs_hz / 1000.0 - 1e-9)
    i1 = math.ceil(b_ms * fs_hz / 1000.0 - 1e-9)
    return max(i0, 0), min(i1, n)


def _crossing(
    y: np.ndarray, level: float, i0: float, i1: int, *, rising: bool, hold_n: int
) -> float:
    """Fractional sample index of the first held crossing in ``[i0, i1)``, or NaN.

    ``i0`` may be fractional (a previous cursor); the pair of samples that
    crosses must both lie in ``[ceil(i0), i1)``.
    """
    start = math.ceil(i0 - 1e-9)
    stop = min(i1, len(y))
    if stop - start < 2:
        return _NAN
    seg = y[start:stop]
    above = seg >= level
    if rising:
        cand = np.flatnonzero(~above[:-1] & above[1:]) + 1
    else:
        cand = np.flatnonzero(above[:-1] & ~above[1:]) + 1
    for j in cand + start:
        held = y[j : j + hold_n]
        if len(held) < hold_n:
            break
        if (held >= level).all() if rising else (held < level).all():
            y0, y1 = y[j - 1], y[j]
            return float(j - 1 + (level - y0) / (y1 - y0))
    return _NAN


def _hold_samples(hold_ms: float, fs_hz: float) -> int:
    return max(1, round(hold_ms * fs_hz / 1000.0))


def _segment(y: np.ndarray, a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Points (fractional index, value) of the interpolated trace on ``[a, b]``."""
    inner = np.arange(math.ceil(a), math.floor(b) + 1)
    inner = inner[(inner > a) & (inner < b)]
    x = np.concatenate(([a], inner, [b]))
    return x, np.interp(x, np.arange(len(y)), y)


def _trapezoid(v: np.ndarray, x: np.ndarray) -> float:
    return float(np.sum((v[1:] + v[:-1]) * np.diff(x)) / 2.0)


def _area_rms(y: np.ndarray, a: float, b: float, dt_ms: float) -> tuple[float, float]:
    """Area (µV·ms) and RMS (µV) of the interpolated trace between indices a < b."""
    if not (math.isfinite(a) and math.isfinite(b)) or b <= a:
        return _NAN, _NAN
    x, v = _segment(y, a, b)
    area = _trapezoid(v, x) * dt_ms
    rms = math.sqrt(max(_trapezoid(v * v, x) / (b - a), 0.0))
    return area, rms


def _extreme(y: np.ndarray, a: float, b: float, *, largest: bool = True) -> tuple[float, float]:
    """(index, value) of the maximum (or minimum) sample in ``[a, b]``; NaN if none."""
    if not (math.isfinite(a) and math.isfinite(b)):
        return _NAN, _NAN
    i0, i1 = math.ceil(a - 1e-9), min(math.floor(b + 1e-9), len(y) - 1)
    if i1 < i0:
        return _NAN, _NAN
    seg = y[i0 : i1 + 1]
    k = int(np.argmax(seg) if largest else np.argmin(seg))
    return float(i0 + k), float(seg[k])


def _peaks(
    y: np.ndarray, a: float, b: float, level: float, rules: ScoringRules, fs_hz: float
) -> np.ndarray:
    """Sample indices of the peak-find peaks in ``[a, b]`` (see module docstring)."""
    if not (math.isfinite(a) and math.isfinite(b)):
        return np.array([], dtype=int)
    i0, i1 = math.ceil(a - 1e-9), min(math.floor(b + 1e-9), len(y) - 1)
    if i1 - i0 < 2:
        return np.array([], dtype=int)
    half = max(1, round(rules.peak_max_width_ms * fs_hz / 1000.0))
    found, _ = find_peaks(
        y[i0 : i1 + 1], height=level, prominence=rules.peak_min_rise_uv, wlen=2 * half + 1
    )
    return found + i0


def _baseline(
    trace: np.ndarray, fs_hz: float, stim_ms: float, rules: ScoringRules
) -> tuple[float, float, float]:
    """(mean, SD, SD used for the thresholds) of the baseline window."""
    i0, i1 = _index_range(
        stim_ms + rules.baseline_start_ms, stim_ms + rules.baseline_end_ms, fs_hz, len(trace)
    )
    if i1 - i0 < 2:
        raise ParameterError(
            f"baseline window [{rules.baseline_start_ms}, {rules.baseline_end_ms}) ms holds "
            f"{max(i1 - i0, 0)} sample(s) at fs={fs_hz} Hz; need at least 2"
        )
    base = trace[i0:i1]
    mean, sd = float(base.mean()), float(base.std())
    if rules.min_threshold_sd_uv is not None:
        return mean, sd, max(sd, float(rules.min_threshold_sd_uv))
    if sd <= 1e-9 * max(1.0, abs(mean)):
        raise ParameterError(
            f"the baseline SD is {sd:g} µV (a noise-free trace): the threshold would equal "
            "the baseline mean and score any deflection; set ScoringRules.min_threshold_sd_uv "
            "(CLI: --min-sd-uv) to a noise floor in µV"
        )
    return mean, sd, sd


def _check_trace(trace_uv: object, fs_hz: float, stim_ms: float, rules: ScoringRules) -> np.ndarray:
    if not isinstance(rules, ScoringRules):
        raise ParameterError(f"rules: expected ScoringRules, got {type(rules).__name__}")
    try:
        fs = float(fs_hz)
        stim = float(stim_ms)
    except (TypeError, ValueError):
        raise ParameterError(f"fs_hz={fs_hz!r}, stim_ms={stim_ms!r}: give numbers") from None
    if not math.isfinite(fs) or fs <= 0:
        raise ParameterError(f"fs_hz={fs_hz!r}: must be a positive sampling rate (Hz)")
    if not math.isfinite(stim):
        raise ParameterError(f"stim_ms={stim_ms!r}: must be finite")
    y = np.asarray(trace_uv, dtype=float)
    if y.ndim != 1:
        raise ParameterError(f"trace_uv: expected one sweep (1-D), got shape {y.shape}")
    if not np.isfinite(y).all():
        raise ParameterError("trace_uv holds NaN or infinite samples")
    duration_ms = len(y) * 1000.0 / fs
    first = stim + rules.baseline_start_ms
    last = stim + rules.response_end_ms
    if first < -1e-9 or last > duration_ms + 1e-9:
        raise ParameterError(
            f"stim_ms={stim:g}: the windows run from {first:g} to {last:g} ms (baseline "
            f"{rules.baseline_start_ms:g} ms, response end +{rules.response_end_ms:g} ms) but "
            f"the trace covers 0 to {duration_ms:g} ms ({len(y)} samples at {fs:g} Hz)"
        )
    return y


# ----------------------------------------------------------------------------- scoring
def score_response(
    trace_uv: Sequence[float] | np.ndarray,
    fs_hz: float,
    stim_ms: float,
    rules: ScoringRules | None = None,
) -> dict[str, float]:
    """Score one frame (sweep) of an evoked VR potential.

    Parameters
    ----------
    trace_uv : array_like, shape (n_samples,)
        The frame in µV; sample ``i`` is at ``t = i / fs_hz * 1000`` ms.
    fs_hz : float
        Sampling rate (Hz).
    stim_ms : float
        Stimulus time in the frame (ms).
    rules : ScoringRules, optional
        Default: ``ScoringRules()`` (the script's standard mode, BL+2SD).

    Returns
    -------
    dict of str to float
        Every key of :data:`METRIC_NAMES`: latencies and durations in ms
        (latencies from the stimulus), amplitudes in µV, areas in µV·ms,
        ``vr_n_peaks`` a count. Measures of the other mode, and measures
        whose cursor could not be placed (no response), are NaN.

    Raises
    ------
    ParameterError
        Bad sampling rate, a trace that is not 1-D and finite, windows outside
        the trace, or a zero-SD baseline without ``min_threshold_sd_uv``.
    """
    rules = ScoringRules() if rules is None else rules
    y_raw = _check_trace(trace_uv, fs_hz, stim_ms, rules)
    fs, stim = float(fs_hz), float(stim_ms)
    dt = 1000.0 / fs
    n = len(y_raw)
    mean, sd, sd_thr = _baseline(y_raw, fs, stim, rules)
    upper_raw = mean + rules.threshold_sd * sd_thr
    lower_raw = mean - rules.threshold_sd * sd_thr
    offset = mean if rules.subtract_baseline else 0.0
    y = y_raw - offset
    upper, lower = upper_raw - offset, lower_raw - offset
    fall = lower if rules.falling_threshold else upper

    out = dict.fromkeys(METRIC_NAMES, _NAN)
    out["vr_baseline_mean_uv"] = mean
    out["vr_baseline_sd_uv"] = sd
    out["vr_threshold_uv"] = upper_raw
    out["vr_lower_threshold_uv"] = lower_raw if rules.falling_threshold else _NAN

    r0, r1 = _index_range(stim + rules.response_start_ms, stim + rules.response_end_ms, fs, n)

    def ms(index: float) -> float:  # fractional sample index -> ms from the stimulus
        return index * dt - stim if math.isfinite(index) else _NAN

    if not rules.complex_mode:
        on = _crossing(y, upper, r0, r1, rising=True, hold_n=_hold_samples(rules.onset_hold_ms, fs))
        if math.isnan(on):
            return out
        off = _crossing(
            y, fall, on, r1, rising=False, hold_n=_hold_samples(rules.offset_hold_ms, fs)
        )
        out["vr_onset_latency_ms"] = ms(on)
        if math.isnan(off):
            return out
        peak_i, peak_v = _extreme(y, on, off)
        area, rms = _area_rms(y, on, off, dt)
        out.update(
            vr_peak_latency_ms=ms(peak_i),
            vr_peak_amplitude_uv=peak_v,
            vr_area_uv_ms=area,
            vr_rms_uv=rms,
            vr_duration_ms=(off - on) * dt,
        )
        min_i, min_v = _extreme(y, off, r1 - 1, largest=False)
        out["vr_min_uv"], out["vr_min_latency_ms"] = min_v, ms(min_i)
        ret = _crossing(
            y, upper, min_i, r1, rising=True, hold_n=_hold_samples(rules.return_hold_ms, fs)
        )
        if math.isfinite(ret):
            top = _extreme(y, on, ret)[1]
            bottom = _extreme(y, on, ret, largest=False)[1]
            out["vr_peak_to_peak_uv"] = top - bottom
            out["vr_triphasic_duration_ms"] = (ret - on) * dt
        return out

    # complex waveform
    on = _crossing(
        y, upper, r0, r1, rising=True, hold_n=_hold_samples(rules.complex_onset_hold_ms, fs)
    )
    if math.isnan(on):
        out["vr_n_peaks"] = 0.0
        return out
    out["vr_onset_latency_ms"] = ms(on)
    peak_i, peak_v = _extreme(y, r0, r1 - 1)
    out["vr_peak_latency_ms"], out["vr_peak_amplitude_uv"] = ms(peak_i), peak_v
    total = _crossing(
        y, fall, peak_i, r1, rising=False, hold_n=_hold_samples(rules.total_hold_ms, fs)
    )
    if math.isfinite(total):
        out["vr_total_duration_ms"] = (total - on) * dt
        out["vr_total_area_uv_ms"] = _area_rms(y, on, total, dt)[0]
        off_end = min(n, math.floor(total + rules.offset_search_extension_ms / dt) + 1)
        off = _crossing(
            y, fall, peak_i, off_end, rising=False, hold_n=_hold_samples(rules.offset_hold_ms, fs)
        )
        if math.isfinite(off):
            out["vr_duration_ms"] = (off - on) * dt
            out["vr_area_uv_ms"] = _area_rms(y, on, off, dt)[0]
    # first peak: the script's Measure1RevPeaks% (upper threshold, END = +40 ms)
    _, fp1 = _index_range(
        stim + rules.response_start_ms, stim + rules.first_peak_window_end_ms, fs, n
    )
    fp_on = _crossing(
        y, upper, r0, fp1, rising=True, hold_n=_hold_samples(rules.complex_onset_hold_ms, fs)
    )
    true_i, _ = _extreme(y, r0, fp1 - 1)
    search_end = true_i + rules.peak_max_width_ms / dt
    first = _peaks(y, fp_on, search_end, upper, rules, fs)
    if len(first):
        out["vr_first_peak_latency_ms"] = ms(float(first[0]))
        out["vr_first_peak_amplitude_uv"] = float(y[first[0]])
    out["vr_n_peaks"] = float(len(_peaks(y, on, r1 - 1, upper, rules, fs)))
    return out


def score_frames(
    frames_uv: Sequence[Sequence[float]] | np.ndarray,
    fs_hz: float,
    stim_ms: float,
    rules: ScoringRules | None = None,
) -> pd.DataFrame:
    """Score every frame of a recording.

    Parameters
    ----------
    frames_uv : array_like, shape (n_frames, n_samples)
        Frames in µV (a 1-D array is one frame).
    fs_hz, stim_ms, rules
        As for :func:`score_response` (the same stimulus time in every frame).

    Returns
    -------
    pandas.DataFrame
        One row per frame: ``frame`` (0-based) and every :data:`METRIC_NAMES`.
    """
    frames = np.asarray(frames_uv, dtype=float)
    if frames.ndim == 1:
        frames = frames[None, :]
    if frames.ndim != 2 or frames.shape[0] == 0:
        raise ParameterError(f"frames_uv: expected shape (n_frames, n_samples), got {frames.shape}")
    rows = []
    for k, frame in enumerate(frames):
        try:
            rows.append({"frame": k, **score_response(frame, fs_hz, stim_ms, rules)})
        except ParameterError as exc:
            raise ParameterError(f"frame {k}: {exc}") from None
    return pd.DataFrame(rows, columns=["frame", *METRIC_NAMES])


def _depression_name(metric: str) -> str:
    """``vr_peak_amplitude_uv`` -> ``vr_peak_amplitude_depression`` (units dropped)."""
    for suffix in ("_uv_ms", "_uv", "_ms"):
        if metric.endswith(suffix):
            return metric[: -len(suffix)] + "_depression"
    return metric + "_depression"


def rate_depression(
    frame: pd.DataFrame,
    rate_column: str = "rate_hz",
    reference_hz: float = 0.1,
    metrics: Sequence[str] = DEPRESSION_METRICS,
) -> pd.DataFrame:
    """Rate-dependent depression: each metric as a fraction of its value at the reference rate.

    Parameters
    ----------
    frame : pandas.DataFrame
        Scored frames (e.g. :func:`score_frames` output) with a stimulation
        rate column; several frames per rate are averaged (NaN ignored).
    rate_column : str
        Column of the stimulation rate (Hz).
    reference_hz : float
        Reference rate (Hz); 0.1 Hz, the usual unconditioned rate.
    metrics : sequence of str
        Amplitude/area columns to normalise.

    Returns
    -------
    pandas.DataFrame
        One row per rate (ascending): ``rate_column``, ``n_frames``, the mean
        of each metric, and ``<metric without unit>_depression`` = mean at
        that rate / mean at the reference rate (dimensionless; 1 at the
        reference; NaN where the reference mean is 0 or NaN). Example:
        ``vr_peak_amplitude_uv`` -> ``vr_peak_amplitude_depression``.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"frame: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in (rate_column, *metrics) if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"rate_depression: column(s) {missing} not in the frame "
            f"(columns: {', '.join(map(str, frame.columns))})"
        )
    rates = pd.to_numeric(frame[rate_column], errors="coerce")
    if rates.isna().any():
        raise ParameterError(f"column {rate_column!r}: every rate must be a number (Hz)")
    data = frame[list(metrics)].apply(pd.to_numeric, errors="coerce")
    data[rate_column] = rates.to_numpy()
    grouped = data.groupby(rate_column, sort=True)
    means = grouped[list(metrics)].mean()
    counts = grouped.size()
    ref_rows = np.flatnonzero(np.isclose(means.index.to_numpy(dtype=float), reference_hz))
    if len(ref_rows) == 0:
        raise ParameterError(
            f"reference_hz={reference_hz:g}: no frame at that rate (rates: "
            f"{', '.join(f'{r:g}' for r in means.index)})"
        )
    ref = means.iloc[ref_rows[0]]
    result = pd.DataFrame({rate_column: means.index.to_numpy(dtype=float)})
    result["n_frames"] = counts.to_numpy()
    for metric in metrics:
        values = means[metric].to_numpy(dtype=float)
        result[metric] = values
        denom = float(ref[metric])
        if math.isfinite(denom) and denom != 0.0:
            result[_depression_name(metric)] = values / denom
        else:
            result[_depression_name(metric)] = _NAN
    return result


# ----------------------------------------------------------------------------- bursts
#: Columns of :func:`detect_bursts`.
BURST_COLUMNS = ("start_ms", "end_ms", "duration_ms", "peak_uv", "peak_time_ms", "area_uv_ms")


def detect_bursts(
    trace_uv: Sequence[float] | np.ndarray,
    fs_hz: float,
    *,
    threshold_mad: float = 5.0,
    min_duration_ms: float = 20.0,
    merge_gap_ms: float = 50.0,
    smooth_ms: float = 0.0,
    rectify: bool = False,
) -> pd.DataFrame:
    """Spontaneous VR bursts of a trace at rest.

    cordsim's rule (not in the lab script; the defaults are labelled choices,
    not taken from a paper): the baseline level is the median of the trace and
    the noise is its robust SD, ``1.4826 * MAD`` (median absolute deviation),
    which bursts occupying a minority of the trace barely move. Samples above
    median + ``threshold_mad`` * noise are "active"; active runs separated by
    less than ``merge_gap_ms`` are merged, and merged runs shorter than
    ``min_duration_ms`` are dropped.

    Parameters
    ----------
    trace_uv : array_like, shape (n_samples,)
        The trace (µV); sample ``i`` at ``i / fs_hz * 1000`` ms.
    fs_hz : float
        Sampling rate (Hz).
    threshold_mad : float
        Threshold in robust SDs above the median (default 5, a cordsim choice).
    min_duration_ms : float
        Shortest burst kept (default 20 ms, a cordsim choice).
    merge_gap_ms : float
        Bursts closer than this are merged (default 50 ms, a cordsim choice).
    smooth_ms : float
        Width of a moving-average filter applied first (0: none).
    rectify : bool
        Detect on ``|trace - median|`` (for AC-coupled, biphasic neurogram
        bursts) instead of on the signed trace.

    Returns
    -------
    pandas.DataFrame
        One row per burst, columns :data:`BURST_COLUMNS`: start and end (ms,
        the first and one past the last active sample), duration (ms), peak
        value (µV, of the detection signal minus the median) and its time
        (ms), and area above the median (µV·ms, rectangle rule).
    """
    y = np.asarray(trace_uv, dtype=float)
    if y.ndim != 1 or len(y) == 0 or not np.isfinite(y).all():
        raise ParameterError("trace_uv: expected a non-empty 1-D finite trace (µV)")
    try:
        fs = float(fs_hz)
    except (TypeError, ValueError):
        raise ParameterError(f"fs_hz={fs_hz!r}: give a sampling rate (Hz)") from None
    if not math.isfinite(fs) or fs <= 0:
        raise ParameterError(f"fs_hz={fs_hz!r}: must be a positive sampling rate (Hz)")
    for name, value in (
        ("threshold_mad", threshold_mad),
        ("min_duration_ms", min_duration_ms),
        ("merge_gap_ms", merge_gap_ms),
        ("smooth_ms", smooth_ms),
    ):
        if not math.isfinite(value) or value < 0:
            raise ParameterError(f"{name}={value!r}: must be a finite number >= 0")
    dt = 1000.0 / fs
    if smooth_ms > 0:
        width = max(1, round(smooth_ms / dt))
        y = np.convolve(y, np.ones(width) / width, mode="same")
    signal = y - np.median(y)
    if rectify:
        signal = np.abs(signal)
    noise = 1.4826 * float(np.median(np.abs(signal - np.median(signal))))
    level = float(np.median(signal)) + threshold_mad * noise
    active = signal > level if noise > 0 else signal > 0
    edges = np.diff(np.concatenate(([0], active.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    merged: list[list[int]] = []
    gap_n = merge_gap_ms / dt
    for s, e in zip(starts, ends, strict=True):
        if merged and s - merged[-1][1] < gap_n:
            merged[-1][1] = e
        else:
            merged.append([s, e])
    rows = []
    for s, e in merged:
        if (e - s) * dt < min_duration_ms:
            continue
        k = s + int(np.argmax(signal[s:e]))
        rows.append(
            {
                "start_ms": s * dt,
                "end_ms": e * dt,
                "duration_ms": (e - s) * dt,
                "peak_uv": float(signal[k]),
                "peak_time_ms": k * dt,
                "area_uv_ms": float(signal[s:e].sum()) * dt,
            }
        )
    return pd.DataFrame(rows, columns=list(BURST_COLUMNS))


def burst_summary(bursts: pd.DataFrame, duration_ms: float) -> dict[str, float]:
    """Count, rate and mean duration of :func:`detect_bursts` output.

    Parameters
    ----------
    bursts : pandas.DataFrame
        Output of :func:`detect_bursts`.
    duration_ms : float
        Length of the analysed trace (ms).

    Returns
    -------
    dict
        ``vr_burst_count`` (bursts), ``vr_burst_rate_hz`` (bursts per s) and
        ``vr_burst_duration_ms`` (mean duration, ms; NaN without bursts).
    """
    if not isinstance(bursts, pd.DataFrame) or "duration_ms" not in bursts.columns:
        raise ParameterError("bursts: expected the DataFrame of detect_bursts")
    if not math.isfinite(duration_ms) or duration_ms <= 0:
        raise ParameterError(f"duration_ms={duration_ms!r}: must be > 0")
    count = len(bursts)
    return {
        "vr_burst_count": float(count),
        "vr_burst_rate_hz": count / (duration_ms / 1000.0),
        "vr_burst_duration_ms": float(bursts["duration_ms"].mean()) if count else _NAN,
    }
