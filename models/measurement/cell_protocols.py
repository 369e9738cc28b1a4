"""Single-cell current-clamp protocols: passive response, rheobase, single spike, F-I, ramp.

Each protocol runs on one cell with a :class:`~cordsim.models.measurement.rig.ClampRig`
(or, for the ramp, :func:`~cordsim.models.measurement.rig.play_current`) and
turns its traces into numbers with :mod:`cordsim.models.measurement.features`.
Amplitudes are chosen relative to the cell (a brief probe gives the input
resistance, the rheobase scales the rest), so the same code measures a 1 MOhm
adult motor neuron, a 50 MOhm juvenile one and a 500 MOhm interneuron. The
definitions of the properties are in :mod:`cordsim.models.measurement.properties`.

Currents in nA, times in ms, potentials in mV.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from cordsim.models.measurement.features import (
    RAMP_KEYS,
    SPIKE_SHAPE_KEYS,
    Trace,
    evokes_spike,
    first_rate_hz,
    first_spike_threshold_mv,
    probe_input_resistance,
    probe_tau,
    ramp_features,
    spike_features,
    steady_rate_hz,
    step_input_resistance,
)
from cordsim.models.measurement.rig import ClampRig, play_current, total_capacitance_nf
from cordsim.models.measurement.settings import MeasureSettings, check_ramp_noise, ramp_up_ms

__all__ = [
    "fi_curve",
    "find_rheobase",
    "max_rate",
    "passive_properties",
    "ramp_hysteresis",
    "single_spike",
    "step_fires",
]

NAN = math.nan


#: The properties :func:`passive_properties` returns (capacitance last: it is exact).
PASSIVE_KEYS = (
    "v_rest_mv",
    "spontaneous_rate_hz",
    "rin_mohm",
    "rin_plateau_mohm",
    "sag_ratio",
    "tau_m_ms",
    "capacitance_nf",
)


def passive_properties(cell: Any, settings: MeasureSettings | None = None) -> dict[str, float]:
    """Resting potential, spontaneous rate, input resistance, sag, tau_m and capacitance.

    Three runs from the settled state: a control (no current), a brief
    hyperpolarising probe (tau_m and a first Rin estimate from the integral of
    the response, which scales the step) and the hyperpolarising step.
    Responses are taken relative to the control run, which removes any slow
    drift.

    Parameters
    ----------
    cell : cell
        The cell to measure.
    settings : MeasureSettings, optional
        Uses the ``probe_*`` and ``passive_*`` fields; default adult.

    Returns
    -------
    dict
        ``v_rest_mv`` (mV), ``spontaneous_rate_hz`` (Hz), ``rin_mohm`` and
        ``rin_plateau_mohm`` (MOhm), ``sag_ratio``, ``tau_m_ms`` (ms),
        ``capacitance_nf`` (nF). Only the rate and the capacitance are set
        (the rest NaN) for a cell that fires at rest.
    """
    s = settings or MeasureSettings()
    rig = ClampRig(cell, s)
    out = dict.fromkeys(PASSIVE_KEYS[:-1], NAN)
    out["capacitance_nf"] = total_capacitance_nf(cell)
    length = max(s.probe_ms + s.probe_window_ms, s.passive_step_ms + s.passive_tail_ms)
    control = rig.trial(0.0, s.probe_ms, length - s.probe_ms)
    n_spont = int(np.sum(control.spikes_ms >= -s.pre_ms))
    out["spontaneous_rate_hz"] = 1000.0 * n_spont / (s.pre_ms + length)
    if n_spont:
        return out
    out["v_rest_mv"] = float(np.mean(control.v_mv[control.t_ms < 0]))

    def response(trace: Trace) -> tuple[np.ndarray, np.ndarray]:
        n = min(trace.v_mv.size, control.v_mv.size)
        return trace.t_ms[:n], trace.v_mv[:n] - control.v_mv[:n]

    # brief probe: tau_0 from the tail, Rin ~ integral(dV) / charge
    amp = s.probe_mv * out["capacitance_nf"] / s.probe_ms
    t, dv = response(rig.trial(amp, s.probe_ms, s.probe_window_ms))
    out["tau_m_ms"] = probe_tau(t, dv, s.probe_ms, s.tau_fit_fractions)
    rin_estimate = probe_input_resistance(t, dv, s.probe_ms, amp)
    if not (rin_estimate > 0):
        rin_estimate = abs(s.probe_mv) / abs(amp)

    # hyperpolarising step: peak and plateau Rin, sag
    amp = s.passive_step_mv / rin_estimate
    t, dv = response(rig.trial(amp, s.passive_step_ms, s.passive_tail_ms))
    out.update(step_input_resistance(t, dv, amp, s.passive_step_ms))
    return out


def _bracket_and_bisect(
    fires: Callable[[float], bool],
    guess: float,
    rel_tol: float,
    max_steps: int,
) -> float:
    """Smallest amplitude (> 0) for which ``fires`` is True, to ``rel_tol``; NaN if none.

    Doubles (or halves) from ``guess`` to bracket the threshold, then bisects;
    returns the upper end of the final bracket.
    """
    lo, hi = 0.0, NAN
    amp = guess
    if fires(amp):
        hi = amp
        for _ in range(max_steps):
            amp = hi / 2
            if fires(amp):
                hi = amp
            else:
                lo = amp
                break
        else:
            return hi
    else:
        lo = amp
        for _ in range(max_steps):
            amp = lo * 2
            if fires(amp):
                hi = amp
                break
            lo = amp
        else:
            return NAN
    while hi - lo > rel_tol * hi:
        mid = 0.5 * (lo + hi)
        if fires(mid):
            hi = mid
        else:
            lo = mid
    return hi


def step_fires(
    cell: Any, amp_na: float, dur_ms: float, settings: MeasureSettings | None = None
) -> bool:
    """Whether one square pulse evokes a spike in the settled cell.

    Parameters
    ----------
    cell : cell
        The cell.
    amp_na : float
        Pulse amplitude (nA).
    dur_ms : float
        Pulse duration (ms); a spike up to 2 ms after its end counts.
    settings : MeasureSettings, optional
        Default adult.

    Returns
    -------
    bool
    """
    s = settings or MeasureSettings()
    rig = ClampRig(cell, s)
    return evokes_spike(rig.trial(amp_na, dur_ms, s.spike_max_ms, stop_after_spikes=1))


def find_rheobase(
    cell: Any,
    settings: MeasureSettings | None = None,
    *,
    rin_mohm: float,
    v_rest_mv: float = NAN,
) -> dict[str, float]:
    """Rheobase for ``settings.rheobase_pulse_ms`` pulses and the threshold of its spike.

    Parameters
    ----------
    cell : cell
        The cell.
    settings : MeasureSettings, optional
        Uses ``rheobase_*`` and ``max_bracket_steps``; default adult.
    rin_mohm : float
        Input resistance (MOhm): the search starts at ``rheobase_guess_mv`` /
        ``rin_mohm``. NaN or <= 0 gives NaN results without running.
    v_rest_mv : float
        Resting potential (mV), for ``delta_v_threshold_mv``.

    Returns
    -------
    dict
        ``rheobase_na`` (nA; NaN if no pulse fires), ``v_threshold_mv`` (mV)
        and ``delta_v_threshold_mv`` (threshold - rest, mV).
    """
    s = settings or MeasureSettings()
    out = {"rheobase_na": NAN, "v_threshold_mv": NAN, "delta_v_threshold_mv": NAN}
    if not (rin_mohm > 0):
        return out
    rig = ClampRig(cell, s)
    traces: dict[float, Trace] = {}

    def fires(amp: float) -> bool:
        trace = rig.trial(amp, s.rheobase_pulse_ms, s.spike_max_ms, stop_after_spikes=1)
        traces[amp] = trace
        return evokes_spike(trace)

    rheobase = _bracket_and_bisect(
        fires, s.rheobase_guess_mv / rin_mohm, s.rheobase_rel_tol, s.max_bracket_steps
    )
    out["rheobase_na"] = rheobase
    if math.isnan(rheobase):
        return out
    out["v_threshold_mv"] = first_spike_threshold_mv(
        traces[rheobase], threshold_mv=cell.spike_threshold_mv, dt_ms=s.dt_ms
    )
    out["delta_v_threshold_mv"] = out["v_threshold_mv"] - v_rest_mv
    return out


def single_spike(
    cell: Any,
    settings: MeasureSettings | None = None,
    *,
    v_rest_mv: float,
    v_threshold_mv: float = NAN,
) -> dict[str, float]:
    """Spike amplitude and width, AHP depth, decay times and time constant.

    The spike is evoked by a brief pulse (``spike_pulse_ms``) of
    ``spike_rel_amp`` x the smallest brief pulse that fires (found by
    bisection to ``spike_rel_tol``); the trace runs ``ahp_window_ms`` past the
    pulse. Features: :func:`~cordsim.models.measurement.features.spike_features`.

    Parameters
    ----------
    cell : cell
        The cell.
    settings : MeasureSettings, optional
        Default adult.
    v_rest_mv : float
        Resting potential (mV).
    v_threshold_mv : float
        Spike threshold (mV); with ``v_rest_mv`` it scales the first pulse
        (20 mV of depolarisation when unknown).

    Returns
    -------
    dict
        ``spike_amplitude_mv``, ``spike_width_ms``, ``ahp_depth_mv``,
        ``ahp_half_decay_ms``, ``ahp_decay_2_3_ms``, ``ahp_tau_ms`` (mV, ms);
        NaN if no brief pulse fires.
    """
    s = settings or MeasureSettings()
    out = dict.fromkeys(SPIKE_SHAPE_KEYS, NAN)
    rig = ClampRig(cell, s)
    dv = v_threshold_mv - v_rest_mv if v_threshold_mv > v_rest_mv else 20.0
    guess = total_capacitance_nf(cell) * dv / s.spike_pulse_ms

    def fires(amp: float) -> bool:
        return evokes_spike(
            rig.trial(amp, s.spike_pulse_ms, 2 * s.spike_max_ms, stop_after_spikes=1), 10.0
        )

    threshold = _bracket_and_bisect(fires, guess, s.spike_rel_tol, s.max_bracket_steps)
    if math.isnan(threshold):
        return out
    trace = rig.trial(s.spike_rel_amp * threshold, s.spike_pulse_ms, s.ahp_window_ms)
    if trace.spikes_ms.size != 1:
        trace = rig.trial(threshold, s.spike_pulse_ms, s.ahp_window_ms)
    if trace.spikes_ms.size < 1:
        return out
    return spike_features(
        trace, threshold_mv=cell.spike_threshold_mv, dt_ms=s.dt_ms, ahp_skip_ms=s.ahp_skip_ms
    )


def fi_curve(
    cell: Any, settings: MeasureSettings | None = None, *, rheobase_na: float
) -> pd.DataFrame:
    """Responses to ``fi_step_ms`` square steps at ``fi_multiples`` x rheobase.

    Parameters
    ----------
    cell : cell
        The cell.
    settings : MeasureSettings, optional
        Default adult.
    rheobase_na : float
        Rheobase (nA).

    Returns
    -------
    pandas.DataFrame
        One row per step: ``current_na`` (nA), ``n_spikes`` (during the step),
        ``steady_rate_hz`` (mean rate over the last ``fi_steady_fraction`` of
        the step, Hz; NaN unless the cell fires repetitively to the end),
        ``first_rate_hz`` (1 / first ISI, Hz).
    """
    s = settings or MeasureSettings()
    rig = ClampRig(cell, s)
    rows = []
    for mult in s.fi_multiples:
        amp = mult * rheobase_na
        spikes = rig.trial(amp, s.fi_step_ms, s.spike_max_ms).spikes_ms
        spikes = spikes[(spikes >= 0) & (spikes <= s.fi_step_ms)]
        rows.append(
            {
                "current_na": amp,
                "n_spikes": int(spikes.size),
                "steady_rate_hz": steady_rate_hz(spikes, s.fi_step_ms, s.fi_steady_fraction),
                "first_rate_hz": first_rate_hz(spikes),
            }
        )
    return pd.DataFrame(rows)


def max_rate(
    cell: Any, settings: MeasureSettings | None = None, *, rheobase_na: float
) -> dict[str, float]:
    """Largest instantaneous rate on strong steps, stopping at depolarisation block.

    Parameters
    ----------
    cell : cell
        The cell.
    settings : MeasureSettings, optional
        Uses ``fmax_step_ms`` and ``fmax_multiples``; default adult.
    rheobase_na : float
        Rheobase (nA).

    Returns
    -------
    dict
        ``f_max_hz``: largest 1 / first ISI (Hz) over the steps up to the first
        with fewer than two spikes; NaN if none has two.
    """
    s = settings or MeasureSettings()
    rig = ClampRig(cell, s)
    best = NAN
    for mult in s.fmax_multiples:
        spikes = rig.trial(
            mult * rheobase_na, s.fmax_step_ms, s.spike_max_ms, stop_after_spikes=2
        ).spikes_ms
        spikes = spikes[spikes >= 0]
        if spikes.size < 2:
            break
        rate = first_rate_hz(spikes)
        best = rate if math.isnan(best) else max(best, rate)
    return {"f_max_hz": best}


def ramp_hysteresis(
    cell: Any, settings: MeasureSettings | None = None, *, rheobase_na: float
) -> dict[str, float]:
    """Recruitment, derecruitment, their difference and the F-I gain on a triangular ramp.

    The ramp runs from ``ramp_start_factor`` to ``ramp_peak_factor`` x rheobase
    over :func:`~cordsim.models.measurement.settings.ramp_up_ms`, after
    ``settle_ms`` at the start current, and back down to 0 nA at the same rate.
    If the cell fires during settling, it is repeated from 0 nA. Under
    background noise (``ramp_noise_sd_na`` > 0) the ramp runs
    ``ramp_noise_repeats`` times, with the noise seeds ``ramp_noise_seed``,
    ``ramp_noise_seed + 1``, ..., and each property is the mean over the runs
    that give it a value (NaN if none does).

    Parameters
    ----------
    cell : cell
        The cell.
    settings : MeasureSettings, optional
        Uses the ``ramp_*`` fields; default adult.
    rheobase_na : float
        Rheobase (nA); NaN or <= 0 gives NaN results without running.

    Returns
    -------
    dict
        ``i_recruit_na``, ``i_derecruit_na``, ``delta_i_na`` (nA),
        ``fi_slope_ramp_hz_per_na`` (Hz/nA) and the discharge's regularity, see
        :func:`~cordsim.models.measurement.features.ramp_features`.

    Raises
    ------
    ParameterError
        Impossible ramp-noise settings (before running), see
        :func:`~cordsim.models.measurement.settings.check_ramp_noise`.
    """
    s = settings or MeasureSettings()
    check_ramp_noise(s)
    if not (rheobase_na > 0):
        return dict.fromkeys(RAMP_KEYS, NAN)
    repeats = s.ramp_noise_repeats if s.ramp_noise_sd_na > 0 else 1  # no noise: all the same
    runs = [
        _ramp_once(cell, s.replace(ramp_noise_seed=s.ramp_noise_seed + k), rheobase_na)
        for k in range(repeats)
    ]
    if repeats == 1:
        return runs[0]
    out = {}
    for key in runs[0]:
        values = np.array([run[key] for run in runs], dtype=float)
        finite = values[np.isfinite(values)]
        out[key] = float(finite.mean()) if finite.size else NAN
    return out


def _ramp_once(cell: Any, s: MeasureSettings, rheobase_na: float) -> dict[str, float]:
    """One ramp (``ramp_hysteresis`` without the repeats): its features, NaN if it cannot run."""
    out = dict.fromkeys(RAMP_KEYS, NAN)
    i_start = s.ramp_start_factor * rheobase_na
    for _attempt in range(2):
        result = _run_ramp(cell, s, rheobase_na, i_start)
        if result is not None or i_start == 0.0:
            break
        i_start = 0.0  # the cell fired at the start current: start from zero instead
    if result is None:
        return out
    spikes, t_start, t_peak, t_end, i_peak, reached = result
    return ramp_features(
        spikes,
        t_start_ms=t_start,
        t_peak_ms=t_peak,
        t_end_ms=t_end,
        i_start_na=i_start,
        i_peak_na=i_peak,
        reached_ms=reached,
    )


def _run_ramp(
    cell: Any, s: MeasureSettings, rheobase_na: float, i_start: float
) -> tuple[np.ndarray, float, float, float, float, float] | None:
    """One ramp from ``i_start`` (nA); None if the cell fired before it started."""
    i_peak = s.ramp_peak_factor * rheobase_na
    up_ms = ramp_up_ms(s, i_peak - i_start)
    t_start = s.settle_ms
    t_peak = t_start + up_ms
    t_end = t_peak + up_ms * i_peak / (i_peak - i_start)  # down to 0 nA, same rate
    rec = play_current(
        cell,
        [0.0, t_start, t_peak, t_end],
        [i_start, i_start, i_peak, 0.0],
        dt_ms=s.ramp_dt_ms or s.dt_ms,
        record_dt_ms=s.ramp_record_dt_ms,
        spike_max_ms=s.spike_max_ms,
        quiet_after_ms=t_peak,
        quiet_ms=s.ramp_quiet_ms,
        noise_sd_na=s.ramp_noise_sd_na,
        noise_tau_ms=s.ramp_noise_tau_ms,
        noise_seed=s.ramp_noise_seed,
    )
    if np.any(rec.spikes_ms < t_start):
        return None
    return rec.spikes_ms, t_start, t_peak, t_end, i_peak, rec.reached_ms
