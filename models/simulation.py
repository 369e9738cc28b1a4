"""Run one circuit simulation: build, apply a protocol, record spikes, tear down."""

from __future__ import annotations

import numpy as np
from neuron import h

from cordsim.errors import ParameterError
from cordsim.models.solver import run_network

#: Sampling interval of recorded traces (ms).
TRACE_INTERVAL_MS = 0.1


def _record_traces(net, traces) -> tuple[dict, slice]:
    """Start recording time and the somatic voltage of ``traces``; return (vectors, samples).

    Every step is recorded (CoreNEURON fills only every-step recordings) and
    ``samples`` (a slice) thins them to one sample per
    :data:`TRACE_INTERVAL_MS` (or the nearest whole number of steps), from 0 to
    the end of the run included, so both engines give the same samples. Under
    MPI each rank records its own cells (``simulate`` gathers them).
    """
    if not traces:
        return {}, slice(None)
    samples = slice(0, None, max(1, round(TRACE_INTERVAL_MS / net.spec.solver.dt_ms)))
    recorders = {"t_ms": h.Vector().record(h._ref_t)}
    for pop, i in traces:
        if pop not in net.local or not 0 <= i < len(net.gids[pop]):
            raise ParameterError(f"traces: no cell {pop}[{i}] in the circuit")
        here = np.flatnonzero(net.local[pop] == i)  # on this rank (all of them on one rank)
        if len(here):
            cell = net.cells[pop][int(here[0])]
            recorders[f"{pop}[{i}]"] = h.Vector().record(cell.soma(0.5)._ref_v)
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
        :data:`TRACE_INTERVAL_MS` from 0 to ``tstop_ms`` included.
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
    import pandas as pd

    from cordsim.models.network import build
    from cordsim.models.protocols import make_protocol
    from cordsim.models.result import SimulationResult

    proto = make_protocol(protocol) if isinstance(protocol, str) else protocol
    net = build(spec, seed)
    try:
        record = proto.apply(net)
        tvec, idvec = h.Vector(), h.Vector()
        net.pc.spike_record(-1, tvec, idvec)
        recorders, samples = _record_traces(net, traces)
        tstop = float(proto.tstop_ms)
        report = None if progress is None else (lambda t_ms: progress(t_ms, tstop))
        run_network(net, proto.tstop_ms, progress=report)
        gids = np.array(idvec.as_numpy(), dtype=np.int64)
        times = np.array(tvec.as_numpy(), dtype=np.float64)
        traced = {k: np.array(v.as_numpy())[samples] for k, v in recorders.items()}
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
        populations = _population_records(net)
        return SimulationResult(
            spikes=spikes,
            populations=populations,
            tstop_ms=float(proto.tstop_ms),
            protocol=record,
            seed=int(seed),
            spec=net.spec,  # with the solver engine actually used
            traces=traced,
        )
    finally:
        net.teardown()


def _population_records(net) -> dict:
    """The population records (gids, motor-unit size factors) of a built network."""
    from cordsim.models.result import Population

    return {
        name: Population(
            name=name,
            kind=pop.kind,
            role=pop.role,
            muscle=pop.muscle,
            gids=net.gids[name].copy(),
            mu_sizes=net.mu_sizes.get(name),
        )
        for name, pop in net.spec.populations.items()
    }


def run_records(spec, protocol="rest", seed: int = 0):
    """The population and protocol records a run of ``spec`` would carry, without running it.

    Builds the circuit with ``seed`` (the same build as :func:`simulate`),
    applies ``protocol`` to it for its record, reads the population records
    (gids, motor-unit size factors) and tears the network down; nothing is
    simulated. For results stored without these records (a sweep point keeps
    only its spikes and metrics), e.g. to synthesise its EMG or export it.

    Parameters
    ----------
    spec : cordsim.models.circuit.CircuitSpec
    protocol : str or protocol object
        As for :func:`simulate`.
    seed : int
        The seed of the run.

    Returns
    -------
    populations : dict of str to cordsim.models.result.Population
        In the circuit's table order, as :attr:`SimulationResult.populations`.
    record : cordsim.models.result.ProtocolRecord
        The protocol record (windows and event times, ms).
    spec : cordsim.models.circuit.CircuitSpec
        ``spec`` with the solver engine resolved, as ``SimulationResult.spec``.
    """
    from cordsim.models.network import build
    from cordsim.models.protocols import make_protocol

    proto = make_protocol(protocol) if isinstance(protocol, str) else protocol
    net = build(spec, seed)
    try:
        record = proto.apply(net)
        populations = _population_records(net)
        return populations, record, net.spec
    finally:
        net.teardown()
