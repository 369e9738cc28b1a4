TITLE csExcSyn: excitatory dual-exponential synapse with optional short-term depression

COMMENT
What it models
  An excitatory dual-exponential conductance synapse (rise tau1, decay tau2,
  reversal e) with optional short-term depression; u = 0 means none. cordsim
  uses it for every excitatory input:
  - Ia afferent -> motor neuron / Ia interneuron (glutamatergic, depressing:
    its rate-dependent depression, RDD, shapes the monosynaptic reflex);
  - motor-axon collateral -> Renshaw cell (cholinergic, u = 0, slower
    kinetics set by the caller);
  - background and descending excitatory inputs (u = 0, the Ia rise/decay
    time constants).
  Depression follows the resource model of Tsodyks & Markram (1997) PNAS
  94:719: each input stream (NetCon) has its own available fraction R,
  which recovers toward 1 with time constant tau_rec; an event of NetCon
  weight w (uS) adds w * R to the conductance and then uses a fraction u of
  what is available (R -> R * (1 - u)). w is therefore the peak-conductance
  scale of the first event after full recovery (the dual-exponential is
  normalised to a peak of 1). With u = 0, R stays 1 and every event adds w.

Source of the parameters (defaults: the depressing Ia synapse)
  Rise/decay defaults 0.2 / 2 ms: fast AMPA EPSCs of spinal motor neurons
  (Ia EPSPs rise in ~1 ms at 37 degC). u = 0.3 and tau_rec = 400 ms are
  fitted to give Ia-EPSP depression of about half at 10 Hz, the
  rate-dependent depression seen in the monosynaptic reflex of neonatal
  rodents (Bos et al. 2013 PNAS 110:348; see reference targets section d).
  The other uses (cholinergic, background, descending) set tau1, tau2 and
  u = 0 from the circuit's synapse parameters (cordsim.models.circuit).

Temperature
  The conductance's rise and decay time constants scale as
  q10^((celsius - temp_ref)/10), temp_ref = 37 degC (tau1 and tau2 are the
  values at 37 degC), q10 = 3 (AMPA EPSC kinetics, Hestrin, Sah & Nicoll
  1990 Neuron 5:247, as used to move EPSC time constants between 22 and
  34 degC in ModelDB 144490; assumed the same for the glycinergic and
  cholinergic uses). The recovery from depression scales with q10_rec = 3
  (assumed: no Q10 of the recovery of the Ia synapse was found). See cordsim.models.temperature.

Numerical method
  Between events A and B decay exponentially; each step multiplies them by
  exp(-dt / t1) and exp(-dt / t2), the exact solution (what METHOD cnexp
  gave, with two exp calls per synapse per step), computed again only when
  dt changes. Fixed-step integration only (cordsim never uses CVODE).
  Checked against the dual exponential (tests/mechanisms/test_exact_steps.py);
  the behaviour baselines' spikes are bit-identical.

RANGE variables and units
  tau1    (ms)  rise time constant
  tau2    (ms)  decay time constant (> tau1)
  e       (mV)  reversal potential
  u       (1)   fraction of available resources used per event (0 = no
                depression)
  tau_rec (ms)  recovery time constant of the resources
  i       (nA)  synaptic current (output)
  g       (uS)  synaptic conductance (output)
NetCon weight: w (uS), peak conductance of an undepressed event.
ENDCOMMENT

NEURON {
    POINT_PROCESS csExcSyn
    NONSPECIFIC_CURRENT i
    RANGE tau1, tau2, e, u, tau_rec, i, g
    GLOBAL q10, temp_ref, q10_rec
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau1 = 0.2 (ms) <1e-9, 1e9>
    tau2 = 2 (ms) <1e-9, 1e9>
    e = 0 (mV)
    q10 = 3 (1)
    q10_rec = 3 (1)
    temp_ref = 37 (degC)
    u = 0.3 (1) <0, 1>
    tau_rec = 400 (ms) <1e-9, 1e9>
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
    tadj_rec (1)
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
    tadj_rec = q10_rec ^ ((celsius - temp_ref) / 10)
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

NET_RECEIVE (w (uS), R (1), tlast (ms)) {
    INITIAL {
        R = 1
        tlast = -1e9
    }
    R = 1 - (1 - R) * exp(-(t - tlast) * tadj_rec / tau_rec)
    A = A + w * R * factor
    B = B + w * R * factor
    R = R * (1 - u)
    tlast = t
}
