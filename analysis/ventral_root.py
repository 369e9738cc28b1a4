"""The ventral root potential a suction electrode would record from a run.

Isolated mouse spinal cords (P6-P12) are studied by stimulating a dorsal root
and recording the population discharge of the motor neurons from a ventral
root (VR) drawn into a suction electrode. This module turns the motor neuron
spike times of a :class:`~cordsim.models.result.SimulationResult` into such a
recording, one trace per root (one root per muscle), in microvolts:

1. each motor neuron spike at ``t`` reaches the electrode after the axon's
   conduction time, ``t + distance_mm / v_i`` (mm over m/s is ms);
2. there it adds one single-fibre action potential (the kernel below),
   scaled by the unit's size;
3. the roots' recording noise is added: Gaussian, band-limited by the same
   amplifier filter as the signal, drawn from a generator seeded by the
   result's seed, so the same result always gives the same trace, and the two
   roots get independent noise.

Conduction velocity
-------------------
Motor neuron ``i`` of a pool has the size factor ``s_i`` of
:func:`cordsim.analysis.emg.mu_sizes_for` (membrane area relative to the
smallest cell; all ones when the pool carries none). Its axon conducts at::

    v_i = cv_mean_m_s * s_i**k / mean_j(s_j**k),   k = cv_size_exponent

so the pool's mean velocity is ``cv_mean_m_s`` and larger cells have faster
axons. ``k = 0.5``: conduction velocity is proportional to the diameter of a
myelinated fibre (Hursh 1939, Am J Physiol 127:131; in developing cat motor
neurons CV and axon diameter grow together, Cullheim & Ulfhake 1979,
J Comp Neurol 188:679), and in :mod:`cordsim.models.pool` every diameter,
the axon's included, scales with the square root of the cell's area. The
velocities are a deterministic function of the size factors: no random draw.

Single-fibre kernel
-------------------
``"biphasic"`` (default): the first-order Hermite-Rodriguez function of
:func:`cordsim.analysis.emg.hermite_rodriguez_kernel`, sign-flipped so that
the first phase is positive::

    h(t) = -P * A * sqrt(2 e) * x * exp(-x**2),   x = (t - t_arrival) / sigma

(``P = polarity``): peaks ``+/- A`` at ``-/+ sigma / sqrt(2)``, zero crossing
at the arrival time, support ``|x| <= 3``. A suction electrode records a cut
root at its end, where a fibre's potential is biphasic rather than the
triphasic en-passant shape (assumed). ``"triphasic"``: the second derivative
of a Gaussian ("Mexican hat"), the shape of a propagating action potential
seen by an electrode in a volume conductor, proportional to the second
spatial derivative of the transmembrane potential (Lorente de No 1947, *A
study of nerve physiology*; Plonsey 1969, *Bioelectric phenomena*)::

    h(t) = P * A * (1 - x**2) * exp(-x**2 / 2)

with its main peak ``P * A`` at the arrival time, zero crossings at
``+/- sigma``, side peaks ``-0.446 P A`` at ``+/- sqrt(3) sigma`` and support
``|x| <= 4``. ``polarity = +1`` (default) draws the first (biphasic) or main
(triphasic) phase upwards, the convention the lab's scoring rules expect
(:mod:`cordsim.analysis.vr_scoring`: a positive phase above threshold, then
the trough); ``-1`` flips the trace. Sampling places each arrival on the
nearest sample (within half a sample, 0.05 ms at 10 kHz).

The amplitude of unit ``i`` is ``A_i = unit_amplitude_uv * s_i**m``,
``m = amplitude_size_exponent``: the extracellular potential of a myelinated
fibre grows about as the square of its diameter, i.e. linearly with the size
factor here (the same linear scaling as the MUAPs of
:mod:`cordsim.analysis.emg`).

Amplifier and noise
-------------------
Optional zero-phase Butterworth band-pass (``highpass_hz``, ``lowpass_hz``;
0 switches an edge off) applied to signal and noise alike; zero phase keeps
the arrival times. The noise is white Gaussian noise passed through that
filter and then scaled so that its RMS over the trace is exactly
``noise_rms_uv``. Its generator is ``numpy.random.default_rng`` of a
``SeedSequence`` made of the seed (``result.seed`` unless given), a fixed
stream key and the root's name.

Every default's source is in :class:`VentralRootParams` (``field_info()``);
values not measured in the sources are marked assumed or estimated.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import signal

from cordsim.analysis.emg import hermite_rodriguez_kernel, mu_sizes_for
from cordsim.errors import CordsimError, ParameterError, unknown_name_message
from cordsim.files import atomic_write_with
from cordsim.models.paramset import ParamSet, param

if TYPE_CHECKING:  # pragma: no cover
    from cordsim.models.result import SimulationResult

__all__ = [
    "KERNEL_SHAPES",
    "TIME_COLUMN",
    "VENTRAL_ROOT_FILE",
    "VentralRootFileError",
    "VentralRootParams",
    "conduction_velocities_m_s",
    "read_ventral_root",
    "root_columns",
    "root_column",
    "single_fibre_kernel",
    "ventral_root_trace",
    "write_ventral_root",
]

#: File name of the trace in a result folder (next to ``spikes.parquet``).
VENTRAL_ROOT_FILE = "ventral_root.parquet"

#: Time column of a ventral-root frame (ms).
TIME_COLUMN = "t_ms"

#: The single-fibre kernel shapes :class:`VentralRootParams` accepts.
KERNEL_SHAPES = ("monophasic", "biphasic", "triphasic")

#: Key of the frame's ``attrs`` (and of the Parquet metadata) holding the
#: model's parameters and seed.
ATTRS_KEY = "ventral_root"

_METADATA_KEY = b"cordsim.ventral_root"
_NOISE_STREAM = 0x5652  # "VR": keeps this noise apart from any other use of the seed
_TRIPHASIC_HALF_SUPPORT = 4.0


class VentralRootFileError(CordsimError, ValueError):
    """A ``ventral_root.parquet`` that cannot be read back (damaged or not a trace)."""


@dataclass(frozen=True)
class VentralRootParams(ParamSet):
    """How the ventral root recording is made (see the module docstring)."""

    distance_mm: float = param(
        5.0,
        "mm",
        low=0.1,
        high=200,
        source="assumed: lamina IX to the ventral-root exit (~0.5-1 mm in a P6-P12 lumbar cord) "
        "plus the few mm of root left between the cord and the suction electrode; not "
        "measured in the sources",
        doc="conduction distance from the motor nucleus to the suction electrode",
    )
    cv_mean_m_s: float = param(
        5.0,
        "m/s",
        low=0.1,
        high=120,
        source="estimated for P6-P12 at room temperature (not measured): fastest rat motor "
        "fibres conduct 1.4 m/s at P1 and 35 m/s at P30 in vivo (Vejsada et al. 1985, Int J "
        "Dev Neurosci 3:583), ~5-10 m/s at P6-P12 by interpolation, slower at 24-26 degC "
        "(adult mouse ventral root internodal conduction time 45 us at 26 degC, Rasminsky "
        "et al. 1978, Brain Res 143:71); matches the juvenile preset's afferent conduction "
        "(2 ms over ~10 mm)",
        doc="mean motor-axon conduction velocity of a pool",
    )
    cv_size_exponent: float = param(
        0.5,
        "1",
        low=0,
        high=3,
        source="CV proportional to myelinated fibre diameter (Hursh 1939; Cullheim & Ulfhake "
        "1979 in developing cat MNs) and axon diameter ~ sqrt(area factor) in "
        "cordsim.models.pool",
        doc="v_i proportional to mu_size_i ** exponent (0: every axon at the mean)",
    )
    kernel_shape: str = param(
        "monophasic",
        source="a suction electrode holds the cut end of the root, where spikes stop: the "
        "recording at a killed end is monophasic and follows the action potential's time "
        "course (Erlanger & Gasser's monophasic recording; textbook, from memory); "
        "'biphasic' (two electrodes on intact fibre) and 'triphasic' (en-passant volume "
        "conductor, Lorente de No 1947; Plonsey 1969) for other set-ups",
        doc="single-fibre action potential: 'monophasic', 'biphasic' or 'triphasic'",
    )
    polarity: int = param(
        1,
        "1",
        low=-1,
        high=1,
        source="display convention: +1 puts the first (main) phase upwards, as the lab's "
        "scoring rules expect (analysis/vr_scoring.py, Pocratsky et al. 2023 Signal script)",
        doc="+1: first/main phase positive; -1: flipped",
    )
    kernel_width_ms: float = param(
        0.5,
        "ms",
        low=0.01,
        high=10,
        source="assumed: unit spikes of immature root recordings at room temperature last "
        "~1-2 ms; 0.5 ms gives a monophasic spike of 1.2 ms half-width (a 0.25 ms sigma "
        "would make biphasic peaks 0.35 ms apart)",
        doc="Gaussian time scale sigma of the kernel",
    )
    unit_amplitude_uv: float = param(
        10.0,
        "uV",
        low=0,
        high=1e4,
        source="assumed: single units in suction-electrode root recordings are tens of uV; "
        "with the default sizes a synchronous volley of a 50-cell juvenile pool peaks near "
        "1 mV, the scale of ventral root reflexes (hundreds of uV to mV)",
        doc="peak of the first (biphasic) or main (triphasic) phase of a unit of size factor 1",
    )
    amplitude_size_exponent: float = param(
        1.0,
        "1",
        low=0,
        high=3,
        source="assumed: extracellular fibre potential ~ diameter**2, i.e. ~ area factor "
        "(the linear size scaling of the EMG MUAPs, analysis/emg.py)",
        doc="A_i proportional to mu_size_i ** exponent",
    )
    fs_hz: float = param(
        10000.0,
        "Hz",
        low=1000,
        high=200000,
        source="10 kHz: the usual digitisation rate of root recordings (and of analysis/emg.py)",
        doc="sampling rate",
    )
    noise_rms_uv: float = param(
        5.0,
        "uV",
        low=0,
        high=1e4,
        source="assumed: baseline noise of a well-sealed suction electrode, a few uV RMS",
        doc="RMS of the recording noise after the band-pass (0: no noise)",
    )
    highpass_hz: float = param(
        0.0,
        "Hz",
        low=0,
        high=10000,
        source="assumed: reflex root recordings are often DC-coupled; 0 = no high-pass",
        doc="band-pass low edge (Hz); 0 switches it off",
    )
    lowpass_hz: float = param(
        3000.0,
        "Hz",
        low=0,
        high=100000,
        source="assumed: a common amplifier low-pass for root recordings (3 kHz)",
        doc="band-pass high edge (Hz), below fs_hz / 2; 0 switches it off",
    )
    filter_order: int = param(
        2,
        "1",
        low=1,
        high=8,
        source="assumed: Butterworth order of each pass (forward and backward: zero phase)",
        doc="Butterworth order of each pass of the band-pass",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.polarity not in (-1, 1):
            raise ParameterError(
                f"parameter 'VentralRootParams.polarity' must be +1 or -1, got {self.polarity}"
            )
        if self.kernel_shape not in KERNEL_SHAPES:
            raise ParameterError(
                unknown_name_message(
                    "VentralRootParams.kernel_shape", self.kernel_shape, KERNEL_SHAPES
                )
            )
        nyquist = self.fs_hz / 2
        if self.lowpass_hz >= nyquist:
            raise ParameterError(
                f"parameter 'VentralRootParams.lowpass_hz' = {self.lowpass_hz} Hz must be below "
                f"fs_hz / 2 = {nyquist} Hz (0 switches it off)"
            )
        if self.highpass_hz >= nyquist or (0 < self.lowpass_hz <= self.highpass_hz):
            raise ParameterError(
                f"parameter 'VentralRootParams.highpass_hz' = {self.highpass_hz} Hz must be below "
                f"lowpass_hz ({self.lowpass_hz} Hz) and fs_hz / 2 ({nyquist} Hz)"
            )
        if self.kernel_width_ms < 1000.0 / self.fs_hz:
            raise ParameterError(
                f"parameter 'VentralRootParams.kernel_width_ms' = {self.kernel_width_ms} ms is "
                f"shorter than a sample ({1000.0 / self.fs_hz} ms at fs_hz = {self.fs_hz})"
            )

    @property
    def dt_ms(self) -> float:
        """Sampling step (ms)."""
        return 1000.0 / self.fs_hz


def single_fibre_kernel(params: VentralRootParams | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The sampled single-fibre action potential of unit amplitude.

    Returns
    -------
    t_ms : numpy.ndarray
        Sample times relative to the arrival time (ms); odd length, symmetric.
    kernel : numpy.ndarray
        With ``polarity = +1``: biphasic +1 then -1 (zero crossing at 0);
        triphasic main peak +1 at 0 (a.u.; scaled by each unit's amplitude
        in uV). ``polarity = -1`` flips the sign.
    """
    params = params or VentralRootParams()
    dt, sigma = params.dt_ms, params.kernel_width_ms
    if params.kernel_shape == "biphasic":
        t_ms, hr1 = hermite_rodriguez_kernel(dt, sigma)
        return t_ms, -params.polarity * hr1
    if params.kernel_shape == "monophasic":
        half = int(np.ceil(3.0 * sigma / dt))  # tails beyond 3 sigma < 1.2 % of the peak
        t_ms = dt * np.arange(-half, half + 1)
        return t_ms, params.polarity * np.exp(-((t_ms / sigma) ** 2) / 2.0)
    half = int(np.ceil(_TRIPHASIC_HALF_SUPPORT * sigma / dt))
    t_ms = dt * np.arange(-half, half + 1)
    x = t_ms / sigma
    return t_ms, params.polarity * (1.0 - x**2) * np.exp(-(x**2) / 2.0)


