"""Start-up (issue 21 item 5): what a command imports, and the cache of answers (sendkg/modelcache.py).

No timings here (they are in benchmarks/): what is imported is read from sys.modules in a fresh
process, and the cache is judged by its answers: the same with it, without it, after a model file
changes, and when an entry is corrupt.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("rdflib", "pyshacl", "owlready2", "matplotlib", "requests", "trafilatura", "lxml", "icalendar")
DEADLINES = ["deadlines", "refuse-assessment", "--decision-date", "2026-03-10", "--certificate-date", "2026-04-20",
             "--format", "json"]


def _env(cache) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SENDKG_ANSWER_CACHE=str(cache))
    env.pop("SENDKG_DATA", None)
    return env


def _run(args, cache):
    proc = subprocess.run([sys.executable, "-m", "sendkg", *args], env=_env(cache), cwd="/", capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _imported(args, cache) -> set[str]:
    """The top-level packages a fresh process has imported once `sendkg ARGS` has run."""
    code = ("import sys, io, contextlib\nfrom sendkg.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(sys.argv[1:])\n    except SystemExit:\n        pass\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} | "
            "{m for m in sys.modules if m.startswith('sendkg.')})), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code, *args], env=_env(cache), cwd="/", capture_output=True,
                          text=True, timeout=120)
    return set(proc.stderr.split())


def test_every_command_is_listed_with_its_module():
    """The lazy table of commands (sendkg.commands.MODULES) is the modules' own COMMANDS lists."""
    import importlib

    from sendkg.commands import MODULES

    for module, names in MODULES.items():
        assert tuple(c.name for c in importlib.import_module(f"sendkg.commands.{module}").COMMANDS) == names


def test_version_imports_no_command_and_no_rdf_library(tmp_path):
    mods = _imported(["--version"], tmp_path)
    assert "click" in mods and "sendkg.cli" in mods  # the probe works
    assert not mods & {*HEAVY, "pyoxigraph"}, mods & {*HEAVY, "pyoxigraph"}
    assert not {m for m in mods if m.startswith("sendkg.commands.")}


@pytest.mark.parametrize("args", [["routes", "refuse-assessment"], DEADLINES[:-2]])
def test_routes_and_deadlines_import_no_heavy_library(tmp_path, args):
    for _ in range(2):  # with an empty cache, then answered from it
        mods = _imported(args, tmp_path)
        assert "sendkg.commands.law" in mods and "sendkg.model" in mods
        assert not mods & set(HEAVY), mods & set(HEAVY)
        assert not mods & {"sendkg.commands.content", "sendkg.commands.rdf", "sendkg.commands.study",
                           "sendkg.reader", "sendkg.validate", "sendkg.lint", "sendkg.authorities"}
    if args[0] == "routes":  # routes without dates reads no calendar
        assert "sendkg.deadlines" not in mods and "sendkg.dates" not in mods


@pytest.mark.parametrize("args", [["routes", "refuse-assessment"], DEADLINES[:-2]])
def test_an_answer_from_the_cache_imports_no_rdf_library(tmp_path, args):
    """Answered from the cache, a command needs no store: pyoxigraph is not imported (its version is
    read from its files), nor the JSON or CSV writers for a table."""
    first = _imported(args, tmp_path)  # with an empty cache: the store is loaded
    assert "pyoxigraph" in first and "sendkg.store" in first  # the probe works
    mods = _imported(args, tmp_path)
    assert "sendkg.model" in mods and "sendkg.modelcache" in mods
    assert not mods & {"pyoxigraph", "sendkg.store", "json", "csv"}, mods & {"pyoxigraph", "sendkg.store", "json", "csv"}


def test_a_parameter_is_one_key_and_never_another(tmp_path):
    """The plain text of the parameters (the cache's key) tells apart what binds differently."""
    from datetime import date

    from sendkg.terms import IRI, Literal, date_value, iri, key

    texts = [key(p) for p in ({"x": iri("https://e.org/a")}, {"x": "https://e.org/a"},
                              {"x": Literal("https://e.org/a", "https://e.org/t")}, {"x": [iri("https://e.org/a")]},
                              {"x": iri("https://e.org/a"), "y": 1}, {"x": iri("https://e.org/b")},
                              {"x": True}, {"x": 1}, {"x": "1"}, {"x": date_value(date(2026, 3, 2))},
                              {"x": Literal("2026-03-02", "http://www.w3.org/2001/XMLSchema#string")}, {})]
    assert len(set(texts)) == len(texts)
    assert key({"x": IRI("https://e.org/a")}) == texts[0]


