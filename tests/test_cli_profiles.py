"""``cordsim profiles``: every profile and change, with its value, hypothesis flag and evidence."""

import json

from cordsim.cli import main
from cordsim.models.profiles import PROFILES


def _run(capsys, *argv):
    code = main(["profiles", *argv])
    return code, capsys.readouterr()


def test_table_lists_every_profile_and_change(capsys):
    code, printed = _run(capsys)
    assert code == 0
    out = printed.out
    for profile in PROFILES.values():
        assert profile.name in out
        for change in profile.changes:
            assert change.name in out and change.target in out
            assert change.evidence.split()[0] in out
    assert "wild_type" in out and "(no changes)" in out
    # one table row per (profile, change), with the value and the flag
    table = out.split("changes (", 1)[1].split("evidence and source", 1)[0]
    rows = [line.split() for line in table.splitlines() if line.startswith("  tor1a_drg_only ")]
    assert len(rows) == len(PROFILES["tor1a_drg_only"].changes)
    row = next(r for r in rows if r[1] == "ia_spontaneous_discharge")
    assert row[2:] == ["afferent", "afferents.{muscle}.rest_rate_hz", "+5", "hypothesis"]
    row = next(r for r in rows if r[1] == "ia_conduction_slowing")
    assert row[4] == "x1.5"
    assert "also sets, where the spec has it: afferents.iah_{muscle}" in out


def test_json_carries_what_each_change_carries(capsys):
    code, printed = _run(capsys, "--json")
    assert code == 0
    data = json.loads(printed.out)["profiles"]
    assert [p["name"] for p in data] == list(PROFILES)
    for entry in data:
        profile = PROFILES[entry["name"]]
        assert entry["description"] == profile.description
        assert [c["name"] for c in entry["changes"]] == list(profile.change_names())
        for got, change in zip(entry["changes"], profile.changes, strict=True):
            assert got["target"] == change.target and got["op"] == change.op
            assert got["amount"] == change.amount and got["hypothesis"] is change.hypothesis
            assert got["evidence"] == change.evidence and got["component"] == change.component
            assert got["where_present"] == list(change.where_present)


def test_one_profile_and_an_unknown_one(capsys):
    code, printed = _run(capsys, "--profile", "tor1a_spinal_only", "--json")
    assert code == 0
    assert [p["name"] for p in json.loads(printed.out)["profiles"]] == ["tor1a_spinal_only"]
    code, printed = _run(capsys, "--profile", "wild_type")
    assert code == 0 and "changes (" not in printed.out
    code, printed = _run(capsys, "--profile", "tor1a_spinal_drgg")
    assert code == 2 and "did you mean 'tor1a_spinal_drg'" in printed.err
