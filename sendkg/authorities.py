"""Authority content: which authorities sendkg knows, and checking their content against the law.

Each authority is one Turtle file (``offers/`` ships the seeds; a researcher keeps others in folders
of their own, given with ``--offers DIR`` or SENDKG_OFFERS, and writes one with ``sendkg extract
--new-authority``). ``check`` validates the chosen authorities with the shapes in ``shapes/authority.ttl``
against the statutory model, and places every finding at its authority, document and line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sendkg.errors import SendkgError, UnknownIdentifier
from sendkg.findings import SEVERITIES, Finding  # noqa: F401 (Finding: imported from here by older code)
from sendkg.resources import model_files, offer_files, resource_dir
from sendkg.store import EmbeddedStore, iri, load_query

SH = "http://www.w3.org/ns/shacl#"
SKG = "https://w3id.org/sendkg/def#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class AuthorityFile:
    id: str
    name: str
    path: Path
    gss: str | None
    identified: bool
    # the files read with this one, parsed once, in one store (kept for `check`: see read_authority_files)
    read: "ReadFiles | None" = field(default=None, repr=False, compare=False)


class ReadFiles:
    """Authority files read together, each parsed once: their statements in one store, for the check
    that follows to use (once) instead of parsing the files again."""

    def __init__(self, store: EmbeddedStore, paths: list[Path]):
        self._store, self.paths = store, frozenset(paths)

    def take(self) -> EmbeddedStore | None:
        """The store (to add the model to and check), or None when it was taken already."""
        store, self._store = self._store, None
        return store


def read_authority_file(path: Path) -> list[AuthorityFile]:
    (found,) = read_authority_files([path])
    if isinstance(found, SendkgError):
        raise found
    return found


def read_authority_files(paths: list[Path], keep: bool = False) -> list[list[AuthorityFile] | SendkgError]:
    """Read authority files: for each, its authorities, or the one-line error that refuses it (not
    Turtle; an identifier twice or two dates for one event, at its file and line; no authority, or one
    without an identifier or name). Each file is parsed once; its statements go into one store for all
    the files, and the statements about its own authorities (the subjects it types skg:Authority) into
    a small store of its own, where queries/authority-identity.rq reads what the file itself says.
    The checks of one file (check_extension) run once over all the files together: they find whatever
    a file alone would, and only when they find something (or a statement could hide a duplicate in
    another file) is each file checked alone, for its own line. With ``keep``, each authority keeps the
    store of all the files (``read``) for the check."""
    import pyoxigraph as ox

    from sendkg.validate import check_extension

    out: list = [None] * len(paths)
    parsed: dict[int, list] = {}
    store = EmbeddedStore()
    for i, path in enumerate(paths):
        try:
            parsed[i] = EmbeddedStore.parse_file(path)
        except SendkgError as err:
            out[i] = err
            continue
        store.add(parsed[i])
    try:
        if parsed and store.run(load_query("extension-exclusions"))[1][0]["result"]:
            raise SendkgError("each file alone")
        check_extension(store, [paths[i] for i in parsed])
    except SendkgError:
        for i in list(parsed):
            alone = EmbeddedStore()
            alone.add(parsed[i])
            try:
                check_extension(alone, [paths[i]])
            except SendkgError as err:
                out[i] = err
                del parsed[i]
        store = EmbeddedStore()
        for quads in parsed.values():
            store.add(quads)
    read = ReadFiles(store, [paths[i] for i in parsed]) if keep else None
    # each file's statements about the subjects it types skg:Authority, in a graph of its own
    kind, authority = ox.NamedNode(RDF_TYPE), ox.NamedNode(SKG + "Authority")
    own = EmbeddedStore()
    for i, quads in parsed.items():
        typed = {q.subject for q in quads if q.predicate == kind and q.object == authority}
        graph = ox.NamedNode(f"urn:sendkg:file:{i}")
        own.add(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads if q.subject in typed)
    rows_of: dict[int, list] = {i: [] for i in parsed}
    for r in own.select(load_query("authority-identity-by-file")):
        rows_of[int(r["file"].rsplit(":", 1)[1])].append(r)
    for i, rows in rows_of.items():
        path = paths[i]
        if not rows:
            out[i] = SendkgError(f"{path}: no authority in this file: add a skg:Authority with dcterms:identifier, "
                                 "rdfs:label and skg:gssCode, or write the file with "
                                 "'sendkg extract PAGE --new-authority ID --name NAME --gss CODE'")
            continue
        found = []
        for r in rows:
            if not r["id"] or not r["name"]:
                missing = " and ".join(x for x, v in (("dcterms:identifier", r["id"]), ("rdfs:label", r["name"])) if not v)
                found = SendkgError(f"{path}: the authority {r['authority']} has no {missing}; add it")
                break
            found.append(AuthorityFile(r["id"], r["name"], path, r["gss"], r["identified"] is not False, read))
        out[i] = found
    return out


def known_authorities(keep: bool = False) -> dict[str, AuthorityFile]:
    """The seeds and the authorities in the user's folders (--offers, SENDKG_OFFERS). Two files that
    describe the same authority identifier are an error: which one is meant cannot be guessed. With
    ``keep``, each keeps its file's statements (see :func:`read_authority_files`)."""
    found: dict[str, AuthorityFile] = {}
    paths = offer_files()
    for path, read in zip(paths, read_authority_files(paths, keep)):
        if isinstance(read, SendkgError):
            raise read
        for a in read:
            if a.id in found and found[a.id].path != path:
                raise SendkgError(f"{path}: the authority '{a.id}' is also in {found[a.id].path}; "
                                  "give each authority one file (rename the identifier or remove a copy)")
            found[a.id] = a
    return found


