"""Figures of a sweep's metrics table: a metric against one parameter, or a heat map over two.

The functions take the tidy frame of a sweep (one row per point and
replicate, as :func:`cordsim.sweeps.load_sweep` returns it: ``point_id,
sample, seed, protocol, <parameters>, <metrics>, status, error,
wall_time_s``) and return a :class:`matplotlib.figure.Figure` (no
``pyplot`` state; see :mod:`cordsim.analysis.plots`, which draws them).
Reading a results folder is the sweeps layer's job: this module never
imports it.

Which columns are parameters comes from the frame's ``attrs["spec"]``
(``load_sweep`` stores the resolved spec there) or from ``parameters=``.
Every name is checked first: an unknown metric, parameter or protocol is a
:class:`~cordsim.errors.ParameterError` that lists the available ones::

    from cordsim.analysis.sweep_plots import sweep_metric_figure
    from cordsim.sweeps import load_sweep

    df = load_sweep("results/toy")
    fig = sweep_metric_figure(df, "rate_hz", x="toy.rate_hz", protocol="rest")
    fig.savefig("rate.png")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from cordsim.errors import ParameterError, closest_name

__all__ = ["SweepColumns", "sweep_columns", "sweep_metric_figure"]

#: Columns of a sweep frame that are neither parameters nor metrics.
BOOKKEEPING_COLUMNS = ("point_id", "sample", "seed", "protocol", "status", "error", "wall_time_s")
#: Most levels of another varied parameter drawn as separate lines (more are averaged over).
MAX_HUE_LEVELS = 8
#: Most sampled values of a log-scaled x that get a tick each.
MAX_TICKS = 12


@dataclass(frozen=True)
class SweepColumns:
    """The columns of a sweep frame, by role.

    Attributes
    ----------
    parameters : tuple of str
        Every parameter column, in spec order (fixed ones included).
    varied : tuple of str
        The parameters that take more than one value in the frame.
    metrics : tuple of str
        The numeric columns that are neither parameters nor bookkeeping.
    protocols : tuple of str
        The protocols of the frame's rows, in order of appearance.
    """

    parameters: tuple[str, ...]
    varied: tuple[str, ...]
    metrics: tuple[str, ...]
    protocols: tuple[str, ...]


def _spec_parameters(frame: pd.DataFrame) -> list[str]:
    spec = frame.attrs.get("spec")
    params = spec.get("parameters") if isinstance(spec, dict) else None
    if not isinstance(params, dict):
        raise ParameterError(
            "the frame has no sweep spec in attrs['spec'] (read the folder with "
            "cordsim.sweeps.load_sweep, or pass parameters=)"
        )
    return list(params)


def sweep_columns(frame: pd.DataFrame, parameters: Sequence[str] | None = None) -> SweepColumns:
    """Split a sweep frame's columns into parameters, metrics and protocols.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per (point, replicate).
    parameters : sequence of str, optional
        The parameter columns; default: the keys of ``frame.attrs["spec"]["parameters"]``.

    Returns
    -------
    SweepColumns

    Raises
    ------
    ParameterError
        No parameters given and none in ``frame.attrs``, or a named parameter
        that is not a column.
    """
    names = list(parameters) if parameters is not None else _spec_parameters(frame)
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise ParameterError(f"parameter column(s) {missing} not in the frame")
    rows = _ok_rows(frame)
    varied = tuple(n for n in names if rows[n].nunique(dropna=False) > 1)
    skip = set(names) | set(BOOKKEEPING_COLUMNS)
    metrics = tuple(
        c for c in frame.columns if c not in skip and pd.api.types.is_numeric_dtype(frame[c])
    )
    protocols = tuple(dict.fromkeys(frame["protocol"])) if "protocol" in frame else ()
    return SweepColumns(tuple(names), varied, metrics, protocols)


def _ok_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of finished points (failed points carry no metrics)."""
    if "status" not in frame:
        return frame
    return frame[frame["status"] == "ok"]


def _unknown(kind: str, name: str, valid: Sequence[str]) -> ParameterError:
    guess = closest_name(name, valid)
    hint = f"did you mean {guess!r}? " if guess else ""
    shown = ", ".join(valid) if valid else "none"
    return ParameterError(f"unknown {kind} {name!r}; {hint}available: {shown}")


def _check_name(kind: str, name: str, valid: Sequence[str]) -> None:
    if name not in valid:
        raise _unknown(kind, name, valid)


def _protocol_rows(
    rows: pd.DataFrame, metric: str, protocol: str | None, protocols: Sequence[str]
) -> tuple[pd.DataFrame, str | None]:
    """The rows of one protocol: the one named, or the only one that measures ``metric``."""
    if "protocol" not in rows:
        return rows, protocol
    if protocol is not None:
        _check_name("protocol", protocol, protocols)
        return rows[rows["protocol"] == protocol], protocol
    measured = rows[np.isfinite(rows[metric].to_numpy(dtype=float))]
    having = list(dict.fromkeys(measured["protocol"]))
    if len(having) > 1:
        raise ParameterError(
            f"metric {metric!r} is measured under several protocols ({', '.join(having)}); "
            "choose one (--protocol / protocol=)"
        )
    return (rows[rows["protocol"] == having[0]], having[0]) if having else (rows, None)


