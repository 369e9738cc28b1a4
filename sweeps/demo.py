"""``cordsim demo``: which Tor1a changes, alone and together, reproduce each sign of the phenotype?

The demo runs a built-in sweep of the circuit (:mod:`cordsim.sweeps.circuit_model`)
in parallel, writes its results folders (resumable: run the same command again
after an interruption), draws one figure and prints a summary table.

Conditions
----------
From wild type to the full spinal + DRG knockout profile ``tor1a_spinal_drg``
(:mod:`cordsim.models.profiles`) in steps, and each of its ten changes alone:

- ``wild type`` (``profile.tor1a_spinal_drg.only = "none"``),
- ``tor1a_spinal_drg x0.5`` (every change at half strength),
- ``tor1a_spinal_drg`` (every change at full strength),
- the controls ``tor1a_drg_only`` (the afferent and Ia-synapse changes together,
  ``only = "drg_only"``: the DRG-only knockout) and ``tor1a_spinal_only`` (the motor
  neuron and interneuron changes together, ``only = "spinal_only"``: its complement),
- ``<change> alone`` for each change (full strength, the others off).

Every condition runs the same replicate seeds, so each seed is the same
circuit (connectivity, noise) in every condition and differences are paired.

Signs of the phenotype and the metrics that read them
-----------------------------------------------------
(Pocratsky et al. 2023, abstract; see :mod:`cordsim.models.profiles`)

=====================================  ===========  ===========================  =========
sign                                   protocol     metric                       direction
=====================================  ===========  ===========================  =========
spontaneous activity at rest           rest         ``spontaneous_rate_hz`` (Hz) up
impaired monosynaptic reflex           reflex       ``reflex_amplitude`` (spikes) down
(rate-dependent depression, reported)  reflex       ``reflex_depression_ratio``   (none)
excessive co-activation (movement)     contraction  ``coactivation_cci`` (%)      up
(antagonist activity, supporting)      contraction  ``antagonist_rate_hz`` (Hz)   up
=====================================  ===========  ===========================  =========

For each condition and metric the summary gives the mean over seeds, the
paired change against wild type (mean and standard error over seeds) and a
verdict: ``yes`` (in the phenotype's direction, by more than twice its
standard error), ``weak`` (in that direction, within the noise or with one
seed), ``no`` (no change or the other way) or ``n/a`` (undefined).

Sizes and durations, and why
----------------------------
A default circuit (20 motor neurons, 20 Ia fibres, 10 IaINs and 10 Renshaw
cells per muscle; ~7800 compartments, 80 % in the motor neurons) simulates
about 1 s of biological time per 30-60 s of wall time on one core here. 13
conditions x 3 protocols x 3 seeds at that size and the default protocol
lengths would take over two hours on 2 cores. The demo therefore uses
(:data:`FULL`):

- 8 motor neurons, 4 IaINs and 4 Renshaw cells per muscle (40 % of the
  default's compartments); the 20 Ia fibres per muscle are kept (artificial
  cells, nearly free). Every connection whose source population shrank has
  its ``weight_scale`` multiplied by (default count / demo count), here 2.5,
  so each target cell receives on average the same total synaptic
  conductance as in the default circuit (fewer, stronger contacts);
- short protocols: rest 600 ms (400 ms analysed after 200 ms settling); a
  reflex train of 5 volleys at 10 Hz from 250 ms (depression ratio: volleys
  3-5 against the first); a contraction after a 250 ms baseline (spontaneous
  rate in 100-250 ms), 250 ms ramp up, 150 ms hold, 150 ms ramp down. 2.2 s
  of biological time per condition and seed;
- 3 seeds: 135 simulations (14 conditions x 3 protocols x 3 seeds, and 9 at half
  strength). Measured: 158 s wall on 2 idle cores (2026-12-04; 117 simulations
  without the two controls took 122 s with CoreNEURON and the cheaper mechanisms
  of issue 14, 315 s before them).

``--quick`` (:data:`QUICK`): 3 motor neurons, 1 IaIN and 1 Renshaw cell per
muscle, shorter protocols, 1 seed (39 simulations; measured 3.7 min on the
same shared 2 cores, 430 s of worker time, so about 1.5-2 min on idle ones):
a check that everything runs, not a result (with one seed every verdict is
at most ``weak``).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cordsim.models.circuit import MUSCLES, circuit_spec
from cordsim.models.profiles import get_profile
from cordsim.sweeps.engine import run_sweep
from cordsim.sweeps.results import load_sweep
from cordsim.sweeps.spec import ParameterSpec, load_spec

__all__ = [
    "DEMO_PROFILE",
    "FULL",
    "QUICK",
    "SIGNS",
    "DemoConfig",
    "DemoResult",
    "Sign",
    "circuit_size_values",
    "demo_figure",
    "demo_specs",
    "format_summary",
    "label_conditions",
    "run_demo",
    "summarize",
]

#: ``profile.<P>.only`` groups -> the condition (and profile) they stand for.
GROUP_CONDITIONS = {"drg_only": "tor1a_drg_only", "spinal_only": "tor1a_spinal_only"}

#: The profile whose changes the demo takes apart.
DEMO_PROFILE = "tor1a_spinal_drg"

WILD_TYPE = "wild type"
_ONLY = f"profile.{DEMO_PROFILE}.only"
_SCALE = f"profile.{DEMO_PROFILE}.scale"


@dataclass(frozen=True)
class Sign:
    """One sign of the phenotype and the metric that reads it.

    Attributes
    ----------
    label : str
        What the sign is (e.g. ``"spontaneous activity at rest"``).
    protocol : str
        Protocol whose runs give the metric.
    metric : str
        Metric column (see :data:`cordsim.analysis.METRIC_KEYS`).
    unit : str
        Unit of the metric.
    direction : int
        +1: the phenotype raises it; -1: lowers it; 0: no direction known
        (reported, no verdict).
    """

    label: str
    protocol: str
    metric: str
    unit: str
    direction: int


#: The signs, in table order.
SIGNS = (
    Sign("spontaneous activity at rest", "rest", "spontaneous_rate_hz", "Hz", +1),
    Sign("impaired monosynaptic reflex", "reflex", "reflex_amplitude", "spikes", -1),
    Sign("reflex depression (10 Hz)", "reflex", "reflex_depression_ratio", "1", 0),
    Sign("co-activation during contraction", "contraction", "coactivation_cci", "%", +1),
    Sign("antagonist activity during contraction", "contraction", "antagonist_rate_hz", "Hz", +1),
)


@dataclass(frozen=True)
class DemoConfig:
    """Circuit size, protocol durations and seeds of one demo variant.

    Attributes
    ----------
    name : str
        Used in the sweep names (``tor1a-demo-<name>``).
    n_mn, n_iain, n_rc : int
        Motor neurons, Ia interneurons and Renshaw cells per muscle.
    seeds : tuple of int
        Replicate seeds (each a different circuit and noise).
    protocol : dict
        ``protocol.<name>.<param>`` values (ms, counts).
    dose_scales : tuple of float
        Profile strengths (0-1) run besides 0 (wild type) and 1 (full).
    only : tuple of str, optional
        Values of ``profile.tor1a_spinal_drg.only`` to run at full strength
        (``"none"``: wild type, ``"all"``: the knockout, or change names);
        default those of ``sweeps/examples/demo.toml`` (all twelve).
    """

    name: str
    n_mn: int
    n_iain: int
    n_rc: int
    seeds: tuple[int, ...]
    protocol: Mapping[str, float | int]
    dose_scales: tuple[float, ...] = (0.5,)
    only: tuple[str, ...] | None = None


FULL = DemoConfig(
    name="full",
    n_mn=8,
    n_iain=4,
    n_rc=4,
    seeds=(1, 2, 3),
    protocol={
        "protocol.rest.tstop_ms": 600.0,
        "protocol.reflex.n_pulses": 5,
        "protocol.reflex.n_discard": 2,
        "protocol.reflex.start_ms": 250.0,
        "protocol.reflex.tail_ms": 40.0,
        "protocol.contraction.baseline_ms": 250.0,
        "protocol.contraction.ramp_up_ms": 250.0,
        "protocol.contraction.hold_ms": 150.0,
        "protocol.contraction.ramp_down_ms": 150.0,
    },
)
"""The default demo (see the module docstring); it matches ``sweeps/examples/demo.toml``."""

QUICK = DemoConfig(
    name="quick",
    n_mn=3,
    n_iain=1,
    n_rc=1,
    seeds=(1,),
    protocol={
        "protocol.rest.tstop_ms": 500.0,
        "protocol.reflex.n_pulses": 4,
        "protocol.reflex.n_discard": 2,
        "protocol.reflex.start_ms": 200.0,
        "protocol.reflex.tail_ms": 40.0,
        "protocol.contraction.baseline_ms": 250.0,
        "protocol.contraction.ramp_up_ms": 200.0,
        "protocol.contraction.hold_ms": 100.0,
        "protocol.contraction.ramp_down_ms": 150.0,
    },
)
"""``cordsim demo --quick``: a tiny circuit and one seed (a smoke run, not a result)."""


def _source_size(spec: Any, role: str, muscle: str) -> int:
    """Cells of the population of ``role`` in ``muscle``'s circuit (0 if none)."""
    name = spec.population_of(role, muscle)
    return 0 if name is None else spec.populations[name].n_cells


