"""Regime flags from a metrics row (no NEURON)."""

from __future__ import annotations

import math

from cordsim.analysis.regime import MAX_AFTER_DRIVE_RATE_HZ, MAX_CELL_RATE_HZ, regime_flags


def test_flags_follow_the_limits():
    row = {"mn_max_cell_rate_hz_flexor": 40.0, "mn_max_cell_rate_hz_extensor": math.nan}
    assert regime_flags(row) == {"regime_rate_flag": 0, "regime_persistence_flag": 0}
    row["mn_max_cell_rate_hz_extensor"] = MAX_CELL_RATE_HZ + 1
    assert regime_flags(row)["regime_rate_flag"] == 1
    assert regime_flags(row, max_cell_rate_hz=500.0)["regime_rate_flag"] == 0
    row["mn_after_drive_max_cell_rate_hz"] = MAX_AFTER_DRIVE_RATE_HZ + 1
    assert regime_flags(row)["regime_persistence_flag"] == 1


def test_missing_or_silent_rows_are_in_regime():
    assert regime_flags({}) == {"regime_rate_flag": 0, "regime_persistence_flag": 0}
    row = {"mn_max_cell_rate_hz_flexor": None, "mn_after_drive_max_cell_rate_hz": "x"}
    assert regime_flags(row) == {"regime_rate_flag": 0, "regime_persistence_flag": 0}


def test_a_runaway_at_rest_is_flagged():
    row = {"mn_max_cell_rate_hz_flexor": 20.0, "mn_spontaneous_max_cell_rate_hz": 240.0}
    assert regime_flags(row)["regime_rate_flag"] == 1
