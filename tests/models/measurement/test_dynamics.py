"""Dynamics protocols on the motor neuron: gating, ZAP resonance, Ia EPSPs, ramp irregularity."""

import dataclasses
from functools import partial

import numpy as np
import pytest

from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params
from cordsim.models.circuit import circuit_spec
from cordsim.models.measurement import measure_cell
from cordsim.models.measurement.dynamics import IaSynapse, gating_half_voltages, ia_epsps
from cordsim.models.measurement.settings import settings_for

pytestmark = pytest.mark.usefixtures("mechanisms")

#: Booth et al. 1997 half-voltages before any shift (csna.mod, cskdr.mod), mV.
NA_M_HALF, NA_H_HALF, KDR_N_HALF = -35.0, -55.0, -28.0


@pytest.mark.parametrize("age", ["adult", "juvenile"])
def test_gating_half_voltages_are_the_documented_ones(age):
    p = motor_neuron_params(age)
    got = gating_half_voltages(MotorNeuron(p))
    assert got["na_activation_v_half_mv"] == pytest.approx(NA_M_HALF + p.vshift_na_mv, abs=1e-6)
    assert got["na_inactivation_v_half_mv"] == pytest.approx(NA_H_HALF + p.vshift_na_h_mv, abs=1e-6)
    assert got["kdr_activation_v_half_mv"] == pytest.approx(KDR_N_HALF + p.vshift_kdr_mv, abs=1e-6)


def test_one_shift_per_gate():
    base = gating_half_voltages(MotorNeuron(motor_neuron_params("adult")))
    moved = gating_half_voltages(MotorNeuron(motor_neuron_params("adult", vshift_na_mv=12.0)))
    # moving activation leaves inactivation where it was
    assert moved["na_activation_v_half_mv"] == pytest.approx(base["na_activation_v_half_mv"] + 4)
    assert moved["na_inactivation_v_half_mv"] == pytest.approx(base["na_inactivation_v_half_mv"])


@pytest.mark.slow
def test_h_current_makes_the_adult_cell_resonate():
    with_h = measure_cell(partial(MotorNeuron, motor_neuron_params("adult")), protocols=["zap"])
    without = measure_cell(
        partial(MotorNeuron, motor_neuron_params("adult", gbar_h_s_cm2=0.0)), protocols=["zap"]
    )
    assert with_h["resonance_q"] >= 1.05 and 2 <= with_h["resonance_frequency_hz"] <= 30
    assert without["resonance_q"] < 1.02
    assert without["resonance_frequency_hz"] != without["resonance_frequency_hz"]  # NaN


def _epsps(**synapse_changes):
    synapse = dataclasses.replace(IaSynapse.from_spec(circuit_spec("juvenile")), **synapse_changes)
    cell = MotorNeuron(motor_neuron_params("juvenile"))
    return ia_epsps(cell, settings_for("juvenile"), synapse)


@pytest.mark.slow
def test_ia_epsps_scale_with_weight_and_depress_only_with_use():
    default = _epsps()
    double = _epsps(weight_us=2 * IaSynapse.from_spec(circuit_spec("juvenile")).weight_us)
    assert default["ia_epsp_composite_mv"] < double["ia_epsp_composite_mv"]
    assert double["ia_epsp_composite_mv"] < 2 * default["ia_epsp_composite_mv"]  # sublinear
    assert default["ia_epsp_ratio_10hz"] < 0.9
    no_depression = _epsps(use=0.0)
    assert no_depression["ia_epsp_ratio_10hz"] == pytest.approx(1.0, abs=0.03)


def test_ia_synapse_reads_the_circuit_spec():
    spec = circuit_spec("adult", connections__ia_to_mn__weight_scale=0.5)
    syn = IaSynapse.from_spec(spec)
    conn = spec.connections["ia_to_mn"]
    assert syn.weight_us == pytest.approx(0.5 * conn.weight_us)
    assert syn.n_contacts == pytest.approx(spec.population_sizes()["ia_flexor"] * conn.probability)
    assert syn.location == conn.location and syn.use == spec.synapses.ia_use


