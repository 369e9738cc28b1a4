"""
Measure and validate one motor neuron
=====================================

:func:`~cordsim.models.validation.validate_cells` measures the default adult motor
neuron with standard current-clamp protocols
(:func:`~cordsim.models.measurement.cell_properties.measure_cell`) and checks each
property against its mouse target range (``models/data/targets.toml``), as
``cordsim validate --age adult`` does for every default cell.

The short form (``CORDSIM_DOCS_SHORT=1``) skips the slow protocols (F-I curve,
maximal rate, ramp, ZAP, Ia EPSPs, ...), so only the passive properties, rheobase
and the single spike are measured and checked.
"""

import os

import matplotlib.pyplot as plt
import numpy as np

from cordsim.models.validation import validate_cells

SHORT = os.environ.get("CORDSIM_DOCS_SHORT", "") not in ("", "0")

# %%
# Measure and check
# -----------------
# One row per targeted property: the measured value, the target range, its unit
# and source, and whether it passes (``soft`` ranges are not mouse measurements).
table = validate_cells("adult", cells=["motor_neuron"], quick=SHORT)
checked = table[table["low"].notna() & table["value"].notna()]
print(checked[["property", "value", "low", "high", "unit", "source", "pass"]].to_string())

# %%
# Where each value sits in its range
# ----------------------------------
# 0 and 1 are the ends of the target range; a dot outside the grey band fails.
x = (checked["value"] - checked["low"]) / (checked["high"] - checked["low"])
y = np.arange(len(checked))
fig, ax = plt.subplots(figsize=(7, 0.35 * len(checked) + 1.2), layout="constrained")
ax.axvspan(0, 1, color="0.9")
colours = np.where(checked["pass"], "tab:green", "tab:red")
ax.scatter(x, y, c=colours, zorder=3)
ax.set_yticks(y, checked["property"])
ax.invert_yaxis()
ax.set_xlabel("position in the target range (0 = low, 1 = high)")
ax.set_title("default adult motor neuron against the mouse targets")
plt.show()
