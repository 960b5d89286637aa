"""Authority content: the seeds' findings (each pinned to its seed line), planted errors, adding an
authority with one Turtle file, `check` and `compare` in every format, and bad input."""

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from sendkg.authorities import check, resolve
from sendkg.resources import resource_dir

FINDINGS = tomllib.loads((Path(__file__).parent / "scenarios" / "findings.toml").read_text())["finding"]
SEEDS = Path(__file__).resolve().parent / "seeds"  # copies of ../shared/seeds (see tests/seeds/README.md)
FILES = {"milton-keynes": "000_dc0ff41c4349732d.txt", "islington": "001_d6783b0ee61bfd61.txt",
         "unnamed-002": "002_8e9984b6f3274254.txt", "dudley": "003_b4d58f8d5159bda6.txt",
         "rotherham": "004_156783a074228d54.txt"}


@pytest.fixture(scope="module")
def report():
    return check(resolve([]))


def test_all_five_seeds_are_known():
    assert set(FILES) <= {a.id for a in resolve([])}


def test_findings_are_exactly_the_reviewed_ones(report):
    got = sorted((a.id, f.code, f.severity, f.line) for a in report.authorities for f in a.findings)
    # a finding about the whole page (no line in the scenario) stands at its first line, as in lint
    want = sorted((f["authority"], f["code"], f["severity"], f.get("line", 1)) for f in FINDINGS)
    assert got == want


@pytest.mark.parametrize("f", [f for f in FINDINGS if "line" in f],
                         ids=[f"{f['authority']}:{f.get('line')}:{f['code']}" for f in FINDINGS if "line" in f])
def test_finding_rests_on_its_seed_line(report, f):
    a = next(a for a in report.authorities if a.id == f["authority"])
    found = [x for x in a.findings if x.line == f["line"] and x.code == f["code"]]
    assert found and found[0].document == FILES[f["authority"]]
    assert found[0].source, "every finding names its legal source"
    line = (SEEDS / FILES[f["authority"]]).read_text(encoding="utf-8").splitlines()[f["line"] - 1]
    assert f["quote"] in line, f"seed line {f['line']} does not say: {f['quote']}"


def test_correct_statements_are_not_flagged(report):
    """Seed 000 states the Tribunal time limit, the certificate's 3 working days and the 30 days
    correctly (HESC Rules r.20(1)(c); SEND Regs regs 34-41): no finding may stand on them."""
    mk = next(a for a in report.authorities if a.id == "milton-keynes")
    assert not [f for f in mk.findings if f.code in ("wrong-time-limit", "wrong-citation")]
    assert not [f for f in mk.findings if f.line in (119, 123, 127, 137, 146)]
    islington = next(a for a in report.authorities if a.id == "islington")
    assert not [f for f in islington.findings if f.line in (80, 148, 152)]  # "Integrated Care Board" is current


def planted(tmp_path, **subs):
    text = (resource_dir("offers") / "milton-keynes.ttl").read_text()
    for old, new in subs.items():
        assert old in text
        text = text.replace(old, new)
    f = tmp_path / "planted.ttl"
    f.write_text(text)
    return f


def test_planted_wrong_time_limit_is_a_violation(tmp_path):
    f = planted(tmp_path, **{"skg:statedDuration 30 ; skg:statedUnit time:unitDay": "skg:statedDuration 15 ; skg:statedUnit time:unitDay"})
    rep = check(resolve([str(f)]))
    bad = [x for x in rep.authorities[0].findings if x.code == "wrong-time-limit"]
    assert [(x.severity, x.line) for x in bad] == [("violation", 125)]
    assert "15 days" in bad[0].message and "30 days" in bad[0].message


def test_planted_wrong_citation_is_a_violation(tmp_path):
    f = planted(tmp_path, **{"skg:citedFirst 45 ; skg:citedLast 45": "skg:citedFirst 67 ; skg:citedLast 67"})
    rep = check(resolve([str(f)]))
    bad = [x for x in rep.authorities[0].findings if x.code == "wrong-citation"]
    assert [(x.severity, x.line) for x in bad] == [("violation", 137)]


