"""cordsim demo: its sweeps, the summary logic (no NEURON), and small end-to-end runs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cordsim.models.circuit import circuit_spec
from cordsim.models.profiles import get_profile
from cordsim.sweeps.demo import (
    DEMO_PROFILE,
    FULL,
    QUICK,
    SIGNS,
    DemoConfig,
    Sign,
    circuit_size_values,
    condition_order,
    demo_figure,
    demo_specs,
    format_summary,
    label_conditions,
    run_demo,
    summarize,
)

ONLY = f"profile.{DEMO_PROFILE}.only"
SCALE = f"profile.{DEMO_PROFILE}.scale"


# ----------------------------------------------------------------------------- sweeps


def test_circuit_size_values_keep_each_cell_s_summed_input():
    values = circuit_size_values(8, 4, 4)
    assert values["pools.flexor.n_cells"] == values["pools.extensor.n_cells"] == 8
    assert values["interneurons.extensor.n_rc"] == 4
    default, small = circuit_spec(), circuit_spec().with_values(values)

    def count(spec, role):
        return spec.populations[spec.population_of(role, "flexor")].n_cells

    for name, rule in default.connections.items():
        new = small.connections[name]
        before = count(default, rule.source) * rule.probability * rule.weight_scale
        after = count(small, rule.source) * new.probability * new.weight_scale
        assert after == pytest.approx(before), name
    assert "connections.ia_to_mn.weight_scale" not in values  # Ia fibres unchanged


def test_demo_toml_is_the_full_demo_and_specs_validate():
    from cordsim.sweeps.sampling import plan_points
    from cordsim.sweeps.spec import load_spec, spec_hash, validate_spec

    toml = load_spec(demo_specs.__globals__["_demo_toml"]())
    full = demo_specs(FULL)
    assert spec_hash(validate_spec(full["conditions"])) == spec_hash(toml)
    only = next(p for p in toml.parameters if p.name == ONLY).values
    controls = ("drg_only", "spinal_only")  # tor1a_drg_only and its complement
    assert only == ("none", "all", *controls, *get_profile(DEMO_PROFILE).change_names())
    assert len(plan_points(validate_spec(full["conditions"]))) == 14 * 3 * 3
    assert len(plan_points(validate_spec(full["dose"]))) == 3 * 3
    quick = {k: validate_spec(s) for k, s in demo_specs(QUICK).items()}
    assert quick["conditions"].seeds == (1,)
    params = {p.name: p.values for p in quick["conditions"].parameters}
    assert params["pools.flexor.n_cells"] == (3,)
    assert params["connections.iain_to_mn.weight_scale"] == (10.0,)
    dose = {p.name: p.values for p in quick["dose"].parameters}
    assert dose[ONLY] == ("all",) and dose[SCALE] == (0.5,)
    sub = demo_specs(DemoConfig("x", 2, 1, 1, (4,), {}, dose_scales=(), only=("none", "mn_cal")))
    assert list(sub) == ["conditions"]
    assert {p.name: p.values for p in sub["conditions"].parameters}[ONLY] == ("none", "mn_cal")


# ----------------------------------------------------------------------------- summary


def _synthetic() -> pd.DataFrame:
    """Three seeds; each condition shifts the metrics by a known amount."""
    base = {"spontaneous_rate_hz": 1.0, "reflex_amplitude": 6.0, "coactivation_cci": 40.0}
    shifts = {  # (only, scale) -> per-metric change
        ("none", 1.0): {},
        ("all", 1.0): {"spontaneous_rate_hz": 10.0, "reflex_amplitude": -3.0,
                       "coactivation_cci": 20.0},
        ("all", 0.5): {"spontaneous_rate_hz": 4.0, "reflex_amplitude": -1.0},
        ("mn_nap", 1.0): {"spontaneous_rate_hz": 2.0, "reflex_amplitude": +1.0},
        ("ia_synapse_weight", 1.0): {"reflex_amplitude": -2.0},
    }  # fmt: skip
    noise = {1: 0.0, 2: 0.3, 3: -0.3}  # seed effect, identical in every condition
    rows = []
    for (only, scale), shift in shifts.items():
        for seed, eps in noise.items():
            for protocol in dict.fromkeys(s.protocol for s in SIGNS):
                row = {ONLY: only, SCALE: scale, "seed": seed, "protocol": protocol}
                for sign in SIGNS:
                    if sign.protocol == protocol:
                        value = base.get(sign.metric, 1.0) + eps + shift.get(sign.metric, 0)
                        row[sign.metric] = value
                rows.append({**row, "status": "ok"})
    frame = pd.DataFrame(rows)
    # a within-noise change: mn_nap's co-activation moves up 0.3 in seed 1 only (mean 0.1)
    mask = (frame[ONLY] == "mn_nap") & (frame["seed"] == 1) & (frame["protocol"] == "contraction")
    frame.loc[mask, "coactivation_cci"] += 0.3
    frame.loc[mask, "antagonist_rate_hz"] = np.nan
    # a failed point is ignored
    failed = frame.iloc[[0]].assign(status="failed", spontaneous_rate_hz=1e6)
    return pd.concat([frame, failed], ignore_index=True)


def test_label_conditions_and_order():
    frame = label_conditions(_synthetic())
    assert set(frame["condition"]) == {
        "wild type",
        DEMO_PROFILE,
        f"{DEMO_PROFILE} x0.5",
        "mn_nap alone",
        "ia_synapse_weight alone",
    }
    assert condition_order(frame["condition"]) == [
        "wild type",
        f"{DEMO_PROFILE} x0.5",
        DEMO_PROFILE,
        "ia_synapse_weight alone",  # profile order: Ia synapse changes before MN changes
        "mn_nap alone",
    ]
    scale0 = pd.DataFrame({ONLY: ["all"], SCALE: [0.0]})
    assert label_conditions(scale0)["condition"].tolist() == ["wild type"]
    assert label_conditions(pd.DataFrame({"x": [1]}))["condition"].tolist() == [DEMO_PROFILE]
    controls = pd.DataFrame({ONLY: ["spinal_only", "drg_only", "mn_sk"], SCALE: [1.0, 1.0, 0.5]})
    labels = label_conditions(controls)["condition"].tolist()
    assert labels == ["tor1a_spinal_only", "tor1a_drg_only", "mn_sk alone x0.5"]
    assert condition_order([*labels, DEMO_PROFILE, "wild type"]) == [
        "wild type",
        DEMO_PROFILE,
        "tor1a_drg_only",
        "tor1a_spinal_only",
        "mn_sk alone x0.5",
    ]


def test_summarize_paired_changes_and_verdicts():
    summary = summarize(label_conditions(_synthetic()))
    assert list(summary.columns[:5]) == ["condition", "sign", "metric", "unit", "direction"]
    s = summary.set_index(["condition", "metric"])
    full = s.loc[(DEMO_PROFILE, "spontaneous_rate_hz")]
    assert full["delta"] == pytest.approx(10.0) and full["n_pairs"] == 3
    assert full["delta_se"] == pytest.approx(0.0, abs=1e-12)  # seed effects cancel (paired)
    assert full["rel_change"] == pytest.approx(10.0)  # wild-type mean 1.0
    assert full["mean"] == pytest.approx(11.0) and full["verdict"] == "yes"
    assert s.loc[("wild type", "spontaneous_rate_hz"), "mean"] == pytest.approx(1.0)  # no 1e6
    assert s.loc[("wild type", "spontaneous_rate_hz"), "verdict"] == "-"
    assert s.loc[(DEMO_PROFILE, "reflex_amplitude"), "verdict"] == "yes"  # down by 3
    assert s.loc[("mn_nap alone", "reflex_amplitude"), "verdict"] == "no"  # up: wrong way
    assert s.loc[("ia_synapse_weight alone", "spontaneous_rate_hz"), "verdict"] == "no"  # 0
    assert s.loc[("ia_synapse_weight alone", "reflex_amplitude"), "verdict"] == "yes"
    nap = s.loc[("mn_nap alone", "coactivation_cci")]
    assert nap["delta"] == pytest.approx(0.1) and nap["verdict"] == "weak"  # within 2 SE
    assert s.loc[("mn_nap alone", "antagonist_rate_hz"), "n_pairs"] == 2  # NaN seed dropped
    assert s.loc[(DEMO_PROFILE, "reflex_depression_ratio"), "verdict"] == "-"  # no direction
    # one seed: at most "weak"
    one = summarize(label_conditions(_synthetic().query("seed == 1")))
    v = one.set_index(["condition", "metric"]).loc[(DEMO_PROFILE, "spontaneous_rate_hz")]
    assert v["verdict"] == "weak" and math.isnan(v["delta_se"])
    # undefined metric
    nan = label_conditions(_synthetic())
    nan.loc[nan[ONLY] == "ia_synapse_weight", "coactivation_cci"] = np.nan
    v = summarize(nan).set_index(["condition", "metric"])
    assert v.loc[("ia_synapse_weight alone", "coactivation_cci"), "verdict"] == "n/a"
    with pytest.raises(ValueError, match="no 'wild type' rows"):
        summarize(label_conditions(_synthetic().query(f"`{ONLY}` != 'none'")))


def test_summarize_custom_sign_and_format():
    frame = label_conditions(_synthetic())
    one = (Sign("quiet", "rest", "spontaneous_rate_hz", "Hz", -1),)
    s = summarize(frame, one).set_index("condition")
    assert s.loc[DEMO_PROFILE, "verdict"] == "no"
    text = format_summary(summarize(frame))
    lines = text.splitlines()
    assert lines[0].startswith("condition") and "spontaneous_rate_hz [Hz] up" in lines[0]
    assert "reflex_amplitude [spikes] down" in lines[0]
    assert lines[2].startswith("wild type")
    full_row = next(line for line in lines if line.split("  ")[0] == DEMO_PROFILE)
    assert "11 (+10 +/- 0) yes" in full_row
    answer = next(line for line in lines if line.startswith("spontaneous activity at rest"))
    assert f"reproduced by {DEMO_PROFILE} x0.5, {DEMO_PROFILE}, mn_nap alone" in answer
    answer = next(line for line in lines if line.startswith("impaired monosynaptic reflex"))
    assert "ia_synapse_weight alone" in answer and "mn_nap" not in answer
    answer = next(line for line in lines if line.startswith("co-activation during"))
    assert "weakly by mn_nap alone" in answer
    assert not any(line.startswith("reflex depression") for line in lines)  # no direction


def test_demo_figure_has_one_panel_per_sign():
    frame = label_conditions(_synthetic())
    fig = demo_figure(frame, summarize(frame))
    assert len(fig.axes) == len(SIGNS)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0] == "wild type" or labels[-1] == "wild type"


# ----------------------------------------------------------------------------- runs

#: 1 MN, 1 IaIN and 1 RC per muscle, 3 conditions + half dose, very short protocols.
TINY = DemoConfig(
    name="test",
    n_mn=1,
    n_iain=1,
    n_rc=1,
    seeds=(1,),
    protocol={
        "protocol.rest.tstop_ms": 300.0,
        "protocol.reflex.n_pulses": 2,
        "protocol.reflex.n_discard": 1,
        "protocol.reflex.start_ms": 200.0,
        "protocol.reflex.tail_ms": 20.0,
        "protocol.contraction.baseline_ms": 200.0,
        "protocol.contraction.ramp_up_ms": 60.0,
        "protocol.contraction.hold_ms": 20.0,
        "protocol.contraction.ramp_down_ms": 40.0,
    },
    only=("none", "all", "mn_cal"),
)


def test_tiny_demo_end_to_end_and_resume(tmp_path, mechanisms):
    result = run_demo(tmp_path / "demo", n_jobs=1, progress=False, config=TINY)
    assert (result.frame["status"] == "ok").all()
    assert len(result.frame) == 4 * 3
    assert set(result.frame["condition"]) == {
        "wild type",
        DEMO_PROFILE,
        f"{DEMO_PROFILE} x0.5",
        "mn_cal alone",
    }
    for name in ("summary.csv", "summary.txt", "metrics.csv", "demo.png"):
        assert (tmp_path / "demo" / name).is_file()
    assert (tmp_path / "demo" / "conditions" / "metrics.parquet").is_file()
    assert "reproduced by" in result.text
    assert len(result.summary) == 4 * len(SIGNS)
    again = run_demo(tmp_path / "demo", n_jobs=1, progress=False, config=TINY)  # resumes
    pd.testing.assert_frame_equal(again.summary, result.summary)
    assert again.wall_time_s < result.wall_time_s


@pytest.mark.slow
def test_quick_demo_from_the_command_line(tmp_path, capsys):
    from cordsim.cli import main

    assert main(["demo", "--out", str(tmp_path / "q"), "--quick", "-j", "2", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "tor1a_spinal_drg x0.5" in out and "mn_sk alone" in out and "figure:" in out
    assert "tor1a_drg_only" in out and "tor1a_spinal_only" in out  # the controls
    frame = pd.read_csv(tmp_path / "q" / "metrics.csv")
    # wild type, the profile, its half, the two controls and ten changes: 15 x 3 protocols
    assert len(frame) == 15 * 3 and (frame["status"] == "ok").all()


def test_cli_rejects_bad_jobs(tmp_path, capsys):
    from cordsim.cli import main

    assert main(["demo", "--out", str(tmp_path / "x"), "-j", "0"]) == 2
    assert "--jobs 0" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
