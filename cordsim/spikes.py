"""The one spike schema: long format, one row per spike.

Every spike table cordsim makes or stores (a simulation's result, a run
folder's ``spikes.parquet``, a sweep point's spike file) has these columns:
``time_ms`` (float64, ms), ``gid`` (int64, the cell's global id) and
``population`` (str); sweep files add ``point_id`` (str).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["SPIKE_COLUMNS", "empty_spikes", "spike_schema"]

#: Columns of every spike table, in order.
SPIKE_COLUMNS = ("time_ms", "gid", "population")

_ARROW_TYPES = {"time_ms": "float64", "gid": "int64", "population": "string", "point_id": "string"}


def empty_spikes() -> pd.DataFrame:
    """A spike table with no rows and the right dtypes."""
    return pd.DataFrame(
        {
            "time_ms": np.empty(0, np.float64),
            "gid": np.empty(0, np.int64),
            "population": pd.Series([], dtype=object),
        }
    )


def spike_schema(*, with_point_id: bool = False) -> Any:
    """The Arrow schema of a stored spike table (``point_id`` added for sweep points)."""
    import pyarrow as pa

    names = SPIKE_COLUMNS + (("point_id",) if with_point_id else ())
    return pa.schema([(n, getattr(pa, _ARROW_TYPES[n])()) for n in names])
