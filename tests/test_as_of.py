"""Answers as of a date (issue 10 item 6) and `sendkg sources` (item 7).

Each change in the law the model knows gives a different answer before and after the day it
happened; the days and their sources are in ontology/england/in-force.ttl.
"""

import csv
import io
import json
import textwrap
from datetime import date

import pytest

from conftest import ROOT


def _json(r):
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _route(answer, rid):
    return next(r for r in answer["routes"] if r["id"] == rid)


# ---------------------------------------------------------------- HESC r.12(3), 21 July 2020
def test_discrimination_claim_before_2020_keeps_the_safe_date_and_names_the_moved_one(cli):
    # HESC Rules r.12(3)(a) before the Tribunal Procedure (Amendment) Rules 2020 (in force 21 July
    # 2020) covered "a disability discrimination in schools case": 6 months starting with Mon 10 Feb
    # 2020 (EqA 2010 Sch 17 para 4) end Sun 9 Aug 2020, in August, so the rule moved the day to Tue
    # 1 Sep 2020. The Upper Tribunal held the rule could not extend the EqA 2010 limit (Doughty
    # Street note): the earlier day is shown, the moved day is in the note.
    out = _json(cli("deadlines", "disability-discrimination", "--event", "conduct=2020-02-10", "--format", "json"))
    row = next(d for d in out["deadlines"] if d["id"] == "discrimination-claim")
    assert row["date"] == "2020-08-09"
    assert row["law_as_of"] == "2020-02-10"
    assert "unsettled" in row["note"] and "Upper Tribunal" in row["note"]
    assert "the rules would give Tue 1 Sep 2020" in row["note"]
    assert "(Christmas and August rule)" in row["rule"]
    assert out["as_of_rule"] == "anchor"


def test_discrimination_claim_after_2020_is_counted_in_full(cli):
    # Since 21 July 2020 r.12(3) applies to SEN cases only: EqA 2010 Sch 17 para 4, 6 months
    # starting with Wed 10 Feb 2021 end Mon 9 Aug 2021, not moved.
    out = _json(cli("deadlines", "disability-discrimination", "--event", "conduct=2021-02-10", "--format", "json"))
    row = next(d for d in out["deadlines"] if d["id"] == "discrimination-claim")
    assert row["date"] == "2021-08-09"
    assert row["note"] is None or "unsettled" not in row["note"]
    assert "Christmas and August" not in row["rule"]


@pytest.mark.parametrize("reasons,row_id,expected", [
    # HESC r.12(3)(b) before 21 July 2020 also covered disability discrimination in schools cases:
    # 28 days after Wed 10 Jul 2019 with August not counted = 21 days of July and 7 of September,
    # Sat 7 Sep 2019, moved to Mon 9 Sep 2019 (r.12(2)); shown once, as the discrimination limit of
    # that day, not also as the SEN limit (law/audit-2026-12.md row 3b)
    ("2019-07-10", "permission-from-ftt-discrimination", "2019-09-09"),
    # since then every day counts: Fri 7 Aug 2026 (law/audit-2026-11.md row 1, HESC r.46)
    ("2026-07-10", "permission-from-ftt-discrimination", "2026-08-07"),
])
def test_discrimination_permission_to_appeal_before_and_after_2020(cli, reasons, row_id, expected):
    out = _json(cli("deadlines", "disability-discrimination", "--event", f"reasons={reasons}", "--format", "json"))
    row = next(d for d in out["deadlines"] if d["id"] == row_id)
    assert row["date"] == expected and row["law_as_of"] == reasons
    assert [d["id"] for d in out["deadlines"]].count(row_id) == 1
    assert "permission-from-ftt" not in {d["id"] for d in out["deadlines"]}


