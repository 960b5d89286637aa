"""`check` reads each authority file once (issue 21 item 2): the file's identity and its own checks
(an identifier used twice, two dates for one event) come from the same parse that the check then
uses, and the checks of one file still refuse that file alone, at its own line, even when they run
over all the files at once."""

from pathlib import Path

from sendkg.authorities import check, resolve
from sendkg.resources import resource_dir
from sendkg.store import EmbeddedStore

HEAD = """@prefix skg: <https://w3id.org/sendkg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def authority(tmp_path: Path, name: str, extra: str = "") -> Path:
    f = tmp_path / f"{name}.ttl"
    f.write_text(HEAD + f'<https://example.org/{name}> a skg:Authority ; dcterms:identifier "{name}" ; '
                 f'rdfs:label "{name.title()}" ; skg:gssCode "E06000099" ; skg:identified true .\n' + extra)
    return f


# two claims of one kind under one identifier: check_extension refuses the file (sendkg/validate.py)
TWICE = """<https://example.org/c1> a skg:RouteClaim ; dcterms:identifier "same" .
<https://example.org/c2> a skg:RouteClaim ; dcterms:identifier "same" .
"""


def test_a_bad_file_is_refused_alone_at_its_line(tmp_path):
    good, bad = authority(tmp_path, "good"), authority(tmp_path, "bad", TWICE)
    errors: list[str] = []
    chosen = resolve([str(good), str(bad)], errors=errors, keep=True)
    assert [a.id for a in chosen] == ["good"]
    assert len(errors) == 1 and errors[0].startswith(f"{bad}:5: the identifier 'same' is used by 2 different")


def test_a_statement_in_another_file_does_not_hide_a_duplicate(tmp_path):
    """extension-duplicate-identifiers leaves out a replaced node; over all files at once, another
    file's dcterms:replaces would hide the duplicate, so each file is then checked alone."""
    bad = authority(tmp_path, "bad", TWICE)
    other = authority(tmp_path, "other", "<https://example.org/new> dcterms:replaces <https://example.org/c2> .\n")
    errors: list[str] = []
    chosen = resolve([str(bad), str(other)], errors=errors, keep=True)
    assert [a.id for a in chosen] == ["other"]
    assert len(errors) == 1 and "the identifier 'same'" in errors[0] and errors[0].startswith(str(bad))


def test_each_file_is_parsed_once(tmp_path, monkeypatch):
    files = [authority(tmp_path, n) for n in ("one", "two", "three")]
    parsed: list[str] = []
    load, parse = EmbeddedStore.load_file, EmbeddedStore.parse_file

    def counted_load(self, path):
        parsed.append(str(path))
        return load(self, path)

    def counted_parse(path):
        parsed.append(str(path))
        return parse(path)

    monkeypatch.setattr(EmbeddedStore, "load_file", counted_load)
    monkeypatch.setattr(EmbeddedStore, "parse_file", staticmethod(counted_parse))
    report = check(resolve([str(f) for f in files], keep=True))
    assert sorted(a.id for a in report.authorities) == ["one", "three", "two"]
    for f in files:
        assert parsed.count(str(f)) == 1, f
    seeds = sorted(str(p) for p in (resource_dir("offers")).glob("*.ttl"))
    assert all(parsed.count(s) == 1 for s in seeds), "the seeds (the known authorities) once too"
