"""csNoise (csnoise.mod): an Ornstein-Uhlenbeck current with its own Random123 stream.

The current's mean, SD and correlation time are those set, whatever the time
step (exact update), and the same stream ids give the same current.
"""

from __future__ import annotations

import numpy as np
import pytest
from neuron import h

from cordsim.models.solver import run_neuron

pytestmark = pytest.mark.usefixtures("mechanisms")

DURATION_MS = 20000.0


def _noise_current(
    *, sd_na: float, tau_ms: float, dt_ms: float, ids=(1, 2, 3), mean_na: float = 0.0
) -> np.ndarray:
    """The current of one csNoise in a passive section, every step (nA)."""
    sec = h.Section(name="noise_test")
    sec.L = sec.diam = 50.0
    sec.insert("pas")
    noise = h.csNoise(sec(0.5))
    noise.sd_na, noise.tau_ms, noise.mean_na = sd_na, tau_ms, mean_na
    noise.ranvar.set_ids(*ids)
    current = h.Vector().record(noise._ref_i)
    run_neuron(DURATION_MS, celsius=37.0, v_init_mv=-70.0, dt_ms=dt_ms)
    return np.array(current.as_numpy())


def _autocorrelation(x: np.ndarray, lag: int) -> float:
    x = x - x.mean()
    return float(np.dot(x[:-lag], x[lag:]) / np.dot(x, x))


@pytest.mark.parametrize("dt_ms", [0.025, 0.1])
def test_noise_has_the_set_mean_sd_and_correlation_time(dt_ms: float) -> None:
    tau_ms = 5.0
    i = _noise_current(sd_na=0.3, tau_ms=tau_ms, dt_ms=dt_ms, mean_na=0.5)
    # 20 s / 5 ms = 4000 correlation times: the SE of the mean is ~0.3/sqrt(2000)
    assert i.mean() == pytest.approx(0.5, abs=0.03)
    assert i.std() == pytest.approx(0.3, rel=0.05)
    assert _autocorrelation(i, round(tau_ms / dt_ms)) == pytest.approx(np.exp(-1.0), abs=0.05)
    assert _autocorrelation(i, round(3 * tau_ms / dt_ms)) == pytest.approx(np.exp(-3.0), abs=0.05)


def test_same_ids_give_the_same_noise_and_other_ids_another() -> None:
    first = _noise_current(sd_na=0.2, tau_ms=2.0, dt_ms=0.025, ids=(7, 1, 0))
    again = _noise_current(sd_na=0.2, tau_ms=2.0, dt_ms=0.025, ids=(7, 1, 0))
    other = _noise_current(sd_na=0.2, tau_ms=2.0, dt_ms=0.025, ids=(8, 1, 0))
    np.testing.assert_array_equal(first, again)
    assert abs(np.corrcoef(first, other)[0, 1]) < 0.05


def test_zero_sd_adds_no_current() -> None:
    assert np.all(_noise_current(sd_na=0.0, tau_ms=2.0, dt_ms=0.025) == 0.0)
