"""One flat row of phenotype metrics per simulation.

``metrics(result)`` returns a dict of floats/ints with the same keys for every
protocol (:data:`METRIC_KEYS`, in that order, then a rate per extra population
of the circuit's table); a metric that does not apply to the result's
protocol, or that is undefined for its spikes, is NaN. ``metrics_frame(results)``
stacks rows into a DataFrame with ``protocol`` and ``seed`` in front.

Nothing here switches on protocol or population names. The protocol's
:class:`~cordsim.models.result.ProtocolRecord` gives the analysis window
(``analysis_t0_ms``, ``analysis_t1_ms``; half-open ``[t0, t1)``, clipped to
``[0, tstop_ms]``), the other windows and event times, and ``measures``, the
families of metrics that apply (rest: coactivation + spontaneous; reflex:
reflex; contraction: coactivation + spontaneous + contraction; alternation:
coactivation + alternation). The result's population records give each
population's kind and muscle: the motor pools (kind ``motor_pool``) make the
``mn_*`` metrics; every other population a ``<role>_rate_hz_<muscle>`` rate.

"Agonist" is the protocol's ``agonist`` muscle (driven or stimulated), the
antagonist the other. EMG: each motor pool's synthetic EMG
(:mod:`cordsim.analysis.emg`: HR1 MUAPs of width 1 ms, scaled by the pool's
motor-unit size factors, default 1; 10 kHz) and its linear envelope
(full-wave rectified, 10 Hz zero-phase Butterworth), computed over the whole
run and then cut to the window.

Metric definitions
------------------
A Markdown table, ready for the README. "Window" is the analysis window;
"all" means every protocol.

| key | unit | protocols | definition |
|---|---|---|---|
| `mn_rate_hz_flexor` | Hz | all | flexor MN pool rate: spikes of the pool in the window / (cells x window duration), silent cells included |
| `mn_rate_hz_extensor` | Hz | all | same, extensor pool |
| `coactivation_cci` | % | rest, contraction, alternation | Falconer & Winter (1985) CI = 100 x 2 low / (low + high); low, high = the smaller and larger integrated EMG envelope of the two MN pools in the window |
| `coactivation_overlap` | % | rest, contraction, alternation | Winter's %COCON = 100 x 2 area(min(a, b)) / (area(a) + area(b)); a, b = the two envelopes, each divided by its own peak in the window (a timing/shape index, blind to amplitude) |
| `reflex_amplitude` | spikes | reflex | spikes of the stimulated muscle's MN pool in the monosynaptic window (the protocol's `response_window_ms` after the volley) after the first, rested volley, minus its spikes in the window of the same length that ends at the volley (baseline) |
| `reflex_latency_ms` | ms | reflex | mean first-spike latency from the first volley over the MNs that fired in that window |
| `reflex_depression_ratio` | 1 | reflex | mean amplitude (baseline subtracted) of the volleys after the first `n_discard` (default 3) / amplitude of the first volley (rested, stands for 0.1 Hz); < 1 = rate-dependent depression; protocols with trains at several rates (`cord_reflex`): at the fastest rate, and `reflex_depression_ratio_<rate>hz` for every rate (volleys of that train after its first `n_discard`, over the mean of the rested first volleys of all trains; `0p1hz` for 0.1 Hz) |
| `reciprocal_inhibition_depth` | 1 | reflex | 1 - test/control: antagonist MN spikes in [2, 20) ms after each volley (protocol `ri_window_ms`) vs. in equal windows ending at each volley; 1 = full suppression, < 0 = facilitation; NaN when the control windows hold < 5 spikes (antagonist silent at baseline) |
| `spontaneous_rate_hz` | Hz | rest, contraction | mean rate of all MNs of both pools without drive or stimulation (the protocol's `spontaneous_window_ms`: rest, its analysis window; contraction, the baseline before the drive) |
| `alternation_index` | -1..1 | alternation | -Pearson r of the two MN pools' rates in bins of `cycle_period_ms`/20 over the drive window; 1 = alternating, 0 = unrelated, -1 = in phase |
| `mn_active_rate_hz_flexor`, `_extensor` | Hz | all | mean rate of the pool's MNs with >= 1 spike in the window |
| `mn_recruited_fraction_flexor`, `_extensor` | 0-1 | all | fraction of the pool's MNs with >= 1 spike in the window |
| `mn_max_cell_rate_hz_flexor`, `_extensor` | Hz | all | rate of the pool's fastest MN in the window: with the recruited fraction it shows what a pool mean hides (two cells at 250 Hz and the rest silent) |
| `mn_isi_cv_flexor`, `_extensor` | 1 | all | ISI CV (SD with ddof=1 / mean) of each MN with >= 3 spikes in the window, averaged over those MNs |
| `ia_rate_hz_flexor`, `_extensor` | Hz | all | pool rate of the Ia afferents in the window |
| `iain_rate_hz_flexor`, `_extensor` | Hz | all | pool rate of the Ia inhibitory interneurons in the window |
| `rc_rate_hz_flexor`, `_extensor` | Hz | all | pool rate of the Renshaw cells in the window |
| `<role>_rate_hz_<muscle>` | Hz | all | pool rate in the window of any other population the circuit declares (appended after these keys) |
| `emg_area_flexor`, `_extensor` | a.u. x ms | rest, contraction, alternation | integrated EMG envelope of the pool in the window (a smallest unit's MUAP peak = 1 a.u.) |
| `coactivation_cci_spikes` | % | rest, contraction, alternation | the Falconer & Winter formula on the pools' spike counts in the window, each spike weighted by its unit's size factor (the pool's `mu_sizes`): the CI without EMG amplitude cancellation |
| `coactivation_rudolph` | 0-2 | rest, contraction, alternation | Rudolph et al. (2000): mean over samples of (low/high) x (low + high) on the peak-normalised envelopes |
| `agonist_rate_hz` | Hz | contraction | pool rate of the driven muscle's MNs in the ramp window |
| `antagonist_rate_hz` | Hz | contraction | pool rate of the other MN pool in the ramp window |
| `antagonist_recruited_fraction` | 0-1 | contraction | fraction of antagonist MNs firing in the ramp window |
| `reflex_fraction` | 0-1 | reflex | fraction of the stimulated pool firing in the monosynaptic window of the first volley |
| `reflex_latency_min_ms` | ms | reflex | shortest first-spike latency after the first volley (reflex onset) |
| `reflex_amplitude_steady` | spikes | reflex | mean amplitude of the volleys after the first `n_discard` |
| `reflex_n_volleys` | count | reflex | number of volleys in the train |
| `reciprocal_inhibition_control_spikes` | count | reflex | antagonist spikes in the control windows |
| `spontaneous_recruited_fraction` | 0-1 | rest, contraction | fraction of all MNs firing in the spontaneous-rate window |
| `alternation_phase_index` | -1..1 | alternation | -cos(2 pi (phase_flexor - phase_extensor)), mean spike phases in the drive cycle; 1 = half a cycle apart |
| `alternation_vector_strength_flexor`, `_extensor` | 0-1 | alternation | locking of the pool's spikes to the drive cycle: modulus of the mean of exp(2 pi i phase) |
| `analysis_t0_ms`, `analysis_t1_ms` | ms | all | the analysis window used |
| `mn_spontaneous_max_cell_rate_hz` | Hz | rest, contraction | rate of the fastest MN of both pools in the spontaneous window (a pool's "spontaneous rate" of 1 Hz may be one cell at 16 Hz or one at 250 Hz) |
| `mn_after_drive_max_cell_rate_hz` | Hz | contraction | rate of the fastest MN of both pools from 50 ms after the drive ends to the end of the run (:mod:`cordsim.analysis.regime`) |
| `regime_rate_flag` | 0/1 | all | 1 when any MN fires above 150 Hz in the window or in the spontaneous window (:data:`cordsim.analysis.regime.MAX_CELL_RATE_HZ`): a runaway, not a behavioural rate |
| `regime_persistence_flag` | 0/1 | contraction | 1 when `mn_after_drive_max_cell_rate_hz` exceeds 38 Hz (Fmin + 2 SD, Meehan et al. 2010): firing locked on after the drive |
| `vr_onset_latency_ms`, `vr_peak_amplitude_uv`, `vr_area_uv_ms`, ... | ms, uV, uV ms | cord_reflex | the stimulated muscle's ventral-root response to the rested (0.1 Hz) volleys, scored by the lab's rules (:mod:`cordsim.analysis.cord_reflex`; appended after these keys) |
| `vr_peak_amplitude_depression_<rate>hz`, `vr_area_depression_<rate>hz` | 1 | cord_reflex | mean ventral-root response at that rate / at 0.1 Hz |
| `vr_burst_count`, `vr_burst_rate_hz`, `vr_burst_duration_ms` | count, Hz, ms | rest (isolated cord) | spontaneous ventral-root bursts in the spontaneous window, both roots |

The synthetic EMG keeps real EMG's amplitude cancellation: overlapping MUAPs
partly cancel, so a pool's envelope area grows less than linearly with its
spike count when many units fire (for random firing, roughly as the square
root). ``coactivation_cci`` therefore compresses large differences in pool
output (e.g. two pools of 300 units firing at random, at 30 and 5 Hz: CI
about 58 on the EMG against 29 on the spikes);
``coactivation_cci_spikes`` is the same formula on size-weighted spike counts.

Zero activity: the co-contraction indices are 0 when exactly one pool is
silent in the window and NaN when both are; ISI CV, latencies and the
alternation index are NaN when there are no spikes to define them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cordsim.analysis import alternation as alt
from cordsim.analysis import coactivation as coact
from cordsim.analysis import rates
from cordsim.analysis import reflex as rfx
from cordsim.analysis.cord_reflex import rate_label, ventral_root_metrics
from cordsim.analysis.emg import (
    DEFAULT_DT_MS,
    DEFAULT_KERNEL_WIDTH_MS,
    DEFAULT_LOWPASS_HZ,
    mu_sizes_for,
    pool_emg,
)
from cordsim.analysis.regime import AFTER_DRIVE_DELAY_MS, REGIME_KEYS, regime_flags

if TYPE_CHECKING:  # pragma: no cover
    from cordsim.models.result import SimulationResult

__all__ = [
    "METRIC_KEYS",
    "PRIMARY_KEYS",
    "RI_MIN_CONTROL_SPIKES",
    "analysis_window",
    "metrics",
    "metrics_frame",
]
PRIMARY_KEYS = (
    "mn_rate_hz_flexor",
    "mn_rate_hz_extensor",
    "coactivation_cci",
    "coactivation_overlap",
    "reflex_amplitude",
    "reflex_latency_ms",
    "reflex_depression_ratio",
    "reciprocal_inhibition_depth",
    "spontaneous_rate_hz",
    "alternation_index",
)
"""The public metric names every consumer can rely on."""

METRIC_KEYS = PRIMARY_KEYS + (
    "mn_active_rate_hz_flexor",
    "mn_active_rate_hz_extensor",
    "mn_recruited_fraction_flexor",
    "mn_recruited_fraction_extensor",
    "mn_max_cell_rate_hz_flexor",
    "mn_max_cell_rate_hz_extensor",
    "mn_isi_cv_flexor",
    "mn_isi_cv_extensor",
    "ia_rate_hz_flexor",
    "ia_rate_hz_extensor",
    "iain_rate_hz_flexor",
    "iain_rate_hz_extensor",
    "rc_rate_hz_flexor",
    "rc_rate_hz_extensor",
    "emg_area_flexor",
    "emg_area_extensor",
    "coactivation_rudolph",
    "coactivation_cci_spikes",
    "agonist_rate_hz",
    "antagonist_rate_hz",
    "antagonist_recruited_fraction",
    "reflex_fraction",
    "reflex_latency_min_ms",
    "reflex_amplitude_steady",
    "reflex_n_volleys",
    "reciprocal_inhibition_control_spikes",
    "spontaneous_recruited_fraction",
    "alternation_phase_index",
    "alternation_vector_strength_flexor",
    "alternation_vector_strength_extensor",
    "analysis_t0_ms",
    "analysis_t1_ms",
    *REGIME_KEYS,
)
"""Every key of :func:`metrics`, in column order."""

RI_MIN_CONTROL_SPIKES = 5
"""Antagonist spikes needed in the control windows for a reciprocal-inhibition depth."""

MUSCLES = ("flexor", "extensor")
"""The muscle pair every circuit has (the metric names are per muscle)."""
NAN = float("nan")


def _clip(result: SimulationResult, window: tuple[float, float], what: str) -> tuple[float, float]:
    t0, t1 = max(float(window[0]), 0.0), min(float(window[1]), float(result.tstop_ms))
    if not t1 > t0:
        raise ValueError(f"{what} {window} is empty inside [0, {result.tstop_ms}] ms")
    return t0, t1


def analysis_window(result: SimulationResult) -> tuple[float, float]:
    """The protocol's analysis window ``(t0_ms, t1_ms)``, clipped to the run."""
    return _clip(result, result.protocol.analysis_window_ms, "analysis window")


