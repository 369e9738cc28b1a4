"""NWB export: real tiny runs and a tiny sweep point, through nwbinspector and back.

The files are written from a tiny circuit (2 motor neurons, 1 IaIN, 1 RC and
5 Ia fibres per side; a few hundred ms), checked with nwbinspector (no
finding of importance CRITICAL or worse) and read back with pynwb: every
cell's spike times are the result's, in s (ms / 1000).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

pynwb = pytest.importorskip("pynwb")
nwbinspector = pytest.importorskip("nwbinspector")

from cordsim.analysis import metrics  # noqa: E402
from cordsim.analysis.emg import pool_emg  # noqa: E402
from cordsim.analysis.nwb_export import (  # noqa: E402
    INSTALL_HINT,
    VOLLEY_TABLE,
    NWBDependencyError,
    NWBExportError,
    export_result,
    export_run_folder,
    read_nwb_spikes,
)
from cordsim.errors import ParameterError  # noqa: E402
from cordsim.models.result import ProtocolRecord, SimulationResult, default_population  # noqa: E402
from cordsim.models.result_folder import ResultFolderError, load_result, write_result  # noqa: E402

TINY = {
    f"{group}.{muscle}.{key}": value
    for muscle in ("flexor", "extensor")
    for group, key, value in (
        ("pools", "n_cells", 2),
        ("afferents", "n_fibres", 5),
        ("interneurons", "n_iain", 1),
        ("interneurons", "n_rc", 1),
    )
}
SHORT_REFLEX = {"n_pulses": 3, "n_discard": 1, "rate_hz": 50.0, "start_ms": 100.0, "tail_ms": 40.0}


def _serious(path) -> list:
    """nwbinspector findings of importance CRITICAL or worse (errors, validation)."""
    from nwbinspector import Importance, inspect_nwbfile

    found = [m for m in inspect_nwbfile(nwbfile_path=str(path)) if m is not None]
    return [m for m in found if m.importance.value >= Importance.CRITICAL.value]


def _units(path) -> pd.DataFrame:
    with pynwb.NWBHDF5IO(str(path), mode="r") as io:
        return io.read().units.to_dataframe()


def _text(data) -> str:
    """A ScratchData text as read back (str, bytes or a 0-d dataset)."""
    value = data if isinstance(data, str | bytes) else data[()]
    return value.decode() if isinstance(value, bytes) else str(value)


def _assert_same_spikes(path, result: SimulationResult) -> None:
    """Every cell of the result is one unit, with the result's spike times / 1000."""
    units = _units(path)
    gids = np.concatenate([p.gids for p in result.populations.values()])
    assert list(units["gid"]) == [int(g) for g in gids]  # silent cells too, in table order
    assert list(units.index) == list(units["gid"])  # unit id = gid
    by_gid = {int(g): grp["time_ms"].to_numpy() for g, grp in result.spikes.groupby("gid")}
    for gid, times_s in zip(units["gid"], units["spike_times"], strict=True):
        np.testing.assert_array_equal(
            np.asarray(times_s), np.sort(by_gid.get(int(gid), np.empty(0))) / 1000.0
        )
    assert sum(len(t) for t in units["spike_times"]) == len(result.spikes) > 0


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def reflex_folder(tmp_path_factory, mechanisms):
    """A tiny adult reflex run, written as ``cordsim run`` writes it."""
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.protocols import make_protocol
    from cordsim.models.simulation import simulate

    spec = circuit_spec("adult").with_values(TINY)
    result = simulate(spec, make_protocol("reflex", **SHORT_REFLEX), 3)
    folder = tmp_path_factory.mktemp("nwb") / "reflex"
    info = {"profile": "wild_type", "profile_scale": 1.0, "protocol_params": SHORT_REFLEX}
    return write_result(result, folder, metrics(result), info=info)


