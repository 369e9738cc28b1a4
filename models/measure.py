"""Single-cell measurements with the standard current-clamp protocols.

:func:`measure_cell` runs small, independent protocols on one cell (a fresh cell
per protocol when given a factory) and returns one ``pandas.Series`` of
properties, with units in the names. Every protocol starts from rest: the cell is
settled for ``settle_ms`` with no current, the state is saved, and each trial
restarts from that saved state (so a bisection does not pay the settling time
again). Stimulation and recording are at ``cell.soma(0.5)``. A spike is an
upward crossing of ``cell.spike_threshold_mv`` (NetCon) after which the potential
falls back below it within ``spike_max_ms`` (10 ms), so that a membrane merely
pushed above threshold (a passive cell under a large current, depolarisation
block) does not count.

Amplitudes are chosen relative to the cell (a brief probe gives the input
resistance, the rheobase scales the rest), so the same code measures a 1 MOhm
adult motor neuron, a 50 MOhm juvenile one and a 500 MOhm interneuron.

Definitions (protocol; convention and source)
--------------------------------------------
v_rest_mv
    Mean somatic potential over the ``pre_ms`` before the stimulus time of an
    unstimulated (control) run, after settling.
spontaneous_rate_hz
    Spike rate of the control run (0 for a quiet cell). When it is > 0 the other
    protocols are not run (they assume a cell at rest) and their values are NaN.
rin_mohm, rin_plateau_mohm, sag_ratio
    Hyperpolarising square step of ``passive_step_ms`` (500 ms) scaled to give
    about ``passive_step_mv`` (-5 mV); response minus the control run. Peak Rin =
    largest deflection / I, plateau Rin = mean deflection over the last 10 % of
    the step / I; sag ratio = peak / plateau (Manuel et al. 2009 convention;
    Martinez-Silva et al. 2018 measured Gin from the peak response too).
tau_m_ms
    Slowest time constant (tau_0, Rall's "peeling"): log-linear fit to the
    control-subtracted relaxation after a brief (``probe_ms``, 0.5 ms)
    hyperpolarising pulse, over the part of the tail between 25 % and 5 % of its
    peak, where the faster equalising components have died out. Equals Cm/g_pas
    for a uniform passive membrane.
capacitance_nf
    Total membrane capacitance of the model, sum of segment area x cm (exact).
    Manuel et al. 2009 *estimated* it from tau, Rin and the electrotonic length
    (equivalent cylinder); the model's exact value is what that estimate aims at.
rheobase_na
    Smallest square pulse of ``rheobase_pulse_ms`` that evokes at least one spike
    (during the pulse or within 2 ms after it), by bracketing (factors of 2 from
    10 mV / plateau Rin) and bisection to ``rheobase_rel_tol`` (1 %); the value
    is the upper end of the final bracket (a spiking pulse at most 1 % above the
    true rheobase; the lower end did not spike). Adult preset 50 ms (short
    pulses, Meehan et al. 2010), juvenile preset 1 s (Pambo-Pambo et al. 2009).
v_threshold_mv, delta_v_threshold_mv
    eFEL ``AP_begin_voltage`` (first point where dV/dt > 10 mV/ms) of the first
    spike at rheobase (Leroy et al. 2014: first spike of the rheobase pulse,
    10 mV/ms); delta = threshold - v_rest.
spike_amplitude_mv, spike_width_ms
    Single spike evoked by a brief square pulse (``spike_pulse_ms``: 0.5 ms adult,
    1 ms juvenile as in Leroy et al. 2014) of ``spike_rel_amp`` (1.1) x its
    threshold amplitude. Amplitude = peak - pre-pulse baseline (eFEL
    ``AP_amplitude_from_voltagebase``): Leroy et al. 2014 report the spike
    "height" of such spikes, and their values (84-89 mV from a -64 mV rest; the
    threshold is at -33 to -44 mV) only make sense measured from the baseline.
    Width = duration above baseline + amplitude / 2 (linear interpolation of the
    crossings; "width at half-amplitude", Leroy et al. 2014).
ahp_depth_mv
    Pre-pulse baseline minus the AHP trough of that spike; positive when the AHP
    goes below rest. The trough is eFEL's ``min_AHP``, unless a fast AHP is
    followed by an afterdepolarisation and a later (medium) AHP trough more than
    ``ahp_skip_ms`` (5 ms) after the peak: then it is that medium AHP, which is
    what the motor neuron literature calls the AHP.
ahp_half_decay_ms, ahp_decay_2_3_ms
    Time from the AHP trough until the potential has recovered 1/2 (2/3) of the
    trough depth towards the baseline (Meehan et al. 2010 report the 2/3 decay).
ahp_tau_ms
    Mono-exponential relaxation time constant of the AHP (Leroy et al. 2014):
    log-linear fit of (baseline - V) while it decays from 80 % to 20 % of the
    trough depth.
fi_slope_hz_per_na, f_min_hz
    Square steps of ``fi_step_ms`` (500 ms) at ``fi_multiples`` x rheobase. The
    steady rate of a step is the mean rate over its last half (needs >= 2 spikes
    there and firing until the end). Slope = least-squares line of steady rate
    vs current over the steps between ``fi_fit_range`` (1.1-3) x rheobase;
    f_min = lowest steady rate of any step.
f_max_hz
    Largest 1 / first ISI on ``fmax_step_ms`` (100 ms) steps at
    ``fmax_multiples`` (3, 5, 7, 10) x rheobase; stops at the first step with
    fewer than two spikes (depolarisation block).
i_recruit_na, i_derecruit_na, delta_i_na, fi_slope_ramp_hz_per_na
    Slow triangular ramp at ``ramp_rate_na_per_s`` (1 nA/s adult in vivo, 0.1 nA/s
    juvenile slice) from ``ramp_start_factor`` (0.4) to ``ramp_peak_factor`` (2)
    x rheobase and back down to 0 nA at the same rate; the cell is settled at the
    start current (the ramp is repeated from 0 nA if it fires there). The rate is slowed if the upward arm
    would last less than ``ramp_min_up_ms`` (interneurons: a 1 nA/s ramp would
    cross their whole range in tens of ms) and, in the adult preset, raised
    (to at most 5 nA/s, within the 0.1-5 nA/s used by Martinez-Silva et al. 2018)
    if it would last more than ``ramp_max_up_ms`` (6 s; the largest cells).
    Recruitment / derecruitment current = ramp current at the first spike of the
    ascending arm / the last spike of the descending arm; delta = derecruit -
    recruit (negative = PIC-like hysteresis). The ramp F-I gain is the slope of
    instantaneous rate vs current (at the second spike of each pair; Martinez-Silva
    et al. 2018) on the ascending arm over the upper half of the firing range, a
    proxy for the primary range. The run stops early once the cell has been
    silent for ``ramp_quiet_ms`` on the descending arm; derecruitment is NaN if
    the cell still fires when the ramp is back at 0 nA.

A quantity that does not apply (no spike, no repetitive firing, block) is NaN.
"""

