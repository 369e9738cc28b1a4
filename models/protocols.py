"""Stimulation protocols: rest, dorsal root reflex trains, contraction, alternation.

A protocol is a frozen parameter set with ``tstop_ms`` and an ``apply(network)``
method that configures the built network's stimuli (afferent trains, rate
waveforms of descending inputs) and returns a
:class:`~cordsim.models.result.ProtocolRecord`: its analysis windows, event
times and the families of metrics that apply to it (``measures``), which is
all the analysis reads. Protocols find populations through the circuit's
population table (by kind, role and muscle). Every protocol starts with a
settling period that the analysis windows exclude.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models.circuit import MUSCLES, antagonist
from cordsim.models.paramset import ParamSet, param
from cordsim.models.result import ProtocolRecord

SETTLE_SOURCE = "cells reach rest and background noise a steady state within ~200 ms"

#: Start of the contraction's spontaneous-activity window (ms): the first
#: 100 ms of settling are excluded.
BASELINE_START_MS = 100.0


def _check_muscle(name: str, value: str) -> None:
    if value not in MUSCLES:
        raise ParameterError(f"{name}: " + unknown_name_message("muscle", value, MUSCLES))


def _afferents(net: Any, muscle: str, role: str | None = None) -> list[str]:
    """The afferent populations of ``muscle`` (of ``role`` if given), in table order."""
    return net.spec.population_names(kind="afferent", muscle=muscle, role=role)


def _afferent_rates(net: Any, pop: str) -> tuple[float, float]:
    """(rest, contraction) rates (Hz) of an afferent population (fusimotor drive)."""
    aff = net.spec.afferents[net.spec.populations[pop].afferent_key]
    return aff.rest_rate_hz, aff.contraction_rate_hz


@dataclass(frozen=True)
class Rest(ParamSet):
    """Background synaptic noise only: spontaneous activity at rest."""

    tstop_ms: float = param(1200.0, "ms", low=1, high=1e7, source="1 s analysed after settling")
    settle_ms: float = param(200.0, "ms", low=0, high=1e6, source=SETTLE_SOURCE)
    name = "rest"

    def apply(self, net: Any) -> ProtocolRecord:
        """Nothing to configure; returns the protocol record."""
        window = (self.settle_ms, self.tstop_ms)
        return ProtocolRecord(
            name=self.name,
            tstop_ms=self.tstop_ms,
            analysis_window_ms=window,
            measures=("coactivation", "spontaneous"),
            params=self.to_dict(),
            spontaneous_window_ms=window,
        )


@dataclass(frozen=True)
class Reflex(ParamSet):
    """Dorsal root stimulation: synchronous volleys in one muscle's Ia afferents.

    Every fibre of ``stim_muscle``'s afferent population of role ``stim_role``
    fires to each volley (Ia fibres have the lowest electrical threshold), ``n_pulses`` volleys at ``rate_hz`` from
    ``start_ms``, as in isolated-cord reflex recordings. The first volley
    arrives after rest and stands for the 0.1 Hz reference (the Ia synapse has
    recovered fully after 10 s; ``tau_rec`` is 0.4 s).
    """

    stim_muscle: str = param("flexor", source="choice")
    stim_role: str = param(
        "ia", source="the afferent role a dorsal root volley recruits (Ia: lowest threshold)"
    )
    rate_hz: float = param(
        10.0,
        "Hz",
        low=0.01,
        high=200,
        source="10 Hz: the rate of the reflex_depression_ratio metric; 0.1-20 Hz in RDD "
        "protocols (Bos et al. 2013)",
    )
    n_pulses: int = param(
        10,
        "1",
        low=1,
        high=100000,
        source="Bos et al. 2013 use 15 pulses and discard 3; 10 keep runs short",
    )
    n_discard: int = param(3, "1", low=0, high=100000, source="Bos et al. 2013 (discard 3)")
    start_ms: float = param(300.0, "ms", low=0, high=1e7, source=SETTLE_SOURCE)
    window_length_ms: float = param(
        6.0,
        "ms",
        low=1,
        high=100,
        source="monosynaptic window after afferent arrival: a 0.5 ms central delay (Kudo & "
        "Yamada 1985) plus EPSP rise; disynaptic responses come >= 1 ms later",
    )
    tail_ms: float = param(60.0, "ms", low=0, high=1e6, source="record the last response")
    name = "reflex"

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_muscle("stim_muscle", self.stim_muscle)
        if self.n_discard >= self.n_pulses:
            raise ParameterError(
                f"reflex: n_discard = {self.n_discard} leaves no pulse to measure of "
                f"n_pulses = {self.n_pulses}; n_discard must be smaller than n_pulses"
            )

    @property
    def tstop_ms(self) -> float:
        """End of the run (ms)."""
        return self.start_ms + (self.n_pulses - 1) * 1000.0 / self.rate_hz + self.tail_ms

    def apply(self, net: Any) -> ProtocolRecord:
        """Set the stimulus train of the stimulated muscle's afferents."""
        stimulated = _afferents(net, self.stim_muscle, self.stim_role)
        if not stimulated:
            raise ParameterError(
                f"reflex: the circuit has no afferent population of role {self.stim_role!r} "
                f"in the {self.stim_muscle}"
            )
        pop = stimulated[0]
        interval = 1000.0 / self.rate_hz
        for fibre in net.cells[pop]:
            fibre.set_train(self.start_ms, interval, self.n_pulses)
        delay = net.spec.afferents[net.spec.populations[pop].afferent_key].conduction_delay_ms
        times = [self.start_ms + k * interval for k in range(self.n_pulses)]
        return ProtocolRecord(
            name=self.name,
            tstop_ms=self.tstop_ms,
            analysis_window_ms=(self.start_ms, self.tstop_ms),
            measures=("reflex",),
            params=self.to_dict(),
            agonist=self.stim_muscle,
            stim_times_ms=tuple(times),
            response_window_ms=(delay + 0.5, delay + 0.5 + self.window_length_ms),
            n_discard=self.n_discard,
        )


