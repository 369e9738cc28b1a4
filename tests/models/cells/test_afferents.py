"""Ia afferent and Poisson spike sources: rates, trains, explicit times, Random123 streams."""

from __future__ import annotations

import numpy as np
import pytest
from neuron import h

from cordsim.errors import ParameterError
from cordsim.models.cells.afferents import IaAfferent
from cordsim.models.cells.spike_source import SpikeSource, stable_int
from cordsim.models.solver import run_neuron


def _record(source) -> tuple:
    times = h.Vector()
    nc = source.netcon()
    nc.record(times)
    return times, nc


def _spikes(sources, tstop_ms: float) -> list[np.ndarray]:
    recs = [_record(s) for s in sources]
    run_neuron(tstop_ms, celsius=37.0, v_init_mv=-70.0)
    return [np.array(t) for t, _ in recs]


def test_stable_int_is_fixed_and_31_bit():
    assert stable_int("ia_flexor:spikes") == stable_int("ia_flexor:spikes")
    assert stable_int("ia_flexor:spikes") != stable_int("ia_extensor:spikes")
    assert 0 <= stable_int("x") < 2**31


def test_sources_are_cs_spike_source_cells():
    src = SpikeSource(seed=1, stream="t:kind", index=0)
    fibre = IaAfferent(seed=1, stream="t:kind", index=1)
    assert src.cell.hname().startswith("csSpikeSource")
    assert fibre.cell.hname().startswith("csSpikeSource")
    assert isinstance(fibre, SpikeSource)


def test_poisson_rate_matches_within_sampling_error():
    (spikes,) = _spikes([IaAfferent(seed=1, stream="t:rate", index=0, rate_hz=50.0)], 20000.0)
    rate = len(spikes) / 20.0
    # 1000 expected spikes: Poisson SD ~32, so +-4 SD is ~13 %.
    assert 37.0 < rate < 63.0
    isi = np.diff(spikes)
    assert isi.min() >= 1.0 - 1e-9  # refractory period
    cv = isi.std() / isi.mean()
    assert 0.85 < cv < 1.15  # Poisson


def test_stream_ids_make_sources_independent_of_creation_order():
    a = IaAfferent(seed=3, stream="t:order", index=0, rate_hz=40.0)
    b = IaAfferent(seed=3, stream="t:order", index=1, rate_hz=40.0)
    first = _spikes([a, b], 1000.0)
    b2 = IaAfferent(seed=3, stream="t:order", index=1, rate_hz=40.0)
    a2 = IaAfferent(seed=3, stream="t:order", index=0, rate_hz=40.0)
    second = _spikes([a2, b2], 1000.0)
    assert np.array_equal(first[0], second[0])
    assert np.array_equal(first[1], second[1])
    assert not np.array_equal(first[0], first[1])
    other_seed = _spikes([IaAfferent(seed=4, stream="t:order", index=0, rate_hz=40.0)], 1000.0)
    assert not np.array_equal(first[0], other_seed[0])


def test_stimulus_train_fires_every_volley():
    fibre = IaAfferent(seed=1, stream="t:train", index=0)
    fibre.set_train(start_ms=100.0, interval_ms=50.0, n_pulses=5)
    (spikes,) = _spikes([fibre], 500.0)
    assert np.allclose(spikes, [100.0, 150.0, 200.0, 250.0, 300.0])


def test_explicit_spike_times_respect_refractory_period():
    fibre = IaAfferent(seed=1, stream="t:times", index=0, refractory_ms=2.0)
    fibre.set_spike_times([30.0, 10.0, 31.0, 80.0])
    (spikes,) = _spikes([fibre], 200.0)
    assert np.allclose(spikes, [10.0, 30.0, 80.0])  # 31 ms falls within 2 ms of 30 ms


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"index": -2}, "index"),
        ({"rate_hz": -1.0}, "rate_hz"),
        ({"rate_hz": "10 Hz"}, "rate_hz"),
        ({"rate_hz": 10.0, "rate_max_hz": float("nan")}, "rate_max_hz"),
    ],
)
def test_bad_arguments_name_the_problem(kwargs, match):
    args = {"seed": 1, "stream": "t:bad", "index": 0, **kwargs}
    with pytest.raises(ParameterError, match=match):
        IaAfferent(**args)


def test_rate_above_its_maximum_is_refused():
    src = SpikeSource(seed=1, stream="t:max", index=0, rate_hz=5.0, rate_max_hz=10.0)
    with pytest.raises(ParameterError, match="rate_max_hz"):
        src.set_rate(20.0)
    with pytest.raises(ParameterError, match="n_pulses"):
        IaAfferent(seed=1, stream="t:max", index=1).set_train(0.0, 10.0, -1)
