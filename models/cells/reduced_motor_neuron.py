"""A reduced (26-compartment) alpha motor neuron for large sweeps.

The detailed :class:`~cordsim.models.cells.motor_neuron.MotorNeuron` has
``n_dendrites`` identical primary dendrites, each three sections (proximal,
middle with the L-type Ca2+ channels, distal) cut into many segments by the
d_lambda rule; it builds dendrite 0 and one tree standing exactly for the
other ``n - 1`` (50 compartments in the adult default cell, 152 with every
dendrite built). This cell has the same two trees, coarser. It keeps the soma, hillock and
initial segment of the detailed cell (one compartment each), its axon stub at
the detailed discretisation (13 compartments in the adult default cell, 19 in
the juvenile: :data:`~cordsim.models.cells.base.AXON_D_LAMBDA`), and two
dendrites of three sections each:

* the synapse-bearing dendrite: ONE of the detailed cell's dendrites, with its
  geometry and membrane densities, one compartment per third. Every named
  dendritic synapse site
  (:meth:`~cordsim.models.cells.base.Cell.synapse_site`) is on it, at the
  same relative position as in the detailed cell, where all synapses of a
  location also share one dendrite; so a synapse sees the detailed cell's
  local input impedance (driving-force saturation, local depolarisation of
  the L-type Ca2+ channels);
* the equivalent dendrite: the other ``n - 1`` identical dendrites collapsed
  exactly, as in the detailed cell. ``n - 1`` identical cables in parallel are one cable of the same
  length and diameter whose membrane densities (``cm``, ``g_pas``,
  ``gbar_csh``, ``gbar_cscal``) are multiplied by ``n - 1`` and whose axial
  resistivity is divided by ``n - 1``. It carries most of the membrane and
  has three compartments in its proximal and middle thirds
  (:data:`BULK_DENDRITE_NSEG`);
* together they conserve membrane area, input conductance and the dendritic
  L-type Ca2+ (PIC) conductance exactly; at the detailed discretisation
  (5, 5 and 7 compartments per third, and the same axon) the reduced cell
  gives the detailed cell's properties to the printed digit.

Why these compartments (``measure_cell`` of the adult and juvenile default,
smallest and largest cells at unit factors against the detailed cell,
2026-12-04):

* the axon stub: in one compartment (the first versions of this cell) the
  300 um stub fired as a unit after the initial segment and re-excited it:
  the adult default cell fired doublets on the slow ramp (recruitment ISI CV2
  1.9 against the detailed 0.23, ramp F-I slope -33 against +6.8 Hz/nA) and
  the juvenile AHP was 3.5 against 8.5 mV. 3, 4 or 5 compartments still
  re-excite (AHP depth -18 mV at 3 and 4); 7 (the d_lambda rule) reproduced
  the detailed cell at the same 7. The detailed cell's stub was later found
  not converged at 7 for the smallest adult cells, and both cells now use the
  finer :data:`~cordsim.models.cells.base.AXON_D_LAMBDA`; the factors below
  were refitted for it (2026-12-05);
* the equivalent dendrite's proximal and middle thirds: the detailed
  smallest adult cell fires fast and irregularly near threshold (recruitment
  ISI CV2 1.89, step F-I gain 3.8 Hz/nA), which needs the dendrites' fast
  return current after each spike. With one compartment per third the
  reduced cell fires regularly (CV2 0.18-0.37, gain 7.7-7.9); with 3, 3 and
  1 compartments on the equivalent dendrite it gives CV2 1.89 and 4.0 Hz/nA
  (3, 1, 1 or 1, 3, 1: CV2 1.1; 1, 1, 3: 0.13). In the circuit this is not
  a detail: the detailed pools' ISI CV in the reflex is 1.06, and a reduced
  cell without it gave 0.48 and 2 fewer reflex spikes of 9 (5 seeds).
  These numbers were measured with the 7-compartment axon. With the finer
  axon the detailed smallest cell gives CV2 1.57 and 4.6 Hz/nA, the reduced
  one CV2 0.40 and 4.6 Hz/nA (``cordsim validate``, 2026-12-05): the noisy
  ramp's doublets near threshold are the least reproducible of its
  properties;
* what the coarse discretisation still changes is corrected by a few scale
  factors fitted to the
  detailed cell's measured properties (``benchmarks/fit_reduced.py``; values
  and residuals in ``models/data/reduced_motor_neuron_fit.toml``), looked up
  by age and interpolated linearly in size index over the pool; they apply
  to both dendrites alike.

The mechanisms are the same ``mechanisms/*.mod`` as in the detailed cell.

Why the synapse-bearing dendrite: the seven-compartment cell put every synapse
on the collapsed dendrite, whose local input impedance is that of all ``n``
dendrites together. A small synapse has the same transfer impedance to the
soma either way, but a large one saturates far less there than on one
dendrite, so the composite Ia EPSP (Na blocked, ``ia_epsps``) was 1.8x the
detailed cell's in the adult (34.8 vs 19.6 mV at size index 0; 2.0-2.5x at 3x
its conductance) and circuits answered synaptic input up to 2x more strongly.
With the separate dendrite the reduced/detailed ratio of the somatic EPSP is
0.98-1.02 over 0.1x to 3x the composite conductance, size indices 0, 0.5 and
1 and both ages (``benchmarks/reduced_epsp.py``, this cell, 2026-12-04; 1.01-1.06
for the ten-compartment version). More compartments on the synapse-bearing
dendrite (3 or 5 per third; the detailed cell has 5, 5, 7) changed the
ten-compartment cell's ratios by at most 0.03, so each third is one
compartment.

Status: experimental, not a replacement for the detailed cell (measured
2026-12-04, issue 14). ``cordsim validate --mn-model reduced`` passes every
target: 55 of 55 adult and 52 of 52 juvenile (the ten-compartment version of
this cell: 52 and 48). The fitted factors are within 4 % of 1, and the fit's
residuals at the pool ends and the middle within 6 %. Composite Ia EPSP 18.8
mV against the detailed 18.6 (adult default cell), 10.3 against 10.3
(juvenile). ``benchmarks/accuracy.py --candidates reduced --seeds 5``: 16 of
113 circuit metrics differ by more than half a seed SD (17 for the
ten-compartment cell, 51 for the seven-compartment one), the largest by 1.4
SD (contraction flexor ISI CV 0.36 against 0.40; the ten-compartment cell:
0.67, 9 SD), reflex amplitude 9.6 against 9.2 spikes (0.9 SD); 23 of 179
validated cell properties differ by more than 3 % (54 before; 22 when rerun
with the csna and cskdr rate tables, the metrics unchanged), the largest
the adult sub-primary range (a two-segment fit on a noisy ramp: 1.2 against
0.27 nA in the default cell, 1.0 against 12.8 nA in the largest) and the
smallest adult cell's onset acceleration. Rerun with the finer axon stub and
the refitted factors (2026-12-05): 13 of 113 metrics beyond half a seed SD
(9 beyond 1 SD, the largest the reflex's flexor rates, 2.4 SD), 20 of 179
properties beyond 3 %, the largest again the default cell's sub-primary
range (1.16 against 0.27 nA); after the juvenile Kv1's slower inactivation
and the juvenile refit (2026-12-05), 21 of 179 (four new in the juvenile
largest cell, its voltage threshold -38.2 against -42.1 mV the largest), the
metrics unchanged. Since the adult ramp properties are means over 5 noise
seeds (2026-12-05), 19 of 179: the default cell's sub-primary range is within
3 % (0.62 against 0.63 nA; on one seed the two-segment fit had given 1.16
against 0.27), and the largest differences are the smallest adult cell's
onset acceleration and recruitment ISI CV2 (0.71 against 1.26) and the
default cell's rest-to-threshold distance (12.0 against 14.5 mV). So it
misses the accuracy rule
(every property within 3 %, every metric within half a seed SD) and stays
out of the defaults. It costs 1.58x less per cell than the detailed cell
(``benchmarks/cells.py``, pools of 100, 1 s, idle machine, 2026-12-05: 50.9
against 80.3 ms per motor neuron per simulated second with the axon stub at
:data:`~cordsim.models.cells.base.AXON_D_LAMBDA`; 35.2 against 66.4 with the
unconverged 5-7 axon compartments before; 41 against 209 before the detailed
cell collapsed its identical dendrites and the mechanisms cached their step
factors, 51 against 216 before the rate tables of csna and cskdr; the
ten-compartment version 32), though it has 2.1x fewer compartments (25.6
against 54.0 on average over the pool): its soma, initial segment and axon,
where the fast Na and Kdr channels sit, are as finely divided as the detailed
cell's.
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
from cordsim.models.cells.base import Cell, dendrite_trees
from cordsim.models.cells.motor_neuron import DENDRITE_PARTS, MotorNeuron, axon_nseg
from cordsim.models.cells.motor_neuron_parameters import (
    AGES,
    MotorNeuronParams,
    motor_neuron_params,
)

#: Fitted correction factors (see module docstring and the file's header).
FIT_FILE = Path(__file__).resolve().parents[1] / "data" / "reduced_motor_neuron_fit.toml"

#: Names of the fitted scale factors, all 1 for the plain collapse.
SCALE_NAMES = ("g_pas_scale", "cal_scale", "sk_scale", "ca_tau_scale")


#: Compartments of the proximal, middle and distal thirds of the dendrite that
#: carries most of the membrane (the equivalent dendrite; the only one when
#: ``n_dendrites`` is 1). The synapse-bearing dendrite has one per third.
#: Chosen by a scan against the detailed cell (module docstring, "Why these
#: compartments"): of the splits tried, the fewest that give the smallest adult cell's recruitment
#: CV2 (1.89) and step F-I gain (4.0 against 3.8 Hz/nA).
BULK_DENDRITE_NSEG = (3, 3, 1)


def n_compartments_for(params: MotorNeuronParams) -> int:
    """Compartments of the reduced cell of detailed parameters ``params`` (no NEURON needed).

    Soma, hillock and initial segment (one each), the axon stub at the
    detailed cell's discretisation (13 in the adult default cell),
    :data:`BULK_DENDRITE_NSEG` on the equivalent dendrite and one per third on
    the synapse-bearing dendrite (absent when ``n_dendrites`` is 1: then the
    one dendrite is discretised as the equivalent one). 26 for the adult
    default cell.
    """
    synapse_tree = len(DENDRITE_PARTS) if params.n_dendrites > 1 else 0
    return 3 + axon_nseg(params) + synapse_tree + sum(BULK_DENDRITE_NSEG)


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
    """A 26-compartment motor neuron equivalent to :class:`MotorNeuron`.

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
    ``dendrites``, ``synapse_site``, ``spike_detector``...). ``dendrites`` is
    two trees of three sections (proximal, middle, distal): ``dendrites[0]``
    the synapse-bearing dendrite (one detailed dendrite; the ``"proximal"``
    and ``"distal"`` sites are the middles of its first and last sections, as
    in the detailed cell), ``dendrites[1]`` the other ``n_dendrites - 1``
    collapsed (absent when ``n_dendrites`` is 1). Lengths and diameters are
    the detailed thirds' (um; each third a cylinder of its mean diameter);
    the synapse-bearing thirds have one compartment each, the equivalent
    (or only) dendrite's :data:`BULK_DENDRITE_NSEG`, the axon stub the
    detailed cell's d_lambda count (:func:`n_compartments_for`).
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
        # the mean diameter of each detailed third (the detailed cell's thirds
        # are cylinders of that diameter too, see DENDRITE_PARTS)
        diams = [p.dend_diam_prox_um - step * (j + 0.5) for j in range(len(DENDRITE_PARTS))]
        length = p.dend_length_um / len(DENDRITE_PARTS)
        trees = []
        # the synapse-bearing dendrite and the equivalent one (the detailed cell's trees)
        for label, copies in dendrite_trees(p.n_dendrites):
            parent, tree = self.soma(1), []
            for part, diam in zip(DENDRITE_PARTS, diams, strict=True):
                sec = self._section(f"{label}_{part}", length, diam)
                sec.connect(parent)
                parent = sec(1)
                tree.append(sec)
            trees.append((tree, copies))
        self.dendrites = [tree for tree, _ in trees]
        self._insert_mechanisms()
        sc = self.scales
        for sec in self.sections:
            sec.nseg = 1
            sec.g_pas = p.g_pas_s_cm2 * sc.g_pas_scale
        # the axon keeps the detailed discretisation, the dendrite carrying most
        # of the membrane gets BULK_DENDRITE_NSEG (see the module docstring)
        self.axon.nseg = axon_nseg(p)
        for sec, nseg in zip(self.dendrites[-1], BULK_DENDRITE_NSEG, strict=True):
            sec.nseg = nseg
        for tree, copies in trees:
            tree[1].gbar_cscal = p.gbar_cal_dend_s_cm2 * sc.cal_scale
            for sec in tree:
                self._stand_for_copies(sec, copies)
        self.soma.gbar_cssk = p.gbar_sk_soma_s_cm2 * sc.sk_scale
        self.soma.tau_cscad = p.ca_tau_ms * sc.ca_tau_scale
        syn_tree = self.dendrites[0]
        self._sites = {
            "soma": (self.soma, 0.5),
            "proximal": (syn_tree[0], 0.5),
            "distal": (syn_tree[2], 0.5),
        }


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
