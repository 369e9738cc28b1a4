"""Compiling .mod files with ``nrnivmodl`` into a content-keyed cache.

A build lives in ``<cache root>/mechanisms/<hash>/``, where the hash covers
the .mod files, the NEURON version and installation, and the CoreNEURON flag.
Builds are made in a temporary sibling folder and renamed into place while a
file lock is held, so a folder named ``<hash>`` is always a finished build and
concurrent first uses (several worker processes) compile only once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from filelock import FileLock

from cordsim.errors import MechanismError

from ._nmodl import read_sources, resolve_directory

logger = logging.getLogger("cordsim.mechanisms")

#: Bump when the layout of a cached build changes, to invalidate old caches.
_BUILD_FORMAT = "1"
#: Where the library sits inside a build folder, for the platforms nrnivmodl
#: supports (``<arch>`` is e.g. ``x86_64`` or ``arm64``; older NEURONs add ``.libs``).
_LIBRARY_PATTERNS = ("*/libnrnmech.so", "*/libnrnmech.dylib", "*/.libs/libnrnmech.so")
_CORENRN_NAMES = ("libcorenrnmech.so", "libcorenrnmech.dylib")
#: How much of nrnivmodl's output a failure message carries.
_TAIL_LINES = 60
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_LOG_NAME = "nrnivmodl.log"


def cache_root() -> Path:
    """Return the root folder of cordsim's on-disk cache.

    Returns
    -------
    pathlib.Path
        ``$CORDSIM_CACHE_DIR`` if that variable is set and non-empty;
        otherwise the per-user cache folder from ``platformdirs`` if that
        package is installed; otherwise ``$XDG_CACHE_HOME/cordsim`` or
        ``~/.cache/cordsim``. Absolute; not created here. Mechanism builds go
        in ``cache_root() / "mechanisms" / <hash>``.
    """
    configured = os.environ.get("CORDSIM_CACHE_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    try:
        import platformdirs
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return (Path(base).expanduser() / "cordsim").resolve()
    return Path(platformdirs.user_cache_path("cordsim")).resolve()


def _neuron_identity() -> str:
    """Return NEURON's version and installation folder as one string.

    The installation folder is part of the identity because ``libnrnmech``
    links to that installation's ``libnrniv`` (RUNPATH), so two environments
    with the same NEURON version still get separate builds.
    """
    import neuron

    return f"{neuron.__version__}|{Path(neuron.__file__).resolve().parent}"


def hash_sources(sources: dict[str, bytes], *, coreneuron: bool = False) -> str:
    """Return the cache key of a set of .mod sources.

    Parameters
    ----------
    sources : dict of str to bytes
        File name -> content.
    coreneuron : bool, optional
        Whether the build is made with ``nrnivmodl -coreneuron``.

    Returns
    -------
    str
        Hex sha256 digest (64 characters).
    """
    digest = hashlib.sha256()
    header = f"cordsim-mechanisms/{_BUILD_FORMAT}|{_neuron_identity()}|coreneuron={coreneuron}"
    digest.update(header.encode())
    for name in sorted(sources):
        content = sources[name]
        digest.update(f"\0{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def mechanisms_hash(directory: str | Path | None = None, *, coreneuron: bool = False) -> str:
    """Return the cache key of the .mod files of a folder.

    Parameters
    ----------
    directory : str or pathlib.Path or None, optional
        Folder of .mod files; None (default) means the shipped mechanisms.
    coreneuron : bool, optional
        Key of the ``nrnivmodl -coreneuron`` build instead of the plain one.

    Returns
    -------
    str
        Hex sha256 (64 characters) over the sorted (file name, bytes) pairs
        of the .mod files, ``neuron.__version__``, the NEURON installation
        folder and the CoreNEURON flag. It does not depend on where the
        folder is, only on what it holds. Imports ``neuron``.

    Raises
    ------
    MechanismError
        If the folder does not exist.
    """
    return hash_sources(read_sources(resolve_directory(directory)), coreneuron=coreneuron)


def coreneuron_supported() -> bool:
    """Whether this NEURON can build CoreNEURON mechanisms (ships ``nrnivmodl-core``).

    Returns
    -------
    bool
        True if ``nrnivmodl-core`` sits beside ``nrnivmodl`` or is on ``PATH``;
        False if not, or if ``nrnivmodl`` itself is missing.
    """
    try:
        beside = Path(find_nrnivmodl()).parent / "nrnivmodl-core"
    except MechanismError:
        return False
    return beside.exists() or shutil.which("nrnivmodl-core") is not None


def default_coreneuron(directory: str | Path | None = None) -> bool:
    """Whether the default build of a folder is made with ``nrnivmodl -coreneuron``.

    The shipped mechanisms (``directory`` None) are built for CoreNEURON
    wherever this NEURON supports it (:func:`coreneuron_supported`): that
    build runs under NEURON as well, and one process can then run both
    engines (NEURON cannot swap a loaded mechanism library). Other folders
    get the plain build unless asked.
    """
    return directory is None and coreneuron_supported()


def find_nrnivmodl() -> str:
    """Locate the ``nrnivmodl`` executable.

    Returns
    -------
    str
        Path of ``nrnivmodl``. The one next to ``sys.executable`` comes first
        (in a virtual environment that is not activated, pip's NEURON puts it
        there, and it matches the ``neuron`` this Python imports); then
        ``PATH``.

    Raises
    ------
    MechanismError
        If neither place has it.
    """
    beside_python = Path(sys.executable).parent / "nrnivmodl"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    on_path = shutil.which("nrnivmodl")
    if on_path:
        return on_path
    raise MechanismError(
        "nrnivmodl (NEURON's NMODL compiler) was not found on PATH nor next to the "
        f"Python interpreter ({Path(sys.executable).parent}). Install NEURON into this "
        "environment with `pip install neuron` (which provides nrnivmodl), or put the bin/ "
        "folder of your NEURON installation on PATH; a C++ compiler and make are needed too."
    )


def find_library(build_dir: Path, *, coreneuron: bool = False) -> Path | None:
    """Return the compiled ``libnrnmech`` inside a build folder, if complete.

    Parameters
    ----------
    build_dir : pathlib.Path
        Folder in which ``nrnivmodl`` ran.
    coreneuron : bool, optional
        Also require ``libcorenrnmech`` (a ``-coreneuron`` build).

    Returns
    -------
    pathlib.Path or None
        The library path (``<build_dir>/<arch>/libnrnmech.so`` or ``.dylib``),
        or None if the folder holds no (complete) build.
    """
    library = _first_match(build_dir, _LIBRARY_PATTERNS)
    if library is None or (coreneuron and corenrn_library(library) is None):
        return None
    return library


def corenrn_library(library: Path) -> Path | None:
    """Return the ``libcorenrnmech`` built beside a ``libnrnmech``, if any.

    Parameters
    ----------
    library : pathlib.Path
        Path of a ``libnrnmech`` from a ``nrnivmodl -coreneuron`` build.

    Returns
    -------
    pathlib.Path or None
        Path of ``libcorenrnmech.so``/``.dylib`` in the same build, or None.
    """
    arch_dir = library.parent.parent if library.parent.name == ".libs" else library.parent
    return _first_match(arch_dir, _CORENRN_NAMES)


def _first_match(folder: Path, patterns: tuple[str, ...]) -> Path | None:
    """Return the first existing file matching one of ``patterns`` in ``folder``."""
    for pattern in patterns:
        found = sorted(p for p in folder.glob(pattern) if p.is_file())
        if found:
            return found[0]
    return None


def compile_mechanisms(
    directory: str | Path | None = None,
    *,
    force: bool = False,
    coreneuron: bool | None = None,
    cache_dir: str | Path | None = None,
) -> Path:
    """Compile a folder of .mod files with ``nrnivmodl`` into the cache.

    Parameters
    ----------
    directory : str or pathlib.Path or None, optional
        Folder of .mod files; None (default) means the shipped mechanisms.
    force : bool, optional
        Rebuild even if a finished build with the same hash exists.
    coreneuron : bool or None, optional
        Run ``nrnivmodl -coreneuron`` (also builds ``libcorenrnmech``, needed
        to run the model with CoreNEURON). None (default): the default build,
        see :func:`default_coreneuron`.
    cache_dir : str or pathlib.Path or None, optional
        Cache root to use instead of :func:`cache_root`; the build goes in
        ``<cache_dir>/mechanisms/<hash>/``.

    Returns
    -------
    pathlib.Path
        Path of the compiled library, ``<build>/<arch>/libnrnmech.so`` (or
        ``.dylib``). Nothing is compiled when the cache already holds it.

    Raises
    ------
    MechanismError
        If the folder has no .mod files, ``nrnivmodl`` cannot be found, or
        ``nrnivmodl`` fails (the message then carries the tail of its output:
        the compiler error and the .mod file it concerns).

    Notes
    -----
    The .mod files are copied into a temporary folder beside the build, where
    ``nrnivmodl`` runs; on success that folder is renamed to ``<hash>``. All
    of this happens under a ``filelock.FileLock`` on ``<hash>.lock``, so a
    second process asking for the same build waits and then finds it done.
    """
    folder = resolve_directory(directory)
    sources = read_sources(folder)
    if not sources:
        raise MechanismError(f"no .mod files in {str(folder)!r}: nothing to compile")
    coreneuron = default_coreneuron(directory) if coreneuron is None else coreneuron
    key = hash_sources(sources, coreneuron=coreneuron)
    builds = (Path(cache_dir).expanduser().resolve() if cache_dir else cache_root()) / "mechanisms"
    target = builds / key
    if not force:
        # A folder named <hash> is only ever a finished build, so a valid one
        # is used without the lock: a read-only shared cache works.
        library = find_library(target, coreneuron=coreneuron)
        if library is not None:
            return library
    try:
        builds.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(builds / f"{key}.lock"))
        lock.acquire()
    except OSError as exc:
        raise MechanismError(_unwritable_message(builds, exc)) from None
    try:
        library = None if force else find_library(target, coreneuron=coreneuron)
        if library is not None:
            return library
        _remove_leftovers(builds, key)
        _build(sources, builds, target, coreneuron=coreneuron, origin=folder)
    finally:
        lock.release()
    return find_library(target, coreneuron=coreneuron)


def cached_library(
    directory: str | Path | None = None,
    *,
    coreneuron: bool | None = None,
    cache_dir: str | Path | None = None,
) -> Path | None:
    """Return the compiled library of a folder's current .mod files if the cache holds it.

    Compiles nothing and takes no lock (``cordsim info`` reports it).

    Parameters
    ----------
    directory : str or pathlib.Path or None, optional
        Folder of .mod files; None (default) means the shipped mechanisms.
    coreneuron : bool or None, optional
        Look for the ``nrnivmodl -coreneuron`` build; None (default): the
        default build (:func:`default_coreneuron`).
    cache_dir : str or pathlib.Path or None, optional
        Cache root instead of :func:`cache_root`.

    Returns
    -------
    pathlib.Path or None
        The library :func:`compile_mechanisms` would return without
        compiling, or None when it would have to compile (the .mod files or
        NEURON changed, or nothing was compiled yet).
    """
    folder = resolve_directory(directory)
    sources = read_sources(folder)
    if not sources:
        return None
    coreneuron = default_coreneuron(directory) if coreneuron is None else coreneuron
    root = Path(cache_dir).expanduser().resolve() if cache_dir else cache_root()
    target = root / "mechanisms" / hash_sources(sources, coreneuron=coreneuron)
    return find_library(target, coreneuron=coreneuron)


def _unwritable_message(builds: Path, exc: OSError) -> str:
    """One-line error for a cache folder cordsim cannot write to."""
    reason = exc.strerror or type(exc).__name__
    return (
        f"cannot compile the mechanisms: the cache folder {str(builds)!r} is not writable "
        f"({reason}); set $CORDSIM_CACHE_DIR to a writable folder, or compile once where "
        "the cache is writable"
    )


def ensure_compiled(*, coreneuron: bool | None = None) -> Path:
    """Make sure the shipped mechanisms are compiled, without loading them.

    A sweep calls this in its main process before starting workers, so that
    a missing compiler or an unwritable cache is one clear error up front
    rather than a failure of every point.

    Parameters
    ----------
    coreneuron : bool or None, optional
        Also build the CoreNEURON library (``nrnivmodl -coreneuron``); None
        (default): the default build (:func:`default_coreneuron`).

    Returns
    -------
    pathlib.Path
        Path of the compiled library in the cache.

    Raises
    ------
    MechanismError
        As :func:`compile_mechanisms`.
    """
    return compile_mechanisms(coreneuron=coreneuron)


def differs_from_shipped(directory: str | Path) -> bool:
    """Whether a folder's .mod files differ from the shipped (installed) ones.

    Parameters
    ----------
    directory : str or pathlib.Path
        A folder of .mod files, e.g. ``mechanisms/`` of a git clone.

    Returns
    -------
    bool
        True if the folder holds .mod files whose content differs from the
        installed package's; False if equal, or if it is the shipped folder.
    """
    folder = Path(directory).resolve()
    shipped = resolve_directory(None)
    if folder == shipped:
        return False
    return read_sources(folder) != read_sources(shipped)


def _remove_leftovers(builds: Path, key: str) -> None:
    """Delete temporary folders of ``key`` left by a crashed build (lock held)."""
    for stale in [*builds.glob(f"{key}.tmp-*"), *builds.glob(f"{key}.old-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def _build(
    sources: dict[str, bytes], builds: Path, target: Path, *, coreneuron: bool, origin: Path
) -> None:
    """Build ``sources`` in a temporary folder and rename it to ``target``.

    On failure the full nrnivmodl output is kept in ``<hash>.failed.log``.
    """
    scratch = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-", dir=builds))
    scratch.chmod(0o755)  # mkdtemp makes it private; a shared cache must be readable
    failed_log = builds / f"{target.name}.failed.log"
    try:
        for name, content in sources.items():
            (scratch / name).write_bytes(content)
        logger.info("compiling %d .mod files from %s into %s", len(sources), origin, target)
        print(
            f"cordsim: compiling {len(sources)} mechanisms from {origin} with nrnivmodl "
            "(once per NEURON version; about half a minute)...",
            file=sys.stderr,
            flush=True,
        )
        started = time.perf_counter()
        command, returncode, output = _run_nrnivmodl(scratch, coreneuron=coreneuron)
        (scratch / _LOG_NAME).write_text(f"$ {' '.join(command)}\n{output}")
        problem = _problem(returncode, find_library(scratch, coreneuron=coreneuron))
        if problem:
            shutil.copyfile(scratch / _LOG_NAME, failed_log)
            raise MechanismError(_failure_message(command, problem, output, origin, failed_log))
        failed_log.unlink(missing_ok=True)
        _publish(scratch, target)
        elapsed = time.perf_counter() - started
        print(f"cordsim: mechanisms compiled in {elapsed:.0f} s ({target})", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run_nrnivmodl(build_dir: Path, *, coreneuron: bool) -> tuple[list[str], int, str]:
    """Run ``nrnivmodl`` in ``build_dir``; return (command, exit status, output)."""
    executable = find_nrnivmodl()
    command = [executable, *(["-coreneuron"] if coreneuron else []), "."]
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(executable).parent), env.get("PATH", "")])
    try:
        done = subprocess.run(
            command,
            cwd=build_dir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            check=False,
        )
    except OSError as exc:
        raise MechanismError(f"could not run {executable!r}: {exc}") from exc
    return command, done.returncode, _ANSI.sub("", done.stdout or "")


def _problem(returncode: int, library: Path | None) -> str:
    """Describe what went wrong with a build, or return "" if it succeeded."""
    if returncode != 0:
        return f"failed with exit status {returncode}"
    if library is None:
        return "exited normally but produced no library"
    return ""


def _failure_message(command: list[str], problem: str, output: str, origin: Path, log: Path) -> str:
    """Compose the error message of a failed build, ending with nrnivmodl's output."""
    lines = output.rstrip().splitlines()
    tail = "\n".join(lines[-_TAIL_LINES:])
    cut = f" (last {_TAIL_LINES} of {len(lines)} lines)" if len(lines) > _TAIL_LINES else ""
    return (
        f"compiling the mechanisms in {str(origin)!r} failed: `{' '.join(command)}` {problem}. "
        f"Full log: {log}. nrnivmodl output{cut}:\n{tail}"
    )


def _publish(scratch: Path, target: Path) -> None:
    """Rename a finished build into place, replacing an older one (lock held)."""
    if target.exists():
        retired = target.with_name(f"{target.name}.old-{uuid.uuid4().hex}")
        os.rename(target, retired)
        os.rename(scratch, target)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.rename(scratch, target)
