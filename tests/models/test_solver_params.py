"""SolverParams: the spec's one validated place for solver settings (no NEURON)."""

from __future__ import annotations

import pytest

from cordsim.errors import ParameterError
from cordsim.models.circuit import CircuitSpec, circuit_spec
from cordsim.models.solver_params import DEFAULT_DT_MS, SolverParams


def test_defaults_are_the_reference_settings() -> None:
    solver = SolverParams()
    assert (solver.dt_ms, solver.secondorder, solver.engine, solver.threads) == (
        DEFAULT_DT_MS,
        0,
        "auto",
        1,
    )
    assert solver.label() == "dt 0.025 ms, secondorder 0, auto engine"
    for info in SolverParams.field_info().values():
        assert info["source"], "every default has a source"


def test_label_states_the_values_used() -> None:
    solver = SolverParams(dt_ms=0.05, secondorder=2, engine="coreneuron", threads=2)
    assert solver.label() == "dt 0.05 ms, secondorder 2, CoreNEURON, 2 threads"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"dt_ms": 0.0}, "dt_ms"),
        ({"dt_ms": "0.05 s"}, "dt_ms"),
        ({"secondorder": 3}, "secondorder"),
        ({"secondorder": 0.5}, "whole number"),
        ({"engine": "corenueron"}, "unknown solver engine 'corenueron'; did you mean"),
        ({"engine": True}, "must be a string"),
        ({"threads": 0}, "threads"),
        ({"thread": 2}, "did you mean 'threads'"),
    ],
)
def test_bad_settings_name_the_problem(changes, message) -> None:
    with pytest.raises(ParameterError, match=message):
        SolverParams().replace(**changes)


def test_units_are_converted() -> None:
    assert SolverParams().replace(dt_ms="5e-5 s").dt_ms == pytest.approx(0.05)


def test_spec_carries_the_solver_through_dotted_names_and_toml(tmp_path) -> None:
    spec = circuit_spec("juvenile", solver__engine="coreneuron", solver__dt_ms=0.05)
    assert spec.get("solver.engine") == "coreneuron"
    assert spec.to_dict()["solver"] == {
        "dt_ms": 0.05,
        "secondorder": 0,
        "engine": "coreneuron",
        "threads": 1,
    }
    again = CircuitSpec.from_toml(spec.to_toml(tmp_path / "spec.toml"))
    assert again.solver == spec.solver
    assert {"solver.dt_ms", "solver.secondorder", "solver.threads"} <= set(spec.parameter_names())
    with pytest.raises(ParameterError, match="solver.threads"):
        spec.with_values({"solver.threads": -1})


def test_a_spec_file_without_solver_gets_the_reference_settings() -> None:
    spec = CircuitSpec.from_dict({"age": "adult"})
    assert spec.solver == SolverParams()


@pytest.mark.parametrize(("supported", "engine"), [(True, "coreneuron"), (False, "neuron")])
def test_auto_resolves_to_coreneuron_where_installed(monkeypatch, supported, engine) -> None:
    import cordsim.mechanisms

    monkeypatch.setattr(cordsim.mechanisms, "coreneuron_supported", lambda: supported)
    resolved = SolverParams().resolved()
    assert resolved.engine == engine
    assert resolved.uses_coreneuron is supported
    assert resolved.resolved() is resolved  # nothing left to resolve
    explicit = SolverParams(engine="neuron")
    assert explicit.resolved() is explicit and not explicit.uses_coreneuron
