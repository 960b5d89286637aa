"""The manual's examples are real output: every `$ sendkg ...` example shown in full (no "..." line,
no server) in the README or a hand-written page of the documentation site (docs/, conftest.MANUAL_PAGES)
is run, and what it prints must be what the page shows. A change in what a user would see shows up
here, and the page is brought up to date in the same change.

Examples are self-contained: a file an example reads is shown in the manual, either as `$ cat NAME`
with its contents or as a fenced block right after a line ending in "`NAME`:". Those files are
written to a fresh folder and the examples run there. The Python examples (`>>>` lines) are run with
doctest, in the same folder."""

import doctest
import re
import shlex

import pytest

from conftest import manual, run_cli

README = manual()  # the README and the site's hand-written pages
BLOCK = re.compile(r"^```([a-z]*)\n(.*?)^```", flags=re.S | re.M)
FILE_WORD = re.compile(r"\.(ttl|txt|html|md|rq|png|svg|ics)$")


def examples():
    """(command, expected output) for each `$ sendkg` line in a fenced block, up to the next `$` line."""
    out = []
    for _lang, block in BLOCK.findall(README):
        parts = re.split(r"^\$ ", block, flags=re.M)
        for part in parts[1:]:
            command, _, expected = part.partition("\n")
            out.append((command, expected))
    return out


def files() -> dict[str, str]:
    """The files the README shows: `$ cat NAME` and its output, or a block after "`NAME`:"."""
    out = {}
    for command, expected in examples():
        words = shlex.split(command)
        if len(words) == 2 and words[0] == "cat":
            out[words[1]] = expected
    for m in BLOCK.finditer(README):
        before = README[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        named = re.search(r"`([\w.-]+\.\w+)`:$", before)
        if named:
            out[named.group(1)] = m.group(2)
    return out


FILES = files()


def outputs(command: str) -> list[str]:
    words = shlex.split(command)
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output")]


# files an example writes (-o NAME), and the command that writes them, for the examples that read them
PRODUCED = {name: command for command, _ in examples() for name in outputs(command)}


def runnable(command: str, expected: str) -> bool:
    words = shlex.split(command)
    return (words[0] == "sendkg" and "..." not in expected.split("\n") and "|" not in words
            and not {"serve", "load", "--endpoint", "--plot"} & set(words)
            and all(w in FILES or w in PRODUCED for w in words if FILE_WORD.search(w)))


EXAMPLES = [(c, e) for c, e in examples() if runnable(c, e)]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    where = tmp_path_factory.mktemp("readme")
    for name, text in FILES.items():
        (where / name).write_text(text, encoding="utf-8")
    return where


def test_the_readme_has_examples_to_check():
    assert len(EXAMPLES) >= 4, [c for c, _ in EXAMPLES]
    # the examples that read a file run too (lint, query, bad input): none is left out for its file
    assert {"sendkg lint page.md page.html", "sendkg --data bad.ttl routes refuse-plan"} <= {c for c, _ in EXAMPLES}


@pytest.mark.parametrize("command,expected", EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_readme_example_is_real_output(command, expected, folder):
    for word in shlex.split(command):  # a file an earlier example writes: write it first
        if word in PRODUCED and word not in outputs(command) and not (folder / word).exists():
            assert run_cli(*shlex.split(PRODUCED[word])[1:], cwd=folder).returncode == 0
    r = run_cli(*shlex.split(command)[1:], cwd=folder)
    got = (r.stdout + r.stderr).rstrip("\n").splitlines()
    assert [line.rstrip() for line in got] == [line.rstrip() for line in expected.rstrip("\n").splitlines()]


PYTHON = [block for lang, block in BLOCK.findall(README) if lang in ("python", "pycon") and ">>> " in block]


def test_the_readme_has_python_examples():
    assert PYTHON and sum(b.count(">>> ") for b in PYTHON) >= 10


@pytest.mark.parametrize("n", range(len(PYTHON)))
def test_readme_python_example_runs_as_shown(n, folder, monkeypatch):
    """The README's Python API examples, run with doctest (the output shown is what Python prints)."""
    monkeypatch.chdir(folder)
    test = doctest.DocTestParser().get_doctest(PYTHON[n], {}, f"README python example {n + 1}", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0 and runner.tries > 0, f"see the doctest output above ({runner.failures} failed)"


def json_examples():
    """(command, shown JSON) for each json block right after a line ending in "`sendkg ...`:"."""
    out = []
    for m in BLOCK.finditer(README):
        if m.group(1) != "json":
            continue
        before = README[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        named = re.search(r"`(sendkg [^`]+)`:$", before)
        if named:
            out.append((named.group(1), m.group(2)))
    return out


def shown_in(shown, real) -> bool:
    """The README's JSON is part of the real output: its keys in the real order with the same values,
    a list ending in "..." the first items of the real list; or such a part of something inside it."""
    def same(a, b) -> bool:
        if isinstance(a, dict):
            return (isinstance(b, dict) and set(a) <= set(b) and [k for k in b if k in a] == list(a)
                    and all(same(a[k], b[k]) for k in a))
        if isinstance(a, list):
            if a and a[-1] == "...":
                return isinstance(b, list) and len(b) >= len(a) - 1 and all(same(x, y) for x, y in zip(a[:-1], b))
            return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        return a == b

    if same(shown, real):
        return True
    children = real.values() if isinstance(real, dict) else real if isinstance(real, list) else []
    return any(shown_in(shown, c) for c in children)


JSON_EXAMPLES = json_examples()


def test_the_readme_has_json_examples_to_check():
    assert len(JSON_EXAMPLES) >= 3, JSON_EXAMPLES


@pytest.mark.parametrize("command,shown", JSON_EXAMPLES, ids=[c[:60] for c, _ in JSON_EXAMPLES])
def test_readme_json_example_is_part_of_the_real_output(command, shown):
    import json

    r = run_cli(*shlex.split(command)[1:])
    assert shown_in(json.loads(shown), json.loads(r.stdout)), f"{command}: the README's JSON is not its output"
