"""Protocols: validated parameters, durations, and what they write into the result."""

import pytest

from cordsim.errors import ParameterError
from cordsim.models.protocols import PROTOCOLS, Alternation, Contraction, Reflex, make_protocol


def test_names_and_defaults():
    assert set(PROTOCOLS) == {"rest", "reflex", "contraction", "alternation"}
    for name in PROTOCOLS:
        proto = make_protocol(name)
        assert proto.name == name and proto.tstop_ms > 0


def test_reflex_duration_follows_rate():
    r = Reflex(rate_hz=10.0, n_pulses=5, start_ms=100.0, tail_ms=50.0)
    assert r.tstop_ms == pytest.approx(100 + 4 * 100 + 50)


def test_contraction_and_alternation_durations():
    c = Contraction(baseline_ms=100, ramp_up_ms=200, hold_ms=0, ramp_down_ms=200)
    assert c.tstop_ms == pytest.approx(600)
    assert Alternation(period_ms=400, n_cycles=2, start_ms=100).tstop_ms == pytest.approx(950)


def test_errors_name_the_key():
    with pytest.raises(ParameterError, match="unknown protocol 'reflx'; did you mean 'reflex'"):
        make_protocol("reflx")
    with pytest.raises(ParameterError, match="stim_muscle: unknown muscle 'biceps'"):
        make_protocol("reflex", stim_muscle="biceps")
    with pytest.raises(ParameterError, match="rate_hz"):
        make_protocol("reflex", rate_hz=-1.0)
    with pytest.raises(ParameterError, match="did you mean 'n_pulses'"):
        make_protocol("reflex", n_pulse=3)
