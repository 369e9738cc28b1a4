"""Circuit physiology (wild type and Tor1a) and determinism of simulate().

The physiology tests run the default adult circuit and are marked slow; results
are cached per session so each (spec, protocol, seed) runs once.
"""

import dataclasses
import functools
import subprocess
import sys

import pytest

from cordsim.analysis import metrics
from cordsim.models.circuit import circuit_spec
from cordsim.models.circuit_targets import (
    REFLEX_CENTRAL_LATENCY_MS,
    REFLEX_DEPRESSION_MAX_RATIO_10HZ,
)
from cordsim.models.profiles import apply_profile
from cordsim.models.protocols import Contraction, Reflex, make_protocol
from cordsim.models.simulation import simulate

pytestmark = pytest.mark.usefixtures("mechanisms")

SEED = 11
#: A shorter contraction than the default keeps the suite fast; same shape.
CONTRACTION = Contraction(baseline_ms=300, ramp_up_ms=400, hold_ms=100, ramp_down_ms=400)
PROTOCOLS = {
    "reflex10": Reflex(rate_hz=10.0, n_pulses=10),
    "reflex20": Reflex(rate_hz=20.0, n_pulses=10),
    "reflex5": Reflex(rate_hz=5.0, n_pulses=4, n_discard=2),
    "contraction": CONTRACTION,
    "rest": make_protocol("rest", tstop_ms=1000.0),
    "alternation": make_protocol("alternation", n_cycles=2, period_ms=400.0),
}
VARIANTS = {
    "wt": {},
    "no_reciprocal": {"connections.iain_to_mn.weight_scale": 0.0},
    "no_recurrent": {"connections.rc_to_mn.weight_scale": 0.0},
}


@functools.cache
def run(variant: str, protocol: str, profile: str = "wild_type") -> dict:
    spec = apply_profile(circuit_spec("adult").with_values(VARIANTS[variant]), profile)
    return metrics(simulate(spec, PROTOCOLS[protocol], SEED))


@pytest.mark.slow
def test_agonist_volley_evokes_monosynaptic_reflex():
    m = run("wt", "reflex10")
    assert m["reflex_amplitude"] >= 2
    delay = circuit_spec("adult").afferents["flexor"].conduction_delay_ms
    low, high = REFLEX_CENTRAL_LATENCY_MS
    assert low <= m["reflex_latency_ms"] - delay <= high


@pytest.mark.slow
def test_reflex_depresses_with_rate():
    r5, r10, r20 = (
        run("wt", p)["reflex_depression_ratio"] for p in ("reflex5", "reflex10", "reflex20")
    )
    assert r10 < REFLEX_DEPRESSION_MAX_RATIO_10HZ
    assert r20 < r5


@pytest.mark.slow
def test_contraction_suppresses_antagonist_through_reciprocal_inhibition():
    wt, cut = run("wt", "contraction"), run("no_reciprocal", "contraction")
    assert wt["agonist_rate_hz"] > 3 * wt["antagonist_rate_hz"]
    assert cut["antagonist_rate_hz"] > wt["antagonist_rate_hz"]
    assert cut["coactivation_cci"] > wt["coactivation_cci"]


@pytest.mark.slow
def test_removing_recurrent_inhibition_raises_mn_rates():
    assert (
        run("no_recurrent", "contraction")["agonist_rate_hz"]
        > run("wt", "contraction")["agonist_rate_hz"]
    )


@pytest.mark.slow
def test_alternating_drive_alternates():
    m = run("wt", "alternation")
    assert m["alternation_index"] > 0.5  # anti-correlated binned pool rates
    assert m["alternation_phase_index"] > 0.8  # bursts half a cycle apart


@pytest.mark.slow
def test_tor1a_knockout_shows_the_reflex_and_cocontraction_signs():
    assert (
        run("wt", "reflex10", "tor1a_spinal_drg")["reflex_amplitude"]
        < run("wt", "reflex10")["reflex_amplitude"]
    )
    assert (
        run("wt", "contraction", "tor1a_spinal_drg")["coactivation_cci"]
        > run("wt", "contraction")["coactivation_cci"]
    )


