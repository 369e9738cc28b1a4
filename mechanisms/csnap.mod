TITLE csnap: persistent sodium current (NaP)

COMMENT
What it models
  The non-inactivating Na+ current of motor neurons and interneurons: it
  amplifies depolarisation below threshold, supports the sub-primary range and
  is one of the two persistent inward currents (with CaL) behind ramp
  hysteresis. inap = gbar * m * (v - ena).

Source of the kinetics
  A first-order, non-inactivating activation gate with half-activation near
  -50 mV and slope 5 mV, the range reported for the TTX-sensitive persistent Na
  current of rodent motor neurons (Li & Bennett 2003 J Neurophysiol 90:857;
  Kuo et al. 2006 J Neurophysiol 95:3920 in mouse); these values are
  representative, not a fit. tau = 1 ms at 37 degC (activation of NaP is fast,
  about 1 ms; Li & Bennett 2003). Q10 = 3 as for csna.

Computation
  The gate m moves by its exact solution over one step at fixed v
  (x += x_step * (x_inf - x), what METHOD cnexp computed), with the step
  factor x_step = 1 - exp(-dt * tadj / tau) computed again only when dt, the
  temperature or the time constant changes: 1 exp call(s) fewer per
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
  gbar   (S/cm2)   maximal conductance density
  vhalf  (mV)      half-activation voltage
  slope  (mV)      Boltzmann slope
  ina    (mA/cm2)  current (output)
  g      (S/cm2)   present conductance (output)
ENDCOMMENT

NEURON {
    SUFFIX csnap
    USEION na READ ena WRITE ina
    RANGE gbar, vhalf, slope, g
    GLOBAL q10, temp_ref, tau
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 1e-4 (S/cm2) <0, 1e9>
    vhalf = -50 (mV)
    slope = 5 (mV) <1e-3, 1e9>
    tau = 1 (ms) <1e-6, 1e9>
    q10 = 3 (1)
    temp_ref = 37 (degC)
}

ASSIGNED {
    v (mV)
    ena (mV)
    celsius (degC)
    ina (mA/cm2)
    g (S/cm2)
    m_inf (1)
    tadj (1)
    dt (ms)
    m_rate (1)
    m_step (1)
}

STATE { m }

INITIAL {
    : the temperature factor, once per run (celsius is fixed during a run)
    UNITSOFF
    tadj = q10 ^ ((celsius - temp_ref) / 10)
    UNITSON
    rates(v)
    m = m_inf
    m_rate = -1
}

BREAKPOINT {
    SOLVE states
    g = gbar * m
    ina = g * (v - ena)
}

PROCEDURE states() {
    LOCAL rate
    : exact one-step update at fixed v (what METHOD cnexp computed); the
    : step factor changes only with dt, the temperature or tau
    rate = dt * tadj / tau
    if (rate != m_rate) {
        m_rate = rate
        m_step = 1 - exp(-rate)
    }
    rates(v)
    m = m + m_step * (m_inf - m)
}

PROCEDURE rates(v (mV)) {
    UNITSOFF
    m_inf = 1 / (1 + exp(-(v - vhalf) / slope))
    UNITSON
}
