"""RDF terms for a query's parameters, without the RDF library (issue 21 item 5).

The model's questions bind IRIs and dates. Made with these, a question answered from the cache of
answers (:mod:`sendkg.modelcache`) never imports pyoxigraph: :func:`key` writes the parameters as
plain text for the cache's key, and :func:`sendkg.store.bind` turns them into pyoxigraph's terms (which
write the query's VALUES) only when the query is run.
"""

from __future__ import annotations

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


class IRI:
    """An IRI to bind (pyoxigraph's ``NamedNode`` when the query runs)."""

    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value

    def __repr__(self) -> str:
        return f"IRI({self.value!r})"

    def __eq__(self, other) -> bool:
        return type(other) is IRI and other.value == self.value

    def __hash__(self) -> int:
        return hash(("IRI", self.value))


class Literal:
    """A typed literal to bind (pyoxigraph's ``Literal`` when the query runs)."""

    __slots__ = ("value", "datatype")

    def __init__(self, value: str, datatype: str):
        self.value, self.datatype = value, datatype

    def __repr__(self) -> str:
        return f"Literal({self.value!r}, {self.datatype!r})"

    def __eq__(self, other) -> bool:
        return type(other) is Literal and (other.value, other.datatype) == (self.value, self.datatype)

    def __hash__(self) -> int:
        return hash(("Literal", self.value, self.datatype))


def iri(value: str) -> IRI:
    return IRI(value)


def date_value(day) -> Literal:
    """An ``xsd:date`` literal of a ``datetime.date``."""
    return Literal(day.isoformat(), XSD_DATE)


def _key(value) -> tuple:
    if type(value) is IRI:
        return ("I", value.value)
    if type(value) is Literal:
        return ("L", value.value, value.datatype)
    if isinstance(value, bool):
        return ("B", value)
    if isinstance(value, int):
        return ("N", value)
    if isinstance(value, str):
        return ("S", value)
    return ("T", type(value).__name__, str(value))  # the RDF library's own term: its N-Triples form


def key(params) -> str:
    """The parameters as plain text, one text for one binding (never the same for two)."""
    return repr([(name, [_key(v) for v in value] if isinstance(value, (list, tuple)) else _key(value))
                 for name, value in params.items()])
