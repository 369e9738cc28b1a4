"""Fit and check the animal spread of the motor pool (``ANIMAL_VARIATION``).

For each threshold scatter ``--sd`` (mV), draws ``--animals`` pools of
``--n`` cells (``size_draw`` 1: random samples of the population's sizes;
seeds 1..animals), measures every cell's input conductance (1 / Rin of a
-5 mV step, uS) and rheobase (50 ms pulses, nA) with the validation
protocols, and prints the squared correlation of rheobase against Gin over
all cells, next to the published r2 = 0.81 of recruitment current against
Gin (Martinez-Silva et al. 2018, adult triceps surae in vivo), and the
ranges of Gin and rheobase (published adult Gin 0.1-0.9 uS, recruitment
current 1-18 nA, Table 2).

    python benchmarks/animal_spread.py --sd 0,1,2,3 --animals 3
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.measurement.cell_protocols import find_rheobase, passive_properties
from cordsim.models.measurement.settings import settings_for
from cordsim.models.pool import motor_pool_params, pool_cell_params


def measure_pool(age: str, n: int, sd_mv: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Gin (uS) and rheobase (nA) of every cell of one animal's pool."""
    pool = motor_pool_params(age, size_draw=1.0, threshold_sd_mv=sd_mv)
    settings = settings_for(age)
    gin, rheobase = [], []
    for params in pool_cell_params(age, pool, n_cells=n, seed=seed, stream="mn_flexor"):
        cell = MotorNeuron(params)
        passive = passive_properties(cell, settings)
        rb = find_rheobase(cell, settings, rin_mohm=passive["rin_mohm"])
        gin.append(1.0 / passive["rin_mohm"])
        rheobase.append(rb["rheobase_na"])
    return np.array(gin), np.array(rheobase)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--age", default="adult", choices=("adult", "juvenile"))
    parser.add_argument("--sd", default="0,1,2,3", help="threshold scatters to try (mV)")
    parser.add_argument("--animals", type=int, default=3)
    parser.add_argument("--n", type=int, default=20, help="cells per pool")
    args = parser.parse_args()
    print(f"{args.age} pools of {args.n}, {args.animals} animals each (seeds 1..{args.animals})")
    print("threshold_sd_mv  r2(rheobase, Gin)  Gin range (uS)  rheobase range (nA)  wall (s)")
    for sd in (float(x) for x in args.sd.split(",")):
        t0 = time.perf_counter()
        gins, rbs = zip(
            *(measure_pool(args.age, args.n, sd, seed) for seed in range(1, args.animals + 1)),
            strict=True,
        )
        gin, rb = np.concatenate(gins), np.concatenate(rbs)
        ok = np.isfinite(rb)
        r2 = float(np.corrcoef(gin[ok], rb[ok])[0, 1] ** 2)
        print(
            f"{sd:15.1f}  {r2:17.3f}  {gin.min():5.2f}-{gin.max():5.2f}     "
            f"{np.nanmin(rb):6.2f}-{np.nanmax(rb):6.2f}       {time.perf_counter() - t0:6.0f}"
            + ("" if ok.all() else f"  ({(~ok).sum()} cells without rheobase)")
        )
    print("published: r2 0.81 (recruitment current vs Gin), Gin 0.1-0.9 uS, recruitment 1-18 nA")


if __name__ == "__main__":
    main()