TEMPLATE = """
@prefix skg:     <https://w3id.org/sendkg/def#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix route:   <https://w3id.org/sendkg/id/route/> .
@prefix tl:      <https://w3id.org/sendkg/id/time-limit/> .
@prefix ev:      <https://w3id.org/sendkg/id/event/> .
@prefix cond:    <https://w3id.org/sendkg/id/condition/> .
@prefix x:       <https://example.org/offers/exampleshire/> .

x:authority a skg:Authority ; dcterms:identifier "exampleshire" ; rdfs:label "Exampleshire" ;
    skg:gssCode "E10000099" ; skg:identified true ; skg:sendiass x:iass .
x:iass a skg:Service ; rdfs:label "Exampleshire SENDIASS" .
x:provider a skg:Provider ; rdfs:label "Example Mediation" ; skg:provides route:disagreement-resolution .
x:page a skg:Document ; rdfs:label "Disagreements" ; skg:about x:authority ; skg:sourceFile "exampleshire.html" ;
    skg:namesProvider x:provider .
x:advice a skg:RouteClaim ; skg:inDocument x:page ; skg:line 10 ; skg:describes route:mediation-advice .
x:limit a skg:TimeLimitClaim ; skg:inDocument x:page ; skg:line 12 ; skg:aboutLimit tl:appeal-after-notice ;
    skg:statedDuration 6 ; skg:statedUnit time:unitWeek ; skg:statedAnchor ev:decision-sent .
x:exception a skg:ExceptionClaim ; skg:inDocument x:page ; skg:line 14 ; skg:mentionsCondition cond:section-i-only .
"""


def test_a_researcher_adds_an_authority_with_one_file(cli, tmp_path):
    f = tmp_path / "exampleshire.ttl"
    f.write_text(TEMPLATE)
    r = cli("check", f, "--format", "json")
    assert r.returncode == 1  # the planted 6 weeks is a violation
    data = json.loads(r.stdout)
    (auth,) = data["authorities"]
    assert auth["id"] == "exampleshire" and auth["name"] == "Exampleshire"
    assert [(x["code"], x["line"], x["document"]) for x in auth["findings"]] == [("wrong-time-limit", 12, "exampleshire.html")]
    assert set(auth["findings"][0]) == {"severity", "code", "message", "source", "document", "line", "column"}
    c = cli("compare", "milton-keynes", f, "--format", "json")
    rows = json.loads(c.stdout)
    assert [r["authority"] for r in rows] == ["exampleshire", "milton-keynes"]
    assert rows[0]["time_limits_wrong"] == 1 and rows[0]["completeness"] == 1.0


def test_check_text_and_exit_codes(cli):
    r = cli("check", "rotherham")
    assert r.returncode == 0, r.stderr  # warnings only; --fail-on violation by default
    assert "Rotherham [rotherham] E08000018: 0 violations, 4 warnings, 1 info" in r.stdout
    assert "004_156783a074228d54.txt:5" in r.stdout
    assert cli("check", "rotherham", "--fail-on", "warning").returncode == 1
    t = cli("check", "rotherham", "--format", "turtle")
    assert "sh:ValidationReport" in t.stdout and "sh:Warning" in t.stdout


def test_compare_formats(cli, tmp_path):
    t = cli("compare")
    assert t.returncode == 0, t.stderr
    for a in FILES:
        assert a in t.stdout
    rows = json.loads(cli("compare", "--format", "json").stdout)
    by = {r["authority"]: r for r in rows}
    assert by["rotherham"]["mediation_advice"] is False and by["milton-keynes"]["section_i_exception"] is True
    assert by["unnamed-002"]["sendiass"] == "" and by["dudley"]["dr_providers"] == "KIDS; Prime Resolution"
    csv_text = cli("compare", "--format", "csv").stdout.splitlines()
    assert csv_text[0].startswith("authority,name,gss_code,") and len(csv_text) == 6
    page = tmp_path / "c.html"
    assert cli("compare", "--format", "html", "-o", page).returncode == 0
    assert page.read_text().startswith("<!doctype html>") and "<td" in page.read_text()
    png, svg = tmp_path / "c.png", tmp_path / "c.svg"
    assert cli("compare", "--plot", png).returncode == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert cli("compare", "dudley", "--plot", svg).returncode == 0
    assert "<svg" in svg.read_text()
    # the heat map's cells say what they count, in words, from the same rows
    d = by["dudley"]
    for word in ("yes", "no", f"{d['superseded_terms']} old", f"{d['time_limits_stated'] - d['time_limits_wrong']} of "
                 f"{d['time_limits_stated']}"):
        assert f"<!-- {word} -->" in svg.read_text(), word


