"""Damaged result files are detected, reported and recomputed; nothing finished is lost.

Each test damages a file of a finished toy sweep on purpose (truncation,
flipped bytes, garbage) and checks what a user then sees: a re-run recomputes
exactly the damaged points (and gives the same table as an undamaged run),
``load_sweep`` warns instead of raising, ``load_spikes`` names the file.
"""

from __future__ import annotations

import json
import os
import stat
import warnings
from pathlib import Path

import pandas as pd
import pytest

from cordsim.errors import ParameterError
from cordsim.files import atomic_write_text, read_toml
from cordsim.sweeps import load_spikes, load_sweep
from cordsim.sweeps.engine import run_sweep
from cordsim.sweeps.spec import SweepSpec, validate_spec
from cordsim.sweeps.store import SweepFolderError, SweepStore


def _spec() -> SweepSpec:
    return validate_spec(
        SweepSpec(
            name="damage",
            model="toy",
            protocols=["rest"],
            seeds=[1, 2],
            sampling="grid",
            parameters={"toy.rate_hz": [5.0, 10.0, 20.0]},
        )
    )


def _run(folder: Path) -> pd.DataFrame:
    run_sweep(_spec(), folder, n_jobs=1, progress=False)
    return load_sweep(folder)


@pytest.fixture
def finished(tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    folder = tmp_path / "sweep"
    return folder, _run(folder)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip(path: Path, offset: int = 40) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _mtimes(folder: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in (folder / "points").glob("*.parquet")}


def _same_results(a: pd.DataFrame, b: pd.DataFrame) -> None:
    cols = [c for c in a.columns if c not in ("wall_time_s",)]
    pd.testing.assert_frame_equal(a[cols].reset_index(drop=True), b[cols].reset_index(drop=True))


def test_truncated_point_file_is_recomputed_alone(finished, capsys) -> None:
    folder, before = finished
    victim = before.point_id[2]
    _truncate(folder / "points" / f"{victim}.parquet")
    untouched = {k: v for k, v in _mtimes(folder).items() if not k.startswith(victim)}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        after = _run(folder)
    err = capsys.readouterr().err
    assert "1 damaged point file(s) moved to damaged/ and will be recomputed" in err
    assert f"{victim} (point file truncated or not Parquet)" in err
    _same_results(before, after)
    now = _mtimes(folder)
    assert all(now[k] == v for k, v in untouched.items())  # nothing else was recomputed
    assert (folder / "damaged" / "points").is_dir()  # kept, not deleted
    assert not after.attrs["damaged"]


def test_corrupted_spike_file_is_detected_and_recomputed(finished, capsys) -> None:
    folder, before = finished
    victim = before.point_id[1]
    spikes = folder / "spikes" / f"{victim}.parquet"
    original = load_spikes(folder, victim)
    _flip(spikes)

    with pytest.raises(SweepFolderError) as info:
        load_spikes(folder, victim)
    message = str(info.value)
    assert "\n" not in message and spikes.name in message and "checksum" in message

    after = _run(folder)
    assert "spike file checksum mismatch" in capsys.readouterr().err
    _same_results(before, after)
    pd.testing.assert_frame_equal(load_spikes(folder, victim), original)


def test_missing_spike_file_is_recomputed(finished, capsys) -> None:
    folder, before = finished
    victim = before.point_id[0]
    (folder / "spikes" / f"{victim}.parquet").unlink()
    after = _run(folder)
    assert "spike file missing" in capsys.readouterr().err
    _same_results(before, after)


def test_truncated_metrics_table_is_rebuilt_by_load_sweep(finished) -> None:
    folder, before = finished
    _truncate(folder / "metrics.parquet")
    with pytest.warns(UserWarning, match="metrics.parquet: damaged"):
        after = load_sweep(folder, consolidate=False)
    _same_results(before, after)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # rebuilt on disk: no second warning
        _same_results(before, load_sweep(folder, consolidate=False))


def test_damaged_point_is_reported_by_load_sweep_not_raised(finished) -> None:
    folder, before = finished
    victim = before.point_id[3]
    (folder / "points" / f"{victim}.parquet").write_bytes(b"not parquet at all")
    with pytest.warns(UserWarning, match=f"1 damaged point file\\(s\\) left out \\({victim}\\)"):
        after = load_sweep(folder)
    assert after.attrs["damaged"] == [victim]
    assert len(after) == len(before) - 1
    assert victim not in set(after.point_id)
    # the rebuilt metrics.parquet remembers what it left out: a second load warns again
    with pytest.warns(UserWarning, match="1 damaged point file"):
        again = load_sweep(folder, consolidate=False)
    assert again.attrs["damaged"] == [victim]


def test_one_warning_for_many_damaged_points(finished) -> None:
    folder, before = finished
    victims = sorted(before.point_id)
    for pid in victims:
        _truncate(folder / "points" / f"{pid}.parquet")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        after = load_sweep(folder)
    damage = [w for w in caught if "damaged point file" in str(w.message)]
    assert len(damage) == 1 and f"{len(victims)} damaged point file(s)" in str(damage[0].message)
    assert "and 1 more" in str(damage[0].message)  # 6 points, 5 named
    assert sorted(after.attrs["damaged"]) == victims and len(after) == 0


def test_load_spikes_of_a_finished_point_without_its_spike_file_raises(finished) -> None:
    folder, before = finished
    victim = before.point_id[5]
    spikes = folder / "spikes" / f"{victim}.parquet"
    spikes.unlink()
    with pytest.raises(SweepFolderError, match="spike file missing.*run the sweep again"):
        load_spikes(folder, victim)


def test_load_spikes_trusts_a_sound_spike_file_beside_a_damaged_point_file(finished) -> None:
    folder, before = finished
    victim = before.point_id[2]
    original = load_spikes(folder, victim)
    _truncate(folder / "points" / f"{victim}.parquet")
    pd.testing.assert_frame_equal(load_spikes(folder, victim), original)


def test_unreadable_spec_warns_in_load_sweep(finished) -> None:
    folder, before = finished
    (folder / "spec.toml").write_bytes(b"[sweep\n\xff")
    with pytest.warns(UserWarning, match="spec.toml: unreadable"):
        frame = load_sweep(folder)
    assert frame.attrs["spec"] == {}
    _same_results(before, frame)


def test_corrupted_manifest_warns_and_a_rerun_heals_it(finished) -> None:
    folder, before = finished
    (folder / "manifest.json").write_text('{"format": "cordsim-sweep/1", "na')
    with pytest.warns(UserWarning, match="manifest.json: unreadable"):
        frame = load_sweep(folder)
    assert frame.attrs["manifest"] == {}
    _same_results(before, frame)

    with pytest.warns(UserWarning, match="rebuilt from spec.toml"):
        after = _run(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "healed" in manifest and manifest["runs"][-1]["state"] == "complete"
    _same_results(before, after)


def test_killed_run_record_is_closed_on_the_next_run(finished) -> None:
    folder, _ = finished
    store = SweepStore(folder)
    manifest = store.manifest()
    manifest["runs"].append({"id": "dead", "state": "running", "pid": 1})
    store.write_manifest(manifest)
    with store.locked():
        assert store.close_stale_runs() == 1
        assert store.close_stale_runs() == 0
    states = {r["id"]: r["state"] for r in store.manifest()["runs"]}
    assert states["dead"] == "killed"


def test_check_finished_reports_without_repair(finished) -> None:
    folder, before = finished
    victim = before.point_id[4]
    _truncate(folder / "points" / f"{victim}.parquet")
    report = SweepStore(folder).check_finished(repair=False)
    assert report and report.damaged == [victim]
    assert "left in place" in report.summary() and not report.repaired
    assert (folder / "points" / f"{victim}.parquet").exists()
    assert SweepStore(folder).check_finished(repair=False).damaged == [victim]  # still there


def test_clean_folder_reports_nothing(finished) -> None:
    folder, _ = finished
    report = SweepStore(folder).check_finished()
    assert not report and report.damaged == []


def test_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        folder = tmp_path / "shared"
        run_sweep(_spec(), folder, n_jobs=1, progress=False)
        atomic_write_text(tmp_path / "note.txt", "x")
    finally:
        os.umask(old)
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != ".lock"]
    files.append(tmp_path / "note.txt")
    modes = {stat.S_IMODE(p.stat().st_mode) for p in files}
    assert modes == {0o664}, {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files}


def test_binary_toml_is_a_parameter_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    with pytest.raises(ParameterError, match=r"spec.toml: not a UTF-8 TOML text file"):
        read_toml(path)
