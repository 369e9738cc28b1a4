"""Stimulation protocols: rest, reflex trains, contraction, alternation, isolated-cord reflex.

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
        """Nothing to configure; returns the protocol record.

        On the isolated cord the ventral roots are recorded too (spontaneous bursts).
        """
        window = (self.settle_ms, self.tstop_ms)
        cord = net.spec.preparation == "isolated_cord"
        return ProtocolRecord(
            name=self.name,
            tstop_ms=self.tstop_ms,
            analysis_window_ms=window,
            measures=("coactivation", "spontaneous", *(("ventral_root",) if cord else ())),
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


#: Delay (ms) of the NetCons from a cord_reflex stimulator to the fibres it fires: NEURON
#: threads and CoreNEURON need every NetCon delay to exceed the time step; the
#: stimulator fires this much earlier, so the fibres fire at the volley times.
STIMULATOR_DELAY_MS = 0.1

#: Root carrying the stimulated afferents: one muscle's or both (a lumbar dorsal
#: root holds afferents of flexors and extensors of the limb).
ROOTS = ("both", *MUSCLES)


@dataclass(frozen=True)
class CordReflex(ParamSet):
    """Dorsal-root stimulation of the isolated cord, recorded from the ventral roots.

    A dorsal-root stimulus of ``strength_t`` (multiples of T, the threshold of
    the most excitable Ia fibres) recruits, in every afferent population of
    the root's muscles, the fibres whose electrical threshold
    (``AfferentParams.threshold_low_t`` .. ``threshold_high_t``) is at most
    ``strength_t``, so Ia, Ib, group II and cutaneous fibres join by their
    thresholds. Volleys come in trains, one per rate of ``rates_hz`` faster
    than the reference, ``n_pulses`` each; every train follows at least
    ``rest_ms`` without stimulation (the first from the start of the run, the
    settled cord), so the first volley of each train is a rested one and
    stands for the reference rate (the slowest of ``rates_hz``, whose
    interval must be at least ``rest_ms``). Trains run from the slowest rate
    to the fastest. With only the reference rate, ``n_pulses`` volleys run at
    its own interval.

    With ``antidromic`` the motor axons of the ventral roots are stimulated
    ``antidromic_lead_ms`` before every dorsal-root volley (a brief
    suprathreshold current at the far end of each motor axon), so the motor
    volley excites Renshaw cells through the axon collaterals and the
    dorsal-root response is tested under recurrent inhibition.
    """

    strength_t: float = param(
        2.0,
        "1",
        low=0,
        high=100,
        source="choice: 2 x T recruits every Ia fibre (1-1.5 T), most Ib fibres and no group "
        "II fibre (2-5 T); set 5 for group II",
    )
    root: str = param("both", source="choice: both, flexor or extensor")
    rates_hz: tuple = param(
        (0.1, 1.0, 5.0, 10.0),
        "Hz",
        low=0.001,
        high=200,
        source="the rates of rate-dependent depression protocols of isolated cords (0.1, 1, 5, "
        "10 Hz; Pocratsky et al. 2023 name the protocol, rates as in Mentis et al. 2011 RDD, "
        "from memory)",
    )
    n_pulses: int = param(
        5, "1", low=1, high=10000, source="volleys per train (5 keeps runs short)"
    )
    n_discard: int = param(
        2,
        "1",
        low=1,
        high=10000,
        source="choice: the first volleys of each train left out of its rate's response (the "
        "first is rested: it is the reference); the Ia synapse depresses to near steady state "
        "by the third volley (u 0.3)",
    )
    rest_ms: float = param(
        4000.0,
        "ms",
        low=0,
        high=1e7,
        source="rest before each train: the Ia synapse recovers with tau_rec 400 ms at 37 degC "
        "(1.36 s at 26 degC, Q10 3), 95 % after 4 s, so a volley after 4 s of rest stands "
        "for the 0.1 Hz one",
    )
    settle_ms: float = param(300.0, "ms", low=1, high=1e6, source=SETTLE_SOURCE)
    tail_ms: float = param(
        100.0, "ms", low=0, high=1e6, source="record the last response (scored to +55 ms)"
    )
    window_length_ms: float = param(
        9.5,
        "ms",
        low=1,
        high=100,
        source="fitted: the monosynaptic motor neuron spikes of a rested 2 T volley come 6-12 "
        "ms after it at 26 degC (isolated cord, seed 1), the polysynaptic ones from 12 ms; "
        "the window starts 0.5 ms after afferent arrival",
    )
    antidromic: bool = param(False, source="choice: condition each volley with a VR stimulus")
    antidromic_lead_ms: float = param(
        10.0,
        "ms",
        low=0.1,
        high=1000,
        source="conditioning interval: recurrent IPSPs peak ~5-10 ms after an antidromic volley "
        "(cat: Eccles et al. 1954, from memory)",
    )
    antidromic_current_na: float = param(
        20.0,
        "nA",
        low=0,
        high=1000,
        source="choice: suprathreshold for every motor axon of both presets (checked by a test)",
    )
    antidromic_duration_ms: float = param(
        0.2, "ms", low=0.01, high=10, source="brief electrical pulse"
    )
    name = "cord_reflex"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.root not in ROOTS:
            raise ParameterError("root: " + unknown_name_message("root", self.root, ROOTS))
        rates = sorted(self.rates_hz)
        if len(set(rates)) != len(rates):
            raise ParameterError(f"rates_hz {list(self.rates_hz)} repeats a rate")
        if len(rates) > 1 and 1000.0 / rates[0] < self.rest_ms:
            raise ParameterError(
                f"rates_hz: the reference rate {rates[0]} Hz (the slowest) must have an interval "
                f"of at least rest_ms = {self.rest_ms} ms, since the first volley of each train "
                f"(after rest_ms of rest) stands for it; add a slower rate or shorten rest_ms"
            )
        faster = [r for r in rates[1:] if 1000.0 / r >= self.rest_ms]
        if faster:
            raise ParameterError(
                f"rates_hz: {faster[0]} Hz is as slow as the rest between trains "
                f"(rest_ms = {self.rest_ms} ms); only the reference rate may be"
            )
        if self.n_discard >= self.n_pulses and len(rates) > 1:
            raise ParameterError(
                f"cord_reflex: n_discard = {self.n_discard} leaves no volley of a train to "
                f"measure of n_pulses = {self.n_pulses}"
            )

    @property
    def reference_hz(self) -> float:
        """The reference rate (Hz): the slowest of ``rates_hz``."""
        return min(self.rates_hz)

    def schedule(self) -> list[tuple[float, float, float, int]]:
        """Every volley as (time ms, train rate Hz, rate it stands for Hz, index in train)."""
        rates = sorted(self.rates_hz)
        trains = rates[1:] or rates
        volleys = []
        t = self.settle_ms
        for k, rate in enumerate(trains):
            if k:
                t += self.rest_ms
            interval = 1000.0 / rate
            for i in range(self.n_pulses):
                stands_for = rates[0] if i == 0 else rate
                volleys.append((t + i * interval, rate, stands_for, i))
            t += (self.n_pulses - 1) * interval
        return volleys

    @property
    def tstop_ms(self) -> float:
        """End of the run (ms)."""
        return self.schedule()[-1][0] + self.tail_ms

    def _muscles(self) -> tuple[str, ...]:
        return MUSCLES if self.root == "both" else (self.root,)

    def recruited(self, net: Any) -> dict[str, list[int]]:
        """Indices of the fibres of each afferent population the stimulus recruits."""
        out = {}
        for muscle in self._muscles():
            for pop in _afferents(net, muscle):
                aff = net.spec.afferents[net.spec.populations[pop].afferent_key]
                thresholds = aff.fibre_thresholds_t(net.spec.populations[pop].n_cells)
                out[pop] = [i for i, t in enumerate(thresholds) if t <= self.strength_t + 1e-12]
        return out

    def apply(self, net: Any) -> ProtocolRecord:
        """Connect one stimulator per train to every recruited fibre; set the VR stimuli."""
        from cordsim.models.cells.spike_source import SpikeSource

        volleys = self.schedule()
        recruited = self.recruited(net)
        if not any(recruited.values()):
            raise ParameterError(
                f"cord_reflex: a {self.strength_t} T stimulus recruits no afferent fibre of the "
                f"{self.root} root (the lowest threshold is 1 T)"
            )
        trains = sorted({(v[1], i) for i, v in enumerate(volleys) if v[3] == 0})
        for k, (_rate, first) in enumerate(trains):
            start, rate = volleys[first][0], volleys[first][1]
            stimulator = SpikeSource(net.seed, "cord_reflex:stimulator", k, 0.0, 0.0)
            stimulator.cell.refrac_ms = 0.0
            stimulator.cell.train_start_ms = start - STIMULATOR_DELAY_MS  # fibres fire at start
            stimulator.cell.train_interval_ms = 1000.0 / rate
            stimulator.cell.train_number = self.n_pulses
            net.keep.append(stimulator)
            for pop, indices in recruited.items():
                local = dict(zip(net.local[pop].tolist(), net.cells[pop], strict=True))
                for j in indices:
                    if j in local:
                        nc = stimulator.netcon(local[j].cell)
                        nc.weight[0] = 1.0
                        nc.delay = STIMULATOR_DELAY_MS
                        net.keep.append(nc)
        if self.antidromic:
            self._antidromic(net, [v[0] for v in volleys])
        delay = min(
            net.spec.afferents[net.spec.populations[pop].afferent_key].conduction_delay_ms
            for pop, idx in recruited.items()
            if idx
        )
        first = MUSCLES[0] if self.root == "both" else self.root
        return ProtocolRecord(
            name=self.name,
            tstop_ms=self.tstop_ms,
            analysis_window_ms=(self.settle_ms, self.tstop_ms),
            measures=("reflex", "ventral_root"),
            params=self.to_dict(),
            agonist=first,
            stim_times_ms=tuple(v[0] for v in volleys),
            response_window_ms=(delay + 0.5, delay + 0.5 + self.window_length_ms),
            n_discard=self.n_discard,
            stim_rates_hz=tuple(v[2] for v in volleys),
            stim_pulse_index=tuple(v[3] for v in volleys),
        )

    def _antidromic(self, net: Any, times_ms: list[float]) -> None:
        from neuron import h

        for name in net.spec.population_names(kind="motor_pool"):
            if net.spec.populations[name].muscle not in self._muscles():
                continue
            for cell in net.cells[name]:
                for t in times_ms:
                    clamp = h.IClamp(cell.axon(1.0))
                    clamp.delay = max(0.0, t - self.antidromic_lead_ms)
                    clamp.dur = self.antidromic_duration_ms
                    clamp.amp = self.antidromic_current_na
                    net.keep.append(clamp)


PROTOCOLS: dict[str, type] = {
    "rest": Rest,
    "reflex": Reflex,
    "contraction": Contraction,
    "alternation": Alternation,
    "cord_reflex": CordReflex,
}


def make_protocol(name: str, **params: Any) -> Any:
    """Protocol ``name`` (a key of :data:`PROTOCOLS`) with ``params``."""
    if name not in PROTOCOLS:
        raise ParameterError(unknown_name_message("protocol", name, PROTOCOLS))
    return PROTOCOLS[name]().replace(**params) if params else PROTOCOLS[name]()
