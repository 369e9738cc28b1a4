"""Worker pools: the cause of a dead worker in words; the in-process pool."""

from __future__ import annotations

from cordsim.sweeps.pools import InProcessPool, describe_exit_codes
from cordsim.sweeps.sampling import Point
from cordsim.sweeps.toy_model import ToyModel

_LOKY = (
    "A worker process managed by the executor was unexpectedly terminated. This could be "
    "caused by a segmentation fault while calling the function or by an excessive memory "
    "usage causing the Operating System to kill the worker.\n\nThe exit codes of the "
    "workers are {{{codes}}}\nDetailed tracebacks of the workers should have been printed."
)


def test_describe_exit_codes_names_signals_and_exit_codes():
    assert describe_exit_codes(_LOKY.format(codes="SIGSEGV(-11)")) == (
        "segmentation fault (SIGSEGV)"
    )
    assert "out-of-memory killer" in describe_exit_codes(_LOKY.format(codes="SIGKILL(-9)"))
    assert "std::bad_alloc" in describe_exit_codes(_LOKY.format(codes="SIGABRT(-6)"))
    assert describe_exit_codes(_LOKY.format(codes="EXIT(3)")) == "exited with code 3"
    both = describe_exit_codes(_LOKY.format(codes="SIGSEGV(-11), EXIT(3)"))
    assert both == "segmentation fault (SIGSEGV); exited with code 3"
    assert "cause unknown" in describe_exit_codes("something else")


def test_in_process_pool_runs_a_task_at_once():
    args = (ToyModel, "toy", None, "wild_type", None)
    pool = InProcessPool(args)
    point = Point("ab12", 0, "rest", 1, {"toy.rate_hz": 10.0})
    future = pool.submit([point])
    assert pool.wait([future]) == {future}
    (result,) = pool.result(future)
    assert result.status == "ok" and result.point_id == "ab12"


def test_loky_pool_broken_between_waits_reports_the_crash_on_submit():
    import pytest
    from joblib.externals.loky.process_executor import TerminatedWorkerError

    from cordsim.sweeps.pools import LokyPool, WorkerDied

    class Broken:
        def submit(self, *args, **kwargs):
            raise TerminatedWorkerError(_LOKY.format(codes="SIGSEGV(-11)"))

        def shutdown(self, **kwargs):
            pass

    pool = LokyPool((ToyModel, "toy", None, "wild_type", None), 2)
    pool._executor = Broken()  # a worker died while no task was awaited
    try:
        future = pool.submit([Point("ab12", 0, "rest", 1, {"toy.rate_hz": 10.0})])
        assert pool.wait([future]) == {future}
        with pytest.raises(WorkerDied, match="segmentation fault"):
            pool.result(future)
    finally:
        pool.close(cancel=True)
