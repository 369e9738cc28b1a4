"""Effects over replicates: means with confidence intervals, paired differences, Holm.

Replicates (seeds) of one spec are independent draws of connectivity and noise;
profiles run with the same seeds are paired by seed. Intervals are Student-t
intervals of the mean (``scipy.stats.t``); paired comparisons are paired
t-tests on the per-seed differences (``scipy.stats.ttest_rel``), and the
p-values of a family of comparisons are adjusted by Holm's step-down method
(Holm 1979, Scand J Statist 6:65), which controls the family-wise error rate
without assuming independence, or by the Benjamini-Hochberg procedure
(``scipy.stats.false_discovery_control``; Benjamini & Hochberg 1995, J R Stat
Soc B 57:289), which controls the false-discovery rate of a large table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from cordsim.errors import ParameterError, unknown_name_message

__all__ = ["ADJUSTMENTS", "fdr_bh", "holm", "mean_ci", "paired_differences"]


def mean_ci(values: Sequence[float], confidence: float = 0.95) -> tuple[float, float, float, int]:
    """Mean and Student-t confidence interval of the finite ``values``.

    Returns
    -------
    (mean, low, high, n)
        NaN bounds with fewer than 2 finite values (NaN mean with none).
    """
    if not 0.0 < confidence < 1.0:
        raise ParameterError(f"confidence = {confidence} must lie between 0 and 1")
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    mean = float(x.mean())
    if n < 2:
        return mean, float("nan"), float("nan"), n
    half = float(stats.t.ppf(0.5 + confidence / 2.0, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return mean, mean - half, mean + half, n


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm-adjusted p-values (same order; NaN stays NaN and is not counted)."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    finite = np.flatnonzero(np.isfinite(p))
    m = finite.size
    if m == 0:
        return out
    order = finite[np.argsort(p[finite], kind="stable")]
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def fdr_bh(p_values: Sequence[float]) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (same order; NaN stays NaN and is not counted)."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    finite = np.isfinite(p)
    if finite.any():
        out[finite] = stats.false_discovery_control(p[finite], method="bh")
    return out


#: Multiple-comparison adjustments :func:`paired_differences` offers.
ADJUSTMENTS = {"holm": holm, "fdr_bh": fdr_bh}


def paired_test(
    a: Sequence[float], b: Sequence[float], confidence: float = 0.95
) -> tuple[float, float, float, float, int]:
    """Paired comparison of ``a`` against ``b`` (same order: pair i is a[i], b[i]).

    Pairs with a non-finite value are dropped.

    Returns
    -------
    (mean, low, high, p, n)
        Mean of a - b with its Student-t interval, the two-sided paired
        t-test p (0 or 1 when every pair differs by the same amount; NaN
        with fewer than 2 pairs) and the number of pairs.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    d = a[ok] - b[ok]
    mean, low, high, n = mean_ci(d, confidence)
    p = float("nan")
    if n >= 2 and np.ptp(d) > 0:
        p = float(stats.ttest_rel(a[ok], b[ok]).pvalue)
    elif n >= 2:  # every pair differs by the same amount
        p = 1.0 if mean == 0 else 0.0
    return mean, low, high, p, n


def paired_differences(
    frame: pd.DataFrame,
    metrics: Sequence[str],
    *,
    group: str = "profile",
    pair: str = "seed",
    reference: str = "wild_type",
    confidence: float = 0.95,
    adjust: str = "holm",
) -> pd.DataFrame:
    """Each group against ``reference``, paired by ``pair``, for every metric.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per (group, pair) with the metric columns.
    metrics : sequence of str
        Columns to compare.
    group, pair : str
        Column naming the condition (profile) and the pairing key (seed).
    reference : str
        The condition every other one is compared with.

    Returns
    -------
    pandas.DataFrame
        One row per (group, metric): ``n`` pairs with both values finite,
        ``difference`` (mean of group - reference) with ``low``/``high``
        (t interval of the paired differences), ``p`` (paired t-test; NaN
        with fewer than 2 pairs or no spread) and ``p_<adjust>`` (``p_holm``
        or ``p_fdr_bh``: adjusted over every row of the table).
    """
    if adjust not in ADJUSTMENTS:
        raise ParameterError(unknown_name_message("adjustment", adjust, ADJUSTMENTS))
    missing = [c for c in (group, pair, *metrics) if c not in frame.columns]
    if missing:
        raise ParameterError(f"paired_differences: no column {missing[0]!r} in the frame")
    if reference not in set(frame[group]):
        raise ParameterError(f"paired_differences: no rows of the reference {reference!r}")
    base = frame[frame[group] == reference].set_index(pair)
    rows = []
    for name in (g for g in dict.fromkeys(frame[group]) if g != reference):
        other = frame[frame[group] == name].set_index(pair)
        common = base.index.intersection(other.index)
        for metric in metrics:
            mean, low, high, p, n = paired_test(
                other.loc[common, metric].to_numpy(dtype=float),
                base.loc[common, metric].to_numpy(dtype=float),
                confidence,
            )
            rows.append(
                {
                    group: name,
                    "metric": metric,
                    "n": n,
                    "difference": mean,
                    "low": low,
                    "high": high,
                    "p": p,
                }
            )
    table = pd.DataFrame(rows, columns=[group, "metric", "n", "difference", "low", "high", "p"])
    table[f"p_{adjust}"] = ADJUSTMENTS[adjust](table["p"].to_numpy()) if len(table) else []
    return table