@pytest.fixture(scope="module")
def cord_folder(tmp_path_factory, mechanisms):
    """A tiny isolated-cord run with its ventral-root recording."""
    from cordsim.analysis.ventral_root import ventral_root_trace, write_ventral_root
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.protocols import make_protocol
    from cordsim.models.simulation import simulate

    spec = circuit_spec("juvenile", preparation="isolated_cord").with_values(
        {k: v for k, v in TINY.items() if not k.startswith("afferents.")}
    )
    proto = make_protocol(
        "cord_reflex", rates_hz=(10.0,), n_pulses=3, n_discard=1, rest_ms=100.0, settle_ms=100.0
    )
    result = simulate(spec, proto, 1)
    trace = ventral_root_trace(result)
    folder = tmp_path_factory.mktemp("nwb") / "cord"
    write_result(result, folder, metrics(result, ventral_root=trace), info={"profile": "wild_type"})
    write_ventral_root(folder, trace)
    return folder


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory, mechanisms):
    """A tiny sweep of the circuit: one reflex point, two seeds."""
    from cordsim.sweeps.engine import run_sweep
    from cordsim.sweeps.spec import spec_from_dict

    data = {
        "sweep": {"name": "nwb", "model": "circuit", "protocols": ["reflex"], "seeds": [1, 2]},
        "parameters": {
            **{k: {"values": [v]} for k, v in TINY.items()},
            **{f"protocol.reflex.{k}": {"values": [v]} for k, v in SHORT_REFLEX.items()},
        },
    }
    out = tmp_path_factory.mktemp("nwb") / "sweep"
    return run_sweep(spec_from_dict(data), out, n_jobs=1, progress=False, in_process=True)


# ----------------------------------------------------------------------------- run folders
def test_run_folder_round_trip(reflex_folder, tmp_path):
    path = export_run_folder(reflex_folder, tmp_path / "reflex.nwb")
    assert path == tmp_path / "reflex.nwb" and path.is_file()
    assert _serious(path) == []
    result = load_result(reflex_folder)
    _assert_same_spikes(path, result)
    pd.testing.assert_frame_equal(
        read_nwb_spikes(path), result.spikes.reset_index(drop=True), check_exact=False, rtol=1e-12
    )

    with pynwb.NWBHDF5IO(str(path), mode="r") as io:
        nwb = io.read()
        units = nwb.units.to_dataframe()
        assert nwb.units.resolution == pytest.approx(result.spec.solver.dt_ms / 1000.0)
        for pop in result.populations.values():
            rows = units[units["population"] == pop.name]
            assert set(rows["kind"]) == {pop.kind} and set(rows["cell_type"]) == {pop.role}
            assert set(rows["muscle"]) == {pop.muscle}
            if pop.mu_sizes is not None:
                np.testing.assert_allclose(rows["mu_size"], pop.mu_sizes)
            else:
                assert rows["mu_size"].isna().all()
        # the volleys (s), with their monosynaptic response windows
        volleys = nwb.intervals[VOLLEY_TABLE].to_dataframe()
        stim_s = np.asarray(result.protocol.stim_times_ms) / 1000.0
        np.testing.assert_allclose(volleys["start_time"], stim_s)
        window = result.protocol.response_window_ms
        np.testing.assert_allclose(volleys["stop_time"], stim_s + window[1] / 1000.0)
        np.testing.assert_allclose(volleys["response_start_time"], stim_s + window[0] / 1000.0)
        epochs = nwb.epochs.to_dataframe()
        analysis = epochs[epochs["tags"].apply(lambda t: "analysis_window" in t)]
        assert analysis[["start_time", "stop_time"]].values.tolist() == [
            [t / 1000.0 for t in result.protocol.analysis_window_ms]
        ]
        # the EMG envelopes, as cordsim.analysis.emg makes them
        signals = nwb.processing["ecephys"]
        for muscle, pop in result.motor_pools().items():
            series = signals[f"emg_envelope_{pop}"]
            _, _, envelope = pool_emg(result, pop)
            np.testing.assert_allclose(series.data[:], envelope)
            assert series.rate == pytest.approx(10_000.0) and series.unit == "a.u."
            assert series.starting_time == 0.0 and muscle in series.description
        # metadata: spec, seed, profile, versions
        notes = json.loads(nwb.notes)
        assert notes["seed"] == 3 and notes["profile"] == "wild_type"
        assert notes["versions"]["neuron"] and notes["versions"]["python"]
        assert notes["versions"]["cordsim"] == notes["exported_with"]["cordsim"]
        spec_text = (reflex_folder / "spec.toml").read_text()
        assert _text(nwb.scratch["cordsim_circuit_spec"].data) == spec_text
        assert json.loads(nwb.stimulus_notes)["stim_times_ms"] == list(
            result.protocol.stim_times_ms
        )
        assert "seed 3" in nwb.session_description and "'reflex'" in nwb.session_description
        assert nwb.subject.species == "Mus musculus" and nwb.subject.age == "P8W/"


