"""Mutation profiles: targets exist, scale 0 is wild type, scale 1 the amounts, errors named."""

import math

import pytest

from cordsim.errors import ParameterError
from cordsim.models.circuit import circuit_spec
from cordsim.models.profiles import (
    COMPONENTS,
    PROFILES,
    Profile,
    ProfileChange,
    apply_profile,
    profile_table,
    profile_values,
)

AGES = ("adult", "juvenile")
ALL_CHANGES = [(p.name, c) for p in PROFILES.values() for c in p.changes]


def _ids(item):
    return f"{item[0]}.{item[1].name}" if isinstance(item, tuple) else None


@pytest.fixture(scope="module", params=AGES)
def base(request):
    return circuit_spec(request.param)


@pytest.mark.parametrize("item", ALL_CHANGES, ids=_ids)
def test_every_target_exists_and_is_numeric(item, base):
    _, change = item
    for target in change.targets():
        value = base.get(target)
        assert isinstance(value, int | float) and not isinstance(value, bool), target


def test_muscle_placeholder_expands_to_both_muscles():
    change = PROFILES["tor1a_spinal_drg"].changes[0]
    assert change.targets() == (
        "afferents.flexor.conduction_delay_ms",
        "afferents.extensor.conduction_delay_ms",
    )


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_scale_zero_is_wild_type_exactly(name, base):
    assert apply_profile(base, name, scale=0.0) == base
    assert profile_values(base, name, scale=0.0) == {}


def test_wild_type_changes_nothing(base):
    assert apply_profile(base, "wild_type") is base


@pytest.mark.parametrize("item", ALL_CHANGES, ids=_ids)
def test_scale_one_gives_the_amount(item, base):
    profile, change = item
    spec = apply_profile(base, profile, scale=1.0, only=change.name)
    for target in change.targets():
        before, after = base.get(target), spec.get(target)
        if change.op == "add":
            assert after == pytest.approx(before + change.amount)
        elif isinstance(before, int):
            assert after == round(before * change.amount)
        else:
            assert after == before * change.amount


def test_half_scale_is_half_way(base):
    spec = apply_profile(base, "tor1a_spinal_drg", scale=0.5, only="ia_synapse_weight")
    assert spec.get("connections.ia_to_mn.weight_scale") == pytest.approx(0.85)
    spec = apply_profile(base, "tor1a_spinal_drg", scale=0.5, only="ia_spontaneous_discharge")
    rest = base.get("afferents.flexor.rest_rate_hz")
    assert spec.get("afferents.flexor.rest_rate_hz") == pytest.approx(rest + 2.5)


def test_counts_stay_whole_numbers(base):
    spec = apply_profile(base, "tor1a_spinal_drg", scale=0.3, only="ia_fibre_loss")
    n = spec.get("afferents.flexor.n_fibres")
    assert isinstance(n, int)
    assert n == round(base.get("afferents.flexor.n_fibres") * (1 + 0.3 * (0.8 - 1)))


def test_only_applies_just_that_change(base):
    spec = apply_profile(base, "tor1a_spinal_drg", only="mn_nap")
    assert dict(spec.mn_scale) == {"gbar_nap_is_s_cm2": 1.5}
    assert spec.connections == base.connections
    assert spec.afferents == base.afferents


def test_changes_compose(base):
    one_by_one = base
    for name in ("ia_synapse_weight", "mn_sk", "ia_conduction_slowing"):
        one_by_one = apply_profile(one_by_one, "tor1a_spinal_drg", only=name)
    together = apply_profile(
        base, "tor1a_spinal_drg", only=["ia_synapse_weight", "mn_sk", "ia_conduction_slowing"]
    )
    assert one_by_one == together


def test_profile_acts_on_the_current_value():
    spec = circuit_spec("adult", connections__ia_to_mn__weight_scale=0.5)
    out = apply_profile(spec, "tor1a_spinal_drg", only="ia_synapse_weight")
    assert out.get("connections.ia_to_mn.weight_scale") == pytest.approx(0.35)


def test_same_target_twice_composes(base):
    prof = Profile(
        "twice",
        "test",
        (
            ProfileChange(
                "a", "connections.rc_to_mn.weight_scale", "scale", 2.0, "interneuron", "none"
            ),
            ProfileChange(
                "b", "connections.rc_to_mn.weight_scale", "scale", 3.0, "interneuron", "none"
            ),
        ),
    )
    assert apply_profile(base, prof).get("connections.rc_to_mn.weight_scale") == 6.0


def test_full_profile_values(base):
    values = profile_values(base, "tor1a_spinal_drg")
    assert values["connections.ia_to_mn.probability"] == pytest.approx(
        base.get("connections.ia_to_mn.probability") * 0.7
    )
    assert values["mn_scale.gbar_sk_soma_s_cm2"] == 0.7
    assert values["connections.iain_to_mn.weight_scale"] == 0.5
    assert apply_profile(base, "tor1a_spinal_drg") == base.with_values(values)


def test_drg_only_touches_no_spinal_neuron(base):
    prof = PROFILES["tor1a_drg_only"]
    assert {c.component for c in prof.changes} == {"afferent", "ia_synapse"}
    spec = apply_profile(base, prof)
    assert spec.mn_scale == base.mn_scale and spec.iain_scale == base.iain_scale
    assert spec.connections["iain_to_mn"] == base.connections["iain_to_mn"]
    assert set(prof.change_names()) < set(PROFILES["tor1a_spinal_drg"].change_names())


