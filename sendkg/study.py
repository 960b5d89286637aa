"""`sendkg study`: from every authority's pages to a dataset and a report, with no Turtle by hand.

Input: folders (one per authority, named by its identifier, ONS code or name, or a folder of such
folders) or a CSV of (authority, page) where a page is a local file or a URL (fetched through the
cache of :mod:`sendkg.fetch`). Each authority's pages are read into claims as one account (its
pages together: what the authority leaves out is judged over all of them), checked with the same
shapes as `check`, and compared as `compare` does. The dataset has one row per authority and
feature with its evidence (the words, the page, the line, the URL and when it was read), the
completeness per study category (ontology/england/study.ttl) and the legal accuracy of what is
said; `since` shows what changed from an earlier dataset.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator

from sendkg.errors import SendkgError
from sendkg.inputs import PAGE_SUFFIXES

AUTHORITY_NS = "https://w3id.org/sendkg/id/study/authority/"


@dataclass
class Page:
    path: Path
    url: str | None = None
    retrieved_at: str | None = None
    sha256: str | None = None


@dataclass
class Group:
    authority: object  # sendkg.register.LocalAuthority
    pages: list[Page] = field(default_factory=list)


# ---------------------------------------------------------------- inputs
def _pages_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES)


def groups_from_folders(folders: list[Path], register) -> list[Group]:
    """A folder named for an authority holds its pages; a folder of such folders holds many."""
    out: dict[str, Group] = {}
    for folder in folders:
        if not folder.is_dir():
            raise SendkgError(f"{folder}: not a folder; give a folder of pages per authority (or --list FILE.csv)")
        a = register.get(folder.name)
        if a is not None:
            out.setdefault(a.id, Group(a)).pages.extend(Page(p) for p in _pages_in(folder))
            continue
        subs = sorted(p for p in folder.iterdir() if p.is_dir())
        if not subs:
            raise SendkgError(f"{folder}: '{folder.name}' is not an authority sendkg knows (an identifier, ONS code or "
                              "name, e.g. milton-keynes or E06000042); name the folder after its authority")
        for sub in subs:
            a = register.get(sub.name)
            if a is None:
                raise SendkgError(f"{sub}: '{sub.name}' is not an authority sendkg knows; name the folder by its "
                                  "identifier, ONS code or name ('sendkg authorities' lists them)")
            out.setdefault(a.id, Group(a)).pages.extend(Page(p) for p in _pages_in(sub))
    return [g for g in out.values()]


def _within(path: str, folder: str) -> bool:
    """Whether the real path ``path`` is ``folder`` or inside it (both real paths)."""
    import os

    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _local_page(path: Path, n: int, where: str, roots, out) -> Path:
    """A local page named in a list, read only if it is a page (by its suffix, and its target's)
    under the list's own folder or a folder given on the command line, and not among the study's
    own files; else one line naming the list and the line."""
    import os

    from sendkg.inputs import one_line, show

    p = (path.parent / where) if not Path(where).is_absolute() else Path(where)
    real = os.path.realpath(p)
    said = f"{show(path)}:{n}: {one_line(where, 200)}"
    if Path(where).suffix.lower() not in PAGE_SUFFIXES or Path(real).suffix.lower() not in PAGE_SUFFIXES:
        raise SendkgError(f"{said}: not a page ({', '.join(PAGE_SUFFIXES)}); a list names only pages and web addresses")
    folders = [os.path.realpath(path.parent), *(os.path.realpath(r) for r in roots)]
    if not any(_within(real, f) for f in folders):
        raise SendkgError(f"{said}: outside the list's folder {show(path.parent)} (and the folders given); "
                          "only pages there are read: move the page there or give its folder")
    if out is not None and _within(real, os.path.realpath(out)):
        raise SendkgError(f"{said}: in the study's output folder (-o {show(out)}); a study never reads its own files")
    if not p.is_file():
        raise SendkgError(f"{said}: no such file; check the path")
    return p


_SCHEME = __import__("re").compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def groups_from_list(path: Path, register, fetcher=None, progress=None, roots=(), out=None,
                     failures: list | None = None, reports: list | None = None) -> list[Group]:
    """A CSV with columns 'authority' and 'url' (a web address, or a local page relative to the CSV:
    under the CSV's folder or one of ``roots``, never in ``out``). Every row is checked before the
    first page is fetched: a bad one is one line naming the file and line. Each URL that could not be
    fetched is added to ``failures`` as one line naming the list's line, the URL and the reason."""
    from sendkg.fetch import url_problem
    from sendkg.inputs import one_line, read_text, show

    text = read_text(path, "CSV")  # a regular file within the input limit (issue 12), else one line
    reader = csv.DictReader(io.StringIO(text))
    cols = [c.strip().lower() for c in reader.fieldnames or []]
    if "authority" not in cols or not ({"url", "page", "path"} & set(cols)):
        raise SendkgError(f"{path}:1: the CSV needs an 'authority' column and a 'url' (or 'page') column")
    rows = []
    for n, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str) or v is None}
        who, where = row.get("authority", ""), row.get("url") or row.get("page") or row.get("path") or ""
        if not who or not where:
            raise SendkgError(f"{path}:{n}: a row needs an authority and a page; fill both or remove the row")
        a = register.get(who)
        if a is None:
            raise SendkgError(f"{path}:{n}: '{who}' is not an authority sendkg knows (an identifier, ONS code or name)")
        if _SCHEME.match(where):  # a web address (a one-letter scheme is a Windows drive)
            problem = url_problem(where)
            if problem:
                raise SendkgError(f"{show(path)}:{n}: {one_line(where, 200)}: {problem}")
            if fetcher is None:
                raise SendkgError(f"{path}:{n}: a URL needs fetching; run without --offline")
            rows.append((n, a, where, None))
        else:
            rows.append((n, a, where, _local_page(path, n, where, roots, out)))
    return groups_from_rows([(f"{show(path)}:{n}", a, where, local) for n, a, where, local in rows],
                            fetcher, progress, failures, reports)


