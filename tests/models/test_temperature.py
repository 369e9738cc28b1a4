"""The temperature model: documented values are the mechanisms' values."""

import pytest

from cordsim.models.temperature import (
    REFERENCE_TEMPERATURE_DEGC,
    TEMPERATURE_MODEL,
    mechanism_values,
    rate_factor,
)


def test_rate_factor():
    assert rate_factor(37.0) == 1.0
    assert rate_factor(27.0) == pytest.approx(1 / 3)
    assert rate_factor(26.0) == pytest.approx(3**-1.1)
    assert rate_factor(47.0, q10=2.0) == pytest.approx(2.0)


@pytest.mark.usefixtures("mechanisms")
def test_documented_q10s_are_the_mechanisms():
    actual = mechanism_values()
    for mech, entry in TEMPERATURE_MODEL.items():
        assert actual[mech]["temp_ref"] == REFERENCE_TEMPERATURE_DEGC, mech
        for name, value in entry.globals.items():
            assert actual[mech][name] == value, (mech, name)


@pytest.mark.usefixtures("mechanisms")
def test_synapse_kinetics_slow_down_in_the_cold():
    from neuron import h

    from cordsim.models.solver import run_neuron

    sec = h.Section(name="q10probe")
    syn = h.csExcSyn(sec(0.5))
    syn.u = 0.0
    stim = h.NetStim()
    stim.number, stim.start = 1, 1.0
    nc = h.NetCon(stim, syn)
    nc.weight[0] = 0.001
    nc.delay = 0.0
    g = h.Vector().record(syn._ref_g, 0.025)
    peaks = {}
    for celsius in (37.0, 26.0):
        run_neuron(20.0, celsius=celsius, v_init_mv=-65.0)
        arr = g.as_numpy()
        peaks[celsius] = int(arr.argmax())
    # time to peak scales by 1 / rate_factor (3.35x later at 26 degC)
    ratio = (peaks[26.0] * 0.025 - 1.0) / (peaks[37.0] * 0.025 - 1.0)
    assert ratio == pytest.approx(1 / rate_factor(26.0), rel=0.05)
