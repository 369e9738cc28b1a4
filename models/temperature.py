"""The temperature model: one reference temperature and a Q10 for every process.

Every rate in cordsim's mechanisms is written at ``REFERENCE_TEMPERATURE_DEGC``
(37 degC, the temperature of the adult in vivo recordings that the defaults
reproduce: Manuel et al. 2009; Meehan et al. 2010) and scales at another
temperature by ``q10 ** ((celsius - 37) / 10)``: channel gating, Ca2+ removal,
synaptic rise and decay, and the recovery of the Ia synapse from depression.
Amplitudes (conductances) are not scaled: each age's densities and weights
are fitted at that age's temperature. At the juvenile preset's 26 degC every
rate is 3 ** -1.1 = 0.30 of its 37 degC value.

The values live in the mechanisms (the ``q10``/``temp_ref`` GLOBALs of each
.mod file); :data:`TEMPERATURE_MODEL` documents them with their sources and
:func:`mechanism_values` reads them back from NEURON, so a test can check
that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "REFERENCE_TEMPERATURE_DEGC",
    "TEMPERATURE_MODEL",
    "Q10Entry",
    "mechanism_values",
    "rate_factor",
]

#: Temperature at which every rate of every mechanism is written (degC).
REFERENCE_TEMPERATURE_DEGC = 37.0

_GATING = (
    "the Q10 of 3 measured for squid Na and K gating (Hodgkin & Huxley 1952) and "
    "used for Booth-type motor neuron kinetics (Booth et al. 1997; Powers et al. "
    "2012); rate Q10s of mammalian Na, K and Ca conductances lie near it above 15 "
    "degC (Pahlavan, Buitrago & Santamaria 2023 Biophys J 122:522, a re-analysis "
    "of published rates)"
)


@dataclass(frozen=True)
class Q10Entry:
    """How one mechanism's rates depend on temperature.

    Attributes
    ----------
    globals : dict of str to float
        The mechanism's Q10 GLOBALs (``q10``, and ``q10_rec`` for the Ia
        synapse's recovery) and their values.
    processes : str
        What the factor scales.
    source : str
        Where the Q10 comes from ("assumed" where no value was found).
    """

    globals: dict[str, float]
    processes: str
    source: str


#: The temperature model of every mechanism with rates (the spike source and the
#: measurement noise csNoise have none: their rates are set for the preparation).
TEMPERATURE_MODEL: dict[str, Q10Entry] = {
    "csna": Q10Entry({"q10": 3.0}, "Na activation, fast and slow inactivation", _GATING),
    "csnap": Q10Entry({"q10": 3.0}, "persistent Na activation", _GATING),
    "cskdr": Q10Entry({"q10": 3.0}, "delayed-rectifier activation", _GATING),
    "cscan": Q10Entry({"q10": 3.0}, "N-type Ca activation and inactivation", _GATING),
    "cscal": Q10Entry(
        {"q10": 3.0}, "L-type Ca activation and its Ca-dependent inactivation", _GATING
    ),
    "cskv1": Q10Entry({"q10": 3.0}, "Kv1 activation and slow inactivation", _GATING),
    "csh": Q10Entry(
        {"q10": 3.0},
        "h activation",
        _GATING + "; assumed for HCN as well (no motor neuron HCN Q10 was found)",
    ),
    "cssk": Q10Entry(
        {"q10": 3.0},
        "SK gating kinetics (where the gate is on, tau_deact > 0: the juvenile preset)",
        "assumed equal to gating's: no Q10 of SK gating was found",
    ),
    "cscad": Q10Entry(
        {"q10": 3.0},
        "Ca2+ removal from the submembrane shell (so the SK AHP)",
        "assumed: no Q10 of Ca2+ removal in motor neurons was found",
    ),
    "csExcSyn": Q10Entry(
        {"q10": 3.0, "q10_rec": 3.0},
        "EPSC rise and decay (q10); recovery from depression (q10_rec)",
        "q10: AMPA EPSC kinetics, Hestrin, Sah & Nicoll 1990 Neuron 5:247 (as used to move "
        "EPSC time constants from 22 to 34 degC in ModelDB 144490); q10_rec assumed equal "
        "(no Q10 of Ia synapse recovery was found)",
    ),
    "csGlySyn": Q10Entry(
        {"q10": 3.0},
        "IPSC rise and decay",
        "assumed equal to the AMPA EPSC's (no glycinergic IPSC Q10 was found)",
    ),
}


def rate_factor(celsius: float, q10: float = 3.0) -> float:
    """Factor by which a rate at ``celsius`` (degC) exceeds its 37 degC value."""
    return q10 ** ((celsius - REFERENCE_TEMPERATURE_DEGC) / 10.0)


def mechanism_values() -> dict[str, dict[str, float]]:
    """``{mechanism: {"temp_ref": degC, "q10": ..., ...}}`` as NEURON has them (loads them)."""
    from neuron import h

    from cordsim.mechanisms import load

    load()
    out = {}
    for mech, entry in TEMPERATURE_MODEL.items():
        values = {"temp_ref": float(getattr(h, f"temp_ref_{mech}"))}
        for name in entry.globals:
            values[name] = float(getattr(h, f"{name}_{mech}"))
        out[mech] = values
    return out
