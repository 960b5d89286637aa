"""Output helpers shared by the commands: JSON, CSV, writing files, progress bars."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click


def emit_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


def emit(text: str, output: str | None) -> None:
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


def emit_csv(columns, rows) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    click.echo(buf.getvalue(), nl=False)


def progress_bar(label: str, total: int):
    """A progress bar on a terminal for long work; nothing when output is piped or in CI."""
    import os

    if total < 2 or not sys.stderr.isatty() or os.environ.get("CI"):
        return None, None
    bar = click.progressbar(length=total, label=label, file=sys.stderr)
    bar.__enter__()
    return bar, lambda _item: bar.update(1)


class Steps:
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
