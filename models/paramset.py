"""Frozen, validated parameter sets: the base of every cordsim parameter table.

A parameter set is a frozen dataclass whose fields are declared with
:func:`param`, which records the unit, the allowed range and the source of the
default. Construction and :meth:`ParamSet.replace` check every value, so an
unknown name, a wrong type or unit, or an impossible value fails at once with
a message naming the parameter, before any simulation.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, TypeVar

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models import units

T = TypeVar("T", bound="ParamSet")


def param(
    default: Any,
    unit: str = "1",
    *,
    low: float | None = None,
    high: float | None = None,
    source: str,
    doc: str = "",
) -> Any:
    """Declare a parameter field.

    Parameters
    ----------
    default : float, int, bool or str
        Default value, in ``unit``.
    unit : str
        Canonical unit (see :mod:`cordsim.models.units`); ``"1"`` if dimensionless.
    low, high : float, optional
        Inclusive bounds of physically possible values.
    source : str
        Where the default comes from (paper, model, or "fitted: <the fit>").
    doc : str
        What the parameter is.
    """
    meta = {"unit": unit, "low": low, "high": high, "source": source, "doc": doc}
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class ParamSet:
    """Base class of frozen parameter tables (see :func:`param`)."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, self._check(f, getattr(self, f.name)))

    @classmethod
    def _check(cls, f: dataclasses.Field, value: Any) -> Any:
        name, meta = f"{cls.__name__}.{f.name}", f.metadata
        kind = type(f.default)
        if isinstance(value, str) and kind in (int, float):
            value = units.convert(name, value, meta.get("unit", "1"))
        if kind is bool:
            if not isinstance(value, bool):
                raise ParameterError(f"parameter {name!r} must be true/false, got {value!r}")
            return value
        if kind is str:
            if not isinstance(value, str):
                raise ParameterError(f"parameter {name!r} must be a string, got {value!r}")
            return value
        if kind is tuple:  # a non-empty list of numbers, each within the bounds
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = (value,)
            if not isinstance(value, list | tuple) or not value:
                raise ParameterError(
                    f"parameter {name!r} must be a non-empty list of numbers in "
                    f"{meta.get('unit')}, got {value!r}"
                )
            element = SimpleNamespace(name=f.name, metadata=meta, default=0.0)
            return tuple(cls._check(element, v) for v in value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParameterError(
                f"parameter {name!r} must be a number in {meta.get('unit')}, "
                f"got {type(value).__name__} {value!r}"
            )
        if kind is int:
            if float(value) != int(value):
                raise ParameterError(f"parameter {name!r} must be a whole number, got {value!r}")
            value = int(value)
        else:
            value = float(value)
        if not math.isfinite(value):
            raise ParameterError(f"parameter {name!r} must be finite, got {value!r}")
        low, high, unit = meta.get("low"), meta.get("high"), meta.get("unit")
        if low is not None and value < low:
            raise ParameterError(f"parameter {name!r} = {value} {unit} is below its minimum {low}")
        if high is not None and value > high:
            raise ParameterError(f"parameter {name!r} = {value} {unit} is above its maximum {high}")
        return value

    @classmethod
    def field_info(cls) -> dict[str, dict[str, Any]]:
        """Return ``{name: {default, unit, low, high, source, doc}}`` for every field."""
        return {f.name: {"default": f.default, **f.metadata} for f in dataclasses.fields(cls)}

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Names of all parameters."""
        return tuple(f.name for f in dataclasses.fields(cls))

    def replace(self: T, **changes: Any) -> T:
        """Return a copy with ``changes`` applied and validated.

        Raises
        ------
        ParameterError
            For an unknown name (with the closest valid one), a wrong type or
            unit, or a value outside the allowed range.
        """
        for key in changes:
            if key not in self.names():
                raise ParameterError(
                    unknown_name_message(f"{type(self).__name__} parameter", key, self.names())
                )
        return dataclasses.replace(self, **changes)

    def scaled(self: T, **factors: float) -> T:
        """Return a copy with the named numeric parameters multiplied by ``factors``."""
        for key in factors:
            if key not in self.names():
                raise ParameterError(
                    unknown_name_message(f"{type(self).__name__} parameter", key, self.names())
                )
        return self.replace(**{k: getattr(self, k) * float(v) for k, v in factors.items()})

    def to_dict(self) -> dict[str, Any]:
        """Plain ``{name: value}`` dict (TOML/JSON-ready)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls: type[T], values: dict[str, Any]) -> T:
        """Build from a mapping, rejecting unknown names (with a suggestion)."""
        return cls().replace(**values)
