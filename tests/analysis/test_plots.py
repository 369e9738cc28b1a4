"""Plots return figures with the expected axes and save to PNG (Agg-safe)."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from cordsim.analysis import plots
from cordsim.models.result import ProtocolRecord, SimulationResult, default_population


def _result():
    rng = np.random.default_rng(0)
    pops, rows, gid = {}, [], 0
    for pop, n in (("mn_flexor", 6), ("mn_extensor", 6), ("iain_flexor", 3)):
        gids = []
        for _ in range(n):
            for t in np.sort(rng.uniform(0, 500, 10)):
                rows.append((t, gid, pop))
            gids.append(gid)
            gid += 1
        pops[pop] = default_population(pop, gids)
    spikes = pd.DataFrame(rows, columns=["time_ms", "gid", "population"]).sort_values("time_ms")
    proto = ProtocolRecord(
        "contraction",
        500.0,
        (100.0, 400.0),
        ("coactivation", "spontaneous", "contraction"),
        agonist="flexor",
        spontaneous_window_ms=(0.0, 100.0),
    )
    return SimulationResult(spikes, pops, 500.0, proto, 3)


def _save(fig, tmp_path, name):
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=40)
    assert path.stat().st_size > 0


def test_raster(tmp_path):
    fig = plots.raster_plot(_result())
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 3
    assert [ax.get_ylabel() for ax in fig.axes] == ["iain_flexor", "mn_flexor", "mn_extensor"]
    _save(fig, tmp_path, "raster")
    assert len(plots.raster_plot(_result(), populations=["mn_flexor"]).axes) == 1


def test_emg_plot(tmp_path):
    fig = plots.emg_plot(_result())
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 2
    _save(fig, tmp_path, "emg")
    assert len(plots.emg_plot(_result(), show_raw=True).axes) == 2


def test_depression_curve_plot(tmp_path):
    curve = pd.DataFrame(
        {
            "rate_hz": [0.1, 0.1, 1, 1, 10, 10],
            "depression_ratio": [1, 1, 0.8, 0.7, 0.4, 0.5],
            "profile": ["wt", "ko"] * 3,
        }
    )
    fig = plots.depression_curve_plot(curve)
    assert len(fig.axes) == 1 and fig.axes[0].get_xscale() == "log"
    _save(fig, tmp_path, "depression")
    fig = plots.depression_curve_plot(curve, hue="profile")
    assert len(fig.axes[0].get_legend().get_texts()) == 2


def _sweep():
    rng = np.random.default_rng(1)
    rows = [
        {"g": g, "w": w, "seed": s, "coactivation_cci": g * w + rng.normal(0, 0.1)}
        for g in (0.5, 1.0, 2.0)
        for w in (1, 2)
        for s in range(3)
    ]
    return pd.DataFrame(rows)


def test_metric_vs_parameter(tmp_path):
    fig = plots.metric_vs_parameter_plot(_sweep(), "g", "coactivation_cci", hue="w")
    assert len(fig.axes) == 1
    _save(fig, tmp_path, "sweep")
    with pytest.raises(KeyError, match="nope"):
        plots.metric_vs_parameter_plot(_sweep(), "nope", "coactivation_cci")


def test_heatmap(tmp_path):
    fig = plots.metric_heatmap(_sweep(), "g", "w", "coactivation_cci")
    assert len(fig.axes) == 2  # map + colour bar
    data = fig.axes[0].images[0].get_array()
    assert data.shape == (2, 3)
    assert data[1, 2] == pytest.approx(4.0, abs=0.3)  # w=2, g=2: mean of g * w
    _save(fig, tmp_path, "heat")


# ----------------------------------------------------------------------------- ventral root
def _vr_frame(result=None):
    from cordsim.analysis.ventral_root import ventral_root_trace

    return ventral_root_trace(result or _result())


def test_ventral_root_plot(tmp_path):
    frame = _vr_frame()
    fig = plots.ventral_root_plot(frame, stim_times_ms=(100.0, 200.0), title="VR")
    assert isinstance(fig, Figure)
    assert [ax.get_ylabel() for ax in fig.axes] == ["VR flexor\n(uV)", "VR extensor\n(uV)"]
    trace = fig.axes[0].lines[0]
    np.testing.assert_array_equal(trace.get_xdata(), frame["t_ms"])
    np.testing.assert_array_equal(trace.get_ydata(), frame["vr_flexor_uv"])
    # the two volleys: one vertical line each, on every root
    stim_lines = [ln for ln in fig.axes[1].lines if ln is not fig.axes[1].lines[0]]
    assert sorted(ln.get_xdata()[0] for ln in stim_lines) == [100.0, 200.0]
    assert fig.axes[-1].get_xlim() == (0.0, 500.0)
    _save(fig, tmp_path, "vr")
    one = plots.ventral_root_plot(frame[["t_ms", "vr_extensor_uv"]], t_range_ms=(10.0, 20.0))
    assert len(one.axes) == 1 and one.axes[0].get_xlim() == (10.0, 20.0)
    with pytest.raises(ValueError, match="ventral-root frame"):
        plots.ventral_root_plot(pd.DataFrame({"t_ms": [0.0]}))


def test_run_overview_figure_with_ventral_root(tmp_path):
    result = _result()
    base = plots.run_overview_figure(result)
    assert len(base.axes) == 4  # 3 raster panels + EMG envelopes, as before
    fig = plots.run_overview_figure(result, ventral_root=_vr_frame(result))
    assert len(fig.axes) == 6  # + one panel per root
    assert [ax.get_ylabel() for ax in fig.axes[-2:]] == ["VR flexor\n(uV)", "VR extensor\n(uV)"]
    assert "EMG envelope" in fig.axes[3].get_ylabel()
    assert fig.axes[-1].get_xlim() == (0.0, 500.0)
    _save(fig, tmp_path, "overview_vr")
