"""The documentation site's generated pages (a MkDocs hook, named in mkdocs.yml; nothing here is kept
in git as a page):

- ``commands/NAME.md`` for every command of ``sendkg`` (read from the click commands: usage, help,
  options) with a real example, run in this process when the site is built;
- ``rules/CODE.md`` for every finding code the shapes define (``sendkg.lintconfig.rules()``: what it
  means, the law with links, a wrong and a right example, how to suppress it, and what ``sendkg rule
  CODE`` prints);
- the parts of hand-written pages that come from data: the performance table of
  ``benchmarks/README.md``, the classes and properties of the ontology, and Turtle excerpts of
  ``ontology/`` (``<!-- turtle: FILE SUBJECT -->``), so that none of them can go stale.

Nothing reaches the network: the examples that need a web server or a SPARQL server start one on
127.0.0.1 for the length of the example.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import logging
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.sendkg")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # build from the checkout's source, installed or not
    sys.path.insert(0, str(ROOT))

# ------------------------------------------------------------------ the examples, one per command
PAGE_MD = """# Resolving disagreements

Talk to the school first. Our SENDIASS gives free, impartial advice.

If you want to appeal to the Tribunal, you must first contact a mediation adviser and get a
mediation certificate. You must appeal to the Tribunal within two months of receiving the decision.
For help with health services, ask the Clinical Commissioning Group.
"""
QUERY_RQ = """PREFIX skg:     <https://w3id.org/sendkg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?route (COUNT(?decision) AS ?decisions) WHERE {
  ?d skg:hasRoute ?r . ?r dcterms:identifier ?route . ?d dcterms:identifier ?decision .
} GROUP BY ?route ORDER BY DESC(?decisions) ?route LIMIT 3
"""
PAGES_CSV = "authority,url\nmilton-keynes,page.md\n"

# command: (arguments, files written first into the example's folder, lines shown at most, guide page)
EXAMPLES = {
    "decisions": (["decisions"], {}, 12, "guide/routes.md"),
    "conditions": (["conditions"], {}, 14, "guide/routes.md"),
    "routes": (["routes", "plan-contents", "--condition", "section-i-only", "--format", "mermaid"], {}, 40,
               "guide/routes.md"),
    "deadlines": (["deadlines", "refuse-plan", "--decision-date", "2026-06-01", "--today", "2026-06-15"], {}, 20,
                  "guide/deadlines.md"),
    "show": (["show", "sendiass-support"], {}, 30, "guide/model-questions.md"),
    "sources": (["sources", "--status", "unverified", "--format", "csv"], {}, 6, "guide/as-of.md"),
    "check": (["check", "rotherham"], {}, 30, "guide/authorities.md"),
    "compare": (["compare", "--format", "csv"], {}, 10, "guide/authorities.md"),
    "extract": (["extract", "page.md", "--authority", "milton-keynes"], {"page.md": PAGE_MD}, 45,
                "guide/authorities.md"),
    "lint": (["lint", "page.md"], {"page.md": PAGE_MD}, 20, "guide/lint.md"),
    "rule": (["rule", "--all"], {}, 40, "guide/lint.md"),
    "vocabulary": (["vocabulary", "events"], {}, 12, "guide/model-questions.md"),
    "query": (["query", "routes-by-use.rq"], {"routes-by-use.rq": QUERY_RQ}, 12, "guide/model-questions.md"),
    "validate": (["validate", "--no-reason"], {}, 10, "guide/model-questions.md"),
    "authorities": (["authorities", "--format", "csv"], {}, 8, "guide/study.md"),
    "fetch": (["fetch", "--allow-private", "--delay", "0", "--cache", "cache", "{site}/send/disagreements"], {}, 10,
              "guide/study.md"),
    "study": (["study", "--list", "pages.csv", "-o", "study"], {"page.md": PAGE_MD, "pages.csv": PAGES_CSV}, 12,
              "guide/study.md"),
    "serve": (["serve", "--bind", "{bind}"], {}, 6, "guide/server.md"),
    "load": (["--endpoint", "{endpoint}", "load"], {}, 6, "guide/server.md"),
}


def run(args: list[str], cwd: Path, env: dict | None = None) -> tuple[int, str]:
    """`sendkg ARGS` in this process, from ``cwd``: what it prints (stdout, then stderr) and its exit code."""
    from sendkg.cli import main

    out, err = io.StringIO(), io.StringIO()
    here, saved = os.getcwd(), {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(args)
                code = 0
            except SystemExit as stop:
                code = stop.code or 0
    finally:
        os.chdir(here)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return code, out.getvalue() + err.getvalue()


class _Site(BaseHTTPRequestHandler):
    """An authority's site on 127.0.0.1, for `sendkg fetch`'s example (no network)."""
    PAGES = {"/robots.txt": ("text/plain", "User-agent: *\nAllow: /\n"),
             "/send/disagreements": ("text/html", "<html><head><title>Disagreements</title></head><body><h1>If you "
                                     "disagree</h1><p>Our SENDIASS can help.</p></body></html>")}

    def do_GET(self):  # noqa: N802 - http.server's name
        kind, body = self.PAGES.get(self.path, ("text/plain", "not found"))
        self.send_response(200 if self.path in self.PAGES else 404)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body.encode())))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):  # quiet
        pass


@contextlib.contextmanager
def _web_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _sparql_server(writable: bool, token: str = "docs-example-token"):
    """`sendkg serve` in a child process on a free port: (what it printed once serving, its endpoint)."""
    bind = f"127.0.0.1:{_free_port()}"
    args = [sys.executable, "-m", "sendkg", "serve", "--bind", bind] + (["--writable", "--token", token] if writable else [])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(args, stdout=err, stderr=err, env=env, cwd=tempfile.gettempdir())
        try:
            for _ in range(600):
                err.seek(0)
                said = err.read()
                if "serving SPARQL" in said or proc.poll() is not None:
                    break
                time.sleep(0.05)
            yield bind, said, f"http://{bind}/query"
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@lru_cache(maxsize=None)
def example(name: str) -> tuple[str, int, str] | None:
    """(the command line shown, its exit code, what it printed) for the command's example."""
    if name not in EXAMPLES:
        return None
    args, files, _, _ = EXAMPLES[name]
    with tempfile.TemporaryDirectory(prefix="sendkg-docs-") as tmp:
        where = Path(tmp)
        for file, text in files.items():
            (where / file).write_text(text, encoding="utf-8")
        if name == "fetch":
            with _web_site() as site:
                args = [a.replace("{site}", site) for a in args]
                code, said = run(args, where)
        elif name == "serve":
            with _sparql_server(writable=False) as (bind, said, _):
                args, code = [a.replace("{bind}", bind) for a in args], 0
        elif name == "load":
            with _sparql_server(writable=True) as (_, _, endpoint):
                args = [a.replace("{endpoint}", endpoint) for a in args]
                code, said = run(args, where, env={"SENDKG_TOKEN": "docs-example-token"})
        else:
            code, said = run(args, where)
    return "sendkg " + " ".join(args), code, said


