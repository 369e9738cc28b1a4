TITLE csSpikeSource: Poisson spike source with stimulus trains (artificial cell)

COMMENT
What it models
  A generic spike source: the spike train that one input fibre delivers to
  its targets. cordsim uses it for every external input of the circuit:
  group Ia afferent fibres (as seen at their central terminals), background
  synaptic noise and descending drive (cordsim.models.cells.spike_source.
  SpikeSource; IaAfferent in cordsim.models.cells.afferents adds the
  afferent-only features). Three inputs make the spikes:
  - a Poisson process of rate r(t) = rate_hz + wave_amp_hz * shape(t): a
    constant rate, or a rate waveform held here (not played in from a hoc
    Vector, so the source runs under CoreNEURON and NEURON threads). shape
    is 0 everywhere (wave_shape 0), a trapezoid (wave_shape 1: 0 before
    wave_start_ms, rising linearly to 1 over wave_rise_ms, 1 for
    wave_hold_ms, falling to 0 over wave_fall_ms, 0 after: a contraction's
    descending command) or a half-wave rectified sine (wave_shape 2:
    max(0, sin(2 pi ((t - wave_start_ms) / wave_period_ms - wave_phase)))
    for wave_cycles periods from wave_start_ms, 0 outside: the bursts of
    locomotor-like alternation). The rate is drawn by thinning (Lewis &
    Shedler 1979, Naval Res Logist Q 26:403): candidate events at
    rate_max_hz, each kept with probability r(t) / rate_max_hz, so r(t) must
    stay <= rate_max_hz (the caller sets it to the waveform's top). Where
    r(t) is 0 for a stretch (before a waveform starts, between bursts, after
    it ends, or always) no candidate is drawn in it: the next candidate is
    drawn from the end of the stretch, which by the memorylessness of the
    exponential gives the same process;
  - a stimulus train: train_number electrical volleys every
    train_interval_ms from train_start_ms, each making the source fire at
    once (dorsal root stimulation of an Ia fibre: large Ia fibres have the
    lowest threshold, so every fibre of the stimulated root fires to each
    volley);
  - explicit spikes: an input event with positive weight (e.g. a NetCon
    whose event() the caller schedules) makes the source fire at once.
  A spike is dropped if it falls within the refractory period of the
  previous one (so a stimulus volley and a Poisson spike cannot both pass
  within refrac_ms).
  Random numbers come from a Random123 stream (RANDOM ranvar, NEURON >= 9)
  whose ids the caller sets from (seed, stream name, index), so the
  source's spikes do not depend on other cells, on the order of creation or
  on which process runs it.

Sources
  Poisson thinning: Lewis & Shedler (1979). Rates are not set here but by
  the caller (protocols, circuit specification). For Ia afferents: they fire
  at rest in the tens of Hz when muscles are held stretched and raise their
  rate with fusimotor drive during contraction (Vallbo 1970; Prochazka 1999
  review). The default refractory period of 1 ms is that of large
  myelinated axons.

RANGE variables and units
  rate_hz           (/s)  Poisson rate without waveform (base rate), Hz
  rate_max_hz       (/s)  upper bound of r(t), Hz (thinning rate)
  wave_shape        (1)   0 none, 1 trapezoid, 2 half-wave rectified sine
  wave_amp_hz       (/s)  rate added at shape 1, Hz (may be negative if
                          rate_hz + wave_amp_hz >= 0)
  wave_start_ms     (ms)  start of the waveform
  wave_rise_ms, wave_hold_ms, wave_fall_ms (ms)  trapezoid ramps and plateau
  wave_period_ms    (ms)  sine period
  wave_cycles       (1)   number of sine periods
  wave_phase        (1)   sine phase delay, fraction of a period (0.5: antiphase)
  n_candidates      (1)   thinning candidates drawn so far (output, for tests)
  refrac_ms         (ms)  refractory period
  train_start_ms    (ms)  time of the first volley of the stimulus train
  train_interval_ms (ms)  interval between volleys
  train_number      (1)   number of volleys (0 = no train)
Input events: weight w (1), > 0 fires the source. Output: net_event (a
NetCon source).
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL csSpikeSource
    THREADSAFE
    RANGE rate_hz, rate_max_hz, refrac_ms
    RANGE train_start_ms, train_interval_ms, train_number
    RANGE wave_shape, wave_amp_hz, wave_start_ms, wave_rise_ms, wave_hold_ms, wave_fall_ms
    RANGE wave_period_ms, wave_cycles, wave_phase, n_candidates
    RANDOM ranvar
}

CONSTANT {
    TWO_PI = 6.283185307179586 (1)
}

PARAMETER {
    rate_hz = 0 (/s) <0, 1e9>
    rate_max_hz = 200 (/s) <1e-9, 1e9>
    refrac_ms = 1 (ms) <0, 1e9>
    train_start_ms = 0 (ms)
    train_interval_ms = 100 (ms) <1e-9, 1e9>
    train_number = 0 (1) <0, 1e9>
    wave_shape = 0 (1) <0, 2>
    wave_amp_hz = 0 (/s)
    wave_start_ms = 0 (ms)
    wave_rise_ms = 0 (ms) <0, 1e9>
    wave_hold_ms = 0 (ms) <0, 1e9>
    wave_fall_ms = 0 (ms) <0, 1e9>
    wave_period_ms = 1 (ms) <1e-9, 1e9>
    wave_cycles = 0 (1) <0, 1e9>
    wave_phase = 0 (1) <0, 1>
}