def test_deadlines_as_of_overrides_the_anchor_date(cli):
    # the same 2020 conduct with the law of 2026 (--as-of): no Christmas/August move (HESC r.12(3) as amended 2020)
    out = _json(cli("deadlines", "disability-discrimination", "--event", "conduct=2020-02-10",
                    "--as-of", "2026-01-05", "--format", "json"))
    row = next(d for d in out["deadlines"] if d["id"] == "discrimination-claim")
    assert row["date"] == "2020-08-09" and row["note"] is None and row["law_as_of"] == "2026-01-05"
    assert "Christmas and August" not in row["rule"]
    assert out["as_of"] == "2026-01-05" and out["as_of_rule"] == "fixed"


def test_show_notes_the_unsettled_rule(cli):
    # the pre-2020 version's caution (Upper Tribunal on HESC r.12(3) and EqA 2010 Sch 17 para 4)
    r = cli("show", "discrimination-claim", "--as-of", "2019-01-01")
    assert r.returncode == 0 and "  Note: unsettled: the Tribunal's rules then in force" in r.stdout
    assert "Note: unsettled" not in cli("show", "discrimination-claim", "--as-of", "2021-01-01").stdout


def test_routes_show_the_rule_only_while_in_force(cli):
    # HESC r.12(3) before and from 21 July 2020 (TP (Amendment) Rules 2020)
    before = _json(cli("routes", "disability-discrimination", "--as-of", "2020-07-20", "--format", "json"))
    after = _json(cli("routes", "disability-discrimination", "--as-of", "2020-07-21", "--format", "json"))
    assert "Christmas and August rule" in _route(before, "discrimination-claim")["time_limits"][0]
    assert "Christmas and August rule" not in _route(after, "discrimination-claim")["time_limits"][0]
    assert (before["as_of"], after["as_of"]) == ("2020-07-20", "2020-07-21")


# ---------------------------------------------------------------- CCG -> ICB, 1 July 2022
def test_clinical_commissioning_group_until_30_june_2022_then_integrated_care_board(cli):
    # SI 2022/634 reg 58: CCGs abolished, ICBs from 1 July 2022
    before = _json(cli("routes", "health-social-care", "--as-of", "2022-06-30", "--format", "json"))
    after = _json(cli("routes", "health-social-care", "--as-of", "2022-07-01", "--format", "json"))
    assert "ccg" in _route(before, "mediation")["parties"] and "icb" not in _route(before, "mediation")["parties"]
    assert "icb" in _route(after, "mediation")["parties"] and "ccg" not in _route(after, "mediation")["parties"]


def test_show_says_which_day_and_names_the_body_of_that_day(cli):
    r = cli("show", "health-complaint", "--as-of", "2021-03-01")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1] == "As of 2021-03-01: the law in force that day"
    assert "clinical commissioning group" in r.stdout


# ---------------------------------------------------------------- national trial, extended appeals
@pytest.mark.parametrize("day,label", [("2018-04-03", "national trial"), ("2021-08-31", "national trial"),
                                       ("2021-09-01", None)])
def test_health_and_social_care_with_an_education_appeal(model, day, label):
    # SI 2017/1306: the national trial from 3 April 2018 to 31 August 2021; extended appeals from
    # 1 September 2021 (law/facts.md section 5)
    with model.at(date.fromisoformat(day)):
        answer = model.routes("health-social-care", ["with-education-appeal"])
        cond = model.conditions()["with-education-appeal"]
    assert "tribunal-appeal" in [r["id"] for r in answer["routes"]]
    assert (label in cond["label"]) if label else ("national trial" not in cond["label"])


def test_no_health_and_social_care_recommendations_before_the_trial(cli):
    r = cli("routes", "health-social-care", "--condition", "with-education-appeal", "--as-of", "2018-04-02")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [
        "sendkg: error: condition 'with-education-appeal' is not in force on 2018-04-02 (in force from "
        "2018-04-03); give another --as-of"]


