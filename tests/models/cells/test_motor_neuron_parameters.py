"""Motor neuron presets: sources for every default, ages, validated overrides."""

import pytest

from cordsim.errors import ParameterError
from cordsim.models.cells.motor_neuron_parameters import (
    JUVENILE_CHANGES,
    MotorNeuronParams,
    motor_neuron_params,
)


def test_every_default_has_a_source_and_unit():
    for name, info in MotorNeuronParams.field_info().items():
        assert info["source"].strip(), name
        assert info["unit"], name


def test_ages_differ_as_declared():
    adult, young = motor_neuron_params("adult"), motor_neuron_params("juvenile")
    assert adult.celsius_degc == 37.0 and young.celsius_degc == 26.0
    for key, value in JUVENILE_CHANGES.items():
        assert getattr(young, key) == value


def test_unknown_age_and_typo():
    with pytest.raises(ParameterError, match="unknown age 'old'"):
        motor_neuron_params("old")
    with pytest.raises(ParameterError, match="did you mean 'gbar_sk_soma_s_cm2'"):
        motor_neuron_params("adult", gbar_sk_som_s_cm2=0.1)


def test_negative_conductance_named():
    with pytest.raises(ParameterError, match="gbar_nap_is_s_cm2"):
        motor_neuron_params("adult", gbar_nap_is_s_cm2=-1e-3)
