"""Result folders: schema of every file, atomic writes, round trip (no NEURON)."""

import json
import math

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from cordsim.files import read_toml
from cordsim.models.circuit import CircuitSpec, circuit_spec
from cordsim.models.profiles import apply_profile
from cordsim.models.result import ProtocolRecord, SimulationResult, default_population
from cordsim.models.result_folder import (
    ResultFolderError,
    load_result,
    read_result_folder,
    write_result,
)
from cordsim.spikes import spike_schema

SPIKE_SCHEMA = spike_schema()


def _result(spec=None, spikes=None):
    if spikes is None:
        spikes = pd.DataFrame(
            {
                "time_ms": [1.5, 2.0, 7.25],
                "gid": np.array([4, 0, 4], dtype=np.int64),
                "population": ["mn_flexor", "ia_flexor", "mn_flexor"],
            }
        )
    return SimulationResult(
        spikes=spikes,
        populations={"ia_flexor": np.array([0, 1]), "mn_flexor": np.array([4, 5, 6])},
        tstop_ms=50.0,
        protocol={
            "name": "reflex",
            "stim_times_ms": [np.float64(10.0), 30.0],
            "window_ms": (1.5, 7.5),
            "mn_weights": {"mn_flexor": np.array([1.0, 2.0, 3.0])},
            "n_pulses": np.int64(2),
        },
        seed=7,
        spec=spec,
    )


def _typed_result(spec=None):
    """A result with the typed records simulate() returns (Population, ProtocolRecord)."""
    result = _result(spec)
    populations = {
        "ia_flexor": default_population("ia_flexor", [0, 1]),
        "mn_flexor": default_population("mn_flexor", [4, 5, 6], mu_sizes=[1.0, 1.5, 2.25]),
    }
    protocol = ProtocolRecord(
        name="reflex",
        tstop_ms=50.0,
        analysis_window_ms=(10.0, 50.0),
        measures=("reflex",),
        params={"n_pulses": np.int64(2)},
        agonist="flexor",
        stim_times_ms=(10.0, 30.0),
        response_window_ms=(1.5, 7.5),
        n_discard=1,
    )
    return SimulationResult(result.spikes, populations, 50.0, protocol, 7, spec)


METRICS = {"reflex_amplitude": 2, "reflex_latency_ms": 1.25, "coactivation_cci": math.nan}


def test_writes_every_file(tmp_path):
    spec = apply_profile(circuit_spec("juvenile"), "tor1a_spinal_drg", 0.5)
    out = write_result(_result(spec), tmp_path / "res", METRICS, info={"profile": "x"})
    names = sorted(p.name for p in out.iterdir())
    assert names == ["metrics.json", "protocol.json", "run.json", "spec.toml", "spikes.parquet"]


def test_spikes_schema_and_order(tmp_path):
    write_result(_result(), tmp_path, METRICS)
    table = pq.read_table(tmp_path / "spikes.parquet")
    assert table.schema.equals(SPIKE_SCHEMA)
    assert table.column("gid").to_pylist() == [4, 0, 4]
    assert table.column("time_ms").to_pylist() == [1.5, 2.0, 7.25]


def test_empty_spikes_keep_the_schema(tmp_path):
    empty = pd.DataFrame({"time_ms": [], "gid": [], "population": []})
    write_result(_result(spikes=empty), tmp_path, METRICS)
    spikes, _, _ = read_result_folder(tmp_path)
    assert len(spikes) == 0
    assert pq.read_table(tmp_path / "spikes.parquet").schema.equals(SPIKE_SCHEMA)


def test_metrics_json_is_strict_json_with_nan_as_null(tmp_path):
    write_result(_result(), tmp_path, METRICS)
    text = (tmp_path / "metrics.json").read_text()
    assert "NaN" not in text
    assert json.loads(text) == {
        "reflex_amplitude": 2,
        "reflex_latency_ms": 1.25,
        "coactivation_cci": None,
    }


def test_protocol_json_holds_plain_values(tmp_path):
    write_result(_result(), tmp_path, METRICS)
    protocol = json.loads((tmp_path / "protocol.json").read_text())
    assert protocol["stim_times_ms"] == [10.0, 30.0]
    assert protocol["window_ms"] == [1.5, 7.5]
    assert protocol["mn_weights"] == {"mn_flexor": [1.0, 2.0, 3.0]}
    assert protocol["n_pulses"] == 2


