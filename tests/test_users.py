"""Issue 13 (items 2, 4, 5): what researchers and families' advisers stopped at, each a test that
failed before and passes now. The law behind each expectation is cited beside it."""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from test_cli import one_line_error

SEEDS = ROOT / "tests" / "seeds"
MK_PAGE = SEEDS / "000_dc0ff41c4349732d.txt"  # the Milton Keynes seed page


# ------------------------------------------------------------------ authorities without hand-written Turtle
@pytest.fixture(scope="module")
def wessex(tmp_path_factory):
    """A new authority written by extract from two pages (a seed page and a short one of our own)."""
    folder = tmp_path_factory.mktemp("offers")
    own = folder.parent / "contact.md"
    own.write_text("# Contact\n\nTalk to the school first. Our SENDIASS can help.\n", encoding="utf-8")
    out = folder / "west-wessex.ttl"
    r = run_cli("extract", MK_PAGE, own, "--new-authority", "west-wessex", "--name", "West Wessex",
                "--gss", "E06000099", "-o", out)
    assert r.returncode == 0, r.stderr
    return folder, out


def test_extract_new_authority_writes_a_file_check_accepts(wessex):
    folder, out = wessex
    text = out.read_text(encoding="utf-8")
    assert 'dcterms:identifier "west-wessex"' in text and 'rdfs:label "West Wessex"' in text
    r = run_cli("check", out, "--format", "json")
    assert r.returncode in (0, 1), r.stderr  # 1: findings about the content, not bad input
    (authority,) = json.loads(r.stdout)["authorities"]
    assert authority["id"] == "west-wessex" and authority["gss_code"] == "E06000099"
    codes = {f["code"] for f in authority["findings"]}
    # shapes/authority.ttl authority-identity: identifier, name and GSS code well formed (CFA 2014 s.32)
    assert not codes & {"authority-identity", "authority-unidentified", "claim-position"}
    # the page names Global Mediation, whose description lives in another authority's file: the new
    # file carries it, so no missing-dr-provider (CFA 2014 s.57; CoP 11.6) when checked on its own
    assert "missing-dr-provider" not in codes and "provider:global-mediation skg:provides" in text
    # both pages are the one authority's: the seed page's superseded name is found (SI 2022/634 reg 58)
    assert "superseded-term" in codes
    assert {f["document"] for f in authority["findings"]} <= {str(MK_PAGE), str(folder.parent / "contact.md")}


@pytest.mark.parametrize("args,words", [
    (["--new-authority", "West Wessex", "--name", "W"], ["lower-case words"]),
    (["--new-authority", "west-wessex"], ["--name"]),
    (["--new-authority", "west-wessex", "--name", "W", "--gss", "X123"], ["GSS code", "E06000042"]),
    (["--new-authority", "rotherham", "--name", "Rotherham"], ["already knows", "rotherham"]),
    (["--name", "W"], ["--new-authority"]),
])
def test_extract_new_authority_bad_input(args, words):
    one_line_error(run_cli("extract", MK_PAGE, *args), *words)


def test_user_authorities_come_from_offers_folders(wessex, tmp_path):
    folder, _ = wessex
    by_option = run_cli("compare", "--offers", folder, "--format", "csv")
    assert by_option.returncode == 0, by_option.stderr
    ids = [line.split(",")[0] for line in by_option.stdout.splitlines()[1:]]
    assert "west-wessex" in ids and "rotherham" in ids  # the seeds and the user's folder
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SENDKG_DATA")}
    env["SENDKG_OFFERS"] = str(folder)
    by_env = subprocess.run([sys.executable, "-m", "sendkg", "check", "west-wessex", "--format", "json"],
                            capture_output=True, text=True, env=env, cwd="/", timeout=120)
    assert [a["id"] for a in json.loads(by_env.stdout)["authorities"]] == ["west-wessex"]
    # never inside the installed package: the package's own offers/ holds only what ships
    from sendkg.resources import resource_dir

    assert not (resource_dir("offers") / "west-wessex.ttl").exists()
    one_line_error(run_cli("check", "--offers", tmp_path / "nope"), "no such folder")