from __future__ import annotations

import dataclasses
import gc
import math
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from neuron import h

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models.solver import (
    DEFAULT_DT_MS,
    run_from_state,
    run_neuron_until,
    settle_and_save,
)

#: Every property measure_cell returns, in order, with a one-line description.
PROPERTIES: dict[str, str] = {
    "v_rest_mv": "resting potential after settling (mV)",
    "spontaneous_rate_hz": "firing rate with no current (Hz)",
    "rin_mohm": "peak input resistance, -5 mV step (MOhm)",
    "rin_plateau_mohm": "input resistance at the end of the step (MOhm)",
    "sag_ratio": "peak / plateau input resistance",
    "tau_m_ms": "membrane time constant, slowest exponential (ms)",
    "capacitance_nf": "total membrane capacitance, area x cm (nF)",
    "rheobase_na": "smallest square pulse that evokes a spike (nA)",
    "v_threshold_mv": "spike threshold at rheobase, dV/dt > 10 mV/ms (mV)",
    "delta_v_threshold_mv": "threshold - resting potential (mV)",
    "spike_amplitude_mv": "spike peak - baseline, brief pulse (mV)",
    "spike_width_ms": "spike width at half amplitude (ms)",
    "ahp_depth_mv": "baseline - AHP trough (mV)",
    "ahp_half_decay_ms": "AHP trough to 1/2 recovery (ms)",
    "ahp_decay_2_3_ms": "AHP trough to 2/3 recovery (ms)",
    "ahp_tau_ms": "AHP relaxation time constant (ms)",
    "fi_slope_hz_per_na": "steady-state F-I slope on steps (Hz/nA)",
    "f_min_hz": "lowest steady firing rate on steps (Hz)",
    "f_max_hz": "highest instantaneous rate, 1/first ISI (Hz)",
    "i_recruit_na": "recruitment current on the triangular ramp (nA)",
    "i_derecruit_na": "derecruitment current on the triangular ramp (nA)",
    "delta_i_na": "derecruitment - recruitment current (nA)",
    "fi_slope_ramp_hz_per_na": "F-I gain on the ascending ramp (Hz/nA)",
}

#: Protocol names, in the order measure_cell runs them.
PROTOCOLS = ("passive", "rheobase", "spike", "fi", "fmax", "ramp")
#: Protocols that ``quick=True`` skips (the slow ones).
SLOW_PROTOCOLS = ("fi", "fmax", "ramp")
#: What each protocol needs to have run first.
_REQUIRES = {
    "passive": (),
    "rheobase": ("passive",),
    "spike": ("passive", "rheobase"),
    "fi": ("passive", "rheobase"),
    "fmax": ("passive", "rheobase"),
    "ramp": ("passive", "rheobase"),
}

NAN = float("nan")


