"""Single-cell protocols and measure_cell (cordsim.models.measurement), on small stand-in cells.

The stand-in cells use NEURON's built-in ``hh`` and ``pas`` mechanisms only: a
soma and (optionally) one passive dendrite, with the attributes of the cell
contract (``soma``, ``sections``, ``name``, ``celsius``, ``v_init_mv``,
``params``, ``spike_threshold_mv``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import pytest
from neuron import h

from cordsim.errors import ParameterError
from cordsim.models.measurement import PROPERTIES, measure_cell
from cordsim.models.measurement.cell_protocols import (
    find_rheobase,
    passive_properties,
    ramp_hysteresis,
    single_spike,
    step_fires,
)
from cordsim.models.measurement.settings import MeasureSettings, ramp_up_ms, settings_for

_ids = itertools.count()


@dataclass(frozen=True)
class StandInParams:
    soma_diam_um: float = 20.0
    active: bool = True  # hh on the soma, else pas
    n_dend: int = 1
    dend_length_um: float = 200.0
    dend_diam_um: float = 2.0
    dend_nseg: int = 9
    g_pas_s_cm2: float = 1e-4
    e_pas_mv: float = -65.0
    el_hh_mv: float | None = None  # hh leak reversal (None: hh default)
    ra_ohm_cm: float = 100.0
    cm_uf_cm2: float = 1.0
    celsius_degc: float = 6.3


class StandInCell:
    """Soma (hh or pas) plus passive dendrites: a stand-in for the project's cells."""

    kind = "motor_neuron"

    def __init__(self, params: StandInParams = StandInParams()):
        self.params = p = params
        self.name = f"standin{next(_ids)}"
        self.soma = h.Section(name=f"{self.name}.soma")
        self.soma.L = self.soma.diam = p.soma_diam_um
        self.soma.Ra = p.ra_ohm_cm
        self.soma.cm = p.cm_uf_cm2
        if p.active:
            self.soma.insert("hh")
            if p.el_hh_mv is not None:
                self.soma(0.5).hh.el = p.el_hh_mv
        else:
            self.soma.insert("pas")
            self.soma.g_pas = p.g_pas_s_cm2
            self.soma.e_pas = p.e_pas_mv
        self.sections = [self.soma]
        for i in range(p.n_dend):
            dend = h.Section(name=f"{self.name}.dend{i}")
            dend.L = p.dend_length_um
            dend.diam = p.dend_diam_um
            dend.nseg = p.dend_nseg
            dend.Ra = p.ra_ohm_cm
            dend.cm = p.cm_uf_cm2
            dend.insert("pas")
            dend.g_pas = p.g_pas_s_cm2
            dend.e_pas = p.e_pas_mv
            dend.connect(self.soma(1))
            self.sections.append(dend)
        self.celsius = p.celsius_degc
        self.v_init_mv = p.e_pas_mv
        self.spike_threshold_mv = -20.0


PASSIVE_SOMA = StandInParams(active=False, n_dend=0)
PASSIVE_BALL_STICK = StandInParams(active=False)
#: hh cells fire on a slow ramp only well above their pulse rheobase (class 2).
# no background noise: 0.28 nA (sized for the adult motor neuron) fires the small stand-in
HH_RAMP = {"ramp_start_factor": 0.0, "ramp_peak_factor": 6.0, "ramp_noise_sd_na": 0.0}


def soma_area_cm2(p: StandInParams) -> float:
    return math.pi * p.soma_diam_um**2 * 1e-8


# ---------------------------------------------------------------------- passive


def test_passive_soma_matches_analytic_rin_tau_and_capacitance():
    p = PASSIVE_SOMA
    out = passive_properties(StandInCell(p))
    g_total = p.g_pas_s_cm2 * soma_area_cm2(p)  # S
    assert out["rin_mohm"] == pytest.approx(1e-6 / g_total, rel=0.01)
    assert out["rin_plateau_mohm"] == pytest.approx(1e-6 / g_total, rel=0.01)
    assert out["sag_ratio"] == pytest.approx(1.0, abs=0.005)
    tau_ms = p.cm_uf_cm2 * 1e-6 / p.g_pas_s_cm2 * 1e3
    assert out["tau_m_ms"] == pytest.approx(tau_ms, rel=0.02)
    assert out["capacitance_nf"] == pytest.approx(p.cm_uf_cm2 * soma_area_cm2(p) * 1e3, rel=1e-6)
    assert out["v_rest_mv"] == pytest.approx(p.e_pas_mv, abs=1e-6)
    assert out["spontaneous_rate_hz"] == 0


