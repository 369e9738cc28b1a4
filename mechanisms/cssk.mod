TITLE cssk: small-conductance Ca-activated potassium current (SK; the medium AHP)

COMMENT
What it models
  The SK current that makes the medium afterhyperpolarisation (mAHP) of motor
  neurons and so sets their minimum rate and F-I gain:
  ik = gbar * cai^n / (cai^n + kd^n) * (v - ek), activated by the
  intracellular Ca2+ that csn (N-type) brings into the cscad pool. Its time
  course follows the pool's Ca2+ decay, which is what makes the AHP last
  tens of ms. Optionally (tau_deact > 0) the open fraction z is a gate that
  relaxes toward cai^n / (cai^n + kd^n) with Ca2+-dependent kinetics, and
  ik = gbar * z * (v - ek): the AHP then follows the channel's deactivation
  when the Ca2+ signal is brief (a pool near the channels, short tau and a
  large free fraction), and the conductance saturates per spike instead of
  summing through cai^n. Off by default (tau_deact = 0: the adult preset);
  the juvenile preset uses it (cordsim.models.cells.motor_neuron_parameters).

Source of the kinetics
  Booth, Rinzel & Kiehn (1997) J Neurophysiol 78:3371 (gKCa proportional to
  [Ca]/([Ca] + Kd) with Kd = 0.2 uM = 2e-4 mM). The Hill exponent n defaults
  to 4, the Hill coefficient of SK channels (Xia et al. 1998 Nature 395:503:
  EC50 0.3-0.7 uM, n ~4), so that SK is closed at resting [Ca]i (50 nM);
  hill = 1 gives Booth et al.'s form.
  Gating kinetics (tau_deact > 0): the time constant falls linearly with
  [Ca]i from tau_deact (no Ca2+) to tau_sat at ca_sat (5 uM) and above, the
  form Gunay, Edgerton & Jaeger (2008) J Neurosci 28:7476 (ModelDB 114639)
  took from Hirschberg et al. (1998) J Gen Physiol 111:565: 76 ms without
  Ca2+, 8 ms at saturating Ca2+, at room temperature (taken as 22 degC). At
  the 37 degC reference with Q10 3 (assumed, as for gating; no SK Q10 was
  found) these are 14.6 and 1.54 ms; tau_sat defaults to 1.54 ms.

Computation
  kd^hill is computed once (in INITIAL, and again whenever kd or hill
  changes), not with two of the three pow calls each evaluation of the
  current (NEURON evaluates it twice per step): pow was 5.3 % of the samples
  of a reduced-cell circuit (perf, default adult circuit, reflex, CoreNEURON),
  1.8 % after; the circuit with reduced motor neurons runs 1.05-1.06x faster
  (reflex and contraction), with detailed ones 1.02x (reflex;
  benchmarks/versions.py, paired runs). The conductance is the same
  expression of the same values:
  the behaviour baselines' spikes are bit-identical
  (tests/test_behaviour_regression.py), and kd or hill changed between steps
  takes effect at the next one (tests/mechanisms/test_sk.py). With the
  default hill = 4, cai^4 is (cai * cai)^2, two products instead of the
  remaining pow call (equal to pow to rounding, tests/mechanisms/test_sk.py);
  together with cskdr's table of the motor neurons' step factor the circuit
  with reduced motor neurons runs 1.07-1.08x faster and with detailed ones
  1.04-1.06x (all four protocols, benchmarks/versions.py, paired), with the
  four protocols' spikes bit-identical. With the gate on, z moves by its
  exact solution over one step at fixed [Ca]i (what METHOD cnexp computes),
  one exp per step, as its time constant follows [Ca]i (checked against the
  exact relaxation at 37 and 26 degC, tests/mechanisms/test_sk.py); with it
  off, the code path of the instantaneous form is unchanged.

RANGE variables and units
  gbar      (S/cm2)   maximal conductance density
  kd        (mM)      half-activation [Ca]i
  hill      (1)       Hill exponent
  tau_deact (ms)      gate time constant without Ca2+ at temp_ref; 0: no gate
  tau_sat   (ms)      gate time constant at [Ca]i >= ca_sat at temp_ref
  ik        (mA/cm2)  current (output)
  g         (S/cm2)   present conductance (output)

GLOBAL variables
  ca_sat   (mM)    [Ca]i from which the gate is fastest
  q10, temp_ref    the gate's temperature dependence (37 degC reference)
ENDCOMMENT

NEURON {
    SUFFIX cssk
    USEION k READ ek WRITE ik
    USEION ca READ cai
    RANGE gbar, kd, hill, g, tau_deact, tau_sat
    RANGE kd_hill, kd_used, hill_used
    GLOBAL ca_sat, q10, temp_ref
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
    (mM) = (milli/liter)
}

PARAMETER {
    gbar = 0.01 (S/cm2) <0, 1e9>
    kd = 2e-4 (mM) <1e-9, 1e9>
    hill = 4 (1) <0.1, 10>
    tau_deact = 0 (ms) <0, 1e9>
    tau_sat = 1.54 (ms) <1e-6, 1e9>
    ca_sat = 5e-3 (mM) <1e-9, 1e9>
    q10 = 3 (1)
    temp_ref = 37 (degC)
}

ASSIGNED {
    v (mV)
    ek (mV)
    cai (mM)
    ik (mA/cm2)
    g (S/cm2)
    kd_hill (1)
    kd_used (mM)
    hill_used (1)
    celsius (degC)
    dt (ms)
    tadj (1)
}

STATE { z }

INITIAL {
    kd_used = -1
    : the temperature factor, once per run (celsius is fixed during a run)
    UNITSOFF
    tadj = q10 ^ ((celsius - temp_ref) / 10)
    UNITSON
    z = open_fraction(cai)
}

BREAKPOINT {
    LOCAL c_hill
    SOLVE states
    if (tau_deact > 0) {
        g = gbar * z
    } else {
        c_hill = ca_hill(cai)
        g = gbar * c_hill / (c_hill + kd_hill)
    }
    ik = g * (v - ek)
}

PROCEDURE states() {
    LOCAL c, tau
    : the gate's exact solution over one step at fixed [Ca]i (what METHOD
    : cnexp computes); without the gate (tau_deact = 0) nothing to do
    if (tau_deact > 0) {
        c = cai
        if (c < 0) { c = 0 }
        if (c > ca_sat) { c = ca_sat }
        tau = tau_deact - (tau_deact - tau_sat) * c / ca_sat
        z = z + (1 - exp(-dt * tadj / tau)) * (open_fraction(cai) - z)
    }
}

FUNCTION open_fraction(ca (mM)) {
    : ca^hill / (ca^hill + kd^hill), the steady open fraction
    LOCAL c_hill
    c_hill = ca_hill(ca)
    open_fraction = c_hill / (c_hill + kd_hill)
}

FUNCTION ca_hill(ca (mM)) {
    : ca^hill (0 for ca < 0); kd^hill is computed again only when kd or hill
    : changed
    LOCAL c
    if (kd != kd_used || hill != hill_used) {
        kd_used = kd
        hill_used = hill
        kd_hill = pow(kd, hill)
    }
    c = ca
    if (c < 0) { c = 0 }
    if (hill == 4) {
        : the default exponent, as two products (pow is the costlier call)
        ca_hill = c * c
        ca_hill = ca_hill * ca_hill
    } else {
        ca_hill = pow(c, hill)
    }
}
