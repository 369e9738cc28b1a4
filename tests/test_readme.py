"""The README's Python examples run as written, and its error messages are the real ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def _block(containing: str) -> str:
    found = [b for b in _python_blocks() if containing in b]
    assert len(found) == 1, f"expected one README python block with {containing!r}"
    return found[0]


def test_every_python_block_is_covered_here():
    markers = ("measure_cell(", ">>> ", "IaAfferent(", "load_sweep(", "from cordsim import")
    for block in _python_blocks():
        assert any(m in block for m in markers), f"README block not tested:\n{block}"


def test_documented_parameter_errors_are_the_real_messages():
    from cordsim.errors import ParameterError
    from cordsim.models.cells import motor_neuron_params

    lines = _block(">>> ").strip().splitlines()
    pairs = list(zip(lines[::2], lines[1::2], strict=True))
    assert pairs
    for call, shown in pairs:
        assert call.startswith(">>> ") and shown.startswith("ParameterError: ")
        with pytest.raises(ParameterError) as err:
            eval(call[4:], {"motor_neuron_params": motor_neuron_params})
        assert str(err.value) == shown.removeprefix("ParameterError: ")


def test_measure_cell_example_runs(mechanisms, capsys):
    exec(_block("measure_cell("), {})
    printed = capsys.readouterr().out
    assert "rin_mohm" in printed and "sag_ratio" in printed


def test_afferent_example_runs(mechanisms):
    namespace: dict = {}
    exec(_block("IaAfferent("), namespace)
    assert namespace["fibre"].cell.train_number == 5


def test_load_sweep_example_runs(tmp_path, monkeypatch):
    from cordsim.sweeps.engine import run_sweep
    from cordsim.sweeps.spec import SweepSpec, validate_spec

    spec = validate_spec(
        SweepSpec(name="readme", model="toy", protocols=["reflex"], seeds=[1],
                  parameters={"toy.rate_hz": [10.0, 20.0]})
    )  # fmt: skip
    monkeypatch.chdir(tmp_path)
    run_sweep(spec, Path("results/small"), n_jobs=1, progress=False)
    namespace: dict = {}
    exec(_block("load_sweep("), namespace)
    assert len(namespace["df"]) == 2
    assert list(namespace["spikes"].columns)[:2] == ["time_ms", "gid"]


def test_flat_api_example_runs():
    exec(_block("from cordsim import"), {})


def _toml_blocks() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", README.read_text(), re.S)


def test_toml_examples_are_valid_circuit_specs():
    from cordsim.files import loads_toml
    from cordsim.models.circuit import CircuitSpec

    specs = [CircuitSpec.from_dict(loads_toml(block)) for block in _toml_blocks()]
    assert specs and specs[0].get("pools.flexor.n_cells") == 30
    extra = [s for s in specs if "exin_flexor" in s.populations]
    assert len(extra) == 1
    assert list(extra[0].rule_pairs(extra[0].connections["exin_to_mn"])) == [
        ("exin_flexor", "mn_flexor")
    ]


def test_exit_code_table_is_the_cli_s():
    from cordsim.cli import EXIT_CODES

    text = README.read_text()
    table = text[text.index("Exit codes of `cordsim`") :].split("\n\n")[1]
    codes = {int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)}
    assert codes == set(EXIT_CODES)


def test_resource_estimate_quoted_is_the_default_circuit_s():
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.resources import estimate_resources

    quoted = " ".join(README.read_text().split())
    spec = circuit_spec("adult", solver__engine="coreneuron")  # as the README says
    assert " ".join(str(estimate_resources(spec)).split()) in quoted