def remote_authorities(remote) -> dict[str, AuthorityFile]:
    """The authorities a SPARQL endpoint holds (published with `sendkg load`)."""
    return {r["id"]: AuthorityFile(r["id"], r["name"], None, r["gss"], r["identified"] is not False)
            for r in remote.select(load_query("authority-identity")) if r["id"] and r["name"]}


def split_data(data_files: Iterable[Path | str]) -> tuple[dict[str, AuthorityFile], list[Path]]:
    """``--data`` files: those that describe an authority (its content, to check and compare) and
    the others (extensions of the model)."""
    authorities: dict[str, AuthorityFile] = {}
    extensions: list[Path] = []
    for f in map(Path, data_files):
        if not f.is_file():
            raise SendkgError(f"--data {f}: no such file; check the path")
        rows = EmbeddedStore([f]).select(load_query("authority-identity"))
        if rows:
            for a in read_authority_file(f):
                authorities[a.id] = a
        else:
            extensions.append(f)
    return authorities, extensions


def resolve(args: Iterable[str], remote=None, errors: list[str] | None = None, data=(),
            keep: bool = False) -> list[AuthorityFile]:
    """Authority identifiers, Turtle files, folders (searched for .ttl files), globs or ``-`` -> the
    authorities to check (all known ones if none). With ``remote`` (a SPARQL endpoint), the
    authorities are those the endpoint holds. With ``errors`` (a list), an argument that cannot be
    read or is unknown adds one line to it and the others are still resolved; without, it raises.
    Authorities in ``data`` (the --data files) are known too. With ``keep``, each authority read from
    a file keeps the file's statements, for `check` to use without parsing the file again."""
    import os

    from sendkg.inputs import STDIN, expand, show

    args = list(args)
    known = remote_authorities(remote) if remote is not None else known_authorities(keep)
    known.update(split_data(data)[0])
    if not args:
        return list(known.values())
    chosen: dict[str, AuthorityFile] = {}

    def fail(err: SendkgError) -> None:
        if errors is None:
            raise err
        errors.append(str(err))

    # what each argument is, in order; the files are then read together, each parsed once
    plan: list[tuple[str, object]] = []
    for arg in args:
        try:
            is_file_like = (arg == STDIN or arg.endswith((".ttl", ".turtle")) or "/" in arg or os.sep in arg
                            or os.path.lexists(arg) or any(c in arg for c in "*?["))
        except (ValueError, OSError):
            is_file_like = True
        if arg in known and not os.path.lexists(arg):
            plan.append(("known", arg))
        elif is_file_like:
            if remote is not None:
                plan.append(("fail", SendkgError(f"{show(arg)}: with --endpoint, publish the file first with "
                                                 "'sendkg load', then name its authority")))
                continue
            paths, problems = expand([arg], (".ttl", ".turtle"))
            plan += [("fail", SendkgError(problem)) for problem in problems]
            plan += [("file", Path(p)) for p in paths]
        else:
            near = difflib.get_close_matches(arg, list(known), n=3, cutoff=0.4)
            hint = f"did you mean {', '.join(near)}?" if near else f"known: {', '.join(sorted(known))}"
            plan.append(("fail", UnknownIdentifier(f"unknown authority '{show(arg)[:200]}': {hint} "
                                                   "(or give a Turtle file)")))
    files = [p for kind, p in plan if kind == "file"]
    read = iter(read_authority_files(files, keep) if files else [])
    for kind, value in plan:
        if kind == "known":
            chosen[value] = known[value]
        elif kind == "fail":
            fail(value)
        else:
            try:
                found = next(read)
                if isinstance(found, SendkgError):
                    raise found
                for a in found:
                    if a.id in chosen and chosen[a.id].path != a.path:
                        raise SendkgError(f"{show(value)}: the authority identifier '{a.id}' is also used by "
                                          f"{show(chosen[a.id].path)}; give each authority its own identifier")
                    chosen[a.id] = a
            except SendkgError as err:
                fail(err)
    return list(chosen.values())


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
             "findings": [{k: getattr(f, k) for k in ("severity", "code", "message", "source", "document", "line", "column")}
                          for f in a.findings]}
            for a in self.authorities]}

    def worst(self) -> int:
        """The index in SEVERITIES of the most severe finding (len(SEVERITIES) when none)."""
        levels = [SEVERITIES.index(f.severity) for a in self.authorities for f in a.findings]
        return min(levels, default=len(SEVERITIES))