def test_ventral_root_round_trip(cord_folder, tmp_path):
    from cordsim.analysis.ventral_root import read_ventral_root

    path = export_run_folder(cord_folder, tmp_path / "cord.nwb")
    assert _serious(path) == []
    result = load_result(cord_folder)
    _assert_same_spikes(path, result)
    trace = read_ventral_root(cord_folder)
    with pynwb.NWBHDF5IO(str(path), mode="r") as io:
        nwb = io.read()
        for root in ("flexor", "extensor"):
            series = nwb.processing["ecephys"][f"ventral_root_{root}"]
            assert series.unit == "volts" and series.conversion == pytest.approx(1e-6)
            np.testing.assert_array_equal(series.data[:], trace[f"vr_{root}_uv"].to_numpy())
            assert series.rate == pytest.approx(1000.0 / (trace["t_ms"][1] - trace["t_ms"][0]))
        volleys = nwb.intervals[VOLLEY_TABLE].to_dataframe()
        assert list(volleys["rate_hz"]) == [10.0] * 3 and list(volleys["pulse_index"]) == [0, 1, 2]
        assert nwb.subject.age == "P6D/P12D"


# ----------------------------------------------------------------------------- sweep points
def test_sweep_point_round_trip(sweep_folder, tmp_path):
    from cordsim.sweeps import load_spikes, load_sweep
    from cordsim.sweeps.nwb_point import export_sweep_point

    frame = load_sweep(sweep_folder)
    assert (frame["status"] == "ok").all() and len(frame) == 2
    row = frame.iloc[1]
    path = export_sweep_point(sweep_folder, row["point_id"][:6], tmp_path / "point.nwb")
    assert _serious(path) == []
    with pynwb.NWBHDF5IO(str(path), mode="r") as io:
        nwb = io.read()
        notes = json.loads(nwb.notes)
        units = nwb.units.to_dataframe()
        assert notes["source"]["point_id"] == row["point_id"] and notes["seed"] == row["seed"]
        assert notes["versions"]["neuron"] == frame.attrs["manifest"]["model_versions"]["neuron"]
        assert "cordsim_sweep_spec" in nwb.scratch and "cordsim_circuit_spec" in nwb.scratch
        assert len(nwb.intervals[VOLLEY_TABLE]) == SHORT_REFLEX["n_pulses"]
        assert set(nwb.processing["ecephys"].data_interfaces) == {
            "emg_envelope_mn_flexor",
            "emg_envelope_mn_extensor",
        }
        assert units["mu_size"].notna().sum() == 4  # the two pools' motor units
    spikes = load_spikes(sweep_folder, row["point_id"]).drop(columns="point_id")
    got = read_nwb_spikes(path)
    pd.testing.assert_frame_equal(got, spikes, check_exact=False, rtol=1e-12)
    by_gid = {int(g): grp["time_ms"].to_numpy() for g, grp in spikes.groupby("gid")}
    for gid, times_s in zip(units["gid"], units["spike_times"], strict=True):
        np.testing.assert_array_equal(
            np.asarray(times_s), by_gid.get(int(gid), np.empty(0)) / 1000.0
        )


def test_point_records_are_those_of_the_run(sweep_folder):
    """The rebuilt records of a point equal those a simulation of it carries."""
    from cordsim.models.simulation import simulate
    from cordsim.sweeps.circuit_model import circuit_model
    from cordsim.sweeps.nwb_point import point_result
    from cordsim.sweeps.results import load_sweep

    row = load_sweep(sweep_folder).iloc[0]
    result, info = point_result(sweep_folder, row["point_id"])
    params = info["design"]["parameters"]
    spec, proto = circuit_model().point_inputs(params, "reflex")
    direct = simulate(spec, proto, int(row["seed"]))
    assert result.protocol == direct.protocol and result.tstop_ms == direct.tstop_ms
    assert result.populations.keys() == direct.populations.keys()
    for name, pop in direct.populations.items():
        np.testing.assert_array_equal(result.populations[name].gids, pop.gids)
        if pop.mu_sizes is not None:
            np.testing.assert_array_equal(result.populations[name].mu_sizes, pop.mu_sizes)
    pd.testing.assert_frame_equal(result.spikes, direct.spikes)


