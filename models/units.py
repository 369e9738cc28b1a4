"""Units of cordsim parameters: parse "5 mV"-style strings, reject wrong units.

Every parameter has one canonical unit (its name says which, e.g.
``gbar_na_soma_s_cm2`` is in S/cm2). A bare number is taken in that unit; a
string ``"VALUE UNIT"`` is converted when UNIT measures the same quantity and
rejected, naming the parameter, when it does not.
"""

from __future__ import annotations

import re

from cordsim.errors import ParameterError

#: unit -> (dimension, factor to the dimension's base unit)
_UNITS: dict[str, tuple[str, float]] = {
    "mV": ("voltage", 1.0),
    "V": ("voltage", 1e3),
    "ms": ("time", 1.0),
    "s": ("time", 1e3),
    "um": ("length", 1.0),
    "mm": ("length", 1e3),
    "S/cm2": ("conductance_density", 1.0),
    "mS/cm2": ("conductance_density", 1e-3),
    "uS/cm2": ("conductance_density", 1e-6),
    "uF/cm2": ("capacitance_density", 1.0),
    "ohm*cm": ("resistivity", 1.0),
    "ohm.cm": ("resistivity", 1.0),
    "nA": ("current", 1.0),
    "pA": ("current", 1e-3),
    "uS": ("conductance", 1.0),
    "nS": ("conductance", 1e-3),
    "MOhm": ("resistance", 1.0),
    "degC": ("temperature", 1.0),
    "Hz": ("rate", 1.0),
    "mM": ("concentration", 1.0),
    "uM": ("concentration", 1e-3),
    "1": ("dimensionless", 1.0),
}

_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(\S+)?\s*$")


def dimension(unit: str) -> str:
    """Return the physical dimension of a known unit (e.g. ``"mV"`` -> ``"voltage"``)."""
    try:
        return _UNITS[unit][0]
    except KeyError:
        raise ParameterError(f"unknown unit {unit!r}; known units: {', '.join(_UNITS)}") from None


def convert(name: str, value: str, unit: str) -> float:
    """Convert a ``"VALUE UNIT"`` string to a float in ``unit`` for parameter ``name``.

    Parameters
    ----------
    name : str
        Parameter name (for the error message).
    value : str
        The quantity, e.g. ``"150 pA"``; a bare number string is taken in ``unit``.
    unit : str
        The parameter's canonical unit.

    Returns
    -------
    float
        The value expressed in ``unit``.

    Raises
    ------
    ParameterError
        When the string does not parse, the unit is unknown, or it measures a
        different quantity than ``unit``.
    """
    match = _QUANTITY.match(value)
    if not match:
        raise ParameterError(f"parameter {name!r}: cannot read {value!r} as a number with a unit")
    number, given = float(match.group(1)), match.group(2)
    if given is None or given == unit:
        return number
    if given not in _UNITS:
        raise ParameterError(f"parameter {name!r}: unknown unit {given!r} (expects {unit})")
    if dimension(given) != dimension(unit):
        raise ParameterError(
            f"parameter {name!r} is in {unit} ({dimension(unit)}); "
            f"got {value!r}, a {dimension(given)}"
        )
    return number * _UNITS[given][1] / _UNITS[unit][1]
