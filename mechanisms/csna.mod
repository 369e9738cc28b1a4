TITLE csna: fast transient sodium current (soma, initial segment, axon)

COMMENT
What it models
  The fast, inactivating Na+ current that makes motor neuron and interneuron
  spikes: ina = gbar * m^3 * h * (v - ena).

Source of the kinetics
  Steady-state activation and inactivation and the inactivation time constant
  follow the motor neuron model of Booth, Rinzel & Kiehn (1997) J Neurophysiol
  78:3371 (m_inf half -35 mV, slope 7.8 mV; h_inf half -55 mV, slope 7 mV;
  tau_h = 30 / (exp((v+50)/15) + exp(-(v+50)/16)) ms; tau_h_scale multiplies
  it, 1 = Booth et al., the default of every cell). Booth et al. make
  activation instantaneous; here m relaxes with tau_m (0.05 ms at 37 degC, a
  fitted value: small against the ~0.3 ms spike rise of adult mouse motor
  neurons, Manuel et al. 2009, and it removes the stiffness of instantaneous
  gating in long cables). vshift_m / vshift_h move the curves (the initial
  segment's Nav1.6 activates at lower voltages: Sharples & Miles 2021 show
  Nav1.6 carries much of the juvenile PIC).
  Temperature: rates scale with q10^((celsius - temp_ref)/10), q10 = 3
  (the value assumed for Booth-type motor neuron kinetics by Powers et al.).

Slow inactivation (the gate s)
  Na channels also inactivate slowly (hundreds of ms to s) during sustained
  depolarisation and repetitive firing, and recover slowly at rest (Vilin &
  Ruben 2001 Cell Biochem Biophys 35:171, review; Fleidervish, Friedman &
  Gutnick 1996 J Physiol 493:83). In mouse lumbar motor neurons slow Na
  inactivation underlies the early phase of spike-frequency adaptation
  (Miles, Dai & Brownstone 2005 J Physiol 566:519). It is what keeps a
  motor neuron from sustaining its highest rates: without it a cell that is
  pushed past its primary range can lock into firing at several hundred Hz.
  ina = gbar * m^3 * h * s * (v - ena), with
    s_inf = s_min + (1 - s_min) / (1 + exp((v - vhalf_s) / slope_s))
    ds/dt = (s_inf - s) / tau_s   (tau_s scaled by the Q10 factor)
  Slow inactivation is incomplete (s_min > 0: a fraction of channels never
  enters the slow state; Vilin & Ruben 2001). Defaults (vhalf_s -45 mV,
  slope_s 5 mV, tau_s 1000 ms, s_min 0.3) are fitted within those reviews'
  ranges (half-voltages -70 to -40 mV depending on channel and protocol,
  time constants 0.1 to 10 s); the cell sets them per region. s_min = 1
  removes the gate.

