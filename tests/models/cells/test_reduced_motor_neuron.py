"""The reduced motor neuron: matches the detailed cell, spec field, network build."""

from functools import partial

import pytest

from cordsim.errors import ParameterError
from cordsim.models.circuit import CircuitSpec, circuit_spec

pytestmark = pytest.mark.usefixtures("mechanisms")

#: Largest difference reduced vs detailed allowed per property: (relative,
#: absolute in the property's unit), the larger applies. The fit's residuals
#: at the pool ends are at most 6 % (models/data/reduced_motor_neuron_fit.toml,
#: 2026-12-04); the earlier ten-compartment cell missed by up to 55 %. AHP
#: depths are fractions of a mV in the adult, so they also get an absolute
#: tolerance.
TOLERANCE = {
    "rin_mohm": (0.05, 0.0),
    "tau_m_ms": (0.05, 0.0),
    "rheobase_na": (0.05, 0.0),
    "ahp_depth_mv": (0.10, 0.2),
    "ahp_decay_2_3_ms": (0.10, 0.0),
    "fi_slope_hz_per_na": (0.10, 0.0),
}


def test_few_compartments_and_same_area():
    from cordsim.models.cells.motor_neuron import MotorNeuron
    from cordsim.models.cells.reduced_motor_neuron import ReducedMotorNeuron, n_compartments_for

    red, det = ReducedMotorNeuron(), MotorNeuron()
    assert red.n_compartments() == n_compartments_for(red.params) == 26
    assert red.axon.nseg == det.axon.nseg
    assert red.total_area_um2() == pytest.approx(det.total_area_um2(), rel=0.02)
    for loc in ("soma", "proximal", "distal"):
        sec, x = red.synapse_site(loc)
        assert 0 <= x <= 1 and sec in red.sections
    assert red.spike_detector() is not None


def test_synapses_sit_on_one_dendrite_and_the_rest_is_collapsed():
    """The dendritic sites are on a cable of ONE detailed dendrite (its local
    impedance); the other n - 1 dendrites are one exactly collapsed cable."""
    from cordsim.models.cells.motor_neuron import MotorNeuron
    from cordsim.models.cells.reduced_motor_neuron import ReducedMotorNeuron

    det = MotorNeuron()
    red = ReducedMotorNeuron(det.params)
    p, n = det.params, det.params.n_dendrites
    g_pas = p.g_pas_s_cm2 * red.scales.g_pas_scale
    syn_tree, eq_tree = red.dendrites
    for loc, part in (("proximal", 0), ("distal", 2)):
        sec, x = red.synapse_site(loc)
        det_sec, det_x = det.synapse_site(loc)
        assert sec == syn_tree[part] and x == det_x
        assert (sec.L, sec(x).diam) == pytest.approx((det_sec.L, det_sec(det_x).diam))
    for sec, eq in zip(syn_tree, eq_tree, strict=True):
        assert (sec.Ra, sec.cm, sec.g_pas) == pytest.approx((p.ra_ohm_cm, p.cm_uf_cm2, g_pas))
        assert (eq.Ra, eq.cm, eq.g_pas) == pytest.approx(
            (p.ra_ohm_cm / (n - 1), p.cm_uf_cm2 * (n - 1), g_pas * (n - 1))
        )
    cal = p.gbar_cal_dend_s_cm2 * red.scales.cal_scale
    assert eq_tree[1].gbar_cscal == pytest.approx(cal * (n - 1))
    assert syn_tree[1].gbar_cscal == pytest.approx(cal)


def test_one_dendrite_has_no_equivalent_cable():
    from cordsim.models.cells.motor_neuron import MotorNeuron
    from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params
    from cordsim.models.cells.reduced_motor_neuron import ReducedMotorNeuron, n_compartments_for

    params = motor_neuron_params("adult").replace(n_dendrites=1)
    red = ReducedMotorNeuron(params)
    assert len(red.dendrites) == 1
    assert red.n_compartments() == n_compartments_for(params) == 23
    area = red.total_area_um2()
    del red
    assert area == pytest.approx(MotorNeuron(params).total_area_um2(), rel=0.02)


def _composite_epsps_mv(factory, age, factors):
    """Somatic peak of one Ia volley (mV, Na blocked) at ``factors`` x the composite conductance."""
    import dataclasses
    import gc

    from cordsim.models.circuit import circuit_spec
    from cordsim.models.measurement.dynamics import IaSynapse, ia_epsps
    from cordsim.models.measurement.settings import settings_for

    synapse = IaSynapse.from_spec(circuit_spec(age))
    settings = settings_for(age).replace(ia_train_n=1)
    out = []
    for factor in factors:
        gc.collect()  # one cell at a time: NEURON simulates every section in the process
        scaled = dataclasses.replace(synapse, weight_us=synapse.weight_us * factor)
        out.append(ia_epsps(factory(), settings, scaled)["ia_epsp_composite_mv"])
    return out


#: Conductance multiples of the composite Ia EPSP compared (1 = all expected
#: contacts of one volley), and the largest relative difference of the somatic
#: EPSP allowed. Measured: 1-6 % (benchmarks/reduced_epsp.py); the
#: seven-compartment cell, synapses on the collapsed dendrite, was 12-16 % off
#: at 0.1x, 77-82 % at 1x and 98-145 % at 3x in the adult.
EPSP_FACTORS = (0.1, 1.0, 3.0)
EPSP_TOLERANCE = 0.10


