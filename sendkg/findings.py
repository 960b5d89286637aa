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