Computation
  The exponentials were the largest cost of the reduced motor neuron (perf
  profile of a pool of 100 reduced cells: 29 % of the samples in exp, 21 %
  called from csna and cskdr). So m_inf (over v - vshift_m), h_inf and the factor of
  h's exact one-step update h_step = 1 - exp(-dt * tadj / (tau_h_scale_table *
  tau_h)) (over v - vshift_h; tau_h alone is a table too, tau_h_booth), and the Boltzmann function of s_inf (over
  (v - vhalf_s) / slope_s) are NMODL TABLEs with linear interpolation,
  0.01 mV (0.001 slope units) apart and rebuilt at initialisation when dt,
  celsius or a GLOBAL changed (NEURON checks at finitialize: set dt before
  it, as cordsim's solver does); the shifts, vhalf_s and slope_s are RANGE variables, which
  a TABLE cannot depend on, hence the relative arguments. m's step factor
  depends on no voltage (tau_m is a GLOBAL) and is part of m's table; s's
  (tau_s is a RANGE variable) is computed once per segment and recomputed
  only when dt * tadj / tau_s changes. Each gate moves by the exact solution
  over one step at fixed v, x += x_step * (x_inf - x): what METHOD cnexp
  computes. Checked against the analytic curves
  (tests/mechanisms/test_rate_tables.py): largest error over -120..+40 mV
  2.5e-8 in m_inf, h_inf, s_inf (and cskdr's n_inf); a spiking compartment
  fires at the same steps with tables on and off (traces within 0.001 mV).
  The four short protocols of the behaviour baselines and the small example
  sweep: every spike unchanged but 1 of the alternation's 480, one time step
  earlier, which moves the same way with the tables off (the rounding of the
  written-out update). Tables of csna and cskdr together: a pool of 100 reduced cells
  1.42x faster, of detailed cells 1.08x (benchmarks/cells.py, tables on and
  off alternating in one run, idle machine). usetable_csna = 0 computes the analytic curves
  every step.

Temperature
  Rates scale as q10^((celsius - temp_ref)/10), with temp_ref = 37 degC (the
  temperature of the adult in vivo recordings that the defaults reproduce)
  and q10 = 3; the temperature model of every mechanism and its sources:
  cordsim.models.temperature.

RANGE variables and units
  gbar     (S/cm2)   maximal conductance density
  vshift_m (mV)      shift of activation (negative = activates at lower v)
  vshift_h (mV)      shift of inactivation
  vhalf_s  (mV)      half-voltage of slow inactivation
  slope_s  (mV)      its Boltzmann slope
  tau_s    (ms)      its time constant at temp_ref
  s_min    (1)       fraction of the conductance slow inactivation cannot remove
  tau_h_scale (1)    multiplies tau_h (< 1: faster inactivation and recovery)
  ina      (mA/cm2)  current (output)
  g        (S/cm2)   present conductance (output)

GLOBAL variables
  tau_h_scale_table (1) the tau_h_scale whose step factor h's table holds (1);
                        a segment with another tau_h_scale computes its step
                        factor from the tabulated tau_h with one exp per step,
                        as cskdr does for its tau_scale
ENDCOMMENT

NEURON {
    SUFFIX csna
    USEION na READ ena WRITE ina
    RANGE gbar, vshift_m, vshift_h, g, vhalf_s, slope_s, tau_s, s_min, tau_h_scale
    RANGE s_step, s_rate
    GLOBAL q10, temp_ref, tau_m, tau_h_scale_table
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.05 (S/cm2) <0, 1e9>
    vshift_m = 0 (mV)
    vshift_h = 0 (mV)
    tau_m = 0.05 (ms) <1e-6, 1e9>
    tau_h_scale = 1 (1) <1e-6, 1e9>
    tau_h_scale_table = 1 (1) <1e-6, 1e9>
    vhalf_s = -45 (mV)
    slope_s = 5 (mV) <1e-3, 1e9>
    tau_s = 1000 (ms) <1e-6, 1e9>
    s_min = 1 (1) <0, 1>
    q10 = 3 (1)
    temp_ref = 37 (degC)
}

ASSIGNED {
    v (mV)
    ena (mV)
    celsius (degC)
    dt (ms)
    ina (mA/cm2)
    g (S/cm2)
    m_inf (1)
    m_step (1)
    h_inf (1)
    h_step (1)
    s_inf (1)
    s_rate (1)
    s_step (1)
    tadj (1)
}

STATE { m h s }

INITIAL {
    : the temperature factor, once per run (celsius is fixed during a run)
    UNITSOFF
    tadj = q10 ^ ((celsius - temp_ref) / 10)
    UNITSON
    s_rate = -1
    rates(v)
    m = m_inf
    h = h_inf
    s = s_inf
}

BREAKPOINT {
    SOLVE states
    g = gbar * m * m * m * h * s
    ina = g * (v - ena)
}

PROCEDURE states() {
    : the exact solution of x' = (x_inf - x) / tau_x over one step at fixed v
    : (what METHOD cnexp computes), with the factors 1 - exp(-dt / tau_x)
    rates(v)
    m = m + m_step * (m_inf - m)
    h = h + h_step * (h_inf - h)
    s = s + s_step * (s_inf - s)
}

PROCEDURE rates(v (mV)) {
    LOCAL rate
    m_rates(v - vshift_m)
    h_rates(v - vshift_h)
    UNITSOFF
    if (tau_h_scale != tau_h_scale_table) {
        h_step = 1 - exp(-dt * tadj / (tau_h_scale * tau_h_booth(v - vshift_h)))
    }
    s_inf = s_min + (1 - s_min) * boltzmann((v - vhalf_s) / slope_s)
    : s's step factor, recomputed only when dt, celsius or tau_s changed
    rate = dt * tadj / tau_s
    if (rate != s_rate) {
        s_rate = rate
        s_step = 1 - exp(-rate)
    }
    UNITSON
}

PROCEDURE m_rates(dv (mV)) {
    : activation and its step factor as functions of v - vshift_m
    LOCAL tadj_now
    TABLE m_inf, m_step DEPEND tau_m, q10, temp_ref, celsius, dt FROM -200 TO 200 WITH 40000
    UNITSOFF
    m_inf = 1 / (1 + exp(-(dv + 35) / 7.8))
    tadj_now = q10 ^ ((celsius - temp_ref) / 10)
    m_step = 1 - exp(-dt * tadj_now / tau_m)
    UNITSON
}

PROCEDURE h_rates(dv (mV)) {
    : inactivation and the step factor for tau_h_scale_table as functions of
    : v - vshift_h
    LOCAL tadj_now
    TABLE h_inf, h_step DEPEND q10, temp_ref, celsius, dt, tau_h_scale_table FROM -200 TO 200 WITH 40000
    UNITSOFF
    h_inf = 1 / (1 + exp((dv + 55) / 7))
    tadj_now = q10 ^ ((celsius - temp_ref) / 10)
    : Booth et al.'s tau_h written out as in tau_h_booth: calling that table
    : function while this table was built changed the default cells' spikes
    h_step = 1 - exp(-dt * tadj_now / (tau_h_scale_table * 30 / (exp((dv + 50) / 15) + exp(-(dv + 50) / 16))))
    UNITSON
}

FUNCTION tau_h_booth(dv (mV)) (ms) {
    : Booth et al.'s inactivation time constant at temp_ref, as a function of
    : v - vshift_h; its own table, read only by segments whose tau_h_scale
    : differs from tau_h_scale_table (the default cells read h_step's table)
    TABLE FROM -200 TO 200 WITH 40000
    UNITSOFF
    tau_h_booth = 30 / (exp((dv + 50) / 15) + exp(-(dv + 50) / 16))
    UNITSON
}

FUNCTION boltzmann(x) {
    : 1 / (1 + exp(x)), x in slope units; beyond +-40 it is 1 or 0 to 4e-18
    TABLE FROM -40 TO 40 WITH 80000
    boltzmann = 1 / (1 + exp(x))
}
