"""Means with t intervals, Holm's adjustment and paired differences."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cordsim.analysis.statistics import fdr_bh, holm, mean_ci, paired_differences
from cordsim.errors import ParameterError


def test_mean_ci_is_the_student_t_interval():
    x = [1.0, 2.0, 3.0, 4.0, float("nan")]
    mean, low, high, n = mean_ci(x)
    half = stats.t.ppf(0.975, 3) * np.std([1, 2, 3, 4], ddof=1) / 2.0
    assert (mean, n) == (2.5, 4)
    assert low == pytest.approx(2.5 - half) and high == pytest.approx(2.5 + half)
    assert np.isnan(mean_ci([5.0])[1]) and mean_ci([])[3] == 0
    with pytest.raises(ParameterError, match="confidence"):
        mean_ci(x, confidence=95)


def test_holm_by_hand():
    # sorted p 0.01, 0.02, 0.04 -> 3*0.01, max(0.03, 2*0.02), max(0.04, 1*0.04)
    np.testing.assert_allclose(holm([0.04, 0.01, 0.02, np.nan])[:3], [0.04, 0.03, 0.04])
    assert np.isnan(holm([np.nan])[0])
    assert holm([0.9, 0.8])[0] == 1.0  # capped at 1


def test_paired_differences_pair_by_seed():
    frame = pd.DataFrame(
        {
            "profile": ["wild_type"] * 4 + ["ko"] * 4,
            "seed": [1, 2, 3, 4, 4, 3, 2, 1],  # order must not matter
            "amp": [10.0, 12.0, 11.0, 13.0, 7.0, 5.0, 6.5, 5.0],
        }
    )
    table = paired_differences(frame, ["amp"])
    row = table.iloc[0]
    d = np.array([5.0, 6.5, 5.0, 7.0]) - np.array([10.0, 12.0, 11.0, 13.0])
    assert row["n"] == 4 and row["difference"] == pytest.approx(d.mean())
    assert row["p"] == pytest.approx(stats.ttest_1samp(d, 0.0).pvalue)
    assert row["p_holm"] == pytest.approx(row["p"])  # one comparison
    assert row["low"] < row["difference"] < row["high"] < 0
    with pytest.raises(ParameterError, match="reference"):
        paired_differences(frame, ["amp"], reference="nope")
    with pytest.raises(ParameterError, match="'area'"):
        paired_differences(frame, ["area"])


def _animals(effect, n_seeds, rng):
    """Paired data: wild type and a knockout shifted by ``effect`` (SD 1 between seeds)."""
    base = rng.normal(10.0, 1.0, n_seeds)
    ko = base + effect + rng.normal(0.0, 0.5, n_seeds)
    return base, ko


def test_a_true_effect_is_found_and_a_null_one_is_not():
    rng = np.random.default_rng(1)
    rows = []
    for metric, effect in (("real", -2.0), ("null", 0.0)):
        base, ko = _animals(effect, 10, rng)
        rows += [("wild_type", s, metric, v) for s, v in enumerate(base)]
        rows += [("ko", s, metric, v) for s, v in enumerate(ko)]
    long = pd.DataFrame(rows, columns=["profile", "seed", "metric", "value"])
    frame = long.pivot_table(index=["profile", "seed"], columns="metric", values="value")
    table = paired_differences(frame.reset_index(), ["real", "null"], adjust="fdr_bh")
    real, null = (table.set_index("metric").loc[m] for m in ("real", "null"))
    assert real["p_fdr_bh"] < 0.001 and real["high"] < 0  # found, with its interval
    assert null["p_fdr_bh"] > 0.05 and null["low"] < 0 < null["high"]


def test_fdr_holds_on_nulls_and_holm_is_stricter():
    """200 tables of 20 null metrics: BH keeps the false-discovery rate at 5 %."""
    rng = np.random.default_rng(2)
    any_false_bh = any_false_holm = 0
    for _ in range(200):
        p = np.array([stats.ttest_rel(*_animals(0.0, 10, rng)).pvalue for _ in range(20)])
        any_false_bh += bool((fdr_bh(p) < 0.05).any())
        any_false_holm += bool((holm(p) < 0.05).any())
    # with every hypothesis null, FDR = family-wise error rate: <= 5 % (+ sampling noise)
    assert any_false_bh / 200 <= 0.09 and any_false_holm <= any_false_bh
    np.testing.assert_allclose(fdr_bh([0.01, 0.02, 0.04, np.nan])[:3], [0.03, 0.03, 0.04])
    with pytest.raises(ParameterError, match="did you mean 'holm'"):
        paired_differences(
            pd.DataFrame({"profile": ["wild_type"], "seed": [1], "a": [1.0]}), ["a"], adjust="hol"
        )