def page_report(rec) -> dict | None:
    """What became of a page asked for, when it is not simply there: ``moved`` (redirected to
    another address, read there), ``vanished`` (HTTP 404 or 410) or ``not-fetched`` (any other
    reason: an error, robots.txt, not in the cache with --offline); None when it was read where it
    was asked for."""
    if rec.http_status in (404, 410):
        return {"status": "vanished", "reason": f"HTTP {rec.http_status}", "final_url": rec.final_url}
    if not rec.path:
        return {"status": "not-fetched", "reason": rec.error or rec.status, "final_url": rec.final_url}
    if rec.redirects and rec.final_url and rec.final_url != rec.url:
        return {"status": "moved", "reason": f"redirected to {rec.final_url}", "final_url": rec.final_url}
    return None


def report_line(label: str, url: str, report: dict) -> str:
    """One line for a page that moved, vanished or was not fetched (the list's line or the
    authority first, then the address): what a study warns of."""
    from sendkg.inputs import one_line, show

    said = f"{label}: {show(url)[:300]}"
    if report["status"] == "moved":
        return f"{said}: moved to {show(report['final_url'])[:300]} (read there)"
    why = one_line(report["reason"] or "", 300)
    if report["status"] == "vanished":
        return f"{said}: not fetched ({why}): the page has vanished"
    return f"{said}: not fetched ({why})"


def groups_from_rows(rows, fetcher=None, progress=None, failures: list | None = None,
                     reports: list | None = None) -> list[Group]:
    """Rows of (label, authority, web address or None, local page or None) to each authority's
    pages: a web address through ``fetcher`` (the cache, or the web). Each page that moved, vanished
    or was not fetched is a line in ``failures`` (naming the row's label, the address and why) and
    a dict in ``reports`` (authority, url, status, reason, final_url); a page that moved is still
    read from where it went."""
    out_groups: dict[str, Group] = {}
    for i, (label, a, where, local) in enumerate(rows):
        g = out_groups.setdefault(a.id, Group(a))
        if local is None:
            rec = fetcher.fetch(where)
            report = page_report(rec)
            if rec.path:
                g.pages.append(Page(Path(rec.path), where, rec.retrieved_at, rec.sha256))
            if report is not None:
                if failures is not None:
                    failures.append(report_line(label, where, report))
                if reports is not None:
                    reports.append({"authority": a.id, "url": where, **report})
        else:
            g.pages.append(Page(local))
        if progress:
            progress(i + 1, len(rows))
    return list(out_groups.values())


