"""The generic Poisson spike source of the circuit's inputs.

A :class:`SpikeSource` wraps the artificial cell ``csSpikeSource``
(``mechanisms/csspikesource.mod``): a Poisson process of constant rate or of
a rate waveform held in the mechanism (a trapezoid or rectified sine bursts,
in Hz), drawn from its own Random123 stream, with a refractory period (ms)
that drops spikes closer than that to the previous one. A source whose rate
is zero draws no random numbers until its waveform starts. The circuit uses it for background noise and descending drive;
:class:`~cordsim.models.cells.afferents.IaAfferent` builds on it for group Ia
fibres, adding the mechanism's stimulus trains and explicit spike times.

The Random123 stream ids are ``(seed, stream, index)``; ``stream`` is
:func:`stable_int` of a name such as ``"mn_flexor:descending"``, so a
source's spikes depend only on (seed, name, index): not on other cells, on
the order of creation, or on the process that runs it.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
from neuron import h

from cordsim.errors import ParameterError
from cordsim.mechanisms import load as load_mechanisms

__all__ = ["IA_REFRACTORY_MS", "SpikeSource", "stable_int"]

#: Refractory period of a large myelinated (group Ia) axon (ms); Ia fibres
#: follow stimulation up to several hundred Hz (csspikesource.mod header).
IA_REFRACTORY_MS = 1.0


def stable_int(text: str) -> int:
    """A stable 31-bit integer for a name (crc32; independent of PYTHONHASHSEED)."""
    return zlib.crc32(text.encode()) & 0x7FFFFFFF


def _check_rate(name: str, value: float, unit: str = "Hz") -> float:
    """``value`` as a finite float >= 0 (in ``unit``), or a ParameterError naming it."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ParameterError(f"{name} must be a number in {unit}, got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ParameterError(f"{name} must be finite and >= 0 {unit}, got {value!r}")
    return value


def _check_count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ParameterError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


