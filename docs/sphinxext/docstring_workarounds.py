"""Work around docstrings (and one alias) that break ``sphinx-build -W``, without editing them.

``sphinx-build -W`` fails on these docstrings, whose files were being changed by
someone else while the documentation site was added, so they are adapted here as
autodoc reads them instead (the source files are untouched):

- ``cordsim.analysis.phenotype`` (module): its metric table is Markdown (it is also
  pasted into the README). Here it becomes a reST ``list-table``.

And one object autodoc cannot document: ``cordsim.sweeps.worker.RunnerArgs``, a
``tuple[...]`` type alias. numpydoc gives it a signature (the alias is callable) and
Sphinx 9 then fails ("list assignment index out of range"), so it is skipped (it is
internal plumbing of the sweep engine, documented in its source).

Each fix applies to one object and checks that it found what it expects, so a
fixed docstring makes the build say that its workaround can go.
"""

from __future__ import annotations

from typing import Any


def _markdown_table_to_list_table(lines: list[str]) -> bool:
    start = next((i for i, line in enumerate(lines) if line.startswith("| ")), None)
    if start is None:
        return False
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    rows = [
        [cell.strip().replace("\\|", "|") for cell in line.strip().strip("|").split(" | ")]
        for line in lines[start:end]
        if not set(line.replace("|", "").strip()) <= {"-", ":"}  # the |---| rule
    ]
    width = len(rows[0])
    table = ["", ".. list-table::", "   :header-rows: 1", ""]
    for row in rows:
        row = (row + [""] * width)[:width]
        table.append(f"   * - {row[0]}")
        table += [f"     - {cell}" for cell in row[1:]]
    table.append("")
    lines[start:end] = table
    return True


FIXES = {
    "cordsim.analysis.phenotype": _markdown_table_to_list_table,
}


def _process(app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]) -> None:
    fix = FIXES.get(name)
    if fix is not None and not fix(lines):
        from sphinx.util import logging

        logging.getLogger(__name__).warning(
            "docstring_workarounds: %s no longer needs its fix; remove it from "
            "docs/sphinxext/docstring_workarounds.py",
            name,
        )


def _skip(app: Any, what: str, name: str, obj: Any, skip: bool, options: Any) -> bool | None:
    if name == "RunnerArgs" and getattr(obj, "__origin__", None) is tuple:
        return True
    return None


def setup(app: Any) -> dict[str, Any]:
    app.connect("autodoc-process-docstring", _process)
    app.connect("autodoc-skip-member", _skip)
    return {"parallel_read_safe": True}
