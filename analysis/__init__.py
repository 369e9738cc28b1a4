"""Phenotype metrics from spike trains: pure functions, no NEURON.

Modules: :mod:`~cordsim.analysis.rates` (rates, recruitment, ISI CV),
:mod:`~cordsim.analysis.emg` (synthetic EMG and its envelope),
:mod:`~cordsim.analysis.coactivation` (co-contraction indices),
:mod:`~cordsim.analysis.reflex` (monosynaptic reflex, depression, reciprocal
inhibition), :mod:`~cordsim.analysis.alternation`,
:mod:`~cordsim.analysis.metrics` (one row per simulation) and
:mod:`~cordsim.analysis.plots` (figures; imported on demand so that importing
the package does not load matplotlib).
"""

from cordsim.analysis.metrics import METRIC_KEYS, PRIMARY_KEYS, metrics, metrics_frame

__all__ = ["METRIC_KEYS", "PRIMARY_KEYS", "metrics", "metrics_frame"]
