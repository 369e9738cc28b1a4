"""Tests of cordsim.mechanisms: parsing, hashing, compiling, loading.

Loading a mechanism library into a process cannot be undone, so every test
that loads one does it in a fresh Python subprocess; the pytest process only
parses, hashes and compiles. Tiny .mod files written into temporary folders
keep these tests independent of the package's own mechanisms, except for the
tests that are explicitly about those.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import cordsim.mechanisms as mechanisms
from cordsim.errors import MechanismError
from cordsim.mechanisms import _build

LEAK_MOD = """\
: cstinyleak -- a passive leak, only for cordsim's own tests.
NEURON {
    SUFFIX cstinyleak
    NONSPECIFIC_CURRENT i
    RANGE g, e
    THREADSAFE
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) (S) = (siemens) }
PARAMETER { g = 1e-4 (S/cm2)  e = -70 (mV) }
ASSIGNED { v (mV)  i (mA/cm2) }
BREAKPOINT { i = g*(v - e) }
"""

CLAMP_MOD = """\
COMMENT
CsTinyClamp -- a constant current, only for cordsim's own tests.
A commented-out declaration must not count: SUFFIX notamechanism
ENDCOMMENT
NEURON {
    POINT_PROCESS CsTinyClamp  : POINT_PROCESS notthiseither
    RANGE amp
    ELECTRODE_CURRENT i
    THREADSAFE
}
UNITS { (nA) = (nanoamp) }
PARAMETER { amp = 0 (nA) }
ASSIGNED { i (nA) }
BREAKPOINT { i = amp }
"""

BROKEN_MOD = """\
NEURON {
    SUFFIX csbroken
    NONSPECIFIC_CURRENT i
}
PARAMETER { g = 1e-4 (S/cm2) }
ASSIGNED { v (mV)  i (mA/cm2) }
BREAKPOINT { i = g*(v - ) }
"""


# ----------------------------------------------------------------- helpers


def write_mods(folder: Path, **files: str) -> Path:
    """Write ``name=text`` pairs as ``name.mod`` files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.mod").write_text(text)
    return folder


def run_python(code: str, *, cwd: Path, cache: Path) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python with ``CORDSIM_CACHE_DIR=cache``."""
    env = dict(os.environ, CORDSIM_CACHE_DIR=str(cache))
    env.pop("CORENEURONLIB", None)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def last_json(done: subprocess.CompletedProcess) -> dict:
    """Parse the JSON object a subprocess printed last; fail with its output."""
    assert done.returncode == 0, f"subprocess failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def hand_compile(folder: Path) -> None:
    """Run plain ``nrnivmodl`` in ``folder``, as a user would by hand."""
    done = subprocess.run(
        [_build.find_nrnivmodl()], cwd=folder, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def counting_nrnivmodl(folder: Path, counter: Path, delay_s: float = 0.0) -> Path:
    """Write an ``nrnivmodl`` wrapper that logs each call to ``counter``."""
    folder.mkdir(parents=True, exist_ok=True)
    wrapper = folder / "nrnivmodl"
    wrapper.write_text(
        f'#!/bin/sh\necho build >> "{counter}"\nsleep {delay_s}\n'
        f'exec "{_build.find_nrnivmodl()}" "$@"\n'
    )
    wrapper.chmod(0o755)
    return wrapper


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A folder with two valid tiny .mod files (a density mechanism, a point process)."""
    return write_mods(tmp_path / "tiny", cstinyleak=LEAK_MOD, cstinyclamp=CLAMP_MOD)


# ------------------------------------------------------ files, names, hash


def test_mod_dir_is_the_package_folder() -> None:
    assert mechanisms.mod_dir() == Path(mechanisms.__file__).resolve().parent
    assert all(p.parent == mechanisms.mod_dir() for p in mechanisms.mod_files())


def test_shipped_mechanism_names() -> None:
    names = mechanisms.mechanism_names()
    assert names["csSpikeSource"] == "ARTIFICIAL_CELL"
    assert names["csExcSyn"] == "POINT_PROCESS"
    assert names["csGlySyn"] == "POINT_PROCESS"
    assert {"csspikesource.mod", "csexcsyn.mod"} <= {p.name for p in mechanisms.mod_files()}