def conduction_velocities_m_s(
    sizes: np.ndarray, params: VentralRootParams | None = None
) -> np.ndarray:
    """Axon conduction velocity (m/s) of each unit of a pool from its size factor.

    ``v_i = cv_mean_m_s * s_i**k / mean(s**k)`` (module docstring): the pool's
    mean is ``cv_mean_m_s`` and velocity grows with size.
    """
    params = params or VentralRootParams()
    sizes = np.asarray(sizes, dtype=float)
    if sizes.size == 0:
        return np.empty(0)
    if np.any(sizes <= 0) or not np.all(np.isfinite(sizes)):
        raise ParameterError("motor-unit size factors must be finite and > 0")
    rel = sizes**params.cv_size_exponent
    return params.cv_mean_m_s * rel / rel.mean()


def root_column(root: str) -> str:
    """Column name of a root's trace: ``vr_<root>_uv``."""
    return f"vr_{root}_uv"


def root_columns(frame: pd.DataFrame) -> dict[str, str]:
    """``{root: column}`` of the trace columns (``vr_<root>_uv``) of a frame, in order."""
    return {
        str(c)[3:-3]: str(c)
        for c in frame.columns
        if str(c).startswith("vr_") and str(c).endswith("_uv") and len(str(c)) > 6
    }


