"""Which changes of a profile are sufficient or necessary for each sign?

Pure pandas (no NEURON, no sweeps): the input is one row per (condition,
animal) with the sign's metric, from runs where every condition used the same
animals (seeds), so that every comparison is paired.

Conditions, named as :mod:`cordsim.sweeps.demo` labels them:
``"wild type"``, the full profile (e.g. ``"tor1a_spinal_drg"``), the
controls, ``"<change> alone"`` and ``"without <change>"`` (the full profile
minus that change).

For each sign (a metric and the direction the phenotype moves it) the
comparisons are

- ``effect``: every condition against wild type (does it show the sign?);
- ``removal``: the full profile against ``without <change>`` (how much of the
  full profile's sign does the change carry?).

Each is a paired t-test over animals (:func:`~cordsim.analysis.statistics.paired_differences`:
mean difference, its 95 % t interval, two-sided p), and the p-values of the
whole table (every sign, condition and comparison) are adjusted together by
Benjamini-Hochberg (false discovery rate 5 %). A comparison *shows* the sign
when its adjusted p (``q``) is below ``alpha`` and its mean moves the
phenotype's way.

Verdicts per (sign, change):

``sufficient``
    ``<change> alone`` shows the sign against wild type.
``necessary``
    the full profile shows the sign, removing the change reduces it
    (``removal`` shows it: full - without moves the phenotype's way), and
    ``without <change>`` no longer shows it against wild type (its 95 %
    interval includes 0 or it moves the other way).
``contributes``
    removing the change reduces the sign, but the rest still shows it.
``neither``
    none of these.

``sufficient`` and ``necessary`` can hold together (``sufficient,
necessary``). A verdict is only as good as the runs behind it: the table
carries, for every condition, the fraction of its animals whose runs left
the physiological regime (:mod:`cordsim.analysis.regime`), and a verdict
whose deciding condition has any flagged animal is marked ``(flagged)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cordsim.analysis.regime import FLAG_KEYS, flagged_rows
from cordsim.analysis.statistics import fdr_bh, paired_test

__all__ = [
    "ALONE_SUFFIX",
    "ATTRIBUTION_COLUMNS",
    "WITHOUT_PREFIX",
    "WILD_TYPE",
    "SignSpec",
    "attribution_table",
    "comparison_table",
    "verdict_matrix",
]

WILD_TYPE = "wild type"
ALONE_SUFFIX = " alone"
WITHOUT_PREFIX = "without "


@dataclass(frozen=True)
class SignSpec:
    """A sign of the phenotype as attribution reads it.

    Attributes
    ----------
    label : str
        What the sign is.
    metric : str
        Column of the frame that reads it.
    direction : int
        +1 the phenotype raises it, -1 lowers it (0: reported only, skipped).
    protocol : str
        Rows of this protocol carry the metric (``protocol`` column).
    """

    label: str
    metric: str
    direction: int
    protocol: str


#: Columns of :func:`attribution_table`.
ATTRIBUTION_COLUMNS = (
    "sign",
    "change",
    "verdict",
    "alone_delta",
    "alone_ci_low",
    "alone_ci_high",
    "alone_q",
    "removal_delta",
    "removal_ci_low",
    "removal_ci_high",
    "removal_q",
    "without_shows",
    "flagged",
)


def _paired(
    a: pd.Series, b: pd.Series, confidence: float
) -> tuple[float, float, float, float, int]:
    """:func:`~cordsim.analysis.statistics.paired_test` over the animals both have."""
    pairs = pd.concat([a, b], axis=1, keys=["a", "b"], join="inner")
    return paired_test(pairs["a"].to_numpy(), pairs["b"].to_numpy(), confidence)


def comparison_table(
    frame: pd.DataFrame,
    signs: Sequence[SignSpec],
    *,
    full: str,
    seed_column: str = "seed",
    confidence: float = 0.95,
    alpha: float = 0.05,
    flag_columns: Sequence[str] = FLAG_KEYS,
) -> pd.DataFrame:
    """Every paired comparison of the attribution, with FDR-adjusted p-values.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per (condition, protocol, animal): ``condition``,
        ``protocol``, ``seed_column`` and the metric columns; rows with a
        ``status`` other than ``"ok"`` are dropped.
    signs : sequence of SignSpec
        Signs with a direction (others are skipped).
    full : str
        The full profile's condition name.
    seed_column : str
        Column that identifies the animal (pairs are matched on it).
    confidence : float
        Of the intervals.
    alpha : float
        False discovery rate of the whole table (Benjamini-Hochberg).
    flag_columns : sequence of str
        0/1 regime flags; a row with any set counts as flagged.

    Returns
    -------
    pandas.DataFrame
        One row per (sign, comparison): ``sign, metric, unit-free columns
        comparison ("effect" or "removal"), condition, reference, n, delta,
        ci_low, ci_high, p, q, shows, flagged_fraction``. ``delta`` is the mean
        paired difference condition - reference in the metric's unit,
        ``shows`` whether q < alpha with delta in the sign's direction, and
        ``flagged_fraction`` the share of the condition's animals (for
        removal: of the full profile's or the reduced profile's) whose run
        was flagged.
    """
    if "status" in frame:
        frame = frame[frame["status"] == "ok"]
    frame = frame.assign(_flag=flagged_rows(frame, flag_columns))
    conditions = list(dict.fromkeys(frame["condition"]))
    if WILD_TYPE not in conditions:
        raise ValueError(f"no {WILD_TYPE!r} rows to compare with (conditions: {conditions})")
    rows = []
    for sign in signs:
        if not sign.direction:
            continue
        sub = frame[frame["protocol"] == sign.protocol]
        if sign.metric not in sub:
            sub = sub.assign(**{sign.metric: np.nan})
        by = {c: g.groupby(seed_column) for c, g in sub.groupby("condition")}
        value = {c: g[sign.metric].mean() for c, g in by.items()}
        flag = {c: g["_flag"].max() for c, g in by.items()}
        if WILD_TYPE not in value:
            continue
        pairs = [("effect", c, WILD_TYPE) for c in value if c != WILD_TYPE]
        pairs += [
            ("removal", full, c) for c in value if c.startswith(WITHOUT_PREFIX) and full in value
        ]
        for kind, cond, ref in pairs:
            delta, lo, hi, p, n = _paired(value[cond], value[ref], confidence)
            flagged = pd.concat([flag[cond], flag[ref]] if kind == "removal" else [flag[cond]])
            rows.append(
                {
                    "sign": sign.label,
                    "metric": sign.metric,
                    "direction": sign.direction,
                    "comparison": kind,
                    "condition": cond,
                    "reference": ref,
                    "n": n,
                    "delta": delta,
                    "ci_low": lo,
                    "ci_high": hi,
                    "p": p,
                    "flagged_fraction": float(flagged.mean()) if len(flagged) else math.nan,
                }
            )
    table = pd.DataFrame(rows)
    if table.empty:
        return table.assign(q=[], shows=[])
    q = fdr_bh(table["p"].to_numpy(dtype=float))
    table["q"] = q
    moved = np.sign(table["delta"].to_numpy(dtype=float)) == table["direction"].to_numpy()
    table["shows"] = (q < alpha) & moved
    return table


def _excludes_zero_in_direction(row: pd.Series) -> bool:
    """The interval lies wholly on the phenotype's side of 0."""
    if row["direction"] > 0:
        return bool(row["ci_low"] > 0)
    return bool(row["ci_high"] < 0)