def _log_scale(frame: pd.DataFrame, name: str) -> bool:
    """Whether the spec samples ``name`` on a log scale (``log = true``)."""
    spec = frame.attrs.get("spec")
    params = spec.get("parameters", {}) if isinstance(spec, dict) else {}
    entry = params.get(name) if isinstance(params, dict) else None
    return bool(isinstance(entry, dict) and entry.get("log", False))


def _choose_axes(x: str | None, y: str | None, cols: SweepColumns) -> tuple[str, str | None]:
    for option, name in (("x", x), ("y", y)):
        if name is not None:
            _check_name(f"parameter ({option})", name, cols.parameters)
    if x is None and y is not None:
        raise ParameterError("give x (the parameter along the horizontal axis) as well as y")
    if x is None:
        if len(cols.varied) != 1:
            shown = ", ".join(cols.varied) or "none"
            raise ParameterError(
                f"the sweep varies {len(cols.varied)} parameters ({shown}); choose the one "
                "to plot against with x (--x), and a second with y (--y) for a heat map"
            )
        x = cols.varied[0]
    if y is not None and y == x:
        raise ParameterError(f"x and y are both {x!r}; a heat map needs two parameters")
    return x, y


def sweep_metric_figure(
    frame: pd.DataFrame,
    metric: str,
    *,
    x: str | None = None,
    y: str | None = None,
    protocol: str | None = None,
    parameters: Sequence[str] | None = None,
) -> Figure:
    """A metric of a sweep against one parameter (replicate spread), or over two (heat map).

    Parameters
    ----------
    frame : pandas.DataFrame
        The sweep's metrics table (one row per point and replicate seed).
        Failed points are left out.
    metric : str
        Metric column (its unit is in its name, e.g. ``rate_hz``).
    x : str, optional
        Parameter along the horizontal axis; default: the only varied one.
    y : str, optional
        Second parameter: draw a heat map of the mean over replicates (and over
        any other varied parameter) instead of a line.
    protocol : str, optional
        Protocol whose rows to use; needed when the metric is measured under
        several.
    parameters : sequence of str, optional
        Parameter columns; default from ``frame.attrs["spec"]``.

    Returns
    -------
    matplotlib.figure.Figure
        One axes (line: every replicate a point, the mean +/- SD per value of
        ``x``; one line per value of another varied parameter when there is
        exactly one with at most :data:`MAX_HUE_LEVELS` values) or a map and
        its colour bar. The title names the protocol and the varied
        parameters averaged over.

    Raises
    ------
    ParameterError
        Unknown metric, parameter or protocol (the message lists the
        available ones), a metric measured under several protocols with none
        chosen, or no finite value of the metric to draw.
    """
    from cordsim.analysis.plots import metric_heatmap, metric_vs_parameter_plot

    cols = sweep_columns(frame, parameters)
    _check_name("metric", metric, cols.metrics)
    x, y = _choose_axes(x, y, cols)
    rows, protocol = _protocol_rows(_ok_rows(frame), metric, protocol, cols.protocols)
    rows = rows[np.isfinite(rows[metric].to_numpy(dtype=float))]
    if rows.empty:
        where = f" under protocol {protocol!r}" if protocol else ""
        raise ParameterError(f"no finished point has a finite {metric!r}{where}: nothing to plot")
    others = [p for p in cols.varied if p not in (x, y) and rows[p].nunique() > 1]
    if y is not None:
        fig = metric_heatmap(rows, x, y, metric, agg="mean")
        averaged = others
    else:
        hue = (
            others[0] if len(others) == 1 and rows[others[0]].nunique() <= MAX_HUE_LEVELS else None
        )
        log_x = _log_scale(frame, x)
        fig = metric_vs_parameter_plot(rows, x, metric, hue=hue, log_x=log_x)
        if log_x:
            _label_values(fig.axes[0], rows[x])
        averaged = [p for p in others if p != hue]
    _title(fig, protocol, averaged, n_seeds=rows["seed"].nunique() if "seed" in rows else None)
    return fig


def _label_values(ax: Any, values: pd.Series) -> None:
    """Tick a log axis at the sampled values (its minor labels collide on short ranges)."""
    levels = np.unique(values.to_numpy(dtype=float))
    if 1 <= levels.size <= MAX_TICKS:
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xticks(levels, [f"{v:.3g}" for v in levels])


def _title(fig: Figure, protocol: str | None, averaged: list[str], n_seeds: Any) -> None:
    parts = []
    if protocol:
        parts.append(f"protocol {protocol}")
    if n_seeds:
        parts.append(f"{n_seeds} replicate seed(s)")
    if averaged:
        parts.append("pooled over " + ", ".join(averaged))
    if parts:
        fig.axes[0].set_title("; ".join(parts), fontsize=8)
        fig.tight_layout()
