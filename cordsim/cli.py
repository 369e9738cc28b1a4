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

    # -- demo: which Tor1a changes reproduce each sign of the phenotype? -------
    def _cmd_demo(args: argparse.Namespace) -> int:
        from cordsim.models.demo import run_demo

        if args.jobs == 0 or args.jobs < -1:
            from cordsim.errors import ParameterError

            raise ParameterError(f"--jobs {args.jobs}: give a number >= 1, or -1 for all cores")
        try:
            result = run_demo(
                args.out, n_jobs=args.jobs, quick=args.quick, progress=not args.no_progress
            )
        except KeyboardInterrupt:
            return 130
        print(result.text)
        print(f"\nfigure: {result.figure}\nsummary: {result.folder / 'summary.csv'}")
        return 0

    p = sub.add_parser(
        "demo",
        help="built-in sweep: which Tor1a changes reproduce each sign of the phenotype",
        description="Run wild type, the tor1a_spinal_drg profile at half and full strength, "
        "and each of its changes alone (rest, reflex and contraction protocols, replicate "
        "seeds) in parallel; write the results folders (resumable), a figure and a summary "
        "table. About 12-20 min on 2 cores; --quick: 2-4 min (tiny circuit, one seed).",
    )
    p.add_argument("--out", "-o", required=True, metavar="DIR", help="output folder")
    p.add_argument(
        "-j", "--jobs", type=int, default=-1, help="worker processes (-1: all cores; 1: none)"
    )
    p.add_argument("--quick", action="store_true", help="tiny circuit, one seed (smoke run)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.set_defaults(func=_cmd_demo)

    _add_run_and_plot(sub)
    return parser


# -- run / plot: one simulation into a result folder, and its figure ----------
def _parse_value(text: str):
    """A command-line value: a TOML literal (``2``, ``0.5``, ``true``) or else a string."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _parse_assignments(items: Sequence[str] | None, option: str) -> dict:
    """``["a.b=1", ...]`` -> ``{"a.b": 1, ...}``; a malformed item is a ParameterError."""
    from cordsim.errors import ParameterError

    values = {}
    for item in items or ():
        key, sep, text = item.partition("=")
        if not sep or not key.strip() or not text.strip():
            raise ParameterError(f"{option} {item!r}: expected NAME=VALUE")
        values[key.strip()] = _parse_value(text.strip())
    return values


def _run_spec(args: argparse.Namespace):
    """The circuit spec of ``cordsim run``: file or default, ``--param``, then the profile."""
    from cordsim.errors import ParameterError
    from cordsim.models.circuit import CircuitSpec, circuit_spec
    from cordsim.models.profiles import apply_profile

    params = _parse_assignments(args.param, "--param")
    if args.spec is None:
        spec = circuit_spec(args.age or "adult")
    else:
        spec = CircuitSpec.from_toml(args.spec)
        if args.age is not None and args.age != spec.age:
            raise ParameterError(
                f"--age {args.age} conflicts with age {spec.age!r} of {args.spec} "
                "(set age in the spec file, or drop --age)"
            )
    try:
        spec = spec.with_values(params)
    except ParameterError as exc:
        raise ParameterError(f"--param: {exc}") from None
    return apply_profile(spec, args.profile, args.profile_scale, only=args.only or None)


def _check_run_args(args: argparse.Namespace) -> None:
    """Seed and output folder checks of ``cordsim run`` (before anything simulates)."""
    from pathlib import Path

    from cordsim.errors import ParameterError
    from cordsim.models.io import METRICS_FILE

    if args.seed < 0:
        raise ParameterError(f"--seed {args.seed} must be >= 0")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {args.out}: exists and is not a folder")
    if (out / METRICS_FILE).exists() and not args.overwrite:
        raise ParameterError(f"--out {args.out}: holds a result already (use --overwrite)")


def _print_metrics(row: dict, folder) -> None:
    import math

    from cordsim.analysis.metrics import PRIMARY_KEYS

    print(f"result: {folder}")
    for key in PRIMARY_KEYS:
        value = row.get(key)
        if isinstance(value, int | float) and math.isfinite(value):
            print(f"  {key:30s} {value:.4g}")


def _cmd_run(args: argparse.Namespace) -> int:
    import importlib

    from cordsim.errors import ParameterError
    from cordsim.models.protocols import make_protocol

    spec = _run_spec(args)
    try:
        protocol = make_protocol(
            args.protocol, **_parse_assignments(args.protocol_param, "--protocol-param")
        )
    except ParameterError as exc:
        raise ParameterError(f"--protocol {args.protocol}: {exc}") from None
    _check_run_args(args)
    # validated in full above; only now build and simulate
    from cordsim.analysis.metrics import metrics
    from cordsim.models.io import write_result

    simulate = importlib.import_module("cordsim.models.simulation").simulate
    result = simulate(spec, protocol, args.seed)
    row = metrics(result)
    info = {
        "command": "cordsim run",
        "spec_file": args.spec,
        "profile": args.profile,
        "profile_scale": args.profile_scale,
        "only": list(args.only or []),
        "params": _parse_assignments(args.param, "--param"),
        "protocol_params": _parse_assignments(args.protocol_param, "--protocol-param"),
    }
    folder = write_result(result, args.out, row, info=info)
    _print_metrics(row, folder)
    return 0


def _stack_figures(figures, path, dpi: float) -> None:
    """Render matplotlib Figures (Agg, tight bounding boxes) and save them stacked as one PNG."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import numpy as np
    from matplotlib.image import imread, imsave

    images = []
    for fig in figures:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
        buf.seek(0)
        images.append(imread(buf, format="png"))
    width = max(im.shape[1] for im in images)
    padded = [
        np.pad(im, ((0, 0), (0, width - im.shape[1]), (0, 0)), constant_values=1.0) for im in images
    ]
    imsave(path, np.vstack(padded), format="png")


def _cmd_plot(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cordsim.analysis.plots import emg_plot, raster_plot
    from cordsim.errors import ParameterError
    from cordsim.models.io import load_result

    result = load_result(args.folder, read_spec=False)
    out = Path(args.out) if args.out else Path(args.folder) / "plot.png"
    if out.suffix.lower() != ".png":
        raise ParameterError(f"--out {args.out}: the figure is a PNG (name it *.png)")
    figures = [raster_plot(result)]
    if any(p in result.populations for p in ("mn_flexor", "mn_extensor")):
        figures.append(emg_plot(result))
    out.parent.mkdir(parents=True, exist_ok=True)
    _stack_figures(figures, out, args.dpi)
    print(f"figure: {out}")
    return 0


def _add_run_and_plot(sub) -> None:
    """Register the ``run`` and ``plot`` subcommands."""
    p = sub.add_parser(
        "run",
        help="simulate one circuit (optionally with a mutation profile) into a result folder",
        description="Build the circuit (SPEC.toml or the default circuit), set --param "
        "values, apply the profile, and check all of it and the protocol before "
        "simulating. Writes spikes.parquet, spec.toml, protocol.json, run.json and "
        "metrics.json into --out and prints the main metrics.",
    )
    p.add_argument("spec", nargs="?", default=None, help="circuit spec (TOML); default circuit")
    p.add_argument("--age", choices=["adult", "juvenile"], default=None, help="default: adult")
    p.add_argument("--profile", default="wild_type", help="mutation profile (default wild_type)")
    p.add_argument(
        "--profile-scale",
        type=float,
        default=1.0,
        metavar="X",
        help="strength of the profile, 0 (wild type) to 1 (full; default)",
    )
    p.add_argument(
        "--only",
        action="append",
        metavar="CHANGE",
        help="apply only this change of the profile (repeatable)",
    )
    p.add_argument("--protocol", default="rest", help="rest, reflex, contraction, alternation")
    p.add_argument(
        "--protocol-param",
        action="append",
        metavar="KEY=VALUE",
        help="protocol parameter, e.g. n_pulses=5 (repeatable)",
    )
    p.add_argument(
        "--param",
        action="append",
        metavar="DOTTED=VALUE",
        help="spec value, e.g. pools.flexor.n_cells=10 (repeatable; set before the profile)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (>= 0; default 0)")
    p.add_argument("--out", "-o", required=True, metavar="DIR", help="result folder")
    p.add_argument("--overwrite", action="store_true", help="replace a result in --out")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "plot",
        help="raster and EMG envelopes of a result folder (PNG)",
        description="Draw the spike raster by population and the synthetic EMG envelopes "
        "of both motor pools of a `cordsim run` result folder, stacked in one PNG.",
    )
    p.add_argument("folder", metavar="DIR", help="result folder written by `cordsim run`")
    p.add_argument("--out", "-o", default=None, metavar="FILE.png", help="default DIR/plot.png")
    p.add_argument("--dpi", type=float, default=120.0, help="resolution (dots per inch)")
    p.set_defaults(func=_cmd_plot)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cordsim`` console script; returns the exit status."""
    from cordsim.errors import CordsimError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CordsimError as exc:
        print(f"cordsim: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
