"""Group Ia afferent fibres as spike sources.

:class:`IaAfferent` is one group Ia fibre of a muscle, as seen at its central
terminals (conduction delay is added on the connection): a
:class:`~cordsim.models.cells.spike_source.SpikeSource` (Poisson discharge at
a constant rate or following a rate waveform, its own Random123 stream, a
refractory period; artificial cell ``csSpikeSource``,
``mechanisms/csspikesource.mod``) plus what only an afferent has: dorsal root
stimulus trains and explicit spike times.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from neuron import h

from cordsim.errors import ParameterError
from cordsim.models.cells.spike_source import SpikeSource, _check_count

__all__ = ["IaAfferent"]


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