# ---------------------------------------------------------------- the mechanism for the exclusion changes
EXCLUSIONS = textwrap.dedent("""\
    @prefix skg:     <https://w3id.org/sendkg/def#> .
    @prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix dcterms: <http://purl.org/dc/terms/> .
    @prefix time:    <http://www.w3.org/2006/time#> .
    @prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
    @prefix route:   <https://w3id.org/sendkg/id/route/> .
    @prefix dec:     <https://w3id.org/sendkg/id/decision/> .
    @prefix src:     <https://w3id.org/sendkg/id/source/> .
    @prefix ex:      <https://example.org/exclusions/> .

    ex:social-worker a skg:Party ; dcterms:identifier "social-worker-test" ; rdfs:label "social worker (test)" ;
        rdfs:comment "Notified of an exclusion from 1 September 2022." ; dcterms:source ex:si-2022-788 ;
        skg:inForce [ a time:ProperInterval ; dcterms:source ex:si-2022-788 ;
                      time:hasBeginning [ a time:Instant ; time:inXSDDate "2022-09-01"^^xsd:date ] ] .
    route:exclusion-review skg:hasParty ex:social-worker .
    ex:cancelled a skg:Condition ; dcterms:identifier "cancelled-test" ; rdfs:label "exclusion cancelled (test)" ;
        rdfs:comment "The head teacher cancelled the exclusion (from 1 September 2023)." ;
        skg:appliesToDecision dec:permanent-exclusion ; skg:liftsRoute route:exclusion-review ;
        dcterms:source ex:si-2023-571 ;
        skg:inForce [ a time:ProperInterval ; dcterms:source ex:si-2023-571 ;
                      time:hasBeginning [ a time:Instant ; time:inXSDDate "2023-09-01"^^xsd:date ] ] .
    ex:remote-meeting a skg:Route ; dcterms:identifier "remote-meeting-test" ; rdfs:label "remote meeting (test)" ;
        rdfs:comment "A review meeting held remotely at the parent's request (from 1 September 2023)." ;
        skg:hasParty <https://w3id.org/sendkg/id/party/parent> ; dcterms:source ex:si-2023-571 ;
        skg:inForce [ a time:ProperInterval ; dcterms:source ex:si-2023-571 ;
                      time:hasBeginning [ a time:Instant ; time:inXSDDate "2023-09-01"^^xsd:date ] ] .
    dec:permanent-exclusion skg:hasRoute ex:remote-meeting .
    ex:si-2022-788 a skg:Citation ; rdfs:label "SI 2022/788 (test)" ; dcterms:isPartOf src:secondary ; skg:status skg:Unverified .
    ex:si-2023-571 a skg:Citation ; rdfs:label "SI 2023/571 (test)" ; dcterms:isPartOf src:secondary ; skg:status skg:Unverified .
    """)


def test_exclusion_changes_as_data_change_the_answer_on_their_day(cli, tmp_path):
    # SI 2022/788 (from 1 Sept 2022) and SI 2023/571 (from 1 Sept 2023), in the shape the law-audit
    # data gives them: a party and a condition with their intervals, no Python change
    ttl = tmp_path / "exclusions.ttl"
    ttl.write_text(EXCLUSIONS)

    def parties(day):
        out = _json(cli("--data", ttl, "routes", "permanent-exclusion", "--as-of", day, "--format", "json"))
        return _route(out, "exclusion-review")["parties"]

    assert "social-worker-test" not in parties("2022-08-31")
    assert "social-worker-test" in parties("2022-09-01")
    late = cli("--data", ttl, "routes", "permanent-exclusion", "--condition", "cancelled-test", "--as-of", "2023-08-31")
    assert late.returncode == 2 and "not in force on 2023-08-31" in late.stderr
    on = _json(cli("--data", ttl, "routes", "permanent-exclusion", "--condition", "cancelled-test",
                   "--as-of", "2023-09-01", "--format", "json"))
    assert "exclusion-review" not in [r["id"] for r in on["routes"]]
    assert "remote-meeting-test" in [r["id"] for r in on["routes"]]
    before = _json(cli("--data", ttl, "routes", "permanent-exclusion", "--as-of", "2023-08-31", "--format", "json"))
    assert "remote-meeting-test" not in [r["id"] for r in before["routes"]]
    shown = cli("--data", ttl, "show", "remote-meeting-test", "--as-of", "2023-08-31")
    assert shown.returncode == 2 and shown.stderr.strip() == (
        "sendkg: error: route 'remote-meeting-test' is not in force on 2023-08-31 (in force from 2023-09-01); "
        "give another --as-of")
    assert cli("--data", ttl, "validate", "--no-reason").returncode == 0