ASSIGNED {
    tlast (ms)
    n_sent (1)
    n_candidates (1)
}

INITIAL {
    LOCAL next
    random_setseq(ranvar, 0)
    tlast = -1e9
    n_sent = 0
    n_candidates = 0
    if (train_number > 0 && train_start_ms >= 0) {
        net_send(train_start_ms, 2)
    }
    next = candidate_delay(0)
    if (next >= 0) {
        net_send(next, 1)
    }
}

FUNCTION candidate_interval() (ms) {
    candidate_interval = 1000 * random_negexp(ranvar) / rate_max_hz
}

FUNCTION shape(tt (ms)) (1) {
    LOCAL u
    shape = 0
    if (wave_shape == 1) {
        if (tt < wave_start_ms) {
            shape = 0
        } else if (tt < wave_start_ms + wave_rise_ms) {
            shape = (tt - wave_start_ms) / wave_rise_ms
        } else if (tt < wave_start_ms + wave_rise_ms + wave_hold_ms) {
            shape = 1
        } else if (tt < wave_start_ms + wave_rise_ms + wave_hold_ms + wave_fall_ms) {
            shape = 1 - (tt - wave_start_ms - wave_rise_ms - wave_hold_ms) / wave_fall_ms
        }
    } else if (wave_shape == 2) {
        if (tt >= wave_start_ms && tt < wave_start_ms + wave_cycles * wave_period_ms) {
            u = (tt - wave_start_ms) / wave_period_ms - wave_phase
            shape = sin(TWO_PI * u)
            if (shape < 0) {
                shape = 0
            }
        }
    }
}

FUNCTION rate_at(tt (ms)) (/s) {
    rate_at = rate_hz + wave_amp_hz * shape(tt)
}

FUNCTION silent_until(tt (ms)) (ms) {
    : the end of the stretch of zero rate that holds tt (tt itself if the rate
    : is not zero there; 1e18 if it stays zero for ever)
    LOCAL end, u, f
    silent_until = tt  : a positive base rate is never silent
    if (rate_hz > 0) {
        silent_until = tt
    } else if (wave_shape == 0 || wave_amp_hz <= 0) {
        silent_until = 1e18
    } else if (wave_shape == 1) {
        end = wave_start_ms + wave_rise_ms + wave_hold_ms + wave_fall_ms
        if (tt >= end) {
            silent_until = 1e18
        } else if (tt < wave_start_ms) {
            silent_until = wave_start_ms
        }
    } else if (wave_shape == 2) {
        end = wave_start_ms + wave_cycles * wave_period_ms
        if (tt >= end) {
            silent_until = 1e18
        } else {
            if (tt < wave_start_ms) {
                tt = wave_start_ms
            }
            u = (tt - wave_start_ms) / wave_period_ms - wave_phase
            f = u - floor(u)
            if (f >= 0.5) {
                tt = tt + (1 - f) * wave_period_ms
            }
            if (tt >= end) {
                silent_until = 1e18
            } else {
                silent_until = tt
            }
        }
    }
}

FUNCTION candidate_delay(tnow (ms)) (ms) {
    : delay to the next thinning candidate after tnow, drawn past any silent
    : stretch; -1 if the rate stays zero for ever. The delay is built as
    : (silent stretch) + draw, so a source that is never silent gets exactly
    : the draw as its delay
    LOCAL delay, tsilent
    candidate_delay = -1
    if (rate_max_hz > 0) {
        delay = (silent_until(tnow) - tnow) + candidate_interval()
        tsilent = silent_until(tnow + delay)
        while (tsilent > tnow + delay && tsilent < 1e18) {
            delay = (tsilent - tnow) + candidate_interval()
            tsilent = silent_until(tnow + delay)
        }
        if (tsilent < 1e18) {
            n_candidates = n_candidates + 1
            candidate_delay = delay
        }
    }
}

NET_RECEIVE (w) {
    LOCAL spike, next
    spike = 0
    if (flag == 1) {
        : a Poisson candidate: keep it with probability rate_at(t) / rate_max_hz
        if (random_uniform(ranvar) * rate_max_hz < rate_at(t)) {
            spike = 1
        }
        next = candidate_delay(t)
        if (next >= 0) {
            net_send(next, 1)
        }
    } else if (flag == 2) {
        : a volley of the stimulus train
        spike = 1
        n_sent = n_sent + 1
        if (n_sent < train_number) {
            net_send(train_interval_ms, 2)
        }
    } else if (w > 0) {
        : an explicit spike (dorsal root stimulation)
        spike = 1
    }
    if (spike == 1 && t - tlast >= refrac_ms) {
        tlast = t
        net_event(t)
    }
}