def test_help_still_lists_every_command(tmp_path):
    from sendkg.commands import MODULES

    out = _run(["--help"], tmp_path)
    for names in MODULES.values():
        for name in names:
            assert f"  {name} " in out


@pytest.mark.parametrize("args", [["routes", "refuse-assessment", "--format", "json"], DEADLINES,
                                  ["routes", "cease-plan", "--decision-date", "2026-03-10", "--format", "json"],
                                  ["show", "mediation-advice", "--format", "json"], ["decisions", "--format", "json"],
                                  ["conditions", "--format", "json"]])
def test_the_same_answers_with_and_without_the_cache(tmp_path, args):
    cache = tmp_path / "cache"
    without = _run(args, "off")
    assert not cache.exists()
    first = _run(args, cache)  # every query run, its answer kept
    if args[0] in ("routes", "deadlines"):
        assert list(cache.glob("*/answers/*.bin")), "nothing was kept"
    second = _run(args, cache)  # answered from the cache
    assert first == without and second == without


def _copy_model(tmp_path) -> list[Path]:
    from sendkg.resources import model_files, resource_dir

    base = resource_dir("ontology")
    out = []
    for f in model_files():
        target = tmp_path / "ontology" / f.relative_to(base)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
        out.append(target)
    return out


def _decision_label(files, cache_dir, monkeypatch) -> str:
    from sendkg.model import Model
    from sendkg.store import ModelStore

    monkeypatch.setenv("SENDKG_ANSWER_CACHE", str(cache_dir))
    return Model(store=ModelStore(files)).decision("refuse-assessment")["label"]


def test_a_changed_model_file_is_never_answered_from_the_cache(tmp_path, monkeypatch):
    files = _copy_model(tmp_path)
    cache = tmp_path / "cache"
    before = _decision_label(files, cache, monkeypatch)
    assert _decision_label(files, cache, monkeypatch) == before  # from the cache
    keys = {p.name for p in cache.iterdir()}
    decisions = next(f for f in files if f.name == "decisions.ttl")
    text = decisions.read_text(encoding="utf-8")
    assert f'"{before}"' in text
    decisions.write_text(text.replace(f'"{before}"', '"A label changed by the test"'), encoding="utf-8")
    assert _decision_label(files, cache, monkeypatch) == "A label changed by the test"
    assert {p.name for p in cache.iterdir()} - keys, "the changed model has a key of its own"
    decisions.write_text(text, encoding="utf-8")  # back as it was: the first key's answers again
    assert _decision_label(files, cache, monkeypatch) == before


def test_a_corrupt_entry_is_ignored_and_written_again(tmp_path, monkeypatch):
    import marshal

    from sendkg.modelcache import _blake2b

    files = _copy_model(tmp_path)
    cache = tmp_path / "cache"
    right = _decision_label(files, cache, monkeypatch)
    entries = sorted(cache.glob("*/answers/*.bin"))
    assert entries
    whole = entries[0].read_bytes()

    def sealed(value) -> bytes:  # a well-formed entry (its hash right) holding the wrong thing
        body = marshal.dumps(value)
        return _blake2b(body).digest() + body

    kinds = [b"", whole[:20], whole[:-1], whole[:16] + b"\x00" + whole[17:], b"\xff" * 40,
             sealed(("another question", [], [])), sealed([1, 2, 3]), sealed((None, [], [1])), sealed("text")]
    for i, entry in enumerate(entries):
        entry.write_bytes(kinds[i % len(kinds)])
    assert _decision_label(files, cache, monkeypatch) == right
    for entry in entries:  # written again, whole
        data = entry.read_bytes()
        assert _blake2b(data[16:]).digest() == data[:16]
        question, names, rows = marshal.loads(data[16:])
        assert isinstance(question, str) and isinstance(names, list) and isinstance(rows, list)


def test_an_entry_is_read_only_for_the_model_alone(tmp_path, monkeypatch):
    """A store with triples added (claims, --data) never answers from the cache: shown by an entry
    made wrong on purpose, which the pristine store believes and the extended one does not."""
    from sendkg.store import ModelStore, load_query

    monkeypatch.setenv("SENDKG_ANSWER_CACHE", str(tmp_path / "cache"))
    files = _copy_model(tmp_path)
    from sendkg.modelcache import question

    query = load_query("coverage")
    store = ModelStore(files)
    rows = store.select(query)
    assert rows
    store._cache.write_answer(question(query, {}), ["label"], [{"label": "planted"}])
    assert ModelStore(files).select(query) == [{"label": "planted"}]  # the probe: it is read
    extended = ModelStore(files)
    extended.add([])
    assert extended.select(query) == rows


