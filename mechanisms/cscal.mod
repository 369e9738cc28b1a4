TITLE cscal: L-type (Cav1.3) calcium current of the dendrites (the plateau PIC)

COMMENT
What it models
  The slowly activating, non-inactivating dendritic L-type Ca2+ current
  (Cav1.3) that generates plateau potentials, self-sustained firing and the
  counter-clockwise (negative delta-I) hysteresis of motor neurons on
  triangular ramps: ical = gbar * m * f * (v - e_cal), with f its
  Ca-dependent inactivation (below).
  It is written as a NONSPECIFIC_CURRENT with a fixed reversal potential, so
  that its Ca2+ does not load the SK pool of cscad: only N-type Ca2+ does (the
  same separation of Ca2+ pools as in the Powers & Heckman 2017 model, ModelDB
  239582, which routes L-type Ca2+ to its own 'caL' ion).

Source of the kinetics
  Booth, Rinzel & Kiehn (1997) J Neurophysiol 78:3371: m_inf half -40 mV,
  slope 7 mV, tau_m = 40 ms, reversal 80 mV. Nifedipine-sensitive PIC exists
  in juvenile mouse motor neurons (Sharples & Miles 2021 eLife 10:e71385).
  Q10 = 3.

Ca-dependent inactivation (the gate f)
  Cav1.3 channels inactivate through the Ca2+ that enters them (calmodulin
  bound to the channel; Xu & Lipscombe 2001 J Neurosci 21:5944: Cav1.3
  shows calcium-dependent inactivation, weaker than Cav1.2's), and the
  dendritic PIC of motor neurons declines slowly during long plateaus
  (Lee & Heckman 1998 J Neurophysiol 80:583, cat; Li & Bennett 2003
  J Neurophysiol 90:857, rat: the Ca PIC is 'persistent' but not
  everlasting). So a plateau amplifies and prolongs firing but does not
  hold a cell on for ever. The entering Ca2+ is taken proportional to
  flux = m * max(e_cal - v, 0) / (e_cal - vhalf) (1 when the channels are
  fully open at vhalf), and
    f_inf = 1 / (1 + flux / k_cdi),   df/dt = (f_inf - f) * tadj / tau_cdi.
  k_cdi (the flux that halves the conductance at steady state) and tau_cdi
  are fitted (see the motor neuron parameters); the mechanism's default
  k_cdi = 1e9 switches the gate off.

Computation
  The temperature factor tadj is computed once per run in INITIAL; m_inf is
  computed exactly every step. A 0.1 mV rate table (largest error 2.5e-6)
  was tried and rejected: it moved 57 of 741 spikes of the short contraction
  protocol by up to 0.275 ms (the network amplifies the tiny difference),
  while csh's table leaves every spike of the four protocols bit-identical.
  Each gate (m, f) moves by its exact solution over one step at fixed v
  (x += x_step * (x_inf - x), what METHOD cnexp computed; m first, since
  f_inf depends on the updated m), with the step factors
  1 - exp(-dt * tadj / tau) computed again only when dt, the temperature or
  the time constant changes: 2 exp calls fewer per segment per step. Checked
  against the exact relaxation at a clamped potential
  (tests/mechanisms/test_exact_steps.py); the behaviour baselines' spikes are
  bit-identical.

Temperature
  Rates scale as q10^((celsius - temp_ref)/10), with temp_ref = 37 degC (the
  temperature of the adult in vivo recordings that the defaults reproduce)
  and q10 = 3; the temperature model of every mechanism and its sources:
  cordsim.models.temperature.

RANGE variables and units
  gbar  (S/cm2)   maximal conductance density
  vhalf (mV)      half-activation voltage
  e_cal (mV)      reversal potential
  i     (mA/cm2)  current (output)
  g     (S/cm2)   present conductance (output)
  m_inf (1)       steady-state activation (output)
  k_cdi (1)       normalised Ca2+ flux that halves the conductance (CDI)
  tau_cdi (ms)    time constant of the CDI gate at temp_ref
  tadj  (1)       temperature factor of the kinetics, set at initialisation (output)
ENDCOMMENT

NEURON {
    SUFFIX cscal
    NONSPECIFIC_CURRENT i
    RANGE gbar, vhalf, e_cal, g, m_inf, tadj, k_cdi, tau_cdi
    GLOBAL q10, temp_ref, tau_m, slope
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 1e-4 (S/cm2) <0, 1e9>
    vhalf = -40 (mV)
    slope = 7 (mV) <1e-3, 1e9>
    e_cal = 80 (mV)
    tau_m = 40 (ms) <1e-6, 1e9>
    k_cdi = 1e9 (1) <1e-9, 1e18>
    tau_cdi = 1000 (ms) <1e-6, 1e9>
    q10 = 3 (1)
    temp_ref = 37 (degC)
}

ASSIGNED {
    v (mV)
    celsius (degC)
    i (mA/cm2)
    g (S/cm2)
    m_inf (1)
    f_inf (1)
    tadj (1)
    dt (ms)
    m_rate (1)
    m_step (1)
    f_rate (1)
    f_step (1)
}

STATE { m f }

INITIAL {
    : the temperature factor, once per run (celsius is fixed during a run)
    UNITSOFF
    tadj = q10 ^ ((celsius - temp_ref) / 10)
    UNITSON
    rates(v)
    m = m_inf
    cdi(v)
    f = f_inf
    m_rate = -1
    f_rate = -1
}

BREAKPOINT {
    SOLVE states
    g = gbar * m * f
    i = g * (v - e_cal)
}

PROCEDURE states() {
    LOCAL rate
    : exact one-step updates at fixed v (what METHOD cnexp computed), m first:
    : f_inf depends on the updated m, as in the DERIVATIVE block this replaced.
    : The step factors change only with dt, the temperature or tau_cdi
    rate = dt * tadj / tau_m
    if (rate != m_rate) {
        m_rate = rate
        m_step = 1 - exp(-rate)
    }
    rate = dt * tadj / tau_cdi
    if (rate != f_rate) {
        f_rate = rate
        f_step = 1 - exp(-rate)
    }
    rates(v)
    m = m + m_step * (m_inf - m)
    cdi(v)
    f = f + f_step * (f_inf - f)
}

PROCEDURE cdi(v (mV)) {
    LOCAL flux
    UNITSOFF
    flux = (e_cal - v) / (e_cal - vhalf)
    if (flux < 0) { flux = 0 }
    f_inf = 1 / (1 + m * flux / k_cdi)
    UNITSON
}

PROCEDURE rates(v (mV)) {
    UNITSOFF
    m_inf = 1 / (1 + exp(-(v - vhalf) / slope))
    UNITSON
}
