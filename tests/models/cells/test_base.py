"""What every cell shares: which dendritic trees a cell builds, and how one stands for copies."""

import pytest

from cordsim.models.cells.base import dendrite_trees, nseg_for


@pytest.mark.parametrize(
    ("n", "collapsed", "expected"),
    [
        (8, True, [("dend0", 1), ("dend1to7", 7)]),
        (3, True, [("dend0", 1), ("dend1to2", 2)]),
        (2, True, [("dend0", 1), ("dend1", 1)]),
        (1, True, [("dend0", 1)]),
        (3, False, [("dend0", 1), ("dend1", 1), ("dend2", 1)]),
    ],
)
def test_dendrite_trees_stand_for_every_dendrite(n, collapsed, expected):
    trees = dendrite_trees(n, collapsed)
    assert trees == expected
    assert sum(copies for _label, copies in trees) == n


def test_d_lambda_rule_gives_odd_counts_that_grow_with_length():
    short, long = nseg_for(100.0, 2.0, 100.0, 1.0), nseg_for(1000.0, 2.0, 100.0, 1.0)
    assert short % 2 == 1 and long % 2 == 1 and long > short


def test_finer_d_lambda_gives_more_segments_and_bad_values_are_refused():
    from cordsim.models.cells.base import AXON_D_LAMBDA, D_LAMBDA

    coarse = nseg_for(300.0, 3.0, 100.0, 1.0)
    fine = nseg_for(300.0, 3.0, 100.0, 1.0, AXON_D_LAMBDA)
    assert AXON_D_LAMBDA < D_LAMBDA
    assert fine % 2 == 1 and fine >= coarse * (D_LAMBDA / AXON_D_LAMBDA) * 0.8
    for bad in (0.0, -0.1, float("nan")):
        with pytest.raises(ValueError, match="d_lambda"):
            nseg_for(300.0, 3.0, 100.0, 1.0, bad)
