"""Commands about authorities' content: check, compare, lint, extract."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from sendkg.errors import SendkgError

from sendkg.commands.output import Steps, emit, emit_json, progress_bar


def _as_of(obj, text):
    """--as-of checked against the model's coverage (default today)."""
    from sendkg.model import today

    if not text:
        return today()
    from sendkg.deadlines import parse_date

    return obj.model.check_day(parse_date(text, "--as-of"))


AS_OF = click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
                     help="Judge undated content by the law and names in use on this day (default: today).")


@click.command()
@click.argument("targets", nargs=-1, metavar="[AUTHORITY|FILE.ttl]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation", show_default=True,
              help="Exit 1 when a finding at or above this severity exists.")
@AS_OF
@click.pass_obj
def check(obj, targets, fmt, fail_on, as_of):
    """Check authority content against the law (every known authority when none is named).

    Exit 1 when a finding at or above --fail-on exists, 0 when none, 2 for bad input.
    """
    from sendkg.authorities import SEVERITIES, check as run, render_text, resolve

    day = _as_of(obj, as_of)
    chosen = resolve(targets, obj.remote)
    with Steps(f"checking {len(chosen)} authorit{'y' if len(chosen) == 1 else 'ies'}") as bar:
        report = run(chosen, obj.remote, bar, as_of=day)
    if fmt == "json":
        emit_json(report.as_json())
    elif fmt == "turtle":
        click.echo(report.turtle)
    else:
        click.echo(render_text(report))
    sys.exit(1 if report.worst() <= SEVERITIES.index(fail_on) else 0)


@click.command()
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
    with Steps(f"comparing {len(chosen)} authorit{'y' if len(chosen) == 1 else 'ies'}") as bar:
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
    emit(text, output)
    if plot_path:
        render.plot(rows, plot_path)
        click.echo(f"wrote {plot_path}", err=True)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--site", "site", type=click.Path(file_okay=False), metavar="DIR",
              help="A folder holding all of one authority's pages: what it leaves out is judged over all of them.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation", show_default=True,
              help="Exit 1 when a finding at or above this severity exists.")
@click.option("--authority", metavar="NAME", help="The authority the pages are about (identifier or name).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of printing.")
@AS_OF
@click.pass_obj
def lint(obj, files, site, fmt, fail_on, authority, output, as_of):
    """Check pages (text, Markdown or HTML) straight from their text: findings at line and column.

    A page alone is judged on what it covers; with --site DIR (or --authority and several pages) the
    pages are one authority's content, and what it leaves out is judged over all of them.
    Exit 1 when a finding at or above --fail-on exists, 0 when none, 2 for bad input.
    """
    from sendkg import __version__ as version
    from sendkg.authorities import SEVERITIES
    from sendkg.lint import as_json, as_sarif, lint as run, render_text, worst

    from sendkg.lint import site_pages

    day = _as_of(obj, as_of)
    paths = [Path(f) for f in files]
    if site:
        paths = site_pages(Path(site)) + paths
    if not paths:
        raise SendkgError("give the pages to lint (FILE...), or --site DIR")
    bar, tick = progress_bar("reading pages", len(paths))
    try:
        reports = run(paths, authority, tick, site=site, as_of=day)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if fmt == "json":
        text = json.dumps(as_json(reports, day.isoformat()), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "sarif":
        text = json.dumps(as_sarif(reports, version, day.isoformat()), indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_text(reports, day.isoformat()) + "\n"
    emit(text, output)
    sys.exit(1 if worst(reports) <= SEVERITIES.index(fail_on) else 0)


@click.command()
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


COMMANDS = [check, compare, lint, extract]
