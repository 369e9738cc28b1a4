"""cssk (SK current) gives the Hill conductance of its header, also when kd or hill change.

The mechanism computes kd**hill once and again only when kd or hill change,
so a change between two steps must take effect at the next step; with the
default exponent 4 it computes cai**4 as two products instead of pow. With
``tau_deact > 0`` the open fraction is a gate with Ca2+-dependent kinetics.
"""

from __future__ import annotations

import numpy as np
import pytest
from neuron import h

pytestmark = pytest.mark.usefixtures("mechanisms")

#: Intracellular Ca2+ (mM) held fixed in the test compartment (nothing removes it).
CAI_MM = 3e-4


def _hill(gbar: float, cai: float, kd: float, hill: float) -> float:
    return gbar * cai**hill / (cai**hill + kd**hill)


def _step(seg, cai: float = CAI_MM) -> float:
    seg.cai = cai
    h.fadvance()
    return float(seg.cssk.g)


def test_conductance_follows_kd_and_hill_changes():
    sec = h.Section(name="sk_test")
    sec.insert("cssk")
    seg = sec(0.5)
    h.dt = 0.025
    h.finitialize(-65.0)
    gbar = seg.cssk.gbar
    assert _step(seg) == pytest.approx(_hill(gbar, CAI_MM, seg.cssk.kd, seg.cssk.hill), rel=1e-12)
    seg.cssk.kd = 5e-4  # between steps, without a new initialisation
    assert _step(seg) == pytest.approx(_hill(gbar, CAI_MM, 5e-4, seg.cssk.hill), rel=1e-12)
    seg.cssk.hill = 1.0
    assert _step(seg) == pytest.approx(_hill(gbar, CAI_MM, 5e-4, 1.0), rel=1e-12)


@pytest.mark.parametrize("hill", [4.0, 3.0, 4.5])
@pytest.mark.parametrize("cai", [0.0, 5e-5, 2e-4, 1e-3, 0.1])
def test_default_exponent_as_products_equals_pow(hill, cai):
    """cai**4 as (cai * cai)**2 and other exponents with pow: the Hill formula to rounding."""
    sec = h.Section(name="sk_hill_test")
    sec.insert("cssk")
    seg = sec(0.5)
    seg.cssk.hill = hill
    h.dt = 0.025
    h.finitialize(-65.0)
    want = _hill(seg.cssk.gbar, cai, seg.cssk.kd, hill)
    assert _step(seg, cai) == pytest.approx(want, rel=1e-14, abs=1e-300)


def _gate_time_constant(seg, cai: float, celsius: float) -> float:
    """The gate's time constant (ms) at ``cai`` (mM) and ``celsius``, as cssk.mod's header writes it."""
    sk = seg.cssk
    c = min(max(cai, 0.0), h.ca_sat_cssk)
    tau = sk.tau_deact - (sk.tau_deact - sk.tau_sat) * c / h.ca_sat_cssk
    return tau / h.q10_cssk ** ((celsius - h.temp_ref_cssk) / 10)


@pytest.mark.parametrize("celsius", [37.0, 26.0])
@pytest.mark.parametrize("cai_after", [0.0, 1e-3, 0.02])
def test_gate_relaxes_exactly_to_the_hill_fraction(celsius, cai_after):
    """With tau_deact > 0 the open fraction follows the exact first-order relaxation at fixed Ca2+.

    It starts at the Hill fraction of the initial [Ca]i; after [Ca]i jumps it
    relaxes toward the new fraction with the Ca2+-dependent, Q10-scaled time
    constant (slowest without Ca2+, fastest from ca_sat on).
    """
    sec = h.Section(name="sk_gate_test")
    sec.insert("cssk")
    seg = sec(0.5)
    seg.cssk.tau_deact, seg.cssk.tau_sat = 14.6, 1.54
    gbar, kd, hill = seg.cssk.gbar, seg.cssk.kd, seg.cssk.hill
    h.dt, h.celsius = 0.025, celsius
    seg.cai = 5e-3  # saturating: the gate starts open
    h.finitialize(-65.0)
    z0 = _hill(1.0, 5e-3, kd, hill)
    assert seg.cssk.z == pytest.approx(z0, rel=1e-12)
    tau = _gate_time_constant(seg, cai_after, celsius)
    z_inf = _hill(1.0, cai_after, kd, hill)
    for n in range(1, 201):
        # a step computes the current from the gate, then updates the gate
        g = _step(seg, cai_after)
        before = z_inf + (z0 - z_inf) * np.exp(-(n - 1) * h.dt / tau)
        assert g == pytest.approx(gbar * before, rel=1e-9, abs=1e-15), n
        want = z_inf + (z0 - z_inf) * np.exp(-n * h.dt / tau)
        assert seg.cssk.z == pytest.approx(want, rel=1e-9, abs=1e-15), n
    h.celsius = 37.0


def _measured_time_constant(cai_start: float, cai_after: float, celsius: float) -> float:
    """The gate's time constant (ms) as the mechanism moves it over one step at ``cai_after``."""
    sec = h.Section(name="sk_gate_tau")
    sec.insert("cssk")
    seg = sec(0.5)
    seg.cssk.tau_deact, seg.cssk.tau_sat = 14.6, 1.54
    h.dt, h.celsius = 0.025, celsius
    seg.cai = cai_start
    h.finitialize(-65.0)
    z0 = seg.cssk.z
    z_inf = _hill(1.0, cai_after, seg.cssk.kd, seg.cssk.hill)
    _step(seg, cai_after)
    h.celsius = 37.0
    return -h.dt / np.log((seg.cssk.z - z_inf) / (z0 - z_inf))


def test_gate_time_constant_depends_on_calcium():
    """The gate is slowest without Ca2+ and fastest from ca_sat up (Hirschberg et al. 1998's kinetics)."""
    ca_sat = h.ca_sat_cssk
    assert _measured_time_constant(ca_sat, 0.0, 37.0) == pytest.approx(14.6, rel=1e-6)
    assert _measured_time_constant(0.0, ca_sat, 37.0) == pytest.approx(1.54, rel=1e-6)
    assert _measured_time_constant(0.0, 10 * ca_sat, 37.0) == pytest.approx(1.54, rel=1e-6)
    assert _measured_time_constant(ca_sat, 0.0, 27.0) == pytest.approx(3 * 14.6, rel=1e-6)


def test_motor_neuron_sets_the_gate_from_its_parameters():
    from cordsim.models.cells.motor_neuron import MotorNeuron
    from cordsim.models.cells.motor_neuron_parameters import motor_neuron_params

    assert MotorNeuron(motor_neuron_params("adult")).soma(0.5).cssk.tau_deact == 0.0  # off
    juvenile = motor_neuron_params("juvenile")
    assert juvenile.sk_tau_ms > 0
    assert MotorNeuron(juvenile).soma(0.5).cssk.tau_deact == juvenile.sk_tau_ms
    cell = MotorNeuron(motor_neuron_params("adult", sk_tau_ms=5.0))
    assert cell.soma(0.5).cssk.tau_deact == 5.0
