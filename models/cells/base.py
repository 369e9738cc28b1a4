"""What every cordsim cell shares: owned sections, spike detection, synapse sites."""

from __future__ import annotations

import math
from typing import Any

from neuron import h

#: Frequency (Hz) and fraction of the AC length constant used to choose the
#: number of segments per section (the d_lambda rule; Hines & Carnevale 2001).
D_LAMBDA_FREQ_HZ = 100.0
D_LAMBDA = 0.1

#: The same rule with shorter segments for the motor neurons' axon stub. The
#: d_lambda rule is made for passive cables (100 Hz); the stub conducts every
#: spike away from the initial segment. At D_LAMBDA (5-7 compartments) the
#: adult pool's smaller cells were not converged: step F-I gain of the 1st,
#: 2nd and 4th of 20 cells 17-20 % below the value with four times the
#: compartments (3.8, 5.4, 5.0 against 4.6, 6.7, 6.3 Hz/nA), the 5th 3 %, and
#: the 3rd's recruitment ISI CV2 0.56 against 0.27; with twice the
#: compartments every cell was within 0.2 % of four times (the two largest,
#: firing at up to 340 Hz, within 2 %). At 0.05 (11 compartments) the 2nd
#: cell was still 1.6 % off; at 0.04 (11-15 compartments) the 1st-6th, 14th
#: and 20th cells are within 0.1 % (the 20th 0.7 %). The juvenile cells were
#: converged at D_LAMBDA (default and pool ends within 2 %). measure_cell,
#: 2026-12-05; tests/models/cells/test_motor_neuron.py checks three cells.
AXON_D_LAMBDA = 0.04

#: Names of the synapse locations every cell exposes.
SYNAPSE_LOCATIONS = ("soma", "proximal", "distal")


def dendrite_trees(n_dendrites: int, collapse_identical: bool = True) -> list[tuple[str, int]]:
    """Label and copies of each dendritic tree a cell with ``n_dendrites`` identical ones builds.

    Dendrite 0 carries every dendritic synapse site; with ``collapse_identical``
    one more tree stands for the other ``n_dendrites - 1``
    (:meth:`Cell._stand_for_copies`), otherwise each is built.

    Returns
    -------
    list of (str, int)
        ``[("dend0", 1), ("dend1to7", 7)]`` for 8 collapsed dendrites,
        ``[("dend0", 1), ("dend1", 1), ...]`` when not collapsed.
    """
    if collapse_identical and n_dendrites > 2:
        return [("dend0", 1), (f"dend1to{n_dendrites - 1}", n_dendrites - 1)]
    return [(f"dend{i}", 1) for i in range(n_dendrites)]


def d_lambda_nseg(sec: Any, ra_ohm_cm: float, cm_uf_cm2: float, d_lambda: float = D_LAMBDA) -> int:
    """Odd number of segments for ``sec`` by the d_lambda rule (Hines & Carnevale 2001)."""
    return nseg_for(sec.L, sec.diam, ra_ohm_cm, cm_uf_cm2, d_lambda)


def nseg_for(
    length_um: float,
    diam_um: float,
    ra_ohm_cm: float,
    cm_uf_cm2: float,
    d_lambda: float = D_LAMBDA,
) -> int:
    """Odd number of segments of a cable by the d_lambda rule (no NEURON needed).

    Parameters
    ----------
    length_um, diam_um : float
        Length and (middle) diameter of the section (um).
    ra_ohm_cm : float
        Axial resistivity (ohm cm).
    cm_uf_cm2 : float
        Specific membrane capacitance (uF/cm2).
    d_lambda : float
        Largest segment as a fraction of that length constant (1):
        :data:`D_LAMBDA`, or :data:`AXON_D_LAMBDA` for the motor neurons' axon.

    Returns
    -------
    int
        Segments such that each is at most ``d_lambda`` of the AC length
        constant at ``D_LAMBDA_FREQ_HZ``.
    """
    if not d_lambda > 0:
        raise ValueError(f"d_lambda must be > 0, got {d_lambda!r}")
    lam_um = 1e5 * math.sqrt(diam_um / (4 * math.pi * D_LAMBDA_FREQ_HZ * ra_ohm_cm * cm_uf_cm2))
    return int((length_um / (d_lambda * lam_um) + 0.9) / 2) * 2 + 1