def test_bad_input(cli, tmp_path):
    from test_cli import one_line_error

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix skg: <https://w3id.org/sendkg/def#> .\n<x> a skg:Authority , .\n")
    one_line_error(cli("check", bad), str(bad) + ":2:")
    noid = tmp_path / "noid.ttl"
    noid.write_text("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<https://e.org/p> rdfs:label \"page\" .\n")
    one_line_error(cli("check", noid), "no authority in this file")
    half = tmp_path / "half.ttl"
    half.write_text("@prefix skg: <https://w3id.org/sendkg/def#> .\n<https://e.org/a> a skg:Authority .\n")
    one_line_error(cli("compare", half), "has no dcterms:identifier")
    one_line_error(cli("check", "miltonkeynes"), "unknown authority", "milton-keynes")
    one_line_error(cli("check", tmp_path / "missing.ttl"), "no such file")
    one_line_error(cli("compare", "--plot", tmp_path / "x.jpg"), ".png or .svg")


def test_fast_validation_agrees_with_pyshacl(tmp_path):
    """sendkg runs SHACL-SPARQL constraints once per shape in Oxigraph, and gives pySHACL only the
    nodes its core shapes target; plain pySHACL runs every shape over all the data. On the seeds plus
    planted errors, both must give the same results: focus node, severity and message."""
    from pyshacl import validate
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF

    from sendkg.resources import model_files
    from sendkg.store import EmbeddedStore

    extra = planted(tmp_path, **{"skg:citedFirst 45 ; skg:citedLast 45": "skg:citedFirst 6 ; skg:citedLast 6",
                                 "skg:statedDuration 30 ; skg:statedUnit time:unitDay": "skg:statedDuration 15 ; skg:statedUnit time:unitDay",
                                 "skg:sendiass x:sendias ;": ""})
    others = [a for a in resolve([]) if a.id != "milton-keynes"]
    files = [*model_files(), *[a.path for a in others], extra]
    data = Graph().parse(data=EmbeddedStore(files).dump().decode(), format="nt")
    shapes = Graph().parse(resource_dir("shapes") / "authority.ttl")
    _, results, _ = validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True, allow_infos=True)
    sh = Namespace("http://www.w3.org/ns/shacl#")
    slow = sorted((str(results.value(r, sh.focusNode)), str(results.value(r, sh.resultSeverity)).rsplit("#")[-1].lower(),
                   str(results.value(r, sh.resultMessage))) for r in results.subjects(RDF.type, sh.ValidationResult))
    fast = check(resolve([a.id for a in others] + [str(extra)]))
    quick = sorted((f.focus, f.severity, f.message) for a in fast.authorities for f in a.findings)
    assert quick == slow
    codes = {f.code for a in fast.authorities for f in a.findings}
    assert {"wrong-time-limit", "wrong-citation", "missing-sendiass", "missing-tribunal-time-limit"} <= codes


def test_readme_template_works():
    """The manual's 'Adding an authority' template is a valid authority file."""
    from conftest import manual_page

    readme = manual_page("guide/authorities.md")
    block = readme.split("## Adding an authority", 1)[1].split("```turtle", 1)[1].split("```", 1)[0]
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "exampleshire.ttl"
        f.write_text(block)
        rep = check(resolve([str(f)]))
    (a,) = rep.authorities
    assert a.id == "exampleshire"
    assert [(x.code, x.line) for x in a.findings] == [("superseded-term", 22)]
