TITLE csna: fast transient sodium current (soma, initial segment, axon)

COMMENT
What it models
  The fast, inactivating Na+ current that makes motor neuron and interneuron
  spikes: ina = gbar * m^3 * h * (v - ena).

Source of the kinetics
  Steady-state activation and inactivation and the inactivation time constant
  follow the motor neuron model of Booth, Rinzel & Kiehn (1997) J Neurophysiol
  78:3371 (m_inf half -35 mV, slope 7.8 mV; h_inf half -55 mV, slope 7 mV;
  tau_h = 30 / (exp((v+50)/15) + exp(-(v+50)/16)) ms). Booth et al. make
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
  ina      (mA/cm2)  current (output)
  g        (S/cm2)   present conductance (output)
ENDCOMMENT

NEURON {
    SUFFIX csna
    USEION na READ ena WRITE ina
    RANGE gbar, vshift_m, vshift_h, g, vhalf_s, slope_s, tau_s, s_min
    GLOBAL q10, temp_ref, tau_m
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
    ina (mA/cm2)
    g (S/cm2)
    m_inf (1)
    h_inf (1)
    tau_h (ms)
    s_inf (1)
    tadj (1)
}

STATE { m h s }

INITIAL {
    : the temperature factor, once per run (celsius is fixed during a run)
    UNITSOFF
    tadj = q10 ^ ((celsius - temp_ref) / 10)
    UNITSON
    rates(v)
    m = m_inf
    h = h_inf
    s = s_inf
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = gbar * m * m * m * h * s
    ina = g * (v - ena)
}

DERIVATIVE states {
    rates(v)
    m' = (m_inf - m) / (tau_m / tadj)
    h' = (h_inf - h) / tau_h
    s' = (s_inf - s) * tadj / tau_s
}

PROCEDURE rates(v (mV)) {
    LOCAL vm, vh
    UNITSOFF
    vm = v - vshift_m
    vh = v - vshift_h
    m_inf = 1 / (1 + exp(-(vm + 35) / 7.8))
    h_inf = 1 / (1 + exp((vh + 55) / 7))
    tau_h = 30 / (exp((vh + 50) / 15) + exp(-(vh + 50) / 16)) / tadj
    s_inf = s_min + (1 - s_min) / (1 + exp((v - vhalf_s) / slope_s))
    UNITSON
}
