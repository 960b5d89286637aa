"""A SPARQL 1.1 endpoint as the store: the same query files, sent over the SPARQL protocol; and the
Graph Store Protocol for publishing the model and each authority as a named graph.

Queries have no GRAPH clauses, so the server must query the union of its graphs by default (for
Oxigraph: ``oxigraph serve --union-default-graph``, which ``sendkg serve`` does).
"""

from __future__ import annotations

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


class RemoteStore:
    def __init__(self, endpoint: str, timeout: float = 10.0, graph_store: str | None = None):
        if not endpoint.startswith(("http://", "https://")):
            raise SendkgError(f"--endpoint {endpoint}: give an http:// or https:// URL of a SPARQL query endpoint")
        self.endpoint = endpoint
        self.timeout = timeout
        self.graph_store = graph_store or (endpoint[: -len("/query")] + "/store" if endpoint.endswith("/query")
                                           else endpoint)

    def _request(self, url: str, data: bytes | None, headers: dict, method: str = "POST") -> bytes:
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace").strip().splitlines()
            raise EndpointError(f"the endpoint {url} answered {err.code} {err.reason}"
                                f"{': ' + detail[0][:200] if detail else ''}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise EndpointError(f"cannot reach the SPARQL endpoint {url} ({reason}); check the URL and that the "
                                "server is running") from None

    def run(self, query: str, source: str = "query") -> tuple[list[str], list[Row]]:
        body = self._request(self.endpoint, query.encode("utf-8"),
                             {"Content-Type": "application/sparql-query; charset=utf-8",
                              "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
        if body.lstrip().startswith(b"{"):
            data = json.loads(body)
            if "boolean" in data:
                return ["result"], [{"result": bool(data["boolean"])}]
            names = data["head"]["vars"]
            return names, [{n: _value(b.get(n)) for n in names} for b in data["results"]["bindings"]]
        import pyoxigraph as ox

        triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        from sendkg.store import python_value

        return ["subject", "predicate", "object"], [
            {"subject": python_value(t.subject), "predicate": python_value(t.predicate),
             "object": python_value(t.object)} for t in triples]

    def raw(self, query: str, source: str = "query") -> tuple[str, bytes]:
        """As EmbeddedStore.raw: ("results", SPARQL results JSON) or ("triples", N-Triples)."""
        body = self._request(self.endpoint, query.encode("utf-8"),
                             {"Content-Type": "application/sparql-query; charset=utf-8",
                              "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
        return ("results" if body.lstrip().startswith(b"{") else "triples"), body

    def select(self, query: str, params: Mapping | None = None, source: str = "query") -> list[Row]:
        return self.run(bind(query, params or {}), source)[1]

    def construct(self, query: str, params: Mapping | None = None, source: str = "query") -> bytes:
        return self._request(self.endpoint, bind(query, params or {}).encode("utf-8"),
                             {"Content-Type": "application/sparql-query; charset=utf-8",
                              "Accept": "application/n-triples"})

    def dump(self) -> bytes:
        """Every triple the endpoint's default graph (the union of its graphs) holds, as N-Triples."""
        return self._request(self.endpoint, b"CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                             {"Content-Type": "application/sparql-query", "Accept": "application/n-triples"})

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        url = self.graph_store + "?" + urllib.parse.urlencode({"graph": graph})
        self._request(url, ntriples, {"Content-Type": "application/n-triples"}, method="PUT")
