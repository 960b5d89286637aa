"""Authority content: which authorities sendkg knows, and checking their content against the law.

Each authority is one Turtle file (``offers/`` ships the seeds; a researcher adds one by writing a
file). ``check`` validates the chosen authorities with the shapes in ``shapes/authority.ttl``
against the statutory model, and places every finding at its authority, document and line.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sendkg.errors import SendkgError, UnknownIdentifier
from sendkg.resources import model_files, resource_dir
from sendkg.store import EmbeddedStore, iri, load_query

SEVERITIES = ["violation", "warning", "info"]
SH = "http://www.w3.org/ns/shacl#"


@dataclass
class AuthorityFile:
    id: str
    name: str
    path: Path
    gss: str | None
    identified: bool


def read_authority_file(path: Path) -> list[AuthorityFile]:
    store = EmbeddedStore([path])
    rows = store.select(load_query("authority-identity"))
    if not rows:
        raise SendkgError(f"{path}: no authority in this file: add a skg:Authority with dcterms:identifier, "
                          "rdfs:label and skg:gssCode (see 'Adding an authority' in the README)")
    out = []
    for r in rows:
        if not r["id"] or not r["name"]:
            missing = " and ".join(x for x, v in (("dcterms:identifier", r["id"]), ("rdfs:label", r["name"])) if not v)
            raise SendkgError(f"{path}: the authority {r['authority']} has no {missing}; add it")
        out.append(AuthorityFile(r["id"], r["name"], path, r["gss"], r["identified"] is not False))
    return out


def known_authorities() -> dict[str, AuthorityFile]:
    found: dict[str, AuthorityFile] = {}
    for path in sorted(resource_dir("offers").glob("*.ttl")):
        for a in read_authority_file(path):
            found[a.id] = a
    return found


def remote_authorities(remote) -> dict[str, AuthorityFile]:
    """The authorities a SPARQL endpoint holds (published with `sendkg load`)."""
    return {r["id"]: AuthorityFile(r["id"], r["name"], None, r["gss"], r["identified"] is not False)
            for r in remote.select(load_query("authority-identity")) if r["id"] and r["name"]}


def resolve(args: Iterable[str], remote=None) -> list[AuthorityFile]:
    """Authority identifiers or Turtle files -> the authorities to check (all known ones if none).
    With ``remote`` (a SPARQL endpoint), the authorities are those the endpoint holds."""
    args = list(args)
    known = remote_authorities(remote) if remote is not None else known_authorities()
    if not args:
        return list(known.values())
    chosen: dict[str, AuthorityFile] = {}
    for arg in args:
        path = Path(arg)
        if arg.endswith((".ttl", ".turtle")) or path.is_file():
            if remote is not None:
                raise SendkgError(f"{arg}: with --endpoint, publish the file first with 'sendkg load', "
                                  "then name its authority")
            if not path.is_file():
                raise SendkgError(f"{arg}: no such file; check the path")
            for a in read_authority_file(path):
                chosen[a.id] = a
        elif arg in known:
            chosen[arg] = known[arg]
        else:
            near = difflib.get_close_matches(arg, list(known), n=3, cutoff=0.4)
            hint = f"did you mean {', '.join(near)}?" if near else f"known: {', '.join(sorted(known))}"
            raise UnknownIdentifier(f"unknown authority '{arg}': {hint} (or give a Turtle file)")
    return list(chosen.values())


@dataclass
class Finding:
    severity: str
    code: str
    message: str
    source: str
    document: str | None
    line: int | None
    focus: str
    column: int | None = None


@dataclass
class AuthorityReport:
    id: str
    name: str
    gss: str | None
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)


@dataclass
class CheckReport:
    authorities: list[AuthorityReport]
    graph: object  # the SHACL validation report, as an rdflib graph
    as_of: str | None = None  # the day the content was checked as of

    @property
    def turtle(self) -> str:
        """The SHACL validation report as Turtle (serialized only when asked for: it is slow)."""
        return self.graph.serialize(format="turtle")

    def as_json(self) -> dict:
        return {"as_of": self.as_of, "authorities": [
            {"id": a.id, "name": a.name, "gss_code": a.gss,
             "findings": [{k: getattr(f, k) for k in ("severity", "code", "message", "source", "document", "line")}
                          for f in a.findings]}
            for a in self.authorities]}

    def worst(self) -> int:
        """The index in SEVERITIES of the most severe finding (len(SEVERITIES) when none)."""
        levels = [SEVERITIES.index(f.severity) for a in self.authorities for f in a.findings]
        return min(levels, default=len(SEVERITIES))


def validate_content(files: list[Path], extra=(), base: list[Path] | None = None,
                     progress=None) -> tuple[dict[str, list[Finding]], object]:
    """Validate authority content (files, plus extra quads such as claims read from a page or the
    contents of an endpoint) with shapes/authority.ttl against the statutory model (``base``: the
    model files, or none when ``extra`` already holds the model). Returns findings by authority
    identifier, and the SHACL validation report (an rdflib graph). ``progress(done, total)`` is
    called as files are read and checks run, for a progress bar."""
    from pyshacl import validate
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF

    from sendkg import shacl_sparql

    shapes_path = resource_dir("shapes") / "authority.ttl"
    shapes_store = EmbeddedStore([shapes_path])
    inputs = [*(model_files() if base is None else base), *files]
    total = len(inputs) + len(shacl_sparql.constraints(shapes_store)) + 2
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    store = EmbeddedStore()
    for f in inputs:
        store.load_file(f)
        step()
    store.add(extra)
    shapes = Graph().parse(shapes_path, format="turtle")
    # pySHACL needs only the nodes its core shapes target, with their own triples
    classes = [iri(r["class"]) for r in shapes_store.select(load_query("core-targets"))]
    core = store.construct(load_query("focus-triples"), {"class": classes}) if classes else b""
    data = Graph().parse(data=core.decode("utf-8"), format="nt")
    # core constraints with pySHACL; SPARQL constraints once each, over all focus nodes, in Oxigraph
    _conforms, results, _ = validate(data, shacl_graph=shacl_sparql.strip(shapes), inference="none",
                                     advanced=True, allow_warnings=True, allow_infos=True)
    step()
    shacl_sparql.add_to_report(results, shacl_sparql.run(store, shapes_store, step))
    # the codes and sources of the checks, from the shapes and the model's citation labels
    for f in model_files():
        shapes_store.load_file(f)
    codes = {r["shape"]: (r["code"], r["source"] or "") for r in shapes_store.select(load_query("check-codes"))}
    where = {}
    for r in store.select(load_query("finding-context")):
        where.setdefault(r["node"], r)
    ids = {r["authority"]: r["id"] for r in store.select(load_query("authority-identity"))}
    sh = Namespace(SH)
    out: dict[str, list[Finding]] = {}
    for res in results.subjects(RDF.type, sh.ValidationResult):
        focus = str(results.value(res, sh.focusNode))
        shape = results.value(res, sh.sourceShape)
        if not isinstance(shape, URIRef):  # a property shape: the check is the node shape holding it
            shape = next(shapes.subjects(sh.property, shape), shape)
        code, source = codes.get(str(shape), ("shape", ""))
        source = str(results.value(res, DCTERMS.source) or source)  # the result's own source, if it has one
        ctx = where.get(focus, {})
        severity = str(results.value(res, sh.resultSeverity)).rsplit("#", 1)[-1].lower()
        out.setdefault(ids.get(ctx.get("authority")), []).append(Finding(
            severity=severity, code=code, message=str(results.value(res, sh.resultMessage) or ""),
            source=source, document=ctx.get("file"), line=ctx.get("line"), focus=focus,
            column=ctx.get("column")))
    for found in out.values():
        found.sort(key=lambda f: (SEVERITIES.index(f.severity), f.document or "", f.line or 0, f.code))
    step()
    return out, results


def as_of_quads(day) -> list:
    """The statement that content is checked as of ``day`` (skg:asOf), for the shapes to read."""
    import pyoxigraph as ox

    from sendkg.model import date_literal

    return [ox.Quad(ox.NamedNode("https://w3id.org/sendkg/id/reading"),
                    ox.NamedNode("https://w3id.org/sendkg/def#asOf"), date_literal(day))]


def check(authorities: list[AuthorityFile], remote=None, progress=None, as_of=None) -> CheckReport:
    """Check the authorities' content as of ``as_of`` (a date; default today)."""
    from sendkg.model import today

    day = as_of or today()
    if remote is not None:  # validate what the endpoint holds (model and authorities), here
        import pyoxigraph as ox

        quads = [ox.Quad(t.subject, t.predicate, t.object)
                 for t in ox.parse(remote.dump(), format=ox.RdfFormat.N_TRIPLES)]
        found, graph = validate_content([], quads + as_of_quads(day), base=[], progress=progress)
    else:
        found, graph = validate_content(sorted({a.path for a in authorities}), as_of_quads(day), progress=progress)
    reports = [AuthorityReport(a.id, a.name, a.gss, found.get(a.id, [])) for a in authorities]
    return CheckReport(sorted(reports, key=lambda r: r.id), graph, day.isoformat())


def render_text(report: CheckReport) -> str:
    lines = []
    for a in report.authorities:
        counts = ", ".join(f"{a.count(s)} {s}{'s' if a.count(s) != 1 else ''}" for s in SEVERITIES)
        lines.append(f"{a.name} [{a.id}]{' ' + a.gss if a.gss else ''}: {counts}")
        for f in a.findings:
            where = f"{f.document}:{f.line}" if f.document and f.line else (f.document or "-")
            lines.append(f"  {f.severity:<9} {f.code:<28} {where}")
            lines.append(f"      {f.message}" + (f" [{f.source}]" if f.source else ""))
        lines.append("")
    total = {s: sum(a.count(s) for a in report.authorities) for s in SEVERITIES}
    lines.append(f"{len(report.authorities)} authorit{'y' if len(report.authorities) == 1 else 'ies'} checked"
                 + (f" as of {report.as_of}" if report.as_of else "") + ": "
                 + ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in total.items()))
    return "\n".join(lines)
