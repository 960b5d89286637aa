"""A cache of sendkg's answers from the model (issue 21 item 5), in the user's cache folder.

Loading the model's ~30 Turtle files into the store (~11,000 triples) and running a command's
queries is most of what ``sendkg routes`` does after start-up. The rows of each of sendkg's own
queries (the exact query text, parameters bound, ``?asOf`` included) are kept in
``KEY/answers/HASH.json``, the text itself in the entry and compared when read. KEY is a hash of
sendkg's version, pyoxigraph's version and every model file's path and bytes, so an edited, added
or removed file gives a new key: never an answer from another model. A command whose every query
has been answered before loads no store at all.

Only the model alone is cached: with ``--data`` files, a store that had triples added, or a user's
query, nothing is read from or written to the cache. An answer holding a blank node is never kept
(its label is the store's own and differs from load to load). Every write is a temporary file
renamed into place; an unreadable, truncated or corrupt entry is ignored (and written again); a
cache folder that cannot be written (a read-only home) is never an error. ``SENDKG_ANSWER_CACHE`` names
another folder, or turns the cache off (``SENDKG_ANSWER_CACHE=off``).

A cached form of the model itself was measured and not kept: loading N-Quads instead of the Turtle
saves about 1.3 ms of the ~17 ms load (8%) and costs more instructions (the N-Quads are three times
the bytes); nearly all of the load is building the store's indexes, as ``benchmarks/README.md`` says.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

FORMAT = 1  # bump when what is kept changes
_HEX32 = re.compile(r"[0-9a-f]{32}")  # a key folder's name
KEEP_KEYS = 16  # model versions kept side by side (checkouts, installs), the least recently made removed
MAX_ANSWERS = 4096  # answers kept per model version; beyond, the older half is removed
_OFF = ("", "0", "off", "no", "false", "none")


def cache_root() -> Path | None:
    """The folder of the cache of answers, or None when it is off: SENDKG_ANSWER_CACHE, else
    XDG_CACHE_HOME/sendkg, else ~/.cache/sendkg on Linux, else the platform's user cache folder
    (platformdirs)."""
    given = os.environ.get("SENDKG_ANSWER_CACHE")
    if given is not None:
        return None if given.strip().lower() in _OFF else Path(given)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "sendkg"
    try:
        if sys.platform.startswith("linux"):
            return Path.home() / ".cache" / "sendkg"
        import platformdirs  # elsewhere (macOS, Windows): the platform's convention

        return Path(platformdirs.user_cache_dir("sendkg", appauthor=False))
    except (RuntimeError, KeyError, ImportError, OSError):  # no home folder: no cache
        return None


def _blake2b(data: bytes = b""):
    try:  # hashlib's import loads OpenSSL (~3 ms of every start-up); BLAKE2 is built into CPython
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - another Python
        from hashlib import blake2b
    return blake2b(data, digest_size=16)


def model_key(files) -> str | None:
    """The hash that names the cache of a model made of ``files`` (None if one cannot be read)."""
    import pyoxigraph

    from sendkg._version import __version__  # not the package: its lazy names would import the API

    digest = _blake2b()
    digest.update(f"sendkg {__version__} pyoxigraph {pyoxigraph.__version__} cache {FORMAT}\n".encode())
    try:
        for f in files:
            path = Path(f).resolve()  # the path is the base IRI of the file's relative IRIs
            data = path.read_bytes()
            digest.update(b"%s\0%d\0" % (os.fsencode(path), len(data)))
            digest.update(data)
    except (OSError, ValueError, RuntimeError):
        return None
    return digest.hexdigest()


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically (a temporary file in the same folder, renamed); False
    when it could not be."""
    import tempfile

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


class ModelCache:
    """The cache folder of one model (one key)."""

    def __init__(self, root: Path, key: str):
        self.root, self.key = root, key
        self.dir = root / key
        self._pruned = False

    @classmethod
    def of(cls, files) -> "ModelCache | None":
        root = cache_root()
        if root is None:
            return None
        key = model_key(files)
        return None if key is None else cls(root, key)

    def _prune_keys(self) -> None:
        """Keep at most KEEP_KEYS model folders: the least recently made are removed."""
        import shutil

        try:
            # only folders this cache made (a key's hex name holding only answers/): a folder the
            # user names (SENDKG_ANSWER_CACHE=/tmp) may hold other things, never touched
            dirs = sorted((p for p in self.root.iterdir() if _HEX32.fullmatch(p.name) and p.is_dir()
                           and {c.name for c in p.iterdir()} <= {"answers"}),
                          key=lambda p: p.stat().st_mtime)
        except OSError:
            return
        for old in dirs[: max(0, len(dirs) - (KEEP_KEYS - 1))]:
            shutil.rmtree(old, ignore_errors=True)

    # -------------------------------------------------------------- answers
    def _answer_path(self, query: str) -> Path:
        return self.dir / "answers" / (_blake2b(query.encode("utf-8", "surrogatepass")).hexdigest() + ".json")

    def read_answer(self, query: str):
        """(names, rows) kept for exactly this query text, or None."""
        try:
            entry = json.loads(self._answer_path(query).read_bytes())
            rows = entry["rows"]
            if (entry["query"] == query and isinstance(entry["names"], list) and isinstance(rows, list)
                    and all(isinstance(r, dict) for r in rows)):
                return entry["names"], entry["rows"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def write_answer(self, query: str, names: list, rows: list) -> None:
        if any(isinstance(v, str) and v.startswith("_:") for row in rows for v in row.values()):
            return  # a blank node's label is this store's own: not an answer for another process
        if not self.dir.is_dir():
            self._prune_keys()
        try:
            data = json.dumps({"query": query, "names": names, "rows": rows}, ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError):  # a value JSON cannot hold: not kept
            return
        path = self._answer_path(query)
        if _write(path, data) and not self._pruned:
            self._pruned = True  # once per process that writes: at most MAX_ANSWERS kept
            try:
                entries = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)
            except OSError:
                return
            if len(entries) > MAX_ANSWERS:
                for old in entries[: len(entries) // 2]:
                    try:
                        old.unlink()
                    except OSError:
                        pass
