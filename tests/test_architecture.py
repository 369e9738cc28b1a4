"""The layering, checked on the source: every import points down, and no string registry.

Layers, bottom to top (docs/architecture.md; README "What is here"):

0. ``cordsim.errors``, ``cordsim.files``, ``cordsim.folders``, ``cordsim.spikes``,
   ``cordsim._version``
1. ``cordsim.mechanisms``
2. ``cordsim.models``
3. ``cordsim.analysis``
4. ``cordsim.sweeps``
5. ``cordsim.cli`` and the ``cordsim`` package's public API

A module may import its own layer and those below it, never above. Every
import counts, at module level or inside a function (lazy imports are still
arrows); imports under ``if TYPE_CHECKING:`` are annotations only and are
checked too (an annotation pointing up is a design smell just the same).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Source folder -> the package name it installs as (setup.cfg's package_dir).
FOLDERS = {
    "cordsim": "cordsim",
    "mechanisms": "cordsim.mechanisms",
    "models": "cordsim.models",
    "analysis": "cordsim.analysis",
    "sweeps": "cordsim.sweeps",
}

LAYERS = (
    ("cordsim.errors", "cordsim.files", "cordsim.folders", "cordsim.spikes", "cordsim._version"),
    ("cordsim.mechanisms",),
    ("cordsim.models",),
    ("cordsim.analysis",),
    ("cordsim.sweeps",),
    ("cordsim.cli", "cordsim"),
)


def layer_of(module: str) -> int:
    """Layer index of a ``cordsim`` module (the most specific prefix wins)."""
    best, best_len = None, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    if best is None:
        raise AssertionError(f"{module} belongs to no layer")
    return best


def source_modules() -> dict[str, Path]:
    """Installed module name -> source file, for every .py file of the package."""
    modules = {}
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            modules[".".join([package, *parts])] = path
    return modules


def imports_of(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported cordsim module) for every import statement of a file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if node.module is None or target == "cordsim" or target.endswith(".cordsim"):
                # ``from cordsim import x``: x may be a submodule
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
    return [(line, name) for line, name in found if name.split(".")[0] == "cordsim"]


def _resolve(name: str, modules: dict[str, Path]) -> str:
    """The module an imported name lives in (``cordsim.X`` where X may be an attribute)."""
    while name not in modules and "." in name:
        name = name.rpartition(".")[0]
    return name


def upward_arrows() -> list[str]:
    modules = source_modules()
    bad = []
    for module, path in modules.items():
        here = layer_of(module)
        for line, imported in imports_of(module, path):
            target = _resolve(imported, modules)
            if target == "cordsim" and imported != "cordsim":
                # ``from cordsim import __version__`` etc.: an attribute of the top package
                # that is not a bottom-layer module would be a re-export of an upper layer
                attr = imported.split(".")[1]
                if attr not in ("__version__",):
                    bad.append(f"{path.relative_to(ROOT)}:{line} imports the public API ({attr})")
                continue
            if layer_of(target) > here:
                bad.append(
                    f"{path.relative_to(ROOT)}:{line}: {module} (layer {here}) imports "
                    f"{target} (layer {layer_of(target)})"
                )
    return bad


def test_every_import_points_down():
    assert upward_arrows() == []


def test_the_checker_sees_an_upward_arrow(tmp_path):
    path = tmp_path / "fake.py"
    path.write_text(
        "def f():\n    from cordsim.sweeps.engine import run_sweep\n"
        "from cordsim.analysis import metrics\n"
    )
    found = [name for _, name in imports_of("cordsim.models.fake", path)]
    assert found == ["cordsim.analysis", "cordsim.sweeps.engine"] or sorted(found) == sorted(
        ["cordsim.analysis", "cordsim.sweeps.engine"]
    )
    assert all(layer_of(n) > layer_of("cordsim.models.fake") for n in found)


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("cordsim.errors", 0),
        ("cordsim.mechanisms._build", 1),
        ("cordsim.models.circuit", 2),
        ("cordsim.analysis.phenotype", 3),
        ("cordsim.sweeps.engine", 4),
        ("cordsim.cli", 5),
    ],
)
def test_layers(module, layer):
    assert layer_of(module) == layer


def test_no_string_registry_names_a_module():
    """No "package.module:attribute" strings that would hide an import from this test."""
    pattern = re.compile(r"""["']cordsim\.[\w.]+:\w+["']""")
    hits = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in source_modules().values()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert hits == []


def test_public_api_names_resolve():
    import cordsim

    for name, module in cordsim.API.items():
        assert layer_of(module) <= layer_of("cordsim.cli")
        assert getattr(cordsim, name) is not None, name
    from cordsim import (  # noqa: F401  (the import list the issue names)
        CircuitSpec,
        apply_profile,
        build,
        load_sweep,
        measure_cell,
        metrics,
        run_sweep,
        simulate,
    )

    assert callable(build) and callable(simulate) and callable(metrics)


def test_no_module_is_shadowed_by_a_function_of_its_package():
    """``import cordsim.analysis.phenotype`` gives a module; no function has a module's name."""
    import importlib

    modules = source_modules()
    for module in modules:
        package, _, leaf = module.rpartition(".")
        if not package or package not in modules or modules[package].name != "__init__.py":
            continue
        pkg = importlib.import_module(package)
        exported = getattr(pkg, "__all__", ())
        assert leaf not in exported, f"{package} exports a name {leaf!r} that is also a module"
