"""The motor neuron: structure, and blocking a conductance removes what it should."""

from functools import partial

import pytest

from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params
from cordsim.models.measurement import measure_cell

pytestmark = pytest.mark.usefixtures("mechanisms")


def _factory(**changes):
    return partial(MotorNeuron, motor_neuron_params("adult", **changes))


def test_compartments_and_regions():
    cell = MotorNeuron()
    names = [sec.name().split(".")[-1] for sec in cell.sections]
    assert names[:4] == ["soma", "hillock", "is", "axon"]
    p = cell.params
    assert len(cell.dendrites) == p.n_dendrites and all(len(t) == 3 for t in cell.dendrites)
    assert cell.n_compartments() > 3 * p.n_dendrites
    assert cell.initial_segment.parentseg().sec == cell.hillock
    # L-type Ca only on the middle third of the tree, SK only at the soma
    assert all(
        t[1].has_membrane("cscal") and not t[0].has_membrane("cscal") for t in cell.dendrites
    )
    assert cell.soma.has_membrane("cssk") and not cell.axon.has_membrane("cssk")


def test_synapse_locations_and_detector():
    cell = MotorNeuron()
    assert set(cell.synapse_locations) == {"soma", "proximal", "distal"}
    sec, x = cell.synapse_site("distal")
    assert sec in cell.dendrites[0] and 0 < x < 1
    with pytest.raises(KeyError, match="no synapse location 'axon'"):
        cell.synapse_site("axon")
    assert cell.spike_detector().threshold == cell.spike_threshold_mv


def test_no_h_current_removes_sag():
    with_h = measure_cell(_factory(), protocols=["passive"])
    without = measure_cell(_factory(gbar_h_s_cm2=0.0), protocols=["passive"])
    assert with_h["sag_ratio"] > 1.05
    assert without["sag_ratio"] == pytest.approx(1.0, abs=0.01)


def test_no_sk_removes_medium_ahp():
    with_sk = measure_cell(_factory(), protocols=["spike"])
    without = measure_cell(_factory(gbar_sk_soma_s_cm2=0.0), protocols=["spike"])
    assert with_sk["ahp_depth_mv"] > 1.0
    assert without["ahp_depth_mv"] < 0.5 * with_sk["ahp_depth_mv"] or not (
        without["ahp_half_decay_ms"] > 0.5 * with_sk["ahp_half_decay_ms"]
    )


@pytest.mark.slow
def test_no_persistent_inward_currents_removes_ramp_hysteresis():
    with_pic = measure_cell(_factory(), protocols=["ramp"])
    without = measure_cell(
        _factory(gbar_nap_soma_s_cm2=0.0, gbar_nap_is_s_cm2=0.0, gbar_cal_dend_s_cm2=0.0),
        protocols=["ramp"],
    )
    # counter-clockwise (PIC-like) hysteresis: derecruited below recruitment
    assert with_pic["delta_i_na"] < -0.1
    assert without["delta_i_na"] > -0.05
