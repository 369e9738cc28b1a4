"""Impedance of a motor neuron just below its threshold: the substrate of mixed-mode oscillations.

Adult mouse motor neurons in vivo show 100-150 Hz subthreshold oscillations
before each spike of the sub-primary range (mixed-mode oscillations; Manuel et
al. 2009, Iglesias et al. 2011). An oscillation that noise excites near
threshold is a resonance of the membrane there: the impedance, measured on a
holding current just below rheobase, then has a peak near 100-150 Hz. This
script measures it in cordsim's cells.

For each ``--fractions`` f, the default cell (or ``--cell``, a pool index)
holds ``f`` x its rheobase at the soma for ``SETTLE_MS``, then gets a linear
chirp of ``--chirp-mv`` / plateau input resistance from ``F_START_HZ`` to
``--f-stop`` Hz over ``CHIRP_MS`` (the ZAP of ``cordsim validate``, on a bias,
with the same impedance analysis). It prints the holding potential, the number
of spikes (a spike spoils the measurement), the impedance at a few
frequencies, the frequency of the largest impedance and the largest local
maximum above 50 Hz (none: the impedance falls monotonically there).

``--kv1 G`` adds a non-inactivating low-threshold K current (``cskv1`` at
``G`` S/cm2 at the soma, its inactivation moved out of the way): a fast
restoring current of the kind that gives a membrane a high-frequency
resonance. ``--set NAME=VALUE`` (repeatable) changes a motor neuron
parameter, e.g. ``--set vshift_kdr_mv=0``.

``--patch soma`` measures the soma's membrane alone: the cell is built, then
its soma is cut from the hillock and the dendrites and measured as an
isopotential patch with its own mechanisms (Na, Kdr, NaP, Ca, SK, h).
Iglesias et al. (2011) trace the oscillations to the spike currents in a
low-excitability state: the patch shows whether that membrane itself
resonates near its threshold, without the load of the dendrites. Its chirp
runs to 600 Hz unless ``--f-stop`` says otherwise. (The initial segment cut
alone fires at about 500 Hz from rest, on its own persistent and
low-threshold Na current, so it is not offered.)

    python benchmarks/near_threshold_impedance.py --age adult --fractions 0,0.7,0.8,0.85
    python benchmarks/near_threshold_impedance.py --patch soma --fractions 0.9,0.99 \
        --set vshift_kdr_mv=0 --set kdr_tau_scale=0.6
"""

from __future__ import annotations

import argparse
from functools import partial

import numpy as np

SETTLE_MS = 1500.0
CHIRP_MS = 10000.0
F_START_HZ = 1.0
SAMPLE_MS = 0.1
REPORT_HZ = (1.0, 10.0, 50.0, 100.0, 150.0, 200.0)
#: Top fraction of the chirp's band where no peak is reported (see high_frequency_peak).
EDGE_FRACTION = 0.05


def cell_factory(
    age: str,
    index: int | None,
    kv1_s_cm2: float,
    changes: dict[str, float] | None = None,
    patch: str | None = None,
):
    """Factory of the default cell (``index`` None) or of pool cell ``index``.

    ``changes``: motor neuron parameters to change; ``patch`` ("soma"): the
    factory gives the soma alone (:class:`Patch`).
    """
    from cordsim.models.cells.motor_neuron import MotorNeuron
    from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params
    from cordsim.models.pool import pool_cell_params

    changes = dict(changes or {})
    if kv1_s_cm2 > 0:
        changes["gbar_kv1_soma_s_cm2"] = kv1_s_cm2
    base = motor_neuron_params(age, **changes)
    params = base if index is None else pool_cell_params(age, base=base)[index]
    if patch is None:
        return partial(MotorNeuron, params)
    return lambda: Patch(
        MotorNeuron(params), patch
    )  # a fresh cell per call, as measure_cell expects


class Patch:
    """One section of a built motor neuron, cut from the rest: an isopotential membrane patch.

    Stands in for a cell in ``measure_cell`` and ``chirp_response``: its
    ``soma`` is the cut section, with the mechanisms, densities and shifts the
    cell gave that region.
    """

    def __init__(self, cell, region: str) -> None:
        from neuron import h

        sec = {"soma": cell.soma}[region]
        for child in sec.children():
            h.disconnect(sec=child)
        if sec.parentseg() is not None:
            h.disconnect(sec=sec)
        sec.nseg = 1
        self._cell = cell  # keeps the sections alive
        self.soma = sec
        self.sections = [sec]
        self.celsius, self.v_init_mv = cell.celsius, cell.v_init_mv
        self.spike_threshold_mv = cell.spike_threshold_mv


def parse_changes(items: list[str]) -> dict[str, float]:
    """``["NAME=VALUE", ...]`` -> ``{NAME: VALUE}`` (the values as floats)."""
    changes = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--set {item!r}: expected NAME=VALUE")
        try:
            changes[name.strip()] = float(value)
        except ValueError:
            raise SystemExit(f"--set {item!r}: {value!r} is not a number") from None
    return changes


