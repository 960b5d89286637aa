"""``sendkg serve``: a SPARQL 1.1 server for a team, safe to run on a machine with a browser.

A small front (the standard library's threading HTTP server) before an in-memory Oxigraph store:

- **Read-only** unless started ``writable``; then ``/update`` and Graph Store writes need
  ``Authorization: Bearer TOKEN``.
- **No cross-site request**: an ``Origin`` that is not the server's own, a ``Host`` that is not its
  own on a loopback address (DNS rebinding), ``Sec-Fetch-Site: cross-site``, and a POST or PUT with
  a form's content type (what a web page can send without asking) are refused with 403.
- **No SERVICE** (nor LOAD in an update): refused by reading the query's tokens, and the process that
  runs a query can open no socket at all.
- **Bounded**: each query runs in a child process, stopped at its time bound, its memory bound,
  its answer size bound, or when its client closes the connection; a crash of the engine is an
  error answer (500), never the server's end. At most ``workers`` queries run at once; the others
  wait (within their time bound). Requests are read within a per-read time-out and a size bound.

The SPARQL 1.1 protocol: ``GET /query?query=`` and ``POST /query`` (``application/sparql-query``),
answers by ``Accept`` (results JSON, XML, CSV, TSV; N-Triples, Turtle, RDF/XML); ``POST /update``
(``application/sparql-update``); the Graph Store protocol at ``/store`` (``?graph=IRI`` or
``?default``): GET, and with a token PUT, POST and DELETE.

The explorer (``sendkg.explorer``) at ``/explorer/`` (and ``/`` leads there): GET only, each page
made in a bounded child process as a query is (the child may run Graphviz ``dot``, so it is not the
no-socket child of a query: it runs sendkg's own queries only, never a client's text).
"""

from __future__ import annotations

import hmac
import http.server
import ipaddress
import socketserver
import threading
import time
import urllib.parse

import pyoxigraph as ox

from sendkg.errors import SendkgError

RESULTS = [("application/sparql-results+json", ox.QueryResultsFormat.JSON),
           ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
           ("text/csv", ox.QueryResultsFormat.CSV), ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
           ("application/json", ox.QueryResultsFormat.JSON)]
GRAPHS = [("application/n-triples", ox.RdfFormat.N_TRIPLES), ("text/turtle", ox.RdfFormat.TURTLE),
          ("application/rdf+xml", ox.RdfFormat.RDF_XML), ("text/plain", ox.RdfFormat.N_TRIPLES)]
UPLOADS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
           "application/x-turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
MAX_QUERY = 256 * 1024  # bytes of one query or update
MAX_ANSWER = 128 * 1024 * 1024  # bytes of one answer
READ_TIMEOUT = 15.0  # seconds for each read of a request (a client that stalls is dropped)
REQUEST_DEADLINE = 30.0  # seconds to send a whole request (line, headers, body), however it drips
MAX_CONNECTIONS = 256  # connections served at once; more are answered 503 and closed