def circuit_size_values(n_mn: int, n_iain: int, n_rc: int) -> dict[str, Any]:
    """Dotted values that shrink the default circuit and keep each cell's synaptic input.

    Parameters
    ----------
    n_mn, n_iain, n_rc : int
        Motor neurons, Ia interneurons and Renshaw cells per muscle.

    Returns
    -------
    dict
        ``pools.<m>.n_cells``, ``interneurons.<m>.n_iain`` and ``.n_rc`` for both
        muscles, and ``connections.<rule>.weight_scale`` = (default source
        count / new source count) for every rule whose source population
        changes size (dimensionless; connection probabilities are unchanged,
        so the expected summed conductance onto each target stays the same).
    """
    default = circuit_spec()
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


def _demo_toml() -> Path:
    return Path(__file__).parent / "examples" / "demo.toml"


def demo_specs(config: DemoConfig = FULL) -> dict[str, Any]:
    """The demo's sweeps: ``{"conditions": SweepSpec, "dose": SweepSpec}``.

    ``conditions`` is ``sweeps/examples/demo.toml`` (wild type, the full
    profile and each change alone, all at ``profile.<P>.scale = 1`` with
    ``profile.<P>.only`` as the grid axis) with the circuit size, protocol
    values and seeds of ``config``; ``dose`` (absent when
    ``config.dose_scales`` is empty) is the same with every change at each of
    ``config.dose_scales``.
    """
    spec = load_spec(_demo_toml(), validate=False)
    fixed = {**circuit_size_values(config.n_mn, config.n_iain, config.n_rc), **config.protocol}
    params = {p.name: p for p in spec.parameters}
    for name, value in fixed.items():
        params[name] = ParameterSpec(name=name, values=(value,))
    if config.only is not None:
        params[_ONLY] = ParameterSpec(name=_ONLY, values=tuple(config.only))
    conditions = spec.replace(
        name=f"tor1a-demo-{config.name}",
        parameters=tuple(params.values()),
        seeds=tuple(config.seeds),
        replicates=None,
        output=None,
    )
    specs = {"conditions": conditions}
    if config.dose_scales:
        params[_ONLY] = ParameterSpec(name=_ONLY, values=("all",))
        params[_SCALE] = ParameterSpec(name=_SCALE, values=tuple(config.dose_scales))
        specs["dose"] = conditions.replace(
            name=f"tor1a-demo-{config.name}-dose", parameters=tuple(params.values())
        )
    return specs


