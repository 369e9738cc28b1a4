"""A sphinx-gallery image scraper for cordsim's standalone figures.

cordsim's plotting functions (:mod:`cordsim.analysis.plots`,
:func:`cordsim.sweeps.demo.demo_figure`) return ``matplotlib.figure.Figure``
objects made without pyplot, so that long sweeps never grow pyplot's global
figure list. sphinx-gallery's own scraper only sees pyplot's figures; this one
shows every such Figure that a code block leaves in a variable of the example
(``fig = raster_plot(result)``), once, after the block that made it.
"""

from __future__ import annotations

from typing import Any

_SHOWN = "_cordsim_gallery_shown"


def standalone_figures(block: Any, block_vars: dict[str, Any], gallery_conf: Any) -> str:
    """Save the block's new standalone Figures and return their reST (sphinx-gallery API)."""
    from matplotlib.figure import Figure
    from sphinx_gallery.scrapers import figure_rst

    paths = []
    iterator = block_vars["image_path_iterator"]
    for value in list(block_vars["example_globals"].values()):
        if not isinstance(value, Figure) or getattr(value, _SHOWN, False):
            continue
        if getattr(value.canvas, "manager", None) is not None:
            # A pyplot figure: sphinx-gallery's matplotlib scraper (which runs after
            # this one) shows it, then closes it; marked so that it is not taken for
            # a standalone figure once closed.
            setattr(value, _SHOWN, True)
            continue
        path = next(iterator)
        value.savefig(path, dpi=100, facecolor="white")
        setattr(value, _SHOWN, True)
        paths.append(path)
    return figure_rst(paths, gallery_conf["src_dir"]) if paths else ""
