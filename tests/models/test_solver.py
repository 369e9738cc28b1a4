"""run_network applies the spec's solver settings, and CoreNEURON gives NEURON's spikes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cordsim.errors import MechanismError
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
HASHES = Path(__file__).resolve().parents[1] / "data" / "short_protocol_hashes.json"


def _hash(**solver) -> str:
    spec = circuit_spec("adult").with_values(
        {**SMALL, **{f"solver.{k}": v for k, v in solver.items()}}
    )
    return simulate(spec, make_protocol("reflex", **REFLEX), 5).spike_hash()


def test_two_threads_give_the_same_spikes_and_the_thread_count_is_put_back():
    from neuron import h

    one = _hash()
    assert _hash(threads=2) == one
    assert int(h.ParallelContext().nthread()) == 1


def test_secondorder_is_applied_and_not_left_behind():
    from neuron import h

    reference = _hash()
    assert _hash(secondorder=2) != reference  # Crank-Nicolson changes the trajectory
    assert _hash() == reference  # and the next run is back on backward Euler
    assert int(h.secondorder) == 0


def test_coreneuron_after_a_plain_mechanism_build_is_a_clear_error():
    # this process loaded the plain build (the mechanisms fixture): NEURON cannot
    # swap it for the -coreneuron build, and says so before building anything
    spec = circuit_spec("adult").with_values({**SMALL, "solver.coreneuron": True})
    with pytest.raises(MechanismError, match="CoreNEURON"):
        simulate(spec, make_protocol("reflex", **REFLEX), 5)


#: Runs the four short protocols of the behaviour baselines with NEURON and with
#: CoreNEURON in one fresh process (the -coreneuron build serves both), printing
#: one JSON line per protocol.
CORENEURON_SCRIPT = """
import json, sys
from cordsim import circuit_spec, make_protocol, simulate
from cordsim.mechanisms import load
load(coreneuron=True)
baselines = json.loads(open(sys.argv[1]).read())["protocols"]
for name in sys.argv[2:]:
    protocol = make_protocol(name, **baselines[name]["params"])
    row = {"protocol": name}
    for engine in ("neuron", "coreneuron"):
        spec = circuit_spec("adult", solver__coreneuron=engine == "coreneuron")
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
