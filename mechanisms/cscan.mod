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

Computation
  Each gate (m, h) moves by its exact solution over one step at fixed v
  (x += x_step * (x_inf - x), what METHOD cnexp computed), with the step
  factor x_step = 1 - exp(-dt * tadj / tau) computed again only when dt, the
  temperature or the time constant changes: 2 exp call(s) fewer per
  segment per step. Checked against the exact relaxation at a clamped
  potential, also across a change of dt in mid-run
  (tests/mechanisms/test_exact_steps.py); the spikes of the behaviour
  baselines (four protocols, the small sweep) are bit-identical. Together
  with the synapses' decay factors: the default circuit 1.13-1.15x faster
  with reduced or detailed motor neurons (benchmarks/versions.py, paired).

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
    dt (ms)
    m_rate (1)
    m_step (1)
    h_rate (1)
    h_step (1)
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
    m_rate = -1
    h_rate = -1
}

BREAKPOINT {
    SOLVE states
    g = gbar * m * m * h
    ica = g * (v - eca)
}

PROCEDURE states() {
    LOCAL rate
    : exact one-step updates at fixed v (what METHOD cnexp computed); the
    : step factors change only with dt, the temperature or a time constant
    rate = dt * tadj / tau_m
    if (rate != m_rate) {
        m_rate = rate
        m_step = 1 - exp(-rate)
    }
    rate = dt * tadj / tau_h
    if (rate != h_rate) {
        h_rate = rate
        h_step = 1 - exp(-rate)
    }
    rates(v)
    m = m + m_step * (m_inf - m)
    h = h + h_step * (h_inf - h)
}

PROCEDURE rates(v (mV)) {
    UNITSOFF
    m_inf = 1 / (1 + exp(-(v + 30) / 5))
    h_inf = 1 / (1 + exp((v + 45) / 5))
    UNITSON
}
