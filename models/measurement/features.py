"""Pure functions from recorded traces and spike times to numbers.

No NEURON here (eFEL is imported on first use): everything can be tested on
synthetic traces. Times in ms, potentials in mV, currents in nA, resistances
in MOhm, rates in Hz. A "trace" is a :class:`Trace`, with times relative to
the stimulus onset (t = 0).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "Trace",
    "crossing_time",
    "evokes_spike",
    "fi_summary",
    "first_rate_hz",
    "first_spike_threshold_mv",
    "loglinear_tau",
    "probe_input_resistance",
    "probe_tau",
    "ramp_features",
    "spike_features",
    "steady_rate_hz",
    "step_input_resistance",
    "valid_spikes",
]

NAN = math.nan

#: eFEL's derivative threshold for the spike onset (mV/ms; Leroy et al. 2014).
DERIVATIVE_THRESHOLD_MV_PER_MS = 10.0


@dataclass
class Trace:
    """One trial at the soma.

    Attributes
    ----------
    t_ms : numpy.ndarray
        Sample times relative to the stimulus onset (ms).
    v_mv : numpy.ndarray
        Somatic potential (mV).
    spikes_ms : numpy.ndarray
        Spike times relative to the onset (ms), see :func:`valid_spikes`.
    amp_na : float
        Amplitude of the square pulse (nA).
    dur_ms : float
        Duration of the pulse (ms).
    """

    t_ms: np.ndarray
    v_mv: np.ndarray
    spikes_ms: np.ndarray
    amp_na: float
    dur_ms: float


# ----------------------------------------------------------------- spikes


#: The spike-shape and AHP properties :func:`spike_features` returns.
SPIKE_SHAPE_KEYS = (
    "spike_amplitude_mv",
    "spike_width_ms",
    "ahp_depth_mv",
    "ahp_half_decay_ms",
    "ahp_decay_2_3_ms",
    "ahp_tau_ms",
)


def valid_spikes(
    t: np.ndarray, v: np.ndarray, crossings: np.ndarray, threshold_mv: float, max_ms: float
) -> np.ndarray:
    """The upward threshold crossings after which v falls below threshold within ``max_ms``.

    This rejects a potential pushed above threshold and held there (a passive
    membrane under a large current, depolarisation block).

    Parameters
    ----------
    t, v : numpy.ndarray
        Sample times (ms) and potential (mV).
    crossings : numpy.ndarray
        Times of upward crossings of ``threshold_mv`` (ms, same clock as ``t``).
    threshold_mv : float
        Spike detection threshold (mV).
    max_ms : float
        Longest time above threshold of a spike (ms).

    Returns
    -------
    numpy.ndarray
        The crossings that are spikes (ms).
    """
    keep = []
    for ts in crossings:
        i0 = int(np.searchsorted(t, ts, side="right"))
        i1 = int(np.searchsorted(t, ts + max_ms, side="right"))
        if i1 > i0 and np.any(v[i0:i1] < threshold_mv):
            keep.append(ts)
    return np.asarray(keep, dtype=float)


def evokes_spike(trace: Trace, window_after_ms: float = 2.0) -> bool:
    """Whether ``trace`` has a spike during its pulse or within ``window_after_ms`` (ms) after."""
    s = trace.spikes_ms
    return bool(np.any((s >= 0) & (s <= trace.dur_ms + window_after_ms)))


def steady_rate_hz(spikes_ms: np.ndarray, dur_ms: float, fraction: float) -> float:
    """Mean firing rate over the last ``fraction`` of a step.

    Parameters
    ----------
    spikes_ms : numpy.ndarray
        Spike times from the step onset (ms).
    dur_ms : float
        Step duration (ms).
    fraction : float
        Final fraction of the step to average over (0-1).

    Returns
    -------
    float
        1000 / mean ISI (Hz); NaN with fewer than two spikes there or when the
        cell stopped firing (no spike in the last two mean ISIs).
    """
    late = spikes_ms[spikes_ms >= (1.0 - fraction) * dur_ms]
    if late.size < 2:
        return NAN
    isi = float(np.mean(np.diff(late)))
    if dur_ms - late[-1] > 2.0 * isi:  # stopped firing before the end of the step
        return NAN
    return 1000.0 / isi


def first_rate_hz(spikes_ms: np.ndarray) -> float:
    """1000 / first ISI (Hz) of ``spikes_ms`` (ms); NaN with fewer than two spikes."""
    return 1000.0 / (spikes_ms[1] - spikes_ms[0]) if spikes_ms.size > 1 else NAN


# ------------------------------------------------------------ curve fitting


def crossing_time(t: np.ndarray, v: np.ndarray, level: float, start: int, rising: bool) -> float:
    """First time at or after index ``start`` where ``v`` crosses ``level``.

    Parameters
    ----------
    t, v : numpy.ndarray
        Sample times (ms) and values (mV).
    level : float
        Level to cross (mV).
    start : int
        First sample index to look at.
    rising : bool
        Look for ``v >= level`` (True) or ``v <= level`` (False).

    Returns
    -------
    float
        Crossing time, linearly interpolated between samples (ms); NaN if none.
    """
    seg = v[start:]
    hit = np.nonzero(seg >= level if rising else seg <= level)[0]
    if hit.size == 0:
        return NAN
    i = start + int(hit[0])
    if i == 0:
        return float(t[0])
    v0, v1 = v[i - 1], v[i]
    frac = 0.0 if v1 == v0 else (level - v0) / (v1 - v0)
    return float(t[i - 1] + frac * (t[i] - t[i - 1]))


def loglinear_tau(t: np.ndarray, y: np.ndarray) -> float:
    """Time constant of ``y = A exp(-t / tau)`` by a straight-line fit to ``log y``.

    Parameters
    ----------
    t : numpy.ndarray
        Times (ms).
    y : numpy.ndarray
        Decaying values (any unit); samples <= 0 are ignored.

    Returns
    -------
    float
        tau (ms); NaN with fewer than three positive samples or no decay.
    """
    ok = y > 0
    if ok.sum() < 3:
        return NAN
    slope = np.polyfit(t[ok], np.log(y[ok]), 1)[0]
    return float(-1.0 / slope) if slope < 0 else NAN


# ------------------------------------------------------------------ passive


def probe_tau(
    t_ms: np.ndarray, dv_mv: np.ndarray, probe_ms: float, fit_fractions: tuple[float, float]
) -> float:
    """Slowest membrane time constant from the tail of a brief current pulse.

    Parameters
    ----------
    t_ms : numpy.ndarray
        Times from the pulse onset (ms).
    dv_mv : numpy.ndarray
        Response minus the unstimulated control (mV).
    probe_ms : float
        Pulse duration (ms); the tail starts at its end.
    fit_fractions : (float, float)
        Fit ``log|dv|`` where it has decayed from the first to the second
        fraction of its peak (the faster components have died out).

    Returns
    -------
    float
        tau_0 (ms); NaN if the tail never decays below the first fraction.
    """
    post = t_ms >= probe_ms
    t, dv = t_ms[post], dv_mv[post]
    ipk = int(np.argmax(np.abs(dv)))
    peak = abs(dv[ipk])
    hi_frac, lo_frac = fit_fractions
    mag = np.abs(dv[ipk:])
    tail = t[ipk:]
    start = np.nonzero(mag <= hi_frac * peak)[0]
    if not start.size:
        return NAN
    i0 = int(start[0])
    end = np.nonzero(mag[i0:] <= lo_frac * peak)[0]
    i1 = i0 + int(end[0]) if end.size else mag.size
    return loglinear_tau(tail[i0:i1] - tail[i0], mag[i0:i1])


def probe_input_resistance(
    t_ms: np.ndarray, dv_mv: np.ndarray, probe_ms: float, amp_na: float
) -> float:
    """Input resistance from a brief pulse: integral of the tail / injected charge.

    Parameters
    ----------
    t_ms : numpy.ndarray
        Times from the pulse onset (ms).
    dv_mv : numpy.ndarray
        Response minus the unstimulated control (mV).
    probe_ms : float
        Pulse duration (ms); the integral runs from its end.
    amp_na : float
        Pulse amplitude (nA).

    Returns
    -------
    float
        mV ms / (nA ms) = MOhm; NaN for a zero amplitude. An estimate: the
        integral misses the response during the pulse.
    """
    post = t_ms >= probe_ms
    t, dv = t_ms[post], dv_mv[post]
    charge = amp_na * probe_ms  # nA ms
    integral = float(np.sum(0.5 * (dv[1:] + dv[:-1]) * np.diff(t)))  # mV ms
    return integral / charge if charge else NAN


def step_input_resistance(
    t_ms: np.ndarray, dv_mv: np.ndarray, amp_na: float, step_ms: float
) -> dict[str, float]:
    """Peak and plateau input resistance and sag ratio of a square step.

    Parameters
    ----------
    t_ms : numpy.ndarray
        Times from the step onset (ms).
    dv_mv : numpy.ndarray
        Response minus the unstimulated control (mV).
    amp_na : float
        Step amplitude (nA), either sign.
    step_ms : float
        Step duration (ms); the plateau is its last 10 %.

    Returns
    -------
    dict
        ``rin_mohm`` (largest deflection / I), ``rin_plateau_mohm`` (mean
        deflection over the plateau / I), ``sag_ratio`` (peak / plateau).
    """
    during = (t_ms >= 0) & (t_ms < step_ms)
    plateau = (t_ms >= 0.9 * step_ms) & (t_ms < step_ms)
    peak_dv = float(np.max(dv_mv[during] / np.sign(amp_na)))
    plateau_dv = float(np.mean(dv_mv[plateau] / np.sign(amp_na)))
    rin = peak_dv / abs(amp_na)
    rin_plateau = plateau_dv / abs(amp_na)
    return {"rin_mohm": rin, "rin_plateau_mohm": rin_plateau, "sag_ratio": rin / rin_plateau}


# --------------------------------------------------------------------- eFEL


@contextmanager
def _efel(threshold_mv: float, dt_ms: float) -> Iterator[Any]:
    """Set eFEL's spike threshold, 10 mV/ms derivative threshold and step; restore after."""
    import efel

    names = ("Threshold", "DerivativeThreshold", "interp_step")
    old = {n: getattr(efel.get_settings(), n) for n in names}
    efel.set_setting("Threshold", float(threshold_mv))
    efel.set_setting("DerivativeThreshold", DERIVATIVE_THRESHOLD_MV_PER_MS)
    efel.set_setting("interp_step", float(dt_ms))
    try:
        yield efel
    finally:
        for name, value in old.items():
            efel.set_setting(name, value)


