"""Circuit spec: defaults with sources, dotted names, TOML round trip, clear errors."""

import pytest

from cordsim.errors import ParameterError
from cordsim.models.circuit import (
    DEFAULT_CONNECTIONS,
    AfferentParams,
    CircuitSpec,
    ConnectionParams,
    DriveParams,
    PopulationParams,
    SynapseParams,
    alias_target,
    circuit_spec,
)


def test_every_default_has_a_source():
    for cls in (AfferentParams, DriveParams, SynapseParams, PopulationParams):
        for name, info in cls.field_info().items():
            assert info["source"].strip(), f"{cls.__name__}.{name}"


def test_population_sizes_and_ages():
    adult, young = circuit_spec("adult"), circuit_spec("juvenile")
    sizes = adult.population_sizes()
    assert set(sizes) == {
        f"{r}_{m}" for r in ("ia", "mn", "iain", "rc") for m in ("flexor", "extensor")
    }
    assert young.afferents["flexor"].rest_rate_hz == 0.0
    assert young.synapses.gly_reversal_mv > adult.synapses.gly_reversal_mv


def test_dotted_get_and_with_values():
    spec = circuit_spec().with_values(
        {
            "connections.ia_to_mn.weight_scale": 0.5,
            "pools.flexor.n_cells": 7,
            "mn_scale.gbar_nap_is_s_cm2": 1.5,
        }
    )
    assert spec.get("connections.ia_to_mn.weight_scale") == 0.5
    assert spec.get("pools.flexor.n_cells") == 7 and spec.get("pools.extensor.n_cells") == 20
    assert spec.get("mn_scale.gbar_nap_is_s_cm2") == 1.5
    assert circuit_spec().get("mn_scale.gbar_sk_soma_s_cm2") == 1.0


def test_keyword_form():
    assert (
        circuit_spec(connections__ia_to_mn__probability=0.3).connections["ia_to_mn"].probability
        == 0.3
    )


def test_toml_round_trip(tmp_path):
    spec = circuit_spec("juvenile").with_values({"presynaptic_inhibition": 0.2})
    path = spec.to_toml(tmp_path / "c.toml")
    assert CircuitSpec.from_toml(path) == spec


def test_partial_toml_overrides_defaults(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        'age = "adult"\n[pools.flexor]\nn_cells = 5\n[connections.ia_to_mn]\nweight_scale = 0.5\n'
    )
    spec = CircuitSpec.from_toml(path)
    assert spec.populations["mn_flexor"].n_cells == 5
    assert spec.connections["ia_to_mn"].weight_scale == 0.5
    assert spec.connections["rc_to_mn"] == DEFAULT_CONNECTIONS["rc_to_mn"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"pools.flexr.n_cells": 3}, r"unknown pools entry 'flexr'; did you mean 'flexor'"),
        (
            {"connections.ia_to_mn.target": "basket"},
            r"connections.ia_to_mn.target: unknown population role 'basket'",
        ),
        (
            {"connections.ia_to_mn.weight_us": -0.1},
            r"connections.ia_to_mn.weight_us: .* below its minimum 0",
        ),
        (
            {"connections.ia_to_mn.probability": 1.5},
            r"connections.ia_to_mn.probability: .* above its maximum 1",
        ),
        ({"connectons.ia_to_mn.weight_us": 1.0}, r"did you mean 'connections'"),
        ({"mn_scale.gbar_nap": 2.0}, r"mn_scale: unknown MotorNeuronParams parameter 'gbar_nap'"),
        ({"presynaptic_inhibition": 1.5}, r"presynaptic_inhibition"),
    ],
)
def test_bad_values_name_the_key(values, message):
    with pytest.raises(ParameterError, match=message):
        circuit_spec().with_values(values)