def test_a_sendkg_objects_offers_are_its_own(wessex, tmp_path):
    """SendKG(offers=...) sees its folders; another SendKG made later in the same process does not."""
    import sendkg
    from sendkg.errors import SendkgError

    folder, _ = wessex
    theirs = sendkg.SendKG(offers=[folder])
    plain = sendkg.SendKG()
    assert "west-wessex" in {r.authority for r in theirs.compare()}
    ids = {r.authority for r in plain.compare()}
    assert "west-wessex" not in ids and "rotherham" in ids
    assert "west-wessex" in {r.authority for r in theirs.compare()}  # still there after the other's call
    # the providers an object's own authority files describe are in its vocabulary only
    wessex_only = folder / "wessex-mediation.ttl"
    text = (folder / "west-wessex.ttl").read_text(encoding="utf-8")
    wessex_only.write_text(text.replace("provider:global-mediation", "provider:wessex-mediation")
                           .replace('"Global Mediation"', '"Wessex Mediation"')
                           .replace('"west-wessex"', '"wessex-two"').replace("West Wessex", "Wessex Two"),
                           encoding="utf-8")
    try:
        assert "wessex-mediation" in {r.id for r in theirs.vocabulary("providers")}
        assert "wessex-mediation" not in {r.id for r in plain.vocabulary("providers")}
    finally:
        wessex_only.unlink()
    with pytest.raises(SendkgError, match="no such folder"):
        sendkg.SendKG(offers=[tmp_path / "nope"])