def test_mod_files_sorted_and_only_mod(tiny: Path) -> None:
    (tiny / "notes.txt").write_text("not a mechanism")
    assert [p.name for p in mechanisms.mod_files(tiny)] == ["cstinyclamp.mod", "cstinyleak.mod"]


def test_mechanism_names_skip_comments_and_nothing(tiny: Path) -> None:
    write_mods(
        tiny,
        cslib="NEURON { SUFFIX nothing }\nFUNCTION f() { f = 1 }\n",
        csart="NEURON { ARTIFICIAL_CELL CsTinyCell }\nNET_RECEIVE (w) { net_event(t) }\n",
    )
    assert mechanisms.mechanism_names(tiny) == {
        "CsTinyCell": "ARTIFICIAL_CELL",
        "CsTinyClamp": "POINT_PROCESS",
        "cstinyleak": "SUFFIX",
    }


def test_duplicate_names_are_refused(tiny: Path) -> None:
    write_mods(tiny, cscopy=LEAK_MOD)
    with pytest.raises(MechanismError, match="cstinyleak.*cscopy.mod.*cstinyleak.mod"):
        mechanisms.mechanism_names(tiny)


def test_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(MechanismError, match="nowhere"):
        mechanisms.mod_files(tmp_path / "nowhere")


def test_hash_stable_and_location_independent(tiny: Path, tmp_path: Path) -> None:
    first = mechanisms.mechanisms_hash(tiny)
    assert first == mechanisms.mechanisms_hash(tiny)
    assert len(first) == 64
    elsewhere = shutil.copytree(tiny, tmp_path / "elsewhere")
    assert mechanisms.mechanisms_hash(elsewhere) == first


