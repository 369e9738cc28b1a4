"""Why the delayed juvenile motor neurons slow down after their onset (issue 10).

Leroy et al. 2014 (eLife 3:e04046) describe the large (F-type) juvenile
lumbar motor neurons as firing late on a 5-s rheobase step and then
accelerating; Bos et al. 2018 (Cell Rep 22:3315) tie both to the slow
inactivation of Kv1.2. cordsim's largest juvenile pool cell fires late (the
``onset`` protocol), but its ``onset_acceleration`` (first ISI / last ISI of
that step) is below 1. This script prints what is behind that number:

1. the discharge of the chosen pool cells on 5-s steps at the onset rheobase,
   one grid step above it and 1.5x it: spike count, latency, the first and last
   ISIs, first / last ISI and first / shortest ISI;
2. the same step at the onset rheobase with one slow process removed at a
   time: the L-type Ca current's Ca-dependent inactivation (``cal_cdi_k`` 1e9),
   the slow Na inactivation (``na_slow_min`` 1);
3. for each ``--cdi-k`` (a weaker CaL inactivation as it grows), the cell's
   ``onset_acceleration`` and its ``self_sustained_firing_ms`` with the
   ``tor1a_spinal_drg`` motor neuron changes (issue 10: < 1000 ms);
4. for each ``--kv1`` ``TAU:VHALF`` (the slow inactivation of ``cskv1``: time
   constant at 37 degC, ms, and half-voltage, mV; defaults 540 and -65), the
   onset measures of the pool's smallest cell and of the chosen cells.

    python benchmarks/onset_acceleration.py --cells 19 --cdi-k 1,3 --kv1 540:-65,270:-55

Each measurement builds one cell at a time (about 15 s each on one core).
"""

from __future__ import annotations

import argparse
from functools import partial

import numpy as np

AGE = "juvenile"


def tor1a_changes() -> dict[str, float]:
    """The ``tor1a_spinal_drg`` motor neuron scalings, ``{parameter: factor}``."""
    from cordsim.models.profiles import MOTOR_NEURON_CHANGES

    return {c.target.split(".", 1)[1]: c.amount for c in MOTOR_NEURON_CHANGES if c.op == "scale"}


def pool_cell(index: int, **changes: float):
    """Parameters of juvenile pool cell ``index`` with base-cell ``changes``."""
    from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params
    from cordsim.models.pool import pool_cell_params

    return pool_cell_params(AGE, base=motor_neuron_params(AGE, **changes))[index]


def onset(params) -> dict[str, float]:
    """``measure_cell``'s onset and persistence properties of one cell."""
    return measured(params, ["onset", "persistence"])


def persistence_ms(params) -> float:
    """Self-sustained firing (ms) after a step at 3x rheobase (``persistence``)."""
    return measured(params, ["persistence"])["self_sustained_firing_ms"]


def measured(params, protocols: list[str]) -> dict[str, float]:
    """``measure_cell`` of one juvenile cell built from ``params``, as floats."""
    from cordsim.models.cells.motor_neuron import MotorNeuron
    from cordsim.models.measurement import measure_cell

    m = measure_cell(partial(MotorNeuron, params), protocols=protocols, age=AGE)
    return {k: float(v) for k, v in m.items()}


def step_isis(params, amp_na: float) -> tuple[float, np.ndarray]:
    """Latency (ms) and ISIs (ms) of a 5-s onset step of ``amp_na`` (nA)."""
    from cordsim.models.cells.motor_neuron import MotorNeuron
    from cordsim.models.measurement.rig import ClampRig
    from cordsim.models.measurement.settings import settings_for

    s = settings_for(AGE)
    cell = MotorNeuron(params)
    rig = ClampRig(cell, s)
    spikes = rig.trial(amp_na, s.onset_step_ms, 0.0).spikes_ms
    spikes = spikes[(spikes >= 0) & (spikes <= s.onset_step_ms)]
    del rig, cell
    return (float(spikes[0]) if spikes.size else float("nan")), np.diff(spikes)


