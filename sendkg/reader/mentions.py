"""What a page names: the routes it describes (skg:RouteClaim, each route once per page), the
conditions it mentions, its SENDIASS and the providers it names."""

from __future__ import annotations

import pyoxigraph as ox

from sendkg.reader.page import RDF_TYPE, RDFS_LABEL, skg
from sendkg.reader.paragraphs import Para


def routes(ex, p: Para, seen: set[str]) -> None:
    for start, _end, phrase, nodes in ex.v.find("route", p.text):
        for node in sorted(nodes - seen):
            seen.add(node)
            c = ex.claim("RouteClaim", p, start, phrase)
            ex.add(c, skg("describes"), ox.NamedNode(node))


def conditions(ex, p: Para) -> None:
    for start, _end, phrase, nodes in ex.v.find("condition", p.text):
        for node in nodes:
            c = ex.claim("ExceptionClaim", p, start, phrase)
            ex.add(c, skg("mentionsCondition"), ox.NamedNode(node))


def services(ex, p: Para, authority, providers: set[str]) -> None:
    """The authority's SENDIASS (the first name of it on the page) and the providers the page names."""
    for _start, _end, phrase, _nodes in ex.v.find("sendiass", p.text):
        if not any(q.predicate == skg("sendiass") for q in ex.quads):
            service = ox.NamedNode(ex.base + "sendiass")
            ex.add(authority, skg("sendiass"), service)
            ex.add(service, RDF_TYPE, skg("Service"))
            ex.add(service, RDFS_LABEL, ox.Literal(phrase))
    for _start, _end, _phrase, nodes in ex.v.find("provider", p.text):
        for node in nodes - providers:
            providers.add(node)
            ex.add(ex.doc, skg("namesProvider"), ox.NamedNode(node))
