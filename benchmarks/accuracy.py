"""Accuracy study: what each faster setting changes, next to the seed-to-seed spread.

Issue 14's rule for changing a default: a faster candidate may become the
default only where every validated single-cell property stays within 3 % of
the reference and the mean of every circuit metric stays within half a
seed-to-seed SD of the reference mean. This script measures exactly that.

Settings compared (each in a fresh subprocess, so mechanism builds and NEURON
globals never leak from one to the next):

- ``reference``: NEURON, dt 0.025 ms, backward Euler, the rate tables of
  ``csh``, ``csna`` and ``cskdr`` switched off (``usetable_<suffix> = 0``: the
  analytic rates and the exact one-step update's exponential each step, as
  before the tables);
- ``tables``: the same with the tables on (the shipped mechanisms);
- ``csh_table``: only csh's table on (the shipped mechanisms before csna and
  cskdr got theirs);
- ``coreneuron``: the shipped defaults run by CoreNEURON (circuit only: single
  cells are measured with NEURON's SaveState rig, which CoreNEURON does not run);
- ``dt0.05_cn``: dt 0.05 ms with ``secondorder = 2`` (Crank-Nicolson), NEURON;
- ``reduced``: the reduced motor neuron (``mn_model = "reduced"``), if present;
- ``all_dendrites``: the reference with every dendrite of every motor neuron
  and interneuron built (``collapse_identical_dendrites=False``; the cells
  before they collapsed their identical dendrites), if this version can
  choose. What the collapse changes is its difference from the reference;
- ``other_seeds``: the reference itself on the next seeds (N+1..2N; circuit
  only). Not a setting but the rule's null: how many metrics a candidate that
  is the reference, with other noise and connectivity draws, puts beyond half
  a seed SD. With 5 seeds the difference of two independent means has an SD
  of about 0.63 reference SDs, so many do.

For each: the validated properties of every default cell of both presets
(:func:`cordsim.models.validation.validate_cells`) and the metrics
(:func:`cordsim.analysis.metrics`) of the default adult circuit under short
versions of the four protocols (those of the behaviour baselines in
``tests/data/short_protocol_hashes.json``) for ``--seeds`` seeds. Printed:
per candidate, the largest relative change of a validated property, and for
every metric the change of its mean in units of the reference's seed SD
(``|d| / SD``), with the verdict of the rule. ``--csv`` writes every row.

Usage::

    python benchmarks/accuracy.py                       # 5 seeds, every candidate
    python benchmarks/accuracy.py --seeds 2 --candidates tables,coreneuron --no-cells
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASELINES = ROOT / "tests" / "data" / "short_protocol_hashes.json"

#: Candidate -> how it differs from the shipped defaults.
CANDIDATES: dict[str, dict[str, Any]] = {
    "reference": {"spec": {"solver.engine": "neuron"}, "tables": False},
    "tables": {"spec": {"solver.engine": "neuron"}, "tables": True},
    "csh_table": {"spec": {"solver.engine": "neuron"}, "tables": ("csh",)},
    "coreneuron": {"spec": {"solver.engine": "coreneuron"}, "tables": True, "cells": False},
    "dt0.05_cn": {
        "spec": {"solver.engine": "neuron", "solver.dt_ms": 0.05, "solver.secondorder": 2},
        "tables": True,
        "cell_solver": {"dt_ms": 0.05, "secondorder": 2},
    },
    "reduced": {"spec": {"mn_model": "reduced"}, "tables": True, "mn_model": "reduced"},
    "all_dendrites": {"spec": {"solver.engine": "neuron"}, "tables": False, "all_dendrites": True},
    "other_seeds": {
        "spec": {"solver.engine": "neuron"},
        "tables": False,
        "cells": False,
        "next_seeds": True,
    },
}
#: Largest relative change of a validated property for a default to change.
PROPERTY_TOLERANCE = 0.03
#: Largest change of a metric's mean, in reference seed SDs, for a default to change.
METRIC_TOLERANCE_SD = 0.5


# ----------------------------------------------------------------------------- worker
def _set_tables(on: bool | tuple[str, ...]) -> None:
    """Switch mechanisms' TABLEs on or off (NEURON's ``usetable_<suffix>``).

    ``on``: True (every table), False (none) or the suffixes whose tables are on.
    """
    from neuron import h

    for suffix in ("csh", "cscal", "csna", "csnap", "cskdr", "cscan", "cssk", "cscad"):
        name = f"usetable_{suffix}"
        if hasattr(h, name):
            wanted = suffix in on if isinstance(on, tuple) else on
            setattr(h, name, 1 if wanted else 0)


def _force_cell_solver(dt_ms: float, secondorder: int) -> None:
    """Make every single-cell run of this process use ``dt_ms`` and ``secondorder``."""
    from cordsim.models import solver

    original = solver.configure_solver

    def forced(*, tstop_ms: float, celsius: float, **_ignored: Any) -> None:
        original(tstop_ms=tstop_ms, celsius=celsius, dt_ms=dt_ms, secondorder=secondorder)

    solver.configure_solver = forced


def _build_every_dendrite() -> None:
    """Make every motor neuron and interneuron of this process build all its dendrites."""
    from cordsim.models.cells.interneurons import Interneuron
    from cordsim.models.cells.motor_neuron import MotorNeuron

    for cls in (MotorNeuron, Interneuron):
        cls.__init__.__kwdefaults__["collapse_identical_dendrites"] = False


def _cell_properties(candidate: dict[str, Any]) -> dict[str, float]:
    from cordsim.models.validation import validate_cells

    out: dict[str, float] = {}
    for age in ("adult", "juvenile"):
        kwargs = {}
        if candidate.get("mn_model") == "reduced":
            from cordsim.models.cells.reduced_motor_neuron import reduced_default_cells

            kwargs["factories"] = reduced_default_cells(age)
        frame = validate_cells(age, **kwargs)
        for row in frame.itertuples():
            out[f"{age}/{row.cell}/{row.property}"] = float(row.value)
    return out


def _circuit_metrics(candidate: dict[str, Any], seeds: list[int]) -> dict[str, list[float]]:
    from cordsim import circuit_spec, make_protocol, simulate
    from cordsim.analysis import metrics

    baselines = json.loads(BASELINES.read_text())["protocols"]
    spec = circuit_spec("adult").with_values(candidate["spec"])
    out: dict[str, list[float]] = {}
    for name in ("rest", "reflex", "contraction", "alternation"):
        protocol = make_protocol(name, **baselines[name]["params"])
        for seed in seeds:
            row = metrics(simulate(spec, protocol, seed))
            for key, value in row.items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    out.setdefault(f"{name}/{key}", []).append(float(value))
    return out


def worker(name: str, seeds: list[int], cells: bool) -> dict[str, Any]:
    """Measure one candidate in this (fresh) process."""
    from cordsim.mechanisms import load

    candidate = CANDIDATES[name]
    load()
    _set_tables(candidate["tables"])
    if candidate.get("all_dendrites"):
        _build_every_dendrite()
    started = time.perf_counter()
    result: dict[str, Any] = {"candidate": name}
    if cells and candidate.get("cells", True):
        if "cell_solver" in candidate:
            _force_cell_solver(**candidate["cell_solver"])
        result["cells"] = _cell_properties(candidate)
    if candidate.get("next_seeds"):
        seeds = [seed + max(seeds) for seed in seeds]
    t0 = time.perf_counter()
    result["metrics"] = _circuit_metrics(candidate, seeds)
    result["circuit_wall_s"] = time.perf_counter() - t0
    result["wall_s"] = time.perf_counter() - started
    return result


# ----------------------------------------------------------------------------- report
def _mean_sd(values: list[float]) -> tuple[float, float]:
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return math.nan, math.nan
    mean = sum(finite) / len(finite)
    if len(finite) < 2:
        return mean, math.nan
    var = sum((v - mean) ** 2 for v in finite) / (len(finite) - 1)
    return mean, math.sqrt(var)


def compare(reference: dict[str, Any], other: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of (kind, name, reference, candidate, change, tolerance, ok)."""
    rows = []
    for key, ref in reference.get("cells", {}).items():
        if "cells" not in other:
            break
        value = other["cells"].get(key, math.nan)
        rel = abs(value - ref) / abs(ref) if ref else abs(value - ref)
        ok = (math.isnan(ref) and math.isnan(value)) or rel <= PROPERTY_TOLERANCE
        rows.append(
            {
                "kind": "cell",
                "name": key,
                "reference": ref,
                "candidate": value,
                "change": rel,
                "ok": ok,
            }
        )
    for key, ref_values in reference["metrics"].items():
        ref_mean, ref_sd = _mean_sd(ref_values)
        mean, _ = _mean_sd(other["metrics"].get(key, []))
        if math.isnan(ref_mean) and math.isnan(mean):
            continue
        diff = abs(mean - ref_mean)
        if ref_sd and math.isfinite(ref_sd):
            change = diff / ref_sd
        else:  # no seed spread: only an exact match passes
            change = 0.0 if diff == 0 else math.inf
        rows.append(
            {
                "kind": "metric",
                "name": key,
                "reference": ref_mean,
                "candidate": mean,
                "change": change,
                "sd": ref_sd,
                "ok": change <= METRIC_TOLERANCE_SD,
            }
        )
    return rows


