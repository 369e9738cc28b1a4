"""cordsim.files: atomic writes leave the old file or the new one, never a half; TOML reading."""

import os
import stat

import pytest

from cordsim.errors import ParameterError
from cordsim.files import (
    TMP_PREFIX,
    TOMLDecodeError,
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    atomic_write_with,
    current_umask,
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


def test_read_toml_syntax_error_stays_a_toml_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[broken\n")
    with pytest.raises(TOMLDecodeError):
        read_toml(path)


def test_read_toml_of_a_binary_file_is_a_parameter_error_naming_it(tmp_path):
    path = tmp_path / "image.toml"
    path.write_bytes(b"x = 1\n\xff\xfe\x00")
    with pytest.raises(ParameterError, match=r"image.toml: not a UTF-8 TOML text file") as info:
        read_toml(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("mask, mode", [(0o002, 0o664), (0o027, 0o640), (0o077, 0o600)])
def test_atomic_files_get_the_mode_open_would_give(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        assert current_umask() == mask
        atomic_write_text(tmp_path / "a.txt", "x")
        atomic_write_with(tmp_path / "b.bin", lambda tmp: open(tmp, "wb").write(b"y"))
    finally:
        os.umask(old)
    assert current_umask() == old  # read without changing it
    for name in ("a.txt", "b.bin"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode
