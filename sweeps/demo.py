"""``cordsim demo``: which Tor1a changes are sufficient or necessary for each sign?

The demo runs built-in sweeps of the circuit (:mod:`cordsim.sweeps.circuit_model`)
in parallel, writes their results folders (resumable: run the same command
again after an interruption), then answers with paired statistics over
animals (:mod:`cordsim.analysis.attribution`), a figure and a
machine-readable summary.

Animals
-------
Every replicate seed is an animal: besides connectivity and noise it draws
each motor pool's cells (a random sample of the population's sizes with a
threshold scatter, :data:`~cordsim.models.pool.ANIMAL_VARIATION`). Every
condition runs the same animals, so every comparison is paired.

Conditions
----------
The profile ``tor1a_spinal_drg`` (:mod:`cordsim.models.profiles`) taken
apart (``profile.tor1a_spinal_drg.only``):

- ``wild type`` (``"none"``) and ``tor1a_spinal_drg`` (``"all"``);
- the controls ``tor1a_drg_only`` (the afferent and Ia-synapse changes,
  ``"drg_only"``) and ``tor1a_spinal_only`` (the motor neuron and
  interneuron changes, ``"spinal_only"``);
- ``<change> alone`` for each change (is it *sufficient*?);
- ``without <change>`` for each change (the full profile minus it: is it
  *necessary*?).

Signs, and the preparation that measures each
----------------------------------------------
As in Pocratsky et al. 2023: EMG signs in the adult circuit in vivo, the
monosynaptic reflex on the isolated juvenile cord (dorsal root stimulation,
ventral root recording; :func:`~cordsim.models.circuit.circuit_spec`
``"isolated_cord"``).

- spontaneous activity at rest: in vivo, ``contraction``,
  ``spontaneous_rate_hz`` (Hz), up;
- co-activation during contraction: in vivo, ``contraction``,
  ``coactivation_cci`` (%), up;
- antagonist activity during contraction: in vivo, ``contraction``,
  ``antagonist_rate_hz`` (Hz), up;
- impaired monosynaptic reflex: isolated cord, ``cord_reflex``,
  ``reflex_amplitude`` (spikes), down;
- ventral-root reflex (the lab's measure): isolated cord, ``cord_reflex``,
  ``vr_peak_amplitude_uv`` (uV), down;
- reflex depression at 10 Hz (reported, no verdict): isolated cord,
  ``cord_reflex``, ``reflex_depression_ratio`` (1).

The spontaneous rate is read in the contraction protocol's baseline (100 ms
to the start of the drive, no drive and no stimulation: the rest protocol's
conditions), so one in vivo run per animal gives all three EMG signs.

Every run also carries the regime flags of :mod:`cordsim.analysis.regime`
(a motor neuron above 150 Hz; firing locked on after the drive); verdicts
that rest on flagged runs say so.

Sizes and durations (:data:`FULL`), and why
-------------------------------------------
- 10 animals (seeds 1-10): 95 % intervals over animals, Benjamini-Hochberg
  across the whole table;
- in vivo: 8 motor neurons, 4 IaINs and 4 Renshaw cells per muscle (every
  connection from a shrunk population made stronger by the shrink factor,
  :func:`circuit_size_values`); the contraction protocol with a 300 ms
  baseline (spontaneous rate over 100-300 ms), 200 ms ramp up, 100 ms hold
  and 150 ms ramp down, then the protocol's 100 ms tail (persistence);
- isolated cord: the default juvenile pools of 20 motor neurons per muscle
  (the reflex counts spikes of this pool, so its size sets the resolution),
  ``cord_reflex`` with one 10 Hz train of 4 volleys at 2 T after 200 ms of
  settling and a 60 ms tail (no resting Ia discharge on the cord, so the
  first volley is rested: it is the reflex; volleys 3-4 give the
  depression). The ventral-root response is scored up to 55 ms after each
  volley, so the last one's is cut at 60 ms; the reflex reads the first.

24 conditions x 10 animals x 2 preparations = 480 simulations.
``--budget MINUTES`` (:func:`config_for_budget`) adds animals, and at 3x the
standard budget dose-responses of the full profile (x0.25, x0.5, x0.75) and of
each change alone (x0.5; :func:`dose_table`);
``--quick`` (:data:`QUICK`) is a smoke run (tiny circuits, 2 animals, 6
conditions), not a result.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cordsim.analysis.attribution import (
    ALONE_SUFFIX,
    WILD_TYPE,
    WITHOUT_PREFIX,
    SignSpec,
    attribution_table,
    comparison_table,
    verdict_matrix,
)
from cordsim.analysis.regime import REGIME_KEYS, flagged_rows
from cordsim.analysis.statistics import mean_ci
from cordsim.errors import ParameterError, unknown_name_message
from cordsim.models.circuit import MN_MODELS, MUSCLES, animal_values, circuit_spec
from cordsim.models.profiles import get_profile
from cordsim.sweeps.circuit_model import WITHOUT_PREFIX as ONLY_WITHOUT
from cordsim.sweeps.engine import run_sweep
from cordsim.sweeps.results import load_sweep
from cordsim.sweeps.spec import ParameterSpec, SweepSpec

__all__ = [
    "DEMO_PROFILE",
    "FULL",
    "PREPARATIONS",
    "QUICK",
    "SIGNS",
    "DemoConfig",
    "DemoResult",
    "Preparation",
    "Sign",
    "circuit_size_values",
    "condition_order",
    "config_for_budget",
    "demo_figure",
    "demo_specs",
    "dose_table",
    "format_summary",
    "label_conditions",
    "run_demo",
    "summarize",
]

#: ``profile.<P>.only`` groups -> the condition (and profile) they stand for.
GROUP_CONDITIONS = {"drg_only": "tor1a_drg_only", "spinal_only": "tor1a_spinal_only"}

#: The profile whose changes the demo takes apart.
DEMO_PROFILE = "tor1a_spinal_drg"

_ONLY = f"profile.{DEMO_PROFILE}.only"
_SCALE = f"profile.{DEMO_PROFILE}.scale"


@dataclass(frozen=True)
class Sign(SignSpec):
    """One sign of the phenotype, the preparation and metric that read it.

    Attributes
    ----------
    label, metric, direction, protocol
        As :class:`~cordsim.analysis.attribution.SignSpec` (direction 0:
        reported, no verdict).
    unit : str
        Unit of the metric.
    preparation : str
        Key of :data:`PREPARATIONS` whose sweep runs the protocol.
    """

    unit: str = ""
    preparation: str = "in_vivo"


#: The signs, in table order.
SIGNS = (
    Sign("spontaneous activity at rest", "spontaneous_rate_hz", +1, "contraction", "Hz"),
    Sign("co-activation during contraction", "coactivation_cci", +1, "contraction", "%"),
    Sign("antagonist activity", "antagonist_rate_hz", +1, "contraction", "Hz"),
    Sign(
        "impaired monosynaptic reflex",
        "reflex_amplitude",
        -1,
        "cord_reflex",
        "spikes",
        "isolated_cord",
    ),
    Sign(
        "ventral-root reflex",
        "vr_peak_amplitude_uv",
        -1,
        "cord_reflex",
        "uV",
        "isolated_cord",
    ),
    Sign(
        "reflex depression at 10 Hz",
        "reflex_depression_ratio",
        0,
        "cord_reflex",
        "1",
        "isolated_cord",
    ),
)


@dataclass(frozen=True)
class Preparation:
    """One sweep of the demo: a base circuit, its size and protocols.

    Attributes
    ----------
    base : str
        Sweep base (``"adult"`` or ``"isolated_cord"``).
    protocols : tuple of str
        Protocols run on it.
    n_mn, n_iain, n_rc : int
        Motor neurons, Ia interneurons and Renshaw cells per muscle.
    protocol : dict
        ``protocol.<name>.<param>`` values (ms, counts; list-valued ones as
        comma-separated text).
    """

    base: str
    protocols: tuple[str, ...]
    n_mn: int
    n_iain: int
    n_rc: int
    protocol: Mapping[str, Any] = field(default_factory=dict)


PREPARATIONS = {
    "in_vivo": Preparation(
        base="adult",
        protocols=("contraction",),
        n_mn=8,
        n_iain=4,
        n_rc=4,
        protocol={
            "protocol.contraction.baseline_ms": 300.0,
            "protocol.contraction.ramp_up_ms": 200.0,
            "protocol.contraction.hold_ms": 100.0,
            "protocol.contraction.ramp_down_ms": 150.0,
        },
    ),
    "isolated_cord": Preparation(
        base="isolated_cord",
        protocols=("cord_reflex",),
        n_mn=20,
        n_iain=10,
        n_rc=10,
        protocol={
            "protocol.cord_reflex.rates_hz": "10",
            "protocol.cord_reflex.rest_ms": 0.0,
            "protocol.cord_reflex.n_pulses": 4,
            "protocol.cord_reflex.n_discard": 2,
            "protocol.cord_reflex.settle_ms": 200.0,
            "protocol.cord_reflex.tail_ms": 60.0,
        },
    ),
}
"""The demo's preparations (see the module docstring)."""