class Refused(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def choose(accept: str | None, offers):
    """The first of ``offers`` (type, value) that ``accept`` takes with the highest q; None if none."""
    if not accept or not accept.strip():
        return offers[0]
    best, best_q = None, 0.0
    for part in accept.split(","):
        bits = [b.strip() for b in part.split(";")]
        kind, q = bits[0].lower(), 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        for offer in offers:
            t = offer[0]
            if kind in (t, "*/*") or (kind.endswith("/*") and t.startswith(kind[:-1])):
                if q > best_q:
                    best, best_q = offer, q
                break
    return best


class _QueryRunner:
    """Runs in the child process: the query, serialised in the format the client accepts."""

    def __init__(self, store, accept):
        self.store, self.accept = store, accept

    def run(self, query, source):
        try:
            result = self.store.query(query, use_default_graph_as_union=True)
            if isinstance(result, ox.QueryTriples):
                offer = choose(self.accept, GRAPHS)
                if offer is None:
                    return 406, "text/plain", b"no acceptable format for triples: accept application/n-triples or text/turtle\n"
                return 200, offer[0] + "; charset=utf-8", ox.serialize(result, format=offer[1])
            offer = choose(self.accept, RESULTS)
            if offer is None:
                return 406, "text/plain", b"no acceptable format for results: accept application/sparql-results+json\n"
            return 200, offer[0] + "; charset=utf-8", result.serialize(format=offer[1])
        except SyntaxError as err:
            return 400, "text/plain", f"SPARQL syntax {err}; fix the query\n".encode()
        except (OSError, RuntimeError, ValueError, TypeError) as err:
            return 400, "text/plain", f"the query failed: {str(err)[:300]}\n".encode()


class _ExplorerRunner:
    """Runs in the child process: an explorer page or the calculator's answer."""

    def __init__(self, explorer):
        self.explorer = explorer

    def run(self, target, source):
        return self.explorer.answer(target)


class _UpdateRunner:
    """Runs an update on the child's copy of the store: does it end within the bounds?"""

    def __init__(self, store):
        self.store = store

    def run(self, update, source):
        try:
            self.store.update(update)
            return None
        except SyntaxError as err:
            return f"SPARQL syntax {err}; fix the update"
        except (OSError, RuntimeError, ValueError, TypeError) as err:
            return f"the update failed: {str(err)[:300]}"


class _RWLock:
    """Many queries (each forks while holding it shared) or one write."""

    def __init__(self):
        self._cond, self._readers, self._writer = threading.Condition(), 0, False

    def shared(self):
        lock = self

        class Shared:
            def __enter__(self):
                with lock._cond:
                    while lock._writer:
                        lock._cond.wait()
                    lock._readers += 1

            def __exit__(self, *a):
                with lock._cond:
                    lock._readers -= 1
                    lock._cond.notify_all()

        return Shared()

    def exclusive(self):
        lock = self

        class Exclusive:
            def __enter__(self):
                with lock._cond:
                    while lock._writer or lock._readers:
                        lock._cond.wait()
                    lock._writer = True

            def __exit__(self, *a):
                with lock._cond:
                    lock._writer = False
                    lock._cond.notify_all()

        return Exclusive()


class SparqlServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, host: str, port: int, store, *, disk=None, token: str | None = None,
                 timeout: float = 10.0, memory_mb: int | None = None, workers: int = 2, explorer=None):
        import socket

        ip = ipaddress.ip_address(host)
        if ip.version == 6:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), Handler)
        self.port = self.server_address[1]
        self.store, self.disk, self.token = store, disk, token
        self.explorer = explorer  # sendkg.explorer.Explorer, or None (no explorer)
        self.timeout_s, self.memory_mb = timeout, memory_mb
        self.slots = threading.BoundedSemaphore(workers)
        self.lock = _RWLock()
        self.connections = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.loopback = ip.is_loopback
        names = [f"127.0.0.1:{self.port}", f"localhost:{self.port}", f"[::1]:{self.port}"]
        shown = f"[{host}]" if ip.version == 6 else host
        self.hosts = {n.lower() for n in names + [f"{shown}:{self.port}"]}
        self.request_deadline = REQUEST_DEADLINE
        self.reading: dict = {}  # socket -> when it began sending the request it is sending
        self.reading_lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._reaper, daemon=True).start()

    def server_close(self):
        self.closed = True
        super().server_close()

    def reading_from(self, sock, on: bool):
        with self.reading_lock:
            if on:
                self.reading[sock] = time.monotonic()
            else:
                self.reading.pop(sock, None)

    def _reaper(self):
        """A client that sends its request one byte at a time is cut at the request deadline."""
        import socket

        while not self.closed:
            time.sleep(min(1.0, self.request_deadline / 4))
            now = time.monotonic()
            with self.reading_lock:
                late = [s for s, t in self.reading.items() if now - t > self.request_deadline]
                for s in late:
                    self.reading.pop(s, None)
            for s in late:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def process_request(self, request, client_address):
        if not self.connections.acquire(blocking=False):  # too many at once: a short answer, closed
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                                b"Connection: close\r\nContent-Length: 33\r\n\r\ntoo many connections; try again\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.connections.release()

    def handle_error(self, request, client_address):  # a broken connection is not the server's end
        pass