def efel_values(
    trace: Trace, features: list[str], threshold_mv: float, dt_ms: float, stim_end_ms: float
) -> dict[str, np.ndarray | None]:
    """eFEL ``features`` of ``trace`` (stimulus from t = 0 to ``stim_end_ms``).

    Parameters
    ----------
    trace : Trace
        The trace; eFEL sees it shifted to start at 0.
    features : list of str
        eFEL feature names.
    threshold_mv : float
        Spike detection threshold (mV).
    dt_ms : float
        eFEL's interpolation step (ms).
    stim_end_ms : float
        End of the analysed stimulus period (ms, trace clock).

    Returns
    -------
    dict
        Feature name -> array of values, or None where eFEL gives none. Times
        are relative to the start of the trace.
    """
    t0 = trace.t_ms[0]
    efel_trace = {
        "T": trace.t_ms - t0,
        "V": trace.v_mv,
        "stim_start": [-t0],
        "stim_end": [stim_end_ms - t0],
    }
    with _efel(threshold_mv, dt_ms) as efel:
        out = efel.get_feature_values([efel_trace], features, raise_warnings=False)[0]
    return {name: out.get(name) for name in features}


def _first(values: np.ndarray | None) -> float:
    if values is None or len(values) == 0:
        return NAN
    return float(values[0])