class Cell:
    """Base class: a cell owns its NEURON sections and knows where inputs go.

    Attributes
    ----------
    name : str
        Instance name, used to name sections (``"<name>.soma"``).
    kind : str
        Cell type (``"motor_neuron"``, ``"ia_interneuron"``, ``"renshaw"``).
    params : ParamSet
        The frozen parameters the cell was built from.
    soma : nrn.Section
    sections : list of nrn.Section
        All sections, soma first.
    celsius : float
        Temperature the cell's parameters were set for (degC).
    v_init_mv : float
        Initial membrane potential (mV).
    spike_threshold_mv : float
        Somatic voltage that counts as a spike (mV).
    """

    kind = "cell"

    def __init__(self, params: Any, name: str) -> None:
        self.params = params
        self.name = name
        self.sections: list[Any] = []
        self._sites: dict[str, tuple[Any, float]] = {}
        #: how many identical sections each section stands for (``id(sec)``: copies)
        self._copies: dict[int, int] = {}
        self.celsius = float(params.celsius_degc)
        self.v_init_mv = float(params.v_init_mv)
        self.spike_threshold_mv = float(params.spike_threshold_mv)

    def _section(self, label: str, length_um: float, diam_um: float) -> Any:
        sec = h.Section(name=f"{self.name}.{label}")
        sec.L = length_um
        sec.diam = diam_um
        self.sections.append(sec)
        return sec

    def synapse_site(self, location: str) -> tuple[Any, float]:
        """Return ``(section, x)`` of a named synapse location.

        Parameters
        ----------
        location : {"soma", "proximal", "distal"}
        """
        try:
            return self._sites[location]
        except KeyError:
            raise KeyError(
                f"{self.kind} has no synapse location {location!r}; "
                f"choose one of {sorted(self._sites)}"
            ) from None

    @property
    def synapse_locations(self) -> dict[str, tuple[Any, float]]:
        """All named synapse locations, ``{name: (section, x)}``."""
        return dict(self._sites)

    def spike_detector(self, target: Any = None) -> Any:
        """A NetCon watching the somatic voltage; ``target`` None for recording only."""
        nc = h.NetCon(self.soma(0.5)._ref_v, target, sec=self.soma)
        nc.threshold = self.spike_threshold_mv
        return nc

    def _stand_for_copies(self, sec: Any, copies: int) -> None:
        """Make ``sec`` stand for ``copies`` identical sections in parallel (exactly).

        ``copies`` identical cables attached at the same point, receiving no
        input of their own, keep identical voltages and gating states at all
        times, so they are one cable of the same length and diameter whose
        membrane densities (``cm``, ``pas``'s ``g`` and every mechanism's
        ``gbar``) are multiplied by ``copies`` and whose axial resistivity is
        divided by it: membrane current, capacitance and axial current all
        scale by ``copies``, and the length constant (``Ra * cm``) stays. Call
        it after the section's densities and ``nseg`` are set. Concentration
        mechanisms and gating states need no change (they are per unit area).

        Raises
        ------
        ValueError
            If ``copies`` is below 1, or the section carries a mechanism that
            is neither ``pas``, an ion, nor has a ``gbar`` (its scaling would
            be unknown), or a point process (the copies would get one each).
        """
        if copies < 1:
            raise ValueError(f"{sec.name()}: copies must be >= 1, got {copies}")
        if any(seg.point_processes() for seg in sec):
            raise ValueError(f"{sec.name()} carries point processes; it cannot stand for copies")
        self._copies[id(sec)] = copies
        if copies == 1:
            return
        sec.Ra = sec.Ra / copies
        for seg in sec:
            seg.cm *= copies
            for mech in seg:
                if mech.is_ion():
                    continue
                if mech.name() == "pas":
                    mech.g *= copies
                elif hasattr(mech, "gbar"):
                    mech.gbar *= copies
                else:
                    raise ValueError(
                        f"{sec.name()}: no rule to scale mechanism {mech.name()!r} for copies"
                    )

    def copies_of(self, sec: Any) -> int:
        """How many identical sections ``sec`` stands for (1 unless collapsed)."""
        return self._copies.get(id(sec), 1)

    def total_area_um2(self) -> float:
        """Membrane area the cell stands for (um2); a collapsed section counts its copies."""
        return sum(seg.area() * self.copies_of(sec) for sec in self.sections for seg in sec)

    def n_compartments(self) -> int:
        """Number of segments (compartments) of the cell."""
        return sum(sec.nseg for sec in self.sections)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: {len(self.sections)} sections>"
