"""A reduced (seven-compartment) alpha motor neuron for large sweeps.

The detailed :class:`~cordsim.models.cells.motor_neuron.MotorNeuron` has
``n_dendrites`` identical primary dendrites, each three tapered sections
(proximal, middle with the L-type Ca2+ channels, distal) cut into many
segments by the d_lambda rule (~146 compartments). This cell keeps the soma,
hillock, initial segment and axon stub of the detailed cell (one compartment
each) and collapses the identical dendrites into ONE equivalent dendrite of
three one-compartment sections:

* ``n`` identical cables in parallel are exactly one cable of the same length
  and diameter whose membrane densities (``cm``, ``g_pas``, ``gbar_csh``,
  ``gbar_cscal``) are multiplied by ``n`` and whose axial resistivity is
  divided by ``n`` (membrane area and axial conductance of every piece both
  scale by ``n``), so the collapse conserves membrane area, input conductance
  and the dendritic L-type Ca2+ (PIC) conductance exactly;
* the coarse discretisation (one compartment per third instead of the
  d_lambda rule) is then corrected by a few scale factors fitted to the
  detailed cell's measured properties (``benchmarks/fit_reduced.py``; values
  and residuals in ``models/data/reduced_motor_neuron_fit.toml``), looked up
  by age and interpolated linearly in size index over the pool.

The mechanisms are the same ``mechanisms/*.mod`` as in the detailed cell.

Status: experimental, not a replacement for the detailed cell (measured
2026-12-04, issue 14). ``cordsim validate --mn-model reduced`` passes 45 of 47
adult and 42 of 44 juvenile targets (fails: the smallest adult cell's ramp
F-I slope, 28.6 Hz/nA for 3-26; the juvenile default cell's AHP depth, 5.6 mV
for >= 5.9; two ramp properties not measured), and circuits built with it
answer synaptic input 2-4x more strongly than the detailed circuit (reflex
amplitude 19-20 against 5-6 spikes; contraction flexor rates 26-28 against
13-14 Hz), probably because every synapse lands on the one collapsed
dendrite, whose local input impedance is that of all dendrites together.
It costs 9-10x less per cell than the detailed cell.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cordsim.errors import ParameterError
from cordsim.files import read_toml
from cordsim.mechanisms import load as load_mechanisms
from cordsim.models.cells.base import Cell
from cordsim.models.cells.motor_neuron import DENDRITE_PARTS, MotorNeuron
from cordsim.models.cells.motor_neuron_parameters import (
    AGES,
    MotorNeuronParams,
    motor_neuron_params,
)

#: Fitted correction factors (see module docstring and the file's header).
FIT_FILE = Path(__file__).resolve().parents[1] / "data" / "reduced_motor_neuron_fit.toml"

#: Names of the fitted scale factors, all 1 for the plain collapse.
SCALE_NAMES = ("g_pas_scale", "cal_scale", "sk_scale", "ca_tau_scale")

#: Compartments of every reduced cell (soma, hillock, initial segment, axon,
#: three dendritic), whatever its size (the memory estimator uses it).
N_COMPARTMENTS = 7

_counter = itertools.count()


@dataclass(frozen=True)
class ReducedScales:
    """Correction factors of the reduced cell (dimensionless; 1 = plain collapse).

    Attributes
    ----------
    g_pas_scale : float
        Multiplies the leak conductance density of every section (input
        resistance and time constant).
    cal_scale : float
        Multiplies the dendritic L-type Ca2+ density (PIC onset and size).
    sk_scale : float
        Multiplies the somatic SK density (AHP and F-I gain).
    ca_tau_scale : float
        Multiplies the somatic Ca2+ removal time constant (AHP duration).
    """

    g_pas_scale: float = 1.0
    cal_scale: float = 1.0
    sk_scale: float = 1.0
    ca_tau_scale: float = 1.0


@functools.cache
def _fit_table() -> dict[str, Any]:
    if not FIT_FILE.exists():
        return {}
    return read_toml(FIT_FILE)


def fitted_scales(age: str, size_index: float) -> ReducedScales:
    """Fitted correction factors for ``age`` at pool ``size_index`` (0 smallest, 1 largest).

    The factors were fitted at a few size indices; between them each factor is
    interpolated linearly in size index (held constant outside the fitted
    range). Without a fit file every factor is 1.

    Parameters
    ----------
    age : {"adult", "juvenile"}
    size_index : float
        Position in the pool, in [0, 1].
    """
    if age not in AGES:
        raise ParameterError(f"unknown age {age!r}; choose one of {AGES}")
    table = _fit_table().get(age)
    if not table:
        return ReducedScales()
    s = np.asarray(table["size_index"], dtype=float)
    return ReducedScales(
        **{name: float(np.interp(size_index, s, table[name])) for name in SCALE_NAMES}
    )


class ReducedMotorNeuron(MotorNeuron):
    """A seven-compartment motor neuron equivalent to :class:`MotorNeuron`.

    Parameters
    ----------
    params : MotorNeuronParams, optional
        Parameters of the DETAILED cell to reduce (defaults to the adult
        preset); the same objects :func:`~cordsim.models.pool.pool_cell_params`
        returns.
    name : str, optional
        Instance name used for its sections.
    scales : ReducedScales, optional
        Correction factors; default the fitted ones for ``age`` and
        ``size_index``.
    age : {"adult", "juvenile"}
        Which fit to use when ``scales`` is not given.
    size_index : float
        Pool position (0 smallest, 1 largest) of ``params``, for the fit lookup.

    Notes
    -----
    Same interface as :class:`MotorNeuron` (``soma``, ``sections``,
    ``dendrites``, ``synapse_site``, ``spike_detector``...); ``dendrites`` is a
    single equivalent tree.
    """

    kind = "motor_neuron"

    def __init__(
        self,
        params: MotorNeuronParams | None = None,
        name: str | None = None,
        *,
        scales: ReducedScales | None = None,
        age: str = "adult",
        size_index: float = 0.5,
    ) -> None:
        load_mechanisms()
        params = params if params is not None else motor_neuron_params(age)
        Cell.__init__(self, params, name or f"rmn{next(_counter)}")
        self.scales = scales if scales is not None else fitted_scales(age, size_index)
        p = params
        self._make_soma_and_axon(p)
        step = (p.dend_diam_prox_um - p.dend_diam_dist_um) / len(DENDRITE_PARTS)
        parent, tree = self.soma(1), []
        for j, part in enumerate(DENDRITE_PARTS):
            # one compartment: the mean diameter of the detailed third
            diam = p.dend_diam_prox_um - step * (j + 0.5)
            sec = self._section(f"dend_{part}", p.dend_length_um / len(DENDRITE_PARTS), diam)
            sec.connect(parent)
            parent = sec(1)
            tree.append(sec)
        self.dendrites = [tree]
        self._insert_mechanisms()
        n = p.n_dendrites
        sc = self.scales
        for sec in self.sections:
            sec.nseg = 1
            sec.g_pas = p.g_pas_s_cm2 * sc.g_pas_scale
        for sec in tree:
            sec.Ra = p.ra_ohm_cm / n
            sec.cm = p.cm_uf_cm2 * n
            sec.g_pas = p.g_pas_s_cm2 * sc.g_pas_scale * n
            sec.gbar_csh = p.gbar_h_s_cm2 * n
        tree[1].gbar_cscal = p.gbar_cal_dend_s_cm2 * n * sc.cal_scale
        self.soma.gbar_cssk = p.gbar_sk_soma_s_cm2 * sc.sk_scale
        self.soma.tau_cscad = p.ca_tau_ms * sc.ca_tau_scale
        self._sites = {
            "soma": (self.soma, 0.5),
            "proximal": (tree[0], 0.5),
            "distal": (tree[2], 0.5),
        }

    def total_area_um2(self) -> float:
        """Membrane area the cell stands for (um2): each dendritic area counts ``n_dendrites`` times."""
        n = self.params.n_dendrites
        dend = {id(sec) for sec in self.dendrites[0]}
        return sum(
            seg.area() * (n if id(sec) in dend else 1) for sec in self.sections for seg in sec
        )


def reduced_default_cells(age: str = "adult") -> dict[str, Any]:
    """:func:`~cordsim.models.cells.default_cells` with reduced motor neurons.

    The motor neuron entries (``motor_neuron``, ``pool_smallest``,
    ``pool_largest``) build :class:`ReducedMotorNeuron` from the same
    parameters (and the fit of their pool position); the interneurons are
    unchanged.
    """
    from cordsim.models.cells import default_cells
    from cordsim.models.pool import motor_pool_params, pool_cell_params

    cells = default_cells(age)
    pool = pool_cell_params(age)
    middle = motor_pool_params(age).default_size_index
    cells["motor_neuron"] = functools.partial(
        ReducedMotorNeuron, motor_neuron_params(age), age=age, size_index=middle
    )
    cells["pool_smallest"] = functools.partial(ReducedMotorNeuron, pool[0], age=age, size_index=0.0)
    cells["pool_largest"] = functools.partial(ReducedMotorNeuron, pool[-1], age=age, size_index=1.0)
    return cells