def _trains(result: SimulationResult, population: str | None) -> list[np.ndarray] | None:
    if population is None or population not in result.populations:
        return None
    return result.spike_times(population)


def _coactivation(
    result: SimulationResult, pools: dict[str, str], t0: float, t1: float, row: dict[str, Any]
) -> None:
    if not all(m in pools for m in MUSCLES):
        return
    env, weighted = {}, {}
    for m in MUSCLES:
        counts = rates.spike_counts(result.spike_times(pools[m]), t0, t1)
        weighted[m] = float(np.dot(counts, mu_sizes_for(result, pools[m])))
        t_ms, _, envelope = pool_emg(
            result,
            pools[m],
            dt_ms=DEFAULT_DT_MS,
            kernel_width_ms=DEFAULT_KERNEL_WIDTH_MS,
            lowpass_hz=DEFAULT_LOWPASS_HZ,
        )
        mask = (t_ms >= t0) & (t_ms < t1)
        env[m] = envelope[mask]
        row[f"emg_area_{m}"] = coact.envelope_area(env[m], DEFAULT_DT_MS)
    a, b = env["flexor"], env["extensor"]
    if a.size == 0:
        return
    row["coactivation_cci"] = coact.cocontraction_index(a, b)
    row["coactivation_overlap"] = coact.overlap_index(a, b)
    row["coactivation_rudolph"] = coact.rudolph_cci(a, b)
    row["coactivation_cci_spikes"] = coact.cocontraction_index(
        np.array([weighted["flexor"]]), np.array([weighted["extensor"]])
    )


