"""Protocols for a cell's dynamics at rest: impedance (ZAP), gating half-voltages, Ia EPSPs.

Each protocol takes a freshly built cell (no other model in the process) and
returns a dict of :data:`~cordsim.models.measurement.properties.PROPERTIES`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from neuron import h

from cordsim.models.measurement.impedance import chirp_current, impedance_profile
from cordsim.models.measurement.rig import ClampRig
from cordsim.models.measurement.settings import MeasureSettings
from cordsim.models.solver import run_neuron

__all__ = [
    "IaSynapse",
    "chirp_response",
    "gating_half_voltages",
    "ia_epsps",
    "ia_synapse_without_spikes",
    "self_sustained_firing",
    "zap_resonance",
]

NAN = math.nan

#: Gate states read at the soma, (property, RANGE name, mechanism).
_GATES = (
    ("na_activation_v_half_mv", "m_csna", "csna"),
    ("na_inactivation_v_half_mv", "h_csna", "csna"),
    ("kdr_activation_v_half_mv", "n_cskdr", "cskdr"),
)


def chirp_response(
    cell: Any,
    i_chirp_na: np.ndarray,
    sample_ms: float,
    *,
    settle_ms: float,
    dt_ms: float,
    bias_na: float = 0.0,
) -> np.ndarray:
    """Somatic potential (mV) over a chirp current played at the soma.

    From ``finitialize`` the soma gets ``bias_na`` (nA) alone for
    ``settle_ms`` (ms), then ``bias_na + i_chirp_na`` sampled every
    ``sample_ms`` (ms; linearly interpolated); the potential is recorded at the
    same samples and returned for the chirp's span (``i_chirp_na.size``
    samples, fewer if the run ends first).

    Parameters
    ----------
    cell : cell
        The cell (no other model should exist).
    i_chirp_na : numpy.ndarray
        The chirp current (nA), one value per sample.
    sample_ms : float
        Sampling interval of the current and of the recording (ms).
    settle_ms : float
        Time on the bias alone before the chirp (ms).
    dt_ms : float
        Integration step (ms).
    bias_na : float
        Holding current under the chirp (nA); 0 measures at rest.
    """
    t_chirp = np.arange(i_chirp_na.size) * sample_ms
    seg = cell.soma(0.5)
    stim = h.IClamp(seg)
    stim.delay, stim.dur = 0.0, 1e9
    tvec = h.Vector(np.concatenate([[0.0], t_chirp + settle_ms]))
    ivec = h.Vector(np.concatenate([[bias_na], bias_na + i_chirp_na]))
    ivec.play(stim._ref_amp, tvec, True)
    v_rec = h.Vector().record(seg._ref_v, sample_ms)
    try:
        run_neuron(
            settle_ms + float(t_chirp[-1]),
            celsius=float(cell.celsius),
            v_init_mv=float(cell.v_init_mv),
            dt_ms=dt_ms,
        )
    finally:
        ivec.play_remove()
    v = np.array(v_rec.as_numpy())
    start = int(round(settle_ms / sample_ms))
    return v[start : start + t_chirp.size]


def zap_resonance(cell: Any, s: MeasureSettings, *, rin_mohm: float) -> dict[str, float]:
    """Resonance from a chirp current at rest (``zap_*`` settings).

    After ``settle_ms`` at rest, a linear chirp from ``zap_f_start_hz`` to
    ``zap_f_stop_hz`` over ``zap_ms``, of amplitude ``zap_mv / rin_mohm``
    (about ``zap_mv`` at low frequencies: small enough to stay linear and
    subthreshold), is injected at the soma.

    Returns
    -------
    dict
        ``resonance_frequency_hz`` (NaN without a peak) and ``resonance_q``;
        see :mod:`~cordsim.models.measurement.impedance`.
    """
    if not rin_mohm > 0:
        return {"resonance_frequency_hz": NAN, "resonance_q": NAN}
    amp_na = s.zap_mv / rin_mohm
    sample_ms = s.zap_sample_ms
    t_chirp = np.arange(0.0, s.zap_ms + sample_ms / 2, sample_ms)
    i_chirp = chirp_current(t_chirp, amp_na, s.zap_f_start_hz, s.zap_f_stop_hz, s.zap_ms)
    v = chirp_response(cell, i_chirp, sample_ms, settle_ms=s.settle_ms, dt_ms=s.dt_ms)
    profile = impedance_profile(
        v,
        i_chirp[: v.size],
        sample_ms,
        f_start_hz=s.zap_f_start_hz,
        f_stop_hz=s.zap_f_stop_hz,
        smooth_hz=s.zap_smooth_hz,
    )
    return {
        "resonance_frequency_hz": profile.resonance_frequency_hz,
        "resonance_q": profile.resonance_q,
    }


def _half_voltage(seg: Any, state: str, lo_mv: float = -150.0, hi_mv: float = 60.0) -> float:
    """Voltage (mV) at which a gate's steady state (set by ``finitialize``) is 0.5."""

    def value(v_mv: float) -> float:
        h.finitialize(v_mv)
        return float(getattr(seg, state)) - 0.5

    f_lo = value(lo_mv)
    if f_lo * value(hi_mv) > 0:
        return NAN
    for _ in range(60):  # bisection to far below 1 uV
        mid = 0.5 * (lo_mv + hi_mv)
        f_mid = value(mid)
        if (f_mid > 0) == (f_lo > 0):
            lo_mv, f_lo = mid, f_mid
        else:
            hi_mv = mid
    return 0.5 * (lo_mv + hi_mv)


