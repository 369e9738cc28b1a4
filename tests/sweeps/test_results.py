"""load_sweep / load_spikes: tidy frames, spec in attrs, lazy spike reading."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

from cordsim.sweeps.engine import run_sweep
from cordsim.sweeps.results import load_spikes, load_sweep, sweep_spec
from cordsim.sweeps.spec import SweepSpec, validate_spec
from cordsim.sweeps.store import SweepFolderError


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    spec = validate_spec(
        SweepSpec(
            name="io",
            model="toy",
            protocols=["rest", "reflex"],
            seeds=[1, 2],
            parameters={"toy.rate_hz": [10.0, 30.0], "toy.n_cells": [5]},
        )
    )
    return run_sweep(spec, tmp_path_factory.mktemp("io") / "out", n_jobs=1, progress=False)


def test_load_sweep_frame_and_attrs(folder):
    df = load_sweep(folder)
    assert len(df) == 2 * 2 * 2
    assert list(df.columns[:6]) == [
        "point_id", "sample", "seed", "protocol", "toy.rate_hz", "toy.n_cells"
    ]  # fmt: skip
    assert list(df.columns[-3:]) == ["status", "error", "wall_time_s"]
    assert df["seed"].dtype == np.int64 and df["rate_hz"].dtype == np.float64
    assert pd.api.types.is_string_dtype(df["point_id"])
    assert df.attrs["spec"]["sweep"]["name"] == "io"
    assert df.attrs["spec"] == sweep_spec(folder)
    assert df.attrs["manifest"]["name"] == "io"
    assert df.attrs["folder"] == str(folder)
    # rest rows have no reflex metrics
    assert df.loc[df["protocol"] == "rest", "latency_ms"].isna().all()


def test_load_sweep_reconsolidates_when_needed(folder):
    ref = load_sweep(folder).drop(columns="wall_time_s")
    os.remove(folder / "metrics.parquet")
    again = load_sweep(folder).drop(columns="wall_time_s")
    assert (folder / "metrics.parquet").exists()
    pd.testing.assert_frame_equal(again, ref)


def test_load_spikes_lazily(folder):
    df = load_sweep(folder)
    pid = df["point_id"].iloc[0]
    one = load_spikes(folder, pid)
    assert list(one.columns) == ["time_ms", "gid", "population", "point_id"]
    assert set(one["point_id"]) == {pid} and len(one) > 0
    assert one["time_ms"].is_monotonic_increasing
    two = load_spikes(folder, df["point_id"].iloc[:2].tolist(), columns=["time_ms", "point_id"])
    assert list(two.columns) == ["time_ms", "point_id"]
    assert set(two["point_id"]) == set(df["point_id"].iloc[:2])
    assert len(load_spikes(folder, pid, population="nope")) == 0
    assert len(load_spikes(folder, "0000000000000000")) == 0  # unknown id: empty frame
    every = load_spikes(folder, all_points=True)
    assert set(every["point_id"]) == set(df["point_id"])
    dataset = load_spikes(folder, as_dataset=True)
    assert isinstance(dataset, ds.Dataset) and dataset.count_rows() == len(every)
    with pytest.raises(ValueError, match="all_points"):
        load_spikes(folder)


def test_not_a_sweep_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a sweep results folder"):
        load_sweep(tmp_path)


def test_package_level_entry_points_are_the_results_functions():
    import cordsim
    import cordsim.analysis as analysis
    import cordsim.sweeps as sweeps

    assert sweeps.load_sweep is load_sweep and cordsim.load_sweep is load_sweep
    assert sweeps.load_spikes is load_spikes and cordsim.load_spikes is load_spikes
    assert not hasattr(analysis, "load_sweep")  # the analysis layer reads no folders
    with pytest.raises(AttributeError, match="no attribute"):
        analysis.load_everything  # noqa: B018


def test_load_spikes_names_a_damaged_spike_file(folder, tmp_path):
    copy = shutil.copytree(folder, tmp_path / "copy")
    pid = load_sweep(copy)["point_id"].iloc[0]
    spikes = copy / "spikes" / f"{pid}.parquet"
    data = bytearray(spikes.read_bytes())
    data[len(data) // 3] ^= 0xFF
    spikes.write_bytes(bytes(data))
    with pytest.raises(SweepFolderError, match="checksum mismatch") as info:
        load_spikes(copy, pid)
    message = str(info.value)
    assert str(spikes) in message and "run the sweep again" in message and "\n" not in message
    other = load_sweep(copy)["point_id"].iloc[1]
    assert len(load_spikes(copy, other)) > 0  # the other points still read
