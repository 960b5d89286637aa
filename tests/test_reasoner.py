"""OWL reasoning: the model is consistent and HermiT classifies the decisions."""

import shutil

import pytest

from sendkg.reason import reason
from sendkg.resources import model_files
from sendkg.store import EmbeddedStore

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
SKG = "https://w3id.org/sendkg/def#"


@pytest.fixture(scope="module")
def reasoning():
    return reason(EmbeddedStore(model_files()).dump())


def test_consistent(reasoning):
    assert reasoning.consistent, reasoning.problem


def test_tribunal_appealable_class_is_s51(reasoning):
    """CFA 2014 s.51(2)(a)-(f)."""
    assert reasoning.classes[SKG + "TribunalAppealableDecision"] == sorted(
        ["refuse-assessment", "refuse-reassessment", "refuse-plan", "plan-contents",
         "amended-plan-contents", "refuse-amendment", "cease-plan"])


def test_mediable_class(reasoning):
    """CoP 11.13 (the appealable decisions) and CFA 2014 s.52 (health and social care)."""
    mediable = reasoning.classes[SKG + "MediableDecision"]
    assert "health-social-care" in mediable
    assert "disability-discrimination" not in mediable  # IPSEA: no right to mediation here
    assert set(reasoning.classes[SKG + "TribunalAppealableDecision"]) <= set(mediable)


def test_reasoner_agrees_with_the_query(reasoning, model):
    """queries/appealable-decisions.rq mirrors the defined class; the two must agree."""
    rows = model.select("appealable-decisions")
    assert sorted({r["id"] for r in rows}) == reasoning.classes[SKG + "TribunalAppealableDecision"]


def test_reasoner_classifies_a_new_decision(tmp_path):
    """Classification follows the routes, not a hand-written list."""
    extra = tmp_path / "x.ttl"
    extra.write_text("""
        @prefix skg: <https://w3id.org/sendkg/def#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <https://example.org/d> a skg:Decision ; dcterms:identifier "new-appealable" ;
            skg:hasRoute <https://w3id.org/sendkg/id/route/tribunal-appeal> .""")
    r = reason(EmbeddedStore([*model_files(), extra]).dump())
    assert "new-appealable" in r.classes[SKG + "TribunalAppealableDecision"]
    assert "new-appealable" not in r.classes[SKG + "MediableDecision"]


def test_inconsistency_is_reported(tmp_path):
    """Decisions and routes are disjoint: a thing that is both makes the model inconsistent."""
    extra = tmp_path / "bad.ttl"
    extra.write_text("""
        @prefix skg: <https://w3id.org/sendkg/def#> .
        <https://w3id.org/sendkg/id/route/mediation> a skg:Decision .""")
    r = reason(EmbeddedStore([*model_files(), extra]).dump())
    assert not r.consistent
    assert "inconsistent" in r.problem
