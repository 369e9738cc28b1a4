"""metrics(result) on synthetic results with known answers, one per protocol."""

import ast
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cordsim.analysis import METRIC_KEYS, PRIMARY_KEYS, metrics, metrics_frame
from cordsim.errors import ParameterError
from cordsim.models.result import ProtocolRecord, SimulationResult, default_population

POPS = (
    "mn_flexor",
    "mn_extensor",
    "ia_flexor",
    "ia_extensor",
    "iain_flexor",
    "iain_extensor",
    "rc_flexor",
    "rc_extensor",
)


def rest(tstop_ms, window):
    return ProtocolRecord(
        "rest", tstop_ms, window, ("coactivation", "spontaneous"), spontaneous_window_ms=window
    )


def make_result(trains_by_pop, tstop_ms, protocol, seed=0, n_cells=10, mu_sizes=None):
    """SimulationResult from {population: list of spike-time arrays}; missing pops silent."""
    mu_sizes = mu_sizes or {}
    rows, pops, gid = [], {}, 0
    for pop in POPS:
        trains = trains_by_pop.get(pop, [np.empty(0)] * n_cells)
        gids = []
        for st in trains:
            gids.append(gid)
            rows += [(float(t), gid, pop) for t in st]
            gid += 1
        pops[pop] = default_population(pop, gids, mu_sizes.get(pop))
    spikes = pd.DataFrame(rows, columns=["time_ms", "gid", "population"])
    spikes = spikes.sort_values(["time_ms", "gid"]).reset_index(drop=True)
    return SimulationResult(spikes, pops, float(tstop_ms), protocol, seed)