def test_passive_ball_and_stick_matches_cable_theory():
    p = PASSIVE_BALL_STICK
    out = passive_properties(StandInCell(p))
    rm = 1.0 / p.g_pas_s_cm2  # ohm cm2
    d_cm, length_cm = p.dend_diam_um * 1e-4, p.dend_length_um * 1e-4
    lam_cm = math.sqrt(d_cm / 4 * rm / p.ra_ohm_cm)
    g_inf = math.pi * d_cm**2 / (4 * p.ra_ohm_cm * lam_cm)  # S
    g_dend = g_inf * math.tanh(length_cm / lam_cm)
    g_soma = p.g_pas_s_cm2 * soma_area_cm2(p)
    assert out["rin_mohm"] == pytest.approx(1e-6 / (g_soma + g_dend), rel=0.02)
    # a uniform passive membrane: the slowest time constant is still Cm / g_pas
    assert out["tau_m_ms"] == pytest.approx(1e3 * p.cm_uf_cm2 * 1e-6 * rm, rel=0.03)


# -------------------------------------------------------------------- spiking


@pytest.fixture(scope="module")
def hh_rheobase():
    cell = StandInCell()
    passive = passive_properties(cell)
    out = find_rheobase(cell, rin_mohm=passive["rin_plateau_mohm"], v_rest_mv=passive["v_rest_mv"])
    return passive, out


def test_rheobase_brackets_the_threshold(hh_rheobase):
    _, out = hh_rheobase
    rheobase = out["rheobase_na"]
    assert rheobase > 0
    dur = MeasureSettings().rheobase_pulse_ms
    assert step_fires(StandInCell(), rheobase, dur)
    assert not step_fires(StandInCell(), 0.98 * rheobase, dur)


def test_threshold_is_between_rest_and_peak(hh_rheobase):
    passive, out = hh_rheobase
    assert passive["v_rest_mv"] < out["v_threshold_mv"] < 0
    assert out["delta_v_threshold_mv"] == pytest.approx(
        out["v_threshold_mv"] - passive["v_rest_mv"]
    )


def test_single_spike_shape_is_sensible(hh_rheobase):
    passive, out = hh_rheobase
    spike = single_spike(
        StandInCell(), v_rest_mv=passive["v_rest_mv"], v_threshold_mv=out["v_threshold_mv"]
    )
    assert 80 < spike["spike_amplitude_mv"] < 120  # hh overshoots to about +30 mV
    assert 0.5 < spike["spike_width_ms"] < 3.0  # 6.3 degC hh spike
    assert spike["ahp_depth_mv"] > 2
    assert 0 < spike["ahp_half_decay_ms"] < spike["ahp_decay_2_3_ms"]
    assert spike["ahp_tau_ms"] > 0


def test_ramp_gives_recruitment_and_derecruitment(hh_rheobase):
    _, out = hh_rheobase
    s = MeasureSettings().replace(**HH_RAMP)
    ramp = ramp_hysteresis(StandInCell(), s, rheobase_na=out["rheobase_na"])
    peak = s.ramp_peak_factor * out["rheobase_na"]
    assert 0 < ramp["i_recruit_na"] < peak
    assert 0 < ramp["i_derecruit_na"] < peak
    # hh is bistable near its Hopf point: it keeps firing below the recruitment current
    assert ramp["delta_i_na"] == pytest.approx(ramp["i_derecruit_na"] - ramp["i_recruit_na"])
    assert ramp["delta_i_na"] < 0
    assert ramp["fi_slope_ramp_hz_per_na"] > 0


def test_ramp_that_never_reaches_firing_gives_nan(hh_rheobase):
    _, out = hh_rheobase
    s = MeasureSettings().replace(ramp_peak_factor=1.0, ramp_min_up_ms=300.0)
    ramp = ramp_hysteresis(StandInCell(), s, rheobase_na=out["rheobase_na"])
    assert all(math.isnan(v) for v in ramp.values())


# ----------------------------------------------------------------- measure_cell


def test_measure_cell_full_protocol_on_hh_standin():
    calls = []

    def factory():
        calls.append(1)
        return StandInCell()

    m = measure_cell(factory, **HH_RAMP)
    assert list(m.index) == list(PROPERTIES)
    assert m.name.startswith("standin")
    assert len(calls) == len(m.attrs["protocols"])  # a fresh cell per protocol
    for key in (
        "rin_mohm",
        "tau_m_ms",
        "rheobase_na",
        "spike_width_ms",
        "f_max_hz",
        "fi_slope_hz_per_na",
        "f_min_hz",
        "i_recruit_na",
        "i_derecruit_na",
    ):
        assert math.isfinite(m[key]), key
    assert m["f_min_hz"] <= m["f_max_hz"]
    assert m["fi_slope_hz_per_na"] > 0
    assert m.attrs["wall_time_s"] > 0
    assert set(m.attrs["protocol_wall_time_s"]) == set(m.attrs["protocols"])


