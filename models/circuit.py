"""The circuit spec: a flexor/extensor pair of spinal microcircuits, declared, not coded.

A :class:`CircuitSpec` holds a **population table** (each population's kind,
role, muscle, cell model and size), the parameters of each kind (motor pool
spread per muscle, afferent firing per muscle), connection rules between
roles, background and descending drive, and optional changes to the cells'
parameters (which is how mutation profiles act). It is frozen, validated in
full on construction, addressable by dotted names
(``connections.ia_to_mn.weight_scale``, ``populations.mn_flexor.n_cells``)
and round-trips through TOML.

Every consumer (the builder, the protocols, the metrics, the plots, the demo)
reads the population table; none tests population names. The default table
has, per muscle (``flexor``, e.g. tibialis anterior; ``extensor``, e.g.
gastrocnemius), the roles ``ia`` (Ia afferents), ``mn`` (motor pool),
``iain`` (Ia inhibitory interneurons) and ``rc`` (Renshaw cells), named
``<role>_<muscle>``. A new population (say group II afferents or excitatory
interneurons) is one ``[populations.<name>]`` table plus its connection
rules, in TOML or Python: no source file changes.

The population sizes of the first version keep their dotted names as
aliases: ``pools.<muscle>.n_cells`` = ``populations.mn_<muscle>.n_cells``,
``afferents.<muscle>.n_fibres`` = ``populations.ia_<muscle>.n_cells``,
``interneurons.<muscle>.n_iain`` / ``.n_rc`` = ``populations.iain_<muscle>`` /
``populations.rc_<muscle>.n_cells`` (see :data:`SIZE_ALIASES`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.files import TOMLDecodeError, read_toml
from cordsim.models.cells.interneuron_parameters import INTERNEURON_TYPES, InterneuronParams
from cordsim.models.cells.motor_neuron_parameters import AGES, MotorNeuronParams
from cordsim.models.paramset import ParamSet, param
from cordsim.models.pool import ANIMAL_VARIATION, MotorPoolParams, motor_pool_params
from cordsim.models.solver_params import SolverParams

MUSCLES = ("flexor", "extensor")
SIDES = ("homonymous", "antagonist")
SYNAPSES = ("ia", "ach", "gly", "glu")
LOCATIONS = ("soma", "proximal", "distal")


KINDS = ("motor_pool", "afferent", "interneuron")
"""Kinds of population: a motor pool (compartmental motor neurons spread by the size
principle), afferent fibres (artificial spike sources) or interneurons
(compartmental cells of one of :data:`INTERNEURON_TYPES`)."""

#: The cell model of each kind (interneurons: one of :data:`INTERNEURON_TYPES`).
CELL_MODELS: dict[str, tuple[str, ...]] = {
    "motor_pool": ("motor_neuron",),
    "afferent": ("spike_source",),
    "interneuron": INTERNEURON_TYPES,
}


def population_name(role: str, muscle: str) -> str:
    """The default naming of a population: ``"mn", "flexor"`` -> ``"mn_flexor"``."""
    return f"{role}_{muscle}"


def antagonist(muscle: str) -> str:
    """The other muscle of the pair."""
    return MUSCLES[1 - MUSCLES.index(muscle)]


@dataclass(frozen=True)
class PopulationParams(ParamSet):
    """One row of the population table: what a population is, whose, and how many.

    Connection rules address populations by ``role`` and by the muscle relation
    (the same muscle's circuit or the antagonist's), so (role, muscle) pairs
    are unique in a spec.
    """

    kind: str = param("interneuron", source="declaration: motor_pool, afferent or interneuron")
    role: str = param(
        "iain",
        source="declaration: the short name connection rules use as source/target "
        "(defaults: ia, mn, iain, rc)",
    )
    muscle: str = param("flexor", source="declaration: flexor or extensor")
    n_cells: int = param(
        10,
        "1",
        low=0,
        high=100000,
        source="size of the population; the defaults and their sources are listed in "
        "DEFAULT_POPULATIONS",
    )
    cell: str = param(
        "",
        source="cell model: motor_neuron (motor pools), spike_source (afferents), "
        "ia_interneuron or renshaw (interneurons); empty = the kind's first model",
    )
    afferent_params: str = param(
        "",
        source="afferents only: the key of the afferents table holding its firing and "
        "conduction parameters; empty = its muscle",
    )
    descending: bool = param(
        False,
        source="receives the descending drive of its muscle (motor pools; Ia interneurons by "
        "alpha-gamma linkage, Hultborn et al. 1976)",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind not in KINDS:
            raise ParameterError(unknown_name_message("population kind", self.kind, KINDS))
        if self.muscle not in MUSCLES:
            raise ParameterError(unknown_name_message("muscle", self.muscle, MUSCLES))
        if not self.role or not self.role.isidentifier():
            raise ParameterError(f"population role {self.role!r} must be a short identifier")
        if self.cell_model not in CELL_MODELS[self.kind]:
            raise ParameterError(
                unknown_name_message(f"{self.kind} cell model", self.cell, CELL_MODELS[self.kind])
            )
        if self.afferent_params and self.kind != "afferent":
            raise ParameterError("afferent_params is only for populations of kind 'afferent'")
        if self.descending and self.kind == "afferent":
            raise ParameterError("afferent fibres receive no descending drive")

    @property
    def cell_model(self) -> str:
        """The cell model actually used (``cell``, or the kind's first model)."""
        return self.cell or CELL_MODELS[self.kind][0]

    @property
    def afferent_key(self) -> str:
        """Key of the afferents table this population reads (afferents only)."""
        return self.afferent_params or self.muscle


def _population(kind: str, role: str, muscle: str, n_cells: int, **kw: Any) -> PopulationParams:
    return PopulationParams(kind=kind, role=role, muscle=muscle, n_cells=n_cells, **kw)


#: The default population table (adult and juvenile), in gid-block order.
#: Sizes: motor pools 20 (mouse soleus has ~25 alpha-MNs, targets f; TA and
#: gastrocnemius counts not found); Ia fibres 20 (mouse Ia counts per muscle
#: not found; cat: ~1 Ia fibre per motor unit, Boyd & Davey 1968); Ia
#: interneurons and Renshaw cells 10 each (mouse counts not found; half the
#: motor pool). Motor pools and Ia interneurons receive descending drive.
DEFAULT_POPULATIONS: dict[str, PopulationParams] = {
    **{population_name("ia", m): _population("afferent", "ia", m, 20) for m in MUSCLES},
    **{
        population_name("mn", m): _population("motor_pool", "mn", m, 20, descending=True)
        for m in MUSCLES
    },
    **{
        population_name("iain", m): _population(
            "interneuron", "iain", m, 10, cell="ia_interneuron", descending=True
        )
        for m in MUSCLES
    },
    **{
        population_name("rc", m): _population("interneuron", "rc", m, 10, cell="renshaw")
        for m in MUSCLES
    },
}

#: Dotted size names of the first version -> the role whose population size they
#: alias (``pools.<muscle>.n_cells`` -> ``populations.mn_<muscle>.n_cells``).
SIZE_ALIASES: dict[tuple[str, str], str] = {
    ("pools", "n_cells"): "mn",
    ("afferents", "n_fibres"): "ia",
    ("interneurons", "n_iain"): "iain",
    ("interneurons", "n_rc"): "rc",
}


def alias_target(dotted: str) -> str | None:
    """The canonical name a size alias stands for, or None if ``dotted`` is no alias."""
    parts = dotted.split(".")
    if len(parts) == 3 and (parts[0], parts[2]) in SIZE_ALIASES and parts[1] in MUSCLES:
        role = SIZE_ALIASES[(parts[0], parts[2])]
        return f"populations.{population_name(role, parts[1])}.n_cells"
    return None


@dataclass(frozen=True)
class AfferentParams(ParamSet):
    """Firing and conduction of one group of afferent fibres (default: a muscle's Ia)."""

    rest_rate_hz: float = param(
        5.0,
        "Hz",
        low=0,
        high=500,
        source="low resting discharge of Ia afferents of a relaxed muscle (Vallbo 1974, human; "
        "isolated-cord preparations have none: set 0 for them)",
    )
    contraction_rate_hz: float = param(
        60.0,
        "Hz",
        low=0,
        high=500,
        source="Ia rates during voluntary-like contraction with fusimotor co-activation, "
        "tens of Hz (Prochazka & Gorassini 1998, cat locomotion)",
    )
    conduction_delay_ms: float = param(
        1.0,
        "ms",
        low=0,
        high=100,
        source="dorsal root stimulation site to the cord: ~10 mm at 10-100 m/s in adult mouse "
        "(Biscoe et al. 1977: DR conduction 10-100 m/s) -> 0.1-1 ms; 1 ms taken",
    )
    threshold_low_t: float = param(
        1.0,
        "1",
        low=0.1,
        high=1000,
        source="electrical threshold of the group's most excitable fibre, in multiples of T, "
        "the threshold of the most excitable Ia fibres (Ia: 1 T by definition)",
    )
    threshold_high_t: float = param(
        1.5,
        "1",
        low=0.1,
        high=1000,
        source="threshold of the group's least excitable fibre (x T): group I fibres of cat "
        "muscle nerves are all recruited below ~1.5-2 T (Jack 1978 review; Jankowska 1992 "
        "review; from memory, no mouse values found); fibres in between are spread evenly, "
        "the lowest index lowest",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.threshold_high_t < self.threshold_low_t:
            raise ParameterError(
                f"threshold_high_t = {self.threshold_high_t} is below threshold_low_t = "
                f"{self.threshold_low_t}"
            )

    def fibre_thresholds_t(self, n_fibres: int) -> list[float]:
        """Electrical threshold (x T) of each of ``n_fibres`` fibres, lowest index lowest."""
        if n_fibres == 1:
            return [self.threshold_low_t]
        step = (self.threshold_high_t - self.threshold_low_t) / max(n_fibres - 1, 1)
        return [self.threshold_low_t + i * step for i in range(n_fibres)]


@dataclass(frozen=True)
class ConnectionParams(ParamSet):
    """One connection rule: every (source, target) pair connects with ``probability``.

    ``source`` and ``target`` are roles of the population table (checked by the
    spec); ``side`` says whether the source is in the same muscle's circuit
    (homonymous) or the antagonist's. Synapse kinetics
    come from the synapse type; ``weight_us`` is the peak conductance of one
    contact (of the first event after rest for depressing synapses), and
    ``weight_scale`` multiplies it (the knob that sweeps and profiles turn).
    """

    source: str = param("ia", source="rule")
    target: str = param("mn", source="rule")
    side: str = param("homonymous", source="rule")
    probability: float = param(0.5, "1", low=0, high=1, source="rule")
    weight_us: float = param(0.001, "uS", low=0, high=10, source="rule")
    weight_scale: float = param(1.0, "1", low=0, high=100, source="knob (1 = default)")
    delay_ms: float = param(
        0.6,
        "ms",
        low=0.025,
        high=100,
        source="synaptic delay ~0.5 ms (Kudo & Yamada 1985: central delay 0.56 ms, rat)",
    )
    synapse: str = param(
        "ia",
        source="rule: ia (depressing Ia synapse), ach (slow cholinergic, motor axon collaterals), "
        "gly (glycinergic), glu (fast glutamatergic, no depression)",
    )
    location: str = param("soma", source="rule")

    def __post_init__(self) -> None:
        super().__post_init__()
        for key, valid in (
            ("side", SIDES),
            ("synapse", SYNAPSES),
            ("location", LOCATIONS),
        ):
            value = getattr(self, key)
            if value not in valid:
                raise ParameterError(unknown_name_message(f"connection {key}", value, valid))


def _conn(**kw: Any) -> ConnectionParams:
    return ConnectionParams(**kw)


#: Default connection rules (adult). Weights are the peak conductance of one
#: contact. Ia -> MN: ``cordsim validate`` measures the composite EPSP of
#: the default motor neuron (Na blocked) to a volley in all its expected Ia
#: contacts (``ia_epsp_composite_mv``). Juvenile: fitted to the maximal
#: homonymous Ia EPSP of neonatal mouse, 10.6 mV (Hippenmeyer et al. 2005),
#: by root-finding on the weight (2026-12-04: 0.00075 uS; the synapse's
#: kinetics at 26 degC are 3.4x slower than at 37, Q10 3). Adult: no adult
#: mouse value was found; the same fit (0.0087 uS) leaves the in vivo
#: circuit with no monosynaptic reflex (0 of 20 MNs fire to a volley; 1 of
#: 20 at 0.015 uS), while adult mice have H-reflexes. The adult weight
#: (0.03 uS: 19 mV, 6 of 20 MNs fire to the first volley) is chosen so that
#: a maximal volley brings part of the pool to threshold (rest-to-threshold
#: 17.4 +/- 7.3 mV, Martinez-Silva et al. 2018); a soft target says so.
#: Ia -> IaIN and
#: MN -> RC make a volley fire the interneurons (IaINs disynaptically inhibit
#: the antagonist MNs, Wang et al. 2008; a motor volley makes RCs burst);
#: RC -> MN 5 nS per contact, so that removing recurrent inhibition raises MN
#: rates by several % during contraction (cat unitary recurrent IPSPs are only
#: ~13 uV, Van Keulen 1981, but ~5 RCs fire bursts onto each MN); the IaIN -> MN and
#: interneuron-interneuron weights are set a few times smaller than the
#: targets' input conductances (no mouse numbers: targets c).
DEFAULT_CONNECTIONS: dict[str, ConnectionParams] = {
    # Monosynaptic Ia excitation of homonymous MNs: most Ia fibres contact
    # most homonymous MNs (cat: 90 %, Mendell & Henneman 1971).
    "ia_to_mn": _conn(
        source="ia",
        target="mn",
        side="homonymous",
        probability=0.9,
        weight_us=0.03,
        synapse="ia",
        location="proximal",
    ),
    # Ia excitation of homonymous IaINs (Jankowska 1992 review, cat).
    "ia_to_iain": _conn(
        source="ia",
        target="iain",
        side="homonymous",
        probability=0.5,
        weight_us=0.006,
        synapse="ia",
        location="soma",
    ),
    # Reciprocal inhibition: IaIN -> antagonist MNs (glycinergic, disynaptic;
    # present in mouse from P3, Wang et al. 2008).
    "iain_to_mn": _conn(
        source="iain",
        target="mn",
        side="antagonist",
        probability=0.5,
        weight_us=0.03,
        synapse="gly",
        location="soma",
    ),
    # IaINs inhibit the antagonist IaINs (Hultborn et al. 1976, cat).
    "iain_to_iain": _conn(
        source="iain",
        target="iain",
        side="antagonist",
        probability=0.3,
        weight_us=0.0005,
        synapse="gly",
        location="soma",
    ),
    # Motor axon collaterals excite homonymous Renshaw cells (cholinergic +
    # glutamatergic, Lamotte d'Incamps et al. 2017).
    "mn_to_rc": _conn(
        source="mn",
        target="rc",
        side="homonymous",
        probability=0.5,
        weight_us=0.0004,
        synapse="ach",
        location="proximal",
    ),
    # Recurrent inhibition: RC -> homonymous MNs, IaINs and RCs (Renshaw 1946;
    # Hultborn et al. 1971; in mouse, RCs inhibit IaINs, Wang et al. 2008).
    "rc_to_mn": _conn(
        source="rc",
        target="mn",
        side="homonymous",
        probability=0.5,
        weight_us=0.005,
        synapse="gly",
        location="proximal",
    ),
    "rc_to_iain": _conn(
        source="rc",
        target="iain",
        side="homonymous",
        probability=0.5,
        weight_us=0.0005,
        synapse="gly",
        location="soma",
    ),
    "rc_to_rc": _conn(
        source="rc",
        target="rc",
        side="homonymous",
        probability=0.3,
        weight_us=0.0003,
        synapse="gly",
        location="soma",
    ),
}


@dataclass(frozen=True)
class SynapseParams(ParamSet):
    """Kinetics of the three synapse types (csExcSyn for ia and ach, csGlySyn for gly)."""

    ia_tau_rise_ms: float = param(0.2, "ms", low=0.01, high=100, source="csexcsyn.mod header")
    ia_tau_decay_ms: float = param(2.0, "ms", low=0.02, high=1000, source="csexcsyn.mod header")
    ia_use: float = param(
        0.3,
        "1",
        low=0,
        high=1,
        source="fitted before the temperature model: Ia EPSP depression to ~half at 10 Hz "
        "(Bos et al. 2013, RDD). With recovery at Q10 3, the default cell's EPSPs 4-10 over "
        "the first at 10 Hz (ia_epsp_ratio_10hz) are 0.76 at 37 degC (adult) and 0.33 at 26 "
        "degC (juvenile)",
    )
    ia_tau_rec_ms: float = param(400.0, "ms", low=1, high=100000, source="csexcsyn.mod header")
    ach_tau_rise_ms: float = param(
        1.0,
        "ms",
        low=0.01,
        high=100,
        source="slow nicotinic EPSP of Renshaw cells (Eccles et al. 1954, cat)",
    )
    ach_tau_decay_ms: float = param(
        20.0,
        "ms",
        low=0.02,
        high=1000,
        source="long Renshaw EPSP behind its burst (Eccles et al. 1954; Lamotte d'Incamps & "
        "Ascher 2008)",
    )
    gly_tau_rise_ms: float = param(0.5, "ms", low=0.01, high=100, source="csglysyn.mod header")
    gly_tau_decay_ms: float = param(5.0, "ms", low=0.02, high=1000, source="csglysyn.mod header")
    gly_reversal_mv: float = param(
        -75.0,
        "mV",
        low=-100,
        high=0,
        source="adult Cl- gradient (E_gly ~ -75 mV); juvenile preset -65 mV",
    )


@dataclass(frozen=True)
class DriveParams(ParamSet):
    """Background synaptic noise on every neuron, and descending drive for protocols."""

    background_exc_rate_hz: float = param(
        2000.0,
        "Hz",
        low=0,
        high=1e6,
        source="fitted: many weak excitatory inputs (summed Poisson) giving subthreshold "
        "membrane noise of a few mV at rest, no spontaneous firing in wild type",
    )
    background_exc_weight_us: float = param(
        0.006,
        "uS",
        low=0,
        high=10,
        source="fitted with background_exc_rate_hz: wild-type MNs silent at rest, while a "
        "more excitable MN (tor1a_spinal_drg) fires spontaneously",
    )
    background_inh_rate_hz: float = param(
        1000.0, "Hz", low=0, high=1e6, source="fitted: balancing inhibitory noise"
    )
    background_inh_weight_us: float = param(
        0.006, "uS", low=0, high=10, source="fitted with background_inh_rate_hz"
    )
    interneuron_weight_ratio: float = param(
        0.02,
        "1",
        low=0,
        high=10,
        source="fitted: noise weights on interneurons relative to MNs (their input "
        "conductance is ~20-50x smaller)",
    )
    descending_peak_rate_hz: float = param(
        3000.0,
        "Hz",
        low=0,
        high=1e6,
        source="fitted: peak descending drive recruiting most of the pool at the top of a "
        "contraction (rates 20-60 Hz; Meehan et al. 2010 F-I range)",
    )
    descending_weight_us: float = param(
        0.05, "uS", low=0, high=10, source="fitted with descending_peak_rate_hz"
    )


#: Motor neuron models a spec may choose (``CircuitSpec.mn_model``).
MN_MODELS = ("detailed", "reduced")


@dataclass(frozen=True)
class CircuitSpec:
    """A flexor/extensor pair of spinal microcircuits (see the module docstring).

    Attributes
    ----------
    age : {"adult", "juvenile"}
        Cell and circuit presets.
    populations : dict of population name -> PopulationParams
        The population table, in gid-block order.
    pools : dict of muscle -> MotorPoolParams
        How the cells of each muscle's motor pool differ (size principle).
    afferents : dict of key -> AfferentParams
        Firing and conduction of afferent populations (keyed by muscle, or by
        a population's ``afferent_params``).
    connections : dict of rule name -> ConnectionParams
    synapses : SynapseParams
    drives : DriveParams
    solver : SolverParams
        How NEURON integrates the circuit (dt, secondorder, CoreNEURON,
        threads); recorded with the spec in every result.
    presynaptic_inhibition : float
        Fraction (0-1) by which presynaptic inhibition reduces transmission
        from afferents (multiplies the weight of every synapse whose source is
        an afferent population by ``1 - presynaptic_inhibition``).
    mn_scale, iain_scale, rc_scale : dict of parameter name -> factor
        Multiplicative changes to the parameters of motor neurons, Ia
        interneurons and Renshaw cells (cell models ``motor_neuron``,
        ``ia_interneuron``, ``renshaw``; mutation profiles act through them).
    mn_model : {"detailed", "reduced"}
        Motor neuron model of the motor pools: the detailed multi-compartment
        :class:`~cordsim.models.cells.motor_neuron.MotorNeuron` (default) or
        the 26-compartment
        :class:`~cordsim.models.cells.reduced_motor_neuron.ReducedMotorNeuron`
        fitted to it (for large sweeps).
    preparation : {"default", "isolated_cord"}
        The preparation the defaults describe (:data:`PREPARATIONS`): the
        age's circuit, or the isolated juvenile cord of dorsal-root /
        ventral-root experiments (:data:`ISOLATED_CORD_CHANGES`). Only
        recorded; the values themselves live in the other fields.
    """

    age: str = "adult"
    populations: Mapping[str, PopulationParams] = field(
        default_factory=lambda: dict(DEFAULT_POPULATIONS)
    )
    pools: Mapping[str, MotorPoolParams] = field(
        default_factory=lambda: {m: motor_pool_params() for m in MUSCLES}
    )
    afferents: Mapping[str, AfferentParams] = field(
        default_factory=lambda: {m: AfferentParams() for m in MUSCLES}
    )
    connections: Mapping[str, ConnectionParams] = field(
        default_factory=lambda: dict(DEFAULT_CONNECTIONS)
    )
    synapses: SynapseParams = field(default_factory=SynapseParams)
    drives: DriveParams = field(default_factory=DriveParams)
    solver: SolverParams = field(default_factory=SolverParams)
    presynaptic_inhibition: float = 0.0
    mn_scale: Mapping[str, float] = field(default_factory=dict)
    iain_scale: Mapping[str, float] = field(default_factory=dict)
    rc_scale: Mapping[str, float] = field(default_factory=dict)
    mn_model: str = "detailed"
    preparation: str = "default"

    def __post_init__(self) -> None:
        if self.age not in AGES:
            raise ParameterError(f"age: unknown age {self.age!r}; choose one of {AGES}")
        if self.preparation not in PREPARATIONS:
            raise ParameterError(
                "preparation: "
                + unknown_name_message("preparation", self.preparation, PREPARATIONS)
            )
        if self.preparation == "isolated_cord" and self.age != "juvenile":
            raise ParameterError(
                f"preparation isolated_cord is a juvenile preparation (P6-P12 cords); "
                f"age is {self.age!r}"
            )
        if self.mn_model not in MN_MODELS:
            raise ParameterError(
                "mn_model: " + unknown_name_message("motor neuron model", self.mn_model, MN_MODELS)
            )
        self._check_populations()
        for muscle, value in self.pools.items():
            if muscle not in MUSCLES:
                raise ParameterError("pools: " + unknown_name_message("muscle", muscle, MUSCLES))
            if not isinstance(value, MotorPoolParams):
                raise ParameterError(f"pools.{muscle} must be MotorPoolParams")
        for key, value in self.afferents.items():
            if not isinstance(value, AfferentParams):
                raise ParameterError(f"afferents.{key} must be AfferentParams")
        for name, pop in self.populations.items():
            if pop.kind == "motor_pool" and pop.muscle not in self.pools:
                raise ParameterError(f"populations.{name}: no pools.{pop.muscle} parameters")
            if pop.kind == "afferent" and pop.afferent_key not in self.afferents:
                raise ParameterError(
                    f"populations.{name}: "
                    + unknown_name_message("afferents entry", pop.afferent_key, self.afferents)
                )
        self._check_connections()
        if not 0.0 <= float(self.presynaptic_inhibition) <= 1.0:
            raise ParameterError(
                f"presynaptic_inhibition = {self.presynaptic_inhibition} must be within [0, 1]"
            )
        for key, kind in (
            ("mn_scale", MotorNeuronParams),
            ("iain_scale", InterneuronParams),
            ("rc_scale", InterneuronParams),
        ):
            for pname, factor in getattr(self, key).items():
                if pname not in kind.names():
                    raise ParameterError(
                        f"{key}: "
                        + unknown_name_message(f"{kind.__name__} parameter", pname, kind.names())
                    )
                if isinstance(factor, bool) or not isinstance(factor, int | float) or factor < 0:
                    raise ParameterError(f"{key}.{pname} = {factor!r} must be a factor >= 0")

    def _check_populations(self) -> None:
        seen: dict[tuple[str, str], str] = {}
        for name, pop in self.populations.items():
            if not isinstance(pop, PopulationParams):
                raise ParameterError(f"populations.{name} must be PopulationParams")
            if not name.isidentifier():
                raise ParameterError(f"population name {name!r} must be an identifier")
            key = (pop.role, pop.muscle)
            if key in seen:
                raise ParameterError(
                    f"populations.{name}: role {pop.role!r} of the {pop.muscle} already "
                    f"belongs to population {seen[key]!r} (connection rules address "
                    "populations by role and muscle)"
                )
            seen[key] = name
            if pop.kind == "motor_pool" and pop.n_cells < 1:
                raise ParameterError(
                    f"populations.{name}.n_cells = {pop.n_cells}: a motor pool needs >= 1 cell"
                )

    def _check_connections(self) -> None:
        kinds = {pop.role: pop.kind for pop in self.populations.values()}
        for name, rule in self.connections.items():
            if not isinstance(rule, ConnectionParams):
                raise ParameterError(f"connections.{name} must be ConnectionParams")
            for end in ("source", "target"):
                role = getattr(rule, end)
                if role not in kinds:
                    raise ParameterError(
                        f"connections.{name}.{end}: "
                        + unknown_name_message("population role", role, kinds)
                    )
            if kinds[rule.target] == "afferent":
                raise ParameterError(
                    f"connections.{name}: target {rule.target!r} is afferent fibres, which "
                    "receive no synapses"
                )

    # ------------------------------------------------------------ population table
    def population_names(
        self, *, kind: str | None = None, muscle: str | None = None, role: str | None = None
    ) -> list[str]:
        """Names of the populations matching every given field, in table order."""
        return [
            name
            for name, pop in self.populations.items()
            if (kind is None or pop.kind == kind)
            and (muscle is None or pop.muscle == muscle)
            and (role is None or pop.role == role)
        ]

    def population_of(self, role: str, muscle: str) -> str | None:
        """Name of the population with ``role`` in ``muscle``'s circuit (None: none)."""
        names = self.population_names(role=role, muscle=muscle)
        return names[0] if names else None

    def motor_pool(self, muscle: str) -> str:
        """Name of ``muscle``'s motor pool population."""
        names = self.population_names(kind="motor_pool", muscle=muscle)
        if not names:
            raise ParameterError(f"the circuit has no motor pool for the {muscle}")
        return names[0]

    def rule_pairs(self, rule: ConnectionParams) -> Iterator[tuple[str, str]]:
        """(source population, target population) pairs a connection rule connects.

        One pair per target population of the rule's target role, in table
        order; the source is the population of the rule's source role in the
        same muscle's circuit (``homonymous``) or the antagonist's.
        """
        for target in self.population_names(role=rule.target):
            muscle = self.populations[target].muscle
            source_muscle = muscle if rule.side == "homonymous" else antagonist(muscle)
            source = self.population_of(rule.source, source_muscle)
            if source is not None:
                yield source, target

    def population_sizes(self) -> dict[str, int]:
        """``{population name: number of cells}`` in table order."""
        return {name: pop.n_cells for name, pop in self.populations.items()}

    # ------------------------------------------------------------ dotted names
    def get(self, dotted: str) -> Any:
        """Value at a dotted name, e.g. ``"connections.ia_to_mn.weight_scale"``."""
        dotted = alias_target(dotted) or dotted
        head, _, rest = dotted.partition(".")
        if head not in _FIELDS:
            if head in _KEYS:  # an alias head (interneurons) with a name no alias has
                aliases = [f"{h}.<muscle>.{leaf}" for (h, leaf) in SIZE_ALIASES if h == head]
                raise ParameterError(
                    f"{dotted}: unknown size alias; valid names: {', '.join(aliases)} "
                    f"(<muscle>: {', '.join(MUSCLES)})"
                )
            raise ParameterError(unknown_name_message("circuit spec key", head, _KEYS))
        value = getattr(self, head)
        if not rest:
            return value
        if isinstance(value, ParamSet):
            return _param_get(value, rest, dotted)
        key, _, leaf = rest.partition(".")
        if key not in value:
            if head.endswith("_scale") and not leaf:
                return 1.0
            raise ParameterError(unknown_name_message(f"{head} entry", key, value))
        entry = value[key]
        return _param_get(entry, leaf, dotted) if leaf else entry

    def field_info(self, dotted: str) -> dict[str, Any]:
        """Metadata (default, unit, low, high, doc) of a dotted ParamSet field.

        Size aliases resolve to their population's ``n_cells``. Raises
        ParameterError for names that are not a field of a parameter set
        (scale factors, ``presynaptic_inhibition``, unknown names).
        """
        canonical = alias_target(dotted) or dotted
        head, _, rest = canonical.partition(".")
        value = getattr(self, head, None) if head in _FIELDS else None
        if isinstance(value, ParamSet):
            table, leaf = value, rest
        elif isinstance(value, Mapping) and not head.endswith("_scale"):
            key, _, leaf = rest.partition(".")
            table = value.get(key)
        else:
            table, leaf = None, ""
        if not isinstance(table, ParamSet) or leaf not in table.names():
            raise ParameterError(f"{dotted!r} is not a field of a circuit parameter set")
        info = dict(table.field_info()[leaf])
        info.setdefault("doc", f"{type(table).__name__}.{leaf}")
        if isinstance(table, PopulationParams) and leaf == "n_cells" and table.kind == "motor_pool":
            info["low"] = max(1, info.get("low") or 0)  # checked by CircuitSpec too
        if canonical != dotted:
            info["doc"] = f"alias of {canonical}"
        return info

    def with_values(self, values: Mapping[str, Any]) -> CircuitSpec:
        """A new spec with each dotted name set to its value (all validated)."""
        spec = self
        for dotted, value in values.items():
            spec = spec._with_value(dotted, value)
        return spec

    def _with_value(self, dotted: str, value: Any) -> CircuitSpec:
        canonical = alias_target(dotted) or dotted
        head, _, rest = canonical.partition(".")
        if head not in _FIELDS:
            if head in _KEYS:  # an alias head (interneurons) with a name no alias has
                aliases = [f"{h}.<muscle>.{leaf}" for (h, leaf) in SIZE_ALIASES if h == head]
                raise ParameterError(
                    f"{dotted}: unknown size alias; valid names: {', '.join(aliases)} "
                    f"(<muscle>: {', '.join(MUSCLES)})"
                )
            raise ParameterError(unknown_name_message("circuit spec key", head, _KEYS))
        if head in ("age", "preparation"):
            raise ParameterError(
                f"{dotted}: {head} selects a preset and cannot be set as a value; start from "
                f"circuit_spec(...) or set it at the top of a spec file (cordsim run: --age, "
                f"--preparation)"
            )
        current = getattr(self, head)
        if not rest:
            return dataclasses.replace(self, **{head: value})
        if isinstance(current, ParamSet):
            return dataclasses.replace(self, **{head: _param_set(current, rest, value, dotted)})
        key, _, leaf = rest.partition(".")
        table = dict(current)
        if head.endswith("_scale") and not leaf:
            table[key] = value
        elif key not in table:
            raise ParameterError(unknown_name_message(f"{head} entry", key, table))
        else:
            table[key] = _param_set(table[key], leaf, value, dotted)
        try:
            return dataclasses.replace(self, **{head: table})
        except ParameterError as exc:
            raise ParameterError(f"{dotted}: {exc}") from None

    def parameter_names(self) -> list[str]:
        """Every numeric/bool dotted name of this spec (sweepable), size aliases included."""
        names = ["presynaptic_inhibition"]
        for head in ("populations", "pools", "afferents", "connections"):
            for key, entry in getattr(self, head).items():
                names += [
                    f"{head}.{key}.{n}"
                    for n, info in entry.field_info().items()
                    if not isinstance(info["default"], str)
                ]
        for head in ("synapses", "drives", "solver"):
            names += [
                f"{head}.{n}"
                for n, info in getattr(self, head).field_info().items()
                if not isinstance(info["default"], str)  # solver.engine: set in a base spec
            ]
        for head, kind in (
            ("mn_scale", MotorNeuronParams),
            ("iain_scale", InterneuronParams),
            ("rc_scale", InterneuronParams),
        ):
            names += [f"{head}.{n}" for n in kind.names()]
        for (head, leaf), role in SIZE_ALIASES.items():
            for m in MUSCLES:
                if self.population_of(role, m) is not None:
                    names.append(f"{head}.{m}.{leaf}")
        return names

    # ------------------------------------------------------------ TOML
    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (TOML-ready); entries not in the defaults carry ``new = true``."""
        defaults = circuit_spec(self.age, preparation=self.preparation)

        def entries(head: str) -> dict[str, Any]:
            known = getattr(defaults, head)
            return {
                name: {**({} if name in known else {"new": True}), **entry.to_dict()}
                for name, entry in getattr(self, head).items()
            }

        return {
            "age": self.age,
            "presynaptic_inhibition": float(self.presynaptic_inhibition),
            "populations": entries("populations"),
            "pools": {m: p.to_dict() for m, p in self.pools.items()},
            "afferents": entries("afferents"),
            "connections": entries("connections"),
            "synapses": self.synapses.to_dict(),
            "drives": self.drives.to_dict(),
            "solver": self.solver.to_dict(),
            "mn_scale": dict(self.mn_scale),
            "iain_scale": dict(self.iain_scale),
            "rc_scale": dict(self.rc_scale),
            # only when not the default, so default specs' dicts (and hashes) are unchanged
            **({} if self.mn_model == "detailed" else {"mn_model": self.mn_model}),
            **({} if self.preparation == "default" else {"preparation": self.preparation}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str = "spec") -> CircuitSpec:
        """Build from a (partial) nested dict; missing keys take the age's defaults.

        An entry of ``populations``, ``afferents`` or ``connections`` that
        holds ``new = true`` declares a new population, afferent group or rule
        (a full table: see :class:`PopulationParams`, :class:`AfferentParams`,
        :class:`ConnectionParams`; the keys in :data:`NEW_ENTRY_REQUIRED` must
        be given). Any other entry must name an existing one: a typo such as
        ``[connections.ia_to_nm]`` is an error with the closest valid name,
        never a silently added rule. New entries are added before any value is
        set, so a new population can be connected by a new rule in the same
        file.
        """
        data = dict(data)
        unknown = [k for k in data if k not in _KEYS]
        if unknown:
            raise ParameterError(
                f"{origin}: " + unknown_name_message("circuit spec key", unknown[0], _KEYS)
            )
        age = data.pop("age", "adult")
        preparation = data.pop("preparation", "default")
        if not isinstance(preparation, str) or preparation not in PREPARATIONS:
            raise ParameterError(
                f"{origin}: preparation: "
                + unknown_name_message("preparation", str(preparation), PREPARATIONS)
            )
        base = circuit_spec(age, preparation=preparation)
        values: dict[str, Any] = {}

        def flatten(prefix: str, obj: Any) -> None:
            if (
                isinstance(obj, Mapping)
                and not prefix.endswith("_scale")
                or (isinstance(obj, Mapping) and "." not in prefix)
            ):
                for k, v in obj.items():
                    flatten(f"{prefix}.{k}" if prefix else k, v)
            else:
                values[prefix] = obj

        new_entries: dict[str, dict[str, Any]] = {}
        for head, kind in _NEW_ENTRY_TABLES.items():
            table = dict(getattr(base, head))
            entries = data.pop(head, None) or {}
            if not isinstance(entries, Mapping):
                raise ParameterError(f"{origin}: {head} must be a table of named entries")
            for name, entry in entries.items():
                if not isinstance(entry, Mapping):
                    raise ParameterError(f"{origin}: {head}.{name} must be a table")
                entry = dict(entry)
                declared_new = _pop_new_flag(entry, f"{origin}: {head}.{name}")
                if name in table and not declared_new:
                    flatten(f"{head}.{name}", entry)
                    continue
                _check_new_entry(head, name, entry, table, declared_new, origin)
                try:
                    table[name] = kind.from_dict(entry)
                except ParameterError as exc:
                    raise ParameterError(f"{origin}: {head}.{name}: {exc}") from None
            new_entries[head] = table
        try:
            base = dataclasses.replace(base, **new_entries)
        except ParameterError as exc:
            raise ParameterError(f"{origin}: {exc}") from None
        for key, value in data.items():
            flatten(key, value)
        try:
            return base.with_values(values)
        except ParameterError as exc:
            raise ParameterError(f"{origin}: {exc}") from None

    def to_toml(self, path: str | Path) -> Path:
        """Write the spec as TOML; returns the path."""
        path = Path(path)
        path.write_text(tomli_w.dumps(self.to_dict()))
        return path

    @classmethod
    def from_toml(cls, path: str | Path) -> CircuitSpec:
        """Read a spec from TOML (a partial file overrides the age's defaults)."""
        path = Path(path)
        try:
            data = read_toml(path)
        except OSError as exc:
            raise ParameterError(f"cannot read circuit spec {path}: {exc.strerror}") from None
        except TOMLDecodeError as exc:
            raise ParameterError(f"{path}: invalid TOML: {exc}") from None
        return cls.from_dict(data, origin=str(path))


_FIELDS = tuple(f.name for f in dataclasses.fields(CircuitSpec))
#: Top-level keys a spec file may hold: the fields, and ``interneurons`` (size aliases).
_KEYS = (*_FIELDS, "interneurons")
#: Tables whose unknown entries declare new ones in :meth:`CircuitSpec.from_dict`.
_NEW_ENTRY_TABLES: dict[str, type[ParamSet]] = {
    "populations": PopulationParams,
    "afferents": AfferentParams,
    "connections": ConnectionParams,
}


#: Keys a ``new = true`` entry must give (the defaults would silently build
#: something else: a rule from Ia fibres to motor neurons, an Ia interneuron).
NEW_ENTRY_REQUIRED: dict[str, tuple[str, ...]] = {
    "populations": ("kind", "role", "muscle"),
    "afferents": (),
    "connections": ("source", "target"),
}
#: Singular nouns of the tables, for messages.
_ENTRY_NOUN = {"populations": "population", "afferents": "afferent group", "connections": "rule"}


def _pop_new_flag(entry: dict[str, Any], where: str) -> bool:
    """Remove and return the ``new`` key of a table entry (must be a bool)."""
    flag = entry.pop("new", False)
    if not isinstance(flag, bool):
        raise ParameterError(f"{where}.new must be true or false, not {flag!r}")
    return flag


def _check_new_entry(
    head: str,
    name: str,
    entry: Mapping[str, Any],
    table: Mapping[str, Any],
    declared_new: bool,
    origin: str,
) -> None:
    """Refuse an unknown entry without ``new = true``, a clash, or missing keys."""
    noun = _ENTRY_NOUN[head]
    if not declared_new:
        raise ParameterError(
            f"{origin}: "
            + unknown_name_message(f"{head[:-1]} entry", name, table)
            + f" (to add a new {noun}, give [{head}.{name}] the key `new = true`"
            + (f" and {', '.join(NEW_ENTRY_REQUIRED[head])})" if NEW_ENTRY_REQUIRED[head] else ")")
        )
    if name in table:
        raise ParameterError(
            f"{origin}: {head}.{name} already exists; drop `new = true` to change it"
        )
    missing = [key for key in NEW_ENTRY_REQUIRED[head] if key not in entry]
    if missing:
        raise ParameterError(f"{origin}: new {noun} {head}.{name} must give {', '.join(missing)}")


def _valid_leaves(entry: ParamSet, dotted: str) -> list[str]:
    """Parameter names of ``entry``, plus the size alias its table accepts (for hints)."""
    head = dotted.partition(".")[0]
    return [*entry.names(), *(leaf for (h, leaf) in SIZE_ALIASES if h == head)]


def _param_get(entry: ParamSet, name: str, dotted: str) -> Any:
    if name not in entry.names():
        raise ParameterError(
            f"{dotted}: "
            + unknown_name_message(
                f"{type(entry).__name__} parameter", name, _valid_leaves(entry, dotted)
            )
        )
    return getattr(entry, name)


def _param_set(entry: ParamSet, name: str, value: Any, dotted: str) -> ParamSet:
    if name not in entry.names():
        _param_get(entry, name, dotted)  # raises, naming the closest valid name
    try:
        return entry.replace(**{name: value})
    except ParameterError as exc:
        raise ParameterError(f"{dotted}: {exc}") from None


#: Juvenile (isolated cord, 26 degC) changes to the default circuit: no
#: resting Ia discharge in the isolated cord, slower conduction in immature
#: roots at room temperature, depolarised glycine reversal, weights scaled to
#: the ~8x higher input resistance of juvenile cells (fitted).
JUVENILE_CIRCUIT_CHANGES: dict[str, Any] = {
    "afferents.flexor.rest_rate_hz": 0.0,
    "afferents.extensor.rest_rate_hz": 0.0,
    "afferents.flexor.conduction_delay_ms": 2.0,
    "afferents.extensor.conduction_delay_ms": 2.0,
    "synapses.gly_reversal_mv": -65.0,
    # juvenile cells have ~6x smaller input conductance (Rin ~27 vs 4.5 MOhm);
    # Ia -> MN fitted to the composite Ia EPSP (see DEFAULT_CONNECTIONS)
    "connections.ia_to_mn.weight_us": 0.00075,
    "connections.ia_to_iain.weight_us": 0.002,
    "connections.iain_to_mn.weight_us": 0.005,
    "connections.iain_to_iain.weight_us": 0.0002,
    "connections.mn_to_rc.weight_us": 0.0002,
    "connections.rc_to_mn.weight_us": 0.001,
    "connections.rc_to_iain.weight_us": 0.0002,
    "connections.rc_to_rc.weight_us": 0.0001,
    "drives.background_exc_weight_us": 0.001,
    "drives.background_inh_weight_us": 0.001,
    "drives.descending_weight_us": 0.008,
}


#: Preparations a spec may describe (``CircuitSpec.preparation``).
PREPARATIONS: dict[str, str] = {
    "default": "the age's circuit: adult in vivo; juvenile cells at 26 degC with the same drives",
    "isolated_cord": "the isolated juvenile (P6-P12) lumbar cord of dorsal-root / ventral-root "
    "experiments: no descending drive, no resting afferent discharge, a sparser synaptic "
    "background, and the afferent groups a dorsal-root stimulus recruits (Ia, Ib, group II, "
    "cutaneous) with group I/II excitatory interneurons (the polysynaptic pathway)",
}

#: Afferent groups of the isolated-cord preset besides Ia, per muscle:
#: role -> (number of fibres, AfferentParams values). A dorsal root carries
#: every group; a stimulus of strength S (x T) recruits the fibres whose
#: threshold is <= S (protocol ``cord_reflex``). Thresholds and conduction
#: from cat muscle and cutaneous nerves (no mouse values found): Ib fibres
#: overlap the Ia range but reach higher (1.1-2 T), group II fibres need 2-5
#: T and conduct at about half the Ia velocity (Jack 1978 review; Jankowska
#: 1992 review; from memory); cutaneous A-beta fibres of a dorsal root are
#: recruited from ~1.5 T (assumed, between Ib and group II). ``iah``: the Ia
#: fibres of the muscle's synergists in the same root (heteronymous Ia, the
#: Ia thresholds); their number (40, the Ia fibres of about two synergists)
#: is fitted: with the homonymous Ia fit alone (10.6 mV) a rested 2 T volley
#: fired 1-2 of 20 motor neurons of the isolated cord; with 40 heteronymous
#: fibres 5-6 of 20 (seed 1, 2026-12-04), a reflex the ventral root records,
#: while the monosynaptic EPSP of a dorsal-root volley exceeds the
#: homonymous one. Fibre counts:
#: tendon organs are fewer than spindles and most spindles have one group II
#: ending (cat: Matthews 1972 review, from memory); cutaneous count assumed.
ISOLATED_CORD_AFFERENTS: dict[str, tuple[int, dict[str, float]]] = {
    "iah": (40, {}),
    "ib": (10, {"threshold_low_t": 1.1, "threshold_high_t": 2.0}),
    "ii": (20, {"threshold_low_t": 2.0, "threshold_high_t": 5.0, "conduction_delay_ms": 4.0}),
    "cut": (20, {"threshold_low_t": 1.5, "threshold_high_t": 4.0, "conduction_delay_ms": 3.0}),
}

#: Group I/II excitatory interneurons per muscle (isolated-cord preset). Last-order
#: excitatory interneurons with convergent group I (Ib) and group II input
#: project to motor neurons (cat: Edgley & Jankowska 1987 J Physiol 389:647;
#: Jankowska 1992 review); in the neonatal mouse cord a dorsal-root volley
#: evokes a monosynaptic ventral-root response followed by polysynaptic
#: components (Jiang, Carlin & Brownstone 1999 Brain Res 816:493: glutamatergic
#: interneurons, from memory). Count assumed (as the Ia interneurons).
N_EXCITATORY_INTERNEURONS = 10

#: Connection rules of the polysynaptic pathway (isolated-cord preset).
#: Weights per contact (uS) are juvenile values: afferent -> interneuron as
#: ia_to_iain of the juvenile preset. ein_to_mn: a 3 ms delay stands for an
#: interposed interneuron (one more synapse and its integration at 26 degC;
#: assumed), and the weight (0.002 uS) is fitted so that the motor neuron
#: spikes of a 5 T volley fall in two groups (seed 1, 4 volleys at 2 Hz, 2026-12-04):
#: monosynaptic at 6-12 ms (38 spikes) and polysynaptic at 12-21 ms (12
#: spikes; none with the interneurons blocked). With no delay and 0.001 uS
#: the interneurons' spikes only added to the monosynaptic group.
ISOLATED_CORD_CONNECTIONS: dict[str, ConnectionParams] = {
    # Heteronymous Ia excitation from synergists: fewer motor neurons receive
    # it than homonymous input (cat: ~60 % vs ~90 %, Mendell & Henneman 1971,
    # from memory); contacts as strong as homonymous ones (juvenile weight).
    "iah_to_mn": _conn(
        source="iah",
        target="mn",
        probability=0.6,
        weight_us=JUVENILE_CIRCUIT_CHANGES["connections.ia_to_mn.weight_us"],
        synapse="ia",
        location="proximal",
    ),
    "ia_to_ein": _conn(source="ia", target="ein", probability=0.3, weight_us=0.002, synapse="ia"),
    "ib_to_ein": _conn(source="ib", target="ein", probability=0.5, weight_us=0.002, synapse="glu"),
    "ii_to_ein": _conn(source="ii", target="ein", probability=0.5, weight_us=0.002, synapse="glu"),
    "cut_to_ein": _conn(
        source="cut", target="ein", probability=0.3, weight_us=0.002, synapse="glu"
    ),
    "ein_to_mn": _conn(
        source="ein",
        target="mn",
        probability=0.5,
        weight_us=0.002,
        synapse="glu",
        location="proximal",
        delay_ms=3.0,
    ),
}

#: Values the isolated-cord preset changes in the juvenile circuit.
#: No descending drive; synaptic background in vitro assumed sparser than in
#: the intact animal (a quarter of the rates; no mouse value found).
ISOLATED_CORD_CHANGES: dict[str, Any] = {
    "drives.descending_peak_rate_hz": 0.0,
    "drives.background_exc_rate_hz": 500.0,
    "drives.background_inh_rate_hz": 250.0,
}


def _isolated_cord(spec: CircuitSpec) -> CircuitSpec:
    """The isolated-cord preset built on the juvenile ``spec`` (see :data:`PREPARATIONS`)."""
    populations = {
        name: dataclasses.replace(pop, descending=False) if pop.descending else pop
        for name, pop in spec.populations.items()
    }
    afferents = dict(spec.afferents)
    for muscle in MUSCLES:
        for role, (n_fibres, values) in ISOLATED_CORD_AFFERENTS.items():
            name = population_name(role, muscle)
            afferents[name] = AfferentParams(
                rest_rate_hz=0.0,
                contraction_rate_hz=0.0,
                conduction_delay_ms=spec.afferents[muscle].conduction_delay_ms,
            ).replace(**values)
            populations[name] = _population(
                "afferent", role, muscle, n_fibres, afferent_params=name
            )
        populations[population_name("ein", muscle)] = _population(
            "interneuron",
            "ein",
            muscle,
            N_EXCITATORY_INTERNEURONS,
            cell="excitatory_interneuron",
        )
    connections = {**spec.connections, **ISOLATED_CORD_CONNECTIONS}
    spec = dataclasses.replace(
        spec,
        populations=populations,
        afferents=afferents,
        connections=connections,
        preparation="isolated_cord",
    )
    return spec.with_values(ISOLATED_CORD_CHANGES)


def circuit_spec(age: str = "adult", *, preparation: str = "default", **values: Any) -> CircuitSpec:
    """The default circuit for ``age`` (and ``preparation``), with dotted ``values`` applied.

    ``age`` may also be ``"isolated_cord"``, short for ``age="juvenile",
    preparation="isolated_cord"``. Dotted names use ``__`` for dots in
    keyword form, e.g.
    ``circuit_spec("adult", connections__ia_to_mn__weight_scale=0.5)``.
    """
    if age == "isolated_cord":
        age, preparation = "juvenile", "isolated_cord"
    if age not in AGES:
        raise ParameterError(
            f"unknown age {age!r}; choose one of {AGES} (or the preset 'isolated_cord')"
        )
    if preparation not in PREPARATIONS:
        raise ParameterError(unknown_name_message("preparation", preparation, PREPARATIONS))
    spec = CircuitSpec(age=age, pools={m: motor_pool_params(age) for m in MUSCLES})
    if age == "juvenile":
        spec = spec.with_values(JUVENILE_CIRCUIT_CHANGES)
    if preparation == "isolated_cord":
        spec = _isolated_cord(spec)
    return spec.with_values({k.replace("__", "."): v for k, v in values.items()})


def animal_values() -> dict[str, float]:
    """Dotted values that make every replicate seed an animal.

    :data:`~cordsim.models.pool.ANIMAL_VARIATION` in both motor pools
    (``pools.<muscle>.size_draw`` and ``.threshold_sd_mv``): each seed then
    draws each pool's cells as a random sample of sizes with a threshold
    scatter. Apply with ``spec.with_values(animal_values())`` or as sweep
    parameters.
    """
    return {f"pools.{m}.{k}": float(v) for m in MUSCLES for k, v in ANIMAL_VARIATION.items()}
