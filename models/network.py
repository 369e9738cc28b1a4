"""Build NEURON objects from a circuit spec: a pure function of (spec, seed).

The builder reads the spec's population table: each population's kind says
what to make (a motor pool spread by the size principle, afferent spike
sources, or interneurons of a cell model), and connection rules join
populations by role and muscle. Every cell gets a gid registered with
NEURON's ParallelContext (so the same build can later run under MPI or
CoreNEURON), in a fixed block per population in table order
(``gid = block * GID_BLOCK + index``), so resizing one population changes no
other cell's gid. Every random draw comes from a stream keyed by (seed,
population, cell index, purpose):

- connectivity: a numpy ``SeedSequence([seed, rule, target population,
  target index])`` draws one uniform per source cell in index order, so
  adding source cells appends draws and never reshuffles earlier ones;
- spike sources (Ia fibres, background and descending Poisson inputs):
  Random123 streams of :class:`~cordsim.models.cells.spike_source.SpikeSource`
  (``csSpikeSource``) with ids ``(seed, stream, index)``, ``stream`` a stable
  hash of (population, purpose).

Under MPI (several ranks of one ParallelContext) cells are dealt round-robin:
the ``k``-th cell in gid order (populations in table order, cells in index
order, counting across populations) lives on rank ``k % nhost``. Each rank
builds only its own cells, the synapses and NetCons into them
(``pc.gid_connect`` from any gid) and their background/descending sources;
``net.cells[pop]`` then lists only the local cells and ``net.local[pop]``
their indices. Since every draw is keyed by global indices, the spikes do not
depend on the number of ranks.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from neuron import h

from cordsim.errors import MechanismError, ParameterError
from cordsim.mechanisms import load as load_mechanisms
from cordsim.models.cells.afferents import IaAfferent
from cordsim.models.cells.interneuron_parameters import interneuron_params
from cordsim.models.cells.interneurons import (
    ExcitatoryInterneuron,
    IaInterneuron,
    RenshawCell,
)
from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params
from cordsim.models.cells.spike_source import SpikeSource, stable_int
from cordsim.models.circuit import MUSCLES, CircuitSpec
from cordsim.models.pool import pool_cell_params
from cordsim.models.resources import check_memory, estimate_resources

GID_BLOCK = 1_000_000
"""Gids per population block: cell ``i`` of the ``k``-th population has gid
``k * GID_BLOCK + i``."""

#: Interneuron cell model -> (cell class, the spec's parameter-scale field or None).
INTERNEURON_MODELS = {
    "ia_interneuron": (IaInterneuron, "iain_scale"),
    "renshaw": (RenshawCell, "rc_scale"),
    "excitatory_interneuron": (ExcitatoryInterneuron, None),
}


#: Order in which the populations of one muscle are created (see _make_cells).
_CREATION_RANK = {"motor_pool": 0, "interneuron": 1, "afferent": 2}


def gid_of(spec: CircuitSpec, population: str, index: int) -> int:
    """Global id of cell ``index`` of ``population`` in circuits built from ``spec``."""
    return list(spec.populations).index(population) * GID_BLOCK + index


@dataclass
class Network:
    """The NEURON objects of one built circuit (keep it alive while simulating).

    Attributes
    ----------
    spec : CircuitSpec
    seed : int
    pc : neuron.hoc.HocObject
        NEURON's ParallelContext.
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
    edges : list of (rule, source gid, target gid)
        Every synaptic contact made by the connection rules (on every rank,
        gathered from all ranks, in the serial order).
    local : dict of population -> numpy.ndarray
        Indices (within the population) of the cells in ``cells[pop]``: all of
        them on one rank, those of this rank under MPI.
    """

    spec: CircuitSpec
    seed: int
    pc: Any
    cells: dict[str, list] = field(default_factory=dict)
    gids: dict[str, np.ndarray] = field(default_factory=dict)
    descending: dict[str, list] = field(default_factory=dict)
    mu_sizes: dict[str, np.ndarray] = field(default_factory=dict)
    edges: list = field(default_factory=list)
    keep: list = field(default_factory=list)
    local: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def rank(self) -> int:
        """This process's MPI rank (0 when serial)."""
        return int(self.pc.id())

    @property
    def nhost(self) -> int:
        """Number of MPI ranks (1 when serial)."""
        return int(self.pc.nhost())

    @property
    def celsius(self) -> float:
        """Temperature of the circuit (degC): that of its compartmental cells."""
        for _pop, _i, cell in self.neurons():
            return cell.celsius
        return motor_neuron_params(self.spec.age).celsius_degc

    def is_afferent(self, population: str) -> bool:
        """Whether ``population`` is made of afferent spike sources (no compartments)."""
        return self.spec.populations[population].kind == "afferent"

    def n_neurons(self) -> int:
        """Number of compartmental cells of the whole circuit (afferents excluded)."""
        return sum(len(g) for p, g in self.gids.items() if not self.is_afferent(p))

    def n_compartments(self) -> int:
        """Total number of compartments."""
        return sum(c.n_compartments() for _p, _i, c in self.neurons())

    def neurons(self):
        """Iterate over (population, index, cell) of this rank's compartmental cells."""
        for pop, cells in self.cells.items():
            if not self.is_afferent(pop):
                for i, c in zip(self.local[pop], cells, strict=True):
                    yield pop, int(i), c

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
        syn = h.csExcSyn(seg)
        syn.tau1, syn.tau2, syn.u = s.ach_tau_rise_ms, s.ach_tau_decay_ms, 0.0
    elif kind == "glu":  # fast glutamatergic, Ia kinetics without depression
        syn = h.csExcSyn(seg)
        syn.tau1, syn.tau2, syn.u = s.ia_tau_rise_ms, s.ia_tau_decay_ms, 0.0
    else:
        syn = h.csExcSyn(seg)
        syn.tau1, syn.tau2 = s.ia_tau_rise_ms, s.ia_tau_decay_ms
        syn.u, syn.tau_rec = s.ia_use, s.ia_tau_rec_ms
    return syn


