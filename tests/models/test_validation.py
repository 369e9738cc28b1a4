"""cordsim validate: the comparison frame, its text and JSON renderings, exit codes.

The fast tests use a fake measurement (no NEURON); the slow ones measure the
real default cells and are skipped while ``cordsim.models.cells.default_cells``
is not available.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from cordsim.errors import ParameterError
from cordsim.models import validation
from cordsim.models.targets import AGES, CELLS, REPORTED, targets_for
from cordsim.models.validation import (
    COLUMNS,
    REPORTED_SOURCE,
    format_table,
    measurements_json,
    validate_cells,
    validation_report,
)


def midpoint(target) -> float:
    return target.low * 2 if math.isinf(target.high) else 0.5 * (target.low + target.high)


def fake_measure(fail: dict[str, str] | None = None):
    """A measure_cell stand-in returning mid-range values (or failures for some cells)."""
    fail = fail or {}

    def measure(factory, *, age, quick, protocols):
        assert protocols  # the protocols the cell's targets need
        cell = factory()
        values = {prop: midpoint(t) for prop, t in targets_for(age, cell).items()}
        bad = fail.get(cell)
        if bad == "raise":
            raise RuntimeError("boom")
        if bad is not None:
            values[bad] = math.nan
        return pd.Series(values, name=cell)

    return measure


FACTORIES = {cell: (lambda cell=cell: cell) for cell in CELLS}


def test_validate_cells_frame_and_progress_lines(capsys):
    lines: list[str] = []
    df = validate_cells("adult", factories=FACTORIES, measure=fake_measure(), progress=lines.append)
    assert list(df.columns) == list(COLUMNS)
    assert set(df["cell"]) == set(CELLS)
    assert df["pass"].all()
    n_targets = sum(len(targets_for("adult", c)) for c in CELLS)
    n_reported = sum(len(set(REPORTED[c]) - set(targets_for("adult", c))) for c in CELLS)
    assert len(df) == n_targets + n_reported
    reported = df[df["source"] == REPORTED_SOURCE]
    assert len(reported) == n_reported and reported["low"].isna().all()
    # the effective gating half-voltages are in the output of every motor neuron
    mn = df[df["cell"] == "motor_neuron"]
    assert {"na_inactivation_v_half_mv", "kdr_activation_v_half_mv"} <= set(mn["property"])
    assert "measuring adult/renshaw ..." in lines
    assert any(ln.startswith("  adult/renshaw done in ") for ln in lines)
    assert capsys.readouterr() == ("", "")  # returns data, prints nothing


def test_not_measured_and_errors_fail(capsys):
    measure = fake_measure({"renshaw": "rin_mohm", "pool_largest": "raise"})
    lines: list[str] = []
    df = validate_cells("adult", factories=FACTORIES, measure=measure, progress=lines.append)
    failed = df[~df["pass"]]
    assert set(failed["cell"]) == {"renshaw", "pool_largest"}
    assert (failed[failed["cell"] == "renshaw"]["property"] == "rin_mohm").all()
    assert (failed[failed["cell"] == "pool_largest"]["value"].isna()).all()
    assert "boom" in df.attrs["errors"]["pool_largest"]
    assert "error measuring adult/pool_largest: RuntimeError: boom" in lines
    assert capsys.readouterr() == ("", "")


def test_missing_default_cell_fails_its_rows():
    factories = {c: f for c, f in FACTORIES.items() if c != "renshaw"}
    df = validate_cells("juvenile", factories=factories, measure=fake_measure())
    assert not df[df["cell"] == "renshaw"]["pass"].any()
    assert "renshaw" in df.attrs["errors"]


def test_unknown_age_or_cell():
    with pytest.raises(ParameterError, match="age"):
        validate_cells("old", factories=FACTORIES, measure=fake_measure())
    with pytest.raises(ParameterError, match="cell"):
        validate_cells("adult", cells=["motoneuron"], factories=FACTORIES, measure=fake_measure())


def fake_frame() -> pd.DataFrame:
    rows = [
        ("adult", "motor_neuron", "rin_mohm", 3.2, 1.3, 7.1, "MOhm", "Manuel09 Table 1", False),
        ("adult", "motor_neuron", "f_max_hz", 250.0, 300.0, math.inf, "Hz", "Meehan10", False),
        ("adult", "motor_neuron", "sag_ratio", 1.1, 1.0, 1.4, "1", "Manuel09 Table 1", False),
        ("adult", "renshaw", "tau_m_ms", math.nan, 3.0, 60.0, "ms", "memory", True),
        ("juvenile", "motor_neuron", "tau_m_ms", 5.0, 1.45, 8.35, "ms", "PamboPambo09", False),
    ]
    df = pd.DataFrame(rows, columns=list(COLUMNS[:-1]))
    df["pass"] = [True, False, True, False, True]
    return df


def test_format_table_blocks_and_alignment():
    text = format_table(fake_frame())
    lines = text.splitlines()
    assert "adult / motor_neuron" in lines
    assert "adult / renshaw" in lines
    assert "juvenile / motor_neuron" in lines
    assert any("rin_mohm" in ln and "PASS" in ln and "1.3 to 7.1 MOhm" in ln for ln in lines)
    assert any("f_max_hz" in ln and "FAIL" in ln and ">= 300 Hz" in ln for ln in lines)
    assert any("tau_m_ms" in ln and "not measured" in ln and "FAIL*" in ln for ln in lines)
    # columns line up across blocks: the result column starts at the same place
    rows = [ln for ln in lines if ln.startswith("  ") and ("PASS" in ln or "FAIL" in ln)]
    starts = {ln.index("PASS") if "PASS" in ln else ln.index("FAIL") for ln in rows}
    assert len(starts) == 1
    assert "3 of 5 properties in range; 2 FAIL" in text


def test_measurements_json_shape():
    df = fake_frame()
    one_age = measurements_json(df[df["age"] == "adult"])
    assert set(one_age) == {"motor_neuron", "renshaw"}
    assert one_age["motor_neuron"]["rin_mohm"] == 3.2
    assert one_age["renshaw"]["tau_m_ms"] is None  # NaN -> null
    json.dumps(one_age, allow_nan=False)


def patch_validate(monkeypatch, fail_age: str | None = None):
    def fake_validate(age, **kwargs):
        df = fake_frame()
        df = df[df["age"] == age].copy()
        df["pass"] = age != fail_age
        df.attrs["errors"] = {}
        return df

    monkeypatch.setattr(validation, "validate_cells", fake_validate)


def test_report_json_one_age(monkeypatch, capsys):
    patch_validate(monkeypatch)
    code, text = validation_report("adult", as_json=True)
    assert code == 0
    payload = json.loads(text)
    assert set(payload) == {"motor_neuron", "renshaw"}  # {cell: {property: value}}
    assert payload["motor_neuron"]["sag_ratio"] == 1.1
    assert capsys.readouterr() == ("", "")


def test_report_json_both_ages_and_exit_code(monkeypatch):
    patch_validate(monkeypatch, fail_age="juvenile")
    code, text = validation_report(None, as_json=True)
    assert code == 1
    payload = json.loads(text)
    assert set(payload) == set(AGES)  # {age: {cell: {property: value}}}
    assert payload["juvenile"]["motor_neuron"]["tau_m_ms"] == 5.0


def test_report_table(monkeypatch):
    patch_validate(monkeypatch)
    code, text = validation_report(None)
    assert code == 0
    assert "adult / motor_neuron" in text and "juvenile / motor_neuron" in text


def test_report_passes_quick_and_progress_on(monkeypatch):
    seen = {}

    def fake_validate(age, **kwargs):
        seen[age] = kwargs
        df = fake_frame().iloc[0:0]
        df.attrs["errors"] = {}
        return df

    monkeypatch.setattr(validation, "validate_cells", fake_validate)
    code, text = validation_report("juvenile", quick=True, progress=print)
    assert seen == {"juvenile": {"quick": True, "progress": print}}
    assert code == 1  # nothing validated
    assert text == "no properties validated"


def test_cli_entry_point_calls_validation(monkeypatch, capsys):
    from cordsim.cli import main

    patch_validate(monkeypatch, fail_age="adult")
    assert main(["validate", "--age", "adult", "--json"]) == 1
    assert "motor_neuron" in json.loads(capsys.readouterr().out)
    assert main(["validate", "--json"]) == 1
    assert set(json.loads(capsys.readouterr().out)) == set(AGES)


# ------------------------------------------------------------ the real cells


def default_cells_or_skip(age: str) -> dict:
    """The lead's default cell factories, or skip while they are not all there yet."""
    cells = pytest.importorskip("cordsim.models.cells")
    default_cells = getattr(cells, "default_cells", None)
    if default_cells is None:
        pytest.skip("cordsim.models.cells.default_cells is not available yet")
    try:
        return default_cells(age)
    except ImportError as exc:  # a module it needs (pool, interneurons) is not written yet
        pytest.skip(f"default cells not complete yet: {exc}")


