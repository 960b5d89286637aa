"""Where the ontology, shapes and queries are.

Installed from a wheel they sit inside the package (``sendkg/ontology`` ...); in a source checkout
they sit beside it, at the project root. Either way the package finds them from any working
directory.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
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


def _turtle_files(folder: str) -> list[str]:
    """What ``Path(folder).rglob("*.ttl")`` finds (symbolic links to folders not followed), read with
    os.scandir: rglob compiles its pattern and walks in Python, about 1.5 million instructions of
    every command's start-up (issue 21 item 5)."""
    import os

    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".ttl"):
                found.append(entry.path)
            if entry.is_dir() and not entry.is_symlink():
                found.extend(_turtle_files(entry.path))
    return found


def model_files() -> list[Path]:
    """The Turtle files of the ontology and the statutory model, in a stable order."""
    import os

    # in Path's order (by the parts of each path), sorted as text: sorting Paths is ~0.6 million instructions
    return [Path(f) for f in sorted(_turtle_files(str(resource_dir("ontology"))), key=lambda f: f.split(os.sep))]


@lru_cache(maxsize=None)
def load_query(name: str) -> str:
    """The text of the query ``queries/NAME.rq``."""
    path = query_path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        from sendkg.errors import SendkgError

        raise SendkgError(f"no query named '{name}' in {path.parent}") from None


def shape_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))


def query_path(name: str) -> Path:
    return resource_dir("queries") / f"{name}.rq"


# ------------------------------------------------------------------ authorities' content
# The seed authorities ship inside the package (``offers/``); a user's authorities live in folders of
# their own, given with ``--offers DIR`` (repeatable) or the SENDKG_OFFERS variable (folders separated
# by the path separator, ':' on Linux and macOS), never inside the installed package.
_user_offers: list[Path] = []


def use_offers(dirs) -> None:
    """Add folders of authority Turtle files for this process (``--offers DIR``); each must exist."""
    from sendkg.errors import SendkgError

    for d in dirs:
        path = Path(d)
        if not path.is_dir():
            raise SendkgError(f"--offers {d}: no such folder; give a folder of authority Turtle files (*.ttl)")
        if path.resolve() not in [p.resolve() for p in _user_offers]:
            _user_offers.append(path)


_scoped_offers: ContextVar[tuple[Path, ...] | None] = ContextVar("sendkg_offers", default=None)


@contextmanager
def offers_scope(dirs):
    """The folders of ``dirs`` in place of those given with --offers, for the calls inside the block
    (a :class:`sendkg.SendKG` object's own folders, never another's); each must exist."""
    from sendkg.errors import SendkgError

    for d in dirs:
        if not Path(d).is_dir():
            raise SendkgError(f"offers: {d}: no such folder; give a folder of authority Turtle files (*.ttl)")
    token = _scoped_offers.set(tuple(Path(d) for d in dirs))
    try:
        yield
    finally:
        _scoped_offers.reset(token)


def offer_dirs() -> list[Path]:
    """The seeds' folder, then the folders in SENDKG_OFFERS, then those given with --offers."""
    import os

    from sendkg.errors import SendkgError

    dirs = [resource_dir("offers")]
    for d in filter(None, os.environ.get("SENDKG_OFFERS", "").split(os.pathsep)):
        if not Path(d).is_dir():
            raise SendkgError(f"SENDKG_OFFERS: '{d}' is not a folder; fix the variable or create the folder")
        dirs.append(Path(d))
    scoped = _scoped_offers.get()
    for d in (_user_offers if scoped is None else scoped):
        if d.resolve() not in [x.resolve() for x in dirs]:
            dirs.append(d)
    return dirs


def offer_files() -> list[Path]:
    """Every authority Turtle file sendkg knows: the seeds and the user's folders, in a stable order."""
    return [f for d in offer_dirs() for f in sorted(d.glob("*.ttl"))]
