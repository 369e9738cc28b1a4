"""Error helpers."""

from cordsim.errors import ParameterError, closest_name, unknown_name_message


def test_closest_name():
    assert closest_name("rin_mohms", ["rin_mohm", "tau_m_ms"]) == "rin_mohm"
    assert closest_name("zzz", ["rin_mohm"]) is None


def test_message_lists_valid_names_when_nothing_is_close():
    assert "valid names: a, b" in unknown_name_message("thing", "zzz", ["b", "a"])


def test_parameter_error_is_value_error():
    assert issubclass(ParameterError, ValueError)
