"""The rate table of csh reproduces the analytic curves, at every temperature.

``csh`` (Ih) tabulates its rate functions over v - vhalf (NMODL TABLE, 0.01 mV
steps); ``csh`` and ``cscal`` (L-type Ca, exact rates) compute the Q10 factor
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


@pytest.fixture
def segments():
    sections = []
    for v in VOLTAGES_MV:
        sec = h.Section(name=f"rate_table_{len(sections)}")
        sec.insert("csh")
        sec.insert("cscal")
        sec.vhalf_csh = -78.0  # a per-segment vhalf, as a Tor1a change would set
        sections.append((sec, v))
    yield [sec(0.5) for sec, _ in sections]
    h.usetable_csh = 1


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
    }


def _measured(segments) -> dict[str, np.ndarray]:
    return {
        "h_m_inf": np.array([s.csh.m_inf for s in segments]),
        "h_tau": np.array([s.csh.tau for s in segments]),
        "h_m_step": np.array([s.csh.m_step for s in segments]),
        "cal_m_inf": np.array([s.cscal.m_inf for s in segments]),
    }


@pytest.mark.parametrize(("celsius", "dt_ms"), [(23.0, 0.025), (37.0, 0.025), (37.0, 0.05)])
def test_tables_match_the_analytic_curves(segments, celsius, dt_ms):
    h.dt = dt_ms  # the step factor's table is rebuilt for a new dt
    for seg in segments:
        seg.cscal.vhalf = -40.0
    want = _analytic(celsius)
    h.usetable_csh = 1
    _initialise(segments, celsius)
    table = _measured(segments)
    assert np.max(np.abs(table["h_m_inf"] - want["h_m_inf"])) < M_INF_TOLERANCE
    assert np.max(np.abs(table["h_tau"] / want["h_tau"] - 1)) < TAU_RELATIVE_TOLERANCE
    assert np.max(np.abs(table["h_m_step"] / want["h_m_step"] - 1)) < TAU_RELATIVE_TOLERANCE
    assert np.allclose(table["cal_m_inf"], want["cal_m_inf"], rtol=1e-12, atol=0)
    # the analytic path is the formula of the .mod header, exactly
    h.usetable_csh = 0
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
