"""`sendkg lint`: check pages (text, Markdown, HTML) straight from their text, as a linter does.

Each page is read into claims (sendkg.reader) and the claims are checked with the same shapes as a
modelled authority (sendkg.authorities.validate_content). Findings point at line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sendkg.authorities import known_authorities, validate_content
from sendkg.errors import UnknownIdentifier
from sendkg.findings import SEVERITIES, Finding, settle, uncertain_claims
from sendkg.inputs import PAGE_SUFFIXES
from sendkg.reader import Vocabulary, extract, vocabulary_store
from sendkg.resources import offer_files

# Findings about who the authority is are not about the page's text: lint leaves them out.
NOT_ABOUT_TEXT = {"authority-identity", "authority-unidentified"}


@dataclass
class FileReport:
    path: str
    findings: list[Finding] = field(default_factory=list)
    site: bool = False  # the report of an authority's whole site (its omissions), not of one page


def _authority(name: str | None) -> dict | None:
    if not name:
        return None
    known = known_authorities()
    if name in known:
        a = known[name]
        return {"id": a.id, "name": a.name, "gss": a.gss}
    by_name = {a.name.lower(): a for a in known.values()}
    if name.lower() in by_name:
        a = by_name[name.lower()]
        return {"id": a.id, "name": a.name, "gss": a.gss}
    raise UnknownIdentifier(f"unknown authority '{name}'; known: {', '.join(sorted(known))}")


def extract_claims(paths: list[Path], authority: str | None = None, progress=None, id_suffix: str = "",
                   site: str | None = None, vocab: Vocabulary | None = None):
    """Claims of each page as quads, and each page's authority identifier. ``id_suffix`` keeps a
    page's authority apart from the modelled authority of the same name when both are validated.
    With ``site``, the pages are one authority's content, judged together."""
    vocab = vocab or Vocabulary(vocabulary_store())
    who = _authority(authority)
    quads, ids = [], {}
    for path in paths:
        q, a = extract(path, vocab, who and {**who, "id": who["id"] + id_suffix}, site=site)
        quads.extend(q)
        ids[str(path)] = next(x.object.value for x in q if x.subject == a and x.predicate.value.endswith("identifier"))
        if progress:
            progress(path)
    return quads, ids


def site_pages(folder: Path) -> list[Path]:
    """The pages of an authority's site saved in a folder (text, Markdown, HTML), in a stable order."""
    from sendkg.errors import SendkgError

    if not folder.is_dir():
        raise SendkgError(f"{folder}: not a folder; give the folder the authority's pages are saved in")
    pages = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES)
    if not pages:
        raise SendkgError(f"{folder}: no pages (.txt, .md, .html) in this folder")
    return pages


BATCH_PAGES = 200
"""Pages read and checked together. A batch's claims, its SHACL report and its store are let go
before the next batch is read, so that memory follows the batch, not the number of pages (issue
21); only each page's findings are kept. The findings do not depend on the batch
(tests/test_lint_batches.py). The pages of a site are one account, judged together: one batch."""


MIN_BATCH = 50
"""The smallest batch given to a worker process when the pages are shared among several."""


class Linter:
    """What every batch needs, built once per process (and once in each worker process): the
    vocabulary of the reader, the authority the pages are about, the providers' files, the day
    and the configuration."""

    def __init__(self, authority: str | None = None, site: str | None = None, as_of=None, config=None):
        from sendkg.model import today

        self.vocab = Vocabulary(vocabulary_store())
        self.authority, self.site, self.day, self.config = authority, site, as_of or today(), config
        self.offers = offer_files()  # providers the pages may name

    def batch(self, paths: list[Path], progress=None) -> list[FileReport]:
        """The reports of these pages (with ``site``, the site's report first), configured."""
        from sendkg.authorities import as_of_quads
        from sendkg.lintconfig import apply

        site = self.site
        quads, ids = extract_claims(paths, self.authority, progress, id_suffix="-page", site=site, vocab=self.vocab)
        found, _ = validate_content(self.offers, quads + as_of_quads(self.day))
        why = uncertain_claims(quads)
        del quads
        for found_ in found.values():
            settle(found_, why)
        reports = []
        if site is not None:
            everything = [f for found_ in found.values() for f in found_ if f.code not in NOT_ABOUT_TEXT]
            whole = [f for f in everything if f.focus.endswith("/authority")]
            for f in whole:
                f.line, f.column = 1, 1
            whole.sort(key=lambda f: (SEVERITIES.index(f.severity), f.code))
            reports.append(FileReport(str(site), whole, site=True))
            for path in paths:
                findings = [f for f in everything if f not in whole and f.document == str(path)]
                for f in findings:
                    f.line, f.column = f.line or 1, f.column or 1
                findings.sort(key=lambda f: (f.line, f.column, SEVERITIES.index(f.severity), f.code))
                reports.append(FileReport(str(path), findings))
            return apply(reports, self.config)
        for path in paths:
            findings = [f for f in found.get(ids[str(path)], []) if f.code not in NOT_ABOUT_TEXT]
            for f in findings:
                f.line, f.column = f.line or 1, f.column or 1
            findings.sort(key=lambda f: (f.line, f.column, SEVERITIES.index(f.severity), f.code))
            reports.append(FileReport(str(path), findings))
        return apply(reports, self.config)


