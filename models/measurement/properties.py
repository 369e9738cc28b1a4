"""The properties :func:`~cordsim.models.measurement.measure_cell` returns, and their definitions.

No NEURON here: the target ranges (``models/data/targets.toml``) and their tests
use :data:`PROPERTIES` without building a cell.

Definitions (protocol; convention and source)
---------------------------------------------
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
f_steady_3x_hz
    Steady rate (as for the F-I slope) of the F-I step at 3 x rheobase: the
    highest steady rate the validation asks of a cell (the issue of
    saturation: fast motor neurons should not sustain several hundred Hz).
f_max_hz
    Largest 1 / first ISI on ``fmax_step_ms`` (100 ms) steps at
    ``fmax_multiples`` (3, 5, 7, 10) x rheobase; stops at the first step with
    fewer than two spikes (depolarisation block).
i_recruit_na, i_derecruit_na, delta_i_na, fi_slope_ramp_hz_per_na
    Slow triangular ramp at ``ramp_rate_na_per_s`` (1 nA/s adult in vivo, 0.1 nA/s
    juvenile slice) from ``ramp_start_factor`` (0.4) to ``ramp_peak_factor`` (2)
    x rheobase and back down to 0 nA at the same rate; the cell is settled at the
    start current (the ramp is repeated from 0 nA if it fires there). The rate is
    slowed if the upward arm would last less than ``ramp_min_up_ms``
    (interneurons: a 1 nA/s ramp would cross their whole range in tens of ms)
    and, in the adult preset, raised (to at most 5 nA/s, within the 0.1-5 nA/s
    used by Martinez-Silva et al. 2018) if it would last more than
    ``ramp_max_up_ms`` (6 s; the largest cells). Recruitment / derecruitment
    current = ramp current at the first spike of the ascending arm / the last
    spike of the descending arm; delta = derecruit - recruit (negative =
    PIC-like hysteresis). The ramp F-I gain is the slope of instantaneous rate
    vs current (at the second spike of each pair; Martinez-Silva et al. 2018) on
    the ascending arm over the upper half of the firing range, a proxy for the
    primary range. The run stops early once the cell has been silent for
    ``ramp_quiet_ms`` on the descending arm; derecruitment is NaN if the cell
    still fires when the ramp is back at 0 nA.

onset_rheobase_na, onset_latency_ms, onset_acceleration
    Square steps of ``onset_step_ms`` (5 s) on a grid of 50 pA (100 pA above
    0.9 nA), as Leroy et al. 2014 searched rheobase: the smallest that fires;
    at that amplitude, the latency of the first spike and first ISI / last ISI
    (> 1 = accelerating). Delayed-onset (F-type)
    juvenile cells fire late and accelerate; immediate (S-type) ones fire at
    once (Leroy et al. 2014; :mod:`~cordsim.models.measurement.onset`).
na_activation_v_half_mv, na_inactivation_v_half_mv, kdr_activation_v_half_mv
    Effective half-voltages of the somatic Na activation (m) and fast
    inactivation (h) gates and of the delayed-rectifier activation gate (n),
    every shift of the parameters applied: the voltage at which the gate's
    steady state, read from the mechanism at ``soma(0.5)``, is 0.5 (bisection
    on ``finitialize``). The initial segment's Nav1.6 sits
    ``vshift_na_is_mv`` lower on both Na gates.
resonance_frequency_hz, resonance_q
    ZAP at rest: a linear chirp current of ``zap_ms`` (10 s) from
    ``zap_f_start_hz`` to ``zap_f_stop_hz`` (0.5-100 Hz), amplitude
    ``zap_mv`` / plateau Rin (about 2 mV). Impedance = ``|FFT(v)| / |FFT(i)|``,
    smoothed over 1 Hz; frequency of its largest value (NaN when there is no
    peak, Q < 1.02) and Q = largest / lowest-frequency impedance (Hutcheon,
    Miura & Puil 1996; :mod:`~cordsim.models.measurement.impedance`).
self_sustained_firing_ms
    Square step of ``persist_multiple`` (3) x rheobase for ``persist_step_ms``
    (2 s), then ``persist_after_ms`` (1.5 s) without current: time from the end
    of the step to the last spike (0 = the cell stops with its drive). PICs
    should amplify and prolong firing, but a cell whose drive ends returns to
    rest unless bistability is intended (issue 10).
ia_epsp_composite_mv, ia_epsp_ratio_10hz
    Motor neurons only. Every expected homonymous Ia contact of the age's
    default circuit (fibres x probability, the ``ia_to_mn`` weight and the
    Ia synapse's kinetics and depression) fires together, with the Na
    conductances at zero (spikes blocked): the composite (maximal) Ia EPSP,
    peak - potential at the volley (Hippenmeyer et al. 2005 measured
    10.6 mV in neonatal mouse). Then ``ia_train_n`` (10) volleys at
    ``ia_train_hz`` (10 Hz): ratio = mean of EPSPs 4-10 / the first.

subprimary_range_na, subprimary_isi_cv
    From the ascending arm of the same ramp: the current span from recruitment
    to the break between a steep sub-primary and a shallower primary F-I
    segment (two-segment fit of the instantaneous rate; 0 when there is no
    steeper first segment) and the ISI coefficient of variation within it
    (:func:`~cordsim.models.measurement.features.subprimary_range`).
recruitment_isi_cv2, primary_isi_cv2
    Irregularity of the discharge on the ascending arm of the same ramp: mean
    CV2 of consecutive ISIs (0 regular, ~1 Poisson; Holt et al. 1996) over the
    first 10 ISIs after recruitment and over the last 20 before the peak
    (:func:`~cordsim.models.measurement.features.discharge_irregularity`).
    The adult preset ramps under background noise (``ramp_noise_sd_na``),
    as in vivo, ``ramp_noise_repeats`` (5) times with successive noise seeds,
    and every ramp property (these and the recruitment, derecruitment and ramp
    F-I gain) is the mean over the runs; see
    :mod:`~cordsim.models.measurement.settings`.

A quantity that does not apply (no spike, no repetitive firing, block) is NaN.
"""

