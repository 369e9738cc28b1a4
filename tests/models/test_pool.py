"""The motor pool: the size principle (small cells first, larger cells need more current)."""

from functools import partial

import pytest

from cordsim.errors import ParameterError
from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.measurement import measure_cell
from cordsim.models.pool import (
    MotorPoolParams,
    motor_pool_params,
    motor_unit_type,
    pool_cell_params,
)


def test_pool_cells_grow_with_index():
    cells = pool_cell_params("adult", motor_pool_params(), n_cells=10)
    diam = [p.soma_diam_um for p in cells]
    assert diam == sorted(diam) and diam[0] < diam[-1]
    tau = [p.ca_tau_ms for p in cells]
    assert tau == sorted(tau, reverse=True)  # small cells: longer AHP


def test_default_cell_sits_in_the_pool():
    pool = motor_pool_params(default_size_index=0.3)
    assert pool_cell_params("adult", pool, n_cells=11)[3].soma_diam_um == pytest.approx(27.0)


def test_unit_types_follow_fractions():
    pool = MotorPoolParams()
    types = [motor_unit_type(i, 100, pool) for i in range(100)]
    assert (types.count("S"), types.count("FR"), types.count("FF")) == (8, 80, 12)
    assert types[0] == "S" and types[-1] == "FF"


def test_bad_pool_params():
    with pytest.raises(ParameterError, match="fraction_s \\+ fraction_ff"):
        MotorPoolParams(fraction_s=0.6, fraction_ff=0.6)
    with pytest.raises(ParameterError, match="n_cells >= 1"):
        pool_cell_params("adult", n_cells=0)


@pytest.mark.usefixtures("mechanisms")
@pytest.mark.parametrize("age", ["adult", "juvenile"])
def test_rheobase_and_conductance_grow_with_size(age):
    cells = pool_cell_params(age, motor_pool_params(age), n_cells=3)
    measured = [
        measure_cell(partial(MotorNeuron, p), protocols=["passive", "rheobase"], age=age)
        for p in cells
    ]
    gin = [1.0 / m["rin_mohm"] for m in measured]
    rheobase = [m["rheobase_na"] for m in measured]
    assert gin[0] < gin[1] < gin[2]
    assert rheobase[0] < rheobase[1] < rheobase[2]
    assert gin[2] / gin[0] > 2.0
