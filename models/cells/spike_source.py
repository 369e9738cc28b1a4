"""The generic Poisson spike source of the circuit's inputs.

:class:`SpikeSource` wraps the artificial cell ``csSpikeSource``
(``mechanisms/csspikesource.mod``): a Poisson process of (possibly
time-varying) rate, in Hz, drawn from its own Random123 stream, with a
refractory period (ms) that drops spikes closer than that to the previous
one. The circuit uses it for background noise and descending drive;
:class:`~cordsim.models.cells.afferents.IaAfferent` builds on it for group Ia
fibres, adding the mechanism's stimulus trains and explicit spike times.

The Random123 stream ids are ``(seed, stream, index)``; ``stream`` is
:func:`stable_int` of a name such as ``"mn_flexor:descending"``, so a
source's spikes depend only on (seed, name, index): not on other cells, on
the order of creation, or on the process that runs it.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
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


def _check_rate(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ParameterError(f"{name} must be a number in Hz, got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ParameterError(f"{name} must be a finite rate >= 0 Hz, got {value!r}")
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
        Initial Poisson rate (Hz); 0 = silent until a rate is set or played.
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
        """Present Poisson rate (Hz)."""
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

    def play_rate(self, t_ms: Any, rate_hz: Sequence[float] | np.ndarray) -> None:
        """Make the rate follow a piecewise-linear waveform during the run.

        Parameters
        ----------
        t_ms : hoc Vector or array of float
            Breakpoint times (ms), increasing. A hoc Vector may be shared by
            many sources (the caller keeps it alive).
        rate_hz : array of float
            Rate at each breakpoint (Hz); clipped to :attr:`rate_max_hz`.
        """
        tvec = t_ms if hasattr(t_ms, "hname") else h.Vector(np.asarray(t_ms, float))
        rates = np.minimum(np.asarray(rate_hz, float), self.rate_max_hz)
        if len(rates) != len(tvec):
            raise ParameterError(f"rate_hz has {len(rates)} values for {len(tvec)} times")
        if np.any(rates < 0) or not np.all(np.isfinite(rates)):
            raise ParameterError("rate_hz must be finite and >= 0")
        rvec = h.Vector(rates)
        rvec.play(self.cell._ref_rate_hz, tvec, True)
        self._keep += [tvec, rvec]

    def netcon(self, target: Any = None) -> Any:
        """A NetCon from this source to ``target`` (None: a spike detector for a gid)."""
        return h.NetCon(self.cell, target)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.stream}[{self.index}] rate {self.rate_hz:g} Hz>"
