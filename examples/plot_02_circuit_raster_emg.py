"""
Run the circuit: spike rasters and EMG
======================================

A voluntary-like contraction of the flexor (descending drive ramps up and down into
its motor pool and Ia interneurons) in the default adult circuit, seed 1.
:func:`~cordsim.analysis.plots.raster_plot` draws every population's spikes and
:func:`~cordsim.analysis.plots.emg_plot` the synthetic EMG envelopes of the two
pools; :func:`cordsim.metrics` reduces the run to one row of metrics.

The short form shrinks the circuit to 3 motor neurons, 2 Ia interneurons and 2
Renshaw cells per muscle and shortens the contraction.
"""

import os

from cordsim import circuit_spec, make_protocol, metrics, simulate
from cordsim.analysis.plots import emg_plot, raster_plot

SHORT = os.environ.get("CORDSIM_DOCS_SHORT", "") not in ("", "0")

# %%
# The spec and the protocol
# -------------------------
# Sizes and protocol timings are ordinary dotted parameters, the same names a sweep
# varies (``pools.flexor.n_cells`` is ``populations.mn_flexor.n_cells``).
spec = circuit_spec("adult")
protocol = make_protocol("contraction")
if SHORT:
    small = {}
    for muscle in ("flexor", "extensor"):
        small[f"pools.{muscle}.n_cells"] = 3
        small[f"interneurons.{muscle}.n_iain"] = 2
        small[f"interneurons.{muscle}.n_rc"] = 2
    spec = spec.with_values(small)
    protocol = make_protocol(
        "contraction", baseline_ms=200.0, ramp_up_ms=150.0, hold_ms=100.0, ramp_down_ms=100.0
    )
print({name: pop.n_cells for name, pop in spec.populations.items()})

# %%
# Simulate
# --------
result = simulate(spec, protocol, seed=1)
print(f"{len(result.spikes)} spikes in {result.protocol.tstop_ms:.0f} ms")
row = metrics(result)
for key in ("agonist_rate_hz", "antagonist_rate_hz", "coactivation_cci", "coactivation_overlap"):
    print(f"{key:24s} {row[key]:.3g}")

# %%
# Rasters
# -------
# cordsim's plotting functions return a :class:`matplotlib.figure.Figure` (made
# without pyplot, so nothing pops up in a script or a sweep): save it with
# ``fig.savefig("raster.png")``.
fig = raster_plot(result)

# %%
# EMG envelopes
# -------------
# Synthesised from the motor units' spikes (a Hermite-Rodriguez action potential
# scaled by unit size, rectified and low-pass filtered at 10 Hz).
fig = emg_plot(result, show_raw=True)
