"""Sufficient / necessary attribution on synthetic animals with known effects (no NEURON)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cordsim.analysis.attribution import (
    SignSpec,
    attribution_table,
    comparison_table,
    verdict_matrix,
)

FULL = "profile"
SIGN = SignSpec("sign up", "m", +1, "p")


def _frame(effects: dict[str, float], n: int = 10, sd: float = 1.0, seed: int = 0, flags=None):
    """Rows per (condition, animal): animal baseline + condition effect + noise."""
    rng = np.random.default_rng(seed)
    animal = rng.normal(10.0, 2.0, n)
    rows = []
    for cond, effect in effects.items():
        noise = rng.normal(0.0, sd, n)
        for a in range(n):
            rows.append(
                {
                    "condition": cond,
                    "protocol": "p",
                    "seed": a,
                    "status": "ok",
                    "m": animal[a] + effect + noise[a],
                    "regime_rate_flag": int((flags or {}).get(cond, 0) and a == 0),
                }
            )
    return pd.DataFrame(rows)


KNOWN = {
    "wild type": 0.0,
    FULL: 4.0,
    "a alone": 4.0,  # a carries the whole sign
    "b alone": 0.0,
    "c alone": 2.0,  # c alone shows part of it...
    "without a": 0.0,
    "without b": 4.0,
    "without c": 4.0,  # ... but the rest does not need it (redundant)
}


def test_known_effects_give_the_right_verdicts():
    comparisons = comparison_table(_frame(KNOWN, sd=0.5, seed=1), [SIGN], full=FULL)
    table = attribution_table(comparisons, ["a", "b", "c"], full=FULL).set_index("change")
    assert table.loc["a", "verdict"] == "sufficient, necessary"
    assert table.loc["b", "verdict"] == "neither"
    assert table.loc["c", "verdict"] == "sufficient"
    a = table.loc["a"]
    assert a["alone_ci_low"] < 4.0 < a["alone_ci_high"]
    assert a["removal_delta"] == pytest.approx(4.0, abs=0.6)
    assert a["alone_q"] < 1e-4
    assert verdict_matrix(table.reset_index()).loc["a", "sign up"] == "sufficient, necessary"


def test_a_change_that_only_contributes():
    effects = {**KNOWN, "without a": 2.0}  # removing a halves the sign; the rest still shows it
    comparisons = comparison_table(_frame(effects, sd=0.5), [SIGN], full=FULL)
    table = attribution_table(comparisons, ["a"], full=FULL).set_index("change")
    assert table.loc["a", "verdict"] == "sufficient, contributes"


def test_direction_matters_and_wrong_way_is_not_a_sign():
    down = SignSpec("sign down", "m", -1, "p")
    comparisons = comparison_table(_frame(KNOWN, sd=0.5), [down], full=FULL)
    table = attribution_table(comparisons, ["a", "b", "c"], full=FULL)
    assert set(table["verdict"]) == {"neither"}
    assert not comparisons["shows"].any()


def test_flagged_runs_mark_the_verdict():
    frame = _frame(KNOWN, sd=0.5, seed=1, flags={"a alone": 1})
    comparisons = comparison_table(frame, [SIGN], full=FULL)
    row = attribution_table(comparisons, ["a", "b"], full=FULL).set_index("change")
    assert row.loc["a", "verdict"] == "sufficient, necessary (flagged)"
    assert row.loc["b", "verdict"] == "neither"
    eff = comparisons.set_index("condition")
    assert eff.loc["a alone", "flagged_fraction"] == pytest.approx(0.1)


def test_fdr_holds_on_nulls():
    """Every condition equal to wild type: few tables with any discovery at q < 0.05."""
    null = dict.fromkeys(KNOWN, 0.0)
    any_found = 0
    for seed in range(100):
        comparisons = comparison_table(_frame(null, sd=1.0, seed=seed), [SIGN], full=FULL)
        any_found += bool((comparisons["q"] < 0.05).any())
    assert any_found <= 10  # 5 % nominal (BH controls the FDR; all nulls: FWER 5 %) + noise


def test_a_small_true_effect_is_found_with_ten_animals():
    """1 SD of the paired difference, 10 animals: power about 80 % alone; here BH too."""
    effects = {"wild type": 0.0, FULL: 1.0, "a alone": 1.0, "without a": 0.0}
    found = 0
    for seed in range(50):
        comparisons = comparison_table(_frame(effects, sd=0.7, seed=seed), [SIGN], full=FULL)
        found += bool(comparisons.set_index("condition").loc["a alone", "shows"])
    assert found >= 30


def test_inputs_are_checked_and_failed_rows_dropped():
    frame = _frame({"x": 0.0, FULL: 1.0})
    with pytest.raises(ValueError, match="wild type"):
        comparison_table(frame, [SIGN], full=FULL)
    frame = _frame(KNOWN, sd=0.5)
    frame.loc[frame["condition"] == "a alone", "status"] = "failed"
    comparisons = comparison_table(frame, [SIGN], full=FULL)
    assert "a alone" not in set(comparisons["condition"])
    table = attribution_table(comparisons, ["a"], full=FULL)
    assert np.isnan(table.loc[0, "alone_delta"])
