"""Commands about the graph itself: query, validate, load, serve."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sendkg.errors import SendkgError

from sendkg.commands.content import offers_option
from sendkg.commands.output import emit_csv, emit_json


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "turtle", "ntriples"]),
              help="SELECT and ASK: table (default), json (SPARQL 1.1 results JSON) or csv; CONSTRUCT and "
                   "DESCRIBE: turtle (default) or ntriples.")
@click.pass_obj
def query(obj, file, fmt):
    """Run the SPARQL query in FILE against the model."""
    import json

    try:
        text = Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SendkgError(f"{file}: no such file; check the path") from None
    except UnicodeDecodeError:
        raise SendkgError(f"{file}: not UTF-8 text; save the query as UTF-8") from None
    kind, body = obj.model.store.raw(text, source=file)
    if kind == "triples":
        if fmt in ("table", "json", "csv"):
            raise SendkgError(f"{file}: a CONSTRUCT or DESCRIBE query gives triples, not rows: use --format "
                              "turtle (the default for it) or ntriples")
        if fmt == "ntriples":
            click.echo(body.decode("utf-8"), nl=False)
        else:
            import pyoxigraph as ox

            from sendkg.commands.content import turtle

            click.echo(turtle(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))))
        return
    if fmt in ("turtle", "ntriples"):
        raise SendkgError(f"{file}: a SELECT or ASK query gives rows, not triples: use --format table, json or "
                          "csv (turtle and ntriples are for CONSTRUCT and DESCRIBE)")
    data = json.loads(body)
    if fmt == "json":  # the standard form, https://www.w3.org/TR/sparql11-results-json/
        emit_json(data)
        return
    from sendkg.store import json_value

    if "boolean" in data:
        cols, rows = ["result"], [{"result": bool(data["boolean"])}]
    else:
        cols = data["head"]["vars"]
        rows = [{n: json_value(b.get(n)) for n in cols} for b in data["results"]["bindings"]]
    if fmt == "csv":
        emit_csv(cols, rows)
    else:
        from sendkg.render.table import grid

        click.echo(grid(cols, rows))


@click.command()
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
        emit_json({"conforms": ok, "shacl": report.as_json(),
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


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--graph-store", metavar="URL", help="The Graph Store Protocol URL (default: the endpoint with /query replaced by /store).")
@offers_option
@click.pass_obj
def load(obj, files, graph_store):
    """Publish the model and every authority (and FILES) to the --endpoint, one named graph each."""
    if not obj.endpoint:
        raise SendkgError("sendkg load needs --endpoint URL (or SENDKG_ENDPOINT)")
    if obj.data_files:
        raise SendkgError("sendkg load publishes the model and authority files: give the files as arguments "
                          "('sendkg load FILE.ttl'), not with --data (and unset SENDKG_DATA)")
    publish(obj.endpoint, obj.timeout, files, graph_store)


def publish(endpoint: str, timeout: float, files=(), graph_store: str | None = None) -> None:
    """Put the model and every authority (and the authority FILES) on the endpoint, a named graph each."""
    from sendkg.authorities import known_authorities, read_authority_file
    from sendkg.remote import AUTHORITY_GRAPH, MODEL_GRAPH, RemoteStore
    from sendkg.resources import model_files
    from sendkg.store import EmbeddedStore

    remote = RemoteStore(endpoint, timeout, graph_store)
    authorities = list(known_authorities().values())
    for f in files:
        authorities.extend(read_authority_file(Path(f)))
    remote.put_graph(MODEL_GRAPH, EmbeddedStore(model_files()).dump())
    for a in authorities:
        remote.put_graph(AUTHORITY_GRAPH + a.id, EmbeddedStore([a.path]).dump())
    click.echo(f"loaded the model and {len(authorities)} authorities into {remote.graph_store}")


@click.command()
@click.option("--bind", "address", default="127.0.0.1:7878", show_default=True, help="Host and port to listen on.")
@click.option("--location", type=click.Path(file_okay=False), help="Keep the data in this folder (default: in memory).")
@offers_option
@click.pass_obj
def serve(obj, address, location):
    """Run a SPARQL 1.1 server (Oxigraph) holding the model and the authorities, for a team to share."""
    if obj.data_files:
        raise SendkgError("sendkg serve publishes the model and the known authorities and does not take --data; "
                          "publish extra files with 'sendkg --endpoint URL load FILE.ttl' once it runs")
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
        publish(endpoint, 10.0)
        click.echo(f"serving SPARQL at {endpoint}; use: sendkg --endpoint {endpoint} routes refuse-assessment"
                   " (Ctrl-C to stop)", err=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait(timeout=10)


COMMANDS = [query, validate, load, serve]
