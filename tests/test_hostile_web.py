"""Issue 22: the crawler (`sendkg fetch`, `sendkg study` reading the web) against a hostile web.

A loopback HTTP server started here (threads, 127.0.0.1 only) serves what a hostile or broken site
can: redirects to private addresses, slow and endless bodies, a status line and headers sent a
byte at a time, compression bombs, wrong and missing content types and charsets, hostile HTML
(scripts, event attributes, javascript: links, CSS), enormous headers, URLs that try to name files
outside the cache. Each case asserts the documented outcome (docs/guide/study.md, 'fetch'), one clear line, no
traceback, no file outside its folder, and no connection beyond what the case allows: every socket
connection outside loopback fails the test, and a refused address is checked to have reached no
server at all. Bounds are kept small through the Policy (and the command's options) so the whole
corpus runs in well under two minutes.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import socket
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sendkg.fetch import PROJECT_URL, Cache, Fetcher, Policy
from test_bad_input import assert_one_line, run

SEND_TEXT = [
    "If you disagree with a decision about an EHC plan you can appeal to the SEND Tribunal.",
    "Before you appeal you must contact a mediation adviser and get a mediation certificate.",
    "You can appeal to the Tribunal within 6 weeks of the date of the decision.",
    "Our SENDIASS gives free advice. Disagreement resolution is run by Global Mediation.",
]
PAGE = ("<!doctype html><html><head><title>Disagreements</title></head><body><main><h1>If you disagree</h1>"
        + "".join(f"<p>{t}</p>" for t in SEND_TEXT) + "</main></body></html>").encode()

HOSTILE = ("""<!doctype html><html><head><title>x</title>
<script>alert('head script')</script><link rel="stylesheet" href="http://198.51.100.7/evil.css">
<style>body{background:url(http://198.51.100.7/track.png)} @import url(http://198.51.100.7/x.css);</style>
<meta http-equiv="refresh" content="0;url=javascript:alert(1)"></head>
<body onload="alert('onload')"><main><h1>If you disagree</h1>
<p onmouseover="alert('hover')">You can appeal to the Tribunal within 6 weeks of the date of the decision &lt;script&gt;alert('quoted')&lt;/script&gt; "quoted" 'single'.</p>
<p>Before you appeal you must contact a mediation adviser and get a mediation certificate.</p>
<p><a href="javascript:alert('link')">Read our SENDIASS page</a> <img src="http://198.51.100.7/pixel.gif" onerror="alert('img')"></p>
<iframe src="http://198.51.100.7/frame"></iframe><object data="http://198.51.100.7/o"></object>
<p>=HYPERLINK("http://198.51.100.7/","click") Disagreement resolution is run by Global Mediation.</p>
<script>document.write('<img src=http://198.51.100.7/x>')</script></main></body></html>""").encode()


class Site:
    """What the server saw: each request's path, its User-Agent, and how many were served at once."""

    def __init__(self):
        self.requests: list[str] = []
        self.agents: list[str] = []
        self.robots = b"User-agent: *\nAllow: /\n"
        self.robots_status = 200
        self.active = self.max_active = 0
        self.lock = threading.Lock()
        self.count: dict[str, int] = {}
        self.routes = {}

    def pages(self) -> list[str]:
        return [p for p in self.requests if p != "/robots.txt"]


def _gzip_bomb(size: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1 << 20)
    return b"".join(z.compress(chunk) for _ in range(size >> 20)) + z.flush()


BOMB = _gzip_bomb(64 << 20)  # 64 MiB of zeros in about 64 KB
DEFLATE_BOMB = zlib.compress(b"\0" * (32 << 20), 9)


def make_handler(site: Site):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def send(self, code=200, body=b"", ctype="text/html; charset=utf-8", headers=(), length=True):
            self.send_response(code)
            if ctype is not None:
                self.send_header("Content-Type", ctype)
            if length:
                self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def drip(self, data: bytes, every: float = 0.2, seconds: float = 20):
            end = time.monotonic() + seconds
            try:
                for i in range(len(data)):
                    if time.monotonic() > end:
                        return
                    self.wfile.write(data[i:i + 1])
                    time.sleep(every)
            except OSError:
                return

        def do_GET(self):  # noqa: N802
            with site.lock:
                site.requests.append(self.path)
                site.agents.append(self.headers.get("User-Agent", ""))
                site.count[self.path] = site.count.get(self.path, 0) + 1
                site.active += 1
                site.max_active = max(site.max_active, site.active)
            try:
                self.route()
            finally:
                with site.lock:
                    site.active -= 1

        def route(self):
            path = self.path.split("?")[0]
            if path == "/robots.txt":
                return self.send(site.robots_status, site.robots, "text/plain")
            if path in site.routes:
                return site.routes[path](self)
            if path.startswith("/page"):
                return self.send(200, PAGE)
            if path == "/hostile":
                return self.send(200, HOSTILE)
            if path.startswith("/hop/"):
                n = int(path.rsplit("/", 1)[1])
                return self.send(302, headers=[("Location", f"/hop/{n + 1}")])
            if path == "/drip-status":
                self.close_connection = True
                return self.drip(b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 400)
            if path == "/drip-headers":
                self.close_connection = True
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
                return self.drip(b"X-Slow: " + b"a" * 400)
            if path == "/drip-body":
                self.close_connection = True
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n")
                return self.drip(b"<p>" + b"a" * 4997)
            if path == "/endless":
                self.close_connection = True
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>")
                try:
                    for _ in range(10_000):
                        self.wfile.write(b"x" * 65536)
                except OSError:
                    pass
                return
            if path == "/gzip-bomb":
                return self.send(200, BOMB, headers=[("Content-Encoding", "gzip")])
            if path == "/deflate-bomb":
                return self.send(200, DEFLATE_BOMB, headers=[("Content-Encoding", "deflate")])
            if path == "/gzip-page":
                return self.send(200, gzip.compress(PAGE), headers=[("Content-Encoding", "gzip")])
            if path == "/brotli":
                return self.send(200, b"\x8b\x03\x80hello\x03", headers=[("Content-Encoding", "br")])
            if path == "/no-type":
                return self.send(200, PAGE, ctype=None)
            if path == "/octet":
                return self.send(200, PAGE, ctype="application/octet-stream")
            if path == "/image":
                return self.send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, ctype="image/png")
            if path == "/wrong-charset":  # says UTF-8, is cp1252
                return self.send(200, PAGE.replace(b"free advice", b"free caf\xe9 advice"), ctype="text/html; charset=utf-8")
            if path == "/unknown-charset":
                return self.send(200, PAGE, ctype="text/html; charset=x-no-such-charset")
            if path == "/utf7":
                return self.send(200, PAGE + b"+ADw-script+AD4-", ctype="text/html; charset=utf-7")
            if path == "/meta-charset":
                body = PAGE.replace(b"<head>", b"<head><meta charset='windows-1252'>").replace(b"free advice",
                                                                                               b"free caf\xe9 advice")
                return self.send(200, body, ctype="text/html")
            if path == "/huge-header":
                return self.send(200, PAGE, headers=[("X-Huge", "a" * 70_000)])
            if path == "/many-headers":
                return self.send(200, PAGE, headers=[(f"X-H{i}", "1") for i in range(150)])
            if path == "/missing":
                return self.send(404, b"<html><body><p>Not found, but here is text.</p></body></html>")
            if path == "/slowish":
                time.sleep(0.3)
                return self.send(200, PAGE)
            return self.send(404, b"")

    return H


@pytest.fixture
def site():
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(s))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    s.port = server.server_address[1]
    s.base = f"http://127.0.0.1:{s.port}"
    yield s
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Any connection outside loopback fails the test (the fetcher must refuse it before connecting)."""
    real = socket.socket.connect
    tried = []

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host == "::1"):
            tried.append(address)
            raise AssertionError(f"a test tried to reach {address}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield tried
    assert not tried


def files_outside(root: Path, allowed: list[Path]) -> list[Path]:
    """Files under ``root`` that are not under one of ``allowed``."""
    out = []
    for p in root.rglob("*"):
        if p.is_file() and not any(p.is_relative_to(a) for a in allowed):
            out.append(p)
    return out


def fetcher(tmp_path, **kw) -> Fetcher:
    return Fetcher(Cache(tmp_path / "cache"),
                   Policy(**{"delay": 0, "backoff": 0.01, "timeout": 2, "retries": 0, "allow_private": True, **kw}))


def one_line_error(rec, *needles):
    assert rec.status in ("error", "refused-robots") and rec.path is None, rec
    assert "\n" not in rec.error and len(rec.error) < 400 and "Traceback" not in rec.error, rec.error
    for n in needles:
        assert n in rec.error, (n, rec.error)


# ---------------------------------------------------------------- no request to a private address
@pytest.mark.parametrize("url,kind", [
    ("http://127.0.0.1:{port}/page", "a loopback address"),
    ("http://localhost:{port}/page", "a loopback address"),
    ("http://[::1]:{port}/page", "a loopback address"),
    ("http://2130706433:{port}/page", "a loopback address"),  # 127.0.0.1 written as a number
    ("http://[::ffff:127.0.0.1]:{port}/page", "a loopback address"),
    ("http://169.254.169.254/latest/meta-data/", "the cloud metadata address"),
    ("http://169.254.1.1/", "a link-local address"),
    ("http://10.1.2.3/", "a private address"),
    ("http://192.168.0.1/", "a private address"),
    ("http://172.16.5.4/", "a private address"),
    ("http://[fd00::1]/", "a unique-local address"),
    ("http://[fe80::1]/", "a link-local address"),
    ("http://0.0.0.0:{port}/page", "an unspecified address"),
    ("http://100.64.0.1/", "not a public address"),
])
def test_a_private_address_is_refused_before_any_connection(site, tmp_path, url, kind):
    rec = fetcher(tmp_path, allow_private=False).fetch(url.format(port=site.port))
    one_line_error(rec, "refused", kind, "--allow-private")
    assert site.requests == []  # not even robots.txt


def test_a_redirect_to_a_private_address_is_refused(site, tmp_path, monkeypatch):
    """The first host is taken as public (127.0.0.1 counted as one here); its redirects to private
    addresses are refused before a connection, at every hop."""
    import sendkg.fetch as f

    real = f.address_kind
    monkeypatch.setattr(f, "address_kind", lambda a: None if a == "127.0.0.1" else real(a))
    site.routes["/to-metadata"] = lambda h: h.send(302, headers=[("Location", "http://169.254.169.254/latest/meta-data/")])
    site.routes["/to-private"] = lambda h: h.send(301, headers=[("Location", "http://10.0.0.7/admin")])
    site.routes["/to-loopback6"] = lambda h: h.send(307, headers=[("Location", f"http://[::1]:{site.port}/page")])
    site.routes["/to-hop"] = lambda h: h.send(302, headers=[("Location", "/to-private")])
    fx = fetcher(tmp_path, allow_private=False)
    for path, kind in (("/to-metadata", "the cloud metadata address"), ("/to-private", "a private address"),
                       ("/to-loopback6", "a loopback address"), ("/to-hop", "a private address")):
        one_line_error(fx.fetch(site.base + path), "refused", kind)
    assert "/page" not in site.requests


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_dns_rebinding_is_caught_at_the_connection(site, tmp_path, monkeypatch, scheme):
    """The name first resolves to a public address, then (as the connection is made) to loopback:
    the address actually connected is checked before a byte is sent (for https, before TLS)."""
    import sendkg.fetch as f

    monkeypatch.setattr(f, "_resolve", lambda host, port, seconds: ["93.184.216.34"])  # the check's look-up
    real = socket.getaddrinfo

    def lookup(host, *a, **k):
        return real("127.0.0.1" if host == "rebind.example" else host, *a, **k)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    rec = fetcher(tmp_path, allow_private=False).fetch(f"{scheme}://rebind.example:{site.port}/page")
    one_line_error(rec, "refused", "rebind.example (127.0.0.1) is a loopback address")
    assert site.requests == []


@pytest.mark.parametrize("url,words", [
    ("http://user:secret@127.0.0.1:{port}/page", "credentials"),
    ("ftp://127.0.0.1:{port}/page", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("http://127.0.0.1:{port}/a page", "a space"),
    ("http://127.0.0.1:{port}/a|b", "'|'"),
])
def test_only_plain_web_addresses(site, tmp_path, url, words):
    one_line_error(fetcher(tmp_path).fetch(url.format(port=site.port)), words)
    assert site.requests == []


def test_the_commands_refuse_loopback_unless_allowed(site, tmp_path):
    r = run("fetch", site.base + "/page", "--cache", tmp_path / "c", "--delay", "0", "--retries", "0")
    assert r.code == 1 and "refused" in r.out and "--allow-private" in r.out and "Traceback" not in r.err, r
    assert site.requests == []
    listing = tmp_path / "pages.csv"
    listing.write_text(f"authority,url\nmilton-keynes,{site.base}/page\n")
    r = run("study", "--list", listing, "-o", tmp_path / "out", "--cache", tmp_path / "c", "--delay", "0")
    assert r.code == 2 and "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1, r
    assert site.requests == []
    r = run("fetch", site.base + "/page", "--cache", tmp_path / "c", "--delay", "0", "--allow-private")
    assert r.code == 0 and site.pages() == ["/page"], r


# ---------------------------------------------------------------- bounded everything
@pytest.mark.parametrize("path", ["/drip-status", "/drip-headers", "/drip-body"])
def test_a_server_sending_a_byte_at_a_time_is_cut_at_the_deadline(site, tmp_path, path):
    start = time.monotonic()
    rec = fetcher(tmp_path, timeout=1, retries=2).fetch(site.base + path)
    took = time.monotonic() - start
    one_line_error(rec, "within 1 s", "--timeout")
    assert took < 2.5, took  # one deadline, not one per byte, and no retry of a deadline
    assert site.count[path] == 1


def test_an_endless_body_is_cut_at_the_size_limit(site, tmp_path):
    start = time.monotonic()
    one_line_error(fetcher(tmp_path, max_bytes=200_000).fetch(site.base + "/endless"), "200,000-byte limit", "--max-bytes")
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("path,words", [
    ("/gzip-bomb", "once decompressed (gzip)"),
    ("/deflate-bomb", "once decompressed (deflate)"),
])
def test_a_compression_bomb_is_cut_at_the_size_limit(site, tmp_path, path, words):
    import tracemalloc

    tracemalloc.start()
    rec = fetcher(tmp_path, max_bytes=1_000_000).fetch(site.base + path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    one_line_error(rec, "1,000,000-byte limit", words, "--max-bytes")
    assert peak < 12_000_000, peak  # never decompressed past the limit (64 MiB unbounded)


def test_compressed_pages_are_read_and_unknown_codings_refused(site, tmp_path):
    fx = fetcher(tmp_path)
    rec = fx.fetch(site.base + "/gzip-page")
    assert rec.status == "fetched" and "mediation certificate" in Path(rec.path).read_text()
    assert Path(rec.raw_path).read_bytes() == PAGE  # the body as decoded
    one_line_error(fx.fetch(site.base + "/brotli"), "compressed as br")


def test_redirects_are_bounded(site, tmp_path):
    one_line_error(fetcher(tmp_path, max_redirects=2).fetch(site.base + "/hop/0"), "more than 2 redirects", "--max-redirects")
    assert site.pages() == ["/hop/0", "/hop/1", "/hop/2"]


def test_pages_per_host_are_bounded(site, tmp_path):
    fx = fetcher(tmp_path, max_pages_per_host=2)
    recs = [fx.fetch(f"{site.base}/page{n}") for n in range(3)]
    assert [r.status for r in recs[:2]] == ["fetched", "fetched"]
    one_line_error(recs[2], "more than 2 pages from 127.0.0.1", "--max-pages-per-host")
    assert site.pages() == ["/page0", "/page1"]


def test_one_connection_at_a_time_to_a_host(site, tmp_path):
    fx = fetcher(tmp_path)
    fx.fetch(site.base + "/page")  # robots.txt read once, before the threads
    site.max_active = 0
    threads = [threading.Thread(target=fx.fetch, args=(f"{site.base}/slowish?{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sum(1 for p in site.requests if p.startswith("/slowish")) == 4 and site.max_active == 1


@pytest.mark.parametrize("path,words", [("/huge-header", "headers are too long"), ("/many-headers", "headers are too long")])
def test_enormous_headers_are_one_line(site, tmp_path, path, words):
    one_line_error(fetcher(tmp_path).fetch(site.base + path), words)


# ---------------------------------------------------------------- what a page claims to be
@pytest.mark.parametrize("path,words", [
    ("/no-type", "not a web page (no content type)"),
    ("/octet", "not a web page (application/octet-stream)"),
    ("/image", "not a web page (image/png)"),
])
def test_what_is_not_a_page_is_refused(site, tmp_path, path, words):
    one_line_error(fetcher(tmp_path).fetch(site.base + path), words)


@pytest.mark.parametrize("path,words", [
    ("/wrong-charset", "free café advice"),  # said UTF-8, was cp1252: read as cp1252
    ("/unknown-charset", "free advice"),
    ("/meta-charset", "free café advice"),
    ("/utf7", "free advice"),
])
def test_wrong_and_missing_charsets_are_read_as_text(site, tmp_path, path, words):
    rec = fetcher(tmp_path).fetch(site.base + path)
    assert rec.status == "fetched", rec
    main = Path(rec.path).read_text(encoding="utf-8")
    assert words in main and "<script" not in main.lower()


# ---------------------------------------------------------------- honest to hosts
def test_the_user_agent_names_sendkg_and_where_to_find_it(site, tmp_path):
    fetcher(tmp_path).fetch(site.base + "/page")
    assert site.agents and all(a.startswith("sendkg/") and PROJECT_URL in a for a in site.agents)


def test_robots_crawl_delay_is_honoured_and_bounded(site, tmp_path):
    site.robots = b"User-agent: *\nCrawl-delay: 1\nDisallow: /private\n"
    fx = fetcher(tmp_path)
    start = time.monotonic()
    assert fx.fetch(site.base + "/page1").status == "fetched"
    assert fx.fetch(site.base + "/page2").status == "fetched"
    assert time.monotonic() - start >= 2  # robots.txt, then a second, page1, then a second, page2
    assert fx.fetch(site.base + "/private").status == "refused-robots" and "/private" not in site.requests
    site2 = fetcher(tmp_path / "2", max_wait=5)
    site2._robots.clear()
    site.robots = b"User-agent: *\nCrawl-delay: 120\n"
    one_line_error(site2.fetch(site.base + "/page3"), "Crawl-delay", "120 s", "--max-wait")
    assert "/page3" not in site.requests


def test_an_unreadable_robots_txt_means_no_page(site, tmp_path):
    site.robots_status = 503
    one_line_error(fetcher(tmp_path).fetch(site.base + "/page"), "robots.txt could not be read (HTTP 503)")
    assert site.pages() == []


def test_retry_after_is_honoured_and_bounded(site, tmp_path):
    def busy(h):
        if site.count["/busy"] == 1:
            return h.send(503, b"busy", headers=[("Retry-After", "1")])
        return h.send(200, PAGE)

    site.routes["/busy"] = busy
    site.routes["/busy-long"] = lambda h: h.send(429, b"slow down", headers=[("Retry-After", "3600")])
    site.routes["/busy-date"] = lambda h: h.send(503, b"", headers=[("Retry-After", "Wed, 01 Jan 2098 00:00:00 GMT")])
    fx = fetcher(tmp_path, retries=2)
    start = time.monotonic()
    assert fx.fetch(site.base + "/busy").status == "fetched"
    assert time.monotonic() - start >= 1 and site.count["/busy"] == 2
    start = time.monotonic()
    one_line_error(fx.fetch(site.base + "/busy-long"), "HTTP 429", "wait 3600 s (Retry-After)", "--max-wait")
    one_line_error(fx.fetch(site.base + "/busy-date"), "HTTP 503", "(Retry-After)", "--max-wait")
    assert time.monotonic() - start < 1 and site.count["/busy-long"] == 1 and site.count["/busy-date"] == 1


def test_an_error_answer_is_kept_as_an_error_not_a_page(site, tmp_path):
    state = {"gone": False}
    site.routes["/soon-gone"] = lambda h: h.send(410 if state["gone"] else 200, PAGE)
    first = fetcher(tmp_path).fetch(site.base + "/soon-gone")
    assert first.status == "fetched" and Path(first.path).is_file()
    state["gone"] = True
    second = fetcher(tmp_path).fetch(site.base + "/soon-gone")
    one_line_error(second, "HTTP 410")
    assert second.http_status == 410 and second.sha256 is None and not Path(first.path).exists()
    kept = Cache(tmp_path / "cache").get(site.base + "/soon-gone")
    assert kept.status == "error" and kept.path is None and kept.http_status == 410
    missing = fetcher(tmp_path).fetch(site.base + "/missing")
    one_line_error(missing, "HTTP 404")
    assert not (Cache(tmp_path / "cache").folder(site.base + "/missing") / "main.html").exists()


# ---------------------------------------------------------------- the cache stays in its folder
@pytest.mark.parametrize("path", [
    "/../../../../../../tmp/sendkg-escape", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fescape",
    "/page/" + "a" * 6000, "/CON", "/aux.html", "/NUL.txt", "/page?../../x=..\\..\\y", "/page#/../../z",
    "/%00/page", "/%ff%fe/page",
])
def test_the_cache_never_writes_outside_its_folder(site, tmp_path, path):
    fetcher(tmp_path).fetch(site.base + path)
    assert files_outside(tmp_path, [tmp_path / "cache"]) == []
    assert not Path("/tmp/sendkg-escape").exists()


def test_a_cache_record_never_points_outside_the_cache(site, tmp_path):
    fx = fetcher(tmp_path)
    rec = fx.fetch(site.base + "/page")
    record = Path(rec.path).parent / "record.json"
    data = json.loads(record.read_text())
    data.update(path="/etc/passwd", raw_path="/etc/shadow")
    record.write_text(json.dumps(data))
    again = Cache(tmp_path / "cache").get(site.base + "/page")
    assert again.path == rec.path and again.raw_path == rec.raw_path


# ---------------------------------------------------------------- the commands: one line up front
def test_a_url_with_a_space_or_bar_is_one_line_before_any_fetching(site, tmp_path):
    r = run("fetch", site.base + "/page", site.base + "/a b", "--cache", tmp_path / "c", "--allow-private")
    assert_one_line(r, "/a b", "a space")
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{site.base}/page\n# a comment\n{site.base}/x|y\n")
    r = run("fetch", "--list", listing, "--cache", tmp_path / "c", "--allow-private")
    assert_one_line(r, "urls.txt:3", "'|'")
    pages = tmp_path / "pages.csv"
    pages.write_text(f"authority,url\nmilton-keynes,{site.base}/page\nmilton-keynes,{site.base}/a b|c\n")
    r = run("study", "--list", pages, "-o", tmp_path / "out", "--cache", tmp_path / "c", "--allow-private")
    assert_one_line(r, "pages.csv:3", "a space")
    assert site.requests == []  # refused before the first request
    pages.write_text(f"authority,url\nmilton-keynes,http://me:pw@127.0.0.1:{site.port}/page\n")
    assert_one_line(run("study", "--list", pages, "-o", tmp_path / "out", "--allow-private"), "pages.csv:2", "credentials")


def test_fetch_provenance_never_replaces_its_own_list(site, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(site.base + "/page\n")
    r = run("fetch", "--list", listing, "--provenance", listing, "--cache", tmp_path / "c", "--allow-private")
    assert_one_line(r, "--provenance", "is also an input")
    link = tmp_path / "prov.ttl"
    link.symlink_to(listing)
    r = run("fetch", "--list", listing, "--provenance", link, "--cache", tmp_path / "c", "--allow-private")
    assert_one_line(r, "--provenance", "is also an input")
    assert listing.read_text() == site.base + "/page\n" and site.requests == []


@pytest.mark.parametrize("option,value,words", [
    ("--timeout", "0", "--timeout 0"), ("--timeout", "inf", "--timeout"), ("--max-redirects", "-1", "--max-redirects"),
    ("--max-pages-per-host", "0", "--max-pages-per-host"), ("--max-wait", "nan", "--max-wait"),
])
def test_the_bounds_are_checked(tmp_path, option, value, words):
    assert_one_line(run("fetch", option, value, "http://127.0.0.1:9/page", "--cache", tmp_path / "c"), words, "give")
    assert_one_line(run("study", option, value, "--list", tmp_path / "none.csv", "-o", tmp_path / "o"), words, "give")


# ---------------------------------------------------------------- the study: its inputs and its outputs
GOOD = "\n".join(SEND_TEXT) + "\n"


@pytest.fixture
def pages(tmp_path):
    root = tmp_path / "pages"
    (root / "milton-keynes").mkdir(parents=True)
    (root / "milton-keynes" / "disagree.md").write_text(GOOD)
    return root


def test_a_list_reads_only_pages_under_its_folder(tmp_path, pages):
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "ok.md").write_text(GOOD)
    (lists / "escape.md").symlink_to("/etc/passwd")
    for where, words in (("/etc/passwd", "not a page"), ("../../../../etc/passwd", "not a page"),
                         (str(tmp_path / "elsewhere.md"), "outside the list's folder"),
                         ("../elsewhere.md", "outside the list's folder"), ("../out/report.html", "outside"),
                         ("escape.md", "not a page"), ("ok.ttl", "not a page")):
        (tmp_path / "elsewhere.md").write_text(GOOD)
        listing = lists / "pages.csv"
        listing.write_text(f"authority,url\nmilton-keynes,ok.md\nmilton-keynes,{where}\n")
        r = run("study", "--offline", "--list", listing, "-o", tmp_path / "out")
        line = assert_one_line(r, "pages.csv:3", words)
        assert "root:" not in line
    # a page under a folder given on the command line is read
    listing.write_text(f"authority,url\nmilton-keynes,{pages / 'milton-keynes' / 'disagree.md'}\n")
    r = run("study", "--offline", "--list", listing, pages, "-o", tmp_path / "out")
    assert r.code == 0, r


def test_the_output_is_never_the_folder_being_read(tmp_path, pages):
    before = {p: p.read_bytes() for p in pages.rglob("*") if p.is_file()}
    for out in (pages, pages / "milton-keynes", pages / "sub" / "out"):
        (pages / "sub").mkdir(exist_ok=True)
        r = run("study", pages, "-o", out)
        assert_one_line(r, "-o", "folder being read")
    assert {p: p.read_bytes() for p in pages.rglob("*") if p.is_file()} == before
    assert not (pages / "report.html").exists()


def test_the_output_is_never_written_through_a_link_it_did_not_name(tmp_path, pages):
    out = tmp_path / "out"
    out.mkdir()
    victim = pages / "milton-keynes" / "disagree.md"
    (out / "study.json").symlink_to(victim)
    r = run("study", pages, "-o", out)
    assert_one_line(r, "study.json", "symbolic link")
    assert victim.read_text() == GOOD
    (out / "study.json").unlink()
    (out / "authorities").mkdir()
    (out / "authorities" / "milton-keynes.html").symlink_to(victim)
    assert_one_line(run("study", pages, "-o", out), "milton-keynes.html", "symbolic link")
    assert victim.read_text() == GOOD and not (out / "study.json").exists()
    # -o itself may be a link: the user named it
    (out / "authorities" / "milton-keynes.html").unlink()
    named = tmp_path / "named"
    named.symlink_to(out)
    assert run("study", pages, "-o", named).code == 0 and (out / "study.json").is_file()


def test_the_study_never_writes_onto_its_inputs(tmp_path, pages):
    out = tmp_path / "out"
    assert run("study", pages, "-o", out).code == 0
    r = run("study", pages, "-o", out, "--since", out / "study.json")
    assert_one_line(r, "study.json", "is an input")
    listing = out / "features.csv"
    r = run("study", "--offline", "--list", listing, "-o", out)
    assert_one_line(r, "features.csv", "is an input")


def test_a_hostile_page_runs_nothing_and_loads_nothing_in_the_report(site, tmp_path):
    """A study of a hostile page fetched from the loopback server (and a page that drips, which
    --timeout cuts): the report escapes every quote, URL and name, links only web addresses, loads
    nothing and sets a Content-Security-Policy; the CSV fields cannot run as formulas."""
    hostile_url = f"{site.base}/hostile?q='onmouseover='alert(1)"
    listing = tmp_path / "pages.csv"
    listing.write_text(f"authority,url\nmilton-keynes,{hostile_url}\nmilton-keynes,{site.base}/drip-body\n")
    out = tmp_path / "out"
    start = time.monotonic()
    r = run("study", "--list", listing, "-o", out, "--cache", tmp_path / "cache", "--delay", "0", "--timeout", "1",
            "--retries", "0", "--allow-private", "--jobs", "1")
    assert r.code == 0 and "Traceback" not in r.err, r
    assert time.monotonic() - start < 60
    assert files_outside(tmp_path, [tmp_path / "cache", out, listing]) == []
    report = (out / "report.html").read_text()
    own = (out / "authorities" / "milton-keynes.html").read_text()
    for html in (report, own):
        low = html.lower()
        assert '<meta http-equiv="content-security-policy"' in low and "default-src 'none'" in low
        for bad in ("<script>alert", "onmouseover='alert", 'onmouseover="alert', "onload=", "onerror=", "<img", "<iframe",
                    "<object", "<link", "@import", "url(", "href='javascript:", 'href="javascript:', "198.51.100.7",
                    "http-equiv=\"refresh\""):
            assert bad not in low, bad
        assert " src=" not in low  # nothing loaded
    assert report.count("<script>") == 1  # the report's own (sorting and filtering), allowed by its hash
    import base64
    import hashlib
    import re

    def sha(text):
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', report).group(1)
    assert f"script-src {sha(re.search(r'<script>(.*?)</script>', report, re.S).group(1))};" in policy
    assert f"style-src {sha(re.search(r'<style>(.*?)</style>', report, re.S).group(1))};" in policy
    assert "script-src 'none'" in own and f"style-src {sha(re.search(r'<style>(.*?)</style>', own, re.S).group(1))};" in own
    assert "&lt;script&gt;alert(&#x27;quoted&#x27;)" in report or "&lt;script&gt;" in report
    assert "q=&#x27;onmouseover=&#x27;alert(1)" in report  # the URL escaped inside its link
    rows = list(csv.DictReader((out / "features.csv").open(encoding="utf-8")))
    assert all(not str(v).startswith(("=", "+", "@")) for row in rows for v in row.values())


def test_the_report_escapes_every_field_and_links_only_web_addresses():
    from sendkg.render.report import authority_html, authority_section, csp, heat_row, safe_href, study_html
    from sendkg.render.study_files import csv_safe

    evil = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
    a = {"id": "x", "name": evil, "council": evil, "gss_code": evil, "type": evil, "region": evil, "completeness": 0.5,
         "accuracy": None, "categories": {}, "counts": {"violations": 1, "warnings": 0, "infos": 0},
         "pages": [{"url": "javascript:alert(3)", "page": evil, "retrieved_at": evil, "sha256": evil},
                   {"url": "data:text/html,<script>alert(4)</script>", "page": "p"},
                   {"url": "https://example.org/ok?a='b'", "page": "p"}],
         "findings": [{"severity": evil, "code": evil, "message": f'says ("{evil}")', "law": evil, "page": evil,
                       "line": 1, "url": " JavaScript:alert(5)"}],
         "out_of_date_names": [{"name": evil, "why": evil}]}
    cats = [{"id": "c", "label": evil, "law": evil, "features": [], "routes": []}]
    html = study_html({"categories": cats, "as_of": evil, "authorities": [a]}) + authority_html(a, evil)
    html += heat_row(a, cats) + authority_section(a)
    assert "<script>alert" not in html and "<img" not in html
    assert "href='javascript" not in html.lower() and "href='data:" not in html.lower() and "href=' javascript" not in html.lower()
    assert "href='https://example.org/ok?a=&#x27;b&#x27;'" in html
    assert csp().startswith('<meta http-equiv="Content-Security-Policy"') and "script-src 'sha256-" in csp()
    assert safe_href("javascript:alert(1)") is None and safe_href("JAVASCRIPT:x") is None and safe_href("vbscript:x") is None
    assert safe_href("http://a/\njavascript:") is None and safe_href("https://a/b") == "https://a/b"
    assert [csv_safe(v) for v in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "ok", 3)] == \
        ["'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "ok", 3]


def test_the_cached_main_content_holds_nothing_that_runs(site, tmp_path):
    rec = fetcher(tmp_path).fetch(site.base + "/hostile")
    main = Path(rec.path).read_text().lower()
    assert "6 weeks" in main and "mediation certificate" in main
    import re

    assert not re.search(r"\son\w+\s*=", main)  # no event attribute
    for bad in ("<script", "javascript:", "<style", "<img", "<iframe", "<object", "<link", "<meta", "href="):
        assert bad not in main, bad


def test_compare_html_escapes_every_field_and_runs_nothing(tmp_path):
    """`compare --format html` shows authorities' names and providers from data anyone can write: each
    is escaped, and the page's Content-Security-Policy lets only its own style apply and no script
    run or load (issue 22, as the study report)."""
    import html as html_lib
    import re

    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
    ttl = (Path(__file__).resolve().parent.parent / "offers" / "dudley.ttl").read_text(encoding="utf-8")
    ttl = ttl.replace('rdfs:label "Dudley"', 'rdfs:label "' + hostile.replace('"', '\\"') + '"', 1)
    ttl = ttl.replace('rdfs:label "KIDS"', 'rdfs:label "' + hostile.replace('"', '\\"') + ' KIDS"', 1)
    f = tmp_path / "dudley.ttl"
    f.write_text(ttl, encoding="utf-8")
    out = tmp_path / "c.html"
    r = run("compare", f, "--format", "html", "-o", out)
    assert r.code == 0, r
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "onerror=alert(2)>" not in page
    assert html_lib.escape(hostile, quote=True) in page  # shown, as text
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in policy and "script-src 'none'" in policy and "img-src 'none'" in policy
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    from sendkg.render.report import _hash

    assert f"style-src {_hash(style)}" in policy  # the page's own style, and only it
