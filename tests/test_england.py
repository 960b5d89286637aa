"""England's pages as data (issue 23 item 2): the register's addresses of every authority's Local
Offer and SENDIASS pages (ontology/england/authority-pages.ttl) are checked for form, one
authority's are checked to be the ones recorded and read by the study, and `sendkg study --england
--offline` studies all of them from a cache filled by a loopback server.

No request leaves loopback: the register's addresses are public hosts, so the cache is filled by
fetching each page from a server on 127.0.0.1 (one path per address) and keeping the record under
the register's address (the cache is keyed by the address, sendkg/fetch.py Cache); the study then
reads the cache only (--offline), and a guard refuses any other connection."""

import ipaddress
import json
import socket
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from test_study import APPEAL_RIGHT, MEDIATION, SENDIASS, loopback

SEEN = date(2026, 12, 7)  # the day the addresses were found (the search of stored public web pages)
TODAY = date(2026, 12, 8)
KINDS = {"lo-disagreements", "lo-mediation", "lo-appeals", "lo-complaints", "lo-other", "sendiass"}


@pytest.fixture(scope="module")
def reg():
    from sendkg.register import load_register

    return load_register()


@pytest.fixture(scope="module")
def pages():
    from sendkg.register import load_pages

    return load_pages()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Refuse any connection (and any name lookup) that is not loopback."""
    real_connect, real_lookup = socket.socket.connect, socket.getaddrinfo

    def connect(self, address):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"a test tried to reach {address}")
        return real_connect(self, address)

    def lookup(host, *args, **kwargs):
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"a test tried to look up {host}")
        return real_lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)


# ---------------------------------------------------------------- the register's addresses: form
def test_every_current_authority_has_a_page_or_says_none_was_found(reg, pages):
    current = {a.id for a in reg.current(TODAY)}
    assert len(current) == 153
    found, missing = set(pages.by_authority), set(pages.not_found)
    assert found | missing == current, sorted(current - found - missing)
    assert not found & missing, sorted(found & missing)  # a page, or none found: never both
    assert not (found | missing) - current  # no page for a council that no longer exists
    for ident, queries in pages.not_found.items():
        assert len(queries) >= 2 and all(q.strip() for q in queries), ident  # not found after two queries


def _private_host(host: str) -> bool:
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return host == "localhost" or host.endswith((".local", ".localhost", ".internal")) or "." not in host


def test_every_address_is_a_public_web_address(pages):
    from sendkg.fetch import url_problem

    every = [p for ps in pages.by_authority.values() for p in ps]
    assert len(every) >= 150
    for p in every:
        for url in (p.url, p.derived_from) if p.derived_from else (p.url,):
            parts = urlsplit(url)
            assert parts.scheme in ("http", "https") and parts.hostname, url
            assert parts.username is None and parts.password is None and "@" not in parts.netloc, url
            assert not any(c.isspace() for c in url), url
            assert not _private_host(parts.hostname), url
            assert url_problem(url) is None, url  # what `sendkg fetch` would refuse
        assert p.kind in KINDS, p
        assert p.seen == SEEN, p  # each with the day it was seen
        assert p.queries and all(q.strip() for q in p.queries), p  # and how it was found
    assert len({(p.authority, p.url) for p in every}) == len(every)  # no address twice for one authority


def test_the_shape_refuses_an_address_out_of_form(tmp_path):
    """shapes/model.ttl shp:AuthorityPageShape: http(s) with no credentials, a kind from the closed
    list, a date, a source. Each broken page below is refused."""
    from sendkg.validate import validate

    prefixes = """@prefix skg: <https://w3id.org/sendkg/def#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix la: <https://w3id.org/sendkg/id/local-authority/> .
