"""The ``cordsim`` command line: thin wrappers around library functions.

Each subcommand is one ``_add_<name>_parser(subparsers)`` (its arguments)
and one ``_cmd_<name>(args) -> int`` (parse, call one library function,
print), registered from :data:`SUBCOMMANDS`. Nothing here simulates, measures
or draws by itself; every ``print`` of the command is here.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cordsim import __version__
from cordsim.cli_export import add_export_parser, cmd_export
from cordsim.cli_help import ExampleFormatter, examples
from cordsim.cli_info import add_info_parser, cmd_info
from cordsim.cli_profiles import add_profiles_parser, cmd_profiles
from cordsim.cli_slurm import SLURM_EXAMPLE, add_slurm_arguments, sweep_scheduler
from cordsim.cli_sweep_plot import (
    add_sweep_plot_arguments,
    check_run_plot_args,
    is_sweep_folder,
    plot_sweep,
)

#: Exit status of the ``cordsim`` command, by outcome.
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_FAILED_POINTS = 3
EXIT_INTERRUPTED = 130
EXIT_CODES = {
    EXIT_OK: "success",
    EXIT_INTERNAL: "internal error (a bug; rerun with CORDSIM_DEBUG=1 for the traceback)",
    EXIT_BAD_INPUT: "bad input or environment, reported before any long work",
    EXIT_FAILED_POINTS: "the sweep finished but some points failed (see --allow-failed)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C); finished work is kept",
}

#: Help of every ``--jobs`` option.
_JOBS_HELP = "worker processes (-1: all cores; 1: none)"


# ----------------------------------------------------------------------------- compile
def _add_compile_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "compile",
        help="compile the NMODL mechanisms into the cache",
        formatter_class=ExampleFormatter,
        epilog=examples("cordsim compile", "cordsim compile --force --plain"),
    )
    p.add_argument("--force", action="store_true", help="recompile even if cached")
    build = p.add_mutually_exclusive_group()
    build.add_argument(
        "--coreneuron",
        dest="coreneuron",
        action="store_const",
        const=True,
        help="compile with nrnivmodl -coreneuron (the default where CoreNEURON is installed)",
    )
    build.add_argument(
        "--plain",
        dest="coreneuron",
        action="store_const",
        const=False,
        help="compile without CoreNEURON support",
    )
    return p


def _cmd_compile(args: argparse.Namespace) -> int:
    from cordsim.mechanisms import compile_mechanisms, differs_from_shipped, mod_dir

    source = mod_dir()
    path = compile_mechanisms(force=args.force, coreneuron=args.coreneuron)
    print(f"compiled the mechanisms of {source}\ninto {path}")
    clone = Path.cwd() / "mechanisms"
    if clone.is_dir() and any(clone.glob("*.mod")) and differs_from_shipped(clone):
        print(
            f"note: {clone} differs from the installed copy that cordsim uses ({source}); "
            "reinstall (`pip install .` or `pip install -e .`) to simulate with your edits",
            file=sys.stderr,
        )
    return EXIT_OK


# ----------------------------------------------------------------------------- validate
def _add_validate_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "validate",
        help="measure the default cells against mouse targets",
        formatter_class=ExampleFormatter,
        epilog=examples("cordsim validate", "cordsim validate --age juvenile --json"),
    )
    p.add_argument(
        "--age",
        choices=["adult", "juvenile"],
        default=None,
        help="preset to validate (default: both)",
    )
    p.add_argument("--json", action="store_true", help="print measurements as JSON")
    p.add_argument(
        "--mn-model",
        choices=["detailed", "reduced"],
        default="detailed",
        help="motor neuron model to validate (default: detailed)",
    )
    return p


def _cmd_validate(args: argparse.Namespace) -> int:
    from cordsim.models.validation import validation_report

    code, text = validation_report(
        args.age,
        as_json=args.json,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
        mn_model=args.mn_model,
    )
    print(text)
    return code


# ----------------------------------------------------------------------------- sweep
def _add_sweep_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "sweep",
        help="run (or resume) a parameter sweep from a TOML spec",
        description="Run a parameter sweep, validated in full first. Re-running the same "
        "spec into the same folder resumes it (finished points are skipped).",
        formatter_class=ExampleFormatter,
        epilog=examples(
            "cordsim sweep sweeps/examples/toy.toml --out results/toy -j 2",
            "cordsim sweep spec.toml --out results/run1 --dask-local 4",
            SLURM_EXAMPLE,
        ),
    )
    p.add_argument("spec", help="sweep spec (TOML)")
    p.add_argument(
        "--out", "-o", default=None, help="results folder (default: the spec's [output] folder)"
    )
    p.add_argument("-j", "--jobs", type=int, default=-1, help=_JOBS_HELP)
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
    add_slurm_arguments(p, where)
    p.add_argument("--retry-failed", action="store_true", help="run failed points again")
    p.add_argument(
        "--allow-failed",
        action="store_true",
        help=f"exit 0 even when points failed (default: exit {EXIT_FAILED_POINTS})",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def _failed_exit(folder: Any, allow_failed: bool) -> int:
    """Exit status after a sweep: 3 when the folder holds failed points (unless allowed)."""
    from cordsim.sweeps.report import n_failed
    from cordsim.sweeps.results import load_sweep

    failed = n_failed(load_sweep(folder, consolidate=False))
    return EXIT_OK if allow_failed or not failed else EXIT_FAILED_POINTS


def _cmd_sweep(args: argparse.Namespace) -> int:
    from cordsim.sweeps.engine import run_sweep
    from cordsim.sweeps.spec import load_spec

    spec = load_spec(args.spec)  # validated in full: errors exit 2 before any simulation
    try:
        with sweep_scheduler(args) as scheduler:  # --scheduler, or a SLURM cluster's client
            folder = run_sweep(
                spec,
                args.out,
                n_jobs=args.jobs,
                scheduler=scheduler,
                dask_local=args.dask_local,
                retry_failed=args.retry_failed,
                progress=not args.no_progress,
                in_process=False,  # crash isolation also with -j 1
            )
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    print(f"sweep results: {folder}")
    return _failed_exit(folder, args.allow_failed)


# ----------------------------------------------------------------------------- demo
def _add_demo_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "demo",
        help="built-in sweeps: which Tor1a changes are sufficient or necessary for each sign",
        description="Run wild type, the tor1a_spinal_drg profile, its DRG-only and spinal-only "
        "controls, each change alone and the profile without each change, on 10 animals "
        "(replicate seeds that also draw the motor pools), the EMG signs in vivo and the "
        "reflex on the isolated cord; write the results folders (resumable), the answer "
        "(paired changes with 95 %% intervals, FDR-controlled verdicts, regime flags) as "
        "text, CSV and JSON, and a figure. About 5 min on 2 idle cores; --budget adds "
        "animals and dose-responses; --quick: a smoke run of about 15 s.",
        formatter_class=ExampleFormatter,
        epilog=examples(
            "cordsim demo --out results/demo -j 2",
            "cordsim demo --out results/demo-60 -j 2 --budget 60",
            "cordsim demo --out /tmp/demo --quick",
            "cordsim demo --out results/demo-screen -j 2 --mn-model reduced",
        ),
    )
    p.add_argument("--out", "-o", required=True, metavar="DIR", help="output folder")
    p.add_argument("-j", "--jobs", type=int, default=-1, help=_JOBS_HELP)
    p.add_argument("--quick", action="store_true", help="tiny circuits, 2 animals (smoke run)")
    p.add_argument(
        "--budget",
        type=float,
        metavar="MINUTES",
        help="minutes of wall time on the -j cores: more animals (up to 40) and, from 21 min, "
        "dose-responses of the full profile and of each change (default: the 7 min budget, "
        "10 animals)",
    )
    p.add_argument(
        "--mn-model",
        choices=("detailed", "reduced"),
        default="detailed",
        help="motor neuron model (default detailed, the reference); reduced: a faster "
        "screening run with the accuracy cost the README reports (experimental cell)",
    )
    p.add_argument(
        "--allow-failed",
        action="store_true",
        help=f"exit 0 even when points failed (default: exit {EXIT_FAILED_POINTS})",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    return p


def _cmd_demo(args: argparse.Namespace) -> int:
    from cordsim.errors import ParameterError
    from cordsim.sweeps.demo import run_demo

    if args.jobs == 0 or args.jobs < -1:
        raise ParameterError(f"--jobs {args.jobs}: give a number >= 1, or -1 for all cores")
    if args.quick and args.budget is not None:
        raise ParameterError("--quick and --budget exclude each other (--quick is a smoke run)")
    try:
        result = run_demo(
            args.out,
            n_jobs=args.jobs,
            quick=args.quick,
            budget_min=args.budget,
            progress=not args.no_progress,
            in_process=False,  # crash isolation also with -j 1
            mn_model=args.mn_model,
        )
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    print(result.text)
    print(f"\nfigure: {result.figure}\nsummary: {result.folder / 'summary.json'}")
    from cordsim.sweeps.report import n_failed

    return EXIT_OK if args.allow_failed or not n_failed(result.frame) else EXIT_FAILED_POINTS


# ----------------------------------------------------------------------------- run
def _add_run_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "run",
        help="simulate one circuit (optionally with a mutation profile) into a result folder",
        description="Build the circuit (SPEC.toml or the default circuit), set --param "
        "values, apply the profile, and check all of it and the protocol before "
        "simulating. Writes spikes.parquet, spec.toml, protocol.json, run.json and "
        "metrics.json into --out and prints the main metrics.",
        formatter_class=ExampleFormatter,
        epilog=examples(
            "cordsim run --protocol reflex --out results/wt",
            "cordsim run --profile tor1a_spinal_drg --only mn_nap --protocol contraction "
            "--out results/nap",
        ),
    )
    p.add_argument("spec", nargs="?", default=None, help="circuit spec (TOML); default circuit")
    p.add_argument("--age", choices=["adult", "juvenile"], default=None, help="default: adult")
    p.add_argument(
        "--preparation",
        choices=["default", "isolated_cord"],
        default=None,
        help="isolated_cord: the isolated juvenile cord of dorsal-root / ventral-root "
        "experiments (implies --age juvenile; default: the age's circuit)",
    )
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
    p.add_argument(
        "--protocol",
        default="rest",
        help="rest, reflex, contraction, alternation, cord_reflex (isolated cord: dorsal-root "
        "trains scored on the ventral root)",
    )
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
    p.add_argument(
        "--engine",
        choices=["auto", "neuron", "coreneuron"],
        default=None,
        help="simulation engine (sets solver.engine; default auto: CoreNEURON where "
        "installed, the same spikes as NEURON, faster)",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=None,
        metavar="N",
        help="NEURON threads for this run (sets solver.threads; default 1)",
    )
    p.add_argument(
        "--mn-model",
        choices=["detailed", "reduced"],
        default=None,
        help="motor neuron model of the pools (spec field mn_model; default: the spec's, "
        "detailed; reduced is experimental, see the README)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (>= 0; default 0)")
    p.add_argument("--out", "-o", required=True, metavar="DIR", help="result folder")
    p.add_argument("--overwrite", action="store_true", help="replace a result in --out")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def _parse_value(text: str) -> Any:
    """A command-line value: a TOML literal (``2``, ``0.5``, ``true``) or else a string."""
    from cordsim.files import TOMLDecodeError, loads_toml

    try:
        return loads_toml(f"v = {text}")["v"]
    except TOMLDecodeError:
        return text


def _parse_assignments(items: Sequence[str] | None, option: str) -> dict[str, Any]:
    """``["a.b=1", ...]`` -> ``{"a.b": 1, ...}``; a malformed item is a ParameterError."""
    from cordsim.errors import ParameterError

    values = {}
    for item in items or ():
        key, sep, text = item.partition("=")
        if not sep or not key.strip() or not text.strip():
            raise ParameterError(f"{option} {item!r}: expected NAME=VALUE")
        values[key.strip()] = _parse_value(text.strip())
    return values


def _run_spec(args: argparse.Namespace) -> Any:
    """The circuit spec of ``cordsim run``: file or default, ``--param``, then the profile."""
    from cordsim.errors import ParameterError
    from cordsim.models.circuit import CircuitSpec, circuit_spec
    from cordsim.models.profiles import apply_profile

    params = _parse_assignments(args.param, "--param")
    options = {  # the run options that are spec values, set after --param
        option: (dotted, value)
        for option, dotted, value in (
            ("--engine", "solver.engine", args.engine),
            ("--threads", "solver.threads", args.threads),
            ("--mn-model", "mn_model", args.mn_model),
        )
        if value is not None
    }
    if args.spec is None:
        preparation = args.preparation or "default"
        if preparation == "isolated_cord" and args.age == "adult":
            raise ParameterError(
                "--preparation isolated_cord is a juvenile preparation; drop --age adult"
            )
        age = "juvenile" if preparation == "isolated_cord" else (args.age or "adult")
        spec = circuit_spec(age, preparation=preparation)
    else:
        spec = CircuitSpec.from_toml(args.spec)
        for option, given, have in (
            ("--age", args.age, spec.age),
            ("--preparation", args.preparation, spec.preparation),
        ):
            if given is not None and given != have:
                raise ParameterError(
                    f"{option} {given} conflicts with {option[2:]} {have!r} of {args.spec} "
                    f"(set it in the spec file, or drop {option})"
                )
    for option, values in (("--param", params), *((o, dict([v])) for o, v in options.items())):
        try:
            spec = spec.with_values(values)
        except ParameterError as exc:
            raise ParameterError(f"{option}: {exc}") from None
    return apply_profile(spec, args.profile, args.profile_scale, only=args.only or None)


def _check_run_args(args: argparse.Namespace) -> None:
    """Seed and output folder checks of ``cordsim run`` (before anything simulates)."""

    from cordsim.errors import ParameterError
    from cordsim.models.result_folder import METRICS_FILE

    if args.seed < 0:
        raise ParameterError(f"--seed {args.seed} must be >= 0")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {args.out}: exists and is not a folder")
    if (out / METRICS_FILE).exists() and not args.overwrite:
        raise ParameterError(f"--out {args.out}: holds a result already (use --overwrite)")
    from cordsim.folders import check_writable_folder

    check_writable_folder(out, what="--out")  # before simulating: nothing finished is lost


def _checked_estimate(spec: Any) -> Any:
    """The size and memory estimate of the circuit, checked against this machine's memory."""
    from cordsim.models.resources import check_memory, estimate_resources

    estimate = estimate_resources(spec)
    check_memory(estimate)
    return estimate


