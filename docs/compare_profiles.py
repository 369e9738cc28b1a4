"""Wild type against tor1a_spinal_drg on the default circuit: the README's table and figures.

Runs, with the same seeds for both profiles: rest (spontaneous activity), a
contraction of the flexor (co-activation), and dorsal root trains at 2, 5, 10
and 20 Hz (reflex amplitude and rate-dependent depression). Writes
``docs/wt_vs_tor1a.md`` (a Markdown table of metrics) and PNG figures in
``docs/figures/``. Run from the repository root:
``python docs/compare_profiles.py [--age adult] [--seeds 1 2]`` (~15 min per seed on one core).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402

from cordsim.analysis import metrics  # noqa: E402
from cordsim.analysis.plots import depression_curve_plot, emg_plot, raster_plot  # noqa: E402
from cordsim.analysis.reflex import depression_curve  # noqa: E402
from cordsim.models.circuit import circuit_spec  # noqa: E402
from cordsim.models.profiles import apply_profile  # noqa: E402
from cordsim.models.protocols import Reflex, make_protocol  # noqa: E402
from cordsim.models.simulation import simulate  # noqa: E402

PROFILES = ("wild_type", "tor1a_spinal_drg")
SHOWN = [
    ("spontaneous_rate_hz", "rest"),
    ("mn_recruited_fraction_flexor", "rest"),
    ("reflex_amplitude", "reflex"),
    ("reflex_latency_ms", "reflex"),
    ("reflex_depression_ratio", "reflex"),
    ("agonist_rate_hz", "contraction"),
    ("antagonist_rate_hz", "contraction"),
    ("coactivation_cci", "contraction"),
    ("coactivation_overlap", "contraction"),
]


def markdown_table(frame: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (no extra dependency)."""
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--age", default="adult", choices=["adult", "juvenile"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args()
    figures = args.out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    rows, reflex_results = [], []
    for profile in PROFILES:
        spec = apply_profile(circuit_spec(args.age), profile)
        for seed in args.seeds:
            for protocol in ("rest", "contraction"):
                result = simulate(spec, make_protocol(protocol), seed)
                rows.append(
                    {"profile": profile, "seed": seed, "protocol": protocol, **metrics(result)}
                )
                if protocol == "contraction" and seed == args.seeds[0]:
                    raster_plot(result).savefig(
                        figures / f"raster_contraction_{profile}.png", dpi=110
                    )
                    emg_plot(result).savefig(figures / f"emg_contraction_{profile}.png", dpi=110)
            for rate in (2.0, 5.0, 10.0, 20.0):
                n = 10 if rate == 10.0 else 5
                result = simulate(
                    spec, Reflex(rate_hz=rate, n_pulses=n, n_discard=min(3, n - 1)), seed
                )
                reflex_results.append((profile, result))
                if rate == 10.0:
                    rows.append(
                        {"profile": profile, "seed": seed, "protocol": "reflex", **metrics(result)}
                    )
            print(f"{profile} seed {seed} done", flush=True)
    frame = pd.DataFrame(rows)
    table = []
    for metric, protocol in SHOWN:
        sub = frame[frame["protocol"] == protocol].groupby("profile")[metric].mean()
        table.append(
            {
                "metric": metric,
                "protocol": protocol,
                **{p: round(float(sub.get(p, float("nan"))), 3) for p in PROFILES},
            }
        )
    table = pd.DataFrame(table)
    (args.out / "wt_vs_tor1a.md").write_text(markdown_table(table))
    curves = []
    for profile, result in reflex_results:
        curve = depression_curve([result])
        curve["profile"] = profile
        curves.append(curve)
    depression_curve_plot(pd.concat(curves), hue="profile").savefig(
        figures / "reflex_depression.png", dpi=110
    )
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
