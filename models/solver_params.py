"""Solver settings of a circuit run: the one validated place for them.

:class:`SolverParams` is the ``solver`` table of a
:class:`~cordsim.models.circuit.CircuitSpec` (``[solver]`` in TOML,
``solver.dt_ms`` as a dotted name in ``--param`` and sweeps), so the settings
that made a result travel with its spec and are written with every result
(``spec.toml`` of a run folder, the base spec of a sweep). The module does
not import NEURON; :func:`cordsim.models.solver.run_network` applies the
settings.

The defaults are the reference settings: every validated property and the
behaviour baselines were measured with them. Coarser settings were measured
against them in issue 14 (dt 0.05 ms moves the reflex latency by +0.31 ms and
the F-I slope by -11 %), and ``benchmarks/accuracy.py`` measures any candidate
against the reference before a default changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from cordsim.errors import ParameterError
from cordsim.models.paramset import ParamSet, param

__all__ = ["DEFAULT_DT_MS", "SECONDORDER_CHOICES", "SolverParams"]

#: Fixed time step used unless a caller asks otherwise (ms). 0.025 ms resolves
#: the ~0.3-0.5 ms spikes of adult mouse motor neurons (Manuel et al. 2009).
DEFAULT_DT_MS = 0.025

#: NEURON's ``secondorder`` values: 0 backward Euler (first order, stable),
#: 1 Crank-Nicolson for voltages only, 2 Crank-Nicolson with ion currents
#: corrected to second order (Hines & Carnevale, The NEURON Book, ch. 4).
SECONDORDER_CHOICES = (0, 1, 2)


@dataclass(frozen=True)
class SolverParams(ParamSet):
    """How NEURON integrates a circuit (fixed step; see the module docstring)."""

    dt_ms: float = param(
        DEFAULT_DT_MS,
        "ms",
        low=1e-4,
        high=1.0,
        source="resolves the 0.3-0.5 ms spikes of adult mouse motor neurons (Manuel et al. "
        "2009); 0.05 ms moved the reflex latency by +0.31 ms (issue 14 measurement)",
        doc="fixed integration time step",
    )
    secondorder: int = param(
        0,
        "1",
        low=0,
        high=2,
        source="backward Euler, NEURON's default and the reference of every baseline",
        doc="NEURON's secondorder: 0 backward Euler, 1 or 2 Crank-Nicolson",
    )
    coreneuron: bool = param(
        False,
        source="choice: CoreNEURON gives the same spikes faster (needs the mechanisms "
        "compiled with nrnivmodl -coreneuron, which cordsim does on first use)",
        doc="run with CoreNEURON (in memory, NEURON 9's direct mode)",
    )
    threads: int = param(
        1,
        "1",
        low=1,
        high=256,
        source="choice: one thread per process; sweeps parallelise over processes",
        doc="NEURON threads of one run (ParallelContext.nthread)",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.secondorder not in SECONDORDER_CHOICES:
            raise ParameterError(
                f"secondorder = {self.secondorder!r} must be one of {SECONDORDER_CHOICES}"
            )

    def label(self) -> str:
        """A short description of the settings actually used, e.g. for logs and plots."""
        parts = [f"dt {self.dt_ms:g} ms", f"secondorder {self.secondorder}"]
        parts.append("CoreNEURON" if self.coreneuron else "NEURON")
        if self.threads > 1:
            parts.append(f"{self.threads} threads")
        return ", ".join(parts)