@contextmanager
def _simulated_time_bar(args: argparse.Namespace, tstop_ms: float) -> Iterator[Any]:
    """A tqdm bar over simulated time (ms) on stderr, as a ``simulate`` progress callback."""
    from tqdm.auto import tqdm

    bar = tqdm(
        total=float(tstop_ms),
        desc=f"simulating {args.protocol}",
        unit="ms",
        unit_scale=False,
        disable=args.no_progress,
        file=sys.stderr,
        dynamic_ncols=True,
        bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} ms "
        "[{elapsed}<{remaining}]",
    )

    def progress(t_ms: float, tstop_ms: float) -> None:
        bar.total = tstop_ms
        bar.update(t_ms - bar.n)

    try:
        yield progress
    finally:
        bar.close()


def _print_metrics(row: dict[str, Any], folder: Any) -> None:
    import math

    from cordsim.analysis import PRIMARY_KEYS

    print(f"result: {folder}")
    # the primary keys, the per-cell rate extremes (a pool mean can hide two
    # cells at 250 Hz), and the ventral-root scores of isolated-cord runs
    extra = [
        k
        for k in row
        if k.startswith(("mn_max_cell_rate_hz_", "mn_recruited_fraction_", "reflex_depression_"))
        or k.startswith("vr_")
    ]
    for key in dict.fromkeys([*PRIMARY_KEYS, *extra]):
        value = row.get(key)
        if isinstance(value, int | float) and math.isfinite(value):
            print(f"  {key:30s} {value:.4g}")


