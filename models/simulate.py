"""The one place that touches NEURON's global state (``h.dt``, ``h.celsius``, the solver).

Everything that advances a simulation goes through :func:`run_neuron`, which
sets the solver settings explicitly each time so that nothing leaks from one
simulation to the next in the same process.
"""

from __future__ import annotations

from neuron import h

#: Fixed time step used unless a caller asks otherwise (ms). 0.025 ms resolves
#: the ~0.3-0.5 ms spikes of adult mouse motor neurons (Manuel et al. 2009).
DEFAULT_DT_MS = 0.025


def run_neuron(
    tstop_ms: float,
    *,
    celsius: float,
    v_init_mv: float,
    dt_ms: float = DEFAULT_DT_MS,
) -> None:
    """Initialise and run NEURON with the fixed-step solver.

    Parameters
    ----------
    tstop_ms : float
        Simulated duration (ms).
    celsius : float
        Temperature (degrees C) for temperature-dependent kinetics.
    v_init_mv : float
        Initial membrane potential of every section (mV).
    dt_ms : float
        Fixed integration step (ms).
    """
    h.load_file("stdrun.hoc")
    cvode = h.CVode()
    cvode.active(0)
    h.secondorder = 0
    h.dt = dt_ms
    h.steps_per_ms = 1.0 / dt_ms
    h.celsius = celsius
    h.tstop = tstop_ms
    h.finitialize(v_init_mv)
    h.continuerun(tstop_ms)


# --- Restartable and early-stopping runs (used by the single-cell protocols in
# --- measure.py). They set the same solver globals as run_neuron.


def _set_solver(tstop_ms: float, celsius: float, dt_ms: float) -> None:
    h.load_file("stdrun.hoc")
    cvode = h.CVode()
    cvode.active(0)
    h.secondorder = 0
    h.dt = dt_ms
    h.steps_per_ms = 1.0 / dt_ms
    h.celsius = celsius
    h.tstop = tstop_ms


def _continue_until(tstop_ms: float, stop_when, check_every_ms: float) -> float:
    if stop_when is None:
        h.continuerun(tstop_ms)
        return float(h.t)
    while h.t < tstop_ms - 0.5 * h.dt:
        h.continuerun(min(tstop_ms, h.t + check_every_ms))
        if stop_when(float(h.t)):
            break
    return float(h.t)


class SavedState:
    """A settled model state that trials restart from (see :func:`settle_and_save`).

    Holds a ``h.SaveState`` and the solver settings it was made with. It is only
    valid while the model has exactly the same structure (sections, mechanisms,
    point processes, NetCons) as when it was saved: create every stimulus and
    recorder *before* settling; change their parameters (``amp``, ``delay``,
    ``dur``) freely afterwards.
    """

    def __init__(self, state, t_ms: float, celsius: float, v_init_mv: float, dt_ms: float):
        self.state = state
        self.t_ms = t_ms
        self.celsius = celsius
        self.v_init_mv = v_init_mv
        self.dt_ms = dt_ms


def settle_and_save(
    settle_ms: float,
    *,
    celsius: float,
    v_init_mv: float,
    dt_ms: float = DEFAULT_DT_MS,
) -> SavedState:
    """Run ``settle_ms`` from ``finitialize(v_init_mv)`` and save the state reached."""
    run_neuron(settle_ms, celsius=celsius, v_init_mv=v_init_mv, dt_ms=dt_ms)
    state = h.SaveState()
    state.save()
    return SavedState(state, float(h.t), celsius, v_init_mv, dt_ms)


def run_from_state(
    saved: SavedState,
    tstop_ms: float,
    *,
    stop_when=None,
    check_every_ms: float = 5.0,
) -> float:
    """Restore ``saved`` and continue to the absolute time ``tstop_ms``.

    Recorders (``Vector.record``) restart at the restored time. ``stop_when``, if
    given, is called with the current time every ``check_every_ms`` and ends the
    run early when it returns True. Returns the time reached (ms).
    """
    _set_solver(tstop_ms, saved.celsius, saved.dt_ms)
    h.finitialize(saved.v_init_mv)
    saved.state.restore()
    h.frecord_init()
    return _continue_until(tstop_ms, stop_when, check_every_ms)


def run_neuron_until(
    tstop_ms: float,
    *,
    celsius: float,
    v_init_mv: float,
    dt_ms: float = DEFAULT_DT_MS,
    stop_when=None,
    check_every_ms: float = 5.0,
) -> float:
    """Like :func:`run_neuron`, but ``stop_when(t_ms)`` can end the run early.

    Returns the time reached (ms).
    """
    _set_solver(tstop_ms, celsius, dt_ms)
    h.finitialize(v_init_mv)
    return _continue_until(tstop_ms, stop_when, check_every_ms)


def run_network(net, tstop_ms: float, *, dt_ms: float = DEFAULT_DT_MS) -> None:
    """Initialise every cell at its own resting guess and run ``net`` with ``psolve``.

    Parameters
    ----------
    net : cordsim.models.build.Network
    tstop_ms : float
        Simulated duration (ms).
    dt_ms : float
        Fixed time step (ms).
    """
    h.load_file("stdrun.hoc")
    h.CVode().active(0)
    h.secondorder = 0
    h.dt = dt_ms
    h.steps_per_ms = 1.0 / dt_ms
    h.celsius = net.celsius
    h.tstop = tstop_ms
    h.finitialize(-65.0)
    for _pop, _i, cell in net.neurons():
        for sec in cell.sections:
            for seg in sec:
                seg.v = cell.v_init_mv
    h.finitialize()
    net.pc.set_maxstep(10.0)
    net.pc.psolve(tstop_ms)


def simulate(spec, protocol="rest", seed: int = 0, *, traces=(), dt_ms: float = DEFAULT_DT_MS):
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

    Returns
    -------
    cordsim.models.result.SimulationResult
    """
    import numpy as np
    import pandas as pd

    from cordsim.models.build import build
    from cordsim.models.protocols import make_protocol
    from cordsim.models.result import SimulationResult

    proto = make_protocol(protocol) if isinstance(protocol, str) else protocol
    net = build(spec, seed)
    try:
        description = proto.apply(net)
        tvec, idvec = h.Vector(), h.Vector()
        net.pc.spike_record(-1, tvec, idvec)
        recorders = {}
        if traces:
            recorders["t_ms"] = h.Vector().record(h._ref_t, 0.1)
            for pop, i in traces:
                recorders[f"{pop}[{i}]"] = h.Vector().record(
                    net.cells[pop][i].soma(0.5)._ref_v, 0.1
                )
        run_network(net, proto.tstop_ms, dt_ms=dt_ms)
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
        return SimulationResult(
            spikes=spikes,
            populations={p: g.copy() for p, g in net.gids.items()},
            tstop_ms=float(proto.tstop_ms),
            protocol=description,
            seed=int(seed),
            spec=spec,
            traces={k: np.array(v.as_numpy()) for k, v in recorders.items()},
        )
    finally:
        net.teardown()
