"""Sphinx configuration of cordsim's documentation site.

Build it from the repository root (``pip install ".[docs]"`` first)::

    sphinx-build -W --keep-going -b html docs docs/_build/html

The gallery (``examples/`` at the repository root) is executed at every build.
``CORDSIM_DOCS_SHORT=1`` (set by CI) makes each example take its short form
(a smaller circuit, shorter runs), so the build checks every example quickly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "sphinxext"))  # gallery_scraper, docstring_workarounds
from cordsim import __version__  # noqa: E402

project = "cordsim"
author = "the cordsim developers"
copyright = "cordsim developers, BSD-3-Clause"  # noqa: A001 (Sphinx's name)
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
    # Adapts the docstrings of sweeps/demo.py and analysis/phenotype.py that reST
    # cannot parse as written (see the module); remove once those are fixed.
    "docstring_workarounds",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    # Tables written by compare_*.py, included into results.md.
    "cord_reflex.md",
    "wt_vs_tor1a.md",
    # Generated from the package at build time, included into the guide.
    "guide/generated",
    # sphinx-gallery writes these next to the rendered examples.
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.md5",
    "auto_examples/*.json",
]

# -- MyST (the Markdown pages, and the README sections they include) ---------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
# The guide includes sections of the README, whose headings start at level 2 or 3
# under the page's own level-1 title.
suppress_warnings = ["myst.header"]

# -- autodoc / autosummary / numpydoc ----------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

intersphinx_mapping: dict[str, tuple[str, None]] = {}
# The build must not need the network (CI's machine has none for it); without
# intersphinx inventories, references to numpy / pandas / matplotlib types in
# docstrings stay plain text instead of failing the build.
nitpicky = False

# -- the gallery ---------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": False,
    "show_memory": False,
    "plot_gallery": "True",
    # Each example's run time is shown; the whole gallery's is printed at the end.
    "min_reported_time": 0,
    "reset_modules": ("matplotlib",),
    # cordsim's plots return Figures made without pyplot: show those too (this
    # scraper first, so that it can tell pyplot's figures before they are closed).
    "image_scrapers": ("gallery_scraper.standalone_figures", "matplotlib"),
}

# -- HTML ----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"cordsim {version}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_static_path: list[str] = []
html_show_sourcelink = False


# -- tables generated from the package at build time -----------------------------
# The guide shows the mutation profiles (with the evidence for each change) and the
# validation targets (with their sources) as the installed package holds them, so
# the pages cannot drift from the code.
GENERATED = DOCS / "guide" / "generated"


def _cell(value: object) -> str:
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if text else "-"


def _markdown_table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _write_generated_tables() -> None:
    from cordsim.models.profiles import PROFILES, profile_table
    from cordsim.models.targets import load_targets

    GENERATED.mkdir(parents=True, exist_ok=True)
    parts = []
    for profile in PROFILES.values():
        parts.append(f"**`{profile.name}`**: {profile.description}\n")
    table = profile_table()
    rows = [
        [
            f"`{r.profile}`",
            f"`{r.change}`",
            f"`{r.target}`",
            f"{'x' if r.op == 'scale' else '+'}{r.amount:g}",
            r.component,
            "yes" if r.hypothesis else "no",
            r.evidence,
        ]
        for r in table.itertuples(index=False)
    ]
    header = ["profile", "change", "target", "full effect", "component", "hypothesis", "evidence"]
    parts.append(_markdown_table(header, rows))
    (GENERATED / "profiles.md").write_text("\n".join(parts))

    rows = [
        [
            t.age,
            t.cell,
            f"`{t.property}`",
            f"{t.low:g}",
            f"{t.high:g}",
            t.unit,
            "soft" if t.soft else "",
            t.source,
            t.note,
        ]
        for t in load_targets()
    ]
    header = ["age", "cell", "property", "low", "high", "unit", "soft", "source", "how derived"]
    (GENERATED / "targets.md").write_text(_markdown_table(header, rows))


_write_generated_tables()
