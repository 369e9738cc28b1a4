"""The ``cordsim`` command line: thin wrappers around library functions.

Each subcommand parses its arguments and calls one library function; nothing
here simulates or measures by itself.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cordsim import __version__


def _cmd_compile(args: argparse.Namespace) -> int:
    from cordsim.mechanisms import compile_mechanisms

    path = compile_mechanisms(force=args.force, coreneuron=args.coreneuron)
    print(f"compiled mechanisms: {path}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from cordsim.models.validation import run_validation_cli

    return run_validation_cli(age=args.age, as_json=args.json)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``cordsim`` command."""
    parser = argparse.ArgumentParser(
        prog="cordsim",
        description="Mouse lumbar spinal microcircuits on NEURON (Tor1a dystonia profiles).",
    )
    parser.add_argument("--version", action="version", version=f"cordsim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("compile", help="compile the NMODL mechanisms into the cache")
    p.add_argument("--force", action="store_true", help="recompile even if cached")
    p.add_argument("--coreneuron", action="store_true", help="compile with nrnivmodl -coreneuron")
    p.set_defaults(func=_cmd_compile)

    p = sub.add_parser("validate", help="measure the default cells against mouse targets")
    p.add_argument(
        "--age",
        choices=["adult", "juvenile"],
        default=None,
        help="preset to validate (default: both)",
    )
    p.add_argument("--json", action="store_true", help="print measurements as JSON")
    p.set_defaults(func=_cmd_validate)

    # (further subcommands -- run, plot, sweep, demo -- are registered below)

    # -- sweep: run (or resume) a parameter sweep -----------------------------
    def _cmd_sweep(args: argparse.Namespace) -> int:
        from cordsim.sweeps.engine import run_sweep
        from cordsim.sweeps.spec import load_spec

        spec = load_spec(args.spec)  # validated in full: errors exit 2 before any simulation
        try:
            folder = run_sweep(
                spec,
                args.out,
                n_jobs=args.jobs,
                scheduler=args.scheduler,
                dask_local=args.dask_local,
                retry_failed=args.retry_failed,
                progress=not args.no_progress,
            )
        except KeyboardInterrupt:
            return 130
        print(f"sweep results: {folder}")
        return 0

    p = sub.add_parser(
        "sweep",
        help="run (or resume) a parameter sweep from a TOML spec",
        description="Run a parameter sweep, validated in full first. Re-running the same "
        "spec into the same folder resumes it (finished points are skipped).",
    )
    p.add_argument("spec", help="sweep spec (TOML)")
    p.add_argument(
        "--out", "-o", default=None, help="results folder (default: the spec's [output] folder)"
    )
    p.add_argument(
        "-j", "--jobs", type=int, default=-1, help="worker processes (-1: all cores; 1: none)"
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler (tcp://host:8786)"
    )
    where.add_argument(
        "--dask-local",
        type=int,
        default=None,
        metavar="N",
        help="run on a local Dask cluster of N single-threaded workers",
    )
    p.add_argument("--retry-failed", action="store_true", help="run failed points again")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_sweep)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cordsim`` console script; returns the exit status."""
    from cordsim.models.errors import CordsimError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CordsimError as exc:
        print(f"cordsim: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
