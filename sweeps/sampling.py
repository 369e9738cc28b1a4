"""Parameter designs (grid, random, Latin hypercube, Sobol, Morris) and the points of a sweep.

All functions take a *validated* :class:`~cordsim.sweeps.spec.SweepSpec`
(values already in their canonical types) and are deterministic: the same spec
gives the same points, in the same order, every time.

- ``grid``: the cartesian product of every parameter's values (``values``
  list, or ``steps`` values from ``low`` to ``high``, evenly or, with ``log``,
  geometrically spaced; integers rounded and de-duplicated), in spec order
  (the last parameter varies fastest).
- ``random``, ``lhs``, ``sobol``: ``n_samples`` points of a unit design
  (``numpy`` uniform, ``scipy.stats.qmc.LatinHypercube``, scrambled
  ``scipy.stats.qmc.Sobol``) seeded by ``sampling_seed``, one dimension per
  varied parameter, mapped to values: a range to ``[low, high]`` (uniform, or
  log-uniform with ``log``; integers uniform over ``low..high`` inclusive),
  a ``values`` list of k entries to entry ``floor(u * k)`` (a discrete factor).
- ``sobol`` with ``sensitivity = true``: SALib's Saltelli design
  (``SALib.sample.sobol.sample``) of ``n_samples`` base points, ``n * (D + 2)``
  rows (``n * (2D + 2)`` with ``second_order``), in SALib's row order, so
  :mod:`cordsim.analysis.sensitivity` can compute Sobol indices.
- ``morris``: SALib's Morris design (``SALib.sample.morris.sample``) of
  ``trajectories`` r one-at-a-time trajectories on a grid of ``levels``
  levels in unit coordinates, seeded by ``sampling_seed``: ``r * (k + 1)``
  rows for k varied parameters, in SALib's row order (trajectory by
  trajectory), mapped to values like the other designs (the top level is
  ``high``; integers as above, so an integer parameter's step is rounded
  too). :func:`cordsim.analysis.sensitivity.morris_indices` regenerates the
  same unit design from the spec to compute elementary effects.

Parameters given a single value are fixed: the same in every sample, not a
dimension of the design.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cordsim.sweeps.spec import ParameterSpec, SweepSpec

__all__ = ["Point", "design", "plan_points", "point_id", "salib_problem", "unit_design"]


@dataclass(frozen=True)
class Point:
    """One simulation of a sweep: a parameter sample, a protocol and a seed."""

    point_id: str
    sample: int
    protocol: str
    seed: int
    params: dict[str, Any] = field(hash=False)


def _plain(v: Any) -> Any:
    """numpy scalars -> Python scalars (JSON and Parquet friendly)."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v)
    return v


def point_id(
    model: str,
    params: dict[str, Any],
    protocol: str,
    seed: int,
    *,
    base: str | None = None,
    profile: str = "wild_type",
) -> str:
    """Stable id of one simulation: 16 hex chars of a SHA-256.

    The hash covers a canonical JSON (sorted keys, no whitespace, floats by
    ``repr``) of the model name, the parameters (name-sorted), the protocol,
    the seed, the base spec (as written in the sweep spec) and the profile.
    It is the same on every machine and in every process.
    """
    payload = {
        "model": model,
        "base": base,
        "profile": profile,
        "params": [[k, _plain(params[k])] for k in sorted(params)],
        "protocol": protocol,
        "seed": int(seed),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _is_int_range(p: ParameterSpec) -> bool:
    return isinstance(p.low, int) and not isinstance(p.low, bool)


def _grid_axis(p: ParameterSpec) -> list[Any]:
    if p.values is not None:
        return list(p.values)
    n = int(p.steps or 1)
    if p.log:
        axis = np.geomspace(p.low, p.high, n) if n > 1 else np.array([p.low], float)
    else:
        axis = np.linspace(p.low, p.high, n) if n > 1 else np.array([p.low], float)
    if _is_int_range(p):
        return list(dict.fromkeys(int(v) for v in np.rint(axis)))
    return [float(v) for v in axis]


def _from_unit(p: ParameterSpec, u: np.ndarray) -> list[Any]:
    """Map unit coordinates in [0, 1] to values of ``p``.

    A float range maps 1 to ``high`` (Morris levels reach it; the other
    designs stay below 1); a discrete factor or an integer range maps 1 into its
    last bin, like values just below 1.
    """
    unit = np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0)
    u = np.minimum(unit, np.nextafter(1.0, 0.0))
    if p.values is not None:
        k = len(p.values)
        idx = np.minimum(np.floor(u * k).astype(np.int64), k - 1)
        return [p.values[i] for i in idx]
    low, high = p.low, p.high
    if _is_int_range(p):
        if p.log:
            v = np.rint(np.exp(math.log(low) + u * (math.log(high) - math.log(low))))
        else:
            v = np.floor(low + u * (high - low + 1))
        return [int(x) for x in np.clip(v, low, high)]
    if p.log:
        v = np.exp(math.log(low) + unit * (math.log(high) - math.log(low)))
    else:
        v = low + unit * (high - low)
    return [float(x) for x in np.clip(v, low, high)]


