"""Issue 23 item 4: every command's --help ends with an example whose command is that command; the
examples that need no network, server or file of the user's own run as they are written."""

import shlex

import click
import pytest
from click.testing import CliRunner

from conftest import run_cli

# the commands whose examples run offline from an empty folder
RUNNABLE = {"authorities", "check", "conditions", "deadlines", "decisions", "explore", "routes", "rule", "show",
            "sources", "vocabulary"}


def commands():
    """Every command of the click group, with its path (a group's subcommands too)."""
    from sendkg.cli import cli

    def walk(group, path):
        for name, cmd in sorted(group.commands.items()):
            yield path + [name], cmd
            if isinstance(cmd, click.Group):
                yield from walk(cmd, path + [name])

    return list(walk(cli, []))


def example_lines(help_text: str) -> list[str]:
    lines = help_text.splitlines()
    at = [i for i, x in enumerate(lines) if x.strip() in ("Example:", "Examples:")]
    assert at, help_text
    return [x.strip() for x in lines[at[-1] + 1:] if x.strip()]


def command_of(line: str) -> list[str]:
    """The command path an example line runs: the words after 'sendkg' and its global options."""
    from sendkg.cli import cli

    words = shlex.split(line)
    assert words[0] == "sendkg", line
    takes_value = {o for p in cli.params if isinstance(p, click.Option) and not p.is_flag for o in p.opts}
    i, path = 1, []
    while i < len(words) and words[i] in takes_value:
        i += 2
    group = cli
    while i < len(words) and isinstance(group, click.Group) and words[i] in group.commands:
        path.append(words[i])
        group = group.commands[words[i]]
        i += 1
    return path


@pytest.mark.parametrize("path", [p for p, _ in commands()], ids=" ".join)
def test_every_help_shows_an_example_of_its_own_command(path):
    from sendkg.cli import cli

    r = CliRunner().invoke(cli, [*path, "--help"], prog_name="sendkg")
    assert r.exit_code == 0, r.output
    for line in example_lines(r.output):
        assert command_of(line) == path, (path, line)


def test_no_example_is_for_a_command_that_does_not_exist():
    from sendkg.commands.examples import EXAMPLES

    assert set(EXAMPLES) == {p[0] for p, _ in commands()}


@pytest.mark.parametrize("name", sorted(RUNNABLE))
def test_the_offline_examples_run_as_written(name, tmp_path):
    from sendkg.commands.examples import EXAMPLES

    for line in EXAMPLES[name]:
        r = run_cli(*shlex.split(line)[1:], cwd=tmp_path)
        assert r.returncode in (0, 1) and "error" not in r.stderr.lower(), (line, r.stderr)