def _make_population(net: Network, name: str) -> list:
    """The cells (or spike sources) of one population of the table."""
    spec = net.spec
    pop = spec.populations[name]
    if pop.kind == "motor_pool":
        base = motor_neuron_params(spec.age)
        if spec.mn_scale:
            base = base.scaled(**spec.mn_scale)
        pool = spec.pools[pop.muscle]
        params = pool_cell_params(
            spec.age, pool, base, n_cells=pop.n_cells, seed=net.seed, stream=name
        )
        if spec.mn_model == "reduced":
            from cordsim.models.cells.reduced_motor_neuron import ReducedMotorNeuron
            from cordsim.models.pool import pool_size_indices

            sizes = pool_size_indices(pool, pop.n_cells, net.seed, name)
            cells = [
                ReducedMotorNeuron(
                    params[i], name=f"{name}[{i}]", age=spec.age, size_index=float(sizes[i])
                )
                for i in net.local[name]
            ]
        else:
            cells = [MotorNeuron(params[i], name=f"{name}[{i}]") for i in net.local[name]]
        areas = _allgathered(net, name, [c.total_area_um2() for c in cells])
        net.mu_sizes[name] = areas / areas.min() if len(areas) else areas
        return cells
    if pop.kind == "interneuron":
        cls, scale_field = INTERNEURON_MODELS[pop.cell_model]
        params = interneuron_params(pop.cell_model, spec.age)
        scale = getattr(spec, scale_field) if scale_field else None
        if scale:
            params = params.scaled(**scale)
        return [cls(params, name=f"{name}[{i}]") for i in net.local[name]]
    aff = spec.afferents[pop.afferent_key]
    return [
        IaAfferent(
            net.seed,
            f"{name}:spikes",
            i,
            rate_hz=aff.rest_rate_hz,
            rate_max_hz=max(aff.contraction_rate_hz, aff.rest_rate_hz),
        )
        for i in net.local[name]
    ]


def _allgathered(net: Network, name: str, values: list) -> np.ndarray:
    """Per-cell ``values`` of this rank's cells of ``name``, for all cells in index order."""
    if net.nhost == 1:
        return np.array(values, dtype=float)
    out = np.empty(len(net.gids[name]), dtype=float)
    for idx, vals in net.pc.py_allgather((net.local[name].tolist(), list(values))):
        out[np.asarray(idx, dtype=np.int64)] = vals
    return out


def _make_cells(net: Network) -> None:
    spec, pc = net.spec, net.pc
    rank, nhost, k = net.rank, net.nhost, 0
    for block, name in enumerate(spec.populations):
        n = spec.populations[name].n_cells
        net.gids[name] = np.arange(n, dtype=np.int64) + block * GID_BLOCK
        # round robin: the k-th cell in gid order lives on rank k % nhost
        net.local[name] = np.flatnonzero((k + np.arange(n)) % nhost == rank)
        k += n
    # NEURON objects are created muscle by muscle, and within a muscle motor
    # pools, then interneurons, then afferents (table order within a kind):
    # creation order is part of what makes a build reproducible bit for bit,
    # and this is the order of every earlier version.
    for muscle in MUSCLES:
        names = spec.population_names(muscle=muscle)
        for name in sorted(names, key=lambda n: _CREATION_RANK[spec.populations[n].kind]):
            net.cells[name] = _make_population(net, name)
    for name in spec.populations:
        gids = net.gids[name][net.local[name]]
        for gid, cell in zip(gids, net.cells[name], strict=True):
            pc.set_gid2node(int(gid), rank)
            nc = cell.netcon() if net.is_afferent(name) else cell.spike_detector()
            pc.cell(int(gid), nc)
            net.keep.append(nc)