# ------------------------------------------------------------------ command pages
def commands() -> dict:
    from sendkg.cli import cli

    return dict(sorted(cli.commands.items()))


def _option_row(param) -> str:
    import click

    names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
    if isinstance(param.type, click.Choice):
        kind = " \\| ".join(f"`{c}`" for c in param.type.choices)
    elif getattr(param, "is_flag", False):
        kind = "flag"
    else:
        kind = f"`{param.metavar or param.type.name.upper()}`"
    unset = param.default is None or "UNSET" in repr(param.default) or param.default in ((), [], False)
    default = "" if unset or getattr(param, "is_flag", False) else f"`{param.default}`"
    extra = []
    if getattr(param, "multiple", False) and "repeatable" not in (param.help or ""):
        extra.append("repeatable")
    if getattr(param, "envvar", None):
        extra.append(f"or `{param.envvar}`")
    text = (getattr(param, "help", "") or "").replace("|", "\\|").replace("\n", " ")
    if extra:
        text += f" ({'; '.join(extra)})"
    return f"| {names} | {kind} | {default} | {text} |"


def _fence(text: str, lang: str = "text") -> str:
    ticks = "````" if "```" in text else "```"
    return f"{ticks}{lang}\n{text.rstrip()}\n{ticks}"


def command_page(name: str, command) -> str:
    import click

    from sendkg.cli import cli

    ctx = click.Context(command, info_name=f"sendkg {name}", parent=click.Context(cli, info_name="sendkg"))
    usage = " ".join(command.collect_usage_pieces(ctx))
    help_text = inspect.cleandoc(command.help or "").replace("\b\n", "")
    lines = [f"# `sendkg {name}`", "", help_text.split("\n\n")[0].strip(), "",
             _fence(f"sendkg [GLOBAL OPTIONS] {name} {usage}", "sh"), ""]
    rest = help_text.split("\n\n")[1:]
    lines += [*(p.strip() for p in rest), ""] if rest else []
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    if arguments:
        lines += ["## Arguments", ""]
        for a in arguments:
            lines.append(f"- `{a.human_readable_name}`" + (" (repeatable)" if a.nargs == -1 else "")
                         + ("" if a.required else " (optional)"))
        lines.append("")
    options = [p for p in command.params if isinstance(p, click.Option)]
    lines += ["## Options", "", "| option | value | default | what it does |", "| --- | --- | --- | --- |",
              *(_option_row(p) for p in options), "| `-h`, `--help` | flag | | Show the help and exit. |", "",
              "The global options (`--data`, `--endpoint`, `--timeout`) come before the command: see "
              "[the commands](index.md).", ""]
    ran = example(name)
    if ran:
        shown, code, said = ran
        limit = EXAMPLES[name][2]
        out = said.rstrip("\n").split("\n")
        cut = len(out) > limit
        body = "\n".join(out[:limit] + (["..."] if cut else []))
        lines += ["## Example", "", "Run when this page was built" + (f" (the first {limit} lines)" if cut else "")
                  + f"; exit code {code}:", "", _fence(f"$ {shown}\n{body}"), ""]
    guide = EXAMPLES.get(name, (None, None, None, None))[3]
    if guide:
        lines += ["## More", "", f"The guide explains it with more examples: [{guide}](../{guide}).", ""]
    return "\n".join(lines)