class SpikeSource:
    """A Poisson spike source with its own Random123 stream.

    Parameters
    ----------
    seed : int
        Simulation seed (>= 0); first Random123 id.
    stream : str
        Name of the stream (population and purpose, e.g. ``"mn_flexor:descending"``).
    index : int
        Index of the source within its stream (>= 0).
    rate_hz : float
        Poisson rate (Hz); 0 = silent unless a rate or waveform is set.
    rate_max_hz : float, optional
        Upper bound of any rate the source will be given (Hz); thinning draws
        candidate events at this rate. Default: ``rate_hz`` (at least 1 mHz).
    refractory_ms : float
        Refractory period (ms); default :data:`IA_REFRACTORY_MS`.

    Attributes
    ----------
    cell : hoc object
        The ``csSpikeSource`` artificial cell (a NetCon source).
    kind : str
    """

    kind = "spike_source"

    def __init__(
        self,
        seed: int,
        stream: str,
        index: int,
        rate_hz: float = 0.0,
        rate_max_hz: float | None = None,
        refractory_ms: float = IA_REFRACTORY_MS,
    ) -> None:
        seed = _check_count("seed", seed)
        self.index = _check_count("index", index)
        rate_hz = _check_rate("rate_hz", rate_hz)
        rate_max_hz = rate_hz if rate_max_hz is None else _check_rate("rate_max_hz", rate_max_hz)
        refractory_ms = _check_rate("refractory_ms", refractory_ms)
        load_mechanisms()
        self.stream = stream
        self.cell = h.csSpikeSource()
        self.cell.ranvar.set_ids(seed & 0xFFFFFFFF, stable_int(stream), self.index)
        self.cell.rate_max_hz = max(rate_max_hz, rate_hz, 1e-3)
        self.cell.rate_hz = rate_hz
        self.cell.refrac_ms = refractory_ms
        self._keep: list[Any] = []
        self._explicit: list[Any] = []

    @property
    def rate_hz(self) -> float:
        """Poisson rate without a waveform, or the waveform's base rate (Hz)."""
        return float(self.cell.rate_hz)

    @property
    def rate_max_hz(self) -> float:
        """Largest rate this source can take (Hz)."""
        return float(self.cell.rate_max_hz)

    def set_rate(self, rate_hz: float) -> None:
        """Set a constant Poisson rate (Hz), at most :attr:`rate_max_hz`."""
        rate_hz = _check_rate("rate_hz", rate_hz)
        if rate_hz > self.rate_max_hz:
            raise ParameterError(
                f"rate_hz {rate_hz} Hz is above this source's rate_max_hz {self.rate_max_hz} Hz"
            )
        self.cell.rate_hz = rate_hz

    def set_trapezoid(
        self,
        base_hz: float,
        peak_hz: float,
        start_ms: float,
        rise_ms: float,
        hold_ms: float,
        fall_ms: float,
    ) -> None:
        """Make the rate follow a trapezoid during the run (a contraction's command).

        The rate is ``base_hz`` before ``start_ms``, rises linearly to
        ``peak_hz`` over ``rise_ms``, stays there for ``hold_ms``, falls back
        to ``base_hz`` over ``fall_ms`` and stays there. The waveform lives in
        the mechanism (no ``Vector.play``), so it runs under CoreNEURON and
        NEURON threads.

        Parameters
        ----------
        base_hz, peak_hz : float
            Rates (Hz, >= 0) outside and at the top of the trapezoid.
        start_ms : float
            Start of the rise (ms, >= 0).
        rise_ms, hold_ms, fall_ms : float
            Durations (ms, >= 0) of the rise, the plateau and the fall.
        """
        base_hz, peak_hz = _check_rate("base_hz", base_hz), _check_rate("peak_hz", peak_hz)
        times = {"start_ms": start_ms, "rise_ms": rise_ms, "hold_ms": hold_ms, "fall_ms": fall_ms}
        start_ms, rise_ms, hold_ms, fall_ms = (_check_rate(k, v, "ms") for k, v in times.items())
        self._set_wave(1, base_hz, peak_hz, start_ms)
        self.cell.wave_rise_ms, self.cell.wave_hold_ms = rise_ms, hold_ms
        self.cell.wave_fall_ms = fall_ms

    def set_rectified_sine(
        self,
        base_hz: float,
        peak_hz: float,
        start_ms: float,
        period_ms: float,
        n_cycles: int,
        phase: float = 0.0,
    ) -> None:
        """Make the rate follow half-wave rectified sine bursts (locomotor-like drive).

        For ``n_cycles`` periods from ``start_ms`` the rate is
        ``base_hz + (peak_hz - base_hz) * max(0, sin(2 pi ((t - start_ms) /
        period_ms - phase)))``; ``base_hz`` outside. Lives in the mechanism,
        like :meth:`set_trapezoid`.

        Parameters
        ----------
        base_hz, peak_hz : float
            Rates (Hz, >= 0) between bursts and at the top of each burst.
        start_ms : float
            Start of the first period (ms, >= 0).
        period_ms : float
            Period (ms, > 0).
        n_cycles : int
            Number of periods (>= 0).
        phase : float
            Delay of the bursts, as a fraction of a period in [0, 1)
            (0.5: the antagonist's bursts, half a period later).
        """
        base_hz, peak_hz = _check_rate("base_hz", base_hz), _check_rate("peak_hz", peak_hz)
        start_ms = _check_rate("start_ms", start_ms, "ms")
        period_ms = _check_rate("period_ms", period_ms, "ms")
        if period_ms <= 0:
            raise ParameterError(f"period_ms must be > 0 ms, got {period_ms!r}")
        n_cycles = _check_count("n_cycles", n_cycles)
        phase = _check_rate("phase", phase, "(fraction of a period)")
        if phase >= 1:
            raise ParameterError(f"phase must be a fraction of a period in [0, 1), got {phase!r}")
        self._set_wave(2, base_hz, peak_hz, start_ms)
        self.cell.wave_period_ms, self.cell.wave_cycles = period_ms, n_cycles
        self.cell.wave_phase = phase

    def _set_wave(self, shape: int, base_hz: float, peak_hz: float, start_ms: float) -> None:
        """Set the waveform's common fields; the thinning rate becomes its top."""
        self.cell.wave_shape = shape
        self.cell.rate_hz = base_hz
        self.cell.wave_amp_hz = peak_hz - base_hz
        self.cell.wave_start_ms = start_ms
        self.cell.rate_max_hz = max(base_hz, peak_hz, 1e-3)

    def rate_at(self, t_ms: float) -> float:
        """The Poisson rate (Hz) of this source at time ``t_ms`` (waveform included)."""
        return float(self.cell.rate_at(float(t_ms)))

    @property
    def n_candidates(self) -> int:
        """Thinning candidates drawn so far in the present run (silent stretches draw none)."""
        return int(self.cell.n_candidates)

    def netcon(self, target: Any = None) -> Any:
        """A NetCon from this source to ``target`` (None: a spike detector for a gid)."""
        return h.NetCon(self.cell, target)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.stream}[{self.index}] rate {self.rate_hz:g} Hz>"