def all_conditions(profile: str = DEMO_PROFILE) -> tuple[str, ...]:
    """``profile.<P>.only`` values of the full demo: wild type, the profile, the
    controls, each change alone and the profile without each change."""
    changes = get_profile(profile).change_names()
    return (
        "none",
        "all",
        *GROUP_CONDITIONS,
        *changes,
        *(ONLY_WITHOUT + c for c in changes),
    )


@dataclass(frozen=True)
class DemoConfig:
    """Animals, conditions and preparations of one demo variant.

    Attributes
    ----------
    name : str
        Used in the sweep names (``tor1a-demo-<name>-<preparation>``).
    seeds : tuple of int
        The animals (replicate seeds).
    preparations : dict of str to Preparation
        The sweeps to run.
    only : tuple of str, optional
        Values of ``profile.tor1a_spinal_drg.only`` (default
        :func:`all_conditions`).
    dose_scales : tuple of float
        Strengths (0-1) of the full profile run besides 1 (dose-response;
        empty: none).
    change_dose_scales : tuple of float
        Strengths (0-1) of each change alone run besides 1 (each change's
        dose-response from 0, wild type, to its full hypothesised amount;
        empty: none).
    animals : bool
        Draw each seed's motor pools as an animal (:func:`animal_values`).
    mn_model : {"detailed", "reduced"}
        Motor neuron model of the pools. ``"reduced"`` is the screening mode:
        several times cheaper, with the accuracy cost the README reports
        (the reduced cell is experimental; the detailed one is the reference).
    """

    name: str
    seeds: tuple[int, ...]
    preparations: Mapping[str, Preparation] = field(default_factory=lambda: dict(PREPARATIONS))
    only: tuple[str, ...] | None = None
    dose_scales: tuple[float, ...] = ()
    change_dose_scales: tuple[float, ...] = ()
    animals: bool = True
    mn_model: str = "detailed"

    @property
    def conditions(self) -> tuple[str, ...]:
        """The ``only`` values run."""
        return tuple(self.only) if self.only is not None else all_conditions()

    @property
    def changes_alone(self) -> tuple[str, ...]:
        """The conditions that are one change alone (their names)."""
        changes = get_profile(DEMO_PROFILE).change_names()
        return tuple(c for c in self.conditions if c in changes)

    def n_simulations(self) -> int:
        """Simulations of the whole demo."""
        per_animal = sum(len(p.protocols) for p in self.preparations.values())
        n_dose = len(self.dose_scales) + len(self.changes_alone) * len(self.change_dose_scales)
        return per_animal * len(self.seeds) * (len(self.conditions) + n_dose)