def test_an_unwritable_cache_folder_is_no_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = _run(["routes", "refuse-assessment", "--format", "json"], blocker / "cache")
    assert out == _run(["routes", "refuse-assessment", "--format", "json"], "off")


def test_pruning_old_models_removes_only_the_caches_own_folders(tmp_path, monkeypatch):
    """Old models' folders are removed past KEEP_KEYS, but in a folder the user names
    (SENDKG_ANSWER_CACHE=/tmp, say) nothing the cache did not make is ever touched: a folder with a
    key-like name holding anything but answers/ stays (a run never loses a file it did not write)."""
    from sendkg import modelcache

    root = tmp_path / "shared"
    mine = []
    for n in range(modelcache.KEEP_KEYS + 3):
        d = root / f"{n:032x}" / "answers"
        d.mkdir(parents=True)
        (d / "x.bin").write_bytes(b"")
        mine.append(d.parent)
    theirs = root / ("f" * 32)
    (theirs / "photos").mkdir(parents=True)
    (theirs / "photos" / "a.jpg").write_bytes(b"\xff\xd8")
    os.utime(theirs, (1_000_000_000, 1_000_000_000))  # the oldest folder of all: first to go, were it the cache's
    other = root / "notes.txt"
    other.write_text("keep")
    monkeypatch.setenv("SENDKG_ANSWER_CACHE", str(root))
    modelcache.ModelCache(root, "e" * 32)._prune_keys()
    left = [d for d in mine if d.exists()]
    assert len(left) == modelcache.KEEP_KEYS - 1  # room made for the new key
    assert (theirs / "photos" / "a.jpg").read_bytes() == b"\xff\xd8" and other.read_text() == "keep"


def test_the_model_key_is_remembered_by_file_status_and_never_past_a_change(tmp_path, monkeypatch):
    """The key is taken from stamps/ only while every file's status (its change time included, which
    nothing sets back) is the one it was hashed with: a file changed to the same size, its
    modification time put back, is read again and gives a new key."""
    from sendkg import modelcache

    files = _copy_model(tmp_path)
    root = tmp_path / "cache"
    monkeypatch.setattr(modelcache, "SETTLED_NS", 0)  # the copies are new: stamp them at once
    first = modelcache.model_key(files, root)
    assert first == modelcache.model_key(files)  # the same key as hashing
    assert list((root / "stamps").glob("*.bin"))

    def no_hashing(*args):
        raise AssertionError("hashed again")

    with monkeypatch.context() as m:
        m.setattr(modelcache, "_hash_files", no_hashing)
        assert modelcache.model_key(files, root) == first  # from the stamp
    decisions = next(f for f in files if f.name == "decisions.ttl")
    st = decisions.stat()
    data = decisions.read_bytes()
    at = data.index(b"Refuse") if b"Refuse" in data else data.index(b"a")
    decisions.write_bytes(data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1:])  # same size
    os.utime(decisions, ns=(st.st_atime_ns, st.st_mtime_ns))  # its modification time put back
    changed = modelcache.model_key(files, root)
    assert changed != first and changed == modelcache.model_key(files)
    monkeypatch.setattr(modelcache, "SETTLED_NS", 10**18)  # changed just now: no stamp written
    (root / "stamps").joinpath("x").parent.mkdir(exist_ok=True)
    for stamp in (root / "stamps").glob("*.bin"):
        stamp.write_bytes(b"\x00" * 40)  # a corrupt stamp is ignored
    with monkeypatch.context() as m:
        calls = []
        real = modelcache._hash_files
        m.setattr(modelcache, "_hash_files", lambda *a: calls.append(1) or real(*a))
        assert modelcache.model_key(files, root) == changed
        assert modelcache.model_key(files, root) == changed
        assert len(calls) == 2  # too fresh to stamp: hashed each time


def test_a_line_that_fits_is_what_textwrap_gives():
    """The table's short cut for a text that fits on its line gives exactly textwrap's lines."""
    import textwrap

    from hypothesis import given, settings, strategies as st

    from sendkg.render import table

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet=st.sampled_from(list("ab -\t\n\u00a0\u2003.,é")), max_size=130),
           st.sampled_from(["", "    ", "      "]))
    def same(text, indent):
        expected = textwrap.fill(text, width=table.WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")
        assert table._wrap(text, indent) == expected

    same()
    for text in ("", " ", "a", "x" * 100, "x" * 101, "a  b", " a", "a ", "a\tb"):
        assert table._wrap(text, "") == textwrap.fill(text, width=table.WIDTH, subsequent_indent="  ")
