"""Parameters of the Ia inhibitory interneuron and the Renshaw cell.

No intrinsic properties of mouse Ia interneurons or Renshaw cells were found
in the sources read (reference targets section b); morphology follows Bui et
al. 2003 (J Neurophysiol 90:2900, cat: Renshaw cells are smaller and more
compact than Ia interneurons), input resistance is set in the range of
juvenile rodent ventral interneurons (~600 MOhm in neonatal rat Renshaw cells
and interneurons, PMC6095097 abstract) for the juvenile preset and a few
hundred MOhm in the adult. Values marked "fitted" were tuned so that the
default cells fall within the (soft) targets in ``models/data/targets.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models.paramset import ParamSet, param

_BOOTH = "Booth, Rinzel & Kiehn 1997 J Neurophysiol 78:3371"


@dataclass(frozen=True)
class InterneuronParams(ParamSet):
    """A small spinal interneuron: soma plus a few dendrites (adult IaIN defaults)."""

    soma_diam_um: float = param(
        20.0,
        "um",
        low=1,
        high=100,
        source="Bui et al. 2003 (cat IaIN soma ~20-30 um, scaled to mouse)",
    )
    n_dendrites: int = param(4, "1", low=1, high=20, source="Bui et al. 2003 (4-6 primaries, cat)")
    dend_length_um: float = param(
        300.0,
        "um",
        low=10,
        high=3000,
        source="fitted: Rin of a few hundred MOhm with the leak below",
    )
    dend_diam_um: float = param(
        1.5, "um", low=0.1, high=20, source="Bui et al. 2003 (thin dendrites)"
    )
    cm_uf_cm2: float = param(1.0, "uF/cm2", low=0.1, high=5, source="Gentet et al. 2000")
    ra_ohm_cm: float = param(
        100.0, "ohm*cm", low=10, high=1000, source="common value for interneuron models"
    )
    g_pas_s_cm2: float = param(
        1.0e-4,
        "S/cm2",
        low=0,
        high=1,
        source="fitted: membrane time constant ~10 ms, typical of spinal interneurons",
    )
    e_pas_mv: float = param(
        -65.0,
        "mV",
        low=-120,
        high=0,
        source="fitted: rest inside the soft -80 to -45 mV range (the adult cells: "
        "-65.4 mV IaIN, -65.0 mV Renshaw cell)",
    )
    gbar_na_s_cm2: float = param(
        0.15, "S/cm2", low=0, high=10, source=_BOOTH + " (order of 120 mS/cm2)"
    )
    vshift_na_mv: float = param(
        10.0,
        "mV",
        low=-40,
        high=40,
        source="fitted: Booth et al.'s curves moved as in the motor neuron; threshold about 27 "
        "mV above rest (adult IaIN -38.3 mV, Renshaw cell -37.8 mV; rest -65 mV)",
    )
    vshift_na_h_mv: float = param(
        25.0,
        "mV",
        low=-40,
        high=60,
        source="fitted: Booth et al.'s inactivation (half -55 mV) moved to -30 mV for sustained "
        "high rates, as MotorNeuronParams.vshift_na_h_mv (the only shift on the h gate)",
    )
    gbar_kdr_s_cm2: float = param(0.3, "S/cm2", low=0, high=10, source="fitted: brief spikes")
    vshift_kdr_mv: float = param(
        10.0, "mV", low=-40, high=40, source="as MotorNeuronParams.vshift_kdr_mv"
    )
    kdr_tau_scale: float = param(
        0.3,
        "1",
        low=0.01,
        high=10,
        source="fitted: interneuron spikes briefer than motor neuron spikes",
    )
    gbar_nap_s_cm2: float = param(
        2.0e-5,
        "S/cm2",
        low=0,
        high=1,
        source="fitted: small persistent Na, present in ventral interneurons; at 5e-5 S/cm2 it "
        "made a regenerative jump from ~5 mV above rest to the ~27 mV higher threshold, at "
        "2e-5 the passive depolarisation at rheobase is about half the rest-to-threshold "
        "excursion, and the Renshaw burst (>= 4 spikes at > 300 Hz) is kept",
    )
    gbar_can_s_cm2: float = param(0.005, "S/cm2", low=0, high=1, source=_BOOTH + " (scaled down)")
    gbar_sk_s_cm2: float = param(
        0.005, "S/cm2", low=0, high=1, source="fitted: modest spike-frequency adaptation"
    )
    ca_tau_ms: float = param(20.0, "ms", low=0.1, high=10000, source="fitted: short AHP")
    ca_free_fraction: float = param(0.0005, "1", low=0, high=1, source="as MotorNeuronParams")
    ena_mv: float = param(55.0, "mV", low=0, high=120, source=_BOOTH)
    ek_mv: float = param(-80.0, "mV", low=-120, high=-40, source=_BOOTH)
    celsius_degc: float = param(37.0, "degC", low=0, high=45, source="adult in vivo")
    v_init_mv: float = param(-65.0, "mV", low=-120, high=0, source="near rest")
    spike_threshold_mv: float = param(-10.0, "mV", low=-60, high=40, source="detection level")


#: Renshaw cells differ from IaINs (adult): smaller, more compact, faster,
#: able to fire bursts at several hundred Hz (Eccles et al. 1954, cat; from
#: memory; Bui et al. 2003 for the compact morphology).
RENSHAW_CHANGES: dict[str, float] = {
    "soma_diam_um": 15.0,
    "n_dendrites": 3,
    "dend_length_um": 200.0,
    "kdr_tau_scale": 0.2,
    "gbar_sk_s_cm2": 0.002,
    "ca_tau_ms": 15.0,
}

#: Juvenile (26 degC slice / isolated cord) changes, applied to both types.
JUVENILE_INTERNEURON_CHANGES: dict[str, float] = {
    "celsius_degc": 26.0,
    "g_pas_s_cm2": 5.0e-5,
    "dend_length_um": 200.0,
    "v_init_mv": -62.0,
}


#: The interneuron cell models with presets (:func:`interneuron_params`).
#: ``excitatory_interneuron`` (group I/II excitatory interneurons of the
#: isolated-cord preset) takes the Ia interneuron's parameters: no intrinsic
#: properties of mouse group I/II excitatory interneurons were found; in the
#: cat both are small lamina VI-VII neurons of similar input resistance
#: (Jankowska 1992 review, from memory).
INTERNEURON_TYPES = ("ia_interneuron", "renshaw", "excitatory_interneuron")


def interneuron_params(kind: str, age: str = "adult", **changes: object) -> InterneuronParams:
    """Preset for ``kind`` (one of :data:`INTERNEURON_TYPES`) at ``age``, with ``changes``."""
    if kind not in INTERNEURON_TYPES:
        raise ParameterError(unknown_name_message("interneuron kind", kind, INTERNEURON_TYPES))
    if age not in ("adult", "juvenile"):
        raise ParameterError(f"unknown age {age!r}; choose 'adult' or 'juvenile'")
    p = InterneuronParams()
    if kind == "renshaw":
        p = p.replace(**RENSHAW_CHANGES)
    if age == "juvenile":
        young = dict(JUVENILE_INTERNEURON_CHANGES)
        if kind == "renshaw":
            young["dend_length_um"] = 150.0
            young["g_pas_s_cm2"] = 8.0e-5  # fitted: Rin ~600 MOhm (PMC6095097)
        p = p.replace(**young)
    return p.replace(**changes) if changes else p
