"""The triple store behind every query.

The embedded default is an in-process Oxigraph store. Queries are the files in ``queries/``;
parameters are bound by a ``VALUES`` block placed at the start of the query's outer ``WHERE``
group, built from RDF terms (never by formatting values into the query text), so the same query
text runs unchanged against any SPARQL 1.1 endpoint.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pyoxigraph as ox

from sendkg import terms
from sendkg.errors import QuerySyntaxError, SendkgError, TurtleSyntaxError
from sendkg.resources import load_query, query_path  # noqa: F401  (load_query: where it was)

XSD = "http://www.w3.org/2001/XMLSchema#"
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)

Param = str | int | bool | ox.NamedNode | ox.Literal | terms.IRI | terms.Literal
Row = dict[str, object]


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _term(value: Param) -> ox.NamedNode | ox.Literal:
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if type(value) is terms.IRI:
        return ox.NamedNode(value.value)
    if type(value) is terms.Literal:
        return ox.Literal(value.value, datatype=ox.NamedNode(value.datatype))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    # a value from the command line may hold bytes that are not UTF-8 (surrogate escapes): shown as
    # \xNN, so it matches nothing and the user hears "unknown ..." rather than a traceback
    return ox.Literal(str(value).encode("utf-8", "backslashreplace").decode("utf-8"))


def bind(query: str, params: Mapping[str, Param | Sequence[Param]], pattern: str = "") -> str:
    """Return ``query`` with a VALUES block for ``params`` at the start of its outer WHERE group.

    A parameter may be one term or a sequence of terms (one solution each). Terms are written in
    their N-Triples form by the RDF library, so a value can never change the query's structure.
    ``pattern``, fixed text from sendkg's own code (never a user's value), is put there too.
    """
    if not params and not pattern:
        return query
    match = _WHERE.search(query)
    if match is None:
        raise SendkgError("a query with parameters needs a WHERE clause")
    blocks = []
    for name, value in params.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise SendkgError(f"'{name}' is not a SPARQL variable name")
        values = value if isinstance(value, (list, tuple)) else [value]
        terms = " ".join(str(_term(v)) for v in values)
        blocks.append(f"VALUES ?{name} {{ {terms} }}")
    insert = "\n  " + "\n  ".join(blocks + ([pattern] if pattern else [])) + "\n"
    return query[: match.end()] + insert + query[match.end() :]


_INTEGERS = frozenset(XSD + t for t in ("integer", "int", "long", "nonNegativeInteger", "decimal"))


def json_value(b: dict | None) -> object:
    """A cell of SPARQL JSON results as a Python value (the same values as :func:`python_value`)."""
    if b is None:
        return None
    kind, value = b["type"], b["value"]
    if kind == "bnode":
        return "_:" + value
    if kind == "uri":
        return value
    dt = b.get("datatype")
    if dt is None:
        return value
    if dt == XSD + "boolean":
        return value in ("true", "1")
    if dt in _INTEGERS:
        try:
            return int(value)
        except ValueError:
            return value
    return value


def python_value(term) -> object:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        if dt in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger", XSD + "decimal"):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def _turtle_input(path: Path | str) -> tuple[bytes, str]:
    """A Turtle file's bytes (a regular file or -, within the input limit, else one line) and its
    base IRI."""
    from sendkg.inputs import read_bytes

    data = read_bytes(path, "Turtle file")
    try:
        base = Path(path).resolve().as_uri()
    except (OSError, ValueError, RuntimeError):
        base = "file:///input"
    return data, base


def _turtle_error(path: Path | str, err: SyntaxError) -> TurtleSyntaxError:
    """A Turtle syntax error in one line: the file, line and column, what is wrong, what to do."""
    from sendkg.inputs import show

    line, col = getattr(err, "lineno", None), getattr(err, "offset", None)
    msg = str(err.msg if hasattr(err, "msg") else err)
    msg = re.sub(r"^Parser error at line \d+ (column \d+|between columns \d+ and \d+): ", "", msg)
    msg = re.sub(r" \(line \d+\)$", "", msg)
    where = f"{show(Path(path))}:{line}:{col}" if line else str(show(Path(path)))
    return TurtleSyntaxError(f"{where}: not valid Turtle: {msg}; fix the file and run again")


class EmbeddedStore:
    """An in-memory Oxigraph store loaded from Turtle files."""

    def __init__(self, files: Iterable[Path | str] = ()):
        self._store = ox.Store()
        for f in files:
            self.load_file(f)

    def load_file(self, path: Path | str) -> None:
        data, base = _turtle_input(path)
        try:
            # no base IRI fetch, no owl:imports: Oxigraph parses the bytes and nothing else
            self._store.load(data, format=ox.RdfFormat.TURTLE, base_iri=base)
        except SyntaxError as err:
            raise _turtle_error(path, err) from None

    @staticmethod
    def parse_file(path: Path | str) -> list[ox.Quad]:
        """The statements of a Turtle file, parsed once (for more than one store), with the errors of
        :meth:`load_file`."""
        data, base = _turtle_input(path)
        try:
            return list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base))
        except SyntaxError as err:
            raise _turtle_error(path, err) from None

    def add(self, quads) -> None:
        """Add quads (e.g. claims read from a page) to the store."""
        self._store.extend(quads)

    def materialize(self) -> None:
        """Have the triples loaded now (a :class:`ModelStore` loads them when first asked)."""

    def __len__(self) -> int:
        return len(self._store)

    def select(self, query: str, params: Mapping | None = None, source: str = "query") -> list[Row]:
        """Run a query with bound parameters; return its rows as dicts of Python values."""
        return self.run(bind(query, params or {}), source)[1]

    def run(self, query: str, source: str = "query") -> tuple[list[str], list[Row]]:
        """Run a query as written; return its variable names and rows (ASK gives ``result``)."""
        try:
            result = self._store.query(query)
        except SyntaxError as err:
            where = str(err).replace("error at ", "error at line:column ")
            raise QuerySyntaxError(f"{source}: SPARQL syntax {where}; fix the query") from None
        if isinstance(result, ox.QueryBoolean):
            return ["result"], [{"result": bool(result)}]
        if isinstance(result, ox.QueryTriples):
            rows = [{"subject": python_value(t.subject), "predicate": python_value(t.predicate),
                     "object": python_value(t.object)} for t in result]
            return ["subject", "predicate", "object"], rows
        # Serialising to SPARQL JSON and parsing it is faster than reading each term over the
        # binding (measured: about 30% less time per row), and gives the same values as a server.
        data = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
        names = data["head"]["vars"]
        return names, [{n: json_value(b.get(n)) for n in names} for b in data["results"]["bindings"]]

    def raw(self, query: str, source: str = "query") -> tuple[str, bytes]:
        """Run a user's query as written; return ("results", SPARQL 1.1 results JSON) for SELECT and
        ASK, or ("triples", N-Triples) for CONSTRUCT and DESCRIBE: the standard forms, every term typed."""
        try:
            result = self._store.query(query)
        except SyntaxError as err:
            where = str(err).replace("error at ", "error at line:column ")
            raise QuerySyntaxError(f"{source}: SPARQL syntax {where}; fix the query") from None
        if isinstance(result, ox.QueryTriples):
            return "triples", ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        return "results", result.serialize(format=ox.QueryResultsFormat.JSON)

    def construct(self, query: str, params: Mapping | None = None, source: str = "query") -> bytes:
        """Run a CONSTRUCT query with bound parameters; return the triples as N-Triples."""
        try:
            result = self._store.query(bind(query, params or {}))
        except SyntaxError as err:
            raise QuerySyntaxError(f"{source}: SPARQL syntax {err}") from None
        return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)

    def dump(self, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes:
        return self._store.dump(format=fmt, from_graph=ox.DefaultGraph())


from sendkg.modelcache import ModelStore  # noqa: E402,F401  (where it was)


# ---------------------------------------------------------------- a user's query, within bounds
# The SPARQL 1.1 lexical grammar (section 19.8), enough to tell code from strings, IRIs and comments.
_PN_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
            "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_PN_U = _PN_BASE + "_"
_PN = _PN_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_BASE}](?:[{_PN}.]*[{_PN}])?"
_PN_LOCAL = f"(?:[{_PN_U}:0-9]|{_PLX})(?:(?:[{_PN}.:]|{_PLX})*(?:[{_PN}:]|{_PLX}))?"
_TOKEN_PARTS = [
    ("space", r"\s+"),
    ("comment", r"#[^\n\r]*"),
    ("string", r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
               r'|"(?:[^"\\\n\r]|\\.)*"' r"|'(?:[^'\\\n\r]|\\.)*'"),
    ("var", f"[?$][{_PN_U}0-9][{_PN_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"),
    ("blank", f"_:[{_PN_U}0-9](?:[{_PN}.]*[{_PN}])?"),
    ("pname", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("number", r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?"),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("other", r"[\s\S]"),
]


@lru_cache(maxsize=1)
def _token_regex() -> re.Pattern:
    """The tokenizer, compiled on first use: its Unicode classes take about 0.1 s to compile, which
    every command would otherwise pay at start-up (issue 21 item 5)."""
    return re.compile("|".join(f"(?P<{k}>{v})" for k, v in _TOKEN_PARTS))
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
# Strings, IRIs and comments, blanked to count brackets fast when no keyword is in the text at all.
_OPAQUE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                     r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
                     r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*', re.DOTALL)
_OPERAND = frozenset({"var", "string", "number", "iri", "pname", "blank", "word", "langtag", ")", "]"})
MAX_NESTING = 200  # groups inside groups in one query: deeper ones are refused before parsing
QUERY_MEMORY_MB = 2048  # memory a user's query may take, over what the process holds already


def _tokens(query: str):
    """(kind, text, offset) of each token of a SPARQL query or update, comments and spaces left out.

    Read as Oxigraph reads it: a ``<`` is an IRI except after an operand inside ``( )`` (an
    expression), where it is less-than and what follows it is code (``FILTER(1<2)SERVICE?x#>`` is a
    SERVICE). Where the two readings could differ, the one that shows more code is taken."""
    pos, stack, prev = 0, [], None
    token = _token_regex()
    while pos < len(query):
        if query[pos] == "<" and not (stack and stack[-1] == "(" and prev in _OPERAND):
            m = _IRI.match(query, pos)
            if m:
                yield "iri", m.group(0), pos
                prev, pos = "iri", m.end()
                continue
        m = token.match(query, pos)
        kind, text = m.lastgroup, m.group(0)
        pos = m.end()
        if kind in ("space", "comment"):
            continue
        if kind == "other":
            if text in "([{":
                stack.append(text)
            elif text in ")]}" and stack:
                stack.pop()
            kind = text
        yield kind, text, m.start()
        prev = kind


def check_query_text(query: str, source: str = "query", allow_service: bool = False, update: bool = False,
                     hint: str = "add --allow-service to allow it") -> None:
    """Refuse, before it runs, a query that would reach the network (SERVICE; in an update, LOAD
    too) unless allowed, or whose groups nest deeper than MAX_NESTING (the parser would run out of
    stack). The query is tokenized as SPARQL (strings, IRIs, comments, prefixed names), not matched
    as text; a keyword is any word or prefixed name that starts with it, since Oxigraph reads
    ``SERVICEex:q { }`` and ``?o .SERVICE <x> { }`` as SERVICE too."""
    low = query.lower()
    if "service" in low or (update and "load" in low):
        tokens = _tokens(query)
    else:  # no keyword anywhere: only the brackets matter, counted outside strings, IRIs, comments
        code = _OPAQUE.sub(lambda m: " " * len(m.group(0)), query)
        tokens = ((c, c, 0) for c in re.findall(r"[{}()]", code))
    depth = deepest = 0
    after_prefix = False
    for kind, text, at in tokens:
        if kind in ("word", "pname") and not after_prefix:
            low = text.lower()
            word = "SERVICE" if low.startswith("service") else "LOAD" if update and low.startswith("load") else None
            if word and (word == "LOAD" or not allow_service):
                line = query.count("\n", 0, at) + 1
                why = ("which would send it to another server" if word == "SERVICE" else
                       "which would fetch data from the network")
                raise SendkgError(f"{source}:{line}: the query uses {word}, {why}; sendkg does not reach the "
                                  f"network unless asked{': ' + hint if word == 'SERVICE' and hint else ''}")
        after_prefix = kind == "word" and text.upper() == "PREFIX"
        if kind in ("{", "("):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    raise SendkgError(f"{source}: the query nests groups or brackets more than {MAX_NESTING} deep; "
                                      "simplify it")
        elif kind in ("}", ")"):
            depth = max(0, depth - 1)


class QueryBoundError(SendkgError):
    """A query stopped at its time or memory bound (or its answer's size bound)."""


class EngineError(SendkgError):
    """The query engine crashed on a query (a signal in its child process)."""


class ClientGone(SendkgError):
    """The client that asked for the query closed its connection: the query was stopped."""


def _vm_size() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


@lru_cache(maxsize=1)
def _prctl():
    """libc's prctl, loaded once in the parent (a child may not be able to open files)."""
    try:
        import ctypes

        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError, ImportError):
        return None


