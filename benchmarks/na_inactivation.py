"""What moving Na inactivation toward recorded half-voltages costs (issue 10).

The default motor neurons inactivate their fast Na current at about -32 mV
(adult soma; -23 mV in the largest adult pool cell, -23 mV in the juvenile
default cell): Booth et al.'s (1997) curve (-55 mV) moved by ``vshift_na_h_mv``.
Somatic patch recordings put it much lower (neonatal rat motor neurons:
-81.6 mV, Safronov & Vogel 1995). The shift is there because Booth et al.'s
inactivation recovers slowly (time constant up to 15 ms at -50 mV, 37 degC):
with the curve lower, the cells cannot sustain high rates.

This script measures candidates that move the curve down and speed its
kinetics up (``na_h_tau_scale`` < 1; Booth et al. = 1), with the SK current's
Ca2+ sensitivity (``ca_free_fraction``) as the compensating lever for the
afterhyperpolarisation. For each candidate, given as ``NAME=VALUE,...`` of
:class:`~cordsim.models.cells.motor_neuron_parameters.MotorNeuronParams`
changes to the preset's default cell (the pool follows), it prints:

1. ``cordsim validate``'s verdicts on the three motor neurons of the age (the
   default cell, the pool's smallest and largest cells): passes, and each
   failing property with its value and range;
2. a few measured properties of each of the three cells (rheobase, step F-I
   gain, steady rate at 3x rheobase, AHP depth and time constant, recruitment
   ISI CV2, effective half-inactivation at the soma);
3. the largest cell's step F-I curve (the ``fi`` protocol's steps at 0.75-3x
   rheobase: spike count, steady rate, first instantaneous rate), which shows
   where a candidate enters depolarisation block.

    python benchmarks/na_inactivation.py --age adult \\
        --candidate "" \\
        --candidate "vshift_na_h_mv=13,na_h_tau_scale=0.35,ca_free_fraction=0.0007"

An empty candidate is the preset itself. Each candidate takes about 90 s on
one core (adult: the ramps run under 5 noise seeds); ``--jobs`` runs
candidates in parallel processes.
"""

from __future__ import annotations

import argparse
import math
from concurrent.futures import ProcessPoolExecutor
from functools import partial

#: Properties printed for each of the three motor neurons.
SHOWN = (
    "rheobase_na",
    "fi_slope_hz_per_na",
    "f_steady_3x_hz",
    "ahp_depth_mv",
    "ahp_tau_ms",
    "recruitment_isi_cv2",
    "na_inactivation_v_half_mv",
)
CELLS = ("motor_neuron", "pool_smallest", "pool_largest")


def parse_candidate(text: str) -> dict[str, float]:
    """``"a=1,b=2"`` -> ``{"a": 1.0, "b": 2.0}``; ``""`` -> ``{}``.

    Raises
    ------
    ValueError
        For an item without ``=``, a value that is not a number, or a name that
        is not a motor neuron parameter.
    """
    from cordsim.models.cells.motor_neuron_parameters import MotorNeuronParams

    known = set(MotorNeuronParams.__dataclass_fields__)
    changes: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"candidate item {item!r} is not NAME=VALUE")
        if name not in known:
            raise ValueError(f"{name!r} is not a motor neuron parameter")
        try:
            changes[name] = float(value)
        except ValueError:
            raise ValueError(f"{name}: {value!r} is not a number") from None
    return changes


def measure(age: str, changes: dict[str, float]) -> str:
    """The report lines of one candidate (runs in its own process)."""
    from cordsim.mechanisms import load
    from cordsim.models.cells.motor_neuron import MotorNeuron
    from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params
    from cordsim.models.measurement.cell_protocols import fi_curve
    from cordsim.models.measurement.settings import settings_for
    from cordsim.models.pool import pool_cell_params
    from cordsim.models.validation import validate_cells

    load()
    base = motor_neuron_params(age, **changes)
    pool = pool_cell_params(age, base=base)
    factories = {
        "motor_neuron": partial(MotorNeuron, base),
        "pool_smallest": partial(MotorNeuron, pool[0]),
        "pool_largest": partial(MotorNeuron, pool[-1]),
    }
    table = validate_cells(age, cells=CELLS, factories=factories)
    label = ", ".join(f"{k}={v:g}" for k, v in changes.items()) or "preset"
    lines = [f"== {age}: {label}", f"targets: {int(table['pass'].sum())} of {len(table)} pass"]
    for _, row in table[~table["pass"]].iterrows():
        lines.append(
            f"  FAIL {row['cell']} {row['property']} = {row['value']:.4g}"
            f" (range {row['low']:g} to {row['high']:g})"
        )
    measured = table.attrs["measurements"]
    for cell in CELLS:
        values = " ".join(f"{k}={measured[cell].get(k, math.nan):.3g}" for k in SHOWN)
        lines.append(f"  {cell}: {values}")
    rheobase = measured["pool_largest"]["rheobase_na"]
    if math.isfinite(rheobase):
        curve = fi_curve(MotorNeuron(pool[-1]), settings_for(age), rheobase_na=rheobase)
        lines.append("  largest cell's step F-I (x rheobase: spikes, steady Hz, first Hz):")
        for _, row in curve.iterrows():
            lines.append(
                f"    {row['current_na'] / rheobase:.2f}x ({row['current_na']:.1f} nA):"
                f" {int(row['n_spikes'])}, {row['steady_rate_hz']:.0f},"
                f" {row['first_rate_hz']:.0f}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--age", default="adult", choices=("adult", "juvenile"))
    parser.add_argument(
        "--candidate",
        action="append",
        default=None,
        help='NAME=VALUE,... changes of the default cell ("" = the preset); repeatable',
    )
    parser.add_argument("--jobs", type=int, default=1, help="candidates run in parallel")
    args = parser.parse_args()
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, not {args.jobs}")
    texts = args.candidate if args.candidate is not None else [""]
    # every candidate checked (names, numbers, the parameters' ranges) before any run
    from cordsim.errors import CordsimError
    from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params

    candidates = []
    for text in texts:
        try:
            changes = parse_candidate(text)
            motor_neuron_params(args.age, **changes)
        except (ValueError, CordsimError) as err:
            parser.error(f"candidate {text!r}: {err}")
        candidates.append(changes)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for report in pool.map(partial(measure, args.age), candidates):
            print(report, flush=True)


if __name__ == "__main__":
    main()