@dataclass(frozen=True)
class Contraction(ParamSet):
    """Voluntary-like contraction: descending drive ramps up and down into one pool.

    The drive also reaches the same side's IaINs (alpha-gamma linkage), and the
    driven muscle's Ia afferents raise their rate with it (fusimotor
    co-activation) to ``contraction_rate_hz`` at the peak.
    """

    drive_muscle: str = param("flexor", source="choice")
    baseline_ms: float = param(
        300.0,
        "ms",
        low=0,
        high=1e7,
        source="settling + spontaneous-activity window before the drive",
    )
    ramp_up_ms: float = param(500.0, "ms", low=1, high=1e7, source="slow ramp contraction")
    hold_ms: float = param(200.0, "ms", low=0, high=1e7, source="plateau of the contraction")
    ramp_down_ms: float = param(500.0, "ms", low=1, high=1e7, source="symmetric ramp down")
    peak_fraction: float = param(
        1.0,
        "1",
        low=0,
        high=10,
        source="fraction of DriveParams.descending_peak_rate_hz at the peak",
    )
    antagonist_drive_fraction: float = param(
        0.2,
        "1",
        low=0,
        high=1,
        source="assumption: descending commands are not perfectly muscle-specific, so the "
        "antagonist receives part of the drive and spinal reciprocal inhibition must suppress "
        "it (Crone & Nielsen 1994 Prog Neurobiol, human voluntary contraction)",
    )
    name = "contraction"

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_muscle("drive_muscle", self.drive_muscle)

    @property
    def tstop_ms(self) -> float:
        """End of the run (ms)."""
        return self.baseline_ms + self.ramp_up_ms + self.hold_ms + self.ramp_down_ms + 100.0

    def apply(self, net: Any) -> ProtocolRecord:
        """Set the drive's trapezoid in the descending inputs and the afferents."""
        t0 = self.baseline_ms
        ramps = (t0, self.ramp_up_ms, self.hold_ms, self.ramp_down_ms)
        peak = net.spec.drives.descending_peak_rate_hz * self.peak_fraction
        for muscle, fraction in (
            (self.drive_muscle, 1.0),
            (antagonist(self.drive_muscle), self.antagonist_drive_fraction),
        ):
            if fraction > 0:
                for source in net.descending[muscle]:
                    source.set_trapezoid(0.0, peak * fraction, *ramps)
        for pop in _afferents(net, self.drive_muscle):  # fusimotor co-activation
            rest, contraction = _afferent_rates(net, pop)
            for fibre in net.cells[pop]:
                fibre.set_trapezoid(rest, contraction, *ramps)
        end = t0 + self.ramp_up_ms + self.hold_ms + self.ramp_down_ms
        return ProtocolRecord(
            name=self.name,
            tstop_ms=self.tstop_ms,
            analysis_window_ms=(t0, end),
            measures=("coactivation", "spontaneous", "contraction"),
            params=self.to_dict(),
            agonist=self.drive_muscle,
            spontaneous_window_ms=(BASELINE_START_MS, t0),
        )


