TITLE cscan: N-type calcium current (feeds the SK pool)

COMMENT
What it models
  The high-voltage-activated N-type Ca2+ current that opens during each spike
  and loads the submembrane Ca2+ pool (cscad) that activates SK (cssk):
  ica = gbar * m^2 * h * (v - eca).

Source of the kinetics
  Booth, Rinzel & Kiehn (1997) J Neurophysiol 78:3371: m_inf half -30 mV,
  slope 5 mV, tau_m = 4 ms; h_inf half -45 mV, slope 5 mV, tau_h = 40 ms.
  Q10 = 3. eca comes from NEURON's Nernst calculation on cai/cao.

Temperature
  Rates scale as q10^((celsius - temp_ref)/10), with temp_ref = 37 degC (the
  temperature of the adult in vivo recordings that the defaults reproduce)
  and q10 = 3; the temperature model of every mechanism and its sources:
  cordsim.models.temperature.

RANGE variables and units
  gbar (S/cm2)   maximal conductance density
  ica  (mA/cm2)  current (output)
  g    (S/cm2)   present conductance (output)
ENDCOMMENT

NEURON {
    SUFFIX cscan
    USEION ca READ eca WRITE ica
    RANGE gbar, g
    GLOBAL q10, temp_ref, tau_m, tau_h
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.01 (S/cm2) <0, 1e9>
    tau_m = 4 (ms) <1e-6, 1e9>
    tau_h = 40 (ms) <1e-6, 1e9>
    q10 = 3 (1)
    temp_ref = 37 (degC)
}

ASSIGNED {
    v (mV)
    eca (mV)
    celsius (degC)
    ica (mA/cm2)
    g (S/cm2)
    m_inf (1)
    h_inf (1)
    tadj (1)
}

STATE { m h }

INITIAL {
    : the temperature factor, once per run (celsius is fixed during a run)
    UNITSOFF
    tadj = q10 ^ ((celsius - temp_ref) / 10)
    UNITSON
    rates(v)
    m = m_inf
    h = h_inf
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = gbar * m * m * h
    ica = g * (v - eca)
}

DERIVATIVE states {
    rates(v)
    m' = (m_inf - m) * tadj / tau_m
    h' = (h_inf - h) * tadj / tau_h
}

PROCEDURE rates(v (mV)) {
    UNITSOFF
    m_inf = 1 / (1 + exp(-(v + 30) / 5))
    h_inf = 1 / (1 + exp((v + 45) / 5))
    UNITSON
}
