"""JSON Schemas (draft 2020-12) of every `--format json` output: ``<command>.schema.json``.

``load("routes")`` gives one as a dict, for a program that checks what it reads from sendkg
(written by scripts/json_schemas.py; checked against the real output in tests/test_schemas.py)."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def names() -> list[str]:
    return sorted(p.name.removesuffix(".schema.json") for p in HERE.glob("*.schema.json"))


def path(name: str) -> Path:
    return HERE / f"{name}.schema.json"


def load(name: str) -> dict:
    return json.loads(path(name).read_text(encoding="utf-8"))
