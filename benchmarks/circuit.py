"""Benchmark: what building and simulating a whole circuit costs, and where the time goes.

For the default adult circuit and for circuits k times its size (every motor
pool, Ia afferent, IaIN and Renshaw count multiplied by k; connection
probabilities unchanged, so each cell's number of inputs grows with k), one
``simulate(spec, "rest", seed)`` run is timed piece by piece:

- ``build``: :func:`cordsim.models.build.build` (cells, synapses, NetCons,
  noise sources), reported per compartmental cell (ms; the Ia fibres are
  artificial cells and cost little);
- ``apply``: the protocol's ``apply(net)``;
- ``run``: :func:`cordsim.models.solver.run_network` (``finitialize`` and
  ``ParallelContext.psolve``: NEURON's own work);
- ``teardown``: ``Network.teardown``;
- ``rest``: everything else inside ``simulate`` (spike recording set-up,
  result assembly into a DataFrame);
- ``metrics``: :func:`cordsim.analysis.metrics.metrics` on the result (not
  part of ``simulate``; shown for scale).

It prints simulated seconds per wall second (of ``run`` alone and of the whole
``simulate``), the overhead of cordsim's build-and-run layer over NEURON's
solve (``(simulate - run) / run``), and the peak resident memory of the process
(``resource.getrusage(...).ru_maxrss``) with the part added by the network
(peak minus the RSS after imports and mechanism loading). Each size runs in a
fresh subprocess, so peaks do not carry over.

The timings are taken by wrapping the functions ``simulate`` calls (no change
to the library): what is timed is the real ``simulate`` path.

Usage::

    python benchmarks/circuit.py                       # sizes 1 and 4, 500 ms of rest
    python benchmarks/circuit.py --sizes 1,4 --tstop-ms 200
    python benchmarks/circuit.py --quick               # size 1, 200 ms
    python benchmarks/circuit.py --sizes 7.5           # the realistic mouse pair
    python benchmarks/circuit.py --sizes 1,7.5 --ranks 1,2 --tstop-ms 200

``--sizes 7.5`` is the size of a real mouse ankle pair (150 motor neurons per
muscle; the default circuit has 20). ``--ranks 1,2`` measures strong scaling
instead: each size runs ``simulate`` under ``mpiexec -n R`` for each R (one
network split over the ranks, see :mod:`cordsim.models.network`) and prints
wall seconds per simulated second of ``run_network`` and of the whole
``simulate`` and the ratio of the first rank count's time to each other's,
all measured in the same invocation (so under the same machine load).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any


def scaled_spec(k: float) -> Any:
    """The default adult circuit with every population size multiplied by ``k`` (>= 1 cell)."""
    from cordsim.models.circuit import circuit_spec

    spec = circuit_spec()
    return spec.with_values(
        {
            f"populations.{name}.n_cells": max(1, int(round(n * k)))
            for name, n in spec.population_sizes().items()
        }
    )


def _rss_mib() -> float:
    """Current resident set size (MiB), from /proc (Linux); NaN elsewhere."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
    except OSError:  # pragma: no cover
        return float("nan")
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _maxrss_mib() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes / KiB


