"""cordsim.files: atomic writes leave the old file or the new one, never a half; TOML reading."""

import os

import pytest

from cordsim.files import (
    TMP_PREFIX,
    TOMLDecodeError,
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    atomic_write_with,
    loads_toml,
    read_toml,
)


def test_atomic_writes_replace_whole_files(tmp_path):
    path = tmp_path / "sub" / "a.txt"
    atomic_write_text(path, "one")
    atomic_write_bytes(path, b"two")
    assert path.read_bytes() == b"two"
    atomic_write_with(path, lambda tmp: open(tmp, "w").write("three"))
    assert path.read_text() == "three"
    assert os.listdir(path.parent) == ["a.txt"]


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        with open(tmp, "w") as fh:
            fh.write("half")
        raise RuntimeError("killed mid-write")
    assert path.read_text() == "old"
    assert not [n for n in os.listdir(tmp_path) if n.startswith(TMP_PREFIX)]


def test_toml(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text('x = 1\n[t]\ny = "z"\n')
    assert read_toml(path) == {"x": 1, "t": {"y": "z"}}
    assert loads_toml("a = 2.5") == {"a": 2.5}
    with pytest.raises(TOMLDecodeError):
        loads_toml("[broken")