def commands_index() -> str:
    from sendkg.cli import cli

    lines = ["# Commands", "", "Every command of `sendkg`, with its options and a real example run when this site "
             "was built. `sendkg COMMAND --help` prints the same help in a terminal.", "",
             "| command | what it does |", "| --- | --- |"]
    for name, command in commands().items():
        lines.append(f"| [`{name}`]({name}.md) | {command.get_short_help_str(200)} |")
    lines += ["", "## Global options", "", "| option | value | default | what it does |", "| --- | --- | --- | --- |",
              *(_option_row(p) for p in cli.params if p.name not in ("help", "version")),
              "| `--version` | flag | | Show the version and exit. |", ""]
    return "\n".join(lines)


# ------------------------------------------------------------------ rule pages
def rule_page(rule: dict) -> str:
    code = rule["code"]
    severities = ", ".join(rule["severities"])
    lines = [f"# `{code}`", "", f"**Severity:** {severities}" + (
        " (a warning over an authority's whole site; info on one page that covers the topic)"
        if rule["severities"] == ["warning", "info"] else ""), "",
        rule["summary"][:1].upper() + rule["summary"][1:] + ".", ""]
    if rule["description"]:
        lines += [rule["description"], ""]
    lines += ["## The law", ""]
    if rule["sources"]:
        for s in rule["sources"]:
            cite = f"[{s['citation']}]({s['iri']})" if s["iri"] else s["citation"]
            lines.append(f"- {cite} ({s['status'] or 'unverified'})")
    else:
        lines.append("None: this code is about sendkg's own input, not the law.")
    lines += ["", "The status says how sure the model is of each source: see "
              "[how sure the model is](../data-model.md#how-sure-the-model-is).", ""]
    if rule["example"]:
        lines += ["## Wrong", "", f"> {rule['example']}", ""]
    if rule.get("right_example"):
        lines += ["## Right", "", f"> {rule['right_example']}", ""]
    lines += ["## Suppressing it", "",
              "On a page a council has checked and accepts, a comment names the code for the next line with text "
              "(or, after text, for its own line), or for the whole page:", "",
              _fence(f"<!-- sendkg: ignore[{code}] -->\n<!-- sendkg: ignore-file[{code}] -->", "html"), "",
              "For a whole site, in `pyproject.toml` (or `.sendkg.toml` without the `tool.sendkg.lint` prefix):", "",
              _fence(f'[tool.sendkg.lint]\nignore = ["{code}"]\n\n[tool.sendkg.lint.per-file-ignores]\n'
                     f'"archive/*.html" = ["{code}"]', "toml"), "",
              "or once, `sendkg lint --ignore " + code + " ...`. See [configuration](../guide/lint.md).", "",
              "## In a terminal", "", "What `sendkg rule " + code + "` prints:", ""]
    _, _, said = _rule_text(code)
    lines += [_fence(f"$ sendkg rule {code}\n{said}"), ""]
    return "\n".join(lines)


def _rule_text(code: str) -> tuple[str, int, str]:
    with tempfile.TemporaryDirectory() as tmp:
        c, said = run(["rule", code], Path(tmp))
    return f"sendkg rule {code}", c, said


def rules_index(rules: dict) -> str:
    lines = ["# Finding codes", "", "The codes `sendkg check` and `sendkg lint` report, one page each, generated from "
             "the shapes (`skg:findingCode` in `shapes/authority.ttl`, with its `skos:definition`, `rdfs:comment`, "
             "`skos:example`, `skg:rightExample` and `dcterms:source`). `sendkg rule CODE` prints the same in a "
             "terminal, and each finding in SARIF links its page (`helpUri`).", "",
             "| code | severity | what it means | the law |", "| --- | --- | --- | --- |"]
    for code, r in rules.items():
        law = "; ".join(s["citation"] for s in r["sources"]) or "not about the law"
        lines.append(f"| [`{code}`]({code}.md) | {', '.join(r['severities'])} | {r['summary']} | {law} |")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ parts of hand-written pages
