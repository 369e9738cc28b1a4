"""SimulationResult: per-cell spike trains and a hash that sees every spike."""

import numpy as np
import pandas as pd
import pytest

from cordsim.errors import ParameterError
from cordsim.models.result import (
    Population,
    ProtocolRecord,
    SimulationResult,
    default_population,
)

REST = ProtocolRecord(
    "rest", 100.0, (0.0, 100.0), ("coactivation", "spontaneous"), spontaneous_window_ms=(0, 100)
)


def _result(times):
    spikes = pd.DataFrame({"time_ms": times, "gid": [0, 1, 0], "population": ["mn_flexor"] * 3})
    pops = {"mn_flexor": default_population("mn_flexor", np.array([0, 1, 2]))}
    return SimulationResult(spikes, pops, 100.0, REST, 1)


def test_spike_times_per_cell_includes_silent_cells():
    trains = _result([1.0, 2.0, 3.0]).spike_times("mn_flexor")
    assert [list(t) for t in trains] == [[1.0, 3.0], [2.0], []]


def test_hash_changes_with_any_spike():
    assert _result([1.0, 2.0, 3.0]).spike_hash() == _result([1.0, 2.0, 3.0]).spike_hash()
    assert _result([1.0, 2.0, 3.0]).spike_hash() != _result([1.0, 2.0, 3.000001]).spike_hash()


def test_records_round_trip_through_plain_dicts():
    assert ProtocolRecord.from_dict(REST.to_dict()) == REST
    pop = Population("mn_flexor", "motor_pool", "mn", "flexor", np.arange(3), np.ones(3))
    back = Population.from_dict("mn_flexor", pop.to_dict())
    assert back.kind == "motor_pool" and list(back.gids) == [0, 1, 2]
    assert list(back.mu_sizes) == [1.0, 1.0, 1.0]
    assert _result([1.0, 2.0, 3.0]).motor_pools() == {"flexor": "mn_flexor"}


def test_bad_records():
    with pytest.raises(ParameterError, match="mu_sizes has shape"):
        Population("mn_flexor", "motor_pool", "mn", "flexor", np.arange(3), np.ones(2))
    with pytest.raises(ParameterError, match="unknown protocol record key 'window_ms'"):
        ProtocolRecord.from_dict({**REST.to_dict(), "window_ms": [0, 1]})
    with pytest.raises(ParameterError, match="need the agonist"):
        ProtocolRecord("c", 10.0, (0, 10), ("contraction",))
