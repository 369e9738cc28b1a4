"""``cordsim plot SWEEP_DIR --metric M``: the sweep half of ``cordsim plot``.

``cordsim plot`` draws a run folder (raster and EMG) or, given a sweep
results folder, a metric against one parameter (replicate spread) or a heat
map over two (:func:`cordsim.analysis.sweep_plots.sweep_metric_figure`).
:mod:`cordsim.cli` adds these options to its plot parser
(:func:`add_sweep_plot_arguments`) and hands sweep folders here
(:func:`is_sweep_folder`, :func:`plot_sweep`).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_sweep_plot_arguments", "check_run_plot_args", "is_sweep_folder", "plot_sweep"]

#: The options that only apply to a sweep results folder.
_SWEEP_OPTIONS = ("metric", "x", "y", "protocol")


def add_sweep_plot_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--metric``, ``--x``, ``--y`` and ``--protocol`` to the plot parser."""
    group = parser.add_argument_group("sweep results folder")
    group.add_argument("--metric", "-m", default=None, metavar="M", help="metric to draw")
    group.add_argument(
        "--x", default=None, metavar="P", help="parameter on the x axis (default: the varied one)"
    )
    group.add_argument(
        "--y", default=None, metavar="P", help="second parameter: heat map of the mean over seeds"
    )
    group.add_argument(
        "--protocol",
        default=None,
        metavar="PR",
        help="protocol whose rows to draw (needed when the metric is measured under several)",
    )


def is_sweep_folder(folder: str | Path) -> bool:
    """Whether ``folder`` is a sweep results folder (it holds the sweep's manifest)."""
    from cordsim.sweeps.store import MANIFEST_FILE

    return (Path(folder) / MANIFEST_FILE).is_file()


def check_run_plot_args(args: argparse.Namespace) -> None:
    """Refuse the sweep options for a run folder (they would be silently ignored)."""
    from cordsim.errors import ParameterError

    given = [f"--{name}" for name in _SWEEP_OPTIONS if getattr(args, name, None) is not None]
    if given:
        raise ParameterError(
            f"{', '.join(given)}: only for a sweep results folder; {args.folder} is a run "
            "folder (written by `cordsim run`)"
        )


def _default_out(args: argparse.Namespace) -> Path:
    parts = [args.metric, args.protocol, args.x, args.y]
    stem = "_".join(re.sub(r"[^A-Za-z0-9_.-]+", "-", p) for p in parts if p)
    return Path(args.folder) / f"plot_{stem}.png"


def _metric_list(frame: Any) -> str:
    from cordsim.analysis.sweep_plots import sweep_columns

    cols = sweep_columns(frame)
    return (
        f"metrics: {', '.join(cols.metrics) or 'none'}; "
        f"varied parameters: {', '.join(cols.varied) or 'none'}; "
        f"protocols: {', '.join(cols.protocols) or 'none'}"
    )


def plot_sweep(args: argparse.Namespace) -> int:
    """Draw ``args.metric`` of the sweep in ``args.folder`` into a PNG; return the exit status."""
    import warnings

    from cordsim.analysis.sweep_plots import sweep_metric_figure
    from cordsim.errors import ParameterError
    from cordsim.sweeps.results import load_sweep

    with warnings.catch_warnings(record=True) as caught:  # one line each on stderr
        warnings.simplefilter("always")
        frame = load_sweep(args.folder)
    for warning in caught:
        print(f"cordsim plot: warning: {warning.message}", file=sys.stderr)
    if args.metric is None:
        raise ParameterError(
            f"{args.folder} is a sweep results folder: choose what to draw with --metric M "
            f"({_metric_list(frame)})"
        )
    out = Path(args.out) if args.out else _default_out(args)
    if out.suffix.lower() != ".png":
        raise ParameterError(f"--out {args.out}: the figure is a PNG (name it *.png)")
    figure = sweep_metric_figure(frame, args.metric, x=args.x, y=args.y, protocol=args.protocol)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, format="png", dpi=args.dpi, bbox_inches="tight", facecolor="white")
    print(f"figure: {out}")
    return 0