# ----------------------------------------------------------------------------
# Conditions and summary (pure pandas: no NEURON)
# ----------------------------------------------------------------------------


def _condition(only: str, scale: float) -> str:
    if only == "none" or scale == 0.0:
        return WILD_TYPE
    if only == "all":
        return DEMO_PROFILE if scale == 1.0 else f"{DEMO_PROFILE} x{scale:g}"
    if only in GROUP_CONDITIONS:
        name = GROUP_CONDITIONS[only]
        return name if scale == 1.0 else f"{name} x{scale:g}"
    return f"{only} alone" if scale == 1.0 else f"{only} alone x{scale:g}"


def label_conditions(frame: pd.DataFrame) -> pd.DataFrame:
    """Add a ``condition`` column from the profile columns of a sweep frame.

    ``profile.<P>.only`` (default ``"all"``) and ``profile.<P>.scale``
    (default 1) give ``"wild type"``, ``"tor1a_spinal_drg"``,
    ``"tor1a_spinal_drg x0.5"``, the controls ``"tor1a_drg_only"`` and
    ``"tor1a_spinal_only"`` (its DRG or its spinal changes together) or
    ``"<change> alone"``.
    """
    only = frame[_ONLY] if _ONLY in frame else pd.Series("all", index=frame.index)
    scale = frame[_SCALE] if _SCALE in frame else pd.Series(1.0, index=frame.index)
    out = frame.copy()
    out["condition"] = [_condition(str(o), float(s)) for o, s in zip(only, scale, strict=True)]
    return out


