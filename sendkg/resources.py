"""Where the ontology, shapes and queries are.

Installed from a wheel they sit inside the package (``sendkg/ontology`` ...); in a source checkout
they sit beside it, at the project root. Either way the package finds them from any working
directory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def resource_dir(name: str) -> Path:
    for base in (_HERE, _HERE.parent):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"sendkg cannot find its '{name}' folder; reinstall sendkg")


def model_files() -> list[Path]:
    """The Turtle files of the ontology and the statutory model, in a stable order."""
    return sorted(resource_dir("ontology").rglob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))


def query_path(name: str) -> Path:
    return resource_dir("queries") / f"{name}.rq"
