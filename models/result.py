"""The result of one simulation: spikes per cell, labels, and what made them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

SPIKE_COLUMNS = ("time_ms", "gid", "population")


@dataclass(frozen=True)
class SimulationResult:
    """Spike times of every cell of one simulation, with the inputs that made them.

    Attributes
    ----------
    spikes : pandas.DataFrame
        Long format, one row per spike: ``time_ms`` (float64, ms), ``gid``
        (int64, the cell's global id) and ``population`` (str, e.g.
        ``"mn_flexor"``), sorted by (time_ms, gid).
    populations : dict of str to numpy.ndarray
        For each population name, the gids of its cells (int64), in cell-index
        order; cells that never fired are still listed here.
    tstop_ms : float
        Simulated duration (ms).
    protocol : dict
        The protocol's name and resolved parameters, plus the event times it
        used (e.g. ``{"name": "reflex", "stim_times_ms": [...], ...}``).
    seed : int
        The seed the circuit was built and run with.
    spec : Any
        The circuit spec (or cell spec) that made the result.
    traces : dict of str to numpy.ndarray
        Optional sampled traces (``"t_ms"`` and named voltage traces, mV).
    """

    spikes: pd.DataFrame
    populations: dict[str, np.ndarray]
    tstop_ms: float
    protocol: dict[str, Any]
    seed: int
    spec: Any = None
    traces: dict[str, np.ndarray] = field(default_factory=dict)

    def spike_times(self, population: str) -> list[np.ndarray]:
        """Spike times (ms) of each cell of ``population``, in cell-index order."""
        gids = self.populations[population]
        sub = self.spikes[self.spikes["population"] == population]
        by_gid = {g: grp["time_ms"].to_numpy() for g, grp in sub.groupby("gid")}
        return [by_gid.get(int(g), np.empty(0)) for g in gids]

    def spike_hash(self) -> str:
        """SHA-256 of the (gid, time) pairs: equal hashes mean identical spikes."""
        arr = self.spikes[["gid", "time_ms"]].to_numpy(dtype=np.float64)
        return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()
