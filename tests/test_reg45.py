"""Unopposed appeals (SEND Regs 2014 reg 45, as made and as substituted) and the remit and dismissal
orders (regs 43(2)(d), 44(2)(a)), issue 20 items 1, 2 and the reg 45 part of 8: the command line, the
JSON, the caveats and how honestly the sources say how far they were read. The worked dates are in
tests/scenarios/deadlines-reg45.toml."""

import json
from datetime import date

from sendkg.deadlines import deadlines


def test_as_of_10_march_2015_gives_reg_45_as_made_not_event_not_used(cli):
    """Audit 2026-12 rows 9 and 50: reg 45 as made, 4 weeks from Tue 10 Mar 2015 = Tue 7 Apr 2015
    (paragraphs (3) and (4)), 2 weeks = Tue 24 Mar 2015 (paragraph (5))."""
    r = cli("deadlines", "unopposed-appeal", "--as-of", "2015-03-10", "--event", "la-notice=2015-03-10",
            "--today", "2026-12-07")
    assert r.returncode == 0, r.stderr
    assert "not used" not in r.stdout + r.stderr
    assert r.stdout.count("Tue  7 Apr 2015") == 2 and "Tue 24 Mar 2015" in r.stdout
    assert "reg 45 as made" in r.stdout and "may be incomplete" in r.stdout
    for later in ("+ 10 weeks", "+ 11 weeks", "+ 14 weeks", "+ 5 weeks"):
        assert later not in r.stdout  # the substituted limits began on 23 March 2015


def test_refusal_to_plan_as_made_is_a_caveat_not_an_error(cli):
    r = cli("deadlines", "unopposed-appeal", "--as-of", "2015-03-10", "--event", "la-notice=2015-03-10",
            "--condition", "ground-refuse-plan")
    assert r.returncode == 0, r.stderr
    assert "Caution: Reg 45 as made" in r.stdout and "was not read" in r.stdout


def test_the_json_carries_the_cautions_and_fits_its_schema(cli):
    from test_schemas import valid

    r = cli("deadlines", "unopposed-appeal", "--event", "la-notice=2026-02-27", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    valid("deadlines", data)
    assert [c["id"] for c in data["cautions"]] == ["unopposed-no-ground"]
    assert "may be incomplete" in data["cautions"][0]["text"] and data["cautions"][0]["sources"]
    with_ground = json.loads(cli("deadlines", "unopposed-appeal", "--event", "la-notice=2026-02-27",
                                 "--condition", "ground-refuse-plan", "--format", "json").stdout)
    valid("deadlines", with_ground)
    assert "cautions" not in with_ground  # a ground given: the list is that ground's
    days = {d["id"]: d["date"] for d in with_ground["deadlines"]}
    assert (days["unopposed-draft-plan"], days["unopposed-final-plan"]) == ("2026-04-03", "2026-05-15")


def test_other_answers_keep_their_shape(model):
    """Only a decision with caveats that apply gets a 'cautions' key."""
    result = deadlines(model, "order-assess", {"order": date(2026, 7, 31)})
    assert "cautions" not in result


def test_the_remit_date_is_not_confident(model):
    """Reg 44(2) after (c) was not read: the remit's period is unverified and says so on the row."""
    row = next(r for r in deadlines(model, "order-remit", {"order": date(2026, 2, 27)})["deadlines"]
               if r["id"] == "order-remit")
    assert row["date"] == "2026-03-13" and "unverified" in row["label"] and "unverified" in row["note"]
    assert {s["status"] for s in row["sources"]} >= {"unverified"}


def test_reg_45_is_verified_only_for_what_was_read(model):
    """Item 8: the citations of reg 45 say how far each was read, and only the primary text read is
    Verified; each provision has one status."""
    rows = {c["citation"]: c for c in model.cited_sources() if "reg 45" in c["citation"]}
    assert rows["SEND Regs 2014 reg 45(3)-(4) (as substituted by SI 2015/359 reg 8)"]["status"] == "verified"
    assert rows["SEND Regs 2014 reg 45 after (4) (as substituted by SI 2015/359 reg 8)"]["status"] == "secondary"
    assert rows["SEND Regs 2014 reg 45(3)-(5) as made"]["status"] == "secondary"
    _, notes = model.query("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX src: <https://w3id.org/sendkg/id/source/>
        SELECT ?s ?note WHERE { VALUES ?s { src:regs-reg45 src:regs-reg45-after-4 src:regs-reg45-2014 }
                                ?s skos:editorialNote ?note }""", timeout=None)
    assert len(notes) == 3 and all("breaks off" in r["note"] for r in notes), notes
    statuses: dict[str, set] = {}
    for c in model.cited_sources():
        if c["iri"]:
            statuses.setdefault(c["iri"], set()).add(c["status"])
    assert all(len(s) == 1 for iri, s in statuses.items() if "/regulation/4" in iri), statuses
