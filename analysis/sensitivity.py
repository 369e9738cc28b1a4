"""Sobol sensitivity indices of sweep metrics (SALib), from a Saltelli-design sweep.

Run a sweep with ``sampling = "sobol"`` and ``sensitivity = true`` (SALib's
Saltelli design of ``n_samples`` base points), then::

    from cordsim.analysis.sensitivity import sobol_indices
    from cordsim.sweeps import load_sweep

    df = load_sweep("results/sobol")
    si = sobol_indices(df, ["rate_hz", "latency_ms"], protocol="reflex")

Replicate seeds are averaged per sample (``aggregate``) before the analysis;
every sample needs a finite value, so failed or NaN samples raise an error
that says how many there are. The functions here take the frame (reading a
results folder is the sweeps layer's job), so analysis never imports sweeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["sobol_indices"]


def _spec_of(df: pd.DataFrame) -> dict[str, Any]:
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

    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"sobol_indices takes the frame of a sweep, not {type(data).__name__} "
            "(read a results folder with cordsim.sweeps.load_sweep)"
        )
    spec = _spec_of(data)
    problem, second, n = _problem(spec)
    d = problem["num_vars"]
    rows_expected = n * (2 * d + 2 if second else d + 2)

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
    values = df[metrics].where(ok.to_numpy()[:, None])
    per_sample = values.groupby(df["sample"].to_numpy()).agg(aggregate)
    per_sample = per_sample.reindex(np.arange(rows_expected))

    out = []
    s2: dict[str, pd.DataFrame] = {}
    for m in metrics:
        y = per_sample[m].to_numpy(dtype=np.float64)
        bad = int(np.count_nonzero(~np.isfinite(y)))
        if bad:
            raise ValueError(
                f"metric {m!r}: {bad} of {rows_expected} samples are missing, failed or NaN; "
                "Sobol indices need every sample of the Saltelli design (resume the sweep, "
                "or use --retry-failed)"
            )
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
