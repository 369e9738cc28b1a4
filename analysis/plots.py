"""Figures from results and frames; every function returns a matplotlib Figure.

Figures are built with :class:`matplotlib.figure.Figure` directly, not with
``pyplot``: nothing is shown, no global figure list grows in long sweeps, and
any backend (Agg on a cluster included) can save them
(``fig.savefig("x.png")``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from cordsim.analysis.emg import DEFAULT_DT_MS, DEFAULT_LOWPASS_HZ, pool_emg
from cordsim.analysis.ventral_root import TIME_COLUMN, root_columns

if TYPE_CHECKING:  # pragma: no cover
    from cordsim.models.result import SimulationResult

__all__ = [
    "population_order",
    "run_overview_figure",
    "raster_plot",
    "emg_plot",
    "ventral_root_plot",
    "depression_curve_plot",
    "metric_vs_parameter_plot",
    "metric_heatmap",
]

MUSCLE_COLOURS = {"flexor": "tab:blue", "extensor": "tab:red"}
#: Raster order within a muscle: afferents, interneurons, then the motor pool
#: (the flexor's top-down, the extensor's mirrored below it).
_KIND_RANK = {"afferent": 0, "interneuron": 1, "motor_pool": 2}


def population_order(result: SimulationResult) -> list[str]:
    """The raster's panel order: the flexor's circuit, then the extensor's mirrored.

    Within a muscle, afferents, interneurons and the motor pool, each in the
    circuit's table order, so the two motor pools meet in the middle.
    """
    pops = list(result.populations.values())
    rank = {p.name: (_KIND_RANK.get(p.kind, 1), i) for i, p in enumerate(pops)}
    flexor = sorted((p.name for p in pops if p.muscle == "flexor"), key=rank.__getitem__)
    extensor = sorted((p.name for p in pops if p.muscle == "extensor"), key=rank.__getitem__)
    rest = [p.name for p in pops if p.muscle not in ("flexor", "extensor")]
    return flexor + extensor[::-1] + rest


def _colour(result: SimulationResult, population: str) -> str:
    return MUSCLE_COLOURS.get(result.populations[population].muscle, "k")


def _shade_protocol(ax, protocol) -> None:
    """Shade the analysis window (drive-based protocols) or mark the volleys."""
    if protocol.stim_times_ms:
        for t in protocol.stim_times_ms:
            ax.axvline(t, color="0.6", lw=0.5, zorder=0)
    else:
        t0, t1 = protocol.analysis_window_ms
        ax.axvspan(t0, t1, color="0.9", zorder=0, label="analysis window")


def _draw_raster(axes, result: SimulationResult, populations: Sequence[str]) -> None:
    """One population per axes: spike times as event rows, cells on y."""
    for ax, pop in zip(axes, populations, strict=True):
        trains = result.spike_times(pop)
        times = [np.asarray(st) for st in trains]
        ax.eventplot(times, colors=_colour(result, pop), linelengths=0.8, linewidths=0.6)
        ax.set_ylim(-0.5, max(len(trains), 1) - 0.5)
        ax.set_ylabel(pop, rotation=0, ha="right", va="center", fontsize=8)
        ax.set_yticks([])
        _shade_protocol(ax, result.protocol)


def raster_plot(
    result: SimulationResult,
    populations: Sequence[str] | None = None,
    t_range_ms: tuple[float, float] | None = None,
) -> Figure:
    """Spike raster, one panel per population (cells on y, time in ms on x).

    Parameters
    ----------
    result : SimulationResult
    populations : sequence of str, optional
        Panels, top to bottom; default :func:`population_order`.
    t_range_ms : (float, float), optional
        x limits; default ``(0, tstop_ms)``.

    Returns
    -------
    matplotlib.figure.Figure
        ``len(populations)`` axes sharing the time axis.
    """
    populations = list(population_order(result) if populations is None else populations)
    if not populations:
        raise ValueError("no population to plot")
    sizes = [max(result.populations[p].n_cells, 1) for p in populations]
    ratios = [max(np.sqrt(s), 1.0) for s in sizes]
    fig = Figure(figsize=(8, 1.2 + 0.9 * len(populations)))
    axes = fig.subplots(len(populations), 1, sharex=True, squeeze=False, height_ratios=ratios)[:, 0]
    _draw_raster(axes, result, populations)
    axes[-1].set_xlim(*(t_range_ms or (0.0, result.tstop_ms)))
    axes[-1].set_xlabel("time (ms)")
    fig.suptitle(f"{result.protocol.name} (seed {result.seed})", fontsize=9)
    return fig


def emg_plot(
    result: SimulationResult,
    dt_ms: float = DEFAULT_DT_MS,
    lowpass_hz: float = DEFAULT_LOWPASS_HZ,
    show_raw: bool = False,
) -> Figure:
    """Synthetic EMG envelopes of both motor pools (a.u. against ms).

    With ``show_raw`` a second panel shows the raw synthetic EMGs.

    Returns
    -------
    matplotlib.figure.Figure
        One axes (two with ``show_raw``).
    """
    pools = result.motor_pools()
    if not pools:
        raise ValueError("the result has no motor pool")
    fig = Figure(figsize=(8, 5 if show_raw else 3))
    axes = fig.subplots(2 if show_raw else 1, 1, sharex=True, squeeze=False)[:, 0]
    for m, pool in pools.items():
        t_ms, emg, env = pool_emg(result, pool, dt_ms=dt_ms, lowpass_hz=lowpass_hz)
        colour = MUSCLE_COLOURS.get(m, "k")
        axes[0].plot(t_ms, env, color=colour, label=pool)
        if show_raw:
            axes[1].plot(t_ms, emg, color=colour, lw=0.4, alpha=0.7)
    _shade_protocol(axes[0], result.protocol)
    axes[0].set_ylabel(f"envelope (a.u., {lowpass_hz:g} Hz)")
    axes[0].legend(fontsize=8, loc="upper right")
    if show_raw:
        axes[1].set_ylabel("EMG (a.u.)")
    axes[-1].set_xlabel("time (ms)")
    axes[-1].set_xlim(0, result.tstop_ms)
    return fig


def _vr_roots(frame: pd.DataFrame) -> dict[str, str]:
    """``{root: column}`` of a ventral-root frame, checked."""
    roots = root_columns(frame)
    if TIME_COLUMN not in frame.columns or not roots:
        raise ValueError(
            f"not a ventral-root frame: needs {TIME_COLUMN!r} and vr_<root>_uv columns "
            f"(got {list(frame.columns)})"
        )
    return roots


def _draw_ventral_roots(axes, frame: pd.DataFrame, stim_times_ms: Sequence[float]) -> None:
    """One root per axes: its trace (uV) against time, the volleys as grey lines."""
    t_ms = frame[TIME_COLUMN].to_numpy()
    for ax, (root, column) in zip(axes, _vr_roots(frame).items(), strict=True):
        ax.plot(t_ms, frame[column].to_numpy(), color=MUSCLE_COLOURS.get(root, "k"), lw=0.5)
        for t in stim_times_ms:
            ax.axvline(t, color="0.6", lw=0.5, zorder=0)
        ax.set_ylabel(f"VR {root}\n(uV)", fontsize=8)


def ventral_root_plot(
    frame: pd.DataFrame,
    stim_times_ms: Sequence[float] = (),
    t_range_ms: tuple[float, float] | None = None,
    title: str | None = None,
) -> Figure:
    """Ventral root recordings (from :func:`~cordsim.analysis.ventral_root.ventral_root_trace`).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``t_ms`` and one ``vr_<root>_uv`` column per root (uV).
    stim_times_ms : sequence of float
        Dorsal root volleys (ms), marked by vertical lines (e.g.
        ``result.protocol.stim_times_ms``).
    t_range_ms : (float, float), optional
        x limits; default the whole trace.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes per root, sharing the time axis.
    """
    roots = _vr_roots(frame)
    fig = Figure(figsize=(8, 0.8 + 1.6 * len(roots)), layout="constrained")
    axes = fig.subplots(len(roots), 1, sharex=True, squeeze=False)[:, 0]
    _draw_ventral_roots(axes, frame, stim_times_ms)
    t_ms = frame[TIME_COLUMN].to_numpy()
    default = (float(t_ms[0]), float(t_ms[-1])) if t_ms.size else (0.0, 1.0)
    axes[-1].set_xlim(*(t_range_ms or default))
    axes[-1].set_xlabel("time (ms)")
    if title:
        fig.suptitle(title, fontsize=9)
    return fig


def _group_stats(frame: pd.DataFrame, x: str, y: str, by: list[str]) -> pd.DataFrame:
    return (
        frame.groupby([*by, x], dropna=False)[y]
        .agg(["mean", "std", "count"])
        .reset_index()
        .sort_values(x)
    )


def depression_curve_plot(
    curve: pd.DataFrame,
    y: str = "depression_ratio",
    hue: str | None = None,
    log_x: bool = True,
) -> Figure:
    """Reflex depression against train rate (from :func:`reflex.depression_curve`).

    Replicates (rows sharing a rate) are drawn as points; the line is their
    mean with +/- SD bars. ``hue`` names a column (e.g. a profile) that splits
    the curves.

    Returns
    -------
    matplotlib.figure.Figure
        One axes.
    """
    return _xy_spread(curve, "rate_hz", y, hue, log_x=log_x, xlabel="train rate (Hz)", ref_line=1.0)


def metric_vs_parameter_plot(
    frame: pd.DataFrame,
    param: str,
    metric: str,
    hue: str | None = None,
    log_x: bool = False,
) -> Figure:
    """A metric against a swept parameter, with the replicate spread.

    Each row (one replicate) is a point; the line joins the means per
    parameter value, with +/- SD error bars.

    Returns
    -------
    matplotlib.figure.Figure
        One axes.
    """
    return _xy_spread(frame, param, metric, hue, log_x=log_x)


def _xy_spread(
    frame: pd.DataFrame,
    x: str,
    y: str,
    hue: str | None,
    log_x: bool = False,
    xlabel: str | None = None,
    ref_line: float | None = None,
) -> Figure:
    for col in [x, y] + ([hue] if hue else []):
        if col not in frame.columns:
            raise KeyError(f"column {col!r} not in frame (columns: {list(frame.columns)})")
    fig = Figure(figsize=(5, 3.5))
    ax = fig.add_subplot()
    groups = [(None, frame)] if hue is None else list(frame.groupby(hue, sort=True))
    for i, (label, sub) in enumerate(groups):
        colour = f"C{i}"
        ax.plot(sub[x], sub[y], "o", color=colour, alpha=0.35, ms=4)
        stats = _group_stats(sub, x, y, [])
        ax.errorbar(
            stats[x],
            stats["mean"],
            yerr=stats["std"].fillna(0.0),
            color=colour,
            marker="s",
            ms=4,
            capsize=3,
            label=None if label is None else f"{hue}={label}",
        )
    if ref_line is not None:
        ax.axhline(ref_line, color="0.6", lw=0.8, ls="--")
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel(y)
    if hue is not None:
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def metric_heatmap(
    frame: pd.DataFrame,
    x: str,
    y: str,
    metric: str,
    agg: str = "mean",
    cmap: str = "viridis",
) -> Figure:
    """Two-parameter sweep map: ``metric`` aggregated over replicates per (x, y).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per (point, replicate).
    x, y : str
        Parameter columns (axes of the map).
    metric : str
        Metric column (colour).
    agg : str
        Aggregation over replicates (any pandas name: "mean", "median", "std").

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the map and its colour bar.
    """
    for col in (x, y, metric):
        if col not in frame.columns:
            raise KeyError(f"column {col!r} not in frame (columns: {list(frame.columns)})")
    table = frame.pivot_table(index=y, columns=x, values=metric, aggfunc=agg, dropna=False)
    table = table.sort_index().sort_index(axis=1)
    fig = Figure(figsize=(5.5, 4))
    ax = fig.add_subplot()
    image = ax.imshow(
        table.to_numpy(dtype=float),
        origin="lower",
        aspect="auto",
        cmap=cmap,
        interpolation="nearest",
    )
    ax.set_xticks(
        range(table.shape[1]),
        [f"{v:.3g}" if isinstance(v, float) else str(v) for v in table.columns],
        rotation=45,
        fontsize=8,
    )
    ax.set_yticks(
        range(table.shape[0]),
        [f"{v:.3g}" if isinstance(v, float) else str(v) for v in table.index],
        fontsize=8,
    )
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    fig.colorbar(image, ax=ax, label=f"{metric} ({agg})")
    fig.tight_layout()
    return fig


def run_overview_figure(
    result: SimulationResult,
    dt_ms: float = DEFAULT_DT_MS,
    lowpass_hz: float = DEFAULT_LOWPASS_HZ,
    ventral_root: pd.DataFrame | None = None,
) -> Figure:
    """One figure of a run: the spike raster above the motor pools' EMG envelopes.

    The raster panels are those of :func:`raster_plot` (one per population,
    in :func:`population_order`); below them, on the same time axis, the
    synthetic EMG envelopes of the motor pools as in :func:`emg_plot` (left
    out when the run has no motor pool). With ``ventral_root`` (a frame of
    :func:`~cordsim.analysis.ventral_root.ventral_root_trace`, e.g. the
    folder's ``ventral_root.parquet``) one panel per root follows, as in
    :func:`ventral_root_plot`. ``cordsim plot`` saves this figure.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per population, then one for the envelopes, then one per
        ventral root when ``ventral_root`` is given.
    """
    populations = population_order(result)
    if not populations:
        raise ValueError("no population to plot")
    pools = result.motor_pools()
    roots = _vr_roots(ventral_root) if ventral_root is not None else {}
    raster_in, emg_in = 0.9 * len(populations), 2.4 if pools else 0.0
    vr_in = 1.4 * len(roots)
    ratios = [max(np.sqrt(max(result.populations[p].n_cells, 1)), 1.0) for p in populations]
    raster_total = sum(ratios)
    if pools:
        ratios.append(raster_total * emg_in / raster_in)
    ratios += [raster_total * 1.4 / raster_in] * len(roots)
    fig = Figure(figsize=(8, 1.2 + raster_in + emg_in + vr_in), layout="constrained")
    axes = fig.subplots(len(ratios), 1, sharex=True, squeeze=False, height_ratios=ratios)[:, 0]
    _draw_raster(axes[: len(populations)], result, populations)
    if roots:
        _draw_ventral_roots(
            axes[len(axes) - len(roots) :],
            ventral_root,
            getattr(result.protocol, "stim_times_ms", ()),
        )
    if pools:
        ax = axes[len(populations)]
        for m, pool in pools.items():
            t_ms, _, env = pool_emg(result, pool, dt_ms=dt_ms, lowpass_hz=lowpass_hz)
            ax.plot(t_ms, env, color=MUSCLE_COLOURS.get(m, "k"), label=pool)
        _shade_protocol(ax, result.protocol)
        ax.set_ylabel(f"EMG envelope\n(a.u., {lowpass_hz:g} Hz)", fontsize=8)
        ax.legend(fontsize=8, loc="upper right")
    axes[-1].set_xlim(0.0, result.tstop_ms)
    axes[-1].set_xlabel("time (ms)")
    fig.suptitle(f"{result.protocol.name} (seed {result.seed})", fontsize=9)
    return fig
