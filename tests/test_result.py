"""SimulationResult: per-cell spike trains and a hash that sees every spike."""

import numpy as np
import pandas as pd

from cordsim.models.result import SimulationResult


def _result(times):
    spikes = pd.DataFrame({"time_ms": times, "gid": [0, 1, 0], "population": ["mn_flexor"] * 3})
    return SimulationResult(spikes, {"mn_flexor": np.array([0, 1, 2])}, 100.0, {"name": "rest"}, 1)


def test_spike_times_per_cell_includes_silent_cells():
    trains = _result([1.0, 2.0, 3.0]).spike_times("mn_flexor")
    assert [list(t) for t in trains] == [[1.0, 3.0], [2.0], []]


def test_hash_changes_with_any_spike():
    assert _result([1.0, 2.0, 3.0]).spike_hash() == _result([1.0, 2.0, 3.0]).spike_hash()
    assert _result([1.0, 2.0, 3.0]).spike_hash() != _result([1.0, 2.0, 3.000001]).spike_hash()