def test_spinal_drg_covers_every_component_and_isolates_reciprocal_inhibition():
    prof = PROFILES["tor1a_spinal_drg"]
    assert {c.component for c in prof.changes} == set(COMPONENTS)
    ri = [c for c in prof.changes if c.target == "connections.iain_to_mn.weight_scale"]
    assert len(ri) == 1 and ri[0].hypothesis and ri[0].amount < 1


def test_every_change_is_documented_and_marked_a_hypothesis():
    for _, change in ALL_CHANGES:
        assert change.hypothesis  # no magnitude is measured (targets e)
        assert "Pocratsky23 abstract" in change.evidence or change.evidence.startswith("none")


def test_profile_table():
    table = profile_table()
    assert list(table.columns) == [
        "profile",
        "change",
        "target",
        "op",
        "amount",
        "component",
        "evidence",
        "hypothesis",
    ]
    assert len(table) == sum(len(p.changes) for p in PROFILES.values())
    assert "wild_type" not in set(table["profile"])
    assert table["hypothesis"].all()


# ----------------------------------------------------------------------------- errors
def test_unknown_profile_names_the_closest(base):
    with pytest.raises(ParameterError, match="unknown profile 'tor1a_spinal'.*'tor1a_spinal_drg'"):
        apply_profile(base, "tor1a_spinal")


def test_unknown_change_names_the_closest(base):
    with pytest.raises(ParameterError, match="'mn_na'.*did you mean 'mn_nap'"):
        apply_profile(base, "tor1a_spinal_drg", only="mn_na")


def test_change_of_another_profile_is_rejected(base):
    with pytest.raises(ParameterError, match="tor1a_drg_only.*'mn_nap'"):
        apply_profile(base, "tor1a_drg_only", only=["mn_nap"])


@pytest.mark.parametrize("scale", [-0.1, 1.5, math.nan, True, "1"])
def test_scale_outside_unit_interval(scale, base):
    with pytest.raises(ParameterError, match="profile scale"):
        apply_profile(base, "tor1a_spinal_drg", scale=scale)


def test_bad_target_names_profile_change_and_key(base):
    prof = Profile(
        "bad",
        "test",
        (
            ProfileChange(
                "x", "connections.ia_to_mn.weight_scal", "scale", 2.0, "ia_synapse", "none"
            ),
        ),
    )
    with pytest.raises(ParameterError, match="'bad'.*'x'.*did you mean 'weight_scale'"):
        apply_profile(base, prof)


def test_value_out_of_range_is_reported(base):
    prof = Profile(
        "big",
        "test",
        (
            ProfileChange(
                "p", "connections.ia_to_mn.probability", "scale", 5.0, "ia_synapse", "none"
            ),
        ),
    )
    with pytest.raises(ParameterError, match="profile 'big'.*probability"):
        apply_profile(base, prof)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"op": "multiply"}, "unknown op 'multiply'"),
        ({"component": "muscle"}, "unknown component 'muscle'"),
        ({"amount": -1.0}, "amount"),
        ({"amount": math.inf}, "amount"),
        ({"target": "afferents.{side}.n_fibres"}, "placeholder"),
    ],
)
def test_invalid_change_definitions(kwargs, match):
    args = dict(
        name="c", target="x.y", op="scale", amount=1.0, component="afferent", evidence="none"
    )
    with pytest.raises(ParameterError, match=match):
        ProfileChange(**{**args, **kwargs})


def test_duplicate_change_names_rejected():
    c = ProfileChange("c", "presynaptic_inhibition", "add", 0.1, "afferent", "none")
    with pytest.raises(ParameterError, match="duplicate"):
        Profile("dup", "test", (c, c))


def test_ia_changes_reach_the_heteronymous_ia_fibres_where_the_spec_has_them():
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.profiles import apply_profile, profile_values

    cord = circuit_spec("isolated_cord")
    ko = apply_profile(cord, "tor1a_drg_only")
    for muscle in ("flexor", "extensor"):
        assert ko.afferents[f"iah_{muscle}"].rest_rate_hz == 5.0
        assert ko.populations[f"iah_{muscle}"].n_cells == 32  # 40 x 0.8
        assert ko.afferents[f"iah_{muscle}"].conduction_delay_ms == pytest.approx(3.0)
    assert ko.connections["iah_to_mn"].weight_scale == pytest.approx(0.7)
    assert ko.connections["ia_to_ein"].weight_scale == pytest.approx(0.7)
    assert ko.afferents["ii_flexor"] == cord.afferents["ii_flexor"]  # Ia changes only
    # specs without those fibres take the other targets only, with no error
    adult = profile_values(circuit_spec("adult"), "tor1a_drg_only")
    assert not any("iah" in k or "ein" in k for k in adult)


def test_spinal_only_is_the_complement_of_drg_only():
    from cordsim.models.profiles import get_profile

    full = set(get_profile("tor1a_spinal_drg").change_names())
    drg = set(get_profile("tor1a_drg_only").change_names())
    spinal = set(get_profile("tor1a_spinal_only").change_names())
    assert spinal == full - drg and not spinal & drg
    assert {c.component for c in get_profile("tor1a_spinal_only").changes} == {
        "motor_neuron",
        "interneuron",
    }
