"""A finding of `check` or `lint`, and the severities in their order (most severe first). Its own
module so that authorities, lint and lintconfig can all use it without importing one another."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ["violation", "warning", "info"]


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


UNCERTAIN = "https://w3id.org/sendkg/def#uncertain"


def uncertain_claims(quads) -> dict[str, str]:
    """The claims the reader marked uncertain (skg:uncertain), with why."""
    return {q.subject.value: q.object.value for q in quads if q.predicate.value == UNCERTAIN}


def settle(findings, why: dict[str, str]) -> None:
    """A warning or violation only where the reader is sure of the claim (issue 19 item 5): a finding
    on a claim the reader marked uncertain (``why``: uncertain_claims; a question, a hedged or cut-off
    sentence) is an info, and says why."""
    if not why:
        return
    for f in findings:
        reason = why.get(f.focus)
        if reason and f.severity in ("violation", "warning"):
            f.message += f" (an info: the sentence is {reason}, so the page may not mean it as stated)"
            f.severity = "info"
