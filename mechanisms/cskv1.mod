TITLE cskv1: slowly inactivating, low-threshold Kv1 (D-type) potassium current

COMMENT
What it models
  The low-threshold K+ current of Kv1 channels that activates a few mV
  below spike threshold within milliseconds and inactivates over seconds
  (the D-current; Storm 1988 Nature 336:379): ik = gbar * n * s * (v - ek).
  In juvenile mouse lumbar motor neurons it is what makes the large
  (F-type) cells "delayed firing": on a long step at rheobase the current
  first holds the cell below threshold, then inactivates slowly, so that
  the first spike comes seconds late and the discharge accelerates (Leroy
  et al. 2014 eLife 3:e04046: 67 % of P6-P10 lumbar motor neurons, the F
  type; a slowly activating and inactivating K current; Bos et al. 2018
  Cell Rep 22:3315: slow inactivation of Kv1.2 produces the acceleration
  of lumbar motor neurons).

Source of the kinetics
  Neither paper gives kinetics that could be read. The form is that of
  the D-current (Storm 1988): a low-threshold activation gate (half
  -50 mV, slope 6 mV) and a slow inactivation gate (half -65 mV, slope
  6 mV); the half-voltages and slopes are representative values, not a
  fit to mouse motor neuron recordings. The time constants are fitted
  (0.27 ms activation, fast enough that the current holds a large cell
  below threshold from the first milliseconds of a step, without which it
  fires one spike at the onset; 540 ms inactivation, 1.8 s at 26 degC), as
  is the cell's density (see the motor neuron parameters and the pool).
  The inactivation time constant was chosen among 270, 540 and 810 ms
  (benchmarks/onset_acceleration.py --kv1, juvenile pool, 2026-12-05). At
  270 ms (0.9 s at 26 degC; the value before) Kv1 had inactivated by the
  time the delayed cells fired, and the Ca-dependent inactivation of their
  L-type Ca current then slowed them down: onset_acceleration median 0.64
  over the delayed cells, and with the tor1a_spinal_drg motor neuron
  changes the two largest cells fired on for 315 and 972 ms after a step.
  At 540 ms the median is 0.93 and the knockout's cells stop with the step
  (0 ms). At 810 ms the largest cell's first spike came 4.7 s into the
  5-s onset step.

Temperature
  Rates scale as q10^((celsius - temp_ref)/10), with temp_ref = 37 degC (the
  temperature of the adult in vivo recordings that the defaults reproduce)
  and q10 = 3; see cordsim.models.temperature.

RANGE variables and units
  gbar  (S/cm2)   maximal conductance density
  ik    (mA/cm2)  current (output)
  g     (S/cm2)   present conductance (output)
ENDCOMMENT

NEURON {
    SUFFIX cskv1
    USEION k READ ek WRITE ik
    RANGE gbar, g
    GLOBAL q10, temp_ref, vhalf_n, slope_n, tau_n, vhalf_s, slope_s, tau_s
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0 (S/cm2) <0, 1e9>
    vhalf_n = -50 (mV)
    slope_n = 6 (mV) <1e-3, 1e9>
    tau_n = 0.27 (ms) <1e-6, 1e9>
    vhalf_s = -65 (mV)
    slope_s = 6 (mV) <1e-3, 1e9>
    tau_s = 540 (ms) <1e-6, 1e9>
    q10 = 3 (1)
    temp_ref = 37 (degC)
}

ASSIGNED {
    v (mV)
    ek (mV)
    celsius (degC)
    ik (mA/cm2)
    g (S/cm2)
    n_inf (1)
    s_inf (1)
    tadj (1)
}

STATE { n s }

INITIAL {
    : the temperature factor, once per run (celsius is fixed during a run)
    UNITSOFF
    tadj = q10 ^ ((celsius - temp_ref) / 10)
    UNITSON
    rates(v)
    n = n_inf
    s = s_inf
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = gbar * n * s
    ik = g * (v - ek)
}

DERIVATIVE states {
    rates(v)
    n' = (n_inf - n) * tadj / tau_n
    s' = (s_inf - s) * tadj / tau_s
}

PROCEDURE rates(v (mV)) {
    UNITSOFF
    n_inf = 1 / (1 + exp(-(v - vhalf_n) / slope_n))
    s_inf = 1 / (1 + exp((v - vhalf_s) / slope_s))
    UNITSON
}
