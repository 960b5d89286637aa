"""`sendkg lint --format github`: GitHub Actions workflow commands, one annotation per finding,
shown on the pull request's changed lines (``::warning file=...,line=...,col=...,title=...::...``)."""

from __future__ import annotations

from pathlib import Path

LEVEL = {"violation": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(reports) -> str:
    lines = []
    for r in reports:
        path = Path(r.path).as_posix()
        for f in r.findings:
            props = f"file={_property(path)},line={f.line},col={f.column},title={_property('sendkg ' + f.code)}"
            message = f.message + (f" ({f.source})" if f.source else "")
            lines.append(f"::{LEVEL[f.severity]} {props}::{_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