# ---------------------------------------------------------------- terms (SENDIST, LGO, CCG) for lint and check
def test_lint_as_of_judges_an_undated_page_by_the_names_in_use_that_day(cli, tmp_path):
    # SI 2022/634 reg 58: "clinical commissioning group" is out of date from 1 July 2022
    page = tmp_path / "page.txt"
    page.write_text("For health services, ask the Clinical Commissioning Group.\n")
    before = _json(cli("lint", page, "--as-of", "2022-06-30", "--format", "json"))
    after = _json(cli("lint", page, "--as-of", "2022-07-01", "--format", "json"))
    codes = lambda out: [f["code"] for f in out["files"][0]["findings"]]
    assert "superseded-term" not in codes(before) and "superseded-term" in codes(after)
    assert (before["as_of"], after["as_of"]) == ("2022-06-30", "2022-07-01")
    text = cli("lint", page, "--as-of", "2022-07-01")
    assert text.stdout.splitlines()[-1].startswith("1 file linted (0 clean) as of 2022-07-01: ")


def test_check_as_of_says_which_day(cli):
    # milton-keynes's undated page names the CCG (SI 2022/634 reg 58) and SENDIST (HESC r.1, 2008)
    before = _json(cli("check", "milton-keynes", "--as-of", "2022-06-30", "--format", "json"))
    after = _json(cli("check", "milton-keynes", "--as-of", "2022-07-01", "--format", "json"))
    terms = lambda out: sorted(f["message"].split("'")[1] for f in out["authorities"][0]["findings"]
                               if f["code"] == "superseded-term")
    assert "clinical commissioning group" not in terms(before) and "clinical commissioning group" in terms(after)
    assert "Special Educational Needs and Disability Tribunal" in terms(before)
    assert before["as_of"] == "2022-06-30"


def test_term_intervals_end_when_the_term_was_replaced(model):
    # each superseded term's interval ends on its skg:replacedOn day; the LGO's new working name
    # is known only to the month (in use by July 2017: law/audit-2026-11.md row 2), never a day
    rows = model.query("""
        PREFIX skg: <https://w3id.org/sendkg/def#>  PREFIX time: <http://www.w3.org/2006/time#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?id ?on ?end ?month WHERE { ?t skg:replacedOn ?on ; dcterms:identifier ?id ; skg:inForce ?i .
          OPTIONAL { ?i time:hasEnd/time:inXSDDate ?end } OPTIONAL { ?i time:hasEnd/time:inXSDgYearMonth ?month } }""")[1]
    by_id = {r["id"]: r for r in rows}
    assert {"ccg", "sendist", "lgo"} <= set(by_id)
    for r in rows:
        if r["end"]:
            assert r["end"] == r["on"], r
    assert by_id["lgo"]["end"] is None and by_id["lgo"]["month"] == "2017-07"


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("args,words", [
    (["routes", "refuse-assessment", "--as-of", "2014-08-31"], "is before the model's coverage"),
    (["show", "mediation", "--as-of", "2001-01-01"], "is before the model's coverage"),
    (["deadlines", "refuse-assessment", "--as-of", "2013-01-01"], "is before the model's coverage"),
    (["deadlines", "refuse-assessment", "--decision-date", "2014-08-31"], "the decision date 2014-08-31 is before the model's coverage"),
    (["check", "milton-keynes", "--as-of", "2014-01-01"], "is before the model's coverage"),
    (["routes", "refuse-assessment", "--as-of", "2027-01-01"], "is in the future and beyond the model's knowledge date (2026-11-23)"),
    (["show", "mediation", "--as-of", "2030-06-01"], "is in the future and beyond the model's knowledge date"),
    (["routes", "refuse-assessment", "--as-of", "2026-02-30"], "'2026-02-30' is not a real date in the form YYYY-MM-DD"),
    (["routes", "refuse-assessment", "--as-of", "yesterday"], "is not a real date"),
])
def test_bad_as_of_is_one_line(cli, args, words):
    r = cli(*args)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sendkg: error: ") and words in lines[0], r.stderr