FULL = DemoConfig(name="full", seeds=tuple(range(1, 11)))
"""The default demo (see the module docstring)."""

QUICK = DemoConfig(
    name="quick",
    seeds=(1, 2),
    preparations={
        "in_vivo": replace(
            PREPARATIONS["in_vivo"],
            n_mn=3,
            n_iain=1,
            n_rc=1,
            protocol={
                "protocol.contraction.baseline_ms": 250.0,
                "protocol.contraction.ramp_up_ms": 150.0,
                "protocol.contraction.hold_ms": 50.0,
                "protocol.contraction.ramp_down_ms": 100.0,
            },
        ),
        "isolated_cord": replace(
            PREPARATIONS["isolated_cord"],
            n_mn=4,
            n_iain=2,
            n_rc=2,
            protocol={**PREPARATIONS["isolated_cord"].protocol, "protocol.cord_reflex.n_pulses": 3},
        ),
    },
    only=("none", "all", "drg_only", "spinal_only", "mn_nap", ONLY_WITHOUT + "mn_nap"),
)
"""``cordsim demo --quick``: tiny circuits, 2 animals, 6 conditions (a smoke run)."""

#: The budget (minutes on 2 cores) :data:`FULL` is sized for, what
#: :func:`config_for_budget` scales from: it took 329 s (5.5 min) on 2 idle
#: cores (2026-12-05, with the juvenile Kv1's slower inactivation; 327 s with the
#: motor neurons' finer axon stub before it; 277 s after
#: issue 14's collapsed dendrites, step factors and cskdr / cssk changes; 691 s
#: when this was first set to 15 min), and 7 min leaves about 1.3x room for
#: slower or shared machines.
STANDARD_BUDGET_MIN = 7.0
STANDARD_CORES = 2
#: Strengths of the full profile, and of each change alone, that a budget of 3x
#: the standard adds (dose-responses from wild type, 0, to the full hypothesised
#: amount, 1: the only range the evidence gives; see models/profiles.py).
DOSE_SCALES = (0.25, 0.5, 0.75)
CHANGE_DOSE_SCALES = (0.5,)


def config_for_budget(budget_min: float, n_cores: int = STANDARD_CORES) -> DemoConfig:
    """The demo that fits ``budget_min`` minutes on ``n_cores`` workers.

    :data:`FULL` (10 animals) takes :data:`STANDARD_BUDGET_MIN` on
    :data:`STANDARD_CORES` cores; a larger budget (or more cores) buys
    proportionally more animals (up to 40), and from 3x the standard budget
    dose-responses of the full profile (:data:`DOSE_SCALES`) and of each change
    alone (:data:`CHANGE_DOSE_SCALES`), paid for with animals.

    Raises
    ------
    ParameterError
        A budget below what 10 animals need.
    """
    if (
        isinstance(budget_min, bool)
        or not isinstance(budget_min, int | float)
        or not math.isfinite(budget_min)
        or budget_min <= 0
    ):
        raise ParameterError(f"--budget {budget_min!r}: give minutes > 0")
    dosed = budget_min >= 3 * STANDARD_BUDGET_MIN
    dose = DOSE_SCALES if dosed else ()
    change_dose = CHANGE_DOSE_SCALES if dosed else ()
    n_base = len(FULL.seeds)
    n_dose = len(dose) + len(FULL.changes_alone) * len(change_dose)
    per_animal = (len(FULL.conditions) + n_dose) / len(FULL.conditions)
    capacity = n_base * (budget_min / STANDARD_BUDGET_MIN) * (n_cores / STANDARD_CORES)
    animals = int(capacity / per_animal + 1e-9)
    if animals < n_base:
        need = STANDARD_BUDGET_MIN * STANDARD_CORES / n_cores
        raise ParameterError(
            f"--budget {budget_min:g} min: 10 animals need about {need:.0f} min on {n_cores} "
            f"cores (use --quick for a smoke run)"
        )
    if animals == n_base and not dose:
        return FULL
    return replace(
        FULL,
        name=f"budget{budget_min:g}",
        seeds=tuple(range(1, min(animals, 40) + 1)),
        dose_scales=dose,
        change_dose_scales=change_dose,
    )


