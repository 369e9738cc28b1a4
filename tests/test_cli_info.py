"""``cordsim info``: versions, compiler, mechanism cache state and CoreNEURON, compiling nothing."""

import json

import pytest

from cordsim import __version__
from cordsim.cli import main
from cordsim.errors import MechanismError
from cordsim.mechanisms import _build, default_coreneuron, mechanisms_hash

KEYS = (
    "cordsim",
    "python",
    "neuron",
    "numpy",
    "nrnivmodl",
    "cxx_compiler",
    "make",
    "mechanism_cache",
    "mechanism_library",
    "coreneuron",
    "engine_auto",
)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty mechanism cache; compiling anything fails the test."""

    def fail(*args, **kwargs):
        raise AssertionError("cordsim info compiled something")

    monkeypatch.setenv("CORDSIM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(_build, "_build", fail)
    monkeypatch.setattr(_build, "_run_nrnivmodl", fail)
    return tmp_path / "cache"


def _lines(capsys, *argv):
    assert main(["info", *argv]) == 0
    out = capsys.readouterr().out
    return dict(line.split(": ", 1) for line in out.splitlines())


def test_text_has_one_key_value_line_each(cache, capsys):
    info = _lines(capsys)
    assert list(info)[:3] == ["cordsim", "python", "platform"]
    for key in KEYS:
        assert key in info, key
    assert info["cordsim"] == __version__
    assert info["mechanism_cache"].startswith(str(cache / "mechanisms"))
    assert "$CORDSIM_CACHE_DIR" in info["mechanism_cache"]
    assert info["mechanism_library"].startswith("not compiled")
    assert "cordsim compile" in info["mechanism_library"]
    assert info["coreneuron"] in ("yes", "no")
    assert info["engine_auto"] == ("coreneuron" if info["coreneuron"] == "yes" else "neuron")
    assert not cache.exists()  # nothing created, nothing compiled


def test_json_is_the_same_report(cache, capsys):
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert set(KEYS) <= set(info)
    assert info["mechanism_library"] is None
    assert isinstance(info["coreneuron"], bool)


def test_a_cached_build_of_the_current_mod_files_is_found(cache, capsys):
    coreneuron = default_coreneuron()
    arch = cache / "mechanisms" / mechanisms_hash(coreneuron=coreneuron) / "x86_64"
    arch.mkdir(parents=True)
    (arch / "libnrnmech.so").write_bytes(b"")
    if coreneuron:
        (arch / "libcorenrnmech.so").write_bytes(b"")
    info = _lines(capsys)
    assert info["mechanism_library"] == str(arch / "libnrnmech.so")
    assert info["mechanism_build"] == ("coreneuron" if coreneuron else "plain")


def test_missing_tools_are_reported_not_raised(cache, capsys, monkeypatch):
    def missing():
        raise MechanismError("nrnivmodl was not found")

    monkeypatch.setattr("cordsim.mechanisms.find_nrnivmodl", missing)
    monkeypatch.setattr(_build, "find_nrnivmodl", missing)  # coreneuron_supported's
    monkeypatch.delenv("CXX", raising=False)
    monkeypatch.setenv("PATH", "")
    info = _lines(capsys)
    assert info["nrnivmodl"].startswith("not found")
    assert info["cxx_compiler"].startswith("not found")
    assert info["make"].startswith("not found")
    assert info["coreneuron"] == "no" and info["engine_auto"] == "neuron"