def validate_content(files: list[Path], extra=(), base: list[Path] | None = None,
                     progress=None, content: tuple | None = None) -> tuple[dict[str, list[Finding]], object]:
    """Validate authority content (files, plus extra quads such as claims read from a page or the
    contents of an endpoint) with shapes/authority.ttl against the statutory model (``base``: the
    model files, or none when ``extra`` already holds the model). Returns findings by authority
    identifier, and the SHACL validation report (a ShaclReport: the rdflib graph is built only when
    asked for). ``progress(done, total)`` is
    called as files are read and checks run, for a progress bar. ``content``, (store, paths): a store
    holding some of ``files`` already (read_authority_files with ``keep``), which are not parsed again."""
    from sendkg import shacl_sparql

    shapes_path = resource_dir("shapes") / "authority.ttl"
    shapes_store = EmbeddedStore([shapes_path])
    store, held = content or (EmbeddedStore(), frozenset())
    inputs = [*(model_files() if base is None else base), *(f for f in files if f not in held)]
    total = len(inputs) + len(shacl_sparql.constraints(shapes_store)) + 2
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    for f in inputs:
        store.load_file(f)
        step()
    store.add(extra)
    # core constraints: as SPARQL queries generated from the shapes, in Oxigraph (shacl_core); those
    # shapes it does not cover, or whose values rdflib would read otherwise this time, with pySHACL
    from sendkg import shacl_core

    plans, left = shacl_core.plans(shapes_store)
    rows = []  # (focus, shape, severity IRI, message, the result's own source)
    for plan in plans:
        found = shacl_core.run(store, plan)
        if found is None:
            left.append(plan.node_shape)
            continue
        rows += [(_value(r.focus), r.node_shape, r.severity, r.message.value, None) for r in found]
    if left is None or left:
        rows += _pyshacl_rows(store, shapes_path, shapes_store, None if left is None else [n.value for n in left])
    step()
    sparql = shacl_sparql.run(store, shapes_store, step)
    # the codes and sources of the checks, from the shapes and the model's citation labels
    for f in model_files():
        shapes_store.load_file(f)
    codes = {r["shape"]: (r["code"], r["source"] or "") for r in shapes_store.select(load_query("check-codes"))}
    # where each result's focus node stands (only those nodes, given as ?node, when all are IRIs)
    rows += [(r.focus, r.shape, r.severity, r.message, r.source) for r in sparql]
    foci = _iris(sorted({focus for focus, *_ in rows}))
    where = {}
    for r in store.select(load_query("finding-context"), {"node": foci} if foci else None):
        where.setdefault(r["node"], r)
    ids = {r["authority"]: r["id"] for r in store.select(load_query("authority-identity"))}
    # (the SPARQL constraints' many results straight from their rows, issue 21: no report graph is
    # written only to be read back; it is written when asked for, ShaclReport)
    out: dict[str, list[Finding]] = {}
    for focus, shape, severity, message, own in rows:
        code, source = codes.get(shape, ("shape", ""))
        source = own or source  # the result's own source, if it has one
        ctx = where.get(focus, {})
        if code == "unknown-identifier":
            message = _with_nearest(message, store)
        out.setdefault(ids.get(ctx.get("authority")), []).append(Finding(
            severity=severity.rsplit("#", 1)[-1].lower(), code=code, message=message,
            source=source, document=_text(ctx.get("file")), focus=focus,
            # a finding about a whole page stands at its start, 1:1, as lint places it
            line=_position(ctx.get("line")) or (1 if ctx.get("file") else None),
            column=_position(ctx.get("column")) or (1 if ctx.get("file") else None)))
    for found in out.values():
        found.sort(key=lambda f: (SEVERITIES.index(f.severity), f.document or "", f.line or 0, f.code, f.column or 0,
                                  f.message, f.source or "", f.focus))
    step()
    return out, ShaclReport(lambda: _pyshacl_core(store, shapes_path, shapes_store, None)[0], sparql)


