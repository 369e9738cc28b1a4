"""cordsim's NMODL mechanisms: where they are, how they compile, how they load.

The ``cs*.mod`` files of this folder are compiled on first use with
``nrnivmodl`` into a cache keyed by their content and the NEURON version, then
loaded once per process::

    from cordsim import mechanisms
    mechanisms.load()            # compile if needed, then nrn_load_dll once

``nrnivmodl mechanisms/`` by hand keeps working: if NEURON already auto-loaded
that library (Python started in the folder holding ``x86_64/``), :func:`load`
sees the mechanisms are defined and loads nothing (it returns
:data:`PRELOADED`).

Functions
---------
mod_dir
    Folder of the shipped .mod files.
mod_files
    Sorted .mod files of a folder.
mechanism_names
    Mechanism name -> kind, parsed from the .mod files.
mechanisms_hash
    Cache key of a folder's .mod files.
cache_root
    Root of cordsim's on-disk cache (``$CORDSIM_CACHE_DIR`` overrides).
cached_library
    The compiled library of the current .mod files, if cached (compiles nothing).
find_nrnivmodl
    Path of the ``nrnivmodl`` this Python's NEURON uses.
coreneuron_supported
    Whether this NEURON can build CoreNEURON mechanisms.
default_coreneuron
    Whether a folder's default build is the ``-coreneuron`` one.
compile_mechanisms
    Run ``nrnivmodl`` (optionally ``-coreneuron``) into the cache, once.
ensure_compiled
    Compile the shipped mechanisms if needed, without loading them.
differs_from_shipped
    Whether a folder's .mod files differ from the installed ones.
load
    Compile if needed and load into NEURON, once per process.
"""

from __future__ import annotations

from ._build import (
    cache_root,
    cached_library,
    compile_mechanisms,
    coreneuron_supported,
    default_coreneuron,
    differs_from_shipped,
    ensure_compiled,
    find_nrnivmodl,
    mechanisms_hash,
)
from ._load import PRELOADED, load
from ._nmodl import mechanism_names, mod_dir, mod_files

__all__ = [
    "PRELOADED",
    "cache_root",
    "cached_library",
    "compile_mechanisms",
    "coreneuron_supported",
    "default_coreneuron",
    "differs_from_shipped",
    "ensure_compiled",
    "find_nrnivmodl",
    "load",
    "mechanism_names",
    "mechanisms_hash",
    "mod_dir",
    "mod_files",
]
