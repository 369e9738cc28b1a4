"""cordsim demo: its sweeps, the answer's logic (no NEURON), and small end-to-end runs."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from cordsim.errors import ParameterError
from cordsim.models.circuit import circuit_spec
from cordsim.models.profiles import get_profile
from cordsim.sweeps.demo import (
    DEMO_PROFILE,
    FULL,
    QUICK,
    SIGNS,
    Preparation,
    all_conditions,
    circuit_size_values,
    condition_order,
    config_for_budget,
    demo_figure,
    demo_specs,
    format_summary,
    label_conditions,
    run_demo,
    summarize,
)

ONLY = f"profile.{DEMO_PROFILE}.only"
SCALE = f"profile.{DEMO_PROFILE}.scale"
CHANGES = get_profile(DEMO_PROFILE).change_names()


# ----------------------------------------------------------------------------- sweeps


@pytest.mark.parametrize("base", ["adult", "isolated_cord"])
def test_circuit_size_values_keep_each_cell_s_summed_input(base):
    values = circuit_size_values(8, 4, 4, base)
    assert values["pools.flexor.n_cells"] == values["pools.extensor.n_cells"] == 8
    assert values["interneurons.extensor.n_rc"] == 4
    default, small = circuit_spec(base), circuit_spec(base).with_values(values)

    def count(spec, role):
        name = spec.population_of(role, "flexor")
        return 0 if name is None else spec.populations[name].n_cells

    for name, rule in default.connections.items():
        new = small.connections[name]
        before = count(default, rule.source) * rule.probability * rule.weight_scale
        after = count(small, rule.source) * new.probability * new.weight_scale
        assert after == pytest.approx(before), name
    assert "connections.ia_to_mn.weight_scale" not in values  # Ia fibres unchanged


def test_full_demo_conditions_and_sizes():
    assert len(FULL.seeds) >= 10  # animals
    conditions = all_conditions()
    assert conditions[:4] == ("none", "all", "drg_only", "spinal_only")
    assert conditions[4:] == (*CHANGES, *(f"without_{c}" for c in CHANGES))
    assert FULL.n_simulations() == 2 * 10 * (4 + 2 * len(CHANGES))
    assert FULL.preparations["isolated_cord"].n_mn == 20  # the reflex pool keeps its size


def test_example_tomls_are_the_full_demo_and_specs_validate():
    from cordsim.sweeps.sampling import plan_points
    from cordsim.sweeps.spec import load_spec, spec_hash, validate_spec

    specs = demo_specs(FULL)
    assert list(specs) == ["in_vivo", "isolated_cord"]
    for key, spec in specs.items():
        path = demo_specs.__globals__["_example_toml"](key)
        assert spec_hash(validate_spec(spec)) == spec_hash(load_spec(path)), path.name
        assert len(plan_points(validate_spec(spec))) == len(all_conditions()) * 10
    params = {p.name: p.values for p in specs["isolated_cord"].parameters}
    assert specs["isolated_cord"].base == "isolated_cord"
    assert params["protocol.cord_reflex.rates_hz"] == ("10",)
    assert params["pools.flexor.size_draw"] == (1.0,)  # animals
    assert specs["in_vivo"].protocols == ("contraction",)
    dosed = demo_specs(replace(QUICK, dose_scales=(0.5,)))
    assert set(dosed) == {"in_vivo", "isolated_cord", "dose_in_vivo", "dose_isolated_cord"}
    dose = {p.name: p.values for p in dosed["dose_in_vivo"].parameters}
    assert dose[ONLY] == ("all",) and dose[SCALE] == (0.5,)


def test_budget_adds_animals_and_dose_and_refuses_too_little():
    from cordsim.sweeps.demo import STANDARD_BUDGET_MIN as STANDARD

    assert config_for_budget(STANDARD).seeds == FULL.seeds
    bigger = config_for_budget(2 * STANDARD)
    assert len(bigger.seeds) == 2 * len(FULL.seeds) and not bigger.dose_scales
    dosed = config_for_budget(3 * STANDARD)
    assert dosed.dose_scales and dosed.change_dose_scales
    n_conditions = len(all_conditions()) + 3 + 10  # the profile x3 strengths, each change x0.5
    assert dosed.n_simulations() == 2 * len(dosed.seeds) * n_conditions
    assert len(config_for_budget(10_000).seeds) == 40
    with pytest.raises(ParameterError, match="10 animals need"):
        config_for_budget(STANDARD / 2)
    with pytest.raises(ParameterError, match="minutes"):
        config_for_budget(-1)


# ----------------------------------------------------------------------------- answer


def test_label_conditions_and_order():
    frame = pd.DataFrame(
        {
            ONLY: ["none", "all", "all", "mn_nap", "without_mn_nap", "drg_only", "spinal_only"],
            SCALE: [1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0],
        }
    )
    labelled = label_conditions(frame)["condition"].tolist()
    assert labelled == [
        "wild type",
        DEMO_PROFILE,
        f"{DEMO_PROFILE} x0.5",
        "mn_nap alone",
        "without mn_nap",
        "tor1a_drg_only",
        "tor1a_spinal_only",
    ]
    assert condition_order(labelled[::-1]) == [
        "wild type",
        f"{DEMO_PROFILE} x0.5",
        DEMO_PROFILE,
        "tor1a_drg_only",
        "tor1a_spinal_only",
        "mn_nap alone",
        "without mn_nap",
    ]


def _synthetic(n: int = 10) -> pd.DataFrame:
    """Animals where mn_nap alone raises the spontaneous rate and is needed for it,
    and the DRG side carries the reflex loss."""
    rng = np.random.default_rng(3)
    base = rng.normal(0.0, 1.0, n)
    reflex_base = rng.normal(9.0, 1.0, n)
    spont = {"wild type": 0, DEMO_PROFILE: 3, "tor1a_drg_only": 0, "tor1a_spinal_only": 3}
    spont |= {"mn_nap alone": 3, "without mn_nap": 0, "mn_sk alone": 0, "without mn_sk": 3}
    reflex = {"wild type": 0, DEMO_PROFILE: -4, "tor1a_drg_only": -4, "tor1a_spinal_only": 0}
    reflex |= {"mn_nap alone": 0, "without mn_nap": -4, "mn_sk alone": 0, "without mn_sk": -4}
    rows = []
    for cond in spont:
        for a in range(n):
            noise = rng.normal(0.0, 0.3, 2)
            common = {"condition": cond, "seed": a + 1, "status": "ok", "regime_rate_flag": 0}
            rows.append(
                {
                    **common,
                    "protocol": "contraction",
                    "spontaneous_rate_hz": base[a] + spont[cond] + noise[0],
                    "coactivation_cci": 50.0 + noise[1],
                    "antagonist_rate_hz": 5.0,
                }
            )
            rows.append(
                {
                    **common,
                    "protocol": "cord_reflex",
                    "reflex_amplitude": reflex_base[a] + reflex[cond] + noise[1],
                    "vr_peak_amplitude_uv": 20.0 + 2 * reflex[cond] + noise[0],
                    "reflex_depression_ratio": 0.2,
                }
            )
    return pd.DataFrame(rows)


def test_summarize_finds_the_known_attribution():
    summary = summarize(_synthetic())
    verdicts = summary["attribution"].set_index(["sign", "change"])["verdict"]
    assert verdicts[("spontaneous activity at rest", "mn_nap")] == "sufficient, necessary"
    assert verdicts[("spontaneous activity at rest", "mn_sk")] == "neither"
    assert verdicts[("impaired monosynaptic reflex", "mn_nap")] == "neither"
    assert verdicts[("co-activation during contraction", "mn_nap")] == "neither"
    cond = summary["conditions"].set_index(["sign", "condition"])
    drg = cond.loc[("impaired monosynaptic reflex", "tor1a_drg_only")]
    assert drg["shows"] and drg["delta_ci_low"] < -4 < drg["delta_ci_high"]
    assert not cond.loc[("impaired monosynaptic reflex", "tor1a_spinal_only"), "shows"]
    text = format_summary(summary)
    assert "sufficient, necessary" in text and "tor1a_drg_only" in text
    assert "spontaneous activity at rest: tor1a_spinal_drg shows it" in text
    fig = demo_figure(summary)
    assert len(fig.axes) == len(SIGNS)


# ----------------------------------------------------------------------------- runs

TINY = replace(
    QUICK,
    name="tiny",
    seeds=(1,),
    preparations={
        "in_vivo": replace(
            QUICK.preparations["in_vivo"],
            n_mn=2,
            protocol={
                "protocol.contraction.baseline_ms": 150.0,
                "protocol.contraction.ramp_up_ms": 50.0,
                "protocol.contraction.hold_ms": 20.0,
                "protocol.contraction.ramp_down_ms": 50.0,
            },
        ),
        "isolated_cord": Preparation(
            base="isolated_cord",
            protocols=("cord_reflex",),
            n_mn=2,
            n_iain=1,
            n_rc=1,
            protocol={
                "protocol.cord_reflex.rates_hz": "10",
                "protocol.cord_reflex.rest_ms": 0.0,
                "protocol.cord_reflex.n_pulses": 2,
                "protocol.cord_reflex.n_discard": 1,
                "protocol.cord_reflex.settle_ms": 100.0,
            },
        ),
    },
    only=("none", "all", "mn_cal", "without_mn_cal"),
    dose_scales=(0.5,),
    change_dose_scales=(0.5,),
)


def test_tiny_demo_end_to_end_and_resume(tmp_path, mechanisms):
    result = run_demo(tmp_path / "demo", n_jobs=1, progress=False, config=TINY)
    assert (result.frame["status"] == "ok").all()
    assert len(result.frame) == 6 * 2
    assert set(result.frame["condition"]) == {
        "wild type",
        DEMO_PROFILE,
        f"{DEMO_PROFILE} x0.5",
        "mn_cal alone",
        "mn_cal alone x0.5",
        "without mn_cal",
    }
    dose = pd.read_csv(tmp_path / "demo" / "dose.csv")
    assert set(dose["subject"]) == {DEMO_PROFILE, "mn_cal"}
    assert set(dose["strength"]) == {0.5, 1.0}
    folder = tmp_path / "demo"
    for name in ("summary.json", "summary.txt", "metrics.csv", "attribution.csv", "demo.png"):
        assert (folder / name).is_file()
    assert (folder / "isolated_cord" / "metrics.parquet").is_file()
    assert "regime_persistence_flag" in pd.read_csv(folder / "metrics.csv")
    assert "Dose-response" in result.text and "sufficient" in result.text
    again = run_demo(folder, n_jobs=1, progress=False, config=TINY)  # resumes
    pd.testing.assert_frame_equal(again.summary["conditions"], result.summary["conditions"])
    assert again.wall_time_s < result.wall_time_s


@pytest.mark.slow
def test_quick_demo_from_the_command_line(tmp_path, capsys):
    from cordsim.cli import main

    assert main(["demo", "--out", str(tmp_path / "q"), "--quick", "-j", "2", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "tor1a_drg_only" in out and "tor1a_spinal_only" in out  # the controls
    assert "mn_nap" in out and "figure:" in out
    frame = pd.read_csv(tmp_path / "q" / "metrics.csv")
    assert len(frame) == QUICK.n_simulations() and (frame["status"] == "ok").all()


def test_cli_rejects_bad_jobs_and_options(tmp_path, capsys):
    from cordsim.cli import main

    assert main(["demo", "--out", str(tmp_path / "x"), "-j", "0"]) == 2
    assert "--jobs 0" in capsys.readouterr().err
    assert main(["demo", "--out", str(tmp_path / "x"), "--quick", "--budget", "30"]) == 2
    assert "--budget" in capsys.readouterr().err
    assert main(["demo", "--out", str(tmp_path / "x"), "--budget", "2", "-j", "2"]) == 2
    assert "10 animals need" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_summary_json_is_strict_json(tmp_path):
    import json

    from cordsim.sweeps.demo import _records

    summary = summarize(_synthetic())
    text = json.dumps(_records(summary["conditions"]), allow_nan=False)
    rows = json.loads(text)
    assert any(r["delta"] is None for r in rows)  # wild type against itself: no change
    assert all(isinstance(r["shows"], bool) for r in rows if r.get("shows") is not None)


def test_dose_table_pairs_each_strength_with_wild_type():
    from cordsim.sweeps.demo import dose_table

    rows = []
    for seed, base in ((1, 0.0), (2, 1.0), (3, 2.0)):
        for cond, effect in (("wild type", 0), ("mn_nap alone", 2), ("mn_nap alone x0.5", 1)):
            rows.append(
                {
                    "condition": cond,
                    "protocol": "contraction",
                    "seed": seed,
                    "spontaneous_rate_hz": base + effect,
                }
            )
    table = dose_table(pd.DataFrame(rows)).set_index("strength")
    assert list(table["subject"]) == ["mn_nap", "mn_nap"]
    assert table.loc[0.5, "delta"] == pytest.approx(1.0) and table.loc[1.0, "delta"] == 2.0
    assert table.loc[0.5, "n"] == 3


def test_screening_demo_sets_the_reduced_cell_in_every_sweep_and_refuses_others(tmp_path):
    plain = demo_specs(FULL)
    screening = demo_specs(replace(FULL, mn_model="reduced"))
    for key, spec in screening.items():
        values = {p.name: p.values for p in spec.parameters}
        assert values["mn_model"] == ("reduced",)
        assert "mn_model" not in {p.name for p in plain[key].parameters}  # the examples' specs
    with pytest.raises(ParameterError, match="mn_model"):
        run_demo(tmp_path / "bad", progress=False, quick=True, mn_model="simplified")
    assert not (tmp_path / "bad").exists()


@pytest.mark.slow
def test_quick_screening_demo_records_its_cell_model(tmp_path, capsys):
    import json

    from cordsim.cli import main

    out = tmp_path / "screen"
    args = ["demo", "--out", str(out), "--quick", "--mn-model", "reduced", "--no-progress"]
    assert main([*args, "-j", "2"]) == 0
    assert "reduced motor neurons" in capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text())
    assert summary["mn_model"] == "reduced" and summary["config"] == "quick-reduced"