def _reflex(result: SimulationResult, pools: dict[str, str], row: dict[str, Any]) -> None:
    proto = result.protocol
    agonist = proto.agonist
    antagonist = rfx.antagonist_of(agonist)
    stims = list(proto.stim_times_ms)
    row["reflex_n_volleys"] = len(stims)
    ago_trains = _trains(result, pools.get(agonist))
    if ago_trains is not None and stims:
        table = rfx.volley_responses(ago_trains, stims, proto.response_window_ms)
        n_discard = proto.n_discard if proto.n_discard is not None else rfx.DEFAULT_N_DISCARD
        amp = table["amplitude_spikes"].to_numpy(dtype=float)
        first = table.iloc[0]
        row["reflex_amplitude"] = int(first["amplitude_spikes"])
        row["reflex_fraction"] = float(first["fraction_fired"])
        row["reflex_latency_ms"] = float(first["latency_mean_ms"])
        row["reflex_latency_min_ms"] = float(first["latency_min_ms"])
        row["reflex_amplitude_steady"] = (
            float(amp[n_discard:].mean()) if amp.size > n_discard else NAN
        )
        if proto.stim_rates_hz:
            row.update(_rate_depression(amp, proto, n_discard))
        else:
            row["reflex_depression_ratio"] = rfx.reflex_depression_ratio(amp, n_discard)
    ant_trains = _trains(result, pools.get(antagonist))
    if ant_trains is not None and stims:
        test, control = rfx.reciprocal_inhibition_counts(
            ant_trains, stims, rfx.DEFAULT_RI_WINDOW_MS
        )
        row["reciprocal_inhibition_control_spikes"] = int(control.sum())
        row["reciprocal_inhibition_depth"] = rfx.reciprocal_inhibition_depth(
            test, control, min_control_spikes=RI_MIN_CONTROL_SPIKES
        )


