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


# ----------------------------------------------------------------------------- animals


def test_reference_pool_is_the_same_for_every_seed():
    from cordsim.models.pool import pool_size_indices, pool_threshold_offsets_mv

    pool = motor_pool_params()
    assert pool.size_draw == 0.0 and pool.threshold_sd_mv == 0.0
    assert pool_cell_params("adult", pool, n_cells=5, seed=7, stream="mn_flexor") == (
        pool_cell_params("adult", pool, n_cells=5)
    )
    assert list(pool_size_indices(pool, 3, seed=1)) == [0.0, 0.5, 1.0]
    assert not pool_threshold_offsets_mv(pool, 3, seed=1).any()


def test_animals_draw_pools_per_seed_and_stream():
    from cordsim.models.pool import (
        ANIMAL_VARIATION,
        pool_size_indices,
        pool_threshold_offsets_mv,
    )

    pool = motor_pool_params(**ANIMAL_VARIATION)
    a = pool_size_indices(pool, 20, seed=1, stream="mn_flexor")
    assert list(a) == sorted(a) and a.min() >= 0.0 and a.max() <= 1.0
    assert (a == pool_size_indices(pool, 20, seed=1, stream="mn_flexor")).all()  # reproducible
    assert (a != pool_size_indices(pool, 20, seed=2, stream="mn_flexor")).any()  # animals
    assert (a != pool_size_indices(pool, 20, seed=1, stream="mn_extensor")).any()  # muscles
    offsets = pool_threshold_offsets_mv(pool, 2000, seed=3, stream="x")
    assert offsets.std() == pytest.approx(ANIMAL_VARIATION["threshold_sd_mv"], rel=0.1)
    half = motor_pool_params(size_draw=0.5)
    grid = pool_size_indices(motor_pool_params(), 20)
    mixed = pool_size_indices(half, 20, seed=1, stream="mn_flexor")
    assert abs(mixed - grid).max() <= 0.5
    cells = pool_cell_params("adult", pool, n_cells=4, seed=1, stream="mn_flexor")
    shifts = [c.vshift_na_mv - c.vshift_kdr_mv for c in cells]
    assert shifts == pytest.approx([shifts[0]] * 4)  # every gate moves together


def test_animal_values_reach_both_pools():
    from cordsim.models.circuit import animal_values, circuit_spec

    spec = circuit_spec("isolated_cord").with_values(animal_values())
    for muscle in ("flexor", "extensor"):
        assert spec.pools[muscle].size_draw == 1.0
        assert spec.pools[muscle].threshold_sd_mv > 0


@pytest.mark.usefixtures("mechanisms")
def test_an_animal_s_cells_stay_within_the_published_spread():
    """One adult animal's pool of 6: every cell silent at rest, Gin within 0.1-0.9 uS and
    rheobase within 1-18 nA (Martinez-Silva et al. 2018 Table 2: recruitment current and
    Gin ranges of triceps surae motor neurons in vivo)."""
    from cordsim.models.pool import ANIMAL_VARIATION

    pool = motor_pool_params(**ANIMAL_VARIATION)
    for params in pool_cell_params("adult", pool, n_cells=6, seed=4, stream="mn_flexor"):
        m = measure_cell(partial(MotorNeuron, params), protocols=["passive", "rheobase"])
        assert m["spontaneous_rate_hz"] == 0.0
        assert 0.1 <= 1.0 / m["rin_mohm"] <= 0.9
        assert 1.0 <= m["rheobase_na"] <= 18.0
