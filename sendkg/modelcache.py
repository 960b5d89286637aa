"""A cache of the model for the commands that ask it (issue 21 item 5), in the user's cache folder.

Loading the model's ~30 Turtle files into the store (~11,000 triples) and running a command's
queries is most of what ``sendkg routes`` does after start-up. Two things are kept, under a key
that is a hash of sendkg's version, pyoxigraph's version and every model file's path and bytes
(so an edited, added or removed file gives a new key: never a stale model):

- ``model.nq``: the model as N-Quads, loaded instead of the Turtle when the store is needed (one
  file read and no Turtle parsing); written once per key (first writer wins), so its blank-node
  labels never change under the answers below;
- ``answers/HASH.json``: the rows of each of sendkg's own queries (the exact query text, parameters
  bound, is kept in the entry and compared), written only by a process whose store came from that
  ``model.nq``. A command whose every query has been answered before loads no store at all.

Only the model alone is cached: with ``--data`` files, a store that had triples added, or a user's
query, nothing is read from or written to the cache. Every write is a temporary file renamed into
place; an unreadable, truncated or corrupt entry is ignored (and the model's rebuilt); a cache
folder that cannot be written (a read-only home) is never an error. ``SENDKG_CACHE`` names another
folder, or turns the cache off (``SENDKG_CACHE=off``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

FORMAT = 1  # bump when what is kept changes
KEEP_KEYS = 8  # model versions kept side by side (checkouts, installs), the least recently made removed
MAX_ANSWERS = 4096  # answers kept per model version; beyond, the older half is removed
_OFF = ("", "0", "off", "no", "false", "none")


def cache_root() -> Path | None:
    """The folder of sendkg's cache, or None when it is off: SENDKG_CACHE, else XDG_CACHE_HOME/sendkg,
    else ~/.cache/sendkg on Linux, else the platform's user cache folder (platformdirs)."""
    given = os.environ.get("SENDKG_CACHE")
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

    from sendkg import __version__

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


def _write(path: Path, data: bytes, replace: bool = True) -> bool:
    """Write ``data`` to ``path`` atomically (a temporary file in the same folder, renamed); with
    ``replace=False`` an existing file is kept (first writer wins). False when it could not be."""
    import tempfile

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if another process put it there first
            except FileExistsError:
                return False
            finally:
                os.unlink(tmp)
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

    # -------------------------------------------------------------- the model as N-Quads
    def read_model(self) -> bytes | None:
        """The N-Quads body of ``model.nq`` if it is whole (its header's length and CRC match), else None."""
        import zlib

        try:
            data = (self.dir / "model.nq").read_bytes()
        except OSError:
            return None
        head, sep, body = data.partition(b"\n")
        parts = head.split()
        if (not sep or len(parts) != 5 or parts[:3] != [b"#", b"sendkg-model", str(FORMAT).encode()]
                or parts[3] != str(len(body)).encode() or parts[4] != b"%08x" % zlib.crc32(body)):
            return None
        return body

    def write_model(self, nquads: bytes) -> None:
        import zlib

        head = b"# sendkg-model %d %d %08x\n" % (FORMAT, len(nquads), zlib.crc32(nquads))
        if not self.dir.is_dir():
            self._prune_keys()
        _write(self.dir / "model.nq", head + nquads, replace=False)

    def discard(self) -> None:
        """Remove this key's folder (a corrupt model.nq: the answers made from it go with it)."""
        import shutil

        shutil.rmtree(self.dir, ignore_errors=True)

    def _prune_keys(self) -> None:
        """Keep at most KEEP_KEYS model folders: the least recently made are removed."""
        import shutil

        try:
            dirs = sorted((p for p in self.root.iterdir() if p.is_dir() and len(p.name) == 32),
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
            if entry["query"] == query and isinstance(entry["names"], list) and isinstance(entry["rows"], list):
                return entry["names"], entry["rows"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def write_answer(self, query: str, names: list, rows: list) -> None:
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
