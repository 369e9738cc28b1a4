"""Measure the default cells and compare them with the mouse target ranges.

Everything here returns data; only the CLI prints. :func:`validate_cells` returns a
tidy frame (one row per age, cell and property), :func:`format_table` renders
it as text, :func:`measurements_json` as the ``{cell: {property: value}}``
mapping, and :func:`validation_report` gives ``cordsim validate`` its exit
code and the text to print.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models.cells import default_cells
from cordsim.models.targets import AGES, CELLS, REPORTED, targets_for, unit_for

#: Columns of the frame validate_cells returns.
COLUMNS = ("age", "cell", "property", "value", "low", "high", "unit", "source", "soft", "pass")

SOFT_MARK = "*"
#: Source column of a property that is reported, not checked.
REPORTED_SOURCE = "reported (no target range)"


def validate_cells(
    age: str,
    *,
    cells: Iterable[str] | None = None,
    quick: bool = False,
    progress: Callable[[str], None] | None = None,
    factories: dict[str, Callable[[], Any]] | None = None,
    measure: Callable[..., pd.Series] | None = None,
) -> pd.DataFrame:
    """Measure the default cells of ``age`` and check each targeted property.

    Parameters
    ----------
    age : {"adult", "juvenile"}
    cells : iterable of str, optional
        Subset of :data:`~cordsim.models.targets.CELLS` (default: all).
    quick : bool
        Pass ``quick=True`` to :func:`~cordsim.models.measurement.measure_cell`
        (properties of the skipped protocols then FAIL as not measured).
    progress : callable, optional
        Called with one line of text when a cell's measurement starts
        ("measuring <age>/<cell> ..."), ends (with the wall time, s) or raises.
    factories : dict, optional
        ``{cell: factory}`` to use instead of ``cordsim.models.cells.default_cells(age)``.
    measure : callable, optional
        Replacement for ``measure_cell`` (tests).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; ``pass`` is False for a value outside its range
        or not measured (NaN). ``.attrs["measurements"]`` holds every measured
        property, ``{cell: {property: value}}``; ``.attrs["errors"]`` the cells
        whose measurement raised, with the message.
    """
    if age not in AGES:
        targets_for(age, CELLS[0])  # raises the "unknown age" error
    wanted = list(CELLS) if cells is None else list(cells)
    for cell in wanted:
        targets_for(age, cell)  # validates the cell name
    if factories is None:
        factories = default_cells(age)
    if measure is None:
        from cordsim.models.measurement import measure_cell as measure

    def report(line: str) -> None:
        if progress is not None:
            progress(line)

    rows: list[dict[str, Any]] = []
    measured: dict[str, dict[str, float]] = {}
    errors: dict[str, str] = {}
    for cell in wanted:
        values: dict[str, float] = {}
        factory = factories.get(cell)
        if factory is None:
            errors[cell] = f"default_cells({age!r}) has no {cell!r}"
        else:
            report(f"measuring {age}/{cell} ...")
            started = time.perf_counter()
            try:
                series = measure(factory, age=age, quick=quick, protocols=_protocols(age, cell))
                values = {k: float(v) for k, v in series.items()}
            except Exception as exc:  # report, count as failed, go on with the others
                errors[cell] = f"{type(exc).__name__}: {exc}"
                report(f"error measuring {age}/{cell}: {errors[cell]}")
            else:
                report(f"  {age}/{cell} done in {time.perf_counter() - started:.1f} s")
        measured[cell] = values
        targets = targets_for(age, cell)
        for prop, target in targets.items():
            value = values.get(prop, math.nan)
            rows.append(
                {
                    "age": age,
                    "cell": cell,
                    "property": prop,
                    "value": value,
                    "low": target.low,
                    "high": target.high,
                    "unit": target.unit,
                    "source": target.source,
                    "soft": target.soft,
                    "pass": target.contains(value),
                }
            )
        # reported without a verdict: no range, always "pass"
        for prop in REPORTED.get(cell, ()):
            if prop not in targets:
                reported = (prop, values.get(prop, math.nan), math.nan, math.nan)
                unit = unit_for(prop) or "1"
                row = (age, cell, *reported, unit, REPORTED_SOURCE, False, True)
                rows.append(dict(zip(COLUMNS, row, strict=True)))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame.attrs["measurements"] = measured
    frame.attrs["errors"] = errors
    return frame


def _protocols(age: str, cell: str) -> list[str]:
    """The measurement protocols that the targets and reports of one cell need."""
    from cordsim.models.measurement.cell_properties import protocols_for

    return protocols_for([*targets_for(age, cell), *REPORTED.get(cell, ())])


def _fmt_value(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not measured"
    return f"{float(value):.4g}"


def _fmt_range(low: float, high: float, unit: str) -> str:
    if math.isnan(low) and math.isnan(high):
        return "-"
    unit = "" if unit in ("1", "") else f" {unit}"
    if math.isinf(high):
        return f">= {low:g}{unit}"
    return f"{low:g} to {high:g}{unit}"


def format_table(df: pd.DataFrame) -> str:
    """Aligned plain text: one block per age and cell, a summary line at the end.

    Each line shows the property, the measured value, the target range, PASS or
    FAIL (with ``*`` for a soft range) and the source.
    """
    if df.empty:
        return "no properties validated"
    header = ("property", "measured", "target", "result", "source")
    lines: list[str] = []
    table: list[tuple[str, str, str, str, str]] = []
    for _, row in df.iterrows():
        if row["source"] == REPORTED_SOURCE:
            status = "report"
        else:
            status = "PASS" if bool(row["pass"]) else "FAIL"
        if bool(row.get("soft", False)):
            status += SOFT_MARK
        table.append(
            (
                str(row["property"]),
                _fmt_value(row["value"]),
                _fmt_range(float(row["low"]), float(row["high"]), str(row["unit"])),
                status,
                str(row["source"]),
            )
        )
    widths = [max(len(header[i]), *(len(r[i]) for r in table)) for i in range(4)]

    def line(cols: tuple[str, ...]) -> str:
        return (
            f"  {cols[0]:<{widths[0]}}  {cols[1]:>{widths[1]}}  {cols[2]:<{widths[2]}}"
            f"  {cols[3]:<{widths[3]}}  {cols[4]}"
        ).rstrip()

    ages = df["age"] if "age" in df else pd.Series([""] * len(df), index=df.index)
    current = None
    for (age, cell), cols in zip(zip(ages, df["cell"], strict=True), table, strict=True):
        if (age, cell) != current:
            if current is not None:
                lines.append("")
            lines.append(f"{age} / {cell}" if age else str(cell))
            lines.append(line(header))
            current = (age, cell)
        lines.append(line(cols))
    checked = df[df["source"] != REPORTED_SOURCE]
    n_fail = int((~checked["pass"].astype(bool)).sum())
    lines.append("")
    lines.append(
        f"{len(checked) - n_fail} of {len(checked)} properties in range; {n_fail} FAIL; "
        f"{len(df) - len(checked)} reported without a target. "
        f"{SOFT_MARK} = soft range (not a mouse measurement, or resting on an assumption; "
        "see models/data/targets.toml)"
    )
    errors = df.attrs.get("errors") or {}
    for cell, message in errors.items():
        lines.append(f"error: {cell}: {message}")
    return "\n".join(lines)


def _json_value(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def measurements_json(df: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """``{cell: {property: value}}`` of the validated rows of one age (NaN -> None)."""
    out: dict[str, dict[str, float | None]] = {}
    for _, row in df.iterrows():
        out.setdefault(str(row["cell"]), {})[str(row["property"])] = _json_value(row["value"])
    return out


def validation_report(
    age: str | None = None,
    *,
    quick: bool = False,
    as_json: bool = False,
    progress: Callable[[str], None] | None = None,
    mn_model: str = "detailed",
) -> tuple[int, str]:
    """What ``cordsim validate`` prints, and its exit code.

    Parameters
    ----------
    age : {"adult", "juvenile"}, optional
        The age to validate; None validates both.
    quick : bool
        Skip the slow protocols (their properties then FAIL as not measured).
    as_json : bool
        Return the measured values as JSON instead of the text table:
        ``{cell: {property: value}}`` for one age, ``{age: {cell: {property:
        value}}}`` for both (NaN -> null).
    progress : callable, optional
        Passed to :func:`validate_cells` (one line per cell started, done or failed).
    mn_model : {"detailed", "reduced"}
        Motor neuron model to validate (the interneurons are the same for both);
        see :data:`~cordsim.models.circuit.MN_MODELS`.

    Returns
    -------
    (int, str)
        0 when every property is in range, else 1 (also when nothing was
        validated); the table (:func:`format_table`) or the JSON text.
    """
    from cordsim.models.circuit import MN_MODELS

    if mn_model not in MN_MODELS:
        raise ParameterError(unknown_name_message("motor neuron model", mn_model, MN_MODELS))
    ages = list(AGES) if age is None else [age]

    def kwargs(a: str) -> dict[str, Any]:
        if mn_model == "detailed":
            return {}
        from cordsim.models.cells.reduced_motor_neuron import reduced_default_cells

        return {"factories": reduced_default_cells(a)}

    frames = {a: validate_cells(a, quick=quick, progress=progress, **kwargs(a)) for a in ages}
    combined = pd.concat(list(frames.values()), ignore_index=True)
    combined.attrs["errors"] = {
        f"{a}/{cell}": msg for a, f in frames.items() for cell, msg in f.attrs["errors"].items()
    }
    if as_json:
        if age is None:
            payload: dict[str, Any] = {a: measurements_json(f) for a, f in frames.items()}
        else:
            payload = measurements_json(frames[age])
        text = json.dumps(payload, indent=2)
    else:
        text = format_table(combined)
    ok = not combined.empty and bool(combined["pass"].all())
    return (0 if ok else 1), text