@prefix src: <https://w3id.org/sendkg/id/source/> . @prefix ex: <https://example.org/> .
"""
    good = ('skg:pageOf la:camden ; skg:pageKind skg:page-sendiass ; skg:pageUrl "https://example.org/a"^^xsd:anyURI ; '
            'skg:seenOn "2026-12-07"^^xsd:date ; skg:searchQuery "q" ; dcterms:source src:page-search-2026-12')
    broken = {
        "ftp": good.replace("https://example.org/a", "ftp://example.org/a"),
        "credentials": good.replace("https://example.org/a", "https://user:pw@example.org/a"),
        "space": good.replace("https://example.org/a", "https://example.org/a b"),
        "kind": good.replace("skg:page-sendiass", "skg:page-leaflet"),
        "date": good.replace('"2026-12-07"^^xsd:date', '"7 December 2026"'),
        "source": good.replace(" ; dcterms:source src:page-search-2026-12", ""),
    }
    f = tmp_path / "pages.ttl"
    f.write_text(prefixes + "".join(f"ex:{name} a skg:AuthorityPage ; {body} .\n" for name, body in broken.items()))
    focus = {str(x.focus).rsplit("/", 1)[-1] for x in validate(extra_files=[f]).findings}
    assert set(broken) <= focus, focus


# ---------------------------------------------------------------- one authority: the addresses recorded
CAMDEN = ["https://families.camden.gov.uk/send-local-offer/where-to-find-send-support/if-we-cant-agree/"]


def page_html(n: int) -> bytes:
    lines = ["If you disagree with a decision about special educational needs", APPEAL_RIGHT[n % 2], MEDIATION, SENDIASS]
    return ("<html><body><main><h1>" + lines[0] + "</h1>" + "".join(f"<p>{x}</p>" for x in lines[1:])
            + "</main></body></html>").encode()


def fill_cache(cache_dir: Path, urls: list[str], moved=(), vanished=()):
    """The cache as a run of `sendkg fetch` over ``urls`` would leave it, each page served by a
    loopback server: a page in ``moved`` answers 301 to a new address, one in ``vanished`` 404 (or
    410). Each record is kept under the register's address (loopback addresses mapped back)."""
    from sendkg.fetch import Cache, Fetcher, Policy

    index = {f"/p/{i}": u for i, u in enumerate(urls)}

    def respond(path):
        if path == "/robots.txt":
            return 404, "text/plain", b"none"
        u = index.get(path.removesuffix("/new"))
        if u is None:
            return 404, "text/plain", b"no such page"
        if u in moved and not path.endswith("/new"):
            return 301, "text/plain", b"", {"Location": path + "/new"}
        if u in vanished:
            return (410 if urls.index(u) % 2 else 404), "text/plain", b"gone"
        return 200, "text/html; charset=utf-8", page_html(urls.index(u))

    target = Cache(cache_dir)
    with loopback(respond) as base:
        def back(url):
            if url is None:
                return None
            path = url[len(base):]
            return index[path.removesuffix("/new")].rstrip("/") + ("/moved-here" if path.endswith("/new") else "")

        fetcher = Fetcher(Cache(cache_dir.parent / (cache_dir.name + "-loopback")),
                          Policy(delay=0, retries=0, allow_private=True))
        for i, u in enumerate(urls):
            rec = fetcher.fetch(f"{base}/p/{i}")
            body = Path(rec.raw_path).read_bytes() if rec.raw_path else None
            main = Path(rec.path).read_text(encoding="utf-8") if rec.path else None
            target.put(replace(rec, url=u, final_url=back(rec.final_url), redirects=[back(r) for r in rec.redirects],
                               path=None, raw_path=None), body, main)
    return target


class Run:
    def __init__(self, code, out, err):
        self.exit_code, self.stdout, self.stderr = code, out, err
        self.output = out + err


@pytest.fixture
def study(capsys):
    """`sendkg study ...` run in-process, as the command line runs it (sendkg.cli.main): its exit
    code, what it printed and what it warned."""
    from sendkg.cli import main

    def run(*args):
        capsys.readouterr()
        try:
            main(["study", *map(str, args)])
            code = 0
        except SystemExit as exit:
            code = exit.code
        got = capsys.readouterr()
        return Run(code, got.out, got.err)

    return run


def test_one_authoritys_addresses_are_the_ones_recorded_and_the_study_reads_them(pages, study, tmp_path):
    """Camden: the register holds the address found for its Local Offer page on disagreements (found
    by the search of 7 December 2026 with the query recorded), and `study --authorities camden
    --offline` reads that page from the cache: the study's page is that address."""
    camden = pages.by_authority["camden"]
    assert [p.url for p in camden] == CAMDEN
    assert camden[0].kind == "lo-disagreements" and camden[0].seen == SEEN
    assert camden[0].queries == ("Camden local offer SEND disagreement mediation appeal",)
    fill_cache(tmp_path / "cache", CAMDEN)
    r = study("--authorities", "camden", "--offline", "--cache", tmp_path / "cache", "-o", tmp_path / "out", "-j", "1")
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "out" / "study.json").read_text())
    [a] = data["authorities"]
    assert a["id"] == "camden" and [p["url"] for p in a["pages"]] == CAMDEN
    assert a["categories"]["tribunal-appeals"] and "page_reports" not in data


