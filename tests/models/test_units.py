"""Unit strings: conversion within a dimension, clear errors across dimensions."""

import pytest

from cordsim.errors import ParameterError
from cordsim.models import units


def test_same_unit_and_bare_number_pass_through():
    assert units.convert("x", "5 mV", "mV") == 5.0
    assert units.convert("x", "5", "mV") == 5.0


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("150 pA", "nA", 0.15),
        ("0.5 mS/cm2", "S/cm2", 5e-4),
        ("1 s", "ms", 1000.0),
        ("2 mm", "um", 2000.0),
    ],
)
def test_converts_within_a_dimension(text, unit, expected):
    assert units.convert("x", text, unit) == pytest.approx(expected)


def test_wrong_dimension_names_parameter_and_units():
    with pytest.raises(ParameterError, match=r"'gbar'.*S/cm2.*voltage"):
        units.convert("gbar", "5 mV", "S/cm2")


def test_unreadable_and_unknown_units():
    with pytest.raises(ParameterError, match="cannot read"):
        units.convert("x", "five mV", "mV")
    with pytest.raises(ParameterError, match="unknown unit 'furlong'"):
        units.convert("x", "3 furlong", "um")
