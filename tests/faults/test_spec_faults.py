"""Specs that used to build another model silently, or die late: now one clear error.

A typo in a connection or population name, an empty table, a new rule
without its ends, a spec too big for the machine's memory, a reflex train
with nothing left to measure: each is refused by the real ``cordsim``
entry point with one line and :data:`~cordsim.cli.EXIT_BAD_INPUT`, before
anything is built or any folder is created.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import cordsim.models.resources as resources
from cordsim.cli import EXIT_BAD_INPUT, main
from cordsim.errors import ParameterError, ResourceError
from cordsim.models.circuit import CircuitSpec, circuit_spec
from cordsim.models.protocols import make_protocol


def _one_line_error(capsys: pytest.CaptureFixture[str], *needles: str) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("cordsim: error: "), err
    for needle in needles:
        assert needle in err, err
    return err


@pytest.mark.parametrize(
    ("table", "needles"),
    [
        ("[connections.ia_to_nm]\nweight_scale = 0.5\n", ("ia_to_nm", "did you mean 'ia_to_mn'")),
        ("[connections.foo]\n", ("unknown connection entry 'foo'", "new = true")),
        ("[populations.mn_flexr]\nn_cells = 3\n", ("did you mean 'mn_flexor'",)),
        ("[afferents.flexr]\nrest_rate_hz = 3.0\n", ("did you mean 'flexor'",)),
        (
            '[connections.ii_to_mn]\nnew = true\nsource = "ia"\n',
            ("new rule connections.ii_to_mn must give target",),
        ),
        (
            '[connections.ia_to_mn]\nnew = true\nsource = "ia"\ntarget = "mn"\n',
            ("connections.ia_to_mn already exists",),
        ),
        ("[connections.ia_to_mn]\nnew = 1\n", ("connections.ia_to_mn.new must be true or false",)),
        ("[interneurons.flexor]\nn_foo = 3\n", ("unknown size alias",)),
    ],
)
def test_run_refuses_unknown_or_incomplete_entries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, needles: tuple[str, ...]
) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text('age = "adult"\n' + table)
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out)]) == EXIT_BAD_INPUT
    _one_line_error(capsys, *needles)
    assert not out.exists()


def test_sweep_base_with_a_typo_is_refused_before_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = tmp_path / "base.toml"
    base.write_text("[connections.ia_to_nm]\nweight_scale = 0.5\n")
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(
        f"""[sweep]
name = "typo"
model = "circuit"
base = "{base}"
protocols = ["rest"]
seeds = [1]
sampling = "grid"

[parameters."connections.ia_to_mn.weight_scale"]
values = [1.0]
"""
    )
    out = tmp_path / "out"
    assert main(["sweep", str(sweep), "--out", str(out)]) == EXIT_BAD_INPUT
    _one_line_error(capsys, "did you mean 'ia_to_mn'")
    assert not out.exists()


def test_new_entries_round_trip_with_their_flag(tmp_path: Path) -> None:
    spec = CircuitSpec.from_dict(
        {
            "populations": {
                "exin_flexor": {
                    "new": True,
                    "kind": "interneuron",
                    "role": "exin",
                    "muscle": "flexor",
                    "n_cells": 3,
                }
            },
            "connections": {
                "ia_to_exin": {"new": True, "source": "ia", "target": "exin"},
                "ia_to_mn": {"weight_scale": 0.5},
            },
        }
    )
    data = spec.to_dict()
    assert data["connections"]["ia_to_exin"]["new"] is True
    assert data["populations"]["exin_flexor"]["new"] is True
    assert "new" not in data["connections"]["ia_to_mn"]
    assert spec.connections["ia_to_mn"].weight_scale == 0.5
    assert len(spec.connections) == len(circuit_spec().connections) + 1
    assert CircuitSpec.from_toml(spec.to_toml(tmp_path / "round.toml")) == spec


def test_memory_estimate_refuses_a_huge_spec_before_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(resources, "available_memory_bytes", lambda: 8 * 2**30)
    out = tmp_path / "out"
    rc = main(["run", "--param", "pools.flexor.n_cells=100000", "--out", str(out)])
    assert rc == EXIT_BAD_INPUT
    _one_line_error(capsys, "not enough memory", "100,060 cells", "8.0 GiB available")
    assert not out.exists()


def test_network_build_checks_memory_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from cordsim.models import network

    monkeypatch.setattr(resources, "available_memory_bytes", lambda: 64 * 2**20)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("nothing may be built")

    monkeypatch.setattr(network, "_make_cells", never)
    with pytest.raises(ResourceError, match="not enough memory"):
        network.build(circuit_spec(), seed=1)


def test_sweep_memory_check_counts_its_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    one = resources.estimate_resources(circuit_spec("adult", pools__flexor__n_cells=2000))
    # room for one such simulation, not for two at once
    monkeypatch.setattr(resources, "available_memory_bytes", lambda: int(one.bytes * 1.5))
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(
        """[sweep]
name = "big"
model = "circuit"
protocols = ["rest"]
seeds = [1, 2]
sampling = "grid"

[parameters."pools.flexor.n_cells"]
values = [2000]
"""
    )
    out = tmp_path / "out"
    rc = main(["sweep", str(sweep), "--out", str(out), "-j", "2", "--no-progress"])
    assert rc == EXIT_BAD_INPUT
    _one_line_error(capsys, "not enough memory", "x 2 simulations at once", "fewer workers")
    assert not (out / "spec.toml").exists()  # the folder is not bound to the refused spec


def test_reflex_with_nothing_left_to_measure_is_refused() -> None:
    with pytest.raises(ParameterError, match="n_discard = 5 leaves no pulse"):
        make_protocol("reflex", n_pulses=5, n_discard=5)
    assert make_protocol("reflex", n_pulses=5, n_discard=4).n_discard == 4