def _iris(names: list[str]) -> list | None:
    """The names as IRIs, or None when there is none or one is not an IRI (a blank node's label)."""
    try:
        return [iri(n) for n in names] or None
    except ValueError:
        return None


def _value(term) -> str:
    """A term as pySHACL's results name it (str of the rdflib term: an IRI, a blank node's label)."""
    return term.value if hasattr(term, "value") else str(term)


def _pyshacl_core(store, shapes_path: Path, shapes_store, only: list[str] | None):
    """pySHACL's report of the core constraints of the shapes (``only``: of these node shapes, given
    their own targets; the others' left out), over the nodes they target with their own triples; and
    the rdflib shapes graph."""
    from pyshacl import validate
    from rdflib import Graph, URIRef

    from sendkg import shacl_sparql
    from sendkg.rdfconv import rdflib_graph

    shapes = shacl_sparql.strip(Graph().parse(shapes_path, format="turtle"))
    if only is not None:
        target = URIRef(SH + "targetClass")
        for s, _, o in list(shapes.triples((None, target, None))):
            if str(s) not in only:
                shapes.remove((s, target, o))
    # pySHACL needs only the nodes its core shapes target, with their own triples
    classes = [iri(r["class"]) for r in shapes_store.select(load_query("core-targets"))]
    core = store.construct(load_query("focus-triples"), {"class": classes}) if classes else b""
    data = rdflib_graph(core)
    _conforms, results, _ = validate(data, shacl_graph=shapes, inference="none",
                                     advanced=True, allow_warnings=True, allow_infos=True)
    return results, shapes


