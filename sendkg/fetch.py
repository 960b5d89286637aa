"""`sendkg fetch`: authorities' pages over real HTTP, politely, into a cache with provenance.

- A cache on disk keyed by URL (SHA-256 of the URL): the body as served, its main content as HTML
  (navigation and boilerplate removed by trafilatura), and a JSON record (final URL, status,
  ETag, Last-Modified, content type, content hash, when it was retrieved and last checked), each
  written atomically. A cached page is revalidated (If-None-Match / If-Modified-Since): a 304
  keeps it and records the check; a changed page replaces it and records its new hash.
- robots.txt honoured (per host, read once a run); a rate limit per host; a time-out per request
  as a whole (not per read); retries with exponential back-off on 429, 5xx and broken
  connections (Retry-After honoured up to a cap); redirects followed up to a limit; a size limit
  streamed (never read past it); only HTML and plain text kept; a clear user agent.
- Each page's provenance (PROV-O: URL, retrieval time, content hash, the fetching activity and
  agent) is Turtle, so every finding about a page can say where and when it was read.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sendkg import __version__
from sendkg.errors import SendkgError

USER_AGENT = f"sendkg/{__version__} (+https://w3id.org/sendkg; research on published SEND information)"
KEEP_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass
class Policy:
    """How politely and how far to fetch."""

    timeout: float = 20.0  # seconds for a whole request (connect, headers and body)
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_retry_after: float = 30.0
    delay: float = 1.0  # seconds between two requests to one host
    user_agent: str = USER_AGENT
    robots: bool = True


@dataclass
class Record:
    url: str
    status: str  # fetched, not-modified, changed, refused-robots, error
    final_url: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    retrieved_at: str | None = None  # when the body we hold was retrieved
    checked_at: str | None = None  # when it was last confirmed (200 or 304)
    previous_sha256: str | None = None
    redirects: list[str] = field(default_factory=list)
    error: str | None = None
    path: str | None = None  # the main-content file
    raw_path: str | None = None


class FetchError(Exception):
    """One page could not be fetched; the run goes on with the others."""


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Cache:
    """Pages by URL: ``<dir>/<sha256(url)[:2]>/<sha256(url)>/{record.json,body,main.html}``."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def folder(self, url: str) -> Path:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.root / key[:2] / key

    def get(self, url: str) -> Record | None:
        f = self.folder(url) / "record.json"
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return None  # a damaged record is as good as none: fetch again
        return Record(**{k: v for k, v in data.items() if k in Record.__dataclass_fields__})

    def put(self, rec: Record, body: bytes | None = None, main: str | None = None) -> Record:
        folder = self.folder(rec.url)
        if body is not None:
            _atomic_write(folder / "body", body)
            rec.raw_path = str(folder / "body")
        if main is not None:
            _atomic_write(folder / "main.html", main.encode("utf-8"))
            rec.path = str(folder / "main.html")
        _atomic_write(folder / "record.json", json.dumps(asdict(rec), indent=2).encode("utf-8"))
        return rec


def main_content(body: bytes, content_type: str, url: str) -> str:
    """The page's main content as HTML (headings, paragraphs, lists, tables, quotations kept;
    navigation, cookie banners and footers left out), or the text itself for plain text."""
    text = _decode(body, content_type)
    if content_type.startswith("text/plain"):
        import html

        return "<html><body>" + "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines() if line.strip()) \
            + "</body></html>\n"
    import trafilatura

    out = trafilatura.extract(text, url=url, output_format="html", include_tables=True, include_links=False,
                              include_comments=False, favor_recall=True)
    if not out:
        raise FetchError("no main content found in the page")
    return out + ("\n" if not out.endswith("\n") else "")


def _decode(body: bytes, content_type: str) -> str:
    charset = None
    for part in content_type.split(";")[1:]:
        k, _, v = part.strip().partition("=")
        if k.lower() == "charset":
            charset = v.strip('"').strip()
    for enc in filter(None, (charset, "utf-8")):
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")