def attribution_table(
    comparisons: pd.DataFrame, changes: Sequence[str], *, full: str
) -> pd.DataFrame:
    """Per (sign, change): the verdict and the numbers behind it.

    Parameters
    ----------
    comparisons : pandas.DataFrame
        :func:`comparison_table`'s output.
    changes : sequence of str
        The profile's change names (conditions ``"<change> alone"`` and
        ``"without <change>"``).
    full : str
        The full profile's condition name.

    Returns
    -------
    pandas.DataFrame
        ``sign, change, verdict, alone_delta, alone_ci_low, alone_ci_high,
        alone_q, removal_delta, removal_ci_low, removal_ci_high, removal_q,
        without_shows, flagged`` (see the module docstring for the verdicts;
        ``flagged``: the deciding conditions had a flagged animal).
    """
    rows = []
    for sign, sub in comparisons.groupby("sign", sort=False):
        eff = sub[sub["comparison"] == "effect"].set_index("condition")
        rem = sub[sub["comparison"] == "removal"].set_index("reference")
        full_shows = bool(eff.loc[full, "shows"]) if full in eff.index else False
        for change in changes:
            alone = eff.loc[change + ALONE_SUFFIX] if change + ALONE_SUFFIX in eff.index else None
            without = WITHOUT_PREFIX + change
            w_eff = eff.loc[without] if without in eff.index else None
            removal = rem.loc[without] if without in rem.index else None
            sufficient = alone is not None and bool(alone["shows"])
            reduces = removal is not None and bool(removal["shows"])
            remains = w_eff is not None and _excludes_zero_in_direction(w_eff)
            necessary = full_shows and reduces and not remains
            verdicts = []
            if sufficient:
                verdicts.append("sufficient")
            if necessary:
                verdicts.append("necessary")
            elif full_shows and reduces:
                verdicts.append("contributes")
            verdict = ", ".join(verdicts) or "neither"
            deciding = [x for x in (alone if sufficient else None, removal, w_eff) if x is not None]
            flagged = any(float(x["flagged_fraction"]) > 0 for x in deciding if verdicts)

            def get(x: pd.Series | None, key: str) -> float:
                return float(x[key]) if x is not None else math.nan

            rows.append(
                {
                    "sign": sign,
                    "change": change,
                    "verdict": verdict + (" (flagged)" if flagged else ""),
                    "alone_delta": get(alone, "delta"),
                    "alone_ci_low": get(alone, "ci_low"),
                    "alone_ci_high": get(alone, "ci_high"),
                    "alone_q": get(alone, "q"),
                    "removal_delta": get(removal, "delta"),
                    "removal_ci_low": get(removal, "ci_low"),
                    "removal_ci_high": get(removal, "ci_high"),
                    "removal_q": get(removal, "q"),
                    "without_shows": remains,
                    "flagged": flagged,
                }
            )
    return pd.DataFrame(rows, columns=ATTRIBUTION_COLUMNS)


def verdict_matrix(attribution: pd.DataFrame) -> pd.DataFrame:
    """Signs as columns, changes as rows, verdicts as cells (for printing)."""
    return attribution.pivot(index="change", columns="sign", values="verdict").reindex(
        index=list(dict.fromkeys(attribution["change"])),
        columns=list(dict.fromkeys(attribution["sign"])),
    )