def test_point_errors(sweep_folder, tmp_path):
    from cordsim.sweeps.nwb_point import export_sweep_point, find_point

    ids = sorted(find_point(sweep_folder, pid) for pid in _point_ids(sweep_folder))
    with pytest.raises(ParameterError, match="no point 'feedfeed' in this sweep.*point_id column"):
        export_sweep_point(sweep_folder, "feedfeed", tmp_path / "x.nwb")
    with pytest.raises(ParameterError, match="choose one with --point ID"):
        export_sweep_point(sweep_folder, None, tmp_path / "x.nwb")
    with pytest.raises(ParameterError, match=f"no point '{ids[0][:2]}'"):  # too short a prefix
        find_point(sweep_folder, ids[0][:2])
    assert not (tmp_path / "x.nwb").exists()


def _point_ids(folder) -> list[str]:
    from cordsim.sweeps.results import load_sweep

    return list(load_sweep(folder)["point_id"])


def test_toy_sweep_is_refused(tmp_path):
    from cordsim.sweeps.engine import run_sweep
    from cordsim.sweeps.nwb_point import export_sweep_point
    from cordsim.sweeps.spec import SweepSpec, validate_spec

    spec = validate_spec(
        SweepSpec(
            name="toy",
            model="toy",
            protocols=["rest"],
            seeds=[1],
            parameters={"toy.rate_hz": [10.0], "toy.n_cells": [3]},
        )
    )
    folder = run_sweep(spec, tmp_path / "toy", n_jobs=1, progress=False, in_process=True)
    with pytest.raises(ParameterError, match="needs the circuit model"):
        export_sweep_point(folder, None, tmp_path / "toy.nwb")


# ----------------------------------------------------------------------------- errors
def _synthetic_result(stray_gid: bool = False) -> SimulationResult:
    populations = {"mn_flexor": default_population("mn_flexor", [0, 1], mu_sizes=[1.0, 2.0])}
    spikes = pd.DataFrame(
        {
            "time_ms": [10.0, 20.0],
            "gid": np.array([1, 7 if stray_gid else 0], dtype=np.int64),
            "population": ["mn_flexor", "mn_flexor"],
        }
    )
    proto = ProtocolRecord(name="rest", tstop_ms=50.0, analysis_window_ms=(0.0, 50.0))
    return SimulationResult(spikes, populations, 50.0, proto, 0)


def test_pynwb_missing_says_how_to_install(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "pynwb", None)  # import pynwb -> ImportError
    with pytest.raises(NWBDependencyError, match=r"pip install 'cordsim\[nwb\]'") as err:
        export_result(_synthetic_result(), tmp_path / "x.nwb")
    assert isinstance(err.value, ImportError) and INSTALL_HINT in str(err.value)
    with pytest.raises(NWBDependencyError):
        export_run_folder(tmp_path, tmp_path / "x.nwb")


def test_not_a_run_folder(tmp_path):
    with pytest.raises(ResultFolderError, match="does not exist"):
        export_run_folder(tmp_path / "missing", tmp_path / "x.nwb")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "spikes.parquet").write_bytes(b"")
    with pytest.raises(ResultFolderError, match="not a complete cordsim result folder"):
        export_run_folder(tmp_path / "half", tmp_path / "x.nwb")


def test_output_path_checks(tmp_path):
    result = _synthetic_result()
    with pytest.raises(ParameterError, match=r"named \*\.nwb"):
        export_result(result, tmp_path / "x.h5")
    path = export_result(result, tmp_path / "sub" / "x.nwb")
    assert path.is_file() and _serious(path) == []
    with pytest.raises(ParameterError, match="exists already"):
        export_result(result, path)
    export_result(result, path, overwrite=True)
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.nwb"]  # no temporary left


def test_spikes_of_unlisted_cells_are_refused(tmp_path):
    with pytest.raises(NWBExportError, match="belong to no population"):
        export_result(_synthetic_result(stray_gid=True), tmp_path / "x.nwb")
    assert not (tmp_path / "x.nwb").exists()