def first_spike_threshold_mv(trace: Trace, *, threshold_mv: float, dt_ms: float) -> float:
    """Spike threshold of the first spike: eFEL ``AP_begin_voltage`` (dV/dt > 10 mV/ms).

    Parameters
    ----------
    trace : Trace
        A trace with at least one spike.
    threshold_mv : float
        Spike detection threshold (mV).
    dt_ms : float
        eFEL's interpolation step (ms).

    Returns
    -------
    float
        Threshold potential (mV); NaN without a spike.
    """
    values = efel_values(trace, ["AP_begin_voltage"], threshold_mv, dt_ms, trace.t_ms[-1])
    return _first(values["AP_begin_voltage"])


def spike_features(
    trace: Trace, *, threshold_mv: float, dt_ms: float, ahp_skip_ms: float = 5.0
) -> dict[str, float]:
    """Amplitude, width and AHP of the first spike of ``trace``.

    eFEL finds the baseline (``voltage_base``: mean over the last 10 % of the
    pre-stimulus period), the peak and the AHP trough (``min_AHP``); the width
    and the AHP decay times are read from the trace at the levels defined in
    :mod:`~cordsim.models.measurement.properties`, with linearly interpolated
    crossing times. When a fast AHP is followed by an afterdepolarisation and a
    later (medium) AHP trough, more than ``ahp_skip_ms`` after the peak, the AHP
    measures refer to that medium AHP, as in the motor neuron literature. With
    two or more spikes, only the part of the trace before the midpoint of the
    first two is used.

    Parameters
    ----------
    trace : Trace
        Stimulus onset at t = 0; ``spikes_ms`` must hold the spike times.
    threshold_mv : float
        Spike detection threshold (mV).
    dt_ms : float
        eFEL's interpolation step (ms).
    ahp_skip_ms : float
        A medium AHP trough counts only this long after the peak (ms).

    Returns
    -------
    dict
        ``spike_amplitude_mv`` (mV), ``spike_width_ms`` (ms), ``ahp_depth_mv``
        (baseline - trough, mV), ``ahp_half_decay_ms``, ``ahp_decay_2_3_ms``
        and ``ahp_tau_ms`` (ms); NaN for what does not apply.
    """
    out = dict.fromkeys(SPIKE_SHAPE_KEYS, NAN)
    end = trace.t_ms[-1]
    if trace.spikes_ms.size > 1:  # measure the first spike's AHP only up to the second
        end = 0.5 * (trace.spikes_ms[0] + trace.spikes_ms[1])
    feats = ["voltage_base", "AP_amplitude_from_voltagebase", "peak_time", "AHP_time_from_peak"]
    values = efel_values(trace, feats, threshold_mv, dt_ms, end)
    t, v = trace.t_ms, trace.v_mv
    base = _first(values["voltage_base"])
    amplitude = _first(values["AP_amplitude_from_voltagebase"])
    out["spike_amplitude_mv"] = amplitude
    # eFEL times are relative to the trace start; map them back to sample indices
    t_peak = _first(values["peak_time"]) + t[0]
    if math.isnan(t_peak) or math.isnan(amplitude):
        return out
    ipk = min(int(np.searchsorted(t, t_peak - 1e-9)), t.size - 1)
    half = base + 0.5 * amplitude
    up = crossing_time(t, v, half, int(np.searchsorted(t, 0.0)), rising=True)
    down = crossing_time(t, v, half, ipk, rising=False)
    out["spike_width_ms"] = down - up
    t_trough = t_peak + _first(values["AHP_time_from_peak"])
    if math.isnan(t_trough):
        return out
    itr = min(int(np.searchsorted(t, t_trough - 1e-9)), t.size - 1)
    # a fast AHP, an ADP, then the medium AHP: the medium AHP is "the" AHP
    i_skip = int(np.searchsorted(t, t_peak + ahp_skip_ms))
    i_end = int(np.searchsorted(t, end, side="right"))
    if i_skip < i_end - 1:
        i_med = i_skip + int(np.argmin(v[i_skip:i_end]))
        if i_skip < i_med < i_end - 1:  # an interior trough, not the tail of the fast AHP
            itr = i_med
    depth = base - float(v[itr])
    out["ahp_depth_mv"] = depth
    if depth <= 0:
        return out
    t_trough = float(t[itr])
    for key, frac in (("ahp_half_decay_ms", 0.5), ("ahp_decay_2_3_ms", 2.0 / 3.0)):
        out[key] = crossing_time(t, v, v[itr] + frac * depth, itr, rising=True) - t_trough
    remaining = base - v[itr:]
    tt = t[itr:]
    i0 = np.nonzero(remaining <= 0.8 * depth)[0]
    i1 = np.nonzero(remaining <= 0.2 * depth)[0]
    if i0.size and i1.size and i1[0] > i0[0] + 2:
        sl = slice(int(i0[0]), int(i1[0]))
        out["ahp_tau_ms"] = loglinear_tau(tt[sl] - tt[sl][0], remaining[sl])
    return out