@dataclass(frozen=True)
class MeasureSettings:
    """Protocol settings of :func:`measure_cell` (defaults: adult conventions).

    Times in ms, currents in nA, voltages in mV; ``*_factor`` and ``*_multiples``
    are multiples of the cell's rheobase.
    """

    dt_ms: float = DEFAULT_DT_MS
    settle_ms: float = 300.0
    pre_ms: float = 20.0
    # passive
    probe_ms: float = 0.5
    probe_mv: float = -2.0
    probe_window_ms: float = 200.0
    tau_fit_fractions: tuple[float, float] = (0.25, 0.05)
    passive_step_ms: float = 500.0
    passive_step_mv: float = -5.0
    passive_tail_ms: float = 20.0
    # rheobase
    rheobase_pulse_ms: float = 50.0
    rheobase_rel_tol: float = 0.01
    rheobase_guess_mv: float = 10.0
    max_bracket_steps: int = 12
    # single spike
    spike_pulse_ms: float = 0.5
    spike_rel_amp: float = 1.1
    spike_rel_tol: float = 0.03
    ahp_window_ms: float = 200.0
    ahp_skip_ms: float = 5.0
    # F-I and maximal rate
    fi_step_ms: float = 500.0
    fi_multiples: tuple[float, ...] = (0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)
    fi_fit_range: tuple[float, float] = (1.1, 3.0)
    fi_steady_fraction: float = 0.5
    fmax_step_ms: float = 100.0
    fmax_multiples: tuple[float, ...] = (3.0, 5.0, 7.0, 10.0)
    # triangular ramp
    ramp_rate_na_per_s: float = 1.0
    ramp_start_factor: float = 0.4
    ramp_peak_factor: float = 2.0
    ramp_min_up_ms: float = 2000.0
    ramp_max_up_ms: float | None = 6000.0
    ramp_max_rate_na_per_s: float = 5.0
    ramp_quiet_ms: float = 1000.0
    ramp_dt_ms: float | None = None
    ramp_record_dt_ms: float = 0.1
    # spike detection: an upward crossing of cell.spike_threshold_mv counts as a
    # spike only if the potential falls back below it within this time
    spike_max_ms: float = 10.0

    def replace(self, **changes: Any) -> MeasureSettings:
        """Return a copy with some fields changed (unknown names are an error)."""
        valid = {f.name for f in dataclasses.fields(self)}
        for name in changes:
            if name not in valid:
                raise ParameterError(unknown_name_message("measure setting", name, valid))
        return dataclasses.replace(self, **changes)


#: Settings that follow each age's reference protocols (see models/data/targets.toml).
PRESETS: dict[str, MeasureSettings] = {
    # in vivo adult: short rheobase pulses (Meehan et al. 2010), 1 nA/s ramps
    # (Delestree et al. 2014), faster (up to 5 nA/s, the top of the 0.1-5 nA/s of
    # Martinez-Silva et al. 2018) for large cells whose upward arm would last
    # over 6 s; 0.5 ms pulses for single spikes.
    "adult": MeasureSettings(),
    # juvenile slice: 1 s rheobase pulses (Pambo-Pambo et al. 2009), 0.1 nA/s ramps
    # and 1 ms single-spike pulses (Leroy et al. 2014).
    "juvenile": MeasureSettings(
        rheobase_pulse_ms=1000.0,
        spike_pulse_ms=1.0,
        ramp_rate_na_per_s=0.1,
        ramp_max_up_ms=None,
    ),
}


def settings_for(age: str | None = None, **overrides: Any) -> MeasureSettings:
    """The preset for ``age`` ("adult", "juvenile"; None = adult) with ``overrides``."""
    if age is None:
        base = MeasureSettings()
    elif age in PRESETS:
        base = PRESETS[age]
    else:
        raise ParameterError(unknown_name_message("age", age, PRESETS))
    return base.replace(**overrides) if overrides else base


# --------------------------------------------------------------------------- rig


@dataclass
class Trace:
    """One trial, times relative to the stimulus onset (ms)."""

    t_ms: np.ndarray
    v_mv: np.ndarray
    spikes_ms: np.ndarray
    amp_na: float
    dur_ms: float


