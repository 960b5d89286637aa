"""SHACL validation of the model (plus extension files) with pySHACL.

The validator is apart from the command line: :func:`validate` returns a :class:`Report` that
renders as text, JSON or the Turtle validation report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sendkg.resources import model_files, shape_files

SH = "http://www.w3.org/ns/shacl#"


@dataclass
class Finding:
    severity: str
    focus: str
    path: str | None
    message: str
    shape: str | None
    value: str | None = None


@dataclass
class Report:
    conforms: bool
    findings: list[Finding] = field(default_factory=list)
    turtle: str = ""

    def as_json(self) -> dict:
        return {"conforms": self.conforms, "results": [f.__dict__ for f in self.findings]}


def load_graph(files: Iterable[Path]):
    """Parse Turtle files into one rdflib graph."""
    from rdflib import Graph

    g = Graph()
    for f in files:
        g.parse(str(f), format="turtle")
    return g


def validate(extra_files: Iterable[Path | str] = (), ntriples: bytes | None = None) -> Report:
    """Validate the model plus ``extra_files`` (or, if given, the data as N-Triples) against the shapes.

    The Turtle is parsed once, by the embedded store, which reports syntax errors with line and
    column; pySHACL gets its N-Triples dump.
    """
    from pyshacl import validate as shacl
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import RDF

    if ntriples is None:
        from sendkg.store import EmbeddedStore

        ntriples = EmbeddedStore([*model_files(), *map(Path, extra_files)]).dump()
    data = Graph().parse(data=ntriples.decode("utf-8"), format="nt")
    shapes = load_graph(shape_files())
    conforms, results, _text = shacl(data, shacl_graph=shapes, inference="none", advanced=True,
                                     allow_warnings=True)
    sh = Namespace(SH)
    findings = []
    for r in results.subjects(RDF.type, sh.ValidationResult):
        def one(p):
            v = results.value(r, p)
            return None if v is None else str(v)
        sev = one(sh.resultSeverity) or SH + "Violation"
        findings.append(Finding(severity=sev.rsplit("#", 1)[-1].lower(), focus=one(sh.focusNode),
                                path=one(sh.resultPath) if isinstance(results.value(r, sh.resultPath), URIRef) else None,
                                message=one(sh.resultMessage) or "", shape=one(sh.sourceShape),
                                value=one(sh.value)))
    findings.sort(key=lambda f: (f.focus or "", f.path or "", f.message))
    return Report(conforms=bool(conforms), findings=findings, turtle=results.serialize(format="turtle"))


def render_text(report: Report) -> str:
    lines = [f"SHACL: {'conforms' if report.conforms else 'does not conform'}"
             f" ({len(report.findings)} result{'s' if len(report.findings) != 1 else ''})"]
    for f in report.findings:
        where = f.focus + (f" {f.path}" if f.path else "")
        lines.append(f"  {f.severity}: {where}: {f.message}")
    return "\n".join(lines)