@dataclass(frozen=True)
class Alternation(ParamSet):
    """Alternating (locomotor-like) descending drive between flexor and extensor.

    Each muscle's drive is a half-wave rectified sine of period ``period_ms``
    (the rate of the bursts, exact in continuous time), the antagonist's half
    a period behind the first muscle's; Ia afferents of each muscle follow
    its drive.
    """

    period_ms: float = param(
        500.0,
        "ms",
        low=10,
        high=1e6,
        source="2 Hz, the step cycle of walking mice (Leblond et al. 2003)",
    )
    n_cycles: int = param(3, "1", low=1, high=10000, source="enough cycles for a stable index")
    start_ms: float = param(300.0, "ms", low=0, high=1e7, source=SETTLE_SOURCE)
    peak_fraction: float = param(
        0.8, "1", low=0, high=10, source="fraction of the peak descending rate at each burst"
    )
    first_muscle: str = param("flexor", source="choice")
    name = "alternation"

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_muscle("first_muscle", self.first_muscle)

    @property
    def tstop_ms(self) -> float:
        """End of the run (ms)."""
        return self.start_ms + self.n_cycles * self.period_ms + 50.0

    def apply(self, net: Any) -> ProtocolRecord:
        """Set the two antiphase burst waveforms (descending inputs and afferents)."""
        peak = net.spec.drives.descending_peak_rate_hz * self.peak_fraction
        for phase, muscle in ((0.0, self.first_muscle), (0.5, antagonist(self.first_muscle))):
            timing = (self.start_ms, self.period_ms, self.n_cycles, phase)
            for source in net.descending[muscle]:
                source.set_rectified_sine(0.0, peak, *timing)
            for pop in _afferents(net, muscle):
                rest, contraction = _afferent_rates(net, pop)
                for fibre in net.cells[pop]:
                    fibre.set_rectified_sine(rest, contraction, *timing)
        return ProtocolRecord(
            name=self.name,
            tstop_ms=self.tstop_ms,
            analysis_window_ms=(self.start_ms, self.start_ms + self.n_cycles * self.period_ms),
            measures=("coactivation", "alternation"),
            params=self.to_dict(),
            cycle_period_ms=self.period_ms,
        )


PROTOCOLS: dict[str, type] = {
    "rest": Rest,
    "reflex": Reflex,
    "contraction": Contraction,
    "alternation": Alternation,
}


def make_protocol(name: str, **params: Any) -> Any:
    """Protocol ``name`` ("rest", "reflex", "contraction", "alternation") with ``params``."""
    if name not in PROTOCOLS:
        raise ParameterError(unknown_name_message("protocol", name, PROTOCOLS))
    return PROTOCOLS[name]().replace(**params) if params else PROTOCOLS[name]()
