"""Measured peak memory of circuits of growing size against the estimate.

Each circuit is built and simulated (the ``rest`` protocol, shortened) in a
fresh Python process, whose peak resident set (``ru_maxrss``) is the measured
figure; :func:`cordsim.models.resources.estimate_resources` gives the
estimate. Prints one row per circuit and the ratio estimate / measured (the
memory check should over-estimate, never under-estimate by much), then the
least-squares fit of the linear memory model's coefficients.

    python benchmarks/memory.py                  # 5 sizes, ~1-3 min on 2 cores
    python benchmarks/memory.py --scales 1 10 50 --duration-ms 200
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

_CHILD = r"""
import json, resource, sys
sys.path.insert(0, sys.argv[4])
from memory import spec_at
from cordsim import mechanisms
from cordsim.models.protocols import make_protocol
from cordsim.models.simulation import simulate
scale, probability, duration = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
mechanisms.load()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
spec = spec_at(scale, probability)
simulate(spec, make_protocol("rest", tstop_ms=duration, settle_ms=0.0), seed=1)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"base": base, "peak": peak}))
"""


def measure(scale: float, probability: float, duration_ms: float) -> dict[str, float]:
    """Peak and baseline resident memory (bytes) of one build-and-run in a new process."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _CHILD,
            str(scale),
            str(probability),
            str(duration_ms),
            str(Path(__file__).resolve().parent),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def spec_at(scale: float, probability: float):
    """The default adult circuit with every population ``scale`` times its size,
    and every rule's probability set to ``probability`` (0: kept)."""
    from cordsim.models.circuit import circuit_spec

    values = {}
    for role, n in (("ia", 20), ("mn", 20), ("iain", 10), ("rc", 10)):
        for m in ("flexor", "extensor"):
            values[f"populations.{role}_{m}.n_cells"] = max(1, int(round(n * scale)))
    spec = circuit_spec("adult").with_values(values)
    if probability > 0:
        spec = spec.with_values(
            {f"connections.{r}.probability": probability for r in spec.connections}
        )
    return spec


def main() -> None:
    from cordsim.models import resources

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 5, 20, 50, 100])
    parser.add_argument("--dense", type=float, default=0.8, help="probability of the dense runs")
    parser.add_argument("--duration-ms", type=float, default=100.0)
    args = parser.parse_args()
    rows = []
    runs = [(s, 0.0) for s in args.scales] + [(s, args.dense) for s in args.scales[:3]]
    print(
        f"{'scale':>6} {'p':>4} {'cells':>7} {'comps':>9} {'contacts':>9} {'sources':>8} "
        f"{'measured':>9} {'estimate':>9} {'est/meas':>8}"
    )
    for scale, probability in runs:
        estimate = resources.estimate_resources(spec_at(scale, probability))
        got = measure(scale, probability, args.duration_ms)
        rows.append((estimate, got))
        print(
            f"{scale:6g} {probability:4.2f} {estimate.n_cells:7d} {estimate.n_compartments:9d} "
            f"{estimate.n_contacts:9d} {estimate.n_spike_sources:8d} "
            f"{got['peak'] / 2**20:8.0f}M {estimate.bytes / 2**20:8.0f}M "
            f"{estimate.bytes / got['peak']:8.2f}",
            flush=True,
        )
    # Cells, compartments and spike sources grow together in these circuits, so
    # only the base, the per-compartment and the per-contact costs can be told
    # apart; the spike sources' cost is taken as set and subtracted first.
    design = np.array([[1, e.n_compartments, e.n_contacts] for e, _ in rows], dtype=float)
    peaks = np.array(
        [g["peak"] - resources.BYTES_PER_SPIKE_SOURCE * e.n_spike_sources for e, g in rows],
        dtype=float,
    )
    coef, *_ = np.linalg.lstsq(design, peaks, rcond=None)
    print("least-squares fit of the peak (spike sources at the set cost subtracted):")
    print(f"  base: {coef[0] / 2**20:.0f} MiB (set: {resources.BASE_BYTES / 2**20:.0f} MiB)")
    print(f"  per compartment: {coef[1]:.0f} B (set: {resources.BYTES_PER_COMPARTMENT} B)")
    print(f"  per contact: {coef[2]:.0f} B (set: {resources.BYTES_PER_CONTACT} B)")
    ratios = [e.bytes / g["peak"] for e, g in rows]
    print(f"estimate / measured: {min(ratios):.2f} to {max(ratios):.2f}")


if __name__ == "__main__":
    main()
