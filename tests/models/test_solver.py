"""run_network applies the spec's solver settings, and CoreNEURON gives NEURON's spikes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cordsim.models.circuit import circuit_spec
from cordsim.models.protocols import make_protocol
from cordsim.models.simulation import simulate

pytestmark = pytest.mark.usefixtures("mechanisms")

#: A small circuit (3 motor neurons per pool) that still has every population.
SMALL = {
    **{f"pools.{m}.n_cells": 3 for m in ("flexor", "extensor")},
    **{f"afferents.{m}.n_fibres": 4 for m in ("flexor", "extensor")},
    **{f"interneurons.{m}.n_iain": 2 for m in ("flexor", "extensor")},
    **{f"interneurons.{m}.n_rc": 2 for m in ("flexor", "extensor")},
}
REFLEX = {"n_pulses": 3, "n_discard": 1, "start_ms": 100.0}
#: Short protocols for the engine and thread checks (the rate waveforms of
#: contraction and alternation live in the spike source mechanism).
SHORT = {
    "reflex": REFLEX,
    "contraction": {
        "baseline_ms": 100.0,
        "ramp_up_ms": 100.0,
        "hold_ms": 50.0,
        "ramp_down_ms": 50.0,
    },
    "alternation": {"period_ms": 100.0, "n_cycles": 2, "start_ms": 100.0},
}
HASHES = Path(__file__).resolve().parents[1] / "data" / "short_protocol_hashes.json"


def _hash(protocol: str = "reflex", **solver) -> str:
    spec = circuit_spec("adult").with_values(
        {**SMALL, **{f"solver.{k}": v for k, v in solver.items()}}
    )
    return simulate(spec, make_protocol(protocol, **SHORT[protocol]), 5).spike_hash()


@pytest.mark.parametrize("protocol", sorted(SHORT))
@pytest.mark.parametrize("engine", ["neuron", "coreneuron"])
def test_engines_and_threads_give_the_same_spikes(engine, protocol):
    from neuron import h

    from cordsim.mechanisms import coreneuron_supported

    if engine == "coreneuron" and not coreneuron_supported():
        pytest.skip("this NEURON installation has no CoreNEURON")
    reference = _hash(protocol, engine="neuron")
    assert _hash(protocol, engine=engine, threads=2) == reference
    assert _hash(protocol, engine=engine) == reference
    assert int(h.ParallelContext().nthread()) == 1  # put back after the 2-thread run


def test_secondorder_is_applied_and_not_left_behind():
    from neuron import h

    reference = _hash()
    assert _hash(secondorder=2) != reference  # Crank-Nicolson changes the trajectory
    assert _hash() == reference  # and the next run is back on backward Euler
    assert int(h.secondorder) == 0


def test_the_result_records_the_engine_actually_used():
    from cordsim.mechanisms import coreneuron_supported

    spec = circuit_spec("adult").with_values(SMALL)
    assert spec.solver.engine == "auto"
    result = simulate(spec, make_protocol("rest", tstop_ms=50.0), 5)
    assert result.spec.solver.engine == ("coreneuron" if coreneuron_supported() else "neuron")
    assert result.spec.with_values({"solver.engine": "auto"}) == spec


PLAIN_THEN_CORENEURON = """
from cordsim import circuit_spec, make_protocol, simulate
from cordsim.errors import MechanismError
from cordsim.mechanisms import load
load(coreneuron=False)  # a process that asked for the plain build explicitly
spec = circuit_spec("adult", solver__engine="coreneuron", pools__flexor__n_cells=1)
try:
    simulate(spec, make_protocol("rest", tstop_ms=10.0), 1)
except MechanismError as exc:
    print("MechanismError:", exc)
"""


def test_coreneuron_after_a_plain_mechanism_build_is_a_clear_error():
    # NEURON cannot swap a loaded plain build for the -coreneuron one: the error
    # says so, before anything is built
    done = subprocess.run(
        [sys.executable, "-c", PLAIN_THEN_CORENEURON], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "MechanismError:" in done.stdout
    assert "without CoreNEURON support" in done.stdout
    assert "new process" in done.stdout


#: Runs the four short protocols of the behaviour baselines with NEURON and with
#: CoreNEURON in one fresh process (the default -coreneuron build serves both),
#: printing one JSON line per protocol.
CORENEURON_SCRIPT = """
import json, sys
from cordsim import circuit_spec, make_protocol, simulate
from cordsim.mechanisms import load
baselines = json.loads(open(sys.argv[1]).read())["protocols"]
for name in sys.argv[2:]:
    protocol = make_protocol(name, **baselines[name]["params"])
    row = {"protocol": name}
    for engine in ("neuron", "coreneuron"):
        spec = circuit_spec("adult", solver__engine=engine)
        result = simulate(spec, protocol, seed=1, traces=[("mn_flexor", 0)])
        trace = result.traces["mn_flexor[0]"]
        row[engine] = [len(result.spikes), result.spike_hash(), len(trace)]
        row[engine + "_trace"] = trace.tolist()
    print(json.dumps(row), flush=True)
"""


@pytest.mark.slow
@pytest.mark.coreneuron
def test_coreneuron_gives_neurons_spikes_for_every_protocol():
    from cordsim.mechanisms import coreneuron_supported

    if not coreneuron_supported():
        pytest.skip("this NEURON installation has no nrnivmodl-core (built without CoreNEURON)")
    protocols = sorted(json.loads(HASHES.read_text())["protocols"])
    assert protocols == ["alternation", "contraction", "reflex", "rest"]
    done = subprocess.run(
        [sys.executable, "-c", CORENEURON_SCRIPT, str(HASHES), *protocols],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert [r["protocol"] for r in rows] == protocols
    for row in rows:
        assert row["neuron"][0] > 0, row["protocol"]
        assert row["coreneuron"] == row["neuron"], row["protocol"]  # spikes and trace length
        # the somatic voltage of a recorded cell agrees sample for sample
        assert np.allclose(row["coreneuron_trace"], row["neuron_trace"], rtol=0, atol=1e-6)


@pytest.mark.parametrize("engine", ["neuron", "coreneuron"])
def test_cord_reflex_same_spikes_on_every_engine_and_thread_count(engine):
    """The stimulator trains, afferent groups and antidromic clamps of the isolated cord."""
    from cordsim.mechanisms import coreneuron_supported

    if engine == "coreneuron" and not coreneuron_supported():
        pytest.skip("this NEURON installation has no CoreNEURON")
    small = {
        f"populations.{r}_{m}.n_cells": 3 for r in ("mn", "ein") for m in ("flexor", "extensor")
    }
    proto = make_protocol(
        "cord_reflex",
        rates_hz=[0.1, 20.0],
        n_pulses=3,
        rest_ms=100.0,
        settle_ms=50.0,
        strength_t=5.0,
        antidromic=True,
    )

    def spikes(**solver):
        spec = circuit_spec("isolated_cord").with_values(
            {**small, **{f"solver.{k}": v for k, v in solver.items()}}
        )
        result = simulate(spec, proto, 5)
        assert len(result.spikes) > 0
        return result.spike_hash()

    reference = spikes(engine="neuron")
    assert spikes(engine=engine, threads=2) == reference
    assert spikes(engine=engine) == reference
