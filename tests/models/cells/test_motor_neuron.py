"""The motor neuron: structure, and blocking a conductance removes what it should."""

from functools import partial

import pytest

from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params
from cordsim.models.measurement import measure_cell
from cordsim.models.pool import pool_cell_params
from cordsim.models.profiles import MOTOR_NEURON_CHANGES

pytestmark = pytest.mark.usefixtures("mechanisms")


def _factory(**changes):
    return partial(MotorNeuron, motor_neuron_params("adult", **changes))


def test_compartments_and_regions():
    cell = MotorNeuron()
    names = [sec.name().split(".")[-1] for sec in cell.sections]
    assert names[:4] == ["soma", "hillock", "is", "axon"]
    p = cell.params
    # dendrite 0 and one tree standing for the other n - 1 (collapse_identical_dendrites)
    assert len(cell.dendrites) == 2 and all(len(t) == 3 for t in cell.dendrites)
    assert [cell.copies_of(sec) for t in cell.dendrites for sec in t] == [1] * 3 + [
        p.n_dendrites - 1
    ] * 3
    assert cell.n_compartments() > 3 * 2
    assert cell.initial_segment.parentseg().sec == cell.hillock
    # L-type Ca only on the middle third of the tree, SK only at the soma
    assert all(
        t[1].has_membrane("cscal") and not t[0].has_membrane("cscal") for t in cell.dendrites
    )
    assert cell.soma.has_membrane("cssk") and not cell.axon.has_membrane("cssk")


def test_na_inactivation_time_scale_reaches_every_na_segment():
    """``na_h_tau_scale`` sets csna's tau_h_scale in soma, hillock, initial segment and axon."""
    assert MotorNeuron().soma(0.5).csna.tau_h_scale == 1.0  # default: Booth et al.'s tau_h
    cell = MotorNeuron(motor_neuron_params("adult", na_h_tau_scale=0.35))
    na_sections = [sec for sec in cell.sections if sec.has_membrane("csna")]
    assert {sec.name().split(".")[-1] for sec in na_sections} == {"soma", "hillock", "is", "axon"}
    assert all(seg.csna.tau_h_scale == 0.35 for sec in na_sections for seg in sec)


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


#: The block tests below ramp without the background noise: they test a
#: mechanism, deterministically (under the noise, averaged over the preset's 5
#: seeds, the hysteresis is blurred: delta-I +0.21 nA, and +0.01 without the
#: two inactivations, 2026-12-05).
QUIET_RAMP = {"ramp_noise_sd_na": 0.0}


@pytest.mark.slow
def test_persistent_inward_currents_amplify_recruitment():
    with_pic = measure_cell(_factory(), protocols=["ramp"], **QUIET_RAMP)
    without = measure_cell(
        _factory(gbar_nap_soma_s_cm2=0.0, gbar_nap_is_s_cm2=0.0, gbar_cal_dend_s_cm2=0.0),
        protocols=["ramp"],
        **QUIET_RAMP,
    )
    # NaP and CaL recruit the cell at a lower ramp current (measured 2.13 vs 3.62 nA)
    assert with_pic["i_recruit_na"] < 0.7 * without["i_recruit_na"]


@pytest.mark.slow
def test_slow_inactivation_turns_ramp_hysteresis_clockwise():
    # Slow Na inactivation and Ca-dependent CaL inactivation build up during the
    # ramp, so the cell is derecruited above its recruitment current (clockwise,
    # frequent in adult mouse MNs in vivo: Iglesias et al. 2011); without them
    # the PICs leave a counter-clockwise (delta-I < 0) hysteresis (measured
    # +0.30 and -0.07 nA).
    default = measure_cell(_factory(), protocols=["ramp"], **QUIET_RAMP)
    without = measure_cell(
        _factory(na_slow_min=1.0, cal_cdi_k=1e9), protocols=["ramp"], **QUIET_RAMP
    )
    assert default["delta_i_na"] > 0
    assert without["delta_i_na"] < -0.03


TOR1A_MN_CHANGES = {
    change.target.split(".", 1)[1]: change.amount
    for change in MOTOR_NEURON_CHANGES
    if change.op == "scale"
}