def gating_half_voltages(cell: Any) -> dict[str, float]:
    """Effective half-voltages of the somatic Na and Kdr gates, every shift applied.

    Each gate's steady state is read from the mechanism itself (``finitialize``
    at a voltage sets every gate to its steady state there), by bisection on
    the voltage, at ``cell.soma(0.5)``; so the values are what the cell
    simulates, whatever shifts its parameters stack.

    Returns
    -------
    dict
        ``na_activation_v_half_mv``, ``na_inactivation_v_half_mv``,
        ``kdr_activation_v_half_mv`` (mV; NaN without the mechanism).
    """
    seg = cell.soma(0.5)
    h.celsius = float(cell.celsius)
    out = {}
    for prop, state, mech in _GATES:
        out[prop] = _half_voltage(seg, state) if hasattr(seg, mech) else NAN
    return out


@dataclass(frozen=True)
class IaSynapse:
    """The homonymous Ia input of one motor neuron, as the circuit spec builds it.

    Attributes
    ----------
    n_contacts : float
        Expected number of Ia fibres contacting the cell (fibres x probability).
    weight_us : float
        Peak conductance of one contact's first (undepressed) EPSC (uS).
    tau_rise_ms, tau_decay_ms : float
        Conductance rise and decay time constants (ms).
    use : float
        Fraction of resources used per volley (depression; 0 = none).
    tau_rec_ms : float
        Recovery time constant of the resources (ms).
    location : str
        Synapse site on the cell (``cell.synapse_site``).
    """

    n_contacts: float
    weight_us: float
    tau_rise_ms: float
    tau_decay_ms: float
    use: float
    tau_rec_ms: float
    location: str

    @classmethod
    def from_spec(cls, spec: Any, muscle: str = "flexor") -> IaSynapse:
        """The Ia -> MN input of ``muscle``'s pool in a :class:`~cordsim.models.circuit.CircuitSpec`."""
        conn = spec.connections["ia_to_mn"]
        n_fibres = spec.population_sizes()[f"ia_{muscle}"]
        syn = spec.synapses
        return cls(
            n_contacts=n_fibres * conn.probability,
            weight_us=conn.weight_us * conn.weight_scale,
            tau_rise_ms=syn.ia_tau_rise_ms,
            tau_decay_ms=syn.ia_tau_decay_ms,
            use=syn.ia_use,
            tau_rec_ms=syn.ia_tau_rec_ms,
            location=conn.location,
        )

    def make(self, cell: Any) -> Any:
        """A ``csExcSyn`` at this input's site on ``cell``, with its kinetics and depression."""
        sec, x = cell.synapse_site(self.location)
        syn = h.csExcSyn(sec(x))
        syn.tau1, syn.tau2 = self.tau_rise_ms, self.tau_decay_ms
        syn.u, syn.tau_rec = self.use, self.tau_rec_ms
        return syn


