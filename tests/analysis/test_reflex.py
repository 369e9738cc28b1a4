"""Reflex amplitude, latency, depression and reciprocal inhibition with known answers."""

import numpy as np
import pandas as pd
import pytest

from cordsim.analysis import reflex
from cordsim.models.result import ProtocolRecord, SimulationResult, default_population

STIMS = [100.0, 200.0, 300.0, 400.0, 500.0]
WINDOW = (1.0, 10.0)


def _pool():
    """10 MNs. Volley 0: cells 0-5 fire at latencies 3, 4, 5, 6, 7, 9 ms (mean 34/6,
    median 5.5), cell 0 twice (7 spikes).
    Volleys 1-4: cells 0..k-1 fire at 4 ms with k = 4, 3, 2, 2. Spikes outside the
    window (0.5 ms and 12 ms after a volley) must be ignored."""
    trains = [[] for _ in range(10)]
    for i, lat in enumerate([3.0, 4.0, 5.0, 6.0, 7.0, 9.0]):
        trains[i].append(100.0 + lat)
    trains[0].append(100.0 + 9.5)
    for stim, k in zip(STIMS[1:], [4, 3, 2, 2], strict=True):
        for i in range(k):
            trains[i].append(stim + 4.0)
    trains[7] += [100.5, 112.0, 210.0]  # 0.5 ms (too early), 12 ms, exactly 10 ms (excluded)
    return [np.sort(np.array(t)) for t in trains]


def test_volley_responses_exact():
    table = reflex.volley_responses(_pool(), STIMS, WINDOW)
    assert list(table.columns) == list(reflex.VOLLEY_COLUMNS)
    assert table["amplitude_spikes"].tolist() == [7, 4, 3, 2, 2]
    assert table["n_cells_fired"].tolist() == [6, 4, 3, 2, 2]
    np.testing.assert_allclose(table["fraction_fired"], [0.6, 0.4, 0.3, 0.2, 0.2])
    assert table.loc[0, "latency_mean_ms"] == pytest.approx(34.0 / 6.0)
    assert table.loc[0, "latency_min_ms"] == pytest.approx(3.0)
    assert table.loc[1, "latency_mean_ms"] == pytest.approx(4.0)


def test_no_response_gives_nan_latency():
    table = reflex.volley_responses([np.empty(0)] * 3, [10.0], WINDOW)
    assert table.loc[0, "amplitude_spikes"] == 0
    assert np.isnan(table.loc[0, "latency_mean_ms"])
    assert np.isnan(table.loc[0, "latency_min_ms"])


def test_depression_ratio():
    amp = [7, 4, 3, 2, 2]
    assert reflex.reflex_depression_ratio(amp, 3) == pytest.approx(2.0 / 7.0)
    assert reflex.reflex_depression_ratio(amp, 1) == pytest.approx((4 + 3 + 2 + 2) / 4 / 7)
    assert reflex.reflex_depression_ratio([5, 5, 5, 5, 5], 3) == pytest.approx(1.0)
    assert np.isnan(reflex.reflex_depression_ratio([0, 1, 1, 1, 1], 3))
    assert np.isnan(reflex.reflex_depression_ratio([3, 2, 1], 3))
    with pytest.raises(ValueError):
        reflex.reflex_depression_ratio(amp, 0)


def _result(trains, stims, rate_hz, seed=0, muscle="flexor", antagonist_trains=None):
    rows = []
    pops = {}
    gid = 0
    other = reflex.antagonist_of(muscle)
    ant = antagonist_trains if antagonist_trains is not None else [np.empty(0)] * 3
    for pop, tr in ((f"mn_{muscle}", trains), (f"mn_{other}", ant)):
        gids = []
        for st in tr:
            gids.append(gid)
            rows += [(float(t), gid, pop) for t in st]
            gid += 1
        pops[pop] = default_population(pop, gids)
    spikes = pd.DataFrame(rows, columns=["time_ms", "gid", "population"]).sort_values(
        ["time_ms", "gid"]
    )
    tstop = stims[-1] + 100.0
    proto = ProtocolRecord(
        "reflex",
        tstop,
        (stims[0], tstop),
        ("reflex",),
        params={"rate_hz": rate_hz},
        agonist=muscle,
        stim_times_ms=stims,
        response_window_ms=(1.0, 10.0),
        n_discard=3,
    )
    return SimulationResult(spikes, pops, tstop, proto, seed)


