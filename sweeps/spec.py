"""Sweep specs: TOML (or Python objects) -> a validated, frozen :class:`SweepSpec`.

The TOML format::

    [sweep]
    name = "ia-weight-vs-profile"
    model = "circuit"            # registered sweep model (default "circuit")
    base = "adult.toml"          # optional base circuit spec: a path (relative to
                                 # this file) or a name the model knows
    profile = "wild_type"        # mutation profile (default "wild_type")
    protocols = ["reflex"]       # one or more of the model's protocols
    seeds = [1, 2, 3]            # replicate seeds ... or: replicates = 3, seed = 0
    sampling = "grid"            # "grid" | "random" | "lhs" | "sobol" | "morris"
    n_samples = 64               # random/lhs/sobol only (sobol: a power of 2)
    trajectories = 10            # morris only: r trajectories, r * (k + 1) samples
    levels = 4                   # morris only: grid levels per parameter (even)
    sampling_seed = 0            # seeds the sampler: identical points every time
    sensitivity = false          # sobol only: SALib's Saltelli design instead
    second_order = false         # with sensitivity: also second-order indices
    required_metrics = ["latency_ms"]  # optional: NaN here -> point "failed"
                                       # (default: the model's own list)

    [parameters."connections.ia_to_mn.weight_scale"]
    low = 0.5
    high = 2.0
    steps = 4                    # grid only; random/lhs/sobol/morris sample [low, high]
    log = false                  # optional: spaced/sampled in log scale

    [parameters."pools.flexor.n_cells"]
    values = [50, 100]           # explicit values (any sampling; see sampling.py)

    [output]
    folder = "results/ia-weight" # relative to the working directory

Everything is validated before any simulation, against the model's own table
of parameters (:meth:`~cordsim.sweeps.interface.SweepModel.parameters`); the first
problem raises :class:`SweepSpecError` (a
:class:`~cordsim.errors.ParameterError`) with a one-line message that
names the key, e.g. ``parameters."toy.rate_hzz": unknown parameter
'toy.rate_hzz'; did you mean 'toy.rate_hz'?``.

Choices made here:

- A Sobol ``n_samples`` that is not a power of 2 is an **error** (it would
  break the balance of the sequence; the message suggests the nearest powers).
- ``replicates = R, seed = S`` derives the seeds
  ``SeedSequence(S).generate_state(R)`` (uint32); growing R keeps the first seeds.
- Numbers are checked strictly: a float for an ``int`` parameter (``10.0``) or
  an integer for a ``bool`` is refused; integers are accepted for floats.
- Neither ``seeds`` nor ``replicates``: one seed, 0.
- ``sampling = "morris"`` (elementary-effects screening, SALib's Morris
  design) takes ``trajectories`` (r >= 2, default 10) and ``levels`` (even,
  >= 2, default 4) instead of ``n_samples``: the design has r * (k + 1)
  samples for k varied parameters. Every varied parameter must be a range: a
  ``values`` list of several entries (a categorical factor) has no elementary
  effect and is refused; a single value (fixed) is fine.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.files import TOMLDecodeError, loads_toml
from cordsim.sweeps.registry import get_model

__all__ = [
    "SAMPLING_METHODS",
    "ParameterSpec",
    "SweepSpec",
    "SweepSpecError",
    "load_spec",
    "spec_from_dict",
    "spec_hash",
    "validate_spec",
]

SAMPLING_METHODS = ("grid", "random", "lhs", "sobol", "morris")

#: Defaults of the Morris design (``sampling = "morris"``).
MORRIS_TRAJECTORIES = 10
MORRIS_LEVELS = 4

#: Column names of the results table that parameters may not use.
RESERVED_COLUMNS = frozenset(
    {"point_id", "sample", "seed", "protocol", "status", "error", "wall_time_s"}
)

_SWEEP_KEYS = (
    "name", "model", "base", "profile", "protocols", "seeds", "replicates", "seed",
    "sampling", "n_samples", "sampling_seed", "sensitivity", "second_order",
    "trajectories", "levels", "required_metrics",
)  # fmt: skip
_PARAM_KEYS = ("values", "low", "high", "steps", "log")
_OUTPUT_KEYS = ("folder",)
_TOP_KEYS = ("sweep", "parameters", "output")


class SweepSpecError(ParameterError):
    """A sweep spec that cannot be run; the message names the offending key."""


def _q(name: str) -> str:
    """``parameters."dotted.name"`` as TOML would write the key."""
    return f'parameters."{name}"'


def _typename(v: object) -> str:
    return type(v).__name__


@dataclass(frozen=True)
class ParameterSpec:
    """One varied (or fixed) parameter of a sweep.

    Give either ``values`` (explicit list) or ``low`` and ``high`` (a range,
    with ``steps`` for a grid; ``log`` for log spacing/sampling).
    """

    name: str
    values: tuple[Any, ...] | None = None
    low: float | int | None = None
    high: float | int | None = None
    steps: int | None = None
    log: bool = False

    def __post_init__(self) -> None:
        if self.values is not None and not isinstance(self.values, tuple):
            if isinstance(self.values, (str, bytes)) or not isinstance(self.values, Sequence):
                raise SweepSpecError(
                    f"{_q(self.name)}.values: expected a list, got {_typename(self.values)}"
                )
            object.__setattr__(self, "values", tuple(self.values))

    @property
    def is_range(self) -> bool:
        return self.values is None

    @property
    def varied(self) -> bool:
        """True unless the parameter is fixed (a single value)."""
        return self.values is None or len(self.values) > 1

    def to_dict(self) -> dict[str, Any]:
        if self.values is not None:
            return {"values": list(self.values)}
        d: dict[str, Any] = {"low": self.low, "high": self.high}
        if self.steps is not None:
            d["steps"] = self.steps
        if self.log:
            d["log"] = True
        return d


@dataclass(frozen=True)
class SweepSpec:
    """A sweep: model, protocols, seeds, sampling and the parameters to vary.

    Build it from TOML with :func:`load_spec`, or directly in Python; then
    :func:`validate_spec` checks it against the model (``run_sweep`` does it).
    ``parameters`` accepts a tuple of :class:`ParameterSpec` or a mapping of
    name to ``ParameterSpec``, to a list of values, or to a dict with the TOML
    keys (``{"low": 0, "high": 1, "steps": 3}``).
    """

    name: str
    parameters: tuple[ParameterSpec, ...] = ()
    model: str = "circuit"
    base: str | None = None
    profile: str = "wild_type"
    protocols: tuple[str, ...] = ("reflex",)
    seeds: tuple[int, ...] | None = None
    replicates: int | None = None
    seed: int = 0
    sampling: str = "grid"
    n_samples: int | None = None
    sampling_seed: int = 0
    sensitivity: bool = False
    second_order: bool = False
    trajectories: int | None = None
    levels: int | None = None
    required_metrics: tuple[str, ...] | None = None
    output: str | None = None
    source: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        params = self.parameters
        if isinstance(params, Mapping):
            params = tuple(_param_from_obj(k, v) for k, v in params.items())
        elif isinstance(params, (list, tuple)):
            if not all(isinstance(p, ParameterSpec) for p in params):
                raise SweepSpecError("parameters: expected ParameterSpec objects or a mapping")
            params = tuple(params)
        else:
            raise SweepSpecError(
                f"parameters: expected a table of parameters, got {_typename(params)}"
            )
        object.__setattr__(self, "parameters", params)
        for attr in ("protocols", "seeds", "required_metrics"):
            v = getattr(self, attr)
            if isinstance(v, str):
                v = (v,)
            if v is not None and not isinstance(v, tuple):
                if not isinstance(v, Sequence):
                    raise SweepSpecError(f"sweep.{attr}: expected a list, got {_typename(v)}")
                v = tuple(v)
            object.__setattr__(self, attr, v)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    @property
    def varied_parameters(self) -> tuple[ParameterSpec, ...]:
        return tuple(p for p in self.parameters if p.varied)

    def resolved_seeds(self) -> tuple[int, ...]:
        """The replicate seeds (explicit, or derived from ``replicates``/``seed``)."""
        if self.seeds is not None:
            return tuple(int(s) for s in self.seeds)
        if self.replicates is not None:
            state = np.random.SeedSequence(int(self.seed)).generate_state(int(self.replicates))
            return tuple(int(s) for s in state)
        return (0,)

    def to_dict(self, *, include_output: bool = True) -> dict[str, Any]:
        """The resolved spec as TOML-ready data (seeds explicit, Nones left out)."""
        sweep: dict[str, Any] = {"name": self.name, "model": self.model}
        if self.base is not None:
            sweep["base"] = self.base
        sweep["profile"] = self.profile
        sweep["protocols"] = list(self.protocols)
        sweep["seeds"] = list(self.resolved_seeds())
        sweep["sampling"] = self.sampling
        if self.n_samples is not None:
            sweep["n_samples"] = self.n_samples
        sweep["sampling_seed"] = self.sampling_seed
        if self.sensitivity:
            sweep["sensitivity"] = True
            sweep["second_order"] = self.second_order
        if self.trajectories is not None:
            sweep["trajectories"] = self.trajectories
        if self.levels is not None:
            sweep["levels"] = self.levels
        if self.required_metrics is not None:
            sweep["required_metrics"] = list(self.required_metrics)
        d: dict[str, Any] = {
            "sweep": sweep,
            "parameters": {p.name: p.to_dict() for p in self.parameters},
        }
        if include_output and self.output is not None:
            d["output"] = {"folder": self.output}
        return d

    def to_toml(self) -> str:
        """The resolved spec as TOML text (``tomli_w``)."""
        import tomli_w

        return tomli_w.dumps(self.to_dict())

    def replace(self, **changes: Any) -> SweepSpec:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)


def _param_from_obj(name: str, obj: Any) -> ParameterSpec:
    if isinstance(obj, ParameterSpec):
        if obj.name != name:
            raise SweepSpecError(f"{_q(name)}: ParameterSpec is named {obj.name!r}")
        return obj
    if isinstance(obj, Mapping):
        _check_keys(obj, _PARAM_KEYS, _q(name), "key")
        return ParameterSpec(name=name, **dict(obj))
    if isinstance(obj, (list, tuple)):
        return ParameterSpec(name=name, values=tuple(obj))
    raise SweepSpecError(
        f"{_q(name)}: expected a table with 'values' or 'low'/'high', got {_typename(obj)}"
    )


def _flatten_parameters(tables: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``[parameters."a.b"]`` and ``[parameters.a.b]`` (nested tables) both give ``"a.b"``."""
    out: dict[str, Any] = {}
    for key, table in tables.items():
        name = f"{prefix}{key}"
        is_leaf = (
            not isinstance(table, Mapping) or not table or any(k in table for k in _PARAM_KEYS)
        )
        if is_leaf or not all(isinstance(v, Mapping) for v in table.values()):
            if not isinstance(table, Mapping):
                raise SweepSpecError(
                    f"{_q(name)}: expected a table with 'values' or 'low'/'high', "
                    f"got {_typename(table)}"
                )
            out[name] = table
        else:
            out.update(_flatten_parameters(table, prefix=f"{name}."))
    return out


