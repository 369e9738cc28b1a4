"""``cordsim profiles``: the mutation profiles and their changes, with evidence and hypothesis flags.

The table is :func:`cordsim.models.profiles.profile_table` (one row per
profile and change); ``--json`` gives every profile with its description
and changes, each change with everything :class:`ProfileChange` carries.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import textwrap
from typing import Any

from cordsim.cli_help import ExampleFormatter, examples

__all__ = ["add_profiles_parser", "cmd_profiles", "profiles_data", "profiles_text"]

#: Width the descriptions and evidence are wrapped to (characters).
_WIDTH = 100


def add_profiles_parser(subparsers: Any) -> argparse.ArgumentParser:
    """The ``cordsim profiles`` parser."""
    p = subparsers.add_parser(
        "profiles",
        help="list the mutation profiles and their changes (evidence, hypotheses)",
        description="List the mutation profiles (for `cordsim run --profile` and sweeps) and "
        "every parameter change each one makes: the component of the reflex arc, the dotted "
        "spec target, the factor (xF) or increment (+D) at full strength, whether it is a "
        "hypothesis or measured, and the evidence and its source.",
        formatter_class=ExampleFormatter,
        epilog=examples(
            "cordsim profiles",
            "cordsim profiles --profile tor1a_drg_only",
            "cordsim profiles --json > profiles.json",
        ),
    )
    p.add_argument("--profile", default=None, metavar="NAME", help="show only this profile")
    p.add_argument("--json", action="store_true", help="print the profiles as JSON")
    return p


def _selected(name: str | None) -> dict[str, Any]:
    from cordsim.models.profiles import PROFILES, get_profile

    if name is None:
        return dict(PROFILES)
    profile = get_profile(name)  # an unknown name: ParameterError with the closest
    return {profile.name: profile}


def profiles_data(name: str | None = None) -> list[dict[str, Any]]:
    """The profiles (all, or the one named) as JSON-ready dicts.

    Returns
    -------
    list of dict
        ``{"name", "description", "changes": [{"name", "target", "op",
        "amount", "component", "evidence", "hypothesis", "where_present"}]}``
        per profile, in :data:`~cordsim.models.profiles.PROFILES` order.
    """
    out = []
    for profile in _selected(name).values():
        changes = []
        for change in profile.changes:
            row = dataclasses.asdict(change)
            row["where_present"] = list(change.where_present)
            changes.append(row)
        out.append({"name": profile.name, "description": profile.description, "changes": changes})
    return out


def _value(op: str, amount: float) -> str:
    """``x1.5`` for a scale factor, ``+5`` for an increment."""
    return f"x{amount:g}" if op == "scale" else f"{amount:+g}"


def _left_aligned(table: Any) -> list[str]:
    """Rows of a frame as text, every column left-aligned (names read better so)."""
    cells = [list(table.columns), *table.astype(str).to_numpy().tolist()]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]


def profiles_text(name: str | None = None) -> str:
    """The profiles, their change table and each change's evidence, as plain text."""
    from cordsim.models.profiles import profile_table

    profiles = _selected(name)
    lines = ["profiles:"]
    for profile in profiles.values():
        head = f"  {profile.name:20s} "
        text = profile.description + ("" if profile.changes else " (no changes)")
        lines += textwrap.wrap(text, _WIDTH, initial_indent=head, subsequent_indent=" " * len(head))
    table = profile_table(profiles)
    if table.empty:
        return "\n".join(lines)
    table["value"] = [_value(op, a) for op, a in zip(table["op"], table["amount"], strict=True)]
    table["status"] = ["hypothesis" if h else "measured" for h in table["hypothesis"]]
    shown = table[["profile", "change", "component", "target", "value", "status"]]
    lines += ["", "changes (value at full strength: xF multiplies, +D adds):"]
    lines += ["  " + row for row in _left_aligned(shown)]
    lines += ["", "evidence and source of each change:"]
    seen = set()
    for change in (c for p in profiles.values() for c in p.changes):
        if change.name in seen:  # a change shared by profiles is listed once
            continue
        seen.add(change.name)
        flag = "hypothesis" if change.hypothesis else "measured"
        lines += textwrap.wrap(
            f"{change.name} ({flag}): {change.evidence}",
            _WIDTH,
            initial_indent="  ",
            subsequent_indent="      ",
        )
        if change.where_present:
            lines.append(
                "      also sets, where the spec has it: " + ", ".join(change.where_present)
            )
    return "\n".join(lines)


def cmd_profiles(args: argparse.Namespace) -> int:
    """Print the profiles (text table or JSON); exit 0."""
    if args.json:
        print(json.dumps({"profiles": profiles_data(args.profile)}, indent=1))
    else:
        print(profiles_text(args.profile))
    return 0
