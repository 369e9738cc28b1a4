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

Temperature
  The conductance's rise and decay time constants scale as
  q10^((celsius - temp_ref)/10), temp_ref = 37 degC (tau1 and tau2 are the
  values at 37 degC), q10 = 3 (AMPA EPSC kinetics, Hestrin, Sah & Nicoll
  1990 Neuron 5:247, as used to move EPSC time constants between 22 and
  34 degC in ModelDB 144490; assumed the same for the glycinergic and
  cholinergic uses). See cordsim.models.temperature.

Numerical method
  Between events A and B decay exponentially; each step multiplies them by
  exp(-dt / t1) and exp(-dt / t2), the exact solution (what METHOD cnexp
  gave, with two exp calls per synapse per step), computed again only when
  dt changes. Fixed-step integration only (cordsim never uses CVODE).
  Checked against the dual exponential (tests/mechanisms/test_exact_steps.py);
  the behaviour baselines' spikes are bit-identical.

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
    GLOBAL q10, temp_ref
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
    q10 = 3 (1)
    temp_ref = 37 (degC)
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
    factor (1)
    celsius (degC)
    tadj (1)
    t1 (ms)
    t2 (ms)
    dt (ms)
    dt_decay (ms)
    decay1 (1)
    decay2 (1)
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
    : the temperature factors, once per run (celsius is fixed during a run)
    UNITSOFF
    tadj = q10 ^ ((celsius - temp_ref) / 10)
    UNITSON
    t1 = tau1 / tadj
    t2 = tau2 / tadj
    A = 0
    B = 0
    dt_decay = -1
    tp = (t1 * t2) / (t2 - t1) * log(t2 / t1)
    factor = -exp(-tp / t1) + exp(-tp / t2)
    factor = 1 / factor
}

BREAKPOINT {
    SOLVE states
    g = B - A
    i = g * (v - e)
}

PROCEDURE states() {
    : exact decay over one step (A' = -A / t1, B' = -B / t2); the factors
    : change only with dt (t1 and t2 are set at INITIAL)
    if (dt != dt_decay) {
        dt_decay = dt
        decay1 = exp(-dt / t1)
        decay2 = exp(-dt / t2)
    }
    A = A * decay1
    B = B * decay2
}

NET_RECEIVE (w (uS)) {
    A = A + w * factor
    B = B + w * factor
}
