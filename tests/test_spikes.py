"""cordsim.spikes: the one spike schema."""

from cordsim.spikes import SPIKE_COLUMNS, empty_spikes, spike_schema


def test_empty_spikes_have_the_schema_columns_and_dtypes():
    frame = empty_spikes()
    assert tuple(frame.columns) == SPIKE_COLUMNS
    assert str(frame["time_ms"].dtype) == "float64" and str(frame["gid"].dtype) == "int64"


def test_arrow_schema():
    assert spike_schema().names == list(SPIKE_COLUMNS)
    schema = spike_schema(with_point_id=True)
    assert schema.names == [*SPIKE_COLUMNS, "point_id"]
    assert str(schema.field("gid").type) == "int64"