def salib_problem(spec: SweepSpec) -> dict[str, Any]:
    """SALib's ``problem`` for the varied parameters (unit bounds; see module doc)."""
    names = [p.name for p in spec.varied_parameters]
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def _qmc_rng_kwargs(cls: Any, seed: int) -> dict[str, Any]:
    import inspect

    params = inspect.signature(cls.__init__).parameters
    return {"rng": seed} if "rng" in params else {"seed": seed}


def unit_design(spec: SweepSpec) -> np.ndarray:
    """The design in unit coordinates, shape ``(rows, n_varied)`` (not for grids)."""
    d = len(spec.varied_parameters)
    n = int(spec.n_samples or 0)
    seed = int(spec.sampling_seed)
    if spec.sampling == "random":
        return np.random.default_rng(seed).random((n, d))
    from scipy.stats import qmc

    if spec.sampling == "lhs":
        return qmc.LatinHypercube(d, **_qmc_rng_kwargs(qmc.LatinHypercube, seed)).random(n)
    if spec.sampling == "sobol":
        if spec.sensitivity:
            from SALib.sample import sobol as salib_sobol

            return salib_sobol.sample(
                salib_problem(spec), n, calc_second_order=bool(spec.second_order), seed=seed
            )
        engine = qmc.Sobol(d, scramble=True, **_qmc_rng_kwargs(qmc.Sobol, seed))
        return engine.random_base2(int(math.log2(n)))
    if spec.sampling == "morris":
        from cordsim.analysis.sensitivity import morris_design

        return morris_design(salib_problem(spec), int(spec.trajectories), int(spec.levels), seed)
    raise ValueError(f"no unit design for sampling {spec.sampling!r}")


def design(spec: SweepSpec) -> list[dict[str, Any]]:
    """The parameter samples of ``spec``, in order (one dict per sample)."""
    if spec.sampling == "grid":
        axes = [_grid_axis(p) for p in spec.parameters]
        names = [p.name for p in spec.parameters]
        mesh = np.meshgrid(*[np.arange(len(a)) for a in axes], indexing="ij") if axes else []
        flat = [m.ravel() for m in mesh]
        n = flat[0].size if flat else 1
        return [{name: axes[j][int(flat[j][i])] for j, name in enumerate(names)} for i in range(n)]
    unit = unit_design(spec)
    columns: dict[str, list[Any]] = {}
    k = 0
    for p in spec.parameters:
        if p.varied:
            columns[p.name] = _from_unit(p, unit[:, k])
            k += 1
        else:
            columns[p.name] = [p.values[0]] * unit.shape[0]
    names = [p.name for p in spec.parameters]
    return [{name: columns[name][i] for name in names} for i in range(unit.shape[0])]


def plan_points(spec: SweepSpec) -> list[Point]:
    """Every simulation of ``spec``: samples x protocols x seeds, in that order."""
    seeds = spec.resolved_seeds()
    points = []
    for i, params in enumerate(design(spec)):
        params = {k: _plain(v) for k, v in params.items()}
        for protocol in spec.protocols:
            for seed in seeds:
                pid = point_id(
                    spec.model, params, protocol, seed, base=spec.base, profile=spec.profile
                )
                points.append(Point(pid, i, protocol, int(seed), params))
    return points
