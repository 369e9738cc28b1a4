"""Loading compiled mechanisms into NEURON, once per process.

``_LOADED`` is the one piece of module state: a per-process memo of the
libraries this process has loaded (a loaded library cannot be unloaded, so the
memo mirrors a fact about the process, not a setting).
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from pathlib import Path
from typing import NamedTuple

from cordsim.errors import MechanismError

from ._build import compile_mechanisms, corenrn_library, default_coreneuron, hash_sources
from ._nmodl import names_from_sources, read_sources, resolve_directory

logger = logging.getLogger("cordsim.mechanisms")

#: Returned by :func:`load` when every mechanism of the folder already existed
#: in NEURON before cordsim loaded anything (typically a ``<arch>/libnrnmech``
#: that NEURON auto-loads from the working directory at ``import neuron``).
PRELOADED = Path("<preloaded>")


class _Loaded(NamedTuple):
    """What one :func:`load` did: the library path and the names it provides."""

    library: Path
    names: frozenset[str]


#: Per-process memo: mechanisms hash -> what was loaded for it. Written only
#: under ``_LOCK``; never cleared (NEURON cannot unload a library).
_LOADED: dict[str, _Loaded] = {}
#: Fast path for the shipped mechanisms (``load()`` with no folder), keyed by
#: ``coreneuron``: cell constructors call :func:`load` once per cell, and
#: re-reading and hashing the .mod files each time cost ~1 ms per call.
_SHIPPED: dict[bool, Path] = {}
_LOCK = threading.Lock()


def load(
    directory: str | Path | None = None,
    *,
    cache_dir: str | Path | None = None,
    coreneuron: bool | None = None,
) -> Path:
    """Compile (if not cached) and load a folder's mechanisms into NEURON.

    Parameters
    ----------
    directory : str or pathlib.Path or None, optional
        Folder of .mod files; None (default) means the shipped mechanisms.
    cache_dir : str or pathlib.Path or None, optional
        Cache root to use instead of ``cache_root()``.
    coreneuron : bool or None, optional
        Load the ``nrnivmodl -coreneuron`` build (which serves NEURON runs as
        well: once it is loaded, ``load(coreneuron=False)`` returns it), and
        point NEURON at its ``libcorenrnmech`` by setting the ``CORENEURONLIB``
        environment variable of this process (unless it is already set), so
        that ``neuron.coreneuron.enable = True`` runs with these mechanisms.
        None (default): the default build, which for the shipped mechanisms
        is the -coreneuron one wherever this NEURON supports CoreNEURON
        (:func:`~cordsim.mechanisms._build.default_coreneuron`).

    Returns
    -------
    pathlib.Path
        The loaded library (``.../<arch>/libnrnmech.so``), or :data:`PRELOADED`
        if every mechanism the .mod files declare was already defined in NEURON
        (e.g. auto-loaded from ``./x86_64`` after a hand-run ``nrnivmodl``): then
        nothing is loaded, since NEURON refuses a second definition.

    Raises
    ------
    MechanismError
        If compiling or loading fails, or if only some of the declared names
        are already defined (a stale or foreign library is loaded), or if this
        process already loaded a different version of these mechanisms.

    Notes
    -----
    The work is done once per process and per set of .mod sources: later calls
    return the first call's result at once, from a per-process memo (for the
    shipped mechanisms without re-reading the .mod files). The load
    never depends on the working directory (absolute paths only), except that
    ``import neuron`` itself auto-loads ``./<arch>/libnrnmech`` if present.
    """
    shipped = directory is None and cache_dir is None
    if shipped and _SHIPPED and not coreneuron:
        # the -coreneuron build runs under NEURON as well
        return _SHIPPED.get(True) or _SHIPPED[False]
    if shipped and coreneuron and True in _SHIPPED:
        return _SHIPPED[True]
    if shipped and coreneuron and False in _SHIPPED:
        raise MechanismError(
            "this process loaded cordsim's mechanisms without CoreNEURON support "
            f"({_SHIPPED[False]}), and NEURON cannot replace loaded mechanisms: run "
            "CoreNEURON simulations in a new process (or load them with "
            "cordsim.mechanisms.load(coreneuron=True) before anything else)"
        )
    if coreneuron is None:
        coreneuron = default_coreneuron(directory)
    folder = resolve_directory(directory)
    sources = read_sources(folder)
    key = hash_sources(sources, coreneuron=coreneuron)
    with _LOCK:
        if key not in _LOADED:
            names = names_from_sources(sources)
            _LOADED[key] = _load_new(folder, names, cache_dir=cache_dir, coreneuron=coreneuron)
        if shipped:
            _SHIPPED[coreneuron] = _LOADED[key].library
        return _LOADED[key].library


def _load_new(
    folder: Path, names: dict[str, str], *, cache_dir: str | Path | None, coreneuron: bool
) -> _Loaded:
    """Load mechanisms not yet recorded in the memo (``_LOCK`` held)."""
    _check_not_reloaded(folder, names)
    present = set(names) & defined_mechanisms()
    if names and present == set(names):
        _warn_if_preloaded_stale(folder)
        logger.info("mechanisms of %s already defined in NEURON; not loading again", folder)
        return _Loaded(PRELOADED, frozenset(names))
    if present:
        raise MechanismError(_clash_message(folder, names, present))
    library = compile_mechanisms(folder, coreneuron=coreneuron, cache_dir=cache_dir)
    _load_library(library)
    missing = set(names) - defined_mechanisms()
    if missing:
        raise MechanismError(
            f"loaded {library} but NEURON still lacks {', '.join(sorted(missing))}"
        )
    if coreneuron:
        _point_coreneuron_at(library)
    return _Loaded(library, frozenset(names))


def defined_mechanisms() -> set[str]:
    """Return the names of every mechanism currently defined in NEURON.

    Returns
    -------
    set of str
        Density mechanisms (``h.MechanismType(0)``) and point processes,
        artificial cells included (``h.MechanismType(1)``). Imports ``neuron``.
    """
    from neuron import h

    names: set[str] = set()
    holder = h.ref("")
    for point in (0, 1):
        kind = h.MechanismType(point)
        for index in range(int(kind.count())):
            kind.select(index)
            kind.selected(holder)
            names.add(holder[0])
    return names


def _load_library(library: Path) -> None:
    """``nrn_load_dll`` one library; MechanismError if NEURON refuses it."""
    from neuron import h

    try:
        ok = h.nrn_load_dll(str(library))
    except RuntimeError as exc:
        raise MechanismError(f"NEURON could not load {library}: {exc}") from exc
    if not ok:
        raise MechanismError(f"NEURON could not load {library} (see NEURON's message above)")
    logger.info("loaded mechanisms from %s", library)


def _check_not_reloaded(folder: Path, names: dict[str, str]) -> None:
    """Refuse names that this process loaded earlier from other .mod sources."""
    for earlier in _LOADED.values():
        overlap = earlier.names & set(names)
        if overlap:
            raise MechanismError(
                f"the mechanisms in {str(folder)!r} ({', '.join(sorted(overlap))}) were "
                f"already loaded in this process from different .mod sources or build "
                f"({earlier.library}); NEURON cannot replace loaded mechanisms, so restart "
                "Python to use the changed ones"
            )


def _clash_message(folder: Path, names: dict[str, str], present: set[str]) -> str:
    """Explain a partial overlap between our names and NEURON's."""
    absent = sorted(set(names) - present)
    return (
        f"only some mechanisms of {str(folder)!r} are defined in NEURON "
        f"(present: {', '.join(sorted(present))}; missing: {', '.join(absent)}). "
        "Another, probably stale, mechanism library is already loaded, most often a "
        f"hand-compiled ./x86_64 (or ./arm64) that NEURON loads at `import neuron` from the "
        f"working directory ({os.getcwd()}). Remove that folder (or re-run nrnivmodl on "
        "the current .mod files there), or start Python in another folder."
    )


def _warn_if_preloaded_stale(folder: Path) -> None:
    """Warn if a library in the working directory is older than the .mod files."""
    newest_mod = max((p.stat().st_mtime for p in folder.glob("*.mod")), default=0.0)
    for library in Path.cwd().glob("*/libnrnmech.*"):
        if library.stat().st_mtime < newest_mod:
            warnings.warn(
                f"using mechanisms already loaded by NEURON, apparently from {library}, "
                f"which is older than the .mod files in {folder}; re-run nrnivmodl there "
                "or start Python in another folder",
                stacklevel=4,
            )


def _point_coreneuron_at(library: Path) -> None:
    """Set ``CORENEURONLIB`` to the ``libcorenrnmech`` beside ``library``."""
    core = corenrn_library(library)
    current = os.environ.get("CORENEURONLIB")
    if core is None or current == str(core):
        return
    if current:
        warnings.warn(
            f"CORENEURONLIB is already set to {current}; CoreNEURON will use it, not {core}",
            stacklevel=4,
        )
        return
    os.environ["CORENEURONLIB"] = str(core)
