"""Benchmark: what building and simulating cordsim motor neurons costs.

Prints, for one motor neuron and for a pool of 100 (adult preset):
- build time per cell (ms),
- wall time per cell per simulated second (s), with a depolarising step that
  makes the cells fire, and
- the cost ratio against the same morphology with NEURON's built-in ``hh``
  (soma, initial segment, axon) and ``pas`` (everywhere): what cordsim's
  mechanisms cost over the simplest active membrane.

Both variants are run in the same process, in the same way, so the ratio is a
like-for-like comparison. Run: ``python benchmarks/cells.py [--tstop-ms 1000]``.
"""

from __future__ import annotations

import argparse
import gc
import time

from neuron import h

from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params
from cordsim.models.pool import motor_pool_params, pool_cell_params
from cordsim.models.solver import run_neuron


def strip_to_hh(cell: MotorNeuron) -> None:
    """Replace cordsim's mechanisms by hh (spiking regions) and pas (everywhere)."""
    spiking = {cell.soma, cell.hillock, cell.initial_segment, cell.axon}
    for sec in cell.sections:
        for mech in ("csna", "csnap", "cskdr", "cscan", "cssk", "cscad", "csh", "cscal"):
            if sec.has_membrane(mech):
                sec.uninsert(mech)
        if sec in spiking:
            sec.insert("hh")
            sec.gl_hh = 0.0  # leak stays in pas


def build(n_cells: int, hh: bool) -> tuple[list, float]:
    """Build ``n_cells`` pool cells; return them and the build time per cell (ms)."""
    if n_cells == 1:
        params = [motor_neuron_params("adult")]  # the default motor neuron
    else:
        params = pool_cell_params("adult", motor_pool_params(n_cells=n_cells))
    t0 = time.perf_counter()
    cells = [MotorNeuron(p) for p in params]
    if hh:
        for c in cells:
            strip_to_hh(c)
    return cells, 1e3 * (time.perf_counter() - t0) / n_cells


def simulate(cells: list, tstop_ms: float) -> float:
    """Run with a step current into every cell; return wall seconds per cell per simulated s."""
    clamps = []
    for c in cells:
        clamp = h.IClamp(c.soma(0.5))
        clamp.delay, clamp.dur, clamp.amp = 50.0, tstop_ms, 6.0
        clamps.append(clamp)
    t0 = time.perf_counter()
    run_neuron(tstop_ms, celsius=cells[0].celsius, v_init_mv=cells[0].v_init_mv)
    wall = time.perf_counter() - t0
    return wall / len(cells) / (tstop_ms / 1000.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tstop-ms", type=float, default=1000.0)
    parser.add_argument("--pool", type=int, default=100)
    args = parser.parse_args()
    print(f"{'case':<22}{'cells':>6}{'compartments':>14}{'build ms/cell':>15}{'s/cell/sim-s':>14}")
    rows = {}
    for n in (1, args.pool):
        for hh in (False, True):
            cells, build_ms = build(n, hh)
            ncomp = sum(c.n_compartments() for c in cells)
            cost = simulate(cells, args.tstop_ms)
            label = ("hh/pas" if hh else "cordsim") + (" pool" if n > 1 else " one cell")
            rows[(n, hh)] = cost
            print(f"{label:<22}{n:>6}{ncomp:>14}{build_ms:>15.2f}{cost:>14.4f}")
            del cells
            gc.collect()
    for n in (1, args.pool):
        print(f"cost ratio cordsim / hh-pas, {n} cell(s): {rows[(n, False)] / rows[(n, True)]:.2f}")


if __name__ == "__main__":
    main()