# -------------------------------------------------------------- F-I, ramps


def fi_summary(
    curve: pd.DataFrame, rheobase_na: float, fit_range: tuple[float, float] = (1.1, 3.0)
) -> dict[str, float]:
    """F-I slope over the primary range and lowest steady rate of a step F-I curve.

    Parameters
    ----------
    curve : pandas.DataFrame
        Columns ``current_na`` (nA) and ``steady_rate_hz`` (Hz; NaN where the
        cell did not fire repetitively), as :func:`~cordsim.models.measurement.
        cell_protocols.fi_curve` returns.
    rheobase_na : float
        Rheobase (nA).
    fit_range : (float, float)
        Steps between these multiples of the rheobase enter the fit.

    Returns
    -------
    dict
        ``fi_slope_hz_per_na`` (least-squares slope, Hz/nA; NaN with fewer than
        two steps in range), ``f_min_hz`` (Hz) and ``f_steady_3x_hz`` (steady
        rate of the step at 3 x rheobase, Hz; NaN without such a step or
        without steady firing on it).
    """
    steady = curve.dropna(subset=["steady_rate_hz"])
    out = {"fi_slope_hz_per_na": NAN, "f_min_hz": NAN, "f_steady_3x_hz": NAN}
    if steady.empty:
        return out
    out["f_min_hz"] = float(steady["steady_rate_hz"].min())
    at_3x = steady[np.isclose(steady["current_na"], 3.0 * rheobase_na, rtol=1e-6)]
    if not at_3x.empty:
        out["f_steady_3x_hz"] = float(at_3x["steady_rate_hz"].iloc[0])
    lo, hi = fit_range
    fit = steady[
        (steady["current_na"] >= lo * rheobase_na * (1 - 1e-9))
        & (steady["current_na"] <= hi * rheobase_na * (1 + 1e-9))
    ]
    if len(fit) >= 2:
        out["fi_slope_hz_per_na"] = float(
            np.polyfit(fit["current_na"], fit["steady_rate_hz"], 1)[0]
        )
    return out


