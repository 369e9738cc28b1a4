"""The examples every ``cordsim`` subcommand shows at the end of its ``--help``.

A subcommand's parser is made with ``formatter_class=ExampleFormatter`` and
``epilog=examples("cordsim info", ...)``: argparse wraps the description as
usual and prints the examples line by line, as they are typed.
"""

from __future__ import annotations

import argparse

__all__ = ["EXAMPLES_HEADING", "ExampleFormatter", "examples"]

#: First line of every subcommand's epilog.
EXAMPLES_HEADING = "examples:"


def examples(*commands: str) -> str:
    """The epilog of a subcommand: a heading and one indented command a line.

    Parameters
    ----------
    *commands : str
        Command lines as a user types them (a ``#`` comment may follow).

    Returns
    -------
    str
        ``"examples:\\n  cmd1\\n  cmd2"``.
    """
    if not commands:
        raise ValueError("give at least one example command")
    return "\n".join([EXAMPLES_HEADING, *(f"  {c}" for c in commands)])


class ExampleFormatter(argparse.HelpFormatter):
    """Wraps descriptions as argparse does, but keeps the examples' lines as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith(EXAMPLES_HEADING):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)
