"""Read recorded (or exported) ventral-root traces into frames in microvolts.

:func:`read_trace` returns a :class:`Recording`: ``frames_uv`` of shape
``(n_frames, n_samples)`` in µV, the sampling rate, the channel name and the
source path. A frame (sweep, episode, segment) starts at t = 0 ms, the
convention of :func:`cordsim.analysis.vr_scoring.score_response`; ``t0_ms`` is
the time of its first sample in the file's own clock.

Formats, by extension
---------------------
``.csv``
    A header row; one time column named ``t_ms`` or ``time_ms`` (ms) or
    ``t_s``/``time_s`` (s), case-insensitive; every other column is one frame.
    Values are µV unless the column name ends in ``_mv`` (mV) or ``_v`` (V)
    (``_uv`` also means µV). The sampling rate comes from the time column,
    which must be evenly spaced (to 0.1 % of the step); ``fs_hz``, if given,
    must agree. ``channel`` (a column name or 0-based index among the frame
    columns) keeps one column. ``t0_ms`` is the first time value.
``.npy``
    A 1-D (one frame) or 2-D ``(n_frames, n_samples)`` array in µV; needs
    ``fs_hz``; ``channel`` is not used.
``.abf`` (Axon), ``.smr`` (Spike2 <= v8) and ``.smrx`` (Spike2 v9+)
    Read through ``neo`` (``AxonIO``, ``Spike2IO``, ``CedIO``; ``.smrx``
    needs CED's ``sonpy`` as well). Each segment is a frame (an episodic ABF
    file without a synch array, which neo reads as one segment, is split into
    its ``lActualEpisodes`` episodes); ``channel`` is a
    channel name or a 0-based index over the channels of the first segment
    (default: the first channel). Quantities are rescaled to µV (a channel
    that is not a voltage is an error); ``fs_hz``, if given, must agree with
    the file's rate. Every frame must have the same rate and length.

Every problem (unknown extension, missing file, missing ``fs_hz``, no time
column, uneven or unequal sampling, ``neo`` not installed, unknown channel)
is a :class:`~cordsim.errors.ParameterError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cordsim.errors import ParameterError

#: CSV time-column names (lower case) -> factor to ms.
TIME_COLUMNS = {"t_ms": 1.0, "time_ms": 1.0, "t_s": 1000.0, "time_s": 1000.0}

#: Column-name suffix -> factor to µV.
UNIT_SUFFIXES = {"_uv": 1.0, "_mv": 1e3, "_v": 1e6}

#: Extension -> name of the neo IO class that reads it.
NEO_IOS = {".abf": "AxonIO", ".smr": "Spike2IO", ".smrx": "CedIO"}


@dataclass(frozen=True)
class Recording:
    """Frames of one channel, in µV.

    Attributes
    ----------
    frames_uv : numpy.ndarray, shape (n_frames, n_samples)
        The frames (µV); sample ``i`` of a frame at ``i / fs_hz * 1000`` ms.
    fs_hz : float
        Sampling rate (Hz).
    channel : str
        Channel name ("" when the format has none).
    source : pathlib.Path
        The file read.
    t0_ms : float
        Time of a frame's first sample in the file's clock (CSV; 0 otherwise).
    """

    frames_uv: np.ndarray
    fs_hz: float
    channel: str
    source: Path
    t0_ms: float = 0.0

    @property
    def n_frames(self) -> int:
        """Number of frames."""
        return int(self.frames_uv.shape[0])

    @property
    def duration_ms(self) -> float:
        """Length of one frame (ms): n_samples / fs."""
        return self.frames_uv.shape[1] * 1000.0 / self.fs_hz


def _check_fs(fs_hz: float | None) -> float | None:
    if fs_hz is None:
        return None
    try:
        fs = float(fs_hz)
    except (TypeError, ValueError):
        raise ParameterError(f"fs_hz={fs_hz!r}: give a sampling rate in Hz") from None
    if not math.isfinite(fs) or fs <= 0:
        raise ParameterError(f"fs_hz={fs_hz!r}: must be a positive sampling rate (Hz)")
    return fs


def _agree(path: Path, fs_file: float, fs_hz: float | None) -> None:
    if fs_hz is not None and not math.isclose(fs_file, fs_hz, rel_tol=1e-6):
        raise ParameterError(
            f"{path}: the file is sampled at {fs_file:g} Hz but fs_hz={fs_hz:g} was given"
        )


def read_trace(
    path: str | Path, *, fs_hz: float | None = None, channel: str | int | None = None
) -> Recording:
    """Read a trace file into a :class:`Recording` (frames in µV).

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv``, ``.npy``, ``.abf``, ``.smr`` or ``.smrx`` file (see the
        module docstring for each format's conventions).
    fs_hz : float, optional
        Sampling rate (Hz): required for ``.npy``, checked against the file
        otherwise.
    channel : str or int, optional
        Channel (neo formats) or column (CSV) by name or 0-based index.

    Returns
    -------
    Recording

    Raises
    ------
    ParameterError
        See the module docstring.
    """
    path = Path(path)
    fs = _check_fs(fs_hz)
    suffix = path.suffix.lower()
    readers = {".csv": _read_csv, ".npy": _read_npy, **dict.fromkeys(NEO_IOS, _read_neo)}
    if suffix not in readers:
        raise ParameterError(
            f"{path}: unknown trace format {suffix or '(no extension)'!r}; "
            f"expected one of {', '.join(sorted(readers))}"
        )
    if not path.is_file():
        raise ParameterError(f"{path}: no such file")
    return readers[suffix](path, fs, channel)


def _unit_factor(column: str) -> float:
    lower = column.lower()
    for suffix in ("_uv", "_mv", "_v"):  # _uv before _v
        if lower.endswith(suffix):
            return UNIT_SUFFIXES[suffix]
    return 1.0


def _read_csv(path: Path, fs_hz: float | None, channel: str | int | None) -> Recording:
    try:
        table = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path}: not a readable CSV ({exc})") from None
    names = {str(c).strip().lower(): c for c in table.columns}
    time_names = [n for n in TIME_COLUMNS if n in names]
    if not time_names:
        raise ParameterError(
            f"{path}: no time column; name one of {', '.join(TIME_COLUMNS)} in the header "
            f"(columns: {', '.join(map(str, table.columns))})"
        )
    time_col = names[time_names[0]]
    frames_cols = [c for c in table.columns if c != time_col]
    if not frames_cols:
        raise ParameterError(f"{path}: no data column besides the time column {time_col!r}")
    if channel is not None:
        if isinstance(channel, int) and not isinstance(channel, bool):
            if not 0 <= channel < len(frames_cols):
                raise ParameterError(
                    f"{path}: channel index {channel} out of range (0..{len(frames_cols) - 1})"
                )
            frames_cols = [frames_cols[channel]]
        elif str(channel) in map(str, frames_cols):
            frames_cols = [c for c in frames_cols if str(c) == str(channel)]
        else:
            raise ParameterError(
                f"{path}: no column {channel!r} (columns: {', '.join(map(str, frames_cols))})"
            )
    try:
        t_ms = table[time_col].to_numpy(dtype=float) * TIME_COLUMNS[time_names[0]]
        data = table[frames_cols].to_numpy(dtype=float)
    except ValueError as exc:
        raise ParameterError(f"{path}: non-numeric values ({exc})") from None
    if len(t_ms) < 2 or not np.isfinite(t_ms).all() or not np.isfinite(data).all():
        raise ParameterError(f"{path}: need at least 2 rows of finite numbers")
    steps = np.diff(t_ms)
    step = float(np.median(steps))
    if step <= 0 or np.abs(steps - step).max() > 1e-3 * step:
        raise ParameterError(
            f"{path}: column {time_col!r} is not evenly spaced (steps from {steps.min():g} to "
            f"{steps.max():g} ms); resample the trace first"
        )
    fs_file = 1000.0 / step
    _agree(path, fs_file, fs_hz)
    factors = np.array([_unit_factor(str(c)) for c in frames_cols])
    frames = (data * factors).T.copy()
    name = str(frames_cols[0]) if len(frames_cols) == 1 and channel is not None else ""
    return Recording(frames, fs_file, name, path, float(t_ms[0]))


def _read_npy(path: Path, fs_hz: float | None, channel: str | int | None) -> Recording:
    if fs_hz is None:
        raise ParameterError(f"{path}: a .npy file has no sampling rate; give fs_hz (--fs)")
    if channel is not None:
        raise ParameterError(f"{path}: a .npy file has no channels; leave channel unset")
    try:
        data = np.load(path, allow_pickle=False)
    except ValueError as exc:
        raise ParameterError(f"{path}: not a plain numeric .npy array ({exc})") from None
    if data.ndim == 1:
        data = data[None, :]
    if data.ndim != 2 or data.shape[1] < 2:
        raise ParameterError(
            f"{path}: expected a 1-D or 2-D (n_frames, n_samples) array, got {data.shape}"
        )
    try:
        frames = data.astype(float)
    except (TypeError, ValueError):
        raise ParameterError(f"{path}: array of {data.dtype} is not numeric") from None
    if not np.isfinite(frames).all():
        raise ParameterError(f"{path}: holds NaN or infinite values")
    return Recording(frames, fs_hz, "", path, 0.0)


def _read_neo(path: Path, fs_hz: float | None, channel: str | int | None) -> Recording:
    io_name = NEO_IOS[path.suffix.lower()]
    try:
        import neo.io
        import quantities as pq
    except ImportError:
        raise ParameterError(
            f"{path}: reading {path.suffix} files needs the 'neo' package (pip install neo)"
        ) from None
    try:
        reader = getattr(neo.io, io_name)(filename=str(path))
        block = reader.read_block(lazy=False)
    except ImportError as exc:
        raise ParameterError(f"{path}: {io_name} needs a missing package ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - neo raises many kinds on a bad file
        raise ParameterError(
            f"{path}: {io_name} cannot read it ({type(exc).__name__}: {exc})"
        ) from None
    segments = [s for s in block.segments if s.analogsignals]
    if not segments:
        raise ParameterError(f"{path}: no analog signal in the file")
    channels = _neo_channels(segments[0])
    index = _pick_channel(path, channels, channel)
    name = channels[index][2]
    frames, rates = [], []
    for k, segment in enumerate(segments):
        found = [c for c in _neo_channels(segment) if c[2] == name] or (
            [_neo_channels(segment)[index]] if len(_neo_channels(segment)) > index else []
        )
        if not found:
            raise ParameterError(f"{path}: frame {k} has no channel {name!r}")
        sig_i, col, _ = found[0]
        signal = segment.analogsignals[sig_i]
        try:
            values = signal[:, col].rescale(pq.uV).magnitude.ravel()
        except ValueError:
            raise ParameterError(
                f"{path}: channel {name!r} is in {signal.units.dimensionality}, not a voltage"
            ) from None
        frames.append(np.asarray(values, dtype=float))
        rates.append(float(signal.sampling_rate.rescale(pq.Hz).magnitude))
    if not np.allclose(rates, rates[0], rtol=1e-9):
        raise ParameterError(f"{path}: frames sampled at different rates ({sorted(set(rates))} Hz)")
    lengths = {len(f) for f in frames}
    if len(lengths) != 1:
        raise ParameterError(f"{path}: frames of unequal length ({sorted(lengths)} samples)")
    _agree(path, rates[0], fs_hz)
    stacked = _split_abf1_episodes(reader, np.vstack(frames))
    return Recording(stacked, rates[0], name, path, 0.0)


def _split_abf1_episodes(reader: object, frames: np.ndarray) -> np.ndarray:
    """Episodes of an episodic ABF file that neo read as one segment.

    neo splits ABF episodes with the file's synch array; ABF1 writers that
    leave it out (e.g. ``pyabf.abfWriter.writeABF1``) come back as one long
    segment. The header still says episodic (``nOperationMode`` 5) and gives
    the episode count (``lActualEpisodes``): split evenly by it.
    """
    info = getattr(reader, "_axon_info", None)
    if not isinstance(info, dict) or frames.shape[0] != 1:
        return frames
    mode = info.get("nOperationMode", info.get("protocol", {}).get("nOperationMode"))
    episodes = int(info.get("lActualEpisodes", 1) or 1)
    n = frames.shape[1]
    if mode == 5 and episodes > 1 and n % episodes == 0:
        return frames.reshape(episodes, n // episodes)
    return frames


def _neo_channels(segment: object) -> list[tuple[int, int, str]]:
    """(signal index, column, name) of every channel of a neo segment."""
    out = []
    for i, signal in enumerate(segment.analogsignals):
        names = signal.array_annotations.get("channel_names")
        for col in range(signal.shape[1]):
            label = str(names[col]) if names is not None and len(names) > col else ""
            out.append((i, col, label or f"{signal.name or 'channel'}[{col}]"))
    return out


def _pick_channel(
    path: Path, channels: list[tuple[int, int, str]], channel: str | int | None
) -> int:
    labels = [c[2] for c in channels]
    if channel is None:
        return 0
    if isinstance(channel, int) and not isinstance(channel, bool):
        if 0 <= channel < len(channels):
            return channel
        raise ParameterError(
            f"{path}: channel index {channel} out of range (0..{len(channels) - 1})"
        )
    if str(channel) in labels:
        return labels.index(str(channel))
    if str(channel).isdigit() and int(channel) < len(channels):
        return int(channel)
    raise ParameterError(f"{path}: no channel {channel!r} (channels: {', '.join(labels)})")
