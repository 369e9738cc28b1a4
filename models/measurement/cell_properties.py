"""Measure one cell: run the protocols in order and collect one row of properties.

:func:`measure_cell` runs small, independent protocols
(:mod:`~cordsim.models.measurement.cell_protocols`) on one cell, a fresh cell
per protocol when given a factory, and returns one ``pandas.Series`` of
:data:`~cordsim.models.measurement.properties.PROPERTIES`, with units in the
names. Every protocol starts from rest: the cell is settled for ``settle_ms``
with no current, the state is saved, and each trial restarts from that saved
state.
"""

from __future__ import annotations

import dataclasses
import gc
import math
import time
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models.measurement.cell_protocols import (
    PASSIVE_KEYS,
    fi_curve,
    find_rheobase,
    max_rate,
    passive_properties,
    ramp_hysteresis,
    single_spike,
)
from cordsim.models.measurement.dynamics import (
    IaSynapse,
    gating_half_voltages,
    ia_epsps,
    self_sustained_firing,
    zap_resonance,
)
from cordsim.models.measurement.features import RAMP_KEYS, SPIKE_SHAPE_KEYS, fi_summary
from cordsim.models.measurement.onset import onset_pattern
from cordsim.models.measurement.properties import PROPERTIES
from cordsim.models.measurement.settings import MeasureSettings, check_ramp_noise, settings_for

__all__ = ["PROTOCOLS", "PROTOCOL_PROPERTIES", "SLOW_PROTOCOLS", "measure_cell", "protocols_for"]

#: Protocol names, in the order measure_cell runs them.
PROTOCOLS = (
    "passive",
    "rheobase",
    "spike",
    "fi",
    "fmax",
    "ramp",
    "persistence",
    "onset",
    "gating",
    "zap",
    "ia_epsp",
)
#: Protocols that ``quick=True`` skips (the slow ones).
SLOW_PROTOCOLS = ("fi", "fmax", "ramp", "persistence", "onset", "zap", "ia_epsp")
#: What each protocol needs to have run first.
_REQUIRES = {
    "passive": (),
    "rheobase": ("passive",),
    "spike": ("passive", "rheobase"),
    "fi": ("passive", "rheobase"),
    "fmax": ("passive", "rheobase"),
    "ramp": ("passive", "rheobase"),
    "persistence": ("passive", "rheobase"),
    "onset": ("passive", "rheobase"),
    "gating": (),
    "zap": ("passive",),
    "ia_epsp": (),
}


#: The properties each protocol measures (every name of PROPERTIES is in one).
PROTOCOL_PROPERTIES: dict[str, tuple[str, ...]] = {
    "passive": PASSIVE_KEYS,
    "rheobase": ("rheobase_na", "v_threshold_mv", "delta_v_threshold_mv"),
    "spike": SPIKE_SHAPE_KEYS,
    "fi": ("fi_slope_hz_per_na", "f_min_hz", "f_steady_3x_hz"),
    "fmax": ("f_max_hz",),
    "ramp": RAMP_KEYS,
    "persistence": ("self_sustained_firing_ms",),
    "onset": ("onset_rheobase_na", "onset_latency_ms", "onset_acceleration"),
    "gating": ("na_activation_v_half_mv", "na_inactivation_v_half_mv", "kdr_activation_v_half_mv"),
    "zap": ("resonance_frequency_hz", "resonance_q"),
    "ia_epsp": ("ia_epsp_composite_mv", "ia_epsp_ratio_10hz"),
}


def protocols_for(properties: Iterable[str]) -> list[str]:
    """The protocols (in run order) that measure ``properties``; unknown names raise."""
    owner = {prop: proto for proto, props in PROTOCOL_PROPERTIES.items() for prop in props}
    wanted = set()
    for prop in properties:
        if prop not in owner:
            raise ParameterError(unknown_name_message("property", prop, PROPERTIES))
        wanted.add(owner[prop])
    return [p for p in PROTOCOLS if p in wanted]


def _is_factory(obj: Any) -> bool:
    return callable(obj) and not hasattr(obj, "soma")


def _resolve_protocols(protocols: Iterable[str] | None, quick: bool) -> list[str]:
    wanted = list(PROTOCOLS) if protocols is None else list(protocols)
    for name in wanted:
        if name not in PROTOCOLS:
            raise ParameterError(unknown_name_message("protocol", name, PROTOCOLS))
    if quick:
        wanted = [p for p in wanted if p not in SLOW_PROTOCOLS]
    needed = set(wanted)
    for name in wanted:
        needed.update(_REQUIRES[name])
    return [p for p in PROTOCOLS if p in needed]


