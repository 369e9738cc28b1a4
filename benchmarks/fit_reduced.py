"""Fit the reduced motor neuron's correction factors to the detailed cell.

For each age and each of a few pool positions (size index 0, 0.5, 1) the
detailed :class:`~cordsim.models.cells.motor_neuron.MotorNeuron` is measured
once (``measure_cell``, protocols passive, rheobase, spike, fi) and the four
factors of :class:`~cordsim.models.cells.reduced_motor_neuron.ReducedScales`
(leak, dendritic L-type Ca2+, somatic SK, somatic Ca2+ removal time constant;
all start at 1 = the plain equivalent-cable collapse) are fitted by
``scipy.optimize.least_squares`` on the log-ratios reduced/detailed of input
resistance, membrane time constant, rheobase, AHP 2/3 decay time and F-I gain,
and on the difference of AHP depth over max(detailed, 2 mV). Results, with the
residuals, go to ``models/data/reduced_motor_neuron_fit.toml``, which the cell
reads.

Run: ``python benchmarks/fit_reduced.py [--max-nfev N]`` (several minutes).
"""

from __future__ import annotations

import argparse
import math
import time
from functools import partial

import numpy as np
from scipy.optimize import least_squares

from cordsim.models.cells.motor_neuron import MotorNeuron
from cordsim.models.cells.motor_neuron_parameters import AGES, motor_neuron_params
from cordsim.models.cells.reduced_motor_neuron import (
    FIT_FILE,
    SCALE_NAMES,
    ReducedMotorNeuron,
    ReducedScales,
)
from cordsim.models.measurement import measure_cell
from cordsim.models.pool import cell_params_at, motor_pool_params

#: Pool positions fitted (size index); others are interpolated linearly.
POSITIONS = (0.0, 0.5, 1.0)
#: Properties matched (log-ratio residuals, equal weights).
FIT_PROPERTIES = (
    "rin_mohm",
    "tau_m_ms",
    "rheobase_na",
    "ahp_depth_mv",
    "ahp_decay_2_3_ms",
    "fi_slope_hz_per_na",
)
PROTOCOLS = ("passive", "rheobase", "spike", "fi")


def _measure(factory, age):
    return measure_cell(factory, protocols=PROTOCOLS, age=age)


#: AHP depths (a few mV or less) are compared as a difference over
#: max(detailed, this) rather than as a log-ratio, which blows up near 0 (mV).
AHP_FLOOR_MV = 2.0


def _residuals(red, det) -> np.ndarray:
    out = []
    for prop in FIT_PROPERTIES:
        r, d = float(red[prop]), float(det[prop])
        if not math.isfinite(r):
            out.append(3.0)
        elif prop == "ahp_depth_mv":
            out.append((r - d) / max(abs(d), AHP_FLOOR_MV))
        else:
            out.append(math.log(r / d) if r > 0 and d > 0 else 3.0)
    return np.array(out)


def fit_position(age: str, s: float, max_nfev: int) -> dict:
    """Fit the factors at size index ``s`` of ``age``; return values and residuals."""
    params = cell_params_at(motor_neuron_params(age), motor_pool_params(age), s)
    det = _measure(partial(MotorNeuron, params), age)

    def fun(logx):
        scales = ReducedScales(**dict(zip(SCALE_NAMES, np.exp(logx), strict=True)))
        red = _measure(partial(ReducedMotorNeuron, params, scales=scales), age)
        return _residuals(red, det)

    x0 = np.zeros(len(SCALE_NAMES))
    r0 = fun(x0)
    sol = least_squares(fun, x0, bounds=(-1.5, 1.5), diff_step=0.1, max_nfev=max_nfev, x_scale=0.3)
    scales = dict(zip(SCALE_NAMES, np.exp(sol.x), strict=True))
    return {
        "scales": scales,
        "residual_unfitted": r0,
        "residual": sol.fun,
        "detailed": {p: float(det[p]) for p in FIT_PROPERTIES},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-nfev", type=int, default=12)
    args = ap.parse_args()
    lines = [
        "# FITTED by benchmarks/fit_reduced.py: correction factors of the reduced",
        "# motor neuron (models/cells/reduced_motor_neuron.py) at pool size indices,",
        "# least squares (scipy least_squares, trf, diff_step 0.1) on log(reduced/detailed)",
        "# of "
        + ", ".join(FIT_PROPERTIES)
        + " (AHP depth: (reduced - detailed) / max(detailed, 2 mV)).",
        "# residual arrays: one row per size index, columns in that order (0.1 = ~10 % off);",
        "# residual_unfitted: the plain collapse (all factors 1); detailed_values: the target.",
        "",
    ]
    for age in AGES:
        rows = []
        for s in POSITIONS:
            t0 = time.perf_counter()
            rows.append(fit_position(age, s, args.max_nfev))
            print(
                f"{age} s={s}: {rows[-1]['scales']} res={np.round(rows[-1]['residual'], 3)}"
                f" (unfitted {np.round(rows[-1]['residual_unfitted'], 3)})"
                f" {time.perf_counter() - t0:.0f} s",
                flush=True,
            )
        lines.append(f"[{age}]")
        lines.append(f"size_index = {list(POSITIONS)}")
        lines.append(f"properties = {list(FIT_PROPERTIES)}")
        for name in SCALE_NAMES:
            lines.append(f"{name} = {[round(float(r['scales'][name]), 4) for r in rows]}")
        for key in ("residual", "residual_unfitted"):
            arr = [[round(float(v), 4) for v in r[key]] for r in rows]
            lines.append(f"{key} = {arr}")
        arr = [[round(r["detailed"][p], 4) for p in FIT_PROPERTIES] for r in rows]
        lines.append(f"detailed_values = {arr}")
        lines.append("")
    FIT_FILE.write_text("\n".join(lines))
    print(f"wrote {FIT_FILE}")


if __name__ == "__main__":
    main()
