"""The result of one simulation, and the typed records analysis reads from it.

A :class:`SimulationResult` carries the spikes, a :class:`Population` record
per population (its kind, role, muscle, gids and, for motor pools, the
motor-unit size factors the EMG needs) and the :class:`ProtocolRecord` of the
protocol that ran (its windows, event times and which families of metrics
apply). Analysis reads these records; it never parses population or protocol
names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cordsim.errors import ParameterError, unknown_name_message
from cordsim.spikes import SPIKE_COLUMNS

__all__ = [
    "MEASURES",
    "SPIKE_COLUMNS",
    "Population",
    "ProtocolRecord",
    "SimulationResult",
    "default_population",
]

MEASURES = (
    "coactivation",
    "spontaneous",
    "contraction",
    "reflex",
    "alternation",
    "ventral_root",
)
"""Families of metrics a protocol can declare (pool rates apply to every protocol):

- ``coactivation``: EMG co-contraction indices over the analysis window;
- ``spontaneous``: motor neuron rates in ``spontaneous_window_ms``;
- ``contraction``: agonist (``agonist``) and antagonist rates;
- ``reflex``: responses to the volleys at ``stim_times_ms``;
- ``alternation``: phase and binned-rate indices over cycles of ``cycle_period_ms``;
- ``ventral_root``: the synthetic ventral-root recording, scored as the lab scores it
  (responses to the volleys at ``stim_times_ms`` grouped by ``stim_rates_hz``, and
  spontaneous bursts in ``spontaneous_window_ms``).
"""


def _window(value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    t0, t1 = (float(v) for v in value)
    return (t0, t1)


@dataclass(frozen=True)
class Population:
    """What analysis needs to know about one population of a run.

    Attributes
    ----------
    name : str
        Population name (the ``population`` column of the spikes).
    kind : {"motor_pool", "afferent", "interneuron"}
    role : str
        The role connection rules use (``"mn"``, ``"ia"``, ``"iain"``, ``"rc"``, ...).
    muscle : str
        ``"flexor"`` or ``"extensor"``.
    gids : numpy.ndarray
        Global ids of its cells (int64), in cell-index order; cells that never
        fired are listed too.
    mu_sizes : numpy.ndarray or None
        Motor pools: motor-unit size factors (membrane area relative to the
        smallest cell), which scale each unit's action potential in the EMG;
        None for other kinds (or 1 for every unit when unknown).
    """

    name: str
    kind: str
    role: str
    muscle: str
    gids: np.ndarray
    mu_sizes: np.ndarray | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "gids", np.asarray(self.gids, dtype=np.int64))
        if self.mu_sizes is not None:
            sizes = np.asarray(self.mu_sizes, dtype=float)
            if sizes.shape != self.gids.shape:
                raise ParameterError(
                    f"population {self.name!r}: mu_sizes has shape {sizes.shape}, "
                    f"expected {self.gids.shape}"
                )
            object.__setattr__(self, "mu_sizes", sizes)

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return int(self.gids.size)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (see :meth:`from_dict`)."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "role": self.role,
            "muscle": self.muscle,
            "gids": [int(g) for g in self.gids],
        }
        if self.mu_sizes is not None:
            out["mu_sizes"] = [float(x) for x in self.mu_sizes]
        return out

    @classmethod
    def from_dict(cls, name: str, data: Mapping[str, Any]) -> Population:
        """Inverse of :meth:`to_dict`."""
        return cls(
            name=name,
            kind=str(data["kind"]),
            role=str(data["role"]),
            muscle=str(data["muscle"]),
            gids=np.asarray(data["gids"], dtype=np.int64),
            mu_sizes=None if data.get("mu_sizes") is None else np.asarray(data["mu_sizes"]),
        )


def default_population(name: str, gids: Any, mu_sizes: Any = None) -> Population:
    """A :class:`Population` record for a population of the default circuit's table.

    For results made outside :func:`~cordsim.models.simulation.simulate`
    (synthetic spike trains in tests and examples).
    """
    from cordsim.models.circuit import DEFAULT_POPULATIONS

    if name not in DEFAULT_POPULATIONS:
        raise ParameterError(unknown_name_message("population", name, DEFAULT_POPULATIONS))
    p = DEFAULT_POPULATIONS[name]
    return Population(name, p.kind, p.role, p.muscle, np.asarray(gids), mu_sizes)


@dataclass(frozen=True)
class ProtocolRecord:
    """What a protocol did, and what analysis needs to score it.

    Attributes
    ----------
    name : str
        Protocol name (``"rest"``, ``"reflex"``, ...), a label only.
    tstop_ms : float
        End of the run (ms).
    analysis_window_ms : tuple of float
        ``(t0, t1)`` (ms), half-open: the window of the rates and EMG indices.
    measures : tuple of str
        The families of :data:`MEASURES` that apply.
    params : dict
        The protocol's resolved parameters (for the record; analysis reads the
        typed fields below).
    agonist : str or None
        The driven or stimulated muscle.
    stim_times_ms : tuple of float
        Times of the dorsal root volleys (ms).
    response_window_ms : tuple of float or None
        Window after each volley (ms, relative to it) holding the monosynaptic
        response (afferent conduction included).
    spontaneous_window_ms : tuple of float or None
        Window without drive or stimulation (ms).
    cycle_period_ms : float or None
        Period of a rhythmic drive (ms).
    n_discard : int or None
        Reflex: volleys discarded before the steady-state amplitude (of each
        train, for ``stim_pulse_index``).
    stim_rates_hz : tuple of float
        Rate (Hz) each volley of ``stim_times_ms`` stands for (empty: one
        train at one rate); the lowest is the reference rate.
    stim_pulse_index : tuple of int
        Position of each volley within its train (0 = the first, rested one).
    """

    name: str
    tstop_ms: float
    analysis_window_ms: tuple[float, float]
    measures: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    agonist: str | None = None
    stim_times_ms: tuple[float, ...] = ()
    response_window_ms: tuple[float, float] | None = None
    spontaneous_window_ms: tuple[float, float] | None = None
    cycle_period_ms: float | None = None
    n_discard: int | None = None
    stim_rates_hz: tuple[float, ...] = ()
    stim_pulse_index: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        unknown = [m for m in self.measures if m not in MEASURES]
        if unknown:
            raise ParameterError(unknown_name_message("measure", unknown[0], MEASURES))
        object.__setattr__(self, "measures", tuple(self.measures))
        object.__setattr__(self, "tstop_ms", float(self.tstop_ms))
        object.__setattr__(self, "analysis_window_ms", _window(self.analysis_window_ms))
        object.__setattr__(self, "stim_times_ms", tuple(float(t) for t in self.stim_times_ms))
        object.__setattr__(self, "stim_rates_hz", tuple(float(r) for r in self.stim_rates_hz))
        object.__setattr__(self, "stim_pulse_index", tuple(int(k) for k in self.stim_pulse_index))
        for key in ("stim_rates_hz", "stim_pulse_index"):
            if getattr(self, key) and len(getattr(self, key)) != len(self.stim_times_ms):
                raise ParameterError(f"{key} must give one value per volley of stim_times_ms")
        for key in ("response_window_ms", "spontaneous_window_ms"):
            object.__setattr__(self, key, _window(getattr(self, key)))
        if "reflex" in self.measures and self.response_window_ms is None:
            raise ParameterError("a protocol with reflex measures needs response_window_ms")
        if "spontaneous" in self.measures and self.spontaneous_window_ms is None:
            raise ParameterError("a protocol with spontaneous measures needs spontaneous_window_ms")
        if ("reflex" in self.measures or "contraction" in self.measures) and not self.agonist:
            raise ParameterError("reflex and contraction measures need the agonist muscle")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (see :meth:`from_dict`)."""
        out: dict[str, Any] = {
            "name": self.name,
            "tstop_ms": self.tstop_ms,
            "analysis_window_ms": list(self.analysis_window_ms),
            "measures": list(self.measures),
            "params": dict(self.params),
            "agonist": self.agonist,
            "stim_times_ms": list(self.stim_times_ms),
            "response_window_ms": _list_or_none(self.response_window_ms),
            "spontaneous_window_ms": _list_or_none(self.spontaneous_window_ms),
            "cycle_period_ms": self.cycle_period_ms,
            "n_discard": self.n_discard,
        }
        if self.stim_rates_hz:  # only when set: older protocol records stay unchanged
            out["stim_rates_hz"] = list(self.stim_rates_hz)
            out["stim_pulse_index"] = list(self.stim_pulse_index)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProtocolRecord:
        """Inverse of :meth:`to_dict`."""
        known = {f for f in cls.__dataclass_fields__}
        unknown = [k for k in data if k not in known]
        if unknown:
            raise ParameterError(unknown_name_message("protocol record key", unknown[0], known))
        return cls(**dict(data))


