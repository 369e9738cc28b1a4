"""Benchmark the sweep engine with the toy model emulating simulations of a fixed duration.

Runs one sweep of ``--points`` toy points (each sleeping ``--sleep`` seconds
inside ``run_point``) three times: serially (``n_jobs=1``), with loky on
``--workers`` processes, and on a local Dask cluster of as many workers.
Prints, for each: wall time, points per minute, and

- parallel efficiency = serial wall time / (workers x parallel wall time);
- overhead = wall time x workers / sum of the in-worker ``run_point`` times
  (1.0 = no overhead at all; includes starting the workers).

Usage::

    python benchmarks/sweep.py             # 64 points x 0.5 s
    python benchmarks/sweep.py --long      # 64 points x 2.0 s
    python benchmarks/sweep.py --points 32 --sleep 1.0 --workers 2 --no-dask
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from cordsim.sweeps.engine import run_sweep
from cordsim.sweeps.spec import SweepSpec, validate_spec


def _spec(points: int, sleep_s: float) -> SweepSpec:
    return validate_spec(
        SweepSpec(
            name=f"bench-{points}x{sleep_s}s",
            model="toy",
            protocols=["reflex"],
            seeds=[0],
            sampling="random",
            n_samples=points,
            sampling_seed=1,
            parameters={
                "toy.rate_hz": {"low": 5.0, "high": 80.0},
                "toy.weight": {"low": 0.5, "high": 3.0},
                "toy.n_cells": [20],
                "toy.sleep_s": [float(sleep_s)],
            },
        )
    )


def _measure(label: str, spec: SweepSpec, out: Path, workers: int, **kw) -> float:
    t0 = time.perf_counter()
    run_sweep(spec, out, progress=False, **kw)
    wall = time.perf_counter() - t0
    table = pq.read_table(out / "metrics.parquet").to_pandas()
    n = len(table)
    busy = float(table["wall_time_s"].sum())
    failed = int((table["status"] != "ok").sum())
    print(
        f"{label:<22} {wall:8.2f} s  {60.0 * n / wall:8.1f} points/min  "
        f"overhead {wall * workers / busy:5.3f}  ({n} points, {failed} failed, "
        f"run_point total {busy:.1f} s)"
    )
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=64)
    parser.add_argument("--sleep", type=float, default=0.5, help="seconds per point")
    parser.add_argument("--long", action="store_true", help="2.0 s per point")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="keep results here")
    args = parser.parse_args()
    sleep_s = 2.0 if args.long else args.sleep
    spec = _spec(args.points, sleep_s)
    w = args.workers
    print(f"toy sweep: {args.points} points x {sleep_s} s, {w} workers")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.out or Path(tmp)
        serial = _measure("serial (n_jobs=1)", spec, root / "serial", 1, n_jobs=1)
        loky = _measure(f"loky (n_jobs={w})", spec, root / "loky", w, n_jobs=w)
        print(f"{'':<22} parallel efficiency (loky): {serial / (w * loky):.3f}")
        if not args.no_dask:
            from distributed import LocalCluster

            t0 = time.perf_counter()
            with LocalCluster(
                n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                print(f"{'':<22} dask LocalCluster start: {time.perf_counter() - t0:.2f} s")
                dask = _measure(
                    f"dask ({w} workers)", spec, root / "dask", w,
                    scheduler=cluster.scheduler_address,
                )  # fmt: skip
            print(f"{'':<22} parallel efficiency (dask): {serial / (w * dask):.3f}")


if __name__ == "__main__":
    main()
