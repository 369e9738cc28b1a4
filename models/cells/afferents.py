"""Spike sources: Ia afferent fibres and the Poisson inputs of the circuit.

Both wrap the artificial cell ``csIaFiber`` (``mechanisms/csafferent.mod``):
a Poisson process of (possibly time-varying) rate drawn from its own
Random123 stream, an optional electrical stimulus train, and explicit spike
times; a refractory period drops spikes closer than ``refrac_ms`` to the
previous one.

- :class:`SpikeSource` is the generic source (background noise, descending
  drive): a rate, a rate waveform, a stream id.
- :class:`IaAfferent` is one group Ia fibre of a muscle: the same, plus the
  dorsal root stimulus train and explicit spike times, as seen at its
  central terminals (conduction delay is added on the connection).

The Random123 stream ids are ``(seed, stream, index)``; ``stream`` is a
stable 31-bit hash of a name such as ``"ia_flexor:spikes"``, so a source's
spikes depend only on (seed, name, index): not on other cells, on the order
of creation, or on the process that runs it.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from neuron import h

from cordsim.errors import ParameterError
from cordsim.mechanisms import load as load_mechanisms

__all__ = ["IaAfferent", "SpikeSource", "stable_int"]

#: Refractory period of a large myelinated (group Ia) axon (ms); Ia fibres
#: follow stimulation up to several hundred Hz (csafferent.mod header).
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
        The ``csIaFiber`` artificial cell (a NetCon source).
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
        self.cell = h.csIaFiber()
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


class IaAfferent(SpikeSource):
    """One group Ia afferent fibre: Poisson firing, stimulus trains, explicit spikes.

    Parameters
    ----------
    seed, stream, index, rate_hz, rate_max_hz, refractory_ms
        As :class:`SpikeSource` (``rate_hz``: resting discharge, Hz).

    Examples
    --------
    >>> fibre = IaAfferent(seed=1, stream="ia_flexor:spikes", index=0, rate_hz=10.0)
    >>> fibre.set_train(start_ms=200.0, interval_ms=100.0, n_pulses=5)  # 10 Hz volleys
    >>> fibre.set_spike_times([50.0, 55.0])  # and two more spikes
    """

    kind = "ia_afferent"

    def set_train(self, start_ms: float, interval_ms: float, n_pulses: int) -> None:
        """Fire at ``start_ms`` and every ``interval_ms`` after, ``n_pulses`` times.

        Models electrical dorsal root stimulation: a large Ia fibre has the lowest
        threshold, so it fires to every volley (unless refractory).
        """
        n_pulses = _check_count("n_pulses", n_pulses)
        if not start_ms >= 0:
            raise ParameterError(f"start_ms must be >= 0 ms, got {start_ms!r}")
        if not interval_ms > 0:
            raise ParameterError(f"interval_ms must be > 0 ms, got {interval_ms!r}")
        self.cell.train_start_ms = float(start_ms)
        self.cell.train_interval_ms = float(interval_ms)
        self.cell.train_number = n_pulses

    def set_spike_times(self, times_ms: Sequence[float] | np.ndarray) -> None:
        """Also fire at these times (ms); replaces times given earlier.

        The times are delivered as NetCon events queued at every
        ``finitialize`` (an ``FInitializeHandler``), so they survive re-runs.
        """
        times = np.sort(np.asarray(times_ms, float))
        if times.size and (not np.all(np.isfinite(times)) or times[0] < 0):
            raise ParameterError("spike times must be finite and >= 0 ms")
        nc = h.NetCon(None, self.cell)
        nc.weight[0] = 1.0
        queued = [float(t) for t in times]

        def _queue() -> None:
            for t in queued:
                nc.event(t)

        self._explicit = [nc, _queue, h.FInitializeHandler(1, _queue)]