def _source_size(spec: Any, role: str, muscle: str) -> int:
    """Cells of the population of ``role`` in ``muscle``'s circuit (0 if none)."""
    name = spec.population_of(role, muscle)
    return 0 if name is None else spec.populations[name].n_cells


def circuit_size_values(n_mn: int, n_iain: int, n_rc: int, base: str = "adult") -> dict[str, Any]:
    """Dotted values that resize the ``base`` circuit and keep each cell's synaptic input.

    Parameters
    ----------
    n_mn, n_iain, n_rc : int
        Motor neurons, Ia interneurons and Renshaw cells per muscle.
    base : str
        ``"adult"``, ``"juvenile"`` or ``"isolated_cord"``.

    Returns
    -------
    dict
        ``pools.<m>.n_cells``, ``interneurons.<m>.n_iain`` and ``.n_rc`` for both
        muscles, and ``connections.<rule>.weight_scale`` = (default source
        count / new source count) x the default weight scale for every rule
        whose source population changes size (dimensionless; connection
        probabilities are unchanged, so the expected summed conductance onto
        each target stays the same).
    """
    default = circuit_spec(base)
    values: dict[str, Any] = {}
    for m in MUSCLES:
        values[f"pools.{m}.n_cells"] = int(n_mn)
        values[f"interneurons.{m}.n_iain"] = int(n_iain)
        values[f"interneurons.{m}.n_rc"] = int(n_rc)
    small = default.with_values(values)
    for name, rule in default.connections.items():
        new_size = _source_size(small, rule.source, MUSCLES[0])
        if not new_size:
            continue
        ratio = _source_size(default, rule.source, MUSCLES[0]) / new_size
        if ratio != 1.0:
            values[f"connections.{name}.weight_scale"] = float(rule.weight_scale * ratio)
    return values


def _example_toml(preparation: str) -> Path:
    name = "demo.toml" if preparation == "in_vivo" else f"demo_{preparation}.toml"
    return Path(__file__).parent / "examples" / name


def demo_specs(config: DemoConfig = FULL) -> dict[str, SweepSpec]:
    """The demo's sweeps: one per preparation, and ``dose_<preparation>`` with dose scales.

    Each sweeps ``profile.tor1a_spinal_drg.only`` over ``config.conditions``
    at full strength, on the preparation's circuit size and protocol values,
    with the animals' pool draws (:func:`animal_values`) when
    ``config.animals``, over ``config.seeds``. ``sweeps/examples/demo.toml``
    and ``demo_isolated_cord.toml`` are :data:`FULL`'s.
    """
    specs: dict[str, SweepSpec] = {}
    for key, prep in config.preparations.items():
        fixed: dict[str, Any] = {
            **circuit_size_values(prep.n_mn, prep.n_iain, prep.n_rc, prep.base),
            **(animal_values() if config.animals else {}),
            **prep.protocol,
            **({} if config.mn_model == "detailed" else {"mn_model": config.mn_model}),
        }
        params = {
            _SCALE: ParameterSpec(_SCALE, values=(1.0,)),
            _ONLY: ParameterSpec(_ONLY, values=config.conditions),
        }
        params.update({k: ParameterSpec(k, values=(v,)) for k, v in fixed.items()})
        spec = SweepSpec(
            name=f"tor1a-demo-{config.name}-{key}",
            model="circuit",
            base=prep.base,
            protocols=prep.protocols,
            seeds=tuple(config.seeds),
            sampling="grid",
            parameters=tuple(params.values()),
        )
        specs[key] = spec
        if config.dose_scales:
            params[_ONLY] = ParameterSpec(_ONLY, values=("all",))
            params[_SCALE] = ParameterSpec(_SCALE, values=tuple(config.dose_scales))
            specs[f"dose_{key}"] = spec.replace(
                name=f"{spec.name}-dose", parameters=tuple(params.values())
            )
        if config.change_dose_scales and config.changes_alone:
            params[_ONLY] = ParameterSpec(_ONLY, values=config.changes_alone)
            params[_SCALE] = ParameterSpec(_SCALE, values=tuple(config.change_dose_scales))
            specs[f"dose_changes_{key}"] = spec.replace(
                name=f"{spec.name}-dose-changes", parameters=tuple(params.values())
            )
    return specs


# ----------------------------------------------------------------------------
# Conditions (pure pandas: no NEURON)
# ----------------------------------------------------------------------------


def _condition(only: str, scale: float) -> str:
    if only == "none" or scale == 0.0:
        return WILD_TYPE
    tail = "" if scale == 1.0 else f" x{scale:g}"
    if only == "all":
        return DEMO_PROFILE + tail
    if only in GROUP_CONDITIONS:
        return GROUP_CONDITIONS[only] + tail
    if only.startswith(ONLY_WITHOUT):
        return WITHOUT_PREFIX + only[len(ONLY_WITHOUT) :] + tail
    return only + ALONE_SUFFIX + tail


