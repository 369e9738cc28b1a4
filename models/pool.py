"""A heterogeneous motor pool: cell parameters spread over the pool by the size principle.

Cell ``i`` of ``n`` gets a size index ``s = i / (n - 1)`` in [0, 1] (0 = the
smallest, first-recruited cell). Around the default cell (at
``default_size_index``), geometric factors scale

- membrane area (soma diameter, dendritic length and diameter) and specific
  leak, so that input conductance spans about
  ``gin_ratio`` from smallest to largest (Martinez-Silva et al. 2018 Table 2:
  Gin 0.2 uS in S and 0.7 uS in FF cells of adult mouse);
- the activation voltages of the spike-generating conductances (transient Na
  and delayed rectifier together), so that large cells have a higher voltage
  threshold (Leroy et al. 2014: delayed vs immediate MNs -33 vs -44 mV) with
  the same spike shape;
- the Ca2+ removal time constant and the SK density, so that the AHP of small
  cells is longer and deeper (rat: AHP half-decay 28.6 vs 14.4 ms and depth
  2.9 vs 1.5 mV in slow vs fast motor neurons, Cormery et al. 2005 Table 1;
  SK3 channels only in small rodent MNs, Deardorff et al. 2013);
- the density of the dendritic L-type Ca2+ channels, so that every cell has
  about the same total persistent inward current (Lee & Heckman 1998): large
  cells are then only partially bistable;

which makes rheobase and recruitment current grow with size, as in the
recruitment-current-vs-Gin relation (r2 = 0.81, Martinez-Silva et al. 2018).

Animals. By default a pool is the reference pool (evenly spaced size
indices, no scatter), identical for every seed. With
:data:`ANIMAL_VARIATION` (``size_draw``, ``threshold_sd_mv``) each seed draws
the pool as an animal: its cells are a random sample of the population's
sizes, each with a random threshold scatter, from a stream keyed by (seed,
pool), so replicate seeds are animals and the draws never touch the
connectivity or spike streams.
Motor-unit types are assigned by size rank in the triceps surae proportions
(S 8 %, FR 80 %, FF 12 %; Martinez-Silva et al. 2018).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cordsim.errors import ParameterError
from cordsim.models.cells.motor_neuron_parameters import MotorNeuronParams, motor_neuron_params
from cordsim.models.paramset import ParamSet, param

MU_TYPES = ("S", "FR", "FF")


@dataclass(frozen=True)
class MotorPoolParams(ParamSet):
    """How a motor pool's cells differ (adult defaults; see the module docstring)."""

    gin_ratio: float = param(
        4.0,
        "1",
        low=1,
        high=100,
        source="fitted to Martinez-Silva et al. 2018 Table 2: largest / smallest Gin about "
        "FF / S (0.7 / 0.2 uS); largest cell FF-like (Rin 1.1-2 MOhm, recruitment 9-17 nA), "
        "smallest S-like (recruitment 1-4 nA)",
    )
    default_size_index: float = param(
        0.1,
        "1",
        low=0,
        high=1,
        source="fitted: the default motor neuron (adult Gin 0.22 uS, recruitment ~2 nA) is a "
        "small FR unit (S 0.2, FR 0.4 +/- 0.2 uS; Martinez-Silva et al. 2018 Table 2); FR units "
        "(80 % of the pool) span indices 0.08 to 0.88",
    )
    ahp_ratio: float = param(
        2.0,
        "1",
        low=1,
        high=20,
        source="Cormery et al. 2005 Table 1 (rat): AHP half-decay slow 28.6 / fast 14.4 ms",
    )
    sk_ratio: float = param(
        2.0,
        "1",
        low=1,
        high=20,
        source="Deardorff et al. 2013 J Physiol (PMC3591704, abstract): in rodents SK2 is in "
        "all alpha-MNs, SK3 preferentially in small ones; rat MNs with SK3 have AHPs 3.27 vs "
        "1.56 mV deep (half-decay 24.7 vs 11.0 ms). Ratio of the SK density of the smallest to "
        "that of the largest cell",
    )
    h_ratio: float = param(
        1.5,
        "1",
        low=1,
        high=20,
        source="Sharples & Miles 2021 eLife 10:e71385 (week 3, P14-P20): Ih at -70 mV -134 vs -17 "
        "pA in delayed (large, F) vs immediate (small, S) MNs, -1111 vs -452 pA at -110 mV, and "
        "Ih at rest only in delayed MNs; with ~1.6x the area (Gin 52 vs 33 nS, Leroy et al. 2014) "
        "that is 1.5-5x the density. Ratio of the h density of the largest to that of the "
        "smallest cell (the low end of that span, which keeps the largest cell's Rin >= 1.1 "
        "MOhm; the juvenile preset uses 1: in weeks 1-2 the "
        "sag is the same in both types, Sharples & Miles 2021)",
    )
    cal_ratio: float = param(
        1.0,
        "1",
        low=0.01,
        high=1000,
        source="ratio of the dendritic L-type Ca density of the largest to that of the smallest "
        "cell, on top of pic_area_exponent; adult 1 (Lee & Heckman 1998 alone). Juvenile: "
        "nifedipine reduces the PIC of delayed (large, F) MNs by 22 % and not that of immediate "
        "(small, S) ones, whose PIC is mostly Nav1.6 (Sharples & Miles 2021 eLife 10:e71385, "
        "weeks 2-3); fitted 10 (with kv1_ratio): the small cells then fire at once on 5-s "
        "rheobase steps instead of after a slow CaL-driven depolarisation",
    )
    kv1_ratio: float = param(
        1.0,
        "1",
        low=1,
        high=1000,
        source="ratio of the Kv1 density of the largest to that of the smallest cell; adult: no "
        "Kv1 (1 = no gradient). Juvenile: fitted so that the large cells (F type) fire with a "
        "delayed onset and the small ones (S type) at once (Leroy et al. 2014)",
    )
    leak_share: float = param(
        0.4,
        "1",
        low=0,
        high=1,
        source="fitted: share of the log Gin ratio carried by specific leak (the rest by "
        "area), keeping capacitance <= 2.4 nF and tau_m <= 4 ms at the pool's ends (Manuel09)",
    )
    pic_area_exponent: float = param(
        1.0,
        "1",
        low=0,
        high=2,
        source="Lee & Heckman 1998 J Neurophysiol 80:583 (cat): the peak persistent inward "
        "current is equally large in low-rheobase (fully bistable) and high-rheobase (partially "
        "bistable) motor neurons; so the dendritic L-type Ca density scales as area^-exponent "
        "(1 = the same total conductance in every cell)",
    )
    threshold_gradient_mv: float = param(
        10.0,
        "mV",
        low=0,
        high=40,
        source="Leroy et al. 2014 Table 1: voltage threshold of delayed (large) MNs 11 mV above "
        "that of immediate (small) ones. Na activation, fast and slow inactivation and Kdr activation "
        "are shifted together by this much per unit size index: shifting Na alone changes the "
        "subthreshold Na/K balance (fitted: with Na alone, cells below the default fire "
        "doublets and cells above it accommodate on slow ramps)",
    )
    size_draw: float = param(
        0.0,
        "1",
        low=0,
        high=1,
        source="animals: 0 = the reference pool, cells at evenly spaced size indices; 1 = each "
        "replicate seed draws its pool as a random sample of the motor neuron population (size "
        "indices uniform on [0, 1], which spans the adult Gin range 0.1-0.9 uS, Martinez-Silva "
        "et al. 2018 Table 2), sorted so cell 0 stays the smallest; in between, a mixture "
        "(1 - size_draw) * grid + size_draw * sample. See ANIMAL_VARIATION",
    )
    threshold_sd_mv: float = param(
        0.0,
        "mV",
        low=0,
        high=10,
        source="animals: SD of a per-cell random shift of the activation of every gate that "
        "threshold_gradient_mv moves (a threshold scatter at a given size); 0 = none. "
        "ANIMAL_VARIATION's value is fitted to the scatter of recruitment current about Gin "
        "(r2 = 0.81, Martinez-Silva et al. 2018 Fig. 4A; benchmarks/animal_spread.py)",
    )
    fraction_s: float = param(
        0.08,
        "1",
        low=0,
        high=1,
        source="Martinez-Silva et al. 2018: S 8 % of triceps surae motor units",
    )
    fraction_ff: float = param(
        0.12,
        "1",
        low=0,
        high=1,
        source="Martinez-Silva et al. 2018: FF 12 % of triceps surae motor units",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.fraction_s + self.fraction_ff > 1:
            raise ParameterError(
                "MotorPoolParams: fraction_s + fraction_ff must not exceed 1 "
                f"(got {self.fraction_s} + {self.fraction_ff})"
            )


#: Juvenile pools: delayed (F) vs immediate (S) MNs differ less in size at
#: P6-P10: Gin 52 vs 33 nS (Leroy et al. 2014 Table 1), ratio ~1.6 of the means;
#: the observed ranges (10-151 vs 6-98 nS) allow a wider spread, 3 is used.
#: F-type cells carry the CaL and Kv1 currents (cal_ratio, kv1_ratio; Sharples
#: & Miles 2021, Leroy et al. 2014). Threshold gradient, fitted: 7 mV over the pool (the type means differ by
#: 11 mV, Leroy et al. 2014) keeps the largest cells' slow-ramp threshold below
#: the window of the N-type Ca current, where tonic SK activation makes them
#: accommodate (recruitment 0.1-2.3 nA on 0.1 nA/s ramps, Leroy et al. 2014).
JUVENILE_POOL_CHANGES = {
    "gin_ratio": 3.0,
    "ahp_ratio": 1.6,
    "default_size_index": 0.4,
    "threshold_gradient_mv": 7.0,
    "h_ratio": 1.0,
    "cal_ratio": 10.0,
    "kv1_ratio": 30.0,
}


#: Animals: the pool values that make each replicate seed an animal (set them
#: with :func:`~cordsim.models.circuit.animal_values` or as
#: ``pools.<m>.size_draw`` / ``.threshold_sd_mv``). ``size_draw`` 1: every
#: animal's pool is a random sample of the motor neuron population's sizes.
#: ``threshold_sd_mv`` fitted with benchmarks/animal_spread.py (adult pools of
#: 20, 3 animals = 60 cells per value, 2026-12-04): r2 of rheobase against Gin
#: 0.996 / 0.963 / 0.921 / 0.867 / 0.803 at 0 / 2 / 3 / 4 / 5 mV; 5 mV matches
#: the published r2 = 0.81 of recruitment current against Gin (Martinez-Silva et
#: al. 2018) and lies within the cell-to-cell SD of the rest-to-threshold
#: excursion (17.4 +/- 7.3 mV, same paper).
ANIMAL_VARIATION = {"size_draw": 1.0, "threshold_sd_mv": 5.0}


def motor_pool_params(age: str = "adult", **changes: object) -> MotorPoolParams:
    """Pool preset for ``age`` ("adult" or "juvenile"), with validated ``changes``."""
    base = MotorPoolParams()
    if age == "juvenile":
        base = base.replace(**JUVENILE_POOL_CHANGES)
    elif age != "adult":
        raise ParameterError(f"unknown age {age!r}; choose 'adult' or 'juvenile'")
    return base.replace(**changes) if changes else base


def size_index(i: int, n: int) -> float:
    """Size index in [0, 1] of cell ``i`` of ``n`` (0 = smallest)."""
    return 0.5 if n == 1 else i / (n - 1)


def pool_size_indices(
    pool: MotorPoolParams, n_cells: int, seed: int | None = None, stream: str = ""
) -> np.ndarray:
    """Size indices of a pool's ``n_cells`` cells, smallest first (each in [0, 1]).

    With ``pool.size_draw`` 0 (or no ``seed``) the reference grid
    :func:`size_index`; otherwise ``(1 - size_draw) * grid + size_draw *
    sample``, ``sample`` the sorted draws of ``n_cells`` uniforms from the
    stream ``(seed, "animal", stream)`` (an animal: a different random sample
    of the motor neuron population for every seed).
    """
    grid = np.array([size_index(i, n_cells) for i in range(n_cells)])
    if seed is None or pool.size_draw == 0.0:
        return grid
    sample = np.sort(_animal_rng(seed, stream, "size").uniform(0.0, 1.0, n_cells))
    return np.sort((1.0 - pool.size_draw) * grid + pool.size_draw * sample)


def pool_threshold_offsets_mv(
    pool: MotorPoolParams, n_cells: int, seed: int | None = None, stream: str = ""
) -> np.ndarray:
    """Per-cell threshold shifts (mV) of an animal: normal, SD ``pool.threshold_sd_mv``.

    Zeros with no ``seed`` or ``threshold_sd_mv`` 0. Drawn from the stream
    ``(seed, "animal", stream)``, independent of the size draw.
    """
    if seed is None or pool.threshold_sd_mv == 0.0:
        return np.zeros(n_cells)
    return _animal_rng(seed, stream, "threshold").normal(0.0, pool.threshold_sd_mv, n_cells)


def _animal_rng(seed: int, stream: str, purpose: str) -> np.random.Generator:
    from cordsim.models.cells.spike_source import stable_int

    return np.random.default_rng(
        np.random.SeedSequence(
            [int(seed), stable_int("animal"), stable_int(stream), stable_int(purpose)]
        )
    )


def cell_params_at(
    base: MotorNeuronParams, pool: MotorPoolParams, s: float, threshold_offset_mv: float = 0.0
) -> MotorNeuronParams:
    """Parameters of the cell at size index ``s`` (0 smallest, 1 largest).

    The cell at ``pool.default_size_index`` is ``base``. Membrane area scales
    by ``gin_ratio ** ((1 - leak_share) * x)`` with ``x = s -
    default_size_index`` (lengths and diameters each by its square root),
    specific leak by ``gin_ratio ** (leak_share * x)``, so input conductance
    scales roughly by ``gin_ratio ** x``; Na and Kdr activation move by
    ``threshold_gradient_mv * x``; the Ca2+ removal time constant scales by
    ``ahp_ratio ** -x``, SK density by ``sk_ratio ** -x``, h density by
    ``h_ratio ** x``, Kv1 density by ``kv1_ratio ** x`` and dendritic L-type
    Ca2+ density by ``area ** -pic_area_exponent * cal_ratio ** x``.
    ``threshold_offset_mv`` (an animal's per-cell scatter) adds to the
    activation shift.
    """
    x = s - pool.default_size_index
    shift = pool.threshold_gradient_mv * x + threshold_offset_mv
    linear = (pool.gin_ratio ** ((1 - pool.leak_share) * x)) ** 0.5
    return base.replace(
        soma_diam_um=base.soma_diam_um * linear,
        hillock_diam_um=base.hillock_diam_um * linear,
        is_diam_um=base.is_diam_um * linear,
        axon_diam_um=base.axon_diam_um * linear,
        dend_length_um=base.dend_length_um * linear,
        dend_diam_prox_um=base.dend_diam_prox_um * linear,
        dend_diam_dist_um=base.dend_diam_dist_um * linear,
        g_pas_s_cm2=base.g_pas_s_cm2 * pool.gin_ratio ** (pool.leak_share * x),
        vshift_na_mv=base.vshift_na_mv + shift,
        vshift_na_h_mv=base.vshift_na_h_mv + shift,
        na_slow_vhalf_mv=base.na_slow_vhalf_mv + shift,
        vshift_kdr_mv=base.vshift_kdr_mv + shift,
        ca_tau_ms=base.ca_tau_ms * pool.ahp_ratio ** (-x),
        gbar_sk_soma_s_cm2=base.gbar_sk_soma_s_cm2 * pool.sk_ratio ** (-x),
        gbar_h_s_cm2=base.gbar_h_s_cm2 * pool.h_ratio**x,
        gbar_kv1_soma_s_cm2=base.gbar_kv1_soma_s_cm2 * pool.kv1_ratio**x,
        gbar_cal_dend_s_cm2=base.gbar_cal_dend_s_cm2
        * linear ** (-2 * pool.pic_area_exponent)
        * pool.cal_ratio**x,
    )


def motor_unit_type(i: int, n_cells: int, pool: MotorPoolParams) -> str:
    """Motor-unit type ("S", "FR" or "FF") of cell ``i`` of ``n_cells`` by size rank."""
    s_cut = pool.fraction_s * n_cells
    ff_cut = (1 - pool.fraction_ff) * n_cells
    return "S" if i < s_cut else ("FF" if i >= ff_cut else "FR")


def pool_cell_params(
    age: str = "adult",
    pool: MotorPoolParams | None = None,
    base: MotorNeuronParams | None = None,
    *,
    n_cells: int = 20,
    seed: int | None = None,
    stream: str = "",
) -> list[MotorNeuronParams]:
    """Parameters of every cell of a pool of ``n_cells``, smallest first.

    Parameters
    ----------
    age : {"adult", "juvenile"}
        Preset of the default cell and of the pool spread.
    pool : MotorPoolParams, optional
        Pool spread; defaults to :func:`motor_pool_params` (age).
    base : MotorNeuronParams, optional
        The middle cell; defaults to :func:`motor_neuron_params` (age).
    seed : int, optional
        The animal: with ``pool.size_draw`` or ``pool.threshold_sd_mv``
        non-zero, the seed of the draws (:func:`pool_size_indices`,
        :func:`pool_threshold_offsets_mv`); None gives the reference pool.
    stream : str
        Names the pool in the draws (the population name), so the two
        muscles of one animal differ.
    """
    pool = pool if pool is not None else motor_pool_params(age)
    base = base if base is not None else motor_neuron_params(age)
    if isinstance(n_cells, bool) or not isinstance(n_cells, int) or n_cells < 1:
        raise ParameterError(f"a motor pool needs n_cells >= 1, got {n_cells!r}")
    sizes = pool_size_indices(pool, n_cells, seed, stream)
    offsets = pool_threshold_offsets_mv(pool, n_cells, seed, stream)
    return [
        cell_params_at(base, pool, float(s), float(o)) for s, o in zip(sizes, offsets, strict=True)
    ]
