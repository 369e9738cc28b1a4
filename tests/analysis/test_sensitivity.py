"""Sobol indices from a Saltelli-design sweep (SALib)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cordsim.analysis.sensitivity import sobol_indices
from cordsim.sweeps import load_sweep
from cordsim.sweeps.engine import run_sweep
from cordsim.sweeps.interface import ParameterInfo
from cordsim.sweeps.sampling import design
from cordsim.sweeps.spec import SweepSpec, validate_spec


class _Ishigami:
    """Just enough of a model to validate a spec with three inputs in [-pi, pi]."""

    name = "ishigami"

    def parameters(self):
        return {f"x{i}": ParameterInfo(f"x{i}", float, -math.pi, math.pi, 0.0) for i in (1, 2, 3)}

    def protocols(self):
        return ("f",)


def test_ishigami_indices_through_the_design_and_the_frame():
    spec = validate_spec(
        SweepSpec(
            name="ishigami",
            model="ishigami",
            protocols=["f"],
            seeds=[0],
            sampling="sobol",
            n_samples=1024,
            sensitivity=True,
            parameters={f"x{i}": {"low": -math.pi, "high": math.pi} for i in (1, 2, 3)},
        ),
        model=_Ishigami(),
    )
    rows = design(spec)
    x = np.array([[r["x1"], r["x2"], r["x3"]] for r in rows])
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    df = pd.DataFrame(
        {"point_id": [f"{i:016x}" for i in range(len(rows))], "sample": np.arange(len(rows)),
         "seed": 0, "protocol": "f", "x1": x[:, 0], "x2": x[:, 1], "x3": x[:, 2], "y": y,
         "status": "ok", "error": "", "wall_time_s": 0.0}
    )  # fmt: skip
    df.attrs["spec"] = spec.to_dict()
    si = sobol_indices(df, "y").set_index("parameter")
    # analytic values: S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244
    np.testing.assert_allclose(si["S1"], [0.314, 0.442, 0.0], atol=0.06)
    np.testing.assert_allclose(si["ST"], [0.558, 0.442, 0.244], atol=0.06)


def test_toy_sweep_sensitivity(tmp_path):
    spec = validate_spec(
        SweepSpec(
            name="sobol",
            model="toy",
            protocols=["rest", "reflex"],
            seeds=[1, 2],
            sampling="sobol",
            n_samples=16,
            sensitivity=True,
            parameters={
                "toy.rate_hz": {"low": 5.0, "high": 80.0},
                "toy.weight": {"low": 0.5, "high": 3.0},
                "toy.n_cells": [20],
            },
        )
    )
    df = load_sweep(run_sweep(spec, tmp_path / "o", n_jobs=1, progress=False))
    si = sobol_indices(df, ["rate_hz"], protocol="rest").set_index("parameter")
    assert list(si.index) == ["toy.rate_hz", "toy.weight"]
    assert si.loc["toy.rate_hz", "ST"] > 0.8
    assert abs(si.loc["toy.weight", "ST"]) < 0.1
    with pytest.raises(ValueError, match="several protocols"):
        sobol_indices(df, "rate_hz")
    with pytest.raises(ValueError, match="unknown metric"):
        sobol_indices(df, "nope", protocol="rest")
    with pytest.raises(TypeError, match="load_sweep"):
        sobol_indices(tmp_path / "o", "rate_hz", protocol="rest")


def test_missing_samples_and_wrong_design(tmp_path):
    spec = validate_spec(
        SweepSpec(
            name="lhs",
            model="toy",
            protocols=["rest"],
            seeds=[1],
            sampling="sobol",
            n_samples=4,
            sensitivity=True,
            parameters={"toy.rate_hz": {"low": 5.0, "high": 80.0}},
        )
    )
    folder = run_sweep(spec, tmp_path / "o", n_jobs=1, progress=False)
    df = load_sweep(folder)
    df.loc[2, "status"] = "failed"
    with pytest.raises(ValueError, match="1 of 12 samples are missing, failed or NaN"):
        sobol_indices(df, "rate_hz")
    df.attrs["spec"]["sweep"]["sensitivity"] = False
    with pytest.raises(ValueError, match="sensitivity = true"):
        sobol_indices(df, "rate_hz")