class _Rig:
    """A current clamp, a spike detector and (optionally) a voltage recorder at the soma.

    Every NEURON object is created before settling so the saved state matches
    the model structure; trials only change the clamp's parameters.
    """

    def __init__(self, cell: Any, settings: MeasureSettings):
        self.cell = cell
        self.settings = settings
        seg = cell.soma(0.5)
        self.stim = h.IClamp(seg)
        self.stim.delay = 0.0
        self.stim.dur = 0.0
        self.stim.amp = 0.0
        self.detector = h.NetCon(seg._ref_v, None, sec=cell.soma)
        self.detector.threshold = float(cell.spike_threshold_mv)
        self.spikes = h.Vector()
        self.detector.record(self.spikes)
        self.tvec = h.Vector().record(h._ref_t)
        self.vvec = h.Vector().record(seg._ref_v)
        self.saved = settle_and_save(
            settings.settle_ms,
            celsius=float(cell.celsius),
            v_init_mv=float(cell.v_init_mv),
            dt_ms=settings.dt_ms,
        )
        self.onset_ms = self.saved.t_ms + settings.pre_ms

    def trial(
        self,
        amp_na: float,
        dur_ms: float,
        after_ms: float,
        *,
        stop_after_spikes: int | None = None,
        stop_delay_ms: float = 3.0,
    ) -> Trace:
        """Square pulse of ``amp_na`` for ``dur_ms`` at onset; run ``after_ms`` past its end.

        With ``stop_after_spikes`` the run ends ``stop_delay_ms`` (at least
        ``spike_max_ms``) after that many threshold crossings. Only crossings
        that fall back below threshold within ``spike_max_ms`` count as spikes.
        """
        self.stim.delay = self.onset_ms
        self.stim.dur = dur_ms
        self.stim.amp = amp_na
        self.spikes.resize(0)
        stop = None
        if stop_after_spikes is not None:
            n, spikes = stop_after_spikes, self.spikes
            delay = max(stop_delay_ms, self.settings.spike_max_ms)

            def stop(t_ms: float) -> bool:
                return spikes.size() >= n and t_ms > spikes[n - 1] + delay

        run_from_state(
            self.saved,
            self.onset_ms + dur_ms + after_ms,
            stop_when=stop,
            check_every_ms=min(5.0, max(1.0, dur_ms / 4)),
        )
        t = np.array(self.tvec.as_numpy()) - self.onset_ms
        v = np.array(self.vvec.as_numpy())
        crossings = np.asarray(self.spikes.as_numpy(), dtype=float) - self.onset_ms
        spikes = _valid_spikes(
            t, v, crossings, float(self.cell.spike_threshold_mv), self.settings.spike_max_ms
        )
        self.stim.amp = 0.0
        return Trace(t, v, spikes, amp_na, dur_ms)


def _valid_spikes(
    t: np.ndarray, v: np.ndarray, crossings: np.ndarray, threshold_mv: float, max_ms: float
) -> np.ndarray:
    """The upward threshold crossings after which v falls below threshold within ``max_ms``.

    This rejects a potential pushed above threshold and held there (a passive
    membrane under a large current, depolarisation block).
    """
    keep = []
    for ts in crossings:
        i0 = int(np.searchsorted(t, ts, side="right"))
        i1 = int(np.searchsorted(t, ts + max_ms, side="right"))
        if i1 > i0 and np.any(v[i0:i1] < threshold_mv):
            keep.append(ts)
    return np.asarray(keep, dtype=float)


def _fires(trace: Trace, window_after_ms: float = 2.0) -> bool:
    s = trace.spikes_ms
    return bool(np.any((s >= 0) & (s <= trace.dur_ms + window_after_ms)))


def _total_capacitance_nf(cell: Any) -> float:
    # area um2 x cm uF/cm2 x 1e-8 cm2/um2 -> uF; x 1e3 -> nF
    return float(sum(seg.area() * seg.cm for sec in cell.sections for seg in sec) * 1e-5)


# ------------------------------------------------------------------------- eFEL


@contextmanager
def _efel(threshold_mv: float, dt_ms: float):
    """Set eFEL's spike threshold, 10 mV/ms derivative threshold and step; restore after."""
    import efel

    names = ("Threshold", "DerivativeThreshold", "interp_step")
    old = {n: getattr(efel.get_settings(), n) for n in names}
    efel.set_setting("Threshold", float(threshold_mv))
    efel.set_setting("DerivativeThreshold", 10.0)
    efel.set_setting("interp_step", float(dt_ms))
    try:
        yield efel
    finally:
        for name, value in old.items():
            efel.set_setting(name, value)


def _efel_values(
    trace: Trace, features: list[str], threshold_mv: float, dt_ms: float, stim_end_ms: float
) -> dict[str, np.ndarray | None]:
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


def _crossing_time(t: np.ndarray, v: np.ndarray, level: float, start: int, rising: bool) -> float:
    """First time at or after index ``start`` where v crosses ``level`` (interpolated)."""
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


def _loglinear_tau(t: np.ndarray, y: np.ndarray) -> float:
    """Time constant of y = A exp(-t / tau) by a straight-line fit to log y (y > 0)."""
    ok = y > 0
    if ok.sum() < 3:
        return NAN
    slope = np.polyfit(t[ok], np.log(y[ok]), 1)[0]
    return float(-1.0 / slope) if slope < 0 else NAN


# -------------------------------------------------------------------- protocols


