"""The one place that touches NEURON's global solver state.

Every run goes through :func:`configure_solver`, which sets the fixed-step
solver, ``dt``, ``celsius`` and ``tstop`` explicitly each time, so nothing
leaks from one simulation to the next in the same process. Three ways to run:

- :func:`run_neuron` (and :func:`run_neuron_until`, which can stop early):
  initialise every section at one potential and run (single cells);
- :func:`settle_and_save` / :func:`run_from_state`: settle once, save the
  state, and restart trials from it (the single-cell measurement rig);
- :func:`run_network`: initialise every cell at its own resting guess and run
  a built network with ``ParallelContext.psolve``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from neuron import h

from cordsim.models.solver_params import DEFAULT_DT_MS

__all__ = [
    "DEFAULT_DT_MS",
    "SavedState",
    "configure_solver",
    "run_from_state",
    "run_network",
    "run_neuron",
    "run_neuron_until",
    "settle_and_save",
]

#: Longest step (ms) ParallelContext may take between spike exchanges; it is
#: capped by the shortest NetCon delay (0.1 ms for the drives).
MAX_STEP_MS = 10.0


def configure_solver(
    *, tstop_ms: float, celsius: float, dt_ms: float = DEFAULT_DT_MS, secondorder: int = 0
) -> None:
    """Set NEURON's solver globals for a fixed-step run.

    Parameters
    ----------
    tstop_ms : float
        End of the run (ms).
    celsius : float
        Temperature (degC) for temperature-dependent kinetics.
    dt_ms : float
        Fixed integration step (ms).
    secondorder : int
        NEURON's ``secondorder`` (0: backward Euler; 1, 2: Crank-Nicolson).
    """
    h.load_file("stdrun.hoc")
    h.CVode().active(0)
    h.secondorder = secondorder
    h.dt = dt_ms
    h.steps_per_ms = 1.0 / dt_ms
    h.celsius = celsius
    h.tstop = tstop_ms


def run_neuron(
    tstop_ms: float,
    *,
    celsius: float,
    v_init_mv: float,
    dt_ms: float = DEFAULT_DT_MS,
) -> None:
    """Initialise every section at ``v_init_mv`` and run to ``tstop_ms``.

    Parameters
    ----------
    tstop_ms : float
        Simulated duration (ms).
    celsius : float
        Temperature (degC).
    v_init_mv : float
        Initial membrane potential of every section (mV).
    dt_ms : float
        Fixed integration step (ms).
    """
    configure_solver(tstop_ms=tstop_ms, celsius=celsius, dt_ms=dt_ms)
    h.finitialize(v_init_mv)
    h.continuerun(tstop_ms)


def _continue_until(
    tstop_ms: float, stop_when: Callable[[float], bool] | None, check_every_ms: float
) -> float:
    if stop_when is None:
        h.continuerun(tstop_ms)
        return float(h.t)
    while h.t < tstop_ms - 0.5 * h.dt:
        h.continuerun(min(tstop_ms, h.t + check_every_ms))
        if stop_when(float(h.t)):
            break
    return float(h.t)


def run_neuron_until(
    tstop_ms: float,
    *,
    celsius: float,
    v_init_mv: float,
    dt_ms: float = DEFAULT_DT_MS,
    stop_when: Callable[[float], bool] | None = None,
    check_every_ms: float = 5.0,
) -> float:
    """Like :func:`run_neuron`, but ``stop_when(t_ms)`` can end the run early.

    Returns the time reached (ms).
    """
    configure_solver(tstop_ms=tstop_ms, celsius=celsius, dt_ms=dt_ms)
    h.finitialize(v_init_mv)
    return _continue_until(tstop_ms, stop_when, check_every_ms)


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
    stop_when: Callable[[float], bool] | None = None,
    check_every_ms: float = 5.0,
) -> float:
    """Restore ``saved`` and continue to the absolute time ``tstop_ms``.

    Recorders (``Vector.record``) restart at the restored time. ``stop_when``, if
    given, is called with the current time every ``check_every_ms`` and ends the
    run early when it returns True. Returns the time reached (ms).
    """
    configure_solver(tstop_ms=tstop_ms, celsius=saved.celsius, dt_ms=saved.dt_ms)
    h.finitialize(saved.v_init_mv)
    saved.state.restore()
    h.frecord_init()
    return _continue_until(tstop_ms, stop_when, check_every_ms)


#: Simulated time between two calls of ``run_network``'s ``progress`` (ms).
PROGRESS_STEP_MS = 100.0


def run_network(
    net,
    tstop_ms: float,
    *,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Initialise every cell at its own resting guess and run ``net`` with ``psolve``.

    The solver settings are the spec's (``net.spec.solver``, a
    :class:`~cordsim.models.solver_params.SolverParams`): time step,
    ``secondorder``, NEURON threads, and CoreNEURON. Whatever they are, the
    global state is put back afterwards (one thread, CoreNEURON off), so the
    next run in the process starts from NEURON's defaults.

    Parameters
    ----------
    net : cordsim.models.network.Network
        A built network (its ``pc`` is NEURON's ParallelContext).
    tstop_ms : float
        Simulated duration (ms).
    progress : callable, optional
        Called with the simulated time reached (ms) every
        :data:`PROGRESS_STEP_MS` and at the end. ``psolve`` then runs in
        chunks; with the fixed step this gives the same spikes as one call
        (checked in tests/models/test_simulation.py). Under CoreNEURON each
        chunk is a separate ``psolve`` call: 1 % slower for the default
        circuit (1 s of rest, 100 ms chunks; measured).
    """
    solver = net.spec.solver
    configure_solver(
        tstop_ms=tstop_ms,
        celsius=net.celsius,
        dt_ms=solver.dt_ms,
        secondorder=solver.secondorder,
    )
    net.pc.nthread(solver.threads)
    try:
        with _coreneuron(solver.uses_coreneuron):
            # set_maxstep before finitialize: with two MPI ranks the other order
            # delivered 0 of 22 cross-rank spikes in a two-cell test (issue 14); on
            # one rank both orders give the same spikes (regression tests)
            net.pc.set_maxstep(MAX_STEP_MS)
            h.finitialize(-65.0)
            for _pop, _i, cell in net.neurons():
                for sec in cell.sections:
                    for seg in sec:
                        seg.v = cell.v_init_mv
            h.finitialize()
            if progress is None:
                net.pc.psolve(tstop_ms)
                return
            t_ms = 0.0
            while t_ms < tstop_ms:
                t_ms = min(tstop_ms, t_ms + PROGRESS_STEP_MS)
                net.pc.psolve(t_ms)
                progress(t_ms)
    finally:
        if solver.threads != 1:
            net.pc.nthread(1)


@contextmanager
def _coreneuron(enabled: bool) -> Iterator[None]:
    """Run the ``psolve`` calls inside with CoreNEURON (in-memory mode) if ``enabled``.

    The mechanisms must have been loaded from their ``nrnivmodl -coreneuron``
    build (:func:`cordsim.models.network.build` does it when the spec asks
    for CoreNEURON). ``cache_efficient`` is required by CoreNEURON and kept
    on only for the run.
    """
    if not enabled:
        yield
        return
    from neuron import coreneuron

    h.CVode().cache_efficient(1)
    coreneuron.enable = True
    coreneuron.verbose = 0
    try:
        yield
    finally:
        coreneuron.enable = False
        h.CVode().cache_efficient(0)