def label_conditions(frame: pd.DataFrame) -> pd.DataFrame:
    """Add a ``condition`` column from the profile columns of a sweep frame.

    ``profile.<P>.only`` (default ``"all"``) and ``profile.<P>.scale``
    (default 1) give ``"wild type"``, ``"tor1a_spinal_drg"`` (``" x0.5"`` at
    half strength), the controls ``"tor1a_drg_only"`` and
    ``"tor1a_spinal_only"``, ``"<change> alone"`` and ``"without <change>"``.
    """
    only = frame[_ONLY] if _ONLY in frame else pd.Series("all", index=frame.index)
    scale = frame[_SCALE] if _SCALE in frame else pd.Series(1.0, index=frame.index)
    out = frame.copy()
    out["condition"] = [_condition(str(o), float(s)) for o, s in zip(only, scale, strict=True)]
    return out


def condition_order(conditions: Sequence[str]) -> list[str]:
    """Wild type, the profile by strength, the controls, changes alone, then without each."""
    present = list(dict.fromkeys(conditions))
    changes = get_profile(DEMO_PROFILE).change_names()

    def rank(name: str) -> float:
        return float(changes.index(name)) if name in changes else 99.0

    def key(c: str) -> tuple:
        if c == WILD_TYPE:
            return (0, 0.0, "")
        if c.startswith(DEMO_PROFILE):
            return (1, float(c.split(" x")[1]) if " x" in c else 1.0, "")
        if c.split(" ")[0] in GROUP_CONDITIONS.values():
            return (2, 0.0, c)
        if c.startswith(WITHOUT_PREFIX):
            return (4, rank(c[len(WITHOUT_PREFIX) :].split(" ")[0]), c)
        return (3, rank(c.split(" ")[0]), c)

    return sorted(present, key=key)


# ----------------------------------------------------------------------------
# The answer (pure pandas)
# ----------------------------------------------------------------------------


def summarize(
    frame: pd.DataFrame, signs: Sequence[Sign] = SIGNS, *, confidence: float = 0.95
) -> dict[str, pd.DataFrame]:
    """The demo's answer from its labelled frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per (condition, protocol, seed) with ``condition``,
        ``protocol``, ``seed``, the metric columns and the regime flags.
    signs : sequence of Sign
    confidence : float
        Of every interval.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``conditions``: per (sign, condition) the mean over animals with its
        interval, the share of flagged animals, and (against wild type) the
        paired change with its interval, p and BH-adjusted q (signs without
        a direction: means only); ``comparisons``: every test of
        :func:`~cordsim.analysis.attribution.comparison_table`;
        ``attribution``: per (sign, change) the verdict
        (:func:`~cordsim.analysis.attribution.attribution_table`).
    """
    if "status" in frame:
        frame = frame[frame["status"] == "ok"]
    comparisons = comparison_table(frame, [s for s in signs if s.direction], full=DEMO_PROFILE)
    changes = get_profile(DEMO_PROFILE).change_names()
    present = set(frame["condition"])
    changes = [c for c in changes if c + ALONE_SUFFIX in present or WITHOUT_PREFIX + c in present]
    attribution = attribution_table(comparisons, changes, full=DEMO_PROFILE)
    rows = []
    for sign in signs:
        sub = frame[frame["protocol"] == sign.protocol]
        for cond in condition_order(sub["condition"].unique()):
            g = sub[sub["condition"] == cond]
            values = g.groupby("seed")[sign.metric].mean() if sign.metric in g else pd.Series()
            mean, lo, hi, n = mean_ci(values.to_numpy(dtype=float), confidence)
            flagged = float(flagged_rows(g).mean()) if len(g) else 0.0
            row = {
                "sign": sign.label,
                "metric": sign.metric,
                "unit": sign.unit,
                "direction": sign.direction,
                "preparation": sign.preparation,
                "condition": cond,
                "n": n,
                "mean": mean,
                "ci_low": lo,
                "ci_high": hi,
                "flagged_fraction": flagged,
            }
            match = (
                comparisons[
                    (comparisons["sign"] == sign.label)
                    & (comparisons["comparison"] == "effect")
                    & (comparisons["condition"] == cond)
                ]
                if len(comparisons)
                else comparisons
            )
            if len(match):
                m = match.iloc[0]
                row.update(
                    delta=m["delta"],
                    delta_ci_low=m["ci_low"],
                    delta_ci_high=m["ci_high"],
                    p=m["p"],
                    q=m["q"],
                    shows=bool(m["shows"]),
                )
            rows.append(row)
    return {
        "conditions": pd.DataFrame(rows),
        "comparisons": comparisons,
        "attribution": attribution,
    }


def _fmt(x: float, digits: int = 3) -> str:
    return "nan" if not math.isfinite(float(x)) else f"{float(x):.{digits}g}"