@pytest.mark.parametrize("age", ["adult", "juvenile"])
@pytest.mark.parametrize("s", [0.0, 0.5, 1.0])
def test_reduced_ia_epsp_matches_detailed(age, s):
    """Synaptic input: the composite Ia EPSP and its growth with conductance
    (driving-force saturation on one dendrite) match the detailed cell."""
    from cordsim.models.cells.motor_neuron import MotorNeuron
    from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params
    from cordsim.models.cells.reduced_motor_neuron import ReducedMotorNeuron
    from cordsim.models.pool import cell_params_at, motor_pool_params

    params = cell_params_at(motor_neuron_params(age), motor_pool_params(age), s)
    det = _composite_epsps_mv(partial(MotorNeuron, params), age, EPSP_FACTORS)
    red = _composite_epsps_mv(
        partial(ReducedMotorNeuron, params, age=age, size_index=s), age, EPSP_FACTORS
    )
    assert det[0] < det[1] < det[2]
    assert red == pytest.approx(det, rel=EPSP_TOLERANCE)


def test_unknown_age_of_fit_is_an_error():
    from cordsim.models.cells.reduced_motor_neuron import fitted_scales

    with pytest.raises(ParameterError, match="unknown age"):
        fitted_scales("elderly", 0.5)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("age", "index"),
    [
        ("adult", 0),
        ("juvenile", 0),
        ("adult", -1),
        ("juvenile", -1),
    ],
    ids=["smallest-adult", "smallest-juvenile", "largest-adult", "largest-juvenile"],
)
def test_reduced_matches_detailed(age, index):
    from cordsim.models.cells.motor_neuron import MotorNeuron
    from cordsim.models.cells.reduced_motor_neuron import ReducedMotorNeuron
    from cordsim.models.measurement import measure_cell
    from cordsim.models.pool import pool_cell_params

    pool = pool_cell_params(age)
    params, s = pool[index], (0.0 if index == 0 else 1.0)
    protocols = ("passive", "rheobase", "spike", "fi")
    det = measure_cell(partial(MotorNeuron, params), protocols=protocols, age=age)
    red = measure_cell(
        partial(ReducedMotorNeuron, params, age=age, size_index=s), protocols=protocols, age=age
    )
    for prop, (rel, abs_) in TOLERANCE.items():
        assert red[prop] == pytest.approx(det[prop], rel=rel, abs=abs_), prop


@pytest.mark.slow
@pytest.mark.parametrize("age", ["adult", "juvenile"])
def test_reduced_cells_fall_within_targets(age):
    """``cordsim validate --mn-model reduced`` passes every target, as the detailed cells do."""
    from cordsim.models.cells.reduced_motor_neuron import reduced_default_cells
    from cordsim.models.validation import format_table, validate_cells

    df = validate_cells(age, factories=reduced_default_cells(age))
    assert df["pass"].all(), "\n" + format_table(df[~df["pass"]])


def test_spec_field_validates_and_round_trips(tmp_path):
    spec = circuit_spec("adult")
    assert spec.mn_model == "detailed"
    assert "mn_model" not in spec.to_dict()  # default specs' dicts unchanged
    reduced = spec.with_values({"mn_model": "reduced"})
    assert CircuitSpec.from_dict(reduced.to_dict()) == reduced
    assert CircuitSpec.from_toml(reduced.to_toml(tmp_path / "c.toml")) == reduced


def test_unknown_mn_model_is_a_clear_error():
    with pytest.raises(ParameterError, match="mn_model: unknown motor neuron model 'reduce'"):
        circuit_spec("adult").with_values({"mn_model": "reduce"})


def test_network_builds_with_reduced_motor_neurons():
    from cordsim.models.cells.reduced_motor_neuron import ReducedMotorNeuron, n_compartments_for
    from cordsim.models.network import build
    from cordsim.models.resources import estimate_resources

    values = {f"pools.{m}.n_cells": 3 for m in ("flexor", "extensor")}
    values.update({f"afferents.{m}.n_fibres": 4 for m in ("flexor", "extensor")})
    values.update({f"interneurons.{m}.n_iain": 2 for m in ("flexor", "extensor")})
    values.update({f"interneurons.{m}.n_rc": 2 for m in ("flexor", "extensor")})
    values["mn_model"] = "reduced"
    spec = circuit_spec("adult").with_values(values)
    net = build(spec, 1)
    try:
        mns = [c for name in ("mn_flexor", "mn_extensor") for c in net.cells[name]]
        assert mns and all(isinstance(c, ReducedMotorNeuron) for c in mns)
        assert all(c.n_compartments() == n_compartments_for(c.params) for c in mns)
        built = sum(
            c.n_compartments()
            for cells in net.cells.values()
            for c in cells
            if hasattr(c, "n_compartments")
        )
        assert estimate_resources(spec).n_compartments == built
    finally:
        net.teardown()


def test_cli_run_and_validate_accept_mn_model():
    from cordsim.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["validate", "--mn-model", "reduced"]).mn_model == "reduced"
    args = parser.parse_args(["run", "--mn-model", "reduced", "--out", "x"])
    assert args.mn_model == "reduced"
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "--mn-model", "tiny", "--out", "x"])


def test_validation_report_rejects_unknown_mn_model():
    from cordsim.models.validation import validation_report

    with pytest.raises(ParameterError, match="unknown motor neuron model"):
        validation_report("adult", mn_model="simplified")
