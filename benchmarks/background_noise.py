"""Fit the single-cell background noise (``ramp_noise_sd_na``) to the circuit's.

Motor neurons recorded in vivo sit under a synaptic background; the adult
measurement preset gives the single cell the same fluctuations on its slow
ramp (``csnoise.mod``, an Ornstein-Uhlenbeck current at the soma). This script

1. runs the default adult circuit at rest (``--seeds``), records every flexor
   motor neuron's somatic potential after 200 ms, and prints each cell's SD
   (mV) and 1/e autocorrelation time (ms), and their median;
2. injects the noise current into the default adult cell at rest (no
   circuit) for each ``--sd`` (nA) and prints its potential's SD and 1/e
   time, and the SD (nA) that would give the circuit's median (the potential's
   SD is proportional to the current's);
3. measures the default cell's ramp features with the preset's noise and
   without it.

    python benchmarks/background_noise.py --seeds 1,2 --sd 0.2,0.4
"""

from __future__ import annotations

import argparse

import numpy as np

SAMPLE_MS = 0.1
SKIP_MS = 200.0


def acf_time_ms(v: np.ndarray, sample_ms: float) -> float:
    """First lag (ms) at which the autocorrelation of ``v`` falls below 1/e."""
    x = v - v.mean()
    denom = float(np.dot(x, x))
    for lag in range(1, x.size // 2):
        if float(np.dot(x[:-lag], x[lag:])) / denom < np.exp(-1.0):
            return lag * sample_ms
    return float("nan")


def circuit_noise(seeds: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """SD (mV) and 1/e time (ms) of every flexor MN's potential at rest, all seeds."""
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.simulation import simulate

    spec = circuit_spec("adult")
    n = spec.population_sizes()["mn_flexor"]
    sds, times = [], []
    for seed in seeds:
        res = simulate(spec, "rest", seed=seed, traces=[("mn_flexor", i) for i in range(n)])
        t = np.asarray(res.traces["t_ms"])
        for i in range(n):
            v = np.asarray(res.traces[f"mn_flexor[{i}]"])[t > SKIP_MS]
            sds.append(v.std())
            times.append(acf_time_ms(v, SAMPLE_MS))
            print(f"  seed {seed} mn_flexor[{i:2d}]  SD {v.std():.3f} mV  1/e {times[-1]:.1f} ms")
    return np.array(sds), np.array(times)


def cell_noise(sd_na: float, tau_ms: float, duration_ms: float = 3000.0) -> tuple[float, float]:
    """SD (mV) and 1/e time (ms) of the default adult cell's potential under the noise alone."""
    from neuron import h

    from cordsim.models.cells import default_cells
    from cordsim.models.solver import run_neuron_until

    cell = default_cells("adult")["motor_neuron"]()
    noise = h.csNoise(cell.soma(0.5))
    noise.sd_na, noise.tau_ms = sd_na, tau_ms
    noise.ranvar.set_ids(1, 0, 0)
    v_rec = h.Vector().record(cell.soma(0.5)._ref_v, SAMPLE_MS)
    run_neuron_until(
        duration_ms, celsius=float(cell.celsius), v_init_mv=float(cell.v_init_mv), dt_ms=0.025
    )
    v = np.array(v_rec.as_numpy())[int(1000.0 / SAMPLE_MS) :]
    return float(v.std()), acf_time_ms(v, SAMPLE_MS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="1,2", help="circuit seeds (comma-separated)")
    parser.add_argument("--sd", default="0.2,0.4", help="noise SDs to try on the cell (nA)")
    args = parser.parse_args()

    from cordsim.models.cells import default_cells
    from cordsim.models.measurement import measure_cell
    from cordsim.models.measurement.settings import settings_for

    preset = settings_for("adult")
    print("1. default adult circuit at rest, flexor MNs:")
    sds, times = circuit_noise([int(s) for s in args.seeds.split(",")])
    target = float(np.median(sds))
    print(
        f"   median SD {target:.3f} mV (range {sds.min():.3f}-{sds.max():.3f}), "
        f"median 1/e time {np.median(times):.1f} ms"
    )
    print(f"2. default adult cell at rest, noise tau {preset.ramp_noise_tau_ms} ms:")
    per_na = []
    for sd in [float(x) for x in args.sd.split(",")]:
        v_sd, v_time = cell_noise(sd, preset.ramp_noise_tau_ms)
        per_na.append(v_sd / sd)
        print(f"   sd {sd:.3f} nA: potential SD {v_sd:.3f} mV, 1/e time {v_time:.1f} ms")
    fitted = target / float(np.mean(per_na))
    print(
        f"   fitted SD for the circuit's median: {fitted:.3f} nA (preset: {preset.ramp_noise_sd_na})"
    )
    print("3. default adult cell, ramp features:")
    factory = default_cells("adult")["motor_neuron"]
    keys = ("i_recruit_na", "delta_i_na", "fi_slope_ramp_hz_per_na", "subprimary_range_na")
    keys += ("recruitment_isi_cv2", "primary_isi_cv2")
    # with the noise: the mean over the preset's ramp_noise_repeats seeds
    for label, sd in (("preset noise", preset.ramp_noise_sd_na), ("no noise", 0.0)):
        s = measure_cell(factory, age="adult", protocols=["ramp"], ramp_noise_sd_na=sd)
        print(f"   {label:12s} " + "  ".join(f"{k} {float(s[k]):.3f}" for k in keys))


if __name__ == "__main__":
    main()
