"""Output folders checked before any long work: a folder, creatable and writable.

``cordsim run`` and ``cordsim sweep`` call :func:`check_writable_folder` before
they build or simulate anything, so a typo'd or unwritable ``--out`` is a
one-line error, never a finished simulation lost at the last step.
"""

from __future__ import annotations

import os
from pathlib import Path

from cordsim.errors import ParameterError

__all__ = ["check_writable_folder"]

#: Name of the probe file written (and removed) to test a folder.
_PROBE = ".tmp-cordsim-probe-"


def check_writable_folder(folder: str | os.PathLike[str], *, what: str = "output") -> Path:
    """Create ``folder`` if needed and check that a file can be written in it.

    Parameters
    ----------
    folder : path
        The folder results will go to.
    what : str
        How the message names it (e.g. ``"--out"``).

    Returns
    -------
    pathlib.Path
        The folder (it exists afterwards).

    Raises
    ------
    ParameterError
        It is a file, or cannot be created or written; the message is one
        line with the reason (e.g. "permission denied", "read-only file system").
    """
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise ParameterError(f"{what} {path}: exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f"{_PROBE}{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ParameterError(f"{what} {path}: cannot write there ({reason})") from None
    return path