#: The properties :func:`ramp_features` returns.
RAMP_KEYS = (
    "i_recruit_na",
    "i_derecruit_na",
    "delta_i_na",
    "fi_slope_ramp_hz_per_na",
    "subprimary_range_na",
    "subprimary_isi_cv",
    "recruitment_isi_cv2",
    "primary_isi_cv2",
)
#: ISIs read at recruitment and at the top of the ascending ramp by :func:`discharge_irregularity`.
RECRUITMENT_ISIS = 10
PRIMARY_ISIS = 20
#: A sub-primary range needs its F-I slope at least this many times the primary range's.
SPR_SLOPE_RATIO = 1.5


def subprimary_range(
    amps_na: np.ndarray, rates_hz: np.ndarray, i_recruit_na: float
) -> dict[str, float]:
    """Sub-primary firing range on the ascending arm of a slow ramp.

    Adult mouse motor neurons first fire in a sub-primary range, where the rate
    rises steeply and the discharge is irregular, then in the linear primary
    range (Manuel et al. 2009; Iglesias et al. 2011; Martinez-Silva et al. 2018).
    The instantaneous rate vs current is fitted with two continuous line
    segments (the breakpoint at each interior sample in turn, least squares).
    If the first segment is at least ``SPR_SLOPE_RATIO`` times steeper than the
    second, the sub-primary range runs from recruitment to the breakpoint;
    otherwise the cell enters its primary range at recruitment (width 0).

    Parameters
    ----------
    amps_na, rates_hz : numpy.ndarray
        Ramp current (nA) and instantaneous rate (Hz, 1 / ISI) at each spike
        after the first, in time order.
    i_recruit_na : float
        Current at the first spike (nA).

    Returns
    -------
    dict
        ``subprimary_range_na`` (nA; NaN with fewer than 6 ISIs) and
        ``subprimary_isi_cv`` (coefficient of variation of the ISIs within it;
        NaN with fewer than 3 there).
    """
    out = {"subprimary_range_na": NAN, "subprimary_isi_cv": NAN}
    x = np.asarray(amps_na, dtype=float)
    y = np.asarray(rates_hz, dtype=float)
    if x.size < 6:
        return out
    best = (np.inf, None, 0.0, 0.0)
    for k in range(2, x.size - 2):
        xb = x[k]
        # continuous two-segment model: y = a + b1 * min(x - xb, 0) + b2 * max(x - xb, 0)
        design = np.column_stack([np.ones_like(x), np.minimum(x - xb, 0), np.maximum(x - xb, 0)])
        coef, *_ = np.linalg.lstsq(design, y, rcond=None)
        sse = float(np.sum((design @ coef - y) ** 2))
        if sse < best[0]:
            best = (sse, xb, float(coef[1]), float(coef[2]))
    _, xb, slope_spr, slope_pr = best
    if xb is None or not (slope_spr > SPR_SLOPE_RATIO * max(slope_pr, 0.0)):
        out["subprimary_range_na"] = 0.0
        return out
    out["subprimary_range_na"] = float(xb - i_recruit_na)
    isi = 1000.0 / y[x <= xb]
    if isi.size >= 3:
        out["subprimary_isi_cv"] = float(np.std(isi) / np.mean(isi))
    return out