#: Environment variables that MPI launchers (Open MPI, MPICH/Hydra, PMIx) set.
_MPI_ENV = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK")


def _mpi_rank() -> int:
    """This process's rank, after starting NEURON's MPI (the process runs under mpiexec).

    Under ``mpiexec -n N cordsim run ...`` the circuit is split over the N
    ranks (see :mod:`cordsim.models.network`); rank 0 writes the result.
    """
    from neuron import h

    h.nrnmpi_init()  # before the first ParallelContext
    return int(h.ParallelContext().id())


def _cmd_run(args: argparse.Namespace) -> int:
    if not any(os.environ.get(k) for k in _MPI_ENV):  # not launched by mpiexec
        return _run(args, rank=0)
    from neuron import h

    rank = _mpi_rank()
    try:
        code = _run(args, rank=rank)
    except Exception as exc:  # report it here: h.quit below ends the process
        print(f"cordsim run (MPI rank {rank}): {type(exc).__name__}: {exc}", file=sys.stderr)
        code = 2
    sys.stdout.flush()
    sys.stderr.flush()
    # every rank must finalize MPI or mpiexec reports an abnormal exit; in
    # Python, NEURON finalizes MPI only in quit(), which exits with ``code``
    h.quit(code)
    return code  # pragma: no cover


