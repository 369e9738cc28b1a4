"""Print pip constraints that pin every core dependency to its floor in setup.cfg.

CI's minimum-versions job installs cordsim with them (``pip install -c FILE
'.[test]'``) and runs the fast tests, so the floors in setup.cfg stay true:
a floor that no longer installs or passes fails CI instead of misleading users.
Environment markers are kept (``tomli==2.0; python_version < "3.11"``).
Only ``install_requires`` is pinned; the test tools stay loose.
"""

from __future__ import annotations

import configparser
import re
import sys
from pathlib import Path

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._\[\],-]*)\s*>=\s*([^,;\s]+)\s*(;.*)?$")


def floors(setup_cfg: Path) -> list[str]:
    """``name==floor[; marker]`` for each ``>=`` requirement of install_requires."""
    cfg = configparser.ConfigParser()
    cfg.read(setup_cfg)
    lines = []
    for raw in cfg["options"]["install_requires"].splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _REQ.match(line)
        if match is None:
            sys.exit(f"min_constraints: no '>=' floor in requirement {line!r}")
        name, floor, marker = match.groups()
        name = name.split("[", 1)[0]  # constraints take no extras
        lines.append(f"{name}=={floor}{marker or ''}")
    return lines


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    print("\n".join(floors(root / "setup.cfg")))