def condition_order(conditions: Sequence[str]) -> list[str]:
    """Wild type, the profile by increasing strength, then the changes in profile order."""
    present = list(dict.fromkeys(conditions))
    changes = get_profile(DEMO_PROFILE).change_names()

    def key(c: str) -> tuple:
        if c == WILD_TYPE:
            return (0, 0.0, "")
        if c.startswith(DEMO_PROFILE):
            scale = float(c.split(" x")[1]) if " x" in c else 1.0
            return (1, scale, "")
        if c.split(" ")[0] in GROUP_CONDITIONS.values():
            return (1.5, 0.0, c)
        name = c.split(" ")[0]
        return (2, float(changes.index(name)) if name in changes else 99.0, c)

    return sorted(present, key=key)


def _verdict(direction: int, delta: float, se: float, n: int) -> str:
    if not math.isfinite(delta):
        return "n/a"
    if direction == 0:
        return "-"
    moved = direction * delta
    if moved <= 0.0:
        return "no"
    if n >= 2 and math.isfinite(se) and moved > 2.0 * se:
        return "yes"
    return "weak"


def summarize(
    frame: pd.DataFrame,
    signs: Sequence[Sign] = SIGNS,
    reference: str = WILD_TYPE,
) -> pd.DataFrame:
    """Per condition and sign: mean, paired change against ``reference``, verdict.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per (condition, protocol, seed) with ``condition``,
        ``protocol``, ``seed``, the metric columns of ``signs`` and optionally
        ``status`` (rows not ``"ok"`` are dropped). A metric column that is
        missing counts as undefined (NaN).
    signs : sequence of Sign
    reference : str
        The condition the changes are measured against.

    Returns
    -------
    pandas.DataFrame
        One row per (condition, sign), conditions in :func:`condition_order`:
        ``condition, sign, metric, unit, direction, mean, sd, n, delta,
        delta_se, n_pairs, rel_change, verdict``. ``delta`` is the mean over
        seeds of (condition - reference) for the same seed, ``delta_se`` its
        standard error (NaN with one pair), ``rel_change`` = delta / |reference
        mean| (NaN when the reference mean is 0).
    """
    if "status" in frame:
        frame = frame[frame["status"] == "ok"]
    rows = []
    conditions = condition_order(frame["condition"].unique())
    if reference not in conditions:
        raise ValueError(f"no {reference!r} rows to compare with (conditions: {conditions})")
    for sign in signs:
        sub = frame[frame["protocol"] == sign.protocol]
        if sign.metric not in sub:  # e.g. every point of that protocol failed
            sub = sub.assign(**{sign.metric: np.nan})
        values = sub[["condition", "seed", sign.metric]].dropna()
        ref = values[values["condition"] == reference].groupby("seed")[sign.metric].mean()
        ref_mean = float(ref.mean()) if len(ref) else float("nan")
        for cond in conditions:
            v = values[values["condition"] == cond].groupby("seed")[sign.metric].mean()
            pairs = pd.concat([v, ref], axis=1, keys=["c", "r"], join="inner")
            d = (pairs["c"] - pairs["r"]).to_numpy(dtype=float)
            delta = float(d.mean()) if d.size else float("nan")
            se = float(d.std(ddof=1) / math.sqrt(d.size)) if d.size > 1 else float("nan")
            rel = delta / abs(ref_mean) if ref_mean and math.isfinite(ref_mean) else float("nan")
            rows.append(
                {
                    "condition": cond,
                    "sign": sign.label,
                    "metric": sign.metric,
                    "unit": sign.unit,
                    "direction": sign.direction,
                    "mean": float(v.mean()) if len(v) else float("nan"),
                    "sd": float(v.std(ddof=1)) if len(v) > 1 else float("nan"),
                    "n": int(len(v)),
                    "delta": delta,
                    "delta_se": se,
                    "n_pairs": int(d.size),
                    "rel_change": rel,
                    "verdict": "-"
                    if cond == reference
                    else _verdict(sign.direction, delta, se, int(d.size)),
                }
            )
    return pd.DataFrame(rows)


