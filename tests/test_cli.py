"""The ``cordsim`` command line: run / plot / validate argument handling.

Argument errors must exit with status 2 and name the key before anything is
simulated (``simulate`` is replaced by a function that fails the test). One
test runs a tiny circuit through NEURON end to end.
"""

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from cordsim.cli import SUBCOMMANDS, build_parser, main
from cordsim.files import read_toml
from cordsim.models.circuit import CircuitSpec, circuit_spec
from cordsim.models.result import ProtocolRecord, SimulationResult, default_population
from cordsim.models.result_folder import write_result
from cordsim.spikes import spike_schema

SPIKE_SCHEMA = spike_schema()

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
POPULATIONS = [f"{r}_{m}" for m in ("flexor", "extensor") for r in ("ia", "mn", "iain", "rc")]


@pytest.fixture
def no_simulation(monkeypatch):
    """Fail the test if the command reaches ``simulate``."""

    def fail(*args, **kwargs):
        raise AssertionError("simulate() was called")

    monkeypatch.setattr("cordsim.models.simulation.simulate", fail)


def _fake_result(spec, protocol, seed):
    populations = {
        p: default_population(p, np.arange(3 * i, 3 * i + 3)) for i, p in enumerate(POPULATIONS)
    }
    spikes = pd.DataFrame(
        {
            "time_ms": [20.0, 40.0, 60.0],
            "gid": np.array([3, 12, 3], dtype=np.int64),
            "population": ["mn_flexor", "mn_extensor", "mn_flexor"],
        }
    )
    proto = ProtocolRecord(
        name="rest",
        tstop_ms=100.0,
        analysis_window_ms=(10.0, 100.0),
        measures=("coactivation", "spontaneous"),
        spontaneous_window_ms=(10.0, 100.0),
    )
    return SimulationResult(spikes, populations, 100.0, proto, int(seed), spec)


@pytest.fixture
def fake_simulation(monkeypatch):
    """Replace ``simulate`` by a NEURON-free stand-in that records its arguments."""
    calls = []

    def fake(spec, protocol, seed, *, progress=None):
        calls.append((spec, protocol, seed))
        return _fake_result(spec, protocol, seed)

    monkeypatch.setattr("cordsim.models.simulation.simulate", fake)
    return calls


def _run(args, capsys):
    rc = main(args)
    return rc, capsys.readouterr()


# ----------------------------------------------------------------------------- run: errors
@pytest.mark.parametrize(
    "extra, message",
    [
        (["--profile", "tor1a_spinal"], "did you mean 'tor1a_spinal_drg'"),
        (["--profile", "tor1a_drg_only", "--only", "mn_nap"], "'mn_nap'"),
        (["--profile", "tor1a_spinal_drg", "--only", "mn_sks"], "did you mean 'mn_sk'"),
        (["--profile", "tor1a_spinal_drg", "--profile-scale", "1.5"], "profile scale"),
        (["--param", "pools.flexor.n_cell=2"], "did you mean 'n_cells'"),
        (["--param", "connections.ia_to_mn.weight_scal=2"], "did you mean 'weight_scale'"),
        (["--param", "pools.flexor.n_cells=0"], "n_cells"),
        (
            ["--param", "pools.flexor.n_cells"],
            "--param 'pools.flexor.n_cells': expected NAME=VALUE",
        ),
        (["--param", "afferents.flexor.conduction_delay_ms=fast"], "conduction_delay_ms"),
        (["--protocol", "reflx"], "did you mean 'reflex'"),
        (["--protocol", "reflex", "--protocol-param", "n_pulse=2"], "did you mean 'n_pulses'"),
        (["--protocol", "reflex", "--protocol-param", "rate_hz=0"], "rate_hz"),
        (["--seed", "-1"], "--seed"),
    ],
)
def test_run_argument_errors_exit_2_naming_the_key(extra, message, tmp_path, capsys, no_simulation):
    rc, out = _run(["run", "--out", str(tmp_path / "r"), *extra], capsys)
    assert rc == 2
    assert message in out.err
    assert out.err.startswith("cordsim: error: ") and out.err.count("\n") == 1
    assert not (tmp_path / "r").exists()


