"""Cell types of cordsim: motor neurons, Ia inhibitory interneurons, Renshaw cells,
Ia afferents; and the default cells that ``cordsim validate`` measures."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from cordsim.errors import ParameterError
from cordsim.models.cells.interneuron_parameters import InterneuronParams, interneuron_params
from cordsim.models.cells.motor_neuron_parameters import (
    AGES,
    MotorNeuronParams,
    motor_neuron_params,
)

__all__ = [
    "AGES",
    "InterneuronParams",
    "MotorNeuronParams",
    "default_cells",
    "interneuron_params",
    "motor_neuron_params",
]


def _motor_neuron(params: MotorNeuronParams):
    from cordsim.models.cells.motor_neuron import MotorNeuron

    return MotorNeuron(params)


def _interneuron(kind: str, params: InterneuronParams):
    from cordsim.models.cells.interneurons import IaInterneuron, RenshawCell

    return (IaInterneuron if kind == "ia_interneuron" else RenshawCell)(params)


def default_cells(age: str = "adult") -> dict[str, Callable[[], object]]:
    """Factories of the default cells of ``age`` that validation measures.

    Returns
    -------
    dict
        ``{"motor_neuron", "pool_smallest", "pool_largest", "ia_interneuron",
        "renshaw"}`` -> a zero-argument callable building a fresh cell.
    """
    from cordsim.models.pool import pool_cell_params

    if age not in AGES:
        raise ParameterError(f"unknown age {age!r}; choose one of {AGES}")
    pool = pool_cell_params(age)
    return {
        "motor_neuron": partial(_motor_neuron, motor_neuron_params(age)),
        "pool_smallest": partial(_motor_neuron, pool[0]),
        "pool_largest": partial(_motor_neuron, pool[-1]),
        "ia_interneuron": partial(
            _interneuron, "ia_interneuron", interneuron_params("ia_interneuron", age)
        ),
        "renshaw": partial(_interneuron, "renshaw", interneuron_params("renshaw", age)),
    }