@pytest.mark.slow
def test_background_noise_makes_the_discharge_irregular_at_recruitment_only():
    """Manuel et al. 2009: very irregular near recruitment, regular in the primary range.

    Over 6 seeds of the adult preset's ramp noise, one ramp each, the default
    cell's first ISIs are irregular and its last ones regular, on average (the
    targets of ``cordsim validate``, which averages over the preset's
    ``ramp_noise_repeats`` seeds; 10 ISIs make a noisy estimate, so one seed
    may fall short); without the noise (the block) the discharge is regular from
    recruitment on, so the irregularity comes from the background, not from
    the F-I curvature or the rate trend.
    """
    factory = partial(MotorNeuron, motor_neuron_params("adult"))
    noisy = [
        measure_cell(
            factory, age="adult", protocols=["ramp"], ramp_noise_seed=seed, ramp_noise_repeats=1
        )
        for seed in range(1, 7)
    ]
    recruitment = np.array([float(s["recruitment_isi_cv2"]) for s in noisy])
    primary = np.array([float(s["primary_isi_cv2"]) for s in noisy])
    assert recruitment.mean() >= 0.15, recruitment
    assert recruitment.mean() >= 2.0 * primary.mean(), (recruitment, primary)
    assert np.all(primary <= 0.1), primary
    quiet = measure_cell(factory, age="adult", protocols=["ramp"], ramp_noise_sd_na=0.0)
    assert quiet["recruitment_isi_cv2"] < 0.1 and quiet["primary_isi_cv2"] < 0.05


def test_ramp_noise_is_reproducible_and_seeded():
    from cordsim.models.measurement.cell_protocols import _run_ramp

    s = settings_for("adult", ramp_min_up_ms=300.0, ramp_max_up_ms=300.0, ramp_quiet_ms=50.0)
    cell = MotorNeuron(motor_neuron_params("adult"))
    runs = [_run_ramp(cell, s.replace(ramp_noise_seed=seed), 2.4, 0.0) for seed in (1, 1, 2)]
    first, again, other = (r[0] for r in runs)
    assert first.size > 3
    assert list(first) == list(again)
    assert list(first) != list(other)


def test_noisy_ramp_properties_are_means_over_the_seeds():
    from cordsim.models.measurement.cell_protocols import ramp_hysteresis

    s = settings_for("adult", ramp_min_up_ms=400.0, ramp_max_up_ms=400.0, ramp_quiet_ms=50.0)
    cell = MotorNeuron(motor_neuron_params("adult"))
    singles = [
        ramp_hysteresis(
            cell, s.replace(ramp_noise_repeats=1, ramp_noise_seed=seed), rheobase_na=2.4
        )
        for seed in (3, 4, 5)
    ]
    mean = ramp_hysteresis(
        cell, s.replace(ramp_noise_repeats=3, ramp_noise_seed=3), rheobase_na=2.4
    )
    assert np.isfinite(singles[0]["i_recruit_na"])
    assert len({run["i_recruit_na"] for run in singles}) > 1  # the seeds differ
    for key, value in mean.items():
        values = np.array([run[key] for run in singles])
        finite = values[np.isfinite(values)]
        if finite.size:
            assert value == pytest.approx(finite.mean(), rel=1e-12), key
        else:
            assert np.isnan(value), key


def test_a_ramp_without_noise_runs_once(monkeypatch):
    from cordsim.models.measurement import cell_protocols

    runs = []
    monkeypatch.setattr(cell_protocols, "_ramp_once", lambda *a: runs.append(a) or {"x": 1.0})
    quiet = settings_for("adult", ramp_noise_sd_na=0.0, ramp_noise_repeats=5)
    assert cell_protocols.ramp_hysteresis(None, quiet, rheobase_na=2.4) == {"x": 1.0}
    assert len(runs) == 1
    noisy = settings_for("adult", ramp_noise_repeats=5)
    assert cell_protocols.ramp_hysteresis(None, noisy, rheobase_na=2.4) == {"x": 1.0}
    assert [a[1].ramp_noise_seed for a in runs[1:]] == [1, 2, 3, 4, 5]


def test_impossible_ramp_noise_is_refused_before_running():
    from cordsim.errors import ParameterError
    from cordsim.models.measurement.cell_protocols import ramp_hysteresis

    cell = MotorNeuron(motor_neuron_params("adult"))
    for bad in ({"ramp_noise_sd_na": -0.1}, {"ramp_noise_tau_ms": 0.0}, {"ramp_noise_repeats": 0}):
        with pytest.raises(ParameterError, match="ramp noise"):
            ramp_hysteresis(cell, settings_for("adult", **bad), rheobase_na=2.4)