def test_run_missing_or_bad_spec_file(tmp_path, capsys, no_simulation):
    rc, out = _run(["run", str(tmp_path / "nope.toml"), "--out", str(tmp_path / "r")], capsys)
    assert rc == 2 and "nope.toml" in out.err
    bad = tmp_path / "bad.toml"
    bad.write_text("[pools.flexor]\nn_cels = 3\n")
    rc, out = _run(["run", str(bad), "--out", str(tmp_path / "r")], capsys)
    assert rc == 2 and "did you mean 'n_cells'" in out.err


def test_run_age_conflicting_with_spec_file(tmp_path, capsys, no_simulation):
    spec = circuit_spec("adult").to_toml(tmp_path / "adult.toml")
    rc, out = _run(["run", str(spec), "--age", "juvenile", "--out", str(tmp_path / "r")], capsys)
    assert rc == 2 and "--age juvenile conflicts" in out.err


def test_run_refuses_to_overwrite_a_result(tmp_path, capsys, no_simulation):
    write_result(_fake_result(None, None, 0), tmp_path, {"x": 1.0})
    rc, out = _run(["run", "--out", str(tmp_path)], capsys)
    assert rc == 2 and "--overwrite" in out.err


@pytest.mark.parametrize(
    "argv",
    [
        ["run"],  # --out is required
        ["run", "--out", "x", "--profile-scale", "half"],
        ["run", "--out", "x", "--seed", "1.5"],
        ["run", "--out", "x", "--age", "old"],
        ["plot"],
        ["validate", "--age", "old"],
    ],
)
def test_parser_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "error:" in capsys.readouterr().err


# ----------------------------------------------------------------------------- run: plumbing
def test_run_builds_spec_then_profile_and_writes_folder(tmp_path, capsys, fake_simulation):
    out = tmp_path / "r"
    args = [
        "run",
        "--age",
        "juvenile",
        "--param",
        "connections.ia_to_mn.weight_scale=0.5",
        "--param",
        "pools.flexor.n_cells=4",
        "--profile",
        "tor1a_spinal_drg",
        "--profile-scale",
        "0.5",
        "--only",
        "ia_synapse_weight",
        "--protocol",
        "reflex",
        "--protocol-param",
        "n_pulses=2",
        "--protocol-param",
        "n_discard=1",
        "--seed",
        "5",
        "--out",
        str(out),
    ]
    rc, printed = _run(args, capsys)
    assert rc == 0, printed.err
    (spec, protocol, seed), *rest = fake_simulation
    assert not rest and seed == 5
    assert spec.age == "juvenile" and spec.get("pools.flexor.n_cells") == 4
    # --param sets the base, then the profile scales it: 0.5 * (1 + 0.5 * (0.7 - 1))
    assert spec.get("connections.ia_to_mn.weight_scale") == pytest.approx(0.425)
    assert spec.mn_scale == {}  # --only: no motor neuron change
    assert protocol.name == "reflex" and protocol.n_pulses == 2
    assert CircuitSpec.from_toml(out / "spec.toml") == spec
    run = json.loads((out / "run.json").read_text())
    assert run["seed"] == 5
    assert run["info"]["profile"] == "tor1a_spinal_drg" and run["info"]["profile_scale"] == 0.5
    assert run["info"]["params"] == {
        "connections.ia_to_mn.weight_scale": 0.5,
        "pools.flexor.n_cells": 4,
    }
    assert pq.read_table(out / "spikes.parquet").schema.equals(SPIKE_SCHEMA)
    assert "mn_rate_hz_flexor" in json.loads((out / "metrics.json").read_text())
    assert f"result: {out}" in printed.out and "mn_rate_hz_flexor" in printed.out


