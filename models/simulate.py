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
