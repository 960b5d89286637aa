"""Write the JSON Schemas of sendkg's `--format json` outputs (sendkg/schemas/*.schema.json).

The schemas are written here, as Python, so that the shared parts (a legal source, a finding) are
said once; the files are what ships and what tests/test_schemas.py checks every output against.
Run `python scripts/json_schemas.py` after changing an output, and review the diff; give a folder
(`python scripts/json_schemas.py OUT`) to write them there instead. tests/test_schemas_generated.py
fails when a file differs from what this writes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "sendkg" / "schemas"
BASE = "https://w3id.org/sendkg/schemas/"

STR, INT, BOOL, NUM = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}
NSTR, NINT = {"type": ["string", "null"]}, {"type": ["integer", "null"]}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
NDATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
SEVERITY = {"enum": ["violation", "warning", "info"]}
ID = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}


def arr(items: dict, **kw) -> dict:
    return {"type": "array", "items": items, **kw}


def obj(props: dict, required: list[str] | None = None, description: str | None = None, **kw) -> dict:
    out = {"type": "object"}
    if description:
        out["description"] = description
    out["properties"] = props
    out["required"] = list(props) if required is None else required
    out.update(kw)
    return out


SOURCE = obj({"citation": STR, "iri": NSTR, "status": {"enum": ["verified", "secondary", "seeds", "unverified", None]}},
             description="A legal source: its citation, the provision's address, and how sure the model is of it "
                         "(skg:status in ontology/terms.ttl).")
SOURCES = arr({"$ref": "#/$defs/source"})
DECISION = obj({"id": ID, "label": STR, "sources": SOURCES})
RULE = obj({"id": STR, "label": STR, "source": NSTR})
PART = obj({"iri": STR, "id": STR, "label": STR, "sequence": NINT, "duration": {"type": ["number", "null"]},
            "unit": NSTR, "mode": NSTR, "anchor": NSTR, "anchor_label": NSTR, "kind": NSTR, "text": STR,
            "rules": arr(RULE), "sources": SOURCES}, required=["id", "label", "text", "sources"])
TIME_LIMIT = obj({"id": STR, "label": STR, "text": STR, "combination": NSTR, "combination_label": NSTR,
                  "parts": arr(PART), "anchors": arr(STR), "rules": arr(RULE), "sources": SOURCES},
                 required=["id", "label", "text", "parts", "sources"],
                 description="A time limit: its parts (each a period counted from an anchor) and how they combine.")


COVERAGE = obj({
    "development_set": NSTR,
    "summary": {"type": "object", "additionalProperties": obj({"items": INT, "reading": INT, "tested": INT})},
    "items": arr(obj({"item": STR, "kind": {"enum": ["time limit", "statement", "superseded name"]}, "label": STR,
                      "period": NSTR, "note": STR, "sources": STR, "reading": BOOL, "wrong_tests": NINT,
                      "right_tests": NINT, "covered": BOOL},
                     required=["item", "kind", "label", "reading", "wrong_tests", "right_tests", "covered",
                               "sources"]))},
    description="sendkg rule --coverage: every time limit, statement of the law and superseded name of the model, "
                "whether lint has a claim reading for it, and the development set's wrong and right sentences about "
                "it (queries/coverage-model.rq, queries/coverage-tests.rq).")


def schema(name: str, title: str, description: str, body: dict, defs: dict | None = None) -> dict:
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{BASE}{name}.schema.json",
           "title": title, "description": description, **body}
    if defs:
        out["$defs"] = defs
    return out


QUERY_SPARQL = schema("query", "sendkg query FILE --format json",
                    "SPARQL 1.1 Query Results JSON Format (W3C Recommendation, 21 March 2013): a SELECT's "
                    "variables and bindings, or an ASK's boolean.", {
        "oneOf": [
            obj({"head": obj({"vars": arr(STR), "link": arr(STR)}, required=["vars"]),
                 "results": obj({"bindings": arr({"type": "object", "additionalProperties": {"$ref": "#/$defs/term"}})})},
                required=["head", "results"]),
            obj({"head": obj({"link": arr(STR)}, required=[]), "boolean": BOOL}, required=["head", "boolean"]),
        ]},
        {"term": {"oneOf": [
            obj({"type": {"const": "uri"}, "value": STR}, additionalProperties=False),
            obj({"type": {"const": "bnode"}, "value": STR}, additionalProperties=False),
            obj({"type": {"const": "literal"}, "value": STR, "xml:lang": STR, "datatype": STR},
                required=["type", "value"], additionalProperties=False),
            obj({"type": {"const": "triple"}, "value": {"type": "object"}}),
        ]}})

SCHEMAS = {
    "decisions": schema("decisions", "sendkg decisions --format json", "The decision types.", arr(obj(
        {"id": ID, "label": STR, "appealable": BOOL, "comment": NSTR},
        description="A decision type; appealable: to the First-tier Tribunal (SEND)."))),
    "conditions": schema("conditions", "sendkg conditions --format json",
                         "The conditions that change which routes apply.", arr(obj(
        {"id": ID, "label": STR, "comment": NSTR, "iri": STR, "decisions": arr(ID), "lifts": arr(ID), "adds": arr(ID)},
        required=["id", "label", "decisions", "lifts", "adds"]))),
    "routes": schema("routes", "sendkg routes DECISION --format json",
                     "The routes that apply to a decision, as a plan of numbered steps.", obj({
        "decision": {"$ref": "#/$defs/decision"},
        "conditions": arr(ID),
        "routes": arr(obj({
            "id": ID, "label": STR, "step": {"type": "integer", "minimum": 0}, "required": BOOL,
            "after": arr(ID), "usually_after": arr(ID), "alongside": arr(ID), "any_stage": BOOL,
            "parties": arr(ID), "party_labels": arr(STR), "time_limits": arr(STR),
            "time_limit_details": arr({"$ref": "#/$defs/time_limit"}), "sources": {"$ref": "#/$defs/sources"},
            "ordering_sources": arr({}), "dates": {}},
            required=["id", "label", "step", "required", "after", "usually_after", "alongside", "parties",
                      "time_limits", "sources"]))},
        required=["decision", "conditions", "routes"]),
        {"source": SOURCE, "sources": SOURCES, "decision": DECISION, "time_limit": TIME_LIMIT}),
    "deadlines": schema("deadlines", "sendkg deadlines DECISION --format json",
                        "Every time limit that applies to a decision, as a date where its anchor is known.", obj({
        "decision": {"$ref": "#/$defs/decision"},
        "conditions": arr(ID),
        "events": {"type": "object", "additionalProperties": DATE},
        "deadlines": arr(obj({
            "route": {"type": ["string", "null"]}, "id": STR, "kind": {"enum": ["deadline", "minimum"]},
            "label": STR, "date": NDATE, "rule": STR, "anchor": NSTR, "anchor_date": NDATE,
            "working": arr(STR), "sources": {"$ref": "#/$defs/sources"}, "note": NSTR,
            "allowed_by": {**NSTR, "description": "For a minimum period: the party that must allow it "
                                                  "(skg:allowedBy), e.g. the local authority on a draft plan."},
            "other_readings": {"type": "array",
                               "description": "Where the law that counts the period changed while it ran: the "
                                              "readings not shown (the earliest is shown), each with the day of "
                                              "the law it follows.",
                               "items": obj({"date": DATE, "earliest": DATE, "latest": DATE, "law_as_of": DATE},
                                            required=["law_as_of"])}},
            required=["route", "id", "kind", "label", "date", "rule", "anchor", "anchor_date", "working",
                      "sources", "note"])),
        "cautions": {"description": "Warnings about the decision's time limits as a whole (skg:Caveat), present "
                                    "only when one applies: for example that no ground of appeal was given, so the "
                                    "list may be incomplete, or that the law of the day was not read for a ground.",
                     **arr(obj({"id": ID, "text": STR, "sources": {"$ref": "#/$defs/sources"}},
                               additionalProperties=False))}},
        required=["decision", "conditions", "events", "deadlines"]),
        {"source": SOURCE, "sources": SOURCES, "decision": DECISION}),
    "show": schema("show", "sendkg show ROUTE --format json",
                   "One route in detail: parties, time limits, decisions, order and legal basis.", obj({
        "id": ID, "label": STR, "comment": NSTR, "any_stage": BOOL,
        "parties": arr(obj({"id": ID, "label": STR})),
        "time_limits": arr({"$ref": "#/$defs/time_limit"}),
        "decisions": arr(obj({"id": ID, "label": STR, "only_if": NSTR})),
        "comes_before": arr(ID), "after": arr(ID), "sources": {"$ref": "#/$defs/sources"}}),
        {"source": SOURCE, "sources": SOURCES, "time_limit": TIME_LIMIT}),
    "check": schema("check", "sendkg check --format json",
                    "Findings about authorities' content, grouped by authority.", obj({
        "authorities": arr(obj({
            "id": ID, "name": STR, "gss_code": NSTR,
            "findings": arr(obj({"severity": SEVERITY, "code": ID, "message": STR, "source": STR,
                                 "document": NSTR, "line": {"type": ["integer", "null"], "minimum": 1}}))},
            required=["id", "name", "findings"])),
        "errors": arr({}, description="Inputs that could not be read, one message each.")},
        required=["authorities"])),
    "compare": schema("compare", "sendkg compare --format json",
                      "One row per authority: what its content says and how much of it is right.", arr(obj({
        "authority": ID, "name": STR, "gss_code": NSTR, "sendiass": NSTR, "dr_providers": NSTR,
        "routes_described": INT, "routes": STR, "mediation_advice": BOOL, "tribunal_time_limit": BOOL,
        "section_i_exception": BOOL, "time_limits_stated": INT, "time_limits_wrong": INT, "anchors_imprecise": INT,
        "citations": INT, "citations_wrong": INT, "superseded_terms": INT, "terminology_current": BOOL,
        "violations": INT, "warnings": INT, "infos": INT,
        "completeness": {"type": "number", "minimum": 0, "maximum": 1}}))),
    "lint": schema("lint", "sendkg lint --format json",
                   "Findings in pages, at line and column, with a summary.", obj({
        "as_of": {**NDATE, "description": "the day whose law and names an undated page was judged by"},
        "files": arr(obj({"path": STR, "findings": arr(obj({
            "line": {"type": "integer", "minimum": 1}, "column": {"type": "integer", "minimum": 1},
            "severity": SEVERITY, "code": ID, "message": STR, "source": STR}))})),
        "summary": obj({"files": {"type": "integer", "minimum": 0}, "violation": INT, "warning": INT, "info": INT}),
        "errors": arr(obj({"path": NSTR, "message": STR}, required=["message"]),
                      description="Inputs that could not be read.")},
        required=["files", "summary"])),
    "rule": schema("rule", "sendkg rule CODE --format json (a list of these with --all; the coverage report with "
                           "--coverage)",
                   "A finding code: its severity, what it means, an example (wrong, and right: skg:rightExample) and its legal basis (from the shapes).", {
        "oneOf": [{"$ref": "#/$defs/rule"}, arr({"$ref": "#/$defs/rule"}), {"$ref": "#/$defs/coverage"}]},
        {"source": SOURCE, "rule": obj({"code": ID, "severity": SEVERITY, "severities": arr(SEVERITY, minItems=1),
                                         "summary": STR, "description": STR,
                                         "example": STR, "right_example": STR, "sources": SOURCES}),
         "coverage": COVERAGE}),
    "validate": schema("validate", "sendkg validate --format json",
                       "Whether the model conforms to its SHACL shapes, and what the OWL reasoner derived.", obj({
        "conforms": BOOL,
        "shacl": obj({"conforms": BOOL, "results": arr(obj({
            "severity": STR, "focus": STR, "path": NSTR, "message": STR, "shape": NSTR, "value": NSTR},
            required=["severity", "focus", "message"]))}),
        "owl": {"oneOf": [{"type": "null"}, obj({
            "consistent": BOOL, "problem": NSTR,
            "classification": {"type": "object", "additionalProperties": arr(STR)}})]}})),
    "vocabulary": schema("vocabulary", "sendkg vocabulary [KIND] --format json",
                         "Every identifier a user can write, with its label.", arr(obj(
        {"kind": STR, "id": STR, "label": STR, "comment": STR, "iri": NSTR}, required=["kind", "id", "label"]))),
    "authorities": schema("authorities", "sendkg authorities --format json",
                          "The local authorities of England with SEND duties, and those abolished since 2009.", arr(obj(
        {"id": ID, "gss_code": STR, "name": STR, "council": STR, "type": STR, "region": STR,
         "from": STR, "until": STR, "successors": STR}, required=["id", "gss_code", "name"]))),
    "fetch": schema("fetch", "sendkg fetch URL... --format json",
                    "What happened to each page fetched, with its provenance.", obj({"pages": arr(obj({
        "url": STR, "status": {"enum": ["fetched", "not-modified", "changed", "refused-robots", "error"]},
        "final_url": NSTR, "http_status": NINT, "content_type": NSTR, "etag": NSTR, "last_modified": NSTR,
        "sha256": {"type": ["string", "null"], "pattern": "^sha256:[0-9a-f]{64}$"}, "retrieved_at": NSTR,
        "checked_at": NSTR, "previous_sha256": NSTR, "redirects": arr(STR), "error": NSTR, "path": NSTR,
        "raw_path": NSTR}, required=["url", "status"]))})),
    "sources": schema("sources", "sendkg sources --format json",
                      "Every legal source the model cites: its provision, verification status and what relies on it.",
                      arr(obj({"citation": STR, "document": NSTR, "iri": NSTR,
                               "status": {"enum": ["verified", "secondary", "seeds", "unverified", None]},
                               "relied_on_by": arr(obj({"kind": STR, "id": NSTR, "iri": STR, "about": NSTR},
                                                       required=["kind", "iri"]))},
                              required=["citation", "iri", "status", "relied_on_by"]))),
    "study": schema("study", "sendkg study ... -o DIR: DIR/study.json",
                    "A study of many authorities: per authority its pages (with where and when they were read), the study "
                    "categories present, completeness and legal accuracy, its features with their evidence, out-of-date "
                    "names of the council and its findings.", obj({
        "sendkg_study": {"const": 1}, "as_of": DATE,
        "categories": arr(obj({"id": ID, "label": STR, "features": arr(STR), "routes": arr(ID), "law": STR})),
        "authorities": arr(obj({
            "id": ID, "name": STR, "council": NSTR, "gss_code": NSTR, "region": NSTR, "type": NSTR,
            "pages": arr(obj({"page": STR, "url": NSTR, "retrieved_at": NSTR,
                              "sha256": {"type": ["string", "null"], "pattern": "^sha256:[0-9a-f]{64}$"},
                              "unread": {**STR, "description": "Why the page was not read (past a documented bound, "
                                                               "or not a page); present only then."}},
                             required=["page", "url", "retrieved_at", "sha256"])),
            "categories": {"type": "object", "additionalProperties": BOOL},
            "completeness": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
            "accuracy": {"type": ["number", "null"], "maximum": 1},
            "features": arr(obj({"feature": STR, "category": NSTR, "present": BOOL, "correct": {"type": ["boolean", "null"]},
                                 "value": STR, "evidence": arr(obj({
                                     "kind": STR, "about": NSTR, "quote": STR, "page": STR, "line": NINT, "column": NINT,
                                     "url": NSTR, "retrieved_at": NSTR}))})),
            "out_of_date_names": arr(obj({"page": STR, "url": NSTR, "name": STR, "why": STR})),
            "findings": arr(obj({"severity": SEVERITY, "code": STR, "message": STR, "law": STR, "page": NSTR,
                                 "line": NINT, "column": NINT, "url": NSTR, "retrieved_at": NSTR})),
            "counts": obj({"violations": INT, "warnings": INT, "infos": INT})})),
        "page_reports": {
            "description": "The pages asked for (a list's web addresses, or the register's with --england / "
                           "--authorities) that moved (redirected to another address, read there), vanished (HTTP "
                           "404 or 410), were not fetched (another reason: an error, robots.txt, not in the cache "
                           "with --offline), or an authority of the register with no page (no-page). Absent when "
                           "there are none.",
            **arr(obj({"authority": ID, "url": NSTR,
                       "status": {"enum": ["moved", "vanished", "not-fetched", "no-page"]},
                       "reason": NSTR, "final_url": NSTR}, additionalProperties=False))}},
        required=["sendkg_study", "as_of", "categories", "authorities"])),
    "study-changes": schema("study-changes", "sendkg study ... --since OLD/study.json: DIR/changes.json",
                            "What changed since an earlier study, per authority: categories gained or lost, findings new "
                            "and gone, pages whose content changed; or an authority new in this study or no longer in it.",
                            obj({"since": NDATE, "authorities": arr({"oneOf": [
                                obj({"id": ID, "change": {"enum": ["new in this study", "not in this study"]}}),
                                obj({"id": ID, "categories_gained": arr(STR), "categories_lost": arr(STR),
                                     "findings_new": arr(obj({"code": STR, "message": STR})),
                                     "findings_gone": arr(obj({"code": STR, "message": STR})),
                                     "pages_changed": arr(STR)})]})})),
    "query": QUERY_SPARQL,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=OUT,
                        help="the folder to write the schemas into (default: sendkg/schemas of this checkout)")
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    for name, body in SCHEMAS.items():
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {shown(path)}")


def shown(path: Path) -> str:
    """The path written: relative to the current folder where it is inside it, else absolute."""
    path = path.resolve()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    main()