def isi_cv2(isi_ms: np.ndarray) -> float:
    """Mean CV2 of consecutive interspike intervals (Holt et al. 1996).

    ``CV2 = 2 |ISI(n+1) - ISI(n)| / (ISI(n+1) + ISI(n))``, averaged over the
    pairs: 0 for a regular train, about 1 for a Poisson train. Being local,
    it does not grow with a slow trend of the rate, as the plain CV does on a
    ramp (Holt GR, Softky WR, Koch C, Douglas RJ 1996 J Neurophysiol 75:1806).

    Parameters
    ----------
    isi_ms : numpy.ndarray
        Interspike intervals in time order (ms).

    Returns
    -------
    float
        Mean CV2; NaN with fewer than 2 intervals.
    """
    isi = np.asarray(isi_ms, dtype=float)
    if isi.size < 2:
        return NAN
    return float(np.mean(2.0 * np.abs(np.diff(isi)) / (isi[1:] + isi[:-1])))


def discharge_irregularity(upward_spikes_ms: np.ndarray) -> dict[str, float]:
    """Irregularity of the discharge at recruitment and at the top of a slow ramp.

    Mouse motor neurons recorded in vivo fire very irregularly in their
    sub-primary range, just above recruitment, and regularly in the primary
    range (Manuel et al. 2009; Iglesias et al. 2011). Read as the mean CV2
    (:func:`isi_cv2`) of the first :data:`RECRUITMENT_ISIS` ISIs of the
    ascending arm and of its last :data:`PRIMARY_ISIS`.

    Parameters
    ----------
    upward_spikes_ms : numpy.ndarray
        Spike times on the ascending arm (ms), in order.

    Returns
    -------
    dict
        ``recruitment_isi_cv2`` and ``primary_isi_cv2``; each NaN without
        enough ISIs, and the primary one also NaN when the two windows would
        overlap (fewer than ``RECRUITMENT_ISIS + PRIMARY_ISIS`` ISIs).
    """
    isi = np.diff(np.asarray(upward_spikes_ms, dtype=float))
    out = {"recruitment_isi_cv2": NAN, "primary_isi_cv2": NAN}
    if isi.size >= RECRUITMENT_ISIS:
        out["recruitment_isi_cv2"] = isi_cv2(isi[:RECRUITMENT_ISIS])
    if isi.size >= RECRUITMENT_ISIS + PRIMARY_ISIS:
        out["primary_isi_cv2"] = isi_cv2(isi[-PRIMARY_ISIS:])
    return out


