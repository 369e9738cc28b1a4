"""Sobol indices from a Saltelli-design sweep and Morris screening (SALib)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cordsim.analysis.sensitivity import morris_indices, sobol_indices
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


class _Linear:
    """Just enough of a model to validate a spec with inputs a, b in [0, 1] and c in [0, 2]."""

    name = "linear"

    def parameters(self):
        infos = {n: ParameterInfo(n, float, 0.0, 1.0, 0.0) for n in ("a", "b")}
        infos["c"] = ParameterInfo("c", float, 0.0, 2.0, 0.0)
        return infos

    def protocols(self):
        return ("f",)


def _morris_frame(trajectories=20, seed=0):
    spec = validate_spec(
        SweepSpec(
            name="linear",
            model="linear",
            protocols=["f"],
            seeds=[0],
            sampling="morris",
            trajectories=trajectories,
            sampling_seed=seed,
            parameters={
                "a": {"low": 0.0, "high": 1.0},
                "b": {"low": 0.0, "high": 1.0},
                "c": {"low": 0.0, "high": 2.0},
            },
        ),  # fmt: skip
        model=_Linear(),
    )
    rows = design(spec)
    x = np.array([[r["a"], r["b"], r["c"]] for r in rows])
    y = 5 * x[:, 0] + 0 * x[:, 1] + x[:, 2] ** 2  # a linear, b inert, c curved
    df = pd.DataFrame(
        {"point_id": [f"{i:016x}" for i in range(len(rows))], "sample": np.arange(len(rows)),
         "seed": 0, "protocol": "f", "a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "y": y,
         "status": "ok", "error": "", "wall_time_s": 0.0}
    )  # fmt: skip
    df.attrs["spec"] = spec.to_dict()
    return df


def test_morris_finds_the_influential_and_the_inert_parameter():
    df = _morris_frame()
    assert len(df) == 20 * (3 + 1)
    ee = morris_indices(df, "y")
    assert list(ee.columns) == ["metric", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]
    ee = ee.set_index("parameter")
    # effects per full range: a moves y by 5 over [0, 1], linearly (no spread)
    assert ee.loc["a", "mu"] == pytest.approx(5.0) and ee.loc["a", "mu_star"] == pytest.approx(5.0)
    assert ee.loc["a", "sigma"] == pytest.approx(0.0, abs=1e-9)
    # b is inert: mu_star 0 and its interval reaches 0
    assert ee.loc["b", "mu_star"] == pytest.approx(0.0, abs=1e-12)
    assert ee.loc["b", "mu_star"] - ee.loc["b", "mu_star_conf"] <= 1e-12
    # c (y = c^2 on [0, 2], 4 over the range) matters, non-linearly: its effects spread
    assert 1.0 < ee.loc["c", "mu_star"] < 8.0 and ee.loc["c", "sigma"] > 0.5
    assert ee.loc["a", "mu_star"] > ee.loc["c", "mu_star"] > ee.loc["b", "mu_star"]
    # the bootstrap interval is reproducible with its seed
    pd.testing.assert_frame_equal(morris_indices(df, "y"), morris_indices(df, "y"))


def test_toy_sweep_morris(tmp_path):
    spec = validate_spec(
        SweepSpec(
            name="morris",
            model="toy",
            protocols=["rest", "reflex"],
            seeds=[1, 2],
            sampling="morris",
            trajectories=4,
            parameters={
                "toy.rate_hz": {"low": 5.0, "high": 80.0},
                "toy.weight": {"low": 0.5, "high": 3.0},
                "toy.n_cells": [20],
            },
        )
    )
    df = load_sweep(run_sweep(spec, tmp_path / "o", n_jobs=1, progress=False))
    assert df["sample"].nunique() == 4 * (2 + 1)
    ee = morris_indices(df, ["rate_hz"], protocol="rest").set_index("parameter")
    assert list(ee.index) == ["toy.rate_hz", "toy.weight"]
    # the rate at rest follows toy.rate_hz (75 Hz over its range); the weight only
    # acts on the reflex, so at rest it moves the rate by noise alone
    assert ee.loc["toy.rate_hz", "mu_star"] > 50.0
    assert ee.loc["toy.weight", "mu_star"] < 0.1 * ee.loc["toy.rate_hz", "mu_star"]
    both = morris_indices(df, ["rate_hz", "n_spikes"], protocol="rest")  # several metrics
    assert set(both["metric"]) == {"rate_hz", "n_spikes"}
    pd.testing.assert_frame_equal(
        both[both["metric"] == "rate_hz"].reset_index(drop=True),
        morris_indices(df, ["rate_hz"], protocol="rest"),
    )
    with pytest.raises(ValueError, match="several protocols"):
        morris_indices(df, "rate_hz")
    with pytest.raises(ValueError, match="unknown metric"):
        morris_indices(df, "nope", protocol="rest")
    with pytest.raises(TypeError, match="load_sweep"):
        morris_indices(tmp_path / "o", "rate_hz", protocol="rest")


def test_morris_errors():
    df = _morris_frame(trajectories=3)
    df.loc[[2, 5], "status"] = "failed"
    with pytest.raises(ValueError, match="2 of 12 samples are missing, failed or NaN"):
        morris_indices(df, "y")
    df = _morris_frame(trajectories=3)
    df.loc[4, "y"] = np.nan
    with pytest.raises(ValueError, match="1 of 12 samples"):
        morris_indices(df, "y")
    df = _morris_frame(trajectories=3)
    df.attrs["spec"]["sweep"]["sampling_seed"] = 1  # not the design the sweep ran
    with pytest.raises(ValueError, match="parameter 'a': the Morris design regenerated"):
        morris_indices(df, "y")
    df.attrs["spec"]["sweep"]["sampling"] = "lhs"
    with pytest.raises(ValueError, match='sampling = "morris"'):
        morris_indices(df, "y")
    del df.attrs["spec"]
    with pytest.raises(ValueError, match="no sweep spec"):
        morris_indices(df, "y")
