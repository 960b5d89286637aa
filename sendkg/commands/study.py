"""Commands for a study of many authorities: fetch (pages over HTTP into a cache)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from sendkg.commands.output import emit, progress_bar
from sendkg.errors import SendkgError


@click.command()
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option("--list", "url_list", type=click.Path(dir_okay=False), metavar="FILE.csv",
              help="A CSV with a 'url' column (and an 'authority' column), or a text file of URLs.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), envvar="SENDKG_CACHE",
              default=".sendkg-cache", show_default=True, help="Where pages are kept between runs.")
@click.option("--delay", type=float, default=1.0, show_default=True, help="Seconds between requests to one host.")
@click.option("--timeout", "page_timeout", type=float, default=20.0, show_default=True,
              help="Seconds for a whole request.")
@click.option("--max-bytes", type=int, default=5_000_000, show_default=True, help="Largest page read.")
@click.option("--retries", type=int, default=2, show_default=True, help="Retries on 429, 5xx and broken connections.")
@click.option("--provenance", type=click.Path(dir_okay=False), metavar="FILE.ttl",
              help="Also write the pages' provenance (PROV-O) as Turtle.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def fetch(urls, url_list, cache_dir, delay, page_timeout, max_bytes, retries, provenance, fmt):
    """Fetch authorities' pages over HTTP into a cache, politely, keeping their provenance.

    robots.txt is honoured; a cached page is revalidated (ETag, Last-Modified) and kept when
    unchanged. Exit 1 when a page could not be fetched, 0 when all were, 2 for bad input.
    """
    from sendkg.fetch import Cache, Fetcher, Policy, provenance_turtle, read_url_list

    for name, value in (("--delay", delay), ("--timeout", page_timeout)):
        if not value >= 0 or value != value or value == float("inf"):
            raise SendkgError(f"{name} {value}: give a number of seconds, 0 or more")
    if max_bytes < 1 or retries < 0:
        raise SendkgError("--max-bytes must be 1 or more and --retries 0 or more")
    pairs = [(None, u) for u in urls] + (read_url_list(Path(url_list)) if url_list else [])
    if not pairs:
        raise SendkgError("give URLs, or --list FILE.csv with a 'url' column")
    policy = Policy(timeout=page_timeout, max_bytes=max_bytes, retries=retries, delay=delay)
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
        emit(provenance_turtle(records, {u: a for a, u in pairs if a}), provenance)
    if fmt == "json":
        from dataclasses import asdict

        click.echo(json.dumps({"pages": [asdict(r) for r in records]}, indent=2))
    else:
        for r in records:
            detail = r.error if r.status in ("error", "refused-robots") else f"{r.sha256[:19]}  {os.path.relpath(r.path) if r.path else ''}"
            click.echo(f"{r.status:<15} {r.url}  {detail}")
        counts = {}
        for r in records:
            counts[r.status] = counts.get(r.status, 0) + 1
        click.echo(f"{len(records)} page{'s' if len(records) != 1 else ''}: "
                   + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())), err=True)
    sys.exit(1 if any(r.status in ("error", "refused-robots") for r in records) else 0)


COMMANDS = [fetch]
