"""Finding .mod files and reading the mechanism names they declare.

Nothing here imports NEURON: these helpers only read text files.
"""

from __future__ import annotations

import re
from pathlib import Path

from cordsim.errors import MechanismError

#: The NEURON-block keywords that declare a mechanism name, i.e. the "kinds".
KINDS = ("SUFFIX", "POINT_PROCESS", "ARTIFICIAL_CELL")

_BLOCK_COMMENT = re.compile(r"^\s*COMMENT\b.*?^\s*ENDCOMMENT\b", re.DOTALL | re.MULTILINE)
_VERBATIM = re.compile(r"^\s*VERBATIM\b.*?^\s*ENDVERBATIM\b", re.DOTALL | re.MULTILINE)
_LINE_COMMENT = re.compile(r"[:?][^\n]*")
_DECLARATION = re.compile(r"\b(SUFFIX|POINT_PROCESS|ARTIFICIAL_CELL)\s+([A-Za-z_][A-Za-z0-9_]*)")
#: ``SUFFIX nothing`` declares a function library, not a mechanism.
_NO_MECHANISM = "nothing"


def mod_dir() -> Path:
    """Return the folder holding the .mod files shipped with cordsim.

    Returns
    -------
    pathlib.Path
        Absolute path of the ``cordsim.mechanisms`` package folder, found from
        this package's own ``__file__`` (never the working directory), so it is
        right for both ``pip install .`` and ``pip install -e .``.
    """
    return Path(__file__).resolve().parent


def resolve_directory(directory: str | Path | None) -> Path:
    """Return ``directory`` as an absolute path, or :func:`mod_dir` if None.

    Parameters
    ----------
    directory : str or pathlib.Path or None
        A folder of .mod files; None means the shipped mechanisms.

    Returns
    -------
    pathlib.Path
        The absolute folder.

    Raises
    ------
    MechanismError
        If the folder does not exist.
    """
    path = mod_dir() if directory is None else Path(directory).expanduser().resolve()
    if not path.is_dir():
        raise MechanismError(f"mechanism folder {str(path)!r} does not exist or is not a folder")
    return path


def mod_files(directory: str | Path | None = None) -> list[Path]:
    """List the .mod files of a folder, sorted by name.

    Parameters
    ----------
    directory : str or pathlib.Path or None, optional
        Folder to list; None (default) means :func:`mod_dir`.

    Returns
    -------
    list of pathlib.Path
        Absolute paths of the ``*.mod`` files directly in the folder (not in
        sub-folders), sorted by file name; empty if there are none.

    Raises
    ------
    MechanismError
        If the folder does not exist.
    """
    folder = resolve_directory(directory)
    return sorted((p for p in folder.glob("*.mod") if p.is_file()), key=lambda p: p.name)


def read_sources(directory: str | Path | None = None) -> dict[str, bytes]:
    """Read every .mod file of a folder.

    Parameters
    ----------
    directory : str or pathlib.Path or None, optional
        Folder of .mod files; None means :func:`mod_dir`.

    Returns
    -------
    dict of str to bytes
        File name -> file content, in sorted name order. Reading once and
        using these bytes for both the hash and the build keeps the two
        consistent even if a file is edited meanwhile.
    """
    return {path.name: path.read_bytes() for path in mod_files(directory)}


def declared_names(source: str) -> list[tuple[str, str]]:
    """Return the mechanism names declared in the text of one .mod file.

    Parameters
    ----------
    source : str
        NMODL source text.

    Returns
    -------
    list of (str, str)
        ``(name, kind)`` pairs in order of appearance, kind being one of
        ``"SUFFIX"``, ``"POINT_PROCESS"``, ``"ARTIFICIAL_CELL"``. Comments
        (``:``, ``?``, ``COMMENT ... ENDCOMMENT``) and VERBATIM blocks are
        ignored, and so is ``SUFFIX nothing``.
    """
    text = _BLOCK_COMMENT.sub(" ", source)
    text = _VERBATIM.sub(" ", text)
    text = _LINE_COMMENT.sub(" ", text)
    return [(name, kind) for kind, name in _DECLARATION.findall(text) if name != _NO_MECHANISM]


def names_from_sources(sources: dict[str, bytes]) -> dict[str, str]:
    """Collect the declared mechanism names of several .mod files.

    Parameters
    ----------
    sources : dict of str to bytes
        File name -> content, as returned by :func:`read_sources`.

    Returns
    -------
    dict of str to str
        Mechanism name -> kind, in file-name order.

    Raises
    ------
    MechanismError
        If two files declare the same name (NEURON would refuse to load them).
    """
    names: dict[str, str] = {}
    origin: dict[str, str] = {}
    for file_name, content in sources.items():
        for name, kind in declared_names(content.decode("latin-1")):
            if name in names:
                raise MechanismError(
                    f"mechanism name {name!r} is declared in both {origin[name]} and "
                    f"{file_name}; every SUFFIX/POINT_PROCESS/ARTIFICIAL_CELL name must be unique"
                )
            names[name] = kind
            origin[name] = file_name
    return names


def mechanism_names(directory: str | Path | None = None) -> dict[str, str]:
    """Parse the mechanism names declared by the .mod files of a folder.

    Parameters
    ----------
    directory : str or pathlib.Path or None, optional
        Folder of .mod files; None (default) means :func:`mod_dir`.

    Returns
    -------
    dict of str to str
        Mechanism name -> kind, the kind being ``"SUFFIX"`` (density
        mechanism), ``"POINT_PROCESS"`` or ``"ARTIFICIAL_CELL"``; ordered by
        file name. Empty if the folder has no .mod files.

    Raises
    ------
    MechanismError
        If the folder does not exist or two files declare the same name.
    """
    return names_from_sources(read_sources(directory))
