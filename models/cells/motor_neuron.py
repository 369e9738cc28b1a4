"""The alpha motor neuron: soma, hillock, initial segment, axon stub, dendritic tree."""

from __future__ import annotations

import itertools

from cordsim.mechanisms import load as load_mechanisms
from cordsim.models.cells.base import AXON_D_LAMBDA, Cell, d_lambda_nseg, dendrite_trees, nseg_for
from cordsim.models.cells.motor_neuron_parameters import MotorNeuronParams, motor_neuron_params

#: Each primary dendrite is three sections in series (proximal, middle, distal
#: thirds); the dendritic L-type Ca channels sit on the middle third, 100-400 um
#: from the soma in the adult, where Cav1.3 clusters are found (Zhang et al.
#: 2008 J Comp Neurol; Elbasiouny et al. 2005 J Neurophysiol). The dendrite
#: narrows in three steps: each third is a cylinder of the mean diameter of a
#: linear taper from ``dend_diam_prox_um`` to ``dend_diam_dist_um`` (5.17, 3.5
#: and 1.83 um in the adult); the membrane area equals the linear taper's.
DENDRITE_PARTS = ("prox", "mid", "dist")

_counter = itertools.count()


def axon_nseg(params: MotorNeuronParams) -> int:
    """Compartments of the axon stub of a cell built from ``params`` (no NEURON needed).

    The d_lambda rule at :data:`~cordsim.models.cells.base.AXON_D_LAMBDA`
    (why: its comment); the detailed and the reduced cell and the resource
    estimate all take it from here. 13 in the adult default cell, 19 in the
    juvenile one.
    """
    return nseg_for(
        params.axon_length_um,
        params.axon_diam_um,
        params.ra_ohm_cm,
        params.cm_uf_cm2,
        AXON_D_LAMBDA,
    )