def ramp_features(
    spikes_ms: np.ndarray,
    *,
    t_start_ms: float,
    t_peak_ms: float,
    t_end_ms: float,
    i_start_na: float,
    i_peak_na: float,
    reached_ms: float,
) -> dict[str, float]:
    """Recruitment, derecruitment and F-I gain on a triangular current ramp.

    The current rises linearly from ``i_start_na`` at ``t_start_ms`` to
    ``i_peak_na`` at ``t_peak_ms`` and falls to 0 nA at ``t_end_ms``.

    Parameters
    ----------
    spikes_ms : numpy.ndarray
        Spike times (ms, same clock as the ramp times).
    t_start_ms, t_peak_ms, t_end_ms : float
        Start, peak and end of the ramp (ms).
    i_start_na, i_peak_na : float
        Current at the start and at the peak (nA).
    reached_ms : float
        Time the run reached (ms): it may stop early once the cell is silent.

    Returns
    -------
    dict
        ``i_recruit_na`` (current at the first spike of the upward arm, nA),
        ``i_derecruit_na`` (at the last spike of the downward arm; NaN if the
        cell still fires at 0 nA), ``delta_i_na`` (derecruit - recruit, nA),
        ``fi_slope_ramp_hz_per_na`` (slope of 1 / ISI vs current over the upper
        half of the upward firing range, Hz/nA), ``subprimary_range_na``,
        ``subprimary_isi_cv`` (:func:`subprimary_range`), and
        ``recruitment_isi_cv2``, ``primary_isi_cv2`` (:func:`discharge_irregularity`).
    """
    out = dict.fromkeys(RAMP_KEYS, NAN)
    t_start, t_peak, t_end = t_start_ms, t_peak_ms, t_end_ms
    i_start, i_peak = i_start_na, i_peak_na
    spikes = spikes_ms

    def current(t_ms: np.ndarray | float) -> np.ndarray | float:
        return np.interp(t_ms, [t_start, t_peak, t_end], [i_start, i_peak, 0.0])

    up = spikes[(spikes >= t_start) & (spikes <= t_peak)]
    down = spikes[spikes > t_peak]
    if up.size == 0:
        return out
    out["i_recruit_na"] = float(current(up[0]))
    # still firing when the ramp is back at 0 nA (self-sustained firing): no derecruitment
    still_firing = (
        reached_ms >= t_end - 0.5
        and down.size >= 2
        and t_end - down[-1] < 2.0 * (down[-1] - down[-2])
    )
    if down.size and not still_firing:
        out["i_derecruit_na"] = float(current(down[-1]))
        out["delta_i_na"] = out["i_derecruit_na"] - out["i_recruit_na"]
    if up.size >= 4:
        rate = 1000.0 / np.diff(up)
        amps = current(up[1:])
        sel = amps >= out["i_recruit_na"] + 0.5 * (i_peak - out["i_recruit_na"])
        if sel.sum() >= 3:
            out["fi_slope_ramp_hz_per_na"] = float(np.polyfit(amps[sel], rate[sel], 1)[0])
        out.update(subprimary_range(amps, rate, out["i_recruit_na"]))
    out.update(discharge_irregularity(up))
    return out
