"""
The demo's answer: which Tor1a changes are sufficient or necessary for each sign
================================================================================

``cordsim demo`` runs the spinal + DRG knockout ``tor1a_spinal_drg``, its DRG-only
and spinal-only controls, each of its changes alone and the profile without each
change, on the same animals (replicate seeds that also draw the motor pools): the EMG
signs in the adult circuit in vivo, the monosynaptic reflex on the isolated juvenile
cord. For every sign it gives each condition's paired change against wild type with
a 95 % interval over animals and a Benjamini-Hochberg q across the whole table, and
for every change a verdict: *sufficient* (alone it shows the sign), *necessary* (the
profile without it does not), *contributes* (removing it reduces the sign) or
*neither*. Runs that leave the physiological regime (a motor neuron above 150 Hz, or
firing locked on after the drive) are flagged.

:func:`~cordsim.sweeps.demo.run_demo` is what the command calls. Here it runs the
quick configuration (:data:`~cordsim.sweeps.demo.QUICK`: tiny circuits, 2 animals,
6 conditions), which checks that everything runs but is not a result: two animals
cannot make a verdict. The default demo's measured answer (10 animals, 24
conditions) is in :doc:`/guide/profiles`. The short form runs only wild type, the
full profile and the two controls.
"""

import dataclasses
import os
import tempfile
from pathlib import Path

from cordsim.sweeps.demo import QUICK, demo_figure, run_demo

SHORT = os.environ.get("CORDSIM_DOCS_SHORT", "") not in ("", "0")

config = QUICK
if SHORT:
    config = dataclasses.replace(QUICK, only=("none", "all", "drg_only", "spinal_only"))

# %%
# Run it
# ------
# ``cordsim demo --quick --out DIR`` does the same and prints the same text.
demo = run_demo(Path(tempfile.mkdtemp()) / "demo", config=config, n_jobs=2, progress=False)
print(demo.text)

# %%
# The tables behind the answer
# ----------------------------
# ``conditions.csv``: per sign and condition the mean over animals and the paired
# change against wild type with its interval and q; ``attribution.csv``: the
# verdicts; ``summary.json``: both, machine-readable.
conditions = demo.summary["conditions"]
print(conditions[["sign", "condition", "mean", "delta", "delta_ci_low", "delta_ci_high", "q"]])

# %%
# The figure
# ----------
# ``demo.png``: each sign's change against wild type by condition, with its 95 %
# interval (red: the condition shows the sign; open: a flagged run).
fig = demo_figure(demo.summary)
