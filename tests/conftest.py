"""Shared fixtures: NEURON-based tests load the compiled mechanisms once per session."""

import pytest


@pytest.fixture(scope="session")
def mechanisms():
    """Compile (cached) and load cordsim's mechanisms into this process."""
    from cordsim.mechanisms import load

    return load()