def _run(args: argparse.Namespace, rank: int) -> int:
    from cordsim.errors import ParameterError
    from cordsim.models.protocols import make_protocol

    if rank != 0:
        args.no_progress = True  # rank 0 alone reports
    spec = _run_spec(args)
    try:
        protocol = make_protocol(
            args.protocol, **_parse_assignments(args.protocol_param, "--protocol-param")
        )
    except ParameterError as exc:
        raise ParameterError(f"--protocol {args.protocol}: {exc}") from None
    estimate = _checked_estimate(spec)
    _check_run_args(args)
    if not args.no_progress:
        print(f"cordsim run: {estimate}; {spec.solver.label()}", file=sys.stderr, flush=True)
    # validated in full above; only now build and simulate
    from cordsim.analysis import metrics
    from cordsim.models import simulation
    from cordsim.models.result_folder import write_result

    with _simulated_time_bar(args, protocol.tstop_ms) as progress:
        result = simulation.simulate(spec, protocol, args.seed, progress=progress)
    if result is None:  # an MPI rank other than 0: rank 0 writes the result
        return 0
    trace = None
    if "ventral_root" in result.protocol.measures:  # one recording, scored and written
        from cordsim.analysis.ventral_root import ventral_root_trace

        trace = ventral_root_trace(result)
    row = metrics(result, ventral_root=trace)
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
    if trace is not None:
        from cordsim.analysis.ventral_root import VENTRAL_ROOT_FILE, write_ventral_root

        write_ventral_root(folder, trace)
        print(f"ventral-root recording: {folder / VENTRAL_ROOT_FILE}", file=sys.stderr)
        if result.protocol.stim_times_ms:
            _write_cord_scores(result, trace, folder)
    _print_metrics(row, folder)
    return 0


