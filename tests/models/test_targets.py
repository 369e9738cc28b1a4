"""The target ranges shipped in models/data/targets.toml and their loader."""

from __future__ import annotations

import math

import pytest

from cordsim.errors import ParameterError
from cordsim.models.measurement.properties import PROPERTIES
from cordsim.models.targets import (
    AGES,
    CELLS,
    TargetRange,
    load_targets,
    parse_targets,
    targets_for,
    unit_for,
)

#: Keys of the mouse sources in targets.md; a non-soft range must cite one of them.
MOUSE_SOURCES = (
    "Manuel09",
    "Meehan10",
    "MartinezSilva18",
    "Delestree14",
    "Leroy14",
    "Sharples21",
    "PamboPambo09",
    "Gogliotti12",
    "Hippenmeyer05",
)
#: Words by which a soft range states why it is soft.
SOFT_REASONS = (
    "from memory",
    "rat",
    "not found",
    "assumed",
    "by hand",
    "soft:",
    "not given",
    "not constrained",
)


def good_entry(**changes):
    entry = {
        "age": "adult",
        "cell": "motor_neuron",
        "property": "rin_mohm",
        "low": 1.0,
        "high": 2.0,
        "unit": "MOhm",
        "source": "Manuel09 Table 1",
        "note": "a note",
        "soft": False,
    }
    entry.update(changes)
    return entry


def test_targets_load_and_are_well_formed():
    targets = load_targets()
    assert len(targets) > 50
    for t in targets:
        assert isinstance(t, TargetRange)
        assert t.source.strip() and t.note.strip()
        assert t.low < t.high
        assert t.property in PROPERTIES, t
        assert unit_for(t.property) in (None, t.unit)


def test_every_age_and_cell_has_targets():
    for age in AGES:
        for cell in CELLS:
            assert targets_for(age, cell), (age, cell)


def test_core_motor_neuron_properties_are_targeted():
    core = {"tau_m_ms", "rheobase_na", "i_recruit_na", "v_rest_mv"}
    adult = targets_for("adult", "motor_neuron")
    juvenile = targets_for("juvenile", "motor_neuron")
    assert core | {"rin_mohm", "sag_ratio", "f_min_hz", "f_max_hz", "fi_slope_hz_per_na"} <= set(
        adult
    )
    assert core | {"rin_plateau_mohm", "spike_width_ms", "ahp_tau_ms"} <= set(juvenile)
    assert math.isinf(adult["f_max_hz"].high)  # "> 300 Hz" is a lower bound only


def test_hard_ranges_cite_mouse_sources_and_soft_ones_say_why():
    for t in load_targets():
        if t.soft:
            text = (t.note + " " + t.source).lower()
            assert any(word in text for word in SOFT_REASONS), t
        else:
            assert any(t.source.startswith(key) for key in MOUSE_SOURCES), t


def test_pool_ends_follow_the_size_principle():
    for age, rin in (("adult", "rin_mohm"), ("juvenile", "rin_plateau_mohm")):
        small, large = targets_for(age, "pool_smallest"), targets_for(age, "pool_largest")
        assert small[rin].low > large[rin].low and small[rin].high > large[rin].high
        assert small["i_recruit_na"].low <= large["i_recruit_na"].low
        assert small["i_recruit_na"].high < large["i_recruit_na"].high


def test_contains():
    t = TargetRange("adult", "motor_neuron", "rin_mohm", 1.0, 2.0, "MOhm", "s", "n")
    assert t.contains(1.0) and t.contains(2.0) and t.contains(1.5)
    assert not t.contains(0.999) and not t.contains(2.001)
    assert not t.contains(float("nan")) and not t.contains(None)
    lower_only = TargetRange("adult", "motor_neuron", "f_max_hz", 300.0, math.inf, "Hz", "s", "n")
    assert lower_only.contains(1e4) and not lower_only.contains(299.0)
    assert lower_only.describe() == ">= 300 Hz"
    assert t.describe() == "1-2 MOhm"


def test_unknown_age_or_cell_is_a_clear_error():
    with pytest.raises(ParameterError, match="unknown age 'adullt'.*'adult'"):
        targets_for("adullt", "motor_neuron")
    with pytest.raises(ParameterError, match="unknown cell 'renshw'.*'renshaw'"):
        targets_for("adult", "renshw")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"low": 3.0}, "low < high"),
        ({"unit": "kOhm"}, "unit 'kOhm'"),
        ({"cell": "pool_middle"}, "unknown cell"),
        ({"age": "old"}, "unknown age"),
        ({"source": " "}, "'source' is empty"),
        ({"soft": "no"}, "wrong type"),
        ({"low": True}, "wrong type"),
        ({"extra": 1}, "unknown field"),
    ],
)
def test_malformed_entries_are_named(changes, message):
    second = good_entry(property="tau_m_ms", unit="ms")
    second.update(changes)
    data = {"target": [good_entry(), second]}
    with pytest.raises(ParameterError, match=message) as info:
        parse_targets(data)
    assert "#2" in str(info.value) and "tau_m_ms" in str(info.value)


def test_missing_field_and_duplicates_are_named():
    entry = good_entry()
    del entry["note"]
    with pytest.raises(ParameterError, match="missing field.*note"):
        parse_targets({"target": [entry]})
    with pytest.raises(ParameterError, match="duplicate"):
        parse_targets({"target": [good_entry(), good_entry()]})
    with pytest.raises(ParameterError, match="non-empty list"):
        parse_targets({})