def _rate_depression(amp: np.ndarray, proto: Any, n_discard: int) -> dict[str, float]:
    """Spike-count depression at each rate of a protocol with trains at several rates."""
    rates_hz = np.asarray(proto.stim_rates_hz, dtype=float)
    index = np.asarray(proto.stim_pulse_index, dtype=int)
    reference = float(amp[index == 0].mean())
    out: dict[str, float] = {}
    value = NAN
    for rate in sorted(set(rates_hz[index > 0])):  # ascending: the fastest comes last
        steady = amp[(rates_hz == rate) & (index >= n_discard)]
        value = float(steady.mean() / reference) if steady.size and reference > 0 else NAN
        out[f"reflex_depression_ratio_{rate_label(rate)}"] = value
    out["reflex_depression_ratio"] = value
    return out


def _spontaneous(result: SimulationResult, pools: dict[str, str], row: dict[str, Any]) -> None:
    t0, t1 = _clip(result, result.protocol.spontaneous_window_ms, "spontaneous window")
    trains: list[np.ndarray] = []
    for m in MUSCLES:
        trains.extend(_trains(result, pools.get(m)) or [])
    if trains:
        row["spontaneous_rate_hz"] = rates.pool_rate_hz(trains, t0, t1)
        row["spontaneous_recruited_fraction"] = rates.recruited_fraction(trains, t0, t1)
        row["mn_spontaneous_max_cell_rate_hz"] = float(rates.cell_rates_hz(trains, t0, t1).max())


