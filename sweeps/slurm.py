"""A Dask cluster of SLURM jobs (dask-jobqueue) for :func:`cordsim.sweeps.run_sweep`.

``cordsim sweep SPEC --slurm-jobs N`` runs the sweep on N SLURM jobs, each
one single-threaded Dask worker (NEURON is not thread-safe), started from
the submitting process and cancelled when the sweep ends::

    from cordsim.sweeps import run_sweep
    from cordsim.sweeps.slurm import SlurmOptions, slurm_client

    options = SlurmOptions(queue="normal", account="mylab", walltime="04:00:00")
    with slurm_client(16, options) as client:
        run_sweep("spec.toml", "/shared/results/run1", scheduler=client)

Jobs are kept at N while the sweep runs (``cluster.adapt(minimum_jobs=N,
maximum_jobs=N)``): a job that reaches its walltime is replaced. With a
walltime, each worker retires a few minutes before it (``--lifetime``), so
SLURM does not kill it in the middle of a point. The results folder must be
on a file system the submitting process can write; the workers send results
back over Dask and write nothing. Workers run the submitting process's
Python (``sys.executable``), so cordsim must be installed where the compute
nodes see the same path.

Needs the optional extra ``slurm`` (``pip install cordsim[slurm]``, i.e.
``dask-jobqueue``). :func:`slurm_cluster` builds the cluster without
submitting anything, so its ``job_script()`` can be read on any machine.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cordsim.errors import CordsimError

__all__ = ["SlurmError", "SlurmOptions", "parse_walltime", "slurm_client", "slurm_cluster"]

#: Memory of each job when none is given (one worker running one simulation at a time).
DEFAULT_MEMORY = "4GB"
#: Name of the jobs in ``squeue``.
JOB_NAME = "cordsim-sweep"
#: Seconds before the walltime at which a worker retires, and the spread of those times.
RETIRE_EARLY_S = 300
RETIRE_STAGGER_S = 120
#: SLURM's walltime formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
_WALLTIME = re.compile(r"^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$")


class SlurmError(CordsimError):
    """dask-jobqueue is missing, or the SLURM options cannot be used."""


@dataclass(frozen=True)
class SlurmOptions:
    """What each SLURM job asks for.

    Attributes
    ----------
    queue : str, optional
        Partition (``#SBATCH -p``); default: the cluster's default partition.
    account : str, optional
        Account to charge (``#SBATCH -A``).
    walltime : str, optional
        Time limit of each job in SLURM's format (``"04:00:00"``, ``"1-00:00:00"``,
        ``"90"`` minutes); default: dask-jobqueue's configuration (30 min).
    memory : str
        Memory of each job (``"4GB"``; ``#SBATCH --mem``).
    prologue : sequence of str
        Shell lines run before each worker starts (``module load ...``).
    """

    queue: str | None = None
    account: str | None = None
    walltime: str | None = None
    memory: str = DEFAULT_MEMORY
    prologue: Sequence[str] = ()

    def __post_init__(self) -> None:
        if self.walltime is not None:
            parse_walltime(self.walltime)
        if not str(self.memory).strip():
            raise SlurmError("SLURM memory must not be empty (e.g. '4GB')")
        object.__setattr__(self, "prologue", tuple(self.prologue))


def parse_walltime(text: str) -> int:
    """Seconds of a SLURM walltime (``M``, ``M:S``, ``H:M:S``, ``D-H``, ``D-H:M``, ``D-H:M:S``).

    Raises
    ------
    SlurmError
        For text in none of these formats, or a zero walltime.
    """
    match = _WALLTIME.match(str(text).strip())
    if not match:
        raise SlurmError(
            f"walltime {text!r}: expected SLURM's format, e.g. '04:00:00', '90' (minutes) "
            "or '1-12:00:00' (days-hours:minutes:seconds)"
        )
    days, first, second, third = match.groups()
    if days is not None:  # D-H[:M[:S]]
        h, m, s = int(first), int(second or 0), int(third or 0)
        seconds = int(days) * 86400 + h * 3600 + m * 60 + s
    elif third is not None:  # H:M:S
        seconds = int(first) * 3600 + int(second) * 60 + int(third)
    else:  # M or M:S
        seconds = int(first) * 60 + int(second or 0)
    if seconds <= 0:
        raise SlurmError(f"walltime {text!r} must be longer than zero")
    return seconds


def _cluster_class() -> Any:
    try:
        from dask_jobqueue import SLURMCluster
    except ImportError:
        raise SlurmError(
            "running on SLURM needs dask-jobqueue: pip install 'cordsim[slurm]' "
            "(or pip install dask-jobqueue)"
        ) from None
    return SLURMCluster


def _lifetime_args(walltime: str | None) -> list[str]:
    """Worker options that retire a worker before SLURM's walltime kills it."""
    if walltime is None:
        return []
    seconds = parse_walltime(walltime)
    if seconds < 2 * RETIRE_EARLY_S:  # too short to retire early: let SLURM end it
        return []
    return [
        "--lifetime",
        f"{seconds - RETIRE_EARLY_S}s",
        "--lifetime-stagger",
        f"{RETIRE_STAGGER_S}s",
    ]


def slurm_cluster(options: SlurmOptions | None = None, **cluster_kwargs: Any) -> Any:
    """Build a ``dask_jobqueue.SLURMCluster`` of single-threaded workers; submit nothing.

    Parameters
    ----------
    options : SlurmOptions, optional
        Partition, account, walltime, memory and prologue of each job.
    **cluster_kwargs
        Passed on to ``SLURMCluster`` (e.g. ``scheduler_options``,
        ``log_directory``, ``job_extra_directives``); they override the
        defaults here.

    Returns
    -------
    dask_jobqueue.SLURMCluster
        One worker per job (``cores=1, processes=1``). Its scheduler runs in
        this process; no job is submitted until it is scaled, so
        ``cluster.job_script()`` works on a machine without SLURM. Close it
        (``cluster.close()`` or ``with``) to cancel its jobs.

    Raises
    ------
    SlurmError
        dask-jobqueue is not installed.
    """
    options = options or SlurmOptions()
    cluster_class = _cluster_class()
    kwargs: dict[str, Any] = {
        "cores": 1,
        "processes": 1,
        "memory": options.memory,
        "job_name": JOB_NAME,
        "worker_extra_args": _lifetime_args(options.walltime),
    }
    for key, value in (
        ("queue", options.queue),
        ("account", options.account),
        ("walltime", options.walltime),
    ):
        if value is not None:
            kwargs[key] = value
    if options.prologue:
        kwargs["job_script_prologue"] = list(options.prologue)
    kwargs.update(cluster_kwargs)
    return cluster_class(**kwargs)


@contextmanager
def slurm_client(
    jobs: int, options: SlurmOptions | None = None, **cluster_kwargs: Any
) -> Iterator[Any]:
    """A ``distributed.Client`` of ``jobs`` SLURM jobs, cancelled on exit.

    Parameters
    ----------
    jobs : int
        Number of SLURM jobs (each one worker) kept running while the block runs.
    options : SlurmOptions, optional
        What each job asks for.
    **cluster_kwargs
        Passed on to :func:`slurm_cluster`.

    Yields
    ------
    distributed.Client
        Pass it to :func:`cordsim.sweeps.run_sweep` as ``scheduler=``.

    Raises
    ------
    SlurmError
        ``jobs`` is not a whole number >= 1, ``sbatch`` is not on ``PATH``, or
        dask-jobqueue is missing.

    Notes
    -----
    Jobs that SLURM holds in the queue delay the sweep but do not fail it; a
    job that cannot start at all (bad account, partition) leaves the sweep
    waiting: check ``squeue`` and the job's ``slurm-<id>.out``, stop with
    Ctrl-C, and resume with the same command.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise SlurmError(f"SLURM jobs {jobs!r}: give a whole number >= 1")
    if shutil.which("sbatch") is None:  # otherwise the sweep would wait for workers forever
        raise SlurmError(
            "sbatch was not found on PATH: run the sweep on a machine that submits SLURM "
            "jobs (a login node), or start workers otherwise and use --scheduler"
        )
    from distributed import Client

    with slurm_cluster(options, **cluster_kwargs) as cluster:
        # min = max: a job that ends (walltime) is replaced by a new one
        cluster.adapt(minimum_jobs=jobs, maximum_jobs=jobs)
        with Client(cluster, set_as_default=False) as client:
            yield client