def _roots(result: SimulationResult, muscle: str | None) -> dict[str, list[str]]:
    """``{root (muscle): [motor pool populations]}``, restricted to ``muscle``."""
    pools = [p for p in result.populations.values() if p.kind == "motor_pool"]
    if not pools:
        raise ParameterError("the result has no motor pool: no ventral root to record")
    if muscle is not None:
        chosen = [p for p in pools if muscle in (p.muscle, p.name)]
        if not chosen:
            valid = sorted({p.muscle for p in pools} | {p.name for p in pools})
            raise ParameterError(unknown_name_message("muscle or motor pool", muscle, valid))
        pools = chosen
    roots: dict[str, list[str]] = {}
    for p in pools:
        roots.setdefault(p.muscle, []).append(p.name)
    return roots


def _bandpass(x: np.ndarray, params: VentralRootParams) -> np.ndarray:
    low, high = params.highpass_hz, params.lowpass_hz
    if (low <= 0 and high <= 0) or x.size < 2:
        return x
    if low > 0 and high > 0:
        band: Any = (low, high)
        btype = "bandpass"
    elif high > 0:
        band, btype = high, "lowpass"
    else:
        band, btype = low, "highpass"
    sos = signal.butter(params.filter_order, band, btype=btype, fs=params.fs_hz, output="sos")
    padlen = min(x.size - 1, 3 * (2 * len(sos) + 1))
    return signal.sosfiltfilt(sos, x, padlen=padlen)