def test_spec_toml_round_trips(tmp_path):
    spec = apply_profile(circuit_spec("adult"), "tor1a_drg_only")
    write_result(_result(spec), tmp_path, METRICS)
    assert CircuitSpec.from_toml(tmp_path / "spec.toml") == spec
    assert read_toml(tmp_path / "spec.toml")["age"] == "adult"


def test_no_spec_toml_without_a_circuit_spec(tmp_path):
    write_result(_result(spec=None), tmp_path, METRICS)
    assert not (tmp_path / "spec.toml").exists()


def test_read_result_folder_round_trip(tmp_path):
    result = _result()
    write_result(result, tmp_path, METRICS)
    spikes, metrics, protocol = read_result_folder(tmp_path)
    pd.testing.assert_frame_equal(spikes, result.spikes, check_dtype=False)
    assert spikes["time_ms"].dtype == np.float64 and spikes["gid"].dtype == np.int64
    assert metrics["reflex_amplitude"] == 2 and math.isnan(metrics["coactivation_cci"])
    assert protocol["name"] == "reflex"


def test_load_result_rebuilds_the_result(tmp_path):
    spec = circuit_spec("adult")
    result = _typed_result(spec)
    write_result(result, tmp_path, METRICS, info={"profile": "wild_type"})
    back = load_result(tmp_path)
    assert back.spike_hash() == result.spike_hash()
    assert back.seed == 7 and back.tstop_ms == 50.0 and back.spec == spec
    assert {p: g.gids.tolist() for p, g in back.populations.items()} == {
        "ia_flexor": [0, 1],
        "mn_flexor": [4, 5, 6],
    }
    assert back.populations["mn_flexor"].mu_sizes.tolist() == [1.0, 1.5, 2.25]
    assert back.populations["mn_flexor"].to_dict() == result.populations["mn_flexor"].to_dict()
    assert back.protocol.to_dict() == {**result.protocol.to_dict(), "params": {"n_pulses": 2}}
    assert back.motor_pools() == {"flexor": "mn_flexor"}
    assert [t.tolist() for t in back.spike_times("mn_flexor")] == [[1.5, 7.25], [], []]
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["info"] == {"profile": "wild_type"} and "cordsim_version" in run
    assert load_result(tmp_path, read_spec=False).spec is None


def test_bare_gid_lists_read_back_as_default_populations(tmp_path):
    write_result(_result(), tmp_path, METRICS)  # populations as gid arrays, protocol a dict
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["populations"] == {"ia_flexor": [0, 1], "mn_flexor": [4, 5, 6]}
    back = load_result(tmp_path)
    assert back.populations["mn_flexor"].kind == "motor_pool"
    assert back.populations["ia_flexor"].gids.tolist() == [0, 1]
    assert back.protocol["name"] == "reflex"  # no protocol record: left a dict


def test_rewrite_replaces_files_and_leaves_no_temporaries(tmp_path):
    write_result(_result(), tmp_path, METRICS)
    write_result(_result(), tmp_path, {"reflex_amplitude": 3})
    _, metrics, _ = read_result_folder(tmp_path)
    assert metrics == {"reflex_amplitude": 3}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_failed_write_keeps_the_old_file(tmp_path):
    write_result(_result(), tmp_path, METRICS)
    before = (tmp_path / "metrics.json").read_text()
    with pytest.raises(TypeError):
        write_result(_result(), tmp_path, {"bad": object()})
    assert (tmp_path / "metrics.json").read_text() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_incomplete_or_missing_folder(tmp_path):
    with pytest.raises(ResultFolderError, match="does not exist"):
        read_result_folder(tmp_path / "nope")
    write_result(_result(), tmp_path, METRICS)
    (tmp_path / "metrics.json").unlink()
    with pytest.raises(ResultFolderError, match="missing metrics.json"):
        read_result_folder(tmp_path)
    with pytest.raises(FileNotFoundError):  # a ResultFolderError is one
        load_result(tmp_path)
