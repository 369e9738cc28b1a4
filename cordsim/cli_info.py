"""``cordsim info``: the versions and the build environment, to paste into a bug report.

One ``key: value`` line each (``--json``: one object): cordsim, Python,
NEURON and the main libraries; whether ``nrnivmodl``, a C++ compiler and
``make`` are found; where the mechanism cache is and whether it holds a
build of the current .mod files; whether CoreNEURON is available and which
engine ``solver.engine = "auto"`` picks. Nothing is compiled or loaded into
NEURON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
from importlib import metadata
from typing import Any

from cordsim.cli_help import ExampleFormatter, examples

__all__ = ["add_info_parser", "cmd_info", "environment_info", "info_text"]

#: Distributions whose versions are reported (import name differs for some).
LIBRARIES = (
    "numpy",
    "scipy",
    "pandas",
    "pyarrow",
    "matplotlib",
    "efel",
    "joblib",
    "SALib",
    "dask",
    "distributed",
    "dask-jobqueue",
)
#: C++ compilers looked for on PATH when ``$CXX`` is not set (nrnivmodl needs one).
_COMPILERS = ("c++", "g++", "clang++")
#: What a ``None`` value means, key by key, in the text output.
_MISSING = {
    "nrnivmodl": "not found (pip install neuron, or put NEURON's bin/ on PATH)",
    "cxx_compiler": "not found (nrnivmodl needs a C++ compiler)",
    "make": "not found (nrnivmodl needs make)",
    "mechanism_library": "not compiled for the current .mod files (run `cordsim compile`)",
}


def add_info_parser(subparsers: Any) -> argparse.ArgumentParser:
    """The ``cordsim info`` parser."""
    p = subparsers.add_parser(
        "info",
        help="versions, compiler, mechanism cache and CoreNEURON (for bug reports)",
        description="Print what a bug report needs, one `key: value` a line: cordsim, "
        "Python, NEURON and library versions; nrnivmodl, the C++ compiler and make (found "
        "or not); the mechanism cache and whether it holds a build of the current .mod "
        "files; whether CoreNEURON is available and which engine `auto` picks. Compiles "
        "nothing.",
        formatter_class=ExampleFormatter,
        epilog=examples("cordsim info", "cordsim info --json > cordsim-info.json"),
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _neuron_version() -> str | None:
    try:
        import neuron
    except ImportError:
        return None
    return str(getattr(neuron, "__version__", "unknown"))


def _compiler() -> str | None:
    configured = os.environ.get("CXX")
    if configured:
        found = shutil.which(configured.split()[0])
        return f"{found or configured} ($CXX)"
    for name in _COMPILERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _mechanisms() -> dict[str, Any]:
    """The mechanism folder, cache and build state, without compiling."""
    from cordsim.errors import CordsimError
    from cordsim.mechanisms import (
        cache_root,
        cached_library,
        coreneuron_supported,
        default_coreneuron,
        find_nrnivmodl,
        mod_dir,
        mod_files,
    )

    try:
        nrnivmodl: str | None = find_nrnivmodl()
    except CordsimError:
        nrnivmodl = None
    info: dict[str, Any] = {
        "nrnivmodl": nrnivmodl,
        "cxx_compiler": _compiler(),
        "make": shutil.which("make"),
        "mod_files": f"{len(mod_files())} in {mod_dir()}",
        "mechanism_cache": str(cache_root() / "mechanisms")
        + (" ($CORDSIM_CACHE_DIR)" if os.environ.get("CORDSIM_CACHE_DIR") else ""),
    }
    coreneuron = coreneuron_supported()
    build = "coreneuron" if default_coreneuron() else "plain"
    try:
        library = cached_library()
    except CordsimError as exc:  # e.g. the shipped folder is missing
        library = f"unknown ({exc})"
    info["mechanism_build"] = build
    info["mechanism_library"] = None if library is None else str(library)
    info["coreneuron"] = coreneuron
    info["engine_auto"] = "coreneuron" if coreneuron else "neuron"
    return info


def environment_info() -> dict[str, Any]:
    """What ``cordsim info`` reports, as a flat dict.

    Returns
    -------
    dict of str to str, bool or None
        Versions (None: not installed), paths (None: not found), the
        mechanism build state and CoreNEURON availability, in report order.
    """
    from cordsim import __version__

    info: dict[str, Any] = {
        "cordsim": __version__,
        "python": f"{platform.python_version()} ({sys.executable})",
        "platform": platform.platform(),
        "neuron": _neuron_version(),
    }
    info.update({name.lower(): _version(name) for name in LIBRARIES})
    info.update(_mechanisms())
    return info


def _text_value(key: str, value: Any) -> str:
    if value is None:
        return _MISSING.get(key, "not installed")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def info_text(info: dict[str, Any]) -> str:
    """``key: value`` lines of :func:`environment_info`."""
    return "\n".join(f"{key}: {_text_value(key, value)}" for key, value in info.items())


def cmd_info(args: argparse.Namespace) -> int:
    """Print the environment report (text or JSON); exit 0."""
    info = environment_info()
    print(json.dumps(info, indent=1) if args.json else info_text(info))
    return 0