def _pool_cell(age, which, changes=None, **params):
    base = motor_neuron_params(age, **params)
    pool = pool_cell_params(age, base=base)
    p = {"default": base, "smallest": pool[0], "largest": pool[-1]}[which]
    return partial(MotorNeuron, p.scaled(**changes) if changes else p)


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["wild_type", "tor1a_spinal_drg"])
@pytest.mark.parametrize("which", ["default", "smallest", "largest"])
@pytest.mark.parametrize("age", ["adult", "juvenile"])
def test_cell_returns_to_rest_within_1s_of_the_end_of_a_step(age, which, profile):
    changes = TOR1A_MN_CHANGES if profile == "tor1a_spinal_drg" else None
    m = measure_cell(_pool_cell(age, which, changes), protocols=["persistence"], age=age)
    assert 0 <= m["self_sustained_firing_ms"] < 1000


@pytest.mark.slow
@pytest.mark.parametrize("age", ["adult", "juvenile"])
def test_every_pool_cell_with_the_tor1a_changes_returns_to_rest(age):
    # The test above checks the pool's ends; the bound (issue 10: silent within
    # 1 s) holds for the cells between them too. Measured 2026-12-05: every cell
    # of both pools stops within 3 ms of the end of the step; with Kv1
    # inactivating at 270 ms (before) the knockout's 19th and 20th juvenile
    # cells fired on for 315 and 972 ms, inside the bound but near it.
    pool = pool_cell_params(age, base=motor_neuron_params(age))
    late = {}
    for i, p in enumerate(pool):
        m = measure_cell(
            partial(MotorNeuron, p.scaled(**TOR1A_MN_CHANGES)), protocols=["persistence"], age=age
        )
        if not 0 <= m["self_sustained_firing_ms"] < 1000:
            late[i] = m["self_sustained_firing_ms"]
    assert not late, f"{age} pool cells (index: ms of firing after the step): {late}"


@pytest.mark.slow
def test_without_slow_inactivation_the_tor1a_cell_locks_on():
    # the block test: the bounds are what stop the knockout's smallest cell
    # (measured: it fires on to the end of the 1.5 s observation window)
    m = measure_cell(
        _pool_cell("adult", "smallest", TOR1A_MN_CHANGES, na_slow_min=1.0, cal_cdi_k=1e9),
        protocols=["persistence"],
        age="adult",
    )
    assert m["self_sustained_firing_ms"] > 1000


@pytest.mark.slow
def test_kv1_delays_the_onset_of_the_large_juvenile_cells():
    # Leroy et al. 2014: large (F-type) juvenile MNs start firing seconds into a
    # 5-s rheobase step, small (S-type) ones at once. Kv1 makes most of the
    # delay (measured 2026-12-05: 4.2 s with it, 1.1 s with the slow CaL ramp alone)
    with_kv1 = measure_cell(_pool_cell("juvenile", "largest"), protocols=["onset"], age="juvenile")
    without = measure_cell(
        _pool_cell("juvenile", "largest", gbar_kv1_soma_s_cm2=0.0),
        protocols=["onset"],
        age="juvenile",
    )
    smallest = measure_cell(_pool_cell("juvenile", "smallest"), protocols=["onset"], age="juvenile")
    assert with_kv1["onset_latency_ms"] > 500
    assert without["onset_latency_ms"] < 0.5 * with_kv1["onset_latency_ms"]
    assert smallest["onset_latency_ms"] < 100


@pytest.mark.slow
def test_cal_inactivation_is_what_slows_the_delayed_cells_after_their_onset():
    # Leroy et al. 2014: delayed cells accelerate after their late first spike.
    # The largest juvenile cell slows down instead over the last second of its
    # onset step (first / last ISI 0.77 when written), and the slow process
    # behind it is the Ca-dependent inactivation of its large L-type Ca current:
    # without it the same cell accelerates (2.85). That inactivation bounds the
    # PICs (README, "Not yet reproduced"; benchmarks/onset_acceleration.py).
    default = measure_cell(_pool_cell("juvenile", "largest"), protocols=["onset"], age="juvenile")
    without = measure_cell(
        _pool_cell("juvenile", "largest", cal_cdi_k=1e9), protocols=["onset"], age="juvenile"
    )
    assert without["onset_acceleration"] > 1.5
    assert without["onset_acceleration"] > 2 * default["onset_acceleration"]


