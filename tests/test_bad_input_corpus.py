"""Issue 12, item 9: a generated corpus of bad inputs, fed to every command and option.

Each case runs in this process (tests/test_bad_input.py ``run``) and must: exit non-zero; print no
traceback, Rust panic or internal error; say what is wrong in short ``sendkg: error:`` lines that
name the file (or the option) at fault; leave every file as it was; and connect to nothing outside
loopback (an audit hook refuses and records Python's connections and name lookups; a listener on
127.0.0.1 records any connection Oxigraph would make from Rust for SERVICE, FROM or LOAD).
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

import pytest

from test_bad_input import _GUARD, PAGE, ROOT, TTL_HEAD, digest, fake_endpoint, listener, run

HERE = Path(__file__).resolve().parent
BIG = 1 << 20  # bytes of the file that is over the (lowered) input limit, half this


# ---------------------------------------------------------------- bad files, made once
def _files(root: Path, port: int) -> dict[str, dict[str, Path | str]]:
    """Bad inputs by kind: {"any": {...}, "ttl": {...}, "rq": {...}, "page": {...}}."""
    def w(name: str, data: bytes | str) -> Path:
        p = root / name
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return p

    loop_a, loop_b = root / "loop-a.ttl", root / "loop-b.ttl"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    dangling = root / "dangling.ttl"
    dangling.symlink_to(root / "nowhere.ttl")
    folder = root / "folder.ttl"
    folder.mkdir()
    fifo = root / "fifo.ttl"
    os.mkfifo(fifo)
    io_error = root / "io-error.ttl"
    io_error.symlink_to("/proc/self/mem")  # reading it fails (EIO), like a file one may not read
    bad_name = os.fsdecode(bytes(root) + b"/bad-\xff-name.ttl")
    Path(bad_name).write_bytes(b"\x00@prefix : <x> .\n:a :b")  # neither a page nor Turtle
    any_kind = {
        "missing": root / "missing.ttl", "folder": folder, "fifo": fifo, "dev-zero": "/dev/zero",
        "dev-null": "/dev/null", "empty": w("empty.ttl", b""), "binary": w("binary.ttl", bytes(range(256)) * 4),
        "latin1": w("latin1.ttl", "caf\xe9 \xff\xfe".encode("latin-1")), "symlink-loop": loop_a,
        "dangling-link": dangling, "non-utf8-name": bad_name, "long-name": str(root / ("n" * 300 + ".ttl")),
        "over-limit": w("over.ttl", b"#" * BIG), "nul-in-name": str(root / "a\x00b.ttl"), "io-error": io_error,
    }
    ttl = {
        "not-turtle": w("garbage.ttl", "this is not turtle at all\n"),
        "undeclared-prefix": w("prefix.ttl", "ex:a ex:b ex:c .\n"),
        "unterminated": w("unterminated.ttl", '@prefix ex: <https://e.org/> .\nex:a ex:b "open\n'),
        "bad-iri": w("iri.ttl", "<http://a b> <http://e.org/p> <http://e.org/o> .\n"),
        "bad-escape": w("escape.ttl", '<http://e.org/s> <http://e.org/p> "\\uD800" .\n'),
        "deep-brackets": w("deep.ttl", "@prefix ex: <https://e.org/> .\nex:a ex:b " + "[ ex:c " * 3000 + "]" * 3000
                           + " .\n"),
        "duplicate-decision": w("dup.ttl", TTL_HEAD + '<https://e.org/d> a skg:Decision ; dcterms:identifier '
                                '"refuse-plan" ; rdfs:label "x" .\n'),
        "negative-limit": w("neg.ttl", TTL_HEAD + '<https://e.org/t> a skg:TimeLimit ; skg:duration '
                            '[ time:numericDuration -2 ; time:unitType time:unitMonth ] .\n'),
        "zero-limit": w("zero.ttl", TTL_HEAD + '<https://e.org/t> a skg:TimeLimit ; skg:duration '
                        '[ time:numericDuration 0 ; time:unitType time:unitDay ] .\n'),
        "word-limit": w("word.ttl", TTL_HEAD + '<https://e.org/t> a skg:TimeLimit ; skg:duration '
                        '[ time:numericDuration "two" ; time:unitType time:unitWeek ] .\n'),
        "absurd-limit": w("absurd.ttl", TTL_HEAD + '<https://e.org/t> a skg:TimeLimit ; skg:duration '
                          '[ time:numericDuration 99999 ; time:unitType time:unitYear ] .\n'),
        "second-duration": w("second.ttl", TTL_HEAD + 'tl:contact-adviser skg:duration '
                             '[ time:numericDuration 3 ; time:unitType time:unitMonth ] .\n'),
        "two-dates": w("dates.ttl", TTL_HEAD + '<https://w3id.org/sendkg/id/term/ccg> skg:replacedOn '
                       '"2021-01-01"^^xsd:date , "2024-01-01"^^xsd:date .\n'),
    }
    rq = {
        "syntax": w("syntax.rq", "SELEC * WHERE { ?s ?p ?o }\n"),
        "service": w("service.rq", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}\n"),
        "service-silent": w("silent.rq", f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/q> "
                            "{ ?s ?p ?o } }\n"),
        "service-var": w("svar.rq", "SELECT * WHERE { BIND (<http://127.0.0.1:%d/q> AS ?e) SERVICE ?e { ?s ?p ?o } }\n"
                         % port),
        "nested": w("nested.rq", "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000 + "\n"),
        "nested-brackets": w("brackets.rq", "SELECT * WHERE { FILTER (" + "(" * 3000 + "1" + ")" * 3000 + ") }\n"),
        "update-load": w("load.rq", f"LOAD <http://127.0.0.1:{port}/x.ttl>\n"),
        "update-insert": w("insert.rq", "INSERT DATA { <http://e.org/a> <http://e.org/b> <http://e.org/c> }\n"),
        "unknown-prefix": w("prefix.rq", "SELECT * WHERE { ex:a ?p ?o }\n"),
        "empty-query": w("empty.rq", "\n"),
        "html": w("html.rq", "<html><body>not a query</body></html>\n"),
    }
    page = {
        "page-empty": w("empty.html", ""), "page-blank": w("blank.txt", "  \n\t\n"),
        "page-binary": w("binary.html", b"\x00\x01<p>x</p>"),
        "page-latin1": w("latin1.txt", "m\xe9diation".encode("latin-1")),
        "page-folder": folder, "page-missing": root / "missing.html", "page-fifo": fifo,
    }
    return {"any": any_kind, "ttl": ttl, "rq": rq, "page": page}


def _needle(path) -> str:
    """What the error line must hold to name the file: its name as printed (not UTF-8 bytes as \\xNN)."""
    from sendkg.inputs import show

    name = os.path.basename(show(path))
    return name.split("\x00")[0][:60]


# ---------------------------------------------------------------- the cases
def _cases(files, endpoints, busy_port, closed_port, root):
    cases = []  # (id, args, needle or None, env)

    def add(cid, args, needle=None, env=None):
        cases.append(pytest.param(args, needle, env or {}, id=cid))

    env_small = {"SENDKG_MAX_INPUT_MB": str(BIG / 2 / 1024 / 1024)}
    file_commands = {
        "data-decisions": lambda f: ["--data", f, "decisions"],
        "data-routes": lambda f: ["--data", f, "routes", "refuse-plan"],
        "data-deadlines": lambda f: ["--data", f, "deadlines", "refuse-plan", "--decision-date", "2026-01-05"],
        "data-show": lambda f: ["--data", f, "show", "mediation"],
        "data-query": lambda f: ["--data", f, "query", ROOT / "queries" / "decisions.rq"],
        "validate": lambda f: ["validate", "--no-reason", f],
        "check": lambda f: ["check", f],
        "compare": lambda f: ["compare", f],
        "load": lambda f: ["--endpoint", f"http://127.0.0.1:{closed_port}/query", "load", f],
    }
    for kind, f in {**files["any"], **files["ttl"]}.items():
        for cname, make in file_commands.items():
            if kind in ("duplicate-decision", "negative-limit", "zero-limit", "word-limit", "absurd-limit",
                        "second-duration", "two-dates") and cname in ("check", "compare", "load"):
                continue  # model data, not authority content: covered by the --data and validate cases
            if kind == "empty" and cname.startswith(("data-", "validate")):
                continue  # an empty Turtle file is valid (no statements)
            add(f"{cname}[{kind}]", make(f), _needle(f), env_small if kind == "over-limit" else None)
        if "\x00" not in str(f) and kind != "empty":  # an environment variable cannot hold a NUL
            add(f"env-data[{kind}]", ["decisions"], _needle(f),
                {"SENDKG_DATA": str(f), **(env_small if kind == "over-limit" else {})})
    for kind, f in {**files["any"], **files["rq"]}.items():
        add(f"query[{kind}]", ["query", f], _needle(f), env_small if kind == "over-limit" else None)
        add(f"query-json[{kind}]", ["query", "--format", "json", f], _needle(f),
            env_small if kind == "over-limit" else None)
    for kind, f in {**files["any"], **files["page"]}.items():
        env = env_small if kind == "over-limit" else None
        add(f"lint[{kind}]", ["lint", f], _needle(f), env)
        add(f"lint-sarif[{kind}]", ["lint", "--format", "sarif", f], _needle(f), env)
        add(f"extract[{kind}]", ["extract", f], _needle(f), env)

    for kind, f in files["any"].items():  # the study commands' lists (issue 14), read as any input
        env = env_small if kind == "over-limit" else None
        if kind != "non-utf8-name":  # (its content is read as a list of URLs: each line an error row, exit 1)
            # an empty list: fetch's own message does not name the file (left to fetch's owner)
            add(f"fetch-list[{kind}]", ["fetch", "--list", f], None if kind == "empty" else _needle(f), env)
        add(f"study-list[{kind}]", ["study", "--offline", "--list", f, "-o", root / "study-out"], _needle(f), env)
    for k, v in {"timeout": ["--timeout", "nan"], "delay": ["--delay", "-1"], "max-bytes": ["--max-bytes", "0"],
                 "retries": ["--retries", "-1"]}.items():
        add(f"fetch-option[{k}]", ["fetch", *v, f"http://127.0.0.1:{closed_port}/page"], v[0])
    add("study-folder[missing]", ["study", "--offline", root / "no-such-folder", "-o", root / "study-out"],
        "no-such-folder")
    add("authorities-format", ["authorities", "--format", "xml"], "--format")

    slow = root / "slow.rq"
    slow.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }\n")
    add("query[cartesian-timeout]", ["--timeout", "1", "query", slow], "--timeout")

    # identifiers and values
    bad_ids = {"empty": "", "space": " ", "typo": "refuse-asessment", "long": "x" * 10_000,
               "non-utf8": os.fsdecode(b"refuse-\xff"), "path": "../../etc/passwd", "iri": "<http://e.org/x>",
               "injection": 'refuse-plan" } . ?s ?p ?o . {', "variable": "?x", "newline": "refuse\nplan",
               "unicode": "refuse\u2028plan", "nul": "refuse\x00plan"}
    for k, v in bad_ids.items():
        if "\x00" in v:
            continue  # a NUL cannot be an argument of a process
        add(f"routes-id[{k}]", ["routes", v])
        add(f"deadlines-id[{k}]", ["deadlines", v, "--decision-date", "2026-01-05"])
        add(f"show-id[{k}]", ["show", v])
        add(f"condition[{k}]", ["routes", "plan-contents", "--condition", v])
        add(f"check-id[{k}]", ["check", v])
        add(f"compare-id[{k}]", ["compare", v])
        add(f"lint-authority[{k}]", ["lint", "--authority", v, ROOT / "tests" / "seeds" / "000_dc0ff41c4349732d.txt"])
    bad_dates = {"empty": "", "feb30": "2026-02-30", "word": "tomorrow", "year0": "0000-01-01", "short": "2026-1-5",
                 "time": "2026-01-05T10:00:00", "negative": "-1", "spaces": "   ", "huge-year": "99999-01-01",
                 "slashes": "05/01/2026"}
    for k, v in bad_dates.items():
        for cmd in ("routes", "deadlines"):
            add(f"{cmd}-decision-date[{k}]", [cmd, "refuse-plan", "--decision-date", v], "--decision-date")
            add(f"{cmd}-certificate-date[{k}]", [cmd, "refuse-plan", "--certificate-date", v], "--certificate-date")
            add(f"{cmd}-event-date[{k}]", [cmd, "la-failure", "--event", f"request={v}"], "--event")
    for k, v in {"max-date": "9999-12-31", "min-date": "0001-01-01"}.items():
        add(f"deadlines-edge-date[{k}]", ["deadlines", "refuse-plan", "--decision-date", v], "decision date")
    for k, v in {"no-equals": "request", "no-name": "=2026-01-05", "no-date": "request=", "two-dates":
                 "decision=2026-01-06"}.items():
        add(f"event[{k}]", ["deadlines", "refuse-plan", "--decision-date", "2026-01-05", "--event", v], "--event")
    for k, v in {"word": "easter", "backwards": "2026-04-10..2026-03-30", "open": "2026-03-30..", "dots": "..",
                 "feb30": "2026-02-30..2026-03-01"}.items():
        add(f"school-closed[{k}]", ["deadlines", "refuse-plan", "--school-closed", v], "school")
    for cmd in (["decisions"], ["conditions"], ["routes", "refuse-plan"], ["deadlines", "refuse-plan"],
                ["show", "mediation"], ["query", ROOT / "queries" / "decisions.rq"], ["validate", "--no-reason"],
                ["check"], ["compare"], ["lint", ROOT / "tests" / "seeds" / "000_dc0ff41c4349732d.txt"],
                ["extract", ROOT / "tests" / "seeds" / "000_dc0ff41c4349732d.txt"]):
        add(f"format[{cmd[0]}]", [*cmd, "--format", "xml"], "--format")
        add(f"unknown-option[{cmd[0]}]", [*cmd, "--frobnicate"], "--frobnicate")
    for cmd in ("check", "lint"):
        add(f"fail-on[{cmd}]", [cmd, "--fail-on", "error"], "--fail-on")
    add("unknown-command", ["frobnicate"], "frobnicate")
    add("no-command-args[routes]", ["routes"], "DECISION")
    for k, v in {"negative": "-1", "nan": "nan", "inf": "inf", "zero": "0", "word": "soon", "huge": "1e400",
                 "too-long": "1e9"}.items():
        add(f"timeout[{k}]", ["--timeout", v, "decisions"], "--timeout")
    for k, v in {"ipv6-open": "http://[::1", "ftp": "ftp://x/query", "no-host": "http://", "bad-port":
                 "http://127.0.0.1:99999/query", "space": "http://a b/query", "word": "endpoint",
                 "refused": f"http://127.0.0.1:{closed_port}/query", **endpoints}.items():
        add(f"endpoint[{k}]", ["--endpoint", v, "routes", "refuse-plan"], v[:40])
        add(f"endpoint-env[{k}]", ["decisions"], v[:40], {"SENDKG_ENDPOINT": v})
        if k in endpoints:
            for cmd in (["decisions"], ["show", "mediation"], ["check"], ["compare"],
                        ["query", ROOT / "queries" / "decisions.rq"],
                        ["deadlines", "refuse-plan", "--decision-date", "2026-01-05"]):
                add(f"endpoint-{cmd[0]}[{k}]", ["--endpoint", v, *cmd], v[:40])
    add("endpoint-with-data", ["--endpoint", endpoints["html"], "--data", ROOT / "offers" / "dudley.ttl", "decisions"],
        "--data")
    for k, v in {"garbage": "garbage", "colon": ":", "no-port": "127.0.0.1:", "port0": "127.0.0.1:0",
                 "port-high": "127.0.0.1:70000", "hostname": "example.org:80", "ipv6-open": "[::1",
                 "bad-ip": "999.1.1.1:80", "not-here": "10.255.255.1:7878", "busy": f"127.0.0.1:{busy_port}",
                 "v6-no-brackets": "::1:7878"}.items():
        add(f"serve-bind[{k}]", ["serve", "--bind", v], "--bind")
    blocker = root / "blocker"
    blocker.write_text("x")
    add("serve-location[under-a-file]", ["serve", "--bind", f"127.0.0.1:{closed_port}", "--location",
                                         blocker / "store"], "--location")
    add("serve-location[proc]", ["serve", "--bind", f"127.0.0.1:{closed_port}", "--location", "/proc/no/store"],
        "--location")
    add("load-no-endpoint", ["load"], "--endpoint")
    for k, v in {"ftp": "ftp://x/store", "ipv6-open": "http://[::1/store", "word": "store"}.items():
        add(f"load-graph-store[{k}]", ["--endpoint", f"http://127.0.0.1:{closed_port}/query", "load",
                                       "--graph-store", v], "--graph-store")
    seed = ROOT / "tests" / "seeds" / "000_dc0ff41c4349732d.txt"
    for k, v in {"typo": "atlantis", "empty": "", "long": "y" * 5000}.items():
        add(f"extract-authority[{k}]", ["extract", "--authority", v, seed], "authority")
        add(f"deadlines-condition[{k}]", ["deadlines", "refuse-plan", "--condition", v])
        add(f"routes-condition-dated[{k}]", ["routes", "plan-contents", "--decision-date", "2026-01-05",
                                            "--condition", v])

    # outputs: never harm a file, refuse in one line
    out_ok = root / "precious.txt"
    out_ok.write_text("precious")
    ttl_in = root / "in-authority.ttl"
    ttl_in.write_bytes((ROOT / "offers" / "dudley.ttl").read_bytes())
    page_in = root / "in-page.html"
    page_in.write_text(PAGE)
    outs = {"folder": root, "missing-folder": root / "no" / "out.txt", "under-a-file": blocker / "out.txt",
            "proc": "/proc/no/out.txt"}
    for k, o in outs.items():
        add(f"compare-o[{k}]", ["compare", "dudley", "-o", o], "-o")
        add(f"lint-o[{k}]", ["lint", page_in, "-o", o], "-o")
        add(f"deadlines-o[{k}]", ["deadlines", "refuse-plan", "-o", o], "-o")
        if k != "folder":  # (a file in the folder would be a good --plot)
            add(f"compare-plot[{k}]", ["compare", "dudley", "-o", out_ok, "--plot", Path(str(o)) / "m.png"], "--plot")
    add("compare-o-input", ["compare", ttl_in, "-o", ttl_in], "also an input")
    add("lint-o-input", ["lint", page_in, "-o", page_in], "also an input")
    add("deadlines-o-data", ["--data", ttl_in, "deadlines", "refuse-plan", "-o", ttl_in], "also an input")
    add("compare-plot-jpg", ["compare", "dudley", "--plot", root / "m.jpg"], "--plot")
    add("compare-plot-same-as-o", ["compare", "dudley", "-o", root / "m.svg", "--plot", root / "m.svg"], "--plot")
    add("lint-glob-nothing", ["lint", str(root / "nothing-*.html")], "nothing-")
    add("lint-empty-folder", ["lint", root / "folder.ttl"], "folder.ttl")
    add("check-glob-nothing", ["check", str(root / "nothing-*.ttl")], "nothing-")
    return cases


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    with contextlib.ExitStack() as stack:
        port, seen = stack.enter_context(listener())
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
        closed.close()  # nobody listens there: refused
        busy = stack.enter_context(socket.socket())
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        json_ct = "application/sparql-results+json"
        endpoints = {
            "html": stack.enter_context(fake_endpoint(b"<html><body>Not SPARQL</body></html>", "text/html", ask=None)),
            "broken-json": stack.enter_context(fake_endpoint(b'{"head": {"vars": ["id"]}, "results": ', json_ct,
                                                             ask=None)),
            "wrong-shape": stack.enter_context(fake_endpoint(b'{"head": {"vars": ["id"]}, "results": {"bindings": '
                                                             b'[{"id": {"type": "nonsense"}}]}}', json_ct, ask=None)),
            "empty-body": stack.enter_context(fake_endpoint(b"", json_ct, ask=None)),
            "no-model": stack.enter_context(fake_endpoint(b'{"head": {"vars": []}, "results": {"bindings": []}}',
                                                          json_ct, ask=b'{"head": {}, "boolean": false}')),
            "list": stack.enter_context(fake_endpoint(b"[1, 2, 3]", json_ct, ask=None)),
        }
        files = _files(root, port)
        yield {"root": root, "files": files, "seen": seen,
               "cases": _cases(files, endpoints, busy.getsockname()[1], closed_port, root)}
        assert seen == [], "Oxigraph connected to the loopback listener (SERVICE, FROM or LOAD fetched)"


def _names() -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = _files(root, 9)
        endpoints = {k: f"http://127.0.0.1:9/{k}" for k in ("html", "broken-json", "wrong-shape", "empty-body",
                                                            "no-model", "list")}
        return [c.id for c in _cases(files, endpoints, 9, 9, root)]


_CASE_NAMES = _names()


def test_corpus_is_large():
    assert len(_CASE_NAMES) >= 300, len(_CASE_NAMES)
    assert len(set(_CASE_NAMES)) == len(_CASE_NAMES)


@pytest.mark.parametrize("case_name", _CASE_NAMES)
def test_bad_input(corpus, case_name):
    case = next(c for c in corpus["cases"] if c.id == case_name)
    args, needle, env = case.values
    root = corpus["root"]
    before = digest(root)
    _GUARD["seen"].clear()
    r = run(*args, env=env)
    assert _GUARD["seen"] == [], f"connected outside loopback: {_GUARD['seen']}"
    assert r.code not in (0, 70) and r.code > 0, r
    assert "Traceback" not in r.err and "Traceback" not in r.out, r
    assert "panicked" not in r.err and "RUST_BACKTRACE" not in r.err and "internal error" not in r.err, r
    lines = [x for x in r.err.splitlines() if x.strip()]
    assert lines and all(x.startswith("sendkg: error: ") and len(x) < 700 for x in lines), r
    if needle:
        assert any(needle in x for x in lines), (needle, r)
    assert digest(root) == before, "a file changed"
