"""Sweep specs: TOML and Python forms, full validation with one-line errors naming the key."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cordsim.cli import main
from cordsim.errors import ParameterError
from cordsim.sweeps.spec import (
    ParameterSpec,
    SweepSpec,
    SweepSpecError,
    load_spec,
    spec_from_dict,
    spec_hash,
    validate_spec,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "sweeps" / "examples" / "toy.toml"

BASE = """\
[sweep]
name = "t"
model = "toy"
protocols = ["reflex"]
seeds = [1, 2]
sampling = "grid"

[parameters."toy.rate_hz"]
low = 10.0
high = 40.0
steps = 3

[parameters."toy.n_cells"]
values = [5, 10]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(text)
    return path


def test_example_spec_loads_and_is_frozen():
    spec = load_spec(EXAMPLE)
    assert spec.model == "toy"
    assert spec.protocols == ("rest", "reflex")
    assert len(spec.resolved_seeds()) == 2
    assert spec.parameter_names[0] == "toy.rate_hz"
    with pytest.raises(AttributeError):
        spec.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize("path", sorted(EXAMPLE.parent.glob("*.toml")), ids=lambda p: p.name)
def test_every_example_spec_validates(path):
    from cordsim.sweeps.sampling import plan_points

    points = plan_points(load_spec(path))
    assert points
    if path.name == "small.toml":
        assert len(points) <= 16  # the bound for the quick example


def test_replicates_derive_stable_seeds():
    s3 = validate_spec(SweepSpec(name="a", model="toy", replicates=3, seed=7))
    s5 = validate_spec(SweepSpec(name="a", model="toy", replicates=5, seed=7))
    assert s5.resolved_seeds()[:3] == s3.resolved_seeds()
    expected = tuple(int(x) for x in np.random.SeedSequence(7).generate_state(3))
    assert s3.resolved_seeds() == expected
    assert validate_spec(SweepSpec(name="a", model="toy")).resolved_seeds() == (0,)


def test_toml_roundtrip_and_python_form_have_same_hash(tmp_path):
    spec = load_spec(_write(tmp_path, BASE))
    again = load_spec(_write(tmp_path, spec.to_toml()))
    assert again == spec
    assert spec_hash(again) == spec_hash(spec)
    py = validate_spec(
        SweepSpec(
            name="t",
            model="toy",
            protocols=["reflex"],
            seeds=[1, 2],
            parameters={
                "toy.rate_hz": {"low": 10, "high": 40, "steps": 3},  # ints coerced to float
                "toy.n_cells": [5, 10],
            },
        )
    )
    assert spec_hash(py) == spec_hash(spec)
    assert py.parameters[0] == ParameterSpec("toy.rate_hz", low=10.0, high=40.0, steps=3)


def test_hash_ignores_output_but_not_seeds(tmp_path):
    spec = load_spec(_write(tmp_path, BASE))
    assert spec_hash(spec.replace(output="elsewhere")) == spec_hash(spec)
    assert spec_hash(validate_spec(spec.replace(seeds=(1, 2, 3)))) != spec_hash(spec)


def test_unquoted_dotted_parameter_tables(tmp_path):
    text = BASE.replace('[parameters."toy.rate_hz"]', "[parameters.toy.rate_hz]")
    assert load_spec(_write(tmp_path, text)).parameter_names == ("toy.rate_hz", "toy.n_cells")


