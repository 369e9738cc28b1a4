"""The adapter protocol, the registry and the toy model."""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cordsim.errors import ParameterError
from cordsim.spikes import SPIKE_COLUMNS
from cordsim.sweeps import interface, registry
from cordsim.sweeps.interface import ParameterInfo, PointOutput, SweepModel, stable_ints
from cordsim.sweeps.registry import get_model, register_model
from cordsim.sweeps.toy_model import TOY_LOG_ENV, ToyModel

PARAMS = {"toy.rate_hz": 30.0, "toy.n_cells": 8, "toy.weight": 2.0}


def _spike_hash(out: PointOutput) -> str:
    arr = out.spikes[["gid", "time_ms"]].to_numpy(dtype=np.float64)
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()


def test_toy_satisfies_protocol():
    toy = ToyModel()
    assert isinstance(toy, SweepModel)
    params = toy.parameters()
    assert all(isinstance(p, ParameterInfo) and p.name == k for k, p in params.items())
    assert params["toy.n_cells"].kind is int
    assert params["profile.toy_tor1a.scale"].low == 0.0
    assert params["profile.toy_tor1a.scale"].high == 1.0
    assert toy.protocols() == ("rest", "reflex")
    assert "cordsim" in toy.versions()


def test_run_point_is_deterministic_with_the_contract_schema():
    toy = ToyModel()
    a = toy.run_point(PARAMS, "reflex", 1)
    b = ToyModel().run_point(dict(reversed(list(PARAMS.items()))), "reflex", 1)
    assert a.metrics == b.metrics
    pd.testing.assert_frame_equal(a.spikes, b.spikes)
    assert list(a.spikes.columns) == ["time_ms", "gid", "population"]
    assert a.spikes["time_ms"].dtype == np.float64 and a.spikes["gid"].dtype == np.int64
    t = a.spikes["time_ms"].to_numpy()
    assert np.all(np.diff(t) >= 0)
    c = toy.run_point(PARAMS, "reflex", 2)
    assert _spike_hash(c) != _spike_hash(a)
    assert set(a.metrics) == {"rate_hz", "n_spikes", "cv_isi", "reflex_fraction", "latency_ms"}
    rest = toy.run_point(PARAMS, "rest", 1).metrics
    assert "latency_ms" not in rest


def test_metrics_follow_parameters():
    toy = ToyModel()
    low = toy.run_point({"toy.rate_hz": 5.0, "toy.n_cells": 50}, "rest", 0).metrics
    high = toy.run_point({"toy.rate_hz": 50.0, "toy.n_cells": 50}, "rest", 0).metrics
    assert 3 < low["rate_hz"] < 7 and 45 < high["rate_hz"] < 55
    ko = ToyModel(profile="tor1a_ko").run_point({"toy.rate_hz": 50.0, "toy.n_cells": 50}, "rest", 0)
    assert ko.metrics["rate_hz"] > 65  # 1.5x with the full profile


def test_same_result_in_a_fresh_process():
    here = _spike_hash(ToyModel().run_point(PARAMS, "reflex", 7))
    code = (
        "import hashlib, numpy as np; from cordsim.sweeps.toy_model import ToyModel;"
        f"o = ToyModel().run_point({PARAMS!r}, 'reflex', 7);"
        "a = o.spikes[['gid', 'time_ms']].to_numpy(dtype=np.float64);"
        "print(hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest())"
    )
    there = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert here == there


def test_failure_hooks():
    toy = ToyModel()
    with pytest.raises(RuntimeError, match="toy.fail"):
        toy.run_point({"toy.fail": True}, "rest", 0)
    with pytest.raises(RuntimeError, match="diverged"):
        toy.run_point({"toy.rate_hz": 450.0}, "rest", 0)
    out = toy.run_point({"toy.nan_latency": True}, "reflex", 0)
    assert math.isnan(out.metrics["latency_ms"])
    assert "latency_ms" in toy.required_metrics("reflex")


def test_toy_log(tmp_path, monkeypatch):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv(TOY_LOG_ENV, str(log))
    ToyModel().run_point({"toy.rate_hz": 1.0}, "rest", 3)
    entry = json.loads(log.read_text())
    assert entry["params"]["toy.rate_hz"] == 1.0 and entry["seed"] == 3


def test_stable_ints_fixed_values():
    assert stable_ints("toy", 1, n=2) == stable_ints("toy", 1, n=2)
    assert stable_ints("toy", 1) != stable_ints("toy", 2)
    assert all(0 <= w < 2**32 for w in stable_ints("x"))


def test_registry(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    monkeypatch.setattr(interface, "_MODEL_CACHE", {})
    assert get_model("toy") is get_model("toy")  # one instance per process
    assert get_model("toy", profile="tor1a_ko") is not get_model("toy")
    with pytest.raises(ParameterError, match="did you mean 'toy'"):
        get_model("tyo")

    with pytest.raises(TypeError, match="callable"):
        register_model("toy2", "cordsim.sweeps.toy_model.ToyModel")  # no string entries
    register_model("toy2", ToyModel)
    assert isinstance(get_model("toy2"), ToyModel)
    register_model("toy2", ToyModel)  # the same factory again: a no-op
    with pytest.raises(ValueError, match="already registered"):
        register_model("toy2", _other_factory)
    register_model("toy2", _other_factory, replace=True)
    assert get_model("toy2").profile == "tor1a_ko"


def _other_factory(*, base=None, profile="wild_type"):
    return ToyModel(base=base, profile="tor1a_ko")


def test_point_output_default_spikes_use_the_one_schema():
    spikes = PointOutput(metrics={}).spikes
    assert tuple(spikes.columns) == SPIKE_COLUMNS and len(spikes) == 0
    assert spikes["time_ms"].dtype == np.float64 and spikes["gid"].dtype == np.int64


def test_registry_holds_factories_not_strings():
    from cordsim.sweeps.circuit_model import circuit_model

    assert registry.model_factory("toy") is ToyModel
    assert registry.model_factory("circuit") is circuit_model
    assert {"circuit", "toy"} <= set(registry.registered_models())


def test_importing_sweeps_does_not_load_neuron():
    code = "import sys, cordsim.sweeps; print('neuron' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