class CacheReader:
    """A fetcher that never fetches (``--offline``): a page is what the cache holds for its address,
    as the last run left it (a 404 stays a 404); an address not in the cache is not fetched."""

    def __init__(self, cache):
        self.cache = cache

    def fetch(self, url: str):
        from sendkg.fetch import Record

        rec = self.cache.get(url)
        return rec if rec is not None else Record(url, "error", error="not in the cache (--offline); run without --offline to fetch it")


def groups_from_register(register, pages, chosen: list[str], fetcher, progress=None,
                         failures: list | None = None, reports: list | None = None) -> list[Group]:
    """The register's pages of the authorities ``chosen`` (identifiers), through ``fetcher``: the
    same path as a list's rows, each row labelled by its authority. An authority with no page in the
    register is a line in ``failures`` (and a report ``no-page``)."""
    rows = []
    for ident in chosen:
        a = register.authorities[ident]
        urls = pages.urls(ident)
        if not urls:
            why = ("no page was found for it (" + "; ".join(pages.not_found[ident]) + ")"
                   if ident in pages.not_found else "the register has no page for it")
            if failures is not None:
                failures.append(f"{ident}: not studied: {why}")
            if reports is not None:
                reports.append({"authority": ident, "url": None, "status": "no-page", "reason": why, "final_url": None})
        rows.extend((ident, a, u, None) for u in urls)
    return groups_from_rows(rows, fetcher, progress, failures, reports)


# ---------------------------------------------------------------- the study
@dataclass
class Study:
    day: str
    categories: list[dict]
    authorities: list[dict]

    def as_json(self) -> dict:
        return {"sendkg_study": 1, "as_of": self.day, "categories": self.categories, "authorities": self.authorities}

    def feature_rows(self) -> list[dict]:
        """One row per authority and feature, with the evidence (for CSV and pandas)."""
        return [r for a in self.authorities for r in feature_rows(a)]


def feature_rows(a: dict) -> list[dict]:
    """An authority's rows of features.csv: one per feature, with its first piece of evidence."""
    rows = []
    for f in a["features"]:
        ev = f["evidence"][0] if f["evidence"] else {}
        rows.append({"authority": a["id"], "gss_code": a["gss_code"], "name": a["name"], "region": a["region"],
                     "feature": f["feature"], "category": f.get("category") or "", "present": f["present"],
                     "correct": "" if f["correct"] is None else f["correct"], "quote": ev.get("quote", ""),
                     "page": ev.get("page", ""), "line": ev.get("line", ""), "url": ev.get("url", ""),
                     "retrieved_at": ev.get("retrieved_at", "")})
    return rows


