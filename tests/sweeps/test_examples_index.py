"""The shipped example specs: listed, described, copied; each one validates."""

from __future__ import annotations

import pytest

from cordsim.errors import ParameterError
from cordsim.sweeps.examples_index import copy_examples, example_description, example_specs
from cordsim.sweeps.spec import load_spec


def test_examples_are_listed_and_valid():
    specs = example_specs()
    assert {"toy", "small", "demo"} <= set(specs)
    for path in specs.values():
        assert example_description(path)
        load_spec(path)  # every shipped example validates
    assert example_description(specs["toy"]).startswith("A small sweep of the pure-numpy toy")


def test_copy_refuses_to_overwrite(tmp_path):
    copied = copy_examples(tmp_path / "ex")
    assert sorted(p.name for p in copied) == sorted(p.name for p in example_specs().values())
    with pytest.raises(ParameterError, match="exists already"):
        copy_examples(tmp_path / "ex")
    assert copy_examples(tmp_path / "ex", overwrite=True) == copied
    (tmp_path / "file").write_text("x")
    with pytest.raises(ParameterError, match="not a folder"):
        copy_examples(tmp_path / "file")
