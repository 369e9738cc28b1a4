"""The circuit as a sweep model: parameter table, point specs, and a tiny real sweep."""

from __future__ import annotations

import os

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cordsim.errors import ParameterError
from cordsim.models.circuit import circuit_spec
from cordsim.models.profiles import PROFILES
from cordsim.models.protocols import PROTOCOLS
from cordsim.sweeps.circuit_model import CircuitModel, circuit_model
from cordsim.sweeps.interface import SweepModel
from cordsim.sweeps.registry import get_model, model_factory
from cordsim.sweeps.spec import SweepSpecError, spec_from_dict, validate_spec

PROFILE = "tor1a_spinal_drg"

#: A circuit of 1 MN, 1 IaIN and 1 RC per side (a couple of seconds per 300 ms run;
#: the 20 Ia fibres per side are artificial cells and cost little).
TINY = {
    **{f"pools.{m}.n_cells": 1 for m in ("flexor", "extensor")},
    **{f"interneurons.{m}.n_iain": 1 for m in ("flexor", "extensor")},
    **{f"interneurons.{m}.n_rc": 1 for m in ("flexor", "extensor")},
}


@pytest.fixture(scope="module")
def model() -> CircuitModel:
    return circuit_model()


def test_registered_and_satisfies_protocol(model):
    assert model_factory("circuit") is circuit_model
    assert isinstance(get_model("circuit"), CircuitModel)
    assert isinstance(model, SweepModel)
    assert model.protocols() == (
        "rest",
        "reflex",
        "contraction",
        "alternation",
        "cord_reflex",
    )
    assert set(model.profiles()) == set(PROFILES)
    assert model.thread_safe is False
    versions = model.versions()
    assert set(versions) == {"cordsim", "neuron", "mechanisms"}
    assert len(versions["mechanisms"]) == 64


def test_every_spec_name_with_its_metadata(model):
    infos = model.parameters()
    spec = circuit_spec()
    for name in spec.parameter_names():
        assert name in infos, name
    n = infos["pools.flexor.n_cells"]
    assert (n.kind, n.low, n.high, n.default, n.unit) == (int, 1, 100000, 20, "1")
    w = infos["connections.ia_to_mn.weight_us"]
    assert (w.kind, w.low, w.high, w.unit) == (float, 0, 10, "uS")
    assert w.default == spec.get("connections.ia_to_mn.weight_us")
    assert infos["afferents.flexor.rest_rate_hz"].unit == "Hz"
    assert infos["populations.iain_flexor.descending"].kind is bool
    s = infos["mn_scale.gbar_nap_is_s_cm2"]
    assert (s.kind, s.low, s.high, s.default, s.unit) == (float, 0.0, 10.0, 1.0, "1")
    p = infos["presynaptic_inhibition"]
    assert (p.low, p.high, p.default) == (0.0, 1.0, 0.0)


def test_profile_and_protocol_names(model):
    infos = model.parameters()
    prof = PROFILES[PROFILE]
    assert infos[f"profile.{PROFILE}.scale"].default == 0.0  # not the model's own profile
    assert (infos[f"profile.{PROFILE}.scale"].low, infos[f"profile.{PROFILE}.scale"].high) == (
        0.0,
        1.0,
    )
    only = infos[f"profile.{PROFILE}.only"]
    assert only.kind is str and only.choices == (
        "all",
        "none",
        "drg_only",
        "spinal_only",
        *prof.change_names(),
        *(f"without_{c}" for c in prof.change_names()),
    )
    for change in prof.change_names():
        assert infos[f"profile.{PROFILE}.{change}.scale"].kind is float
    assert "profile.wild_type.scale" not in infos  # no changes, nothing to scale
    mutant = circuit_model(profile=PROFILE).parameters()
    assert mutant[f"profile.{PROFILE}.scale"].default == 1.0
    assert mutant["profile.tor1a_drg_only.scale"].default == 0.0
    proto = {k for k in infos if k.startswith("protocol.")}
    assert "protocol.reflex.n_pulses" in proto and "protocol.rest.tstop_ms" in proto
    assert infos["protocol.reflex.n_pulses"].kind is int
    assert infos["protocol.contraction.ramp_up_ms"].unit == "ms"
    assert "protocol.reflex.stim_muscle" not in proto  # numeric only
    expected = {
        f"protocol.{p}.{leaf}"
        for p, cls in PROTOCOLS.items()
        for leaf, meta in cls.field_info().items()
        if not isinstance(meta["default"], str | bool)
    }
    assert proto == expected
    rates = infos["protocol.cord_reflex.rates_hz"]  # a list, swept as comma-separated text
    assert (rates.kind, rates.default, rates.unit) == (str, "0.1,1,5,10", "Hz")


