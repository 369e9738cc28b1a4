"""Run one circuit simulation: build, apply a protocol, record spikes, tear down."""

from __future__ import annotations

from neuron import h

from cordsim.models.solver import run_network

#: Sampling interval of recorded traces (ms).
TRACE_INTERVAL_MS = 0.1


def _record_traces(net, traces, tstop_ms: float) -> tuple[dict, slice]:
    """Start recording time and the somatic voltage of ``traces``; return (vectors, samples).

    NEURON samples every :data:`TRACE_INTERVAL_MS` itself (from 0, excluding
    ``tstop_ms``). CoreNEURON fills only vectors recorded at every step, so
    under it every step is recorded and ``samples`` (a slice) thins them to
    the same sample times.
    """
    if not traces:
        return {}, slice(None)
    if net.spec.solver.uses_coreneuron:
        every = max(1, round(TRACE_INTERVAL_MS / net.spec.solver.dt_ms))
        samples = slice(0, every * round(tstop_ms / (every * net.spec.solver.dt_ms)), every)
        interval = ()
    else:
        samples, interval = slice(None), (TRACE_INTERVAL_MS,)
    recorders = {"t_ms": h.Vector().record(h._ref_t, *interval)}
    for pop, i in traces:
        recorders[f"{pop}[{i}]"] = h.Vector().record(net.cells[pop][i].soma(0.5)._ref_v, *interval)
    return recorders, samples


def simulate(
    spec,
    protocol="rest",
    seed: int = 0,
    *,
    traces=(),
    progress=None,
):
    """Build ``spec`` with ``seed``, apply ``protocol``, run it and return the spikes.

    Each call builds a fresh network and tears it down afterwards (gids,
    recordings, stimuli), and every solver setting is set explicitly from
    ``spec.solver`` (time step, secondorder, threads, CoreNEURON), so a
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
        Cells whose somatic voltage to record, sampled every
        :data:`TRACE_INTERVAL_MS` (under CoreNEURON: every step thinned to
        the nearest whole number of steps to that interval).
    progress : callable, optional
        ``progress(t_ms, tstop_ms)`` is called as the run advances (every
        100 ms of simulated time); the spikes are the same with or without it.

    Returns
    -------
    cordsim.models.result.SimulationResult
    """
    import numpy as np
    import pandas as pd

    from cordsim.models.network import build
    from cordsim.models.protocols import make_protocol
    from cordsim.models.result import Population, SimulationResult

    proto = make_protocol(protocol) if isinstance(protocol, str) else protocol
    net = build(spec, seed)
    try:
        record = proto.apply(net)
        tvec, idvec = h.Vector(), h.Vector()
        net.pc.spike_record(-1, tvec, idvec)
        recorders, samples = _record_traces(net, traces, float(proto.tstop_ms))
        tstop = float(proto.tstop_ms)
        report = None if progress is None else (lambda t_ms: progress(t_ms, tstop))
        run_network(net, proto.tstop_ms, progress=report)
        gids = np.array(idvec.as_numpy(), dtype=np.int64)
        times = np.array(tvec.as_numpy(), dtype=np.float64)
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
            spec=net.spec,  # with the solver engine actually used
            traces={k: np.array(v.as_numpy())[samples] for k, v in recorders.items()},
        )
    finally:
        net.teardown()
