"""cordsim.models: the re-exported entry points resolve lazily to their modules."""

from __future__ import annotations

import subprocess
import sys

import pytest

import cordsim.models as models


@pytest.mark.parametrize("name", sorted(models._EXPORTS))
def test_every_export_resolves_to_its_module(name):
    module = __import__(f"cordsim.models.{models._EXPORTS[name]}", fromlist=[name])
    assert getattr(models, name) is getattr(module, name)
    assert name in dir(models)


def test_unknown_attribute_names_it():
    with pytest.raises(AttributeError, match="measure_cells"):
        models.measure_cells  # noqa: B018


def test_importing_the_package_does_not_load_neuron():
    code = "import sys, cordsim.models; print('neuron' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