def _contraction(row: dict[str, Any], agonist: str) -> None:
    antagonist = rfx.antagonist_of(agonist)
    row["agonist_rate_hz"] = row[f"mn_rate_hz_{agonist}"]
    row["antagonist_rate_hz"] = row[f"mn_rate_hz_{antagonist}"]
    row["antagonist_recruited_fraction"] = row[f"mn_recruited_fraction_{antagonist}"]


def _after_drive(
    result: SimulationResult, pools: dict[str, str], drive_end_ms: float, row: dict[str, Any]
) -> None:
    """Fastest MN from AFTER_DRIVE_DELAY_MS after the drive's end to the run's end.

    A cell's rate there is 1000 / its mean ISI (ms) in the window (a 50 ms
    window holds too few spikes for a count rate); cells with fewer than
    three spikes (no sustained discharge: at most a last doublet) count as 0 Hz.
    """
    t0, t1 = drive_end_ms + AFTER_DRIVE_DELAY_MS, float(result.tstop_ms)
    if t1 - t0 < 10.0:  # no tail to read
        return
    fastest = 0.0
    for m in MUSCLES:
        for train in _trains(result, pools.get(m)) or []:
            t = np.asarray(train, dtype=float)
            t = t[(t >= t0) & (t < t1)]
            if t.size >= 3:
                fastest = max(fastest, 1000.0 * (t.size - 1) / (t[-1] - t[0]))
    row["mn_after_drive_max_cell_rate_hz"] = fastest


