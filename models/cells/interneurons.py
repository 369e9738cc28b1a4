"""Spinal interneurons: Ia inhibitory interneuron, Renshaw cell, excitatory interneuron."""

from __future__ import annotations

import itertools

from cordsim.mechanisms import load as load_mechanisms
from cordsim.models.cells.base import Cell, d_lambda_nseg, dendrite_trees
from cordsim.models.cells.interneuron_parameters import InterneuronParams, interneuron_params

_counter = itertools.count()


class Interneuron(Cell):
    """A soma with ``n_dendrites`` two-part dendrites (proximal, distal halves).

    Mechanisms: soma csna, csnap, cskdr, cscan, cssk, cscad, pas; dendrites pas.

    Parameters
    ----------
    params : InterneuronParams
    name : str, optional
        Instance name used for its sections.
    collapse_identical_dendrites : bool, default True
        Build dendrite 0 (both dendritic synapse sites are on it) and one tree
        standing exactly for the other ``n_dendrites - 1``, as
        :class:`~cordsim.models.cells.motor_neuron.MotorNeuron` does; False
        builds all of them.
    """

    kind = "interneuron"

    def __init__(
        self,
        params: InterneuronParams,
        name: str | None = None,
        *,
        collapse_identical_dendrites: bool = True,
    ) -> None:
        load_mechanisms()
        super().__init__(params, name or f"{self.kind}{next(_counter)}")
        p = params
        # dendrite 0 carries the synapse sites; one tree stands for the other
        # n - 1 identical, passive ones (exact: see MotorNeuron and
        # Cell._stand_for_copies)
        trees = dendrite_trees(p.n_dendrites, collapse_identical_dendrites)
        self.soma = self._section("soma", p.soma_diam_um, p.soma_diam_um)
        self.dendrites = []
        for label, _copies in trees:
            prox = self._section(f"{label}_prox", p.dend_length_um / 2, p.dend_diam_um)
            dist = self._section(f"{label}_dist", p.dend_length_um / 2, p.dend_diam_um * 0.6)
            prox.connect(self.soma(1))
            dist.connect(prox(1))
            self.dendrites.append([prox, dist])
        for sec in self.sections:
            sec.Ra = p.ra_ohm_cm
            sec.cm = p.cm_uf_cm2
            sec.insert("pas")
            sec.g_pas = p.g_pas_s_cm2
            sec.e_pas = p.e_pas_mv
            sec.nseg = d_lambda_nseg(sec, p.ra_ohm_cm, p.cm_uf_cm2)
        for tree, (_label, k) in zip(self.dendrites, trees, strict=True):
            for sec in tree:
                self._stand_for_copies(sec, k)
        soma = self.soma
        for mech in ("csna", "csnap", "cskdr", "cscan", "cssk", "cscad"):
            soma.insert(mech)
        soma.gbar_csna = p.gbar_na_s_cm2
        soma.vshift_m_csna = p.vshift_na_mv
        soma.vshift_h_csna = p.vshift_na_h_mv
        soma.gbar_csnap = p.gbar_nap_s_cm2
        soma.gbar_cskdr = p.gbar_kdr_s_cm2
        soma.vshift_cskdr = p.vshift_kdr_mv
        soma.tau_scale_cskdr = p.kdr_tau_scale
        soma.gbar_cscan = p.gbar_can_s_cm2
        soma.gbar_cssk = p.gbar_sk_s_cm2
        soma.tau_cscad = p.ca_tau_ms
        soma.f_cscad = p.ca_free_fraction
        soma.ena = p.ena_mv
        soma.ek = p.ek_mv
        self._sites = {
            "soma": (soma, 0.5),
            "proximal": (self.dendrites[0][0], 0.5),
            "distal": (self.dendrites[0][1], 0.5),
        }


class IaInterneuron(Interneuron):
    """Ia inhibitory interneuron (reciprocal inhibition of the antagonist pool)."""

    kind = "ia_interneuron"

    def __init__(self, params: InterneuronParams | None = None, name: str | None = None) -> None:
        super().__init__(
            params if params is not None else interneuron_params("ia_interneuron"), name
        )


class RenshawCell(Interneuron):
    """Renshaw cell (recurrent inhibition; excited by motor axon collaterals)."""

    kind = "renshaw"

    def __init__(self, params: InterneuronParams | None = None, name: str | None = None) -> None:
        super().__init__(params if params is not None else interneuron_params("renshaw"), name)


class ExcitatoryInterneuron(Interneuron):
    """Group I/II excitatory interneuron (the polysynaptic reflex pathway to motor neurons)."""

    kind = "excitatory_interneuron"

    def __init__(self, params: InterneuronParams | None = None, name: str | None = None) -> None:
        super().__init__(
            params if params is not None else interneuron_params("excitatory_interneuron"), name
        )
