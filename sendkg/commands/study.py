"""Commands for a study of many authorities: fetch (pages over HTTP into a cache)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from sendkg.commands.output import Steps, emit, progress_bar
from sendkg.errors import SendkgError


def crawl_options(f):
    """The options of every command that reads the web (fetch, study): how politely, how far, where."""
    opts = [
        click.option("--delay", type=float, default=1.0, show_default=True,
                     help="Seconds between requests to one host (longer if its robots.txt Crawl-delay asks)."),
        click.option("--timeout", "page_timeout", type=float, default=20.0, show_default=True,
                     help="Seconds for a whole request: connecting, status line, headers and body (enforced)."),
        click.option("--max-bytes", type=int, default=5_000_000, show_default=True,
                     help="Largest page read, as sent and again once decompressed."),
        click.option("--max-redirects", type=int, default=5, show_default=True, help="Redirects followed for a page."),
        click.option("--max-pages-per-host", type=int, default=1000, show_default=True,
                     help="Pages requested from one host in one run."),
        click.option("--max-wait", type=float, default=30.0, show_default=True,
                     help="Longest wait a host may ask for (Retry-After, Crawl-delay); a host asking more is given up."),
        click.option("--retries", type=int, default=2, show_default=True, help="Retries on 429, 5xx and broken connections."),
        click.option("--allow-private", is_flag=True,
                     help="Also reach loopback, link-local and private addresses (refused by default)."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def policy_from(delay, page_timeout, max_bytes, max_redirects, max_pages_per_host, max_wait, retries, allow_private):
    """The options of :func:`crawl_options` checked (one line for a wrong one) into a fetch Policy."""
    from sendkg.fetch import Policy

    for name, value in (("--delay", delay), ("--max-wait", max_wait)):
        if not value >= 0 or value != value or value > 86400:
            raise SendkgError(f"{name} {value}: give a number of seconds, 0 or more (at most 86400)")
    if not page_timeout > 0 or page_timeout > 86400:
        raise SendkgError(f"--timeout {page_timeout}: give a number of seconds above 0 and at most 86400, e.g. --timeout 20")
    for name, value, least in (("--max-bytes", max_bytes, 1), ("--max-redirects", max_redirects, 0),
                               ("--max-pages-per-host", max_pages_per_host, 1), ("--retries", retries, 0)):
        if value < least or value > 10**12:
            raise SendkgError(f"{name} {value}: give a whole number, {least} or more")
    return Policy(timeout=page_timeout, max_bytes=max_bytes, max_redirects=max_redirects, retries=retries,
                  delay=delay, max_wait=max_wait, max_pages_per_host=max_pages_per_host, allow_private=allow_private)


@click.command()
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option("--list", "url_list", type=click.Path(dir_okay=False), metavar="FILE.csv",
              help="A CSV with a 'url' column (and an 'authority' column), or a text file of URLs.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), envvar="SENDKG_CACHE",
              default=".sendkg-cache", show_default=True, help="Where pages are kept between runs.")
@click.option("--provenance", type=click.Path(dir_okay=False), metavar="FILE.ttl",
              help="Also write the pages' provenance (PROV-O) as Turtle.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@crawl_options
def fetch(urls, url_list, cache_dir, provenance, fmt, **crawl):
    """Fetch authorities' pages over HTTP into a cache, politely, keeping their provenance.

    robots.txt is honoured (and its Crawl-delay); a cached page is revalidated (ETag,
    Last-Modified) and kept when unchanged; only public addresses are reached unless
    --allow-private; every request is bounded (the documentation's study guide, docs/guide/study.md). Exit 1 when a page could not be
    fetched, 0 when all were, 2 for bad input.
    """
    from sendkg.commands.output import check_output
    from sendkg.fetch import Cache, Fetcher, provenance_turtle, read_url_list, url_problem
    from sendkg.inputs import one_line

    policy = policy_from(**crawl)
    inputs = [url_list] if url_list else []
    check_output(provenance, inputs=inputs, option="--provenance")  # never onto the list it reads
    for u in urls:
        problem = url_problem(u)
        if problem:
            raise SendkgError(f"{one_line(u, 200)}: {problem}")
    listed = read_url_list(Path(url_list)) if url_list else []
    if url_list and not listed:
        raise SendkgError(f"--list {url_list}: no URLs in the file; give a CSV with a 'url' column or a URL a line")
    pairs = [(None, u) for u in urls] + listed
    if not pairs:
        raise SendkgError("give URLs, or --list FILE.csv with a 'url' column")
    fetcher = Fetcher(Cache(Path(cache_dir)), policy)
    bar, tick = progress_bar("fetching pages", len(pairs))
    records = []
    try:
        for _who, url in pairs:
            records.append(fetcher.fetch(url))
            if tick:
                tick(url)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if provenance:
        emit(provenance_turtle(records, {u: a for a, u in pairs if a}), provenance, inputs=inputs)
    if fmt == "json":
        from dataclasses import asdict

        click.echo(json.dumps({"pages": [asdict(r) for r in records]}, indent=2))
    else:
        for r in records:
            detail = one_line(r.error) if r.status in ("error", "refused-robots") else f"{r.sha256[:19]}  {os.path.relpath(r.path) if r.path else ''}"
            click.echo(f"{r.status:<15} {one_line(r.url, 300)}  {detail}")
        counts = {}
        for r in records:
            counts[r.status] = counts.get(r.status, 0) + 1
        click.echo(f"{len(records)} page{'s' if len(records) != 1 else ''}: "
                   + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())), err=True)
    sys.exit(1 if any(r.status in ("error", "refused-robots") for r in records) else 0)


@click.command()
@click.argument("folders", nargs=-1, type=click.Path(), metavar="[FOLDER]... | FILE.csv")
@click.option("--list", "page_list", type=click.Path(dir_okay=False), metavar="FILE.csv",
              help="A CSV of 'authority' and 'url' (a web address, or a local page under the CSV's folder or a "
                   "folder given) instead of folders.")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default="sendkg-study", show_default=True,
              help="The folder for the dataset (JSON, CSV) and the report (report.html).")
@click.option("--since", "previous", type=click.Path(dir_okay=False), metavar="STUDY.json",
              help="An earlier study's study.json: say what changed.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), envvar="SENDKG_CACHE",
              default=".sendkg-cache", show_default=True, help="Where fetched pages are kept between runs.")
@click.option("--offline", is_flag=True,
              help="Never fetch: URLs in the list are an error; with --england, pages are read from the cache only.")
@click.option("--england", is_flag=True,
              help="Study every authority of England from its pages in the register (ontology/england/"
                   "authority-pages.ttl): the same as --authorities all.")
@click.option("--authorities", "chosen", metavar="ID,ID|all",
              help="Study these authorities (identifiers, ONS codes or names, comma-separated; 'all': every "
                   "current one) from their pages in the register.")
@click.option("-j", "--jobs", type=int, default=0, show_default=True,
              help="Worker processes reading and checking the pages (0: one per processor; 1: none).")
@crawl_options
def study(folders, page_list, out_dir, previous, cache_dir, offline, england, chosen, jobs, **crawl):
    """A study of many authorities: their pages to a dataset and an HTML report.

    Give folders (one per authority, named by its identifier, ONS code or name, or a folder of
    them) or a list FILE.csv (authority, url: a web address, or a page under the list's folder or a
    folder given), as an argument or as --list FILE.csv; or --england (--authorities all) for every
    authority's pages in the register, fetched through the cache (--offline: the cache only), each
    page that moved or vanished named. Writes study.json, features.csv, findings.csv, categories.csv and report.html
    into --output (and changes.json with --since); --output is never an input folder or inside one.
    URLs are fetched as `sendkg fetch` fetches them (the same options and bounds).
    """
    from datetime import date

    from sendkg.inputs import show
    from sendkg.register import load_register
    from sendkg.render.study_files import StudyFiles
    from sendkg.study import Changes, authorities, categories, groups_from_folders, groups_from_list, load_previous
    from sendkg.workers import check_jobs

    folders, page_list = list_argument(folders, page_list)
    if england and chosen and chosen.strip().lower() != "all":
        raise SendkgError(f"--england and --authorities {chosen}: give one (--england is --authorities all)")
    if england:
        chosen = "all"
    if chosen is not None and (folders or page_list):
        raise SendkgError("--england (or --authorities) studies the register's pages: give it without folders or a list")
    if not folders and not page_list and chosen is None:
        raise SendkgError("give folders of pages (one per authority), a list FILE.csv, or --england")
    check_jobs(jobs)
    policy = policy_from(**crawl)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise SendkgError(f"-o {out_dir}: exists and is not a folder; give a folder")
    if not out.parent.is_dir():
        raise SendkgError(f"-o {out_dir}: the folder {out.parent} does not exist; create it first")
    from sendkg.render.study_files import check_study_output

    check_study_output(out, folders=[Path(f) for f in folders], inputs=[p for p in (page_list, previous) if p],
                       cache=None if offline or not (page_list or chosen) else Path(cache_dir))
    changes = Changes(load_previous(Path(previous))) if previous else None  # a bad file is refused before the work
    register = load_register()
    day = date.today()
    idents = chosen_authorities(register, chosen, day) if chosen is not None else []
    groups = groups_from_folders([Path(f) for f in folders], register) if folders else []
    failures: list[str] = []
    reports: list[dict] = []
    if idents:
        from sendkg.fetch import Cache, Fetcher
        from sendkg.register import load_pages
        from sendkg.study import CacheReader, groups_from_register

        cache = Cache(Path(cache_dir))
        fetcher = CacheReader(cache) if offline else Fetcher(cache, policy)
        with Steps(f"{'reading' if offline else 'fetching'} the register's pages") as bar:
            groups += groups_from_register(register, load_pages(), idents, fetcher, bar,
                                           failures=failures, reports=reports)
    if page_list:
        fetcher = None
        if not offline:
            from sendkg.fetch import Cache, Fetcher

            fetcher = Fetcher(Cache(Path(cache_dir)), policy)
        with Steps("fetching and reading the list") as bar:
            groups += groups_from_list(Path(page_list), register, fetcher, bar,
                                       roots=[Path(f) for f in folders], out=out, failures=failures, reports=reports)
    groups = [g for g in groups if g.pages]
    # every URL that could not be fetched is named with its reason; with nothing left to study, the
    # first is the error itself
    for line in failures[0 if groups else 1:]:
        click.echo(f"sendkg: warning: {line}", err=True)
    if not groups:
        if failures:
            more = f" (and {len(failures) - 1} more, above)" if len(failures) > 1 else ""
            raise SendkgError(f"no pages to study: {failures[0]}{more}")
        raise SendkgError("no pages found: the folders hold no .html, .md or .txt files")
    with Steps(f"studying {len(groups)} authorit{'y' if len(groups) == 1 else 'ies'}") as bar, \
            StudyFiles(out, categories(), day.isoformat(), changes) as files:
        files.page_reports = reports
        for a in authorities(groups, day, bar, jobs=jobs):
            files.add(a)
            for page in a["pages"]:  # a page past a bound is named, and the study goes on without it
                if "unread" in page:
                    click.echo(f"sendkg: warning: not read: {page['unread']}", err=True)
    written = ["study.json", "features.csv", "findings.csv", "categories.csv", "report.html", "authorities/"]
    click.echo(f"wrote {', '.join(written + (['changes.json'] if changes else []))} in {show(out)}", err=True)
    click.echo(f"{files.n_authorities} authorities, {files.n_pages} pages: report at {out / 'report.html'}")


def chosen_authorities(register, chosen: str, day) -> list[str]:
    """``--authorities``: 'all' (every authority that exists on ``day``), or identifiers, ONS codes or
    names, comma-separated; one that is not an authority is one line."""
    if chosen.strip().lower() == "all":
        return [a.id for a in register.current(day)]
    out = []
    for key in (k.strip() for k in chosen.split(",")):
        if not key:
            continue
        a = register.get(key)
        if a is None:
            raise SendkgError(f"--authorities: '{key}' is not an authority sendkg knows; give identifiers, ONS codes "
                              "or names ('sendkg authorities' lists them), comma-separated, or 'all'")
        if a.id not in out:
            out.append(a.id)
    if not out:
        raise SendkgError("--authorities: give identifiers, comma-separated (e.g. --authorities camden,E06000042), or 'all'")
    return out


LIST_SUFFIXES = (".csv", ".txt")


def list_argument(folders, page_list):
    """``sendkg study FILE.csv`` (or .txt) reads the list as ``--list FILE.csv`` does: (folders, list).
    Another file, or a second list, is one line saying what to give."""
    from sendkg.inputs import show

    files = [f for f in folders if Path(f).is_file()]
    if not files:
        return folders, page_list
    for f in files:
        if Path(f).suffix.lower() not in LIST_SUFFIXES:
            raise SendkgError(f"{show(f)}: is a file, not a folder of pages nor a list; give its folder (one per "
                              f"authority), a list FILE.csv (authority,url), or check one page with 'sendkg lint {show(f)}'")
    if page_list or len(files) > 1:
        given = [show(f) for f in files] + ([f"--list {show(page_list)}"] if page_list else [])
        raise SendkgError(f"give one list of pages, not {len(given)} ({', '.join(given)}); put their rows in one CSV")
    return [f for f in folders if f not in files], files[0]


def _csv(rows: list[dict], columns: list[str] | None = None) -> str:
    import csv
    import io

    buf = io.StringIO()
    cols = columns or (list(rows[0]) if rows else [])
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    return buf.getvalue()


@click.command()
@click.option("--all", "everything", is_flag=True, help="Also the councils abolished since 2009.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def authorities(everything, fmt):
    """The local authorities of England with SEND duties: ONS code, name, type, region."""
    from datetime import date

    from sendkg.register import load_register

    reg = load_register()
    chosen = sorted(reg.authorities.values(), key=lambda a: a.id) if everything else reg.current(date.today())
    rows = [{"id": a.id, "gss_code": a.gss or "", "name": a.label, "council": a.council, "type": a.type,
             "region": a.region, "from": a.start.isoformat() if a.start else "",
             "until": a.end.isoformat() if a.end else "", "successors": " ".join(a.successors)} for a in chosen]
    cols = ["id", "gss_code", "name", "type", "region"] + (["until", "successors"] if everything else [])
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
    elif fmt == "csv":
        click.echo(_csv(rows, list(rows[0]) if rows else []), nl=False)
    else:
        from sendkg.render.table import grid

        click.echo(grid(cols, rows))


COMMANDS = [fetch, study, authorities]
