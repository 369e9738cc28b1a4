"""Sensitivity of sweep metrics (SALib): Sobol indices and Morris elementary effects.

Sobol indices (variance shares, many runs) need a sweep with Saltelli's design;
Morris screening (mean and spread of elementary effects, r * (k + 1) samples
for k parameters) ranks parameters on a small budget and says which are inert.

Run a sweep with ``sampling = "sobol"`` and ``sensitivity = true`` (SALib's
Saltelli design of ``n_samples`` base points), then::

    from cordsim.analysis.sensitivity import sobol_indices
    from cordsim.sweeps import load_sweep

    df = load_sweep("results/sobol")
    si = sobol_indices(df, ["rate_hz", "latency_ms"], protocol="reflex")

or one with ``sampling = "morris"`` (``trajectories``, ``levels``), then
``morris_indices(df, ["rate_hz"], protocol="reflex")``.

Replicate seeds are averaged per sample (``aggregate``) before the analysis;
every sample needs a finite value, so failed or NaN samples raise an error
that says how many there are. The functions here take the frame (reading a
results folder is the sweeps layer's job), so analysis never imports sweeps.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["morris_design", "morris_indices", "sobol_indices"]


@contextlib.contextmanager
def _legacy_seed(seed: int) -> Iterator[None]:
    """Seed numpy's global RNG for the block, then restore it.

    SALib before 1.5 seeds its Morris sampler and analyser only ``if seed:``,
    so seed 0 drew from the unseeded global generator: a new design and new
    bootstrap intervals on every call. Seeding it here makes every seed, 0
    included, reproducible there, and changes nothing where SALib seeds its
    own generator.
    """
    state = np.random.get_state()  # noqa: NPY002 - SALib < 1.5 uses the legacy global RNG
    try:
        np.random.seed(int(seed))  # noqa: NPY002
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002


def morris_design(problem: dict[str, Any], trajectories: int, levels: int, seed: int) -> np.ndarray:
    """SALib's Morris design, reproducible from ``seed`` on every supported SALib.

    The sweep sampler and :func:`morris_indices` both call this, so the
    analysis regenerates exactly the sampled design.

    Parameters
    ----------
    problem : dict
        SALib problem (``num_vars``, ``names``, ``bounds``).
    trajectories, levels : int
        Morris ``N`` (trajectories) and ``num_levels``.
    seed : int
        The sweep's ``sampling_seed``.

    Returns
    -------
    numpy.ndarray
        ``trajectories * (num_vars + 1)`` rows, one column per parameter.
    """
    from SALib.sample import morris as salib_morris_sample

    with _legacy_seed(seed):
        return salib_morris_sample.sample(problem, trajectories, num_levels=levels, seed=seed)


def _spec_of(df: Any, func: str) -> dict[str, Any]:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(
            f"{func} takes the frame of a sweep, not {type(df).__name__} "
            "(read a results folder with cordsim.sweeps.load_sweep)"
        )
    spec = df.attrs.get("spec")
    if not isinstance(spec, dict) or "sweep" not in spec:
        raise ValueError("the frame has no sweep spec in df.attrs['spec'] (use load_sweep)")
    return spec


def _problem(spec: dict[str, Any]) -> tuple[dict[str, Any], bool, int]:
    sweep = spec["sweep"]
    if sweep.get("sampling") != "sobol" or not sweep.get("sensitivity", False):
        raise ValueError(
            'Sobol indices need a sweep run with sampling = "sobol" and sensitivity = true '
            "(SALib's Saltelli design)"
        )
    names = [
        name
        for name, p in spec.get("parameters", {}).items()
        if "values" not in p or len(p["values"]) > 1
    ]
    second = bool(sweep.get("second_order", False))
    n = int(sweep["n_samples"])
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    return problem, second, n


def _per_sample(
    data: pd.DataFrame,
    spec: dict[str, Any],
    metrics: str | Iterable[str] | None,
    protocol: str | None,
    aggregate: str,
    rows_expected: int,
) -> tuple[pd.DataFrame, list[str]]:
    """One row per design sample (replicates aggregated, failed rows NaN) and the metrics."""
    df = data
    protocols = list(dict.fromkeys(df["protocol"]))
    if protocol is None:
        if len(protocols) > 1:
            raise ValueError(f"the sweep has several protocols {protocols}; pass protocol=")
    else:
        if protocol not in protocols:
            raise ValueError(f"no rows for protocol {protocol!r} (have {protocols})")
        df = df[df["protocol"] == protocol]

    param_cols = set(spec.get("parameters", {}))
    fixed = {"point_id", "sample", "seed", "protocol", "status", "error", "wall_time_s"}
    all_metrics = [c for c in df.columns if c not in fixed and c not in param_cols]
    if metrics is None:
        metrics = all_metrics
    elif isinstance(metrics, str):
        metrics = [metrics]
    metrics = list(metrics)
    for m in metrics:
        if m not in all_metrics:
            raise ValueError(f"unknown metric {m!r}; metrics: {', '.join(all_metrics)}")

    ok = df["status"] == "ok"
    values = df[metrics].where(ok, axis=0)  # failed rows -> NaN, every metric column
    per_sample = values.groupby(df["sample"].to_numpy()).agg(aggregate)
    return per_sample.reindex(np.arange(rows_expected)), metrics


def _complete(per_sample: pd.DataFrame, metric: str, why: str) -> np.ndarray:
    """The metric's per-sample values; an error saying how many are missing, if any."""
    y = per_sample[metric].to_numpy(dtype=np.float64)
    bad = int(np.count_nonzero(~np.isfinite(y)))
    if bad:
        raise ValueError(
            f"metric {metric!r}: {bad} of {len(y)} samples are missing, failed or NaN; "
            f"{why} (resume the sweep, or use --retry-failed)"
        )
    return y