def passive_properties(cell: Any, settings: MeasureSettings | None = None) -> dict[str, float]:
    """Resting potential, spontaneous rate, Rin (peak, plateau), sag, tau_m, capacitance.

    Three runs from the settled state: a control (no current), a brief
    hyperpolarising probe (tau_m and a first Rin estimate from the integral of
    the response, which scales the step) and the hyperpolarising step. Responses
    are taken relative to the control run, which removes any slow drift.
    """
    s = settings or MeasureSettings()
    rig = _Rig(cell, s)
    out = {
        k: NAN
        for k in (
            "v_rest_mv",
            "spontaneous_rate_hz",
            "rin_mohm",
            "rin_plateau_mohm",
            "sag_ratio",
            "tau_m_ms",
        )
    }
    out["capacitance_nf"] = _total_capacitance_nf(cell)
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
    post = t >= s.probe_ms
    t, dv = t[post], dv[post]
    ipk = int(np.argmax(np.abs(dv)))
    peak = abs(dv[ipk])
    hi_frac, lo_frac = s.tau_fit_fractions
    mag = np.abs(dv[ipk:])
    tail = t[ipk:]
    start = np.nonzero(mag <= hi_frac * peak)[0]
    if start.size:
        i0 = int(start[0])
        end = np.nonzero(mag[i0:] <= lo_frac * peak)[0]
        i1 = i0 + int(end[0]) if end.size else mag.size
        out["tau_m_ms"] = _loglinear_tau(tail[i0:i1] - tail[i0], mag[i0:i1])
    charge = amp * s.probe_ms  # nA ms
    integral = float(np.sum(0.5 * (dv[1:] + dv[:-1]) * np.diff(t)))  # mV ms
    rin_estimate = integral / charge if charge else NAN  # mV ms / (nA ms) = MOhm
    if not (rin_estimate > 0):
        rin_estimate = abs(s.probe_mv) / abs(amp)

    # hyperpolarising step: peak and plateau Rin, sag
    amp = s.passive_step_mv / rin_estimate
    t, dv = response(rig.trial(amp, s.passive_step_ms, s.passive_tail_ms))
    during = (t >= 0) & (t < s.passive_step_ms)
    plateau = (t >= 0.9 * s.passive_step_ms) & (t < s.passive_step_ms)
    peak_dv = float(np.max(dv[during] / np.sign(amp)))
    plateau_dv = float(np.mean(dv[plateau] / np.sign(amp)))
    out["rin_mohm"] = peak_dv / abs(amp)
    out["rin_plateau_mohm"] = plateau_dv / abs(amp)
    out["sag_ratio"] = out["rin_mohm"] / out["rin_plateau_mohm"]
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
    """Whether a square pulse of ``amp_na`` for ``dur_ms`` evokes a spike (settled cell)."""
    s = settings or MeasureSettings()
    rig = _Rig(cell, s)
    return _fires(rig.trial(amp_na, dur_ms, s.spike_max_ms, stop_after_spikes=1))


