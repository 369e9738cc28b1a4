"""The top-level cordsim package: version, and a quiet NEURON on headless machines."""

from __future__ import annotations

import os
import subprocess
import sys

import cordsim


def test_version_is_a_string():
    assert isinstance(cordsim.__version__, str) and cordsim.__version__.count(".") >= 1


def test_importing_neuron_through_cordsim_prints_no_display_warning():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "NEURON_MODULE_OPTIONS")}
    out = subprocess.run(
        [sys.executable, "-c", "import cordsim.models.simulation"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "DISPLAY" not in out.stdout + out.stderr
