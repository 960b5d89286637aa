"""The same queries against a real SPARQL 1.1 server: an Oxigraph server on 127.0.0.1 and a free
port, loaded with `sendkg load`, must answer exactly as the embedded store does."""

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
pytestmark = pytest.mark.skipif(not Path(OXIGRAPH).exists(), reason="the oxigraph server is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, proc, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server not ready")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port, proc)
        url = f"http://127.0.0.1:{port}/query"
        from conftest import run_cli

        r = run_cli("--endpoint", url, "load")
        assert r.returncode == 0, r.stderr
        assert "loaded the model and 5 authorities" in r.stdout
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def both(cli, endpoint, *args):
    local, remote = cli(*args), cli("--endpoint", endpoint, *args)
    assert local.returncode == remote.returncode, (local.stderr, remote.stderr)
    return local.stdout, remote.stdout


def test_routes_answer_for_answer(cli, endpoint, model):
    for d in model.decisions():
        local, remote = both(cli, endpoint, "routes", d["id"], "--format", "json")
        assert json.loads(local) == json.loads(remote), d["id"]
    local, remote = both(cli, endpoint, "routes", "plan-contents", "--condition", "section-i-only")
    assert local == remote


def test_decisions_show_deadlines_query(cli, endpoint):
    assert both(cli, endpoint, "decisions", "--format", "json")[0] == both(cli, endpoint, "decisions", "--format", "json")[1]
    local, remote = both(cli, endpoint, "show", "tribunal-appeal", "--format", "json")
    assert json.loads(local) == json.loads(remote)
    local, remote = both(cli, endpoint, "deadlines", "refuse-plan", "--decision-date", "2025-10-01",
                         "--certificate-date", "2025-11-29", "--format", "json")
    assert json.loads(local) == json.loads(remote)
    from sendkg.resources import query_path

    local, remote = both(cli, endpoint, "query", query_path("appealable-decisions"), "--format", "csv")
    assert local == remote and "refuse-assessment" in local


def test_check_and_compare(cli, endpoint):
    local, remote = both(cli, endpoint, "check", "--format", "json")
    assert json.loads(local) == json.loads(remote)
    local, remote = both(cli, endpoint, "compare", "--format", "json")
    assert json.loads(local) == json.loads(remote)
    local, remote = both(cli, endpoint, "check", "dudley", "--format", "json")
    assert json.loads(local) == json.loads(remote)


def test_unreachable_endpoint(cli):
    from test_cli import one_line_error

    start = time.time()
    one_line_error(cli("--endpoint", f"http://127.0.0.1:{free_port()}/query", "routes", "refuse-plan"),
                   "cannot reach the SPARQL endpoint")
    assert time.time() - start < 10


def test_endpoint_that_never_answers_times_out(cli):
    """A server that accepts the connection but never replies: one line after --timeout."""
    from test_cli import one_line_error

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    port = srv.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        start = time.time()
        one_line_error(cli("--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "1", "decisions"),
                       "cannot reach the SPARQL endpoint")
        assert time.time() - start < 8
    finally:
        stop.set()
        t.join()
        for c in held:
            c.close()
        srv.close()


def test_failing_endpoint_reports_the_status(cli, endpoint):
    from test_cli import one_line_error

    one_line_error(cli("--endpoint", endpoint.replace("/query", "/nothing-here"), "decisions"), "answered 404")


def test_sendkg_serve(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sendkg", "serve", "--bind", f"127.0.0.1:{port}"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        from sendkg.remote import RemoteStore

        store = RemoteStore(f"http://127.0.0.1:{port}/query", 2)
        deadline = time.time() + 20
        rows = []
        while time.time() < deadline:
            try:
                rows = store.select("PREFIX dcterms: <http://purl.org/dc/terms/>\n"
                                    "SELECT ?id WHERE { ?d a <https://w3id.org/sendkg/def#Authority> ; dcterms:identifier ?id }")
                if len(rows) == 5:
                    break
            except Exception:
                pass
            time.sleep(0.1)
        assert sorted(r["id"] for r in rows) == ["dudley", "islington", "milton-keynes", "rotherham", "unnamed-002"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    # stopping sendkg serve (SIGTERM) stops its Oxigraph server too: the port is free again
    import socket

    deadline = time.time() + 10
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                break
        time.sleep(0.1)
    else:
        raise AssertionError(f"the Oxigraph server on port {port} outlived sendkg serve")
