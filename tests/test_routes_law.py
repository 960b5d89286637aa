"""`sendkg routes` against the law: one test per scenario in scenarios/routes*.toml."""

import tomllib
from pathlib import Path

import pytest

SCENARIOS = [sc for f in sorted((Path(__file__).parent / "scenarios").glob("routes*.toml"))
             for sc in tomllib.loads(f.read_text())["scenario"]]


@pytest.mark.parametrize("sc", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(model, sc):
    from datetime import date

    # optional (issue 20 items 4, 5): the law as of a day, and the day of the decision
    as_of = date.fromisoformat(sc["as_of"]) if "as_of" in sc else model.as_of
    day = date.fromisoformat(sc["decision_day"]) if "decision_day" in sc else None
    with model.at(as_of), model.decided(day):
        if "error_contains" in sc:  # the law of that day has no such answer: one clear message
            from sendkg.errors import SendkgError

            with pytest.raises(SendkgError) as err:
                model.routes(sc["decision"], sc.get("conditions", []))
            assert sc["error_contains"] in str(err.value), f"{err.value} ({sc['source']})"
            return
        answer = model.routes(sc["decision"], sc.get("conditions", []))
    notices = {n["id"] for n in answer.get("notices", [])}
    for nid in sc.get("notices", []):
        assert nid in notices, f"notice {nid} missing ({sc['source']})"
    for nid in sc.get("no_notices", []):
        assert nid not in notices, f"notice {nid} shown ({sc['source']})"
    depends = {e["id"] for e in (answer.get("decision_day") or {}).get("depends", [])}
    for rid in sc.get("depends_on_decision_day", []):
        assert rid in depends, f"{rid} should be named as depending on the decision's day ({sc['source']})"
    for rid, lids in sc.get("limit_exceptions", {}).items():  # a temporary modification beside a limit
        marked = {lim["id"] for r in answer["routes"] if r["id"] == rid for lim in r["time_limit_details"]
                  if lim.get("exceptions")}
        assert set(lids) <= marked, f"{rid}: {lids} not marked, only {marked} ({sc['source']})"
    for rid in sc.get("no_limit_exceptions", []):
        assert not any(lim.get("exceptions") for r in answer["routes"] if r["id"] == rid
                       for lim in r["time_limit_details"]), f"{rid} marked ({sc['source']})"
    for rid, pids in sc.get("parties", {}).items():
        assert set(pids) <= set(answer_routes_parties(answer, rid)), f"{rid} parties {pids} ({sc['source']})"
    for rid, pids in sc.get("not_parties", {}).items():
        assert not set(pids) & set(answer_routes_parties(answer, rid)), f"{rid} not parties {pids} ({sc['source']})"
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


def answer_routes_parties(answer, rid):
    return next(r["parties"] for r in answer["routes"] if r["id"] == rid)


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
