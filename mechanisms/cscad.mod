TITLE cscad: submembrane calcium pool with first-order removal

COMMENT
What it models
  The intracellular Ca2+ concentration in a thin shell under the membrane,
  loaded by every Ca2+ current that writes ica (here csn, N-type) and removed
  with one time constant toward a resting level:
    dcai/dt = -f * ica / (2 F depth) - (cai - cai_rest) * tadj / tau
  f is the fraction of entering Ca2+ that stays free (the rest is buffered).
  This is the pool of Booth, Rinzel & Kiehn (1997) J Neurophysiol 78:3371
  (f = 0.01; removal rate kCa*f = 2 ms^-1 * 0.01 -> tau = 50 ms), written in
  the shell form of Destexhe et al. (1993) Biophys J 65:1538. tau sets the
  decay of the SK current and so the AHP relaxation (Leroy et al. 2014:
  27-42 ms in juvenile mouse motor neurons; Meehan et al. 2010: AHP 2/3-decay
  22 ms in adult).

Computation
  cai moves by its exact solution over one step at fixed ica
  (x += x_step * (x_inf - x), what METHOD cnexp computed), with the step
  factor x_step = 1 - exp(-dt * tadj / tau) computed again only when dt, the
  temperature or the time constant changes: 1 exp call(s) fewer per
  segment per step. Checked against the exact relaxation of a Ca2+ load
  without Ca2+ current, also across a change of dt in mid-run
  (tests/mechanisms/test_exact_steps.py); the spikes of the behaviour
  baselines (four protocols, the small sweep) are bit-identical. Together
  with the synapses' decay factors: the default circuit 1.13-1.15x faster
  with reduced or detailed motor neurons (benchmarks/versions.py, paired).

Temperature
  Removal scales as q10^((celsius - temp_ref)/10), temp_ref = 37 degC, q10 =
  3 (assumed: no Q10 of Ca2+ removal in motor neurons was found; Ca2+
  pumps and buffers are enzymatic and scale like channel gating); see
  cordsim.models.temperature.

RANGE variables and units
  depth    (um)  shell depth
  tau      (ms)  removal time constant
  f        (1)   free fraction of entering Ca2+
  cai_rest (mM)  resting [Ca2+]i
ENDCOMMENT

NEURON {
    SUFFIX cscad
    USEION ca READ ica WRITE cai
    RANGE depth, tau, f, cai_rest
    GLOBAL q10, temp_ref
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mM) = (milli/liter)
    (um) = (micron)
    FARADAY = (faraday) (coulomb)
}

PARAMETER {
    depth = 0.1 (um) <1e-6, 1e9>
    tau = 50 (ms) <1e-6, 1e9>
    f = 0.01 (1) <0, 1>
    cai_rest = 5e-5 (mM) <0, 1e9>
    q10 = 3 (1)
    temp_ref = 37 (degC)
}

ASSIGNED {
    ica (mA/cm2)
    celsius (degC)
    tadj (1)
    dt (ms)
    step_rate (1)
    cai_step (1)
}

STATE { cai (mM) }

INITIAL {
    : the temperature factor of removal, once per run
    UNITSOFF
    tadj = q10 ^ ((celsius - temp_ref) / 10)
    UNITSON
    cai = cai_rest
    step_rate = -1
}

BREAKPOINT {
    SOLVE states
}

PROCEDURE states() {
    LOCAL rate, influx
    : cai' = influx - (cai - cai_rest) * tadj / tau, solved exactly over one
    : step at fixed ica (what METHOD cnexp computed); the step factor changes
    : only with dt, tau or the temperature
    rate = dt * tadj / tau
    if (rate != step_rate) {
        step_rate = rate
        cai_step = 1 - exp(-rate)
    }
    influx = -f * ica * (1e4) / (2 * FARADAY * depth)
    cai = cai + cai_step * (cai_rest + influx * tau / tadj - cai)
}
