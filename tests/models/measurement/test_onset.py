"""Delayed-onset protocol: a grid rheobase (Leroy et al. 2014) and the first-spike latency."""

from functools import partial

import numpy as np
import pytest

from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params
from cordsim.models.measurement import measure_cell
from cordsim.models.measurement.rig import ClampRig
from cordsim.models.measurement.settings import settings_for

pytestmark = pytest.mark.usefixtures("mechanisms")


def test_onset_rheobase_is_the_first_grid_step_that_fires():
    params = motor_neuron_params("juvenile")
    s = settings_for("juvenile", onset_step_ms=1000.0)
    m = measure_cell(partial(MotorNeuron, params), protocols=["onset"], settings=s)
    amp = m["onset_rheobase_na"]
    grid = s.onset_grid_large_na if m["rheobase_na"] > s.onset_grid_switch_na else s.onset_grid_na
    assert amp / grid == pytest.approx(round(amp / grid), abs=1e-9)
    assert 0 <= m["onset_latency_ms"] <= s.onset_step_ms
    # one grid step lower does not fire within the step
    rig = ClampRig(MotorNeuron(params), s)
    below = rig.trial(amp - grid, s.onset_step_ms, 0.0)
    assert not np.any((below.spikes_ms >= 0) & (below.spikes_ms <= s.onset_step_ms))
