TITLE csGlySyn: glycinergic inhibitory synapse

COMMENT
What it models
  A dual-exponential conductance synapse with a Cl- reversal potential, the
  glycinergic synapses of Ia inhibitory interneurons and Renshaw cells on
  motor neurons and on each other (reciprocal and recurrent inhibition are
  strychnine-sensitive, glycinergic: Wang et al. 2008, reference targets b).
  An event of NetCon weight w (uS) gives a peak conductance w.

Source of the parameters
  Rise 0.5 ms and decay 5 ms: glycinergic IPSCs of rodent motor neurons
  decay in about 3-8 ms at physiological temperature (e.g. Gao & Ziskind-
  Conhaim 1995 J Neurophysiol 74:113, rat). e = -75 mV for the adult Cl-
  gradient; juvenile presets set a less negative value (see the parameter
  tables in cordsim.models.params).

RANGE variables and units
  tau1 (ms)  rise time constant
  tau2 (ms)  decay time constant (> tau1)
  e    (mV)  reversal potential
  i    (nA)  synaptic current (output)
  g    (uS)  synaptic conductance (output)
NetCon weight: w (uS).
ENDCOMMENT

NEURON {
    POINT_PROCESS csGlySyn
    NONSPECIFIC_CURRENT i
    RANGE tau1, tau2, e, i, g
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau1 = 0.5 (ms) <1e-9, 1e9>
    tau2 = 5 (ms) <1e-9, 1e9>
    e = -75 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
    factor (1)
}

STATE {
    A (uS)
    B (uS)
}

INITIAL {
    LOCAL tp
    if (tau1 / tau2 > 0.9999) {
        tau1 = 0.9999 * tau2
    }
    A = 0
    B = 0
    tp = (tau1 * tau2) / (tau2 - tau1) * log(tau2 / tau1)
    factor = -exp(-tp / tau1) + exp(-tp / tau2)
    factor = 1 / factor
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = B - A
    i = g * (v - e)
}

DERIVATIVE states {
    A' = -A / tau1
    B' = -B / tau2
}

NET_RECEIVE (w (uS)) {
    A = A + w * factor
    B = B + w * factor
}
