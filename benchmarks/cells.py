"""Benchmark: what simulating cordsim motor neurons costs, next to few-compartment cells.

For a pool of N motor neurons (adult preset, N = 100 by default) of each cell
kind, the script builds the cells, gives every soma the same kind of
depolarising step, and times ``ParallelContext.psolve`` alone (not
``continuerun``, not the build), printing **ms of wall time per motor neuron
per simulated second**, with the compartments per cell and the mean firing
rate (so a cheap cell that does not fire cannot look fast). Cell kinds, all
built in the same run and timed the same way, alternating repeats:

- ``detailed``: cordsim's motor neuron (soma, hillock, initial segment, axon
  stub, dendrite 0 and one tree standing exactly for the other
  ``n_dendrites - 1``, each three parts; 50 compartments by the d_lambda rule
  in the adult default cell, the axon stub at ``AXON_D_LAMBDA``);
- ``detailed_all_dendrites``: the same cell with all ``n_dendrites`` (8)
  dendrites built (152 compartments in the default cell), if this version
  can build it;
- ``reduced``: cordsim's reduced motor neuron
  (``cordsim.models.cells.reduced_motor_neuron``), if this version has it;
- ``five_compartment``: a PIC motor neuron of the Powers-Heckman kind (soma and
  four dendritic compartments carrying the L-type Ca PIC), made here from the
  detailed cell's densities: the soma keeps its channels, the dendritic tree
  becomes four single-compartment cylinders of the same total area;
- ``two_compartment``: soma and one equivalent dendritic cylinder (the
  Booth-Rinzel-Kiehn layout, as in the neighbouring two-compartment packages).

The two reference cells use cordsim's own mechanisms, so the comparison is
per compartment-step of the same kinetics; they are cost references, not
validated cells. Each cell gets ``--amp-rheobase`` times a step amplitude
found by bisection for that kind (the first cell of the pool), so all kinds fire.

Usage::

    python benchmarks/cells.py                   # pools of 100, 1 s simulated
    python benchmarks/cells.py --pool 20 --tstop-ms 500 --repeats 1
"""

from __future__ import annotations

import argparse
import gc
import inspect
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from neuron import h

from cordsim.mechanisms import load as load_mechanisms
from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.cells.motor_neuron_parameters import MotorNeuronParams
from cordsim.models.pool import motor_pool_params, pool_cell_params, size_index
from cordsim.models.solver import configure_solver


class FewCompartmentCell:
    """Soma plus ``n_dendrites`` single-compartment dendrites, from a detailed cell's params.

    The dendrites are cylinders of the detailed tree's length (um) whose
    diameters give the same total dendritic membrane area; every dendrite
    carries pas, Ih and the L-type Ca PIC (cscal) at the detailed cell's
    densities scaled by the fraction of the tree that carries cscal (the
    middle third), so the total PIC conductance is conserved.
    """

    def __init__(self, p: MotorNeuronParams, n_dendrites: int) -> None:
        self.p = p
        self.soma = h.Section(name="soma")
        self.soma.L = self.soma.diam = p.soma_diam_um
        mean_diam = 0.5 * (p.dend_diam_prox_um + p.dend_diam_dist_um)
        tree_area = p.n_dendrites * math.pi * mean_diam * p.dend_length_um
        diam = tree_area / (n_dendrites * math.pi * p.dend_length_um)
        self.dendrites = []
        for i in range(n_dendrites):
            dend = h.Section(name=f"dend{i}")
            dend.L, dend.diam, dend.nseg = p.dend_length_um, diam, 1
            dend.connect(self.soma(1))
            self.dendrites.append(dend)
        for sec in self.sections:
            sec.Ra, sec.cm = p.ra_ohm_cm, p.cm_uf_cm2
            sec.insert("pas")
            sec.g_pas, sec.e_pas = p.g_pas_s_cm2, p.e_pas_mv
            sec.insert("csh")
            sec.gbar_csh = p.gbar_h_s_cm2
        s = self.soma
        for mech in ("csna", "cskdr", "csnap", "cscan", "cssk", "cscad"):
            s.insert(mech)
        s.gbar_csna, s.gbar_cskdr = p.gbar_na_soma_s_cm2, p.gbar_kdr_soma_s_cm2
        s.vshift_m_csna = p.vshift_na_mv
        s.vshift_h_csna = p.vshift_na_h_mv
        s.vshift_cskdr, s.tau_scale_cskdr = p.vshift_kdr_mv, p.kdr_tau_scale
        s.gbar_csnap = p.gbar_nap_soma_s_cm2
        s.gbar_cscan, s.gbar_cssk = p.gbar_can_soma_s_cm2, p.gbar_sk_soma_s_cm2
        s.tau_cscad, s.f_cscad = p.ca_tau_ms, p.ca_free_fraction
        s.ena, s.ek = p.ena_mv, p.ek_mv
        for dend in self.dendrites:
            dend.insert("cscal")
            dend.gbar_cscal = p.gbar_cal_dend_s_cm2 / 3.0  # cscal on a third of the tree
            dend.vhalf_cscal = p.vhalf_cal_mv
        self.celsius, self.v_init_mv = p.celsius_degc, p.e_pas_mv

    @property
    def sections(self) -> list:
        return [self.soma, *self.dendrites]

    def n_compartments(self) -> int:
        return sum(sec.nseg for sec in self.sections)