def test_an_authority_given_wrongly_is_one_line(study, tmp_path):
    r = study("--authorities", "camden,atlantis", "--offline", "--cache", tmp_path / "c", "-o", tmp_path / "out")
    assert r.exit_code == 2 and "'atlantis' is not an authority" in r.output and "Traceback" not in r.output
    r = study("--england", tmp_path, "-o", tmp_path / "out")
    assert r.exit_code == 2 and "without folders or a list" in r.output


# ---------------------------------------------------------------- England, offline, from the cache
def test_study_england_offline_studies_every_authority_and_names_pages_moved_or_vanished(pages, reg, study, tmp_path):
    """Issue 23's Done-when: `sendkg study --england --offline` against a cache filled by the tests'
    loopback server. Every authority with pages in the register is studied (152 of 153); each one
    with none found is named (no page guessed); one page that moved (a 301) is read where it went
    and named as moved, and two that vanished (404, 410) are named, by authority, in a line each and
    in study.json."""
    urls = [u for ident in sorted(pages.by_authority) for u in pages.urls(ident)]
    moved = {pages.urls("camden")[0]}
    vanished = {pages.urls("county-durham")[0], pages.urls("oxfordshire")[0]}  # each has another page
    cache = tmp_path / "cache"
    t0 = time.process_time()
    fill_cache(cache, urls, moved=moved, vanished=vanished)
    t1 = time.process_time()
    r = study("--england", "--offline", "--cache", cache, "-o", tmp_path / "out", "-j", "1")
    t2 = time.process_time()
    print(f"cache filled ({len(urls)} pages) in {t1 - t0:.1f} s CPU, studied in {t2 - t1:.1f} s CPU")
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "out" / "study.json").read_text())
    studied = {a["id"] for a in data["authorities"]}
    assert studied == set(pages.by_authority) and len(studied) >= 150
    assert studied | set(pages.not_found) == {a.id for a in reg.current(TODAY)}  # all 153 accounted for
    by = {(x["authority"], x["url"]): x for x in data["page_reports"]}
    [camden] = [a for a in data["authorities"] if a["id"] == "camden"]
    assert by[("camden", pages.urls("camden")[0])]["status"] == "moved"
    assert camden["pages"] and camden["categories"]["tribunal-appeals"]  # read where it went
    for ident in ("county-durham", "oxfordshire"):
        x = by[(ident, pages.urls(ident)[0])]
        assert x["status"] == "vanished" and x["reason"] in ("HTTP 404", "HTTP 410"), x
    for ident in pages.not_found:
        assert by[(ident, None)]["status"] == "no-page"
    assert len(by) == len(data["page_reports"]) == 1 + 2 + len(pages.not_found)
    from test_schemas import valid

    valid("study", data)  # study.json with its page_reports, as its schema says
    warned = [x for x in r.output.splitlines() if x.startswith("sendkg: warning:")]
    assert len(warned) == 3 + len(pages.not_found), r.output
    assert any(w.startswith("sendkg: warning: camden: ") and "moved to" in w for w in warned), warned
    for ident in ("county-durham", "oxfordshire"):
        assert any(w.startswith(f"sendkg: warning: {ident}: ") and "vanished" in w for w in warned), warned


def test_a_page_no_longer_in_the_cache_is_named_offline(pages, study, tmp_path):
    """--offline reads the cache only: an address it does not hold is named (not fetched), the
    study goes on with the others."""
    urls = pages.urls("camden") + pages.urls("york")
    fill_cache(tmp_path / "cache", urls[:1])
    r = study("--authorities", "camden,york", "--offline", "--cache", tmp_path / "cache", "-o", tmp_path / "out", "-j", "1")
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "out" / "study.json").read_text())
    assert [a["id"] for a in data["authorities"]] == ["camden"]
    [x] = data["page_reports"]
    assert x["authority"] == "york" and x["status"] == "not-fetched" and "not in the cache" in x["reason"]
    assert any(w.startswith("sendkg: warning: york: ") and "not in the cache" in w for w in r.output.splitlines())