def _gone(sock) -> bool:
    """Has the peer of ``sock`` closed the connection? (Data waiting is not a close.)"""
    import select
    import socket

    try:
        if not select.select([sock], [], [], 0)[0]:  # nothing to read: not closed (and never wait)
            return False
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError, TimeoutError):
        return False
    except (OSError, ValueError):
        return True


def run_bounded(store, query: str, source: str = "query", timeout: float = 10.0,
                memory_mb: int | None = None, option: str = "--timeout", offline: bool = False,
                watch=None, max_bytes: int | None = None, fork_lock=None) -> tuple[list[str], list[Row]]:
    """``store.run(query)`` in a child process that is stopped after ``timeout`` seconds and may use
    at most ``memory_mb`` MiB more memory than this process; one line when a bound is hit or the
    query engine fails. ``offline``: the child can open no file or socket (no SERVICE, whatever the
    text). ``watch``: a client's socket; when its peer closes, the child is stopped (ClientGone).
    ``max_bytes``: the largest answer. ``fork_lock``: held while the child is made. Where there is no fork (not POSIX), the query runs here,
    unbounded."""
    import os
    import pickle
    import resource
    import select
    import signal
    import time

    if not hasattr(os, "fork"):  # pragma: no cover - not POSIX
        return store.run(query, source)
    getattr(store, "materialize", lambda: None)()  # loaded here: the child may be able to open no file
    if memory_mb is None:
        try:
            memory_mb = int(os.environ.get("SENDKG_QUERY_MEMORY_MB", QUERY_MEMORY_MB))
        except ValueError:
            memory_mb = QUERY_MEMORY_MB
    limit = _vm_size() + memory_mb * 1024 * 1024
    prctl = _prctl()
    r, w = os.pipe()
    if fork_lock is not None:
        with fork_lock:
            pid = os.fork()
    else:
        pid = os.fork()
    if pid == 0:  # the child: run the query, send the answer, never return into the caller
        status = 0
        try:
            os.close(r)
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 2)  # a Rust panic or abort message is not the user's output
            if prctl is not None:
                prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL: the child never outlives the thread that waits for it
            try:
                import faulthandler

                faulthandler.disable()  # nor a Python fault report (PYTHONFAULTHANDLER, pytest)
            except Exception:  # noqa: BLE001
                pass
            if offline:  # 0-2 /dev/null, 3 the answer, nothing else open, nothing more can be opened
                os.dup2(devnull, 0)
                os.dup2(devnull, 1)
                if w != 3:
                    os.dup2(w, 3)
                    w = 3
                os.closerange(4, 1 << 16)
                resource.setrlimit(resource.RLIMIT_NOFILE, (4, 4))
            try:
                if limit > 0:
                    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            except (ValueError, OSError):
                pass
            try:
                out = ("ok", store.run(query, source))
            except SendkgError as err:
                out = ("error", str(err))
            except MemoryError:
                out = ("memory", "")
            except RecursionError:
                out = ("nested", "")
            except BaseException as err:  # noqa: BLE001 - reported in one line by the parent
                out = ("error", f"{source}: the query failed ({type(err).__name__}: {str(err)[:200]})")
            try:
                data = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
            except MemoryError:
                data = pickle.dumps(("memory", ""))
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
        except BaseException:  # noqa: BLE001
            status = 1
        finally:
            os._exit(status)
    os.close(w)
    chunks, size, deadline, stop = [], 0, time.monotonic() + timeout, None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                stop = "time"
                break
            ready, _, _ = select.select([r] + ([watch] if watch is not None else []), [], [], min(left, 1.0))
            if watch is not None and watch in ready:
                if _gone(watch):
                    stop = "gone"
                    break
                watch = None  # the client sent more (a next request): not a close, stop watching
            if r in ready:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if max_bytes is not None and size > max_bytes + 4096:
                    stop = "size"
                    break
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    finally:
        os.close(r)
    if stop:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if stop == "gone":
            raise ClientGone(f"{source}: the client closed the connection; the query was stopped")
        if stop == "size":
            raise QueryBoundError(f"{source}: the answer is larger than {max_bytes // (1024 * 1024)} MiB and was "
                                  "stopped; narrow the query (LIMIT)")
        raise QueryBoundError(f"{source}: the query ran longer than {option} {timeout:g} s and was stopped; "
                              f"narrow it (LIMIT, fewer joins) or give a longer {option}")
    _, status = os.waitpid(pid, 0)
    data = b"".join(chunks)
    kind, value = ("crash", "")
    if data:
        try:
            kind, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - a truncated answer: the child died while sending it
            kind, value = ("crash", "")
    if kind == "ok":
        return value
    if kind == "error":
        raise SendkgError(value)
    if kind == "nested":
        raise QueryBoundError(f"{source}: the query is nested too deeply to run; simplify it")
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if kind == "memory" or sig in (signal.SIGABRT, signal.SIGKILL) or (sig is None and os.WEXITSTATUS(status)):
        raise QueryBoundError(f"{source}: the query needed more than the memory bound of {memory_mb} MiB and was "
                          "stopped; narrow it (LIMIT, fewer joins) or set SENDKG_QUERY_MEMORY_MB")
    raise EngineError(f"{source}: the query engine failed on this query"
                      f"{f' (signal {sig})' if sig else ''}; simplify it")
