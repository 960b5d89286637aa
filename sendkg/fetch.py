"""`sendkg fetch`: authorities' pages over real HTTP, politely and safely, into a cache with provenance.

- A cache on disk keyed by URL (SHA-256 of the URL, so no URL names a file: ``..``, long names and
  reserved names never reach the file system): the body as served, its main content as HTML
  (navigation and boilerplate removed by trafilatura), and a JSON record (final URL, status, ETag,
  Last-Modified, content type, content hash, when it was retrieved and last checked), each written
  atomically. A cached page is revalidated (If-None-Match / If-Modified-Since): a 304 keeps it and
  records the check; a changed page replaces it and records its new hash; a 4xx or 5xx answer is
  kept as an error (the page it replaces is let go), never as a page.
- Only public addresses: loopback, link-local (169.254.169.254, the cloud metadata address),
  private, unique-local and other non-public addresses are refused, for a name that resolves to one
  too, at the first request and at every redirect, unless ``Policy.allow_private`` (``--allow-
  private``). The address of the connection actually made is checked again before anything is
  sent (a custom connection class under requests), so a name that resolves differently the second
  time (DNS rebinding) cannot get past. Only http and https; a URL with credentials, a space or
  ``|`` is refused. Proxies from the environment and ``.netrc`` are not used.
- Bounded: each request within ``timeout`` seconds as a whole (connecting, status line, headers and
  body; a watchdog closes the connection at the deadline, so a server sending a byte a second cannot
  hold it), at most ``max_bytes`` read and at most ``max_bytes`` after decompression (gzip and
  deflate decoded here with a bound on their output, so a compression bomb is cut at the limit),
  ``max_redirects`` redirects, ``max_pages_per_host`` pages a host a run, one connection at a time
  to a host; each bound is named in the one line that says it was reached.
- Honest to hosts: robots.txt honoured (per host, read once a run, redirects followed; a 5xx or an
  unreadable robots.txt means no page of that host is read), its Crawl-delay too; a rate limit per
  host (``delay``); retries with exponential back-off on 429, 5xx and broken connections;
  Retry-After honoured, up to ``max_wait`` seconds (a host asking more is given up, not hurried);
  only HTML and plain text kept; a user agent naming sendkg and where to find it.
- Each page's provenance (PROV-O: URL, retrieval time, content hash, the fetching activity and
  agent) is Turtle, so every finding about a page can say where and when it was read.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
import socket
import tempfile
import threading
import time
import zlib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sendkg import __version__
from sendkg.errors import SendkgError

from sendkg.links import PROJECT_URL  # the repository (a placeholder: sendkg/links.py)
USER_AGENT = f"sendkg/{__version__} (+{PROJECT_URL}; research on published SEND information)"
KEEP_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
ROBOTS_MAX_BYTES = 500_000  # RFC 9309 2.5: at least 500 KiB of a robots.txt is read


@dataclass
class Policy:
    """How politely and how far to fetch (the command line's options, docs/guide/study.md)."""

    timeout: float = 20.0  # seconds for a whole request (connect, status line, headers and body), enforced
    max_bytes: int = 5_000_000  # bytes of a page as sent, and again after decompression
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_wait: float = 30.0  # the longest wait a host may ask for (Retry-After, robots.txt Crawl-delay)
    delay: float = 1.0  # seconds between two requests to one host (more if its robots.txt asks)
    max_pages_per_host: int = 1000  # pages requested from one host in one run
    user_agent: str = USER_AGENT
    robots: bool = True
    allow_private: bool = False  # also loopback, link-local and private addresses (tests, intranets)


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
    """One page could not be fetched; the run goes on with the others. ``retry``: whether trying
    again may help (a broken connection), or not (a bound reached, an address refused)."""

    def __init__(self, message: str, retry: bool = True):
        super().__init__(message)
        self.retry = retry


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------- what may be fetched
_NOT_IN_URL = re.compile(r"[\x00-\x20\x7f<>\"{}|\\^`]")


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a web address sendkg fetches (syntax only, nothing resolved), or None."""
    m = _NOT_IN_URL.search(url)
    if m:
        c = m.group()
        what = "a space" if c == " " else f"a control character (U+{ord(c):04X})" if ord(c) < 0x21 or c == "\x7f" \
            else f"'{c}'"
        return f"not a usable URL: it holds {what}; write it percent-encoded (%{ord(c):02X})"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number raises)
    except ValueError as err:
        return f"not a usable URL ({err})"
    if parts.scheme.lower() not in ("http", "https"):
        return "not an http(s) URL; sendkg fetches only http and https addresses"
    if not parts.hostname:
        return "not a usable URL: no host name"
    if "@" in parts.netloc:
        return "holds a user name or password; sendkg never sends credentials: remove them from the URL"
    import pyoxigraph as ox

    try:  # what the provenance and the study's graph will need
        ox.NamedNode(url)
    except ValueError:
        return "not a valid web address (IRI); check its percent-encoding and brackets"
    return None


_METADATA = ipaddress.ip_address("169.254.169.254")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")


def address_kind(address: str) -> str | None:
    """What a non-public IP address is ('a loopback address', ...), or None for a public one."""
    try:
        a = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if a.version == 6 and a.ipv4_mapped is not None:
        a = a.ipv4_mapped
    if a.is_loopback:
        return "a loopback address"
    if a == _METADATA:
        return "the cloud metadata address (link-local)"
    if a.is_link_local:
        return "a link-local address"
    if a.is_unspecified:
        return "an unspecified address"
    if a.is_multicast:
        return "a multicast address"
    if a.version == 6 and a in _UNIQUE_LOCAL:
        return "a unique-local address"
    if a.is_private:
        return "a private address"
    if not a.is_global:
        return "not a public address"
    return None


def _refusal(host: str, address: str, kind: str) -> str:
    where = host if host == address else f"{host} ({address})"
    return f"refused: {where} is {kind}; sendkg reaches only public addresses unless --allow-private"


# ---------------------------------------------------------------- one request's guard
_LOCAL = threading.local()


class _Request:
    """One request: the addresses its connections may reach, and its deadline, enforced by a
    watchdog that shuts down its sockets (a read blocked on a server that sends a byte a second
    returns at once)."""

    def __init__(self, allow_private: bool, seconds: float, clock=time.monotonic):
        self.allow_private, self.seconds, self.clock = allow_private, seconds, clock
        self.end = clock() + seconds
        self.expired = False
        self.refused: str | None = None
        self._socks: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Request:
        _LOCAL.request = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        _LOCAL.request = None

    def left(self) -> float:
        return max(0.001, self.end - self.clock())

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for s in self._socks:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def watch(self, sock) -> None:
        with self._lock:
            self._socks.append(sock)
            if self.expired:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


_CLASSES: dict = {}


def _pool_classes() -> dict:
    """urllib3 pools whose connections check the address they reached before sending a byte, and
    put their socket under the request's deadline."""
    if _CLASSES:
        return _CLASSES
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.exceptions import NewConnectionError

    class Guarded:
        def _new_conn(self):
            sock = super()._new_conn()
            req = getattr(_LOCAL, "request", None)
            if req is None or not req.allow_private:
                try:
                    peer = sock.getpeername()[0]
                except OSError:
                    peer = "?"
                kind = address_kind(peer)
                if kind:
                    sock.close()
                    problem = _refusal(self.host, peer, kind)
                    if req is not None:
                        req.refused = problem
                    raise NewConnectionError(self, problem)
            if req is not None:
                req.watch(sock)
            return sock

    class GuardedHTTP(Guarded, HTTPConnection):
        pass

    class GuardedHTTPS(Guarded, HTTPSConnection):
        pass

    class Watched:
        def _get_conn(self, timeout=None):
            conn = super()._get_conn(timeout)
            req = getattr(_LOCAL, "request", None)
            if req is not None and getattr(conn, "sock", None) is not None:  # a kept-alive connection
                req.watch(conn.sock)
            return conn

    class PoolHTTP(Watched, HTTPConnectionPool):
        ConnectionCls = GuardedHTTP

    class PoolHTTPS(Watched, HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPS

    _CLASSES.update(http=PoolHTTP, https=PoolHTTPS)
    return _CLASSES


def guarded_session(session=None):
    """A requests session whose http and https connections go through :func:`_pool_classes`, one
    connection a host, with no proxy or credentials taken from the environment."""
    import requests
    from requests.adapters import HTTPAdapter

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = dict(_pool_classes())

    session = session or requests.Session()
    session.trust_env = False  # no HTTP(S)_PROXY, no .netrc: the connection made is the one checked
    for prefix in ("http://", "https://"):
        session.mount(prefix, Adapter(pool_connections=16, pool_maxsize=1, max_retries=0))
    return session


def _resolve(host: str, port: int, seconds: float) -> list[str]:
    """The addresses ``host`` resolves to, within ``seconds``."""
    found: dict = {}

    def run() -> None:
        try:
            found["a"] = sorted({ai[4][0] for ai in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})
        except (OSError, UnicodeError) as err:
            found["e"] = err

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        raise FetchError(f"the name {host} was not resolved within {seconds:g} s (--timeout)", retry=False)
    if "e" in found:
        raise FetchError(f"cannot find the host {host} (its name does not resolve); check the URL")
    return found["a"]


# ---------------------------------------------------------------- a body, bounded
class _Body:
    """A body as it arrives, decoded (gzip, deflate) with a bound on the decoded size: never more
    than ``limit`` bytes are held, however much a compressed byte expands."""

    def __init__(self, encoding: str | None, limit: int, over):
        codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1:
            raise FetchError(f"the page is compressed more than once ({encoding}); sendkg reads gzip or deflate",
                             retry=False)
        self.kind = codings[0] if codings else None
        if self.kind not in (None, "gzip", "x-gzip", "deflate"):
            raise FetchError(f"the page is compressed as {self.kind}, which sendkg does not read (gzip, deflate)",
                             retry=False)
        self.limit, self.over = limit, over
        self.parts: list[bytes] = []
        self.size = 0
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS) if self.kind in ("gzip", "x-gzip") else None
        self._head = b""

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise FetchError(self.over(self.kind), retry=False)
        if data:
            self.parts.append(data)

    def feed(self, data: bytes) -> None:
        if self.kind is None:
            return self._add(data)
        if self._d is None:  # deflate: a zlib stream, or (as some servers send) a raw one
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            wrapped = (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            while data:
                if self._d.eof:  # the end of the stream: another gzip member, or bytes that are not read
                    if self.kind == "deflate" or not data.startswith(b"\x1f\x8b"):
                        return
                    self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._add(self._d.decompress(data, self.limit - self.size + 1))
                data = self._d.unconsumed_tail or (self._d.unused_data if self._d.eof else b"")
        except zlib.error:
            raise FetchError(f"the page's {self.kind} data is damaged", retry=False) from None

    def bytes(self) -> bytes:
        if self.kind is not None:
            if self._d is None or not self._d.eof:
                raise FetchError(f"the page's {self.kind} data ends before its end", retry=False)
        return b"".join(self.parts)


def _retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After in seconds (a number, or an HTTP date), or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)  # a symbolic link at ``path`` is replaced, never written through
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Cache:
    """Pages by URL: ``<dir>/<sha256(url)[:2]>/<sha256(url)>/{record.json,body,main.html}``.

    The URL only ever gives a hash, so nothing in it can name a file; a record's paths are the
    folder's own files (never paths read from the record); a folder of the cache that leads out of
    it through a symbolic link is refused."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def folder(self, url: str) -> Path:
        key = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
        return self.root / key[:2] / key

    def _inside(self, folder: Path) -> Path:
        root = os.path.realpath(self.root)
        real = os.path.realpath(folder)
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            from sendkg.inputs import show

            raise SendkgError(f"{show(folder)}: leads out of the cache {show(self.root)} (a symbolic link); "
                              "remove it or give another --cache")
        return folder

    def get(self, url: str) -> Record | None:
        folder = self.folder(url)
        try:
            data = json.loads((folder / "record.json").read_text(encoding="utf-8"))
            rec = Record(**{k: v for k, v in data.items() if k in Record.__dataclass_fields__})
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError):
            return None  # a damaged record is as good as none: fetch again
        if not isinstance(rec.url, str) or rec.url != url:
            return None
        self._inside(folder)
        rec.path = str(folder / "main.html") if rec.sha256 and (folder / "main.html").is_file() else None
        rec.raw_path = str(folder / "body") if rec.sha256 and (folder / "body").is_file() else None
        if rec.sha256 and not (rec.path and rec.raw_path):
            rec.sha256 = None  # the page's files are gone: as good as no page
        return rec

    def put(self, rec: Record, body: bytes | None = None, main: str | None = None) -> Record:
        folder = self._inside(self.folder(rec.url))
        if body is not None:
            _atomic_write(folder / "body", body)
            rec.raw_path = str(folder / "body")
        if main is not None:
            _atomic_write(folder / "main.html", main.encode("utf-8"))
            rec.path = str(folder / "main.html")
        _atomic_write(folder / "record.json", json.dumps(asdict(rec), indent=2).encode("utf-8"))
        return rec

    def drop_page(self, rec: Record) -> None:
        """The page's body and main content let go (an error answer replaces it)."""
        folder = self._inside(self.folder(rec.url))
        for name in ("body", "main.html"):
            (folder / name).unlink(missing_ok=True)
        rec.path = rec.raw_path = None


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
        raise FetchError("no main content found in the page", retry=False)
    out = _inert(out)
    return out + ("\n" if not out.endswith("\n") else "")


_SAFE_ATTRS = frozenset(["colspan", "rowspan", "headers", "scope", "lang", "dir", "title", "alt", "start", "type", "value"])


def _inert(markup: str) -> str:
    """The main content with nothing in it that runs or loads: no script, style, event attribute,
    link target, embedded object, frame or form (lxml_html_clean); the lines stay as they were."""
    from lxml_html_clean import Cleaner

    cleaner = Cleaner(scripts=True, javascript=True, comments=True, style=True, inline_style=True, links=True,
                      meta=True, page_structure=False, processing_instructions=True, embedded=True, frames=True,
                      forms=True, annoying_tags=False, remove_unknown_tags=False, safe_attrs_only=True,
                      safe_attrs=_SAFE_ATTRS)
    return cleaner.clean_html(markup)


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_NOT_TEXT_CODECS = {"utf-7", "utf7", "unicode-1-1-utf-7", "csunicode11utf7"}  # never decoded (browsers refuse it too)


def _decode(body: bytes, content_type: str) -> str:
    """Text of a body: by the charset of the header, else of a <meta> in its first 2 KB, else UTF-8,
    else cp1252 (bytes that fit none replaced). An unknown or unsafe charset is passed over."""
    import codecs

    charset = None
    for part in content_type.split(";")[1:]:
        k, _, v = part.strip().partition("=")
        if k.lower() == "charset":
            charset = v.strip('"').strip()
    if not charset and "html" in content_type:
        m = _META_CHARSET.search(body[:2048])
        charset = m.group(1).decode("ascii") if m else None
    for enc in filter(None, (charset, "utf-8")):
        try:
            if enc.lower() in _NOT_TEXT_CODECS or codecs.lookup(enc).name in _NOT_TEXT_CODECS:
                continue
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return body.decode("cp1252", errors="replace")


class Fetcher:
    def __init__(self, cache: Cache, policy: Policy | None = None, session=None, clock=time.monotonic,
                 sleep=time.sleep):
        self.cache = cache
        self.policy = policy or Policy()
        self.session = guarded_session(session)
        self.session.headers["User-Agent"] = self.policy.user_agent
        self.session.headers["Accept-Encoding"] = "gzip, deflate"  # decoded here, with a bound (_Body)
        self.clock, self.sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._not_before: dict[str, float] = {}  # a host's Retry-After
        self._host_delay: dict[str, float] = {}  # a host's robots.txt Crawl-delay
        self._robots: dict[str, object] = {}
        self._pages: dict[str, int] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _host(url: str) -> str:
        parts = urlsplit(url)
        return f"{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"

    # ---------------------------------------------------------------- politeness
    def _wait_turn(self, url: str) -> None:
        host = self._host(url)
        last = self._last.get(host)
        wait = 0.0
        if last is not None:
            wait = max(self.policy.delay, self._host_delay.get(host, 0.0)) - (self.clock() - last)
        wait = max(wait, self._not_before.get(host, 0.0) - self.clock())
        if wait > 0:
            self.sleep(wait)
        self._last[host] = self.clock()

    def _robots_for(self, base: str):
        """robots.txt of ``base`` (scheme://host:port): a parser, or a FetchError when it cannot be
        read (a 5xx, a broken connection): then no page of the host is read this run."""
        from urllib.robotparser import RobotFileParser

        rp = RobotFileParser()
        url = base + "/robots.txt"
        try:
            for _hop in range(self.policy.max_redirects + 1):
                self._check_address(url)
                resp, body = self._get(url, {}, limit=ROBOTS_MAX_BYTES)
                loc = resp.headers.get("Location")
                if resp.status_code in (301, 302, 303, 307, 308) and loc:
                    url = _next_url(url, loc)
                    continue
                break
            else:
                raise FetchError(f"robots.txt redirected more than {self.policy.max_redirects} times "
                                 "(--max-redirects); the host's pages are not read", retry=False)
        except FetchError as err:
            return err
        if resp.status_code == 200:
            rp.parse(_decode(body, resp.headers.get("Content-Type", "text/plain")).splitlines())
        elif resp.status_code in (401, 403):
            rp.disallow_all = True
        elif resp.status_code >= 500 or resp.status_code == 429:  # RFC 9309 2.3.1.4: unreachable
            return FetchError(f"robots.txt could not be read (HTTP {resp.status_code}); the host's pages are not "
                              "read this run", retry=False)
        else:  # no robots.txt: everything allowed
            rp.allow_all = True
        return rp

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets sendkg read ``url`` (FetchError when robots.txt cannot be read,
        or asks for a longer Crawl-delay than ``max_wait``)."""
        if not self.policy.robots:
            return True
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self._robots:
            self._robots[base] = rp = self._robots_for(base)
            if not isinstance(rp, FetchError):
                delay = rp.crawl_delay(self.policy.user_agent)
                if delay is not None:
                    self._host_delay[self._host(url)] = float(delay)
        rp = self._robots[base]
        if isinstance(rp, FetchError):
            raise FetchError(str(rp), retry=False)
        delay = self._host_delay.get(self._host(url), 0.0)
        if delay > self.policy.max_wait:
            raise FetchError(f"robots.txt asks for {delay:g} s between requests (Crawl-delay), over the "
                             f"{self.policy.max_wait:g}-s limit (--max-wait); not read", retry=False)
        return rp.can_fetch(self.policy.user_agent, url)

    def _check_address(self, url: str) -> None:
        """Refuse, before any connection, a URL that is not a web address or whose host is (or
        resolves to) an address that is not public."""
        problem = url_problem(url)
        if problem:
            raise FetchError(problem, retry=False)
        if self.policy.allow_private:
            return
        parts = urlsplit(url)
        host = parts.hostname
        try:
            addresses = [str(ipaddress.ip_address(host.split("%", 1)[0]))]
        except ValueError:
            addresses = _resolve(host, parts.port or (443 if parts.scheme == "https" else 80), self.policy.timeout)
        for a in addresses:
            kind = address_kind(a)
            if kind:
                raise FetchError(_refusal(host, a, kind), retry=False)

    # ---------------------------------------------------------------- one request
    def _host_lock(self, url: str) -> threading.Lock:
        with self._lock:
            return self._host_locks.setdefault(self._host(url), threading.Lock())

    def _get(self, url: str, headers: dict, limit: int | None = None):
        """One GET with no redirects followed, the whole of it within the time-out (enforced), the
        body read and decoded no further than the size limit, one connection a host at a time."""
        with self._host_lock(url):
            return self._get_one(url, headers, limit or self.policy.max_bytes)

    def _get_one(self, url: str, headers: dict, limit: int):
        import http.client

        import requests
        import urllib3

        self._wait_turn(url)
        t = self.policy.timeout
        late = f"the page did not arrive within {t:g} s (--timeout)"
        with _Request(self.policy.allow_private, t, self.clock) as req:
            try:
                resp = self.session.get(url, headers=headers, timeout=(req.left(), t), allow_redirects=False,
                                        stream=True)
            except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException,
                    OSError) as err:
                raise self._failure(err, req, f"no answer within {t:g} s (--timeout)") from None
            try:
                size = resp.headers.get("Content-Length", "").strip()
                if size.isdigit() and int(size) > limit:
                    raise FetchError(f"the page is {int(size):,} bytes, over the {limit:,}-byte limit (--max-bytes)",
                                     retry=False)
                body = _Body(resp.headers.get("Content-Encoding"), limit,
                             lambda kind: f"the page is over the {limit:,}-byte limit once decompressed ({kind}) "
                                          "(--max-bytes)")
                got = 0
                try:
                    for chunk in resp.raw.stream(65536, decode_content=False):
                        got += len(chunk)
                        if got > limit:
                            raise FetchError(f"the page is over the {limit:,}-byte limit (--max-bytes)", retry=False)
                        body.feed(chunk)
                        if req.expired:
                            raise FetchError(late, retry=False)
                except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError,
                        http.client.HTTPException, OSError) as err:
                    raise self._failure(err, req, late) from None
                if req.expired:  # the watchdog ended the body: what came is not the page
                    raise FetchError(late, retry=False)
                return resp, body.bytes()
            finally:
                resp.close()

    @staticmethod
    def _failure(err: Exception, req: _Request, late: str) -> FetchError:
        import requests

        text = repr(err)
        if req.refused:
            return FetchError(req.refused, retry=False)
        if req.expired or isinstance(err, (requests.exceptions.Timeout, TimeoutError, socket.timeout)) \
                or "timed out" in text.lower():
            return FetchError(late, retry=False)
        if "LineTooLong" in text or "more than 100 headers" in text:
            return FetchError("the server's status line or headers are too long (over 64 KiB a line, or over "
                              "100 headers)", retry=False)
        if isinstance(err, requests.exceptions.SSLError):
            return FetchError("the secure connection failed (certificate or TLS); check the address", retry=False)
        if isinstance(err, requests.exceptions.ConnectionError) and "Failed to establish" in text:
            return FetchError(f"cannot connect ({type(err).__name__})")
        return FetchError(f"the connection broke ({type(err).__name__})")

    def _with_retries(self, url: str, headers: dict):
        attempt = 0
        while True:
            try:
                resp, body = self._get(url, headers)
            except FetchError as err:
                if attempt >= self.policy.retries or not err.retry:
                    raise
                wait = self.policy.backoff * (2 ** attempt)
            else:
                if resp.status_code not in (429, 500, 502, 503, 504) or attempt >= self.policy.retries:
                    return resp, body
                ra = _retry_after(resp.headers.get("Retry-After"))
                if ra is not None and ra > self.policy.max_wait:
                    raise FetchError(f"HTTP {resp.status_code}: the server asks to wait {ra:g} s (Retry-After), over "
                                     f"the {self.policy.max_wait:g}-s limit (--max-wait); try again later", retry=False)
                if ra is not None:  # the host's next request waits too (any page of it)
                    host = self._host(url)
                    self._not_before[host] = max(self._not_before.get(host, 0.0), self.clock() + ra)
                    wait = 0.0
                else:
                    wait = self.policy.backoff * (2 ** attempt)
            if wait > 0:
                self.sleep(wait)
            attempt += 1

    def _count_page(self, url: str) -> None:
        host = self._host(url)
        with self._lock:
            n = self._pages[host] = self._pages.get(host, 0) + 1
        if n > self.policy.max_pages_per_host:
            raise FetchError(f"more than {self.policy.max_pages_per_host} pages from {urlsplit(url).hostname} in one "
                             "run (--max-pages-per-host); not read", retry=False)

    # ---------------------------------------------------------------- a page
    def fetch(self, url: str) -> Record:
        problem = url_problem(url)
        if problem:
            return Record(url, "error", error=problem)
        old = self.cache.get(url)
        now = _now()
        try:
            current, redirects = url, []
            while True:
                self._check_address(current)
                if not self.allowed(current):
                    return self.cache.put(Record(url, "refused-robots", error="robots.txt does not allow sendkg to read this page"))
                self._count_page(current)
                headers = {}
                if old and old.sha256 and current == (old.final_url or url):
                    if old.etag:
                        headers["If-None-Match"] = old.etag
                    if old.last_modified:
                        headers["If-Modified-Since"] = old.last_modified
                resp, body = self._with_retries(current, headers)
                if resp.status_code in (301, 302, 303, 307, 308) and resp.headers.get("Location"):
                    if len(redirects) >= self.policy.max_redirects:
                        raise FetchError(f"more than {self.policy.max_redirects} redirects (--max-redirects)", retry=False)
                    nxt = _next_url(current, resp.headers["Location"])
                    if nxt in redirects or nxt == current:
                        raise FetchError("a redirect loop", retry=False)
                    redirects.append(nxt)
                    current = nxt
                    continue
                break
            if resp.status_code == 304 and old and old.sha256:
                old.status, old.checked_at, old.http_status, old.error = "not-modified", now, 304, None
                return self.cache.put(old)
            if resp.status_code != 200:  # an error answer is kept as an error, never as the page
                rec = Record(url, "error", final_url=current, http_status=resp.status_code,
                             error=f"HTTP {resp.status_code}", checked_at=now, redirects=redirects,
                             previous_sha256=old.sha256 if old else None)
                self.cache.drop_page(rec)
                return self.cache.put(rec)
            ctype = resp.headers.get("Content-Type", "").lower()
            if not ctype.startswith(KEEP_TYPES):
                raise FetchError(f"not a web page ({ctype.split(';')[0] or 'no content type'}); only HTML and text are read",
                                 retry=False)
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


def _next_url(current: str, location: str) -> str:
    """Where a redirect leads: resolved against the URL, characters a URL cannot hold percent-
    encoded; refused (FetchError) when it is not a web address sendkg fetches."""
    from requests.utils import requote_uri

    try:
        nxt = requote_uri(urljoin(current, location.strip()))
    except ValueError:
        raise FetchError("redirected to an unusable address", retry=False) from None
    problem = url_problem(nxt)
    if problem:
        raise FetchError(f"redirected to {nxt[:200]}: {problem}", retry=False)
    return nxt


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
    from a text file of URLs, one a line ('#' starts a comment). A line that is not a web address
    sendkg fetches (a space, '|', credentials, not http(s)) is one line naming the file and line."""
    import csv

    from sendkg.inputs import one_line, read_text, show

    text = read_text(path, "list")  # a regular file within the input limit (issue 12), else one line
    lines = text.splitlines()
    out = []
    if lines and "url" in [c.strip().lower() for c in next(csv.reader([lines[0]]))]:
        reader = csv.DictReader(lines)
        for n, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str) or v is None}
            if not row.get("url"):
                raise SendkgError(f"{show(path)}:{n}: no URL in this row; give one in the 'url' column")
            out.append((n, row.get("authority") or None, row["url"]))
    else:
        out = [(n, None, line.strip()) for n, line in enumerate(lines, start=1)
               if line.strip() and not line.lstrip().startswith("#")]
    for n, _who, url in out:
        problem = url_problem(url)
        if problem:
            raise SendkgError(f"{show(path)}:{n}: {one_line(url, 200)}: {problem}")
    return [(who, url) for _n, who, url in out]
