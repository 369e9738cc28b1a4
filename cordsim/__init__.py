"""cordsim: mouse lumbar spinal microcircuits on NEURON.

The library lives in the mapped packages ``cordsim.models``,
``cordsim.mechanisms``, ``cordsim.sweeps`` and ``cordsim.analysis``; this
package holds only the glue (version, CLI).
"""

from cordsim._version import __version__

__all__ = ["__version__"]
