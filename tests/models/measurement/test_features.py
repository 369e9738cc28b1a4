"""Trace features of cordsim.models.measurement.features on synthetic traces (no NEURON)."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cordsim.models.measurement.features import (
    Trace,
    crossing_time,
    evokes_spike,
    fi_summary,
    first_rate_hz,
    first_spike_threshold_mv,
    loglinear_tau,
    probe_input_resistance,
    probe_tau,
    ramp_features,
    spike_features,
    steady_rate_hz,
    step_input_resistance,
    valid_spikes,
)

DT = 0.025


def test_features_and_properties_do_not_load_neuron():
    code = (
        "import sys\n"
        "import cordsim.models.measurement.features, cordsim.models.measurement.properties\n"
        "print('neuron' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- spikes


def test_valid_spikes_rejects_a_potential_held_above_threshold():
    t = np.arange(0.0, 100.0, DT)
    v = np.full_like(t, -70.0)
    v[(t >= 10.0) & (t < 11.0)] = 0.0  # a 1 ms spike
    v[t >= 50.0] = -10.0  # pushed above threshold and held there (block)
    spikes = valid_spikes(t, v, np.array([10.0, 50.0]), threshold_mv=-20.0, max_ms=10.0)
    np.testing.assert_array_equal(spikes, [10.0])
    assert valid_spikes(t, v, np.array([]), -20.0, 10.0).size == 0


def test_evokes_spike_counts_the_pulse_and_a_short_window_after():
    t = np.arange(-5.0, 20.0, DT)
    v = np.zeros_like(t)

    def trace(spikes):
        return Trace(t, v, np.asarray(spikes, dtype=float), amp_na=1.0, dur_ms=5.0)

    assert evokes_spike(trace([3.0]))
    assert evokes_spike(trace([6.5]))  # 1.5 ms after the end of the pulse
    assert not evokes_spike(trace([7.5]))
    assert evokes_spike(trace([7.5]), window_after_ms=3.0)
    assert not evokes_spike(trace([-1.0]))  # before the pulse
    assert not evokes_spike(trace([]))


def test_steady_rate_of_regular_firing_to_the_end_of_the_step():
    spikes = np.arange(10.0, 500.0, 20.0)  # 50 Hz from 10 ms to the end of a 500 ms step
    assert steady_rate_hz(spikes, 500.0, 0.5) == pytest.approx(50.0)
    # only the last half counts: a fast onset burst does not change the rate
    burst = np.concatenate([[1.0, 3.0, 5.0], spikes])
    assert steady_rate_hz(burst, 500.0, 0.5) == pytest.approx(50.0)


def test_steady_rate_is_nan_when_firing_stops_or_is_too_sparse():
    stops = np.arange(10.0, 400.0, 20.0)  # last spike 110 ms before the end: > 2 ISIs
    assert math.isnan(steady_rate_hz(stops, 500.0, 0.5))
    assert math.isnan(steady_rate_hz(np.array([300.0]), 500.0, 0.5))
    assert math.isnan(steady_rate_hz(np.array([]), 500.0, 0.5))


def test_first_rate_is_one_over_the_first_isi():
    assert first_rate_hz(np.array([2.0, 6.0, 20.0])) == pytest.approx(250.0)
    assert math.isnan(first_rate_hz(np.array([2.0])))


# --------------------------------------------------------------- fitting


def test_crossing_time_interpolates_between_samples():
    t = np.arange(0.0, 10.0, 1.0)
    v = 2.0 * t  # 0, 2, 4, ...
    assert crossing_time(t, v, 3.0, 0, rising=True) == pytest.approx(1.5)
    assert crossing_time(t, -v, -7.0, 0, rising=False) == pytest.approx(3.5)
    assert crossing_time(t, v, 13.0, 5, rising=True) == pytest.approx(6.5)  # from index 5 on
    assert math.isnan(crossing_time(t, v, 100.0, 0, rising=True))


def test_loglinear_tau_of_an_exponential():
    t = np.arange(0.0, 30.0, 0.1)
    assert loglinear_tau(t, 3.0 * np.exp(-t / 7.5)) == pytest.approx(7.5, rel=1e-9)
    assert math.isnan(loglinear_tau(t, 3.0 * np.exp(t / 7.5)))  # growing
    assert math.isnan(loglinear_tau(t[:2], np.ones(2)))  # too few points


# --------------------------------------------------------------- passive


def rc_pulse_response(r_mohm, tau_ms, amp_na, dur_ms, t):
    """Potential (mV) of one RC compartment under a square pulse starting at t = 0."""
    v_end = amp_na * r_mohm * (1 - math.exp(-dur_ms / tau_ms))
    during = amp_na * r_mohm * (1 - np.exp(-np.clip(t, 0, None) / tau_ms))
    after = v_end * np.exp(-(t - dur_ms) / tau_ms)
    return np.where(t < 0, 0.0, np.where(t < dur_ms, during, after))


def test_probe_of_an_rc_compartment_gives_tau_and_resistance():
    r, tau, amp, dur = 50.0, 8.0, -0.1, 0.5
    t = np.arange(-20.0, 200.0, DT / 10)
    dv = rc_pulse_response(r, tau, amp, dur, t)
    assert probe_tau(t, dv, dur, (0.25, 0.05)) == pytest.approx(tau, rel=1e-6)
    # the tail integral misses what happened during the pulse: R (1 - e^(-d/tau)) tau / d
    expected = r * (1 - math.exp(-dur / tau)) * tau / dur
    assert probe_input_resistance(t, dv, dur, amp) == pytest.approx(expected, rel=1e-3)
    assert math.isnan(probe_input_resistance(t, dv, dur, 0.0))


def test_probe_tau_fits_the_slowest_component():
    t = np.arange(-1.0, 300.0, DT)
    post = t >= 0.5
    dv = np.zeros_like(t)
    x = t[post] - 0.5
    dv[post] = -(np.exp(-x / 20.0) + np.exp(-x / 0.2))  # tau_0 = 20 ms, tau_1 = 0.2 ms
    # the fit starts at 25 % of the peak (x = 13.9 ms), where the fast part has gone
    assert probe_tau(t, dv, 0.5, (0.25, 0.05)) == pytest.approx(20.0, rel=1e-6)


def test_step_input_resistance_with_sag():
    t = np.arange(-20.0, 520.0, DT)
    amp = -0.5  # nA
    dv = np.zeros_like(t)
    on = (t >= 0) & (t < 500.0)
    x = t[on]
    # peak -3 mV early, sagging to a -2.5 mV plateau: Rin 6 and 5 MOhm, sag 1.2
    dv[on] = -2.5 * (1 - np.exp(-x / 2.0)) - 0.5 * (1 - np.exp(-x / 2.0)) * np.exp(-x / 40.0)
    dv[on] = np.minimum(dv[on], 0)
    out = step_input_resistance(t, dv, amp, 500.0)
    peak = float(-dv[on].min())
    assert out["rin_mohm"] == pytest.approx(peak / 0.5)
    assert out["rin_plateau_mohm"] == pytest.approx(5.0, rel=1e-4)
    assert out["sag_ratio"] == pytest.approx(out["rin_mohm"] / out["rin_plateau_mohm"])
    assert out["sag_ratio"] > 1.1


# -------------------------------------------------------- spike shape, eFEL


def test_spike_features_on_a_synthetic_trace():
    """Triangle spike (width 0.5 ms at half amplitude) and an exponential AHP (tau 10 ms)."""
    t = np.arange(-20.0, 150.0 + DT / 2, DT)
    base, peak, trough, tau = -70.0, 30.0, -75.0, 10.0
    v = np.full_like(t, base)
    rise = (t >= 1.0) & (t < 1.5)
    v[rise] = base + (peak - base) * (t[rise] - 1.0) / 0.5
    fall = (t >= 1.5) & (t < 2.0)
    v[fall] = peak - (peak - base) * (t[fall] - 1.5) / 0.5
    dip = (t >= 2.0) & (t < 3.0)
    v[dip] = base + (trough - base) * (t[dip] - 2.0)
    ahp = t >= 3.0
    v[ahp] = base + (trough - base) * np.exp(-(t[ahp] - 3.0) / tau)
    trace = Trace(t, v, np.array([1.5]), amp_na=1.0, dur_ms=0.5)
    out = spike_features(trace, threshold_mv=-20.0, dt_ms=DT)
    assert out["spike_amplitude_mv"] == pytest.approx(peak - base, abs=0.01)
    assert out["spike_width_ms"] == pytest.approx(0.5, abs=0.002)
    assert out["ahp_depth_mv"] == pytest.approx(base - trough, abs=0.01)
    assert out["ahp_half_decay_ms"] == pytest.approx(tau * math.log(2), abs=0.05)
    assert out["ahp_decay_2_3_ms"] == pytest.approx(tau * math.log(3), abs=0.05)
    assert out["ahp_tau_ms"] == pytest.approx(tau, rel=0.01)


def test_spike_features_pick_the_medium_ahp_after_an_adp():
    """Fast AHP (deepest), then an afterdepolarisation, then the medium AHP trough."""
    t = np.arange(-20.0, 200.0 + DT / 2, DT)
    base = -65.0
    v = np.full_like(t, base)
    rise = (t >= 1.0) & (t < 1.5)
    v[rise] = base + 100.0 * (t[rise] - 1.0) / 0.5
    fall = (t >= 1.5) & (t < 2.0)
    v[fall] = 35.0 - 100.0 * (t[fall] - 1.5) / 0.5
    after = t >= 2.0
    x = t[after] - 2.0
    fast = -6.0 * np.exp(-x / 0.7) * np.minimum(x / 0.3, 1.0)  # fast AHP, about -6 mV
    adp = 4.0 * np.exp(-x / 3.0) * (1 - np.exp(-x / 0.5))  # afterdepolarisation
    medium = -4.0 * (1 - np.exp(-x / 5.0)) * np.exp(-x / 30.0)  # medium AHP
    v[after] = base + fast + adp + medium
    trace = Trace(t, v, np.array([1.5]), amp_na=1.0, dur_ms=0.5)
    out = spike_features(trace, threshold_mv=-20.0, dt_ms=DT)
    med = after & (t > 7.0)
    i_med = np.argmin(np.where(med, v, np.inf))
    assert v.min() < v[i_med]  # the fast AHP is the deepest point...
    assert out["ahp_depth_mv"] == pytest.approx(base - v[i_med], abs=0.01)  # ...but not "the" AHP
    assert out["ahp_half_decay_ms"] > 10


def test_spike_features_without_a_spike_are_nan():
    t = np.arange(-20.0, 50.0, DT)
    trace = Trace(t, np.full_like(t, -70.0), np.array([]), amp_na=1.0, dur_ms=0.5)
    out = spike_features(trace, threshold_mv=-20.0, dt_ms=DT)
    assert all(math.isnan(v) for v in out.values())


def test_threshold_is_where_dvdt_first_exceeds_10_mv_per_ms():
    """A 5 mV/ms ramp to -60 mV, then a 100 mV/ms upstroke: threshold -60 mV."""
    t = np.arange(-20.0, 60.0 + DT / 2, DT)
    v = np.full_like(t, -70.0)
    slow = (t >= 0) & (t < 2.0)
    v[slow] = -70.0 + 5.0 * t[slow]
    fast = (t >= 2.0) & (t < 2.9)
    v[fast] = -60.0 + 100.0 * (t[fast] - 2.0)
    down = (t >= 2.9) & (t < 4.0)
    v[down] = 30.0 - 100.0 * (t[down] - 2.9) / 1.1
    v[t >= 4.0] = -70.0
    trace = Trace(t, v, np.array([2.5]), amp_na=1.0, dur_ms=2.0)
    assert first_spike_threshold_mv(trace, threshold_mv=-20.0, dt_ms=DT) == pytest.approx(
        -60.0, abs=0.5
    )


# ------------------------------------------------------------- F-I, ramps


def test_fi_summary_fits_the_primary_range_only():
    rheobase = 1.0
    currents = np.array([0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0])
    rates = 20.0 + 15.0 * (currents - 1.0)
    rates[0] = np.nan  # not repetitive
    rates[-1] = 500.0  # outside the fit range: must not bias the slope
    curve = pd.DataFrame({"current_na": currents, "steady_rate_hz": rates})
    out = fi_summary(curve, rheobase)
    assert out["fi_slope_hz_per_na"] == pytest.approx(15.0)
    assert out["f_min_hz"] == pytest.approx(20.0)
    wider = fi_summary(curve, rheobase, fit_range=(1.1, 4.0))
    assert wider["fi_slope_hz_per_na"] > 15.0


def test_fi_summary_without_repetitive_firing_is_nan():
    curve = pd.DataFrame({"current_na": [1.0, 2.0], "steady_rate_hz": [np.nan, np.nan]})
    out = fi_summary(curve, 1.0)
    assert math.isnan(out["fi_slope_hz_per_na"]) and math.isnan(out["f_min_hz"])


RAMP = {"t_start_ms": 0.0, "t_peak_ms": 1000.0, "t_end_ms": 2000.0}  # 0 -> 2 nA -> 0


def ramp_current(t):
    return np.interp(t, [0.0, 1000.0, 2000.0], [0.0, 2.0, 0.0])


def ramp_spikes(first_ms, last_ms, gain, offset):
    """Spike times whose rate 1000 / ISI is exactly offset + gain x current at each spike."""
    spikes = [first_ms]
    while True:
        t = spikes[-1] + 10.0
        for _ in range(200):  # fixed point of t = t_prev + 1000 / rate(t)
            t = spikes[-1] + 1000.0 / (offset + gain * float(ramp_current(t)))
        if t > last_ms:
            return np.array(spikes)
        spikes.append(t)


def test_ramp_features_recruitment_derecruitment_and_gain():
    # recruited at 1 nA (500 ms) on the way up, derecruited at 0.8 nA (1600 ms) on the way down
    spikes = ramp_spikes(500.0, 1600.0, gain=20.0, offset=5.0)
    spikes = np.append(spikes[spikes < 1590.0], 1600.0)
    out = ramp_features(spikes, **RAMP, i_start_na=0.0, i_peak_na=2.0, reached_ms=1700.0)
    assert out["i_recruit_na"] == pytest.approx(1.0)
    assert out["i_derecruit_na"] == pytest.approx(0.8)
    assert out["delta_i_na"] == pytest.approx(-0.2)
    assert out["fi_slope_ramp_hz_per_na"] == pytest.approx(20.0, rel=1e-6)


def test_ramp_features_self_sustained_firing_has_no_derecruitment():
    spikes = ramp_spikes(250.0, 2000.0, gain=20.0, offset=30.0)  # still firing at 0 nA
    out = ramp_features(spikes, **RAMP, i_start_na=0.0, i_peak_na=2.0, reached_ms=2000.0)
    assert out["i_recruit_na"] == pytest.approx(0.5)
    assert math.isnan(out["i_derecruit_na"]) and math.isnan(out["delta_i_na"])


def test_ramp_features_without_firing_on_the_way_up_are_nan():
    out = ramp_features(
        np.array([1500.0]), **RAMP, i_start_na=0.0, i_peak_na=2.0, reached_ms=2000.0
    )
    assert all(math.isnan(v) for v in out.values())


def test_subprimary_range_finds_the_break_of_a_steep_first_segment():
    from cordsim.models.measurement.features import subprimary_range

    amps = np.linspace(1.0, 3.0, 41)
    rates = np.where(amps < 1.5, 20 + 60 * (amps - 1.0), 50 + 10 * (amps - 1.5))
    out = subprimary_range(amps, rates, 1.0)
    assert out["subprimary_range_na"] == pytest.approx(0.5, abs=0.051)
    isi = 1000.0 / rates[amps <= 1.5 + 1e-9]
    assert out["subprimary_isi_cv"] == pytest.approx(np.std(isi) / np.mean(isi), rel=0.15)


def test_subprimary_range_is_zero_for_a_linear_or_accelerating_relation():
    from cordsim.models.measurement.features import subprimary_range

    amps = np.linspace(1.0, 3.0, 30)
    assert subprimary_range(amps, 20 + 10 * amps, 1.0)["subprimary_range_na"] == 0.0
    accelerating = 20 + 5 * (amps - 1) ** 2
    assert subprimary_range(amps, accelerating, 1.0)["subprimary_range_na"] == 0.0
    short = subprimary_range(amps[:5], 20 + 10 * amps[:5], 1.0)
    assert np.isnan(short["subprimary_range_na"]) and np.isnan(short["subprimary_isi_cv"])


def test_isi_cv2_is_zero_for_a_regular_train_even_with_a_trend():
    from cordsim.models.measurement.features import isi_cv2

    assert isi_cv2(np.full(20, 25.0)) == 0.0
    # a slow rate trend (ISIs 60 -> 30 ms) inflates the plain CV, not CV2
    trend = np.linspace(60.0, 30.0, 30)
    assert np.std(trend) / np.mean(trend) > 0.15
    assert isi_cv2(trend) < 0.05
    assert math.isnan(isi_cv2(np.array([10.0])))


def test_isi_cv2_of_a_poisson_train_is_near_one():
    from cordsim.models.measurement.features import isi_cv2

    isi = np.random.default_rng(3).exponential(20.0, 20000)
    assert isi_cv2(isi) == pytest.approx(1.0, abs=0.03)


def test_discharge_irregularity_reads_the_first_and_last_isis():
    from cordsim.models.measurement.features import (
        PRIMARY_ISIS,
        RECRUITMENT_ISIS,
        discharge_irregularity,
    )

    rng = np.random.default_rng(1)
    irregular = rng.uniform(30.0, 90.0, RECRUITMENT_ISIS)  # at recruitment
    regular = np.full(40, 25.0)  # the primary range
    spikes = np.concatenate([[0.0], np.cumsum(np.concatenate([irregular, regular]))])
    out = discharge_irregularity(spikes)
    assert out["recruitment_isi_cv2"] > 0.2
    assert out["primary_isi_cv2"] == 0.0
    few = discharge_irregularity(spikes[: RECRUITMENT_ISIS + PRIMARY_ISIS])  # windows would overlap
    assert few["recruitment_isi_cv2"] > 0.2 and math.isnan(few["primary_isi_cv2"])
    assert all(math.isnan(v) for v in discharge_irregularity(spikes[:5]).values())
