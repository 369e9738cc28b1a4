"""The example sweep specs shipped with cordsim (``sweeps/examples/*.toml``).

Installed copies live inside ``site-packages``; ``cordsim examples`` lists
them with their paths and one-line descriptions, and ``cordsim examples
--copy DIR`` copies them somewhere a user can edit them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from cordsim.errors import ParameterError

__all__ = ["copy_examples", "example_description", "example_specs"]

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"


def example_specs() -> dict[str, Path]:
    """Every shipped example spec, by name (file stem, sorted)."""
    return {p.stem: p for p in sorted(EXAMPLES_DIR.glob("*.toml"))}


def example_description(path: str | os.PathLike[str]) -> str:
    """The first sentence of a spec's leading comment (its one-line description)."""
    words: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        text = line.lstrip("#").strip()
        if not text or text.startswith("cordsim "):
            if words:
                break
            continue
        words.append(text)
        if text.endswith((".", "?", ":")):
            break
    return " ".join(words).rstrip(":")


def copy_examples(dest: str | os.PathLike[str], *, overwrite: bool = False) -> list[Path]:
    """Copy every example spec into ``dest`` (created); return the new paths.

    Raises
    ------
    ParameterError
        ``dest`` is a file, or already holds a spec of the same name (without
        ``overwrite``); nothing is copied then.
    """
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise ParameterError(f"{dest}: exists and is not a folder")
    targets = {name: dest / path.name for name, path in example_specs().items()}
    clash = [str(t) for t in targets.values() if t.exists()]
    if clash and not overwrite:
        raise ParameterError(f"{clash[0]} exists already (use --overwrite to replace it)")
    dest.mkdir(parents=True, exist_ok=True)
    for name, target in targets.items():
        shutil.copyfile(example_specs()[name], target)
    return list(targets.values())
