"""The circuit spec: a flexor/extensor pair of spinal microcircuits, declared, not coded.

A :class:`CircuitSpec` holds, per muscle, a motor pool, its Ia afferents, Ia
inhibitory interneurons (IaINs) and Renshaw cells (RCs); connection rules
between the populations; background and descending drive; and optional
changes to the cells' parameters (which is how mutation profiles act). It is
frozen, validated in full on construction, addressable by dotted names
(``connections.ia_to_mn.weight_scale``, ``pools.flexor.n_cells``) and
round-trips through TOML.

Population names are ``<role>_<muscle>``: roles ``ia`` (afferents), ``mn``,
``iain``, ``rc``; muscles ``flexor`` (e.g. tibialis anterior) and ``extensor``
(e.g. gastrocnemius).
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models.cells.interneuron_params import InterneuronParams
from cordsim.models.cells.motor_neuron_params import AGES, MotorNeuronParams
from cordsim.models.paramset import ParamSet, param
from cordsim.models.pool import MotorPoolParams, motor_pool_params

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MUSCLES = ("flexor", "extensor")
ROLES = ("ia", "mn", "iain", "rc")
SIDES = ("homonymous", "antagonist")
SYNAPSES = ("ia", "ach", "gly")
LOCATIONS = ("soma", "proximal", "distal")


def population_name(role: str, muscle: str) -> str:
    """``"mn", "flexor"`` -> ``"mn_flexor"``."""
    return f"{role}_{muscle}"


def antagonist(muscle: str) -> str:
    """The other muscle of the pair."""
    return MUSCLES[1 - MUSCLES.index(muscle)]


@dataclass(frozen=True)
class AfferentParams(ParamSet):
    """The group Ia afferents of one muscle."""

    n_fibres: int = param(
        20,
        "1",
        low=0,
        high=100000,
        source="parameter; mouse Ia counts per muscle not found (targets d); of the order "
        "of the motor pool (cat: ~1 Ia per motor unit, Boyd & Davey 1968)",
    )
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


@dataclass(frozen=True)
class InterneuronPopulationParams(ParamSet):
    """Interneuron counts of one muscle's circuit."""

    n_iain: int = param(
        10,
        "1",
        low=0,
        high=100000,
        source="parameter; mouse IaIN counts not found; half the motor pool",
    )
    n_rc: int = param(
        10,
        "1",
        low=0,
        high=100000,
        source="parameter; mouse Renshaw counts not found; half the motor pool",
    )


