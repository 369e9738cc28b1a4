"""The rate tables of csh, csna and cskdr reproduce the analytic curves, at every temperature.

``csh`` (Ih), ``csna`` (fast Na) and ``cskdr`` (delayed rectifier) tabulate
their rate functions over voltages relative to their RANGE shifts (NMODL
TABLE, 0.01 mV steps), with the factor of each gate's exact one-step update;
all of them and ``cscal`` (L-type Ca, exact rates) compute the Q10 factor
once per run.
Each segment below is initialised at its own potential (``finitialize()``
keeps the potentials set before it), so one initialisation evaluates the
rates at every test voltage; ``usetable_<mechanism> = 0`` gives the analytic
path for comparison.
"""

from __future__ import annotations

import numpy as np
import pytest
from neuron import h

pytestmark = pytest.mark.usefixtures("mechanisms")

VOLTAGES_MV = np.arange(-120.0, 40.0 + 1e-9, 0.037)  # off the table's 0.01 mV grid
#: Largest tolerated differences between table and analytic curves.
M_INF_TOLERANCE = 1e-7
TAU_RELATIVE_TOLERANCE = 1e-6
#: Mechanisms with rate tables.
TABLED = ("csh", "csna", "cskdr")
#: Per-segment shifts (mV) of csna's activation and inactivation and of cskdr.
NA_SHIFTS_MV = (-4.0, 3.0)
KDR_SHIFT_MV = 2.0


@pytest.fixture
def segments():
    sections = []
    for v in VOLTAGES_MV:
        sec = h.Section(name=f"rate_table_{len(sections)}")
        sec.insert("csh")
        sec.insert("cscal")
        sec.insert("csna")
        sec.insert("cskdr")
        sec.vhalf_csh = -78.0  # a per-segment vhalf, as a Tor1a change would set
        seg = sec(0.5)
        seg.csna.vshift_m, seg.csna.vshift_h = NA_SHIFTS_MV
        seg.csna.s_min, seg.csna.vhalf_s, seg.csna.slope_s = 0.3, -45.0, 5.0
        seg.cskdr.vshift = KDR_SHIFT_MV
        seg.cskdr.tau_scale = h.tau_scale_table_cskdr  # reads its step factor from the table
        sections.append((sec, v))
    yield [sec(0.5) for sec, _ in sections]
    _use_tables(True)


def _use_tables(on: bool) -> None:
    for suffix in TABLED:
        setattr(h, f"usetable_{suffix}", 1 if on else 0)


def _initialise(segments, celsius: float) -> None:
    h.celsius = celsius
    h.finitialize(-65.0)
    for seg, v in zip(segments, VOLTAGES_MV, strict=True):
        seg.v = v
    h.finitialize()


def _analytic(celsius: float) -> dict[str, np.ndarray]:
    v = VOLTAGES_MV
    dv_h = v - (-78.0)
    tadj_h = h.q10_csh ** ((celsius - h.temp_ref_csh) / 10)
    tau_h = h.tau_min_csh + 2 * h.tau_max_csh / (np.exp(dv_h / 13) + np.exp(-dv_h / 13))
    tadj_l = h.q10_cscal ** ((celsius - h.temp_ref_cscal) / 10)
    return {
        "h_m_inf": 1 / (1 + np.exp(dv_h / h.slope_csh)),
        "h_tau": tau_h / tadj_h,
        "h_m_step": 1 - np.exp(-h.dt / (tau_h / tadj_h)),
        "cal_m_inf": 1 / (1 + np.exp(-(v - (-40.0)) / h.slope_cscal)),
        "cal_tadj": np.full_like(v, tadj_l),
        **_analytic_na_kdr(celsius),
    }


def _analytic_na_kdr(celsius: float) -> dict[str, np.ndarray]:
    """csna's and cskdr's curves as the .mod headers write them (Booth et al. 1997)."""
    v = VOLTAGES_MV
    vm, vh, vk = v - NA_SHIFTS_MV[0], v - NA_SHIFTS_MV[1], v - KDR_SHIFT_MV
    tadj_na = h.q10_csna ** ((celsius - h.temp_ref_csna) / 10)
    tadj_kdr = h.q10_cskdr ** ((celsius - h.temp_ref_cskdr) / 10)
    tau_kdr = 7 / (np.exp((vk + 40) / 40) + np.exp(-(vk + 40) / 50))
    return {
        "na_m_inf": 1 / (1 + np.exp(-(vm + 35) / 7.8)),
        "na_h_inf": 1 / (1 + np.exp((vh + 55) / 7)),
        "na_s_inf": 0.3 + 0.7 / (1 + np.exp((v + 45) / 5)),
        "na_s_step": np.full_like(v, 1 - np.exp(-h.dt * tadj_na / 1000.0)),
        "kdr_n_inf": 1 / (1 + np.exp(-(vk + 28) / 15)),
        # the tabulated step factor is the one for tau_scale = tau_scale_table
        "kdr_n_step": 1 - np.exp(-h.dt * tadj_kdr / (h.tau_scale_table_cskdr * tau_kdr)),
    }