def measure_cell(
    cell_factory_or_cell: Any,
    *,
    protocols: Iterable[str] | None = None,
    age: str | None = None,
    settings: MeasureSettings | None = None,
    quick: bool = False,
    **overrides: Any,
) -> pd.Series:
    """Measure a cell's intrinsic properties with standard current-clamp protocols.

    Parameters
    ----------
    cell_factory_or_cell : callable or cell
        A zero-argument factory (a fresh cell is built for each protocol) or a
        cell (reused; every trial restarts from ``finitialize``).
    protocols : iterable of str, optional
        Subset of :data:`PROTOCOLS` to run (the ones they depend on run too);
        default all.
    age : {"adult", "juvenile"}, optional
        Protocol preset (:data:`~cordsim.models.measurement.settings.PRESETS`);
        ignored when ``settings`` is given.
    settings : MeasureSettings, optional
        Explicit protocol settings.
    quick : bool
        Skip the slow protocols (:data:`SLOW_PROTOCOLS`: F-I, maximal rate, ramp,
        persistence, onset, ZAP, Ia EPSPs).
    **overrides
        Fields of :class:`MeasureSettings` to change, e.g. ``rheobase_pulse_ms=1000``.

    Returns
    -------
    pandas.Series
        Indexed by :data:`PROPERTIES` (units in the names), named after the cell;
        NaN for what was not measured or does not apply. ``.attrs`` holds the
        settings used, the protocols run, the wall time (total and per protocol,
        s) and the F-I curve.

    Raises
    ------
    ParameterError
        For an unknown protocol, age or setting name, or impossible ramp-noise
        settings when the ramp runs (before any protocol runs).

    Notes
    -----
    NEURON simulates every section that exists in the process: measure with no
    other model built (other cells would be simulated too, and a cell deleted
    in the middle of a protocol invalidates its saved state). A cell that fires
    at rest or never fires stops the run early: nothing more applies.
    """
    s = settings if settings is not None else settings_for(age)
    if overrides:
        s = s.replace(**overrides)
    run = _resolve_protocols(protocols, quick)
    if "ramp" in run:
        check_ramp_noise(s)
    if _is_factory(cell_factory_or_cell):
        factory = cell_factory_or_cell
    else:
        cell = cell_factory_or_cell
        factory = lambda: cell  # noqa: E731
    values = dict.fromkeys(PROPERTIES, math.nan)
    started = time.perf_counter()
    name = None

    def build() -> Any:
        nonlocal name
        gc.collect()  # cells of earlier protocols must be gone before a state is saved
        c = factory()
        name = name or getattr(c, "name", None)
        return c

    extra: dict[str, Any] = {}
    timings: dict[str, float] = {}
    for protocol in run:
        t_protocol = time.perf_counter()
        _run_protocol(protocol, build, s, values, extra, age=age or "adult")
        timings[protocol] = time.perf_counter() - t_protocol
        if values["spontaneous_rate_hz"] > 0 or (
            protocol == "rheobase" and math.isnan(values["rheobase_na"])
        ):
            break  # a cell that fires at rest or never fires: nothing more applies
    series = pd.Series(values, name=name, dtype=float)
    series.attrs["settings"] = dataclasses.asdict(s)
    series.attrs["protocols"] = run
    series.attrs["wall_time_s"] = time.perf_counter() - started
    series.attrs["protocol_wall_time_s"] = timings
    series.attrs.update(extra)
    return series


def _run_protocol(
    protocol: str,
    build: Callable[[], Any],
    s: MeasureSettings,
    values: dict[str, float],
    extra: dict[str, Any],
    *,
    age: str = "adult",
) -> None:
    """Run one protocol on a freshly built cell; put its results into ``values``."""
    if protocol == "passive":
        values.update(passive_properties(build(), s))
    elif protocol == "rheobase":
        values.update(
            find_rheobase(
                build(), s, rin_mohm=values["rin_plateau_mohm"], v_rest_mv=values["v_rest_mv"]
            )
        )
    elif protocol == "spike":
        values.update(
            single_spike(
                build(), s, v_rest_mv=values["v_rest_mv"], v_threshold_mv=values["v_threshold_mv"]
            )
        )
    elif protocol == "fi":
        curve = fi_curve(build(), s, rheobase_na=values["rheobase_na"])
        values.update(fi_summary(curve, values["rheobase_na"], s.fi_fit_range))
        extra["fi_curve"] = curve.to_dict(orient="list")
    elif protocol == "fmax":
        values.update(max_rate(build(), s, rheobase_na=values["rheobase_na"]))
    elif protocol == "ramp":
        values.update(ramp_hysteresis(build(), s, rheobase_na=values["rheobase_na"]))
    elif protocol == "persistence":
        values.update(self_sustained_firing(build(), s, rheobase_na=values["rheobase_na"]))
    elif protocol == "onset":
        values.update(onset_pattern(build(), s, rheobase_na=values["rheobase_na"]))
    elif protocol == "gating":
        values.update(gating_half_voltages(build()))
    elif protocol == "zap":
        values.update(zap_resonance(build(), s, rin_mohm=values["rin_plateau_mohm"]))
    elif protocol == "ia_epsp":
        cell = build()
        if getattr(cell, "kind", None) == "motor_neuron" and hasattr(cell, "synapse_site"):
            from cordsim.models.circuit import circuit_spec

            values.update(ia_epsps(cell, s, IaSynapse.from_spec(circuit_spec(age))))
