"""Run one circuit simulation: build, apply a protocol, record spikes, tear down."""

from __future__ import annotations

from neuron import h

from cordsim.models.solver import DEFAULT_DT_MS, run_network


def simulate(
    spec,
    protocol="rest",
    seed: int = 0,
    *,
    traces=(),
    dt_ms: float = DEFAULT_DT_MS,
    progress=None,
):
    """Build ``spec`` with ``seed``, apply ``protocol``, run it and return the spikes.

    Each call builds a fresh network and tears it down afterwards (gids,
    recordings, stimuli), and every solver setting is set explicitly, so a
    second call in the same process gives bit-identical spikes.

    Parameters
    ----------
    spec : cordsim.models.circuit.CircuitSpec
    protocol : str or protocol object
        ``"rest"``, ``"reflex"``, ``"contraction"``, ``"alternation"`` (defaults)
        or a configured protocol from :mod:`cordsim.models.protocols`.
    seed : int
        Seed of every random stream of the build and run.
    traces : sequence of (population, index)
        Cells whose somatic voltage to record (sampled every 0.1 ms).
    dt_ms : float
        Fixed time step (ms).
    progress : callable, optional
        ``progress(t_ms, tstop_ms)`` is called as the run advances (every
        100 ms of simulated time); the spikes are the same with or without it.

    Returns
    -------
    cordsim.models.result.SimulationResult or None
        Under MPI (see :mod:`cordsim.models.network`) every rank must call
        this; rank 0 gathers all spikes and traces and returns the result,
        the other ranks return None. The spikes are the same for any number
        of ranks.
    """
    import numpy as np
    import pandas as pd

    from cordsim.errors import ParameterError
    from cordsim.models.network import build
    from cordsim.models.protocols import make_protocol
    from cordsim.models.result import Population, SimulationResult

    proto = make_protocol(protocol) if isinstance(protocol, str) else protocol
    net = build(spec, seed)
    try:
        record = proto.apply(net)
        tvec, idvec = h.Vector(), h.Vector()
        net.pc.spike_record(-1, tvec, idvec)
        recorders = {}
        if traces:
            recorders["t_ms"] = h.Vector().record(h._ref_t, 0.1)
            for pop, i in traces:
                if pop not in net.local or not 0 <= i < len(net.gids[pop]):
                    raise ParameterError(f"traces: no cell {pop}[{i}] in the circuit")
                here = np.flatnonzero(net.local[pop] == i)
                if len(here):
                    recorders[f"{pop}[{i}]"] = h.Vector().record(
                        net.cells[pop][int(here[0])].soma(0.5)._ref_v, 0.1
                    )
        tstop = float(proto.tstop_ms)
        report = None if progress is None else (lambda t_ms: progress(t_ms, tstop))
        run_network(net, proto.tstop_ms, dt_ms=dt_ms, progress=report)
        gids = np.array(idvec.as_numpy(), dtype=np.int64)
        times = np.array(tvec.as_numpy(), dtype=np.float64)
        traced = {k: np.array(v.as_numpy()) for k, v in recorders.items()}
        if net.nhost > 1:  # rank 0 gathers every rank's spikes and traces
            parts = net.pc.py_gather((gids, times, traced), 0)
            if net.rank != 0:
                return None
            gids = np.concatenate([p[0] for p in parts])
            times = np.concatenate([p[1] for p in parts])
            traced = {k: v for p in parts for k, v in p[2].items()}
            if traces:
                traced = {"t_ms": traced["t_ms"]} | {
                    f"{pop}[{i}]": traced[f"{pop}[{i}]"] for pop, i in traces
                }
        pop_of = {int(g): pop for pop, gs in net.gids.items() for g in gs}
        order = np.lexsort((gids, times))
        spikes = pd.DataFrame(
            {
                "time_ms": times[order],
                "gid": gids[order],
                "population": [pop_of[int(g)] for g in gids[order]],
            }
        )
        populations = {
            name: Population(
                name=name,
                kind=pop.kind,
                role=pop.role,
                muscle=pop.muscle,
                gids=net.gids[name].copy(),
                mu_sizes=net.mu_sizes.get(name),
            )
            for name, pop in spec.populations.items()
        }
        return SimulationResult(
            spikes=spikes,
            populations=populations,
            tstop_ms=float(proto.tstop_ms),
            protocol=record,
            seed=int(seed),
            spec=spec,
            traces=traced,
        )
    finally:
        net.teardown()
