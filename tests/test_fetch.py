"""`sendkg fetch` against a real HTTP server on 127.0.0.1 serving fixture pages (written here):
redirects, 304, 404, 500, a slow server, a huge page, non-HTML, robots.txt, a page that changes.
Nothing is fetched from anywhere but loopback: a guard refuses any other connection."""

import hashlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sendkg.fetch import Cache, Fetcher, Policy, provenance_turtle, read_url_list

PAGE = """<!doctype html><html><head><title>Resolving disagreements</title></head><body>
<nav><a href="/">Home</a> <a href="/contact">Contact</a> <a href="/cookies">Cookies</a></nav>
<main><h1>If you disagree with a decision</h1>
<p>Before you appeal you need a mediation certificate. Contact the mediation adviser within two
months of the date the decision was sent to you.</p>
<blockquote>Mediation is voluntary for parents and young people.</blockquote>
<table><tr><td>Appeal to the Tribunal</td><td>2 months</td></tr></table>
<p>{version}</p></main>
<footer>Copyright the council. Accessibility statement. Privacy notice.</footer></body></html>"""


class Site:
    def __init__(self):
        self.hits: dict[str, int] = {}
        self.version = 1
        self.conditional: list[dict] = []


def make_handler(site: Site):
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def send(self, code, body=b"", ctype="text/html; charset=utf-8", headers=()):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self):  # noqa: N802
            path = self.path
            site.hits[path] = site.hits.get(path, 0) + 1
            assert "sendkg/" in self.headers.get("User-Agent", "")
            if path == "/robots.txt":
                return self.send(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
            if path in ("/page", "/changing"):
                body = PAGE.format(version=f"Page version {site.version if path == '/changing' else 1}").encode()
                etag = '"' + hashlib.md5(body).hexdigest() + '"'
                site.conditional.append(dict(self.headers))
                if self.headers.get("If-None-Match") == etag:
                    return self.send(304, headers=[("ETag", etag)])
                return self.send(200, body, headers=[("ETag", etag), ("Last-Modified", "Mon, 02 Nov 2026 10:00:00 GMT")])
            if path == "/moved":
                return self.send(301, headers=[("Location", "/page")])
            if path == "/loop":
                return self.send(302, headers=[("Location", "/loop2")])
            if path == "/loop2":
                return self.send(302, headers=[("Location", "/loop")])
            if path == "/missing":
                return self.send(404, b"not here")
            if path == "/broken":
                return self.send(500, b"oops")
            if path == "/flaky":
                if site.hits[path] < 3:
                    return self.send(503, b"busy", headers=[("Retry-After", "0")])
                return self.send(200, PAGE.format(version="third time").encode())
            if path == "/slow":
                time.sleep(3)
                return self.send(200, PAGE.format(version="slow").encode())
            if path == "/huge":
                return self.send(200, b"<html><body><p>" + b"x" * 2_000_000 + b"</p></body></html>")
            if path == "/file.pdf":
                return self.send(200, b"%PDF-1.4 ...", "application/pdf")
            if path == "/private":
                return self.send(200, PAGE.format(version="private").encode())
            return self.send(404, b"")

    return H


@pytest.fixture
def site():
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(s))
    server.daemon_threads = True
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield s
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Refuse any connection that is not to the loopback address."""
    real = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("::1", "localhost")):
            raise AssertionError(f"a test tried to reach {address}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def fetcher(tmp_path, **kw):
    return Fetcher(Cache(tmp_path / "cache"), Policy(delay=0, backoff=0.01, **{"timeout": 5, "allow_private": True, **kw}))


def test_a_page_is_fetched_with_its_main_content_and_provenance(site, tmp_path):
    r = fetcher(tmp_path).fetch(site.base + "/page")
    assert r.status == "fetched" and r.http_status == 200 and r.sha256.startswith("sha256:")
    main = Path(r.path).read_text()
    assert "mediation certificate" in main and "<blockquote>" in main and "<table>" in main
    assert "Cookies" not in main and "Privacy notice" not in main  # navigation and footer left out
    body = Path(r.raw_path).read_bytes()
    assert r.sha256 == "sha256:" + hashlib.sha256(body).hexdigest()
    ttl = provenance_turtle([r], {r.url: "milton-keynes"})
    assert "prov:wasDerivedFrom" in ttl and site.base + "/page" in ttl and r.sha256 in ttl and "generatedAtTime" in ttl
    assert "local-authority/milton-keynes" in ttl


def test_a_cached_page_is_revalidated_and_a_304_keeps_it(site, tmp_path):
    f = fetcher(tmp_path)
    first = f.fetch(site.base + "/page")
    second = fetcher(tmp_path).fetch(site.base + "/page")
    assert second.status == "not-modified" and second.sha256 == first.sha256
    assert site.conditional[-1].get("If-None-Match") and site.conditional[-1].get("If-Modified-Since")


def test_a_page_that_changed_between_runs_is_replaced_and_says_so(site, tmp_path):
    first = fetcher(tmp_path).fetch(site.base + "/changing")
    site.version = 2
    second = fetcher(tmp_path).fetch(site.base + "/changing")
    assert second.status == "changed" and second.previous_sha256 == first.sha256 != second.sha256
    assert "Page version 2" in Path(second.path).read_text()


def test_redirects_are_followed_and_recorded_with_a_limit(site, tmp_path):
    r = fetcher(tmp_path).fetch(site.base + "/moved")
    assert r.status == "fetched" and r.final_url == site.base + "/page" and r.redirects == [site.base + "/page"]
    loop = fetcher(tmp_path).fetch(site.base + "/loop")
    assert loop.status == "error" and "redirect" in loop.error


@pytest.mark.parametrize("path,words", [("/missing", "HTTP 404"), ("/file.pdf", "not a web page")])
def test_errors_are_one_line_each(site, tmp_path, path, words):
    r = fetcher(tmp_path).fetch(site.base + path)
    assert r.status == "error" and words in r.error and r.path is None


def test_a_server_error_is_retried_then_given_up(site, tmp_path):
    r = fetcher(tmp_path, retries=1).fetch(site.base + "/broken")
    assert r.status == "error" and "HTTP 500" in r.error and site.hits["/broken"] == 2
    ok = fetcher(tmp_path, retries=2).fetch(site.base + "/flaky")
    assert ok.status == "fetched" and site.hits["/flaky"] == 3


def test_a_slow_server_times_out(site, tmp_path):
    start = time.monotonic()
    r = fetcher(tmp_path, timeout=0.5, retries=0).fetch(site.base + "/slow")
    assert r.status == "error" and "within" in r.error and time.monotonic() - start < 2.5


def test_a_huge_page_is_not_read_past_the_limit(site, tmp_path):
    r = fetcher(tmp_path, max_bytes=100_000).fetch(site.base + "/huge")
    assert r.status == "error" and "limit" in r.error


def test_robots_txt_is_honoured(site, tmp_path):
    r = fetcher(tmp_path).fetch(site.base + "/private")
    assert r.status == "refused-robots" and "/private" not in site.hits


def test_the_rate_limit_spaces_requests_to_one_host(site, tmp_path):
    f = Fetcher(Cache(tmp_path / "c"), Policy(delay=0.3, timeout=5, allow_private=True))
    start = time.monotonic()
    f.fetch(site.base + "/page")  # robots.txt, then the page: two requests
    f.fetch(site.base + "/missing")
    assert time.monotonic() - start >= 0.6


def test_not_a_web_address(tmp_path):
    r = fetcher(tmp_path).fetch("file:///etc/passwd")
    assert r.status == "error" and "http" in r.error


def test_url_list_csv_and_text(tmp_path):
    csv = tmp_path / "pages.csv"
    csv.write_text("authority,url\nmilton-keynes,http://127.0.0.1:9/a\n,http://127.0.0.1:9/b\n")
    assert read_url_list(csv) == [("milton-keynes", "http://127.0.0.1:9/a"), (None, "http://127.0.0.1:9/b")]
    txt = tmp_path / "urls.txt"
    txt.write_text("# pages\nhttp://127.0.0.1:9/a\n\n")
    assert read_url_list(txt) == [(None, "http://127.0.0.1:9/a")]


def test_the_command_fetches_and_writes_provenance(site, tmp_path, cli):
    urls = tmp_path / "pages.csv"
    urls.write_text(f"authority,url\nmilton-keynes,{site.base}/page\nmilton-keynes,{site.base}/missing\n")
    prov = tmp_path / "prov.ttl"
    r = cli("fetch", "--list", urls, "--cache", tmp_path / "cache", "--delay", "0", "--retries", "0", "--allow-private",
            "--provenance", prov, "--format", "json")
    assert r.returncode == 1 and "Traceback" not in r.stderr  # one page missing: exit 1, the other kept
    pages = json.loads(r.stdout)["pages"]
    assert [p["status"] for p in pages] == ["fetched", "error"]
    assert "prov:wasDerivedFrom" in prov.read_text()
    bad = cli("fetch", "--delay", "nan", site.base + "/page")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "--delay" in bad.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("authority,url\n")
    bad = cli("fetch", "--list", empty)  # a list with no URL names the file
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "empty.csv" in bad.stderr
