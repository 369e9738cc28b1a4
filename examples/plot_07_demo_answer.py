"""
The demo's answer: which Tor1a changes reproduce which sign
===========================================================

``cordsim demo`` runs two sweeps of the circuit, from wild type to the spinal + DRG
knockout ``tor1a_spinal_drg`` (at half and full strength), the DRG-only and
spinal-only controls, and each of the knockout's changes alone, all with the same
seeds; then for every sign of the phenotype (spontaneous activity at rest, a smaller
monosynaptic reflex, co-activation and antagonist activity during a contraction) it
gives each condition's paired change against wild type and a verdict: ``yes`` (in the
phenotype's direction by more than 2 standard errors over seeds), ``weak`` (that
direction, within the noise or with one seed), ``no``.

:func:`~cordsim.sweeps.demo.run_demo` is what the command calls. Here it runs the
quick configuration (:data:`~cordsim.sweeps.demo.QUICK`: 3 motor neurons, 1 Ia
interneuron and 1 Renshaw cell per muscle, one seed), which checks that everything
runs but is not a result: with one seed no verdict can be ``yes``. The default
demo's measured answer (3 seeds, 8 motor neurons per pool) is in
:doc:`/guide/profiles`. The short form runs only wild type, the full profile and the
two controls.
"""

import dataclasses
import os
import tempfile
from pathlib import Path

from cordsim.sweeps.demo import QUICK, demo_figure, run_demo

SHORT = os.environ.get("CORDSIM_DOCS_SHORT", "") not in ("", "0")

config = QUICK
if SHORT:
    config = dataclasses.replace(
        QUICK, only=("none", "all", "drg_only", "spinal_only"), dose_scales=()
    )

# %%
# Run it
# ------
# ``cordsim demo --quick --out DIR`` does the same and prints the same text.
demo = run_demo(Path(tempfile.mkdtemp()) / "demo", config=config, n_jobs=2, progress=False)
print(demo.text)

# %%
# The summary as a table
# ----------------------
# One row per condition and sign (``demo_results/summary.csv``).
print(demo.summary[["condition", "sign", "mean", "delta", "verdict"]].to_string(index=False))

# %%
# The figure
# ----------
# ``demo_results/demo.png``: each sign's change against wild type, by condition,
# coloured by verdict.
fig = demo_figure(demo.frame, demo.summary)
