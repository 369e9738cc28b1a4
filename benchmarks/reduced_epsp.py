"""Benchmark: the reduced motor neuron's synaptic response next to the detailed cell's.

For each age and pool position (size index 0, 0.5, 1) the script builds the
detailed :class:`~cordsim.models.cells.motor_neuron.MotorNeuron` and the
:class:`~cordsim.models.cells.reduced_motor_neuron.ReducedMotorNeuron` from
the same parameters and measures, with Na channels blocked, the somatic and
local (at the synapse) peak depolarisation of ONE volley of the circuit's
homonymous Ia input (``IaSynapse.from_spec``: all expected contacts together,
the composite EPSP of ``ia_epsps``), at a few multiples of its conductance
(``--factors``; 1 = the composite EPSP). A single small synapse has the same
transfer impedance in both cells; the cells differ in how the EPSP grows
with conductance (driving-force saturation, local L-type Ca2+ current), which
is what the circuit sees.

Prints one row per (age, size index, factor): somatic EPSP (mV) of each cell
and their ratio, and the local EPSP at the synapse (mV).

Usage::

    python benchmarks/reduced_epsp.py                     # both ages, 3 positions
    python benchmarks/reduced_epsp.py --ages adult --factors 1
"""

from __future__ import annotations

import argparse
import gc
import time

import numpy as np
from neuron import h

from cordsim.mechanisms import load as load_mechanisms
from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.cells.motor_neuron_parameters import AGES, motor_neuron_params
from cordsim.models.cells.reduced_motor_neuron import ReducedMotorNeuron
from cordsim.models.circuit import circuit_spec
from cordsim.models.measurement.dynamics import IaSynapse, ia_synapse_without_spikes
from cordsim.models.measurement.settings import settings_for
from cordsim.models.pool import cell_params_at, motor_pool_params
from cordsim.models.solver import run_neuron

POSITIONS = (0.0, 0.5, 1.0)


def volley_epsp(cell, synapse: IaSynapse, factor: float, age: str) -> tuple[float, float]:
    """Somatic and local peak depolarisation (mV) of one Ia volley, Na blocked.

    ``factor`` multiplies the composite conductance (``weight_us * n_contacts``).
    """
    s = settings_for(age)
    syn = ia_synapse_without_spikes(cell, synapse)
    sec, x = cell.synapse_site(synapse.location)
    stim = h.NetStim()
    stim.number, stim.start, stim.noise = 1, s.settle_ms, 0
    nc = h.NetCon(stim, syn)
    nc.weight[0] = synapse.weight_us * synapse.n_contacts * factor
    nc.delay = 0.0
    v_soma = h.Vector().record(cell.soma(0.5)._ref_v, s.dt_ms)
    v_site = h.Vector().record(sec(x)._ref_v, s.dt_ms)
    run_neuron(
        s.settle_ms + 50.0, celsius=float(cell.celsius), v_init_mv=cell.v_init_mv, dt_ms=s.dt_ms
    )
    i0 = int(round(s.settle_ms / s.dt_ms))
    out = []
    for vec in (v_soma, v_site):
        v = np.array(vec.as_numpy())
        out.append(float(v[i0:].max() - v[i0]))
    del nc, syn, stim
    return out[0], out[1]


def measure(age: str, positions, factors, kinds) -> list[dict]:
    """Rows of somatic and local EPSPs (mV) per size index, factor and cell kind."""
    synapse = IaSynapse.from_spec(circuit_spec(age))
    rows = []
    for si in positions:
        params = cell_params_at(motor_neuron_params(age), motor_pool_params(age), si)
        for factor in factors:
            row = {"age": age, "size_index": si, "factor": factor}
            for kind, make in kinds.items():
                gc.collect()
                cell = make(params, age, si)
                t0 = time.perf_counter()
                row[f"{kind}_soma_mv"], row[f"{kind}_site_mv"] = volley_epsp(
                    cell, synapse, factor, age
                )
                row[f"{kind}_s"] = time.perf_counter() - t0
                del cell
            rows.append(row)
    return rows


KINDS = {
    "detailed": lambda p, age, s: MotorNeuron(p),
    "reduced": lambda p, age, s: ReducedMotorNeuron(p, age=age, size_index=s),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ages", nargs="+", default=list(AGES), choices=list(AGES))
    ap.add_argument("--positions", nargs="+", type=float, default=list(POSITIONS))
    ap.add_argument("--factors", nargs="+", type=float, default=[0.1, 1.0, 3.0])
    args = ap.parse_args()
    load_mechanisms()
    print(
        f"{'age':9s} {'s':>4s} {'x g':>5s} {'det soma':>9s} {'red soma':>9s} {'red/det':>8s}"
        f" {'det site':>9s} {'red site':>9s}"
    )
    for age in args.ages:
        for r in measure(age, args.positions, args.factors, KINDS):
            print(
                f"{r['age']:9s} {r['size_index']:4.2f} {r['factor']:5.2f}"
                f" {r['detailed_soma_mv']:9.3f} {r['reduced_soma_mv']:9.3f}"
                f" {r['reduced_soma_mv'] / r['detailed_soma_mv']:8.3f}"
                f" {r['detailed_site_mv']:9.3f} {r['reduced_site_mv']:9.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
