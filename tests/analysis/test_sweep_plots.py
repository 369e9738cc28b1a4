"""Figures of a sweep's metrics: metric vs one parameter with the replicate spread, or a heat map.

The analysis functions get a synthetic frame; ``cordsim plot SWEEP_DIR`` gets a
folder of the toy model's sweep (numpy only, about a second).
"""

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from cordsim.analysis.sweep_plots import sweep_columns, sweep_metric_figure
from cordsim.errors import ParameterError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _frame(protocols=("rest",), seeds=(1, 2, 3)):
    """A sweep frame over g (4 values, log) x w (3 values), with a fixed n and a failed row."""
    rng = np.random.default_rng(0)
    rows = []
    for protocol in protocols:
        for g in (1.0, 2.0, 4.0, 8.0):
            for w in (0.5, 1.0, 2.0):
                for seed in seeds:
                    rate = 10 * g * w + rng.normal(0, 1) if protocol == "rest" else np.nan
                    rows.append((f"{g}-{w}-{seed}", 0, seed, protocol, g, w, 20, rate, 1.0))
    frame = pd.DataFrame(
        rows,
        columns=["point_id", "sample", "seed", "protocol", "g", "w", "n", "rate_hz", "cv"],
    )
    frame["status"], frame["error"], frame["wall_time_s"] = "ok", "", 0.1
    frame.loc[0, ["status", "rate_hz"]] = ["failed", np.nan]
    frame.attrs["spec"] = {
        "sweep": {"name": "t"},
        "parameters": {
            "g": {"low": 1.0, "high": 8.0, "steps": 4, "log": True},
            "w": {"values": [0.5, 1.0, 2.0]},
            "n": {"values": [20]},
        },
    }
    return frame


def test_columns_by_role():
    cols = sweep_columns(_frame(("rest", "reflex")))
    assert cols.parameters == ("g", "w", "n")
    assert cols.varied == ("g", "w")  # n takes one value
    assert cols.metrics == ("rate_hz", "cv")
    assert cols.protocols == ("rest", "reflex")


def test_line_with_replicate_spread_and_one_line_per_other_parameter():
    fig = sweep_metric_figure(_frame(), "rate_hz", x="g")
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_xlabel() == "g" and ax.get_ylabel() == "rate_hz"
    assert ax.get_xscale() == "log"  # the spec samples g on a log scale
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "4", "8"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["w=0.5", "w=1.0", "w=2.0"]
    # every finished replicate is a point: 4 x 3 x 3 rows minus the failed one
    points = sum(len(line.get_xdata()) for line in ax.lines if line.get_marker() == "o")
    assert points == 4 * 3 * 3 - 1
    assert "protocol rest" in ax.get_title() and "3 replicate seed(s)" in ax.get_title()


def test_heat_map_of_the_mean_over_replicates():
    frame = _frame()
    fig = sweep_metric_figure(frame, "rate_hz", x="w", y="g")
    assert len(fig.axes) == 2  # map and colour bar
    image = fig.axes[0].get_images()[0].get_array()
    assert image.shape == (4, 3)  # g rows, w columns
    ok = frame[frame["status"] == "ok"]
    expected = ok[(ok["g"] == 8.0) & (ok["w"] == 2.0)]["rate_hz"].mean()
    assert image[3, 2] == pytest.approx(expected)


def test_the_only_varied_parameter_is_the_default_x():
    frame = _frame()
    frame = frame[frame["w"] == 1.0].copy()
    fig = sweep_metric_figure(frame, "rate_hz")
    assert fig.axes[0].get_xlabel() == "g"


def test_pooled_parameters_are_named():
    fig = sweep_metric_figure(_frame(), "rate_hz", x="g", parameters=["g", "w", "n", "cv"])
    assert fig.axes[0].get_legend() is not None  # w: one line each; cv is a parameter here
    assert "pooled over" not in fig.axes[0].get_title()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"metric": "rate"},
            "unknown metric 'rate'; did you mean 'rate_hz'? available: rate_hz, cv",
        ),
        ({"metric": "rate_hz", "x": "gg"}, "unknown parameter (x) 'gg'"),
        ({"metric": "rate_hz", "x": "g", "y": "q"}, "available: g, w, n"),
        ({"metric": "rate_hz", "x": "g", "protocol": "walk"}, "available: rest, reflex"),
        ({"metric": "rate_hz"}, "varies 2 parameters (g, w)"),
        ({"metric": "rate_hz", "x": "g", "y": "g"}, "needs two parameters"),
        ({"metric": "rate_hz", "y": "g"}, "give x"),
        ({"metric": "rate_hz", "x": "g", "protocol": "reflex"}, "no finished point"),
    ],
)
def test_clear_errors(kwargs, message):
    frame = _frame(("rest", "reflex"))
    metric = kwargs.pop("metric")
    with pytest.raises(ParameterError, match=None) as info:
        sweep_metric_figure(frame, metric, **kwargs)
    assert message in str(info.value)


