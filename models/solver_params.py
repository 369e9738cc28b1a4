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

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models.paramset import ParamSet, param

__all__ = ["DEFAULT_DT_MS", "ENGINES", "SECONDORDER_CHOICES", "SolverParams"]

#: Fixed time step used unless a caller asks otherwise (ms). 0.025 ms resolves
#: the ~0.3-0.5 ms spikes of adult mouse motor neurons (Manuel et al. 2009).
DEFAULT_DT_MS = 0.025

#: NEURON's ``secondorder`` values: 0 backward Euler (first order, stable),
#: 1 Crank-Nicolson for voltages only, 2 Crank-Nicolson with ion currents
#: corrected to second order (Hines & Carnevale, The NEURON Book, ch. 4).
SECONDORDER_CHOICES = (0, 1, 2)

#: Simulation engines: ``neuron`` (NEURON's own solver), ``coreneuron``
#: (CoreNEURON in memory, NEURON 9's direct mode: the same spikes, faster),
#: ``auto`` (CoreNEURON where this NEURON installation supports it).
ENGINES = ("auto", "neuron", "coreneuron")


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
    engine: str = param(
        "auto",
        source="CoreNEURON gave NEURON's spikes bit for bit in all four protocols and ran "
        "the default circuit 1.3x and a 3-cell-per-pool circuit 1.26x faster (issue 14 "
        "measurements), so it is used wherever the installation supports it",
        doc="simulation engine: auto, neuron or coreneuron",
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
        if self.engine not in ENGINES:
            raise ParameterError(unknown_name_message("solver engine", self.engine, ENGINES))
        if self.secondorder not in SECONDORDER_CHOICES:
            raise ParameterError(
                f"secondorder = {self.secondorder!r} must be one of {SECONDORDER_CHOICES}"
            )

    @property
    def uses_coreneuron(self) -> bool:
        """Whether runs with these settings use CoreNEURON (``auto`` resolved here)."""
        return self.resolved().engine == "coreneuron"

    def resolved(self) -> SolverParams:
        """These settings with ``engine = "auto"`` replaced by the engine it picks here.

        ``auto`` is CoreNEURON when this NEURON installation ships
        ``nrnivmodl-core`` (:func:`cordsim.mechanisms.coreneuron_supported`),
        NEURON otherwise.
        """
        if self.engine != "auto":
            return self
        from cordsim.mechanisms import coreneuron_supported

        return self.replace(engine="coreneuron" if coreneuron_supported() else "neuron")

    def label(self) -> str:
        """A short description of the settings, e.g. for logs and plots."""
        parts = [f"dt {self.dt_ms:g} ms", f"secondorder {self.secondorder}"]
        names = {"auto": "auto engine", "neuron": "NEURON", "coreneuron": "CoreNEURON"}
        parts.append(names[self.engine])
        if self.threads > 1:
            parts.append(f"{self.threads} threads")
        return ", ".join(parts)