def measure(k: float, tstop_ms: float, seed: int = 1) -> dict[str, float]:
    """Time one ``simulate`` of the k-times circuit, piece by piece (this process).

    Returns
    -------
    dict
        Counts (cells, compartments, synaptic contacts, spikes), times in s
        (``build_s``, ``apply_s``, ``run_s``, ``teardown_s``, ``rest_s``,
        ``simulate_s``, ``metrics_s``) and memory in MiB (``rss_base_mib``,
        ``peak_rss_mib``).
    """
    from cordsim.analysis import metrics
    from cordsim.mechanisms import load
    from cordsim.models import network as build_mod
    from cordsim.models import simulation as sim_mod
    from cordsim.models.protocols import make_protocol

    load()
    spec = scaled_spec(k)
    proto = make_protocol(
        "rest", tstop_ms=float(tstop_ms), settle_ms=min(200.0, float(tstop_ms) / 2)
    )
    rss_base = _rss_mib()
    times: dict[str, float] = {"build_s": 0.0, "apply_s": 0.0, "run_s": 0.0, "teardown_s": 0.0}
    info: dict[str, float] = {}

    def timed(key, fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                times[key] += time.perf_counter() - t0

        return wrapper

    orig_build, orig_run = build_mod.build, sim_mod.run_network
    orig_teardown, orig_apply = build_mod.Network.teardown, type(proto).apply

    def build_and_count(spec_, seed_):
        net = orig_build(spec_, seed_)
        info["neurons"] = net.n_neurons()
        info["compartments"] = net.n_compartments()
        info["contacts"] = len(net.edges)
        info["fibres"] = sum(len(c) for p, c in net.cells.items() if net.is_afferent(p))
        return net

    build_mod.build = timed("build_s", build_and_count)
    sim_mod.run_network = timed("run_s", orig_run)
    build_mod.Network.teardown = timed("teardown_s", orig_teardown)
    type(proto).apply = timed("apply_s", orig_apply)
    try:
        t0 = time.perf_counter()
        result = sim_mod.simulate(spec, proto, seed)
        simulate_s = time.perf_counter() - t0
    finally:
        build_mod.build, sim_mod.run_network = orig_build, orig_run
        build_mod.Network.teardown, type(proto).apply = orig_teardown, orig_apply
    t0 = time.perf_counter()
    metrics(result)
    metrics_s = time.perf_counter() - t0
    rest_s = simulate_s - sum(times.values())
    return {
        "k": k,
        "tstop_ms": float(tstop_ms),
        **info,
        "spikes": float(len(result.spikes)),
        **times,
        "rest_s": rest_s,
        "simulate_s": simulate_s,
        "metrics_s": metrics_s,
        "rss_base_mib": rss_base,
        "peak_rss_mib": _maxrss_mib(),
    }


def measure_ranks(k: float, tstop_ms: float, seed: int = 1) -> dict[str, Any] | None:
    """Time ``simulate`` of the k-times circuit on this MPI job's ranks (rank 0 returns).

    The run time is that of rank 0's ``run_network`` (all ranks advance in
    step); the spike hash shows the spikes do not depend on the rank count.
    """
    from neuron import h

    h.nrnmpi_init()
    from cordsim.mechanisms import load
    from cordsim.models import simulation as sim_mod
    from cordsim.models.protocols import make_protocol

    load()
    pc = h.ParallelContext()
    spec = scaled_spec(k)
    proto = make_protocol(
        "rest", tstop_ms=float(tstop_ms), settle_ms=min(200.0, float(tstop_ms) / 2)
    )
    run_s = [0.0]
    orig_run = sim_mod.run_network

    def timed_run(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return orig_run(*args, **kwargs)
        finally:
            run_s[0] += time.perf_counter() - t0

    sim_mod.run_network = timed_run
    try:
        pc.barrier()
        t0 = time.perf_counter()
        result = sim_mod.simulate(spec, proto, seed)
        simulate_s = time.perf_counter() - t0
    finally:
        sim_mod.run_network = orig_run
    if result is None:
        return None
    return {
        "k": k,
        "ranks": int(pc.nhost()),
        "tstop_ms": float(tstop_ms),
        "run_s": run_s[0],
        "simulate_s": simulate_s,
        "spikes": len(result.spikes),
        "hash": result.spike_hash()[:12],
    }


def _run_ranks(k: float, tstop_ms: float, ranks: int) -> dict[str, Any]:
    import os
    import shutil

    cmd = [sys.executable, __file__, "--child-ranks", repr(k), "--tstop-ms", repr(tstop_ms)]
    if ranks > 1:
        mpiexec = shutil.which("mpiexec")
        if mpiexec is None:
            raise SystemExit("--ranks: mpiexec not found (install Open MPI)")
        cmd = [mpiexec, "--oversubscribe", "-n", str(ranks), *cmd]
    env = os.environ | {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
    return _child_json(cmd, f"size x{k:g} on {ranks} ranks", env=env)


def _child_json(cmd: list[str], what: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a measuring child process and return the last JSON line it printed."""
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{what} failed (exit status {out.returncode})")
    line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line)


def report_ranks(rows: list[dict[str, Any]]) -> str:
    """Plain-text strong-scaling table (one line per size and rank count)."""
    lines = [
        f"{'size':>6}{'ranks':>7}{'spikes':>8}{'hash':>14}"
        f"{'run s/sim s':>13}{'simulate s/sim s':>18}{'ratio run':>11}{'ratio sim':>11}"
    ]
    first: dict[float, dict[str, Any]] = {}
    for r in rows:
        base = first.setdefault(r["k"], r)
        sim = r["tstop_ms"] / 1e3
        lines.append(
            f"{'x' + format(r['k'], 'g'):>6}{r['ranks']:>7}{r['spikes']:>8}{r['hash']:>14}"
            f"{r['run_s'] / sim:>13.2f}{r['simulate_s'] / sim:>18.2f}"
            f"{base['run_s'] / r['run_s']:>11.2f}{base['simulate_s'] / r['simulate_s']:>11.2f}"
        )
    return "\n".join(lines)


def _run_child(k: float, tstop_ms: float) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", repr(k), "--tstop-ms", repr(tstop_ms)]
    return _child_json(cmd, f"size x{k:g}")


def report(rows: list[dict[str, float]]) -> str:
    """Plain-text table of the measurements (one column per size)."""
    lines = []
    labels = [f"x{r['k']:g}" for r in rows]

    def line(name: str, values: list[str]) -> None:
        lines.append(f"{name:<44}" + "".join(f"{v:>14}" for v in values))

    line("circuit size (x default)", labels)
    line("compartmental cells (MN + IaIN + RC)", [f"{r['neurons']:.0f}" for r in rows])
    line("Ia fibres (artificial cells)", [f"{r['fibres']:.0f}" for r in rows])
    line("compartments", [f"{r['compartments']:.0f}" for r in rows])
    line("synaptic contacts (connection rules)", [f"{r['contacts']:.0f}" for r in rows])
    line("simulated (ms, rest protocol)", [f"{r['tstop_ms']:.0f}" for r in rows])
    line("spikes", [f"{r['spikes']:.0f}" for r in rows])
    line("build (s)", [f"{r['build_s']:.2f}" for r in rows])
    line(
        "build per compartmental cell (ms)",
        [f"{1e3 * r['build_s'] / r['neurons']:.1f}" for r in rows],
    )
    line("protocol apply (s)", [f"{r['apply_s']:.4f}" for r in rows])
    line("run: finitialize + psolve (s)", [f"{r['run_s']:.2f}" for r in rows])
    line("teardown (s)", [f"{r['teardown_s']:.3f}" for r in rows])
    line("rest of simulate: recording, assembly (s)", [f"{r['rest_s']:.3f}" for r in rows])
    line("simulate total (s)", [f"{r['simulate_s']:.2f}" for r in rows])
    line("metrics(result) (s, outside simulate)", [f"{r['metrics_s']:.3f}" for r in rows])
    sim_s = [r["tstop_ms"] / 1e3 for r in rows]
    line(
        "simulated s per wall s, psolve only",
        [f"{s / r['run_s']:.4f}" for s, r in zip(sim_s, rows, strict=True)],
    )
    line(
        "simulated s per wall s, whole simulate",
        [f"{s / r['simulate_s']:.4f}" for s, r in zip(sim_s, rows, strict=True)],
    )
    line(
        "wall s per simulated s per 1000 compartments",
        [
            f"{r['run_s'] / s / (r['compartments'] / 1e3):.2f}"
            for s, r in zip(sim_s, rows, strict=True)
        ],
    )
    line(
        "overhead over psolve: (simulate - run) / run",
        [f"{100 * (r['simulate_s'] - r['run_s']) / r['run_s']:.1f} %" for r in rows],
    )
    line("peak RSS (MiB)", [f"{r['peak_rss_mib']:.0f}" for r in rows])
    line("RSS after imports + mechanisms (MiB)", [f"{r['rss_base_mib']:.0f}" for r in rows])
    line(
        "network memory: peak - base (MiB)",
        [f"{r['peak_rss_mib'] - r['rss_base_mib']:.0f}" for r in rows],
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,4", help="size factors, comma-separated (1,4)")
    parser.add_argument("--tstop-ms", type=float, default=500.0, help="simulated ms (500)")
    parser.add_argument("--quick", action="store_true", help="size 1 only, 200 ms")
    parser.add_argument(
        "--ranks", default=None, help="strong scaling: MPI rank counts, comma-separated (1,2)"
    )
    parser.add_argument("--child", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-ranks", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(measure(args.child, args.tstop_ms)))
        return 0
    if args.child_ranks is not None:
        from neuron import h

        row = measure_ranks(args.child_ranks, args.tstop_ms)
        if row is not None:
            print(json.dumps(row), flush=True)
        sys.stderr.flush()
        h.quit(0)  # finalizes MPI on every rank
    sizes = [1.0] if args.quick else [float(s) for s in args.sizes.split(",") if s.strip()]
    tstop = 200.0 if args.quick else args.tstop_ms
    if args.ranks:
        rows = []
        for k in sizes:
            for n in (int(x) for x in args.ranks.split(",") if x.strip()):
                t0 = time.perf_counter()
                rows.append(_run_ranks(k, tstop, n))
                print(
                    f"size x{k:g}, {n} ranks: {time.perf_counter() - t0:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
        print(report_ranks(rows))
        return 0
    rows = []
    for k in sizes:
        t0 = time.perf_counter()
        rows.append(_run_child(k, tstop))
        print(f"size x{k:g}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    print(report(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
