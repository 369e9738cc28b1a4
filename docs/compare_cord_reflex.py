"""Wild type, tor1a_spinal_drg and tor1a_drg_only on the isolated cord: the README's reflex figure.

Runs ``cord_reflex`` (dorsal-root trains at 0.1, 1, 5 and 10 Hz, 2 x T,
scored on the ventral root by the lab's rules) and ``rest`` (3 s: spontaneous
ventral-root bursts and per-cell rates) on the ``isolated_cord``
preparation for every profile with the same seeds (paired), one result
folder per run (``cordsim run`` layout, with ``ventral_root.parquet``), so an
interrupted run resumes. Then writes ``docs/cord_reflex.md`` (means with 95 %
t intervals over seeds, and each knockout against wild type: paired
differences with Holm-adjusted paired t-test p-values) and
``docs/figures/cord_reflex.png`` (the mean ventral-root response to the
rested volleys, and the depression curves).

Run from the repository root::

    python docs/compare_cord_reflex.py --seeds 10 --jobs 2 --runs /tmp/cord_runs

About 70 s per cord_reflex run on one core (13.6 s simulated) and 15 s per rest run;
30 of each.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402

from cordsim.analysis.cord_reflex import (  # noqa: E402
    FRAME_MS,
    rate_responses,
    volley_scores,
)
from cordsim.analysis.statistics import mean_ci, paired_differences  # noqa: E402
from cordsim.analysis.ventral_root import read_ventral_root, root_column  # noqa: E402

PROFILES = ("wild_type", "tor1a_spinal_drg", "tor1a_drg_only")
COLOURS = {"wild_type": "black", "tor1a_spinal_drg": "tab:red", "tor1a_drg_only": "tab:blue"}
SHOWN = (
    ("vr_onset_latency_ms", "VR onset latency at 0.1 Hz (ms)"),
    ("vr_peak_amplitude_uv", "VR peak amplitude at 0.1 Hz (uV)"),
    ("vr_area_uv_ms", "VR area at 0.1 Hz (uV ms)"),
    ("vr_duration_ms", "VR positive-phase duration at 0.1 Hz (ms)"),
    ("vr_peak_amplitude_depression_1hz", "VR amplitude at 1 Hz / 0.1 Hz"),
    ("vr_peak_amplitude_depression_5hz", "VR amplitude at 5 Hz / 0.1 Hz"),
    ("vr_peak_amplitude_depression_10hz", "VR amplitude at 10 Hz / 0.1 Hz"),
    ("vr_area_depression_10hz", "VR area at 10 Hz / 0.1 Hz"),
    ("reflex_amplitude", "MN spikes to the first volley (baseline subtracted)"),
    ("reflex_depression_ratio_10hz", "MN spikes at 10 Hz / 0.1 Hz"),
    ("mn_recruited_fraction_flexor", "flexor MNs firing during the run (fraction)"),
    ("mn_max_cell_rate_hz_flexor", "fastest flexor MN over the cord_reflex run (Hz)"),
    ("rest:spontaneous_rate_hz", "rest: mean MN rate, both pools (Hz)"),
    ("rest:spontaneous_recruited_fraction", "rest: MNs firing at all (fraction)"),
    ("rest:mn_max_cell_rate_hz_flexor", "rest: fastest flexor MN (Hz)"),
    ("rest:vr_burst_rate_hz", "rest: ventral-root bursts, both roots (per s)"),
)
REST_MS = 3200.0


def run_one(profile: str, seed: int, folder: Path, protocol: str = "cord_reflex") -> Path:
    """One run of ``protocol`` into ``folder`` (skipped when it is complete)."""
    if (folder / "metrics.json").exists() and (folder / "ventral_root.parquet").exists():
        return folder
    from cordsim.analysis import metrics
    from cordsim.analysis.ventral_root import ventral_root_trace, write_ventral_root
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.profiles import apply_profile
    from cordsim.models.protocols import make_protocol
    from cordsim.models.result_folder import write_result
    from cordsim.models.simulation import simulate

    spec = apply_profile(circuit_spec("isolated_cord"), profile)
    params = {"tstop_ms": REST_MS} if protocol == "rest" else {}
    result = simulate(spec, make_protocol(protocol, **params), seed)
    trace = ventral_root_trace(result)
    write_ventral_root(folder, trace)
    write_result(result, folder, metrics(result, ventral_root=trace), info={"profile": profile})
    return folder


def load(runs: Path, seeds: list[int]) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Metrics rows, per-rate VR responses, and the mean rested-volley trace per profile."""
    from cordsim.models.result_folder import load_result

    rows, rates, traces = [], [], {}
    for profile in PROFILES:
        traces[profile] = []
        for seed in seeds:
            folder = runs / f"{profile}_seed{seed}"
            row = json.loads((folder / "metrics.json").read_text())
            rest = json.loads((runs / f"{profile}_seed{seed}_rest" / "metrics.json").read_text())
            rest = {f"rest:{k}": v for k, v in rest.items()}
            rows.append({"profile": profile, "seed": seed, **row, **rest})
            result = load_result(folder, read_spec=False)
            trace = read_ventral_root(folder)
            scores = volley_scores(result, trace)
            table = rate_responses(scores[scores["root"] == "flexor"], result.protocol.n_discard)
            rates.append(table.assign(profile=profile, seed=seed))
            fs = 1000.0 / float(trace["t_ms"].iloc[1] - trace["t_ms"].iloc[0])
            values = trace[root_column("flexor")].to_numpy()
            rested = [
                t
                for t, k in zip(
                    result.protocol.stim_times_ms, result.protocol.stim_pulse_index, strict=True
                )
                if k == 0
            ]
            n = int(round((FRAME_MS[1] - FRAME_MS[0]) * fs / 1000.0))
            frames = [values[int(round((t + FRAME_MS[0]) * fs / 1000.0)) :][:n] for t in rested]
            traces[profile].append(np.mean(frames, axis=0))
    return pd.DataFrame(rows), pd.concat(rates, ignore_index=True), traces