def test_data_is_honoured_by_compare_and_check(wessex):
    _, out = wessex
    r = run_cli("--data", out, "compare", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert "west-wessex" in [line.split(",")[0] for line in r.stdout.splitlines()[1:]]
    r = run_cli("--data", out, "check", "west-wessex", "--format", "json")
    assert [a["id"] for a in json.loads(r.stdout)["authorities"]] == ["west-wessex"]


def test_data_extending_the_model_changes_check(tmp_path):
    """An extension file is part of the model check uses: a (hypothetical) superseded name added as
    data is found in a seed page that uses it."""
    extra = tmp_path / "term.ttl"
    extra.write_text(
        "@prefix skg: <https://w3id.org/sendkg/def#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://example.org/t> a skos:Concept ; skos:inScheme <https://w3id.org/sendkg/id/term/superseded> ;\n"
        '  dcterms:identifier "test-term" ; skos:prefLabel "test term" ; rdfs:label "test term" .\n')
    r = run_cli("--data", extra, "vocabulary", "terms", "--format", "json")
    assert "test-term" in [t["id"] for t in json.loads(r.stdout)]


@pytest.mark.parametrize("command", [["lint", MK_PAGE], ["extract", MK_PAGE], ["serve"], ["load"]])
def test_data_is_refused_in_one_line_where_not_used(command, tmp_path):
    extra = tmp_path / "x.ttl"
    extra.write_text("")
    args = ["--endpoint", "http://127.0.0.1:1/query"] if command == ["load"] else []
    one_line_error(run_cli(*args, "--data", extra, *command), "--data")


def _every_route(model) -> set[str]:
    """The routes in force today and those of the statement era (SI 2014/2270), by identifier."""
    from datetime import date

    ids = {r["id"] for r in model.select("routes")}
    with model.at(date(2016, 6, 1)):
        ids |= {r["id"] for r in model.select("routes")}
    return ids


def test_vocabulary_lists_every_identifier_with_its_label(model):
    r = run_cli("vocabulary", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    by_kind = {}
    for row in rows:
        by_kind.setdefault(row["kind"], set()).add(row["id"])
    # every kind the issue names, each with what the model (and shapes, authorities) holds
    # the vocabulary lists every route the model holds, also those no longer in force (the statement
    # era's appeal, 1 Sep 2014 to 31 Mar 2018: SI 2014/2270), which the routes of today leave out
    assert _every_route(model) == by_kind["routes"]
    assert {r["id"] for r in model.select("events")} == by_kind["events"]
    with model.at(__import__("datetime").date(2016, 6, 1)):  # the statement era's decision too
        then = {d["id"] for d in model.decisions()}
    assert {d["id"] for d in model.decisions()} | then == by_kind["decisions"]
    assert set(model.conditions()) == by_kind["conditions"]
    assert {"tribunal-appeal", "contact-adviser"} <= by_kind["time-limits"]  # HESC r.20(1)(c); Regs reg 33
    assert "ccg" in by_kind["terms"]  # SI 2022/634 reg 58
    assert "community-accord" in by_kind["providers"]
    assert {"wrong-time-limit", "authority-identity", "no-routes"} <= by_kind["codes"]
    assert all(row["label"] for row in rows if row["kind"] != "providers"), [r for r in rows if not r["label"]]
    table = run_cli("vocabulary", "events").stdout
    assert re.search(r"^decision\s+written notice of the decision being sent$", table, re.M)
    one_line_error(run_cli("vocabulary", "nonsense"), "nonsense")


# ------------------------------------------------------------------ query: the standard forms
def test_query_json_is_sparql_results_json_and_construct_is_turtle(tmp_path):
    select = tmp_path / "s.rq"
    select.write_text("SELECT ?id ?n WHERE { ?r a <https://w3id.org/sendkg/def#Route> ; "
                      "<http://purl.org/dc/terms/identifier> ?id . VALUES (?id ?n) { ('mediation' 1) } }")
    data = json.loads(run_cli("query", select, "--format", "json").stdout)
    # https://www.w3.org/TR/sparql11-results-json/: head.vars, results.bindings, typed terms
    assert data["head"]["vars"] == ["id", "n"]
    (b,) = data["results"]["bindings"]
    assert b["id"] == {"type": "literal", "value": "mediation"}
    assert b["n"] == {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "1"}
    ask = tmp_path / "a.rq"
    ask.write_text("ASK { ?s ?p ?o }")
    assert json.loads(run_cli("query", ask, "--format", "json").stdout)["boolean"] is True
    construct = tmp_path / "c.rq"
    construct.write_text("PREFIX skg: <https://w3id.org/sendkg/def#>\n"
                         "CONSTRUCT { ?r a skg:Route } WHERE { ?r a skg:Route }")
    r = run_cli("query", construct)
    assert r.returncode == 0, r.stderr
    assert "route:mediation a skg:Route ." in r.stdout
    import pyoxigraph as ox

    from sendkg.model import Model

    routes = len(_every_route(Model()))  # every skg:Route, in force today or not
    assert len(list(ox.parse(r.stdout.encode(), format=ox.RdfFormat.TURTLE))) == routes
    one_line_error(run_cli("query", construct, "--format", "csv"), "CONSTRUCT", "turtle")
    one_line_error(run_cli("query", select, "--format", "turtle"), "SELECT")


def test_check_places_page_level_findings_as_lint_does():
    """A missing item is about the whole page: lint says 1:1, and so does check (not null)."""
    data = json.loads(run_cli("check", "rotherham", "--format", "json").stdout)
    missing = [f for a in data["authorities"] for f in a["findings"] if f["code"] == "missing-mediation-advice"]
    assert missing and all((f["line"], f["column"]) == (1, 1) for f in missing)  # SEND Regs 2014 reg 32


# ------------------------------------------------------------------ dates for people
def test_deadlines_know_today():
    # HESC Rules r.20(1)(c): 2 months after notice sent on Tue 10 Mar 2026: Sun 10 May, so Mon 11 May
    # 2026 (r.12(2)); SEND Regs 2014 reg 33: contact the adviser within 2 months: Sun 10 May 2026.
    r = run_cli("deadlines", "refuse-assessment", "--decision-date", "2026-03-10", "--today", "2026-05-10")
    assert r.returncode == 0, r.stderr
    assert "Today: Sun 10 May 2026" in r.stdout
    assert re.search(r"^Mon 11 May 2026  appeal to the Tribunal \(tribunal-appeal\): 1 day left$", r.stdout, re.M)
    assert re.search(r"^Sun 10 May 2026  contact the mediation adviser .*: today is the last day$", r.stdout, re.M)
    later = run_cli("deadlines", "refuse-assessment", "--decision-date", "2026-03-10", "--today", "2026-05-21")
    assert re.search(r"^Mon 11 May 2026  appeal to the Tribunal \(tribunal-appeal\): passed 10 days ago$",
                     later.stdout, re.M)
    data = json.loads(run_cli("deadlines", "refuse-assessment", "--decision-date", "2026-03-10",
                              "--today", "2026-03-10", "--format", "json").stdout)
    assert data["today"] == "2026-03-10"
    rows = {d["id"]: d for d in data["deadlines"]}
    assert rows["tribunal-appeal"]["days_left"] == 62 and rows["contact-adviser"]["days_left"] == 61
    assert all(d["days_left"] is None for d in data["deadlines"] if d["date"] is None)
    keys = list(rows["tribunal-appeal"])
    assert keys[keys.index("date") + 1] == "days_left"  # beside the date it counts to
    one_line_error(run_cli("deadlines", "refuse-assessment", "--today", "2026-13-01"), "--today", "YYYY-MM-DD")


def test_deadlines_without_today_use_the_computers_date():
    """Without --today: the computer's date, or SENDKG_TODAY where it is set (the tests set it)."""
    import os

    data = json.loads(run_cli("deadlines", "refuse-assessment", "--decision-date", "2026-03-10",
                              "--format", "json").stdout)
    assert data["today"] == os.environ.get("SENDKG_TODAY", date.today().isoformat())


def test_ics_has_reminders_and_is_written_by_the_icalendar_library(tmp_path):
    icalendar = pytest.importorskip("icalendar")
    out = tmp_path / "d.ics"
    r = run_cli("deadlines", "refuse-assessment", "--decision-date", "2026-03-10", "--format", "ics", "-o", out)
    assert r.returncode == 0, r.stderr
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    events = [c for c in cal.walk("VEVENT")]
    days = {str(e["summary"]): e.decoded("dtstart") for e in events}
    assert days["Last day: appeal to the Tribunal"] == date(2026, 5, 11)  # HESC Rules r.20(1)(c), r.12(2)
    for e in events:
        alarms = e.walk("VALARM")
        assert {a.decoded("trigger").days for a in alarms} == {-7, -1}
        assert all(str(a["action"]) == "DISPLAY" for a in alarms)
    assert "Legal basis: HESC Rules r.12; HESC Rules r.20(1)(c)" in str(
        next(e for e in events if "Tribunal" in str(e["summary"]))["description"])
    assert all(len(line) <= 75 for line in out.read_bytes().split(b"\r\n"))


def test_a_calendar_with_no_dated_deadline_is_an_error(tmp_path):
    out = tmp_path / "d.ics"
    one_line_error(run_cli("deadlines", "refuse-assessment", "--format", "ics", "-o", out),
                   "no deadline", "--decision-date")
    assert not out.exists() and list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ nothing points where users cannot follow
def _strings(path: Path):
    """The string constants of a module that are not docstrings (what it can print)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node.value


UNFOLLOWABLE = re.compile(r"facts\.md|audit-2026|\.\./shared|shared/law|shared/seeds")


def test_messages_cite_the_law_or_a_file_that_ships():
    bad = [(p.relative_to(ROOT), s) for p in sorted((ROOT / "sendkg").rglob("*.py"))
           for s in _strings(p) if UNFOLLOWABLE.search(s)]
    assert not bad, bad


def test_labels_and_messages_in_the_data_cite_what_ships(model):
    """What sendkg prints from the data (labels, comments of what show prints, the shapes' messages)."""
    from sendkg.resources import resource_dir
    from sendkg.store import EmbeddedStore

    store = EmbeddedStore([*sorted(resource_dir("ontology").rglob("*.ttl")), *sorted(resource_dir("shapes").glob("*.ttl"))])
    rows = store.select("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                        "PREFIX sh: <http://www.w3.org/ns/shacl#>\n"
                        "PREFIX skg: <https://w3id.org/sendkg/def#>\n"
                        "SELECT ?s ?text WHERE { { ?s rdfs:label|sh:message ?text } UNION {\n"
                        "  VALUES ?class { skg:Decision skg:Route skg:Condition skg:Event skg:TimeLimit skg:Party }\n"
                        "  ?s a ?class ; rdfs:comment ?text } }")  # comments: what show and vocabulary print
    assert not [r for r in rows if UNFOLLOWABLE.search(r["text"])]


def test_the_readme_points_only_at_what_ships():
    from conftest import manual

    readme = manual()  # the README and the site's hand-written pages
    assert not UNFOLLOWABLE.search(readme), UNFOLLOWABLE.findall(readme)


# ------------------------------------------------------------------ the Python API for notebooks
@pytest.fixture(scope="module")
def kg():
    import sendkg

    return sendkg.SendKG()


def test_import_sendkg_is_cheap():
    import subprocess
    import sys

    code = ("import sys, sendkg; kg = sendkg.SendKG; "
            "print(sorted(m for m in ('pyoxigraph', 'rdflib', 'pyshacl', 'matplotlib', 'icalendar', 'click') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_api_answers_are_typed_with_real_dates(kg):
    import dataclasses

    import sendkg

    plan = kg.routes("refuse-assessment")
    assert all(isinstance(r, sendkg.Route) for r in plan)
    # CFA 2014 s.55 and SEND Regs 2014 reg 33: mediation advice comes first, and is required
    assert (plan[0].id, plan[0].step, plan[0].required) == ("mediation-advice", 1, True)
    rows = kg.deadlines("refuse-assessment", decision_date=date(2026, 3, 10), today="2026-05-21")
    appeal = next(d for d in rows if d.id == "tribunal-appeal")
    assert isinstance(appeal, sendkg.Deadline) and dataclasses.is_dataclass(appeal)
    # HESC Rules r.20(1)(c) with r.12(2): Sun 10 May 2026 moves to Mon 11 May 2026; passed by 21 May
    assert appeal.date == date(2026, 5, 11) and appeal.anchor_date == date(2026, 3, 10)
    assert appeal.days_left == -10 and appeal.passed
    waiting = next(d for d in rows if d.id == "arrange-mediation")
    assert waiting.date is None and waiting.days_left is None and "--event" in waiting.note


def test_to_records_is_what_a_dataframe_takes(kg):
    records = kg.deadlines("refuse-assessment", decision_date="2026-03-10", today="2026-03-10").to_records()
    assert isinstance(records, list) and all(isinstance(r, dict) for r in records)
    assert records[0]["date"] == date(2026, 5, 10)  # SEND Regs 2014 reg 33: 2 months after 10 March
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(records)
    assert {"date", "days_left", "rule", "sources"} <= set(frame.columns) and len(frame) == len(records)


def test_api_check_compare_lint_vocabulary(kg, tmp_path):
    import sendkg

    findings = kg.check(["rotherham"])
    assert findings and all(isinstance(f, sendkg.Finding) and f.where == "rotherham" for f in findings)
    assert ("missing-mediation-advice", 1, 1) in {(f.code, f.line, f.column) for f in findings}  # Regs reg 32
    (row,) = kg.compare(["rotherham"])
    assert isinstance(row, sendkg.Comparison) and row.completeness == 0.4 and row.gss_code == "E08000018"
    from sendkg.compare import COLUMNS

    assert list(row.__dataclass_fields__) == [k for k, _ in COLUMNS]  # the same columns as the CSV
    page = tmp_path / "p.md"
    page.write_text("Ask the Clinical Commissioning Group.\n", encoding="utf-8")
    linted = kg.lint([page])
    # SI 2022/634 reg 58: integrated care boards replaced clinical commissioning groups
    assert ("superseded-term", 1, 9) in {(f.code, f.line, f.column) for f in linted}
    assert "decision" in {i.id for i in kg.vocabulary("events")}
    with pytest.raises(sendkg.SendkgError, match="unknown decision"):
        kg.routes("refuse-asessment")


def test_readme_serve_example_is_real_output(tmp_path):
    """`sendkg serve` prints what the manual shows (the port aside)."""
    import os
    import shutil
    import signal
    import socket
    import subprocess
    import sys
    import time

    if not (shutil.which("oxigraph") or (Path(sys.executable).parent / "oxigraph").exists()):
        pytest.skip("the oxigraph server is not installed")
    from conftest import manual_page

    readme = manual_page("guide/server.md")
    block = re.search(r"^\$ sendkg serve --bind 127\.0\.0\.1:7979\n(.*?)^\$", readme, re.S | re.M).group(1)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out, err = tmp_path / "out", tmp_path / "err"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SENDKG_DATA", "SENDKG_OFFERS")}
    with open(out, "w") as o, open(err, "w") as e:
        proc = subprocess.Popen([sys.executable, "-m", "sendkg", "serve", "--bind", f"127.0.0.1:{port}"],
                                stdout=o, stderr=e, env=env, cwd="/")
        try:
            for _ in range(600):
                if "serving SPARQL" in err.read_text() or proc.poll() is not None:
                    break
                time.sleep(0.1)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)
    got = sorted((out.read_text() + err.read_text()).splitlines())
    assert got == sorted(block.replace("7979", str(port)).splitlines())


def test_routes_with_a_decision_date_say_the_days_left():
    # HESC Rules r.20(1)(c), r.12(2): notice sent Tue 10 Mar 2026, last day Mon 11 May 2026
    r = run_cli("routes", "refuse-assessment", "--decision-date", "2026-03-10", "--today", "2026-05-01")
    assert "Deadline: Mon 11 May 2026: appeal to the Tribunal (10 days left)" in r.stdout
    data = json.loads(run_cli("routes", "refuse-assessment", "--decision-date", "2026-03-10",
                              "--today", "2026-05-12", "--format", "json").stdout)
    tribunal = next(x for x in data["routes"] if x["id"] == "tribunal-appeal")
    assert data["today"] == "2026-05-12" and tribunal["deadlines"][0]["days_left"] == -1


def test_every_command_honours_data_or_refuses_it(tmp_path):
    """`sendkg --data FILE CMD`: a command that does not read the model with the file says so."""
    from sendkg.cli import cli
    from sendkg.commands import TAKES_DATA

    extra = tmp_path / "x.ttl"
    extra.write_text("")
    others = sorted(set(cli.commands) - TAKES_DATA)
    assert all(hasattr(cli.commands[name].callback, "__wrapped__") for name in others), others
    assert "authorities" in others
    one_line_error(run_cli("--data", extra, "authorities"), "authorities does not use --data")
    assert run_cli("authorities").returncode == 0


def test_model_query_is_bounded_as_the_command_is():
    """Model.query runs a user's query with a time bound by default, as `sendkg query` does; a
    query past it is a SendkgError in one line, and the model still answers afterwards."""
    from sendkg import Model
    from sendkg.errors import SendkgError

    m = Model()
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(SendkgError, match=r"ran longer than timeout 0.5 s") as err:
        m.query(endless, timeout=0.5)
    assert "\n" not in str(err.value)
    assert m.query("ASK { ?s ?p ?o }") == (["result"], [{"result": True}])
    with pytest.raises(SendkgError, match="timeout"):
        m.query("ASK { ?s ?p ?o }", timeout=0)
