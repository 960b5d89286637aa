"""SHACL-SPARQL constraints, run the fast way.

A SPARQL-based constraint (sh:sparql with sh:select) is defined per focus node; pySHACL runs it once
per node with rdflib, which dominates validation time. Here each constraint of a shape that targets
a class runs once, in Oxigraph, over all the class's focus nodes together: ``$this`` becomes a
variable bound, first thing in the query's WHERE group, to the target's nodes (pre-binding for all
of them at once). Its results are added to the SHACL validation report as a validator would write
them. Core constraints run as queries generated from the shapes (sendkg.shacl_core), or with pySHACL.

A constraint's query may project ``?cite``: the legal source of that one result (for example the
regulation of the time limit a page gets wrong), which then stands in the report as the result's
``dcterms:source`` in place of the shape's own source. Other SHACL validators ignore it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sendkg.store import bind, iri, load_query

SH = "http://www.w3.org/ns/shacl#"
_VAR = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class SparqlResult:
    shape: str
    focus: str
    severity: str  # the sh: IRI
    message: str
    source: str | None = None  # the result's own legal source (a projected ?cite), if any


def constraints(shapes: EmbeddedStore) -> list[dict]:
    return shapes.select(load_query("shape-sparql-constraints"))


TARGET = "?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?targetClass ."


def _query(c: dict) -> str:
    """The constraint's query with $this a variable bound, first thing in its WHERE group, to the
    focus nodes of the shape's target class: pre-binding, for all focus nodes at once."""
    return f"{c['prefixes'] or ''}\n" + c["select"].replace("$this", "?this")


def run(data, shapes, step=None) -> list[SparqlResult]:
    """Run every SPARQL constraint once over all its focus nodes; ``step()`` after each."""
    out = []
    for c in constraints(shapes):
        if step:
            step()
        text = bind(_query(c), {"targetClass": iri(c["class"])}, pattern=TARGET)
        _names, rows = data.run(text, source=f"SPARQL constraint of {c['shape']}")
        for row in rows:
            values = {k: ("" if v is None else str(v)) for k, v in row.items()}
            message = _VAR.sub(lambda m: values.get(m.group(1), ""), c["message"] or "SPARQL constraint")
            out.append(SparqlResult(c["shape"], row["this"], c["severity"] or SH + "Violation", message,
                                    values.get("cite") or None))
    return out


CORE = ("property", "or", "not", "and", "xone", "node", "class", "datatype", "nodeKind", "minCount", "maxCount",
        "pattern", "in", "hasValue")


def strip(shapes_graph):
    """A copy of an rdflib shapes graph without the sh:sparql constraints this module runs; a shape
    left with no constraint loses its target too, so that pySHACL does not visit its nodes."""
    from rdflib import Graph, URIRef

    core = Graph()
    for t in shapes_graph:
        core.add(t)
    sparql, target = URIRef(SH + "sparql"), URIRef(SH + "targetClass")
    for s, _, o in list(core.triples((None, sparql, None))):
        if (s, target, None) in core:
            core.remove((s, sparql, o))
            if not any((s, URIRef(SH + c), None) in core for c in CORE):
                core.remove((s, target, None))
    return core


def add_to_report(report_graph, results: list[SparqlResult]) -> None:
    """Write results into a pySHACL validation report graph, in one pass (and its sh:conforms once:
    SHACL 1.0, 3.6.1, the report conforms only when there is no result at all, of any severity)."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF

    def sh(name):
        return URIRef(SH + name)

    report = next(report_graph.subjects(RDF.type, sh("ValidationReport")))
    kind, focus_p, value_p, severity_p = RDF.type, sh("focusNode"), sh("value"), sh("resultSeverity")
    shape_p, component_p, message_p, result_p = sh("sourceShape"), sh("sourceConstraintComponent"), \
        sh("resultMessage"), sh("result")
    result_c, component = sh("ValidationResult"), sh("SPARQLConstraintComponent")
    source_p = URIRef("http://purl.org/dc/terms/source")
    quads = []
    for r in results:
        node = BNode()
        focus = URIRef(r.focus)
        quads += [(node, kind, result_c, report_graph), (node, focus_p, focus, report_graph),
                  (node, value_p, focus, report_graph), (node, severity_p, URIRef(r.severity), report_graph),
                  (node, shape_p, URIRef(r.shape), report_graph), (node, component_p, component, report_graph),
                  (node, message_p, Literal(r.message), report_graph), (report, result_p, node, report_graph)]
        if r.source:
            quads.append((node, source_p, Literal(r.source), report_graph))
    report_graph.addN(quads)
    if results:
        report_graph.set((report, sh("conforms"), Literal(False)))
