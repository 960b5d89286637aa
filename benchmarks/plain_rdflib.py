"""The plain-library way of answering `sendkg routes DECISION`: rdflib parses the same Turtle and
runs the same query files with initBindings. Used by run.py as the baseline; imports no sendkg code."""

import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef

root = Path(sys.argv[1])
decision_id = sys.argv[2]
g = Graph()
for f in sorted((root / "ontology").rglob("*.ttl")):
    g.parse(f, format="turtle")


def q(name, **bindings):
    return list(g.query((root / "queries" / f"{name}.rq").read_text(), initBindings=bindings))


d = q("decision", id=Literal(decision_id))[0][0]
routes = q("routes-for-decision", decision=d)
q("orderings", decision=d)
q("concurrencies", decision=d)
for r in {row[0] for row in routes}:
    q("route-parties", route=URIRef(r))
    q("time-limits", route=URIRef(r))
    q("sources", subject=URIRef(r))
print(len(routes))
