"""``cordsim sweep SPEC --slurm-jobs N``: the SLURM options of ``cordsim sweep``.

:mod:`cordsim.cli` adds the options to its sweep parser
(:func:`add_slurm_arguments`) and runs the sweep inside
:func:`sweep_scheduler`, which yields what ``run_sweep(scheduler=...)``
takes: ``--scheduler``'s address, or a client of a SLURM cluster
(:mod:`cordsim.sweeps.slurm`) that is closed, and its jobs cancelled, when
the sweep ends.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["SLURM_EXAMPLE", "add_slurm_arguments", "sweep_scheduler"]

#: The ``cordsim sweep --help`` example of a SLURM run.
SLURM_EXAMPLE = (
    "cordsim sweep spec.toml --out /shared/run1 --slurm-jobs 32 \\\n"
    "      --slurm-queue normal --slurm-account mylab --slurm-walltime 04:00:00 --slurm-memory 4GB"
)
#: The options that only mean something with ``--slurm-jobs``.
_JOB_OPTIONS = ("queue", "account", "walltime", "memory")


def add_slurm_arguments(parser: argparse.ArgumentParser, where: Any) -> None:
    """Add ``--slurm-jobs`` to the group ``where`` (exclusive with the other backends)
    and the per-job options to a "SLURM" group of ``parser``."""
    where.add_argument(
        "--slurm-jobs",
        type=int,
        default=None,
        metavar="N",
        help="run on N SLURM jobs of one worker each (needs cordsim[slurm]); they are "
        "cancelled when the sweep ends",
    )
    group = parser.add_argument_group("SLURM jobs (with --slurm-jobs)")
    group.add_argument("--slurm-queue", default=None, metavar="Q", help="partition (-p)")
    group.add_argument("--slurm-account", default=None, metavar="A", help="account (-A)")
    group.add_argument(
        "--slurm-walltime",
        default=None,
        metavar="T",
        help="time limit of each job, e.g. 04:00:00 (default: dask-jobqueue's, 30 min); "
        "jobs that reach it are replaced",
    )
    group.add_argument(
        "--slurm-memory", default=None, metavar="M", help="memory of each job (default 4GB)"
    )


@contextmanager
def sweep_scheduler(args: argparse.Namespace) -> Iterator[Any]:
    """What ``run_sweep(scheduler=...)`` gets: ``--scheduler``, or a SLURM cluster's client.

    Raises
    ------
    ParameterError
        A ``--slurm-*`` option without ``--slurm-jobs``, or ``--slurm-jobs`` < 1.
    SlurmError
        dask-jobqueue is missing, or a malformed walltime.
    """
    from cordsim.errors import ParameterError

    given = [f"--slurm-{o}" for o in _JOB_OPTIONS if getattr(args, f"slurm_{o}") is not None]
    if args.slurm_jobs is None:
        if given:
            raise ParameterError(f"{', '.join(given)}: only with --slurm-jobs N")
        yield args.scheduler
        return
    if args.slurm_jobs < 1:
        raise ParameterError(f"--slurm-jobs {args.slurm_jobs}: give a number of jobs >= 1")
    from cordsim.sweeps.slurm import DEFAULT_MEMORY, SlurmOptions, slurm_client

    options = SlurmOptions(
        queue=args.slurm_queue,
        account=args.slurm_account,
        walltime=args.slurm_walltime,
        memory=args.slurm_memory or DEFAULT_MEMORY,
    )
    if not args.no_progress:
        print(
            f"cordsim sweep: asking SLURM for {args.slurm_jobs} job(s) of one worker "
            f"({options.memory}); they are cancelled when the sweep ends",
            file=sys.stderr,
            flush=True,
        )
    with slurm_client(args.slurm_jobs, options) as client:
        yield client