@pytest.mark.slow
@pytest.mark.parametrize("age", AGES)
def test_default_cells_quick_measurements_are_finite(age):
    from cordsim.models.measurement import measure_cell

    factories = default_cells_or_skip(age)
    assert set(factories) == set(CELLS)
    for cell, factory in factories.items():
        m = measure_cell(factory, age=age, quick=True)
        for key in ("v_rest_mv", "rin_mohm", "tau_m_ms", "rheobase_na", "spike_width_ms"):
            assert math.isfinite(m[key]), (age, cell, key)
        assert m["spontaneous_rate_hz"] == 0, (age, cell)


@pytest.mark.slow
@pytest.mark.parametrize("age", AGES)
def test_pool_ends_are_ordered_by_size(age):
    from cordsim.models.measurement import measure_cell

    factories = default_cells_or_skip(age)
    small = measure_cell(factories["pool_smallest"], age=age, protocols=["rheobase"])
    large = measure_cell(factories["pool_largest"], age=age, protocols=["rheobase"])
    assert small["rin_mohm"] > large["rin_mohm"]
    assert small["rheobase_na"] < large["rheobase_na"]


@pytest.mark.slow
@pytest.mark.parametrize("age", AGES)
def test_default_cells_fall_within_targets(age):
    factories = default_cells_or_skip(age)
    df = validate_cells(age, factories=factories)
    assert df["pass"].all(), "\n" + format_table(df[~df["pass"]])
