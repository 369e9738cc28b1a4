TITLE csSpikeSource: Poisson spike source with stimulus trains (artificial cell)

COMMENT
What it models
  A generic spike source: the spike train that one input fibre delivers to
  its targets. cordsim uses it for every external input of the circuit:
  group Ia afferent fibres (as seen at their central terminals), background
  synaptic noise and descending drive (cordsim.models.cells.spike_source.
  SpikeSource; IaAfferent in cordsim.models.cells.afferents adds the
  afferent-only features). Three inputs make the spikes:
  - a Poisson process of rate rate_hz, which may change during a run (e.g.
    by Vector.play, to follow a contraction or a descending command).
    Time-varying rates use thinning (Lewis & Shedler 1979, Naval Res Logist
    Q 26:403): candidate events at rate_max_hz, each kept with probability
    rate_hz / rate_max_hz, so rate_hz must stay <= rate_max_hz;
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
  rate_hz           (/s)  present Poisson rate, Hz (0 = no Poisson firing)
  rate_max_hz       (/s)  upper bound for rate_hz, Hz (thinning rate)
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
    RANDOM ranvar
}

PARAMETER {
    rate_hz = 0 (/s) <0, 1e9>
    rate_max_hz = 200 (/s) <1e-9, 1e9>
    refrac_ms = 1 (ms) <0, 1e9>
    train_start_ms = 0 (ms)
    train_interval_ms = 100 (ms) <1e-9, 1e9>
    train_number = 0 (1) <0, 1e9>
}

ASSIGNED {
    tlast (ms)
    n_sent (1)
}

INITIAL {
    random_setseq(ranvar, 0)
    tlast = -1e9
    n_sent = 0
    if (train_number > 0 && train_start_ms >= 0) {
        net_send(train_start_ms, 2)
    }
    if (rate_max_hz > 0) {
        net_send(candidate_interval(), 1)
    }
}

FUNCTION candidate_interval() (ms) {
    candidate_interval = 1000 * random_negexp(ranvar) / rate_max_hz
}

NET_RECEIVE (w) {
    LOCAL spike
    spike = 0
    if (flag == 1) {
        : a Poisson candidate: keep it with probability rate_hz / rate_max_hz
        if (random_uniform(ranvar) * rate_max_hz < rate_hz) {
            spike = 1
        }
        net_send(candidate_interval(), 1)
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