def _table(headers: list[str], body: list[list[str]]) -> list[str]:
    widths = [
        max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(headers)
    ]
    out = [
        "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in body]
    return out


_CONTROLS = (DEMO_PROFILE, *GROUP_CONDITIONS.values())


def format_summary(summary: Mapping[str, pd.DataFrame]) -> str:
    """The answer as plain text: the profile and its controls per sign, then the verdicts.

    Part 1 gives, per sign, wild type's mean and each of the full profile and
    the two controls as ``change [95 % CI] q=...`` against wild type, with
    ``*`` where the sign is shown (q < 0.05 in its direction) and ``!`` where
    any animal's run was flagged. Part 2 is the verdict of every change for
    every sign; part 3 the sentences a reader wants.
    """
    cond = summary["conditions"]
    lines = [
        "1. The knockout and its controls against wild type "
        "(paired change [95 % CI], BH q; * shows the sign, ! flagged runs)",
        "",
    ]
    body = []
    for sign, g in cond.groupby("sign", sort=False):
        g = g.set_index("condition")
        unit = g["unit"].iloc[0]
        direction = int(g["direction"].iloc[0])
        arrow = {1: " (up)", -1: " (down)"}.get(direction, "")
        wt = g.loc[WILD_TYPE] if WILD_TYPE in g.index else None
        row = [
            f"{sign}{arrow} [{unit}]",
            _fmt(wt["mean"]) + ("!" if wt is not None and wt["flagged_fraction"] else "")
            if wt is not None
            else "",
        ]
        for c in _CONTROLS:
            if c not in g.index:
                row.append("")
                continue
            r = g.loc[c]
            if direction and "delta" in r and math.isfinite(float(r.get("delta", math.nan))):
                text = (
                    f"{float(r['delta']):+.3g} [{_fmt(r['delta_ci_low'])}, "
                    f"{_fmt(r['delta_ci_high'])}] q={_fmt(r['q'], 2)}"
                )
                text += "*" if bool(r.get("shows")) else ""
            else:
                text = f"{_fmt(r['mean'])} [{_fmt(r['ci_low'])}, {_fmt(r['ci_high'])}]"
            row.append(text + ("!" if r["flagged_fraction"] else ""))
        body.append(row)
    lines += _table(["sign", WILD_TYPE, *_CONTROLS], body)
    attribution = summary["attribution"]
    if len(attribution):
        lines += [
            "",
            "2. Each change: sufficient (alone shows the sign), necessary (the profile "
            "without it does not), contributes (removing it reduces the sign)",
            "",
        ]
        matrix = verdict_matrix(attribution)
        lines += _table(
            ["change", *matrix.columns], [[i, *(str(v) for v in r)] for i, r in matrix.iterrows()]
        )
    lines += ["", "3. Answer"]
    for sign, g in attribution.groupby("sign", sort=False) if len(attribution) else []:
        suff = g.loc[g["verdict"].str.contains("sufficient"), "change"].tolist()
        nec = g.loc[g["verdict"].str.contains("necessary"), "change"].tolist()
        full = cond[(cond["sign"] == sign) & (cond["condition"] == DEMO_PROFILE)]
        shown = bool(full["shows"].iloc[0]) if len(full) and "shows" in full else False
        lines.append(
            f"- {sign}: {DEMO_PROFILE} {'shows it' if shown else 'does not show it'}; "
            f"sufficient: {', '.join(suff) or 'none'}; necessary: {', '.join(nec) or 'none'}"
        )
    return "\n".join(lines)


# ----------------------------------------------------------------------------
# Figure
# ----------------------------------------------------------------------------


def demo_figure(summary: Mapping[str, pd.DataFrame], signs: Sequence[Sign] = SIGNS):
    """One panel per sign: every condition's paired change against wild type.

    Points are mean changes over animals with their 95 % intervals; red where
    the condition shows the sign (q < 0.05 in its direction), grey otherwise;
    open markers where any animal's run was flagged. Signs without a
    direction show means with intervals instead.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    cond = summary["conditions"]
    conditions = condition_order(cond["condition"].unique())
    y = np.arange(len(conditions))[::-1]
    fig = Figure(figsize=(2.9 * len(signs) + 2.4, 0.24 * len(conditions) + 1.8))
    axes = np.atleast_1d(fig.subplots(1, len(signs), sharey=True))
    for ax, sign in zip(axes, signs, strict=True):
        g = cond[cond["sign"] == sign.label].set_index("condition")
        relative = bool(sign.direction) and "delta" in g
        for yi, c in zip(y, conditions, strict=True):
            if c not in g.index:
                continue
            r = g.loc[c]
            if relative and c != WILD_TYPE:
                x, lo, hi = r["delta"], r["delta_ci_low"], r["delta_ci_high"]
            elif relative:
                x = lo = hi = 0.0
            else:
                x, lo, hi = r["mean"], r["ci_low"], r["ci_high"]
            flag = r.get("shows")
            shows = relative and c != WILD_TYPE and isinstance(flag, bool | np.bool_) and bool(flag)
            colour = "tab:red" if shows else "0.35"
            face = "white" if r["flagged_fraction"] else colour
            if math.isfinite(float(lo)) and math.isfinite(float(hi)):
                ax.plot([lo, hi], [yi, yi], color=colour, lw=1.2)
            ax.plot([x], [yi], "o", ms=4, color=colour, mfc=face)
        if relative:
            ax.axvline(0.0, color="k", lw=0.8, ls="--")
        arrow = {1: " (up)", -1: " (down)"}.get(sign.direction, "")
        where = "isolated cord" if sign.preparation == "isolated_cord" else "in vivo"
        ax.set_title(f"{sign.label}{arrow}\n{where}", fontsize=8)
        label = f"change vs {WILD_TYPE}" if relative else "mean"
        ax.set_xlabel(f"{label} ({sign.unit})", fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0].set_yticks(y, conditions)
    fig.suptitle(
        "Which Tor1a changes reproduce each sign? Paired change vs wild type over animals, 95 % CI "
        "(red: q < 0.05 in the phenotype's direction; open: a flagged run)",
        fontsize=9,
    )
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------
# Running it
# ----------------------------------------------------------------------------


@dataclass
class DemoResult:
    """What :func:`run_demo` produced.

    Attributes
    ----------
    folder : pathlib.Path
        The output folder.
    frame : pandas.DataFrame
        Every point of every sweep, with ``condition`` and ``preparation``.
    summary : dict of str to pandas.DataFrame
        :func:`summarize` of ``frame``.
    text : str
        The printed answer.
    figure : pathlib.Path
        The PNG.
    wall_time_s : float
        Wall time of the run (s).
    """

    folder: Path
    frame: pd.DataFrame
    summary: dict[str, pd.DataFrame]
    text: str
    figure: Path
    wall_time_s: float


def _metric_columns(frame: pd.DataFrame) -> list[str]:
    keep = ["preparation", "condition", "protocol", "seed", "status", "error", "wall_time_s"]
    keep += list(dict.fromkeys(s.metric for s in SIGNS))
    keep += [
        "mn_max_cell_rate_hz_flexor",
        "mn_max_cell_rate_hz_extensor",
        *REGIME_KEYS,
    ]
    return [c for c in keep if c in frame]


def run_demo(
    out: str | Path,
    *,
    n_jobs: int = -1,
    quick: bool = False,
    budget_min: float | None = None,
    progress: bool = True,
    config: DemoConfig | None = None,
    in_process: bool | None = None,
    mn_model: str = "detailed",
) -> DemoResult:
    """Run the demo's sweeps into ``out`` and write its answer.

    Parameters
    ----------
    out : path
        Output folder; gets one sweep results folder per sweep (resumable),
        ``metrics.csv`` (every run with its condition), ``conditions.csv``,
        ``comparisons.csv``, ``attribution.csv``, ``summary.json`` (the
        verdicts and the run's settings), ``summary.txt`` and ``demo.png``.
    n_jobs : int
        Worker processes (-1: all cores).
    quick : bool
        Use :data:`QUICK` (a smoke run).
    budget_min : float, optional
        Minutes on ``n_jobs`` cores (:func:`config_for_budget`).
    progress : bool
        Progress lines and bars on stderr.
    config : DemoConfig, optional
        Overrides ``quick`` and ``budget_min``.
    in_process : bool, optional
        Passed to :func:`~cordsim.sweeps.engine.run_sweep`.
    mn_model : {"detailed", "reduced"}
        Motor neuron model (``DemoConfig.mn_model``; ignored when ``config``
        is given). ``"reduced"``: the screening mode; its sweeps are named
        ``tor1a-demo-<name>-reduced-...``, so give it an ``out`` of its own.

    Returns
    -------
    DemoResult
    """
    if config is None:
        if quick:
            config = QUICK
        elif budget_min is not None:
            import os

            cores = n_jobs if n_jobs > 0 else (os.cpu_count() or 1)
            config = config_for_budget(budget_min, cores)
        else:
            config = FULL
        if mn_model != "detailed":
            config = replace(config, name=f"{config.name}-{mn_model}", mn_model=mn_model)
    if config.mn_model not in MN_MODELS:
        raise ParameterError(
            "mn_model: " + unknown_name_message("motor neuron model", config.mn_model, MN_MODELS)
        )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    specs = demo_specs(config)
    if progress:
        print(
            f"demo ({config.name}): {len(config.seeds)} animals, {len(config.conditions)} "
            f"conditions, {config.n_simulations()} simulations",
            file=sys.stderr,
        )
    t0 = time.perf_counter()
    frames = []
    for key, spec in specs.items():
        if progress:
            print(f"demo: sweep {spec.name!r} -> {out / key}", file=sys.stderr)
        folder = run_sweep(spec, out / key, n_jobs=n_jobs, progress=progress, in_process=in_process)
        frame = load_sweep(folder)
        frame.attrs = {}
        prep = key.removeprefix("dose_").removeprefix("changes_")
        frames.append(frame.assign(preparation=prep))
    wall = time.perf_counter() - t0
    frame = label_conditions(pd.concat(frames, ignore_index=True))
    main = frame[~frame["condition"].str.contains(" x")]
    summary = summarize(main)
    text = format_summary(summary)
    n_failed = int((frame["status"] != "ok").sum()) if "status" in frame else 0
    header = (
        f"cordsim demo ({config.name}): {len(config.seeds)} animals (seeds "
        f"{config.seeds[0]}-{config.seeds[-1]}); {config.mn_model} motor neurons; "
        + ", ".join(
            f"{k}: {p.n_mn} MN, {p.n_iain} IaIN, {p.n_rc} RC per muscle"
            for k, p in config.preparations.items()
        )
        + f"; {len(frame)} simulations ({n_failed} failed); this run took {wall:.0f} s"
    )
    frame[_metric_columns(frame)].to_csv(out / "metrics.csv", index=False)
    for name, table in summary.items():
        table.to_csv(out / f"{name}.csv", index=False)
    if config.dose_scales or config.change_dose_scales:
        dose = dose_table(frame)
        dose.to_csv(out / "dose.csv", index=False)
        text += "\n\n" + _dose_text(dose)
    (out / "summary.txt").write_text(header + "\n\n" + text + "\n")
    (out / "summary.json").write_text(
        json.dumps(
            {
                "config": config.name,
                "mn_model": config.mn_model,
                "seeds": list(config.seeds),
                "conditions": list(config.conditions),
                "simulations": len(frame),
                "failed": n_failed,
                "wall_time_s": round(wall, 1),
                "verdicts": _records(summary["attribution"][["sign", "change", "verdict"]]),
                "controls": _records(
                    summary["conditions"][
                        summary["conditions"]["condition"].isin((WILD_TYPE, *_CONTROLS))
                    ]
                ),
            },
            indent=1,
            allow_nan=False,
        )
    )
    figure = out / "demo.png"
    demo_figure(summary).savefig(figure, dpi=110, facecolor="white")
    return DemoResult(out, frame, summary, header + "\n\n" + text, figure, wall)


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN -> None, numpy scalars -> Python."""
    out = []
    for row in table.to_dict("records"):
        clean = {}
        for k, v in row.items():
            if isinstance(v, np.generic):
                v = v.item()
            if isinstance(v, float) and not math.isfinite(v):
                v = None
            clean[k] = v
        out.append(clean)
    return out


def dose_table(frame: pd.DataFrame, signs: Sequence[Sign] = SIGNS) -> pd.DataFrame:
    """Dose-responses: each strength's paired change against wild type.

    Parameters
    ----------
    frame : pandas.DataFrame
        The labelled demo frame (conditions ``"<name> x<strength>"`` from the
        dose sweeps, and the full-strength ones).
    signs : sequence of Sign
        Signs with a direction are tabulated.

    Returns
    -------
    pandas.DataFrame
        One row per (sign, subject, strength): ``subject`` is the full
        profile or a change (alone), ``strength`` 0-1, and the paired change
        against wild type over animals: ``delta, ci_low, ci_high, n``.
    """
    if "status" in frame:
        frame = frame[frame["status"] == "ok"]
    rows = []
    for sign in signs:
        if not sign.direction:
            continue
        sub = frame[frame["protocol"] == sign.protocol]
        if sign.metric not in sub:
            continue
        by_seed = {c: g.groupby("seed")[sign.metric].mean() for c, g in sub.groupby("condition")}
        if WILD_TYPE not in by_seed:
            continue
        for cond, values in by_seed.items():
            base, _, strength = cond.partition(" x")
            if base == DEMO_PROFILE:
                subject = DEMO_PROFILE
            elif base.endswith(ALONE_SUFFIX):
                subject = base[: -len(ALONE_SUFFIX)]
            else:
                continue
            pairs = pd.concat([values, by_seed[WILD_TYPE]], axis=1, join="inner").dropna()
            mean, lo, hi, n = mean_ci((pairs.iloc[:, 0] - pairs.iloc[:, 1]).to_numpy())
            rows.append(
                {
                    "sign": sign.label,
                    "unit": sign.unit,
                    "subject": subject,
                    "strength": float(strength) if strength else 1.0,
                    "delta": mean,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n": n,
                }
            )
    table = pd.DataFrame(
        rows, columns=["sign", "unit", "subject", "strength", "delta", "ci_low", "ci_high", "n"]
    )
    # keep only subjects that were dosed (more than the full strength)
    dosed = table.groupby(["sign", "subject"])["strength"].transform("nunique") > 1
    order = {sign.label: i for i, sign in enumerate(signs)}
    table = table[dosed].assign(_order=table["sign"].map(order))
    return (
        table.sort_values(["_order", "subject", "strength"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def _dose_text(dose: pd.DataFrame) -> str:
    """Dose-responses as text: paired change vs wild type [95 % CI] by strength."""
    lines = ["4. Dose-responses: paired change against wild type [95 % CI] by strength", ""]
    strengths = sorted(dose["strength"].unique())
    body = []
    for (sign, subject), g in dose.groupby(["sign", "subject"], sort=False):
        cells = {
            r["strength"]: f"{_fmt(r['delta'])} [{_fmt(r['ci_low'])}, {_fmt(r['ci_high'])}]"
            for _, r in g.iterrows()
        }
        body.append(
            [f"{sign} [{g['unit'].iloc[0]}]", subject, *(cells.get(x, "") for x in strengths)]
        )
    return "\n".join(
        lines + _table(["sign", "profile or change", *(f"x{x:g}" for x in strengths)], body)
    )
