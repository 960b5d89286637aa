"""`sendkg lint --format sarif`: SARIF 2.1.0, so CI systems (GitHub code scanning and others) show
the findings inline. Each rule carries its description, example and legal basis from the shapes
(``sendkg rule``), and a help link to its page in the documentation (``sendkg.links.rule_url``;
the provisions it rests on are in ``properties.legalBasis``)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

LEVEL = {"violation": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def legal_basis(rule: dict) -> str:
    return "; ".join(f"{s['citation']} ({s['status'] or 'unverified'})" for s in rule["sources"]) \
        or "none: not about the law"


def help_text(rule: dict) -> str:
    parts = [rule["description"] or rule["summary"]]
    if rule["example"]:
        parts.append(f"Example: {rule['example']}")
    parts.append(f"Legal basis: {legal_basis(rule)}")
    parts.append(f"More: sendkg rule {rule['code']}")
    return "\n\n".join(parts)


def help_uri(rule: dict) -> str:
    """The rule's page in the documentation site (its meaning, the law with links, a wrong and a right
    example, how to suppress it)."""
    from sendkg.links import rule_url

    return rule_url(rule["code"])


def sarif_rule(rule: dict) -> dict:
    return {
        "id": rule["code"],
        "name": "".join(w.capitalize() for w in rule["code"].split("-")),
        "shortDescription": {"text": rule["summary"]},
        "fullDescription": {"text": rule["description"] or rule["summary"]},
        "help": {"text": help_text(rule)},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": LEVEL[rule["severity"]]},
        "properties": {"severity": rule["severity"], "severities": rule.get("severities", [rule["severity"]]), "legalBasis": [dict(s) for s in rule["sources"]],
                       "tags": ["sendkg", rule["severity"]]},
    }


def render(reports, version: str, rules: dict[str, dict], as_of: str | None = None) -> dict:
    """The SARIF log of the findings; ``rules`` are every code's description (lintconfig.rules());
    ``as_of``: the day whose law and names an undated page was judged by."""
    used = sorted({f.code for r in reports for f in r.findings} | set(rules))
    index = {code: i for i, code in enumerate(used)}
    fallback = {"severity": "warning", "summary": "", "description": "", "example": "", "sources": []}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "properties": {"as_of": as_of},
            "tool": {"driver": {
                "name": "sendkg", "version": version, "semanticVersion": version,
                "informationUri": "https://w3id.org/sendkg",
                "rules": [sarif_rule(rules.get(code) or {**fallback, "code": code, "summary": code})
                          for code in used]}},
            "results": [{
                "ruleId": f.code, "ruleIndex": index[f.code], "level": LEVEL[f.severity],
                "message": {"text": f.message + (f" ({f.source})" if f.source else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": quote(Path(r.path).as_posix())},
                    "region": {"startLine": f.line, "startColumn": f.column}}}],
            } for r in reports for f in r.findings],
        }],
    }
