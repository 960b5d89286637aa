"""The second audit (../shared/law/audit-2026-12.md), issue 20 items 6-9 on dates and statuses: no
deadline printed twice, a period across a change in its counting rule (as data, for any limit),
the latest of several anchors, one status per provision, and who must allow a minimum period.
The worked dates are in tests/scenarios/deadlines-dates.toml."""

from collections import defaultdict
from datetime import date

import pytest

from sendkg.deadlines import _limits_for, deadlines


def _events_for(model, decision, day):
    """Every event the decision's time limits run from, all on one day (the event-order checks allow
    equal days)."""
    with model.at(day):
        _, limits = _limits_for(model, decision, ())
    return {p["anchor"]: day for _, lim in limits for p in lim["parts"]}


@pytest.mark.parametrize("day", [date(2019, 7, 10), date(2020, 7, 20), date(2026, 7, 10)])
def test_no_deadline_printed_twice(model, day):
    """Audit 2026-12 row 3b: the same act with the same last day appears once in an answer (a
    duplicate 2008 node in in-force.ttl gave the discrimination permission limit the SEN part too)."""
    for d in model.decisions():
        events = _events_for(model, d["id"], day)
        if not events:
            continue
        seen = defaultdict(list)
        for row in deadlines(model, d["id"], events)["deadlines"]:
            if row["date"] or row.get("earliest"):
                seen[(row["route"], row["label"], row["date"], row.get("earliest"))].append(row["id"])
        twice = {k: v for k, v in seen.items() if len(v) > 1}
        assert not twice, f"{d['id']} on {day}: {twice}"


def test_each_provision_has_one_status(model):
    """Audit 2026-12 row 14: `sendkg sources` lists each provision (citation label) once, with one status."""
    statuses = defaultdict(set)
    for c in model.cited_sources():
        statuses[c["citation"]].add(c["status"])
    assert not {k: v for k, v in statuses.items() if len(v) > 1}
    labels = [c["citation"] for c in model.cited_sources()]
    assert len(labels) == len(set(labels)), sorted(x for x in labels if labels.count(x) > 1)


def test_upper_tribunal_rule_read_to_2009_is_not_verified(model):
    """Audit 2026-12 row 7: UT r.12 was read only as amended to 2009."""
    cites = {c["citation"]: c for c in model.cited_sources()}
    assert cites["UT Rules r.12(2)-(3)"]["status"] == "secondary"
    assert cites["UT Rules r.12(1)"]["status"] == "secondary"


EXTENSION = """
@prefix skg: <https://w3id.org/sendkg/def#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix tl: <https://w3id.org/sendkg/id/time-limit/> .
@prefix ev: <https://w3id.org/sendkg/id/event/> . @prefix src: <https://w3id.org/sendkg/id/source/> .
@prefix ex: <https://example.org/> .
ex:jr-old a skg:TimeLimit ; dcterms:identifier "judicial-review" ; rdfs:label "claim for judicial review" ;
    rdfs:comment "A made-up earlier version: 6 weeks." ;
    skg:duration [ a time:Duration ; time:numericDuration 6 ; time:unitType time:unitWeek ] ;
    skg:countingMode skg:After ; skg:anchor ev:grounds-arose ; dcterms:source src:cpr-54-5 ;
    skg:inForce [ a time:ProperInterval ; time:hasEnd [ time:inXSDDate "2020-01-01"^^xsd:date ] ; dcterms:source src:cpr-54-5 ] .
tl:judicial-review dcterms:replaces ex:jr-old ;
    skg:inForce [ a time:ProperInterval ; time:hasBeginning [ time:inXSDDate "2020-01-01"^^xsd:date ] ; dcterms:source src:cpr-54-5 ] .
"""


def test_a_change_inside_any_period_gives_the_earlier_reading_with_a_caution(tmp_path):
    """Issue 20 item 7 as data: any limit with a version boundary inside its period (here a made-up
    6-week version of the judicial review limit ending on 1 Jan 2020) gives both readings and shows
    the earlier; no limit is named in the code."""
    from sendkg.model import Model

    ext = tmp_path / "jr-versions.ttl"
    ext.write_text(EXTENSION)
    m = Model(extra_files=[ext])
    # grounds Fri 20 Dec 2019: old version 20 Dec + 6 weeks = Fri 31 Jan 2020; new version 3 months
    # after = Fri 20 Mar 2020. The boundary (1 Jan 2020) is inside the period: the earlier is shown.
    row = next(r for r in deadlines(m, "la-failure", {"grounds": date(2019, 12, 20)})["deadlines"]
               if r["id"] == "judicial-review")
    assert row["date"] == "2020-01-31" and row["law_as_of"] == "2019-12-20"
    assert [r["date"] for r in row["other_readings"]] == ["2020-03-20"]
    assert "caution" in row["note"] and "Fri 20 Mar 2020" in row["note"]
    # grounds Tue 1 Oct 2019: the old period ends Tue 12 Nov 2019 (1 Oct + 42 days), before the
    # boundary: one reading, no caution
    row = next(r for r in deadlines(m, "la-failure", {"grounds": date(2019, 10, 1)})["deadlines"]
               if r["id"] == "judicial-review")
    assert row["date"] == "2019-11-12" and "other_readings" not in row  # ends before the boundary


def test_a_minimum_says_who_must_allow_it(cli):
    """Audit 2026-12 row 12: reg 13(1)(a), the local authority must give at least 15 days."""
    r = cli("deadlines", "la-failure", "--event", "draft=2026-02-14")
    assert r.returncode == 0, r.stderr
    assert "a minimum the local authority must allow the parent" in r.stdout
    assert "a minimum the parent must allow" not in r.stdout


def test_later_anchor_alone_and_unknown(cli):
    """HESC r.46(2): the later events are accepted for a limit anchored on the written reasons, and
    a missing anchor says how to give them."""
    import json

    r = cli("deadlines", "plan-contents", "--format", "json")
    assert r.returncode == 0, r.stderr
    row = next(d for d in json.loads(r.stdout)["deadlines"] if d["id"] == "permission-from-ftt")
    assert "--event amended-reasons=YYYY-MM-DD" in row["note"] and "--event set-aside-refused=YYYY-MM-DD" in row["note"]
    assert "amended reasons (or a correction) after a review" in row["rule"]  # the rule names the later days
    r = cli("deadlines", "plan-contents", "--event", "reasons=2026-07-10", "--event", "amended-reasons=2026-07-01")
    assert r.returncode != 0 and "cannot be before" in r.stderr  # amended reasons follow the reasons
