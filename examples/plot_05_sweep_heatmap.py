"""
A small sweep, loaded in pandas, as a heat map
==============================================

Does the Tor1a knockout profile change the monosynaptic reflex, and how does that
depend on the Ia -> motor neuron synaptic strength? This is
``sweeps/examples/small.toml`` (``cordsim sweep sweeps/examples/small.toml``) written
in Python: a grid over the strength of the ``tor1a_spinal_drg`` profile (0 = wild
type, 1 = full) and the Ia -> MN weight factor, a short reflex train in a small
circuit, replicate seeds. :func:`cordsim.run_sweep` writes one file per point
(a re-run resumes), :func:`cordsim.load_sweep` reads the table back as a
:class:`pandas.DataFrame` (one row per point and seed), and
:func:`~cordsim.analysis.plots.metric_heatmap` draws a metric over two parameters.

The short form runs a 2 x 2 grid with one seed.
"""

import os
import tempfile
from pathlib import Path

from cordsim import load_sweep, run_sweep
from cordsim.analysis.plots import metric_heatmap
from cordsim.sweeps.spec import SweepSpec

SHORT = os.environ.get("CORDSIM_DOCS_SHORT", "") not in ("", "0")

# %%
# The spec
# --------
# Lists are grid axes; a one-value list fixes a parameter (here: 3 motor neurons,
# 1 Ia interneuron and 1 Renshaw cell per muscle, 4 volleys at 10 Hz).
small_circuit = {
    f"{group}.{muscle}.{size}": [1 if group == "interneurons" else 3]
    for muscle in ("flexor", "extensor")
    for group, size in (("pools", "n_cells"), ("interneurons", "n_iain"), ("interneurons", "n_rc"))
}
short_train = {
    "protocol.reflex.n_pulses": [4],
    "protocol.reflex.n_discard": [2],
    "protocol.reflex.start_ms": [200.0],
    "protocol.reflex.tail_ms": [40.0],
}
spec = SweepSpec(
    name="gallery-reflex-vs-tor1a",
    model="circuit",
    profile="wild_type",
    protocols=["reflex"],
    seeds=[1] if SHORT else [1, 2],
    sampling="grid",
    parameters={
        "profile.tor1a_spinal_drg.scale": [0.0, 1.0] if SHORT else [0.0, 0.5, 1.0],
        "connections.ia_to_mn.weight_scale": [0.25, 2.0] if SHORT else [0.25, 0.5, 1.0, 2.0],
        **small_circuit,
        **short_train,
    },
)

# %%
# Run it and load the table
# -------------------------
folder = Path(tempfile.mkdtemp()) / "small"
run_sweep(spec, folder, n_jobs=1, progress=False)
df = load_sweep(folder)
varied = ["profile.tor1a_spinal_drg.scale", "connections.ia_to_mn.weight_scale"]
print(df[["seed", *varied, "reflex_amplitude", "reflex_latency_ms", "status"]].to_string())

# %%
# Ordinary pandas from here: the mean over seeds of each grid cell.
print(df.groupby(varied)["reflex_amplitude"].mean().unstack())

# %%
# The heat map
# ------------
fig = metric_heatmap(
    df,
    x="connections.ia_to_mn.weight_scale",
    y="profile.tor1a_spinal_drg.scale",
    metric="reflex_amplitude",
)
