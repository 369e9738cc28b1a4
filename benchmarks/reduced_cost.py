"""Cost of the reduced vs the detailed motor neuron, and their circuits compared.

Part 1 (``cells``): a pool of N cells (``pool_cell_params``, smallest to
largest) of each model, each driven by a steady somatic current of
``DRIVE_MV`` times its total leak conductance (about twice its rheobase,
so every cell fires), simulated for 1 s with fixed-step ``h.continuerun`` at the network's
dt. Both pools are built and run in the same process; the figure is wall ms
per motor neuron per simulated second.

Part 2 (``circuit``): the default adult circuit with ``mn_model`` detailed and
reduced, protocols rest/reflex/contraction, a few seeds: wall time of
``cordsim.simulate`` and the metrics of ``cordsim.analysis.phenotype.metrics``.

Run: ``python benchmarks/reduced_cost.py cells [--n 100]`` or
``python benchmarks/reduced_cost.py circuit [--seeds 1 2]``.
"""

from __future__ import annotations

import argparse
import json
import time

from neuron import h

from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.cells.reduced_motor_neuron import ReducedMotorNeuron
from cordsim.models.pool import pool_cell_params, size_index
from cordsim.models.solver import DEFAULT_DT_MS

#: Steady drive of each cell: this many mV times its leak conductance (nA).
DRIVE_MV = 45.0


def _run_pool(make, params, tstop_ms: float) -> tuple[float, int, int]:
    cells = [make(p, i) for i, p in enumerate(params)]
    stims, recs = [], []
    for c in cells:
        # steady drive: 45 mV x the cell's total leak conductance (uS; the reduced
        # cell's equivalent dendrite's g_pas carries its x (n_dendrites - 1)), ~2x rheobase
        g_leak_us = sum(seg.area() * 1e-8 * seg.g_pas * 1e6 for sec in c.sections for seg in sec)
        st = h.IClamp(c.soma(0.5))
        st.delay, st.dur, st.amp = 0.0, 1e9, DRIVE_MV * g_leak_us
        stims.append(st)
        nc = c.spike_detector()
        v = h.Vector()
        nc.record(v)
        recs.append((nc, v))
    h.dt = DEFAULT_DT_MS
    h.celsius = cells[0].celsius
    h.finitialize(cells[0].v_init_mv)
    t0 = time.perf_counter()
    h.continuerun(tstop_ms)
    wall = time.perf_counter() - t0
    n_spikes = sum(int(v.size()) for _, v in recs)
    n_comp = sum(c.n_compartments() for c in cells)
    return wall, n_spikes, n_comp


def cells_cost(n: int, tstop_ms: float, age: str) -> dict:
    """Wall ms per motor neuron per simulated second, both models, same process."""
    h.load_file("stdrun.hoc")
    params = pool_cell_params(age, n_cells=n)
    out = {}
    for label, make in (
        ("reduced", lambda p, i: ReducedMotorNeuron(p, age=age, size_index=size_index(i, n))),
        ("detailed", lambda p, i: MotorNeuron(p)),
    ):
        wall, spikes, comps = _run_pool(make, params, tstop_ms)
        ms = 1e3 * wall / n / (tstop_ms / 1e3)
        out[label] = {"ms_per_mn_per_s": ms, "spikes": spikes, "compartments": comps}
        print(f"{label}: {ms:.1f} ms/MN/s  ({comps} compartments, {spikes} spikes)", flush=True)
    out["ratio"] = out["detailed"]["ms_per_mn_per_s"] / out["reduced"]["ms_per_mn_per_s"]
    print(f"detailed/reduced: {out['ratio']:.1f}x")
    return out


def circuit_compare(seeds, protocols, models=("detailed", "reduced")) -> list[dict]:
    """Time and metrics of the default adult circuit, detailed vs reduced motor neurons."""
    from cordsim import simulate
    from cordsim.analysis.phenotype import metrics
    from cordsim.models.circuit import circuit_spec

    rows = []
    for protocol in protocols:
        for seed in seeds:
            for model in models:
                spec = circuit_spec("adult").with_values({"mn_model": model})
                t0 = time.perf_counter()
                result = simulate(spec, protocol, seed=seed)
                wall = time.perf_counter() - t0
                row = {"protocol": protocol, "seed": seed, "model": model, "wall_s": wall}
                row.update({k: v for k, v in metrics(result).items() if _scalar(v)})
                rows.append(row)
                print(json.dumps(row, default=float), flush=True)
    return rows


def _scalar(v) -> bool:
    return isinstance(v, int | float | bool) or hasattr(v, "__float__")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["cells", "circuit"])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--tstop-ms", type=float, default=1000.0)
    ap.add_argument("--age", default="adult")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--protocols", nargs="+", default=["rest", "reflex", "contraction"])
    ap.add_argument("--models", nargs="+", default=["detailed", "reduced"])
    args = ap.parse_args()
    if args.what == "cells":
        cells_cost(args.n, args.tstop_ms, args.age)
    else:
        circuit_compare(args.seeds, args.protocols, args.models)


if __name__ == "__main__":
    main()
