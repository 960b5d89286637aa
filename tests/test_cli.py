"""The `sendkg` command as a user runs it: installed, from another folder, in every format.

Bad input gives one line on stderr, no traceback, and exit 2.
"""

import csv
import io
import json


def one_line_error(result, *words):
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def test_routes_json_shape(cli):
    r = cli("routes", "refuse-assessment", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data["decision"]) >= {"id", "label", "sources"}
    assert data["decision"]["id"] == "refuse-assessment"
    for route in data["routes"]:
        assert set(route) >= {"id", "label", "step", "required", "after", "alongside", "parties",
                              "time_limits", "sources"}
        assert isinstance(route["step"], int)
        assert all(set(s) >= {"citation", "iri"} for s in route["sources"])
        assert all(isinstance(t, str) for t in route["time_limits"])
    ids = [r["id"] for r in data["routes"]]
    tribunal = data["routes"][ids.index("tribunal-appeal")]
    assert "mediation-advice" in tribunal["after"]
    assert "http://www.legislation.gov.uk/uksi/2008/2699/rule/20" in [s["iri"] for s in tribunal["sources"]]


def test_routes_table_reads_as_a_plan(cli):
    r = cli("routes", "refuse-assessment")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.index("Step 1") < out.index("Mediation advice") < out.index("Step 3") < out.index("First-tier Tribunal")
    assert "At any stage, alongside every step" in out
    flat = " ".join(out.split())  # the table wraps long lines
    assert "whichever is later" in flat and "HESC Rules r.20(1)(c)" in flat


def test_routes_with_condition(cli):
    r = cli("routes", "plan-contents", "--condition", "section-i-only", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert "mediation-advice" not in [x["id"] for x in data["routes"]]
    assert data["conditions"] == ["section-i-only"]


def test_routes_mermaid_and_dot(cli):
    m = cli("routes", "refuse-assessment", "--format", "mermaid")
    assert m.returncode == 0 and m.stdout.startswith("flowchart TD")
    assert "mediation_advice --> tribunal_appeal" in m.stdout
    d = cli("routes", "refuse-assessment", "--format", "dot")
    assert d.returncode == 0 and d.stdout.startswith("digraph routes {")
    assert '"mediation-advice" -> "tribunal-appeal";' in d.stdout


def test_decisions_formats(cli):
    t = cli("decisions")
    assert t.returncode == 0 and "refuse-assessment" in t.stdout
    j = json.loads(cli("decisions", "--format", "json").stdout)
    assert {d["id"] for d in j} >= {"refuse-assessment", "la-failure"}
    rows = list(csv.DictReader(io.StringIO(cli("decisions", "--format", "csv").stdout)))
    assert {r["id"]: r["appealable"] for r in rows}["cease-plan"] == "True"


def test_show_route(cli):
    r = cli("show", "tribunal-appeal")
    assert r.returncode == 0, r.stderr
    flat = " ".join(r.stdout.split())
    assert "First-tier Tribunal" in flat and "HESC Rules r.20(1)(c)" in flat
    j = json.loads(cli("show", "mediation", "--format", "json").stdout)
    assert "mediator" in [p["id"] for p in j["parties"]]


def test_query_formats(cli, tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("PREFIX dcterms: <http://purl.org/dc/terms/>\nPREFIX skg: <https://w3id.org/sendkg/def#>\n"
                 "SELECT ?id WHERE { ?r a skg:Route ; dcterms:identifier ?id } ORDER BY ?id")
    t = cli("query", q)
    assert t.returncode == 0 and "tribunal-appeal" in t.stdout
    j = json.loads(cli("query", q, "--format", "json").stdout)  # SPARQL 1.1 results JSON (W3C)
    assert j["head"]["vars"] == ["id"]
    assert {"id": {"type": "literal", "value": "mediation"}} in j["results"]["bindings"]
    c = cli("query", q, "--format", "csv").stdout.splitlines()
    assert c[0] == "id" and "upper-tribunal" in c


def test_shipped_queries_run_unchanged(cli):
    """Every query in queries/ without parameters runs as a user's file."""
    from sendkg.resources import resource_dir

    for path in sorted(resource_dir("queries").glob("*.rq")):
        if "Parameter" in path.read_text():
            continue
        r = cli("query", path)
        assert r.returncode == 0, (path.name, r.stderr)


def test_validate_ok(cli):
    r = cli("validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "SHACL: conforms" in r.stdout


def test_validate_broken_extension_exits_1(cli, tmp_path):
    f = tmp_path / "ext.ttl"
    f.write_text("@prefix skg: <https://w3id.org/sendkg/def#> .\n<https://example.org/r> a skg:Route .\n")
    r = cli("validate", f, "--no-reason", "--format", "json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert not data["conforms"]
    assert any(x["focus"] == "https://example.org/r" for x in data["shacl"]["results"])
    t = cli("validate", f, "--no-reason", "--format", "turtle")
    assert "sh:ValidationReport" in t.stdout


# ---- bad input
def test_unknown_decision_suggests(cli):
    line = one_line_error(cli("routes", "refuse-asessment"), "unknown decision", "refuse-assessment")
    assert "did you mean" in line


def test_unknown_condition(cli):
    one_line_error(cli("routes", "plan-contents", "--condition", "section-1-only"), "unknown condition",
                   "section-i-only")


def test_condition_for_another_decision(cli):
    one_line_error(cli("routes", "refuse-assessment", "--condition", "section-i-only"), "does not apply")


def test_unknown_route(cli):
    one_line_error(cli("show", "tribunal"), "unknown route", "tribunal-appeal")


def test_malformed_extension_file(cli, tmp_path):
    f = tmp_path / "bad.ttl"
    f.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e ;; .\n")
    line = one_line_error(cli("--data", f, "routes", "refuse-assessment"), str(f) + ":3:")
    assert "Turtle" in line
    one_line_error(cli("validate", f), str(f) + ":3:")


def test_missing_extension_file(cli, tmp_path):
    one_line_error(cli("--data", tmp_path / "nope.ttl", "decisions"), "no such file")


def test_query_syntax_error_has_position(cli, tmp_path):
    q = tmp_path / "bad.rq"
    q.write_text("SELECT * WHERE { ?s ?p }")
    one_line_error(cli("query", q), str(q), "1:")


def test_missing_query_file(cli, tmp_path):
    one_line_error(cli("query", tmp_path / "none.rq"), "no such file")


def test_unknown_format_is_a_usage_error(cli):
    r = cli("routes", "refuse-assessment", "--format", "xml")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_validate_without_java_says_so_in_one_line(tmp_path):
    """With no Java on PATH, the SHACL report still prints and one line says what to do."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JAVA_HOME", "SENDKG_DATA")}
    env["PATH"] = str(tmp_path)  # no java here
    r = subprocess.run([sys.executable, "-m", "sendkg", "validate"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert "SHACL: conforms" in r.stdout
    one_line_error(r, "needs Java", "--no-reason")
