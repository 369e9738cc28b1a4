"""Phenotype metrics from spike trains: pure functions, no NEURON.

Modules: :mod:`~cordsim.analysis.rates` (rates, recruitment, ISI CV),
:mod:`~cordsim.analysis.emg` (synthetic EMG and its envelope),
:mod:`~cordsim.analysis.coactivation` (co-contraction indices),
:mod:`~cordsim.analysis.reflex` (monosynaptic reflex, depression, reciprocal
inhibition), :mod:`~cordsim.analysis.alternation`,
:mod:`~cordsim.analysis.phenotype` (one row per simulation),
:mod:`~cordsim.analysis.ventral_root` (the isolated cord's ventral-root recording),
:mod:`~cordsim.analysis.vr_scoring` (the lab's scoring rules),
:mod:`~cordsim.analysis.cord_reflex` (ventral-root metrics of a run),
:mod:`~cordsim.analysis.trace_files` (recorded traces),
:mod:`~cordsim.analysis.statistics` (intervals and paired tests over replicates),
:mod:`~cordsim.analysis.sensitivity` (Sobol indices and Morris screening of a
sweep's frame) and
:mod:`~cordsim.analysis.plots` (figures; imported on demand so that importing
the package does not load matplotlib). Sweep results folders are read by
:mod:`cordsim.sweeps` (``load_sweep``, ``load_spikes``), a layer above.
"""

from cordsim.analysis.phenotype import METRIC_KEYS, PRIMARY_KEYS, metrics, metrics_frame

__all__ = ["METRIC_KEYS", "PRIMARY_KEYS", "metrics", "metrics_frame"]
