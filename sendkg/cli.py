"""The ``sendkg`` command. Each command is thin: it calls the Python API and a renderer.

Bad input (unknown identifiers, malformed files, query syntax errors) prints one line naming the
problem and what to do, and exits 2; a check that finds problems exits 1.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from sendkg import __version__
from sendkg.errors import SendkgError


class Context:
    def __init__(self, data_files, endpoint=None, timeout=10.0):
        self.data_files = [Path(f) for f in data_files]
        self.endpoint = endpoint
        self.timeout = timeout
        self._model = None
        self._remote = None

    @property
    def remote(self):
        """The SPARQL endpoint given with --endpoint (or SENDKG_ENDPOINT), else None."""
        if self.endpoint and self._remote is None:
            from sendkg.remote import RemoteStore

            if self.data_files:
                raise SendkgError("--data and --endpoint together: publish the files with 'sendkg load' instead")
            self._remote = RemoteStore(self.endpoint, self.timeout)
        return self._remote

    @property
    def model(self):
        if self._model is None:
            from sendkg.model import Model

            self._model = Model(self.data_files, store=self.remote)
        return self._model


def _json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


def _emit(text: str, output: str | None) -> None:
    """Print, or write to a file atomically (a temporary file renamed into place: never half-written)."""
    if not output:
        click.echo(text, nl=False)
        return
    import os
    import tempfile

    target = Path(output)
    fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    click.echo(f"wrote {target}", err=True)


def _csv(columns, rows) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    click.echo(buf.getvalue(), nl=False)


def _events(decision_date, certificate_date, event_args) -> dict:
    from sendkg.deadlines import parse_date

    events = {}
    if decision_date:
        events["decision"] = parse_date(decision_date, "--decision-date")
    if certificate_date:
        events["certificate"] = parse_date(certificate_date, "--certificate-date")
    for item in event_args:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise SendkgError(f"--event '{item}' should be NAME=YYYY-MM-DD, e.g. --event request=2026-01-05")
        events[name.strip()] = parse_date(value.strip(), f"--event {name.strip()}")
    return events


def event_options(f):
    f = click.option("--event", "event_args", multiple=True, metavar="NAME=YYYY-MM-DD",
                     help="The date of another event a time limit runs from (repeatable).")(f)
    f = click.option("--certificate-date", metavar="YYYY-MM-DD",
                     help="The date of issue of the mediation certificate (same as --event certificate=...).")(f)
    f = click.option("--decision-date", metavar="YYYY-MM-DD",
                     help="The day written notice of the decision was SENT (not the date printed on the letter, "
                          "if it was posted later).")(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data_files", multiple=True, type=click.Path(dir_okay=False),
              envvar="SENDKG_DATA", help="A Turtle file that extends or changes the model (repeatable).")
@click.option("--endpoint", envvar="SENDKG_ENDPOINT", metavar="URL",
              help="Ask a SPARQL 1.1 endpoint instead of the embedded store (see 'sendkg load' and 'sendkg serve').")
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds to wait for the endpoint.")
@click.version_option(__version__, prog_name="sendkg")
@click.pass_context
def cli(ctx, data_files, endpoint, timeout):
    """sendkg: the routes for SEND disagreements in England, as a knowledge graph."""
    ctx.obj = Context(data_files, endpoint, timeout)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_obj
def decisions(obj, fmt):
    """List the decision types, and whether each can be appealed to the Tribunal."""
    rows = obj.model.decisions()
    cols = ["id", "label", "appealable"]
    if fmt == "json":
        _json([{k: r[k] for k in ("id", "label", "appealable", "comment")} for r in rows])
    elif fmt == "csv":
        _csv(cols, rows)
    else:
        from sendkg.render.table import grid

        click.echo(grid(cols, [{**r, "appealable": "yes" if r["appealable"] else "no"} for r in rows]))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def conditions(obj, fmt):
    """List the conditions that change which routes apply (for --condition)."""
    conds = list(obj.model.conditions().values())
    if fmt == "json":
        _json(conds)
        return
    from sendkg.render.table import grid

    click.echo(grid(["id", "label", "decisions", "lifts", "adds"],
                    [{**c, **{k: ", ".join(c[k]) for k in ("decisions", "lifts", "adds")}} for c in conds]))


@cli.command()
@click.argument("decision")
@click.option("--condition", "conds", multiple=True, metavar="ID",
              help="A condition that holds in this case (repeatable; 'sendkg conditions' lists them).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "mermaid", "dot"]), default="table",
              show_default=True)
@event_options
@click.pass_obj
def routes(obj, decision, conds, fmt, decision_date, certificate_date, event_args):
    """Which routes apply to DECISION, in what order, with parties, time limits and sources.

    With --decision-date (and other event dates) each route also shows its deadlines.
    """
    answer = obj.model.routes(decision, conds)
    events = _events(decision_date, certificate_date, event_args)
    if events:
        from sendkg.deadlines import deadlines as compute

        result = compute(obj.model, decision, events, conds)
        for r in answer["routes"]:
            r["deadlines"] = [{k: d[k] for k in ("id", "label", "date", "note")}
                              for d in result["deadlines"] if d["route"] == r["id"]]
        answer["events"] = result["events"]
    if fmt == "json":
        _json(answer)
    else:
        from sendkg.render import dot, mermaid, table

        click.echo({"table": table, "mermaid": mermaid, "dot": dot}[fmt].routes(answer))


@cli.command()
@click.argument("decision")
@event_options
@click.option("--condition", "conds", multiple=True, metavar="ID", help="A condition that holds (repeatable).")
@click.option("--school-closed", "closures", multiple=True, metavar="FROM..TO",
              help="A school holiday or closure, for limits in school days (repeatable; give all of them).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "ics"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of printing.")
@click.pass_obj
def deadlines(obj, decision, decision_date, certificate_date, event_args, conds, closures, fmt, output):
    """Every time limit that applies to DECISION, as a date, with the rule and its legal source."""
    from sendkg.deadlines import deadlines as compute, parse_closure

    events = _events(decision_date, certificate_date, event_args)
    school = [parse_closure(c) for c in closures] if closures else None
    result = compute(obj.model, decision, events, conds, school)
    if fmt == "json":
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "ics":
        from sendkg.render.ics import deadlines as render

        text = render(result)
    else:
        from sendkg.render.table import deadlines as render

        text = render(result) + "\n"
    _emit(text, output)


@cli.command()
@click.argument("route")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def show(obj, route, fmt):
    """One route in detail: parties, time limits, decisions, order and legal basis."""
    detail = obj.model.route(route)
    if fmt == "json":
        _json(detail)
    else:
        from sendkg.render.table import route as render

        click.echo(render(detail))


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_obj
def query(obj, file, fmt):
    """Run the SPARQL query in FILE against the model."""
    try:
        text = Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SendkgError(f"{file}: no such file; check the path") from None
    except UnicodeDecodeError:
        raise SendkgError(f"{file}: not UTF-8 text; save the query as UTF-8") from None
    cols, rows = obj.model.query(text, source=file)
    if fmt == "json":
        _json({"vars": cols, "rows": rows})
    elif fmt == "csv":
        _csv(cols, rows)
    else:
        from sendkg.render.table import grid

        click.echo(grid(cols, rows))


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True)
@click.option("--reason/--no-reason", default=True, show_default=True,
              help="Also run the OWL reasoner (HermiT, needs Java).")
@click.pass_obj
def validate(obj, files, fmt, reason):
    """Validate the model, with any extension FILES, against the SHACL shapes and the OWL reasoner.

    Exit 0 when it conforms and is consistent, 1 when not.
    """
    from sendkg.resources import model_files
    from sendkg.store import EmbeddedStore
    from sendkg.validate import render_text, validate as shacl

    all_files = [*model_files(), *obj.data_files, *map(Path, files)]
    ntriples = EmbeddedStore(all_files).dump()  # parses every file once, errors with line and column
    report = shacl(ntriples=ntriples)
    reasoning, unavailable = None, None
    if reason:
        from sendkg.reason import ReasonerUnavailable, reason as run_reasoner

        try:
            reasoning = run_reasoner(ntriples)
        except ReasonerUnavailable as err:  # report SHACL anyway, then say why OWL did not run
            unavailable = err
    ok = report.conforms and (reasoning is None or reasoning.consistent)
    if fmt == "turtle":
        click.echo(report.turtle)
    elif fmt == "json":
        _json({"conforms": ok, "shacl": report.as_json(),
               "owl": reasoning.as_json() if reasoning else None})
    else:
        click.echo(render_text(report))
        if reasoning is not None:
            if reasoning.consistent:
                click.echo("OWL (HermiT): consistent; classified by the reasoner:")
                for c, ids in reasoning.classes.items():
                    click.echo(f"  {reasoning.labels[c]}: {', '.join(ids) or '(none)'}")
            else:
                click.echo(f"OWL (HermiT): {reasoning.problem}")
    if unavailable is not None:
        raise unavailable
    sys.exit(0 if ok else 1)


@cli.command()
@click.argument("targets", nargs=-1, metavar="[AUTHORITY|FILE.ttl]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation", show_default=True,
              help="Exit 1 when a finding at or above this severity exists.")
@click.pass_obj
def check(obj, targets, fmt, fail_on):
    """Check authority content against the law (every known authority when none is named).

    Exit 1 when a finding at or above --fail-on exists, 0 when none, 2 for bad input.
    """
    from sendkg.authorities import SEVERITIES, check as run, render_text, resolve

    chosen = resolve(targets, obj.remote)
    with _Steps(f"checking {len(chosen)} authorit{'y' if len(chosen) == 1 else 'ies'}") as bar:
        report = run(chosen, obj.remote, bar)
    if fmt == "json":
        _json(report.as_json())
    elif fmt == "turtle":
        click.echo(report.turtle)
    else:
        click.echo(render_text(report))
    sys.exit(1 if report.worst() <= SEVERITIES.index(fail_on) else 0)


@cli.command()
@click.argument("targets", nargs=-1, metavar="[AUTHORITY|FILE.ttl]...")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html"]), default="table",
              show_default=True)
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), metavar="FILE.png|FILE.svg",
              help="Also draw the matrix as a heat map.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of printing.")
@click.pass_obj
def compare(obj, targets, fmt, plot_path, output):
    """Compare authorities' content side by side (every known authority when none is named)."""
    from sendkg.authorities import resolve
    from sendkg.compare import COLUMNS, compare as run, public
    from sendkg.render import compare as render

    if plot_path and not plot_path.lower().endswith((".png", ".svg")):
        raise SendkgError(f"--plot {plot_path}: give a file ending in .png or .svg")
    chosen = resolve(targets, obj.remote)
    with _Steps(f"comparing {len(chosen)} authorit{'y' if len(chosen) == 1 else 'ies'}") as bar:
        rows = run(chosen, remote=obj.remote, progress=bar)
    if fmt == "json":
        text = json.dumps(public(rows), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=[k for k, _ in COLUMNS], extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(public(rows))
        text = buf.getvalue()
    elif fmt == "html":
        text = render.html_page(rows)
    else:
        text = render.table(rows) + "\n"
    _emit(text, output)
    if plot_path:
        render.plot(rows, plot_path)
        click.echo(f"wrote {plot_path}", err=True)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--graph-store", metavar="URL", help="The Graph Store Protocol URL (default: the endpoint with /query replaced by /store).")
@click.pass_obj
def load(obj, files, graph_store):
    """Publish the model and every authority (and FILES) to the --endpoint, one named graph each."""
    from sendkg.authorities import known_authorities, read_authority_file
    from sendkg.remote import AUTHORITY_GRAPH, MODEL_GRAPH, RemoteStore
    from sendkg.resources import model_files
    from sendkg.store import EmbeddedStore

    if not obj.endpoint:
        raise SendkgError("sendkg load needs --endpoint URL (or SENDKG_ENDPOINT)")
    remote = RemoteStore(obj.endpoint, obj.timeout, graph_store)
    authorities = list(known_authorities().values())
    for f in files:
        authorities.extend(read_authority_file(Path(f)))
    remote.put_graph(MODEL_GRAPH, EmbeddedStore(model_files()).dump())
    for a in authorities:
        remote.put_graph(AUTHORITY_GRAPH + a.id, EmbeddedStore([a.path]).dump())
    click.echo(f"loaded the model and {len(authorities)} authorities into {remote.graph_store}")


@cli.command()
@click.option("--bind", "address", default="127.0.0.1:7878", show_default=True, help="Host and port to listen on.")
@click.option("--location", type=click.Path(file_okay=False), help="Keep the data in this folder (default: in memory).")
def serve(address, location):
    """Run a SPARQL 1.1 server (Oxigraph) holding the model and the authorities, for a team to share."""
    import shutil
    import subprocess
    import time

    from sendkg.remote import RemoteStore

    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(exe).exists() and not shutil.which("oxigraph"):
        raise SendkgError("sendkg serve needs the oxigraph server ('pip install oxigraph')")
    cmd = [exe, "serve", "--bind", address, "--union-default-graph"] + (["--location", location] if location else [])
    server = subprocess.Popen(cmd)
    import signal

    # Stopped with SIGTERM (a service manager, a test), still stop the server: never leave it behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    endpoint = f"http://{address}/query"
    try:
        for _ in range(100):
            try:
                RemoteStore(endpoint, 1).run("ASK {}")
                break
            except SendkgError:
                if server.poll() is not None:
                    raise SendkgError(f"the server stopped at start (exit {server.returncode}); is {address} in use?")
                time.sleep(0.05)
        cli.main(args=["--endpoint", endpoint, "load"], prog_name="sendkg", standalone_mode=False)
        click.echo(f"serving SPARQL at {endpoint}; use: sendkg --endpoint {endpoint} routes refuse-assessment"
                   " (Ctrl-C to stop)", err=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait(timeout=10)


def _progress(label: str, total: int):
    """A progress bar on a terminal for long work; nothing when output is piped or in CI."""
    import os

    if total < 2 or not sys.stderr.isatty() or os.environ.get("CI"):
        return None, None
    bar = click.progressbar(length=total, label=label, file=sys.stderr)
    bar.__enter__()
    return bar, lambda _item: bar.update(1)


class _Steps:
    """A progress bar for work counted in steps, ``progress(done, total)``; on a terminal only."""

    def __init__(self, label: str):
        import os

        self.label, self.bar = label, None
        self.on = sys.stderr.isatty() and not os.environ.get("CI")

    def __call__(self, done: int, total: int) -> None:
        if not self.on or total < 2:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.length = total
        self.bar.update(done - self.bar.pos)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation", show_default=True,
              help="Exit 1 when a finding at or above this severity exists.")
@click.option("--authority", metavar="NAME", help="The authority the pages are about (identifier or name).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of printing.")
@click.pass_obj
def lint(obj, files, fmt, fail_on, authority, output):
    """Check pages (text, Markdown or HTML) straight from their text: findings at line and column.

    Exit 1 when a finding at or above --fail-on exists, 0 when none, 2 for bad input.
    """
    from sendkg import __version__ as version
    from sendkg.authorities import SEVERITIES
    from sendkg.lint import as_json, as_sarif, lint as run, render_text, worst

    bar, tick = _progress("reading pages", len(files))
    try:
        reports = run([Path(f) for f in files], authority, tick)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if fmt == "json":
        text = json.dumps(as_json(reports), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "sarif":
        text = json.dumps(as_sarif(reports, version), indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_text(reports) + "\n"
    _emit(text, output)
    sys.exit(1 if worst(reports) <= SEVERITIES.index(fail_on) else 0)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--authority", metavar="NAME", help="The authority the page is about (identifier or name).")
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples"]), default="turtle", show_default=True)
@click.pass_obj
def extract(obj, file, authority, fmt):
    """Show the claims read from a page, as RDF in the vocabulary that `check` validates."""
    import pyoxigraph as ox

    from sendkg.lint import extract_claims

    quads, _ = extract_claims([Path(file)], authority)
    prefixes = {"skg": "https://w3id.org/sendkg/def#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                "dcterms": "http://purl.org/dc/terms/", "route": "https://w3id.org/sendkg/id/route/",
                "tl": "https://w3id.org/sendkg/id/time-limit/", "ev": "https://w3id.org/sendkg/id/event/",
                "term": "https://w3id.org/sendkg/id/term/", "cond": "https://w3id.org/sendkg/id/condition/",
                "time": "http://www.w3.org/2006/time#", "xsd": "http://www.w3.org/2001/XMLSchema#"}
    triples = [q.triple for q in quads]
    if fmt == "turtle":
        click.echo(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8"))
    else:
        click.echo(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), nl=False)


def main(argv=None):
    try:
        cli.main(args=argv, prog_name="sendkg", standalone_mode=False)
    except SendkgError as err:
        click.echo(f"sendkg: error: {err}", err=True)
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        click.echo("sendkg: aborted", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except BrokenPipeError:  # e.g. piped into head
        sys.exit(0)