def _canonical(quads, page_authority, canonical):
    import pyoxigraph as ox

    out = []
    for q in quads:
        s = canonical if q.subject == page_authority else q.subject
        o = canonical if q.object == page_authority else q.object
        if s == canonical and q.predicate.value in ("http://purl.org/dc/terms/identifier",
                                                    "http://www.w3.org/2000/01/rdf-schema#label",
                                                    "https://w3id.org/sendkg/def#gssCode",
                                                    "https://w3id.org/sendkg/def#identified",
                                                    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"):
            continue  # said once per authority below
        out.append(ox.Quad(s, q.predicate, o))
    return out


BATCH_PAGES = 200
"""Pages checked together. The claims of a batch, its SHACL report and its store are let go before
the next batch is read, so peak memory follows the batch, not the study (issue 14: under 1 GB for
7,650 pages). Whole authorities go in a batch, since an authority's pages are judged as one account;
the findings do not depend on the batch (tests/test_study.py checks a study in batches of one page
against one batch)."""


def categories() -> list[dict]:
    """The study categories (ontology/england/study.ttl), each with its features, routes and law."""
    from sendkg.resources import model_files
    from sendkg.store import EmbeddedStore, load_query

    store = EmbeddedStore([*model_files()])
    return [{"id": c["id"], "label": c["label"], "features": (c["features"] or "").split(),
             "routes": (c["routes"] or "").split(), "law": c["law"]} for c in store.select(load_query("study-categories"))]


def batches(groups: list[Group], batch_pages: int = BATCH_PAGES) -> list[list[Group]]:
    """The groups in identifier order, cut into batches of whole authorities of about ``batch_pages``
    pages (an authority with more pages than that is a batch of its own)."""
    out: list[list[Group]] = [[]]
    size = 0
    for g in sorted(groups, key=lambda g: g.authority.id):
        if out[-1] and size + len(g.pages) > batch_pages:
            out.append([])
            size = 0
        out[-1].append(g)
        size += len(g.pages)
    return [b for b in out if b]


class _Context:
    """What every batch needs, built once per process: the vocabulary of cue phrases, the
    providers, the study categories and the register."""

    def __init__(self, day: date):
        import pyoxigraph as ox

        from sendkg.reader import Vocabulary, vocabulary_store
        from sendkg.register import load_register
        from sendkg.store import load_query

        vstore = vocabulary_store()
        self.day = day
        self.vocab = Vocabulary(vstore)
        self.providers = [ox.Quad(*t) for t in ox.parse(vstore.construct(load_query("providers")),
                                                          format=ox.RdfFormat.N_TRIPLES)]
        self.cats = categories()
        self.register = load_register()

    def batch(self, groups: list[Group], step=lambda n=1: None) -> list[dict]:
        return list(_batch(self, groups, step))


def _work(context: _Context, groups: list[Group]) -> list[dict]:
    return context.batch(groups)


def authorities(groups: list[Group], day: date | None = None, progress=None,
                batch_pages: int = BATCH_PAGES, jobs: int = 1) -> Iterator[dict]:
    """Each authority's record (categories, completeness, accuracy, features with their evidence,
    findings, out-of-date names), in identifier order, read and checked a batch at a time; with
    ``jobs`` above 1, the batches are shared among that many worker processes (``0``: one per
    processor), and the records still come in identifier order."""
    from sendkg.workers import in_order, wanted

    day = day or date.today()
    pages = sum(len(g.pages) for g in groups)
    want = wanted(jobs, pages)
    if want > 1:  # smaller batches: the workers share the work evenly and progress shows more often
        batch_pages = max(1, min(batch_pages, -(-pages // (4 * want))))
    cut = batches(groups, batch_pages)
    total = 2 * (pages or 1)
    done = [0]

    def step(n: int = 1) -> None:
        done[0] += n
        if progress:
            progress(min(done[0], total), total)

    workers = min(want, len(cut))
    if workers <= 1:
        context = _Context(day)
        for batch in cut:
            yield from context.batch(batch, step)
    else:  # the batches in worker processes, their records still in identifier order
        for records in in_order(cut, _work, _Context, (day,), workers,
                                lambda batch: step(2 * sum(len(g.pages) for g in batch))):
            yield from records
    if progress:
        progress(total, total)


def run(groups: list[Group], day: date | None = None, progress=None, batch_pages: int = BATCH_PAGES,
        jobs: int = 1) -> Study:
    """The whole study in memory (for the Python API and small studies; the command streams it)."""
    day = day or date.today()
    return Study(day.isoformat(), categories(), list(authorities(groups, day, progress, batch_pages, jobs)))


def _batch(ctx: _Context, groups: list[Group], step) -> Iterator[dict]:
    import pyoxigraph as ox

    from sendkg.authorities import validate_content
    from sendkg.compare import matrix
    from sendkg.reader import extract
    from sendkg.resources import model_files
    from sendkg.store import EmbeddedStore, load_query

    XSD = "http://www.w3.org/2001/XMLSchema#"
    SKG = "https://w3id.org/sendkg/def#"
    PROV = "http://www.w3.org/ns/prov#"
    quads = list(ctx.providers)
    page_of: dict[str, Page] = {}
    unread: dict[str, str] = {}  # page: why it was not read
    for g in groups:
        a = g.authority
        node = ox.NamedNode(AUTHORITY_NS + a.id)
        quads += [ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(SKG + "Authority")),
                  ox.Quad(node, ox.NamedNode("http://purl.org/dc/terms/identifier"), ox.Literal(a.id)),
                  ox.Quad(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(a.label)),
                  ox.Quad(node, ox.NamedNode(SKG + "identified"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))]
        if a.gss:
            quads.append(ox.Quad(node, ox.NamedNode(SKG + "gssCode"), ox.Literal(a.gss)))
        for page in g.pages:
            try:
                q, pa = extract(page.path, ctx.vocab, {"id": a.id, "name": a.label, "gss": a.gss}, site=a.id,  # judged as a whole
                                key=f"{a.id}\n{page.path}")  # a page two authorities share is each one's
            except SendkgError as err:  # past a bound (size, claims), not text: named, and the study goes on
                unread[str(page.path)] = str(err)
                step()
                continue
            quads += _canonical(q, pa, node)
            if page.url:  # where and when the page was read (PROV-O), so each finding can say so
                doc = next(x.subject for x in q if x.predicate.value == SKG + "sourceFile")
                quads += [ox.Quad(doc, ox.NamedNode(PROV + "wasDerivedFrom"), ox.NamedNode(page.url)),
                          ox.Quad(doc, ox.NamedNode(SKG + "contentHash"), ox.Literal(page.sha256 or ""))]
                if page.retrieved_at:
                    quads.append(ox.Quad(doc, ox.NamedNode(PROV + "generatedAtTime"),
                                         ox.Literal(page.retrieved_at, datatype=ox.NamedNode(XSD + "dateTime"))))
            page_of[str(page.path)] = page
            step()
    quads = list(dict.fromkeys(quads))
    found, _report = validate_content([], quads)
    del _report
    store = EmbeddedStore([*model_files()])
    store.add(quads)
    del quads
    rows = {r["authority"]: r for r in matrix(store, [_Who(g.authority) for g in groups], found)}
    evidence: dict[str, list[dict]] = {}
    for r in store.select(load_query("study-evidence")):
        page = page_of.get(r["file"])
        evidence.setdefault(r["authority"], []).append({
            "kind": r["kind"], "about": r["about"], "quote": r["quote"] or "", "page": r["file"], "line": r["line"],
            "column": r["column"], "url": page.url if page else None, "retrieved_at": page.retrieved_at if page else None})
    del store
    for g in groups:
        a, row = g.authority, rows[g.authority.id]
        ev = evidence.get(a.id, [])
        routes = set(row["routes"].split())
        feats = _features(row, ev)
        present = {c["id"]: any(bool(row.get(f)) for f in c["features"]) or bool(routes & set(c["routes"]))
                   for c in ctx.cats}
        stated = row["time_limits_stated"] + row["citations"] + row["superseded_terms"]
        wrong = row["time_limits_wrong"] + row["citations_wrong"] + row["superseded_terms"]
        stale = []
        for page in g.pages:
            if str(page.path) in unread:
                continue
            try:
                text = page.path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for m in ctx.register.mentions(text, ctx.day):
                if m.stale:
                    stale.append({"page": str(page.path), "url": page.url, "name": m.phrase, "why": m.stale})
        step(len(g.pages))
        yield {
            "id": a.id, "name": a.label, "council": a.council, "gss_code": a.gss, "region": a.region, "type": a.type,
            "pages": [{"page": str(p.path), "url": p.url, "retrieved_at": p.retrieved_at, "sha256": p.sha256,
                       **({"unread": unread[str(p.path)]} if str(p.path) in unread else {})} for p in g.pages],
            "categories": present,
            "completeness": round(sum(present.values()) / len(present), 2) if present else None,
            "accuracy": None if not stated else round(1 - wrong / stated, 2),
            "features": feats,
            "out_of_date_names": stale,
            "findings": [{"severity": f.severity, "code": f.code, "message": f.message, "law": f.source,
                          "page": f.document, "line": f.line, "column": f.column,
                          "url": page_of[f.document].url if f.document in page_of else None,
                          "retrieved_at": page_of[f.document].retrieved_at if f.document in page_of else None}
                         for f in found.get(a.id, [])],
            "counts": {k: row[k] for k in ("violations", "warnings", "infos")},
        }


@dataclass
class _Who:
    authority: object

    @property
    def id(self):
        return self.authority.id

    @property
    def name(self):
        return self.authority.label

    @property
    def gss(self):
        return self.authority.gss


def _features(row: dict, evidence: list[dict]) -> list[dict]:
    def ev(kind, about=None):
        return [e for e in evidence if e["kind"] == kind and (about is None or e["about"] == about)]

    out = [
        {"feature": "sendiass", "category": "information-advice", "present": bool(row["sendiass"]), "correct": None,
         "value": row["sendiass"], "evidence": ev("route", "sendiass-support")},
        {"feature": "dr_provider", "category": "disagreement-resolution", "present": bool(row["dr_providers"]),
         "correct": None, "value": row["dr_providers"], "evidence": ev("route", "disagreement-resolution")},
        {"feature": "mediation_advice", "category": "mediation", "present": row["mediation_advice"], "correct": None,
         "value": "", "evidence": ev("route", "mediation-advice")},
        {"feature": "tribunal_time_limit", "category": "tribunal-appeals", "present": row["tribunal_time_limit"],
         "correct": None if not row["tribunal_time_limit"] else row["time_limits_wrong"] == 0, "value": "",
         "evidence": ev("time-limit", "appeal-after-notice")},
        {"feature": "section_i_exception", "category": "tribunal-appeals", "present": row["section_i_exception"],
         "correct": None, "value": "", "evidence": ev("exception", "section-i-only")},
        {"feature": "time_limits", "category": None, "present": row["time_limits_stated"] > 0,
         "correct": None if not row["time_limits_stated"] else row["time_limits_wrong"] == 0,
         "value": f"{row['time_limits_stated'] - row['time_limits_wrong']} of {row['time_limits_stated']} right",
         "evidence": ev("time-limit")},
        {"feature": "citations", "category": None, "present": row["citations"] > 0,
         "correct": None if not row["citations"] else row["citations_wrong"] == 0,
         "value": f"{row['citations'] - row['citations_wrong']} of {row['citations']} right", "evidence": ev("citation")},
        {"feature": "terminology", "category": None, "present": True, "correct": row["superseded_terms"] == 0,
         "value": f"{row['superseded_terms']} old names", "evidence": ev("term")},
    ]
    for r in sorted(set(row["routes"].split())):
        out.append({"feature": f"route:{r}", "category": None, "present": True, "correct": None, "value": "",
                    "evidence": ev("route", r)})
    return out


# ---------------------------------------------------------------- changes since an earlier run
SINCE_LIMIT = 1 << 30
"""The largest earlier study read by --since (1 GiB: a study of 1,530 authorities is about 110 MB;
the general input limit of 32 MiB is for pages and models)."""


class _NotAStudy(ValueError):
    pass


def _text(x) -> str:
    if not isinstance(x, str):
        raise _NotAStudy
    return x


def _compact(obj: dict):
    """While an earlier study is parsed, each authority is cut down to what a comparison needs, so
    its evidence is let go at once (memory stays near the file's own size); what is not the shape
    of a study is refused."""
    if "features" in obj and "findings" in obj and "id" in obj:
        cats, findings, pages = obj.get("categories") or {}, obj.get("findings"), obj.get("pages") or []
        if not isinstance(cats, dict) or not isinstance(findings, list) or not isinstance(pages, list):
            raise _NotAStudy
        if not all(isinstance(f, dict) for f in findings) or not all(isinstance(p, dict) for p in pages):
            raise _NotAStudy
        return {"id": _text(obj["id"]), "categories": {_text(k): bool(v) for k, v in cats.items()},
                "findings": [{"code": _text(f.get("code")), "message": _text(f.get("message"))} for f in findings],
                "pages": [{"page": p.get("page"), "url": p.get("url"), "sha256": p.get("sha256")} for p in pages]}
    if "evidence" in obj and "feature" in obj:
        return None
    return obj


def load_previous(previous_path: Path) -> dict:
    """An earlier study's JSON, cut down for :func:`changes`; a file that is not one is one line."""
    from sendkg.inputs import read_bytes

    bad = (f"--since {previous_path}: not the JSON of a sendkg study; give the study.json an earlier "
           "'sendkg study' wrote")
    try:
        data = read_bytes(previous_path, "study JSON", limit=SINCE_LIMIT)  # a regular file (issue 12)
        prev = json.loads(data, object_hook=_compact)
    except SendkgError as err:
        raise SendkgError(f"--since {err}") from None
    except (ValueError, UnicodeDecodeError, RecursionError, TypeError, AttributeError):
        raise SendkgError(bad) from None
    if not isinstance(prev, dict) or prev.get("sendkg_study") != 1 or not isinstance(prev.get("authorities"), list):
        raise SendkgError(bad)
    out = {}
    for a in prev["authorities"]:  # each one cut down by _compact, or not an authority of a study
        if not isinstance(a, dict) or set(a) != {"id", "categories", "findings", "pages"}:
            raise SendkgError(bad)
        for p in a["pages"]:
            if not all(v is None or isinstance(v, str) for v in p.values()) or not (p["url"] or p["page"]):
                raise SendkgError(bad)
        out[a["id"]] = a
    return {"as_of": prev.get("as_of") if isinstance(prev.get("as_of"), str) else None, "authorities": out}


class Changes:
    """What changed from an earlier study (see :func:`load_previous`), one authority at a time:
    categories gained or lost, findings new and gone (by code and message), pages changed (by
    content hash), and authorities added or no longer studied."""

    def __init__(self, previous: dict):
        self.before = previous["authorities"]
        self.seen: set[str] = set()
        self.out = {"since": previous.get("as_of"), "authorities": []}

    def add(self, a: dict) -> None:
        self.seen.add(a["id"])
        b = self.before.get(a["id"])
        if b is None:
            self.out["authorities"].append({"id": a["id"], "change": "new in this study"})
            return

        def keys(x):
            return {(f["code"], f["message"]) for f in x.get("findings", [])}

        was = b.get("categories") if isinstance(b.get("categories"), dict) else {}
        gained = sorted(k for k, v in a["categories"].items() if v and not was.get(k))
        lost = sorted(k for k, v in a["categories"].items() if not v and was.get(k))
        new = sorted(keys(a) - keys(b))
        gone = sorted(keys(b) - keys(a))
        hashes = {p.get("url") or p.get("page"): p.get("sha256") for p in b.get("pages", [])}
        changed = sorted(k for k, h in ((p.get("url") or p["page"], p.get("sha256")) for p in a["pages"])
                         if k in hashes and h and hashes[k] and h != hashes[k])
        if gained or lost or new or gone or changed:
            self.out["authorities"].append({"id": a["id"], "categories_gained": gained, "categories_lost": lost,
                                            "findings_new": [{"code": c, "message": m} for c, m in new],
                                            "findings_gone": [{"code": c, "message": m} for c, m in gone],
                                            "pages_changed": changed})

    def result(self) -> dict:
        for ident in sorted(set(self.before) - self.seen):
            self.out["authorities"].append({"id": ident, "change": "not in this study"})
        return self.out


def since(study: Study, previous_path: Path) -> dict:
    """What changed from an earlier dataset (its JSON), for a study held in memory."""
    changes = Changes(load_previous(previous_path))
    for a in study.authorities:
        changes.add(a)
    return changes.result()