def test_bad_toml_files(tmp_path):
    with pytest.raises(ParameterError, match="cannot read circuit spec"):
        CircuitSpec.from_toml(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[pools\n")
    with pytest.raises(ParameterError, match="invalid TOML"):
        CircuitSpec.from_toml(broken)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[connections.new_rule]\nnew = true\nsource = "ia"\ntarget = "motoneuron"\n')
    with pytest.raises(
        ParameterError,
        match=r"connections.new_rule.target: unknown population role 'motoneuron'; valid names: ia",
    ):
        CircuitSpec.from_toml(unknown)


def test_connection_rules_are_checked():
    with pytest.raises(ParameterError, match="afferent fibres, which receive no synapses"):
        circuit_spec().with_values({"connections.ia_to_mn.target": "ia"})
    with pytest.raises(ParameterError, match="unknown connection side"):
        ConnectionParams(side="contralateral")


def test_parameter_names_are_all_gettable():
    spec = circuit_spec()
    for name in spec.parameter_names():
        spec.get(name)


def test_population_table_is_the_one_place_for_sizes():
    spec = circuit_spec()
    assert list(spec.populations) == [
        f"{r}_{m}" for r in ("ia", "mn", "iain", "rc") for m in ("flexor", "extensor")
    ]
    kinds = {n: p.kind for n, p in spec.populations.items()}
    assert kinds["ia_flexor"] == "afferent" and kinds["mn_extensor"] == "motor_pool"
    assert spec.populations["rc_flexor"].cell_model == "renshaw"
    assert spec.motor_pool("extensor") == "mn_extensor"
    assert spec.population_names(kind="interneuron", muscle="flexor") == [
        "iain_flexor",
        "rc_flexor",
    ]
    pairs = list(spec.rule_pairs(spec.connections["iain_to_mn"]))
    assert pairs == [("iain_extensor", "mn_flexor"), ("iain_flexor", "mn_extensor")]


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("pools.flexor.n_cells", "populations.mn_flexor.n_cells"),
        ("afferents.extensor.n_fibres", "populations.ia_extensor.n_cells"),
        ("interneurons.flexor.n_iain", "populations.iain_flexor.n_cells"),
        ("interneurons.extensor.n_rc", "populations.rc_extensor.n_cells"),
    ],
)
def test_size_aliases_set_the_population_table(alias, canonical):
    assert alias_target(alias) == canonical
    spec = circuit_spec().with_values({alias: 3})
    assert spec.get(canonical) == 3 and spec.get(alias) == 3
    assert alias in spec.parameter_names() and canonical in spec.parameter_names()
    assert spec.field_info(alias)["doc"] == f"alias of {canonical}"


def test_new_population_declared_in_toml(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        """
[populations.exin_flexor]
new = true
kind = "interneuron"
role = "exin"
muscle = "flexor"
n_cells = 4
cell = "ia_interneuron"
[connections.ia_to_exin]
new = true
source = "ia"
target = "exin"
probability = 1.0
weight_us = 0.01
"""
    )
    spec = CircuitSpec.from_toml(path)
    assert list(spec.populations)[-1] == "exin_flexor"
    assert list(spec.rule_pairs(spec.connections["ia_to_exin"])) == [("ia_flexor", "exin_flexor")]
    assert CircuitSpec.from_toml(spec.to_toml(tmp_path / "round.toml")) == spec


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"kind": "glia", "role": "g"}, r"unknown population kind 'glia'"),
        ({"kind": "interneuron", "role": "rc"}, r"role 'rc' of the flexor already belongs"),
        ({"kind": "interneuron", "role": "x", "cell": "basket"}, r"interneuron cell model"),
        ({"kind": "motor_pool", "role": "mn2", "n_cells": 0}, r"a motor pool needs >= 1 cell"),
        (
            {"kind": "afferent", "role": "ii", "afferent_params": "group_ii"},
            r"unknown afferents entry 'group_ii'",
        ),
    ],
)
def test_bad_populations_name_the_problem(entry, message):
    with pytest.raises(ParameterError, match=message):
        CircuitSpec.from_dict(
            {"populations": {"extra_flexor": {"new": True, "muscle": "flexor", **entry}}}
        )


# ------------------------------------------------------------- isolated-cord preset
def test_isolated_cord_preset_is_the_juvenile_cord_in_vitro(tmp_path):
    from cordsim.models.circuit import ISOLATED_CORD_AFFERENTS, CircuitSpec, circuit_spec

    cord = circuit_spec("isolated_cord")
    assert cord == circuit_spec("juvenile", preparation="isolated_cord")
    assert cord.age == "juvenile" and cord.preparation == "isolated_cord"
    assert cord.drives.descending_peak_rate_hz == 0.0
    assert not any(p.descending for p in cord.populations.values())
    assert all(a.rest_rate_hz == 0.0 for a in cord.afferents.values())  # no spindle discharge
    juvenile = circuit_spec("juvenile")
    assert cord.drives.background_exc_rate_hz < juvenile.drives.background_exc_rate_hz
    for role in (*ISOLATED_CORD_AFFERENTS, "ein"):
        assert {p.muscle for p in cord.populations.values() if p.role == role} == {
            "flexor",
            "extensor",
        }
    assert cord.connections["ein_to_mn"].synapse == "glu"
    # the spec file records the preparation and rebuilds the same spec
    path = cord.to_toml(tmp_path / "cord.toml")
    assert 'preparation = "isolated_cord"' in path.read_text()
    assert CircuitSpec.from_toml(path) == cord
    assert "preparation" not in circuit_spec("juvenile").to_dict()  # default specs unchanged


def test_preparation_errors_name_the_problem():
    from cordsim.errors import ParameterError
    from cordsim.models.circuit import CircuitSpec, circuit_spec

    with pytest.raises(ParameterError, match="juvenile preparation"):
        CircuitSpec(age="adult", preparation="isolated_cord")
    with pytest.raises(ParameterError, match="did you mean 'isolated_cord'"):
        circuit_spec("juvenile", preparation="isolated_crd")
    with pytest.raises(ParameterError, match="selects a preset"):
        circuit_spec("juvenile").with_values({"preparation": "isolated_cord"})
    with pytest.raises(ParameterError, match="threshold_high_t"):
        circuit_spec("isolated_cord").with_values({"afferents.ib_flexor.threshold_high_t": 1.0})
