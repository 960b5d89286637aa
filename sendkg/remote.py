"""A SPARQL 1.1 endpoint as the store: the same query files, sent over the SPARQL protocol; and the
Graph Store Protocol for publishing the model and each authority as a named graph.

Queries have no GRAPH clauses, so the server must query the union of its graphs by default (for
Oxigraph: ``oxigraph serve --union-default-graph``, which ``sendkg serve`` does).
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Mapping

from sendkg.errors import SendkgError
from sendkg.store import Row, bind, json_value as _value

MODEL_GRAPH = "https://w3id.org/sendkg/graph/model"
AUTHORITY_GRAPH = "https://w3id.org/sendkg/graph/authority/"


class EndpointError(SendkgError):
    """The endpoint could not be reached or refused the request."""


def check_url(url: str, option: str = "--endpoint") -> None:
    """Refuse, in one line, an endpoint URL that is not a usable http(s) URL."""
    from sendkg.inputs import show

    shown = show(url)[:200]
    if not url.startswith(("http://", "https://")):
        raise SendkgError(f"{option} {shown}: give an http:// or https:// URL of a SPARQL query endpoint")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as err:
        raise SendkgError(f"{option} {shown}: not a valid URL ({err}); check it") from None
    if not parts.hostname or any(c in url for c in " \t\r\n"):
        raise SendkgError(f"{option} {shown}: not a valid URL (no host, or spaces); check it")


class RemoteStore:
    """A SPARQL endpoint. ``timeout`` bounds each whole request (connecting, sending and reading the
    whole answer), not each read. Answers are checked: SPARQL results of the expected shape, from a
    store that holds a sendkg model, or one line naming the endpoint."""

    MAX_ANSWER = 256 * 1024 * 1024  # bytes of one answer

    def __init__(self, endpoint: str, timeout: float = 10.0, graph_store: str | None = None):
        check_url(endpoint)
        self.endpoint = endpoint
        self.timeout = timeout
        self.graph_store = graph_store or (endpoint[: -len("/query")] + "/store" if endpoint.endswith("/query")
                                           else endpoint)
        if graph_store:
            check_url(graph_store, "--graph-store")
        self._checked = False

    def _request(self, url: str, data: bytes | None, headers: dict, method: str = "POST") -> bytes:
        import time

        deadline = time.monotonic() + self.timeout
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        late = (f"cannot reach the SPARQL endpoint {url} (no whole answer within --timeout {self.timeout:g} s); "
                "check the URL and that the server is running, or give a longer --timeout")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                chunks, size = [], 0
                sock = _socket_of(resp)
                while True:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise EndpointError(late)
                    if sock is not None:
                        sock.settimeout(left)
                    chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > self.MAX_ANSWER:
                        raise EndpointError(f"the endpoint {url} sent more than {self.MAX_ANSWER // (1024 * 1024)} MiB "
                                            "in one answer; sendkg stopped reading")
                return b"".join(chunks)
        except urllib.error.HTTPError as err:
            try:
                detail = err.read(4096).decode("utf-8", "replace").strip().splitlines()
            except Exception:  # noqa: BLE001 - the detail is optional
                detail = []
            raise EndpointError(f"the endpoint {url} answered {err.code} {err.reason}"
                                f"{': ' + detail[0][:200] if detail else ''}") from None
        except EndpointError:
            raise
        except (TimeoutError, __import__("socket").timeout):
            raise EndpointError(late) from None
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as err:
            reason = getattr(err, "reason", None) or err or type(err).__name__
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                raise EndpointError(late) from None
            raise EndpointError(f"cannot reach the SPARQL endpoint {url} ({str(reason)[:200]}); check the URL and "
                                "that the server is running") from None

    def _bad(self, what: str) -> EndpointError:
        return EndpointError(f"the endpoint {self.endpoint} did not answer with SPARQL results ({what}); "
                             "check that the URL is a SPARQL query endpoint")

    def _query(self, query: str) -> tuple[list[str], list[Row]]:
        form, wanted = query_form(query)
        body = self._request(self.endpoint, query.encode("utf-8"),
                             {"Content-Type": "application/sparql-query; charset=utf-8",
                              "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
        if body.lstrip().startswith(b"{"):
            try:
                data = json.loads(body)
            except (ValueError, RecursionError):
                raise self._bad("broken JSON") from None
            names, rows = self._results(data)
            got = "ask" if isinstance(data, dict) and "boolean" in data else "select"
            if form and got != form:
                raise self._bad(f"{'a boolean' if got == 'ask' else 'a table'} answer to a "
                                f"{form.upper()} query")
            if form == "select" and not set(wanted) <= set(names):
                missing = ", ".join("?" + n for n in wanted if n not in names)
                raise self._bad(f"a table without {missing}")
            for row in rows:  # a variable the answer leaves unbound is None, as the embedded store gives it
                for n in wanted:
                    row.setdefault(n, None)
            return names, rows
        if form in ("select", "ask"):
            if not body.strip():
                raise self._bad("an empty answer")
            raise self._bad(f"triples, not the answer to a {form.upper()} query")
        import pyoxigraph as ox

        from sendkg.store import python_value

        if not body.strip():
            raise self._bad("an empty answer")
        if body.lstrip()[:1] == b"<" and not body.lstrip().startswith(b"<http"):
            raise self._bad("HTML or XML")
        try:
            triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError):
            raise self._bad("neither SPARQL JSON results nor N-Triples") from None
        return ["subject", "predicate", "object"], [
            {"subject": python_value(t.subject), "predicate": python_value(t.predicate),
             "object": python_value(t.object)} for t in triples]

    def raw(self, query: str, source: str = "query") -> tuple[str, bytes]:
        """As EmbeddedStore.raw: ("results", SPARQL results JSON) or ("triples", N-Triples)."""
        body = self._request(self.endpoint, query.encode("utf-8"),
                             {"Content-Type": "application/sparql-query; charset=utf-8",
                              "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
        return ("results" if body.lstrip().startswith(b"{") else "triples"), body

    def _results(self, data) -> tuple[list[str], list[Row]]:
        """SPARQL 1.1 JSON results, checked for their shape."""
        if not isinstance(data, dict):
            raise self._bad("JSON that is not an object")
        if "boolean" in data:
            if not isinstance(data["boolean"], bool):
                raise self._bad("a boolean answer that is not true or false")
            return ["result"], [{"result": data["boolean"]}]
        head, results = data.get("head"), data.get("results")
        names = head.get("vars") if isinstance(head, dict) else None
        bindings = results.get("bindings") if isinstance(results, dict) else None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or not isinstance(bindings, list):
            raise self._bad("JSON without head.vars and results.bindings")
        rows = []
        for b in bindings:
            if not isinstance(b, dict):
                raise self._bad("a binding that is not an object")
            row = {}
            for n in names:
                cell = b.get(n)
                if cell is not None and (not isinstance(cell, dict) or cell.get("type") not in
                                         ("uri", "literal", "bnode", "typed-literal", "triple")
                                         or not isinstance(cell.get("value"), (str, dict))):
                    raise self._bad(f"a value of ?{n} that is not an RDF term")
                row[n] = _value(cell)
            rows.append(row)
        return names, rows

    def check_model(self) -> None:
        """Once per store: does the endpoint hold a sendkg model? One line if it does not."""
        if self._checked:
            return
        names, rows = self._query("ASK { ?d a <https://w3id.org/sendkg/def#Decision> ; "
                                  "<http://purl.org/dc/terms/identifier> ?id }")
        if names != ["result"] or not rows[0]["result"]:
            raise EndpointError(f"the endpoint {self.endpoint} holds no sendkg model (no decision in it); "
                                "publish it with 'sendkg --endpoint URL load' or check the URL")
        self._checked = True

    def run(self, query: str, source: str = "query") -> tuple[list[str], list[Row]]:
        self.check_model()
        return self._query(query)

    def select(self, query: str, params: Mapping | None = None, source: str = "query") -> list[Row]:
        return self.run(bind(query, params or {}), source)[1]

    def construct(self, query: str, params: Mapping | None = None, source: str = "query") -> bytes:
        self.check_model()
        return self._request(self.endpoint, bind(query, params or {}).encode("utf-8"),
                             {"Content-Type": "application/sparql-query; charset=utf-8",
                              "Accept": "application/n-triples"})

    def dump(self) -> bytes:
        """Every triple the endpoint's default graph (the union of its graphs) holds, as N-Triples."""
        self.check_model()
        body = self._request(self.endpoint, b"CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                             {"Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
        import pyoxigraph as ox

        try:
            for _ in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
                pass
        except (SyntaxError, ValueError):
            raise self._bad("not N-Triples") from None
        return body

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        url = self.graph_store + "?" + urllib.parse.urlencode({"graph": graph})
        import os

        headers = {"Content-Type": "application/n-triples"}
        if os.environ.get("SENDKG_TOKEN"):  # a server that takes writes with a token (sendkg serve --writable)
            headers["Authorization"] = "Bearer " + os.environ["SENDKG_TOKEN"].strip()
        self._request(url, ntriples, headers, method="PUT")



def query_form(query: str) -> tuple[str | None, list[str]]:
    """The form of a SPARQL query ("select", "ask" or "construct") and, for a SELECT, the variables it
    projects: read by evaluating it on an empty Oxigraph store, so Oxigraph's own parser decides.
    (None, []) when it does not parse here (the endpoint may know an extension): the answer is then
    checked for its shape only."""
    import pyoxigraph as ox

    from sendkg.store import check_query_text

    try:  # a query that could reach the network (or nests too deep) is never evaluated here, even on nothing
        check_query_text(query)
    except SendkgError:
        return None, []
    try:
        answer = ox.Store().query(query)
    except (SyntaxError, ValueError, OSError, RuntimeError):
        return None, []
    if isinstance(answer, ox.QuerySolutions):
        return "select", [v.value for v in answer.variables]
    if isinstance(answer, ox.QueryBoolean):
        return "ask", []
    return "construct", []


def _socket_of(resp):
    try:
        return resp.fp.raw._sock
    except AttributeError:
        return None