def test_base_names_files_and_errors(tmp_path):
    juvenile = circuit_model(base="juvenile")
    assert juvenile.spec.age == "juvenile"
    assert juvenile.parameters()["synapses.gly_reversal_mv"].default == -65.0
    path = tmp_path / "small.toml"
    circuit_spec(pools__flexor__n_cells=7).to_toml(path)
    from_file = circuit_model(base=str(path))
    assert from_file.parameters()["pools.flexor.n_cells"].default == 7
    with pytest.raises(ParameterError, match=r"sweep.base: unknown base circuit 'adul'.*'adult'"):
        circuit_model(base="adul")
    with pytest.raises(ParameterError, match="sweep.base: no such circuit spec file"):
        circuit_model(base=str(tmp_path / "missing.toml"))
    with pytest.raises(ParameterError, match=r"sweep.profile: unknown profile.*tor1a_spinal_drg"):
        circuit_model(profile="tor1a_spinal")


def test_unknown_dotted_name_fails_validation_with_a_suggestion():
    data = {
        "sweep": {"name": "bad", "model": "circuit", "protocols": ["rest"]},
        "parameters": {"connections.ia_to_mn.weight_scal": {"values": [1.0, 2.0]}},
    }
    with pytest.raises(
        SweepSpecError,
        match=r"parameters.\"connections.ia_to_mn.weight_scal\": unknown parameter "
        r".*did you mean 'connections.ia_to_mn.weight_scale'",
    ):
        validate_spec(spec_from_dict(data))
    data["parameters"] = {"pools.flexor.n_cells": {"values": [0]}}
    with pytest.raises(SweepSpecError, match=r"outside the allowed range \[1, 100000\]"):
        validate_spec(spec_from_dict(data))
    data["parameters"] = {f"profile.{PROFILE}.only": {"values": ["mn_nab"]}}
    with pytest.raises(SweepSpecError, match="did you mean 'mn_nap'"):
        validate_spec(spec_from_dict(data))
    data["parameters"] = {"protocol.reflex.n_pulses": {"values": [3]}}
    assert validate_spec(spec_from_dict(data)).parameters[0].values == (3,)


def test_point_spec_applies_values_then_profiles(model):
    base = model.spec
    assert model.point_spec({}) == base
    # plain values first, then the profile acts on them (0.7 x 2)
    spec = model.point_spec(
        {"connections.ia_to_mn.weight_scale": 2.0, f"profile.{PROFILE}.scale": 1.0}
    )
    assert spec.connections["ia_to_mn"].weight_scale == pytest.approx(1.4)
    assert spec.mn_scale["gbar_nap_is_s_cm2"] == pytest.approx(1.5)
    assert spec.get("afferents.flexor.n_fibres") == 16
    # graded
    half = model.point_spec({f"profile.{PROFILE}.scale": 0.5})
    assert half.mn_scale["gbar_nap_is_s_cm2"] == pytest.approx(1.25)
    # one change alone, two ways
    alone = model.point_spec({f"profile.{PROFILE}.scale": 1.0, f"profile.{PROFILE}.only": "mn_nap"})
    assert alone == model.point_spec({f"profile.{PROFILE}.mn_nap.scale": 1.0})
    assert dict(alone.mn_scale) == {"gbar_nap_is_s_cm2": 1.5}
    assert alone.connections == base.connections and alone.afferents == base.afferents
    assert (
        model.point_spec({f"profile.{PROFILE}.scale": 1.0, f"profile.{PROFILE}.only": "none"})
        == base
    )
    # leave one out of the model's own profile
    mutant = circuit_model(profile=PROFILE)
    full = mutant.point_spec({})
    assert full.mn_scale["gbar_nap_is_s_cm2"] == pytest.approx(1.5)
    loo = mutant.point_spec({f"profile.{PROFILE}.mn_nap.scale": 0.0})
    assert "gbar_nap_is_s_cm2" not in loo.mn_scale
    assert loo.mn_scale["gbar_sk_soma_s_cm2"] == pytest.approx(0.7)
    assert mutant.point_spec({f"profile.{PROFILE}.scale": 0.0}) == mutant.spec


def test_point_protocol_and_unknown_names(model):
    proto = model.point_protocol(
        {"protocol.reflex.n_pulses": 4, "protocol.rest.tstop_ms": 500.0}, "reflex"
    )
    assert proto.n_pulses == 4 and proto.name == "reflex"
    assert model.point_protocol({"protocol.rest.tstop_ms": 500.0}, "rest").tstop_ms == 500.0
    with pytest.raises(ParameterError, match="did you mean 'pools.flexor.n_cells'"):
        model.run_point({"pools.flexor.n_cell": 3}, "rest", 0)
    with pytest.raises(ParameterError, match="unknown protocol 'rst'"):
        model.run_point({}, "rst", 0)