def half_pool_20hz(t0, t1, n=10, offset=25.0):
    return [np.arange(t0 + offset + i, t1, 50.0) for i in range(n // 2)] + [np.empty(0)] * (
        n - n // 2
    )


def tonic(t0, t1, n=10, rate_hz=20.0):
    """n cells firing regularly at rate_hz, staggered."""
    isi = 1000.0 / rate_hz
    return [np.arange(t0 + isi * i / n, t1, isi) for i in range(n)]


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def test_rest_known_rates():
    res = make_result(
        {"mn_flexor": half_pool_20hz(0, 1500), "rc_flexor": tonic(0, 1500, rate_hz=10.0)},
        1500.0,
        rest(1500.0, (500.0, 1500.0)),
    )
    m = metrics(res)
    assert list(m) == list(METRIC_KEYS)
    assert set(PRIMARY_KEYS) <= set(m)
    assert all(_is_number(v) for v in m.values())
    assert m["mn_rate_hz_flexor"] == pytest.approx(10.0)
    assert m["mn_active_rate_hz_flexor"] == pytest.approx(20.0)
    assert m["mn_recruited_fraction_flexor"] == pytest.approx(0.5)
    assert m["mn_isi_cv_flexor"] == pytest.approx(0.0, abs=1e-9)
    assert m["mn_rate_hz_extensor"] == 0.0
    assert math.isnan(m["mn_isi_cv_extensor"])
    assert m["rc_rate_hz_flexor"] == pytest.approx(10.0)
    assert m["iain_rate_hz_flexor"] == 0.0
    # 5 of 20 MNs at 20 Hz
    assert m["spontaneous_rate_hz"] == pytest.approx(5.0)
    assert m["spontaneous_recruited_fraction"] == pytest.approx(0.25)
    # extensor silent: co-contraction 0
    assert m["coactivation_cci"] == 0.0 and m["coactivation_overlap"] == 0.0
    assert m["emg_area_flexor"] > 0 and m["emg_area_extensor"] == 0.0
    for key in (
        "reflex_amplitude",
        "reflex_depression_ratio",
        "alternation_index",
        "reciprocal_inhibition_depth",
        "agonist_rate_hz",
    ):
        assert math.isnan(m[key]), key
    assert (m["analysis_t0_ms"], m["analysis_t1_ms"]) == (500.0, 1500.0)


def test_rest_all_silent_coactivation_nan():
    m = metrics(make_result({}, 1000.0, rest(1000.0, (0.0, 1000.0))))
    assert m["spontaneous_rate_hz"] == 0.0
    assert math.isnan(m["coactivation_cci"]) and math.isnan(m["coactivation_overlap"])


def _contraction(flex, ext, weights=None):
    proto = ProtocolRecord(
        "contraction",
        1600.0,
        (500.0, 1500.0),
        ("coactivation", "spontaneous", "contraction"),
        agonist="flexor",
        spontaneous_window_ms=(100.0, 500.0),
    )
    return make_result({"mn_flexor": flex, "mn_extensor": ext}, 1600.0, proto, mu_sizes=weights)


def test_contraction_cocontraction():
    drive = tonic(500, 1500, rate_hz=30.0)
    # antagonist identical to agonist: full co-contraction
    m = metrics(_contraction(drive, [t.copy() for t in drive]))
    assert m["coactivation_cci"] == pytest.approx(100.0)
    assert m["coactivation_overlap"] == pytest.approx(100.0)
    assert m["agonist_rate_hz"] == pytest.approx(30.0)
    assert m["antagonist_rate_hz"] == pytest.approx(30.0)
    assert m["spontaneous_rate_hz"] == 0.0  # nothing in the baseline window
    # antagonist silent: none
    m = metrics(_contraction(drive, [np.empty(0)] * 10))
    assert m["coactivation_cci"] == 0.0 and m["coactivation_overlap"] == 0.0
    assert m["antagonist_recruited_fraction"] == 0.0
    # antagonist units twice as large: CI (amplitude) = 100 * 2 * 1 / 3, overlap (shape) = 100
    m = metrics(_contraction(drive, [t.copy() for t in drive], {"mn_extensor": np.full(10, 2.0)}))
    assert m["coactivation_cci"] == pytest.approx(200.0 / 3.0, rel=1e-6)
    assert m["coactivation_cci_spikes"] == pytest.approx(200.0 / 3.0)
    assert m["coactivation_overlap"] == pytest.approx(100.0)
    # antagonist with 3 of the agonist's 10 units, same time course; units 10 ms apart so
    # their MUAPs never overlap and the EMG areas count spikes: CI = 100 * 2 * 3 / 13
    slow = tonic(500, 1500, rate_hz=10.0)
    ext = [t.copy() for t in slow[:3]] + [np.empty(0)] * 7
    m = metrics(_contraction(slow, ext))
    assert m["coactivation_cci"] == pytest.approx(100 * 2 * 3 / 13, rel=0.01)
    assert m["coactivation_cci_spikes"] == pytest.approx(100 * 2 * 3 / 13)


def test_emg_cci_is_compressed_by_amplitude_cancellation():
    # 10 units at 300 Hz vs 50 Hz, firing densely: MUAPs overlap and partly cancel, so
    # the EMG-based CI lies above the spike-count CI (100 * 2 * 1 / 7 = 28.6)
    rng = np.random.default_rng(2)
    flex = [np.sort(rng.uniform(500, 1500, 300)) for _ in range(10)]
    ext = [np.sort(rng.uniform(500, 1500, 50)) for _ in range(10)]
    m = metrics(_contraction(flex, ext))
    assert m["coactivation_cci_spikes"] == pytest.approx(100 * 2 / 7)
    assert m["coactivation_cci"] > m["coactivation_cci_spikes"] + 5


def test_contraction_baseline_spontaneous():
    flex = [np.r_[np.arange(110.0, 500.0, 50.0), np.arange(500.0, 1500.0, 20.0)]] + [
        np.empty(0)
    ] * 9
    m = metrics(_contraction(flex, [np.empty(0)] * 10))
    # 8 spikes of 1 cell in 400 ms, over 20 MNs: 8 / 20 / 0.4 s
    assert m["spontaneous_rate_hz"] == pytest.approx(8 / 20 / 0.4)
    assert m["mn_spontaneous_max_cell_rate_hz"] == pytest.approx(8 / 0.4)  # that one cell
    assert m["regime_rate_flag"] == 0
    runaway = [np.r_[np.arange(110.0, 500.0, 4.0), np.arange(500.0, 1500.0, 20.0)]] + flex[1:]
    m = metrics(_contraction(runaway, [np.empty(0)] * 10))  # 250 Hz at rest, 50 Hz driven
    assert m["mn_spontaneous_max_cell_rate_hz"] == pytest.approx(98 / 0.4)  # 110-498 ms
    assert m["mn_max_cell_rate_hz_flexor"] < 150.0 and m["regime_rate_flag"] == 1


def _reflex_result(ant=None):
    stims = [100.0, 200.0, 300.0, 400.0, 500.0]
    flex = [[] for _ in range(10)]
    for k, s in enumerate(stims):
        n = [8, 4, 3, 2, 2][k]
        for i in range(n):
            flex[i].append(s + 3.0 + 0.5 * i)  # latencies 3.0, 3.5, ...
    proto = ProtocolRecord(
        "reflex",
        600.0,
        (stims[0], 600.0),
        ("reflex",),
        params={"rate_hz": 10.0},
        agonist="flexor",
        stim_times_ms=stims,
        response_window_ms=(1.0, 10.0),
        n_discard=3,
    )
    pops = {"mn_flexor": [np.array(f) for f in flex]}
    if ant is not None:
        pops["mn_extensor"] = ant
    return make_result(pops, 600.0, proto)


def test_reflex_metrics():
    m = metrics(_reflex_result())
    assert m["reflex_amplitude"] == 8
    assert m["reflex_fraction"] == pytest.approx(0.8)
    assert m["reflex_latency_ms"] == pytest.approx(3.0 + 0.5 * 3.5)
    assert m["reflex_latency_min_ms"] == pytest.approx(3.0)
    assert m["reflex_amplitude_steady"] == pytest.approx(2.0)
    assert m["reflex_depression_ratio"] == pytest.approx(0.25)
    assert m["reflex_n_volleys"] == 5
    # silent antagonist: inhibition cannot be seen -> NaN
    assert math.isnan(m["reciprocal_inhibition_depth"])
    assert m["reciprocal_inhibition_control_spikes"] == 0
    assert math.isnan(m["coactivation_cci"]) and math.isnan(m["spontaneous_rate_hz"])
    assert m["analysis_t0_ms"] == 100.0


def test_reflex_reciprocal_inhibition():
    # tonic antagonist, 1 spike/ms, silenced in [stim + 2, stim + 11): depth 9/18 removed
    t = np.arange(0.5, 600.0, 1.0)
    silent = np.zeros_like(t, dtype=bool)
    for s in (100.0, 200.0, 300.0, 400.0, 500.0):
        silent |= (t >= s + 2.0) & (t < s + 11.0)
    m = metrics(_reflex_result(ant=[t[~silent]] + [np.empty(0)] * 9))
    assert m["reciprocal_inhibition_depth"] == pytest.approx(0.5)
    assert m["reciprocal_inhibition_control_spikes"] == 90


def _alternation_result(flex_phase, ext_phase):
    period = 200.0

    def bursts(phase):
        out = []
        for i in range(10):
            t = np.arange(200.0 + i * 0.9, 2200.0, 10.0)
            ph = ((t - 200.0) / period - phase) % 1.0
            out.append(t[ph < 0.5])
        return out

    proto = ProtocolRecord(
        "alternation",
        2300.0,
        (200.0, 2200.0),
        ("coactivation", "alternation"),
        cycle_period_ms=period,
    )
    return make_result(
        {"mn_flexor": bursts(flex_phase), "mn_extensor": bursts(ext_phase)}, 2300.0, proto
    )


def test_alternation_metrics():
    m = metrics(_alternation_result(0.0, 0.5))
    assert m["alternation_index"] > 0.9
    assert m["alternation_phase_index"] == pytest.approx(1.0, abs=0.02)
    assert m["alternation_vector_strength_flexor"] == pytest.approx(2 / np.pi, abs=0.02)
    # alternating pools overlap little; not 0 because the 10 Hz envelope smooths 100-ms bursts
    assert m["coactivation_overlap"] < 35.0
    assert m["coactivation_cci"] == pytest.approx(100.0, abs=1.0)  # equal amounts
    m = metrics(_alternation_result(0.0, 0.0))
    assert m["alternation_index"] < -0.9
    assert m["alternation_phase_index"] == pytest.approx(-1.0)
    assert m["coactivation_overlap"] == pytest.approx(100.0)


def test_metrics_frame():
    r1 = _reflex_result()
    r2 = make_result({}, 1000.0, rest(1000.0, (0.0, 1000.0)), seed=7)
    frame = metrics_frame([r1, r2])
    assert list(frame.columns) == ["protocol", "seed", *METRIC_KEYS]
    assert frame["protocol"].tolist() == ["reflex", "rest"]
    assert frame["seed"].tolist() == [0, 7]
    assert frame.loc[0, "reflex_amplitude"] == 8
    assert np.isnan(frame.loc[1, "reflex_amplitude"])


def test_bad_protocol_record_and_window():
    with pytest.raises(ParameterError, match="unknown measure 'dance'"):
        ProtocolRecord("dance", 100.0, (0.0, 100.0), ("dance",))
    with pytest.raises(ParameterError, match="needs response_window_ms"):
        ProtocolRecord("reflex", 100.0, (0.0, 100.0), ("reflex",), agonist="flexor")
    with pytest.raises(ValueError, match="analysis window"):
        metrics(make_result({}, 100.0, rest(100.0, (200.0, 300.0))))


def test_extra_populations_get_a_rate_after_the_fixed_keys():
    res = make_result({}, 1000.0, rest(1000.0, (0.0, 1000.0)))
    gids = np.arange(100, 104)
    extra = default_population("iain_flexor", gids)
    extra = type(extra)("exin_flexor", "interneuron", "exin", "flexor", gids)
    spikes = pd.DataFrame({"time_ms": [10.0, 20.0], "gid": [100, 101], "population": "exin_flexor"})
    res = SimulationResult(
        spikes, {**res.populations, "exin_flexor": extra}, 1000.0, res.protocol, 0
    )
    m = metrics(res)
    assert list(m)[: len(METRIC_KEYS)] == list(METRIC_KEYS)
    assert m["exin_rate_hz_flexor"] == pytest.approx(2 / 4 / 1.0)
    assert list(metrics_frame([res]).columns)[-1] == "exin_rate_hz_flexor"


def _runtime_imports(path):
    """Module names imported by a source file, outside ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text())
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    names = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


ANALYSIS_MODULES = (
    "__init__",
    "alternation",
    "coactivation",
    "emg",
    "phenotype",
    "plots",
    "rates",
    "reflex",
)


def test_analysis_does_not_import_neuron_or_models():
    import cordsim.analysis

    folder = Path(cordsim.analysis.__file__).parent
    for name in ANALYSIS_MODULES:
        path = folder / f"{name}.py"
        for module in _runtime_imports(path):
            assert module.split(".")[0] != "neuron", f"{path.name} imports {module}"
            assert not module.startswith(("cordsim.models", "cordsim.mechanisms")), (
                f"{path.name} imports {module} at run time"
            )


def test_regime_flags_catch_runaway_and_locked_cells():
    """A cell at 200 Hz flags the rate; a sustained discharge 50-100 ms after the drive
    (ended at 1500 ms) flags persistence; a last doublet does not."""
    drive = tonic(500, 1500, rate_hz=30.0)
    m = metrics(_contraction(drive, [np.empty(0)] * 10))
    assert (m["regime_rate_flag"], m["regime_persistence_flag"]) == (0, 0)
    assert m["mn_after_drive_max_cell_rate_hz"] == 0.0
    runaway = [np.arange(500.0, 1500.0, 5.0)] + drive[1:]
    assert metrics(_contraction(runaway, [np.empty(0)] * 10))["regime_rate_flag"] == 1
    locked = [np.r_[drive[0], np.arange(1550.0, 1600.0, 12.5)]] + drive[1:]  # 80 Hz after
    m = metrics(_contraction(locked, [np.empty(0)] * 10))
    assert m["mn_after_drive_max_cell_rate_hz"] == pytest.approx(80.0)
    assert m["regime_persistence_flag"] == 1 and m["regime_rate_flag"] == 0
    doublet = [np.r_[drive[0], 1560.0, 1563.0]] + drive[1:]
    assert metrics(_contraction(doublet, [np.empty(0)] * 10))["regime_persistence_flag"] == 0
    slow = [np.r_[drive[0], 1555.0, 1585.0, 1599.0]] + drive[1:]  # 3 spikes, ISI 22 ms: 46 Hz
    assert metrics(_contraction(slow, [np.empty(0)] * 10))["regime_persistence_flag"] == 1
