"""Adding a route or a decision is a Turtle file, with no Python change."""

import json

EXTENSION = """
@prefix skg: <https://w3id.org/sendkg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix route: <https://w3id.org/sendkg/id/route/> .
@prefix dec: <https://w3id.org/sendkg/id/decision/> .
@prefix party: <https://w3id.org/sendkg/id/party/> .
@prefix src: <https://w3id.org/sendkg/id/source/> .
@prefix ex: <https://example.org/sendkg/> .

ex:advocacy a skg:Route ; dcterms:identifier "independent-advocacy" ;
    rdfs:label "Independent advocacy" ; rdfs:comment "Help from an independent advocate." ;
    skg:hasParty party:parent , party:young-person ;
    dcterms:source src:cfa-s32 .

# an existing decision gains the new route, which must come before mediation advice
dec:refuse-assessment skg:hasRoute ex:advocacy .
ex:advocacy-first a skg:Precedence ; dcterms:identifier "advocacy-first" ; rdfs:label "advocacy first" ;
    skg:earlier ex:advocacy ; skg:later route:mediation-advice ; skg:required false ;
    dcterms:source src:cfa-s32 .

# a new decision with its own routes
ex:transport a skg:Decision ; dcterms:identifier "refuse-transport" ;
    rdfs:label "Refusal of home to school transport" ; rdfs:comment "The local authority refuses transport." ;
    skg:hasRoute ex:advocacy , route:la-complaint , route:ombudsman-complaint ;
    dcterms:source src:cop-11-67-111 .
"""


def test_extension_shows_in_routes(cli, tmp_path):
    f = tmp_path / "extension.ttl"
    f.write_text(EXTENSION)
    data = json.loads(cli("--data", f, "routes", "refuse-assessment", "--format", "json").stdout)
    steps = {r["id"]: r["step"] for r in data["routes"]}
    assert steps["independent-advocacy"] < steps["mediation-advice"] < steps["tribunal-appeal"]
    new = json.loads(cli("--data", f, "routes", "refuse-transport", "--format", "json").stdout)
    ids = [r["id"] for r in new["routes"]]
    assert set(ids) == {"independent-advocacy", "la-complaint", "ombudsman-complaint"}
    steps = {r["id"]: r["step"] for r in new["routes"]}
    assert steps["la-complaint"] < steps["ombudsman-complaint"]  # the model's ordering applies
    assert "refuse-transport" in cli("--data", f, "decisions").stdout
    assert cli("validate", "--no-reason", f).returncode == 0


def test_changed_time_limit_shows_without_python_change(tmp_path):
    """Change the appeal's first limb to 3 months in data: the answer follows."""
    from sendkg.model import Model

    f = tmp_path / "change.ttl"
    f.write_text("""
        @prefix time: <http://www.w3.org/2006/time#> .
        @prefix skg: <https://w3id.org/sendkg/def#> .
        <https://w3id.org/sendkg/id/time-limit/appeal-after-notice> skg:duration [ time:numericDuration 3 ; time:unitType time:unitMonth ] .
    """)
    base = Model()
    m = Model([f])
    # the data now holds two durations; the shapes say so
    from sendkg.validate import validate

    assert not validate(extra_files=[f]).conforms
    texts = " ".join(next(r for r in m.routes("refuse-plan")["routes"] if r["id"] == "tribunal-appeal")["time_limits"])
    assert "3 months after" in texts
    texts0 = " ".join(next(r for r in base.routes("refuse-plan")["routes"] if r["id"] == "tribunal-appeal")["time_limits"])
    assert "3 months after" not in texts0
