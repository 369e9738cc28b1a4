"""VR scoring (the Signal script's rules) on synthetic traces with known answers.

Traces are sampled at 20 kHz (dt = 0.05 ms), 100 ms long, stimulus at 20 ms.
The baseline alternates +s/-s, so the 200 samples of the [-15, -5) ms window
have mean 0 and population SD exactly s. Responses are half-sines (or
Gaussians) on a noise-free stretch; crossing times, areas and RMS are checked
against the analytic values, to tolerances set by the sampling: crossing
times to one sample, areas and RMS to 0.1 % (trapezoid error ~1e-4 here).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq, minimize_scalar

from cordsim.analysis.vr_scoring import (
    METRIC_NAMES,
    ScoringRules,
    burst_summary,
    detect_bursts,
    rate_depression,
    score_frames,
    score_response,
)
from cordsim.errors import ParameterError

FS = 20_000.0
DT = 1000.0 / FS
N = 2000
STIM = 20.0
T = np.arange(N) * DT
S = 1.0  # baseline SD (µV)
THR = 2.0 * S

# triphasic wave: +100 µV (4 ms), -50 µV (6 ms), +20 µV (8 ms), starting 5 ms after the stimulus
T0, D1, A1, D2, A2, D3, A3 = STIM + 5.0, 4.0, 100.0, 6.0, 50.0, 8.0, 20.0


def half_sine(t, t0, dur, amp):
    inside = (t >= t0) & (t <= t0 + dur)
    return np.where(inside, amp * np.sin(np.pi * (t - t0) / dur), 0.0)


def baseline(sd=S, offset=0.0):
    y = np.zeros(N) + offset
    pre = T < STIM
    y[pre] += sd * np.where(np.arange(N)[pre] % 2 == 0, 1.0, -1.0)
    return y


def triphasic(offset=0.0):
    return (
        baseline(offset=offset)
        + half_sine(T, T0, D1, A1)
        - half_sine(T, T0 + D1, D2, A2)
        + half_sine(T, T0 + D1 + D2, D3, A3)
    )


def test_defaults_are_the_scripts():
    r = ScoringRules()
    assert (r.baseline_start_ms, r.baseline_end_ms) == (-15.0, -5.0)
    assert (r.response_start_ms, r.response_end_ms) == (2.0, 55.0)
    assert r.threshold_sd == 2.0 and not r.falling_threshold and not r.complex_mode
    assert (r.onset_hold_ms, r.offset_hold_ms, r.complex_onset_hold_ms) == (1.0, 0.1, 0.5)
    assert (r.total_hold_ms, r.first_peak_window_end_ms, r.peak_min_rise_uv) == (2.0, 40.0, 3.0)


def test_baseline_and_threshold_are_exact():
    m = score_response(triphasic(), FS, STIM)
    assert set(m) == set(METRIC_NAMES)
    assert m["vr_baseline_mean_uv"] == pytest.approx(0.0, abs=1e-12)
    assert m["vr_baseline_sd_uv"] == pytest.approx(S, rel=1e-12)
    assert m["vr_threshold_uv"] == pytest.approx(THR, rel=1e-12)
    assert math.isnan(m["vr_lower_threshold_uv"])


def test_standard_measures_of_a_triphasic_wave():
    m = score_response(triphasic(), FS, STIM)
    th1 = math.asin(THR / A1)
    on = T0 + D1 / math.pi * th1
    off = T0 + D1 - D1 / math.pi * th1
    ret = T0 + D1 + D2 + D3 / math.pi * math.asin(THR / A3)
    assert m["vr_onset_latency_ms"] == pytest.approx(on - STIM, abs=DT)
    assert m["vr_duration_ms"] == pytest.approx(off - on, abs=DT)
    assert m["vr_peak_latency_ms"] == pytest.approx(T0 + D1 / 2 - STIM, abs=DT / 2)
    assert m["vr_peak_amplitude_uv"] == pytest.approx(A1, rel=1e-9)
    area = A1 * D1 / math.pi * 2 * math.cos(th1)
    assert m["vr_area_uv_ms"] == pytest.approx(area, rel=1e-3)
    mean_sq = A1**2 * D1 / math.pi * ((math.pi - 2 * th1) / 2 + math.sin(2 * th1) / 2) / (off - on)
    assert m["vr_rms_uv"] == pytest.approx(math.sqrt(mean_sq), rel=1e-3)
    assert m["vr_min_uv"] == pytest.approx(-A2, rel=1e-9)
    assert m["vr_min_latency_ms"] == pytest.approx(T0 + D1 + D2 / 2 - STIM, abs=DT / 2)
    assert m["vr_peak_to_peak_uv"] == pytest.approx(A1 + A2, rel=1e-9)
    assert m["vr_triphasic_duration_ms"] == pytest.approx(ret - on, abs=DT)
    for key in ("vr_first_peak_latency_ms", "vr_total_area_uv_ms", "vr_n_peaks"):
        assert math.isnan(m[key])  # complex-mode measures


def test_falling_threshold_ends_the_positive_phase_below_baseline_minus_2sd():
    m = score_response(triphasic(), FS, STIM, ScoringRules(falling_threshold=True))
    assert m["vr_lower_threshold_uv"] == pytest.approx(-THR)
    th1, phi = math.asin(THR / A1), math.asin(THR / A2)
    on = T0 + D1 / math.pi * th1
    off = T0 + D1 + D2 / math.pi * phi
    assert m["vr_duration_ms"] == pytest.approx(off - on, abs=DT)
    area = A1 * D1 / math.pi * (math.cos(th1) + 1) - A2 * D2 / math.pi * (1 - math.cos(phi))
    assert m["vr_area_uv_ms"] == pytest.approx(area, rel=1e-3)
    assert m["vr_peak_amplitude_uv"] == pytest.approx(A1)
    # the minimum is searched after the (later) off: still the trough of phase 2
    assert m["vr_min_uv"] == pytest.approx(-A2)


def test_amplitudes_are_from_zero_unless_subtract_baseline():
    plain = score_response(triphasic(), FS, STIM)
    shifted = score_response(triphasic(offset=10.0), FS, STIM)
    assert shifted["vr_baseline_mean_uv"] == pytest.approx(10.0)
    assert shifted["vr_threshold_uv"] == pytest.approx(10.0 + THR)
    assert shifted["vr_onset_latency_ms"] == pytest.approx(plain["vr_onset_latency_ms"], abs=1e-9)
    assert shifted["vr_peak_amplitude_uv"] == pytest.approx(A1 + 10.0)
    expected = plain["vr_area_uv_ms"] + 10.0 * plain["vr_duration_ms"]
    assert shifted["vr_area_uv_ms"] == pytest.approx(expected, rel=1e-9)
    rel = score_response(triphasic(offset=10.0), FS, STIM, ScoringRules(subtract_baseline=True))
    for key in ("vr_peak_amplitude_uv", "vr_area_uv_ms", "vr_rms_uv", "vr_min_uv"):
        assert rel[key] == pytest.approx(plain[key], rel=1e-9)
    assert rel["vr_threshold_uv"] == pytest.approx(10.0 + THR)  # raw frame


def test_onset_needs_one_ms_above_threshold():
    y = triphasic()
    blip = (T >= STIM + 3.0) & (T < STIM + 3.5)  # 0.5 ms above threshold
    y[blip] = 10.0
    m = score_response(y, FS, STIM)
    assert m["vr_onset_latency_ms"] == pytest.approx(
        score_response(triphasic(), FS, STIM)["vr_onset_latency_ms"]
    )
    # complex mode holds 0.5 ms only: the blip is the onset there
    c = score_response(y, FS, STIM, ScoringRules(complex_mode=True))
    assert c["vr_onset_latency_ms"] == pytest.approx(3.0 - DT * (1 - THR / 10.0), abs=1e-9)


def test_no_response():
    for rules in (ScoringRules(), ScoringRules(complex_mode=True)):
        m = score_response(baseline(), FS, STIM, rules)
        assert m["vr_threshold_uv"] == pytest.approx(THR)
        for key in (
            "vr_onset_latency_ms",
            "vr_peak_amplitude_uv",
            "vr_area_uv_ms",
            "vr_duration_ms",
            "vr_triphasic_duration_ms",
        ):
            assert math.isnan(m[key]), key
    assert m["vr_n_peaks"] == 0.0


def test_zero_noise_baseline_raises_or_uses_the_floor():
    y = triphasic() - baseline() + baseline(sd=0.0)
    with pytest.raises(ParameterError, match="min_threshold_sd_uv"):
        score_response(y, FS, STIM)
    m = score_response(y, FS, STIM, ScoringRules(min_threshold_sd_uv=S))
    assert m["vr_baseline_sd_uv"] == 0.0
    assert m["vr_threshold_uv"] == pytest.approx(THR)
    ref = score_response(triphasic(), FS, STIM)
    assert m["vr_onset_latency_ms"] == pytest.approx(ref["vr_onset_latency_ms"], abs=1e-9)
    # a floor below the measured SD changes nothing
    low = score_response(triphasic(), FS, STIM, ScoringRules(min_threshold_sd_uv=0.1))
    assert low["vr_threshold_uv"] == pytest.approx(THR)


# ----------------------------------------------------------------------------- complex mode
GAUSS = ((30.0, 6.0, 0.5), (60.0, 10.0, 0.7), (20.0, 13.5, 0.5))  # amp, ms after stim, sigma


def g(t):
    return sum(a * np.exp(-(((t - STIM - c) / s) ** 2) / 2) for a, c, s in GAUSS)


def test_complex_mode_largest_first_and_total():
    y = baseline() + np.where(T >= STIM, g(T), 0.0)
    m = score_response(y, FS, STIM, ScoringRules(complex_mode=True))
    f = lambda t: g(t) - THR  # noqa: E731
    on = brentq(f, STIM + 2, STIM + 6)
    peak = minimize_scalar(lambda t: -g(t), bounds=(STIM + 9, STIM + 11), method="bounded").x
    off = brentq(f, STIM + 10, STIM + 12)  # first fall after the largest peak (0.6 ms dip)
    total = brentq(f, STIM + 13.5, STIM + 16)  # the fall that lasts >= 2 ms
    assert m["vr_onset_latency_ms"] == pytest.approx(on - STIM, abs=DT)
    assert m["vr_peak_latency_ms"] == pytest.approx(peak - STIM, abs=DT)
    assert m["vr_peak_amplitude_uv"] == pytest.approx(g(peak), abs=0.05)
    assert m["vr_duration_ms"] == pytest.approx(off - on, abs=DT)
    assert m["vr_area_uv_ms"] == pytest.approx(
        quad(g, on, off, points=[STIM + 6, STIM + 10])[0], rel=1e-3
    )
    assert m["vr_total_duration_ms"] == pytest.approx(total - on, abs=DT)
    total_area = quad(g, on, total, points=[STIM + 6, STIM + 10, STIM + 13.5], limit=200)[0]
    assert m["vr_total_area_uv_ms"] == pytest.approx(total_area, rel=1e-3)
    assert m["vr_first_peak_latency_ms"] == pytest.approx(6.0, abs=DT / 2)
    assert m["vr_first_peak_amplitude_uv"] == pytest.approx(30.0, abs=0.05)
    assert m["vr_n_peaks"] == 3.0
    for key in ("vr_rms_uv", "vr_peak_to_peak_uv", "vr_min_uv", "vr_triphasic_duration_ms"):
        assert math.isnan(m[key])  # not measured in complex mode


def test_first_peak_needs_a_3_uv_rise_and_fall():
    # a 2 µV ripple on the rising edge is not a peak; the largest one is then the first
    y = baseline() + half_sine(T, STIM + 5, 10.0, 60.0)
    ripple = (T > STIM + 6.0) & (T < STIM + 6.4)
    y[ripple] += 2.0 * np.sin(np.pi * (T[ripple] - STIM - 6.0) / 0.4)
    m = score_response(y, FS, STIM, ScoringRules(complex_mode=True))
    assert m["vr_first_peak_latency_ms"] == pytest.approx(10.0, abs=DT / 2)
    assert m["vr_n_peaks"] == 1.0


# ----------------------------------------------------------------------------- frames, errors
def test_score_frames_one_row_per_frame():
    frames = np.stack([triphasic(), baseline(), 2 * triphasic() - baseline()])
    df = score_frames(frames, FS, STIM)
    assert list(df["frame"]) == [0, 1, 2]
    assert list(df.columns) == ["frame", *METRIC_NAMES]
    np.testing.assert_allclose(df["vr_peak_amplitude_uv"], [A1, np.nan, 2 * A1])
    with pytest.raises(ParameterError, match="frame 1"):
        score_frames(np.stack([triphasic(), triphasic() * 0 + 1.0]), FS, STIM)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"baseline_start_ms": -5.0, "baseline_end_ms": -15.0}, "baseline_end_ms"),
        ({"baseline_end_ms": 2.0}, "baseline_end_ms"),
        ({"response_start_ms": 10.0, "response_end_ms": 5.0}, "response_end_ms"),
        ({"response_start_ms": -1.0}, "response_start_ms"),
        ({"first_peak_window_end_ms": 60.0}, "first_peak_window_end_ms"),
        ({"threshold_sd": 0.0}, "threshold_sd"),
        ({"onset_hold_ms": -1.0}, "onset_hold_ms"),
        ({"min_threshold_sd_uv": 0.0}, "min_threshold_sd_uv"),
        ({"complex_mode": 1}, "complex_mode"),
        ({"threshold_sd": float("nan")}, "threshold_sd"),
        ({"threshold_sd": "2"}, "threshold_sd"),
    ],
)
def test_bad_rules_name_the_field(kwargs, field):
    with pytest.raises(ParameterError, match=f"ScoringRules.{field}"):
        ScoringRules(**kwargs)


def test_bad_inputs():
    y = triphasic()
    with pytest.raises(ParameterError, match="stim_ms=5"):
        score_response(y, FS, 5.0)  # baseline starts before the trace
    with pytest.raises(ParameterError, match="stim_ms=50"):
        score_response(y, FS, 50.0)  # response window ends after it (105 > 100 ms)
    with pytest.raises(ParameterError, match="fs_hz"):
        score_response(y, 0.0, STIM)
    with pytest.raises(ParameterError, match="1-D"):
        score_response(np.stack([y, y]), FS, STIM)
    y_nan = y.copy()
    y_nan[5] = np.nan
    with pytest.raises(ParameterError, match="NaN"):
        score_response(y_nan, FS, STIM)
    with pytest.raises(ParameterError, match="rules"):
        score_response(y, FS, STIM, rules={"threshold_sd": 2})


# ----------------------------------------------------------------------------- depression
def test_rate_depression():
    frame = pd.DataFrame(
        {
            "rate_hz": [0.1, 0.1, 1.0, 10.0, 10.0],
            "vr_peak_amplitude_uv": [100.0, 80.0, 45.0, 9.0, np.nan],
            "vr_area_uv_ms": [0.0, 0.0, 5.0, 1.0, 1.0],
        }
    )
    out = rate_depression(frame, metrics=("vr_peak_amplitude_uv", "vr_area_uv_ms"))
    assert list(out["rate_hz"]) == [0.1, 1.0, 10.0]
    assert list(out["n_frames"]) == [2, 1, 2]
    np.testing.assert_allclose(out["vr_peak_amplitude_depression"], [1.0, 0.5, 0.1])
    np.testing.assert_allclose(out["vr_peak_amplitude_uv"], [90.0, 45.0, 9.0])
    assert out["vr_area_depression"].isna().all()  # reference area is 0
    with pytest.raises(ParameterError, match="reference_hz=5"):
        rate_depression(frame, reference_hz=5.0, metrics=("vr_peak_amplitude_uv",))
    with pytest.raises(ParameterError, match="vr_rms_uv"):
        rate_depression(frame)  # default metrics include vr_rms_uv, absent here


# ----------------------------------------------------------------------------- bursts
def test_detect_bursts_known_times():
    fs, n = 1000.0, 10_000  # 10 s at 1 kHz (1 sample = 1 ms)
    y = np.random.default_rng(0).normal(0.0, 2.0, n)
    for a, b in ((1000, 1200), (3000, 3040), (3060, 3100), (5000, 5010), (7000, 7500)):
        y[a:b] += 50.0
    bursts = detect_bursts(y, fs)
    # the 20 ms gap is merged (< 50 ms), the 10 ms blip dropped (< 20 ms)
    np.testing.assert_array_equal(bursts["start_ms"], [1000.0, 3000.0, 7000.0])
    np.testing.assert_array_equal(bursts["end_ms"], [1200.0, 3100.0, 7500.0])
    np.testing.assert_array_equal(bursts["duration_ms"], [200.0, 100.0, 500.0])
    assert bursts["peak_uv"].between(50.0, 60.0).all()
    np.testing.assert_allclose(bursts["area_uv_ms"], [50 * 200, 50 * 80, 50 * 500], rtol=0.03)
    summary = burst_summary(bursts, n / fs * 1000.0)
    assert summary == pytest.approx(
        {"vr_burst_count": 3.0, "vr_burst_rate_hz": 0.3, "vr_burst_duration_ms": 800.0 / 3}
    )
    # a shorter merge gap splits the pair
    split = detect_bursts(y, fs, merge_gap_ms=10.0)
    assert list(split["start_ms"]) == [1000.0, 3000.0, 3060.0, 7000.0]
    empty = detect_bursts(np.random.default_rng(1).normal(0.0, 2.0, n), fs)
    assert len(empty) == 0
    none = burst_summary(empty, 10_000.0)
    assert none["vr_burst_count"] == 0.0 and math.isnan(none["vr_burst_duration_ms"])


def test_detect_bursts_rectified_and_errors():
    fs = 1000.0
    y = np.random.default_rng(2).normal(0.0, 2.0, 5000)
    y[2000:2100] += 40.0 * np.where(np.arange(100) % 2 == 0, 1.0, -1.0)  # biphasic neurogram
    # signed: only the positive half-samples are active; unmerged they are 1 ms runs (dropped)
    assert len(detect_bursts(y, fs, merge_gap_ms=0.0)) == 0
    signed = detect_bursts(y, fs)  # merged (gaps of 1 ms): ends after the last positive sample
    assert list(signed["start_ms"]) == [2000.0] and list(signed["end_ms"]) == [2099.0]
    rect = detect_bursts(y, fs, rectify=True)
    assert list(rect["start_ms"]) == [2000.0] and list(rect["end_ms"]) == [2100.0]
    with pytest.raises(ParameterError, match="fs_hz"):
        detect_bursts(y, -1.0)
    with pytest.raises(ParameterError, match="min_duration_ms"):
        detect_bursts(y, fs, min_duration_ms=-1.0)
    with pytest.raises(ParameterError, match="duration_ms"):
        burst_summary(rect, 0.0)