def fmt(mean: float, low: float, high: float) -> str:
    """``mean [low, high]`` with 3 significant digits."""
    if not np.isfinite(mean):
        return "n/a"
    if not np.isfinite(low):
        return f"{mean:.3g}"
    return f"{mean:.3g} [{low:.3g}, {high:.3g}]"


def markdown(frame: pd.DataFrame, n_seeds: int) -> str:
    """The README table: means with 95 % CIs, and paired differences from wild type."""
    metrics = [m for m, _ in SHOWN]
    diffs = paired_differences(frame, metrics)
    head = ["metric", *PROFILES[:1], *(f"{p} (vs wild type)" for p in PROFILES[1:])]
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for metric, label in SHOWN:
        cells = [f"{label} `{metric}`"]
        for profile in PROFILES:
            values = frame.loc[frame["profile"] == profile, metric]
            mean, low, high, n = mean_ci(values)
            cell = fmt(mean, low, high) + (f" (n = {n})" if n < n_seeds else "")
            if profile != PROFILES[0]:
                d = diffs[(diffs["profile"] == profile) & (diffs["metric"] == metric)].iloc[0]
                cell += (
                    f"; diff {fmt(d['difference'], d['low'], d['high'])}, p_Holm {d['p_holm']:.2g}"
                    if np.isfinite(d["p_holm"])
                    else "; diff n/a"
                )
            cells.append(cell)
        lines.append("| " + " | ".join(cells) + " |")
    note = (
        f"\nMeans with 95 % t intervals over {n_seeds} seeds (connectivity and noise; the "
        "same seeds for every profile; n = the seeds where a measure is defined, e.g. a "
        "latency needs a response). diff: the knockout minus wild type, paired by seed, "
        f"with its 95 % interval; p_Holm: paired t-test, Holm-adjusted over all "
        f"{len(diffs)} comparisons of the table.\n"
    )
    return "\n".join(lines) + "\n" + note


def _rate_points(sub: pd.DataFrame, column: str, min_seeds: int) -> tuple[list, list, list]:
    """x, y and asymmetric 95 % CI half-widths of ``column`` by rate (>= min_seeds finite)."""
    xs, ys, errs = [], [], [[], []]
    for rate, group in sub.groupby("rate_hz"):
        m, lo, hi, n = mean_ci(group[column])
        if n < min_seeds:
            continue
        xs.append(rate)
        ys.append(m)
        errs[0].append(m - lo if np.isfinite(lo) else 0.0)
        errs[1].append(hi - m if np.isfinite(hi) else 0.0)
    return xs, ys, errs