# (replace old -> new in BASE, expected fragments of the one-line message)
CASES = {
    "typo in parameter": (
        '"toy.rate_hz"]',
        '"toy.rate_hzz"]',
        ['parameters."toy.rate_hzz"', "did you mean 'toy.rate_hz'"],
    ),
    "string for float": ("low = 10.0", 'low = "ten"', ['parameters."toy.rate_hz".low', "number"]),
    "float for int count": (
        "values = [5, 10]",
        "values = [5, 10.0]",
        ['parameters."toy.n_cells".values', "integer", "10.0"],
    ),
    "out of range": (
        "high = 40.0",
        "high = 600.0",
        ['parameters."toy.rate_hz".high', "outside the allowed range [0.0, 500.0]"],
    ),
    "unknown protocol": (
        '["reflex"]',
        '["reflx"]',
        ["sweep.protocols", "did you mean 'reflex'"],
    ),
    "unknown sampling": ('"grid"', '"sobl"', ["sweep.sampling", "did you mean 'sobol'"]),
    "sobol not power of 2": (
        'sampling = "grid"',
        'sampling = "sobol"\nn_samples = 100',
        ["sweep.n_samples", "power of 2", "64 or 128"],
    ),
    "missing name": ('name = "t"\n', "", ["sweep.name: missing key"]),
    "missing steps": ("steps = 3\n", "", ['parameters."toy.rate_hz".steps: missing key']),
    "missing n_samples": (
        'sampling = "grid"',
        'sampling = "lhs"',
        ["sweep.n_samples: missing key"],
    ),
    "steps with lhs": (
        'sampling = "grid"',
        'sampling = "lhs"\nn_samples = 8',
        ['parameters."toy.rate_hz".steps', "only used with"],
    ),
    "unknown sweep key": ("seeds = [1, 2]", "sedes = [1, 2]", ["sweep.sedes", "unknown key"]),
    "unknown parameter key": ("steps = 3", "stepz = 3", ['"toy.rate_hz".stepz', "'steps'"]),
    "seeds and replicates": ("seeds = [1, 2]", "seeds = [1]\nreplicates = 2", ["sweep.replicates"]),
    "unknown model": ('model = "toy"', 'model = "tooy"', ["sweep.model", "did you mean 'toy'"]),
    "unknown profile": (
        'model = "toy"',
        'model = "toy"\nprofile = "tor1a_kk"',
        ["sweep.profile", "did you mean 'tor1a_ko'"],
    ),
    "range for a bool": (
        '[parameters."toy.n_cells"]\nvalues = [5, 10]',
        '[parameters."toy.fail"]\nlow = 0\nhigh = 1',
        ['parameters."toy.fail"', "give 'values'"],
    ),
    "bad str choice": (
        '[parameters."toy.n_cells"]\nvalues = [5, 10]',
        '[parameters."toy.train"]\nvalues = ["poison"]',
        ['parameters."toy.train".values', "did you mean 'poisson'"],
    ),
    "values and range": (
        "values = [5, 10]",
        "values = [5, 10]\nlow = 1",
        ['parameters."toy.n_cells".low', "not both"],
    ),
    "log with low 0": (
        "low = 10.0",
        "low = 0.0\nlog = true",
        ['parameters."toy.rate_hz".log', "low > 0"],
    ),
    "low above high": ("low = 10.0", "low = 50.0", ['parameters."toy.rate_hz"', "must be <"]),
    "seed negative": ("seeds = [1, 2]", "seeds = [-1]", ["sweep.seeds", ">= 0"]),
    "sensitivity without sobol": (
        'sampling = "grid"',
        'sampling = "grid"\nsensitivity = true',
        ["sweep.sensitivity", "sobol"],
    ),
    "morris one trajectory": (
        'sampling = "grid"',
        'sampling = "morris"\ntrajectories = 1',
        ["sweep.trajectories", ">= 2"],
    ),
    "morris float trajectories": (
        'sampling = "grid"',
        'sampling = "morris"\ntrajectories = 4.0',
        ["sweep.trajectories", "expected an integer"],
    ),
    "morris odd levels": (
        'sampling = "grid"',
        'sampling = "morris"\nlevels = 5',
        ["sweep.levels", "even", "4 or 6"],
    ),
    "morris with n_samples": (
        'sampling = "grid"',
        'sampling = "morris"\nn_samples = 8',
        ["sweep.n_samples", "morris", "sweep.trajectories"],
    ),
    "trajectories without morris": (
        'sampling = "grid"',
        'sampling = "grid"\ntrajectories = 4',
        ["sweep.trajectories", 'only used with sampling = "morris"'],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_validation_errors_name_the_key(tmp_path, case):
    old, new, fragments = CASES[case]
    assert old in BASE
    path = _write(tmp_path, BASE.replace(old, new, 1))
    with pytest.raises(ParameterError) as info:
        load_spec(path)
    msg = str(info.value)
    assert "\n" not in msg
    assert str(path) in msg
    for fragment in fragments:
        assert fragment in msg, (fragment, msg)


def test_unknown_parameter_suggests_closest_python_form():
    spec = SweepSpec(name="x", model="toy", parameters={"toy.wieght": [1.0]})
    with pytest.raises(SweepSpecError, match=r"did you mean 'toy\.weight'"):
        validate_spec(spec)


def test_invalid_toml_reports_path_line_and_column(tmp_path):
    path = _write(tmp_path, BASE.replace("steps = 3", "steps = = 3"))
    with pytest.raises(SweepSpecError) as info:
        load_spec(path)
    msg = str(info.value)
    assert str(path) in msg and "line 11, column 9" in msg and "column" in msg


def test_missing_file(tmp_path):
    with pytest.raises(SweepSpecError, match="cannot read sweep spec .*nope.toml"):
        load_spec(tmp_path / "nope.toml")


def test_missing_sweep_table():
    with pytest.raises(SweepSpecError, match=r"missing table \[sweep\]"):
        spec_from_dict({"parameters": {}})


def test_base_path_must_exist_and_is_relative_to_spec(tmp_path):
    path = _write(tmp_path, BASE.replace('model = "toy"', 'model = "toy"\nbase = "adult.toml"'))
    with pytest.raises(SweepSpecError, match="sweep.base: no such file"):
        load_spec(path)
    (tmp_path / "adult.toml").write_text("x = 1\n")
    spec = load_spec(path)
    h1 = spec_hash(spec)
    (tmp_path / "adult.toml").write_text("x = 2\n")
    assert spec_hash(spec) != h1  # the base file's contents are part of the spec


def test_cli_spec_error_exits_2_before_running(tmp_path, capsys):
    path = _write(tmp_path, BASE.replace('"toy.rate_hz"]', '"toy.rate_hzz"]'))
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("cordsim: error:") and "did you mean 'toy.rate_hz'" in err
    assert not out.exists()


MORRIS = """\
[sweep]
name = "m"
model = "toy"
protocols = ["rest"]
sampling = "morris"

[parameters."toy.rate_hz"]
low = 10.0
high = 40.0

[parameters."toy.n_cells"]
values = [5]
"""


def test_morris_defaults_and_round_trip(tmp_path):
    spec = load_spec(_write(tmp_path, MORRIS))
    assert (spec.trajectories, spec.levels, spec.n_samples) == (10, 4, None)
    again = spec_from_dict(spec.to_dict())
    assert spec_hash(validate_spec(again)) == spec_hash(spec)
    assert again.trajectories == 10 and again.levels == 4
    other = load_spec(_write(tmp_path, MORRIS.replace('"morris"', '"morris"\ntrajectories = 3')))
    assert spec_hash(other) != spec_hash(spec)


def test_morris_refuses_a_categorical_parameter(tmp_path):
    path = _write(tmp_path, MORRIS.replace("values = [5]", "values = [5, 10]"))
    with pytest.raises(ParameterError) as info:
        load_spec(path)
    msg = str(info.value)
    assert 'parameters."toy.n_cells".values' in msg and "categorical" in msg
    assert "\n" not in msg