def test_hash_changes_with_sources_flags_and_neuron(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = mechanisms.mechanisms_hash(tiny)
    assert mechanisms.mechanisms_hash(tiny, coreneuron=True) != first
    (tiny / "cstinyleak.mod").write_text(LEAK_MOD.replace("1e-4", "2e-4"))
    edited = mechanisms.mechanisms_hash(tiny)
    assert edited != first
    (tiny / "cstinyleak.mod").rename(tiny / "cstinyleak2.mod")
    assert mechanisms.mechanisms_hash(tiny) not in (first, edited)
    monkeypatch.setattr(_build, "_neuron_identity", lambda: "0.0|/elsewhere")
    assert mechanisms.mechanisms_hash(tiny) not in (first, edited)


def test_cache_root_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORDSIM_CACHE_DIR", str(tmp_path / "c"))
    assert mechanisms.cache_root() == (tmp_path / "c").resolve()
    monkeypatch.delenv("CORDSIM_CACHE_DIR")
    assert mechanisms.cache_root().name == "cordsim"
    assert mechanisms.cache_root().is_absolute()


# --------------------------------------------------------------- compiling


def test_compile_caches_by_hash(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = mechanisms.compile_mechanisms(tiny, cache_dir=tmp_path / "cache")
    build = tmp_path / "cache" / "mechanisms" / mechanisms.mechanisms_hash(tiny)
    assert library.is_file()
    assert library.name in ("libnrnmech.so", "libnrnmech.dylib")
    assert library.parent.parent == build.resolve()
    assert sorted(p.name for p in build.glob("*.mod")) == ["cstinyclamp.mod", "cstinyleak.mod"]

    def no_compiler() -> str:
        raise AssertionError("a cached build must not run nrnivmodl")

    monkeypatch.setattr(_build, "find_nrnivmodl", no_compiler)
    assert mechanisms.compile_mechanisms(tiny, cache_dir=tmp_path / "cache") == library


def test_broken_mod_reports_nrnivmodl_output(tmp_path: Path) -> None:
    broken = write_mods(tmp_path / "broken", csbroken=BROKEN_MOD)
    cache = tmp_path / "cache"
    with pytest.raises(MechanismError) as info:
        mechanisms.compile_mechanisms(broken, cache_dir=cache)
    message = str(info.value)
    assert "csbroken.mod" in message
    assert "Illegal" in message  # nocmodl's own syntax-error text
    assert "\x1b[" not in message  # colour codes stripped
    key = mechanisms.mechanisms_hash(broken)
    assert not (cache / "mechanisms" / key).exists()  # no half build that looks finished
    assert not list((cache / "mechanisms").glob(f"{key}.tmp-*"))
    assert "Illegal" in (cache / "mechanisms" / f"{key}.failed.log").read_text()


def test_missing_nrnivmodl_is_explained(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    monkeypatch.setattr(sys, "executable", str(empty_bin / "python"))
    with pytest.raises(MechanismError, match=r"nrnivmodl.*not found.*pip install neuron"):
        mechanisms.compile_mechanisms(tiny, cache_dir=tmp_path / "cache")


def test_folder_without_mod_files_is_named(tmp_path: Path) -> None:
    empty = tmp_path / "no_mods_here"
    empty.mkdir()
    with pytest.raises(MechanismError, match="no_mods_here"):
        mechanisms.compile_mechanisms(empty, cache_dir=tmp_path / "cache")


def test_concurrent_first_compiles_build_once(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = tmp_path / "builds.txt"
    wrapper = counting_nrnivmodl(tmp_path / "bin", counter, delay_s=2.0)
    cache = tmp_path / "cache"
    code = f"""
        from cordsim.mechanisms import _build, compile_mechanisms
        _build.find_nrnivmodl = lambda: {str(wrapper)!r}
        print(compile_mechanisms({str(tiny)!r}))
    """
    env = dict(os.environ, CORDSIM_CACHE_DIR=str(cache))
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [worker.communicate(timeout=600) for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], results
    paths = {out.strip().splitlines()[-1] for out, _ in results}
    assert len(paths) == 1
    assert counter.read_text().split() == ["build"]

    # force=True rebuilds in place, atomically, leaving no temporary folders
    monkeypatch.setattr(_build, "find_nrnivmodl", lambda: str(wrapper))
    rebuilt = mechanisms.compile_mechanisms(tiny, force=True, cache_dir=cache)
    assert str(rebuilt) == paths.pop() and rebuilt.is_file()
    assert counter.read_text().split() == ["build", "build"]
    leftovers = [p.name for p in (cache / "mechanisms").iterdir() if ".tmp-" in p.name]
    assert leftovers == [] and not list((cache / "mechanisms").glob("*.old-*"))


# ----------------------------------------------------------------- loading


def test_load_in_subprocess_from_another_cwd(tiny: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    edited = write_mods(tmp_path / "edited", cstinyleak=LEAK_MOD.replace("1e-4", "3e-4"))
    done = run_python(
        f"""
        import json
        from cordsim.mechanisms import _load, load
        from cordsim.errors import MechanismError
        first = load({str(tiny)!r})

        def refuse(library):
            raise AssertionError("second load must not touch NEURON")

        _load._load_library = refuse
        second = load({str(tiny)!r})
        from neuron import h
        soma = h.Section(name="soma")
        soma.insert("cstinyleak")
        clamp = h.CsTinyClamp(soma(0.5))
        try:
            load({str(edited)!r})
            reload_error = ""
        except MechanismError as exc:
            reload_error = str(exc)
        print(json.dumps(dict(first=str(first), second=str(second),
                              g=soma(0.5).cstinyleak.g, amp=clamp.amp,
                              reload_error=reload_error)))
        """,
        cwd=elsewhere,
        cache=tmp_path / "cache",
    )
    result = last_json(done)
    assert result["first"] == result["second"]
    assert Path(result["first"]).is_file()
    assert Path(result["first"]).is_relative_to(tmp_path / "cache")
    assert result["g"] == pytest.approx(1e-4) and result["amp"] == 0.0
    assert "restart Python" in result["reload_error"]
    assert not (elsewhere / "x86_64").exists()  # nothing built in the working directory


def test_hand_compiled_library_in_cwd_is_reused(tiny: Path, tmp_path: Path) -> None:
    work = shutil.copytree(tiny, tmp_path / "work")
    hand_compile(work)
    code = f"""
        import json, warnings
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            from cordsim.mechanisms import PRELOADED, load
            path = load({str(tiny)!r})
        from neuron import h
        h.CsTinyClamp(h.Section()(0.5))
        print(json.dumps(dict(preloaded=path == PRELOADED,
                              warnings=[str(w.message) for w in caught
                                        if "older than" in str(w.message)])))
    """
    fresh = last_json(run_python(code, cwd=work, cache=tmp_path / "cache"))
    assert fresh == {"preloaded": True, "warnings": []}
    assert not (tmp_path / "cache").exists()  # nothing compiled

    future = time.time() + 3600
    for mod in tiny.glob("*.mod"):
        os.utime(mod, (future, future))
    stale = last_json(run_python(code, cwd=work, cache=tmp_path / "cache"))
    assert stale["preloaded"] and len(stale["warnings"]) == 1


def test_partial_clash_with_hand_compiled_library(tiny: Path, tmp_path: Path) -> None:
    work = write_mods(tmp_path / "work", cstinyleak=LEAK_MOD)
    hand_compile(work)
    done = run_python(
        f"""
        import json
        from cordsim.mechanisms import load
        from cordsim.errors import MechanismError
        try:
            load({str(tiny)!r})
            print(json.dumps(""))
        except MechanismError as exc:
            print(json.dumps(str(exc)))
        """,
        cwd=work,
        cache=tmp_path / "cache",
    )
    message = last_json(done)
    assert "only some mechanisms" in message
    assert "present: cstinyleak" in message and "missing: CsTinyClamp" in message
    assert "start Python in another folder" in message


def test_package_mechanisms_load(tmp_path: Path) -> None:
    if not mechanisms.mod_files():
        pytest.skip(f"no .mod files in {mechanisms.mod_dir()} yet")
    done = run_python(
        """
        import json
        from cordsim.mechanisms import load, mechanism_names
        from cordsim.mechanisms._load import defined_mechanisms
        library = load()
        missing = sorted(set(mechanism_names()) - defined_mechanisms())
        print(json.dumps(dict(library=str(library), missing=missing)))
        """,
        cwd=tmp_path,
        cache=tmp_path / "cache",
    )
    result = last_json(done)
    assert result["missing"] == []
    assert Path(result["library"]).is_relative_to(tmp_path / "cache")


# -------------------------------------------------------------- CoreNEURON


@pytest.mark.slow
@pytest.mark.coreneuron
def test_package_mechanisms_compile_for_coreneuron(tmp_path: Path) -> None:
    if not mechanisms.mod_files():
        pytest.skip(f"no .mod files in {mechanisms.mod_dir()} yet")
    if not mechanisms.coreneuron_supported():
        pytest.skip("this NEURON installation has no nrnivmodl-core (built without CoreNEURON)")
    library = mechanisms.compile_mechanisms(coreneuron=True, cache_dir=tmp_path)
    assert library.is_file()
    assert _build.corenrn_library(library) is not None


@pytest.mark.slow
@pytest.mark.coreneuron
def test_coreneuron_run_matches_neuron(tiny: Path, tmp_path: Path) -> None:
    if not mechanisms.coreneuron_supported():
        pytest.skip("this NEURON installation has no nrnivmodl-core (built without CoreNEURON)")
    done = run_python(
        f"""
        import json, os
        from cordsim.mechanisms import load
        load({str(tiny)!r}, coreneuron=True)
        from neuron import coreneuron, h
        soma = h.Section(name="soma")
        soma.L = soma.diam = 20
        soma.insert("hh")
        soma.insert("cstinyleak")
        clamp = h.CsTinyClamp(soma(0.5))
        clamp.amp = 0.3
        pc = h.ParallelContext()
        pc.set_maxstep(10)
        pc.set_gid2node(0, pc.id())
        pc.cell(0, h.NetCon(soma(0.5)._ref_v, None, sec=soma))
        times, gids = h.Vector(), h.Vector()
        pc.spike_record(-1, times, gids)
        h.CVode().cache_efficient(1)

        def run():
            h.finitialize(-65)
            pc.psolve(30)
            return list(times)

        plain = run()
        coreneuron.enable = True
        core = run()
        print(json.dumps(dict(plain=plain, core=core, lib=os.environ["CORENEURONLIB"])))
        """,
        cwd=tmp_path,
        cache=tmp_path / "cache",
    )
    result = last_json(done)
    assert len(result["plain"]) >= 2
    assert result["core"] == pytest.approx(result["plain"])
    assert Path(result["lib"]).is_relative_to(tmp_path / "cache")