def _write_cord_scores(result: Any, trace: Any, folder: Path) -> None:
    """Every volley's ventral-root scores to a CSV; the stimulated root's means by rate printed."""
    from cordsim.analysis.cord_reflex import rate_responses, volley_scores, write_volley_scores

    scores = volley_scores(result, trace)
    path = write_volley_scores(folder, scores)
    agonist = result.protocol.agonist or "flexor"
    table = rate_responses(scores[scores["root"] == agonist], result.protocol.n_discard or 1)
    shown = ["rate_hz", "n_frames", "vr_onset_latency_ms", "vr_peak_amplitude_uv"]
    shown += ["vr_area_uv_ms", "vr_peak_amplitude_depression"]
    print(f"ventral-root scores ({agonist} root, means by rate; every volley in {path}):")
    print(table[shown].to_string(index=False, float_format=lambda x: f"{x:.3g}"))


# ----------------------------------------------------------------------------- plot
def _add_plot_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "plot",
        help="raster and EMG of a run folder, or a metric of a sweep folder (PNG)",
        description="Draw the spike raster by population and the synthetic EMG envelopes "
        "of both motor pools of a `cordsim run` result folder, in one PNG. Given a sweep "
        "results folder, draw --metric against one parameter (every replicate a point, "
        "mean +/- SD) or, with --y, a heat map of its mean over two parameters.",
        formatter_class=ExampleFormatter,
        epilog=examples(
            "cordsim plot results/wt                      # run folder: raster and EMG",
            "cordsim plot results/toy --metric rate_hz --x toy.rate_hz --protocol rest",
            "cordsim plot results/toy -m rate_hz --x toy.rate_hz --y toy.weight --protocol rest",
        ),
    )
    p.add_argument("folder", metavar="DIR", help="run folder or sweep results folder")
    p.add_argument(
        "--out", "-o", default=None, metavar="FILE.png", help="default DIR/plot.png (run folder)"
    )
    p.add_argument("--dpi", type=float, default=120.0, help="resolution (dots per inch)")
    add_sweep_plot_arguments(p)
    return p