def _arrow(direction: int) -> str:
    return {1: "up", -1: "down"}.get(direction, "")


def _fmt(x: float, digits: int = 3) -> str:
    return "nan" if not math.isfinite(x) else f"{x:.{digits}g}"


def format_summary(summary: pd.DataFrame, reference: str = WILD_TYPE) -> str:
    """The summary as plain text: one column per sign, one row per condition, and answers.

    Each cell reads ``mean (delta +/- se) verdict``; the ``reference`` row
    holds the means only. Below the table, for each sign with a direction:
    the conditions that reproduce it (verdict ``yes``) and those that move
    the right way within the noise (``weak``).
    """
    signs = list(dict.fromkeys(summary["sign"]))
    conditions = list(dict.fromkeys(summary["condition"]))
    cells: dict[tuple[str, str], str] = {}
    for _, r in summary.iterrows():
        text = _fmt(r["mean"])
        if r["condition"] != reference:
            if math.isfinite(r["delta"]):
                se = f" +/- {_fmt(r['delta_se'], 2)}" if math.isfinite(r["delta_se"]) else ""
                text += f" ({r['delta']:+.3g}{se})"
            if r["direction"]:
                text += f" {r['verdict']}"
        cells[(r["condition"], r["sign"])] = text
    meta = summary.drop_duplicates("sign").set_index("sign")
    headers = ["condition"] + [
        f"{meta.loc[s, 'metric']} [{meta.loc[s, 'unit']}]"
        + (f" {_arrow(int(meta.loc[s, 'direction']))}" if meta.loc[s, "direction"] else "")
        for s in signs
    ]
    table = [[c] + [cells.get((c, s), "") for s in signs] for c in conditions]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in table]
    lines.append("")
    lines.append(
        f"cells: mean over seeds (paired change vs {reference} +/- SE) verdict; "
        "yes = phenotype's direction by > 2 SE, weak = that direction within noise"
    )
    for s in signs:
        direction = int(meta.loc[s, "direction"])
        if not direction:
            continue
        sub = summary[(summary["sign"] == s)]
        yes = sub.loc[sub["verdict"] == "yes", "condition"].tolist()
        weak = sub.loc[sub["verdict"] == "weak", "condition"].tolist()
        lines.append(
            f"{s} ({meta.loc[s, 'metric']} {_arrow(direction)}): "
            f"reproduced by {', '.join(yes) or 'none'}"
            + (f"; weakly by {', '.join(weak)}" if weak else "")
        )
    return "\n".join(lines)


# ----------------------------------------------------------------------------
# Figure
# ----------------------------------------------------------------------------

_VERDICT_COLOURS = {"yes": "tab:red", "weak": "tab:orange", "no": "tab:gray", "-": "k"}


