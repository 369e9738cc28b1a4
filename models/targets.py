"""Target ranges of single-cell properties, from the mouse literature.

The ranges live in the package data file ``models/data/targets.toml`` (one
``[[target]]`` table per age, cell and property, each with its source and how
the range was derived). :func:`load_targets` reads and checks it;
:func:`targets_for` gives the ranges of one cell at one age.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.files import TOMLDecodeError, loads_toml

#: Ages with targets (the parameter presets of the same names).
AGES = ("adult", "juvenile")
#: Cells with targets: the default motor neuron, the two ends of the pool, the interneurons.
CELLS = ("motor_neuron", "pool_smallest", "pool_largest", "ia_interneuron", "renshaw")
#: Properties ``cordsim validate`` reports for a cell without checking them
#: against a range (no published mouse value was found, or the value is a
#: model setting to show: the effective gating half-voltages). Motor neurons
#: at both ages; the Ia EPSP train only for the default cell.
_MN_REPORTED = (
    "na_activation_v_half_mv",
    "na_inactivation_v_half_mv",
    "kdr_activation_v_half_mv",
    "resonance_frequency_hz",
    "resonance_q",
    "subprimary_range_na",
    "subprimary_isi_cv",
    "recruitment_isi_cv2",
    "primary_isi_cv2",
    "fi_slope_hz_per_na",
    "f_steady_3x_hz",
    "onset_latency_ms",
    "onset_acceleration",
)
REPORTED: dict[str, tuple[str, ...]] = {
    "motor_neuron": (*_MN_REPORTED, "ia_epsp_composite_mv", "ia_epsp_ratio_10hz"),
    "pool_smallest": _MN_REPORTED,
    "pool_largest": _MN_REPORTED,
    "ia_interneuron": (),
    "renshaw": (),
}
#: Fields every entry must have, with their types.
FIELDS: dict[str, type | tuple[type, ...]] = {
    "age": str,
    "cell": str,
    "property": str,
    "low": (int, float),
    "high": (int, float),
    "unit": str,
    "source": str,
    "note": str,
    "soft": bool,
}
#: Unit implied by the end of a property name (cordsim's naming convention).
UNIT_SUFFIXES = (
    ("_hz_per_na", "Hz/nA"),
    ("_mohm", "MOhm"),
    ("_mv", "mV"),
    ("_ms", "ms"),
    ("_na", "nA"),
    ("_nf", "nF"),
    ("_hz", "Hz"),
    ("_ratio", "1"),
)

_PACKAGE = "cordsim.models"
_RESOURCE = ("data", "targets.toml")


@dataclass(frozen=True)
class TargetRange:
    """The accepted range of one property of one cell at one age.

    ``low`` and ``high`` are inclusive; ``high`` may be ``inf`` (a lower bound
    only). ``soft`` marks a range that is not a mouse measurement or rests on a
    stated assumption (see ``note``).
    """

    age: str
    cell: str
    property: str
    low: float
    high: float
    unit: str
    source: str
    note: str
    soft: bool = False

    def contains(self, value: float) -> bool:
        """True when ``value`` lies in ``[low, high]``; NaN and None are never inside."""
        if value is None:
            return False
        value = float(value)
        if math.isnan(value):
            return False
        return self.low <= value <= self.high

    def describe(self) -> str:
        """The range as text, e.g. ``"1.3-7.1 MOhm"`` or ``">= 300 Hz"``."""
        unit = "" if self.unit == "1" else f" {self.unit}"
        if math.isinf(self.high):
            return f">= {self.low:g}{unit}"
        return f"{self.low:g}-{self.high:g}{unit}"


def unit_for(prop: str) -> str | None:
    """The unit implied by a property name's suffix, or None."""
    for suffix, unit in UNIT_SUFFIXES:
        if prop.endswith(suffix):
            return unit
    return None


def parse_targets(data: dict[str, Any], origin: str = "targets.toml") -> list[TargetRange]:
    """Check a parsed targets document and return its entries.

    Raises
    ------
    ParameterError
        Naming the entry (position, age/cell/property) and what is wrong with it.
    """
    entries = data.get("target")
    if not isinstance(entries, list) or not entries:
        raise ParameterError(f"{origin}: expected a non-empty list of [[target]] tables")
    out: list[TargetRange] = []
    seen: set[tuple[str, str, str]] = set()
    for i, entry in enumerate(entries, start=1):
        label = (
            f"{origin}: [[target]] #{i} "
            f"({entry.get('age', '?')}/{entry.get('cell', '?')}/{entry.get('property', '?')})"
        )
        missing = [name for name in FIELDS if name not in entry]
        if missing:
            raise ParameterError(f"{label}: missing field(s) {', '.join(missing)}")
        extra = sorted(set(entry) - set(FIELDS))
        if extra:
            raise ParameterError(f"{label}: unknown field(s) {', '.join(extra)}")
        for name, kind in FIELDS.items():
            value = entry[name]
            if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
                raise ParameterError(f"{label}: field {name!r} has the wrong type ({value!r})")
        if entry["age"] not in AGES:
            raise ParameterError(f"{label}: " + unknown_name_message("age", entry["age"], AGES))
        if entry["cell"] not in CELLS:
            raise ParameterError(f"{label}: " + unknown_name_message("cell", entry["cell"], CELLS))
        for name in ("source", "note", "property"):
            if not entry[name].strip():
                raise ParameterError(f"{label}: field {name!r} is empty")
        low, high = float(entry["low"]), float(entry["high"])
        if math.isnan(low) or math.isnan(high) or not low < high:
            raise ParameterError(f"{label}: needs low < high (got {low!r}, {high!r})")
        expected = unit_for(entry["property"])
        if expected is not None and entry["unit"] != expected:
            raise ParameterError(
                f"{label}: unit {entry['unit']!r} does not match the property name "
                f"(expected {expected!r})"
            )
        key = (entry["age"], entry["cell"], entry["property"])
        if key in seen:
            raise ParameterError(f"{label}: duplicate entry")
        seen.add(key)
        out.append(
            TargetRange(
                age=entry["age"],
                cell=entry["cell"],
                property=entry["property"],
                low=low,
                high=high,
                unit=entry["unit"],
                source=entry["source"],
                note=entry["note"],
                soft=entry["soft"],
            )
        )
    return out


@lru_cache(maxsize=1)
def _load_cached() -> tuple[TargetRange, ...]:
    resource = resources.files(_PACKAGE).joinpath(*_RESOURCE)
    try:
        data = loads_toml(resource.read_text(encoding="utf-8"))
    except TOMLDecodeError as exc:
        raise ParameterError(f"targets.toml is not valid TOML: {exc}") from exc
    return tuple(parse_targets(data))


def load_targets() -> list[TargetRange]:
    """All target ranges shipped with cordsim (checked; see :func:`parse_targets`)."""
    return list(_load_cached())


def targets_for(age: str, cell: str) -> dict[str, TargetRange]:
    """The target ranges of ``cell`` at ``age``, keyed by property name.

    Raises
    ------
    ParameterError
        For an unknown age or cell (with the closest valid name).
    """
    if age not in AGES:
        raise ParameterError(unknown_name_message("age", age, AGES))
    if cell not in CELLS:
        raise ParameterError(unknown_name_message("cell", cell, CELLS))
    return {t.property: t for t in _load_cached() if t.age == age and t.cell == cell}
