"""Benchmark: this install against another one (an earlier version), in one run.

Times ``simulate`` of the default adult circuit (build included, imports and
mechanism loading excluded) for each protocol, in fresh subprocesses of this
Python and of ``--other-python`` (e.g. the virtual environment of a checkout of
an earlier commit), alternating A B A B so that drifts of the machine's speed
cancel in the pairwise ratios. It also checks that both give the same spikes
(equal spike hashes), which is what "faster at the same physiology" means.

Usage::

    git worktree add ../cordsim-old <commit> && python -m venv ../cordsim-old/.venv \
        && ../cordsim-old/.venv/bin/pip install -e ../cordsim-old
    python benchmarks/versions.py --other-python ../cordsim-old/.venv/bin/python
    python benchmarks/versions.py --other-python ... --protocols rest --repeats 3
    python benchmarks/versions.py --other-python ... --mn-model reduced

``--mn-model reduced`` runs this install (A) with the reduced motor neuron
(the other install keeps its default cells, unless ``--other-mn-model`` names
one), to measure what the screening mode gains over an earlier version; the
spikes then differ by construction.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile

#: Runs one protocol in a fresh process and prints its wall time and spike hash.
PROBE = """
import json, sys, time
from cordsim import circuit_spec, make_protocol, simulate
from cordsim.mechanisms import load
load()
protocol = make_protocol(sys.argv[1])
spec = circuit_spec("adult")
if len(sys.argv) > 2:
    spec = spec.with_values({"mn_model": sys.argv[2]})
started = time.perf_counter()
result = simulate(spec, protocol, seed=1)
wall = time.perf_counter() - started
import cordsim
print(json.dumps({"wall_s": wall, "tstop_ms": protocol.tstop_ms, "hash": result.spike_hash(),
                  "n_spikes": len(result.spikes), "where": cordsim.models.__file__}))
"""


def probe(python: str, protocol: str, mn_model: str | None = None) -> dict:
    """Run :data:`PROBE` with ``python`` (and ``mn_model``, if given); return its JSON line."""
    # run outside any checkout: ``python -c`` puts the working directory first on
    # sys.path, and a checkout's cordsim/ folder there would shadow the install
    done = subprocess.run(
        [python, "-c", PROBE, protocol, *([mn_model] if mn_model else [])],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{python} failed on {protocol}:\n{done.stderr[-2000:]}")
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other-python", required=True, help="Python of the other install (B)")
    parser.add_argument("--protocols", default="rest,reflex,contraction,alternation")
    parser.add_argument("--repeats", type=int, default=2, help="A-B pairs per protocol")
    parser.add_argument(
        "--mn-model", default=None, help="motor neuron model of this install's runs (A)"
    )
    parser.add_argument(
        "--other-mn-model", default=None, help="motor neuron model of the other install's runs (B)"
    )
    args = parser.parse_args()
    where = [probe(py, "rest")["where"] for py in (sys.executable, args.other_python)]
    print(f"A = {sys.executable} ({where[0]})\nB = {args.other_python} ({where[1]})")
    print(
        f"default adult circuit, seed 1; motor neurons: A {args.mn_model or 'default'}, "
        f"B {args.other_mn_model or 'default'}"
    )
    print(f"{'protocol':<13}{'sim ms':>8}{'A s':>8}{'B s':>8}{'B/A (pairs)':>22}  same spikes")
    for protocol in args.protocols.split(","):
        probe(sys.executable, protocol, args.mn_model)  # warm caches
        probe(args.other_python, protocol, args.other_mn_model)
        pairs = []
        for _ in range(args.repeats):
            a = probe(sys.executable, protocol, args.mn_model)
            b = probe(args.other_python, protocol, args.other_mn_model)
            pairs.append((a, b))
        ratios = [b["wall_s"] / a["wall_s"] for a, b in pairs]
        a_s = statistics.median(a["wall_s"] for a, _ in pairs)
        b_s = statistics.median(b["wall_s"] for _, b in pairs)
        same = all(a["hash"] == b["hash"] for a, b in pairs)
        spikes = (
            f"yes ({pairs[0][0]['n_spikes']})"
            if same
            else (f"no ({pairs[0][0]['n_spikes']} vs {pairs[0][1]['n_spikes']})")
        )
        print(
            f"{protocol:<13}{pairs[0][0]['tstop_ms']:>8.0f}{a_s:>8.2f}{b_s:>8.2f}"
            f"{statistics.median(ratios):>10.2f}x ({min(ratios):.2f}-{max(ratios):.2f})  {spikes}"
        )


if __name__ == "__main__":
    main()
