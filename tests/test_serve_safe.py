"""Issue 22: `sendkg serve` is safe to run on a machine with a browser, and no query reaches the
network unless asked. Real servers on 127.0.0.1 and a free port, each stopped at the end; every wait
is bounded."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import run_cli

MEDIATION = ("PREFIX time: <http://www.w3.org/2006/time#>\n"
             "DELETE { GRAPH ?g { ?d time:numericDuration 2 } } INSERT { GRAPH ?g { ?d time:numericDuration 20 } }\n"
             "WHERE { GRAPH ?g { <https://w3id.org/sendkg/id/time-limit/contact-adviser> "
             "<https://w3id.org/sendkg/def#duration> ?d . ?d time:numericDuration 2 } }")
ASK_AUTHORITY = "ASK { ?a a <https://w3id.org/sendkg/def#Authority> }"
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
# One ORDER BY expression 20,000 terms long: Oxigraph's recursion overflows its stack (SIGSEGV);
# as a query of `oxigraph serve` it ended the whole server without a message.
DEEP_ORDER_BY = "SELECT * WHERE { ?s ?p ?o } ORDER BY (" + " + ".join(["?o"] * 20000) + ")"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(tmp_path, *args, env=None, timeout=None):
    """`sendkg [--timeout T] serve --bind 127.0.0.1:PORT ARGS`; yields (base URL, process, stderr)."""
    port = free_port()
    out, err = tmp_path / f"serve-{port}.out", tmp_path / f"serve-{port}.err"
    full = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SENDKG_DATA", "SENDKG_OFFERS", "SENDKG_TOKEN")}
    full.update(env or {})
    cmd = [sys.executable, "-m", "sendkg", *(["--timeout", str(timeout)] if timeout else []),
           "serve", "--bind", f"127.0.0.1:{port}", *args]
    with open(out, "w") as o, open(err, "w") as e:
        proc = subprocess.Popen(cmd, stdout=o, stderr=e, env=full, cwd="/")
    try:
        deadline = time.time() + 60
        while "serving SPARQL" not in err.read_text():
            assert proc.poll() is None, err.read_text()
            assert time.time() < deadline, "the server did not start within 60 s"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", proc, err.read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def request(base, method, path, body=None, headers=None, timeout=30):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def query(base, text, accept="application/sparql-results+json", **headers):
    return request(base, "POST", "/query", text, {"Content-Type": "application/sparql-query", "Accept": accept, **headers})


def contact_adviser(endpoint=None) -> str:
    """The date `deadlines` gives to contact the mediation adviser (SEND Regs 2014 reg 33: within 2
    months after written notice was sent): 2025-12-01 for notice sent on 2025-10-01."""
    args = (["--endpoint", endpoint] if endpoint else []) + ["deadlines", "refuse-plan", "--decision-date",
                                                             "2025-10-01", "--format", "json"]
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    return next(d["date"] for d in json.loads(r.stdout)["deadlines"] if d["id"] == "contact-adviser")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@contextmanager
def listener():
    """A TCP listener on 127.0.0.1: yields (port, connections seen)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.settimeout(0.1)
    seen, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                c, _ = srv.accept()
                seen.append(1)
                c.close()
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        yield srv.getsockname()[1], seen
    finally:
        stop.set()
        t.join(5)
        srv.close()


@pytest.fixture(scope="module")
def readonly(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("ro"), timeout=3, env={"SENDKG_QUERY_MEMORY_MB": "512"}) as s:
        yield s


# ---------------------------------------------------------------- read-only, cross-site, token
def test_read_only_refuses_every_write(readonly):
    base, _, said = readonly
    assert "read-only" in said
    assert request(base, "POST", "/update", MEDIATION, {"Content-Type": "application/sparql-update"})[0] == 403
    assert request(base, "PUT", "/store?graph=https://example.org/g", "<a:b> <a:c> <a:d> .",
                   {"Content-Type": "application/n-triples"})[0] == 403
    assert request(base, "DELETE", "/store?graph=https://w3id.org/sendkg/graph/model")[0] == 403
    assert contact_adviser(base + "/query") == contact_adviser() == "2025-12-01"


