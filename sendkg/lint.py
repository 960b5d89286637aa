"""`sendkg lint`: check pages (text, Markdown, HTML) straight from their text, as a linter does.

Each page is read into claims (sendkg.extract) and the claims are checked with the same shapes as a
modelled authority (sendkg.authorities.validate_content). Findings point at line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sendkg.authorities import SEVERITIES, Finding, known_authorities, validate_content
from sendkg.errors import UnknownIdentifier
from sendkg.extract import extract
from sendkg.resources import model_files, resource_dir
from sendkg.store import EmbeddedStore

# Findings about who the authority is are not about the page's text: lint leaves them out.
NOT_ABOUT_TEXT = {"authority-identity", "authority-unidentified"}


@dataclass
class FileReport:
    path: str
    findings: list[Finding] = field(default_factory=list)


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


def vocabulary_store() -> EmbeddedStore:
    """The model plus the known authorities (whose providers are part of the vocabulary)."""
    return EmbeddedStore([*model_files(), *sorted(resource_dir("offers").glob("*.ttl"))])


def extract_claims(paths: list[Path], authority: str | None = None, progress=None, id_suffix: str = ""):
    """Claims of each page as quads, and each page's authority identifier. ``id_suffix`` keeps a
    page's authority apart from the modelled authority of the same name when both are validated."""
    from sendkg.extract import Vocabulary

    vocab = Vocabulary(vocabulary_store())
    who = _authority(authority)
    quads, ids = [], {}
    for path in paths:
        q, a = extract(path, vocab, who and {**who, "id": who["id"] + id_suffix})
        quads.extend(q)
        ids[str(path)] = next(x.object.value for x in q if x.subject == a and x.predicate.value.endswith("identifier"))
        if progress:
            progress(path)
    return quads, ids


def lint(paths: list[Path], authority: str | None = None, progress=None, config: Path | None = None) -> list[FileReport]:
    """Findings of each page, after its configuration (found upward from the page, or ``config``) and
    its suppression comments (sendkg.lintconfig)."""
    quads, ids = extract_claims(paths, authority, progress, id_suffix="-page")
    offers = sorted(resource_dir("offers").glob("*.ttl"))  # providers the pages may name
    found, _ = validate_content(offers, quads)
    reports = []
    for path in paths:
        findings = [f for f in found.get(ids[str(path)], []) if f.code not in NOT_ABOUT_TEXT]
        for f in findings:
            f.line, f.column = f.line or 1, f.column or 1
        findings.sort(key=lambda f: (f.line, f.column, SEVERITIES.index(f.severity), f.code))
        reports.append(FileReport(str(path), findings))
    from sendkg.lintconfig import apply

    return apply(reports, config)


def worst(reports: list[FileReport]) -> int:
    return min((SEVERITIES.index(f.severity) for r in reports for f in r.findings), default=len(SEVERITIES))


def summary(reports: list[FileReport]) -> dict:
    counts = {s: sum(f.severity == s for r in reports for f in r.findings) for s in SEVERITIES}
    return {"files": len(reports), **counts}


def render_text(reports: list[FileReport]) -> str:
    lines = []
    for r in reports:
        for f in r.findings:
            lines.append(f"{r.path}:{f.line}:{f.column}: {f.severity} {f.code} {f.message}"
                         + (f" ({f.source})" if f.source else ""))
    s = summary(reports)
    clean = sum(not r.findings for r in reports)
    lines.append(f"{s['files']} file{'s' if s['files'] != 1 else ''} linted ({clean} clean): "
                 + ", ".join(f"{s[k]} {k}{'s' if s[k] != 1 else ''}" for k in SEVERITIES))
    return "\n".join(lines)


def as_json(reports: list[FileReport]) -> dict:
    return {"files": [{"path": r.path, "findings": [
        {"line": f.line, "column": f.column, "severity": f.severity, "code": f.code, "message": f.message,
         "source": f.source} for f in r.findings]} for r in reports], "summary": summary(reports)}
