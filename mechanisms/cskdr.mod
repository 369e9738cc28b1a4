TITLE cskdr: delayed-rectifier potassium current

COMMENT
What it models
  The delayed-rectifier K+ current that repolarises spikes:
  ik = gbar * n^4 * (v - ek).

Source of the kinetics
  Booth, Rinzel & Kiehn (1997) J Neurophysiol 78:3371: n_inf half -28 mV,
  slope 15 mV; tau_n = 7 / (exp((v+40)/40) + exp(-(v+40)/50)) ms. tau_scale
  speeds the gate up (< 1) for interneurons whose spikes are briefer and that
  fire at several hundred Hz (Renshaw cells); 1 = Booth et al. Q10 = 3.

Temperature
  Rates scale as q10^((celsius - temp_ref)/10), with temp_ref = 37 degC (the
  temperature of the adult in vivo recordings that the defaults reproduce)
  and q10 = 3; the temperature model of every mechanism and its sources:
  cordsim.models.temperature.

RANGE variables and units
  gbar      (S/cm2)   maximal conductance density
  vshift    (mV)      shift of activation
  tau_scale (1)       multiplies tau_n
  ik        (mA/cm2)  current (output)
  g         (S/cm2)   present conductance (output)
ENDCOMMENT

NEURON {
    SUFFIX cskdr
    USEION k READ ek WRITE ik
    RANGE gbar, vshift, tau_scale, g
    GLOBAL q10, temp_ref
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.03 (S/cm2) <0, 1e9>
    vshift = 0 (mV)
    tau_scale = 1 (1) <1e-6, 1e9>
    q10 = 3 (1)
    temp_ref = 37 (degC)
}

ASSIGNED {
    tadj (1)
    v (mV)
    ek (mV)
    celsius (degC)
    ik (mA/cm2)
    g (S/cm2)
    n_inf (1)
    tau_n (ms)
}

STATE { n }

INITIAL {
    : the temperature factor, once per run (celsius is fixed during a run)
    UNITSOFF
    tadj = q10 ^ ((celsius - temp_ref) / 10)
    UNITSON
    rates(v)
    n = n_inf
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = gbar * n * n * n * n
    ik = g * (v - ek)
}

DERIVATIVE states {
    rates(v)
    n' = (n_inf - n) / tau_n
}

PROCEDURE rates(v (mV)) {
    LOCAL vv
    UNITSOFF
    vv = v - vshift
    n_inf = 1 / (1 + exp(-(vv + 28) / 15))
    tau_n = tau_scale * 7 / (exp((vv + 40) / 40) + exp(-(vv + 40) / 50)) / tadj
    UNITSON
}