def find_rheobase(
    cell: Any,
    settings: MeasureSettings | None = None,
    *,
    rin_mohm: float,
    v_rest_mv: float = NAN,
) -> dict[str, float]:
    """Rheobase for ``settings.rheobase_pulse_ms`` pulses and the threshold of its spike."""
    s = settings or MeasureSettings()
    out = {"rheobase_na": NAN, "v_threshold_mv": NAN, "delta_v_threshold_mv": NAN}
    if not (rin_mohm > 0):
        return out
    rig = _Rig(cell, s)
    traces: dict[float, Trace] = {}

    def fires(amp: float) -> bool:
        trace = rig.trial(amp, s.rheobase_pulse_ms, s.spike_max_ms, stop_after_spikes=1)
        traces[amp] = trace
        return _fires(trace)

    rheobase = _bracket_and_bisect(
        fires, s.rheobase_guess_mv / rin_mohm, s.rheobase_rel_tol, s.max_bracket_steps
    )
    out["rheobase_na"] = rheobase
    if math.isnan(rheobase):
        return out
    trace = traces[rheobase]
    values = _efel_values(
        trace, ["AP_begin_voltage"], cell.spike_threshold_mv, s.dt_ms, trace.t_ms[-1]
    )
    out["v_threshold_mv"] = _first(values["AP_begin_voltage"])
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

    The spike is evoked by a brief pulse of ``spike_rel_amp`` x the smallest
    brief pulse that fires (found by bisection to ``spike_rel_tol``).
    """
    s = settings or MeasureSettings()
    out = dict.fromkeys(
        (
            "spike_amplitude_mv",
            "spike_width_ms",
            "ahp_depth_mv",
            "ahp_half_decay_ms",
            "ahp_decay_2_3_ms",
            "ahp_tau_ms",
        ),
        NAN,
    )
    rig = _Rig(cell, s)
    dv = v_threshold_mv - v_rest_mv if v_threshold_mv > v_rest_mv else 20.0
    guess = _total_capacitance_nf(cell) * dv / s.spike_pulse_ms

    def fires(amp: float) -> bool:
        return _fires(
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


def spike_features(
    trace: Trace, *, threshold_mv: float, dt_ms: float, ahp_skip_ms: float = 5.0
) -> dict[str, float]:
    """Amplitude, width and AHP of the first spike of ``trace`` (stimulus onset at t = 0).

    eFEL finds the baseline (``voltage_base``: mean over the last 10 % of the
    pre-stimulus period), the peak and the AHP trough (``min_AHP``); the width
    and the AHP decay times are read from the trace at the levels defined in the
    module docstring, with linearly interpolated crossing times. When a fast AHP
    is followed by an afterdepolarisation and a later (medium) AHP trough, more
    than ``ahp_skip_ms`` after the peak, the AHP measures refer to that medium
    AHP, as in the motor neuron literature.
    """
    keys = (
        "spike_amplitude_mv",
        "spike_width_ms",
        "ahp_depth_mv",
        "ahp_half_decay_ms",
        "ahp_decay_2_3_ms",
        "ahp_tau_ms",
    )
    out = dict.fromkeys(keys, NAN)
    end = trace.t_ms[-1]
    if trace.spikes_ms.size > 1:  # measure the first spike's AHP only up to the second
        end = 0.5 * (trace.spikes_ms[0] + trace.spikes_ms[1])
    feats = ["voltage_base", "AP_amplitude_from_voltagebase", "peak_time", "AHP_time_from_peak"]
    values = _efel_values(trace, feats, threshold_mv, dt_ms, end)
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
    up = _crossing_time(t, v, half, int(np.searchsorted(t, 0.0)), rising=True)
    down = _crossing_time(t, v, half, ipk, rising=False)
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
        out[key] = _crossing_time(t, v, v[itr] + frac * depth, itr, rising=True) - t_trough
    remaining = base - v[itr:]
    tt = t[itr:]
    i0 = np.nonzero(remaining <= 0.8 * depth)[0]
    i1 = np.nonzero(remaining <= 0.2 * depth)[0]
    if i0.size and i1.size and i1[0] > i0[0] + 2:
        sl = slice(int(i0[0]), int(i1[0]))
        out["ahp_tau_ms"] = _loglinear_tau(tt[sl] - tt[sl][0], remaining[sl])
    return out


def fi_curve(
    cell: Any, settings: MeasureSettings | None = None, *, rheobase_na: float
) -> pd.DataFrame:
    """Responses to ``fi_step_ms`` steps at ``fi_multiples`` x rheobase.

    Columns: ``current_na``, ``n_spikes``, ``steady_rate_hz`` (mean rate over
    the last ``fi_steady_fraction`` of the step; NaN unless the cell fires
    repetitively to the end of the step), ``first_rate_hz`` (1 / first ISI).
    """
    s = settings or MeasureSettings()
    rig = _Rig(cell, s)
    rows = []
    for mult in s.fi_multiples:
        amp = mult * rheobase_na
        spikes = rig.trial(amp, s.fi_step_ms, s.spike_max_ms).spikes_ms
        spikes = spikes[(spikes >= 0) & (spikes <= s.fi_step_ms)]
        rows.append(
            {
                "current_na": amp,
                "n_spikes": int(spikes.size),
                "steady_rate_hz": _steady_rate(spikes, s.fi_step_ms, s.fi_steady_fraction),
                "first_rate_hz": 1000.0 / (spikes[1] - spikes[0]) if spikes.size > 1 else NAN,
            }
        )
    return pd.DataFrame(rows)


def _steady_rate(spikes: np.ndarray, dur_ms: float, fraction: float) -> float:
    late = spikes[spikes >= (1.0 - fraction) * dur_ms]
    if late.size < 2:
        return NAN
    isi = float(np.mean(np.diff(late)))
    if dur_ms - late[-1] > 2.0 * isi:  # stopped firing before the end of the step
        return NAN
    return 1000.0 / isi


def fi_summary(
    curve: pd.DataFrame, rheobase_na: float, settings: MeasureSettings | None = None
) -> dict[str, float]:
    """F-I slope (least squares over ``fi_fit_range`` x rheobase) and lowest steady rate."""
    s = settings or MeasureSettings()
    steady = curve.dropna(subset=["steady_rate_hz"])
    out = {"fi_slope_hz_per_na": NAN, "f_min_hz": NAN}
    if steady.empty:
        return out
    out["f_min_hz"] = float(steady["steady_rate_hz"].min())
    lo, hi = s.fi_fit_range
    fit = steady[
        (steady["current_na"] >= lo * rheobase_na * (1 - 1e-9))
        & (steady["current_na"] <= hi * rheobase_na * (1 + 1e-9))
    ]
    if len(fit) >= 2:
        out["fi_slope_hz_per_na"] = float(
            np.polyfit(fit["current_na"], fit["steady_rate_hz"], 1)[0]
        )
    return out


def max_rate(
    cell: Any, settings: MeasureSettings | None = None, *, rheobase_na: float
) -> dict[str, float]:
    """Largest instantaneous rate (1 / first ISI) on strong steps; stops at block."""
    s = settings or MeasureSettings()
    rig = _Rig(cell, s)
    best = NAN
    for mult in s.fmax_multiples:
        spikes = rig.trial(
            mult * rheobase_na, s.fmax_step_ms, s.spike_max_ms, stop_after_spikes=2
        ).spikes_ms
        spikes = spikes[spikes >= 0]
        if spikes.size < 2:
            break
        rate = 1000.0 / (spikes[1] - spikes[0])
        best = rate if math.isnan(best) else max(best, rate)
    return {"f_max_hz": best}


def ramp_hysteresis(
    cell: Any, settings: MeasureSettings | None = None, *, rheobase_na: float
) -> dict[str, float]:
    """Recruitment, derecruitment, their difference and the ramp F-I gain."""
    s = settings or MeasureSettings()
    out = dict.fromkeys(
        ("i_recruit_na", "i_derecruit_na", "delta_i_na", "fi_slope_ramp_hz_per_na"), NAN
    )
    if not (rheobase_na > 0):
        return out
    i_start = s.ramp_start_factor * rheobase_na
    for _attempt in range(2):
        result = _run_ramp(cell, s, rheobase_na, i_start)
        if result is not None or i_start == 0.0:
            break
        i_start = 0.0  # the cell fired at the start current: start from zero instead
    if result is None:
        return out
    spikes, t_start, t_peak, t_end, i_peak, reached = result

    def current(t_ms: np.ndarray | float) -> np.ndarray | float:
        return np.interp(t_ms, [t_start, t_peak, t_end], [i_start, i_peak, 0.0])

    up = spikes[(spikes >= t_start) & (spikes <= t_peak)]
    down = spikes[spikes > t_peak]
    if up.size == 0:
        return out
    out["i_recruit_na"] = float(current(up[0]))
    # still firing when the ramp is back at 0 nA (self-sustained firing): no derecruitment
    still_firing = (
        reached >= t_end - 0.5 and down.size >= 2 and t_end - down[-1] < 2.0 * (down[-1] - down[-2])
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
    return out


def ramp_up_ms(s: MeasureSettings, span_na: float) -> float:
    """Duration of the ramp's upward arm (ms) for a current span of ``span_na``.

    ``span / ramp_rate_na_per_s``, lengthened to ``ramp_min_up_ms``, and
    shortened to ``ramp_max_up_ms`` (if set) as long as the rate stays at most
    ``ramp_max_rate_na_per_s``.
    """
    up_ms = 1000.0 * span_na / s.ramp_rate_na_per_s
    if s.ramp_max_up_ms is not None and up_ms > s.ramp_max_up_ms:
        up_ms = max(s.ramp_max_up_ms, 1000.0 * span_na / s.ramp_max_rate_na_per_s)
    return max(up_ms, s.ramp_min_up_ms)


def _run_ramp(cell: Any, s: MeasureSettings, rheobase_na: float, i_start: float):
    i_peak = s.ramp_peak_factor * rheobase_na
    up_ms = ramp_up_ms(s, i_peak - i_start)
    t_start = s.settle_ms
    t_peak = t_start + up_ms
    t_end = t_peak + up_ms * i_peak / (i_peak - i_start)  # down to 0 nA, same rate
    seg = cell.soma(0.5)
    stim = h.IClamp(seg)
    stim.delay = 0.0
    stim.dur = 1e9
    tvec = h.Vector([0.0, t_start, t_peak, t_end])
    ivec = h.Vector([i_start, i_start, i_peak, 0.0])
    ivec.play(stim._ref_amp, tvec, True)
    detector = h.NetCon(seg._ref_v, None, sec=cell.soma)
    detector.threshold = float(cell.spike_threshold_mv)
    spikes = h.Vector()
    detector.record(spikes)
    t_rec = h.Vector().record(h._ref_t, s.ramp_record_dt_ms)
    v_rec = h.Vector().record(seg._ref_v, s.ramp_record_dt_ms)
    quiet = s.ramp_quiet_ms

    def stop(t_ms: float) -> bool:
        if t_ms <= t_peak:
            return False
        return spikes.size() == 0 or t_ms - spikes[spikes.size() - 1] > quiet

    reached = run_neuron_until(
        t_end,
        celsius=float(cell.celsius),
        v_init_mv=float(cell.v_init_mv),
        dt_ms=s.ramp_dt_ms or s.dt_ms,
        stop_when=stop,
        check_every_ms=50.0,
    )
    ivec.play_remove()
    times = _valid_spikes(
        np.array(t_rec.as_numpy()),
        np.array(v_rec.as_numpy()),
        np.array(spikes.as_numpy(), dtype=float),
        float(cell.spike_threshold_mv),
        s.spike_max_ms,
    )
    if np.any(times < t_start):
        return None
    return times, t_start, t_peak, t_end, i_peak, reached


# ----------------------------------------------------------------- measure_cell


def _is_factory(obj: Any) -> bool:
    return callable(obj) and not hasattr(obj, "soma")


def _resolve_protocols(protocols: Iterable[str] | None, quick: bool) -> list[str]:
    wanted = list(PROTOCOLS) if protocols is None else list(protocols)
    for name in wanted:
        if name not in PROTOCOLS:
            raise ParameterError(unknown_name_message("protocol", name, PROTOCOLS))
    if quick:
        wanted = [p for p in wanted if p not in SLOW_PROTOCOLS]
    needed = set(wanted)
    for name in wanted:
        needed.update(_REQUIRES[name])
    return [p for p in PROTOCOLS if p in needed]


def measure_cell(
    cell_factory_or_cell: Any,
    *,
    protocols: Iterable[str] | None = None,
    age: str | None = None,
    settings: MeasureSettings | None = None,
    quick: bool = False,
    **overrides: Any,
) -> pd.Series:
    """Measure a cell's intrinsic properties with standard current-clamp protocols.

    Parameters
    ----------
    cell_factory_or_cell : callable or cell
        A zero-argument factory (a fresh cell is built for each protocol) or a
        cell (reused; every trial restarts from ``finitialize``).
    protocols : iterable of str, optional
        Subset of :data:`PROTOCOLS` to run (the ones they depend on run too);
        default all.
    age : {"adult", "juvenile"}, optional
        Protocol preset (:data:`PRESETS`); ignored when ``settings`` is given.
    settings : MeasureSettings, optional
        Explicit protocol settings.
    quick : bool
        Skip the slow protocols (:data:`SLOW_PROTOCOLS`: F-I, maximal rate, ramp).
    **overrides
        Fields of :class:`MeasureSettings` to change, e.g. ``rheobase_pulse_ms=1000``.

    Returns
    -------
    pandas.Series
        Indexed by :data:`PROPERTIES` (units in the names), named after the cell;
        NaN for what was not measured or does not apply. ``.attrs`` holds the
        settings used, the protocols run, the wall time (total and per protocol)
        and the F-I curve.

    Notes
    -----
    NEURON simulates every section that exists in the process: measure with no
    other model built (other cells would be simulated too, and a cell deleted
    in the middle of a protocol invalidates its saved state).
    """
    s = settings if settings is not None else settings_for(age)
    if overrides:
        s = s.replace(**overrides)
    run = _resolve_protocols(protocols, quick)
    if _is_factory(cell_factory_or_cell):
        factory = cell_factory_or_cell
    else:
        cell = cell_factory_or_cell
        factory = lambda: cell  # noqa: E731
    values = dict.fromkeys(PROPERTIES, NAN)
    started = time.perf_counter()
    name = None

    def build() -> Any:
        nonlocal name
        gc.collect()  # cells of earlier protocols must be gone before a state is saved
        c = factory()
        name = name or getattr(c, "name", None)
        return c

    extra: dict[str, Any] = {}
    timings: dict[str, float] = {}
    for protocol in run:
        t_protocol = time.perf_counter()
        _run_protocol(protocol, build, s, values, extra)
        timings[protocol] = time.perf_counter() - t_protocol
        if values["spontaneous_rate_hz"] > 0 or (
            protocol == "rheobase" and math.isnan(values["rheobase_na"])
        ):
            break  # a cell that fires at rest or never fires: nothing more applies
    series = pd.Series(values, name=name, dtype=float)
    series.attrs["settings"] = dataclasses.asdict(s)
    series.attrs["protocols"] = run
    series.attrs["wall_time_s"] = time.perf_counter() - started
    series.attrs["protocol_wall_time_s"] = timings
    series.attrs.update(extra)
    return series


def _run_protocol(
    protocol: str,
    build: Callable[[], Any],
    s: MeasureSettings,
    values: dict[str, float],
    extra: dict[str, Any],
) -> None:
    """Run one protocol on a freshly built cell; put its results into ``values``."""
    if protocol == "passive":
        values.update(passive_properties(build(), s))
    elif protocol == "rheobase":
        values.update(
            find_rheobase(
                build(), s, rin_mohm=values["rin_plateau_mohm"], v_rest_mv=values["v_rest_mv"]
            )
        )
    elif protocol == "spike":
        values.update(
            single_spike(
                build(), s, v_rest_mv=values["v_rest_mv"], v_threshold_mv=values["v_threshold_mv"]
            )
        )
    elif protocol == "fi":
        curve = fi_curve(build(), s, rheobase_na=values["rheobase_na"])
        values.update(fi_summary(curve, values["rheobase_na"], s))
        extra["fi_curve"] = curve.to_dict(orient="list")
    elif protocol == "fmax":
        values.update(max_rate(build(), s, rheobase_na=values["rheobase_na"]))
    elif protocol == "ramp":
        values.update(ramp_hysteresis(build(), s, rheobase_na=values["rheobase_na"]))