def test_point_inputs_split_the_parameters_once(model, monkeypatch):
    params = {
        "connections.ia_to_mn.weight_scale": 2.0,
        f"profile.{PROFILE}.scale": 0.5,
        "protocol.reflex.n_pulses": 4,
    }
    calls = []
    split = CircuitModel.split_params

    def counting(self, p):
        calls.append(dict(p))
        return split(self, p)

    monkeypatch.setattr(CircuitModel, "split_params", counting)
    spec, proto = model.point_inputs(params, "reflex")
    assert calls == [params]
    assert spec == model.point_spec(params)
    assert proto.n_pulses == 4 and proto.name == "reflex"
    with pytest.raises(ParameterError, match="unknown protocol 'rst'"):
        model.point_inputs({}, "rst")


def test_run_point_is_deterministic(model, mechanisms):
    params = {**TINY, "protocol.rest.tstop_ms": 300.0, f"profile.{PROFILE}.scale": 1.0}
    a = model.run_point(params, "rest", 5)
    b = model.run_point(params, "rest", 5)
    assert all(isinstance(v, float) for v in a.metrics.values())
    assert set(model.required_metrics("rest")) <= set(a.metrics)
    pd.testing.assert_frame_equal(a.spikes, b.spikes)
    assert a.metrics.keys() == b.metrics.keys()
    assert pd.Series(a.metrics).equals(pd.Series(b.metrics))  # NaN == NaN here
    assert list(a.spikes.columns) == ["time_ms", "gid", "population"]


def test_tiny_sweep_same_with_1_and_2_jobs_and_dask(tmp_path):
    from distributed import LocalCluster

    from cordsim.sweeps import load_spikes
    from cordsim.sweeps.engine import run_sweep

    data = {
        "sweep": {"name": "tiny", "model": "circuit", "protocols": ["rest"], "seeds": [1, 2]},
        "parameters": {
            **{k: {"values": [v]} for k, v in TINY.items()},
            "protocol.rest.tstop_ms": {"values": [300.0]},
            f"profile.{PROFILE}.scale": {"values": [0.0, 1.0]},
        },
    }
    spec = spec_from_dict(data)
    serial = run_sweep(spec, tmp_path / "j1", n_jobs=1, progress=False)
    parallel = run_sweep(spec, tmp_path / "j2", n_jobs=2, batch_size=1, progress=False)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        dask = run_sweep(
            spec, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False
        )

    def table(folder):
        return pq.read_table(folder / "metrics.parquet").to_pandas().drop(columns="wall_time_s")

    ref = table(serial)
    assert len(ref) == 4 and (ref["status"] == "ok").all(), ref[["status", "error"]]
    for other in (parallel, dask):
        pd.testing.assert_frame_equal(table(other), ref)
        pd.testing.assert_frame_equal(
            load_spikes(other, all_points=True), load_spikes(serial, all_points=True)
        )
        pids = set(pq.read_table(other / "points").column("pid").to_pylist())
        assert os.getpid() not in pids  # the points really ran in worker processes
    # the full profile adds resting Ia discharge (ia_spontaneous_discharge)
    by = ref.groupby(f"profile.{PROFILE}.scale")["ia_rate_hz_flexor"].mean()
    assert by[1.0] > by[0.0]


def test_only_groups_are_the_drg_only_and_spinal_only_profiles():
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.profiles import apply_profile

    model = circuit_model()
    for group, profile in (("drg_only", "tor1a_drg_only"), ("spinal_only", "tor1a_spinal_only")):
        params = {f"profile.{PROFILE}.scale": 1.0, f"profile.{PROFILE}.only": group}
        spec, _ = model.point_inputs(params, "rest")
        assert spec == apply_profile(circuit_spec("adult"), profile)


def test_without_a_change_is_the_profile_minus_it():
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.profiles import apply_profile

    model = circuit_model()
    changes = PROFILES[PROFILE].change_names()
    params = {f"profile.{PROFILE}.scale": 1.0, f"profile.{PROFILE}.only": "without_mn_nap"}
    spec, _ = model.point_inputs(params, "rest")
    rest = [c for c in changes if c != "mn_nap"]
    assert spec == apply_profile(circuit_spec("adult"), PROFILE, only=rest)
    assert spec != apply_profile(circuit_spec("adult"), PROFILE)


def test_list_valued_protocol_parameters_take_comma_separated_text():
    model = circuit_model(base="isolated_cord")
    params = {"protocol.cord_reflex.rates_hz": "1,10", "protocol.cord_reflex.rest_ms": 500.0}
    assert model.point_protocol(params, "cord_reflex").rates_hz == (1.0, 10.0)
    with pytest.raises(ParameterError, match="rates_hz = '1,x': expected comma-separated"):
        model.point_protocol({"protocol.cord_reflex.rates_hz": "1,x"}, "cord_reflex")


def test_mn_model_is_a_categorical_sweep_parameter(model):
    info = model.parameters()["mn_model"]
    assert info.kind is str and info.choices == ("detailed", "reduced")
    assert info.default == "detailed"
    assert model.point_spec({}).mn_model == "detailed"
    assert model.point_spec({"mn_model": "reduced"}).mn_model == "reduced"
    with pytest.raises(ParameterError, match="unknown motor neuron model 'simple'"):
        model.point_spec({"mn_model": "simple"})
