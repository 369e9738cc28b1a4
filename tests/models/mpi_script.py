"""Helper of tests/models/test_mpi.py, run as ``mpiexec -n N python mpi_script.py MODE``.

Modes (rank 0 prints one JSON line on stdout):

- ``twocell``: cell 0 (an afferent spike train) on rank 0 drives an
  interneuron-free target on rank 1 through ``pc.gid_connect``; prints how many
  spikes were sent and how many events the target received.
- ``circuit``: the default adult circuit under a short rest and a short reflex
  protocol; prints ``SimulationResult.spike_hash()`` of each and hashes of
  two motor neurons' voltage traces.
- ``fail_build`` / ``fail_run``: a short rest of the default circuit in which
  the last rank alone raises, while building or while running (the other
  ranks wait for it in a collective); every rank must stop, not hang.
"""

from __future__ import annotations

import hashlib
import json
import sys

from neuron import h

h.nrnmpi_init()  # before any ParallelContext; a no-op without mpiexec


def twocell() -> dict:
    from cordsim.mechanisms import load as load_mechanisms

    load_mechanisms()
    pc = h.ParallelContext()
    pc.gid_clear()
    nhost, rank = int(pc.nhost()), int(pc.id())
    keep = []
    n_sent = 10
    if rank == 0:
        stim = h.NetStim()
        stim.start, stim.interval, stim.number, stim.noise = 1.0, 2.0, n_sent, 0
        nc = h.NetCon(stim, None)
        pc.set_gid2node(0, rank)
        pc.cell(0, nc)
        keep += [stim, nc]
    if rank == nhost - 1:
        target = h.Section(name="target")
        counter = h.Vector()
        syn = h.ExpSyn(target(0.5))
        nc = pc.gid_connect(0, syn)
        nc.delay, nc.weight[0] = 1.0, 0.0
        nc.record(counter)
        keep += [target, syn, nc]
    pc.set_maxstep(10)
    h.dt = 0.025
    h.finitialize(-65)
    pc.psolve(30)
    received = pc.py_gather(len(counter) if rank == nhost - 1 else 0, 0)
    pc.gid_clear()
    return {"nhost": nhost, "sent": n_sent, "received": sum(received or [0])}


def circuit() -> dict:
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.protocols import make_protocol
    from cordsim.models.simulation import simulate

    spec = circuit_spec("adult")
    out = {"nhost": int(h.ParallelContext().nhost())}
    for name, params in (
        ("rest", {"tstop_ms": 150.0, "settle_ms": 50.0}),
        ("reflex", {"start_ms": 50.0, "n_pulses": 3, "n_discard": 0, "rate_hz": 20.0}),
    ):
        proto = make_protocol(name, **params)
        # traces of cells that land on both ranks (round robin) are gathered too
        traces = [("mn_flexor", 0), ("mn_flexor", 1)] if name == "rest" else ()
        res = simulate(spec, proto, seed=3, traces=traces)
        if res is not None:
            out[name] = res.spike_hash()
            out[name + "_n"] = len(res.spikes)
            for key, v in sorted(res.traces.items()):
                out[f"{name}_trace_{key}"] = hashlib.sha256(v.tobytes()).hexdigest()
    return out


def _fail_on_last_rank(where: str) -> dict:
    import cordsim.models.network as network
    import cordsim.models.simulation as simulation
    from cordsim.models.circuit import circuit_spec
    from cordsim.models.protocols import make_protocol

    pc = h.ParallelContext()
    last = int(pc.id()) == int(pc.nhost()) - 1
    target_module, name = (
        (network, "_connect") if where == "building" else (simulation, "run_network")
    )
    original = getattr(target_module, name)

    def failing(*args, **kwargs):
        if last:
            raise RuntimeError(f"deliberate failure while {where} on the last rank")
        return original(*args, **kwargs)

    setattr(target_module, name, failing)
    proto = make_protocol("rest", tstop_ms=100.0, settle_ms=50.0)
    simulation.simulate(circuit_spec("adult"), proto, seed=1)
    return {"nhost": int(pc.nhost()), "finished": True}


if __name__ == "__main__":
    modes = {
        "twocell": twocell,
        "circuit": circuit,
        "fail_build": lambda: _fail_on_last_rank("building"),
        "fail_run": lambda: _fail_on_last_rank("running"),
    }
    result = modes[sys.argv[1]]()
    pc = h.ParallelContext()
    if int(pc.id()) == 0:
        print(json.dumps(result), flush=True)
    pc.barrier()
    pc.done()
    h.quit()
