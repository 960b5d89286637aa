"""N-Triples from the embedded store into an rdflib graph, parsed by Oxigraph.

rdflib's own N-Triples parser reads each line with a regular expression that is quadratic in the
line's length: one 1,000,000-character literal took 7 s. Oxigraph parses in time proportional to
the size, and the terms are handed to rdflib as they are.
"""

from __future__ import annotations


def rdflib_graph(ntriples: bytes):
    """An rdflib Graph holding the triples of ``ntriples`` (N-Triples bytes)."""
    import pyoxigraph as ox
    from rdflib import BNode, Graph, Literal, URIRef

    string = "http://www.w3.org/2001/XMLSchema#string"
    lang_string = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
    nodes: dict = {}

    def term(t):
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            b = nodes.get(t.value)
            if b is None:
                b = nodes[t.value] = BNode(t.value)
            return b
        dt = t.datatype.value
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=None if dt in (string, lang_string) else URIRef(dt))

    g = Graph()
    g.addN((term(t.subject), term(t.predicate), term(t.object), g)
           for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    return g