def _step_response(cell, amp_na, tstop_ms=400.0):
    """Somatic and dendrite-0 voltage (mV) and spike times (ms) for a 300-ms step."""
    import numpy as np
    from neuron import h

    from cordsim.models.solver import run_neuron

    stim = h.IClamp(cell.soma(0.5))
    stim.delay, stim.dur, stim.amp = 50.0, 300.0, amp_na
    v_soma = h.Vector().record(cell.soma(0.5)._ref_v)
    v_dend = h.Vector().record(cell.dendrites[0][1](0.5)._ref_v)
    times = h.Vector()
    detector = cell.spike_detector()
    detector.record(times)
    run_neuron(tstop_ms, celsius=cell.celsius, v_init_mv=cell.v_init_mv)
    return np.array(v_soma), np.array(v_dend), np.array(times)


@pytest.mark.parametrize("age", ["adult", "juvenile"])
def test_collapsed_dendrites_are_the_full_cell(age):
    """One tree for the n - 1 synapse-free dendrites changes nothing but the cost.

    Measured when written: somatic traces within 3e-8 mV (rounding), identical
    spike times (143 and 71 spikes at 20 nA for 500 ms); 44 against 146
    compartments (adult), 34 against 78 (juvenile), before the axon stub got
    its finer discretisation (50 against 152, 44 against 88).
    """
    import numpy as np

    p = motor_neuron_params(age)
    full = MotorNeuron(p, collapse_identical_dendrites=False)
    collapsed = MotorNeuron(p)
    assert len(full.dendrites) == p.n_dendrites
    per_tree = sum(sec.nseg for sec in collapsed.dendrites[0])
    assert full.n_compartments() - collapsed.n_compartments() == (p.n_dendrites - 2) * per_tree
    assert collapsed.total_area_um2() == pytest.approx(full.total_area_um2(), rel=1e-12)
    a, b = _step_response(full, 15.0), _step_response(collapsed, 15.0)
    assert len(a[2]) > 10
    np.testing.assert_array_equal(a[2], b[2])
    assert np.abs(a[0] - b[0]).max() < 1e-6
    assert np.abs(a[1] - b[1]).max() < 1e-6


def test_stand_for_copies_refuses_what_it_cannot_scale():
    from neuron import h

    cell = MotorNeuron()
    with pytest.raises(ValueError, match="copies must be >= 1"):
        cell._stand_for_copies(cell.dendrites[1][0], 0)
    syn = h.ExpSyn(cell.dendrites[0][0](0.5))
    with pytest.raises(ValueError, match="point processes"):
        cell._stand_for_copies(cell.dendrites[0][0], 2)
    del syn
    cell.dendrites[0][2].insert("cscad")  # a concentration mechanism: no gbar
    with pytest.raises(ValueError, match="no rule to scale mechanism 'cscad'"):
        cell._stand_for_copies(cell.dendrites[0][2], 2)


@pytest.mark.slow
@pytest.mark.parametrize("index", [0, 1, 3])
def test_axon_stub_is_spatially_converged(index):
    """The pool's small adult cells fire the same with twice the axon compartments.

    At the d_lambda rule's 5-7 compartments their step F-I gain was 13-21 %
    below the converged value (cell 0: 3.8 against 4.6 Hz/nA); at
    ``AXON_D_LAMBDA`` it is within 0.1 % (measured 2026-12-05).
    """
    params = pool_cell_params("adult")[index]

    def doubled():
        cell = MotorNeuron(params)
        cell.axon.nseg = 2 * cell.axon.nseg + 1
        return cell

    protocols = ("passive", "rheobase", "fi")
    base = measure_cell(partial(MotorNeuron, params), protocols=protocols, age="adult")
    fine = measure_cell(doubled, protocols=protocols, age="adult")
    assert base["fi_slope_hz_per_na"] == pytest.approx(fine["fi_slope_hz_per_na"], rel=0.01)
    assert base["f_steady_3x_hz"] == pytest.approx(fine["f_steady_3x_hz"], rel=0.01)