def _pyshacl_rows(store, shapes_path: Path, shapes_store, only: list[str] | None) -> list[tuple]:
    """(focus, shape, severity IRI, message, own source) of pySHACL's results for the node shapes
    ``only`` (those shacl_core does not run)."""
    from rdflib import Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF

    results, shapes = _pyshacl_core(store, shapes_path, shapes_store, only)
    sh = Namespace(SH)
    rows = []
    for res in results.subjects(RDF.type, sh.ValidationResult):
        shape = results.value(res, sh.sourceShape)
        if not isinstance(shape, URIRef):  # a property shape: the check is the node shape holding it
            shape = next(shapes.subjects(sh.property, shape), shape)
        own = results.value(res, DCTERMS.source)
        rows.append((str(results.value(res, sh.focusNode)), str(shape), str(results.value(res, sh.resultSeverity)),
                     str(results.value(res, sh.resultMessage) or ""), None if own is None else str(own)))
    return rows


class ShaclReport:
    """The W3C SHACL validation report of a check, written only when it is asked for: pySHACL's report
    of the core constraints (made then: the findings come from shacl_core's queries, which
    tests/test_shacl_core.py holds to pySHACL's results), with the SPARQL constraints' results added
    in one pass (a result and its triples each, then sh:conforms once: SHACL 1.0, 3.6.1, false
    whenever there is any result)."""

    def __init__(self, core, sparql: list):
        self._core = core  # a function that makes pySHACL's report of the core constraints
        self._sparql = sparql
        self._graph = None

    @property
    def graph(self):
        """The report as an rdflib graph (built on first use)."""
        if self._graph is None:
            from rdflib import Literal, URIRef
            from rdflib.namespace import RDF

            from sendkg import shacl_sparql

            g = self._core()
            shacl_sparql.add_to_report(g, self._sparql)
            if self._sparql or any(True for _ in g.subjects(RDF.type, URIRef(SH + "ValidationResult"))):
                for report_node in g.subjects(RDF.type, URIRef(SH + "ValidationReport")):
                    g.set((report_node, URIRef(SH + "conforms"), Literal(False)))
            self._graph = g
        return self._graph

    def serialize(self, format: str = "turtle", **kw):  # noqa: A002 - rdflib's own name
        return self.graph.serialize(format=format, **kw)


def _position(value) -> int | None:
    """A line or column as a positive integer, or None (a claim's position shape reports the rest)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


def _text(value) -> str | None:
    return None if value is None else str(value)[:300]


def _with_nearest(message: str, store) -> str:
    """Add the nearest known identifiers to an unknown-identifier message."""
    import re

    m = re.search(r"'([^']*)'", message)
    if not m:
        return message
    known = _known_names(store)
    near = difflib.get_close_matches(m.group(1), known, n=3, cutoff=0.6)
    return message + (f"; nearest known: {', '.join(near)}" if near else "")


def _known_names(store) -> list[str]:
    cached = getattr(store, "_known_names", None)
    if cached is None:
        rows = store.run(load_query("named-things"))[1]
        cached = sorted({re.sub(r"^.*[/#]", "", str(r["x"])) for r in rows} - {""})
        store._known_names = cached
    return cached


def as_of_quads(day) -> list:
    """The statement that content is checked as of ``day`` (skg:asOf), for the shapes to read."""
    import pyoxigraph as ox

    from sendkg.model import date_literal

    return [ox.Quad(ox.NamedNode("https://w3id.org/sendkg/id/reading"),
                    ox.NamedNode("https://w3id.org/sendkg/def#asOf"), date_literal(day))]


def check(authorities: list[AuthorityFile], remote=None, progress=None, as_of=None, data=()) -> CheckReport:
    """Check the authorities' content as of ``as_of`` (a date; default today) against the model (plus
    ``data``, the user's extension files)."""
    from sendkg.model import today

    day = as_of or today()
    if remote is not None:  # validate what the endpoint holds (model and authorities), here
        import pyoxigraph as ox

        quads = [ox.Quad(t.subject, t.predicate, t.object)
                 for t in ox.parse(remote.dump(), format=ox.RdfFormat.N_TRIPLES)]
        found, graph = validate_content([], quads + as_of_quads(day), base=[], progress=progress)
    else:
        files = sorted({a.path for a in authorities})
        found, graph = validate_content(files, as_of_quads(day), progress=progress,
                                       base=[*model_files(), *split_data(data)[1]], content=_read_store(authorities))
    reports = [AuthorityReport(a.id, a.name, a.gss, found.get(a.id, [])) for a in authorities]
    reports = sorted(reports, key=lambda r: r.id)
    if found.get(None) and remote is None:  # content that stands at no authority: never dropped
        reports.append(AuthorityReport("-", "content not placed at any authority", None, found[None]))
    return CheckReport(reports, graph, day.isoformat())