def demo_figure(frame: pd.DataFrame, summary: pd.DataFrame, signs: Sequence[Sign] = SIGNS):
    """One panel per sign: each condition's mean (bar) and its seeds (points).

    Bars are coloured by verdict (red: reproduces the sign, orange: weakly,
    grey: no; black: wild type and undirected metrics); the dashed line is
    the wild-type mean.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    conditions = list(dict.fromkeys(summary["condition"]))
    y = np.arange(len(conditions))[::-1]
    fig = Figure(figsize=(3.2 * len(signs) + 2.0, 0.32 * len(conditions) + 1.6))
    axes = fig.subplots(1, len(signs), sharey=True)
    for ax, sign in zip(np.atleast_1d(axes), signs, strict=True):
        sub = summary[summary["sign"] == sign.label].set_index("condition")
        colours = [
            _VERDICT_COLOURS.get(str(sub.loc[c, "verdict"]), "tab:gray")
            if sign.direction
            else "0.4"
            for c in conditions
        ]
        means = [float(sub.loc[c, "mean"]) for c in conditions]
        ax.barh(y, np.nan_to_num(means), color=colours, alpha=0.45, height=0.7)
        rows = frame[(frame["protocol"] == sign.protocol) & frame["condition"].isin(conditions)]
        for yi, c in zip(y, conditions, strict=True):
            vals = rows.loc[rows["condition"] == c, sign.metric].to_numpy(dtype=float)
            if vals.size:
                jitter = np.linspace(-0.15, 0.15, vals.size) if vals.size > 1 else np.zeros(1)
                ax.plot(vals, yi + jitter, "o", color="k", ms=3)
        ref = float(sub.loc[conditions[0], "mean"])
        if math.isfinite(ref):
            ax.axvline(ref, color="k", lw=0.8, ls="--")
        arrow = {1: " (up)", -1: " (down)"}.get(sign.direction, "")
        ax.set_title(f"{sign.label}{arrow}", fontsize=9)
        ax.set_xlabel(f"{sign.metric} ({sign.unit})", fontsize=8)
        ax.tick_params(labelsize=8)
    first = np.atleast_1d(axes)[0]
    first.set_yticks(y, conditions)
    fig.suptitle(
        "Which Tor1a changes reproduce each sign? (bars: mean, points: seeds; red: yes, "
        "orange: weak, grey: no)",
        fontsize=10,
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
        Every point of both sweeps, with a ``condition`` column.
    summary : pandas.DataFrame
        :func:`summarize` of ``frame``.
    text : str
        :func:`format_summary` of ``summary``.
    figure : pathlib.Path
        The PNG.
    wall_time_s : float
        Wall time of the run (s).
    """

    folder: Path
    frame: pd.DataFrame
    summary: pd.DataFrame
    text: str
    figure: Path
    wall_time_s: float


def run_demo(
    out: str | Path,
    *,
    n_jobs: int = -1,
    quick: bool = False,
    progress: bool = True,
    config: DemoConfig | None = None,
    in_process: bool | None = None,
) -> DemoResult:
    """Run the demo's sweeps into ``out`` and write its figure and summary.

    Parameters
    ----------
    out : path
        Output folder; gets ``conditions/`` and ``dose/`` (sweep results
        folders, resumable), ``summary.csv``, ``summary.txt``,
        ``metrics.csv`` (every point with its condition) and ``demo.png``.
    n_jobs : int
        Worker processes (-1: all cores).
    quick : bool
        Use :data:`QUICK` (tiny circuit, one seed) instead of :data:`FULL`.
    progress : bool
        Progress bars on stderr.
    config : DemoConfig, optional
        Overrides ``quick``.
    in_process : bool, optional
        Passed to :func:`~cordsim.sweeps.engine.run_sweep` (``cordsim demo``
        always runs points in worker processes).

    Returns
    -------
    DemoResult
    """
    config = config or (QUICK if quick else FULL)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    frames = []
    for key, spec in demo_specs(config).items():
        if progress:
            print(f"demo: sweep {spec.name!r} -> {out / key}", file=sys.stderr)
        folder = run_sweep(spec, out / key, n_jobs=n_jobs, progress=progress, in_process=in_process)
        frames.append(load_sweep(folder))
    wall = time.perf_counter() - t0
    frame = label_conditions(pd.concat(frames, ignore_index=True))
    frame.attrs = {}
    summary = summarize(frame)
    text = format_summary(summary)
    keep = ["condition", "protocol", "seed", "status", "error", "wall_time_s"]
    keep += list(dict.fromkeys(s.metric for s in SIGNS))
    frame[[c for c in keep if c in frame]].to_csv(out / "metrics.csv", index=False)
    summary.to_csv(out / "summary.csv", index=False)
    header = (
        f"cordsim demo ({config.name}): {config.n_mn} MN, {config.n_iain} IaIN and "
        f"{config.n_rc} RC per muscle; seeds {list(config.seeds)}; "
        f"{len(frame)} simulations ({int((frame['status'] != 'ok').sum())} failed); "
        f"this run took {wall:.0f} s"
    )
    (out / "summary.txt").write_text(header + "\n\n" + text + "\n")
    figure = out / "demo.png"
    fig = demo_figure(frame, summary)
    fig.savefig(figure, dpi=110, facecolor="white")
    return DemoResult(out, frame, summary, header + "\n\n" + text, figure, wall)
