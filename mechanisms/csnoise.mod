TITLE csNoise: Ornstein-Uhlenbeck background current (point process)

COMMENT
What it models
  The summed, fluctuating current that the many small synapses of the
  background deliver to a cell that is recorded in vivo, as one
  Ornstein-Uhlenbeck (OU) process (the diffusion approximation of many
  small, independent synaptic inputs; Uhlenbeck & Ornstein 1930 Phys Rev
  36:823; Destexhe et al. 2001 Neuroscience 107:13 use OU conductances for
  the same purpose). It is a current, not a conductance, so that it adds
  fluctuations without a mean shunt: a cell's recruitment current on a ramp
  is the same with and without it (on average). cordsim uses it in the
  single-cell protocols that the in vivo recordings it reproduces were made
  under synaptic background (the slow ramp of the sub-primary range, Manuel
  et al. 2009 J Neurosci 29:11246): in the sub-primary range the cell sits
  a few mV under threshold with high-frequency subthreshold oscillations,
  and which oscillation becomes a spike is decided by the background, so the
  discharge is very irregular (Iglesias et al. 2011 J Neurosci 31:5829).
  The circuit does not use it: there, the synaptic background is made of
  spikes (cordsim.models.cells.spike_source).

Computation
  x is a unit OU process with time constant tau_ms; its exact one-step
  update (Gillespie 1996 Phys Rev E 54:2084) is
      x <- x * a + sqrt(1 - a^2) * N(0, 1),  a = exp(-dt / tau_ms)
  so x has variance 1 at every dt, and the current is
      i = mean_na + sd_na * x   (nA; positive depolarises, the electrode
                                 convention of IClamp)
  x starts at 0 at finitialize. One normal draw per step, done in the
  state update (SOLVE of a PROCEDURE, once per step). The normal numbers
  come from a Random123 stream (RANDOM ranvar, NEURON >= 9) whose ids the
  caller sets, so the noise is the same on NEURON and CoreNEURON, with
  threads, and whatever else the model holds.

Temperature
  None: tau_ms and sd_na are the values at the preparation's temperature,
  set by the caller.

RANGE variables and units
  mean_na (nA)  mean current (positive depolarises, like IClamp amp)
  sd_na   (nA)  standard deviation of the current
  tau_ms  (ms)  correlation time of the OU process
  x       (1)   the unit OU process (output)
  i       (nA)  the current (output; electrode convention)
ENDCOMMENT

NEURON {
    POINT_PROCESS csNoise
    ELECTRODE_CURRENT i
    RANGE mean_na, sd_na, tau_ms, x, i
    RANDOM ranvar
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
}

PARAMETER {
    mean_na = 0 (nA)
    sd_na = 0 (nA) <0, 1e9>
    tau_ms = 5 (ms) <1e-9, 1e9>
}

ASSIGNED {
    i (nA)
    x (1)
    a (1)
    b (1)
}

INITIAL {
    random_setseq(ranvar, 0)
    x = 0
    a = exp(-dt / tau_ms)
    b = sqrt(1 - a * a)
    i = mean_na + sd_na * x
}

BREAKPOINT {
    SOLVE advance
    i = mean_na + sd_na * x
}

PROCEDURE advance() {
    x = x * a + b * random_normal(ranvar)
}
