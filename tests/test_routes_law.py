"""`sendkg routes` against the law: one test per scenario in scenarios/routes*.toml."""

import tomllib
from pathlib import Path

import pytest

SCENARIOS = [sc for f in sorted((Path(__file__).parent / "scenarios").glob("routes*.toml"))
             for sc in tomllib.loads(f.read_text())["scenario"]]


@pytest.mark.parametrize("sc", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(model, sc):
    answer = model.routes(sc["decision"], sc.get("conditions", []))
    routes = {r["id"]: r for r in answer["routes"]}
    for rid in sc.get("includes", []):
        assert rid in routes, f"{rid} should apply ({sc['source']})"
    for rid in sc.get("excludes", []):
        assert rid not in routes, f"{rid} should not apply ({sc['source']})"
    for rid in sc.get("required", []):
        assert routes[rid]["required"], f"{rid} should be required ({sc['source']})"
    for rid in sc.get("optional", []):
        assert not routes[rid]["required"], f"{rid} should be optional ({sc['source']})"
    for earlier, later in sc.get("order", []):
        assert routes[earlier]["step"] < routes[later]["step"], f"{earlier} before {later} ({sc['source']})"
    for rid, ids in sc.get("after", {}).items():
        assert set(ids) <= set(routes[rid]["after"]), f"{rid} after {ids} ({sc['source']})"
    for rid, ids in sc.get("not_after", {}).items():
        assert not set(ids) & set(routes[rid]["after"]), f"{rid} not after {ids} ({sc['source']})"
    for a, b in sc.get("alongside", []):
        assert b in routes[a]["alongside"] and a in routes[b]["alongside"], f"{a} alongside {b}"
    cites = [s["citation"] for s in answer["decision"]["sources"]]
    for c in sc.get("decision_sources", []):
        assert c in cites, f"decision should cite {c}"
    for rid, texts in sc.get("time_limits", {}).items():
        joined = " | ".join(routes[rid]["time_limits"])
        for t in texts:
            assert t in joined, f"{rid} time limit should say '{t}': {joined}"


def test_every_required_decision_is_answered(model):
    """Issue 2 names these identifiers; each must answer with routes and sources."""
    ids = ["refuse-assessment", "refuse-reassessment", "refuse-plan", "plan-contents", "amended-plan-contents",
           "refuse-amendment", "cease-plan", "sen-support", "health-social-care", "disability-discrimination",
           "permanent-exclusion", "la-failure"]
    for d in ids:
        answer = model.routes(d)
        assert answer["routes"], d
        assert answer["decision"]["sources"], d
        for r in answer["routes"]:
            assert r["sources"], f"{d}/{r['id']} has no source"
            assert all(s["citation"] for s in r["sources"])


def test_required_routes_exist(model):
    ids = {r["id"] for r in model.select("routes")}
    for rid in ["informal-discussion", "sendiass-support", "disagreement-resolution", "mediation-advice", "mediation",
                "tribunal-appeal", "upper-tribunal", "school-complaint", "la-complaint", "health-complaint",
                "ombudsman-complaint", "secretary-of-state-complaint", "judicial-review", "discrimination-claim",
                "exclusion-review", "request-assessment"]:
        assert rid in ids


def test_each_ombudsman_has_its_own_route(model):
    """Audit 2026-11 row 6: the LGSCO (LGA 1974 s.26B) and the PHSO (HSCA 1993 s.9) are separate routes."""
    lgsco = {p["id"] for p in model.route("ombudsman-complaint")["parties"]}
    phso = {p["id"] for p in model.route("phso-complaint")["parties"]}
    assert "lgsco" in lgsco and "phso" not in lgsco
    assert "phso" in phso and "lgsco" not in phso


def test_steps_respect_every_ordering(model):
    """A route that must come before another has a smaller step, in every answer."""
    for d in model.decisions():
        answer = model.routes(d["id"])
        steps = {r["id"]: r["step"] for r in answer["routes"]}
        for r in answer["routes"]:
            assert isinstance(r["step"], int) and r["step"] >= 1
            for a in r["after"] + r["usually_after"]:
                assert steps[a] < r["step"], (d["id"], a, r["id"])
            if r["required"]:
                assert any(r["id"] in x["after"] for x in answer["routes"])


def test_appealable_decisions_are_those_of_s51(model):
    """CFA 2014 s.51(2)(a)-(f): exactly these decision types are appealable to the Tribunal."""
    appealable = {d["id"] for d in model.decisions() if d["appealable"]}
    assert appealable == {"refuse-assessment", "refuse-reassessment", "refuse-plan", "plan-contents",
                          "amended-plan-contents", "refuse-amendment", "cease-plan"}