def test_run_spec_file_and_overwrite(tmp_path, capsys, fake_simulation):
    path = tmp_path / "spec.toml"
    path.write_text('age = "juvenile"\n[pools.extensor]\nn_cells = 3\n')
    out = tmp_path / "r"
    for extra in ([], ["--overwrite"]):
        rc, printed = _run(["run", str(path), "--out", str(out), *extra], capsys)
        assert rc == 0, printed.err
    spec = fake_simulation[-1][0]
    assert spec.age == "juvenile" and spec.get("pools.extensor.n_cells") == 3
    assert read_toml(out / "spec.toml")["populations"]["mn_extensor"]["n_cells"] == 3


# ----------------------------------------------------------------------------- plot
def test_plot_writes_a_png(tmp_path, capsys):
    write_result(_fake_result(circuit_spec(), None, 1), tmp_path / "r", {"x": 1.0})
    rc, printed = _run(["plot", str(tmp_path / "r")], capsys)
    assert rc == 0, printed.err
    assert (tmp_path / "r" / "plot.png").read_bytes()[:8] == PNG_MAGIC
    rc, _ = _run(["plot", str(tmp_path / "r"), "--out", str(tmp_path / "f" / "x.png")], capsys)
    assert rc == 0 and (tmp_path / "f" / "x.png").read_bytes()[:8] == PNG_MAGIC


def test_plot_draws_one_figure_with_raster_and_emg():
    from cordsim.analysis.plots import run_overview_figure

    result = _fake_result(None, None, 1)
    fig = run_overview_figure(result)
    assert len(fig.axes) == len(POPULATIONS) + 1  # raster panels, then the EMG envelopes
    assert [line.get_label() for line in fig.axes[-1].get_lines()] == ["mn_flexor", "mn_extensor"]
    no_pools = SimulationResult(
        result.spikes.iloc[:0],
        {p: result.populations[p] for p in ("ia_flexor", "ia_extensor")},
        100.0,
        result.protocol,
        1,
    )
    assert len(run_overview_figure(no_pools).axes) == 2  # no motor pool: no EMG panel


def test_every_subcommand_is_registered_from_the_table():
    names = build_parser()._subparsers._group_actions[0].choices
    assert list(names) == [
        "compile",
        "validate",
        "sweep",
        "demo",
        "run",
        "plot",
        "examples",
        "score",
        "profiles",
        "info",
        "export",
    ]
    # cli.py's own verbs are private (_cmd_x); those of cli_<x>.py modules public (cmd_x)
    assert [cmd.__name__.lstrip("_") for _, cmd in SUBCOMMANDS] == [f"cmd_{n}" for n in names]
    assert [add.__name__.lstrip("_") for add, _ in SUBCOMMANDS] == [
        f"add_{n}_parser" for n in names
    ]


def test_plot_errors(tmp_path, capsys):
    rc, printed = _run(["plot", str(tmp_path / "nope")], capsys)
    assert rc == 2 and "does not exist" in printed.err
    rc, printed = _run(["plot", str(tmp_path)], capsys)
    assert rc == 2 and "missing metrics.json" in printed.err
    write_result(_fake_result(None, None, 1), tmp_path / "r", {"x": 1.0})
    rc, printed = _run(["plot", str(tmp_path / "r"), "--out", str(tmp_path / "x.pdf")], capsys)
    assert rc == 2 and "PNG" in printed.err


# ----------------------------------------------------------------------------- NEURON
TINY = [
    f"--param={key}={value}"
    for muscle in ("flexor", "extensor")
    for key, value in (
        (f"pools.{muscle}.n_cells", 2),
        (f"afferents.{muscle}.n_fibres", 5),
        (f"interneurons.{muscle}.n_iain", 1),
        (f"interneurons.{muscle}.n_rc", 1),
    )
]
SHORT_REFLEX = [
    "--protocol=reflex",
    "--protocol-param=n_pulses=2",
    "--protocol-param=n_discard=1",
    "--protocol-param=rate_hz=50",
    "--protocol-param=start_ms=50",
    "--protocol-param=tail_ms=30",
]


