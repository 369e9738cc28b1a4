"""Protocols: validated parameters, durations, and what they write into the result."""

import pytest

from cordsim.errors import ParameterError
from cordsim.models.protocols import (
    PROTOCOLS,
    Alternation,
    Contraction,
    CordReflex,
    Reflex,
    make_protocol,
)


def test_names_and_defaults():
    assert set(PROTOCOLS) == {"rest", "reflex", "contraction", "alternation", "cord_reflex"}
    for name in PROTOCOLS:
        proto = make_protocol(name)
        assert proto.name == name and proto.tstop_ms > 0


def test_reflex_duration_follows_rate():
    r = Reflex(rate_hz=10.0, n_pulses=5, start_ms=100.0, tail_ms=50.0)
    assert r.tstop_ms == pytest.approx(100 + 4 * 100 + 50)


def test_contraction_and_alternation_durations():
    c = Contraction(baseline_ms=100, ramp_up_ms=200, hold_ms=0, ramp_down_ms=200)
    assert c.tstop_ms == pytest.approx(600)
    assert Alternation(period_ms=400, n_cycles=2, start_ms=100).tstop_ms == pytest.approx(950)


def test_errors_name_the_key():
    with pytest.raises(ParameterError, match="unknown protocol 'reflx'; did you mean 'reflex'"):
        make_protocol("reflx")
    with pytest.raises(ParameterError, match="stim_muscle: unknown muscle 'biceps'"):
        make_protocol("reflex", stim_muscle="biceps")
    with pytest.raises(ParameterError, match="rate_hz"):
        make_protocol("reflex", rate_hz=-1.0)
    with pytest.raises(ParameterError, match="did you mean 'n_pulses'"):
        make_protocol("reflex", n_pulse=3)


def test_cord_reflex_schedule_trains_after_rest():
    proto = CordReflex(rates_hz=[0.1, 1, 10], n_pulses=3, rest_ms=2000, settle_ms=100)
    volleys = proto.schedule()
    times = [v[0] for v in volleys]
    # 1 Hz train from the settled cord, then 2 s of rest, then the 10 Hz train
    assert times == pytest.approx([100, 1100, 2100, 4100, 4200, 4300])
    # the first volley of each train is rested: it stands for the reference rate
    assert [v[2] for v in volleys] == [0.1, 1, 1, 0.1, 10, 10]
    assert [v[3] for v in volleys] == [0, 1, 2, 0, 1, 2]
    assert proto.tstop_ms == pytest.approx(4300 + proto.tail_ms)
    assert proto.reference_hz == 0.1


def test_cord_reflex_reference_only_runs_at_its_own_interval():
    proto = CordReflex(rates_hz=[0.5], n_pulses=3, settle_ms=100)
    assert [v[0] for v in proto.schedule()] == pytest.approx([100, 2100, 4100])


def test_cord_reflex_errors_name_the_problem():
    with pytest.raises(ParameterError, match="reference rate 1.0 Hz"):
        CordReflex(rates_hz=[1, 5], rest_ms=4000)
    with pytest.raises(ParameterError, match="repeats a rate"):
        CordReflex(rates_hz=[0.1, 1, 1])
    with pytest.raises(ParameterError, match="n_discard = 5 leaves no volley"):
        CordReflex(n_pulses=5, n_discard=5)
    with pytest.raises(ParameterError, match="root: unknown root 'dorsal'"):
        CordReflex(root="dorsal")
    with pytest.raises(ParameterError, match="rates_hz"):
        make_protocol("cord_reflex", rates_hz=[0.1, -2])
    with pytest.raises(ParameterError, match="as slow as the rest"):
        CordReflex(rates_hz=[0.1, 0.2], rest_ms=4000)


# ------------------------------------------------------------- isolated cord (NEURON)
def _cord_run(strength_t=2.0, seed=1, **values):
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.simulation import simulate

    spec = circuit_spec("isolated_cord").with_values(values)
    proto = CordReflex(strength_t=strength_t, rates_hz=[2.0], n_pulses=4, settle_ms=200)
    return simulate(spec, proto, seed)


def _counts(result, population, window_ms):
    import numpy as np

    times = result.spikes.loc[result.spikes.population == population, "time_ms"].to_numpy()
    total = 0
    for stim in result.protocol.stim_times_ms:
        rel = times - stim
        total += int(np.count_nonzero((rel >= window_ms[0]) & (rel < window_ms[1])))
    return total


def test_dorsal_root_stimulus_recruits_afferent_groups_by_threshold():
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.network import build

    net = build(circuit_spec("isolated_cord"), seed=1)
    try:
        weak = CordReflex(strength_t=1.2).recruited(net)
        strong = CordReflex(strength_t=5.0).recruited(net)
    finally:
        net.teardown()
    # Ia fibres 1-1.5 T (20: every 0.026 T), Ib 1.1-2 T (10: every 0.1 T), group II 2-5 T
    assert len(weak["ia_flexor"]) == 8 and len(weak["ib_flexor"]) == 2
    assert weak["ii_flexor"] == [] and weak["cut_flexor"] == []
    assert all(len(strong[pop]) == n for pop, n in (("ia_flexor", 20), ("ii_flexor", 20)))


def test_polysynaptic_component_follows_and_needs_the_excitatory_interneurons():
    """MN spikes 12-40 ms after a 5 T volley come through the excitatory interneurons."""
    late = (12.0, 40.0)
    with_path = _cord_run(5.0)
    blocked = _cord_run(5.0, **{"connections.ein_to_mn.weight_scale": 0.0})
    ein = _counts(with_path, "ein_flexor", (0.0, 40.0))
    assert ein >= 10  # the interneurons fire to every volley
    late_with = sum(_counts(with_path, f"mn_{m}", late) for m in ("flexor", "extensor"))
    late_blocked = sum(_counts(blocked, f"mn_{m}", late) for m in ("flexor", "extensor"))
    assert late_with >= 5 and late_blocked <= late_with / 5
    # the monosynaptic component comes first and does not need them
    mono = (0.0, 12.0)
    assert _counts(blocked, "mn_flexor", mono) > 0
    first_late = with_path.spikes[with_path.spikes.population.str.startswith("mn_")]
    assert first_late.time_ms.min() - with_path.protocol.stim_times_ms[0] < late[0]


def test_antidromic_stimulus_fires_every_motor_axon_and_the_renshaw_cells():
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.simulation import simulate

    proto = CordReflex(rates_hz=[0.1], n_pulses=1, settle_ms=200, antidromic=True, strength_t=0.5)
    with pytest.raises(ParameterError, match="recruits no afferent fibre"):
        simulate(circuit_spec("isolated_cord"), proto, 1)
    proto = proto.replace(strength_t=1.0)
    result = simulate(circuit_spec("isolated_cord"), proto, 1)
    stim = result.protocol.stim_times_ms[0]
    antidromic = (-proto.antidromic_lead_ms, -proto.antidromic_lead_ms + 3.0)
    spikes = result.spikes[result.spikes.population == "mn_flexor"]
    rel = spikes.time_ms - stim
    fired = spikes.gid[(rel >= antidromic[0]) & (rel < antidromic[1])]
    assert fired.nunique() == 20  # every motor axon fires
    assert _counts(result, "rc_flexor", (-proto.antidromic_lead_ms, 0.0)) > 0
    assert stim > proto.antidromic_lead_ms
