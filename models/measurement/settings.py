"""Protocol settings of the single-cell measurements, and the presets of each age.

No NEURON here. Times in ms, currents in nA, voltages in mV throughout.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models.solver import DEFAULT_DT_MS

__all__ = ["PRESETS", "MeasureSettings", "check_ramp_noise", "ramp_up_ms", "settings_for"]


@dataclass(frozen=True)
class MeasureSettings:
    """Protocol settings of :func:`~cordsim.models.measurement.measure_cell`.

    The defaults are the adult conventions. Times in ms, currents in nA,
    voltages in mV; ``*_factor`` and ``*_multiples`` are multiples of the cell's
    rheobase. See :mod:`cordsim.models.measurement.properties` for how each
    property uses them.
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
    # synaptic background during the ramp, as in the in vivo recordings of the
    # sub-primary range (Manuel et al. 2009): csnoise.mod, an Ornstein-Uhlenbeck
    # current at the soma; SD (nA), correlation time (ms), seed of its Random123
    # stream; 0 nA = none. Fitted: 0.28 nA gives the default adult cell a resting
    # potential SD of 0.84 mV, the median of the default adult circuit's 20 flexor
    # MNs at rest under their synaptic background (0.44-1.40 mV, seeds 1-2;
    # benchmarks/background_noise.py); tau 2 ms = the excitatory background
    # synapse's decay (csexcsyn.mod), which gives the cell's potential a 1/e time
    # of 4.8 ms against the circuit's 4.6 ms.
    ramp_noise_sd_na: float = 0.28
    ramp_noise_tau_ms: float = 2.0
    ramp_noise_seed: int = 1
    # With noise, the ramp runs this many times (seeds ramp_noise_seed,
    # ramp_noise_seed + 1, ...) and each ramp property is the mean over the runs
    # that give it a value. One run's first 10 ISIs make a noisy estimate: over
    # seeds 1-20 the default adult cell's recruitment_isi_cv2 spread over
    # 0.12-0.36 (6 of 20 below the 0.15 of its soft range) and its
    # subprimary_range_na over 0.17-1.68 nA (2026-12-05). Without noise every
    # run is the same, and one runs.
    ramp_noise_repeats: int = 5
    # spike detection: an upward crossing of cell.spike_threshold_mv counts as a
    # spike only if the potential falls back below it within this time
    spike_max_ms: float = 10.0
    # ZAP (chirp) at rest: 0.5-100 Hz over 10 s, ~2 mV at low frequency
    zap_ms: float = 10000.0
    zap_f_start_hz: float = 0.5
    zap_f_stop_hz: float = 100.0
    zap_mv: float = 2.0
    zap_smooth_hz: float = 1.0
    zap_sample_ms: float = 0.5
    # delayed onset: rheobase of 5 s steps on a 50 / 100 pA grid (Leroy et al. 2014)
    onset_step_ms: float = 5000.0
    onset_grid_na: float = 0.05
    onset_grid_large_na: float = 0.1
    onset_grid_switch_na: float = 0.9
    # firing after a 2 s step at 3 x rheobase ends (1.5 s observed)
    persist_step_ms: float = 2000.0
    persist_multiple: float = 3.0
    persist_after_ms: float = 1500.0
    # Ia EPSP train (Na blocked): 10 volleys at 10 Hz
    ia_train_hz: float = 10.0
    ia_train_n: int = 10

    def replace(self, **changes: Any) -> MeasureSettings:
        """Return a copy with some fields changed.

        Raises
        ------
        ParameterError
            For a name that is not a field.
        """
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
    # and 1 ms single-spike pulses (Leroy et al. 2014); no background noise (a
    # slice has little synaptic background; assumed).
    "juvenile": MeasureSettings(
        rheobase_pulse_ms=1000.0,
        spike_pulse_ms=1.0,
        ramp_rate_na_per_s=0.1,
        ramp_max_up_ms=None,
        ramp_noise_sd_na=0.0,
    ),
}


def settings_for(age: str | None = None, **overrides: Any) -> MeasureSettings:
    """The preset of one age, with some fields changed.

    Parameters
    ----------
    age : {"adult", "juvenile"}, optional
        Key of :data:`PRESETS`; None gives the defaults (adult).
    **overrides
        Fields of :class:`MeasureSettings` to change.

    Returns
    -------
    MeasureSettings

    Raises
    ------
    ParameterError
        For an unknown age or field name.
    """
    if age is None:
        base = MeasureSettings()
    elif age in PRESETS:
        base = PRESETS[age]
    else:
        raise ParameterError(unknown_name_message("age", age, PRESETS))
    return base.replace(**overrides) if overrides else base


def check_ramp_noise(s: MeasureSettings) -> None:
    """Refuse impossible ramp-noise settings, before anything runs.

    Raises
    ------
    ParameterError
        ``ramp_noise_sd_na`` < 0, ``ramp_noise_tau_ms`` <= 0,
        ``ramp_noise_seed`` < 0 or ``ramp_noise_repeats`` not an integer >= 1.
    """
    repeats = s.ramp_noise_repeats
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ParameterError(f"ramp noise: repeats {repeats!r} must be an integer >= 1")
    if not (s.ramp_noise_sd_na >= 0 and s.ramp_noise_tau_ms > 0 and s.ramp_noise_seed >= 0):
        raise ParameterError(
            f"ramp noise: sd {s.ramp_noise_sd_na} nA must be >= 0, tau {s.ramp_noise_tau_ms} "
            f"ms > 0 and seed {s.ramp_noise_seed} >= 0"
        )


def ramp_up_ms(s: MeasureSettings, span_na: float) -> float:
    """Duration of the triangular ramp's upward arm.

    ``span / ramp_rate_na_per_s``, lengthened to ``ramp_min_up_ms``, and
    shortened to ``ramp_max_up_ms`` (if set) as long as the rate stays at most
    ``ramp_max_rate_na_per_s``.

    Parameters
    ----------
    s : MeasureSettings
        Ramp settings.
    span_na : float
        Current span of the upward arm, peak - start (nA).

    Returns
    -------
    float
        Duration (ms).
    """
    up_ms = 1000.0 * span_na / s.ramp_rate_na_per_s
    if s.ramp_max_up_ms is not None and up_ms > s.ramp_max_up_ms:
        up_ms = max(s.ramp_max_up_ms, 1000.0 * span_na / s.ramp_max_rate_na_per_s)
    return max(up_ms, s.ramp_min_up_ms)
