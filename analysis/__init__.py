"""Phenotype metrics from spike trains: pure functions, no NEURON.

Modules: :mod:`~cordsim.analysis.rates` (rates, recruitment, ISI CV),
:mod:`~cordsim.analysis.emg` (synthetic EMG and its envelope),
:mod:`~cordsim.analysis.coactivation` (co-contraction indices),
:mod:`~cordsim.analysis.reflex` (monosynaptic reflex, depression, reciprocal
inhibition), :mod:`~cordsim.analysis.alternation`,
:mod:`~cordsim.analysis.metrics` (one row per simulation),
:mod:`~cordsim.analysis.io` (``load_sweep``, ``load_spikes``: sweep results
folders; also importable from this package) and
:mod:`~cordsim.analysis.plots` (figures; imported on demand so that importing
the package does not load matplotlib).
"""

from typing import Any

from cordsim.analysis.phenotype import METRIC_KEYS, PRIMARY_KEYS, metrics, metrics_frame

#: Re-exported from :mod:`cordsim.analysis.io`, imported on first use (pyarrow).
_IO_EXPORTS = ("load_spikes", "load_sweep", "sweep_spec")

__all__ = ["METRIC_KEYS", "PRIMARY_KEYS", "metrics", "metrics_frame", *_IO_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _IO_EXPORTS:
        from cordsim.analysis import io

        return getattr(io, name)
    raise AttributeError(f"module 'cordsim.analysis' has no attribute {name!r}")
