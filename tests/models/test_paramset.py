"""ParamSet: every bad input fails at construction with a message naming the parameter."""

from dataclasses import FrozenInstanceError, dataclass

import pytest

from cordsim.errors import ParameterError
from cordsim.models.paramset import ParamSet, param


@dataclass(frozen=True)
class Toy(ParamSet):
    gbar_s_cm2: float = param(0.1, "S/cm2", low=0, source="test")
    n_cells: int = param(3, "1", low=1, source="test")
    active: bool = param(True, source="test")


def test_defaults_and_replace():
    t = Toy().replace(gbar_s_cm2=0.2, n_cells=4.0)
    assert t.gbar_s_cm2 == 0.2 and t.n_cells == 4 and isinstance(t.n_cells, int)


def test_frozen():
    with pytest.raises(FrozenInstanceError):
        Toy().gbar_s_cm2 = 1.0


def test_unknown_name_suggests_closest():
    with pytest.raises(
        ParameterError, match=r"unknown Toy parameter 'gbar_s_cm'; did you mean 'gbar_s_cm2'"
    ):
        Toy().replace(gbar_s_cm=1.0)


def test_negative_conductance_rejected_with_name():
    with pytest.raises(
        ParameterError, match=r"'Toy.gbar_s_cm2' = -1.0 S/cm2 is below its minimum 0"
    ):
        Toy(gbar_s_cm2=-1.0)


@pytest.mark.parametrize("bad", ["lots", None, [1], True])
def test_wrong_type_rejected(bad):
    with pytest.raises(ParameterError, match="Toy.gbar_s_cm2"):
        Toy(gbar_s_cm2=bad)


def test_unit_strings_convert_or_fail():
    assert Toy(gbar_s_cm2="5 mS/cm2").gbar_s_cm2 == pytest.approx(0.005)
    with pytest.raises(ParameterError, match="voltage"):
        Toy(gbar_s_cm2="5 mV")


def test_int_field_rejects_fraction_and_nan():
    with pytest.raises(ParameterError, match="whole number"):
        Toy(n_cells=2.5)
    with pytest.raises(ParameterError, match="finite"):
        Toy(gbar_s_cm2=float("nan"))


def test_bool_field_strict():
    with pytest.raises(ParameterError, match="true/false"):
        Toy(active=1)


def test_scaled_and_round_trip():
    t = Toy().scaled(gbar_s_cm2=0.5)
    assert t.gbar_s_cm2 == pytest.approx(0.05)
    assert Toy.from_dict(t.to_dict()) == t
    with pytest.raises(ParameterError, match="did you mean"):
        Toy().scaled(gbar=2)


def test_field_info_has_unit_and_source():
    info = Toy.field_info()["gbar_s_cm2"]
    assert info["unit"] == "S/cm2" and info["source"] == "test" and info["default"] == 0.1
