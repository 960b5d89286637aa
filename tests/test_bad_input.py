"""Issue 12: bad input never harms. One test (or more) for each pattern under the issue's "Why":
the network reached without being asked, files destroyed, silently wrong answers, one bad file losing
the rest, no bounds, tracebacks, positions off by one.

Commands run in this process (``run``), with their output captured, under a guard that refuses and
records any connection or name lookup outside loopback (an audit hook: Python's sockets). Oxigraph
connects from Rust, out of the hook's sight: those tests point the query at a listener on 127.0.0.1
and assert that it received no connection.
"""

from __future__ import annotations

import hashlib
import http.server
import ipaddress
import json
import os
import re
import socket
import stat
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "seeds"

# ---------------------------------------------------------------- running a command in this process
_GUARD = {"on": False, "seen": []}


def _loopback(host) -> bool:
    if host is None:
        return True
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host in ("localhost", "", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False


def _audit(event, args):
    if not _GUARD["on"]:
        return
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and not _loopback(address[0]):
            _GUARD["seen"].append(("connect", address))
            raise ConnectionRefusedError(f"test guard: no connection outside loopback ({address})")
    elif event == "socket.getaddrinfo":
        if not _loopback(args[0]):
            _GUARD["seen"].append(("getaddrinfo", args[0]))
            raise OSError(f"test guard: no name lookup outside loopback ({args[0]})")


sys.addaudithook(_audit)


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"Result(code={self.code}, out={self.out[:300]!r}, err={self.err[:500]!r})"


def run(*args, stdin: str | bytes | None = None, env: dict | None = None, cwd: Path | None = None) -> Result:
    """``sendkg ARGS`` in this process, as main() runs it: exit code, stdout, stderr."""
    from click.testing import CliRunner

    from sendkg.cli import main

    runner = CliRunner()
    base = {"SENDKG_DATA": None, "SENDKG_ENDPOINT": None, "CI": "1"}
    old = os.getcwd()
    _GUARD["on"] = True
    try:
        if cwd is not None:
            os.chdir(cwd)
        with runner.isolation(input=stdin, env={**base, **(env or {})}) as streams:
            try:
                main([str(a) if not isinstance(a, bytes) else os.fsdecode(a) for a in args])
                code = 0
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            out, err = streams[0].getvalue(), streams[1].getvalue()
    finally:
        _GUARD["on"] = False
        os.chdir(old)
    return Result(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


def assert_one_line(r: Result, *needles: str, code: int = 2) -> str:
    """The run failed with one short error line that holds every needle, and no traceback."""
    assert r.code == code, r
    lines = [x for x in r.err.splitlines() if x.strip()]
    assert len(lines) == 1, r
    assert lines[0].startswith("sendkg: error: "), r
    assert "Traceback" not in r.err and "panicked" not in r.err and "internal error" not in r.err, r
    assert len(lines[0]) < 600, r
    for n in needles:
        assert n in lines[0], (n, r)
    return lines[0]


def digest(folder: Path) -> dict:
    """Every file under ``folder`` with its mode and content hash (to show nothing changed)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        if stat.S_ISREG(st.st_mode):
            out[str(p)] = (st.st_mode, hashlib.sha256(p.read_bytes()).hexdigest())
        else:
            out[str(p)] = (st.st_mode, os.readlink(p) if p.is_symlink() else None)
    return out


@contextmanager
def listener():
    """A TCP listener on 127.0.0.1 that records connections: yields (port, connections list)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.settimeout(0.1)
    seen, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                c, _ = srv.accept()
                seen.append(c)
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        yield srv.getsockname()[1], seen
    finally:
        time.sleep(0.3)
        stop.set()
        t.join()
        for c in seen:
            c.close()
        srv.close()


@contextmanager
def fake_endpoint(body: bytes, content_type: str = "application/sparql-results+json", drip: float = 0.0,
                  ask: bytes | None = b'{"head": {}, "boolean": true}'):
    """An HTTP server on 127.0.0.1 that answers every POST with ``body`` (the model check, an ASK,
    with ``ask``); with ``drip``, one byte every ``drip`` seconds."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            query = self.rfile.read(length)
            answer = ask if (ask is not None and query.lstrip().startswith(b"ASK")) else body
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            try:
                if drip:
                    for i in range(len(answer)):
                        self.wfile.write(answer[i:i + 1])
                        self.wfile.flush()
                        time.sleep(drip)
                else:
                    self.wfile.write(answer)
            except OSError:
                pass

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/query"
    finally:
        srv.shutdown()
        srv.server_close()


# A page of our own words: it names routes, a time limit and a superseded name, so lint finds things.
PAGE = """<!doctype html>
<html><body>
<h1>If you disagree with a decision</h1>
<p>You can talk to the school first, or ask for mediation.</p>
<p>You can appeal to the Tribunal within 2 months of the decision letter.</p>
<p>The Clinical Commissioning Group may take part.</p>
<p>See the SEND Code of Practice 11.39 for appeals.</p>
</body></html>
"""


def page(tmp_path: Path, name: str = "a.html") -> Path:
    p = tmp_path / name
    p.write_text(PAGE, encoding="utf-8")
    return p


TTL_HEAD = """@prefix skg: <https://w3id.org/sendkg/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix tl: <https://w3id.org/sendkg/id/time-limit/> .
"""


# ---------------------------------------------------------------- the network reached without being asked
def test_service_refused_without_allow_service(tmp_path):
    with listener() as (port, seen):
        for q in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}",
                  f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}",
                  f"select * where {{ ?a ?b ?c . service <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}"):
            f = tmp_path / "s.rq"
            f.write_text(q)
            assert_one_line(run("query", f), "SERVICE", "--allow-service", str(f))
    assert seen == []  # Oxigraph never connected


def test_service_word_in_strings_iris_and_comments_is_not_service(tmp_path):
    f = tmp_path / "ok.rq"
    f.write_text('# SERVICE in a comment\nPREFIX ex: <https://example.org/SERVICE/>\n'
                 'SELECT ?x WHERE { BIND ("SERVICE" AS ?x) }\n')
    r = run("query", f, "--format", "json")
    assert r.code == 0, r
    assert [b["x"]["value"] for b in json.loads(r.out)["results"]["bindings"]] == ["SERVICE"]  # SPARQL results JSON


def test_from_and_load_never_fetch(tmp_path):
    with listener() as (port, seen):
        f = tmp_path / "from.rq"
        f.write_text(f"SELECT * FROM <http://127.0.0.1:{port}/g.ttl> WHERE {{ ?s ?p ?o }} LIMIT 1")
        r = run("query", f)
        assert r.code == 0 and "(0 rows)" in r.out, r  # FROM names a graph of the store, never fetched
        f.write_text(f"LOAD <http://127.0.0.1:{port}/g.ttl>")
        assert_one_line(run("query", f), str(f))  # an update is not a query
    assert seen == []


def test_reasoner_never_follows_owl_imports(tmp_path):
    """owl:imports to a silent server and to /etc/passwd: the reasoner gets the local files only."""
    from sendkg.reason import OWL_IMPORTS, local_only

    with listener() as (port, seen):
        nt = (f"<https://example.org/o> <{OWL_IMPORTS}> <http://127.0.0.1:{port}/x.owl> .\n"
              f"<https://example.org/o> <{OWL_IMPORTS}> <file:///etc/passwd> .\n"
              "<https://example.org/o> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
              "<http://www.w3.org/2002/07/owl#Ontology> .\n").encode()
        kept = local_only(nt)
        assert OWL_IMPORTS.encode() not in kept and b"Ontology" in kept
        if os.environ.get("SENDKG_SLOW_TESTS") or __import__("shutil").which("java"):
            f = tmp_path / "imports.ttl"
            f.write_text(TTL_HEAD + f"<https://example.org/o> a owl:Ontology ; owl:imports "
                         f"<http://127.0.0.1:{port}/x.owl> , <file:///etc/passwd> .\n")
            start = time.time()
            r = run("validate", f)
            assert r.code == 0 and "OWL (HermiT): consistent" in r.out, r
            assert time.time() - start < 120
    assert seen == []


# ---------------------------------------------------------------- files destroyed
def test_output_to_dev_null_stays_a_device(tmp_path):
    # as root, a device node of our own (the same device as /dev/null): were the code to replace the
    # device by a file, as it did before issue 12, the machine's /dev/null would be safe
    device = "/dev/null"
    if os.geteuid() == 0:
        device = tmp_path / "null"
        try:
            os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except OSError:
            pytest.skip("cannot make a device node here (and will not risk /dev/null as root)")
    r = run("deadlines", "refuse-plan", "--decision-date", "2026-01-05", "-o", device)
    assert r.code == 0, r
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_output_through_a_symlink_writes_its_target(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    r = run("deadlines", "refuse-plan", "--format", "json", "-o", link)
    assert r.code == 0, r
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["decision"]["id"] == "refuse-plan"


def test_output_keeps_mode_and_new_files_follow_the_umask(tmp_path):
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o640)
    assert run("deadlines", "refuse-plan", "-o", kept).code == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and "Deadlines" in kept.read_text()
    new = tmp_path / "new.txt"
    old = os.umask(0o022)
    try:
        assert run("deadlines", "refuse-plan", "-o", new).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644  # 0666 less the umask, not 0600


def test_output_to_a_fifo_is_written_directly(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
    reader.start()
    time.sleep(0.2)
    r = run("deadlines", "refuse-plan", "--format", "json", "-o", fifo)
    reader.join(10)
    assert r.code == 0, r
    assert stat.S_ISFIFO(fifo.stat().st_mode) and b"refuse-plan" in got[0]


def test_output_refuses_folders_missing_folders_and_inputs(tmp_path):
    before = digest(tmp_path)
    assert_one_line(run("compare", "dudley", "-o", tmp_path), "is a folder")
    assert_one_line(run("deadlines", "refuse-plan", "-o", tmp_path), str(tmp_path))
    assert_one_line(run("deadlines", "refuse-plan", "-o", tmp_path / "missing" / "x.txt"), "does not exist")
    assert digest(tmp_path) == before
    p = page(tmp_path)
    before = digest(tmp_path)
    assert_one_line(run("lint", p, "-o", p), "is also an input")
    ttl = tmp_path / "x.ttl"
    ttl.write_bytes((ROOT / "offers" / "dudley.ttl").read_bytes())
    before = digest(tmp_path)
    assert_one_line(run("compare", ttl, "-o", ttl), "is also an input")
    assert_one_line(run("--data", ttl, "deadlines", "refuse-plan", "-o", ttl), "is also an input")
    assert digest(tmp_path) == before


def test_failed_compare_leaves_every_file_as_it_was(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("precious")
    before = digest(tmp_path)
    assert_one_line(run("compare", "dudley", "-o", out, "--plot", tmp_path / "missing" / "m.png"),
                    "--plot", "does not exist")
    assert digest(tmp_path) == before


def test_compare_plot_does_not_depend_on_the_users_matplotlib_cache(tmp_path):
    """A broken font cache in the user's matplotlib folder (entries of the wrong type) made
    `compare --plot` an internal error (issue 22): sendkg keeps a cache folder of its own, and a
    broken one of its own is one line naming the folder to remove. In new processes, since
    matplotlib reads its folder once."""
    import json
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "XDG_CACHE_HOME", "SENDKG_DATA",
                                                             "SENDKG_ENDPOINT")}

    def plot(home):
        cmd = [sys.executable, "-c", "from sendkg.cli import main; main()", "compare", "dudley", "-o",
               str(tmp_path / "c.txt"), "--plot", str(tmp_path / "c.png")]
        return subprocess.run(cmd, env={**env, "HOME": str(home)}, capture_output=True, text=True, timeout=300)

    first = tmp_path / "first"
    assert plot(first).returncode == 0
    (made,) = (first / ".cache" / "sendkg" / "matplotlib").glob("fontlist-*.json")  # sendkg's own folder
    broken = {**json.loads(made.read_text()), "ttflist": [1, "x", None], "afmlist": [2]}
    home = tmp_path / "home"
    user = home / ".cache" / "matplotlib"
    user.mkdir(parents=True)
    (user / made.name).write_text(json.dumps(broken))  # the user's own cache, broken
    (tmp_path / "c.png").unlink()
    r = plot(home)
    assert r.returncode == 0 and (tmp_path / "c.png").stat().st_size > 1000, r.stderr
    own = home / ".cache" / "sendkg" / "matplotlib"
    (own / made.name).write_text(json.dumps(broken))  # now sendkg's own, broken
    r = plot(home)
    lines = [x for x in r.stderr.splitlines() if x.strip() and "Warning" not in x and not x.startswith(" ")]
    assert r.returncode == 2 and len(lines) == 1 and str(own) in lines[0] and "Traceback" not in r.stderr, r.stderr


def test_compare_writes_csv_and_plot_together(tmp_path):
    out, png = tmp_path / "out.csv", tmp_path / "m.png"
    r = run("compare", "dudley", "--format", "csv", "-o", out, "--plot", png)
    assert r.code == 0, r
    assert out.read_text().startswith("authority,") and png.read_bytes()[:4] == b"\x89PNG"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


# ---------------------------------------------------------------- silently wrong answers
def test_unknown_identifier_in_authority_content_is_a_violation_at_its_line(tmp_path):
    text = (ROOT / "offers" / "dudley.ttl").read_text(encoding="utf-8")
    assert "skg:describes route:mediation ;" in text
    f = tmp_path / "typo.ttl"
    f.write_text(text.replace("skg:describes route:mediation ;", "skg:describes route:mediaton ;", 1))
    r = run("check", f, "--format", "json")
    assert r.code == 1, r  # a violation: CFA 2014 s.32 (the information a local offer must give)
    found = [x for a in json.loads(r.out)["authorities"] for x in a["findings"] if x["code"] == "unknown-identifier"]
    assert len(found) == 1 and found[0]["severity"] == "violation" and found[0]["line"] == 5
    assert "'mediaton'" in found[0]["message"] and "nearest known: mediation" in found[0]["message"]


@pytest.mark.parametrize("prop, bad", [("skg:aboutLimit tl:decide-assessment", "skg:aboutLimit tl:decide-asessment"),
                                       ("skg:statedAnchor ev:request-received", "skg:statedAnchor ev:request-recieved"),
                                       ("skg:usesTerm term:sendist", "skg:usesTerm term:sendis"),
                                       ("skg:statedUnit time:unitWeek", "skg:statedUnit time:unitWeeks")])
def test_every_kind_of_unknown_identifier_is_found(tmp_path, prop, bad):
    text = (ROOT / "offers" / "dudley.ttl").read_text(encoding="utf-8")
    assert prop in text
    f = tmp_path / "typo.ttl"
    f.write_text(text.replace(prop, bad, 1))
    r = run("check", f, "--format", "json")
    assert r.code == 1, r
    codes = [x["code"] for a in json.loads(r.out)["authorities"] for x in a["findings"]]
    assert "unknown-identifier" in codes


def test_claim_in_an_unknown_document_is_not_dropped(tmp_path):
    text = (ROOT / "offers" / "dudley.ttl").read_text(encoding="utf-8")
    f = tmp_path / "doc.ttl"
    f.write_text(text.replace("x:r-3 a skg:RouteClaim ; skg:inDocument x:page ;",
                              "x:r-3 a skg:RouteClaim ; skg:inDocument x:pgae ;", 1))
    r = run("check", f)
    assert r.code == 1 and "unknown-identifier" in r.out and "'pgae'" in r.out, r


def test_repeated_decision_id_in_data_is_refused(tmp_path):
    f = tmp_path / "dup.ttl"
    f.write_text(TTL_HEAD + '<https://example.org/d> a skg:Decision ; dcterms:identifier "refuse-plan" ;\n'
                 '    rdfs:label "not the real one" .\n')
    assert_one_line(run("--data", f, "routes", "refuse-plan"), f"{f}:8", "'refuse-plan'")


def test_two_dates_for_one_event_in_data_is_refused(tmp_path):
    f = tmp_path / "dates.ttl"
    f.write_text(TTL_HEAD + '<https://w3id.org/sendkg/id/term/ccg> skg:replacedOn "2022-07-01"^^xsd:date ,\n'
                 '    "2023-07-01"^^xsd:date .\n')
    assert_one_line(run("--data", f, "decisions"), f"{f}:9", "two dates")


@pytest.mark.parametrize("value, words", [("-2", "negative"), ("0", "no time"), ('"abc"', "not a number"),
                                          ("100000", "longer than any"), ("2.5", "whole number")])
def test_impossible_time_limits_are_refused(tmp_path, value, words):
    f = tmp_path / "tl.ttl"
    f.write_text(TTL_HEAD + '<https://example.org/tl> a skg:TimeLimit ; dcterms:identifier "x-limit" ;\n'
                 f'    skg:duration [ time:numericDuration {value} ; time:unitType time:unitMonth ] .\n')
    assert_one_line(run("--data", f, "deadlines", "refuse-plan", "--decision-date", "2026-01-05"), f"{f}:9", words)


def test_decision_date_twice_or_empty_is_refused():
    assert_one_line(run("deadlines", "refuse-plan", "--decision-date", "2026-01-05", "--event", "decision=2026-02-01"),
                    "--decision-date", "two dates")
    assert_one_line(run("routes", "refuse-plan", "--event", "x=2026-01-05", "--event", "x=2026-01-07"), "two dates")
    assert_one_line(run("deadlines", "refuse-plan", "--decision-date", ""), "--decision-date")


def test_same_date_twice_is_fine():
    assert run("deadlines", "refuse-plan", "--decision-date", "2026-01-05", "--event", "decision=2026-01-05").code == 0


def test_empty_or_garbage_endpoint_answer_is_not_an_empty_store():
    for body, ctype in ((b"", "application/sparql-results+json"), (b"<html><body>hi</body></html>", "text/html"),
                        (b'{"head": ', "application/sparql-results+json"),
                        (b'{"head": {"vars": "x"}, "results": {}}', "application/sparql-results+json"),
                        (b'{"head": {"vars": ["id"]}, "results": {"bindings": [{"id": 3}]}}',
                         "application/sparql-results+json"),
                        (b"[1, 2]", "application/sparql-results+json")):
        with fake_endpoint(body, ctype, ask=None) as url:
            line = assert_one_line(run("--endpoint", url, "routes", "refuse-plan"), url)
            assert "unknown decision" not in line


@pytest.mark.parametrize("command", [("routes", "refuse-plan"), ("check", "dudley"), ("deadlines", "refuse-plan")])
@pytest.mark.parametrize("body", [b'{"head": {}, "boolean": true}',  # a boolean for a SELECT (issue 22)
                                  b'{"head": {"vars": ["other"]}, "results": {"bindings": [{}]}}',  # not its variables
                                  b"<http://a.example/s> <http://a.example/p> <http://a.example/o> .\n"])  # triples
def test_well_formed_but_unexpected_endpoint_answer_is_one_line(command, body):
    """A SPARQL endpoint that answers well-formed results of the wrong form ends in one line naming
    the endpoint, not an internal error (KeyError: 'id')."""
    with fake_endpoint(body) as url:
        assert_one_line(run("--endpoint", url, *command), url, "did not answer with SPARQL results")


def test_endpoint_without_a_sendkg_model_says_so():
    with fake_endpoint(b'{"head": {"vars": []}, "results": {"bindings": []}}',
                       ask=b'{"head": {}, "boolean": false}') as url:
        assert_one_line(run("--endpoint", url, "routes", "refuse-plan"), url, "holds no sendkg model")


def test_shacl_conforms_false_beside_warnings():
    """SHACL 1.0 section 3.6.1: sh:conforms is true only when there are no results at all."""
    r = run("check", "dudley", "--format", "turtle")
    assert "sh:Warning" in r.out and "sh:conforms true" not in r.out and "sh:conforms false" in r.out, r.out[:2000]


def test_validate_report_conforms_only_without_results(monkeypatch):
    from sendkg import validate as v

    report = v.Report(conforms=True, findings=[])
    assert report.conforms
    # a warning only: pySHACL (allow_warnings) says it conforms; sendkg's report must not
    import pyshacl

    real = pyshacl.validate

    def warn_only(data, **kw):
        from rdflib import BNode, Literal, URIRef
        from rdflib.namespace import RDF

        conforms, graph, text = real(data, **kw)
        sh = "http://www.w3.org/ns/shacl#"
        res = BNode()
        graph.add((res, RDF.type, URIRef(sh + "ValidationResult")))
        graph.add((res, URIRef(sh + "resultSeverity"), URIRef(sh + "Warning")))
        graph.add((res, URIRef(sh + "focusNode"), URIRef("https://example.org/x")))
        graph.add((res, URIRef(sh + "resultMessage"), Literal("a warning")))
        return True, graph, text

    monkeypatch.setattr(pyshacl, "validate", warn_only)
    report = v.validate()
    assert report.findings and not report.conforms and "sh:conforms false" in report.turtle


# ---------------------------------------------------------------- one bad file loses the rest
def test_lint_keeps_the_findings_of_good_files(tmp_path):
    good = page(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    r = run("lint", good, empty, "--format", "json")
    assert r.code == 2, r  # the worst: an input could not be read
    data = json.loads(r.out)
    assert [f["path"] for f in data["files"]] == [str(good)] and data["files"][0]["findings"]
    assert data["errors"][0]["path"] == str(empty)
    assert r.err.count("sendkg: error: ") == 1 and "empty" in r.err


def test_lint_sarif_has_a_notification_for_an_unreadable_file(tmp_path):
    good = page(tmp_path)
    folder_named_like_a_page = tmp_path / "dir.html"
    folder_named_like_a_page.mkdir()
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02" * 10)
    r = run("lint", good, binary, "--format", "sarif")
    assert r.code == 2, r
    inv = json.loads(r.out)["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for n in inv["toolExecutionNotifications"]] == [binary.as_posix()]
    assert json.loads(r.out)["runs"][0]["results"]


def test_lint_takes_folders_globs_and_stdin(tmp_path):
    (tmp_path / "sub").mkdir()
    page(tmp_path / "sub", "one.html")
    page(tmp_path, "two.htm")
    (tmp_path / "sub" / "notes.csv").write_text("a,b\n")
    r = run("lint", tmp_path, "--format", "json")
    assert r.code in (0, 1), r
    assert sorted(Path(f["path"]).name for f in json.loads(r.out)["files"]) == ["one.html", "two.htm"]
    r = run("lint", str(tmp_path / "**" / "*.html"), "--format", "json")
    assert [Path(f["path"]).name for f in json.loads(r.out)["files"]] == ["one.html"], r
    r = run("lint", "-", "--format", "json", stdin=PAGE.encode())
    assert r.code in (0, 1) and json.loads(r.out)["files"][0]["findings"], r
    assert_one_line(run("lint", str(tmp_path / "nothing-*.html")), "no file matches")


def test_check_keeps_the_good_files(tmp_path):
    good = tmp_path / "good.ttl"
    good.write_bytes((ROOT / "offers" / "dudley.ttl").read_bytes())
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(b"\xff\xfe not utf-8")
    r = run("check", good, bad, tmp_path / "missing.ttl")
    assert r.code == 2, r
    assert "Dudley [dudley]" in r.out
    assert r.err.count("sendkg: error: ") == 2 and "Traceback" not in r.err


# ---------------------------------------------------------------- no bounds
def test_cartesian_query_stops_at_the_timeout(tmp_path):
    f = tmp_path / "cartesian.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    start = time.time()
    assert_one_line(run("--timeout", "1", "query", f), "--timeout")
    assert time.time() - start < 10


def test_query_memory_is_bounded(tmp_path, monkeypatch):
    f = tmp_path / "big.rq"
    f.write_text("CONSTRUCT { ?a ?b ?c . ?d ?e ?f } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    monkeypatch.setenv("SENDKG_QUERY_MEMORY_MB", "64")
    start = time.time()
    line = assert_one_line(run("--timeout", "60", "query", f), str(f))
    assert "memory" in line or "--timeout" in line
    assert time.time() - start < 70


def test_deeply_nested_query_is_one_line_not_a_crash(tmp_path):
    f = tmp_path / "nested.rq"
    f.write_text("SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000)
    assert_one_line(run("query", f), "nests")


def test_a_crash_of_the_query_engine_is_one_line():
    """The query runs in a child process: even a crash there (here a deep nesting the text check
    would refuse) is one line, never a dead process."""
    from sendkg.errors import SendkgError
    from sendkg.resources import model_files
    from sendkg.store import EmbeddedStore, run_bounded

    store = EmbeddedStore(model_files())
    with pytest.raises(SendkgError) as err:
        run_bounded(store, "SELECT * WHERE " + "{" * 100000 + " ?s ?p ?o " + "}" * 100000, "deep.rq", 60)
    assert "deep.rq" in str(err.value)


def test_dev_zero_and_fifos_are_refused(tmp_path):
    assert_one_line(run("--data", "/dev/zero", "decisions"), "/dev/zero", "device")
    fifo = tmp_path / "in.ttl"
    os.mkfifo(fifo)
    start = time.time()
    assert_one_line(run("--data", fifo, "decisions"), str(fifo), "FIFO")
    assert_one_line(run("query", fifo), "FIFO")
    assert_one_line(run("check", fifo), "FIFO")
    assert time.time() - start < 20  # never waits for a writer


def test_input_past_the_limit_is_refused_naming_it(tmp_path, monkeypatch):
    f = tmp_path / "big.ttl"
    f.write_bytes(b"# padding\n" * 120_000)  # about 1.1 MiB
    monkeypatch.setenv("SENDKG_MAX_INPUT_MB", "1")
    assert_one_line(run("--data", f, "decisions"), str(f), "input limit of 1 MiB")


def test_validate_refuses_large_extensions_naming_the_limit(tmp_path):
    f = tmp_path / "many.ttl"
    f.write_text(TTL_HEAD + "".join(f"<https://example.org/n{i}> rdfs:label \"n\" .\n" for i in range(60_000)))
    assert_one_line(run("validate", "--no-reason", f), "at most 50,000")


@pytest.mark.parametrize("kind", ["subclass", "precedence"])
def test_long_chains_never_recurse(tmp_path, kind):
    f = tmp_path / "chain.ttl"
    if kind == "subclass":
        body = "".join(f"<https://example.org/c{i + 1}> rdfs:subClassOf <https://example.org/c{i}> .\n"
                       for i in range(10_000))
    else:
        body = "".join(f"<https://example.org/o{i}> skg:earlier <https://example.org/r{i}> ; "
                       f"skg:later <https://example.org/r{i + 1}> .\n" for i in range(10_000))
    f.write_text(TTL_HEAD + body)
    assert_one_line(run("validate", f), f"10,000 {kind} links", "at most 200")


def test_longest_chain_is_a_loop():
    from sendkg.validate import longest_chain

    edges = [(str(i), str(i + 1)) for i in range(100_000)] + [("a", "b"), ("b", "a")]
    assert longest_chain(edges) == 100_000


def test_endpoint_timeout_is_for_the_whole_request():
    body = json.dumps({"head": {"vars": ["id"]}, "results": {"bindings": []}}).encode()
    with fake_endpoint(body, drip=0.3, ask=None) as url:
        start = time.time()
        assert_one_line(run("--endpoint", url, "--timeout", "1", "decisions"), url, "--timeout 1")
        assert time.time() - start < 6


# ---------------------------------------------------------------- tracebacks
def test_symlink_loop(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.symlink_to(b)
    b.symlink_to(a)
    assert_one_line(run("--data", a, "decisions"), "symbolic link loop")
    r = run("check", a)
    assert r.code == 2 and "symbolic link loop" in r.err and "Traceback" not in r.err, r


def test_unreadable_file_in_check(tmp_path):
    d = tmp_path / "folder.ttl"
    d.mkdir()
    r = run("check", d)
    assert r.code == 2 and "Traceback" not in r.err, r
    # a file whose reading fails (EIO), as a file without read permission does for a user who is not root
    io_error = tmp_path / "unreadable.ttl"
    io_error.symlink_to("/proc/self/mem")
    good = tmp_path / "good.ttl"
    good.write_bytes((ROOT / "offers" / "dudley.ttl").read_bytes())
    r = run("check", io_error, good)
    assert r.code == 2 and "Dudley [dudley]" in r.out, r
    assert r.err.count("sendkg: error: ") == 1 and "unreadable.ttl" in r.err and "internal error" not in r.err, r


def test_file_name_that_is_not_utf8(tmp_path):
    name = os.fsdecode(bytes(tmp_path) + b"/caf\xe9.ttl")
    Path(name).write_bytes(b"@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\n")
    r = run("--data", name, "decisions")
    assert r.code == 0, r
    Path(name).write_bytes(b"not turtle\n")
    assert_one_line(run("--data", name, "decisions"), "caf\\xe9.ttl")


def test_identifier_that_is_not_utf8_or_very_long():
    assert_one_line(run("routes", os.fsdecode(b"refuse-\xff")), "unknown decision")
    assert_one_line(run("check", "x" * 10_000), "unknown authority")


def test_long_authority_name_and_non_numeric_line(tmp_path):
    text = (ROOT / "offers" / "dudley.ttl").read_text(encoding="utf-8")
    f = tmp_path / "odd.ttl"
    assert "skg:statedDuration 6 ;" in text
    f.write_text(text.replace('rdfs:label "Dudley"', 'rdfs:label "' + "D" * 10_000 + '"', 1)
                 .replace("skg:inDocument x:page ; skg:line 3 ;", 'skg:inDocument x:page ; skg:line "abc" ;', 1)
                 # a second violation, at a line that is a number: findings at "abc" and 18 are sorted together
                 .replace("skg:statedDuration 6 ;", "skg:statedDuration 7 ;", 1))
    r = run("check", f)
    assert r.code == 1 and "claim-position" in r.out and "wrong-time-limit" in r.out and "Traceback" not in r.err, r


def test_ill_typed_literal_in_validate(tmp_path):
    f = tmp_path / "typed.ttl"
    f.write_text(TTL_HEAD + '<https://example.org/a> <https://example.org/p> "abc"^^xsd:integer .\n')
    assert_one_line(run("validate", f), f"{f}:8", "xsd:integer")


def _png() -> bytes:
    import struct
    import zlib

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def _docx() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>You can appeal within 2 months.</w:document>")
    return buf.getvalue()


@pytest.mark.parametrize("name,data,kind", [
    ("ascii.txt", b"%PDF-1.4\nYou can appeal to the Tribunal within 2 months of the decision letter.\n", "PDF"),
    ("page.md", None, "PNG"), ("page.html", None, "DOCX"),
    ("scan.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "JPG"),
    ("letter.txt", b"{\\rtf1\\ansi You can appeal within 2 months.}", "RTF"),
])
def test_pdf_office_and_images_are_not_pages(tmp_path, name, data, kind):
    """A PDF (even one of readable ASCII), an office document or an image given to lint is refused in
    one line by its signature, not linted as text with exit 0 (issue 22)."""
    f = tmp_path / name
    f.write_bytes(data if data is not None else (_png() if kind == "PNG" else _docx()))
    assert_one_line(run("lint", f), str(f), f"a {kind} file", "not a page")


def test_text_that_starts_like_a_short_signature_is_still_a_page(tmp_path):
    """"BM" is a bitmap's signature and "ID3" an MP3's; a page that starts with such letters is text."""
    for text in ("BMX club: you can appeal within 2 months.\n", "ID3 is our team. Call us.\n", "MZ\n"):
        f = tmp_path / "page.txt"
        f.write_text(text)
        r = run("lint", f)
        assert r.code in (0, 1) and "not a page" not in r.err, r


def test_a_page_past_the_documented_size_is_refused_in_one_line(tmp_path):
    from sendkg.reader.paragraphs import MAX_PAGE_CHARS

    f = tmp_path / "huge.txt"
    f.write_text("you can appeal\n" * (MAX_PAGE_CHARS // 15 + 2))
    assert_one_line(run("lint", f), str(f), f"at most {MAX_PAGE_CHARS:,}", "split the file")


def _cue_dense(n_chars: int) -> str:
    """Text crafted to be dense with cue phrases: each few words a time limit, a body, a term
    (issue 22: 1 MB of it kept lint busy for minutes and cost 45 s of CPU after the first fixes)."""
    w = "within 2 months 6 weeks 15 days 20 weeks 16 weeks mediation certificate appeal tribunal statement LEA SENDIST "
    return w * (n_chars // len(w))


def test_a_page_dense_with_claims_is_refused_in_one_line(tmp_path):
    """Past MAX_CLAIMS claims the page is refused in one line at the point it is reached: the work
    any one page can cost is bounded (sendkg/reader/page.py), whatever its words."""
    from sendkg.reader.page import MAX_CLAIMS

    f = tmp_path / "dense.txt"
    f.write_text(_cue_dense(100_000))
    assert_one_line(run("lint", f), str(f), f"more than {MAX_CLAIMS:,} claims", "split the file")


def test_real_pages_are_far_below_the_claims_bound():
    """The bound is set well above real pages: the five seeds (real authority pages) make at most a
    tenth of it."""
    from sendkg.lint import vocabulary_store
    from sendkg.reader.orchestrator import extract
    from sendkg.reader.page import MAX_CLAIMS
    from sendkg.reader.vocabulary import Vocabulary

    vocab = Vocabulary(vocabulary_store())
    seeds = sorted((ROOT / "tests" / "seeds").glob("0*.txt"))
    assert len(seeds) == 5
    for seed in seeds:
        quads, _ = extract(seed, vocab)
        claims = {q.subject for q in quads if q.predicate.value.endswith("#inDocument")}
        assert 0 < len(claims) < MAX_CLAIMS / 10, (seed, len(claims))


def test_a_study_names_a_page_past_a_bound_and_reads_the_rest(tmp_path):
    """One page past a bound does not end a study of many (a fetched page must not decide a study,
    issue 22): it is named once on stderr, kept in study.json as unread with the reason, and the
    authority's other pages are read."""
    import json

    folder = tmp_path / "pages" / "milton-keynes"
    folder.mkdir(parents=True)
    (folder / "seed.txt").write_text((ROOT / "tests" / "seeds" / "000_dc0ff41c4349732d.txt").read_text())
    (folder / "dense.txt").write_text(_cue_dense(100_000))
    r = run("study", tmp_path / "pages", "-o", tmp_path / "out")
    assert r.code == 0, r
    warned = [x for x in r.err.splitlines() if "not read" in x]
    assert len(warned) == 1 and "dense.txt" in warned[0] and "claims" in warned[0], r
    pages = json.loads((tmp_path / "out" / "study.json").read_text())["authorities"][0]["pages"]
    by_name = {Path(p["page"]).name: p for p in pages}
    assert "claims" in by_name["dense.txt"]["unread"] and "unread" not in by_name["seed.txt"]
    findings = json.loads((tmp_path / "out" / "study.json").read_text())["authorities"][0]["findings"]
    assert findings and all(Path(f["page"]).name == "seed.txt" for f in findings)


def test_a_page_of_many_short_lines_is_read_in_bounded_sentences():
    """200,000 short lines with no full stop are one paragraph and were one sentence, read in time
    quadratic in its length (lint did not answer in 30 s, issue 22). The reader sees sentences of at
    most MAX_SENTENCE characters, cut at a space, covering the text in order."""
    from sendkg.reader import sentence as x

    text = " ".join(["the council must decide within six weeks"] * 2000)
    parts = list(x.sentences(text))
    assert parts and all(len(s) <= x.MAX_SENTENCE for _, s in parts)
    assert "".join(s for _, s in parts) == text and all(text[a:a + len(s)] == s for a, s in parts)
    assert all(s.endswith(" ") for _, s in parts[:-1])  # never inside a word
    normal = "You can appeal within 2 months. The council must decide within 6 weeks."
    assert [s for _, s in x.sentences(normal)] == ["You can appeal within 2 months.", " The council must decide within 6 weeks."]


@pytest.mark.parametrize("value,kind", [("2026-02-30", "date"), ("2025-02-29", "date"), ("2026-04-31", "date"),
                                        ("2026-02-30T10:00:00Z", "dateTime"), ("0000-01-01", "date")])
def test_impossible_day_in_validate(tmp_path, value, kind):
    """A day that is not on the calendar, typed as xsd:date (issue 22): one line at its file and line,
    not a Python traceback (ValueError: day is out of range for month)."""
    f = tmp_path / "day.ttl"
    f.write_text(TTL_HEAD + f'<https://example.org/a> <https://example.org/p> "{value}"^^xsd:{kind} .\n')
    assert_one_line(run("validate", "--no-reason", f), f"{f}:8", f"xsd:{kind}")


def test_a_leap_day_is_a_real_day(tmp_path):
    f = tmp_path / "leap.ttl"
    f.write_text(TTL_HEAD + '<https://example.org/a> <https://example.org/p> "2024-02-29"^^xsd:date .\n')
    r = run("validate", "--no-reason", f)
    assert r.code == 0 and "Traceback" not in r.err, r


def test_validate_does_not_parse_n_triples_with_rdflib(tmp_path, monkeypatch):
    """rdflib's N-Triples parser is quadratic in a line's length (a 1,000,000-character literal took
    15-17 s, issue 22): the data reaches pySHACL parsed by Oxigraph, the same triples either way."""
    from rdflib import Graph
    from rdflib.compare import isomorphic
    from rdflib.plugins.parsers import ntriples

    from sendkg.rdfconv import rdflib_graph
    from sendkg.store import EmbeddedStore
    from sendkg.resources import model_files
    from sendkg import validate as v

    f = tmp_path / "long.ttl"
    f.write_text(TTL_HEAD + '<https://example.org/a> <https://example.org/p> "' + "x" * 200_000 + '" , "é"@fr , '
                 '"2"^^xsd:integer ; <https://example.org/q> [ <https://example.org/r> "s" ] .\n')
    dump = EmbeddedStore([*model_files(), f]).dump()
    assert isomorphic(rdflib_graph(dump), Graph().parse(data=dump.decode("utf-8"), format="nt"))

    def refuse(*a, **k):
        raise AssertionError("rdflib's N-Triples parser was used")

    monkeypatch.setattr(ntriples.W3CNTriplesParser, "parse", refuse)
    report = v.validate([f])
    assert report.conforms in (True, False) and isinstance(report.findings, list)


@pytest.mark.parametrize("url", ["http://[::1", "ftp://x/query", "http://", "http://127.0.0.1:99999/query",
                                 "http://a b/query"])
def test_bad_endpoint_urls(url):
    assert_one_line(run("--endpoint", url, "decisions"))
    assert_one_line(run("decisions", env={"SENDKG_ENDPOINT": url}), "SENDKG_ENDPOINT")


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "0", "1e9"])
def test_bad_timeouts(value):
    assert_one_line(run("--timeout", value, "decisions"), "--timeout")


