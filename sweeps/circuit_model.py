"""The circuit as a sweep model: what :mod:`cordsim.sweeps` runs under ``model = "circuit"``.

:class:`CircuitModel` satisfies :class:`cordsim.sweeps.interface.SweepModel`:
it lists every sweepable dotted name with its type, range, default and unit,
and runs one (parameters, protocol, seed) point as a full simulation whose
phenotype metrics (:func:`cordsim.analysis.metrics`) and spikes go back to the
engine. It is registered as ``"circuit"`` (the default model of a sweep spec,
see :mod:`cordsim.sweeps.registry`); :func:`circuit_model` is its factory.

Importing this module does not load NEURON: :meth:`CircuitModel.run_point`
and :meth:`CircuitModel.versions` import the simulator when they run (and
building a model loads the protocol classes, which do).

Parameter names
---------------
``<dotted spec name>``
    Every name of :meth:`CircuitSpec.parameter_names
    <cordsim.models.circuit.CircuitSpec.parameter_names>`
    (``pools.flexor.n_cells``, ``connections.ia_to_mn.weight_scale``,
    ``drives.background_exc_rate_hz``, ...), with the unit and the allowed
    range of its parameter table; the default is the base spec's value.
    ``mn_scale.<p>``, ``iain_scale.<p>``, ``rc_scale.<p>`` are factors
    (dimensionless, 0-10) on a cell parameter ``<p>``, default 1.
``mn_model``
    The motor neuron model of the pools, ``"detailed"`` (the reference) or
    ``"reduced"`` (experimental, faster; see
    :mod:`cordsim.models.cells.reduced_motor_neuron`); default: the base
    spec's. A sweep may hold it fixed (a screening run) or compare both.
``profile.<P>.scale``
    Strength (0-1) of mutation profile ``<P>`` (each profile of
    :data:`~cordsim.models.profiles.PROFILES` that has changes); default 1 for
    the sweep's own ``profile`` and 0 for the others.
``profile.<P>.only``
    Which of ``<P>``'s changes ``profile.<P>.scale`` applies to: ``"all"``
    (default), ``"none"``, one change's name, ``"drg_only"`` / ``"spinal_only"``
    (the DRG-side or spinal-side changes together), or ``"without_<change>"``
    (every change but that one). A single categorical axis that runs "each
    change alone" and "the profile without each change" (and "none": the
    reference) in one grid.
``profile.<P>.<change>.scale``
    Strength (0-1) of one change of ``<P>``; when given it overrides the
    profile scale for that change (default: the change follows
    ``profile.<P>.scale`` and ``profile.<P>.only``). Set one of these to 1 in
    a wild-type sweep to apply that change alone, or to 0 in a mutant sweep to
    leave it out.
``protocol.<name>.<param>``
    Numeric parameters of each protocol (``protocol.reflex.n_pulses``,
    ``protocol.rest.tstop_ms``, ...), with the protocol's units and ranges; a
    point uses only those of the protocol it runs. A list-valued parameter
    (``protocol.cord_reflex.rates_hz``) takes comma-separated numbers as one
    string value (``"10"``, ``"0.1,1,5,10"``).

How a point is made
-------------------
1. The base spec (the default adult circuit, the juvenile one, or a circuit
   TOML file);
2. the plain dotted names, set with :meth:`CircuitSpec.with_values`;
3. the profiles, change by change in profile order, each at its effective
   scale (:func:`~cordsim.models.profiles.apply_profile`), so that a profile
   acts on the swept values (``connections.ia_to_mn.weight_scale = 2`` under
   ``tor1a_spinal_drg`` gives 2 x 0.7): the same order as ``cordsim run``.
   Setting the plain values after the profile instead would silently undo the
   profile's change of any swept target;
4. the protocol, built from its ``protocol.<name>.*`` values (steps 2-4
   from one split of the point's parameters, :meth:`CircuitModel.point_inputs`);
5. :func:`~cordsim.models.simulation.simulate` with the point's seed (a fresh
   network, torn down after the run), then the metrics.

A point is a pure, deterministic function of (parameters, protocol, seed): the
same point gives bit-identical spikes in any process and after any other point
(NEURON's solver state is set anew by every run). NEURON's mechanisms are
loaded once per process, on the first point that process runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models.circuit import MN_MODELS, CircuitSpec, circuit_spec
from cordsim.models.profiles import PROFILES, apply_profile, get_profile
from cordsim.sweeps.interface import ParameterInfo, PointOutput

__all__ = [
    "PROTOCOL_NAMES",
    "SCALE_FACTOR_HIGH",
    "CircuitModel",
    "base_spec",
    "circuit_model",
]

#: The protocols a point can run (those of :mod:`cordsim.models.protocols`).
PROTOCOL_NAMES = ("rest", "reflex", "contraction", "alternation", "cord_reflex")

#: Upper bound of the ``mn_scale``/``iain_scale``/``rc_scale`` factors (dimensionless).
SCALE_FACTOR_HIGH = 10.0

#: Choices of ``profile.<P>.only`` besides the change names.
ONLY_ALL, ONLY_NONE = "all", "none"

#: Choices of ``profile.<P>.only`` that select the profile's changes of some
#: components together: the DRG side (afferents and Ia synapses; for
#: tor1a_spinal_drg these are the changes of the tor1a_drg_only profile) and
#: the spinal side (motor neurons and interneurons: tor1a_spinal_only).
ONLY_GROUPS: dict[str, tuple[str, ...]] = {
    "drg_only": ("afferent", "ia_synapse"),
    "spinal_only": ("motor_neuron", "interneuron"),
}

#: ``profile.<P>.only = "without_<change>"``: every change of ``<P>`` but that
#: one (is the change necessary for a sign of the full profile?).
WITHOUT_PREFIX = "without_"

_SCALE_HEADS = ("mn_scale", "iain_scale", "rc_scale")

#: Metrics that are defined whenever the run itself worked (NaN there means a
#: broken run, not a silent circuit), per protocol: the engine marks such a
#: point "failed". Physiological metrics that are legitimately undefined for
#: a silent pool (reflex latency, depression ratio, co-contraction index of
#: two silent pools) are not required.
_REQUIRED = {
    "rest": ("mn_rate_hz_flexor", "mn_rate_hz_extensor", "spontaneous_rate_hz"),
    "reflex": ("mn_rate_hz_flexor", "mn_rate_hz_extensor", "reflex_amplitude"),
    "contraction": (
        "mn_rate_hz_flexor",
        "mn_rate_hz_extensor",
        "agonist_rate_hz",
        "antagonist_rate_hz",
    ),
    "alternation": ("mn_rate_hz_flexor", "mn_rate_hz_extensor"),
    "cord_reflex": ("mn_rate_hz_flexor", "mn_rate_hz_extensor", "reflex_amplitude"),
}


def base_spec(base: str | Path | None = None) -> CircuitSpec:
    """The circuit a sweep starts from.

    Parameters
    ----------
    base : str or path, optional
        None: the default adult circuit; ``"adult"`` or ``"juvenile"``: that
        age's default circuit; ``"isolated_cord"``: the isolated juvenile cord
        preset; otherwise a circuit TOML file
        (:meth:`CircuitSpec.from_toml`).

    Raises
    ------
    ParameterError
        ``sweep.base: ...`` for a missing file, an unknown name, or an invalid
        circuit file.
    """
    if base is None:
        return circuit_spec("adult")
    text = str(base)
    if text in ("adult", "juvenile", "isolated_cord"):
        return circuit_spec(text)
    path = Path(text)
    if not path.is_file():
        if not text.endswith(".toml") and "/" not in text:
            raise ParameterError(
                "sweep.base: "
                + unknown_name_message("base circuit", text, ("adult", "juvenile", "isolated_cord"))
                + " (or give a circuit TOML file)"
            )
        raise ParameterError(f"sweep.base: no such circuit spec file {text!r}")
    try:
        return CircuitSpec.from_toml(path)
    except ParameterError as exc:
        raise ParameterError(f"sweep.base: {exc}") from None


def _kind(default: Any) -> type:
    if isinstance(default, bool):
        return bool
    if isinstance(default, int):
        return int
    return float


def _spec_info(spec: CircuitSpec, name: str) -> ParameterInfo:
    """ParameterInfo of one dotted spec name (metadata from its ParamSet)."""
    default = spec.get(name)
    head, _, rest = name.partition(".")
    if head in _SCALE_HEADS:
        return ParameterInfo(
            name,
            float,
            0.0,
            SCALE_FACTOR_HIGH,
            float(default),
            "1",
            f"factor on the cell parameter {rest!r} of every {head[:-6].upper()} (1 = unchanged)",
        )
    if head == "presynaptic_inhibition":
        return ParameterInfo(
            name,
            float,
            0.0,
            1.0,
            float(default),
            "1",
            "fraction by which presynaptic inhibition reduces every Ia synapse's weight",
        )
    meta = spec.field_info(name)  # resolves size aliases; ParameterError if no field
    kind = _kind(meta["default"])
    doc = meta["doc"]
    if kind is bool:
        return ParameterInfo(name, bool, None, None, bool(default), "", doc)
    return ParameterInfo(
        name,
        kind,
        meta.get("low"),
        meta.get("high"),
        kind(default),
        meta.get("unit") or "1",
        doc,
    )


def _protocol_infos() -> list[ParameterInfo]:
    from cordsim.models.protocols import PROTOCOLS

    infos = []
    for pname in PROTOCOL_NAMES:
        cls = PROTOCOLS[pname]
        for leaf, meta in cls.field_info().items():
            default = meta["default"]
            if isinstance(default, tuple):  # a list of numbers, swept as "10" or "0.1,1,5,10"
                infos.append(
                    ParameterInfo(
                        f"protocol.{pname}.{leaf}",
                        str,
                        default=_list_text(default),
                        unit=meta.get("unit") or "1",
                        doc=(meta.get("doc") or f"{cls.__name__}.{leaf}")
                        + " (comma-separated numbers)",
                    )
                )
                continue
            if isinstance(default, bool | str):
                continue
            kind = _kind(default)
            infos.append(
                ParameterInfo(
                    f"protocol.{pname}.{leaf}",
                    kind,
                    meta.get("low"),
                    meta.get("high"),
                    kind(default),
                    meta.get("unit") or "1",
                    meta.get("doc") or f"{cls.__name__}.{leaf} of the {pname!r} protocol",
                )
            )
    return infos


def _list_text(values: tuple) -> str:
    """``(0.1, 1.0)`` -> ``"0.1,1"``: a list-valued protocol parameter as a sweep value."""
    return ",".join(f"{float(v):g}" for v in values)


def _parse_list(name: str, text: str) -> tuple[float, ...]:
    """``"0.1,1"`` -> ``(0.1, 1.0)``; a clear error naming the parameter otherwise."""
    try:
        values = tuple(float(x) for x in str(text).split(","))
    except ValueError:
        raise ParameterError(
            f"{name} = {text!r}: expected comma-separated numbers, e.g. '0.1,1,5,10'"
        ) from None
    return values


def _profile_infos(own: str) -> list[ParameterInfo]:
    infos = []
    for pname, prof in PROFILES.items():
        if not prof.changes:
            continue
        default = 1.0 if pname == own else 0.0
        infos.append(
            ParameterInfo(
                f"profile.{pname}.scale",
                float,
                0.0,
                1.0,
                default,
                "1",
                f"strength of profile {pname!r} (0: none, 1: full effect)",
            )
        )
        changes = prof.change_names()
        infos.append(
            ParameterInfo(
                f"profile.{pname}.only",
                str,
                None,
                None,
                ONLY_ALL,
                "",
                f"which changes profile.{pname}.scale applies to",
                choices=(
                    ONLY_ALL,
                    ONLY_NONE,
                    *ONLY_GROUPS,
                    *changes,
                    *(WITHOUT_PREFIX + c for c in changes),
                ),
            )
        )
        for change in changes:
            if change in ("scale", "only"):  # pragma: no cover - would shadow the above
                raise ParameterError(f"profile {pname!r}: a change may not be named {change!r}")
            infos.append(
                ParameterInfo(
                    f"profile.{pname}.{change}.scale",
                    float,
                    0.0,
                    1.0,
                    default,
                    "1",
                    f"strength of change {change!r} alone (default: follows profile.{pname}.scale)",
                )
            )
    return infos


class CircuitModel:
    """The spinal circuit behind the :class:`~cordsim.sweeps.interface.SweepModel` interface.

    Parameters
    ----------
    base : str or path, optional
        Base circuit (see :func:`base_spec`).
    profile : str
        Mutation profile applied to every point at ``profile.<profile>.scale``
        (default 1); ``"wild_type"``: none.

    Attributes
    ----------
    spec : CircuitSpec
        The base circuit (before parameters and profiles).
    """

    name = "circuit"
    #: NEURON has one global state per process: one point at a time.
    thread_safe = False

    def __init__(self, *, base: str | Path | None = None, profile: str = "wild_type") -> None:
        try:
            get_profile(profile)
        except ParameterError as exc:
            raise ParameterError(f"sweep.profile: {exc}") from None
        self.base = None if base is None else str(base)
        self.profile = profile
        self.spec = base_spec(base)
        infos = [_spec_info(self.spec, n) for n in self.spec.parameter_names()]
        infos.append(
            ParameterInfo(
                "mn_model",
                str,
                default=self.spec.mn_model,
                doc="motor neuron model of the pools (CircuitSpec.mn_model)",
                choices=MN_MODELS,
            )
        )
        infos += _profile_infos(profile)
        infos += _protocol_infos()
        self._infos = {i.name: i for i in infos}

    # ------------------------------------------------------------ interface
    def parameters(self) -> dict[str, ParameterInfo]:
        """Every sweepable name (see the module docstring) with its ParameterInfo."""
        return dict(self._infos)

    def protocols(self) -> tuple[str, ...]:
        """``("rest", "reflex", "contraction", "alternation")``."""
        return PROTOCOL_NAMES

    def profiles(self) -> tuple[str, ...]:
        """Names accepted as the sweep's ``profile`` (those of :data:`PROFILES`)."""
        return tuple(PROFILES)

    def required_metrics(self, protocol: str) -> tuple[str, ...]:
        """Metrics whose NaN marks a point of ``protocol`` as failed (a broken run)."""
        return _REQUIRED.get(protocol, ())

    def versions(self) -> dict[str, str]:
        """cordsim and NEURON versions and the hash of the NMODL mechanisms."""
        import neuron

        from cordsim import __version__
        from cordsim.mechanisms import mechanisms_hash

        return {
            "cordsim": __version__,
            "neuron": str(neuron.__version__),
            "mechanisms": mechanisms_hash(),
        }

    def preflight(self) -> None:
        """Compile the NMODL mechanisms if needed, in the sweep's own process.

        Called once by the engine before any worker starts, so that a broken
        or unwritable mechanism cache is one clear error before the sweep,
        not a failure of every point, and workers never compile at once. The
        default build is the ``nrnivmodl -coreneuron`` one wherever CoreNEURON
        is installed (it serves both engines); a base spec that asks for
        CoreNEURON gets it in any case.
        """
        from cordsim.mechanisms import ensure_compiled

        ensure_compiled(coreneuron=True if self.spec.solver.engine == "coreneuron" else None)

    def resource_estimate(self, params: Mapping[str, object]) -> Any:
        """Size and memory of a point's circuit (no NEURON; see :mod:`cordsim.models.resources`)."""
        from cordsim.models.resources import estimate_resources

        return estimate_resources(self.point_spec(params))

    # ------------------------------------------------------------ points
    def split_params(
        self, params: Mapping[str, object]
    ) -> tuple[dict[str, Any], dict[str, float], dict[str, dict[str, Any]]]:
        """Sort a point's parameters into spec values, change scales and protocol values.

        Returns
        -------
        spec_values : dict
            Plain dotted spec names -> values.
        change_scales : dict
            ``"<profile>.<change>"`` -> effective scale (0-1) of every change
            of every profile with changes (0: not applied).
        protocol_values : dict
            Protocol name -> ``{parameter: value}``.

        Raises
        ------
        ParameterError
            For an unknown name (with the closest valid one) or an invalid value.
        """
        spec_values: dict[str, Any] = {}
        protocol_values: dict[str, dict[str, Any]] = {p: {} for p in PROTOCOL_NAMES}
        profile_params: dict[str, Any] = {}
        for key, value in params.items():
            if key not in self._infos:
                raise ParameterError(
                    f"parameter {key!r}: " + unknown_name_message("parameter", key, self._infos)
                )
            head, _, rest = key.partition(".")
            if head == "protocol":
                pname, _, leaf = rest.partition(".")
                protocol_values[pname][leaf] = value
            elif head == "profile":
                profile_params[key] = value
            else:
                spec_values[key] = value
        scales: dict[str, float] = {}
        for pname, prof in PROFILES.items():
            if not prof.changes:
                continue
            s = float(profile_params.get(f"profile.{pname}.scale", self._default_scale(pname)))
            only = profile_params.get(f"profile.{pname}.only", ONLY_ALL)
            choices = self._infos[f"profile.{pname}.only"].choices or ()
            if only not in choices:
                raise ParameterError(
                    f"profile.{pname}.only: " + unknown_name_message("value", str(only), choices)
                )
            for item in prof.changes:
                change = item.name
                key = f"profile.{pname}.{change}.scale"
                if key in profile_params:
                    c = float(profile_params[key])
                else:
                    chosen = (
                        only in (ONLY_ALL, change)
                        or item.component in ONLY_GROUPS.get(only, ())
                        or (only.startswith(WITHOUT_PREFIX) and only != WITHOUT_PREFIX + change)
                    )
                    c = s if chosen else 0.0
                if not 0.0 <= c <= 1.0 or math.isnan(c):
                    raise ParameterError(f"{key} = {c} must be within [0, 1]")
                scales[f"{pname}.{change}"] = c
        return spec_values, scales, protocol_values

    def _default_scale(self, profile: str) -> float:
        return 1.0 if profile == self.profile else 0.0

    def point_inputs(self, params: Mapping[str, object], protocol: str) -> tuple[CircuitSpec, Any]:
        """The circuit spec and the configured protocol object of a point.

        The point's parameters are split once (:meth:`split_params`): the spec
        is the base, the plain values, then the profiles (see the module
        docstring); the protocol gets its ``protocol.<name>.*`` values.

        Raises
        ------
        ParameterError
            For an unknown protocol or parameter name, or an invalid value.
        """
        spec_values, scales, protocol_values = self.split_params(params)
        spec = self._spec_of(spec_values, scales)
        self._check_protocol(protocol)
        return spec, self._protocol_of(protocol, protocol_values[protocol])

    def point_spec(self, params: Mapping[str, object]) -> CircuitSpec:
        """The circuit spec of a point: base, plain values, then profiles (see module doc)."""
        spec_values, scales, _ = self.split_params(params)
        return self._spec_of(spec_values, scales)

    def point_protocol(self, params: Mapping[str, object], protocol: str) -> Any:
        """The configured protocol object of a point (its ``protocol.<name>.*`` values)."""
        self._check_protocol(protocol)
        _, _, protocol_values = self.split_params(params)
        return self._protocol_of(protocol, protocol_values[protocol])

    @staticmethod
    def _check_protocol(protocol: str) -> None:
        if protocol not in PROTOCOL_NAMES:
            raise ParameterError(unknown_name_message("protocol", protocol, PROTOCOL_NAMES))

    def _spec_of(self, spec_values: Mapping[str, Any], scales: Mapping[str, float]) -> CircuitSpec:
        spec = self.spec.with_values(spec_values) if spec_values else self.spec
        for key, s in scales.items():
            if s > 0.0:
                pname, _, change = key.partition(".")
                spec = apply_profile(spec, pname, s, only=change)
        return spec

    @staticmethod
    def _protocol_of(protocol: str, values: Mapping[str, Any]) -> Any:
        from cordsim.models.protocols import PROTOCOLS, make_protocol

        fields = PROTOCOLS[protocol].field_info()
        values = {
            k: _parse_list(f"protocol.{protocol}.{k}", v)
            if isinstance(fields.get(k, {}).get("default"), tuple)
            else v
            for k, v in values.items()
        }
        try:
            return make_protocol(protocol, **values)
        except ParameterError as exc:
            raise ParameterError(f"protocol {protocol!r}: {exc}") from None

    def run_point(self, params: Mapping[str, object], protocol: str, seed: int) -> PointOutput:
        """Simulate one point and return its metrics (floats) and spikes.

        Parameters
        ----------
        params : mapping of str to value
            Names of :meth:`parameters`; the others keep their defaults.
        protocol : str
            One of :meth:`protocols`.
        seed : int
            Seed of the circuit's random streams (>= 0).

        Returns
        -------
        PointOutput
            ``metrics``: every key of :data:`cordsim.analysis.METRIC_KEYS`
            as float (NaN where undefined); ``spikes``: ``time_ms``, ``gid``,
            ``population``.
        """
        from cordsim.analysis import metrics
        from cordsim.mechanisms import load
        from cordsim.models.simulation import simulate

        spec, proto = self.point_inputs(params, protocol)
        load()  # once per process (a no-op after the first call)
        result = simulate(spec, proto, int(seed))
        row = {k: float(v) for k, v in metrics(result).items()}
        return PointOutput(metrics=row, spikes=result.spikes)

    def __repr__(self) -> str:
        return f"CircuitModel(base={self.base!r}, profile={self.profile!r})"


def circuit_model(*, base: str | Path | None = None, profile: str = "wild_type") -> CircuitModel:
    """Factory of the ``"circuit"`` sweep model (see :class:`CircuitModel`)."""
    return CircuitModel(base=base, profile=profile)
