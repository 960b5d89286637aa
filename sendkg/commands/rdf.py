"""Commands about the graph itself: query, validate, load, serve, explore."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sendkg.errors import SendkgError

from sendkg.commands.content import offers_option
from sendkg.commands.output import emit_csv, emit_json


@click.command()
@click.argument("file", metavar="FILE.rq|-")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "turtle", "ntriples"]),
              help="SELECT and ASK: table (default), json (SPARQL 1.1 results JSON) or csv; CONSTRUCT and "
                   "DESCRIBE: turtle (default) or ntriples.")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE send parts of the query to other servers (refused unless given).")
@click.pass_obj
def query(obj, file, fmt, allow_service):
    """Run the SPARQL query in FILE against the model.

    The query runs within --timeout seconds and a memory bound (SENDKG_QUERY_MEMORY_MB, 2048 by
    default); SERVICE is refused unless --allow-service is given.
    """
    import json

    from sendkg.inputs import read_text, show
    from sendkg.store import check_query_text, run_bounded

    text = read_text(file, "query")
    source = show(file)
    file = source
    check_query_text(text, source, allow_service)
    if obj.remote is not None:
        obj.remote.check_model()  # a store with no sendkg model: one line naming the endpoint
        kind, body = obj.remote.raw(text, source=source)
    else:
        store = obj.model.store  # loaded here: the child that runs the query can open no file
        store.materialize()

        class Raw:  # the standard forms (results JSON, N-Triples), within the same bounds
            def run(self, q, src):
                return store.raw(q, src)

        kind, body = run_bounded(Raw(), text, source, obj.timeout, offline=not allow_service)
    if kind == "triples":
        import pyoxigraph as ox

        try:
            triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError:
            if obj.remote is not None:
                raise obj.remote._bad("an answer that is neither SPARQL results JSON nor N-Triples") from None
            raise
        if fmt in ("table", "json", "csv"):
            raise SendkgError(f"{file}: a CONSTRUCT or DESCRIBE query gives triples, not rows: use --format "
                              "turtle (the default for it) or ntriples")
        if fmt == "ntriples":
            click.echo(body.decode("utf-8"), nl=False)
        else:
            from sendkg.commands.content import turtle

            click.echo(turtle(triples))
        return
    if fmt in ("turtle", "ntriples"):
        raise SendkgError(f"{file}: a SELECT or ASK query gives rows, not triples: use --format table, json or "
                          "csv (turtle and ntriples are for CONSTRUCT and DESCRIBE)")
    try:
        data = json.loads(body)
    except ValueError:
        raise SendkgError(f"{file}: the answer is not SPARQL results JSON; check the endpoint") from None
    if obj.remote is not None:
        obj.remote._results(data)  # an endpoint's answer is checked for its shape (one line if wrong)
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
@click.argument("files", nargs=-1)
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

    from sendkg.inputs import show
    from sendkg.validate import check_bounds, check_extension, check_literals

    extra = [*obj.data_files, *map(Path, files)]
    base = EmbeddedStore(model_files())
    store = EmbeddedStore(model_files())
    for f in extra:  # parses every file once, errors with line and column
        store.load_file(f)
    check_bounds(store, len(base), ", ".join(show(f) for f in extra) or "the model")
    check_literals(store, extra)
    check_extension(store, extra)
    ntriples = store.dump()
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
@click.argument("files", nargs=-1)
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
@click.option("--writable", is_flag=True,
              help="Allow /update and Graph Store writes, each with 'Authorization: Bearer TOKEN' (read-only unless given).")
@click.option("--token", envvar="SENDKG_TOKEN", metavar="TOKEN",
              help="The token writes need (default: SENDKG_TOKEN, else one is made and printed); only with --writable.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Queries run at once (default: the number of cores, at least 2); the others wait within --timeout.")
@offers_option
@click.pass_obj
def serve(obj, address, location, writable, token, workers):
    """Run a SPARQL 1.1 server holding the model and the authorities, for a team to share.

    Read-only unless --writable; refuses requests from other sites and SERVICE; each query runs
    within --timeout seconds and SENDKG_QUERY_MEMORY_MB of memory, and stops when its client leaves.
    The explorer (decisions, route diagrams, a deadline calculator, a SPARQL editor) is at /explorer/.
    """
    if obj.data_files:
        raise SendkgError("sendkg serve publishes the model and the known authorities and does not take --data; "
                          "publish extra files with 'sendkg --endpoint URL load FILE.ttl' to a server run with --writable")
    import os
    import secrets
    import signal

    import pyoxigraph as ox

    host, port = check_bind(address)
    if location:
        check_location(location)
    if token is not None and not writable:
        if os.environ.get("SENDKG_TOKEN") != token:  # SENDKG_TOKEN set for a client is no error
            raise SendkgError("--token is for writes: give --writable too (the server is read-only without it)")
        token = None
    if writable and token is not None and (len(token) < 16 or any(c.isspace() for c in token)):
        raise SendkgError("--token: give at least 16 characters and no spaces (or leave it out to have one made)")
    if writable and token is None:
        token = secrets.token_urlsafe(24)
    # load the model here first: a bad file stops the command before any server starts
    from sendkg.authorities import known_authorities
    from sendkg.remote import AUTHORITY_GRAPH, MODEL_GRAPH
    from sendkg.resources import model_files
    from sendkg.serve import SparqlServer
    from sendkg.store import EmbeddedStore

    graphs = [(MODEL_GRAPH, EmbeddedStore(model_files()).dump())]
    authorities = list(known_authorities().values())
    graphs += [(AUTHORITY_GRAPH + a.id, EmbeddedStore([a.path]).dump()) for a in authorities]
    store, disk = ox.Store(), None
    if location:
        try:
            disk = ox.Store(location)
        except OSError as err:
            raise SendkgError(f"--location {location}: cannot open the store there ({str(err)[:200]}); "
                              "is another server using it?") from None
    target = disk if disk is not None else store
    for name, ntriples in graphs:  # each graph replaced (a folder keeps what was loaded into it before)
        graph = ox.NamedNode(name)
        if disk is not None:
            disk.remove_graph(graph)
        target.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                      for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    if disk is not None:  # what the folder keeps (files loaded before, too), queried from memory
        store.extend(disk.quads_for_pattern(None, None, None, None))
        disk.flush()
        if not writable:
            del disk
            disk = None
    from sendkg.explorer import Explorer
    from sendkg.model import Model

    explorer = Explorer(Model(), served=True)
    explorer.index()  # its queries read once here, before any child is made
    try:
        server = SparqlServer(host, port, store, disk=disk, token=token if writable else None,
                              timeout=obj.timeout, workers=workers or max(2, os.cpu_count() or 2), explorer=explorer)
    except OSError as err:
        raise SendkgError(f"--bind {address}: cannot listen there: {err.strerror or err}; choose another") from None
    shown = f"http://{address}"
    click.echo(f"loaded the model and {len(authorities)} authorities into {shown}/store")
    mode = "writable with a token" if writable else "read-only"
    click.echo(f"serving SPARQL at {shown}/query ({mode}; each query within --timeout {obj.timeout:g} s); use: "
               f"sendkg --endpoint {shown}/query routes refuse-assessment (Ctrl-C to stop)", err=True)
    click.echo(f"the explorer: {shown}/explorer/", err=True)
    if writable:
        click.echo(f"writes need 'Authorization: Bearer {token}'; e.g. SENDKG_TOKEN={token} sendkg --endpoint "
                   f"{shown}/query load FILE.ttl", err=True)
    # Stopped with SIGTERM (a service manager, a test): close the socket; children die with their threads.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@click.command()
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="sendkg-explorer", show_default=True,
              help="The folder for the pages (index.html, decision/ID.html, sparql.html).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Build it for the law in force on this day (default: today).")
@click.pass_obj
def explore(obj, out_dir, as_of):
    """Build the explorer as static pages to open in a browser with no server and no network.

    The decisions, each decision's routes in order as a diagram (Graphviz dot when installed), the
    time limits and legal basis, and the queries behind each answer. Without a server the deadline
    calculator writes the 'sendkg deadlines' command that counts the dates and the SPARQL editor
    shows its query; 'sendkg serve' serves the explorer with both working, at /explorer/.
    """
    from sendkg.commands.law import set_as_of
    from sendkg.explorer import Explorer
    from sendkg.inputs import show

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise SendkgError(f"-o {out_dir}: exists and is not a folder; give a folder")
    if not out.parent.is_dir():
        raise SendkgError(f"-o {out_dir}: the folder {show(out.parent)} does not exist; create it first")
    set_as_of(obj, as_of)
    n = Explorer(obj.model, served=False).build(out, as_of)
    click.echo(f"wrote {n} pages in {show(out)}: open {show(out / 'index.html')}")


def check_bind(address: str) -> tuple[str, int]:
    """HOST:PORT with HOST an IP address (or localhost) and PORT free there; else one line. Nothing is
    resolved over the network."""
    import ipaddress
    import socket

    host, sep, port_text = address.rpartition(":")
    if not sep or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SendkgError(f"--bind {address[:100]}: give HOST:PORT with a port from 1 to 65535, e.g. 127.0.0.1:7878")
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if bare == "localhost":
        bare = "127.0.0.1"
    try:
        ip = ipaddress.ip_address(bare)
    except ValueError:
        raise SendkgError(f"--bind {address[:100]}: give an IP address as the host, e.g. 127.0.0.1:7878") from None
    if ip.version == 6 and not host.startswith("["):
        raise SendkgError(f"--bind {address[:100]}: write an IPv6 host in brackets, e.g. [::1]:7878")
    port = int(port_text)
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((str(ip), port))
        except OSError as err:
            reason = ("the port is in use" if err.errno == 98 else
                      "not an address of this machine" if err.errno == 99 else
                      "permission denied (a port below 1024 needs root)" if err.errno == 13 else
                      err.strerror or str(err))
            raise SendkgError(f"--bind {address}: cannot listen there: {reason}; choose another") from None
    return str(ip), port


def check_location(location: str) -> None:
    """The --location folder exists or can be made, and can be written; else one line."""
    import os

    from sendkg.inputs import os_reason, show

    try:
        os.makedirs(location, exist_ok=True)
    except OSError as err:
        raise SendkgError(f"--location {show(location)}: cannot make the folder: {os_reason(err)}") from None
    if not os.path.isdir(location) or not os.access(location, os.W_OK | os.X_OK):
        raise SendkgError(f"--location {show(location)}: the folder cannot be written; check its permissions")


COMMANDS = [query, validate, load, serve, explore]
