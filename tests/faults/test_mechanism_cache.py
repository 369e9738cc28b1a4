"""The mechanism cache under faults: read-only, unwritable, a clone that differs.

A shared, read-only cache that already holds a build must be used as it is
(no lock file is written); a cache cordsim cannot write to must give one line
naming the folder and ``$CORDSIM_CACHE_DIR``; the first compile says what it
does on stderr; ``cordsim compile`` says which source folder it compiled and
warns when the clone's ``mechanisms/`` differs from the installed copy.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import cordsim.mechanisms as mechanisms
from cordsim.cli import EXIT_BAD_INPUT, EXIT_OK, main
from cordsim.errors import MechanismError
from cordsim.mechanisms import _build

LEAK_MOD = """\
: cstinyleak2 -- a passive leak, only for cordsim's fault tests.
NEURON {
    SUFFIX cstinyleak2
    NONSPECIFIC_CURRENT i
    RANGE g, e
    THREADSAFE
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) (S) = (siemens) }
PARAMETER { g = 1e-4 (S/cm2)  e = -70 (mV) }
ASSIGNED { v (mV)  i (mA/cm2) }
BREAKPOINT { i = g*(v - e) }
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "cstinyleak2.mod").write_text(LEAK_MOD)
    return folder


def _unwritable_cache(tmp_path: Path) -> Path:
    """A cache root nobody can create folders in (a file's child, or /sys as root)."""
    if os.geteuid() == 0 and Path("/sys").is_dir():
        return Path("/sys/cordsim-test-cache")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    return blocker / "cache"


def test_read_only_cache_with_a_build_is_used_without_a_lock(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    library = mechanisms.compile_mechanisms(tiny, cache_dir=cache)

    class NoLock:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise PermissionError(13, "Permission denied", str(args[0]))

    monkeypatch.setattr(_build, "FileLock", NoLock)
    if os.geteuid() != 0:  # also really make it read-only where permissions bind
        for folder in [cache, *cache.rglob("*")]:
            if folder.is_dir():
                folder.chmod(0o555)
    try:
        assert mechanisms.compile_mechanisms(tiny, cache_dir=cache) == library
    finally:
        for folder in [cache, *cache.rglob("*")]:
            if folder.is_dir():
                folder.chmod(0o755)


def test_unwritable_cache_is_one_line_naming_folder_and_variable(
    tiny: Path, tmp_path: Path
) -> None:
    cache = _unwritable_cache(tmp_path)
    with pytest.raises(MechanismError) as info:
        mechanisms.compile_mechanisms(tiny, cache_dir=cache)
    message = str(info.value)
    assert "\n" not in message
    assert str(cache / "mechanisms") in message
    assert "$CORDSIM_CACHE_DIR" in message
    assert "not writable" in message


def test_compile_cli_with_unwritable_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CORDSIM_CACHE_DIR", str(_unwritable_cache(tmp_path)))
    assert main(["compile"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("cordsim: error: cannot compile the mechanisms"), err
    assert "$CORDSIM_CACHE_DIR" in err


def test_first_compile_says_so_on_stderr(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mechanisms.compile_mechanisms(tiny, cache_dir=tmp_path / "cache")
    err = capsys.readouterr().err
    assert "compiling 1 mechanisms from" in err
    assert "mechanisms compiled in" in err
    mechanisms.compile_mechanisms(tiny, cache_dir=tmp_path / "cache")
    assert capsys.readouterr().err == ""  # a cached build is silent


def test_ensure_compiled_returns_the_shipped_library() -> None:
    library = mechanisms.ensure_compiled()
    assert library.is_file()
    assert library == mechanisms.compile_mechanisms()


def test_compile_cli_names_its_source_and_warns_about_an_edited_clone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clone = tmp_path / "clone"
    shutil.copytree(
        mechanisms.mod_dir(),
        clone / "mechanisms",
        ignore=shutil.ignore_patterns("*.py", "__pycache__"),
    )
    monkeypatch.chdir(clone)
    assert main(["compile"]) == EXIT_OK
    captured = capsys.readouterr()
    assert str(mechanisms.mod_dir()) in captured.out
    assert "differs" not in captured.err  # an identical clone: nothing to say

    edited = sorted((clone / "mechanisms").glob("*.mod"))[0]
    edited.write_text(edited.read_text() + "\n: an edit\n")
    assert mechanisms.differs_from_shipped(clone / "mechanisms")
    assert main(["compile"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "differs from the installed copy" in err
    assert str(clone / "mechanisms") in err
