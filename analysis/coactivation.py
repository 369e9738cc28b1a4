"""Co-contraction (co-activation) indices of two EMG envelopes.

The inputs are linear envelopes (:func:`cordsim.analysis.emg.emg_envelope`)
of two antagonist pools, sampled on the same grid and already cut to the
analysis window. Three indices from the EMG literature (targets.md f):

``cocontraction_index`` (Falconer & Winter 1985, Electromyogr Clin
Neurophysiol 25:135): ``CI = 100 * 2 * low / (low + high)``, where low and
high are the integrated envelopes (areas) of the less and the more active
pool over the window. Amplitude-driven: it compares how much each pool fired,
not when. 100 = equal activity, 0 = one pool silent. It uses raw envelopes:
both pools are in the same units (a.u. of the synthetic EMG), so no
normalisation is needed.

``overlap_index`` (Winter's %COCON, *Biomechanics and Motor Control of Human
Movement*, eq. 6.13): each envelope is first divided by its own peak over a
reference window (default: its peak inside the analysis window), then
``%COCON = 2 * common / (area_a + area_b) * 100`` with ``common`` the area of
the sample-wise minimum of the two normalised envelopes. Peak normalisation
stands in for the MVC normalisation of human studies (a model pool has no
MVC); it makes the index a shape/timing measure, insensitive to the pools'
absolute sizes: two envelopes with the same time course give 100 however
different their amplitudes. 0 = never active together.

``rudolph_cci`` (Rudolph et al. 2000, Knee Surg Sports Traumatol Arthrosc
8:262): sample-wise ``(low / high) * (low + high)`` averaged over the window,
on the peak-normalised envelopes (as for the overlap); in units of the
normalised envelope (0-2).

Zero activity, one rule for all three: when exactly one pool is silent (zero
envelope over the window), the index is 0 (no co-contraction); when both are
silent it is NaN (0/0: co-contraction undefined without activity).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "envelope_area",
    "normalize_to_peak",
    "cocontraction_index",
    "overlap_index",
    "rudolph_cci",
]


def _pair(env_a: np.ndarray, env_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(env_a, dtype=float)
    b = np.asarray(env_b, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"envelopes must be 1-D of equal length, got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError("envelopes are empty (window outside the signal?)")
    if np.any(a < 0) or np.any(b < 0):
        raise ValueError("envelopes must be >= 0 (rectify and low-pass the EMG first)")
    return a, b


def envelope_area(env: np.ndarray, dt_ms: float = 1.0) -> float:
    """Integrated envelope, rectangle rule: ``sum(env) * dt_ms`` (a.u. * ms)."""
    return float(np.sum(np.asarray(env, dtype=float)) * dt_ms)


def normalize_to_peak(env: np.ndarray, peak: float | None = None) -> np.ndarray:
    """Envelope divided by ``peak`` (default: its own maximum); all zeros stay zeros.

    Parameters
    ----------
    env : numpy.ndarray
        Envelope (a.u.).
    peak : float, optional
        The reference peak (a.u.), e.g. the envelope's maximum over a longer
        reference window; default ``env.max()``.

    Returns
    -------
    numpy.ndarray
        Dimensionless envelope (1 at the reference peak).
    """
    env = np.asarray(env, dtype=float)
    ref = float(env.max()) if peak is None else float(peak)
    if ref < 0 or not np.isfinite(ref):
        raise ValueError(f"reference peak must be finite and >= 0, got {ref}")
    if ref == 0:
        if np.any(env > 0):
            raise ValueError("reference peak is 0 but the envelope is not")
        return np.zeros_like(env)
    return env / ref


def cocontraction_index(env_a: np.ndarray, env_b: np.ndarray) -> float:
    """Falconer & Winter (1985) co-contraction index on integrated envelopes (%).

    ``CI = 100 * 2 * low / (low + high)``, low/high = the smaller/larger area.
    The sampling step cancels. 0 when one envelope is zero, NaN when both are.
    """
    a, b = _pair(env_a, env_b)
    area_a, area_b = a.sum(), b.sum()
    total = area_a + area_b
    if total == 0:
        return float("nan")
    return float(100.0 * 2.0 * min(area_a, area_b) / total)


def overlap_index(
    env_a: np.ndarray,
    env_b: np.ndarray,
    peak_a: float | None = None,
    peak_b: float | None = None,
    normalize: bool = True,
) -> float:
    """Winter's %COCON overlap of two peak-normalised envelopes (%).

    Parameters
    ----------
    env_a, env_b : numpy.ndarray
        Envelopes (a.u.) over the analysis window.
    peak_a, peak_b : float, optional
        Reference peaks for the normalisation (e.g. each envelope's maximum
        over a longer reference window); default each envelope's own maximum
        in the window.
    normalize : bool
        Set False to apply the formula to the raw envelopes (then the index
        equals the sample-wise form of the Falconer & Winter CI).

    Returns
    -------
    float
        ``2 * sum(min(a, b)) / (sum(a) + sum(b)) * 100``; 100 for identical
        time courses, 0 when one is zero, NaN when both are.
    """
    a, b = _pair(env_a, env_b)
    if normalize:
        a, b = normalize_to_peak(a, peak_a), normalize_to_peak(b, peak_b)
    total = a.sum() + b.sum()
    if total == 0:
        return float("nan")
    return float(2.0 * np.minimum(a, b).sum() / total * 100.0)


def rudolph_cci(
    env_a: np.ndarray,
    env_b: np.ndarray,
    peak_a: float | None = None,
    peak_b: float | None = None,
    normalize: bool = True,
) -> float:
    """Rudolph et al. (2000) co-contraction index.

    Sample-wise ``(low / high) * (low + high)`` (0 where both are 0), averaged
    over the window, on envelopes normalised as in :func:`overlap_index`.
    0 when one envelope is zero, NaN when both are.
    """
    a, b = _pair(env_a, env_b)
    if normalize:
        a, b = normalize_to_peak(a, peak_a), normalize_to_peak(b, peak_b)
    if a.sum() + b.sum() == 0:
        return float("nan")
    low, high = np.minimum(a, b), np.maximum(a, b)
    ratio = np.divide(low, high, out=np.zeros_like(low), where=high > 0)
    return float(np.mean(ratio * (low + high)))
