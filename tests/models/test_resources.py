"""Resource estimates: counts that match what the builder makes, a memory check that bites."""

from __future__ import annotations

import pytest

from cordsim.errors import ResourceError
from cordsim.models import resources
from cordsim.models.circuit import circuit_spec
from cordsim.models.resources import (
    ResourceEstimate,
    check_memory,
    estimate_resources,
    format_bytes,
)


def test_estimate_is_fast_and_grows_with_the_spec() -> None:
    small = estimate_resources(circuit_spec("adult"))
    big = estimate_resources(circuit_spec("adult", pools__flexor__n_cells=100_000))
    assert small.n_cells == 80
    assert big.n_cells == small.n_cells + 100_000 - 20
    assert big.n_compartments > 1000 * small.n_compartments
    assert big.bytes > 50 * small.bytes
    assert "100,060 cells" in str(big) and "GiB" in str(big)


def test_contacts_follow_probability_and_skip_silent_rules() -> None:
    spec = circuit_spec("adult")
    dense = spec.with_values({f"connections.{r}.probability": 1.0 for r in spec.connections})
    silent = spec.with_values({f"connections.{r}.weight_scale": 0.0 for r in spec.connections})
    assert estimate_resources(dense).n_contacts > estimate_resources(spec).n_contacts
    assert estimate_resources(silent).n_contacts == 0


@pytest.mark.parametrize("age", ["adult", "juvenile"])
def test_counts_match_the_built_network(age: str) -> None:
    from cordsim.models.network import build

    spec = circuit_spec(age, pools__flexor__n_cells=7, interneurons__extensor__n_rc=4)
    estimate = estimate_resources(spec)
    net = build(spec, seed=3)
    try:
        assert estimate.n_cells == net.n_neurons()
        assert estimate.n_compartments == net.n_compartments()
        # expected vs drawn contacts: within 15 % (about 1,500 Bernoulli draws)
        assert estimate.n_contacts == pytest.approx(len(net.edges), rel=0.15)
    finally:
        net.teardown()


def test_check_memory_counts_concurrent_simulations() -> None:
    one = ResourceEstimate(10, 100, 100, 10, bytes=2**30)
    check_memory(one, available=4 * 2**30)
    check_memory(one, n_concurrent=3, available=4 * 2**30)
    with pytest.raises(ResourceError) as info:
        check_memory(one, n_concurrent=4, available=4 * 2**30)
    message = str(info.value)
    assert "\n" not in message
    assert "x 4 simulations at once = 4.0 GiB" in message
    assert "4.0 GiB available" in message and "fewer workers" in message


def test_unknown_available_memory_checks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "available_memory_bytes", lambda: None)
    check_memory(ResourceEstimate(1, 1, 1, 1, bytes=2**50))


def test_available_memory_is_a_positive_number_here() -> None:
    available = resources.available_memory_bytes()
    assert available is None or available > 0


def test_format_bytes() -> None:
    assert format_bytes(150 * 2**20) == "150 MiB"
    assert format_bytes(3.25 * 2**30) == "3.2 GiB"