def sobol_indices(
    data: pd.DataFrame,
    metrics: str | Iterable[str] | None = None,
    *,
    protocol: str | None = None,
    aggregate: str = "mean",
    num_resamples: int = 100,
    conf_level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """First-order and total Sobol indices of sweep metrics (``SALib.analyze.sobol``).

    Parameters
    ----------
    data : pandas.DataFrame
        The frame from :func:`cordsim.sweeps.load_sweep` (with its
        ``attrs["spec"]``).
    metrics : str or list of str, optional
        Metric columns to analyse (default: every metric column).
    protocol : str, optional
        The protocol whose rows to use (required when the sweep has several).
    aggregate : str
        How replicate seeds of one sample are combined (a pandas groupby
        reduction: ``"mean"``, ``"median"``...).
    num_resamples, conf_level, seed
        Bootstrap settings of the confidence intervals (``seed`` makes them
        reproducible).

    Returns
    -------
    pandas.DataFrame
        One row per (metric, parameter): ``metric, parameter, S1, S1_conf, ST,
        ST_conf``. With ``second_order = true`` in the spec, ``df.attrs["S2"]``
        maps each metric to a (parameter x parameter) frame of S2 indices.
    """
    from SALib.analyze import sobol as salib_sobol

    spec = _spec_of(data, "sobol_indices")
    problem, second, n = _problem(spec)
    d = problem["num_vars"]
    rows_expected = n * (2 * d + 2 if second else d + 2)
    per_sample, metrics = _per_sample(data, spec, metrics, protocol, aggregate, rows_expected)

    out = []
    s2: dict[str, pd.DataFrame] = {}
    for m in metrics:
        y = _complete(per_sample, m, "Sobol indices need every sample of the Saltelli design")
        si = salib_sobol.analyze(
            problem,
            y,
            calc_second_order=second,
            num_resamples=num_resamples,
            conf_level=conf_level,
            print_to_console=False,
            seed=seed,
        )
        for i, name in enumerate(problem["names"]):
            out.append(
                {
                    "metric": m,
                    "parameter": name,
                    "S1": float(si["S1"][i]),
                    "S1_conf": float(si["S1_conf"][i]),
                    "ST": float(si["ST"][i]),
                    "ST_conf": float(si["ST_conf"][i]),
                }
            )
        if second:
            s2[m] = pd.DataFrame(si["S2"], index=problem["names"], columns=problem["names"])
    result = pd.DataFrame(out, columns=["metric", "parameter", "S1", "S1_conf", "ST", "ST_conf"])
    if second:
        result.attrs["S2"] = s2
    return result


def _morris_problem(spec: dict[str, Any]) -> tuple[dict[str, Any], int, int, int]:
    sweep = spec["sweep"]
    if sweep.get("sampling") != "morris":
        raise ValueError(
            'Morris elementary effects need a sweep run with sampling = "morris" '
            f"(SALib's Morris design); this one has sampling = {sweep.get('sampling')!r}"
        )
    names = [
        name
        for name, p in spec.get("parameters", {}).items()
        if "values" not in p or len(p["values"]) > 1
    ]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    return problem, int(sweep["trajectories"]), int(sweep["levels"]), int(sweep["sampling_seed"])


def _check_design(data: pd.DataFrame, spec: dict[str, Any], names: list[str], x: np.ndarray):
    """The regenerated unit design must give the frame's float parameter values."""
    first = data.groupby("sample", sort=True).first()
    samples = first.index.to_numpy(dtype=np.int64)
    samples = samples[(samples >= 0) & (samples < len(x))]
    for j, name in enumerate(names):
        p = spec["parameters"][name]
        low, high = p["low"], p["high"]
        if isinstance(low, int) and not isinstance(low, bool):
            continue  # rounded: the unit coordinate cannot be read back exactly
        u = np.clip(x[samples, j], 0.0, 1.0)
        if p.get("log", False):
            expected = np.exp(np.log(low) + u * (np.log(high) - np.log(low)))
        else:
            expected = low + u * (high - low)
        got = first.loc[samples, name].to_numpy(dtype=np.float64)
        if not np.allclose(got, expected, rtol=1e-9, atol=1e-12 * abs(high - low)):
            raise ValueError(
                f"parameter {name!r}: the Morris design regenerated from the spec "
                "(trajectories, levels, sampling_seed) does not give the sweep's values; "
                "was the sweep sampled with another SALib version?"
            )


def morris_indices(
    data: pd.DataFrame,
    metrics: str | Iterable[str] | None = None,
    *,
    protocol: str | None = None,
    aggregate: str = "mean",
    num_resamples: int = 1000,
    conf_level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Morris elementary-effects screening of sweep metrics (``SALib.analyze.morris``).

    Each trajectory of the design moves one parameter at a time by a step of
    ``levels / (2 * (levels - 1))`` of its range (in log scale for ``log``
    ranges); an elementary effect is the metric's change over that step, scaled
    to the whole range. Effects are therefore in the metric's units per full
    range of the parameter, comparable across parameters.

    Parameters
    ----------
    data : pandas.DataFrame
        The frame from :func:`cordsim.sweeps.load_sweep` of a sweep run with
        ``sampling = "morris"`` (with its ``attrs["spec"]``).
    metrics : str or list of str, optional
        Metric columns to analyse (default: every metric column).
    protocol : str, optional
        The protocol whose rows to use (required when the sweep has several).
    aggregate : str
        How replicate seeds of one sample are combined (a pandas groupby
        reduction: ``"mean"``, ``"median"``...).
    num_resamples, conf_level, seed
        Bootstrap settings of the interval of ``mu_star`` (``seed`` makes it
        reproducible).

    Returns
    -------
    pandas.DataFrame
        One row per (metric, parameter): ``metric, parameter, mu`` (mean
        elementary effect; signed, so effects of opposite sign cancel),
        ``mu_star`` (mean absolute effect: the importance ranking),
        ``mu_star_conf`` (half-width of its bootstrap interval at
        ``conf_level``) and ``sigma`` (SD of the effects: non-linearity or
        interactions), all in the metric's units per full parameter range.

    Raises
    ------
    ValueError
        No spec in ``df.attrs``, not a Morris sweep, several protocols and no
        ``protocol``, an unknown metric, or samples that are missing, failed or
        NaN (the message says how many).
    """
    from SALib.analyze import morris as salib_morris

    spec = _spec_of(data, "morris_indices")
    problem, trajectories, levels, sampling_seed = _morris_problem(spec)
    rows_expected = trajectories * (problem["num_vars"] + 1)
    per_sample, metrics = _per_sample(data, spec, metrics, protocol, aggregate, rows_expected)
    x = morris_design(problem, trajectories, levels, sampling_seed)
    _check_design(data, spec, problem["names"], x)

    out = []
    for m in metrics:
        y = _complete(per_sample, m, "Morris screening needs every sample of its trajectories")
        with _legacy_seed(seed):
            si = salib_morris.analyze(
                problem,
                x,
                y,
                num_resamples=num_resamples,
                conf_level=conf_level,
                num_levels=levels,
                print_to_console=False,
                seed=seed,
            )
        for i, name in enumerate(problem["names"]):
            out.append(
                {
                    "metric": m,
                    "parameter": name,
                    "mu": float(si["mu"][i]),
                    "mu_star": float(si["mu_star"][i]),
                    "mu_star_conf": float(si["mu_star_conf"][i]),
                    "sigma": float(si["sigma"][i]),
                }
            )
    return pd.DataFrame(
        out, columns=["metric", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]
    )
