"""Benchmark: what the demo would cost with 20-cell pools in vivo too, on fewer animals.

``cordsim demo`` runs its in vivo preparation on shrunk circuits (8 motor
neurons, 4 IaINs and 4 Renshaw cells per muscle, connections scaled up by the
shrink factor) and the isolated cord on the default juvenile pools of 20, over
10 animals. Issue 14 asked for the demo "at least 4x faster at its current
size, or the same time with 20-cell pools and at least 6 seeds". This script
runs the demo's sweeps and analysis (:func:`cordsim.sweeps.demo.run_demo`)
with the in vivo preparation at the default adult sizes (20 motor neurons, 10
IaINs, 10 Renshaw cells per muscle) on ``--animals`` animals, into a
temporary folder, and prints the wall time next to the number of simulations.

Usage::

    python benchmarks/demo_pools.py --animals 6 -j 2
    python benchmarks/demo_pools.py --animals 6 -j 2 --mn-model reduced
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace


def main() -> None:
    from cordsim.sweeps.demo import FULL, PREPARATIONS, run_demo

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--animals", type=int, default=6, help="animals (seeds 1..N; default 6)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--mn-model", default="detailed", choices=("detailed", "reduced"))
    args = parser.parse_args()
    if args.animals < 2:
        parser.error("--animals must be at least 2 (paired intervals need two)")
    preparations = dict(PREPARATIONS)
    preparations["in_vivo"] = replace(PREPARATIONS["in_vivo"], n_mn=20, n_iain=10, n_rc=10)
    config = replace(
        FULL,
        name=f"pools20-{args.animals}",
        seeds=tuple(range(1, args.animals + 1)),
        preparations=preparations,
        mn_model=args.mn_model,
    )
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        run_demo(out, n_jobs=args.jobs, progress=False, config=config)
        wall = time.perf_counter() - started
    sizes = ", ".join(f"{k} {p.n_mn} MN" for k, p in preparations.items())
    print(
        f"demo with {sizes} per muscle, {args.animals} animals, {args.mn_model} motor neurons: "
        f"{config.n_simulations()} simulations in {wall:.0f} s on {args.jobs} workers"
    )


if __name__ == "__main__":
    main()