def ia_synapse_without_spikes(cell: Any, synapse: IaSynapse) -> Any:
    """Block ``cell``'s Na conductances (``csna``, ``csnap``) and give it ``synapse``.

    Returns
    -------
    hoc object
        The ``csExcSyn`` (:meth:`IaSynapse.make`); the caller activates it
        with ``weight_us * n_contacts`` (uS) for the composite EPSP.
    """
    for sec in cell.sections:
        for mech in ("csna", "csnap"):
            if h.ismembrane(mech, sec=sec):
                setattr(sec, f"gbar_{mech}", 0.0)
    return synapse.make(cell)


def ia_epsps(cell: Any, s: MeasureSettings, synapse: IaSynapse) -> dict[str, float]:
    """Composite Ia EPSP and its depression in a 10 Hz train, Na channels blocked.

    All the cell's expected Ia contacts fire together (a volley in every Ia
    fibre: the maximal homonymous Ia EPSP, Hippenmeyer et al. 2005), with Na
    conductances set to zero (spikes blocked, as with intracellular QX-314).
    ``ia_train_n`` volleys at ``ia_train_hz`` follow ``settle_ms`` at rest.
    Each EPSP is its peak within one interval minus the potential at its
    volley; the first is the composite EPSP.

    Returns
    -------
    dict
        ``ia_epsp_composite_mv`` (mV) and ``ia_epsp_ratio_10hz`` (mean of EPSPs
        4 to 10 over the first, the train being at ``ia_train_hz``).
    """
    syn = ia_synapse_without_spikes(cell, synapse)
    interval = 1000.0 / s.ia_train_hz
    times = [s.settle_ms + k * interval for k in range(s.ia_train_n)]
    stim_net = h.NetStim()
    stim_net.number, stim_net.start = s.ia_train_n, times[0]
    stim_net.interval, stim_net.noise = interval, 0
    nc = h.NetCon(stim_net, syn)
    nc.weight[0] = synapse.weight_us * synapse.n_contacts
    nc.delay = 0.0
    sample = s.dt_ms  # every step: the EPSP peaks are read exactly
    v_rec = h.Vector().record(cell.soma(0.5)._ref_v, sample)
    run_neuron(
        times[-1] + interval,
        celsius=float(cell.celsius),
        v_init_mv=float(cell.v_init_mv),
        dt_ms=s.dt_ms,
    )
    v = np.array(v_rec.as_numpy())
    amps = []
    for t0 in times:
        i0 = int(round(t0 / sample))
        i1 = int(round((t0 + interval) / sample))
        amps.append(float(v[i0:i1].max() - v[i0]))
    first = amps[0]
    later = amps[3:10]
    ratio = float(np.mean(later) / first) if first > 0 and len(later) == 7 else NAN
    return {"ia_epsp_composite_mv": first, "ia_epsp_ratio_10hz": ratio}


def self_sustained_firing(cell: Any, s: MeasureSettings, *, rheobase_na: float) -> dict[str, float]:
    """How long a cell keeps firing after a suprathreshold step ends.

    A square step of ``persist_multiple`` (3) x rheobase for ``persist_step_ms``
    (2 s) from rest, then ``persist_after_ms`` (1.5 s) with no current.

    Returns
    -------
    dict
        ``self_sustained_firing_ms``: time from the end of the step to the last
        spike (ms; 0 when the cell stops with the step; the whole
        ``persist_after_ms`` when it is still firing at the end of the run).
    """
    if not rheobase_na > 0:
        return {"self_sustained_firing_ms": NAN}
    rig = ClampRig(cell, s)
    trace = rig.trial(s.persist_multiple * rheobase_na, s.persist_step_ms, s.persist_after_ms)
    after = trace.spikes_ms[trace.spikes_ms > s.persist_step_ms]
    sustained = float(after.max() - s.persist_step_ms) if after.size else 0.0
    return {"self_sustained_firing_ms": sustained}
