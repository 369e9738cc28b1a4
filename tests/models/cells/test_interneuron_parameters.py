"""Interneuron presets."""

import pytest

from cordsim.errors import ParameterError
from cordsim.models.cells.interneuron_parameters import InterneuronParams, interneuron_params


def test_sources_for_every_default():
    for name, info in InterneuronParams.field_info().items():
        assert info["source"].strip(), name


def test_renshaw_is_more_compact_than_iain():
    rc, iain = interneuron_params("renshaw"), interneuron_params("ia_interneuron")
    assert rc.soma_diam_um < iain.soma_diam_um and rc.dend_length_um < iain.dend_length_um


def test_juvenile_is_cooler():
    assert interneuron_params("renshaw", "juvenile").celsius_degc == 26.0


def test_bad_kind_and_age():
    with pytest.raises(ParameterError, match="unknown interneuron kind"):
        interneuron_params("basket")
    with pytest.raises(ParameterError, match="unknown age"):
        interneuron_params("renshaw", "old")
