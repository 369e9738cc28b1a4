"""cordsim: mouse lumbar spinal microcircuits on NEURON.

The library lives in the mapped packages ``cordsim.models``,
``cordsim.mechanisms``, ``cordsim.sweeps`` and ``cordsim.analysis``; this
package holds only the glue (version, CLI).
"""

import os as _os
from pathlib import Path as _Path

from cordsim._version import __version__

# cordsim never opens NEURON's GUI: without this, every process that imports
# neuron (each sweep worker included) prints "no DISPLAY environment variable"
# on a headless machine. A user's own NEURON_MODULE_OPTIONS is left alone.
_os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

# In a source checkout the subpackages are sibling folders of this one
# (models/, mechanisms/, sweeps/, analysis/; setup.cfg maps them into the
# namespace when installed). When Python imports this folder from the
# checkout (e.g. `python -c ...` run in the repository root shadows an
# installed copy), let `cordsim.models` etc. resolve to those siblings.
_root = _Path(__file__).resolve().parent.parent
if (_root / "setup.cfg").is_file() and (_root / "models" / "__init__.py").is_file():
    __path__.append(str(_root))  # noqa: F821  (a package's own __path__)

__all__ = ["__version__"]