def biased_chirp(cell, bias_na: float, amp_na: float, f_stop_hz: float, dt_ms: float):
    """Soma potential over the chirp on ``bias_na``; holding potential, spike count, impedance."""
    from cordsim.models.measurement.dynamics import chirp_response
    from cordsim.models.measurement.impedance import chirp_current, impedance_profile

    t_chirp = np.arange(0.0, CHIRP_MS + SAMPLE_MS / 2, SAMPLE_MS)
    i_chirp = chirp_current(t_chirp, amp_na, F_START_HZ, f_stop_hz, CHIRP_MS)
    v = chirp_response(cell, i_chirp, SAMPLE_MS, settle_ms=SETTLE_MS, dt_ms=dt_ms, bias_na=bias_na)
    spikes = int(np.sum((v[1:] >= cell.spike_threshold_mv) & (v[:-1] < cell.spike_threshold_mv)))
    profile = impedance_profile(
        v, i_chirp[: v.size], SAMPLE_MS, f_start_hz=F_START_HZ, f_stop_hz=f_stop_hz, smooth_hz=2.0
    )
    return float(v.mean()), spikes, profile


def high_frequency_peak(f_hz: np.ndarray, z: np.ndarray, above_hz: float = 50.0) -> str:
    """The highest local maximum of ``z`` above ``above_hz`` over the trough below it, or "none".

    A maximum counts when it stands ``NO_RESONANCE_Q`` (2 %) above the lowest
    impedance between ``above_hz`` and itself (smaller bumps are the
    smoothing's ripple), as ``cordsim validate`` counts a resonance. The top
    ``EDGE_FRACTION`` of the band is left out: a bump there follows the chirp's
    last frequency (589 Hz with a 600 Hz chirp, 292 Hz with a 300 Hz one, in
    the same cell), an artefact of the chirp's end.
    """
    from cordsim.models.measurement.impedance import NO_RESONANCE_Q

    sel = (f_hz > above_hz) & (f_hz < (1.0 - EDGE_FRACTION) * f_hz.max())
    f, zz = f_hz[sel], z[sel]
    best = "none"
    best_ratio = NO_RESONANCE_Q
    for k in np.flatnonzero((zz[1:-1] > zz[:-2]) & (zz[1:-1] >= zz[2:])) + 1:
        ratio = zz[k] / zz[: k + 1].min()
        if ratio >= best_ratio:
            best, best_ratio = f"{f[k]:.0f} Hz ({ratio:.2f}x the trough below it)", ratio
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--age", default="adult", choices=["adult", "juvenile"])
    parser.add_argument(
        "--cell", type=int, default=None, help="pool index (default: the default cell)"
    )
    parser.add_argument("--fractions", default="0,0.7,0.8,0.85", help="holding current / rheobase")
    parser.add_argument(
        "--chirp-mv", type=float, default=0.5, help="chirp amplitude x plateau Rin (mV)"
    )
    parser.add_argument(
        "--f-stop", type=float, default=None, help="chirp's last frequency (Hz; 300, patch 600)"
    )
    parser.add_argument(
        "--kv1", type=float, default=0.0, help="non-inactivating cskv1 density (S/cm2)"
    )
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="change a parameter"
    )
    parser.add_argument(
        "--patch", choices=["soma"], default=None, help="measure that section alone"
    )
    args = parser.parse_args()
    f_stop = args.f_stop or (600.0 if args.patch else 300.0)
    changes = parse_changes(args.set)

    from neuron import h

    from cordsim.mechanisms import load
    from cordsim.models.measurement import measure_cell
    from cordsim.models.measurement.settings import settings_for

    load()
    vhalf_s = h.vhalf_s_cskv1
    if args.kv1 > 0:
        h.vhalf_s_cskv1 = 1000.0  # s_inf = 1 at every physiological potential
    factory = cell_factory(args.age, args.cell, args.kv1, changes, args.patch)
    m = measure_cell(factory, protocols=["passive", "rheobase"], age=args.age)
    rheobase, rin = float(m["rheobase_na"]), float(m["rin_plateau_mohm"])
    print(
        f"{args.age} {'default cell' if args.cell is None else f'pool cell {args.cell}'}"
        f"{f', its {args.patch} alone' if args.patch else ''}"
        f"{f', non-inactivating Kv1 {args.kv1:g} S/cm2' if args.kv1 else ''}"
        f"{''.join(f', {k} {v:g}' for k, v in changes.items())}: "
        f"rheobase {rheobase:.4g} nA, plateau Rin {rin:.4g} MOhm"
    )
    settings = settings_for(args.age)
    cell = factory()
    for fraction in (float(x) for x in args.fractions.split(",")):
        vm, spikes, p = biased_chirp(
            cell, fraction * rheobase, args.chirp_mv / rin, f_stop, settings.dt_ms
        )
        at = ", ".join(
            f"{f:g} Hz {np.interp(f, p.frequency_hz, p.impedance_mohm):.2f}" for f in REPORT_HZ
        )
        top = int(np.argmax(p.impedance_mohm))
        print(
            f"  {fraction:.2f} x rheobase: {vm:.1f} mV, {spikes} spikes{' (spoilt)' if spikes else ''}; Z (MOhm) {at}; largest at "
            f"{p.frequency_hz[top]:.0f} Hz; peak above 50 Hz: "
            f"{high_frequency_peak(p.frequency_hz, p.impedance_mohm)}"
        )
    h.vhalf_s_cskv1 = vhalf_s


if __name__ == "__main__":
    main()