def _read_store(authorities: list[AuthorityFile]) -> tuple | None:
    """(store, paths): the store in which the most of the authorities' files were read already (each
    parsed once) when it holds nothing else, taken for the check; None when there is none."""
    paths = {a.path for a in authorities}
    batches = sorted({id(a.read): a.read for a in authorities if a.read is not None}.values(),
                     key=lambda b: -len(b.paths))
    for batch in batches:
        if batch.paths <= paths:
            store = batch.take()
            if store is not None:
                return store, batch.paths
    return None


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


AUTHORITY_NS = "https://w3id.org/sendkg/id/authority/"


def new_authority_quads(pages: list[Path], ident: str, name: str | None, gss: str | None) -> list:
    """A complete authority file's triples for a new authority: the authority (identifier, name, GSS
    code) and the claims read from its pages, every page ``skg:about`` the one authority. The same
    identity rules as shapes/authority.ttl (authority-identity) are checked first, in one line each."""
    import re

    import pyoxigraph as ox

    from sendkg.reader import Vocabulary, extract, vocabulary_store

    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ident or ""):
        raise SendkgError(f"--new-authority '{ident}': give an identifier in lower-case words joined by "
                          "hyphens, e.g. west-wessex")
    if not name or not name.strip():
        raise SendkgError(f"--new-authority {ident} needs --name, the authority's name, e.g. --name 'West Wessex'")
    if gss is not None and not re.fullmatch(r"E(0[6-9]|10)[0-9]{6}", gss):
        raise SendkgError(f"--gss '{gss}': a GSS code of an English local authority is E06, E08, E09 or E10 "
                          "and six digits, like E06000042")
    if ident in known_authorities():
        raise SendkgError(f"--new-authority {ident}: sendkg already knows an authority '{ident}' "
                          f"({known_authorities()[ident].path.name}); choose another identifier")
    known = vocabulary_store()
    vocab = Vocabulary(known)
    who = {"id": ident, "name": name.strip(), "gss": gss}
    node = ox.NamedNode(AUTHORITY_NS + ident)
    out: list = []
    seen = set()
    for path in pages:
        quads, page_authority = extract(path, vocab, who)
        for q in quads:
            s = node if q.subject == page_authority else q.subject
            o = node if q.object == page_authority else q.object
            t = ox.Quad(s, q.predicate, o)
            if t not in seen:
                seen.add(t)
                out.append(t)
    # the providers the pages name are described in other authorities' files: copy what they say
    # (name, the route each provides), so that the file is complete on its own
    named = sorted({q.object for q in out if q.predicate.value == "https://w3id.org/sendkg/def#namesProvider"}, key=str)
    if named:
        triples = known.construct(load_query("provider-triples"), {"provider": named},
                                  source="queries/provider-triples.rq")
        for t in ox.parse(triples, format=ox.RdfFormat.N_TRIPLES):
            q = ox.Quad(t.subject, t.predicate, t.object)
            if q not in seen:
                seen.add(q)
                out.append(q)
    return out
