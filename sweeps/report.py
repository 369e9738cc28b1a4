"""One-line summaries of a sweep's failed points, for the end of a run and the CLI.

A sweep goes on past failed points; this module makes sure they are never
mistaken for success: :func:`failure_lines` counts them and groups them by
error (``cordsim sweep`` prints these lines and exits with code 3 unless
``--allow-failed``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

__all__ = ["failure_groups", "failure_lines", "n_failed"]

#: Error groups shown before "... and N more kinds".
_MAX_GROUPS = 5
#: Characters of an error message that identify its group.
_GROUP_CHARS = 160
#: Parts of a message that differ between otherwise equal errors (the
#: temporary folder of a crashed worker's stack dumps), left out of the key.
_VARYING = re.compile(r"; stack dumps in [^;\s]+")


def n_failed(frame: pd.DataFrame | None) -> int:
    """Rows of a metrics table whose ``status`` is not ``"ok"``."""
    if frame is None or "status" not in frame or not len(frame):
        return 0
    return int((frame["status"] != "ok").sum())


def failure_groups(frame: pd.DataFrame | None) -> list[tuple[str, int, str]]:
    """Failed points grouped by error: ``(error, count, first point_id)``, most common first."""
    if not n_failed(frame):
        return []
    failed = frame[frame["status"] != "ok"]
    errors = failed["error"].astype(str).str.replace(_VARYING, "", regex=True)
    errors = errors.str.slice(0, _GROUP_CHARS)
    groups = []
    for error, rows in failed.groupby(errors, sort=False):
        groups.append((str(error) or "(no message)", len(rows), str(rows["point_id"].iloc[0])))
    groups.sort(key=lambda g: -g[1])
    return groups


def failure_lines(frame: pd.DataFrame | None, folder: str | os.PathLike[str]) -> list[str]:
    """Lines that say how many points failed, why (grouped), and how to retry them.

    Parameters
    ----------
    frame : pandas.DataFrame or None
        The sweep's metrics table (``status``, ``error``, ``point_id`` columns).
    folder : path
        The results folder (named in the hint).

    Returns
    -------
    list of str
        Empty when no point failed.
    """
    total = n_failed(frame)
    if not total:
        return []
    groups = failure_groups(frame)
    lines = [f"{total} of {len(frame)} point(s) failed:"]
    for error, count, first in groups[:_MAX_GROUPS]:
        lines.append(f"  {count} x {error} (e.g. point {first})")
    if len(groups) > _MAX_GROUPS:
        lines.append(f"  ... and {len(groups) - _MAX_GROUPS} more kinds of error")
    lines.append(
        f"errors are in the 'error' column of {Path(folder) / 'metrics.parquet'}; "
        "fix the cause, then run the same command with --retry-failed"
    )
    return lines
