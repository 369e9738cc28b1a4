"""Ventral-root readouts of the isolated cord: per-volley scores, rate means, bursts."""

import numpy as np
import pandas as pd
import pytest

from cordsim.analysis import cord_reflex as cr
from cordsim.analysis import metrics
from cordsim.models.result import ProtocolRecord, SimulationResult, default_population

STIMS = (100.0, 300.0, 400.0, 500.0, 1000.0, 1100.0, 1200.0)
RATES = (0.1, 10.0, 10.0, 10.0, 0.1, 10.0, 10.0)
INDEX = (0, 1, 2, 3, 0, 1, 2)


def _result(n_fired, latency_ms=8.0, n=20, seed=3, window=None):
    """Flexor pool of ``n`` cells; ``n_fired[k]`` cells fire ``latency_ms`` after volley k."""
    rows = [
        (stim + latency_ms, i) for stim, k in zip(STIMS, n_fired, strict=True) for i in range(k)
    ]
    frame = pd.DataFrame(
        [(t, i, "mn_flexor") for t, i in rows], columns=["time_ms", "gid", "population"]
    ).sort_values(["time_ms", "gid"])
    pops = {"mn_flexor": default_population("mn_flexor", np.arange(n), np.ones(n))}
    proto = ProtocolRecord(
        "cord_reflex",
        1300.0,
        (50.0, 1300.0),
        measures=("reflex", "ventral_root"),
        agonist="flexor",
        stim_times_ms=STIMS,
        response_window_ms=(2.5, 12.0),
        n_discard=2,
        stim_rates_hz=RATES,
        stim_pulse_index=INDEX,
        spontaneous_window_ms=window,
    )
    return SimulationResult(frame.reset_index(drop=True), pops, 1300.0, proto, seed)


def test_every_volley_is_scored_with_its_rate_and_place_in_the_train():
    res = _result([10, 4, 3, 3, 10, 4, 3])
    scores = cr.volley_scores(res)
    assert list(scores["rate_hz"]) == list(RATES) and list(scores["pulse_index"]) == list(INDEX)
    # 5 mm at 5 m/s: the units arrive 1 ms after firing, 9 ms after the volley
    # (5 uV noise moves the top of a 30 uV, 1.2 ms wide peak by up to a few samples)
    np.testing.assert_allclose(scores["vr_peak_latency_ms"], 9.0, atol=0.4)
    # 10 units of 10 uV peak near 100 uV, 3 units near 30 uV (5 uV noise)
    assert scores["vr_peak_amplitude_uv"].iloc[0] == pytest.approx(100.0, rel=0.2)
    assert scores["vr_peak_amplitude_uv"].iloc[2] == pytest.approx(30.0, rel=0.4)
    assert (scores["vr_onset_latency_ms"] < scores["vr_peak_latency_ms"]).all()


def test_rate_means_use_the_rested_volleys_and_the_steady_ones():
    res = _result([10, 4, 3, 3, 10, 4, 3])
    table = cr.rate_responses(cr.volley_scores(res), n_discard=2)
    assert list(table["rate_hz"]) == [0.1, 10.0]
    assert list(table["n_frames"]) == [2, 3]  # the 10 Hz volleys at index 2, 3, 2
    depression = table.set_index("rate_hz")["vr_peak_amplitude_depression"]
    assert depression[0.1] == 1.0
    assert depression[10.0] == pytest.approx(0.3, abs=0.08)  # 3 of 10 units


def test_a_volley_without_response_counts_as_zero_in_amplitude_means():
    res = _result([10, 4, 0, 0, 10, 4, 0])
    table = cr.rate_responses(cr.volley_scores(res), n_discard=2).set_index("rate_hz")
    assert table.loc[10.0, "vr_peak_amplitude_uv"] == 0.0
    assert table.loc[10.0, "vr_peak_amplitude_depression"] == 0.0
    assert np.isnan(table.loc[10.0, "vr_onset_latency_ms"])


def test_metrics_row_has_the_lab_scores_and_the_spike_counts_by_rate():
    row = metrics(_result([10, 4, 3, 3, 10, 4, 3]))
    assert row["vr_peak_amplitude_uv"] == pytest.approx(100.0, rel=0.2)
    assert row["vr_peak_amplitude_depression_10hz"] == pytest.approx(0.3, abs=0.08)
    assert row["reflex_depression_ratio_10hz"] == pytest.approx(3 / 10)  # spikes, baseline 0
    assert row["reflex_depression_ratio"] == row["reflex_depression_ratio_10hz"]
    assert cr.rate_label(0.1) == "0p1hz" and cr.rate_label(10.0) == "10hz"


def test_spontaneous_bursts_are_counted_on_every_root():
    quiet = metrics(_result([0] * 7, window=(50.0, 1300.0)))
    assert quiet["vr_burst_count"] == 0 and np.isnan(quiet["vr_burst_duration_ms"])
    # two bursts: 15 cells firing 5 times over 40 ms, twice
    res = _result([0] * 7, window=(50.0, 1300.0))
    times = [
        (t0 + 8.0 * j + 0.3 * i, i) for t0 in (200.0, 800.0) for j in range(5) for i in range(15)
    ]
    spikes = pd.DataFrame(
        [(t, i, "mn_flexor") for t, i in times], columns=["time_ms", "gid", "population"]
    ).sort_values(["time_ms", "gid"])
    res = SimulationResult(spikes.reset_index(drop=True), res.populations, 1300.0, res.protocol, 3)
    bursty = cr.spontaneous_bursts(cr.ventral_root_trace(res), (50.0, 1300.0))
    assert bursty["vr_burst_count"] == 2
    assert bursty["vr_burst_rate_hz"] == pytest.approx(2 / 1.25)
    assert 25.0 < bursty["vr_burst_duration_ms"] < 60.0