from __future__ import annotations

__all__ = ["PROPERTIES"]

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
    "f_steady_3x_hz": "steady firing rate at 3 x rheobase (Hz)",
    "f_max_hz": "highest instantaneous rate, 1/first ISI (Hz)",
    "i_recruit_na": "recruitment current on the triangular ramp (nA)",
    "i_derecruit_na": "derecruitment current on the triangular ramp (nA)",
    "delta_i_na": "derecruitment - recruitment current (nA)",
    "fi_slope_ramp_hz_per_na": "F-I gain on the ascending ramp (Hz/nA)",
    "subprimary_range_na": "sub-primary range width on the ascending ramp (nA)",
    "subprimary_isi_cv": "ISI coefficient of variation in the sub-primary range",
    "recruitment_isi_cv2": "ISI CV2, first 10 ISIs of the ascending ramp",
    "primary_isi_cv2": "ISI CV2, last 20 ISIs of the ascending ramp",
    "onset_rheobase_na": "smallest 5 s step that fires, 50/100 pA grid (nA)",
    "onset_latency_ms": "first-spike latency at the 5 s rheobase (ms)",
    "onset_acceleration": "first / last ISI at the 5 s rheobase (> 1 accelerating)",
    "na_activation_v_half_mv": "somatic Na activation half-voltage, all shifts (mV)",
    "na_inactivation_v_half_mv": "somatic Na inactivation half-voltage, all shifts (mV)",
    "kdr_activation_v_half_mv": "somatic Kdr activation half-voltage, all shifts (mV)",
    "resonance_frequency_hz": "frequency of the largest impedance, ZAP at rest (Hz)",
    "resonance_q": "largest / lowest-frequency impedance, ZAP at rest",
    "self_sustained_firing_ms": "firing after a 2 s step at 3 x rheobase ends (ms)",
    "ia_epsp_composite_mv": "EPSP of a volley in all Ia contacts, Na blocked (mV)",
    "ia_epsp_ratio_10hz": "Ia EPSPs 4-10 / first, 10 Hz train, Na blocked",
}