def _cmd_plot(args: argparse.Namespace) -> int:

    from cordsim.analysis.plots import run_overview_figure
    from cordsim.errors import ParameterError
    from cordsim.models.result_folder import load_result

    if is_sweep_folder(args.folder):
        return plot_sweep(args)
    check_run_plot_args(args)
    result = load_result(args.folder, read_spec=False)
    out = Path(args.out) if args.out else Path(args.folder) / "plot.png"
    if out.suffix.lower() != ".png":
        raise ParameterError(f"--out {args.out}: the figure is a PNG (name it *.png)")
    from cordsim.analysis.ventral_root import VENTRAL_ROOT_FILE, read_ventral_root

    has_vr = (Path(args.folder) / VENTRAL_ROOT_FILE).is_file()
    figure = run_overview_figure(
        result, ventral_root=read_ventral_root(args.folder) if has_vr else None
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, format="png", dpi=args.dpi, bbox_inches="tight", facecolor="white")
    print(f"figure: {out}")
    return 0


# ----------------------------------------------------------------------------- examples
def _add_examples_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "examples",
        help="list the example sweep specs (or copy them to a folder)",
        description="List the example sweep specs shipped with cordsim, with their paths; "
        "--copy DIR copies them into DIR to edit and run.",
        formatter_class=ExampleFormatter,
        epilog=examples("cordsim examples", "cordsim examples --copy my_specs"),
    )
    p.add_argument("--copy", metavar="DIR", default=None, help="copy the specs into DIR")
    p.add_argument("--overwrite", action="store_true", help="replace specs already in DIR")
    return p


def _cmd_examples(args: argparse.Namespace) -> int:
    from cordsim.sweeps.examples_index import copy_examples, example_description, example_specs

    if args.copy is not None:
        for path in copy_examples(args.copy, overwrite=args.overwrite):
            print(path)
        return EXIT_OK
    for name, path in example_specs().items():
        print(f"{name:16s} {example_description(path)}\n{'':16s} {path}")
    return EXIT_OK


# ----------------------------------------------------------------------------- score
def _add_score_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "score",
        help="score evoked ventral-root potentials of a trace file (one row per frame)",
        description="Score every frame of a recorded or exported ventral-root trace "
        "(.csv, .npy, .abf, .smr, .smrx) with the rules of the Brownstone lab's Signal "
        "script (baseline stim-15..-5 ms, threshold mean+2SD, response stim+2..+55 ms); "
        "see cordsim.analysis.vr_scoring.",
        formatter_class=ExampleFormatter,
        epilog=examples(
            "cordsim score recording.abf --stim-ms 100",
            "cordsim score trace.npy --fs 10000 --stim-ms 50 --min-sd-uv 1 --json",
        ),
    )
    p.add_argument("trace", metavar="TRACE", help="trace file")
    p.add_argument(
        "--stim-ms",
        type=float,
        required=True,
        metavar="T",
        help="stimulus time in each frame (ms; for CSV, on the file's time column)",
    )
    p.add_argument("--fs", type=float, default=None, metavar="HZ", help="sampling rate (Hz)")
    p.add_argument("--channel", default=None, metavar="NAME", help="channel name or index")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object a frame")
    p.add_argument(
        "--falling-threshold",
        action="store_true",
        help="end the positive phase at baseline - 2 SD (the script's BL(+/-)2SD)",
    )
    p.add_argument(
        "--complex", action="store_true", help="complex-waveform rules (largest/first peak)"
    )
    p.add_argument(
        "--min-sd-uv",
        type=float,
        default=None,
        metavar="UV",
        help="floor on the baseline SD used for the threshold (needed for noise-free traces)",
    )
    return p


