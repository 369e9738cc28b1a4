"""Small file helpers shared by every layer: atomic writes and TOML reading.

Nothing here imports the rest of cordsim (only :mod:`cordsim.errors`), so
``mechanisms``, ``models``, ``analysis`` and ``sweeps`` can all use it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from cordsim.errors import ParameterError

__all__ = [
    "TMP_PREFIX",
    "TOMLDecodeError",
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_write_with",
    "current_umask",
    "loads_toml",
    "read_toml",
]

#: Prefix of the temporary files an atomic write leaves only while it runs.
TMP_PREFIX = ".tmp-"

#: The error :func:`read_toml` and :func:`loads_toml` raise on malformed TOML.
TOMLDecodeError = tomllib.TOMLDecodeError


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_path(
    path: str | os.PathLike[str], *, sync_dir: bool = False, fsync: bool = True
) -> Iterator[str]:
    """Yield a temporary path beside ``path``; on success move it onto ``path``.

    The caller writes the whole file to the yielded path. It is then fsync'ed
    and ``os.replace``'d onto ``path``, so a reader (or a killed process)
    only ever sees the old file or the complete new one. The file gets the
    mode a plain ``open()`` would give it (``0o666`` less the umask), so that a
    lab group can share a results folder. On an exception the
    temporary file is removed and ``path`` is left as it was. ``sync_dir``
    also fsyncs the folder, making the rename durable against power loss;
    ``fsync=False`` skips the file's fsync (still atomic against a killed
    process, durable only once the caller syncs: sweeps batch that).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX + path.name + ".", dir=path.parent)
    try:  # mkstemp makes the file private (0600); results are the user's to share
        if hasattr(os, "fchmod"):  # not on Windows before Python 3.13
            os.fchmod(fd, 0o666 & ~current_umask())
    finally:
        os.close(fd)
    try:
        yield tmp
        if fsync:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if sync_dir:
        _fsync_dir(path.parent)


def atomic_write_bytes(
    path: str | os.PathLike[str], data: bytes, *, sync_dir: bool = True, fsync: bool = True
) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`)."""
    with atomic_path(path, sync_dir=sync_dir, fsync=fsync) as tmp, open(tmp, "wb") as fh:
        fh.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, *, sync_dir: bool = False) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically (see :func:`atomic_path`)."""
    atomic_write_bytes(path, text.encode("utf-8"), sync_dir=sync_dir)


def atomic_write_with(
    path: str | os.PathLike[str], write: Callable[[str], Any], *, sync_dir: bool = False
) -> None:
    """Call ``write(tmp_path)`` and move the file it wrote onto ``path`` atomically."""
    with atomic_path(path, sync_dir=sync_dir) as tmp:
        write(tmp)


def loads_toml(text: str) -> dict[str, Any]:
    """Parse TOML text (``tomllib`` on Python >= 3.11, ``tomli`` before)."""
    return tomllib.loads(text)


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and parse a TOML file.

    Raises
    ------
    OSError
        The file cannot be read.
    TOMLDecodeError
        It is not valid TOML.
    cordsim.errors.ParameterError
        It is not UTF-8 text (e.g. a binary file given by mistake).
    """
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParameterError(
            f"{path}: not a UTF-8 TOML text file (undecodable byte at offset {exc.start})"
        ) from None
    return tomllib.loads(text)


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask (read by setting and restoring it, under a lock)."""
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask
