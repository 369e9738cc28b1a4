"""Mechanisms whose states relax with fixed time constants follow the exact solution.

``cscad`` (Ca2+ removal), ``cscal`` (L-type Ca: m and the Ca-dependent
inactivation f), ``cscan`` (N-type Ca), ``csnap`` (persistent Na) and the two
synapses (``csExcSyn``, ``csGlySyn``) update each state by its exact solution
over one step, with the step factor ``1 - exp(-dt * tadj / tau)`` (or the
synapses' decay factors) computed again only when dt, the temperature or the
time constant changes. At a fixed potential (a voltage clamp of negligible
series resistance) a gate must therefore follow
``x_inf + (x0 - x_inf) * exp(-t * tadj / tau)`` at every step, also across a
change of dt in mid-run, and a synapse's conductance the dual exponential.
"""

from __future__ import annotations

import numpy as np
import pytest
from neuron import h

pytestmark = pytest.mark.usefixtures("mechanisms")

Q10 = 3.0


def _clamped_compartment(mechanism: str, hold_mv: float, step_mv: float, t_step_ms: float):
    sec = h.Section(name=f"exact_{mechanism}")
    sec.insert(mechanism)
    clamp = h.SEClamp(sec(0.5))
    clamp.rs = 1e-9
    clamp.dur1, clamp.amp1 = t_step_ms, hold_mv
    clamp.dur2, clamp.amp2 = 1e9, step_mv
    return sec, clamp


def _run(t_stop_ms: float, dt_ms: float, dt_after_ms: float | None = None) -> None:
    h.dt = dt_ms
    h.steps_per_ms = 1.0 / dt_ms
    h.finitialize()
    if dt_after_ms is None:
        h.continuerun(t_stop_ms)
        return
    h.continuerun(t_stop_ms / 2)
    h.dt = dt_after_ms
    h.steps_per_ms = 1.0 / dt_after_ms
    h.continuerun(t_stop_ms)


def _relaxation(t_ms, x0, x_inf, tau_ms, tadj):
    return x_inf + (x0 - x_inf) * np.exp(-np.asarray(t_ms) * tadj / tau_ms)


@pytest.fixture(autouse=True)
def _stdrun():
    h.load_file("stdrun.hoc")
    saved = (h.dt, h.celsius, h.steps_per_ms)
    yield
    h.dt, h.celsius, h.steps_per_ms = saved


@pytest.mark.parametrize("celsius", [37.0, 26.0])
@pytest.mark.parametrize("dt_after_ms", [None, 0.05])
@pytest.mark.parametrize(
    ("mechanism", "gates", "taus"),
    [
        ("csnap", ("m",), ("tau",)),
        ("cscan", ("m", "h"), ("tau_m", "tau_h")),
    ],
)
def test_gates_relax_exactly_at_fixed_voltage(mechanism, gates, taus, celsius, dt_after_ms):
    t_step, hold, step = 5.0, -70.0, -25.0
    sec, _clamp = _clamped_compartment(mechanism, hold, step, t_step)
    seg = sec(0.5)
    h.celsius = celsius
    tadj = Q10 ** ((celsius - 37.0) / 10.0)
    records = {g: h.Vector().record(getattr(seg, f"_ref_{g}_{mechanism}")) for g in gates}
    t_rec = h.Vector().record(h._ref_t)
    # the steady states at both potentials, from the mechanism's own rates
    h.finitialize(hold)
    x_hold = {g: getattr(seg, f"{g}_{mechanism}") for g in gates}
    h.finitialize(step)
    x_step = {g: getattr(seg, f"{g}_{mechanism}") for g in gates}
    h.finitialize(hold)
    # back to the clamp protocol: hold, then the step at t_step
    _run(60.0, 0.025, dt_after_ms)
    t = np.array(t_rec)
    after = t > t_step + 0.5  # past the clamp's own settling
    for gate, tau_name in zip(gates, taus, strict=True):
        tau = getattr(h, f"{tau_name}_{mechanism}")
        x = np.array(records[gate])
        # relax from the value one step after the clamp moved, to the step's steady state
        first = np.argmax(after)
        want = _relaxation(t[after] - t[first], x[first], x_step[gate], tau, tadj)
        assert x_hold[gate] != pytest.approx(x_step[gate], abs=1e-3)
        np.testing.assert_allclose(x[after], want, rtol=1e-7, atol=1e-10)


def test_cscal_gates_relax_exactly_and_in_order():
    """m relaxes to m_inf; f to f_inf computed from the m of the same step (m first)."""
    t_step, hold, step = 5.0, -70.0, -20.0
    sec, _clamp = _clamped_compartment("cscal", hold, step, t_step)
    seg = sec(0.5)
    seg.cscal.k_cdi = 0.5
    seg.cscal.tau_cdi = 30.0
    h.celsius = 37.0
    m_rec = h.Vector().record(seg._ref_m_cscal)
    f_rec = h.Vector().record(seg._ref_f_cscal)
    t_rec = h.Vector().record(h._ref_t)
    h.finitialize(step)
    m_inf = seg.cscal.m_inf
    _run(60.0, 0.025)
    t, m, f = np.array(t_rec), np.array(m_rec), np.array(f_rec)
    after = t > t_step + 0.5
    first = np.argmax(after)
    tau_m = h.tau_m_cscal
    np.testing.assert_allclose(
        m[after], _relaxation(t[after] - t[first], m[first], m_inf, tau_m, 1.0), rtol=1e-7
    )
    # one step of f by hand, from the updated m (the order of the replaced DERIVATIVE block)
    dt, v = 0.025, step
    flux = max((seg.cscal.e_cal - v) / (seg.cscal.e_cal - seg.cscal.vhalf), 0.0)
    k = np.flatnonzero(after)[5]
    f_inf = 1.0 / (1.0 + m[k] * flux / 0.5)
    f_next = f[k - 1] + (1.0 - np.exp(-dt / 30.0)) * (f_inf - f[k - 1])
    assert f[k] == pytest.approx(f_next, rel=1e-7)


@pytest.mark.parametrize("dt_after_ms", [None, 0.05])
def test_cscad_relaxes_exactly_to_rest_without_calcium_current(dt_after_ms):
    sec = h.Section(name="exact_cscad")
    sec.insert("cscad")
    seg = sec(0.5)
    h.celsius = 30.0
    tadj = Q10 ** ((30.0 - 37.0) / 10.0)
    rec = h.Vector().record(seg._ref_cai)
    t_rec = h.Vector().record(h._ref_t)
    h.finitialize(-65.0)
    rest = seg.cscad.cai_rest
    seg.cai = 10 * rest  # a Ca2+ load, no Ca2+ current (ica = 0)
    h.frecord_init()
    h.dt = 0.025
    h.steps_per_ms = 40
    h.continuerun(100.0)
    if dt_after_ms:
        h.dt = dt_after_ms
        h.steps_per_ms = 1.0 / dt_after_ms
    h.continuerun(200.0)
    t, cai = np.array(t_rec), np.array(rec)
    want = _relaxation(t, 10 * rest, rest, seg.cscad.tau, tadj)
    np.testing.assert_allclose(cai, want, rtol=1e-9)


@pytest.mark.parametrize("dt_after_ms", [None, 0.05])
@pytest.mark.parametrize("synapse", ["csExcSyn", "csGlySyn"])
def test_synaptic_conductance_is_the_dual_exponential(synapse, dt_after_ms):
    sec = h.Section(name=f"exact_{synapse}")
    sec.insert("pas")
    syn = getattr(h, synapse)(sec(0.5))
    if synapse == "csExcSyn":
        syn.u = 0.0
    weight, t_event = 0.002, 10.0
    nc = h.NetCon(None, syn)
    nc.weight[0] = weight
    h.celsius = 37.0
    # the states: g (computed with the current, before the states move) lags a step
    a_rec, b_rec = h.Vector().record(syn._ref_A), h.Vector().record(syn._ref_B)
    t_rec = h.Vector().record(h._ref_t)
    handler = h.FInitializeHandler(lambda: nc.event(t_event))
    _run(60.0, 0.025, dt_after_ms)
    del handler
    t, g = np.array(t_rec), np.array(b_rec) - np.array(a_rec)
    t1, t2 = syn.tau1, syn.tau2
    tp = t1 * t2 / (t2 - t1) * np.log(t2 / t1)
    factor = 1.0 / (np.exp(-tp / t2) - np.exp(-tp / t1))
    s = np.clip(t - t_event, 0.0, None)
    want = weight * factor * (np.exp(-s / t2) - np.exp(-s / t1))
    assert g.max() == pytest.approx(weight, rel=0.02)  # normalised to its peak
    np.testing.assert_allclose(g, want, rtol=1e-9, atol=1e-15)