class Fetcher:
    def __init__(self, cache: Cache, policy: Policy | None = None, session=None, clock=time.monotonic,
                 sleep=time.sleep):
        import requests

        self.cache = cache
        self.policy = policy or Policy()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = self.policy.user_agent
        self.clock, self.sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, object] = {}

    # ---------------------------------------------------------------- politeness
    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self._last.get(host)
        if last is not None:
            wait = self.policy.delay - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def allowed(self, url: str) -> bool:
        if not self.policy.robots:
            return True
        from urllib.robotparser import RobotFileParser

        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self._robots:
            rp = RobotFileParser()
            try:
                resp, body = self._get(base + "/robots.txt", {}, limit=500_000)
                if resp.status_code == 200:
                    rp.parse(_decode(body, resp.headers.get("Content-Type", "text/plain")).splitlines())
                elif resp.status_code in (401, 403):
                    rp.disallow_all = True
                else:  # no robots.txt: everything allowed
                    rp.allow_all = True
            except FetchError:
                rp.allow_all = True
            self._robots[base] = rp
        return self._robots[base].can_fetch(self.policy.user_agent, url)

    # ---------------------------------------------------------------- one request
    def _get(self, url: str, headers: dict, limit: int | None = None):
        """One GET with no redirects followed, the whole of it within the time-out, the body
        read no further than the size limit."""
        import requests

        limit = limit or self.policy.max_bytes
        self._wait_turn(url)
        deadline = self.clock() + self.policy.timeout
        try:
            resp = self.session.get(url, headers=headers, timeout=(self.policy.timeout, self.policy.timeout),
                                    allow_redirects=False, stream=True)
        except requests.exceptions.Timeout:
            raise FetchError(f"no answer within {self.policy.timeout:g} s") from None
        except requests.exceptions.RequestException as err:
            raise FetchError(f"cannot connect ({type(err).__name__})") from None
        try:
            size = resp.headers.get("Content-Length")
            if size and size.isdigit() and int(size) > limit:
                raise FetchError(f"the page is {int(size):,} bytes, over the {limit:,}-byte limit")
            chunks, got = [], 0
            try:
                for chunk in resp.iter_content(65536):
                    got += len(chunk)
                    if got > limit:
                        raise FetchError(f"the page is over the {limit:,}-byte limit")
                    if self.clock() > deadline:
                        raise FetchError(f"the page did not arrive within {self.policy.timeout:g} s")
                    chunks.append(chunk)
            except requests.exceptions.RequestException as err:
                raise FetchError(f"the connection broke ({type(err).__name__})") from None
            return resp, b"".join(chunks)
        finally:
            resp.close()

    def _with_retries(self, url: str, headers: dict):
        attempt = 0
        while True:
            try:
                resp, body = self._get(url, headers)
            except FetchError as err:
                if attempt >= self.policy.retries or "limit" in str(err):
                    raise
                retry_after = None
            else:
                if resp.status_code not in (429, 500, 502, 503, 504) or attempt >= self.policy.retries:
                    return resp, body
                ra = resp.headers.get("Retry-After", "")
                retry_after = min(float(ra), self.policy.max_retry_after) if ra.isdigit() else None
            self.sleep(retry_after if retry_after is not None else self.policy.backoff * (2 ** attempt))
            attempt += 1

    # ---------------------------------------------------------------- a page
    def fetch(self, url: str) -> Record:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return Record(url, "error", error="not an http(s) URL")
        old = self.cache.get(url)
        now = _now()
        try:
            current, redirects = url, []
            while True:
                if not self.allowed(current):
                    return self.cache.put(Record(url, "refused-robots", error="robots.txt does not allow sendkg to read this page"))
                headers = {}
                if old and old.sha256 and current == (old.final_url or url):
                    if old.etag:
                        headers["If-None-Match"] = old.etag
                    if old.last_modified:
                        headers["If-Modified-Since"] = old.last_modified
                resp, body = self._with_retries(current, headers)
                if resp.status_code in (301, 302, 303, 307, 308) and resp.headers.get("Location"):
                    if len(redirects) >= self.policy.max_redirects:
                        raise FetchError(f"more than {self.policy.max_redirects} redirects")
                    nxt = urljoin(current, resp.headers["Location"])
                    if urlsplit(nxt).scheme not in ("http", "https"):
                        raise FetchError(f"redirected to a non-web address ({nxt})")
                    if nxt in redirects or nxt == current:
                        raise FetchError("a redirect loop")
                    redirects.append(nxt)
                    current = nxt
                    continue
                break
            if resp.status_code == 304 and old:
                old.status, old.checked_at, old.http_status = "not-modified", now, 304
                return self.cache.put(old)
            if resp.status_code != 200:
                raise FetchError(f"HTTP {resp.status_code}")
            ctype = resp.headers.get("Content-Type", "").lower()
            if not ctype.startswith(KEEP_TYPES):
                raise FetchError(f"not a web page ({ctype.split(';')[0] or 'no content type'}); only HTML and text are read")
            digest = "sha256:" + hashlib.sha256(body).hexdigest()
            main = main_content(body, ctype, current)
            changed = bool(old and old.sha256 and old.sha256 != digest)
            rec = Record(url, "changed" if changed else "fetched", final_url=current, http_status=200,
                         content_type=ctype.split(";")[0], etag=resp.headers.get("ETag"),
                         last_modified=resp.headers.get("Last-Modified"), sha256=digest,
                         retrieved_at=now, checked_at=now, previous_sha256=old.sha256 if changed else None,
                         redirects=redirects)
            return self.cache.put(rec, body, main)
        except FetchError as err:
            if old and old.sha256:  # keep what we had; say the check failed
                old.status, old.error = "error", str(err)
                return self.cache.put(old)
            return self.cache.put(Record(url, "error", error=str(err)))


