"""Delayed-onset firing on long rheobase steps (the juvenile F/S classification).

Leroy et al. 2014 (eLife 3:e04046) and Sharples & Miles 2021 (eLife
10:e71385) classify juvenile mouse lumbar motor neurons by their discharge
on 5-s square steps at rheobase: "delayed" (F-type, the larger cells) start
firing late and accelerate; "immediate" (S-type) fire at the onset with a
steady or adapting rate. Sharples & Miles define that rheobase as the
smallest 5-s step giving at least 3 spikes; so does this protocol.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from cordsim.models.measurement.cell_protocols import _bracket_and_bisect
from cordsim.models.measurement.rig import ClampRig
from cordsim.models.measurement.settings import MeasureSettings

__all__ = ["onset_pattern"]

NAN = math.nan


def onset_pattern(cell: Any, s: MeasureSettings, *, rheobase_na: float) -> dict[str, float]:
    """First-spike latency and acceleration at the long-step rheobase.

    The long-step rheobase is the smallest square step of ``onset_step_ms``
    (5 s) that evokes at least ``onset_min_spikes`` (3) spikes, searched from
    the short-pulse ``rheobase_na`` down (bracketing and bisection to
    ``rheobase_rel_tol``); the step at that amplitude is then analysed.

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
    rig = ClampRig(cell, s)
    traces = {}

    def fires(amp: float) -> bool:
        trace = rig.trial(amp, s.onset_step_ms, 0.0, stop_after_spikes=s.onset_min_spikes)
        spikes = trace.spikes_ms[(trace.spikes_ms >= 0) & (trace.spikes_ms <= s.onset_step_ms)]
        traces[amp] = spikes
        return spikes.size >= s.onset_min_spikes

    amp = _bracket_and_bisect(fires, rheobase_na, s.rheobase_rel_tol, s.max_bracket_steps)
    if math.isnan(amp):
        return out
    trace = rig.trial(amp, s.onset_step_ms, 0.0)
    spikes = trace.spikes_ms[(trace.spikes_ms >= 0) & (trace.spikes_ms <= s.onset_step_ms)]
    out["onset_rheobase_na"] = amp
    if spikes.size:
        out["onset_latency_ms"] = float(spikes[0])
    if spikes.size >= 3:
        isi = np.diff(spikes)
        out["onset_acceleration"] = float(isi[0] / isi[-1])
    return out
