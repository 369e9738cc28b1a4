"""Every ``cordsim`` subcommand's ``--help`` ends with examples, printed line by line."""

import pytest

from cordsim.cli import build_parser, main
from cordsim.cli_help import EXAMPLES_HEADING, examples

VERBS = list(build_parser()._subparsers._group_actions[0].choices)


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_has_an_example(verb, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([verb, "--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    tail = help_text.split(f"\n{EXAMPLES_HEADING}\n", 1)
    assert len(tail) == 2, f"cordsim {verb} --help has no examples"
    first = tail[1].splitlines()[0]
    assert first.startswith(f"  cordsim {verb}"), first  # kept as typed, not re-wrapped


def test_examples_needs_a_command():
    with pytest.raises(ValueError):
        examples()
