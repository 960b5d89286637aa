"""A cache of sendkg's answers from the model (issue 21 item 5), in the user's cache folder.

Loading the model's ~30 Turtle files into the store (~11,000 triples) and running a command's
queries is most of what ``sendkg routes`` does after start-up. The rows of each of sendkg's own
queries (the exact query text, parameters bound, ``?asOf`` included) are kept in
``KEY/answers/HASH.bin``, keyed by the query's text and its parameters written as plain text
(:func:`question`, kept in the entry and compared when read), so that a kept answer needs no RDF
library: pyoxigraph is not imported. KEY is a hash of sendkg's version, pyoxigraph's (read from its
files), Python's, and every model file's path and bytes, so an edited, added or removed file gives
a new key: never an answer from another model. A command whose every query has been answered
before loads no store at all.

Only the model alone is cached: with ``--data`` files, a store that had triples added, or a user's
query, nothing is read from or written to the cache. An answer holding a blank node is never kept
(its label is the store's own and differs from load to load). Every write is a temporary file
renamed into place; an unreadable, truncated or corrupt entry is ignored (and written again); a
cache folder that cannot be written (a read-only home) is never an error. The model's key is
remembered in ``stamps/`` beside each file's status (:func:`model_key`); one small file per set of
model files and versions, never pruned. ``SENDKG_ANSWER_CACHE`` names
another folder, or turns the cache off (``SENDKG_ANSWER_CACHE=off``).

A cached form of the model itself was measured and not kept: loading N-Quads instead of the Turtle
saves about 1.3 ms of the ~17 ms load (8%) and costs more instructions (the N-Quads are three times
the bytes); nearly all of the load is building the store's indexes, as ``benchmarks/README.md`` says.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from pathlib import Path

FORMAT = 2  # bump when what is kept changes
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


def _oxigraph_build() -> str:
    """pyoxigraph's version and its binary (name, size, time), read from its files without importing
    it (importing it costs about 10 million instructions; reading its version from
    ``importlib.metadata`` 80 million)."""
    from importlib.machinery import PathFinder

    try:
        spec = PathFinder.find_spec("pyoxigraph")
        folder = list(spec.submodule_search_locations or [])[0] if spec else None
        if folder:
            site = os.path.dirname(folder)
            dist = sorted(n for n in os.listdir(site) if n.startswith("pyoxigraph-") and n.endswith(".dist-info"))
            binaries = []
            for name in sorted(os.listdir(folder)):
                if name.endswith((".so", ".pyd", ".dylib")):
                    st = os.stat(os.path.join(folder, name))
                    binaries.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
            if dist and binaries:
                return f"{folder} {' '.join(dist)} {' '.join(binaries)}"
    except (OSError, ValueError, IndexError, ImportError):
        pass
    import pyoxigraph  # not found as files: ask it

    return f"pyoxigraph {pyoxigraph.__version__} {getattr(pyoxigraph, '__file__', '')}"


def _hash_files(head: str, files) -> str | None:
    digest = _blake2b(head.encode("utf-8", "surrogateescape"))
    try:
        for f in files:
            path = os.path.realpath(f)  # the path is the base IRI of the file's relative IRIs
            with open(path, "rb") as fh:
                data = fh.read()
            digest.update(b"%s\0%d\0" % (os.fsencode(path), len(data)))
            digest.update(data)
    except (OSError, ValueError, RuntimeError):
        return None
    return digest.hexdigest()


SETTLED_NS = 2_000_000_000  # a file changed less than this long ago is hashed again on every run


def model_key(files, root: Path | None = None) -> str | None:
    """The hash that names the cache of a model made of ``files`` (None if one cannot be read): of
    every file's path and bytes, sendkg's, pyoxigraph's and Python's versions.

    Reading and hashing the ~700 kB of the model is about 13 million instructions, so ``root``'s
    ``stamps/`` remembers the key beside each file's status (device, inode, size, modification and
    change times, as git's index does). When every file's status is the same the key is taken from
    there; a file changed in any way has a new change time (which no program can set back), so it is
    read again. A stamp is written only when every file last changed at least SETTLED_NS before, so
    that a change in the same tick of the clock as the stamp cannot go unseen."""
    import time

    from sendkg._version import __version__  # not the package: its lazy names would import the API

    head = (f"sendkg {__version__} {_oxigraph_build()} python {sys.version} marshal {marshal.version} "
            f"cache {FORMAT}\n")
    paths = [os.fspath(f) for f in files]
    if root is None:
        return _hash_files(head, paths)
    now = time.time_ns()
    try:
        status = []
        for p in paths:
            st = os.stat(p)
            status.append((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    except (OSError, ValueError):
        return None
    stamp = root / "stamps" / (_blake2b("\0".join([head, *paths]).encode("utf-8", "surrogateescape")).hexdigest()
                               + ".bin")
    try:
        with open(stamp, "rb") as fh:
            data = fh.read()
        if len(data) > 16 and _blake2b(data[16:]).digest() == data[:16]:
            kept_status, kept_key = marshal.loads(data[16:])
            if kept_status == status and type(kept_key) is str and _HEX32.fullmatch(kept_key):
                return kept_key
    except (OSError, ValueError, EOFError, TypeError):
        pass
    key = _hash_files(head, paths)
    if key is not None and all(now - max(s[3], s[4]) >= SETTLED_NS for s in status):
        body = marshal.dumps((status, key))
        _write(stamp, _blake2b(body).digest() + body)
    return key


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
        key = model_key(files, root)
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
    # An entry is the BLAKE2 hash of its content, then the content: (question, names, rows) in
    # marshal's form (no JSON parser to import). A hash that does not match (a truncated or damaged
    # file) means the entry is ignored before marshal reads it.
    def _answer_path(self, question: str) -> Path:
        return self.dir / "answers" / (_blake2b(question.encode("utf-8", "surrogatepass")).hexdigest() + ".bin")

    def read_answer(self, question: str):
        """(names, rows) kept for exactly this question (a query's text and its parameters), or None."""
        try:
            with open(self._answer_path(question), "rb") as fh:
                data = fh.read()
            body = data[16:]
            if len(data) <= 16 or _blake2b(body).digest() != data[:16]:
                return None
            kept, names, rows = marshal.loads(body)
            if (kept == question and type(names) is list and type(rows) is list
                    and all(type(r) is dict for r in rows)):
                return names, rows
        except (OSError, ValueError, EOFError, TypeError):
            pass
        return None

    def write_answer(self, question: str, names: list, rows: list) -> None:
        if any(isinstance(v, str) and v.startswith("_:") for row in rows for v in row.values()):
            return  # a blank node's label is this store's own: not an answer for another process
        if not self.dir.is_dir():
            self._prune_keys()
        try:
            body = marshal.dumps((question, list(names), [dict(r) for r in rows]))
        except (TypeError, ValueError):  # a value marshal cannot hold: not kept
            return
        path = self._answer_path(question)
        if _write(path, _blake2b(body).digest() + body) and not self._pruned:
            self._pruned = True  # once per process that writes: at most MAX_ANSWERS kept
            try:
                entries = sorted(path.parent.glob("*.bin"), key=lambda p: p.stat().st_mtime)
            except OSError:
                return
            if len(entries) > MAX_ANSWERS:
                for old in entries[: len(entries) // 2]:
                    try:
                        old.unlink()
                    except OSError:
                        pass


def question(query: str, params) -> str:
    """What an answer is kept under: the query's text and its parameters as plain text."""
    from sendkg.terms import key

    return f"{query}\0{key(params)}"


class ModelStore:
    """The model's store (the files of :func:`sendkg.resources.model_files`): sendkg's own queries
    (:meth:`select`) answered from the cache of answers while nothing has been added to it, with no
    RDF library imported when every answer is kept; the store itself
    (:class:`sendkg.store.EmbeddedStore`) loaded when first needed, and everything else asked of it."""

    def __init__(self, files):
        self._files = list(files)
        self._real = None
        self._cache = ModelCache.of(self._files)
        self._pristine = True  # nothing added beyond the model's files

    @property
    def real(self):
        """The loaded store."""
        if self._real is None:
            from sendkg.store import EmbeddedStore

            self._real = EmbeddedStore(self._files)
        return self._real

    def __getattr__(self, name):  # run, raw, construct, dump, _store, ...: the loaded store's
        if name.startswith("__") or name in ("_real", "_files", "_cache", "_pristine"):
            raise AttributeError(name)
        return getattr(self.real, name)

    def __len__(self) -> int:
        return len(self.real)

    def materialize(self) -> None:
        self.real  # noqa: B018 - loads it

    def load_file(self, path) -> None:
        self._pristine = False
        self.real.load_file(path)

    def add(self, quads) -> None:
        self._pristine = False
        self.real.add(quads)

    def select(self, query: str, params=None, source: str = "query") -> list:
        params = params or {}
        if not self._pristine or self._cache is None:
            return self.real.select(query, params, source)
        asked = question(query, params)
        kept = self._cache.read_answer(asked)
        if kept is not None:
            return kept[1]
        from sendkg.store import bind

        names, rows = self.real.run(bind(query, params), source)
        if self._pristine:
            self._cache.write_answer(asked, names, rows)
        return rows
