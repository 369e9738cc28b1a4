"""Delayed-onset firing on long rheobase steps (the juvenile F/S classification).

Leroy et al. 2014 (eLife 3:e04046) and Sharples & Miles 2021 (eLife
10:e71385) classify juvenile mouse lumbar motor neurons by their discharge
on 5-s square steps at rheobase: "delayed" (F-type, the larger cells) start
firing late and accelerate; "immediate" (S-type) fire at the onset with a
steady or adapting rate. Leroy et al. searched that rheobase on a grid of
50 pA steps (100 pA above 0.9 nA); so does this protocol. The grid matters:
exactly at threshold any cell whose firing starts through a saddle-node
(every conductance-based model with a continuous F-I curve) fires after an
arbitrarily long delay, so the latency is only defined at a finite step
above threshold.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from cordsim.models.measurement.rig import ClampRig
from cordsim.models.measurement.settings import MeasureSettings

__all__ = ["onset_pattern"]

NAN = math.nan


def onset_pattern(cell: Any, s: MeasureSettings, *, rheobase_na: float) -> dict[str, float]:
    """First-spike latency and acceleration at the long-step rheobase.

    The long-step rheobase is the smallest multiple of ``onset_grid_na``
    (``onset_grid_large_na`` when the short-pulse ``rheobase_na`` exceeds
    ``onset_grid_switch_na``) whose square step of ``onset_step_ms`` (5 s)
    evokes a spike (Leroy et al. 2014: 50 / 100 pA steps, 0.9 nA); the step at
    that amplitude is then analysed.

    Returns
    -------
    dict
        ``onset_rheobase_na`` (nA), ``onset_latency_ms`` (first spike after the
        step onset, ms) and ``onset_acceleration`` (first ISI / last ISI of the
        step: > 1 accelerating, < 1 adapting; NaN with fewer than 3 spikes).
    """
    out = {"onset_rheobase_na": NAN, "onset_latency_ms": NAN, "onset_acceleration": NAN}
    if not rheobase_na > 0:
        return out
    grid = s.onset_grid_large_na if rheobase_na > s.onset_grid_switch_na else s.onset_grid_na
    rig = ClampRig(cell, s)

    def fires(k: int) -> bool:
        trace = rig.trial(k * grid, s.onset_step_ms, 0.0, stop_after_spikes=1)
        return bool(np.any((trace.spikes_ms >= 0) & (trace.spikes_ms <= s.onset_step_ms)))

    hi = max(1, math.ceil(rheobase_na / grid))
    for _ in range(s.max_bracket_steps):
        if fires(hi):
            break
        hi *= 2
    else:
        return out
    lo = 0  # 0 nA does not fire: the cell is at rest (measure_cell stops otherwise)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fires(mid):
            hi = mid
        else:
            lo = mid
    amp = hi * grid
    trace = rig.trial(amp, s.onset_step_ms, 0.0)
    spikes = trace.spikes_ms[(trace.spikes_ms >= 0) & (trace.spikes_ms <= s.onset_step_ms)]
    out["onset_rheobase_na"] = amp
    if spikes.size:
        out["onset_latency_ms"] = float(spikes[0])
    if spikes.size >= 3:
        isi = np.diff(spikes)
        out["onset_acceleration"] = float(isi[0] / isi[-1])
    return out
