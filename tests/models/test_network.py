"""Building: gids, deterministic connectivity keyed by (seed, population, index, purpose)."""

import pytest

from cordsim.errors import ParameterError
from cordsim.models.circuit import circuit_spec
from cordsim.models.network import GID_BLOCK, build, gid_of

pytestmark = pytest.mark.usefixtures("mechanisms")


def tiny(**values):
    base = {f"pools.{m}.n_cells": 3 for m in ("flexor", "extensor")}
    base.update({f"afferents.{m}.n_fibres": 4 for m in ("flexor", "extensor")})
    base.update({f"interneurons.{m}.n_iain": 2 for m in ("flexor", "extensor")})
    base.update({f"interneurons.{m}.n_rc": 2 for m in ("flexor", "extensor")})
    base.update(values)
    return circuit_spec("adult").with_values(base)


def edges_of(spec, seed):
    net = build(spec, seed)
    try:
        return sorted(net.edges), {p: list(g) for p, g in net.gids.items()}
    finally:
        net.teardown()


def test_gids_are_blocked_by_population():
    _, gids = edges_of(tiny(), 1)
    assert gids["ia_flexor"] == [0, 1, 2, 3]
    assert (
        gids["mn_flexor"][0] == gid_of(tiny(), "mn_flexor", 0)
        and gids["mn_flexor"][0] % GID_BLOCK == 0
    )


def test_same_seed_same_edges_other_seed_other_edges():
    assert edges_of(tiny(), 1)[0] == edges_of(tiny(), 1)[0]
    assert edges_of(tiny(), 1)[0] != edges_of(tiny(), 2)[0]


def test_resizing_one_population_keeps_other_inputs():
    small, _ = edges_of(tiny(), 3)
    big, _ = edges_of(tiny(**{"interneurons.flexor.n_rc": 5}), 3)
    # inputs from populations other than rc_flexor to cells other than rc_flexor are unchanged
    untouched = lambda es: [e for e in es if "rc" not in e[0]]  # noqa: E731
    assert untouched(small) == untouched(big)
    # the old RCs keep their inputs; new ones only add edges
    rc_gids = {gid_of(tiny(), "rc_flexor", i) for i in range(2)}
    keep = lambda es: [e for e in es if e[2] in rc_gids and e[0] == "mn_to_rc"]  # noqa: E731
    assert keep(small) == keep(big)


def test_rules_connect_the_right_sides():
    edges, gids = edges_of(tiny(), 5)
    mn_f, mn_e = set(gids["mn_flexor"]), set(gids["mn_extensor"])
    iain_f = set(gids["iain_flexor"])
    for rule, src, tgt in edges:
        if rule == "iain_to_mn" and src in iain_f:
            assert tgt in mn_e  # reciprocal: flexor IaINs inhibit extensor MNs
        if rule == "ia_to_mn" and src in set(gids["ia_flexor"]):
            assert tgt in mn_f  # monosynaptic: homonymous
        assert src != tgt


def test_zero_weight_removes_a_rule():
    edges, _ = edges_of(tiny(**{"connections.rc_to_mn.weight_scale": 0.0}), 1)
    assert not [e for e in edges if e[0] == "rc_to_mn"]


def test_bad_seed():
    with pytest.raises(ParameterError, match="seed"):
        build(tiny(), -1)