def test_the_issues_cross_site_form_post_is_refused(tmp_path):
    """The issue's attack on a writable server: a web page's form POST to /update (204 before, and
    then `deadlines` said 20 months for mediation). Refused with 403, token or not; the same update
    with the token and no Origin is applied (so this test can fail)."""
    with serve(tmp_path, "--writable", "--token", "t" * 20) as (base, _, said):
        assert "Bearer" in said
        form = urllib.parse.urlencode({"update": MEDIATION})
        for headers in ({"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"},
                        {"Content-Type": "application/x-www-form-urlencoded"},
                        {"Content-Type": "text/plain", "Authorization": "Bearer " + "t" * 20},
                        {"Content-Type": "multipart/form-data; boundary=x", "Authorization": "Bearer " + "t" * 20}):
            assert request(base, "POST", "/update", form, headers)[0] == 403, headers
        cross = {"Content-Type": "application/sparql-update", "Authorization": "Bearer " + "t" * 20}
        assert request(base, "POST", "/update", MEDIATION, {**cross, "Origin": "http://evil.example"})[0] == 403
        assert request(base, "POST", "/update", MEDIATION, {**cross, "Host": "evil.example:80"})[0] == 403
        assert request(base, "POST", "/update", MEDIATION, {**cross, "Sec-Fetch-Site": "cross-site"})[0] == 403
        assert request(base, "OPTIONS", "/update", headers={"Origin": "http://evil.example"})[0] == 403
        assert contact_adviser(base + "/query") == "2025-12-01"
        status, _ = request(base, "POST", "/update", MEDIATION, {**cross, "Origin": base})
        assert status == 204
        assert contact_adviser(base + "/query") == "2027-06-01"  # 20 months: the write happened


