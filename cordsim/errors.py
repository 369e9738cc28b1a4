"""Errors raised by cordsim, and the helper that suggests the closest valid name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CordsimError(Exception):
    """Base class of every error cordsim raises on purpose."""


class ParameterError(CordsimError, ValueError):
    """A parameter name, type, unit or value that cordsim cannot accept."""


class MechanismError(CordsimError, RuntimeError):
    """NMODL mechanisms could not be compiled or loaded."""


class ResourceError(CordsimError, MemoryError):
    """A simulation would need more memory (or other resources) than the machine has."""


def closest_name(name: str, valid: Iterable[str]) -> str | None:
    """Return the valid name closest to ``name`` (for 'did you mean'), or None."""
    matches = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.5)
    return matches[0] if matches else None


def unknown_name_message(kind: str, name: str, valid: Iterable[str]) -> str:
    """One-line message for an unknown name, with the closest valid one if any."""
    valid = sorted(valid)
    guess = closest_name(name, valid)
    hint = f"; did you mean {guess!r}?" if guess else f"; valid names: {', '.join(valid)}"
    return f"unknown {kind} {name!r}{hint}"
