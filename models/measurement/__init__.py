"""Single-cell measurements with standard current-clamp protocols.

``measure_cell(factory, age="adult")`` returns one ``pandas.Series`` of
:data:`PROPERTIES`. The modules, one job each:

- :mod:`.properties`: the property names and their definitions;
- :mod:`.settings`: protocol settings and the presets of each age;
- :mod:`.rig`: the somatic current clamp, settling and restarting;
- :mod:`.cell_protocols`: passive, rheobase, single spike, F-I, maximal rate, ramp;
- :mod:`.features`: traces to numbers (eFEL, fits), no NEURON;
- :mod:`.cell_properties`: :func:`measure_cell`, which runs the protocols in order.

Names are imported on first use, so that ``features`` and ``properties``
can be used without loading NEURON.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> submodule that defines it (imported lazily).
_EXPORTS = {
    "measure_cell": "cell_properties",
    "PROTOCOLS": "cell_properties",
    "SLOW_PROTOCOLS": "cell_properties",
    "PROPERTIES": "properties",
    "MeasureSettings": "settings",
    "PRESETS": "settings",
    "settings_for": "settings",
    "ramp_up_ms": "settings",
    "Trace": "features",
    "spike_features": "features",
    "fi_summary": "features",
    "passive_properties": "cell_protocols",
    "find_rheobase": "cell_protocols",
    "step_fires": "cell_protocols",
    "single_spike": "cell_protocols",
    "fi_curve": "cell_protocols",
    "max_rate": "cell_protocols",
    "ramp_hysteresis": "cell_protocols",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