def _list_or_none(value: tuple[float, float] | None) -> list[float] | None:
    return None if value is None else list(value)


@dataclass(frozen=True)
class SimulationResult:
    """Spike times of every cell of one simulation, with the inputs that made them.

    Attributes
    ----------
    spikes : pandas.DataFrame
        Long format, one row per spike (:data:`cordsim.spikes.SPIKE_COLUMNS`):
        ``time_ms`` (float64, ms), ``gid`` (int64) and ``population`` (str),
        sorted by (time_ms, gid).
    populations : dict of str to Population
        Every population of the run, in the circuit's table order.
    tstop_ms : float
        Simulated duration (ms).
    protocol : ProtocolRecord
        What the protocol did and which metrics apply.
    seed : int
        The seed the circuit was built and run with.
    spec : Any
        The circuit spec that made the result.
    traces : dict of str to numpy.ndarray
        Optional sampled traces (``"t_ms"`` and named voltage traces, mV).
    """

    spikes: pd.DataFrame
    populations: dict[str, Population]
    tstop_ms: float
    protocol: ProtocolRecord
    seed: int
    spec: Any = None
    traces: dict[str, np.ndarray] = field(default_factory=dict)

    def spike_times(self, population: str) -> list[np.ndarray]:
        """Spike times (ms) of each cell of ``population``, in cell-index order."""
        gids = self.populations[population].gids
        sub = self.spikes[self.spikes["population"] == population]
        by_gid = {g: grp["time_ms"].to_numpy() for g, grp in sub.groupby("gid")}
        return [by_gid.get(int(g), np.empty(0)) for g in gids]

    def motor_pools(self) -> dict[str, str]:
        """``{muscle: population name}`` of the motor pools of the run."""
        return {p.muscle: p.name for p in self.populations.values() if p.kind == "motor_pool"}

    def spike_hash(self) -> str:
        """SHA-256 of the (gid, time) pairs: equal hashes mean identical spikes."""
        arr = self.spikes[["gid", "time_ms"]].to_numpy(dtype=np.float64)
        return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()
