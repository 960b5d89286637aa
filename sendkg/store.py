"""The triple store behind every query.

The embedded default is an in-process Oxigraph store. Queries are the files in ``queries/``;
parameters are bound by a ``VALUES`` block placed at the start of the query's outer ``WHERE``
group, built from RDF terms (never by formatting values into the query text), so the same query
text runs unchanged against any SPARQL 1.1 endpoint.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pyoxigraph as ox

from sendkg.errors import QuerySyntaxError, SendkgError, TurtleSyntaxError
from sendkg.resources import query_path

XSD = "http://www.w3.org/2001/XMLSchema#"
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)

Param = str | int | bool | ox.NamedNode | ox.Literal
Row = dict[str, object]


@lru_cache(maxsize=None)
def load_query(name: str) -> str:
    path = query_path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SendkgError(f"no query named '{name}' in {path.parent}") from None


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _term(value: Param) -> ox.NamedNode | ox.Literal:
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    return ox.Literal(str(value))


def bind(query: str, params: Mapping[str, Param | Sequence[Param]], pattern: str = "") -> str:
    """Return ``query`` with a VALUES block for ``params`` at the start of its outer WHERE group.

    A parameter may be one term or a sequence of terms (one solution each). Terms are written in
    their N-Triples form by the RDF library, so a value can never change the query's structure.
    ``pattern``, fixed text from sendkg's own code (never a user's value), is put there too.
    """
    if not params and not pattern:
        return query
    match = _WHERE.search(query)
    if match is None:
        raise SendkgError("a query with parameters needs a WHERE clause")
    blocks = []
    for name, value in params.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise SendkgError(f"'{name}' is not a SPARQL variable name")
        values = value if isinstance(value, (list, tuple)) else [value]
        terms = " ".join(str(_term(v)) for v in values)
        blocks.append(f"VALUES ?{name} {{ {terms} }}")
    insert = "\n  " + "\n  ".join(blocks + ([pattern] if pattern else [])) + "\n"
    return query[: match.end()] + insert + query[match.end() :]


_INTEGERS = frozenset(XSD + t for t in ("integer", "int", "long", "nonNegativeInteger", "decimal"))


def json_value(b: dict | None) -> object:
    """A cell of SPARQL JSON results as a Python value (the same values as :func:`python_value`)."""
    if b is None:
        return None
    kind, value = b["type"], b["value"]
    if kind == "bnode":
        return "_:" + value
    if kind == "uri":
        return value
    dt = b.get("datatype")
    if dt is None:
        return value
    if dt == XSD + "boolean":
        return value in ("true", "1")
    if dt in _INTEGERS:
        try:
            return int(value)
        except ValueError:
            return value
    return value


def python_value(term) -> object:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        if dt in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger", XSD + "decimal"):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


class EmbeddedStore:
    """An in-memory Oxigraph store loaded from Turtle files."""

    def __init__(self, files: Iterable[Path | str] = ()):
        self._store = ox.Store()
        for f in files:
            self.load_file(f)

    def load_file(self, path: Path | str) -> None:
        path = Path(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise SendkgError(f"{path}: no such file; check the path") from None
        except IsADirectoryError:
            raise SendkgError(f"{path}: is a folder, not a Turtle file") from None
        try:
            self._store.load(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        except SyntaxError as err:
            line, col = getattr(err, "lineno", None), getattr(err, "offset", None)
            msg = str(err.msg if hasattr(err, "msg") else err)
            msg = re.sub(r"^Parser error at line \d+ (column \d+|between columns \d+ and \d+): ", "", msg)
            msg = re.sub(r" \(line \d+\)$", "", msg)
            where = f"{path}:{line}:{col}" if line else str(path)
            raise TurtleSyntaxError(f"{where}: not valid Turtle: {msg}; fix the file and run again") from None

    def add(self, quads) -> None:
        """Add quads (e.g. claims read from a page) to the store."""
        self._store.extend(quads)

    def __len__(self) -> int:
        return len(self._store)

    def select(self, query: str, params: Mapping | None = None, source: str = "query") -> list[Row]:
        """Run a query with bound parameters; return its rows as dicts of Python values."""
        return self.run(bind(query, params or {}), source)[1]

    def run(self, query: str, source: str = "query") -> tuple[list[str], list[Row]]:
        """Run a query as written; return its variable names and rows (ASK gives ``result``)."""
        try:
            result = self._store.query(query)
        except SyntaxError as err:
            where = str(err).replace("error at ", "error at line:column ")
            raise QuerySyntaxError(f"{source}: SPARQL syntax {where}; fix the query") from None
        if isinstance(result, ox.QueryBoolean):
            return ["result"], [{"result": bool(result)}]
        if isinstance(result, ox.QueryTriples):
            rows = [{"subject": python_value(t.subject), "predicate": python_value(t.predicate),
                     "object": python_value(t.object)} for t in result]
            return ["subject", "predicate", "object"], rows
        # Serialising to SPARQL JSON and parsing it is faster than reading each term over the
        # binding (measured: about 30% less time per row), and gives the same values as a server.
        data = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
        names = data["head"]["vars"]
        return names, [{n: json_value(b.get(n)) for n in names} for b in data["results"]["bindings"]]

    def raw(self, query: str, source: str = "query") -> tuple[str, bytes]:
        """Run a user's query as written; return ("results", SPARQL 1.1 results JSON) for SELECT and
        ASK, or ("triples", N-Triples) for CONSTRUCT and DESCRIBE: the standard forms, every term typed."""
        try:
            result = self._store.query(query)
        except SyntaxError as err:
            where = str(err).replace("error at ", "error at line:column ")
            raise QuerySyntaxError(f"{source}: SPARQL syntax {where}; fix the query") from None
        if isinstance(result, ox.QueryTriples):
            return "triples", ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        return "results", result.serialize(format=ox.QueryResultsFormat.JSON)

    def construct(self, query: str, params: Mapping | None = None, source: str = "query") -> bytes:
        """Run a CONSTRUCT query with bound parameters; return the triples as N-Triples."""
        try:
            result = self._store.query(bind(query, params or {}))
        except SyntaxError as err:
            raise QuerySyntaxError(f"{source}: SPARQL syntax {err}") from None
        return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)

    def dump(self, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes:
        return self._store.dump(format=fmt, from_graph=ox.DefaultGraph())
