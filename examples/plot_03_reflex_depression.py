"""
The monosynaptic reflex and its rate-dependent depression
=========================================================

Dorsal-root volleys into the flexor's Ia afferents, in trains at several rates
(the ``reflex`` protocol). For each train,
:func:`~cordsim.analysis.reflex.reflex_responses` counts the flexor motor neurons'
spikes in the monosynaptic window after each volley (minus those in the window of
the same length that ends at the volley), and
:func:`~cordsim.analysis.reflex.depression_curve` divides the steady response (the
volleys after the first ``n_discard``) by the first, rested one. The depressing
Ia synapse makes the ratio fall as the rate rises.

The default adult circuit; the short form uses 3 motor neurons per pool, two rates
and 4 volleys per train.
"""

import os

from cordsim import circuit_spec, simulate
from cordsim.analysis.plots import depression_curve_plot
from cordsim.analysis.reflex import depression_curve, reflex_responses
from cordsim.models.protocols import Reflex

SHORT = os.environ.get("CORDSIM_DOCS_SHORT", "") not in ("", "0")

spec = circuit_spec("adult")
rates_hz = [2.0, 5.0, 10.0, 20.0]
n_pulses, n_discard, seeds = 5, 3, [1, 2]
if SHORT:
    spec = spec.with_values(
        {
            f"{group}.{muscle}.{size}": n
            for muscle in ("flexor", "extensor")
            for group, size, n in (
                ("pools", "n_cells", 3),
                ("interneurons", "n_iain", 1),
                ("interneurons", "n_rc", 1),
            )
        }
    )
    rates_hz, n_pulses, n_discard, seeds = [2.0, 20.0], 4, 2, [1]

# %%
# One train per rate and seed
# ---------------------------
results = []
for rate in rates_hz:
    protocol = Reflex(rate_hz=rate, n_pulses=n_pulses, n_discard=n_discard, start_ms=200.0)
    for seed in seeds:
        results.append(simulate(spec, protocol, seed))

# The responses to each volley of the fastest train
print(reflex_responses(results[-1]).to_string())

# %%
# The depression curve
# --------------------
curve = depression_curve(results)
print(curve.to_string())
fig = depression_curve_plot(curve)
