"""The somatic current-clamp rig: stimulus, spike detector, recorders, settle-and-restart.

Stimulation and recording are at ``cell.soma(0.5)``. A spike is an upward
crossing of ``cell.spike_threshold_mv`` (NetCon) after which the potential
falls back below it within ``spike_max_ms`` (see
:func:`~cordsim.models.measurement.features.valid_spikes`), so that a membrane
merely pushed above threshold (a passive cell under a large current,
depolarisation block) does not count.

All runs go through :mod:`cordsim.models.solver`. A cell is the project's cell
contract: ``soma``, ``sections``, ``celsius``, ``v_init_mv``,
``spike_threshold_mv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from neuron import h

from cordsim.errors import ParameterError
from cordsim.models.cells.spike_source import stable_int
from cordsim.models.measurement.features import Trace, valid_spikes
from cordsim.models.measurement.settings import MeasureSettings
from cordsim.models.solver import run_from_state, run_neuron_until, settle_and_save

__all__ = ["NOISE_STREAM", "ClampRig", "RampRecording", "play_current", "total_capacitance_nf"]

#: Name of the Random123 stream of the measurement's background noise.
NOISE_STREAM = "measure_noise"


def total_capacitance_nf(cell: Any) -> float:
    """Total membrane capacitance of ``cell``: sum of segment area x cm (nF)."""
    # area um2 x cm uF/cm2 x 1e-8 cm2/um2 -> uF; x 1e3 -> nF
    return float(sum(seg.area() * seg.cm for sec in cell.sections for seg in sec) * 1e-5)


class ClampRig:
    """A square-pulse current clamp, a spike detector and a voltage recorder at the soma.

    On construction the cell is settled for ``settings.settle_ms`` with no
    current and the state is saved; every :meth:`trial` restarts from that
    state, so a search over amplitudes does not pay the settling again. Every
    NEURON object is created before settling so that the saved state matches
    the model structure; trials only change the clamp's parameters.

    Parameters
    ----------
    cell : cell
        The cell to clamp (no other model should exist: NEURON simulates every
        section in the process).
    settings : MeasureSettings
        Uses ``settle_ms``, ``pre_ms`` (baseline before each pulse, ms),
        ``dt_ms`` and ``spike_max_ms``.

    Attributes
    ----------
    onset_ms : float
        Absolute time of the pulse onset in every trial (ms).
    """

    def __init__(self, cell: Any, settings: MeasureSettings):
        self.cell = cell
        self.settings = settings
        seg = cell.soma(0.5)
        self.stim = h.IClamp(seg)
        self.stim.delay = 0.0
        self.stim.dur = 0.0
        self.stim.amp = 0.0
        self.detector = h.NetCon(seg._ref_v, None, sec=cell.soma)
        self.detector.threshold = float(cell.spike_threshold_mv)
        self.spikes = h.Vector()
        self.detector.record(self.spikes)
        self.tvec = h.Vector().record(h._ref_t)
        self.vvec = h.Vector().record(seg._ref_v)
        self.saved = settle_and_save(
            settings.settle_ms,
            celsius=float(cell.celsius),
            v_init_mv=float(cell.v_init_mv),
            dt_ms=settings.dt_ms,
        )
        self.onset_ms = self.saved.t_ms + settings.pre_ms

    def trial(
        self,
        amp_na: float,
        dur_ms: float,
        after_ms: float,
        *,
        stop_after_spikes: int | None = None,
        stop_delay_ms: float = 3.0,
    ) -> Trace:
        """Run one square pulse from the settled state.

        Parameters
        ----------
        amp_na : float
            Pulse amplitude (nA; negative hyperpolarises).
        dur_ms : float
            Pulse duration (ms), starting ``pre_ms`` after the saved state.
        after_ms : float
            How long to run past the end of the pulse (ms).
        stop_after_spikes : int, optional
            End the run ``stop_delay_ms`` (at least ``spike_max_ms``) after this
            many threshold crossings.
        stop_delay_ms : float
            See ``stop_after_spikes`` (ms).

        Returns
        -------
        Trace
            Times relative to the pulse onset, from the saved state (-pre_ms).
            Only crossings that fall back below threshold within
            ``spike_max_ms`` count as spikes.
        """
        self.stim.delay = self.onset_ms
        self.stim.dur = dur_ms
        self.stim.amp = amp_na
        self.spikes.resize(0)
        stop = None
        if stop_after_spikes is not None:
            n, spikes = stop_after_spikes, self.spikes
            delay = max(stop_delay_ms, self.settings.spike_max_ms)

            def stop(t_ms: float) -> bool:
                return spikes.size() >= n and t_ms > spikes[n - 1] + delay

        run_from_state(
            self.saved,
            self.onset_ms + dur_ms + after_ms,
            stop_when=stop,
            check_every_ms=min(5.0, max(1.0, dur_ms / 4)),
        )
        t = np.array(self.tvec.as_numpy()) - self.onset_ms
        v = np.array(self.vvec.as_numpy())
        crossings = np.asarray(self.spikes.as_numpy(), dtype=float) - self.onset_ms
        spikes = valid_spikes(
            t, v, crossings, float(self.cell.spike_threshold_mv), self.settings.spike_max_ms
        )
        self.stim.amp = 0.0
        return Trace(t, v, spikes, amp_na, dur_ms)


@dataclass
class RampRecording:
    """What :func:`play_current` recorded.

    Attributes
    ----------
    spikes_ms : numpy.ndarray
        Spike times from ``finitialize`` (ms), see ``valid_spikes``.
    reached_ms : float
        Time the run reached (ms); earlier than the end if it stopped early.
    """

    spikes_ms: np.ndarray
    reached_ms: float


def play_current(
    cell: Any,
    times_ms: Sequence[float],
    amps_na: Sequence[float],
    *,
    dt_ms: float,
    record_dt_ms: float,
    spike_max_ms: float,
    quiet_after_ms: float,
    quiet_ms: float,
    noise_sd_na: float = 0.0,
    noise_tau_ms: float = 2.0,
    noise_seed: int = 1,
) -> RampRecording:
    """Inject a piecewise-linear current at the soma from ``finitialize`` (no settling).

    Parameters
    ----------
    cell : cell
        The cell (no other model should exist).
    times_ms, amps_na : sequence of float
        Corner points of the current (ms from ``finitialize``, nA), linearly
        interpolated; the run ends at the last time.
    dt_ms : float
        Integration step (ms).
    record_dt_ms : float
        Sampling interval of the potential used to validate spikes (ms).
    spike_max_ms : float
        Longest time above threshold of a spike (ms).
    quiet_after_ms, quiet_ms : float
        After ``quiet_after_ms`` (ms), the run stops once the cell has had no
        threshold crossing for ``quiet_ms`` (ms), or none at all.
    noise_sd_na, noise_tau_ms : float
        Background noise added at the soma: an Ornstein-Uhlenbeck current of
        this SD (nA) and correlation time (ms), mean 0 (``csNoise``); 0 nA
        adds none.
    noise_seed : int
        First id of the noise's Random123 stream (>= 0); the same seed gives
        the same noise.

    Returns
    -------
    RampRecording
    """
    if not (noise_sd_na >= 0 and noise_tau_ms > 0 and noise_seed >= 0):
        raise ParameterError(
            f"ramp noise: sd {noise_sd_na} nA must be >= 0, tau {noise_tau_ms} ms > 0 "
            f"and seed {noise_seed} >= 0"
        )
    t_end = times_ms[-1]
    seg = cell.soma(0.5)
    stim = h.IClamp(seg)
    stim.delay = 0.0
    stim.dur = 1e9
    tvec = h.Vector(list(times_ms))
    ivec = h.Vector(list(amps_na))
    ivec.play(stim._ref_amp, tvec, True)
    if noise_sd_na > 0:
        from cordsim.mechanisms import load

        load()  # csNoise; a cell of other mechanisms may not have loaded cordsim's
        noise = h.csNoise(seg)
        noise.sd_na = float(noise_sd_na)
        noise.tau_ms = float(noise_tau_ms)
        noise.ranvar.set_ids(int(noise_seed) & 0xFFFFFFFF, stable_int(NOISE_STREAM), 0)
    detector = h.NetCon(seg._ref_v, None, sec=cell.soma)
    detector.threshold = float(cell.spike_threshold_mv)
    spikes = h.Vector()
    detector.record(spikes)
    t_rec = h.Vector().record(h._ref_t, record_dt_ms)
    v_rec = h.Vector().record(seg._ref_v, record_dt_ms)

    def stop(t_ms: float) -> bool:
        if t_ms <= quiet_after_ms:
            return False
        return spikes.size() == 0 or t_ms - spikes[spikes.size() - 1] > quiet_ms

    reached = run_neuron_until(
        t_end,
        celsius=float(cell.celsius),
        v_init_mv=float(cell.v_init_mv),
        dt_ms=dt_ms,
        stop_when=stop,
        check_every_ms=50.0,
    )
    ivec.play_remove()
    times = valid_spikes(
        np.array(t_rec.as_numpy()),
        np.array(v_rec.as_numpy()),
        np.array(spikes.as_numpy(), dtype=float),
        float(cell.spike_threshold_mv),
        spike_max_ms,
    )
    return RampRecording(times, reached)