def _work(linter: Linter, paths: list[Path]) -> list[FileReport]:
    return linter.batch(paths)


def batches(paths: list[Path], batch_pages: int = BATCH_PAGES, site: str | None = None) -> list[list[Path]]:
    """The pages in their order, cut into batches of ``batch_pages`` (a site's pages: one batch)."""
    if site is not None:
        return [list(paths)]
    size = max(1, batch_pages)
    return [list(paths[i:i + size]) for i in range(0, len(paths), size)]


def reports(paths: list[Path], authority: str | None = None, progress=None, site: str | None = None,
            as_of=None, config=None, jobs: int = 1, batch_pages: int = BATCH_PAGES) -> Iterator[FileReport]:
    """The reports of :func:`lint`, a batch at a time, in the pages' order (with ``site``, the
    site's report first). ``jobs``: worker processes reading and checking the batches (``0``: one
    per processor from sendkg.workers.PARALLEL_FROM pages; ``1``: in this process); the reports are
    the same, in the same order, whatever the number."""
    from sendkg.workers import in_order, wanted

    if site is None and authority and len(paths) > 1:
        site = authority
    want = 1 if site is not None else wanted(jobs, len(paths))
    if want > 1:  # smaller batches, so that the workers share the work evenly, but not so small
        # that a batch's fixed cost (its store and pySHACL's start, about 0.16 s) outweighs its pages
        size = max(1, min(batch_pages, max(MIN_BATCH, -(-len(paths) // (2 * want)))))
        batch_pages = -(-len(paths) // -(-len(paths) // size))  # as many batches, of even sizes
    cut = batches(paths, batch_pages, site)
    workers = min(want, len(cut))
    if workers <= 1:
        linter = Linter(authority, site, as_of, config)
        for batch in cut:
            yield from linter.batch(batch, progress)
        return

    def done(batch):
        if progress:
            for path in batch:
                progress(path)

    for found in in_order(cut, _work, Linter, (authority, site, as_of, config), workers, done):
        yield from found


def lint(paths: list[Path], authority: str | None = None, progress=None, site: str | None = None,
         as_of=None, config=None, jobs: int = 1, batch_pages: int = BATCH_PAGES) -> list[FileReport]:
    """Lint pages. Each page alone is judged on what it covers (an omission at info at most); with
    ``site`` (a folder, or a name), or with ``authority`` and several pages, the pages are one
    authority's content and what it leaves out over all of them is a warning, reported for the
    site as a whole (a report whose path is the site). ``as_of`` (a date; default today): an undated
    page is judged by the law and names in use that day. The findings are then filtered by each
    page's configuration (found upward from the page; ``config``: a file or lintconfig.Options
    instead) and its suppression comments (sendkg.lintconfig.apply). Pages are read and checked
    ``batch_pages`` at a time, in ``jobs`` processes (see :func:`reports`)."""
    return list(reports(paths, authority, progress, site, as_of, config, jobs, batch_pages))


def worst(reports: list[FileReport]) -> int:
    return min((SEVERITIES.index(f.severity) for r in reports for f in r.findings), default=len(SEVERITIES))


def summary(reports: list[FileReport]) -> dict:
    counts = {s: sum(f.severity == s for r in reports for f in r.findings) for s in SEVERITIES}
    return {"files": sum(not r.site for r in reports), **counts}


def render_text(reports: list[FileReport], as_of: str | None = None) -> str:
    lines = []
    for r in reports:
        for f in r.findings:
            lines.append(f"{r.path}:{f.line}:{f.column}: {f.severity} {f.code} {f.message}"
                         + (f" ({f.source})" if f.source else ""))
    s = summary(reports)
    clean = sum(not r.findings for r in reports if not r.site)
    lines.append(f"{s['files']} file{'s' if s['files'] != 1 else ''} linted ({clean} clean)"
                 + (f" as of {as_of}" if as_of else "") + ": "
                 + ", ".join(f"{s[k]} {k}{'s' if s[k] != 1 else ''}" for k in SEVERITIES))
    return "\n".join(lines)


def as_json(reports: list[FileReport], as_of: str | None = None) -> dict:
    return {"as_of": as_of, "files": [{"path": r.path, "findings": [
        {"line": f.line, "column": f.column, "severity": f.severity, "code": f.code, "message": f.message,
         "source": f.source} for f in r.findings]} for r in reports], "summary": summary(reports)}