def _check_keys(table: Mapping[str, Any], valid: Sequence[str], where: str, kind: str) -> None:
    for key in table:
        if key not in valid:
            prefix = f"{where}." if where else ""
            raise SweepSpecError(f"{prefix}{key}: " + unknown_name_message(kind, key, valid))


# ----------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------


def load_spec(path: str | os.PathLike[str], *, validate: bool = True) -> SweepSpec:
    """Read a sweep spec from a TOML file and (by default) validate it in full.

    Raises
    ------
    SweepSpecError
        One line naming the file and the problem: unreadable file, TOML syntax
        error (with the parser's line and column), unknown or missing key,
        wrong type, value out of range, unknown model/protocol/profile/method.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SweepSpecError(f"cannot read sweep spec {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SweepSpecError(f"cannot read sweep spec {path}: not UTF-8 text ({exc})") from None
    try:
        data = loads_toml(text)
    except TOMLDecodeError as exc:
        raise SweepSpecError(f"invalid TOML in sweep spec {path}: {exc}") from None
    try:
        spec = spec_from_dict(data, source=str(path))
        return validate_spec(spec) if validate else spec
    except ParameterError as exc:  # SweepSpecError, or the model's own (e.g. profile)
        raise SweepSpecError(f"sweep spec {path}: {exc}") from None


def spec_from_dict(data: Mapping[str, Any], *, source: str | None = None) -> SweepSpec:
    """Build a :class:`SweepSpec` from TOML-shaped data (checks keys and structure)."""
    if not isinstance(data, Mapping):
        raise SweepSpecError("expected a table with [sweep] and [parameters]")
    _check_keys(data, _TOP_KEYS, "", "table")
    if "sweep" not in data:
        raise SweepSpecError("missing table [sweep]")
    sweep = data["sweep"]
    if not isinstance(sweep, Mapping):
        raise SweepSpecError("sweep: expected a table")
    _check_keys(sweep, _SWEEP_KEYS, "sweep", "key")
    if "name" not in sweep:
        raise SweepSpecError("sweep.name: missing key")
    params = data.get("parameters", {})
    if not isinstance(params, Mapping):
        raise SweepSpecError("parameters: expected a table")
    params = _flatten_parameters(params)
    output = data.get("output", {})
    if not isinstance(output, Mapping):
        raise SweepSpecError("output: expected a table")
    _check_keys(output, _OUTPUT_KEYS, "output", "key")
    kwargs = dict(sweep)
    return SweepSpec(parameters=params, output=output.get("folder"), source=source, **kwargs)


# ----------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------


def _check_int(v: Any, key: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise SweepSpecError(f"{key}: expected an integer, got {v!r} ({_typename(v)})")
    v = int(v)
    if minimum is not None and v < minimum:
        raise SweepSpecError(f"{key}: must be >= {minimum}, got {v}")
    if maximum is not None and v > maximum:
        raise SweepSpecError(f"{key}: must be <= {maximum}, got {v}")
    return v


def _check_str(v: Any, key: str) -> str:
    if not isinstance(v, str) or not v:
        raise SweepSpecError(f"{key}: expected a non-empty string, got {v!r}")
    return v


def _check_bool(v: Any, key: str) -> bool:
    if not isinstance(v, (bool, np.bool_)):
        raise SweepSpecError(f"{key}: expected true or false, got {v!r} ({_typename(v)})")
    return bool(v)


def _coerce_value(info: Any, v: Any, key: str) -> Any:
    """Check one value against a ParameterInfo; return it as the canonical type."""
    kind = info.kind
    if kind is bool:
        return _check_bool(v, key)
    if kind is str:
        if not isinstance(v, str):
            raise SweepSpecError(f"{key}: expected a string, got {v!r} ({_typename(v)})")
        if info.choices is not None and v not in info.choices:
            raise SweepSpecError(f"{key}: " + unknown_name_message("value", v, info.choices))
        return v
    if kind is int:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise SweepSpecError(
                f"{key}: expected an integer for {info.name!r}, got {v!r} ({_typename(v)})"
            )
        v = int(v)
    else:
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise SweepSpecError(
                f"{key}: expected a number for {info.name!r}, got {v!r} ({_typename(v)})"
            )
        v = float(v)
        if not math.isfinite(v):
            raise SweepSpecError(f"{key}: expected a finite number, got {v}")
    lo, hi = info.low, info.high
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        unit = f" {info.unit}" if info.unit and info.unit != "1" else ""
        raise SweepSpecError(
            f"{key}: {v!r} is outside the allowed range [{lo}, {hi}]{unit} of {info.name!r}"
        )
    return v


def _validate_parameter(p: ParameterSpec, info: Any, sampling: str) -> ParameterSpec:
    key = _q(p.name)
    if p.name in RESERVED_COLUMNS:
        raise SweepSpecError(f"{key}: the name is reserved for a results column")
    if p.values is not None:
        for k in ("low", "high", "steps"):
            if getattr(p, k) is not None:
                raise SweepSpecError(f"{key}.{k}: give either 'values' or 'low'/'high', not both")
        if p.log:
            raise SweepSpecError(f"{key}.log: only used with 'low'/'high'")
        if not p.values:
            raise SweepSpecError(f"{key}.values: empty list")
        values = tuple(_coerce_value(info, v, f"{key}.values") for v in p.values)
        if len(set(values)) != len(values):
            raise SweepSpecError(f"{key}.values: duplicate values")
        return ParameterSpec(name=p.name, values=values)
    if p.low is None and p.high is None:
        raise SweepSpecError(f"{key}: missing key 'values' (a list) or 'low'/'high' (a range)")
    for k in ("low", "high"):
        if getattr(p, k) is None:
            raise SweepSpecError(f"{key}.{k}: missing key (a range needs 'low' and 'high')")
    if info.kind not in (float, int):
        raise SweepSpecError(
            f"{key}: {info.name!r} is a {info.kind.__name__}; give 'values' instead of a range"
        )
    low = _coerce_value(info, p.low, f"{key}.low")
    high = _coerce_value(info, p.high, f"{key}.high")
    if not low < high:
        raise SweepSpecError(f"{key}: low ({low}) must be < high ({high})")
    log = _check_bool(p.log, f"{key}.log")
    if log and low <= 0:
        raise SweepSpecError(f"{key}.log: a log range needs low > 0, got {low}")
    steps = p.steps
    if sampling == "grid":
        if steps is None:
            raise SweepSpecError(f"{key}.steps: missing key (a grid range needs 'steps')")
        steps = _check_int(steps, f"{key}.steps", minimum=1)
    elif steps is not None:
        raise SweepSpecError(
            f'{key}.steps: only used with sampling = "grid" (here {sampling!r} samples the range)'
        )
    return ParameterSpec(name=p.name, low=low, high=high, steps=steps, log=log)


def validate_spec(spec: SweepSpec, model: Any = None) -> SweepSpec:
    """Check ``spec`` in full against ``model`` and return it with canonical values.

    ``model`` defaults to this process's instance of ``spec.model`` (see
    :func:`cordsim.sweeps.registry.get_model`). Raises :class:`SweepSpecError` on
    the first problem; never runs a simulation.
    """
    _check_str(spec.name, "sweep.name")
    _check_str(spec.model, "sweep.model")
    _check_str(spec.profile, "sweep.profile")
    base = spec.base
    if base is not None:
        _check_str(base, "sweep.base")
        base = _resolve_base(base, spec.source)
    if spec.sampling not in SAMPLING_METHODS:
        raise SweepSpecError(
            "sweep.sampling: "
            + unknown_name_message("sampling method", str(spec.sampling), SAMPLING_METHODS)
        )
    sampling_seed = _check_int(spec.sampling_seed, "sweep.sampling_seed", minimum=0)
    sensitivity = _check_bool(spec.sensitivity, "sweep.sensitivity")
    second_order = _check_bool(spec.second_order, "sweep.second_order")
    if sensitivity and spec.sampling != "sobol":
        raise SweepSpecError(f'sweep.sensitivity: needs sampling = "sobol" (got {spec.sampling!r})')
    if second_order and not sensitivity:
        raise SweepSpecError("sweep.second_order: only used with sensitivity = true")
    trajectories, levels = _check_morris(spec)
    n_samples = spec.n_samples
    if spec.sampling == "grid":
        if n_samples is not None:
            raise SweepSpecError('sweep.n_samples: not used with sampling = "grid"')
    elif spec.sampling == "morris":
        if n_samples is not None:
            raise SweepSpecError(
                'sweep.n_samples: not used with sampling = "morris" (the design has '
                "trajectories x (parameters + 1) samples; set sweep.trajectories)"
            )
    else:
        if n_samples is None:
            raise SweepSpecError(f"sweep.n_samples: missing key (needed by {spec.sampling!r})")
        n_samples = _check_int(n_samples, "sweep.n_samples", minimum=1)
        if spec.sampling == "sobol" and n_samples & (n_samples - 1):
            lo = 1 << (n_samples.bit_length() - 1)
            raise SweepSpecError(
                f"sweep.n_samples: Sobol sampling needs a power of 2, got {n_samples} "
                f"(try {lo} or {2 * lo})"
            )
    if not spec.protocols:
        raise SweepSpecError("sweep.protocols: empty list")
    for p in spec.protocols:
        _check_str(p, "sweep.protocols")
    if len(set(spec.protocols)) != len(spec.protocols):
        raise SweepSpecError("sweep.protocols: duplicate names")
    seeds = spec.seeds
    replicates = spec.replicates
    if seeds is not None and replicates is not None:
        raise SweepSpecError("sweep.replicates: give either 'seeds' or 'replicates', not both")
    if seeds is not None:
        if not seeds:
            raise SweepSpecError("sweep.seeds: empty list")
        seeds = tuple(_check_int(s, "sweep.seeds", minimum=0, maximum=2**32 - 1) for s in seeds)
        if len(set(seeds)) != len(seeds):
            raise SweepSpecError("sweep.seeds: duplicate seeds")
    if replicates is not None:
        replicates = _check_int(replicates, "sweep.replicates", minimum=1)
    seed = _check_int(spec.seed, "sweep.seed", minimum=0)
    required = spec.required_metrics
    if required is not None:
        required = tuple(_check_str(m, "sweep.required_metrics") for m in required)
    if spec.output is not None:
        _check_str(spec.output, "output.folder")

    if model is None:
        try:
            model = get_model(spec.model, base=base, profile=spec.profile)
        except SweepSpecError:
            raise
        except ParameterError as exc:
            raise SweepSpecError(str(exc)) from None
    protocols = tuple(model.protocols())
    for p in spec.protocols:
        if p not in protocols:
            raise SweepSpecError(
                "sweep.protocols: " + unknown_name_message("protocol", p, protocols)
            )
    profiles = getattr(model, "profiles", None)
    if callable(profiles) and spec.profile not in tuple(profiles()):
        raise SweepSpecError(
            "sweep.profile: " + unknown_name_message("profile", spec.profile, tuple(profiles()))
        )

    infos = model.parameters()
    names = [p.name for p in spec.parameters]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise SweepSpecError(f"{_q(dup)}: given twice")
    params = []
    for p in spec.parameters:
        if p.name not in infos:
            raise SweepSpecError(
                f"{_q(p.name)}: " + unknown_name_message("parameter", p.name, infos)
            )
        params.append(_validate_parameter(p, infos[p.name], spec.sampling))
    if spec.sampling != "grid" and not any(p.varied for p in params):
        raise SweepSpecError(
            f"parameters: sampling = {spec.sampling!r} needs at least one parameter with a "
            "range or several values"
        )
    if spec.sampling == "morris":
        for p in params:
            if p.values is not None and len(p.values) > 1:
                raise SweepSpecError(
                    f'{_q(p.name)}.values: sampling = "morris" needs a range (low/high) for '
                    "every varied parameter; a list of several values is a categorical factor "
                    "without elementary effects (fix it to one value, or run one sweep per value)"
                )

    return dataclasses.replace(
        spec,
        parameters=tuple(params),
        base=spec.base,
        seeds=seeds,
        replicates=replicates,
        seed=seed,
        n_samples=n_samples,
        sampling_seed=sampling_seed,
        sensitivity=sensitivity,
        second_order=second_order,
        trajectories=trajectories,
        levels=levels,
        required_metrics=required,
    )


def _check_morris(spec: SweepSpec) -> tuple[int | None, int | None]:
    """``trajectories`` and ``levels``: defaults for morris, refused for other samplings."""
    if spec.sampling != "morris":
        for key in ("trajectories", "levels"):
            if getattr(spec, key) is not None:
                raise SweepSpecError(
                    f'sweep.{key}: only used with sampling = "morris" (got {spec.sampling!r})'
                )
        return None, None
    trajectories = spec.trajectories if spec.trajectories is not None else MORRIS_TRAJECTORIES
    trajectories = _check_int(trajectories, "sweep.trajectories", minimum=2)
    levels = _check_int(
        spec.levels if spec.levels is not None else MORRIS_LEVELS, "sweep.levels", minimum=2
    )
    if levels % 2:
        raise SweepSpecError(
            f"sweep.levels: Morris sampling needs an even number of levels, got {levels} "
            f"(try {levels - 1} or {levels + 1})"
        )
    return trajectories, levels


def _resolve_base(base: str, source: str | None) -> str:
    """A base given as a path (``*.toml`` or with a separator) must exist."""
    if base.endswith(".toml") or "/" in base or os.sep in base:
        path = Path(base)
        if not path.is_absolute() and source is not None:
            path = Path(source).parent / path
        if not path.is_file():
            raise SweepSpecError(f"sweep.base: no such file {str(path)!r}")
        return str(path.resolve())
    return base


def model_base(spec: SweepSpec) -> str | None:
    """The ``base`` handed to the model factory: an absolute path, or the name as given.

    (Point ids use ``spec.base`` as written, so they do not depend on where
    the sweep runs.)
    """
    return None if spec.base is None else _resolve_base(spec.base, spec.source)


def base_digest(spec: SweepSpec) -> str | None:
    """SHA-256 of the base spec file's bytes (None when ``base`` is a name)."""
    if spec.base is None:
        return None
    try:
        path = Path(_resolve_base(spec.base, spec.source))
    except SweepSpecError:
        return None
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def spec_hash(spec: SweepSpec) -> str:
    """SHA-256 of the resolved spec (output folder excluded; base file contents included).

    Two specs with equal hashes run the same simulations; the store refuses
    to mix results of specs whose hashes differ.
    """
    payload = {"spec": spec.to_dict(include_output=False), "base_sha256": base_digest(spec)}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
