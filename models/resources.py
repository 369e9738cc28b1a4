"""How big a circuit is before it is built: cells, compartments, contacts, memory.

:func:`estimate_resources` counts what :func:`cordsim.models.network.build`
will create for a :class:`~cordsim.models.circuit.CircuitSpec` (without
NEURON building anything): compartmental cells and their compartments (the
d_lambda rule applied to each cell's geometry), the expected number of
synaptic contacts of the connection rules, and the spike sources (afferent
fibres, background and descending fibres). Its memory figure is a linear
model of those counts, fitted to the resident memory of real builds and
simulations (``benchmarks/memory.py`` prints the fit and checks it).

:func:`check_memory` compares an estimate with the memory this machine has
available, so that a spec too large for it is one clear error before any
building starts rather than ``std::bad_alloc`` deep in NEURON.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cordsim.errors import ResourceError
from cordsim.models.cells.base import dendrite_trees, nseg_for
from cordsim.models.cells.interneuron_parameters import InterneuronParams, interneuron_params
from cordsim.models.cells.motor_neuron import DENDRITE_PARTS, axon_nseg
from cordsim.models.cells.motor_neuron_parameters import MotorNeuronParams, motor_neuron_params
from cordsim.models.circuit import CircuitSpec
from cordsim.models.pool import cell_params_at, motor_pool_params, size_index

#: Memory model (bytes): peak resident memory of one process that loads
#: NEURON and the mechanisms, builds the circuit and simulates it. First fitted
#: by least squares to 7 adult circuits of 80-4,000 cells under NEURON
#: (``benchmarks/memory.py``, 2026-12-03, NEURON 9, x86_64: base 120 MiB,
#: 1,481 B per compartment, 473 B per contact, with spike sources set at
#: 2 kB), then rounded up by ~10 %. Refitted 2026-12-04 after the cells
#: collapsed their identical dendrites (a third of the compartments per
#: cell, so contacts carry more of each cell's cost): 8 circuits of 80-8,000
#: cells and 2k-17M contacts under CoreNEURON (the default engine) gave base
#: 133 MiB, 1,841 B per compartment and 673 B per contact, CoreNEURON's copy
#: included; the per-compartment and per-contact costs below are those over
#: CORENEURON_NETWORK_FACTOR, rounded up, and the estimate was 1.09-1.11x
#: every measured peak. Cells, compartments and spike sources grow together
#: in the default table, so the per-compartment figure also carries each
#: cell's sections, spike detector and Python objects. Fitted, not from a
#: source.
BASE_BYTES = 145 * 2**20
BYTES_PER_COMPARTMENT = 1_600
BYTES_PER_CONTACT = 600
BYTES_PER_SPIKE_SOURCE = 2_000
#: CoreNEURON (in memory) holds its own copy of the model's data during a run:
#: the network's part of the peak (above BASE_BYTES) was 1.20-1.21x NEURON's
#: for the default circuit and 8x it (2026-12-04, 132 vs 136 MiB and 265 vs
#: 296 MiB peaks); rounded up. Measured, not from a source.
CORENEURON_NETWORK_FACTOR = 1.25
#: Fraction of the available memory one simulation (times the workers running
#: at once) may use before :func:`check_memory` refuses it. A choice, not a
#: measurement: it leaves a fifth for the sweep's main process, the page cache
#: and what the estimate (9-11 % above measured peaks) does not cover.
MEMORY_HEADROOM = 0.8
#: Motor pools larger than this have their compartments counted on this many
#: evenly spaced cells of the size spread, then scaled (the count is exact below).
_POOL_SAMPLE = 64


@dataclass(frozen=True)
class ResourceEstimate:
    """What building a circuit will create, and the memory it will take.

    Attributes
    ----------
    n_cells : int
        Compartmental cells (motor neurons and interneurons).
    n_compartments : int
        Their compartments (segments), by the d_lambda rule.
    n_contacts : int
        Expected synaptic contacts (NetCons) made by the connection rules.
    n_spike_sources : int
        Afferent fibres, background and descending fibres.
    bytes : int
        Estimated peak resident memory of one process building and
        simulating the circuit (bytes).
    """

    n_cells: int
    n_compartments: int
    n_contacts: int
    n_spike_sources: int
    bytes: int

    def __str__(self) -> str:
        return (
            f"{self.n_cells:,} cells, {self.n_compartments:,} compartments, "
            f"{self.n_contacts:,} contacts, {self.n_spike_sources:,} spike sources: "
            f"about {format_bytes(self.bytes)} of memory"
        )


def format_bytes(n_bytes: float) -> str:
    """``n_bytes`` in MiB or GiB, e.g. ``"1.2 GiB"``."""
    if n_bytes >= 2**30:
        return f"{n_bytes / 2**30:.1f} GiB"
    return f"{n_bytes / 2**20:.0f} MiB"


def motor_neuron_compartments(p: MotorNeuronParams) -> int:
    """Compartments of one motor neuron built from ``p`` (as ``MotorNeuron`` does)."""
    soma_is = [
        (p.soma_diam_um, p.soma_diam_um),
        (p.hillock_length_um, p.hillock_diam_um),
        (p.is_length_um, p.is_diam_um),
    ]
    parts = len(DENDRITE_PARTS)
    step = (p.dend_diam_prox_um - p.dend_diam_dist_um) / parts
    # each part is a cylinder of its mean diameter (DENDRITE_PARTS)
    dendrite = [
        (p.dend_length_um / parts, p.dend_diam_prox_um - (j + 0.5) * step) for j in range(parts)
    ]
    soma_axon = sum(nseg_for(L, d, p.ra_ohm_cm, p.cm_uf_cm2) for L, d in soma_is) + axon_nseg(p)
    tree = sum(nseg_for(L, d, p.ra_ohm_cm, p.cm_uf_cm2) for L, d in dendrite)
    # dendrite 0 and one tree for the other n - 1 (the cells' default)
    return soma_axon + len(dendrite_trees(p.n_dendrites)) * tree


def interneuron_compartments(p: InterneuronParams) -> int:
    """Compartments of one interneuron built from ``p`` (as ``Interneuron`` does)."""
    half = p.dend_length_um / 2
    tree = nseg_for(half, p.dend_diam_um, p.ra_ohm_cm, p.cm_uf_cm2) + nseg_for(
        half, p.dend_diam_um * 0.6, p.ra_ohm_cm, p.cm_uf_cm2
    )
    return nseg_for(p.soma_diam_um, p.soma_diam_um, p.ra_ohm_cm, p.cm_uf_cm2) + (
        len(dendrite_trees(p.n_dendrites)) * tree
    )


def _pool_compartments(spec: CircuitSpec, name: str) -> int:
    pop = spec.populations[name]
    pool = spec.pools.get(pop.muscle, motor_pool_params(spec.age))
    scale = tuple(sorted(spec.mn_scale.items())) if spec.mn_scale else ()
    return _pool_compartments_of(spec.age, scale, pool, pop.n_cells, spec.mn_model)


@functools.lru_cache(maxsize=256)
def _pool_compartments_of(
    age: str, mn_scale: tuple[tuple[str, Any], ...], pool: Any, n_cells: int, mn_model: str
) -> int:
    """Compartments of a pool (memoised: sweeps estimate thousands of similar specs)."""
    if mn_model == "reduced":
        from cordsim.models.cells.reduced_motor_neuron import n_compartments_for as count
    else:
        count = motor_neuron_compartments
    base = motor_neuron_params(age)
    if mn_scale:
        base = base.scaled(**dict(mn_scale))
    if n_cells <= _POOL_SAMPLE:
        indices = np.arange(n_cells)
    else:
        indices = np.unique(np.linspace(0, n_cells - 1, _POOL_SAMPLE).round().astype(int))
    counts = [count(cell_params_at(base, pool, size_index(int(i), n_cells))) for i in indices]
    return int(round(float(np.mean(counts)) * n_cells))


def _interneuron_compartments(spec: CircuitSpec, name: str) -> int:
    pop = spec.populations[name]
    params = interneuron_params(pop.cell_model, spec.age)
    scale = {"ia_interneuron": spec.iain_scale, "renshaw": spec.rc_scale}.get(pop.cell_model)
    if scale:
        params = params.scaled(**scale)
    return interneuron_compartments(params) * pop.n_cells


def expected_contacts(spec: CircuitSpec) -> int:
    """Expected synaptic contacts of the connection rules (no autapses)."""
    total = 0.0
    for rule in spec.connections.values():
        if rule.weight_us * rule.weight_scale <= 0 or rule.probability <= 0:
            continue
        for source, target in spec.rule_pairs(rule):
            n_source = spec.populations[source].n_cells
            n_target = spec.populations[target].n_cells
            pairs = n_source * (n_target - 1) if source == target else n_source * n_target
            total += rule.probability * pairs
    return int(round(total))


def estimate_resources(spec: CircuitSpec) -> ResourceEstimate:
    """Count what building ``spec`` creates and estimate its memory.

    Parameters
    ----------
    spec : CircuitSpec
        The circuit (any population table).

    Returns
    -------
    ResourceEstimate
        Cells, compartments, expected contacts, spike sources and bytes.
        Nothing is built; a 100,000-cell spec is counted in well under a second.
    """
    n_cells = n_compartments = n_spike_sources = 0
    drives = spec.drives
    per_cell_fibres = int(drives.background_exc_rate_hz > 0 and drives.background_exc_weight_us > 0)
    per_cell_fibres += int(
        drives.background_inh_rate_hz > 0 and drives.background_inh_weight_us > 0
    )
    for name, pop in spec.populations.items():
        if pop.kind == "afferent":
            n_spike_sources += pop.n_cells
            continue
        n_cells += pop.n_cells
        n_spike_sources += pop.n_cells * (per_cell_fibres + int(pop.descending))
        if pop.kind == "motor_pool":
            n_compartments += _pool_compartments(spec, name)
        else:
            n_compartments += _interneuron_compartments(spec, name)
    n_contacts = expected_contacts(spec)
    network_bytes = (
        BYTES_PER_COMPARTMENT * n_compartments
        + BYTES_PER_CONTACT * n_contacts
        + BYTES_PER_SPIKE_SOURCE * n_spike_sources
    )
    if spec.solver.uses_coreneuron:
        network_bytes *= CORENEURON_NETWORK_FACTOR
    n_bytes = BASE_BYTES + network_bytes
    return ResourceEstimate(n_cells, n_compartments, n_contacts, n_spike_sources, int(n_bytes))


def available_memory_bytes() -> int | None:
    """Memory this process may still use (bytes), or None if unknown.

    The smaller of the system's ``MemAvailable`` (``/proc/meminfo``) and the
    room left under a cgroup v2 or v1 memory limit (containers, batch jobs).
    """
    candidates = []
    meminfo = _read(Path("/proc/meminfo"))
    for line in (meminfo or "").splitlines():
        if line.startswith("MemAvailable:"):
            candidates.append(int(line.split()[1]) * 1024)
    for limit_file, usage_file in (
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
        (
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
        ),
    ):
        limit, usage = _read(Path(limit_file)), _read(Path(usage_file))
        if limit and usage and limit.strip().isdigit() and usage.strip().isdigit():
            room = int(limit) - int(usage)
            if int(limit) < 2**60:  # "unlimited" in cgroup v1 is a huge number
                candidates.append(max(room, 0))
    if not candidates and hasattr(os, "sysconf"):
        try:
            candidates.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError):
            pass
    return min(candidates) if candidates else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def check_memory(
    estimate: ResourceEstimate, *, n_concurrent: int = 1, available: int | None = None
) -> None:
    """Refuse a simulation that would not fit in this machine's memory.

    Parameters
    ----------
    estimate : ResourceEstimate
        From :func:`estimate_resources`.
    n_concurrent : int, optional
        Simulations of this size running at once (sweep workers).
    available : int, optional
        Bytes available; default :func:`available_memory_bytes`. Nothing is
        checked when that is unknown.

    Raises
    ------
    ResourceError
        If ``n_concurrent`` times the estimate exceeds ``MEMORY_HEADROOM`` of
        the available memory; the message gives both figures and what to do.
    """
    available = available_memory_bytes() if available is None else available
    if available is None:
        return
    needed = estimate.bytes * max(1, n_concurrent)
    if needed <= MEMORY_HEADROOM * available:
        return
    times = (
        f" x {n_concurrent} simulations at once = {format_bytes(needed)}"
        if n_concurrent > 1
        else ""
    )
    advice = (
        "fewer workers (-j) or smaller populations" if n_concurrent > 1 else "smaller populations"
    )
    raise ResourceError(
        f"not enough memory: {estimate}{times}, but this machine has "
        f"{format_bytes(available)} available; use {advice}"
    )
