"""Benchmark the sweep engine: serial, loky and Dask runs of one sweep.

Two kinds of point:

- ``--model circuit`` (default): real NEURON simulations of a small circuit
  (4 motor neurons, 2 IaINs and 2 Renshaw cells per side, 20 Ia fibres per
  side), a dorsal root reflex train whose simulated length is set by
  ``--sim-ms``; random draws of the Tor1a profile strength and the Ia -> MN
  weight. This is what a user's sweep costs, CPU-bound.
- ``--model toy``: the numpy toy model sleeping ``--sleep`` seconds inside
  ``run_point``, to isolate the engine's own cost from the simulations'.

The sweep runs three times: serially (``n_jobs=1``), with loky on
``--workers`` processes, and on a local Dask cluster of as many workers.
Prints, for each: wall time, points per minute, and

- parallel efficiency = serial wall time / (workers x parallel wall time);
- overhead = wall time x workers / sum of the in-worker ``run_point`` times
  (1.0 = no overhead at all; includes starting the workers).

``--tiny`` instead measures the engine's per-point cost on cheap points
(toy model, no sleep, ``--points`` default 500): with ``n_jobs=1`` (in
process) and ``n_jobs=--workers``, each with batched durable writes (the
default ``durable_every``) and with per-point durable writes
(``durable_every=1``, two fsyncs per point), in the same run. Prints points
per second, wall ms per point, the ratio batched / per-point, and the ms per
point the batching saves.

Usage::

    python benchmarks/sweep.py                       # 64 circuit points, 400 ms simulated each
    python benchmarks/sweep.py --sim-ms 1000         # longer points
    python benchmarks/sweep.py --model toy           # 64 toy points x 0.5 s
    python benchmarks/sweep.py --model toy --long    # 64 toy points x 2.0 s
    python benchmarks/sweep.py --points 32 --workers 2 --no-dask
    python benchmarks/sweep.py --tiny --points 1000  # tiny-point throughput, writes
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from cordsim.sweeps.engine import DURABLE_EVERY, run_sweep
from cordsim.sweeps.spec import SweepSpec, validate_spec


def _random_sweep(name: str, model: str, points: int, parameters: dict) -> SweepSpec:
    """A validated sweep of ``points`` random draws of ``parameters`` (reflex, seed 0)."""
    return validate_spec(
        SweepSpec(
            name=name,
            model=model,
            protocols=["reflex"],
            seeds=[0],
            sampling="random",
            n_samples=points,
            sampling_seed=1,
            parameters=parameters,
        )
    )


def _spec(points: int, sleep_s: float) -> SweepSpec:
    """Toy points that sleep ``sleep_s`` each."""
    return _random_sweep(
        f"bench-{points}x{sleep_s}s",
        "toy",
        points,
        {
            "toy.rate_hz": {"low": 5.0, "high": 80.0},
            "toy.weight": {"low": 0.5, "high": 3.0},
            "toy.n_cells": [20],
            "toy.sleep_s": [float(sleep_s)],
        },
    )


#: The benchmark's small circuit (per side): 4 MNs, 2 IaINs, 2 RCs.
SMALL_CIRCUIT = {
    **{f"pools.{m}.n_cells": 4 for m in ("flexor", "extensor")},
    **{f"interneurons.{m}.n_iain": 2 for m in ("flexor", "extensor")},
    **{f"interneurons.{m}.n_rc": 2 for m in ("flexor", "extensor")},
}


def _circuit_spec(points: int, sim_ms: float) -> SweepSpec:
    """Random points of the small circuit under a 10 Hz reflex train of ~``sim_ms``."""
    start_ms, n_pulses = 100.0, 3  # volleys at 100, 200, 300 ms
    tail_ms = max(30.0, sim_ms - start_ms - (n_pulses - 1) * 100.0)
    return _random_sweep(
        f"bench-circuit-{points}x{sim_ms:g}ms",
        "circuit",
        points,
        {
            "profile.tor1a_spinal_drg.scale": {"low": 0.0, "high": 1.0},
            "connections.ia_to_mn.weight_scale": {"low": 0.5, "high": 2.0},
            **{k: [v] for k, v in SMALL_CIRCUIT.items()},
            "protocol.reflex.n_pulses": [n_pulses],
            "protocol.reflex.n_discard": [1],
            "protocol.reflex.start_ms": [start_ms],
            "protocol.reflex.tail_ms": [float(tail_ms)],
        },
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


def _tiny(points: int, workers: int, root: Path, repeats: int) -> None:
    """Tiny-point throughput: batched vs per-point durable writes, same run."""
    spec = _spec(points, 0.0)
    print(
        f"tiny toy sweep: {points} points (no sleep), batched writes "
        f"(durable_every={DURABLE_EVERY}) vs per-point durable writes (durable_every=1); "
        f"best of {repeats}"
    )
    for n_jobs in (1, workers):
        walls: dict[int, float] = {}
        for every in (1, DURABLE_EVERY):
            best = float("inf")
            for r in range(repeats):
                out = root / f"tiny-j{n_jobs}-d{every}-{r}"
                t0 = time.perf_counter()
                run_sweep(spec, out, n_jobs=n_jobs, durable_every=every, progress=False)
                best = min(best, time.perf_counter() - t0)
            walls[every] = best
            label = "per-point" if every == 1 else "batched"
            where = "in process" if n_jobs == 1 else f"{n_jobs} loky workers"
            print(
                f"  -j {n_jobs} ({where:<15}) {label:<9} {best:7.2f} s  "
                f"{points / best:8.1f} points/s  {1e3 * best / points:6.2f} ms/point"
            )
        saved = 1e3 * (walls[1] - walls[DURABLE_EVERY]) / points
        print(
            f"  -j {n_jobs}: batched is {walls[1] / walls[DURABLE_EVERY]:.2f}x the per-point "
            f"throughput; it saves {saved:.2f} ms/point"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("circuit", "toy"), default="circuit")
    parser.add_argument("--points", type=int, default=None, help="default 64 (--tiny: 500)")
    parser.add_argument("--sim-ms", type=float, default=400.0, help="circuit: ms simulated")
    parser.add_argument("--sleep", type=float, default=0.5, help="toy: seconds per point")
    parser.add_argument("--long", action="store_true", help="toy: 2.0 s per point")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="keep results here")
    parser.add_argument(
        "--tiny", action="store_true", help="tiny-point throughput, batched vs per-point writes"
    )
    parser.add_argument("--repeats", type=int, default=1, help="--tiny: best of this many")
    args = parser.parse_args()
    w = args.workers
    if args.tiny:
        with tempfile.TemporaryDirectory() as tmp:
            _tiny(args.points or 500, w, args.out or Path(tmp), args.repeats)
        return
    if args.model == "toy":
        sleep_s = 2.0 if args.long else args.sleep
        spec = _spec(args.points, sleep_s)
        print(f"toy sweep: {args.points} points x {sleep_s} s, {w} workers")
    else:
        spec = _circuit_spec(args.points, args.sim_ms)
        print(
            f"circuit sweep: {args.points} points, small circuit, reflex train of "
            f"{args.sim_ms:g} ms simulated, {w} workers (mechanisms compiled beforehand)"
        )
        from cordsim.mechanisms import compile_mechanisms

        compile_mechanisms()
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