def test_lint_bad_as_of_is_one_line(cli, tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("SENDIASS\n")
    r = cli("lint", page, "--as-of", "2028-01-01")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "beyond the model's knowledge date" in r.stderr


def test_every_answer_says_its_day(cli):
    assert _json(cli("routes", "refuse-assessment", "--format", "json"))["as_of"] == "2026-11-23"
    assert _json(cli("show", "mediation", "--format", "json"))["as_of"] == "2026-11-23"
    assert cli("routes", "refuse-assessment").stdout.splitlines()[1] == "As of 2026-11-23: the law in force that day"
    out = cli("deadlines", "refuse-assessment", "--decision-date", "2026-03-10").stdout.splitlines()
    assert out[1] == "As of 2026-03-10: each time limit as the law stood on the date of its anchor event"


# ---------------------------------------------------------------- shapes
BAD_INTERVALS = textwrap.dedent("""\
    @prefix skg:     <https://w3id.org/sendkg/def#> .
    @prefix dcterms: <http://purl.org/dc/terms/> .
    @prefix time:    <http://www.w3.org/2006/time#> .
    @prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
    @prefix route:   <https://w3id.org/sendkg/id/route/> .
    @prefix tl:      <https://w3id.org/sendkg/id/time-limit/> .
    @prefix src:     <https://w3id.org/sendkg/id/source/> .
    route:mediation skg:inForce [ a time:ProperInterval ; dcterms:source src:cfa-s52 ;
        time:hasBeginning [ time:inXSDDate "2020-01-01"^^xsd:date ] ; time:hasEnd [ time:inXSDDate "2019-01-01"^^xsd:date ] ] .
    route:sendiass-support skg:inForce [ a time:ProperInterval ] .
    route:informal-discussion skg:inForce [ a time:ProperInterval ; time:hasEnd [ time:inXSDDate "2030-01-01"^^xsd:date ] ] .
    tl:judicial-review dcterms:replaces tl:lgsco .
    """)


def test_shapes_catch_bad_intervals_and_versions(cli, tmp_path):
    ttl = tmp_path / "bad.ttl"
    ttl.write_text(BAD_INTERVALS)
    r = cli("validate", "--no-reason", ttl)
    assert r.returncode == 1
    assert "ends (2019-01-01) on or before it begins (2020-01-01)" in r.stdout
    assert "a beginning or an end (or both) and a source" in r.stdout
    assert "interval of a statement of the law needs its own source" in r.stdout
    assert "a version of a changed statement needs an skg:inForce interval" in r.stdout


def test_shapes_catch_overlapping_versions(cli, tmp_path):
    # two conditions with one identifier in force on the same days
    ttl = tmp_path / "overlap.ttl"
    ttl.write_text(EXCLUSIONS + textwrap.dedent("""\
        ex:cancelled2 a skg:Condition ; dcterms:identifier "cancelled-test" ; rdfs:label "again" ;
            rdfs:comment "Overlaps." ; skg:appliesToDecision dec:permanent-exclusion ; skg:liftsRoute route:exclusion-review ;
            dcterms:source ex:si-2023-571 ;
            skg:inForce [ a time:ProperInterval ; dcterms:source ex:si-2023-571 ;
                          time:hasBeginning [ a time:Instant ; time:inXSDDate "2024-01-01"^^xsd:date ] ] .
        """))
    r = cli("validate", "--no-reason", ttl)
    assert r.returncode == 1 and "in force at the same time" in r.stdout


# ---------------------------------------------------------------- sendkg sources
def test_sources_lists_every_citation_with_status_and_what_relies_on_it(cli, model):
    out = _json(cli("sources", "--format", "json"))
    n = model.query("PREFIX skg: <https://w3id.org/sendkg/def#> SELECT (COUNT(DISTINCT ?c) AS ?n) "
                    "WHERE { ?c a skg:Citation }")[1][0]["n"]
    assert len(out) == n
    assert {s["status"] for s in out} <= {"verified", "secondary", "seeds", "unverified", "none"}
    by = {s["citation"]: s for s in out}
    # SEND Regs 2014 reg 33 (verified) is what the mediation adviser time limit rests on
    reg33 = by["SEND Regs 2014 reg 33"]
    assert reg33["status"] == "verified" and reg33["iri"].endswith("/uksi/2014/1530/regulation/33")
    assert {"kind": "TimeLimit", "id": "contact-adviser"} in [{k: n[k] for k in ("kind", "id")} for n in reg33["relied_on_by"]]
    # the 2020 amendment dates the versions of the discrimination claim and permission limits
    tpr = by["HESC Rules r.12(3) as amended in 2020"]
    assert {("discrimination-claim", "in-force"), ("upper-tribunal-discrimination", "in-force")} <= \
        {(n["id"], n["about"]) for n in tpr["relied_on_by"]}


def test_sources_csv_and_table(cli):
    rows = list(csv.DictReader(io.StringIO(cli("sources", "--format", "csv").stdout)))
    assert rows and set(rows[0]) == {"citation", "status", "used", "relied on by", "iri", "document"}
    table = cli("sources", "--status", "unverified").stdout.splitlines()
    assert table[0].split()[:3] == ["citation", "status", "used"]
    assert all(" unverified " in line for line in table[2:-2])
    assert table[-1].startswith("status: ") and "unverified" in table[-1]


def test_after_the_knowledge_date_the_answer_says_how_far_the_model_knows(tmp_path):
    # today (SENDKG_TODAY) after the knowledge date: answered, but the answer says the model knows
    # the law only up to 2026-11-23 (skg:knowledgeDate in ontology/england/in-force.ttl)
    import os
    import subprocess
    import sys

    env = {**os.environ, "SENDKG_TODAY": "2027-02-01"}
    r = subprocess.run([sys.executable, "-m", "sendkg", "routes", "refuse-assessment"], env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1] == ("As of 2027-02-01: the law in force that day, as far as the model knows "
                                        "(it knows the law up to 2026-11-23)")
    r = subprocess.run([sys.executable, "-m", "sendkg", "routes", "refuse-assessment", "--as-of", "2027-02-02"],
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "in the future and beyond the model's knowledge date" in r.stderr


# ---------------------------------------------------------------- the exclusion changes in the model itself
@pytest.mark.parametrize("day,cancellation,social_worker", [
    ("2022-08-31", False, False), ("2022-09-01", False, True),  # SI 2022/788: social worker and VSH told, from 1 Sep 2022
    ("2023-08-31", False, True), ("2023-09-01", True, True),    # SI 2023/571: a head teacher may cancel, from 1 Sep 2023
])
def test_the_2022_and_2023_exclusion_changes_as_of_their_days(cli, day, cancellation, social_worker):
    out = _json(cli("routes", "permanent-exclusion", "--as-of", day, "--format", "json"))
    routes = {r["id"]: r for r in out["routes"]}
    assert ("ask-cancellation" in routes) is cancellation
    assert ("social-worker" in routes["governing-board-review"]["parties"]) is social_worker