# ---------------------------------------------------------------- provenance
def provenance_turtle(records: list[Record], authority_of: dict[str, str] | None = None) -> str:
    """PROV-O for the pages held: each page an entity derived from its URL, generated by a fetch
    at its retrieval time, with its content hash."""
    import pyoxigraph as ox

    P = "http://www.w3.org/ns/prov#"
    SKG = "https://w3id.org/sendkg/def#"
    XSD = "http://www.w3.org/2001/XMLSchema#"
    RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    agent = ox.NamedNode(f"https://w3id.org/sendkg/id/agent/sendkg-{__version__}")
    triples = [ox.Triple(agent, RDF_TYPE, ox.NamedNode(P + "SoftwareAgent")),
               ox.Triple(agent, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(USER_AGENT))]
    for r in records:
        if not r.sha256:
            continue
        page = ox.NamedNode("https://w3id.org/sendkg/id/fetched/" + r.sha256.split(":")[1])
        act = ox.NamedNode("https://w3id.org/sendkg/id/fetch/" + hashlib.sha256((r.url + (r.retrieved_at or "")).encode()).hexdigest()[:16])
        t = [(page, RDF_TYPE, ox.NamedNode(P + "Entity")),
             (page, ox.NamedNode(P + "wasDerivedFrom"), ox.NamedNode(r.final_url or r.url)),
             (page, ox.NamedNode(P + "generatedAtTime"), ox.Literal(r.retrieved_at, datatype=ox.NamedNode(XSD + "dateTime"))),
             (page, ox.NamedNode(P + "wasGeneratedBy"), act),
             (page, ox.NamedNode(SKG + "contentHash"), ox.Literal(r.sha256)),
             (page, ox.NamedNode(SKG + "sourceUrl"), ox.Literal(r.url)),
             (act, RDF_TYPE, ox.NamedNode(P + "Activity")),
             (act, ox.NamedNode(P + "used"), ox.NamedNode(r.final_url or r.url)),
             (act, ox.NamedNode(P + "wasAssociatedWith"), agent),
             (act, ox.NamedNode(P + "endedAtTime"), ox.Literal(r.retrieved_at, datatype=ox.NamedNode(XSD + "dateTime")))]
        if r.checked_at and r.checked_at != r.retrieved_at:
            t.append((page, ox.NamedNode(SKG + "checkedAt"), ox.Literal(r.checked_at, datatype=ox.NamedNode(XSD + "dateTime"))))
        if r.content_type:
            t.append((page, ox.NamedNode("http://purl.org/dc/terms/format"), ox.Literal(r.content_type)))
        if authority_of and r.url in authority_of:
            t.append((page, ox.NamedNode(SKG + "about"), ox.NamedNode("https://w3id.org/sendkg/id/local-authority/" + authority_of[r.url])))
        triples.extend(ox.Triple(*x) for x in t)
    prefixes = {"prov": P, "skg": SKG, "xsd": XSD, "dcterms": "http://purl.org/dc/terms/"}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def read_url_list(path: Path) -> list[tuple[str | None, str]]:
    """(authority, URL) pairs from a CSV with a 'url' column (and optionally 'authority'), or
    from a text file of URLs, one a line ('#' starts a comment)."""
    import csv

    from sendkg.inputs import read_text

    text = read_text(path, "list")  # a regular file within the input limit (issue 12), else one line
    lines = text.splitlines()
    if lines and "url" in [c.strip().lower() for c in next(csv.reader([lines[0]]))]:
        reader = csv.DictReader(lines)
        out = []
        for n, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            if not row.get("url"):
                raise SendkgError(f"{path}:{n}: no URL in this row; give one in the 'url' column")
            out.append((row.get("authority") or None, row["url"]))
        return out
    return [(None, line.strip()) for line in lines if line.strip() and not line.lstrip().startswith("#")]
