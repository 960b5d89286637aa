"""The SHACL shapes catch a broken model. Each test feeds one kind of broken extension file."""

import pytest

from sendkg.resources import model_files
from sendkg.validate import validate

PREFIXES = """
@prefix skg: <https://w3id.org/sendkg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix route: <https://w3id.org/sendkg/id/route/> .
@prefix dec: <https://w3id.org/sendkg/id/decision/> .
@prefix party: <https://w3id.org/sendkg/id/party/> .
@prefix src: <https://w3id.org/sendkg/id/source/> .
@prefix ev: <https://w3id.org/sendkg/id/event/> .
@prefix ex: <https://example.org/> .
"""


def check(tmp_path, body):
    f = tmp_path / "broken.ttl"
    f.write_text(PREFIXES + body)
    return validate(extra_files=[f])


def messages(report):
    return [(f.focus, f.message) for f in report.findings]


def test_the_model_conforms():
    report = validate()
    assert report.conforms, messages(report)


def test_route_without_source(tmp_path):
    r = check(tmp_path, """ex:r a skg:Route ; dcterms:identifier "new-route" ; rdfs:label "New" ;
        rdfs:comment "c" ; skg:hasParty party:parent .""")
    assert not r.conforms
    assert any(f.focus == "https://example.org/r" and "legal source" in f.message for f in r.findings)


def test_route_without_label(tmp_path):
    r = check(tmp_path, """ex:r a skg:Route ; dcterms:identifier "new-route" ; rdfs:comment "c" ;
        skg:hasParty party:parent ; dcterms:source src:cfa-s57 .""")
    assert any(f.focus == "https://example.org/r" and "label" in f.message for f in r.findings)


def test_decision_without_route(tmp_path):
    r = check(tmp_path, """ex:d a skg:Decision ; dcterms:identifier "new-decision" ; rdfs:label "D" ;
        rdfs:comment "c" ; dcterms:source src:cfa-s57 .""")
    assert any(f.focus == "https://example.org/d" and "at least one route" in f.message for f in r.findings)


def test_time_limit_without_anchor(tmp_path):
    r = check(tmp_path, """ex:t a skg:TimeLimit ; dcterms:identifier "t" ; rdfs:label "t" ; rdfs:comment "c" ;
        dcterms:source src:regs-reg33 ; skg:countingMode skg:After ;
        skg:duration [ time:numericDuration 2 ; time:unitType time:unitMonth ] .""")
    assert any(f.focus == "https://example.org/t" and "anchor" in f.message for f in r.findings)


def test_time_limit_without_unit(tmp_path):
    r = check(tmp_path, """ex:t a skg:TimeLimit ; dcterms:identifier "t" ; rdfs:label "t" ; rdfs:comment "c" ;
        dcterms:source src:regs-reg33 ; skg:countingMode skg:After ; skg:anchor ev:decision-sent ;
        skg:duration [ time:numericDuration 2 ] .""")
    assert any(f.focus == "https://example.org/t" for f in r.findings)


def test_ordering_cycle(tmp_path):
    """Tribunal appeal before mediation advice closes a cycle with the model's own ordering."""
    r = check(tmp_path, """ex:o a skg:Precedence ; dcterms:identifier "bad-order" ; rdfs:label "bad" ;
        skg:earlier route:tribunal-appeal ; skg:later route:mediation-advice ; skg:required true ;
        dcterms:source src:cfa-s55 .""")
    cyc = [f for f in r.findings if "cycle" in f.message]
    assert {f.focus for f in cyc} >= {"https://w3id.org/sendkg/id/route/tribunal-appeal",
                                     "https://w3id.org/sendkg/id/route/mediation-advice"}


def test_duplicate_identifier(tmp_path):
    r = check(tmp_path, """ex:r a skg:Route ; dcterms:identifier "mediation" ; rdfs:label "Another" ;
        rdfs:comment "c" ; skg:hasParty party:parent ; dcterms:source src:cfa-s57 .""")
    assert any(f.focus == "https://example.org/r" and "unique" in f.message for f in r.findings)


def test_citation_without_status(tmp_path):
    r = check(tmp_path, """ex:c a skg:Citation ; rdfs:label "X s.1" ; dcterms:isPartOf src:cfa-2014 .""")
    assert any(f.focus == "https://example.org/c" and "how sure" in f.message for f in r.findings)


@pytest.mark.parametrize("path", model_files(), ids=lambda p: p.name)
def test_model_files_are_turtle(path):
    from sendkg.store import EmbeddedStore

    assert len(EmbeddedStore([path])) > 0