def benchmark_table() -> str:
    """The results block of benchmarks/README.md (`benchmarks/run.py --write` writes it); a warning,
    so a strict build fails, when the markers are gone."""
    text = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- results -->\n(.*?)<!-- /results -->", text, re.S)
    if not m:
        log.warning("docs/hooks.py: benchmarks/README.md has no <!-- results --> ... <!-- /results --> block "
                    "for docs/performance.md")
        return "(no results block in benchmarks/README.md)"
    return m.group(1).strip()


def turtle_excerpt(file: str, subject: str) -> str:
    """The statements about SUBJECT in FILE, as written there: from its line to the line ending in ' .'."""
    lines = (ROOT / file).read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.startswith(subject + " ") or line == subject:
            j = i
            while not re.search(r"\s\.\s*(#.*)?$", lines[j]):
                j += 1
            return _fence("\n".join(lines[i:j + 1]), "turtle") + f"\n\n<small>`{file}`</small>"
    raise ValueError(f"docs: {file} has no statements about {subject}")


def vocabulary_table(file: str) -> str:
    """The classes and properties FILE declares, with their labels and comments (rdflib)."""
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS

    g = rdflib.Graph().parse(ROOT / file)
    kinds = {OWL.Class: "class", OWL.ObjectProperty: "property", OWL.DatatypeProperty: "property",
             OWL.AnnotationProperty: "annotation"}
    rows = []
    for kind, word in kinds.items():
        for s in g.subjects(RDF.type, kind):
            if not isinstance(s, rdflib.URIRef) or not str(s).startswith("https://w3id.org/sendkg/def#"):
                continue
            comment = str(g.value(s, RDFS.comment) or "").replace("|", "\\|").replace("\n", " ")
            rows.append((word != "class", str(s).split("#", 1)[1], word, comment))
    rows.sort()
    return "\n".join(["| term | kind | what it is |", "| --- | --- | --- |",
                      *(f"| `skg:{name}` | {word} | {comment} |" for _, name, word, comment in rows)])


def formats_table() -> str:
    import click

    rows = ["| command | `--format` | default |", "| --- | --- | --- |"]
    for name, command in commands().items():
        for p in command.params:
            if isinstance(p, click.Option) and "--format" in p.opts and isinstance(p.type, click.Choice):
                rows.append(f"| [`{name}`](commands/{name}.md) | {', '.join(f'`{c}`' for c in p.type.choices)} "
                            f"| `{p.default}` |")
    return "\n".join(rows)


def schemas_section() -> str:
    import json

    from sendkg import schemas

    out = []
    for name in schemas.names():
        schema = schemas.load(name)
        out += [f"### `{name}.schema.json`", "", f"{schema.get('title', '')}. {schema.get('description', '')}".strip(),
                "", _fence(json.dumps(schema, indent=2, ensure_ascii=False), "json"), ""]
    return "\n".join(out)


def fill(markdown: str) -> str:
    if "<!-- formats -->" in markdown:
        markdown = markdown.replace("<!-- formats -->", formats_table())
    if "<!-- schemas -->" in markdown:
        markdown = markdown.replace("<!-- schemas -->", schemas_section())
    markdown = markdown.replace("<!-- benchmarks -->", benchmark_table())
    markdown = re.sub(r"<!-- turtle: (\S+) (\S+) -->", lambda m: turtle_excerpt(m.group(1), m.group(2)), markdown)
    return re.sub(r"<!-- vocabulary: (\S+) -->", lambda m: vocabulary_table(m.group(1)), markdown)


# ------------------------------------------------------------------ the MkDocs events
def on_config(config, **kwargs):
    from sendkg.lintconfig import rules
    from sendkg.links import DOCS_URL

    config["site_url"] = DOCS_URL  # no repo_url: Material's theme would ask GitHub's API for its stars
    nav = config["nav"]
    for entry in nav:
        if isinstance(entry, dict) and "Commands" in entry:
            entry["Commands"] = ["commands/index.md", *(f"commands/{n}.md" for n in commands())]
        if isinstance(entry, dict) and "Finding codes" in entry:
            entry["Finding codes"] = ["rules/index.md", *(f"rules/{c}.md" for c in rules())]
    return config


def on_files(files, config, **kwargs):
    from mkdocs.structure.files import File

    from sendkg.lintconfig import rules

    known = rules()
    pages = {"commands/index.md": commands_index(), "rules/index.md": rules_index(known)}
    pages.update({f"commands/{n}.md": command_page(n, c) for n, c in commands().items()})
    pages.update({f"rules/{c}.md": rule_page(r) for c, r in known.items()})
    for uri, text in pages.items():
        files.append(File.generated(config, uri, content=text))
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    return fill(markdown)
