"""A population added from the spec alone (no edit of cordsim's source) builds, runs and is scored.

Group II afferents of each muscle excite a new population of excitatory
interneurons, which excite the homonymous motor neurons: a disynaptic
pathway declared only in TOML (population table, one afferent group, two
connection rules). The weights are illustrative, not fitted.
"""

import numpy as np
import pytest

from cordsim import CircuitSpec, make_protocol, metrics, simulate

pytestmark = pytest.mark.usefixtures("mechanisms")

GROUP_II_TOML = """
age = "adult"
[populations.mn_flexor]
n_cells = 4
[populations.mn_extensor]
n_cells = 4
[populations.iain_flexor]
n_cells = 2
[populations.iain_extensor]
n_cells = 2
[populations.rc_flexor]
n_cells = 2
[populations.rc_extensor]
n_cells = 2

[afferents.group_ii]
new = true
rest_rate_hz = 0.0
contraction_rate_hz = 30.0
conduction_delay_ms = 2.0

[populations.ii_flexor]
new = true
kind = "afferent"
role = "ii"
muscle = "flexor"
n_cells = 10
afferent_params = "group_ii"

[populations.exin_flexor]
new = true
kind = "interneuron"
role = "exin"
muscle = "flexor"
n_cells = 5
cell = "ia_interneuron"

[connections.ii_to_exin]
new = true
source = "ii"
target = "exin"
side = "homonymous"
probability = 1.0
weight_us = 0.02
synapse = "ia"
location = "soma"

[connections.exin_to_mn]
new = true
source = "exin"
target = "mn"
side = "homonymous"
probability = 1.0
weight_us = 0.2
synapse = "ach"
location = "proximal"
"""

PROTOCOL = {"stim_role": "ii", "n_pulses": 3, "n_discard": 1, "start_ms": 150.0, "tail_ms": 40.0}


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    path = tmp_path_factory.mktemp("extra") / "group_ii.toml"
    path.write_text(GROUP_II_TOML)
    return CircuitSpec.from_toml(path)


def _spikes_after_volleys(result, population, window_ms=(0.0, 20.0)):
    times = result.spikes.loc[result.spikes["population"] == population, "time_ms"].to_numpy()
    return sum(
        int(np.sum((times >= t + window_ms[0]) & (times < t + window_ms[1])))
        for t in result.protocol.stim_times_ms
    )


def test_the_new_populations_join_the_table_after_the_defaults(spec):
    assert list(spec.populations)[-2:] == ["ii_flexor", "exin_flexor"]
    assert spec.populations["exin_flexor"].kind == "interneuron"
    pairs = list(spec.rule_pairs(spec.connections["exin_to_mn"]))
    assert pairs == [("exin_flexor", "mn_flexor")]  # no extensor excitatory interneurons


def test_the_disynaptic_pathway_runs_and_is_scored(spec):
    result = simulate(spec, make_protocol("reflex", **PROTOCOL), seed=2)
    assert {"ii_flexor", "exin_flexor"} <= set(result.populations)
    # every group II fibre fires to each volley, the interneurons follow
    assert _spikes_after_volleys(result, "ii_flexor", (0.0, 1.0)) == 10 * 3
    assert _spikes_after_volleys(result, "exin_flexor") >= 3
    row = metrics(result)
    assert row["ii_rate_hz_flexor"] > 0 and row["exin_rate_hz_flexor"] > 0
    # the default populations keep their gid blocks
    assert int(result.populations["mn_flexor"].gids[0]) == 2_000_000

    blocked = simulate(
        spec.with_values({"connections.exin_to_mn.weight_scale": 0.0}),
        make_protocol("reflex", **PROTOCOL),
        seed=2,
    )
    assert _spikes_after_volleys(result, "mn_flexor") > _spikes_after_volleys(blocked, "mn_flexor")