def test_serve_bad_bind_busy_port_and_unwritable_location(tmp_path):
    assert_one_line(run("serve", "--bind", "garbage"), "--bind garbage")
    assert_one_line(run("serve", "--bind", "example.org:7878"), "IP address")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        with listener() as (_, seen):
            assert_one_line(run("serve", "--bind", f"127.0.0.1:{port}"), "in use")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert_one_line(run("serve", "--bind", "127.0.0.1:7999", "--location", blocker / "store"), "--location")


# ---------------------------------------------------------------- positions off by one
def test_lines_as_editors_count_them():
    from sendkg.reader import html_paragraphs, text_paragraphs
    from sendkg.inputs import editor_lines

    assert editor_lines("a\fb\u2028c\x1cd\ne\r\nf\rg") == ["a\fb\u2028c\x1cd", "e", "f", "g"]
    assert editor_lines("a\n", keepends=True) == ["a\n"]
    paras = text_paragraphs("one\fform feed\u2028line sep\nmediation here\n")
    assert [p.line for p in paras] == [1, 2]
    paras = html_paragraphs("<p>one\u2028two\fthree</p>\r<p>four</p>\r\n<p>mediation</p>")
    assert [p.at(0)[0] for p in paras] == [1, 2, 3]


def test_a_form_feed_does_not_shift_findings(tmp_path):
    text = re.sub(r"<[^>]+>", "", PAGE)  # a Markdown page (no markup): one paragraph a line
    plain, odd = tmp_path / "plain.md", tmp_path / "odd.md"
    plain.write_text(text, encoding="utf-8")
    odd.write_text(text.replace("You can", "\fYou can").replace("may take", "may\u2028take"), encoding="utf-8")
    a = json.loads(run("lint", plain, "--format", "json").out)["files"][0]["findings"]
    b = json.loads(run("lint", odd, "--format", "json").out)["files"][0]["findings"]
    assert [(f["code"], f["line"]) for f in a] == [(f["code"], f["line"]) for f in b]
    assert any(f["line"] > 5 for f in b)  # a finding after the form feeds, at the line an editor shows


