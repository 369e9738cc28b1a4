"""Build NEURON objects from a circuit spec: a pure function of (spec, seed).

Every cell gets a gid registered with NEURON's ParallelContext (so the same
build can later run under MPI or CoreNEURON), in a fixed block per population
(``gid = block * GID_BLOCK + index``), so resizing one population changes no
other cell's gid. Every random draw comes from a stream keyed by (seed,
population, cell index, purpose):

- connectivity: a numpy ``SeedSequence([seed, rule, target population,
  target index])`` draws one uniform per source cell in index order, so
  adding source cells appends draws and never reshuffles earlier ones;
- spike sources (Ia fibres, background and descending Poisson inputs):
  Random123 streams of :class:`~cordsim.models.cells.afferents.SpikeSource`
  (``csIaFiber``) with ids ``(seed, stream, index)``, ``stream`` a stable
  hash of (population, purpose).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from neuron import h

from cordsim.mechanisms import load as load_mechanisms
from cordsim.models.cells.afferents import IaAfferent, SpikeSource, stable_int
from cordsim.models.cells.interneuron_params import interneuron_params
from cordsim.models.cells.interneurons import IaInterneuron, RenshawCell
from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.cells.motor_neuron_params import motor_neuron_params
from cordsim.models.circuit import MUSCLES, CircuitSpec, antagonist, population_name
from cordsim.models.pool import motor_unit_type, pool_cell_params

#: Population order: fixes each population's gid block.
POPULATIONS = tuple(population_name(r, m) for r in ("ia", "mn", "iain", "rc") for m in MUSCLES)
GID_BLOCK = 1_000_000


def gid_of(population: str, index: int) -> int:
    """Global id of cell ``index`` of ``population``."""
    return POPULATIONS.index(population) * GID_BLOCK + index


@dataclass
class Network:
    """The NEURON objects of one built circuit (keep it alive while simulating).

    Attributes
    ----------
    spec : CircuitSpec
    seed : int
    cells : dict of population -> list
        Cell objects (motor neurons, interneurons) or
        :class:`~cordsim.models.cells.afferents.IaAfferent` spike sources
        (afferents), in index order.
    gids : dict of population -> numpy.ndarray
    descending : dict of muscle -> list of SpikeSource
        The descending Poisson inputs (rate 0 until a protocol sets it).
    mu_sizes : dict of population -> numpy.ndarray
        Motor-unit size factors of the motor pools (membrane area relative to
        the smallest cell), for EMG synthesis.
    mu_types : dict of population -> list of str
    edges : list of (rule, source gid, target gid)
        Every synaptic contact made by the connection rules.
    """

    spec: CircuitSpec
    seed: int
    pc: Any
    cells: dict[str, list] = field(default_factory=dict)
    gids: dict[str, np.ndarray] = field(default_factory=dict)
    descending: dict[str, list] = field(default_factory=dict)
    mu_sizes: dict[str, np.ndarray] = field(default_factory=dict)
    mu_types: dict[str, list] = field(default_factory=dict)
    edges: list = field(default_factory=list)
    keep: list = field(default_factory=list)

    @property
    def celsius(self) -> float:
        """Temperature of the circuit (degC), that of its motor neurons."""
        return (
            self.cells[population_name("mn", MUSCLES[0])][0].celsius
            if self.n_neurons()
            else (37.0 if self.spec.age == "adult" else 26.0)
        )

    def n_neurons(self) -> int:
        """Number of compartmental cells (afferents excluded)."""
        return sum(len(c) for p, c in self.cells.items() if not p.startswith("ia_"))

    def n_compartments(self) -> int:
        """Total number of compartments."""
        return sum(
            c.n_compartments()
            for p, cs in self.cells.items()
            if not p.startswith("ia_")
            for c in cs
        )

    def neurons(self):
        """Iterate over (population, index, cell) of the compartmental cells."""
        for pop, cells in self.cells.items():
            if not pop.startswith("ia_"):
                for i, c in enumerate(cells):
                    yield pop, i, c

    def teardown(self) -> None:
        """Release gids and NEURON objects."""
        self.pc.gid_clear()
        self.keep.clear()
        self.descending.clear()
        self.cells.clear()


def _synapse(spec: CircuitSpec, kind: str, seg: Any) -> Any:
    s = spec.synapses
    if kind == "gly":
        syn = h.csGlySyn(seg)
        syn.tau1, syn.tau2, syn.e = s.gly_tau_rise_ms, s.gly_tau_decay_ms, s.gly_reversal_mv
    elif kind == "ach":
        syn = h.csIaSyn(seg)
        syn.tau1, syn.tau2, syn.u = s.ach_tau_rise_ms, s.ach_tau_decay_ms, 0.0
    else:
        syn = h.csIaSyn(seg)
        syn.tau1, syn.tau2 = s.ia_tau_rise_ms, s.ia_tau_decay_ms
        syn.u, syn.tau_rec = s.ia_use, s.ia_tau_rec_ms
    return syn


def _make_cells(net: Network) -> None:
    spec, pc = net.spec, net.pc
    mn_base = motor_neuron_params(spec.age)
    if spec.mn_scale:
        mn_base = mn_base.scaled(**spec.mn_scale)
    for muscle in MUSCLES:
        pool = spec.pools[muscle]
        pop = population_name("mn", muscle)
        params = pool_cell_params(spec.age, pool, mn_base)
        net.cells[pop] = [MotorNeuron(p, name=f"{pop}[{i}]") for i, p in enumerate(params)]
        areas = np.array([c.total_area_um2() for c in net.cells[pop]])
        net.mu_sizes[pop] = areas / areas.min() if len(areas) else areas
        net.mu_types[pop] = [motor_unit_type(i, pool) for i in range(pool.n_cells)]
        for kind, cls, role, n, scale in (
            (
                "ia_interneuron",
                IaInterneuron,
                "iain",
                spec.interneurons[muscle].n_iain,
                spec.iain_scale,
            ),
            ("renshaw", RenshawCell, "rc", spec.interneurons[muscle].n_rc, spec.rc_scale),
        ):
            p = interneuron_params(kind, spec.age)
            if scale:
                p = p.scaled(**scale)
            ipop = population_name(role, muscle)
            net.cells[ipop] = [cls(p, name=f"{ipop}[{i}]") for i in range(n)]
        aff = spec.afferents[muscle]
        apop = population_name("ia", muscle)
        net.cells[apop] = [
            IaAfferent(
                net.seed,
                f"{apop}:spikes",
                i,
                rate_hz=aff.rest_rate_hz,
                rate_max_hz=max(aff.contraction_rate_hz, aff.rest_rate_hz),
            )
            for i in range(aff.n_fibres)
        ]
    for pop in POPULATIONS:
        gids = np.array([gid_of(pop, i) for i in range(len(net.cells[pop]))], dtype=np.int64)
        net.gids[pop] = gids
        for gid, cell in zip(gids, net.cells[pop], strict=True):
            pc.set_gid2node(int(gid), pc.id())
            nc = cell.netcon() if pop.startswith("ia_") else cell.spike_detector()
            pc.cell(int(gid), nc)
            net.keep.append(nc)


def _connect(net: Network) -> None:
    spec, pc = net.spec, net.pc
    for rule_name, rule in spec.connections.items():
        weight = rule.weight_us * rule.weight_scale
        if rule.synapse == "ia" and rule.source == "ia":
            weight *= 1.0 - spec.presynaptic_inhibition
        if weight <= 0 or rule.probability <= 0:
            continue
        for muscle in MUSCLES:
            target_pop = population_name(rule.target, muscle)
            source_muscle = muscle if rule.side == "homonymous" else antagonist(muscle)
            source_pop = population_name(rule.source, source_muscle)
            source_gids = net.gids[source_pop]
            delay = rule.delay_ms
            if rule.source == "ia":
                delay += spec.afferents[source_muscle].conduction_delay_ms
            for j, cell in enumerate(net.cells[target_pop]):
                rng = np.random.default_rng(
                    np.random.SeedSequence(
                        [net.seed, stable_int(rule_name), stable_int(target_pop), j]
                    )
                )
                draws = rng.random(len(source_gids))
                chosen = source_gids[draws < rule.probability]
                if rule.source == rule.target and rule.side == "homonymous":
                    chosen = chosen[chosen != net.gids[target_pop][j]]  # no autapses
                if not len(chosen):
                    continue
                sec, x = cell.synapse_site(rule.location)
                syn = _synapse(spec, rule.synapse, sec(x))
                net.keep.append(syn)
                target_gid = int(net.gids[target_pop][j])
                for gid in chosen:
                    net.edges.append((rule_name, int(gid), target_gid))
                    nc = pc.gid_connect(int(gid), syn)
                    nc.weight[0] = weight
                    nc.delay = delay
                    net.keep.append(nc)


def _add_drives(net: Network) -> None:
    spec, d = net.spec, net.spec.drives
    for pop, j, cell in net.neurons():
        scale = 1.0 if pop.startswith("mn_") else d.interneuron_weight_ratio
        for purpose, rate, weight, kind in (
            ("background_exc", d.background_exc_rate_hz, d.background_exc_weight_us, "exc"),
            ("background_inh", d.background_inh_rate_hz, d.background_inh_weight_us, "gly"),
        ):
            if rate <= 0 or weight <= 0:
                continue
            fibre = SpikeSource(net.seed, f"{pop}:{purpose}", j, rate, rate)
            syn = _synapse(spec, "gly" if kind == "gly" else "ach", cell.soma(0.5))
            if kind == "exc":
                syn.tau1, syn.tau2 = spec.synapses.ia_tau_rise_ms, spec.synapses.ia_tau_decay_ms
            nc = fibre.netcon(syn)
            nc.weight[0] = weight * scale
            nc.delay = 0.1
            net.keep += [fibre, syn, nc]
    for muscle in MUSCLES:
        targets = [population_name("mn", muscle)]
        if d.descending_to_iain:
            targets.append(population_name("iain", muscle))
        fibres = []
        for pop in targets:
            scale = 1.0 if pop.startswith("mn_") else d.interneuron_weight_ratio
            for j, cell in enumerate(net.cells[pop]):
                fibre = SpikeSource(
                    net.seed, f"{pop}:descending", j, 0.0, d.descending_peak_rate_hz
                )
                sec, x = cell.synapse_site("proximal")
                syn = _synapse(spec, "ach", sec(x))
                syn.tau1, syn.tau2 = spec.synapses.ia_tau_rise_ms, spec.synapses.ia_tau_decay_ms
                nc = fibre.netcon(syn)
                nc.weight[0] = d.descending_weight_us * scale
                nc.delay = 0.1
                net.keep += [syn, nc]
                fibres.append(fibre)
        net.descending[muscle] = fibres
        net.keep += fibres


def build(spec: CircuitSpec, seed: int) -> Network:
    """Build the circuit of ``spec`` with random streams keyed by ``seed``.

    Parameters
    ----------
    spec : CircuitSpec
    seed : int
        Non-negative integer.

    Returns
    -------
    Network
        Call :meth:`Network.teardown` (or let :func:`cordsim.models.simulation.simulate`
        do it) before building another network in the same process.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        from cordsim.errors import ParameterError

        raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
    load_mechanisms()
    pc = h.ParallelContext()
    pc.gid_clear()
    net = Network(spec=spec, seed=int(seed), pc=pc)
    _make_cells(net)
    _connect(net)
    _add_drives(net)
    return net