def figure(rates: pd.DataFrame, traces: dict, path: Path, n_seeds: int) -> None:
    """Mean VR response to the rested volleys, amplitude by rate, and depression, per profile.

    The depression (amplitude relative to 0.1 Hz) is defined only for seeds whose
    rested volleys evoke a response; a profile's point is drawn where at least
    half of the seeds have one (their number is in the legend).
    """
    fig, (ax_trace, ax_amp, ax_curve) = plt.subplots(1, 3, figsize=(15, 4))
    for profile in PROFILES:
        colour = COLOURS[profile]
        stack = np.array(traces[profile])
        t = FRAME_MS[0] + np.arange(stack.shape[1]) * (FRAME_MS[1] - FRAME_MS[0]) / stack.shape[1]
        mean = stack.mean(axis=0)
        half = 1.96 * stack.std(axis=0, ddof=1) / np.sqrt(len(stack))
        ax_trace.plot(t, mean, color=colour, lw=1, label=profile)
        ax_trace.fill_between(t, mean - half, mean + half, color=colour, alpha=0.2)
        sub = rates[rates["profile"] == profile]
        xs, ys, errs = _rate_points(sub, "vr_peak_amplitude_uv", 2)
        ax_amp.errorbar(xs, ys, yerr=errs, color=colour, marker="o", capsize=3, label=profile)
        defined = sub[sub["rate_hz"] == sub["rate_hz"].min()]["vr_peak_amplitude_uv"].gt(0).sum()
        xs, ys, errs = _rate_points(sub, "vr_peak_amplitude_depression", (n_seeds + 1) // 2)
        label = f"{profile} ({defined} of {n_seeds} seeds respond at 0.1 Hz)"
        ax_curve.errorbar(xs, ys, yerr=errs, color=colour, marker="o", capsize=3, label=label)
    ax_trace.axvline(0.0, color="grey", lw=0.5)
    ax_trace.set_xlabel("time from the dorsal-root volley (ms)")
    ax_trace.set_ylabel("flexor ventral root (uV)")
    ax_trace.set_title("rested (0.1 Hz) volleys: mean, 95 % CI")
    ax_trace.legend(frameon=False, fontsize=8)
    for ax in (ax_amp, ax_curve):
        ax.set_xscale("log")
        ax.set_xlabel("stimulation rate (Hz)")
    ax_amp.set_ylabel("VR peak amplitude (uV; no response = 0)")
    ax_amp.set_title("amplitude by rate: mean, 95 % CI")
    ax_curve.axhline(1.0, color="grey", lw=0.5)
    ax_curve.set_ylabel("VR peak amplitude / at 0.1 Hz")
    ax_curve.set_title("rate-dependent depression: mean, 95 % CI")
    ax_curve.legend(frameon=False, fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110, facecolor="white")
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="seeds 1..N (default 10)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel runs (default 2)")
    parser.add_argument("--runs", type=Path, default=Path("cord_reflex_runs"))
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args()
    seeds = list(range(1, args.seeds + 1))
    jobs = [(p, s, args.runs / f"{p}_seed{s}") for s in seeds for p in PROFILES]
    jobs += [(p, s, args.runs / f"{p}_seed{s}_rest", "rest") for s in seeds for p in PROFILES]
    Parallel(n_jobs=args.jobs, verbose=5)(delayed(run_one)(*job) for job in jobs)
    frame, rates, traces = load(args.runs, seeds)
    (args.out / "figures").mkdir(parents=True, exist_ok=True)
    figure(rates, traces, args.out / "figures" / "cord_reflex.png", len(seeds))
    table = markdown(frame, len(seeds))
    (args.out / "cord_reflex.md").write_text(
        "# Isolated-cord reflex: wild type, tor1a_spinal_drg, tor1a_drg_only\n\n"
        "Written by `docs/compare_cord_reflex.py`.\n\n" + table
    )
    print(table)


if __name__ == "__main__":
    main()