# ---------------------------------------------------------------- as a user runs it: a process of its own
SITECUSTOMIZE = '''
import ipaddress, sys

def _loopback(host):
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False

def _guard(event, args):
    if event == "socket.connect" and isinstance(args[1], tuple) and not _loopback(args[1][0]):
        sys.stderr.write("GUARD: connect outside loopback\\n")
        raise ConnectionRefusedError("blocked by the test")
    if event == "socket.getaddrinfo" and args[0] is not None and not _loopback(args[0]):
        sys.stderr.write("GUARD: name lookup outside loopback\\n")
        raise OSError("blocked by the test")

sys.addaudithook(_guard)
'''


def test_in_a_process_of_its_own_no_signal_no_traceback_no_connection(tmp_path):
    """The worst inputs run as real processes (a sitecustomize audit hook refuses and reports any
    connection outside loopback): exit 2 with one line, never killed by a signal."""
    import subprocess

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENDKG_")}
    env.update(PYTHONPATH=str(site), CI="1")
    nested = tmp_path / "nested.rq"
    nested.write_text("SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000)
    slow = tmp_path / "slow.rq"
    slow.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    fifo = tmp_path / "fifo.ttl"
    os.mkfifo(fifo)
    with listener() as (port, seen):
        service = tmp_path / "service.rq"
        service.write_text(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}")
        remote = tmp_path / "remote.rq"
        remote.write_text("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        for args in (["query", nested], ["--timeout", "1", "query", slow], ["query", service], ["query", remote],
                     ["--data", "/dev/zero", "decisions"], ["--data", fifo, "routes", "refuse-plan"],
                     ["serve", "--bind", "garbage"], ["--endpoint", "http://[::1", "decisions"],
                     ["--timeout", "-1", "decisions"]):
            r = subprocess.run([sys.executable, "-m", "sendkg", *map(str, args)], env=env, cwd=tmp_path,
                               capture_output=True, text=True, timeout=120)
            assert r.returncode == 2, (args, r.returncode, r.stderr)  # not a signal (negative), not 0
            lines = r.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("sendkg: error: "), (args, r.stderr)
            assert "GUARD" not in r.stderr and "panicked" not in r.stderr, (args, r.stderr)
    assert seen == []