@pytest.mark.slow
def test_tor1a_knockout_at_rest_has_no_runaway_motor_neurons():
    # With bounded PICs (slow Na inactivation, Ca-dependent CaL inactivation;
    # issue 10) the knockout's motor neuron changes no longer lock cells into
    # firing at 150-250 Hz at rest: no MN fires above 50 Hz over a second.
    spec = apply_profile(circuit_spec("adult"), "tor1a_spinal_drg")
    result = simulate(spec, PROTOCOLS["rest"], SEED)
    for pool in ("mn_flexor", "mn_extensor"):
        trains = result.spike_times(pool)
        rates = [len(t) / (result.tstop_ms / 1000.0) for t in trains]
        assert max(rates) < 50.0, (pool, rates)


TINY = {
    **{f"pools.{m}.n_cells": 3 for m in ("flexor", "extensor")},
    **{f"afferents.{m}.n_fibres": 4 for m in ("flexor", "extensor")},
    **{f"interneurons.{m}.n_iain": 2 for m in ("flexor", "extensor")},
    **{f"interneurons.{m}.n_rc": 2 for m in ("flexor", "extensor")},
}
HASH_SCRIPT = (
    "from cordsim.models.circuit import circuit_spec;"
    "from cordsim.models.protocols import make_protocol;"
    "from cordsim.models.simulation import simulate;"
    "import sys, json;"
    "spec = circuit_spec('adult').with_values(json.loads(sys.argv[1]));"
    "print(simulate(spec, make_protocol('reflex', n_pulses=3, n_discard=1, start_ms=100.0), 5).spike_hash())"
)


def tiny_hash() -> str:
    spec = circuit_spec("adult").with_values(TINY)
    return simulate(
        spec, make_protocol("reflex", n_pulses=3, n_discard=1, start_ms=100.0), 5
    ).spike_hash()


def test_same_seed_same_spikes_in_fresh_processes_and_after_another_run():
    import json

    fresh = [
        subprocess.run(
            [sys.executable, "-c", HASH_SCRIPT, json.dumps(TINY)],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
        for _ in range(2)
    ]
    assert fresh[0] == fresh[1]
    # in this process, after building and running a different circuit
    other = circuit_spec("adult").with_values({**TINY, "pools.flexor.n_cells": 4})
    simulate(
        other,
        make_protocol("contraction", baseline_ms=50, ramp_up_ms=50, hold_ms=0, ramp_down_ms=50),
        9,
    )
    assert tiny_hash() == fresh[0]
    assert tiny_hash() == fresh[0]


def test_result_has_spikes_labels_and_inputs():
    spec = circuit_spec("adult").with_values(TINY)
    result = simulate(
        spec,
        make_protocol("reflex", n_pulses=2, n_discard=1, start_ms=100.0),
        5,
        traces=[("mn_flexor", 0)],
    )
    assert list(result.spikes.columns) == ["time_ms", "gid", "population"]
    assert set(result.populations) == set(spec.population_sizes())
    assert result.populations["mn_flexor"].n_cells == 3
    assert result.protocol.name == "reflex" and result.seed == 5
    # the result's spec is the input with the solver engine it actually used
    assert result.spec == dataclasses.replace(spec, solver=spec.solver.resolved())
    assert result.spikes["time_ms"].is_monotonic_increasing
    assert len(result.traces["t_ms"]) == len(result.traces["mn_flexor[0]"])
    # every Ia fibre of the stimulated muscle fires to both volleys
    ia = result.spikes[result.spikes["population"] == "ia_flexor"]
    assert len(ia) >= 2 * 4


def test_progress_reports_simulated_time_and_keeps_the_spikes():
    spec = circuit_spec("adult").with_values(TINY)
    protocol = make_protocol("reflex", n_pulses=3, n_discard=1, start_ms=100.0)
    seen = []
    with_progress = simulate(spec, protocol, 5, progress=lambda t, tstop: seen.append((t, tstop)))
    assert with_progress.spike_hash() == tiny_hash()  # psolve in chunks: same spikes
    times = [t for t, _ in seen]
    assert times == sorted(times) and len(times) >= 3
    assert times[-1] == seen[-1][1] == protocol.tstop_ms
