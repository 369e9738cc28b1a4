"""
Sobol sensitivity indices from a sampled sweep
==============================================

Which parameters does a metric depend on, alone and through interactions? A sweep
with ``sampling = "sobol"`` and ``sensitivity = true`` runs SALib's Saltelli design
(``n_samples`` base points, ``n_samples * (D + 2)`` rows for ``D`` varied
parameters), and :func:`~cordsim.analysis.sensitivity.sobol_indices` returns the
first-order (``S1``) and total (``ST``) indices with bootstrap confidence intervals.

This example samples the pure-numpy ``toy`` model (:mod:`cordsim.sweeps.toy_model`:
a Poisson pool whose rate is ``toy.rate_hz``, and whose reflex response to a
stimulus grows with ``toy.weight``), so it runs in seconds; the same code applies to
the ``circuit`` model with its dotted parameters. Its answer is known: the resting
rate depends on ``toy.rate_hz`` alone; the reflex latency on ``toy.weight``.

The short form uses fewer base samples (wider intervals).
"""

import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from cordsim import load_sweep, run_sweep
from cordsim.analysis.sensitivity import sobol_indices
from cordsim.sweeps.spec import SweepSpec

SHORT = os.environ.get("CORDSIM_DOCS_SHORT", "") not in ("", "0")

spec = SweepSpec(
    name="gallery-sobol",
    model="toy",
    protocols=["rest", "reflex"],
    seeds=[1, 2],
    sampling="sobol",
    sensitivity=True,
    n_samples=32 if SHORT else 256,
    parameters={
        "toy.rate_hz": {"low": 5.0, "high": 80.0},
        "toy.weight": {"low": 0.5, "high": 3.0},
        "toy.n_cells": [20],  # fixed
    },
)
folder = run_sweep(spec, Path(tempfile.mkdtemp()) / "sobol", n_jobs=1, progress=False)
df = load_sweep(folder)
print(f"{len(df)} rows: {df['protocol'].value_counts().to_dict()}")

# %%
# The indices
# -----------
rest = sobol_indices(df, ["rate_hz"], protocol="rest")
reflex = sobol_indices(df, ["latency_ms"], protocol="reflex")
print(rest.round(3).to_string(index=False))
print(reflex.round(3).to_string(index=False))

# %%
# Plotted, with their 95 % intervals
# ----------------------------------
fig, axes = plt.subplots(1, 2, figsize=(8, 3), sharey=True, layout="constrained")
panels = {"rest: rate_hz": rest, "reflex: latency_ms": reflex}
for ax, (title, si) in zip(axes, panels.items(), strict=True):
    x = np.arange(len(si))
    ax.bar(x - 0.2, si["S1"], 0.4, yerr=si["S1_conf"], label="S1 (first order)")
    ax.bar(x + 0.2, si["ST"], 0.4, yerr=si["ST_conf"], label="ST (total)")
    ax.set_xticks(x, si["parameter"])
    ax.set_title(title)
axes[0].set_ylabel("Sobol index")
axes[0].legend()
plt.show()