def _connect(net: Network) -> None:
    spec, pc = net.spec, net.pc
    keys = []  # (rule, pair, target index, contact): the serial order of edges
    for r, (rule_name, rule) in enumerate(spec.connections.items()):
        weight = rule.weight_us * rule.weight_scale
        if weight <= 0 or rule.probability <= 0:
            continue
        for q, (source_pop, target_pop) in enumerate(spec.rule_pairs(rule)):
            source = spec.populations[source_pop]
            rule_weight = weight
            delay = rule.delay_ms
            if source.kind == "afferent":
                rule_weight *= 1.0 - spec.presynaptic_inhibition
                delay += spec.afferents[source.afferent_key].conduction_delay_ms
            source_gids = net.gids[source_pop]
            for j, cell in zip(net.local[target_pop].tolist(), net.cells[target_pop], strict=True):
                rng = np.random.default_rng(
                    np.random.SeedSequence(
                        [net.seed, stable_int(rule_name), stable_int(target_pop), j]
                    )
                )
                draws = rng.random(len(source_gids))
                chosen = source_gids[draws < rule.probability]
                if source_pop == target_pop:
                    chosen = chosen[chosen != net.gids[target_pop][j]]  # no autapses
                if not len(chosen):
                    continue
                sec, x = cell.synapse_site(rule.location)
                syn = _synapse(spec, rule.synapse, sec(x))
                net.keep.append(syn)
                target_gid = int(net.gids[target_pop][j])
                for m, gid in enumerate(chosen):
                    net.edges.append((rule_name, int(gid), target_gid))
                    keys.append((r, q, j, m))
                    nc = pc.gid_connect(int(gid), syn)
                    nc.weight[0] = rule_weight
                    nc.delay = delay
                    net.keep.append(nc)
    if net.nhost > 1:  # every rank gets all edges, in the order of a serial build
        merged = sorted(
            (key, edge)
            for part_keys, part_edges in pc.py_allgather((keys, net.edges))
            for key, edge in zip(part_keys, part_edges, strict=True)
        )
        net.edges = [edge for _key, edge in merged]


def _add_drives(net: Network) -> None:
    spec, d = net.spec, net.spec.drives

    def weight_ratio(pop: str) -> float:
        kind = spec.populations[pop].kind
        return 1.0 if kind == "motor_pool" else d.interneuron_weight_ratio

    for pop, j, cell in net.neurons():
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
            nc.weight[0] = weight * weight_ratio(pop)
            nc.delay = 0.1
            net.keep += [fibre, syn, nc]
    for muscle in MUSCLES:
        fibres = []
        for pop in spec.population_names(muscle=muscle):
            if not spec.populations[pop].descending:
                continue
            for j, cell in zip(net.local[pop].tolist(), net.cells[pop], strict=True):
                fibre = SpikeSource(
                    net.seed, f"{pop}:descending", j, 0.0, d.descending_peak_rate_hz
                )
                sec, x = cell.synapse_site("proximal")
                syn = _synapse(spec, "ach", sec(x))
                syn.tau1, syn.tau2 = spec.synapses.ia_tau_rise_ms, spec.synapses.ia_tau_decay_ms
                nc = fibre.netcon(syn)
                nc.weight[0] = d.descending_weight_us * weight_ratio(pop)
                nc.delay = 0.1
                net.keep += [syn, nc]
                fibres.append(fibre)
        net.descending[muscle] = fibres
        net.keep += fibres


def _load_mechanisms_for(spec: CircuitSpec) -> None:
    """Load the mechanisms, checking that the engine of ``spec`` can run them.

    ``spec.solver.engine`` is resolved already (``neuron`` or ``coreneuron``).
    Raises MechanismError when CoreNEURON is asked for but the process holds
    a build it cannot run (a plain build, or a library NEURON auto-loaded
    from the working directory).
    """
    if spec.solver.engine != "coreneuron":
        load_mechanisms()
        return
    library = load_mechanisms(coreneuron=True)
    if not os.environ.get("CORENEURONLIB"):
        raise MechanismError(
            f"solver.engine = coreneuron, but the loaded mechanisms ({library}) have no "
            "CoreNEURON library: they were not compiled with `nrnivmodl -coreneuron` "
            "(run `cordsim compile --coreneuron`, and start Python outside a folder "
            "holding a hand-compiled x86_64/ or arm64/), or set solver.engine = neuron"
        )


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
        Its ``spec`` is ``spec`` with the solver engine resolved
        (``engine = "auto"`` becomes ``neuron`` or ``coreneuron``). Call
        :meth:`Network.teardown` (or let :func:`cordsim.models.simulation.simulate`
        do it) before building another network in the same process.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
    # the network (and every result made from it) records the engine actually used
    spec = dataclasses.replace(spec, solver=spec.solver.resolved())
    check_memory(estimate_resources(spec))  # a clear error, not std::bad_alloc in NEURON
    _load_mechanisms_for(spec)
    pc = h.ParallelContext()
    pc.gid_clear()
    net = Network(spec=spec, seed=int(seed), pc=pc)
    _make_cells(net)
    _connect(net)
    _add_drives(net)
    return net
