"""
Wild type against ``tor1a_spinal_drg``
======================================

:func:`cordsim.apply_profile` applies a mutation profile, a named set of parameter
changes, to a circuit spec; ``tor1a_spinal_drg`` is the knockout in spinal cord and
dorsal root ganglia (every change, its evidence and whether it is a hypothesis:
:doc:`/guide/profiles`). Here both profiles run the same protocols with the same
seed: rest, a flexor contraction and a reflex train, and the main metrics are set
side by side, as ``docs/compare_profiles.py`` does for the README's table.

The short form uses 3 motor neurons per pool and shorter protocols; one seed is an
illustration, not a result (the demo and the sweeps use replicate seeds).
"""

import os

import matplotlib.pyplot as plt
import pandas as pd

from cordsim import apply_profile, circuit_spec, make_protocol, metrics, simulate
from cordsim.models.profiles import profile_table

SHORT = os.environ.get("CORDSIM_DOCS_SHORT", "") not in ("", "0")

# %%
# The changes of the knockout
# ---------------------------
changes = profile_table().query("profile == 'tor1a_spinal_drg'")
print(changes[["change", "target", "op", "amount", "component"]].to_string(index=False))

# %%
# Same circuit, same seed, both profiles
# --------------------------------------
base = circuit_spec("adult")
protocols = {
    "rest": make_protocol("rest"),
    "contraction": make_protocol("contraction"),
    "reflex": make_protocol("reflex"),
}
if SHORT:
    base = base.with_values(
        {
            f"{group}.{muscle}.{size}": n
            for muscle in ("flexor", "extensor")
            for group, size, n in (
                ("pools", "n_cells", 3),
                ("interneurons", "n_iain", 2),
                ("interneurons", "n_rc", 1),
            )
        }
    )
    protocols = {
        "rest": make_protocol("rest", tstop_ms=400.0),
        "contraction": make_protocol(
            "contraction", baseline_ms=200.0, ramp_up_ms=150.0, hold_ms=100.0, ramp_down_ms=100.0
        ),
        "reflex": make_protocol("reflex", n_pulses=4, n_discard=2, start_ms=200.0),
    }

shown = {
    "rest": ["spontaneous_rate_hz", "mn_recruited_fraction_flexor"],
    "contraction": ["agonist_rate_hz", "antagonist_rate_hz", "coactivation_cci"],
    "reflex": ["reflex_amplitude", "reflex_latency_ms", "reflex_depression_ratio"],
}
rows = []
for profile in ("wild_type", "tor1a_spinal_drg"):
    spec = apply_profile(base, profile)
    for name, protocol in protocols.items():
        row = metrics(simulate(spec, protocol, seed=1))
        rows += [
            {"profile": profile, "protocol": name, "metric": m, "value": row[m]}
            for m in shown[name]
        ]
table = pd.DataFrame(rows).pivot(index=["protocol", "metric"], columns="profile", values="value")
print(table.round(3).to_string())

# %%
# Side by side
# ------------
ax = table[["wild_type", "tor1a_spinal_drg"]].plot.barh(figsize=(7, 5), color=["0.5", "tab:red"])
ax.invert_yaxis()
ax.set_xlabel("value (each metric in its own unit)")
ax.figure.tight_layout()
plt.show()
