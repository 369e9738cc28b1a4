TITLE cssk: small-conductance Ca-activated potassium current (SK; the medium AHP)

COMMENT
What it models
  The SK current that makes the medium afterhyperpolarisation (mAHP) of motor
  neurons and so sets their minimum rate and F-I gain:
  ik = gbar * cai^n / (cai^n + kd^n) * (v - ek), activated by the
  intracellular Ca2+ that csn (N-type) brings into the cscad pool. Its time
  course follows the pool's Ca2+ decay, which is what makes the AHP last
  tens of ms.

Source of the kinetics
  Booth, Rinzel & Kiehn (1997) J Neurophysiol 78:3371 (gKCa proportional to
  [Ca]/([Ca] + Kd) with Kd = 0.2 uM = 2e-4 mM). The Hill exponent n defaults
  to 4, the Hill coefficient of SK channels (Xia et al. 1998 Nature 395:503:
  EC50 0.3-0.7 uM, n ~4), so that SK is closed at resting [Ca]i (50 nM);
  hill = 1 gives Booth et al.'s form.

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
  four protocols' spikes bit-identical.

RANGE variables and units
  gbar (S/cm2)   maximal conductance density
  kd   (mM)      half-activation [Ca]i
  hill (1)       Hill exponent
  ik   (mA/cm2)  current (output)
  g    (S/cm2)   present conductance (output)
ENDCOMMENT

NEURON {
    SUFFIX cssk
    USEION k READ ek WRITE ik
    USEION ca READ cai
    RANGE gbar, kd, hill, g
    RANGE kd_hill, kd_used, hill_used
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
}

INITIAL {
    kd_used = -1
}

BREAKPOINT {
    LOCAL c, c_hill
    if (kd != kd_used || hill != hill_used) {
        kd_used = kd
        hill_used = hill
        kd_hill = pow(kd, hill)
    }
    c = cai
    if (c < 0) { c = 0 }
    if (hill == 4) {
        : the default exponent, as two products (pow is the costlier call)
        c_hill = c * c
        c_hill = c_hill * c_hill
    } else {
        c_hill = pow(c, hill)
    }
    g = gbar * c_hill / (c_hill + kd_hill)
    ik = g * (v - ek)
}
