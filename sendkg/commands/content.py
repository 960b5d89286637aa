"""Commands about authorities' content: check, compare, lint, extract."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import click

from sendkg.errors import SendkgError

from sendkg.commands.output import Steps, check_output, emit, emit_json, progress_bar, write_file
from sendkg.inputs import PAGE_SUFFIXES, show


def offers_option(f):
    """--offers DIR: a folder of the user's authority files (repeatable; also SENDKG_OFFERS)."""
    def use(ctx, param, value):
        from sendkg.resources import use_offers

        use_offers(value)
        return value

    return click.option("--offers", "offers", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
                        expose_value=False, callback=use, is_eager=True,
                        help="A folder of your own authority Turtle files, beside the seeds (repeatable; "
                             "or SENDKG_OFFERS=DIR:DIR).")(f)


def no_data(obj, command: str) -> None:
    """Commands that read pages with the model as shipped refuse --data in one line."""
    if obj.data_files:
        raise SendkgError(f"sendkg {command} reads pages with the model as shipped and does not take --data "
                          f"({', '.join(map(str, obj.data_files))}); run it without --data (and unset SENDKG_DATA)")


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
@offers_option
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
    chosen = resolve(targets, obj.remote, errors, obj.data_files, keep=True)
    report_errors(errors)
    if not chosen:
        if errors:  # each said in its own line already
            sys.exit(2)
        raise SendkgError("nothing to check: no authority given")
    with Steps(f"checking {len(chosen)} authorit{'y' if len(chosen) == 1 else 'ies'}") as bar:
        report = run(chosen, obj.remote, bar, as_of=day, data=obj.data_files)
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
@click.option("-o", "--output", metavar="FILE", help="Write to this file instead of printing (atomically; see 'Bad input' in the documentation).")
@offers_option
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
    chosen = resolve(targets, obj.remote, data=obj.data_files)
    with Steps(f"comparing {len(chosen)} authorit{'y' if len(chosen) == 1 else 'ies'}") as bar:
        rows = run(chosen, remote=obj.remote, progress=bar, data=obj.data_files)
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
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text",
              show_default=True, help="github: workflow annotations for GitHub Actions.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation", show_default=True,
              help="Exit 1 when a finding at or above this severity exists.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (2 still for bad input).")
@click.option("--config", "config", type=click.Path(dir_okay=False), metavar="FILE",
              help="Use this .sendkg.toml or pyproject.toml instead of the one found upward from each page.")
@click.option("--select", multiple=True, metavar="CODE,...",
              help="Report only these codes (instead of the configuration's select; ALL for every code).")
@click.option("--ignore", multiple=True, metavar="CODE,...", help="Also leave out these codes.")
@click.option("--authority", metavar="NAME", help="The authority the pages are about (identifier or name).")
@click.option("-o", "--output", metavar="FILE", help="Write to this file instead of printing (atomically; see 'Bad input' in the documentation).")
@click.option("-j", "--jobs", type=int, default=0, show_default=True,
              help="Worker processes reading and checking the pages (0: one per processor, from 100 pages; 1: none).")
@offers_option
@AS_OF
@click.pass_obj
def lint(obj, files, site, fmt, fail_on, exit_zero, config, select, ignore, authority, output, jobs, as_of):
    """Check pages (text, Markdown or HTML) straight from their text: findings at line and column.

    A page alone is judged on what it covers; with --site DIR (or --authority and several pages) the
    pages are one authority's content, and what it leaves out is judged over all of them.
    Files, folders (searched recursively for pages), globs and - (standard input). A file that cannot
    be read gets one error line (and a SARIF notification); the others are still linted.
    Configured by [tool.sendkg.lint] in pyproject.toml or .sendkg.toml (found upward from each page);
    a comment <!-- sendkg: ignore[CODE] --> suppresses a finding on the next line. Exit 0 when no
    finding at or above --fail-on (or --exit-zero), 1 when there is one, 2 when an input could not be
    read or the configuration is wrong.
    """
    from sendkg import __version__ as version
    from sendkg.findings import SEVERITIES
    from sendkg.reader import read_text
    from sendkg.inputs import expand
    from sendkg.lint import as_json, lint as run, render_text, site_pages, worst
    from sendkg.lintconfig import Options, config_for, parse_codes
    from sendkg.workers import check_jobs

    no_data(obj, "lint")
    check_jobs(jobs)

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
    options = Options(Path(config) if config else None, parse_codes(select) if select else None, parse_codes(ignore))
    for p in paths:  # a wrong configuration is told before any page is read
        config_for(Path(p), options)
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
            reports = run([Path(f) for f in good], authority, tick, site=site, as_of=day, config=options, jobs=jobs)
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
        from sendkg.lintconfig import rules
        from sendkg.render import sarif

        data = sarif.render(reports, version, rules(), day.isoformat())
        data["runs"][0]["invocations"] = [sarif_invocation(errors)]
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "github":
        from sendkg.render import github

        text = github.render(reports)
    else:
        text = render_text(reports, day.isoformat()) + "\n"
    emit(text, output)
    sys.exit(2 if errors else 0 if exit_zero else 1 if worst(reports) <= SEVERITIES.index(fail_on) else 0)


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


