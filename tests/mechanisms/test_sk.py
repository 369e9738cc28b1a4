"""cssk (SK current) gives the Hill conductance of its header, also when kd or hill change.

The mechanism computes kd**hill once and again only when kd or hill change,
so a change between two steps must take effect at the next step; with the
default exponent 4 it computes cai**4 as two products instead of pow.
"""

from __future__ import annotations

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
