"""Failure summaries: counted, grouped by error, with the retry hint."""

from __future__ import annotations

import pandas as pd

from cordsim.sweeps.report import failure_groups, failure_lines, n_failed


def _frame(errors):
    return pd.DataFrame(
        {
            "point_id": [f"p{i}" for i in range(len(errors))],
            "status": ["ok" if not e else "failed" for e in errors],
            "error": errors,
        }
    )


def test_no_failure_no_lines():
    frame = _frame(["", ""])
    assert n_failed(frame) == 0 and failure_lines(frame, "out") == []
    assert n_failed(None) == 0


def test_failures_are_grouped_most_common_first():
    frame = _frame(["", "A: x", "B: y", "B: y", "B: y", "A: x"])
    assert n_failed(frame) == 5
    assert failure_groups(frame) == [("B: y", 3, "p2"), ("A: x", 2, "p1")]
    lines = failure_lines(frame, "results/run1")
    assert lines[0] == "5 of 6 point(s) failed:"
    assert lines[1] == "  3 x B: y (e.g. point p2)"
    assert "--retry-failed" in lines[-1] and "results/run1" in lines[-1]


def test_many_kinds_are_cut():
    frame = _frame([f"E{i}" for i in range(8)])
    lines = failure_lines(frame, "o")
    assert "... and 3 more kinds of error" in lines[-2]


def test_crashes_group_across_their_stack_dump_folders():
    frame = _frame(
        [
            "WorkerCrash: exited with code 3; stack dumps in /tmp/cordsim-worker-logs-aaa; x",
            "WorkerCrash: exited with code 3; stack dumps in /tmp/cordsim-worker-logs-bbb; x",
        ]
    )
    assert failure_groups(frame) == [("WorkerCrash: exited with code 3; x", 2, "p0")]