def test_a_metric_of_several_protocols_needs_one():
    frame = _frame(("rest", "reflex"))
    frame["cv"] = 1.0  # measured under both
    with pytest.raises(ParameterError, match="several protocols .rest, reflex.; choose one"):
        sweep_metric_figure(frame, "cv", x="g")
    assert sweep_metric_figure(frame, "cv", x="g", protocol="reflex")


def test_parameters_come_from_the_spec_or_the_caller():
    frame = _frame()
    frame.attrs.clear()
    with pytest.raises(ParameterError, match="no sweep spec"):
        sweep_metric_figure(frame, "rate_hz", x="g")
    assert sweep_metric_figure(frame, "rate_hz", x="g", parameters=["g", "w", "n"])


# ----------------------------------------------------------------------------- the CLI
@pytest.fixture(scope="module")
def toy_sweep(tmp_path_factory):
    """The toy model's example sweep (96 points, numpy only) in a results folder."""
    from cordsim.sweeps import run_sweep
    from cordsim.sweeps.examples_index import example_specs

    folder = tmp_path_factory.mktemp("toy") / "results"
    run_sweep(example_specs()["toy"], folder, n_jobs=1, progress=False, in_process=True)
    return folder


def _plot(capsys, *argv):
    from cordsim.cli import main

    code = main(["plot", *map(str, argv)])
    return code, capsys.readouterr()


def test_cli_draws_a_sweep_folder(toy_sweep, tmp_path, capsys):
    out = tmp_path / "line.png"
    code, printed = _plot(
        capsys,
        toy_sweep,
        "--metric",
        "rate_hz",
        "--x",
        "toy.rate_hz",
        "--protocol",
        "rest",
        "--out",
        out,
    )
    assert code == 0, printed.err
    assert out.read_bytes().startswith(PNG_MAGIC) and f"figure: {out}" in printed.out
    code, printed = _plot(
        capsys, toy_sweep, "-m", "latency_ms", "--x", "toy.rate_hz", "--y", "toy.weight"
    )
    assert code == 0, printed.err
    default = toy_sweep / "plot_latency_ms_toy.rate_hz_toy.weight.png"
    assert default.read_bytes().startswith(PNG_MAGIC)


def test_cli_names_what_there_is_to_draw(toy_sweep, capsys):
    code, printed = _plot(capsys, toy_sweep)
    assert code == 2
    assert "--metric" in printed.err and "rate_hz" in printed.err
    assert "varied parameters: toy.rate_hz, toy.weight, profile.toy_tor1a.scale" in printed.err
    code, printed = _plot(capsys, toy_sweep, "-m", "rate", "--x", "toy.rate_hz")
    assert code == 2 and "did you mean 'rate_hz'? available: cv_isi" in printed.err
    code, printed = _plot(capsys, toy_sweep, "-m", "rate_hz", "--x", "toy.rate_hz")
    assert code == 2 and "several protocols (rest, reflex)" in printed.err


def test_cli_refuses_sweep_options_for_a_run_folder(tmp_path, capsys):
    from cordsim.models.result import ProtocolRecord, SimulationResult, default_population
    from cordsim.models.result_folder import write_result

    spikes = pd.DataFrame({"time_ms": [1.0], "gid": np.array([0]), "population": ["mn_flexor"]})
    proto = ProtocolRecord("rest", 10.0, (0.0, 10.0), ("coactivation",))
    result = SimulationResult(
        spikes, {"mn_flexor": default_population("mn_flexor", [0])}, 10.0, proto, 1
    )
    write_result(result, tmp_path / "run", {"x": 1.0})
    code, printed = _plot(capsys, tmp_path / "run", "--metric", "rate_hz")
    assert code == 2 and "--metric: only for a sweep results folder" in printed.err