def cell_kinds() -> dict[str, Callable[[MotorNeuronParams, float], Any]]:
    """Cell kind -> constructor from a pool position's parameters and size index (0-1)."""
    kinds: dict[str, Callable[[MotorNeuronParams, float], Any]] = {
        "detailed": lambda p, s: MotorNeuron(p)
    }
    # every dendrite built (as the detailed cell was before it collapsed n - 1 of
    # them), where this version can choose (an earlier version always built them all)
    if "collapse_identical_dendrites" in inspect.signature(MotorNeuron).parameters:
        kinds["detailed_all_dendrites"] = lambda p, s: MotorNeuron(
            p, collapse_identical_dendrites=False
        )
    try:
        from cordsim.models.cells.reduced_motor_neuron import ReducedMotorNeuron
    except ImportError:  # an earlier version without the reduced cell
        pass
    else:
        kinds["reduced"] = lambda p, s: ReducedMotorNeuron(p, age="adult", size_index=s)
    kinds["five_compartment"] = lambda p, s: FewCompartmentCell(p, 4)
    kinds["two_compartment"] = lambda p, s: FewCompartmentCell(p, 1)
    return kinds


def _run(cells: list, amps_na: list[float], tstop_ms: float) -> tuple[float, float]:
    """psolve ``cells`` with soma steps; return (wall s, mean rate Hz)."""
    pc = h.ParallelContext()
    clamps, counters, keep = [], [], []
    for cell, amp in zip(cells, amps_na, strict=True):
        clamp = h.IClamp(cell.soma(0.5))
        clamp.delay, clamp.dur, clamp.amp = 0.0, 1e9, amp
        nc = h.NetCon(cell.soma(0.5)._ref_v, None, sec=cell.soma)
        nc.threshold = -20.0
        times = h.Vector()
        nc.record(times)
        clamps.append(clamp)
        counters.append(times)
        keep.append(nc)
    configure_solver(tstop_ms=tstop_ms, celsius=cells[0].celsius)
    pc.set_maxstep(10.0)  # no NetCon between cells: psolve takes 10 ms between exchanges
    h.finitialize(cells[0].v_init_mv)
    t0 = time.perf_counter()
    pc.psolve(tstop_ms)
    wall = time.perf_counter() - t0
    rate = float(np.mean([len(v) for v in counters])) / (tstop_ms / 1000.0)
    return wall, rate


def threshold_amp(make: Callable[[MotorNeuronParams, float], Any], p: MotorNeuronParams) -> float:
    """Smallest step (nA, to 5 %) that makes the smallest cell of this kind fire in 300 ms."""
    low, high = 0.0, 2.0
    cell = make(p, 0.0)
    while _run([cell], [high], 300.0)[1] == 0.0 and high < 200.0:
        low, high = high, 2 * high
    while high - low > 0.05 * high:
        mid = 0.5 * (low + high)
        low, high = (low, mid) if _run([cell], [mid], 300.0)[1] > 0 else (mid, high)
    return high


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=100, help="cells per pool (default 100)")
    parser.add_argument("--tstop-ms", type=float, default=1000.0, help="simulated ms per run")
    parser.add_argument("--repeats", type=int, default=2, help="alternating repeats per kind")
    parser.add_argument(
        "--amp-rheobase", type=float, default=2.0, help="step amplitude / firing threshold"
    )
    args = parser.parse_args()
    load_mechanisms()
    params = pool_cell_params("adult", motor_pool_params("adult"), n_cells=args.pool)
    kinds = cell_kinds()
    amps = {name: threshold_amp(make, params[0]) for name, make in kinds.items()}
    walls: dict[str, list[float]] = {name: [] for name in kinds}
    info: dict[str, tuple[float, float]] = {}
    for _ in range(args.repeats):
        for name, make in kinds.items():
            t0 = time.perf_counter()
            cells = [make(p, size_index(i, len(params))) for i, p in enumerate(params)]
            build_ms = 1e3 * (time.perf_counter() - t0) / len(cells)
            # the same step relative to each kind's threshold, scaled with cell size
            scale = [c_area(p) / c_area(params[0]) for p in params]
            wall, rate = _run(
                cells, [amps[name] * args.amp_rheobase * s for s in scale], args.tstop_ms
            )
            walls[name].append(wall)
            info[name] = (sum(c.n_compartments() for c in cells) / len(cells), rate, build_ms)
            del cells
            gc.collect()
    print(
        f"pools of {args.pool} adult motor neurons, {args.tstop_ms:g} ms simulated, "
        f"psolve timed, best of {args.repeats} alternating repeats"
    )
    print(
        f"{'cell':<24}{'comp/cell':>10}{'build ms/cell':>15}{'rate Hz':>9}"
        f"{'ms/MN/sim-s':>13}{'vs detailed':>13}"
    )
    cost = {name: 1e3 * min(w) / args.pool / (args.tstop_ms / 1000.0) for name, w in walls.items()}
    for name in kinds:
        ncomp, rate, build_ms = info[name]
        print(
            f"{name:<24}{ncomp:>10.1f}{build_ms:>15.2f}{rate:>9.1f}{cost[name]:>13.1f}"
            f"{cost['detailed'] / cost[name]:>12.1f}x"
        )


def c_area(p: MotorNeuronParams) -> float:
    """Membrane area (um2) of soma and dendrites of a parameter set (size scaling of the step)."""
    mean_diam = 0.5 * (p.dend_diam_prox_um + p.dend_diam_dist_um)
    return math.pi * p.soma_diam_um**2 + p.n_dendrites * math.pi * mean_diam * p.dend_length_um


if __name__ == "__main__":
    main()