@dataclass(frozen=True)
class ConnectionParams(ParamSet):
    """One connection rule: every (source, target) pair connects with ``probability``.

    ``source`` and ``target`` are roles; ``side`` says whether the target is in
    the same muscle's circuit (homonymous) or the antagonist's. Synapse kinetics
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
    synapse: str = param("ia", source="rule")
    location: str = param("soma", source="rule")

    def __post_init__(self) -> None:
        super().__post_init__()
        for key, valid in (
            ("source", ROLES),
            ("target", ROLES),
            ("side", SIDES),
            ("synapse", SYNAPSES),
            ("location", LOCATIONS),
        ):
            value = getattr(self, key)
            if value not in valid:
                raise ParameterError(unknown_name_message(f"connection {key}", value, valid))
        if self.target == "ia":
            raise ParameterError("connection target 'ia': afferents receive no synapses")


def _conn(**kw: Any) -> ConnectionParams:
    return ConnectionParams(**kw)


#: Default connection rules (adult). Weights are the peak conductance of one
#: contact. Fitted values: Ia -> MN gives a composite EPSP of ~8-10 mV in the
#: default motor neuron to a volley in all Ia fibres (maximal homonymous Ia
#: EPSP 10.6 mV, Hippenmeyer et al. 2005, neonatal mouse); Ia -> IaIN and
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
    """Kinetics of the three synapse types (csIaSyn for ia and ach, csGlySyn for gly)."""

    ia_tau_rise_ms: float = param(0.2, "ms", low=0.01, high=100, source="csiasyn.mod header")
    ia_tau_decay_ms: float = param(2.0, "ms", low=0.02, high=1000, source="csiasyn.mod header")
    ia_use: float = param(
        0.3,
        "1",
        low=0,
        high=1,
        source="fitted: Ia EPSP depression to ~half at 10 Hz (Bos et al. 2013, RDD)",
    )
    ia_tau_rec_ms: float = param(400.0, "ms", low=1, high=100000, source="csiasyn.mod header")
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
    descending_to_iain: bool = param(
        True,
        source="alpha-gamma linkage: descending drive "
        "reaches the same side's IaINs (Hultborn et al. 1976)",
    )


@dataclass(frozen=True)
class CircuitSpec:
    """A flexor/extensor pair of spinal microcircuits (see the module docstring).

    Attributes
    ----------
    age : {"adult", "juvenile"}
        Cell and circuit presets.
    pools, afferents, interneurons : dict of muscle -> params
        Per muscle: motor pool, Ia afferents, interneuron counts.
    connections : dict of rule name -> ConnectionParams
    synapses : SynapseParams
    drives : DriveParams
    presynaptic_inhibition : float
        Fraction (0-1) by which presynaptic inhibition reduces Ia transmission
        (multiplies every Ia synapse's weight by ``1 - presynaptic_inhibition``).
    mn_scale, iain_scale, rc_scale : dict of parameter name -> factor
        Multiplicative changes to the cells' parameters (mutation profiles).
    """

    age: str = "adult"
    pools: Mapping[str, MotorPoolParams] = field(
        default_factory=lambda: {m: motor_pool_params() for m in MUSCLES}
    )
    afferents: Mapping[str, AfferentParams] = field(
        default_factory=lambda: {m: AfferentParams() for m in MUSCLES}
    )
    interneurons: Mapping[str, InterneuronPopulationParams] = field(
        default_factory=lambda: {m: InterneuronPopulationParams() for m in MUSCLES}
    )
    connections: Mapping[str, ConnectionParams] = field(
        default_factory=lambda: dict(DEFAULT_CONNECTIONS)
    )
    synapses: SynapseParams = field(default_factory=SynapseParams)
    drives: DriveParams = field(default_factory=DriveParams)
    presynaptic_inhibition: float = 0.0
    mn_scale: Mapping[str, float] = field(default_factory=dict)
    iain_scale: Mapping[str, float] = field(default_factory=dict)
    rc_scale: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.age not in AGES:
            raise ParameterError(f"age: unknown age {self.age!r}; choose one of {AGES}")
        for key, table, kind in (
            ("pools", self.pools, MotorPoolParams),
            ("afferents", self.afferents, AfferentParams),
            ("interneurons", self.interneurons, InterneuronPopulationParams),
        ):
            for muscle, value in table.items():
                if muscle not in MUSCLES:
                    raise ParameterError(
                        f"{key}: " + unknown_name_message("muscle", muscle, MUSCLES)
                    )
                if not isinstance(value, kind):
                    raise ParameterError(f"{key}.{muscle} must be {kind.__name__}")
            missing = [m for m in MUSCLES if m not in table]
            if missing:
                raise ParameterError(f"{key}: missing muscle(s) {missing}")
        for name, rule in self.connections.items():
            if not isinstance(rule, ConnectionParams):
                raise ParameterError(f"connections.{name} must be ConnectionParams")
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

    # ------------------------------------------------------------ dotted names
    def get(self, dotted: str) -> Any:
        """Value at a dotted name, e.g. ``"connections.ia_to_mn.weight_scale"``."""
        head, _, rest = dotted.partition(".")
        if head not in _FIELDS:
            raise ParameterError(unknown_name_message("circuit spec key", head, _FIELDS))
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

    def with_values(self, values: Mapping[str, Any]) -> CircuitSpec:
        """A new spec with each dotted name set to its value (all validated)."""
        spec = self
        for dotted, value in values.items():
            spec = spec._with_value(dotted, value)
        return spec

    def _with_value(self, dotted: str, value: Any) -> CircuitSpec:
        head, _, rest = dotted.partition(".")
        if head not in _FIELDS:
            raise ParameterError(unknown_name_message("circuit spec key", head, _FIELDS))
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
        return dataclasses.replace(self, **{head: table})

    def parameter_names(self) -> list[str]:
        """Every numeric/bool dotted name of this spec (sweepable)."""
        names = ["presynaptic_inhibition"]
        for head in ("pools", "afferents", "interneurons", "connections"):
            for key, entry in getattr(self, head).items():
                names += [
                    f"{head}.{key}.{n}"
                    for n, info in entry.field_info().items()
                    if not isinstance(info["default"], str)
                ]
        for head in ("synapses", "drives"):
            names += [f"{head}.{n}" for n in getattr(self, head).names()]
        for head, kind in (
            ("mn_scale", MotorNeuronParams),
            ("iain_scale", InterneuronParams),
            ("rc_scale", InterneuronParams),
        ):
            names += [f"{head}.{n}" for n in kind.names()]
        return names

    # ------------------------------------------------------------ TOML
    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (TOML-ready)."""
        return {
            "age": self.age,
            "presynaptic_inhibition": float(self.presynaptic_inhibition),
            "pools": {m: p.to_dict() for m, p in self.pools.items()},
            "afferents": {m: p.to_dict() for m, p in self.afferents.items()},
            "interneurons": {m: p.to_dict() for m, p in self.interneurons.items()},
            "connections": {n: c.to_dict() for n, c in self.connections.items()},
            "synapses": self.synapses.to_dict(),
            "drives": self.drives.to_dict(),
            "mn_scale": dict(self.mn_scale),
            "iain_scale": dict(self.iain_scale),
            "rc_scale": dict(self.rc_scale),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str = "spec") -> CircuitSpec:
        """Build from a (partial) nested dict; missing keys take the age's defaults."""
        data = dict(data)
        unknown = [k for k in data if k not in _FIELDS]
        if unknown:
            raise ParameterError(
                f"{origin}: " + unknown_name_message("circuit spec key", unknown[0], _FIELDS)
            )
        base = circuit_spec(data.pop("age", "adult"))
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

        connections = data.pop("connections", {})
        for name, rule in connections.items():
            if name not in base.connections:
                if not isinstance(rule, Mapping):
                    raise ParameterError(f"{origin}: connections.{name} must be a table")
                try:
                    new_rule = ConnectionParams.from_dict(rule)
                except ParameterError as exc:
                    raise ParameterError(f"{origin}: connections.{name}: {exc}") from None
                base = dataclasses.replace(base, connections={**base.connections, name: new_rule})
            else:
                flatten(f"connections.{name}", rule)
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
            data = tomllib.loads(path.read_text())
        except OSError as exc:
            raise ParameterError(f"cannot read circuit spec {path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ParameterError(f"{path}: invalid TOML: {exc}") from None
        return cls.from_dict(data, origin=str(path))

    def population_sizes(self) -> dict[str, int]:
        """``{population name: number of cells}`` for all eight populations."""
        sizes = {}
        for m in MUSCLES:
            sizes[population_name("ia", m)] = self.afferents[m].n_fibres
            sizes[population_name("mn", m)] = self.pools[m].n_cells
            sizes[population_name("iain", m)] = self.interneurons[m].n_iain
            sizes[population_name("rc", m)] = self.interneurons[m].n_rc
        return sizes


_FIELDS = tuple(f.name for f in dataclasses.fields(CircuitSpec))


def _param_get(entry: ParamSet, name: str, dotted: str) -> Any:
    if name not in entry.names():
        raise ParameterError(
            f"{dotted}: "
            + unknown_name_message(f"{type(entry).__name__} parameter", name, entry.names())
        )
    return getattr(entry, name)


def _param_set(entry: ParamSet, name: str, value: Any, dotted: str) -> ParamSet:
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
    # juvenile cells have ~6x smaller input conductance (Rin ~27 vs 4.5 MOhm)
    "connections.ia_to_mn.weight_us": 0.008,
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


def circuit_spec(age: str = "adult", **values: Any) -> CircuitSpec:
    """The default circuit for ``age``, with dotted-name ``values`` applied.

    Dotted names use ``__`` for dots in keyword form, e.g.
    ``circuit_spec("adult", connections__ia_to_mn__weight_scale=0.5)``.
    """
    if age not in AGES:
        raise ParameterError(f"unknown age {age!r}; choose one of {AGES}")
    spec = CircuitSpec(
        age=age,
        pools={m: motor_pool_params(age) for m in MUSCLES},
    )
    if age == "juvenile":
        spec = spec.with_values(JUVENILE_CIRCUIT_CHANGES)
    return spec.with_values({k.replace("__", "."): v for k, v in values.items()})