def test_writes_need_the_token(tmp_path):
    with serve(tmp_path, "--writable", env={}) as (base, _, said):
        token = said.split("Bearer ")[1].split("'")[0]
        assert len(token) >= 16
        put = {"Content-Type": "application/n-triples"}
        path = "/store?graph=" + urllib.parse.quote("https://example.org/g")
        triple = "<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"
        assert request(base, "PUT", path, triple, put)[0] == 401
        assert request(base, "PUT", path, triple, {**put, "Authorization": "Bearer wrong-token-wrong"})[0] == 401
        assert request(base, "PUT", path, triple, {**put, "Authorization": "Bearer " + token})[0] == 204
        status, body = request(base, "GET", path, headers={"Accept": "application/n-triples"})
        assert status == 200 and body.decode() == triple
        # sendkg load sends SENDKG_TOKEN as the bearer token
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SENDKG_DATA", "SENDKG_OFFERS")}
        r = subprocess.run([sys.executable, "-m", "sendkg", "--endpoint", base + "/query", "load"],
                           env={**env, "SENDKG_TOKEN": token}, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and "loaded the model and 5 authorities" in r.stdout, r.stderr
        r = subprocess.run([sys.executable, "-m", "sendkg", "--endpoint", base + "/query", "load"],
                           env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and "401" in r.stderr and "Traceback" not in r.stderr


def test_location_keeps_writes_and_a_restart_without_writable_is_read_only(tmp_path):
    folder = tmp_path / "store"
    path = "/store?graph=" + urllib.parse.quote("https://example.org/kept")
    triple = '<https://example.org/s> <https://example.org/p> "kept" .\n'
    with serve(tmp_path, "--location", folder, "--writable", "--token", "k" * 16) as (base, _, _):
        assert request(base, "PUT", path, triple, {"Content-Type": "text/turtle",
                                                   "Authorization": "Bearer " + "k" * 16})[0] == 204
    with serve(tmp_path, "--location", folder) as (base, _, said):
        assert "read-only" in said
        status, body = request(base, "GET", path, headers={"Accept": "application/n-triples"})
        assert status == 200 and body.decode() == triple
        assert request(base, "PUT", path, triple, {"Content-Type": "text/turtle",
                                                   "Authorization": "Bearer " + "k" * 16})[0] == 403


def test_token_needs_writable_and_some_length():
    from test_cli import one_line_error

    one_line_error(run_cli("serve", "--bind", f"127.0.0.1:{free_port()}", "--writable", "--token", "short"), "--token")


def test_own_origin_and_get_queries_answer(readonly):
    base, _, _ = readonly
    status, body = query(base, ASK_AUTHORITY, Origin=base)
    assert status == 200 and json.loads(body)["boolean"] is True
    status, body = request(base, "GET", "/query?" + urllib.parse.urlencode({"query": ASK_AUTHORITY}),
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["boolean"] is True
    assert query(base, ASK_AUTHORITY, Origin="http://evil.example")[0] == 403
    assert request(base, "GET", "/query?" + urllib.parse.urlencode({"query": ASK_AUTHORITY}),
                   headers={"Origin": "null"})[0] == 403
    status, body = query(base, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3", accept="text/turtle")
    assert status == 200 and body.count(b" .") >= 1


# ---------------------------------------------------------------- SERVICE
SERVICE_SPELLINGS = [
    "SELECT * WHERE {{ ?s ?p ?o .SERVICE <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}",  # the issue's bypass
    "SELECT * WHERE {{ ?s ?p ?o\n\tservice\n<http://127.0.0.1:{port}/q>{{ ?s ?p ?o }} }}",
    "PREFIX ex: <http://127.0.0.1:{port}/> SELECT * WHERE {{ ?s ?p ?o SERVICEex:q {{ ?s ?p ?o }} }}",
    "PREFIX ex: <http://127.0.0.1:{port}/> SELECT * WHERE {{ ?s ?p ?o SeRvIcE SILENT ex:q {{ }} }}",
    "PREFIX ex: <http://127.0.0.1:{port}/> SELECT * WHERE {{ ?s ?p ?o FILTER(1<2)SERVICE ex:q#>\n {{ }} }}",
    "SELECT * WHERE {{ ?s ?p ?o MINUS {{ ?s ?p 1 }}SERVICE <http://127.0.0.1:{port}/q> {{ }} }}",
]


@pytest.mark.parametrize("text", SERVICE_SPELLINGS)
def test_service_is_refused_in_every_spelling(text, readonly, tmp_path, model):
    """Each of these reaches the listener when Oxigraph runs it unguarded (tested below)."""
    base, _, _ = readonly
    from sendkg.errors import SendkgError

    with listener() as (port, seen):
        q = text.format(port=port)
        status, body = query(base, q)
        assert status == 403 and b"SERVICE" in body
        f = tmp_path / "s.rq"
        f.write_text(q)
        r = run_cli("query", f)
        assert r.returncode == 2 and "SERVICE" in r.stderr and "--allow-service" in r.stderr, r.stderr
        with pytest.raises(SendkgError, match="SERVICE.*allow_service=True"):
            model.query(q)
        with pytest.raises(SendkgError, match="SERVICE"):
            model.query(q, timeout=None)
    assert seen == []


def test_the_spellings_are_real_service_calls(model):
    """Without the guard, Oxigraph connects for each spelling: the guard is what stops it."""
    import pyoxigraph as ox

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal("1")))
    for text in SERVICE_SPELLINGS:
        with listener() as (port, seen):
            try:
                store.query(text.format(port=port))
            except (OSError, RuntimeError, SyntaxError):
                pass
            time.sleep(0.2)
        assert seen, text


def test_service_word_in_strings_iris_comments_and_names_is_not_service(model, readonly):
    q = ('# SERVICE in a comment\nPREFIX ex: <https://example.org/SERVICE/>\n'
         'SELECT ?x WHERE { BIND ("SERVICE" AS ?x) FILTER(?x != ex:a.SERVICE && ?x != <http://x/SERVICE>) '
         'OPTIONAL { ?SERVICE ?p \'\'\'\nSERVICE\'\'\' } }')
    assert model.query(q)[1] == [{"x": "SERVICE"}]
    status, body = query(readonly[0], q)
    assert status == 200, body


def test_allow_service_is_the_opt_in(model):
    with listener() as (port, seen):
        from sendkg.errors import SendkgError

        with pytest.raises(SendkgError, match="failed"):  # the listener closes: an error, after connecting
            model.query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}",
                        allow_service=True)
        time.sleep(0.2)
    assert seen


def test_a_child_without_allow_service_cannot_connect_even_past_the_text_check():
    """The process that runs a query can open no socket: a SERVICE the text check missed fails."""
    from sendkg.errors import SendkgError
    from sendkg.store import EmbeddedStore, run_bounded

    store = EmbeddedStore()
    store.add([__import__("pyoxigraph").Quad(*(__import__("pyoxigraph").NamedNode(f"https://e.org/{c}") for c in "spo"))])
    with listener() as (port, seen):
        with pytest.raises(SendkgError, match="open files"):
            run_bounded(store, f"SELECT * WHERE {{ ?s ?p ?o SERVICE <http://127.0.0.1:{port}/q> {{ }} }}", "q", 10,
                        offline=True)
        time.sleep(0.2)
    assert seen == []


# ---------------------------------------------------------------- bounds, crashes, clients
def test_a_cartesian_query_is_stopped_at_the_time_bound(readonly):
    base, proc, _ = readonly
    start = time.time()
    status, body = query(base, CARTESIAN)
    assert status == 503 and b"stopped" in body, body
    assert time.time() - start < 15
    assert query(base, ASK_AUTHORITY)[0] == 200