def describe(label: str, latency_ms: float, isi: np.ndarray) -> str:
    """One line: latency, first and last ISIs, first / last and first / shortest."""
    if isi.size < 2:
        n_spikes = 0 if np.isnan(latency_ms) else isi.size + 1
        return f"  {label:34s} {n_spikes} spike(s)"
    head = ", ".join(f"{x:.0f}" for x in isi[:5])
    tail = ", ".join(f"{x:.0f}" for x in isi[-3:])
    return (
        f"  {label:34s} {isi.size + 1:3d} spikes, first at {latency_ms:5.0f} ms; ISIs {head} ... "
        f"{tail} ms; first/last {isi[0] / isi[-1]:.2f}, first/shortest {isi[0] / isi.min():.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cells", default="19", help="juvenile pool indices (0 = smallest)")
    parser.add_argument("--cdi-k", default="1,3", help="cal_cdi_k values to scan (default 0.3)")
    parser.add_argument("--kv1", default="", help="cskv1 slow inactivation TAU:VHALF pairs")
    args = parser.parse_args()
    cells = [int(c) for c in args.cells.split(",") if c]

    from cordsim.models.measurement.settings import settings_for

    s = settings_for(AGE)
    for index in cells:
        base = onset(pool_cell(index))
        rb = base["onset_rheobase_na"]
        # the onset protocol's grid: 100 pA above the switch, 50 pA below it
        large = base["rheobase_na"] > s.onset_grid_switch_na
        grid = s.onset_grid_large_na if large else s.onset_grid_na
        print(
            f"cell {index}: onset rheobase {rb:.2f} nA, onset_acceleration {base['onset_acceleration']:.2f}"
        )
        for amp in (rb, rb + grid, 1.5 * rb):
            print(describe(f"{amp:.2f} nA", *step_isis(pool_cell(index), amp)))
        for label, change in (
            ("no CaL Ca-inactivation", {"cal_cdi_k": 1e9}),
            ("no slow Na inactivation", {"na_slow_min": 1.0}),
        ):
            print(describe(f"{rb:.2f} nA, {label}", *step_isis(pool_cell(index, **change), rb)))
        for k in [float(x) for x in args.cdi_k.split(",") if x]:
            m = onset(pool_cell(index, cal_cdi_k=k))
            tor1a = persistence_ms(pool_cell(index, cal_cdi_k=k).scaled(**tor1a_changes()))
            print(
                f"  cal_cdi_k {k:g}: onset_acceleration {m['onset_acceleration']:.2f}, "
                f"latency {m['onset_latency_ms']:.0f} ms; self-sustained firing {m['self_sustained_firing_ms']:.0f} ms, "
                f"with the tor1a_spinal_drg MN changes {tor1a:.0f} ms"
            )
        print(
            f"  default: with the tor1a_spinal_drg MN changes "
            f"{persistence_ms(pool_cell(index).scaled(**tor1a_changes())):.0f} ms of self-sustained firing"
        )

    if args.kv1:
        from neuron import h

        from cordsim.mechanisms import load

        load()
        defaults = (h.tau_s_cskv1, h.vhalf_s_cskv1)
        for pair in args.kv1.split(","):
            tau, vhalf = (float(x) for x in pair.split(":"))
            h.tau_s_cskv1, h.vhalf_s_cskv1 = tau, vhalf
            parts = []
            for index in [0, *cells]:
                m = onset(pool_cell(index))
                tor1a = persistence_ms(pool_cell(index).scaled(**tor1a_changes()))
                parts.append(
                    f"cell {index}: rheobase {m['onset_rheobase_na']:.2f} nA, latency "
                    f"{m['onset_latency_ms']:.0f} ms, acceleration {m['onset_acceleration']:.2f}, "
                    f"tor1a self-sustained {tor1a:.0f} ms"
                )
            print(f"cskv1 tau_s {tau:g} ms, vhalf_s {vhalf:g} mV: " + "; ".join(parts))
        h.tau_s_cskv1, h.vhalf_s_cskv1 = defaults


if __name__ == "__main__":
    main()