def _noise_rng(seed: int, root: str) -> np.random.Generator:
    entropy = [int(seed) % 2**64, _NOISE_STREAM, zlib.crc32(root.encode("utf-8"))]
    return np.random.default_rng(np.random.SeedSequence(entropy))


def ventral_root_trace(
    result: SimulationResult,
    params: VentralRootParams | None = None,
    *,
    muscle: str | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """The ventral root recording of a run: one trace (uV) per root.

    Parameters
    ----------
    result : SimulationResult
        A run with at least one motor pool (``kind == "motor_pool"``).
    params : VentralRootParams, optional
        Recording model; default :class:`VentralRootParams()`.
    muscle : str, optional
        Record only this root: a muscle (``"flexor"``) or a motor pool
        population name (``"mn_flexor"``). Default: every motor pool, one root
        per muscle (pools of the same muscle share its root).
    seed : int, optional
        Noise seed; default ``result.seed``.

    Returns
    -------
    pandas.DataFrame
        ``t_ms`` (float64, ms; ``0, 1000/fs_hz, ...`` up to ``tstop_ms``) and
        one float64 column ``vr_<muscle>_uv`` (uV) per root, in the order of
        ``result.populations``. ``frame.attrs["ventral_root"]`` holds the
        parameters (``params``), the noise ``seed``, the ``populations`` of
        each root and the conduction ``delay_ms`` range of each root.
    """
    params = params or VentralRootParams()
    seed = int(result.seed if seed is None else seed)
    if result.tstop_ms <= 0:
        raise ParameterError(f"the result's tstop_ms must be > 0, got {result.tstop_ms}")
    dt = params.dt_ms
    n = int(np.floor(result.tstop_ms / dt + 1e-9)) + 1
    t_ms = dt * np.arange(n)
    _, kernel = single_fibre_kernel(params)
    half = kernel.size // 2

    spikes = result.spikes
    columns: dict[str, np.ndarray] = {TIME_COLUMN: t_ms}
    info: dict[str, Any] = {"params": params.to_dict(), "seed": seed, "roots": {}}
    for root, pops in _roots(result, muscle).items():
        impulses = np.zeros(n + 2 * half)
        delays: list[np.ndarray] = []
        for name in pops:
            pop = result.populations[name]
            sizes = mu_sizes_for(result, name)
            delay_ms = params.distance_mm / conduction_velocities_m_s(sizes, params)
            amp = params.unit_amplitude_uv * sizes**params.amplitude_size_exponent
            delays.append(delay_ms)
            sub = spikes[spikes["population"] == name]
            if sub.empty:
                continue
            cell = pd.Index(pop.gids).get_indexer(sub["gid"].to_numpy(dtype=np.int64))
            keep = cell >= 0  # a spike of a gid the record does not list is not a unit of the pool
            cell = cell[keep]
            arrival = sub["time_ms"].to_numpy(dtype=float)[keep] + delay_ms[cell]
            idx = np.rint(arrival / dt).astype(np.int64) + half
            inside = (idx >= 0) & (idx < impulses.size)
            np.add.at(impulses, idx[inside], amp[cell[inside]])
        trace = np.convolve(impulses, kernel, mode="same")[half : half + n]
        trace = _bandpass(trace, params)
        if params.noise_rms_uv > 0:
            noise = _bandpass(_noise_rng(seed, root).standard_normal(n), params)
            rms = float(np.sqrt(np.mean(noise**2)))
            if rms > 0:
                trace = trace + noise * (params.noise_rms_uv / rms)
        columns[root_column(root)] = trace
        all_delays = np.concatenate(delays) if delays else np.empty(0)
        info["roots"][root] = {
            "populations": list(pops),
            "delay_ms": [float(all_delays.min()), float(all_delays.max())]
            if all_delays.size
            else [],
        }
    frame = pd.DataFrame(columns)
    frame.attrs[ATTRS_KEY] = info
    return frame


# --------------------------------------------------------------------------- files
def _file(folder: str | os.PathLike[str]) -> Path:
    path = Path(folder)
    return path if path.suffix == ".parquet" else path / VENTRAL_ROOT_FILE


def write_ventral_root(folder: str | os.PathLike[str], frame: pd.DataFrame) -> Path:
    """Store a trace of :func:`ventral_root_trace` as ``ventral_root.parquet`` in ``folder``.

    The voltages are stored as float32 (uV; ~7 significant digits), ``t_ms``
    as float64; ``frame.attrs["ventral_root"]`` goes into the file's metadata.
    The file is written atomically (:func:`cordsim.files.atomic_write_with`).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if TIME_COLUMN not in frame.columns or not root_columns(frame):
        raise ParameterError(
            f"not a ventral-root frame: needs {TIME_COLUMN!r} and vr_<root>_uv columns "
            f"(got {list(frame.columns)})"
        )
    arrays = {TIME_COLUMN: pa.array(frame[TIME_COLUMN].to_numpy(dtype=np.float64))}
    for column in root_columns(frame).values():
        arrays[column] = pa.array(frame[column].to_numpy(dtype=np.float32))
    table = pa.table(arrays)
    info = frame.attrs.get(ATTRS_KEY)
    if info is not None:
        table = table.replace_schema_metadata({_METADATA_KEY: json.dumps(info).encode("utf-8")})
    path = _file(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_with(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))
    return path


def read_ventral_root(folder: str | os.PathLike[str]) -> pd.DataFrame:
    """Read the ``ventral_root.parquet`` of a result folder (or that file itself).

    Returns
    -------
    pandas.DataFrame
        ``t_ms`` (float64) and the ``vr_<root>_uv`` columns (float32, uV),
        with ``attrs["ventral_root"]`` restored when the file has it.

    Raises
    ------
    FileNotFoundError
        The folder has no ``ventral_root.parquet``.
    VentralRootFileError
        The file is damaged, or is not a ventral-root trace.
    """
    import pyarrow.parquet as pq

    path = _file(folder)
    if not path.is_file():
        raise FileNotFoundError(2, "no ventral root trace (ventral_root.parquet)", str(path))
    try:
        table = pq.read_table(path)
        frame = table.to_pandas()
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a bad file
        raise VentralRootFileError(
            f"{path}: damaged ventral root file, cannot be read ({type(exc).__name__}: "
            f"{' '.join(str(exc).split())}); delete it and write it again"
        ) from None
    roots = root_columns(frame)
    if TIME_COLUMN not in frame.columns or not roots:
        raise VentralRootFileError(
            f"{path}: not a ventral root trace (needs {TIME_COLUMN!r} and vr_<root>_uv "
            f"columns, has {list(frame.columns)})"
        )
    t = frame[TIME_COLUMN].to_numpy()
    if t.size > 1 and not np.all(np.diff(t) > 0):
        raise VentralRootFileError(
            f"{path}: damaged ventral root file ({TIME_COLUMN} not increasing)"
        )
    metadata = table.schema.metadata or {}
    if _METADATA_KEY in metadata:
        try:
            frame.attrs[ATTRS_KEY] = json.loads(metadata[_METADATA_KEY].decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise VentralRootFileError(f"{path}: damaged ventral root metadata") from None
    return frame