def _run_candidate(name: str, seeds: list[int], cells: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", name, "--seeds", ",".join(map(str, seeds))]
    if not cells:
        command.append("--no-cells")
    done = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"candidate {name} failed:\n{done.stderr[-2000:]}")
    return json.loads(lines[-1])


def _available(name: str) -> bool:
    if name == "all_dendrites":
        import inspect

        from cordsim.models.cells.motor_neuron import MotorNeuron

        return "collapse_identical_dendrites" in inspect.signature(MotorNeuron).parameters
    if name != "reduced":
        return True
    try:
        from cordsim.models.cells import reduced_motor_neuron  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="5", help="a count N (seeds 1..N) or a list 1,2,3")
    parser.add_argument("--candidates", default=",".join(c for c in CANDIDATES if c != "reference"))
    parser.add_argument("--no-cells", action="store_true", help="circuit metrics only")
    parser.add_argument("--csv", default=None, help="write every compared value here")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    seeds = (
        [int(s) for s in args.seeds.split(",")]
        if "," in args.seeds
        else list(range(1, int(args.seeds) + 1))
    )
    if args.worker:
        print(json.dumps(worker(args.worker, seeds, not args.no_cells)))
        return
    names = [n for n in args.candidates.split(",") if n]
    unknown = [n for n in names if n not in CANDIDATES]
    if unknown:
        parser.error(f"unknown candidate(s) {unknown}; choose from {list(CANDIDATES)}")
    skipped = [n for n in names if not _available(n)]
    names = [n for n in names if n not in skipped]
    reference = _run_candidate("reference", seeds, not args.no_cells)
    print(
        f"accuracy study: {len(seeds)} seeds x 4 short protocols, default adult circuit; "
        f"reference (analytic rates, NEURON, dt 0.025 ms) took {reference['wall_s']:.0f} s "
        f"(circuit {reference['circuit_wall_s']:.0f} s)"
    )
    if skipped:
        print(f"skipped (not in this version): {', '.join(skipped)}")
    all_rows = []
    print(
        f"{'candidate':<14}{'circuit speed-up':>17}{'max cell change':>17}"
        f"{'metrics ok':>12}{'worst metric |d|/SD':>34}  verdict"
    )
    for name in names:
        result = _run_candidate(name, seeds, not args.no_cells)
        rows = compare(reference, result)
        all_rows += [{"candidate_name": name, **r} for r in rows]
        cells = [r for r in rows if r["kind"] == "cell"]
        metrics = [r for r in rows if r["kind"] == "metric"]
        worst = max(metrics, key=lambda r: r["change"]) if metrics else None
        cell_text = f"{100 * max(r['change'] for r in cells):.2f} %" if cells else "n/a"
        worst_text = f"{worst['name']} {worst['change']:.2f}" if worst else "n/a"
        ok = all(r["ok"] for r in rows)
        print(
            f"{name:<14}{reference['circuit_wall_s'] / result['circuit_wall_s']:>16.2f}x"
            f"{cell_text:>17}{sum(r['ok'] for r in metrics):>6}/{len(metrics):<5}"
            f"{worst_text:>34}  {'within the rule' if ok else 'outside the rule'}"
        )
    if args.csv:
        import pandas as pd

        pd.DataFrame(all_rows).to_csv(args.csv, index=False)
        print(f"wrote {args.csv}")


if __name__ == "__main__":
    main()