def _measured(segments) -> dict[str, np.ndarray]:
    return {
        "h_m_inf": np.array([s.csh.m_inf for s in segments]),
        "h_tau": np.array([s.csh.tau for s in segments]),
        "h_m_step": np.array([s.csh.m_step for s in segments]),
        "cal_m_inf": np.array([s.cscal.m_inf for s in segments]),
        # csna's and cskdr's gates start at their steady state
        "na_m_inf": np.array([s.csna.m for s in segments]),
        "na_h_inf": np.array([s.csna.h for s in segments]),
        "na_s_inf": np.array([s.csna.s for s in segments]),
        "na_s_step": np.array([s.csna.s_step for s in segments]),
        "kdr_n_inf": np.array([s.cskdr.n for s in segments]),
        "kdr_n_step": np.array([s.cskdr.n_step for s in segments]),
    }


@pytest.mark.parametrize(("celsius", "dt_ms"), [(23.0, 0.025), (37.0, 0.025), (37.0, 0.05)])
def test_tables_match_the_analytic_curves(segments, celsius, dt_ms):
    h.dt = dt_ms  # the step factor's table is rebuilt for a new dt
    for seg in segments:
        seg.cscal.vhalf = -40.0
    want = _analytic(celsius)
    _use_tables(True)
    _initialise(segments, celsius)
    table = _measured(segments)
    assert np.max(np.abs(table["h_m_inf"] - want["h_m_inf"])) < M_INF_TOLERANCE
    assert np.max(np.abs(table["h_tau"] / want["h_tau"] - 1)) < TAU_RELATIVE_TOLERANCE
    assert np.max(np.abs(table["h_m_step"] / want["h_m_step"] - 1)) < TAU_RELATIVE_TOLERANCE
    assert np.allclose(table["cal_m_inf"], want["cal_m_inf"], rtol=1e-12, atol=0)
    for key in ("na_m_inf", "na_h_inf", "na_s_inf", "kdr_n_inf"):
        assert np.max(np.abs(table[key] - want[key])) < M_INF_TOLERANCE, key
    assert np.max(np.abs(table["kdr_n_step"] / want["kdr_n_step"] - 1)) < TAU_RELATIVE_TOLERANCE
    # csna's tau_h (read when a segment's tau_h_scale is not the table's)
    dv = VOLTAGES_MV[::20]
    tau_h = np.array([h.tau_h_booth_csna(x) for x in dv])
    booth = 30 / (np.exp((dv + 50) / 15) + np.exp(-(dv + 50) / 16))
    assert np.max(np.abs(tau_h / booth - 1)) < TAU_RELATIVE_TOLERANCE
    # 1 - exp(-x) with x ~ 1e-5: one ulp of exp is ~1e-11 of the result, and
    # numpy's exp and the C library's may differ by one (as in CI's oldest versions)
    assert np.allclose(table["na_s_step"], want["na_s_step"], rtol=1e-9, atol=0)
    # the analytic path is the formula of the .mod header, exactly
    _use_tables(False)
    _initialise(segments, celsius)
    exact = _measured(segments)
    for key in exact:
        assert np.allclose(exact[key], want[key], rtol=1e-9, atol=0), key  # rounding only
    h.dt = 0.025


def test_temperature_factor_follows_celsius_between_runs(segments):
    _initialise(segments, 37.0)
    warm = np.array([s.csh.tau for s in segments])
    _initialise(segments, 27.0)
    cool = np.array([s.csh.tau for s in segments])
    assert np.allclose(cool / warm, h.q10_csh, rtol=1e-12)  # 10 degC colder: Q10 times slower
    # cscal's factor too (it multiplies the activation rate 1 / tau_m)
    for celsius in (27.0, 37.0):
        _initialise(segments, celsius)
        tadj = h.q10_cscal ** ((celsius - h.temp_ref_cscal) / 10)
        assert segments[0].cscal.tadj == pytest.approx(tadj, rel=1e-12), celsius