class Handler(http.server.BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    timeout = READ_TIMEOUT
    def version_string(self):
        return "sendkg-serve"

    def log_message(self, *args):
        pass

    # ------------------------------------------------------------ answers
    def answer(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_one_request(self):
        self.server.reading_from(self.connection, True)
        try:
            super().handle_one_request()
        finally:
            self.server.reading_from(self.connection, False)

    def dispatch(self, method):
        self.server.reading_from(self.connection, False)  # the line and headers are in
        try:
            self.check_site()
            path = urllib.parse.urlsplit(self.path).path
            if method == "OPTIONS":
                raise Refused(403, "cross-origin requests are refused (no CORS)")
            if path == "/query":
                self.do_query(method)
            elif path == "/update":
                self.do_update(method)
            elif path == "/store":
                self.do_store(method)
            elif path in ("/", "/explorer") and self.server.explorer is not None and method in ("GET", "HEAD"):
                self.answer(303, b"the explorer: /explorer/\n", headers={"Location": "/explorer/"})
            elif path.startswith("/explorer/") and self.server.explorer is not None:
                self.do_explorer(method)
            else:
                raise Refused(404, f"no such path {path[:100]}: use /query, /update, /store"
                              + (" or /explorer/" if self.server.explorer is not None else ""))
        except Refused as err:
            self.close_connection = True
            self.discard_body()  # a client still sending would see a broken pipe, not the answer
            self.answer(err.status, (err.message + "\n").encode("utf-8"), headers=err.headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as err:  # noqa: BLE001 - a bug here is a 500 answer, never the server's end
            self.close_connection = True
            try:
                self.answer(500, f"internal error: {type(err).__name__}: {str(err)[:200]}\n".encode())
            except OSError:
                pass

    def do_GET(self):  # noqa: N802
        self.dispatch("GET")

    def do_HEAD(self):  # noqa: N802
        self.dispatch("HEAD")

    def do_POST(self):  # noqa: N802
        self.dispatch("POST")

    def do_PUT(self):  # noqa: N802
        self.dispatch("PUT")

    def do_DELETE(self):  # noqa: N802
        self.dispatch("DELETE")

    def do_OPTIONS(self):  # noqa: N802
        self.dispatch("OPTIONS")

    # ------------------------------------------------------------ checks
    def check_site(self):
        """A request a web page made from another site is refused: its Origin, a foreign Host (DNS
        rebinding, on a loopback address), Sec-Fetch-Site, and the content types of a form."""
        host = (self.headers.get("Host") or "").strip().lower()
        if self.server.loopback and host and host not in self.server.hosts:
            raise Refused(403, f"Host {host[:100]} is not this server's name; connect to 127.0.0.1:{self.server.port}")
        origin = self.headers.get("Origin")
        if origin is not None:
            own = {"http://" + h for h in self.server.hosts} | ({"http://" + host} if not self.server.loopback else set())
            if origin.strip().lower() not in own:
                raise Refused(403, f"a request from another site (Origin {origin[:100]}) is refused")
        if (self.headers.get("Sec-Fetch-Site") or "").strip().lower() == "cross-site":
            raise Refused(403, "a request from another site (Sec-Fetch-Site: cross-site) is refused")
        if self.command in ("POST", "PUT"):
            kind = self.content_type()
            if kind in FORM_TYPES or not kind:
                raise Refused(403 if kind else 415,
                              f"a {self.command} with content type {kind or '(none)'} is refused (a web form can send it); "
                              "send application/sparql-query, application/sparql-update or an RDF type")

    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def check_write(self):
        if self.server.token is None:
            raise Refused(403, "this server is read-only; start it with 'sendkg serve --writable' to allow writes")
        given = self.headers.get("Authorization") or ""
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), self.server.token.encode()):
            raise Refused(401, "a write needs 'Authorization: Bearer TOKEN' with the token sendkg serve printed "
                          "(sendkg sends SENDKG_TOKEN)", {"WWW-Authenticate": 'Bearer realm="sendkg"'})

    def discard_body(self):
        from sendkg.inputs import max_input_bytes

        if getattr(self, "_body_read", False):
            return
        self._body_read = True
        try:
            left = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return
        if 0 < left <= max_input_bytes():
            self.server.reading_from(self.connection, True)
            try:
                while left > 0:
                    chunk = self.rfile.read(min(left, 1 << 16))
                    if not chunk:
                        break
                    left -= len(chunk)
            except OSError:
                pass
            finally:
                self.server.reading_from(self.connection, False)

    def body(self, limit: int) -> bytes:
        self._body_read = True
        if (self.headers.get("Transfer-Encoding") or "").lower() not in ("", "identity"):
            raise Refused(411, "send a Content-Length (chunked requests are not accepted)")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise Refused(400, "Content-Length is not a number") from None
        if length < 0 or length > limit:
            raise Refused(413, f"the request body is larger than {limit // 1024} KiB")
        self.server.reading_from(self.connection, True)
        try:
            data = self.rfile.read(length)
        finally:
            self.server.reading_from(self.connection, False)
        if len(data) != length:
            raise Refused(400, "the request body ended early")
        return data

    def text(self, data: bytes, what: str) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(400, f"the {what} is not UTF-8") from None

    # ------------------------------------------------------------ SPARQL
    def do_query(self, method):
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        if method in ("GET", "HEAD"):
            if len(self.path) > MAX_QUERY:
                raise Refused(414, "the query is too long for a GET; POST it")
            query = params.get("query", [None])[0]
            if query is None:
                raise Refused(400, "give the query: GET /query?query=... or POST application/sparql-query")
        elif method == "POST":
            if self.content_type() != "application/sparql-query":
                raise Refused(415, "POST a query as application/sparql-query")
            query = self.text(self.body(MAX_QUERY), "query")
        else:
            raise Refused(405, f"{method} is not a query: use GET or POST", {"Allow": "GET, POST"})
        if "default-graph-uri" in params or "named-graph-uri" in params:
            raise Refused(400, "default-graph-uri and named-graph-uri are not supported: use FROM in the query")
        self.run_query(query, _QueryRunner(self.server.store, self.headers.get("Accept")))

    def do_explorer(self, method):
        if method not in ("GET", "HEAD"):
            raise Refused(405, "the explorer's pages are read with GET", {"Allow": "GET"})
        if len(self.path) > MAX_QUERY:
            raise Refused(414, "the address is too long")
        self.run_query(self.path, _ExplorerRunner(self.server.explorer), check=False, offline=False)

    def run_query(self, query: str, runner, check: bool = True, offline: bool = True):
        from sendkg.store import ClientGone, EngineError, QueryBoundError, check_query_text, run_bounded

        if check:
            try:
                check_query_text(query, "query", hint="")
            except SendkgError as err:
                raise Refused(403 if "SERVICE" in str(err) else 400, str(err)) from None
        deadline = time.monotonic() + self.server.timeout_s
        if not self.wait_for_slot(deadline):
            raise Refused(503, f"the server is busy: no query slot within {self.server.timeout_s:g} s; try again")
        try:
            status, kind, body, *extra = run_bounded(runner, query, "query", max(0.01, deadline - time.monotonic()),
                                             self.server.memory_mb, option="the server's --timeout", offline=offline,
                                             watch=self.connection, max_bytes=MAX_ANSWER,
                                             fork_lock=self.server.lock.shared())  # no write while it forks
        except ClientGone:
            self.close_connection = True
            return
        except QueryBoundError as err:
            raise Refused(503, str(err)) from None
        except EngineError as err:
            raise Refused(500, str(err)) from None
        except SendkgError as err:
            raise Refused(400, str(err)) from None
        finally:
            self.server.slots.release()
        self.answer(status, body, kind, headers=extra[0] if extra else None)

    def wait_for_slot(self, deadline: float) -> bool:
        from sendkg.store import _gone

        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self.server.slots.acquire(timeout=min(left, 0.5)):
                return True
            if _gone(self.connection):
                raise Refused(499, "client closed")

    def do_update(self, method):
        if method != "POST":
            raise Refused(405, "an update is a POST (application/sparql-update)", {"Allow": "POST"})
        self.check_write()
        if self.content_type() != "application/sparql-update":
            raise Refused(415, "POST an update as application/sparql-update")
        update = self.text(self.body(MAX_QUERY), "update")
        from sendkg.store import QueryBoundError, check_query_text, run_bounded

        try:
            check_query_text(update, "update", update=True, hint="")
        except SendkgError as err:
            raise Refused(403, str(err)) from None
        deadline = time.monotonic() + self.server.timeout_s
        if not self.wait_for_slot(deadline):
            raise Refused(503, "the server is busy; try again")
        try:
            # first on the child's copy, within the bounds; only an update that ends there is applied
            problem = run_bounded(_UpdateRunner(self.server.store), update, "update",
                                  max(0.01, deadline - time.monotonic()), self.server.memory_mb,
                                  option="the server's --timeout", offline=True, watch=self.connection,
                                  fork_lock=self.server.lock.shared())
        except QueryBoundError as err:
            raise Refused(503, str(err)) from None
        except SendkgError as err:
            raise Refused(400, str(err)) from None
        finally:
            self.server.slots.release()
        if problem:
            raise Refused(400, problem)
        with self.server.lock.exclusive():
            self.server.store.update(update)
            if self.server.disk is not None:
                self.server.disk.update(update)
        self.answer(204, b"")

    # ------------------------------------------------------------ Graph Store protocol
    def graph(self):
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        if "default" in params and "graph" not in params:
            return ox.DefaultGraph()
        names = params.get("graph", [])
        if len(names) != 1:
            raise Refused(400, "name one graph: /store?graph=IRI or /store?default")
        try:
            return ox.NamedNode(names[0])
        except ValueError:
            raise Refused(400, f"not an IRI: {names[0][:100]}") from None

    def do_store(self, method):
        graph = self.graph()
        if method in ("GET", "HEAD"):
            from sendkg.store import bind, load_query

            runner = _QueryRunner(self.server.store, self.headers.get("Accept"))
            if isinstance(graph, ox.DefaultGraph):
                runner.store = _DefaultOnly(self.server.store)
                query = load_query("store-default-graph")
            else:  # the graph's IRI bound as a term, never written into the text
                query = bind(load_query("store-named-graph"), {"graph": graph})
            self.run_query(query, runner, check=False)
            return
        if method not in ("PUT", "POST", "DELETE"):
            raise Refused(405, f"{method} is not a Graph Store request", {"Allow": "GET, PUT, POST, DELETE"})
        self.check_write()
        quads = []
        if method != "DELETE":
            from sendkg.inputs import max_input_bytes

            fmt = UPLOADS.get(self.content_type())
            if fmt is None:
                raise Refused(415, "send the graph as application/n-triples, text/turtle or application/rdf+xml")
            data = self.body(max_input_bytes())
            try:
                quads = [ox.Quad(t.subject, t.predicate, t.object, graph)
                         for t in ox.parse(data, format=fmt, base_iri=None if isinstance(graph, ox.DefaultGraph)
                                           else graph.value)]
            except (SyntaxError, ValueError) as err:
                raise Refused(400, f"not valid RDF: {str(err)[:300]}") from None
        for store in filter(None, [self.server.disk]):
            _write(store, graph, quads, method)
        with self.server.lock.exclusive():
            _write(self.server.store, graph, quads, method)
        self.answer(204, b"")


class _DefaultOnly:
    """The store's own default graph, not the union (Graph Store ``?default``)."""

    def __init__(self, store):
        self.store = store

    def query(self, query, use_default_graph_as_union=False):
        return self.store.query(query)


def _write(store, graph, quads, method):
    if method in ("PUT", "DELETE"):
        if isinstance(graph, ox.DefaultGraph):
            store.clear_graph(graph)
        else:
            try:
                store.remove_graph(graph)
            except (OSError, ValueError, RuntimeError):
                pass
    if quads:
        if not isinstance(graph, ox.DefaultGraph):
            store.add_graph(graph)
        store.extend(quads)
