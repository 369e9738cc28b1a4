"""Ia interneurons and Renshaw cells."""

import numpy as np
import pytest
from neuron import h

from cordsim.models.cells.interneuron_parameters import interneuron_params
from cordsim.models.cells.interneurons import IaInterneuron, RenshawCell
from cordsim.models.solver import run_neuron

pytestmark = pytest.mark.usefixtures("mechanisms")

#: A synchronous volley in the motor axons that converge on one Renshaw cell,
#: through their slow nicotinic (cholinergic) synapses: decay ~20 ms, the
#: long EPSP behind Renshaw bursts (Eccles, Fatt & Koketsu 1954, cat;
#: Lamotte d'Incamps & Ascher 2008, mouse). 5 nS in total, non-depressing.
VOLLEY_WEIGHT_US = 0.005
NICOTINIC_TAU_MS = (1.0, 20.0)


def _volley_spikes(cell, t_volley_ms=300.0):
    sec, x = cell.synapse_site("proximal")
    syn = h.csExcSyn(sec(x))
    syn.tau1, syn.tau2 = NICOTINIC_TAU_MS
    syn.u = 0.0
    nc = h.NetCon(None, syn)
    nc.weight[0] = VOLLEY_WEIGHT_US
    times = h.Vector()
    detector = cell.spike_detector()
    detector.record(times)
    handler = h.FInitializeHandler(lambda: nc.event(t_volley_ms))
    run_neuron(t_volley_ms + 100.0, celsius=cell.celsius, v_init_mv=cell.v_init_mv)
    del handler
    return np.array(times) - t_volley_ms


def test_renshaw_cell_fires_high_frequency_burst_to_motor_volley():
    spikes = _volley_spikes(RenshawCell())
    assert len(spikes) >= 4
    assert spikes[0] < 10.0
    assert 1000.0 / np.diff(spikes)[0] > 300.0  # initial rate (Hz)
    assert spikes[-1] < 60.0  # a burst, not sustained firing


def test_renshaw_cell_at_rest_is_silent():
    cell = RenshawCell()
    times = h.Vector()
    cell.spike_detector().record(times)
    run_neuron(300.0, celsius=cell.celsius, v_init_mv=cell.v_init_mv)
    assert len(times) == 0


def test_ia_interneuron_structure():
    cell = IaInterneuron(interneuron_params("ia_interneuron", "juvenile"))
    assert cell.kind == "ia_interneuron" and cell.celsius == 26.0
    assert set(cell.synapse_locations) == {"soma", "proximal", "distal"}
    assert len(cell.dendrites) == 2  # dendrite 0 and one tree for the other n - 1
    assert cell.copies_of(cell.dendrites[1][0]) == cell.params.n_dendrites - 1


@pytest.mark.parametrize("kind", ["ia_interneuron", "renshaw"])
def test_collapsed_dendrites_are_the_full_cell(kind):
    """One tree for the n - 1 synapse-free dendrites: the same Renshaw burst, to rounding."""
    from cordsim.models.cells.interneurons import Interneuron

    params = interneuron_params(kind)
    full = Interneuron(params, collapse_identical_dendrites=False)
    collapsed = Interneuron(params)
    assert len(full.dendrites) == params.n_dendrites
    assert collapsed.n_compartments() < full.n_compartments()
    assert collapsed.total_area_um2() == pytest.approx(full.total_area_um2(), rel=1e-12)
    a, b = _volley_spikes(full), _volley_spikes(collapsed)
    assert len(a) >= 1
    np.testing.assert_allclose(a, b, atol=1e-9)