@pytest.mark.parametrize(
    ("kdr_tau_scale", "na_tau_h_scale"), [(1.0, 1.0), (0.5, 1.0), (0.27, 1.0), (0.27, 0.35)]
)
def test_tables_give_the_analytic_spikes(kdr_tau_scale, na_tau_h_scale):
    """A spiking compartment (csna, cskdr, Ih) fires at the same steps with and without tables.

    The step factors of the gates (tabulated, or for cskdr with tau_scale !=
    tau_scale_table and csna with tau_h_scale != tau_h_scale_table computed
    from the tabulated time constant) move the gates as cnexp's exact update.
    """
    h.load_file("stdrun.hoc")
    soma = h.Section(name="rate_table_spiker")
    soma.L = soma.diam = 30.0
    for name in ("pas", "csh", "csna", "cskdr"):
        soma.insert(name)
    seg = soma(0.5)
    seg.pas.g, seg.pas.e = 1e-4, -70.0
    seg.csna.gbar, seg.csna.s_min, seg.csna.tau_h_scale = 0.06, 0.3, na_tau_h_scale
    seg.cskdr.gbar, seg.cskdr.tau_scale = 0.02, kdr_tau_scale
    clamp = h.IClamp(seg)
    clamp.delay, clamp.dur, clamp.amp = 5.0, 1e9, 0.6
    runs = []
    for on in (True, False):
        _use_tables(on)
        times, trace = h.Vector(), h.Vector()
        counter = h.NetCon(seg._ref_v, None, sec=soma)
        counter.threshold = -20.0
        counter.record(times)
        trace.record(seg._ref_v)
        h.celsius, h.dt = 37.0, 0.025
        h.finitialize(-70.0)
        h.continuerun(300.0)
        runs.append((np.array(times), np.array(trace)))
    _use_tables(True)
    (t_table, v_table), (t_exact, v_exact) = runs
    assert len(t_exact) > 10  # it fires repetitively
    assert len(t_table) == len(t_exact)
    assert np.max(np.abs(t_table - t_exact)) <= h.dt + 1e-9  # (measured: identical)
    assert np.max(np.abs(v_table - v_exact)) < 0.01  # mV (measured: under 0.001 mV)


def test_kdr_table_holds_the_motor_neurons_step_factor():
    """cskdr tabulates the step factor of the motor neurons' tau_scale (its header says so)."""
    from cordsim.models.cells.motor_neuron_parameters import MotorNeuronParams, motor_neuron_params

    assert h.tau_scale_table_cskdr == MotorNeuronParams().kdr_tau_scale
    assert motor_neuron_params("juvenile").kdr_tau_scale == h.tau_scale_table_cskdr


@pytest.mark.parametrize("scale", [0.35, 2.0])
def test_tau_h_scale_scales_the_inactivation_time_course(scale):
    """csna's h relaxes on tau_h_scale x Booth et al.'s tau_h (voltage clamp, -80 -> -40 mV).

    At -40 mV (vshift_h 0) tau_h is 30 / (exp(10/15) + exp(-10/16)) = 12.4 ms
    at 37 degC; h's time to fall halfway to its steady state scales with tau_h_scale.
    """
    h.load_file("stdrun.hoc")
    soma = h.Section(name="tau_h_scale_probe")
    soma.L = soma.diam = 20.0
    soma.insert("csna")
    halves = []
    for tau_h_scale in (1.0, scale):
        soma(0.5).csna.tau_h_scale = tau_h_scale
        clamp = h.SEClamp(soma(0.5))
        clamp.rs, clamp.dur1, clamp.amp1 = 1e-3, 1e9, -40.0
        trace, time = h.Vector().record(soma(0.5).csna._ref_h), h.Vector().record(h._ref_t)
        h.celsius, h.dt = 37.0, 0.025
        h.finitialize(-80.0)
        h.continuerun(80.0)
        h_trace, t = np.array(trace), np.array(time)
        start, end = (1 / (1 + np.exp((v + 55) / 7)) for v in (-80.0, -40.0))  # h_inf
        halves.append(t[np.argmax(h_trace <= (start + end) / 2)])
        del clamp
    assert halves[1] / halves[0] == pytest.approx(scale, rel=0.03)
