TITLE csh: hyperpolarisation-activated cation current (Ih)

COMMENT
What it models
  The h-current that produces the sag of motor neurons to hyperpolarising
  steps (sag ratio ~1.2 in adult mouse, Manuel et al. 2009) and depolarises
  the resting potential: ih = gbar * m * (v - eh).

Source of the kinetics
  Steady state: half-activation -80 mV, slope 7 mV, reversal -30 mV, in the
  range of the HCN currents of rodent motor neurons (Takahashi 1990
  J Neurophysiol 63:1045, rat; Kjaerulff & Kiehn 2001 J Neurophysiol 85:580).
  Time constant: bell-shaped, tau = tau_min + tau_peak / (exp((v+80)/13) +
  exp(-(v+80)/13)) with tau_peak = 2*tau_max, so that tau at -80 mV (the peak)
  is tau_min + tau_max = 65 ms at 37 degC; tau_max (60 ms) is a fitted value,
  chosen so that the sag develops within the
  100-200 ms steps used to measure peak and plateau Rin in adult mouse motor
  neurons (Manuel et al. 2009). Q10 = 3.

Computation
  m_inf, the time constant at temp_ref, and the factor of one step's exact
  update, m_step = 1 - exp(-dt * tadj / tau) (what METHOD cnexp computes with
  an exp per segment and step), are tabulated over v - vhalf from -200 to
  +200 mV in 0.01 mV steps (NMODL TABLE, linear interpolation, rebuilt when
  dt, celsius or a GLOBAL changes); the exponentials were 52 % of the default
  circuit's run time. Checked against the analytic curves
  (tests/mechanisms/test_rate_tables.py): largest error over -120..+40 mV
  (13 uV steps) 2.5e-8 in m_inf and 6.8e-8 relative in tau. Spikes: the four
  short protocols of the behaviour baselines and the small example sweep
  bit-identical to the analytic cnexp version, except 2 of 478 spikes one
  time step (0.025 ms) later in the knockout's runaway regime (a 3-cell pool
  near 240 Hz; a 0.1 mV table lost a spike there). Setting usetable_csh = 0
  computes the analytic curves every step.

Temperature
  Rates scale as q10^((celsius - temp_ref)/10), with temp_ref = 37 degC (the
  temperature of the adult in vivo recordings that the defaults reproduce)
  and q10 = 3; the temperature model of every mechanism and its sources:
  cordsim.models.temperature.

RANGE variables and units
  gbar  (S/cm2)   maximal conductance density
  vhalf (mV)      half-activation voltage
  eh    (mV)      reversal potential
  i     (mA/cm2)  current (output)
  g     (S/cm2)   present conductance (output)
  m_inf (1)       steady-state activation (output)
  tau   (ms)      activation time constant at celsius (output)
  m_step (1)      fraction of the way to m_inf that m moves in one step (output)
ENDCOMMENT

NEURON {
    SUFFIX csh
    NONSPECIFIC_CURRENT i
    RANGE gbar, vhalf, eh, g, m_inf, tau, m_step
    GLOBAL q10, temp_ref, slope, tau_max, tau_min
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 1e-4 (S/cm2) <0, 1e9>
    vhalf = -80 (mV)
    slope = 7 (mV) <1e-3, 1e9>
    eh = -30 (mV)
    tau_max = 60 (ms) <1e-6, 1e9>
    tau_min = 5 (ms) <0, 1e9>
    q10 = 3 (1)
    temp_ref = 37 (degC)
}

ASSIGNED {
    tadj (1)
    v (mV)
    celsius (degC)
    i (mA/cm2)
    g (S/cm2)
    m_inf (1)
    tau (ms)
    tau_ref (ms)
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
}

BREAKPOINT {
    SOLVE states
    g = gbar * m
    i = g * (v - eh)
}

PROCEDURE states() {
    : the exact solution of m' = (m_inf - m) / tau over one step at fixed v (what
    : METHOD cnexp computes), with its factor 1 - exp(-dt / tau) from the table
    rates(v)
    m = m + m_step * (m_inf - m)
}

PROCEDURE rates(v (mV)) {
    rates_rel(v - vhalf)
    tau = tau_ref / tadj
}

PROCEDURE rates_rel(dv (mV)) {
    : steady state, time constant at the reference temperature, and the factor
    : of one step's exact update, as functions of v - vhalf (vhalf is a RANGE
    : variable, which a TABLE cannot depend on)
    LOCAL tadj_now
    TABLE m_inf, tau_ref, m_step DEPEND slope, tau_max, tau_min, q10, temp_ref, celsius, dt FROM -200 TO 200 WITH 40000
    UNITSOFF
    m_inf = 1 / (1 + exp(dv / slope))
    tau_ref = tau_min + 2 * tau_max / (exp(dv / 13) + exp(-dv / 13))
    tadj_now = q10 ^ ((celsius - temp_ref) / 10)
    m_step = 1 - exp(-dt * tadj_now / tau_ref)
    UNITSON
}