def test_quick_skips_slow_protocols_and_reuses_a_given_cell():
    cell = StandInCell()
    m = measure_cell(cell, quick=True)
    assert m.attrs["protocols"] == ["passive", "rheobase", "spike", "gating"]
    assert math.isfinite(m["rheobase_na"]) and math.isfinite(m["spike_amplitude_mv"])
    for key in ("fi_slope_hz_per_na", "f_max_hz", "i_recruit_na", "delta_i_na"):
        assert math.isnan(m[key])


def test_a_cell_that_never_fires_gives_nan_not_an_error():
    m = measure_cell(lambda: StandInCell(PASSIVE_BALL_STICK))
    assert math.isfinite(m["rin_mohm"])
    for key in (
        "rheobase_na",
        "v_threshold_mv",
        "spike_width_ms",
        "fi_slope_hz_per_na",
        "f_max_hz",
        "i_recruit_na",
        "i_derecruit_na",
        "delta_i_na",
    ):
        assert math.isnan(m[key]), key


def test_a_spontaneously_firing_cell_is_reported_as_such():
    # a depolarised hh leak acts like a constant bias current: the cell fires at rest
    m = measure_cell(lambda: StandInCell(StandInParams(el_hh_mv=-20.0)), quick=True)
    assert m["spontaneous_rate_hz"] > 0
    assert math.isnan(m["rin_mohm"]) and math.isnan(m["rheobase_na"])


def test_protocol_subset_runs_its_dependencies():
    m = measure_cell(StandInCell(), protocols=["spike"])
    assert m.attrs["protocols"] == ["passive", "rheobase", "spike"]


def test_bad_names_are_clear_errors():
    with pytest.raises(ParameterError, match="protocol"):
        measure_cell(StandInCell(), protocols=["rampp"])
    with pytest.raises(ParameterError, match="rheobase_pulse_ms"):
        measure_cell(StandInCell(), rheobase_puls_ms=10)
    with pytest.raises(ParameterError, match="age"):
        settings_for("old")


def test_presets_follow_the_reference_protocols():
    assert settings_for("adult").rheobase_pulse_ms == 50.0
    assert settings_for("adult").ramp_rate_na_per_s == 1.0
    assert settings_for("juvenile").rheobase_pulse_ms == 1000.0
    assert settings_for("juvenile").ramp_rate_na_per_s == 0.1
    assert settings_for("juvenile", fi_step_ms=800.0).fi_step_ms == 800.0


# ------------------------------------------------------------------- settings


def test_ramp_duration_rules():
    adult, juvenile = settings_for("adult"), settings_for("juvenile")
    assert ramp_up_ms(adult, 3.0) == pytest.approx(3000.0)  # 1 nA/s
    assert ramp_up_ms(adult, 16.0) == pytest.approx(6000.0)  # capped: 2.7 nA/s
    assert ramp_up_ms(adult, 50.0) == pytest.approx(10000.0)  # at most 5 nA/s
    assert ramp_up_ms(adult, 0.05) == pytest.approx(2000.0)  # interneurons: slowed
    assert ramp_up_ms(juvenile, 1.2) == pytest.approx(12000.0)  # 0.1 nA/s, no cap


@pytest.mark.parametrize(
    "bad",
    [
        {"ramp_noise_repeats": 0},
        {"ramp_noise_repeats": 2.5},
        {"ramp_noise_repeats": True},
        {"ramp_noise_sd_na": -0.1},
        {"ramp_noise_tau_ms": 0.0},
        {"ramp_noise_seed": -1},
    ],
)
def test_impossible_ramp_noise_is_refused_before_any_protocol_runs(bad):
    from cordsim.models.measurement.settings import check_ramp_noise

    with pytest.raises(ParameterError, match="ramp noise"):
        check_ramp_noise(settings_for("adult", **bad))

    def never_built():
        raise AssertionError("a cell was built before the settings were checked")

    with pytest.raises(ParameterError, match="ramp noise"):
        measure_cell(never_built, protocols=["ramp"], **bad)


def test_adult_ramps_average_over_noise_seeds_juvenile_ramps_run_once():
    adult, juvenile = settings_for("adult"), settings_for("juvenile")
    assert adult.ramp_noise_sd_na > 0 and adult.ramp_noise_repeats >= 5
    assert juvenile.ramp_noise_sd_na == 0


def test_every_property_belongs_to_exactly_one_protocol():
    from cordsim.models.measurement.cell_properties import (
        PROTOCOL_PROPERTIES,
        PROTOCOLS,
        protocols_for,
    )

    owned = [p for props in PROTOCOL_PROPERTIES.values() for p in props]
    assert sorted(owned) == sorted(PROPERTIES)
    assert set(PROTOCOL_PROPERTIES) == set(PROTOCOLS)
    assert protocols_for(["resonance_q", "rin_mohm"]) == ["passive", "zap"]
    with pytest.raises(ParameterError, match="property"):
        protocols_for(["resonance"])