class MotorNeuron(Cell):
    """An alpha motor neuron built from :class:`MotorNeuronParams`.

    Parameters
    ----------
    params : MotorNeuronParams, optional
        Defaults to the adult preset.
    name : str, optional
        Instance name used for its sections.
    collapse_identical_dendrites : bool, default True
        Build dendrite 0 (every dendritic synapse site is on it) and one
        section tree standing for the other ``n_dendrites - 1`` (``dendrites``
        then has two trees, named ``dend0_*`` and ``dend1toN_*``). False builds
        all ``n_dendrites`` trees; both give the same cell (see Notes).

    Notes
    -----
    Regions and their mechanisms: soma (csna, csnap, cskdr, cscan, cssk,
    cscad, csh, pas; cskv1 where its density is above 0: juvenile F-type
    cells), hillock and initial segment (csna shifted to lower
    voltages, csnap, cskdr, pas), axon stub (csna, cskdr, pas), dendrites
    (pas, csh; cscal on the middle third).

    The ``n_dendrites - 1`` dendrites without synapses are identical, start
    from the same state and receive no input of their own, so their voltages
    and gating states stay identical at every step (in floating point too: the
    same operations on the same numbers). One tree with their membrane
    densities (``cm``, ``g_pas``, ``gbar``) times ``n_dendrites - 1`` and
    axial resistivity divided by it carries exactly their currents, at the
    same d_lambda discretisation. Measured (``tests/models/cells/
    test_motor_neuron.py``): the collapsed and the full cell, adult and juvenile,
    give the same somatic trace to 3e-8 mV and the same spike times; the
    collapsed adult default cell has 50 compartments instead of 152, the
    juvenile 44 instead of 88 (the axon stub, at
    :data:`~cordsim.models.cells.base.AXON_D_LAMBDA`, has 13 and 19).
    """

    kind = "motor_neuron"

    def __init__(
        self,
        params: MotorNeuronParams | None = None,
        name: str | None = None,
        *,
        collapse_identical_dendrites: bool = True,
    ) -> None:
        load_mechanisms()
        params = params if params is not None else motor_neuron_params("adult")
        super().__init__(params, name or f"mn{next(_counter)}")
        p = params
        self._make_soma_and_axon(p)
        # dendrite 0 carries every dendritic synapse site; the other n - 1 are
        # identical and receive no input, so by default one section tree stands
        # for all of them (Cell._stand_for_copies; exact, see the class Notes)
        trees = dendrite_trees(p.n_dendrites, collapse_identical_dendrites)
        self.dendrites: list[list] = []
        step = (p.dend_diam_prox_um - p.dend_diam_dist_um) / len(DENDRITE_PARTS)
        for label, _copies in trees:
            parent, tree = self.soma(1), []
            for j, part in enumerate(DENDRITE_PARTS):
                diam = (p.dend_diam_prox_um - j * step) - step * 0.5  # the third's mean
                sec = self._section(f"{label}_{part}", p.dend_length_um / len(DENDRITE_PARTS), diam)
                sec.connect(parent)
                parent = sec(1)
                tree.append(sec)
            self.dendrites.append(tree)
        self._insert_mechanisms()
        for sec in self.sections:
            sec.nseg = d_lambda_nseg(sec, p.ra_ohm_cm, p.cm_uf_cm2)
        self.axon.nseg = axon_nseg(p)
        for tree, (_label, k) in zip(self.dendrites, trees, strict=True):
            for sec in tree:
                self._stand_for_copies(sec, k)
        self._sites = {
            "soma": (self.soma, 0.5),
            "proximal": (self.dendrites[0][0], 0.5),
            "distal": (self.dendrites[0][2], 0.5),
        }

    def _make_soma_and_axon(self, p: MotorNeuronParams) -> None:
        """Soma, hillock, initial segment and axon stub, in series (the reduced cell shares it)."""
        self.soma = self._section("soma", p.soma_diam_um, p.soma_diam_um)
        self.hillock = self._section("hillock", p.hillock_length_um, p.hillock_diam_um)
        self.initial_segment = self._section("is", p.is_length_um, p.is_diam_um)
        self.axon = self._section("axon", p.axon_length_um, p.axon_diam_um)
        self.hillock.connect(self.soma(0))
        self.initial_segment.connect(self.hillock(1))
        self.axon.connect(self.initial_segment(1))

    @property
    def dendrite_sections(self) -> list:
        """All dendritic sections (proximal to distal, tree by tree)."""
        return [sec for tree in self.dendrites for sec in tree]

    def _insert_mechanisms(self) -> None:
        p = self.params
        for sec in self.sections:
            sec.Ra = p.ra_ohm_cm
            sec.cm = p.cm_uf_cm2
            sec.insert("pas")
            sec.g_pas = p.g_pas_s_cm2
            sec.e_pas = p.e_pas_mv
        spiking = {
            self.soma: (p.gbar_na_soma_s_cm2, p.gbar_kdr_soma_s_cm2, 0.0),
            self.hillock: (p.gbar_na_is_s_cm2, p.gbar_kdr_is_s_cm2, p.vshift_na_is_mv),
            self.initial_segment: (p.gbar_na_is_s_cm2, p.gbar_kdr_is_s_cm2, p.vshift_na_is_mv),
            self.axon: (p.gbar_na_axon_s_cm2, p.gbar_kdr_axon_s_cm2, p.vshift_na_is_mv),
        }
        for sec, (gna, gkdr, nav16_offset) in spiking.items():
            sec.insert("csna")
            sec.insert("cskdr")
            sec.gbar_csna = gna
            # one shift per gate; Nav1.6 (initial segment, axon) sits lower on both
            sec.vshift_m_csna = p.vshift_na_mv + nav16_offset
            sec.vshift_h_csna = p.vshift_na_h_mv + nav16_offset
            sec.tau_h_scale_csna = p.na_h_tau_scale
            sec.vhalf_s_csna = p.na_slow_vhalf_mv + nav16_offset
            sec.tau_s_csna = p.na_slow_tau_ms
            sec.s_min_csna = p.na_slow_min
            sec.gbar_cskdr = gkdr
            sec.tau_scale_cskdr = p.kdr_tau_scale
            sec.vshift_cskdr = p.vshift_kdr_mv
            sec.ena = p.ena_mv
            sec.ek = p.ek_mv
        for sec, gnap in (
            (self.soma, p.gbar_nap_soma_s_cm2),
            (self.hillock, p.gbar_nap_is_s_cm2),
            (self.initial_segment, p.gbar_nap_is_s_cm2),
        ):
            sec.insert("csnap")
            sec.gbar_csnap = gnap
        soma = self.soma
        for mech in ("cscan", "cssk", "cscad"):
            soma.insert(mech)
        if p.gbar_kv1_soma_s_cm2 > 0:
            soma.insert("cskv1")
            soma.gbar_cskv1 = p.gbar_kv1_soma_s_cm2
        soma.gbar_cscan = p.gbar_can_soma_s_cm2
        soma.gbar_cssk = p.gbar_sk_soma_s_cm2
        soma.tau_deact_cssk = p.sk_tau_ms
        soma.tau_cscad = p.ca_tau_ms
        soma.f_cscad = p.ca_free_fraction
        soma.ek = p.ek_mv
        for sec in [soma, *self.dendrite_sections]:
            sec.insert("csh")
            sec.gbar_csh = p.gbar_h_s_cm2
        for tree in self.dendrites:
            mid = tree[1]
            mid.insert("cscal")
            mid.gbar_cscal = p.gbar_cal_dend_s_cm2
            mid.vhalf_cscal = p.vhalf_cal_mv
            mid.k_cdi_cscal = p.cal_cdi_k
            mid.tau_cdi_cscal = p.cal_cdi_tau_ms