def _cmd_score(args: argparse.Namespace) -> int:
    import json
    import math

    from cordsim.analysis.trace_files import read_trace
    from cordsim.analysis.vr_scoring import ScoringRules, score_frames

    channel: Any = args.channel
    if channel is not None and str(channel).isdigit():
        channel = int(channel)
    recording = read_trace(args.trace, fs_hz=args.fs, channel=channel)
    rules = ScoringRules(
        falling_threshold=args.falling_threshold,
        complex_mode=args.complex,
        min_threshold_sd_uv=args.min_sd_uv,
    )
    table = score_frames(
        recording.frames_uv, recording.fs_hz, args.stim_ms - recording.t0_ms, rules
    )
    if args.json:
        rows = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in table.to_dict(orient="records")
        ]
        print(json.dumps(rows, indent=1, allow_nan=False))
        return EXIT_OK
    print(table.to_string(index=False, float_format=lambda v: f"{v:.6g}"))
    return EXIT_OK


# ----------------------------------------------------------------------------- the command
#: Every subcommand, in ``cordsim --help`` order: (add its parser, run it).
SUBCOMMANDS: tuple[
    tuple[Callable[[Any], argparse.ArgumentParser], Callable[[argparse.Namespace], int]], ...
] = (
    (_add_compile_parser, _cmd_compile),
    (_add_validate_parser, _cmd_validate),
    (_add_sweep_parser, _cmd_sweep),
    (_add_demo_parser, _cmd_demo),
    (_add_run_parser, _cmd_run),
    (_add_plot_parser, _cmd_plot),
    (_add_examples_parser, _cmd_examples),
    (_add_score_parser, _cmd_score),
    (add_profiles_parser, cmd_profiles),
    (add_info_parser, cmd_info),
    (add_export_parser, cmd_export),
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``cordsim`` command."""
    parser = argparse.ArgumentParser(
        prog="cordsim",
        description="Mouse lumbar spinal microcircuits on NEURON (Tor1a dystonia profiles).",
    )
    parser.add_argument("--version", action="version", version=f"cordsim {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for add_parser, command in SUBCOMMANDS:
        add_parser(subparsers).set_defaults(func=command)
    return parser


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _os_error_message(exc: OSError) -> str:
    """``[Errno 13] Permission denied: 'x'`` -> ``x: permission denied``."""
    reason = (exc.strerror or type(exc).__name__).lower()
    name = exc.filename
    return f"{name}: {reason}" if name else _one_line(str(exc)) or reason


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cordsim`` console script; returns the exit status.

    Every error is one line on stderr (``cordsim: error: ...``) with an exit
    status from :data:`EXIT_CODES`; ``CORDSIM_DEBUG=1`` re-raises instead.
    """
    import os

    from cordsim.errors import CordsimError

    parser = build_parser()
    args = parser.parse_args(argv)
    debug = bool(os.environ.get("CORDSIM_DEBUG"))
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        if debug:
            raise
        print("cordsim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except CordsimError as exc:
        if debug:
            raise
        print(f"cordsim: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # a file or folder the user named
        if debug:
            raise
        print(f"cordsim: error: {_os_error_message(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - a bug: say so in one line
        if debug:
            raise
        print(
            f"cordsim: internal error: {type(exc).__name__}: {_one_line(exc)[:300]} "
            "(rerun with CORDSIM_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