PREFIXES = {"skg": "https://w3id.org/sendkg/def#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "dcterms": "http://purl.org/dc/terms/", "route": "https://w3id.org/sendkg/id/route/",
            "tl": "https://w3id.org/sendkg/id/time-limit/", "ev": "https://w3id.org/sendkg/id/event/",
            "term": "https://w3id.org/sendkg/id/term/", "cond": "https://w3id.org/sendkg/id/condition/",
            "provider": "https://w3id.org/sendkg/id/provider/", "a": "https://w3id.org/sendkg/id/authority/",
            "time": "http://www.w3.org/2006/time#", "xsd": "http://www.w3.org/2001/XMLSchema#"}


def turtle(triples) -> str:
    """Triples as Turtle with sendkg's prefixes, the prefix lines sorted (the same text every run)."""
    import pyoxigraph as ox

    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    lines = text.splitlines(keepends=True)
    head = [line for line in lines if line.startswith("@prefix ")]
    body = "".join(lines[len(head):])
    used = [line for line in head if re.search(r"(?<![\w:/#-])" + re.escape(line.split()[1]), body)]
    return "".join(sorted(used)) + body


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="PAGE...")
@click.option("--authority", metavar="NAME", help="The known authority the pages are about (identifier or name).")
@click.option("--new-authority", "new_id", metavar="ID",
              help="Write a new authority file: ID in lower-case words joined by hyphens (with --name, --gss).")
@click.option("--name", metavar="NAME", help="The new authority's name, e.g. 'Wessex' (with --new-authority).")
@click.option("--gss", metavar="CODE", help="The new authority's GSS code, e.g. E06000042 (with --new-authority).")
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples"]), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of printing.")
@offers_option
@click.pass_obj
def extract(obj, files, authority, new_id, name, gss, fmt, output):
    """Show the claims read from pages, as RDF in the vocabulary that `check` validates.

    With --new-authority ID --name NAME [--gss CODE], write them as one complete authority file
    (the authority, its pages and their claims) that `sendkg check FILE` accepts: put it in a
    folder of your own and pass --offers DIR to check and compare it with the others.
    """
    import pyoxigraph as ox

    no_data(obj, "extract")
    paths = [Path(f) for f in files]
    if new_id is not None:
        from sendkg.authorities import new_authority_quads

        if authority:
            raise SendkgError("give --authority (a known authority) or --new-authority (a new one), not both")
        quads = new_authority_quads(paths, new_id, name, gss)
    else:
        if name or gss:
            raise SendkgError("--name and --gss describe a new authority: give them with --new-authority ID")
        from sendkg.lint import extract_claims

        check_authority_name(authority)
        quads, _ = extract_claims(paths, authority)
    triples = [q.triple for q in quads]
    if fmt == "turtle":
        text = turtle(triples)
        if new_id is not None:
            text = (f"# {name} [{new_id}]: read by sendkg extract from {', '.join(p.name for p in paths)}.\n"
                    "# Each claim is a statement of the page at its line; review them, then run\n"
                    f"# 'sendkg check THIS-FILE' (and 'sendkg --offers DIR compare' with its folder).\n" + text)
        text += "\n"
    else:
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    emit(text, output)


COMMANDS = [check, compare, lint, extract]