def test_reflex_responses_and_depression_curve():
    res10 = _result(_pool(), STIMS, 10.0, seed=1)
    table = reflex.reflex_responses(res10)
    assert table["amplitude_spikes"].tolist() == [7, 4, 3, 2, 2]
    flat = [np.array([s + 3.0 for s in STIMS]) for _ in range(4)]
    res1 = _result(flat, STIMS, 1.0, seed=1)
    curve = reflex.depression_curve([res10, res1])
    assert curve["rate_hz"].tolist() == [1.0, 10.0]
    assert curve["depression_ratio"].tolist() == pytest.approx([1.0, 2.0 / 7.0])
    assert curve["amplitude_first"].tolist() == [4.0, 7.0]
    assert curve["amplitude_steady"].tolist() == pytest.approx([4.0, 2.0])
    assert curve["n_volleys"].tolist() == [5, 5]
    # extensor stimulation reads the extensor pool
    res_e = _result(_pool(), STIMS, 10.0, muscle="extensor")
    assert reflex.reflex_responses(res_e)["amplitude_spikes"].tolist() == [7, 4, 3, 2, 2]


def test_reciprocal_inhibition_depth_exact():
    # antagonist cell fires every 1 ms (at x.5 ms) except in [stim + 2, stim + 11)
    stims = np.array([100.0, 200.0, 300.0])
    t = np.arange(0.5, 400.0, 1.0)
    silent = np.zeros_like(t, dtype=bool)
    for s in stims:
        silent |= (t >= s + 2.0) & (t < s + 11.0)
    train = [t[~silent]]
    test, control = reflex.reciprocal_inhibition_counts(train, stims, (2.0, 20.0))
    np.testing.assert_array_equal(test, [9, 9, 9])
    np.testing.assert_array_equal(control, [18, 18, 18])
    assert reflex.reciprocal_inhibition_depth(test, control) == pytest.approx(0.5)
    # no inhibition -> 0; facilitation -> < 0
    assert reflex.reciprocal_inhibition_depth([5, 5], [5, 5]) == 0.0
    assert reflex.reciprocal_inhibition_depth([10], [5]) == pytest.approx(-1.0)
    # silent antagonist -> NaN; too little baseline -> NaN
    assert np.isnan(reflex.reciprocal_inhibition_depth([0, 0], [0, 0]))
    assert np.isnan(reflex.reciprocal_inhibition_depth([0], [3], min_control_spikes=5))


def test_control_windows_that_overlap_previous_test_window_are_dropped():
    # 30 ms apart, window [2, 20): control of volley k starts at stim - 18 = prev + 12 < prev + 20
    stims = [100.0, 130.0, 160.0]
    test, control = reflex.reciprocal_inhibition_counts([np.arange(0.0, 300.0)], stims)
    assert test.size == 1 and control.size == 1
    # 40 ms apart: stim - 18 = prev + 22 >= prev + 20 -> all kept
    test, _ = reflex.reciprocal_inhibition_counts([np.arange(0.0, 300.0)], [100.0, 140.0, 180.0])
    assert test.size == 3


def test_window_spike_counts_and_antagonist():
    trains = [np.array([1.0, 5.0, 11.0]), np.array([4.0])]
    np.testing.assert_array_equal(
        reflex.window_spike_counts(trains, [0.0, 10.0], (0.0, 5.0)), [2, 1]
    )
    assert reflex.antagonist_of("flexor") == "extensor"
    with pytest.raises(ValueError):
        reflex.antagonist_of("biceps")


def test_spikes_that_would_have_come_anyway_are_subtracted():
    """A cell firing tonically at 200 Hz adds nothing to the reflex amplitude."""
    import numpy as np

    from cordsim.analysis.reflex import volley_responses

    tonic = np.arange(0.0, 1000.0, 5.0)
    evoked = np.array([105.0, 506.0])
    table = volley_responses([tonic, evoked], [100.0, 500.0], (2.0, 8.0))
    assert list(table["evoked_spikes"]) == [2, 2]  # 1 tonic spike + 1 evoked
    assert list(table["baseline_spikes"]) == [1, 1]  # the tonic spike before the volley
    assert list(table["amplitude_spikes"]) == [1, 1]
    assert list(table["fraction_fired"]) == [0.5, 0.5]  # the evoked cell only
