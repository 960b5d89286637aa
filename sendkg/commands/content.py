"""Commands about authorities' content: check, compare, lint, extract."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from sendkg.errors import SendkgError

from sendkg.commands.output import Steps, check_output, emit, emit_json, progress_bar, write_file
from sendkg.inputs import PAGE_SUFFIXES, show


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

    Targets are authority identifiers, Turtle files, folders (searched for .ttl files), globs or -.
    Exit 1 when a finding at or above --fail-on exists, 0 when none, 2 when an input could not be read
    (the others are still checked).
    """
    from sendkg.authorities import SEVERITIES, check as run, render_text, resolve

    day = _as_of(obj, as_of)
    errors: list[str] = []  # one line for each input that cannot be read; the others are still checked
    chosen = resolve(targets, obj.remote, errors)
    report_errors(errors)
    if not chosen:
        if errors:  # each said in its own line already
            sys.exit(2)
        raise SendkgError("nothing to check: no authority given")
    with Steps(f"checking {len(chosen)} authorit{'y' if len(chosen) == 1 else 'ies'}") as bar:
        report = run(chosen, obj.remote, bar, as_of=day)
    if fmt == "json":
        emit_json({**report.as_json(), **({"errors": errors} if errors else {})})
    elif fmt == "turtle":
        click.echo(report.turtle)
    else:
        click.echo(render_text(report))
    sys.exit(2 if errors else 1 if report.worst() <= SEVERITIES.index(fail_on) else 0)


def report_errors(errors: list[str]) -> None:
    from sendkg.inputs import one_line

    for e in errors:
        click.echo(f"sendkg: error: {one_line(e)}", err=True)


@click.command()
@click.argument("targets", nargs=-1, metavar="[AUTHORITY|FILE.ttl]...")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html"]), default="table",
              show_default=True)
@click.option("--plot", "plot_path", metavar="FILE.png|FILE.svg",
              help="Also draw the matrix as a heat map.")
@click.option("-o", "--output", metavar="FILE", help="Write to this file instead of printing (atomically; see 'Bad input' in the README).")
@click.pass_obj
def compare(obj, targets, fmt, plot_path, output):
    """Compare authorities' content side by side (every known authority when none is named)."""
    from sendkg.authorities import resolve
    from sendkg.compare import COLUMNS, compare as run, public
    from sendkg.render import compare as render

    if plot_path and not plot_path.lower().endswith((".png", ".svg")):
        raise SendkgError(f"--plot {show(plot_path)}: give a file ending in .png or .svg")
    # both outputs are checked before any work, and written only once both are made: a failed run
    # leaves every file as it was
    check_output(output)
    check_output(plot_path, option="--plot")
    if output and plot_path and same_file_name(output, plot_path):
        raise SendkgError(f"--plot {show(plot_path)}: the same file as -o; give another")
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
    image = draw(render.plot, rows, plot_path) if plot_path else None
    emit(text, output)
    if plot_path:
        write_file(image, plot_path, option="--plot")
        click.echo(f"wrote {show(plot_path)}", err=True)


def same_file_name(a: str, b: str) -> bool:
    import os

    return os.path.realpath(a) == os.path.realpath(b)


def draw(plot, rows, plot_path: str) -> bytes:
    """The plot drawn into a private temporary folder and returned as bytes (written later, with -o)."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "plot" + os.path.splitext(plot_path)[1].lower())
        plot(rows, path)
        with open(path, "rb") as f:
            return f.read()


@click.command()
@click.argument("files", nargs=-1, metavar="FILE|FOLDER|GLOB|-...")
@click.option("--site", "site", type=click.Path(file_okay=False), metavar="DIR",
              help="A folder holding all of one authority's pages: what it leaves out is judged over all of them.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation", show_default=True,
              help="Exit 1 when a finding at or above this severity exists.")
@click.option("--authority", metavar="NAME", help="The authority the pages are about (identifier or name).")
@click.option("-o", "--output", metavar="FILE", help="Write to this file instead of printing (atomically; see 'Bad input' in the README).")
@AS_OF
@click.pass_obj
def lint(obj, files, site, fmt, fail_on, authority, output, as_of):
    """Check pages (text, Markdown or HTML) straight from their text: findings at line and column.

    A page alone is judged on what it covers; with --site DIR (or --authority and several pages) the
    pages are one authority's content, and what it leaves out is judged over all of them.
    Files, folders (searched recursively for pages), globs and - (standard input). A file that cannot
    be read gets one error line (and a SARIF notification); the others are still linted.
    Exit 1 when a finding at or above --fail-on exists, 0 when none, 2 when an input could not be read.
    """
    from sendkg import __version__ as version
    from sendkg.authorities import SEVERITIES
    from sendkg.extract import read_text
    from sendkg.inputs import expand
    from sendkg.lint import as_json, as_sarif, lint as run, render_text, worst

    from sendkg.lint import site_pages

    day = _as_of(obj, as_of)
    check_authority_name(authority)
    if authority:
        from sendkg.lint import _authority

        _authority(authority)  # an unknown authority: one line before any page is read
    paths, problems = expand(files, PAGE_SUFFIXES)
    if site:
        paths = [str(p) for p in site_pages(Path(site))] + list(paths)
    if not paths and not problems:
        raise SendkgError("give the pages to lint (FILE|FOLDER|GLOB|-...), or --site DIR")
    errors = [(None, e) for e in problems]
    check_output(output, inputs=paths)
    good = []
    for p in paths:
        try:
            read_text(Path(p))
            good.append(p)
        except SendkgError as err:
            errors.append((p, str(err)))
    report_errors([e for _, e in errors])
    reports = []
    if good:
        bar, tick = progress_bar("reading pages", len(good))
        try:
            reports = run([Path(f) for f in good], authority, tick, site=site, as_of=day)
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
        for r in reports:  # a name that is not UTF-8 printed with \xNN, so JSON and SARIF stay UTF-8
            r.path = show(r.path)
    errors = [(None if p is None else show(p), e) for p, e in errors]
    if fmt == "json":
        data = as_json(reports, day.isoformat())
        if errors:
            data["errors"] = [{"path": p, "message": e} for p, e in errors]
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "sarif":
        data = as_sarif(reports, version, day.isoformat())
        data["runs"][0]["invocations"] = [sarif_invocation(errors)]
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_text(reports, day.isoformat()) + "\n"
    emit(text, output)
    sys.exit(2 if errors else 1 if worst(reports) <= SEVERITIES.index(fail_on) else 0)


def check_authority_name(name: str | None) -> None:
    if name is not None and not name.strip():
        raise SendkgError("--authority '': give an authority's identifier or name ('sendkg compare' lists them)")




def sarif_invocation(errors) -> dict:
    """SARIF: the run's invocation, with an error notification for each input that could not be read."""
    from sendkg.inputs import show

    notes = []
    for path, message in errors:
        note = {"level": "error", "message": {"text": message}, "descriptor": {"id": "unreadable-input"}}
        if path is not None:
            note["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": Path(show(path)).as_posix()}}}]
        notes.append(note)
    return {"executionSuccessful": not errors, "toolExecutionNotifications": notes}


@click.command()
@click.argument("file", metavar="FILE|-")
@click.option("--authority", metavar="NAME", help="The authority the page is about (identifier or name).")
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples"]), default="turtle", show_default=True)
@click.pass_obj
def extract(obj, file, authority, fmt):
    """Show the claims read from a page, as RDF in the vocabulary that `check` validates."""
    import pyoxigraph as ox

    from sendkg.lint import extract_claims

    check_authority_name(authority)
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
