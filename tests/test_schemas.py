"""Every `--format json` output has a JSON Schema shipped in the package (sendkg/schemas/), and
what each command prints is valid against it (the `jsonschema` library); `lint --format sarif` is
valid SARIF 2.1.0 against the OASIS schema (tests/schemas/, see its README), its rules described
from the shapes with their legal basis and a help link."""

import json
from pathlib import Path

import click
import jsonschema
import pytest

from conftest import ROOT
from sendkg import schemas

HERE = Path(__file__).resolve().parent
PAGE = ("<html><body><p>Our SENDIASS can help.</p>\n<!-- sendkg: ignore[superseded-term] -->\n"
        "<p>Talk to the Clinical Commissioning Group.</p>\n<p>Your time limit for appealing to the Tribunal is "
        "three months from the date of that decision.</p>\n</body></html>\n")


def valid(name: str, data) -> None:
    schema = schemas.load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]]


def json_commands() -> list[str]:
    from sendkg.cli import cli

    out = []
    for name, command in cli.commands.items():
        for p in command.params:
            if p.name == "fmt" and isinstance(p.type, click.Choice) and "json" in p.type.choices:
                out.append(name)
    return sorted(out)


def test_every_json_output_has_a_schema():
    commands = json_commands()
    assert {"decisions", "conditions", "routes", "deadlines", "show", "check", "compare", "lint", "validate",
            "query", "rule"} <= set(commands)
    assert set(commands) <= set(schemas.names()), set(commands) - set(schemas.names())


def test_the_schemas_are_listed_in_the_manual():
    from conftest import manual_page

    readme = manual_page("formats.md")
    for name in schemas.names():
        assert f"`{name}.schema.json`" in readme, name


@pytest.mark.parametrize("name,args", [
    ("decisions", ["decisions"]),
    ("conditions", ["conditions"]),
    ("routes", ["routes", "refuse-assessment"]),
    ("routes", ["routes", "plan-contents", "--condition", "section-i-only", "--decision-date", "2026-03-10"]),
    ("routes", ["routes", "la-failure"]),
    ("deadlines", ["deadlines", "refuse-assessment", "--decision-date", "2026-03-10"]),
    ("deadlines", ["deadlines", "la-failure", "--event", "request=2026-01-05"]),
    ("show", ["show", "tribunal-appeal"]),
    ("show", ["show", "mediation"]),
    ("check", ["check", "rotherham", "unnamed-002"]),
    ("compare", ["compare", "dudley"]),
    ("validate", ["validate", "--no-reason"]),
    ("rule", ["rule", "wrong-anchor"]),
    ("rule", ["rule", "--all"]),
    ("query", ["query", ROOT / "queries" / "decisions.rq"]),
    ("authorities", ["authorities"]),
    ("sources", ["sources"]),
])
def test_output_is_valid_against_its_schema(cli, name, args):
    r = cli(*args, "--format", "json")
    assert r.returncode in (0, 1), r.stderr
    valid(name, json.loads(r.stdout))


def test_query_ask_is_valid(cli, tmp_path):
    q = tmp_path / "ask.rq"
    q.write_text("ASK { ?s ?p ?o }\n")
    valid("query", json.loads(cli("query", q, "--format", "json").stdout))


def test_fetch_json_is_valid(cli, tmp_path):
    """A page served here, and one that cannot be reached (an error record)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "send.html").write_text("<html><body><main><p>Our SENDIASS can help.</p></main></body></html>")
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/send.html"
        r = cli("fetch", url, "http://127.0.0.1:9/none", "--format", "json", "--retries", "0", "--delay", "0",
                "--cache", tmp_path / "cache", "--allow-private")
    finally:
        server.shutdown()
    data = json.loads(r.stdout)
    assert [p["status"] for p in data["pages"]] == ["fetched", "error"], r.stderr
    valid("fetch", data)


def test_lint_json_is_valid(cli, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE)
    valid("lint", json.loads(cli("lint", page, "--format", "json").stdout))


def test_a_schema_can_fail():
    with pytest.raises(AssertionError):
        valid("decisions", [{"id": "Not An Id", "label": "x", "appealable": "yes"}])
    with pytest.raises(AssertionError):
        valid("lint", {"files": [{"path": "p", "findings": [{"line": 0}]}], "summary": {}})


@pytest.fixture(scope="module")
def sarif(tmp_path_factory):
    from conftest import run_cli

    page = tmp_path_factory.mktemp("sarif") / "page.html"
    page.write_text(PAGE)
    r = run_cli("lint", page, "--format", "sarif")
    assert r.returncode == 1, r.stderr  # three months for the Tribunal appeal: a violation
    return json.loads(r.stdout)


def test_sarif_is_valid_sarif_2_1_0(sarif):
    schema = json.loads((HERE / "schemas" / "sarif-schema-2.1.0.json").read_text())
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(sarif))
    assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]]
    assert sarif["version"] == "2.1.0"


def test_sarif_rules_carry_description_legal_basis_and_help(sarif):
    from sendkg.lintconfig import rules

    driver = sarif["runs"][0]["tool"]["driver"]
    by_id = {r["id"]: r for r in driver["rules"]}
    assert set(rules()) <= set(by_id)  # every code the shapes define
    # the Tribunal appeal's limit, HESC Rules r.20(1)(c) (and the adviser's, SEND Regs 2014 reg 33)
    rule = by_id["wrong-time-limit"]
    assert rule["shortDescription"]["text"] == "a stated time limit differs from the statutory one"
    assert rule["fullDescription"]["text"] != rule["shortDescription"]["text"]
    assert rule["shortDescription"]["text"] != "wrong time limit"  # not the code with spaces
    assert "Legal basis: HESC Rules r.20(1)(c) (verified); SEND Regs 2014 reg 33 (verified)" in rule["help"]["text"]
    assert rule["helpUri"] == "https://sendkg.github.io/sendkg/rules/wrong-time-limit/"  # its page (sendkg/links.py)
    assert {s["citation"] for s in rule["properties"]["legalBasis"]} == {"HESC Rules r.20(1)(c)", "SEND Regs 2014 reg 33"}
    results = sarif["runs"][0]["results"]
    wrong = next(x for x in results if x["ruleId"] == "wrong-time-limit")
    assert wrong["level"] == "error" and driver["rules"][wrong["ruleIndex"]]["id"] == "wrong-time-limit"
    # suppressed in the page, and so not unused
    assert not {"superseded-term", "unused-suppression"} & {x["ruleId"] for x in results}