def test_a_query_whose_client_left_is_stopped(readonly):
    base, proc, _ = readonly
    port = urllib.parse.urlsplit(base).port
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    body = CARTESIAN.encode()
    s.sendall(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-query\r\n"
              b"Content-Length: %d\r\n\r\n%s" % (port, len(body), body))
    deadline = time.time() + 2
    while not children(proc.pid) and time.time() < deadline:
        time.sleep(0.02)
    assert children(proc.pid), "the query did not start"
    s.close()
    start = time.time()
    while children(proc.pid) and time.time() - start < 5:
        time.sleep(0.05)
    assert not children(proc.pid)
    assert time.time() - start < 1.5  # well before the 3 s time bound


def test_the_server_survives_a_query_that_crashes_the_engine(readonly):
    base, proc, _ = readonly
    status, body = query(base, DEEP_ORDER_BY)
    assert status == 500 and b"engine failed" in body, (status, body[:200])
    assert proc.poll() is None
    status, body = query(base, ASK_AUTHORITY)
    assert status == 200 and json.loads(body)["boolean"] is True


def test_a_query_that_needs_too_much_memory_is_an_answer(readonly):
    base, proc, _ = readonly
    big = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
           "BIND(CONCAT(STR(?c), STR(?f), STR(?a), STR(?d)) AS ?x) } GROUP BY ?x ORDER BY ?x")
    status, body = query(base, big)
    assert status == 503 and (b"memory" in body or b"longer than" in body), body
    assert proc.poll() is None and query(base, ASK_AUTHORITY)[0] == 200


def test_fifty_clients_at_once_as_one(readonly):
    """50 clients stalling mid-request, and 50 asking at once: each asker gets the answer one client
    alone gets."""
    base, proc, _ = readonly
    port = urllib.parse.urlsplit(base).port
    text = ("PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?id WHERE { "
            "?d a <https://w3id.org/sendkg/def#Decision> ; dcterms:identifier ?id } ORDER BY ?id")
    alone = query(base, text)
    assert alone[0] == 200
    stalled = []
    for _ in range(50):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and nothing more
        stalled.append(s)
    answers = [None] * 50

    def ask(i):
        try:
            answers[i] = query(base, text, timeout=60)
        except OSError as err:
            answers[i] = (0, str(err).encode())

    start = time.time()
    threads = [threading.Thread(target=ask, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    took = time.time() - start
    for s in stalled:
        s.close()
    assert all(a == alone for a in answers), [a[0] if a else None for a in answers]
    assert took < 60
    assert proc.poll() is None


def test_a_client_that_drips_its_request_is_cut_at_the_deadline():
    """A request sent one byte at a time (each read within the per-read time-out) is cut at the
    whole-request deadline; the server answers others meanwhile. In this process, deadline 2 s."""
    import pyoxigraph as ox

    from sendkg.serve import SparqlServer

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p"), ox.Literal("o")))
    server = SparqlServer("127.0.0.1", 0, store, timeout=5)
    server.request_deadline = 2.0
    t = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    t.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        start, cut = time.time(), None
        request_bytes = b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
        try:
            for i in range(len(request_bytes)):
                s.sendall(request_bytes[i:i + 1])
                if i == 3:
                    assert query(base, "ASK { ?s ?p ?o }")[0] == 200  # others are answered meanwhile
                time.sleep(0.05)
                if time.time() - start > 8:
                    break
            s.settimeout(5)
            cut = s.recv(100)
        except OSError:
            cut = b""
        assert cut == b"" and time.time() - start < 6, (cut, time.time() - start)
        s.close()
    finally:
        server.shutdown()
        server.server_close()
        t.join(5)


def test_answers_over_sendkg_serve_are_the_embedded_stores(readonly):
    base, _, _ = readonly
    from sendkg.resources import query_path

    for args in (["routes", "refuse-assessment", "--format", "json"], ["check", "dudley", "--format", "json"],
                 ["query", query_path("appealable-decisions"), "--format", "csv"]):
        local, remote = run_cli(*args), run_cli("--endpoint", base + "/query", *args)
        assert local.returncode == remote.returncode == 0, remote.stderr
        assert local.stdout == remote.stdout, args


def test_readme_documents_the_options():
    from conftest import manual_page

    section = manual_page("guide/server.md")  # Sharing one model: a SPARQL server
    for word in ("--writable", "--token", "SENDKG_TOKEN", "Origin", "SERVICE", "--timeout"):
        assert word in section, word
