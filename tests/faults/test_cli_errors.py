"""Bad options, files and folders: one line on stderr, a documented exit code, no work lost.

Each case runs the real ``cordsim`` entry point (``cordsim.cli.main``) and checks
that stderr is one line starting with ``cordsim: error:``, the exit code is
:data:`~cordsim.cli.EXIT_BAD_INPUT`, and nothing was simulated or created.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cordsim.cli import EXIT_BAD_INPUT, main

TOY_SPEC = """\
[sweep]
name = "toy"
model = "toy"
protocols = ["rest"]
seeds = [1]
sampling = "grid"

[parameters."toy.rate_hz"]
values = [5.0, 10.0]
"""


def _one_line_error(capsys, *needles: str) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("cordsim: error: "), err
    for needle in needles:
        assert needle in err, err
    return err


def _unwritable(tmp_path: Path) -> Path:
    """A folder no file can be created in (permissions, or a read-only file system as root)."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        return locked / "out"
    if not Path("/sys").is_dir():  # pragma: no cover
        pytest.skip("no unwritable place for root on this machine")
    return Path("/sys/cordsim-test-out")


@pytest.fixture
def toy_spec(tmp_path) -> Path:
    path = tmp_path / "toy.toml"
    path.write_text(TOY_SPEC)
    return path


def test_sweep_out_is_a_file(tmp_path, toy_spec, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["sweep", str(toy_spec), "--out", str(target)]) == EXIT_BAD_INPUT
    _one_line_error(capsys, "not a folder")


def test_sweep_out_unwritable(tmp_path, toy_spec, capsys):
    out = _unwritable(tmp_path)
    assert main(["sweep", str(toy_spec), "--out", str(out)]) == EXIT_BAD_INPUT
    _one_line_error(capsys, "cannot write there")


def test_sweep_without_out(toy_spec, capsys):
    assert main(["sweep", str(toy_spec)]) == EXIT_BAD_INPUT
    _one_line_error(capsys, "no output folder")


@pytest.mark.parametrize("option", [["-j", "0"], ["-j", "-3"], ["--dask-local", "0"]])
def test_sweep_bad_worker_counts_before_the_folder(tmp_path, toy_spec, capsys, option):
    out = tmp_path / "out"
    t0 = time.monotonic()
    assert main(["sweep", str(toy_spec), "--out", str(out), *option]) == EXIT_BAD_INPUT
    assert time.monotonic() - t0 < 10
    _one_line_error(capsys, ">= 1")
    assert not out.exists()


def test_sweep_unreachable_scheduler(tmp_path, toy_spec, capsys):
    out = tmp_path / "out"
    t0 = time.monotonic()
    rc = main(["sweep", str(toy_spec), "--out", str(out), "--scheduler", "tcp://127.0.0.1:9"])
    assert rc == EXIT_BAD_INPUT
    assert time.monotonic() - t0 < 40
    _one_line_error(capsys, "cannot reach the Dask scheduler")
    assert not (out / "manifest.json").exists()


def test_run_binary_spec(tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_bytes(bytes(range(256)) * 4)
    assert main(["run", str(spec), "--out", str(tmp_path / "o")]) == EXIT_BAD_INPUT
    _one_line_error(capsys, "spec.toml")


def test_run_missing_spec(tmp_path, capsys):
    missing = tmp_path / "nope.toml"
    assert main(["run", str(missing), "--out", str(tmp_path / "o")]) == EXIT_BAD_INPUT
    _one_line_error(capsys, "nope.toml")


def test_run_checks_out_before_simulating(tmp_path, capsys, monkeypatch):
    from cordsim.models import simulation

    def never(*args, **kwargs):  # pragma: no cover - the point of the test
        raise AssertionError("simulated although --out is unusable")

    monkeypatch.setattr(simulation, "simulate", never)
    out = _unwritable(tmp_path)
    assert main(["run", "--out", str(out)]) == EXIT_BAD_INPUT
    _one_line_error(capsys, "cannot write there")
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["run", "--out", str(target)]) == EXIT_BAD_INPUT
    _one_line_error(capsys, "not a folder")


def test_internal_errors_are_one_line_with_a_hint(monkeypatch, capsys):
    from cordsim import cli
    from cordsim.sweeps import examples_index

    def broken():
        raise KeyError("boom")

    monkeypatch.setattr(examples_index, "example_specs", broken)
    assert main(["examples"]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "CORDSIM_DEBUG=1" in err and "KeyError" in err
    monkeypatch.setenv("CORDSIM_DEBUG", "1")
    with pytest.raises(KeyError):
        main(["examples"])
