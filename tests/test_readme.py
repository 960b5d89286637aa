"""The README's examples are real output: every `$ sendkg ...` example shown in full (no "..." line,
no file of its own, no server) is run, and what it prints must be what the README shows. A change
in what a user would see shows up here, and the README is brought up to date in the same change."""

import re
import shlex

import pytest

from conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def examples():
    """(command, expected output) for each `$ sendkg` line in a fenced block, up to the next `$` line."""
    out = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", README, flags=re.S | re.M):
        parts = re.split(r"^\$ ", block, flags=re.M)
        for part in parts[1:]:
            command, _, expected = part.partition("\n")
            out.append((command, expected))
    return out


def runnable(command: str, expected: str) -> bool:
    words = shlex.split(command)
    return (words[0] == "sendkg" and "..." not in expected.split("\n") and "|" not in words
            and not {"serve", "load", "--endpoint"} & set(words)
            and not any(re.search(r"\.(ttl|txt|html|md|rq|png|svg|ics)$", w) for w in words))


EXAMPLES = [(c, e) for c, e in examples() if runnable(c, e)]


def test_the_readme_has_examples_to_check():
    assert len(EXAMPLES) >= 4, [c for c, _ in EXAMPLES]


@pytest.mark.parametrize("command,expected", EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_readme_example_is_real_output(command, expected):
    r = run_cli(*shlex.split(command)[1:])
    got = (r.stdout + r.stderr).rstrip("\n").splitlines()
    assert [line.rstrip() for line in got] == [line.rstrip() for line in expected.rstrip("\n").splitlines()]