def _alternation(
    result: SimulationResult, pools: dict[str, str], t0: float, t1: float, row: dict[str, Any]
) -> None:
    trains = {m: _trains(result, pools.get(m)) for m in MUSCLES}
    if any(tr is None for tr in trains.values()):
        return
    period = result.protocol.cycle_period_ms
    bin_ms = float(period) / 20.0 if period else 10.0
    if t1 - t0 >= 2 * bin_ms:
        row["alternation_index"] = alt.binned_alternation_index(
            trains["flexor"], trains["extensor"], t0, t1, bin_ms
        )
    if period:
        for m in MUSCLES:
            _, vs = alt.burst_phase(trains[m], float(period), t0, t1)
            row[f"alternation_vector_strength_{m}"] = vs
        row["alternation_phase_index"] = alt.phase_alternation_index(
            trains["flexor"], trains["extensor"], float(period), t0, t1
        )


def metrics(
    result: SimulationResult, *, ventral_root: pd.DataFrame | None = None
) -> dict[str, float | int]:
    """Phenotype metrics of one simulation as a flat dict (see the module docstring).

    Parameters
    ----------
    result : SimulationResult
        Any protocol; its record's ``measures`` say which metrics apply.
    ventral_root : pandas.DataFrame, optional
        The run's ventral-root recording, when the caller has it already
        (default: synthesised from the spikes where ``ventral_root`` applies).

    Returns
    -------
    dict of str to float or int
        Every key of :data:`METRIC_KEYS` (NaN where it does not apply), then
        ``<role>_rate_hz_<muscle>`` for populations beyond the default table.
    """
    t0, t1 = analysis_window(result)
    row: dict[str, Any] = dict.fromkeys(METRIC_KEYS, NAN)
    row["analysis_t0_ms"], row["analysis_t1_ms"] = t0, t1
    pools = result.motor_pools()
    for m, pool in pools.items():
        trains = result.spike_times(pool)
        row[f"mn_rate_hz_{m}"] = rates.pool_rate_hz(trains, t0, t1)
        row[f"mn_active_rate_hz_{m}"] = rates.active_rate_hz(trains, t0, t1)
        row[f"mn_recruited_fraction_{m}"] = rates.recruited_fraction(trains, t0, t1)
        cell_rates = rates.cell_rates_hz(trains, t0, t1)
        row[f"mn_max_cell_rate_hz_{m}"] = float(cell_rates.max()) if cell_rates.size else NAN
        row[f"mn_isi_cv_{m}"] = rates.isi_cv(trains, t0, t1)
    for pop in result.populations.values():
        if pop.kind != "motor_pool":
            row[f"{pop.role}_rate_hz_{pop.muscle}"] = rates.pool_rate_hz(
                result.spike_times(pop.name), t0, t1
            )

    measures = result.protocol.measures
    if "coactivation" in measures:
        _coactivation(result, pools, t0, t1, row)
    if "spontaneous" in measures:
        _spontaneous(result, pools, row)
    if "contraction" in measures:
        _contraction(row, result.protocol.agonist)
        _after_drive(result, pools, t1, row)
    if "reflex" in measures:
        _reflex(result, pools, row)
    if "alternation" in measures:
        _alternation(result, pools, t0, t1, row)
    if "ventral_root" in measures:
        row.update(ventral_root_metrics(result, ventral_root))
    row.update(regime_flags(row))
    return row


def metrics_frame(results: Iterable[SimulationResult]) -> pd.DataFrame:
    """One row of :func:`metrics` per result, with ``protocol`` and ``seed`` first."""
    rows = [
        {"protocol": res.protocol.name, "seed": int(res.seed), **metrics(res)} for res in results
    ]
    extra = [
        k for row in rows for k in row if k not in METRIC_KEYS and k not in ("protocol", "seed")
    ]
    return pd.DataFrame(rows, columns=["protocol", "seed", *METRIC_KEYS, *dict.fromkeys(extra)])
