"""SLURM through dask-jobqueue: the job script, clear errors, and a sweep on fake SLURM jobs.

``cluster.job_script()`` renders without SLURM. The end-to-end test puts a
fake ``sbatch`` (runs the job script in the background) and ``scancel`` (kills
its process group) on PATH, runs the toy model's sweep through
``cordsim sweep --slurm-jobs 1`` and checks the results equal an in-process run.
"""

import os
import shutil
import sys
import textwrap

import pytest

from cordsim.sweeps.slurm import SlurmError, SlurmOptions, parse_walltime, slurm_cluster

pytest.importorskip("dask_jobqueue")

NO_DASHBOARD = {"scheduler_options": {"dashboard_address": None}}


def test_job_script_asks_for_what_was_given():
    options = SlurmOptions(
        queue="short",
        account="mylab",
        walltime="02:30:00",
        memory="3GB",
        prologue=["module load x"],
    )
    with slurm_cluster(options, **NO_DASHBOARD) as cluster:
        script = cluster.job_script()
    lines = script.splitlines()
    for directive in ("#SBATCH -p short", "#SBATCH -A mylab", "#SBATCH -t 02:30:00"):
        assert directive in lines, script
    assert "#SBATCH --mem=3G" in lines  # dask-jobqueue writes 3GB as 3G
    assert "#SBATCH -J cordsim-sweep" in lines
    assert "module load x" in lines
    worker = next(line for line in lines if "dask_worker" in line)
    assert worker.startswith(sys.executable)  # the submitting environment's Python
    assert "--nthreads 1" in worker  # NEURON is not thread-safe
    # retires 5 min before the walltime, so SLURM does not kill a point midway
    assert "--lifetime 8700s" in worker and "--lifetime-stagger 120s" in worker


def test_defaults_leave_queue_account_and_walltime_to_slurm():
    with slurm_cluster(**NO_DASHBOARD) as cluster:
        script = cluster.job_script()
    assert "#SBATCH -p" not in script and "#SBATCH -A" not in script
    assert "#SBATCH --mem=4G" in script and "--lifetime" not in script


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 5400), ("01:30", 90), ("2:00:00", 7200), ("1-2", 93600), ("1-00:00:10", 86410)],
)
def test_walltime_formats(text, seconds):
    assert parse_walltime(text) == seconds


@pytest.mark.parametrize("text", ["4h", "", "0", "1:2:3:4"])
def test_bad_walltime(text):
    with pytest.raises(SlurmError, match="walltime"):
        SlurmOptions(walltime=text)


def test_missing_dask_jobqueue_says_which_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask_jobqueue", None)  # import fails
    with pytest.raises(SlurmError, match=r"pip install 'cordsim\[slurm\]'"):
        slurm_cluster()


# ----------------------------------------------------------------------------- the CLI
def _sweep(capsys, *argv):
    from cordsim.cli import main

    code = main(["sweep", *map(str, argv)])
    return code, capsys.readouterr()


@pytest.fixture
def toy_spec():
    from cordsim.sweeps.examples_index import example_specs

    return example_specs()["toy"]


def test_cli_option_errors(toy_spec, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    code, printed = _sweep(capsys, toy_spec, "--out", out, "--slurm-queue", "q")
    assert code == 2 and "--slurm-queue: only with --slurm-jobs N" in printed.err
    code, printed = _sweep(capsys, toy_spec, "--out", out, "--slurm-jobs", "0")
    assert code == 2 and "--slurm-jobs 0" in printed.err
    code, printed = _sweep(
        capsys, toy_spec, "--out", out, "--slurm-jobs", "1", "--slurm-walltime", "4h"
    )
    assert code == 2 and "walltime '4h'" in printed.err
    monkeypatch.setenv("PATH", str(tmp_path))  # no sbatch: fail, do not wait for workers
    code, printed = _sweep(capsys, toy_spec, "--out", out, "--slurm-jobs", "1", "--no-progress")
    assert code == 2 and "sbatch was not found" in printed.err
    assert not out.exists()


FAKE_SBATCH = """\
#!/usr/bin/env bash
# fake sbatch: run a copy of the job script in its own process group (its id: the job id)
copy="{jobs}/script-$$.sh"
cp "${{@: -1}}" "$copy"
setsid bash "$copy" > "{jobs}/job-$$.log" 2>&1 < /dev/null &
echo "Submitted batch job $!"
"""
FAKE_SCANCEL = """\
#!/usr/bin/env bash
for id in "$@"; do kill -- "-$id" 2>/dev/null; echo "$id" >> "{jobs}/cancelled"; done
exit 0
"""


@pytest.mark.skipif(shutil.which("setsid") is None, reason="needs setsid")
def test_a_sweep_on_fake_slurm_jobs_matches_an_in_process_run(
    toy_spec, tmp_path, capsys, monkeypatch
):
    from cordsim.sweeps import load_sweep, run_sweep

    bin_dir, jobs = tmp_path / "bin", tmp_path / "jobs"
    bin_dir.mkdir()
    jobs.mkdir()
    for name, text in (("sbatch", FAKE_SBATCH), ("scancel", FAKE_SCANCEL)):
        path = bin_dir / name
        path.write_text(textwrap.dedent(text.format(jobs=jobs)))
        path.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    code, printed = _sweep(
        capsys,
        toy_spec,
        "--out",
        tmp_path / "slurm",
        "--slurm-jobs",
        "1",
        "--slurm-walltime",
        "00:20:00",
        "--slurm-queue",
        "test",
        "--no-progress",
    )
    assert code == 0, printed.err
    assert (jobs / "cancelled").read_text().split()  # the job was cancelled at the end
    scripts = list(jobs.glob("script-*.sh"))
    assert scripts and "#SBATCH -p test" in scripts[0].read_text()
    run_sweep(toy_spec, tmp_path / "local", n_jobs=1, progress=False, in_process=True)
    columns = ["point_id", "rate_hz", "latency_ms", "n_spikes"]
    slurm = load_sweep(tmp_path / "slurm")[columns].sort_values("point_id").reset_index(drop=True)
    local = load_sweep(tmp_path / "local")[columns].sort_values("point_id").reset_index(drop=True)
    assert len(slurm) == 96
    assert slurm.equals(local)
