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

Computation
  n_inf, tau_n at temp_ref with tau_scale = 1, and the factor of n's exact
  one-step update for tau_scale = tau_scale_table,
  n_step = 1 - exp(-dt * tadj / (tau_scale_table * tau_n)), are an NMODL
  TABLE over v - vshift (linear interpolation, 0.01 mV apart, rebuilt at
  finitialize when dt, celsius or a GLOBAL changed; vshift and tau_scale are
  RANGE variables, which a TABLE cannot depend on). tau_scale_table is the
  motor neurons' value (MotorNeuronParams.kdr_tau_scale, 0.27; a test checks
  that the two agree), so their segments, most of those with this current,
  read their step factor from the table; a segment with another tau_scale
  (interneurons) computes it from the tabulated tau_n with one exp. n moves
  by the exact solution over one step at fixed v, n += n_step * (n_inf - n):
  what METHOD cnexp computes. Checked against the analytic curves
  (tests/mechanisms/test_rate_tables.py; what the tables changed in spikes
  and cost: the header of csna.mod); usetable_cskdr = 0 computes the
  analytic curves every step. Tabulating the motor neurons' factor instead
  of tau_scale 1's (which no default cell uses) saved the exp of 332 of the
  372 segments of the circuit with reduced motor neurons (numbers in the
  README's performance section).

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
  n_step    (1)       factor of n's last one-step update (output)

GLOBAL variables
  tau_scale_table (1) the tau_scale whose step factor the table holds
ENDCOMMENT

NEURON {
    SUFFIX cskdr
    USEION k READ ek WRITE ik
    RANGE gbar, vshift, tau_scale, g, n_step
    GLOBAL q10, temp_ref, tau_scale_table
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
    tau_scale_table = 0.27 (1) <1e-6, 1e9>
}

ASSIGNED {
    tadj (1)
    v (mV)
    ek (mV)
    celsius (degC)
    dt (ms)
    ik (mA/cm2)
    g (S/cm2)
    n_inf (1)
    tau_ref (ms)
    n_step (1)
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
    SOLVE states
    g = gbar * n * n * n * n
    ik = g * (v - ek)
}

PROCEDURE states() {
    : the exact solution of n' = (n_inf - n) / tau_n over one step at fixed v
    : (what METHOD cnexp computes), with its factor 1 - exp(-dt / tau_n)
    rates(v)
    n = n + n_step * (n_inf - n)
}

PROCEDURE rates(v (mV)) {
    rates_rel(v - vshift)
    if (tau_scale != tau_scale_table) {
        n_step = 1 - exp(-dt * tadj / (tau_scale * tau_ref))
    }
}

PROCEDURE rates_rel(dv (mV)) {
    : steady state, time constant at temp_ref and tau_scale 1, and the step
    : factor for tau_scale_table, as functions of v - vshift
    LOCAL tadj_now
    TABLE n_inf, tau_ref, n_step DEPEND q10, temp_ref, celsius, dt, tau_scale_table FROM -200 TO 200 WITH 40000
    UNITSOFF
    n_inf = 1 / (1 + exp(-(dv + 28) / 15))
    tau_ref = 7 / (exp((dv + 40) / 40) + exp(-(dv + 40) / 50))
    tadj_now = q10 ^ ((celsius - temp_ref) / 10)
    n_step = 1 - exp(-dt * tadj_now / (tau_scale_table * tau_ref))
    UNITSON
}