def test_run_and_plot_a_tiny_circuit(tmp_path, capsys, mechanisms):
    out = tmp_path / "tiny"
    argv = ["run", *TINY, *SHORT_REFLEX, "--profile=tor1a_spinal_drg", "--seed=2", f"--out={out}"]
    rc, printed = _run(argv, capsys)
    assert rc == 0, printed.err
    assert "reflex_latency_ms" in printed.out or "mn_rate_hz_flexor" in printed.out
    spikes = pq.read_table(out / "spikes.parquet")
    assert spikes.schema.equals(SPIKE_SCHEMA)
    assert set(spikes.column("population").to_pylist()) <= set(POPULATIONS)
    assert "ia_flexor" in spikes.column("population").to_pylist()  # the volleys
    run = json.loads((out / "run.json").read_text())
    # 5 fibres less ia_fibre_loss (x 0.8) = 4
    assert {p: len(g["gids"]) for p, g in run["populations"].items()} == {
        p: {"ia": 4, "mn": 2, "iain": 1, "rc": 1}[p.split("_")[0]] for p in POPULATIONS
    }
    protocol = json.loads((out / "protocol.json").read_text())
    assert protocol["name"] == "reflex" and protocol["stim_times_ms"] == [50.0, 70.0]
    spec = read_toml(out / "spec.toml")
    assert spec["mn_scale"]["gbar_nap_is_s_cm2"] == 1.5
    rc, printed = _run(["plot", str(out)], capsys)
    assert rc == 0 and (out / "plot.png").read_bytes()[:8] == PNG_MAGIC


# ------------------------------------------------------------- isolated cord, end to end
def test_cord_reflex_run_writes_and_plots_the_ventral_root(tmp_path, capsys):
    """Isolated cord, a short cord_reflex: the trace file, lab-style scores, the plot."""
    import json

    from cordsim.analysis.ventral_root import read_ventral_root

    out = tmp_path / "cord"
    args = ["run", "--preparation", "isolated_cord", "--protocol", "cord_reflex"]
    args += ["--protocol-param", "rates_hz=[0.1, 10]", "--protocol-param", "rest_ms=200"]
    args += ["--protocol-param", "n_pulses=3", "--seed", "1", "--out", str(out)]
    rc, printed = _run([*args, "--no-progress"], capsys)
    assert rc == 0, printed.err
    trace = read_ventral_root(out)
    assert list(trace.columns) == ["t_ms", "vr_flexor_uv", "vr_extensor_uv"]
    row = json.loads((out / "metrics.json").read_text())
    assert row["vr_onset_latency_ms"] > 2.0 and row["vr_peak_amplitude_uv"] > 0
    assert "vr_peak_amplitude_depression_10hz" in row and "reflex_depression_ratio_10hz" in row
    assert "vr_peak_amplitude_uv" in printed.out and "mn_max_cell_rate_hz_flexor" in printed.out
    scores = pd.read_csv(out / "ventral_root_scores.csv")
    assert len(scores) == 2 * 3 and set(scores["root"]) == {"flexor", "extensor"}
    assert "means by rate" in printed.out
    assert 'preparation = "isolated_cord"' in (out / "spec.toml").read_text()
    rc, printed = _run(["plot", str(out)], capsys)
    assert rc == 0 and (out / "plot.png").exists()


def test_preparation_errors_exit_2(tmp_path, capsys, no_simulation):
    rc, out = _run(
        ["run", "--preparation", "isolated_cord", "--age", "adult", "--out", str(tmp_path)],
        capsys,
    )
    assert rc == 2 and "juvenile preparation" in out.err
    spec = circuit_spec("adult").to_toml(tmp_path / "adult.toml")
    rc, out = _run(
        ["run", str(spec), "--preparation", "isolated_cord", "--out", str(tmp_path / "r")], capsys
    )
    assert rc == 2 and "--preparation isolated_cord conflicts" in out.err
    rc, out = _run(
        ["run", "--param", "preparation=isolated_cord", "--out", str(tmp_path / "r")], capsys
    )
    assert rc == 2 and "selects a preset" in out.err
