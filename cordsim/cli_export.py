"""``cordsim export``: a run folder, or one point of a sweep, to an NWB file.

The parser and handler of the subcommand, registered in
:data:`cordsim.cli.SUBCOMMANDS`; the work is
:func:`cordsim.sweeps.nwb_point.export_folder`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cordsim.cli_help import ExampleFormatter, examples


def add_export_parser(subparsers: Any) -> argparse.ArgumentParser:
    """The ``export`` subcommand's parser."""
    p = subparsers.add_parser(
        "export",
        help="write a run folder, or one point of a sweep, to an NWB file",
        description="Write a `cordsim run` result folder, or one point of a sweep results "
        "folder, to an NWB file (pynwb): every cell's spikes in the Units table (gid, "
        "population, kind, cell type, muscle, motor-unit size), the stimulus volleys and "
        "protocol windows as time intervals, the synthetic EMG envelopes (and ventral-root "
        "traces) as time series, and the spec, profile, seed and versions as metadata. "
        "Times in the file are in seconds (cordsim's ms / 1000). Needs the nwb extra: "
        "pip install 'cordsim[nwb]'.",
        epilog=examples(
            "cordsim export out/reflex --nwb out/reflex.nwb   # a folder of cordsim run --out",
            "cordsim export results/small --point 3f9a --nwb out/point.nwb   # a sweep point: "
            "its point_id or a unique prefix",
            "cordsim export out/reflex --nwb out/reflex.nwb --overwrite",
        ),
        formatter_class=ExampleFormatter,
    )
    p.add_argument("folder", metavar="RESULT_DIR", help="run folder or sweep results folder")
    p.add_argument("--nwb", required=True, metavar="FILE", help="the NWB file to write (*.nwb)")
    p.add_argument(
        "--point",
        default=None,
        metavar="ID",
        help="sweep folders: the point to export, its point_id (load_sweep's point_id column) "
        "or a unique prefix of at least 4 digits (default: the only point of a one-point sweep)",
    )
    p.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    return p


def cmd_export(args: argparse.Namespace) -> int:
    """Run ``cordsim export``; returns the exit status."""
    from cordsim.sweeps.nwb_point import export_folder

    path = export_folder(args.folder, args.nwb, point=args.point, overwrite=args.overwrite)
    print(f"NWB file: {path}")
    print("check it with: nwbinspector " + str(path), file=sys.stderr)
    return 0
