"""Output helpers shared by the commands: JSON, CSV, writing files, progress bars."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def emit_json(obj) -> None:
    import json  # only for JSON output (issue 21: start-up)

    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


def _inputs() -> list:
    """The files this run reads (--data files and the command's file arguments), from click's context."""
    ctx = click.get_current_context(silent=True)
    found = []
    while ctx is not None:
        obj = ctx.obj
        found.extend(getattr(obj, "data_files", []) or [])
        for name in ("files", "file", "targets"):
            value = ctx.params.get(name) if ctx.params else None
            if isinstance(value, (list, tuple)):
                found.extend(value)
            elif value:
                found.append(value)
        ctx = ctx.parent
    return [f for f in found if str(f) != "-"]


def check_output(output: str | None, inputs=None, option: str = "-o") -> None:
    """Refuse, before any work, an output path that cannot be written or that is also an input:
    a folder, a missing folder, one of the files this run reads."""
    import os
    import stat

    from sendkg.errors import SendkgError
    from sendkg.inputs import same_file, show

    if not output or output == "-":
        return
    name = show(output)
    try:
        target = os.path.realpath(output)  # through symbolic links to the file they name
        st = os.stat(target) if os.path.lexists(target) else None
    except (OSError, ValueError) as err:
        from sendkg.inputs import os_reason

        reason = os_reason(err) if isinstance(err, OSError) else "not a usable file name"
        raise SendkgError(f"{option} {name}: {reason}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise SendkgError(f"{option} {name}: is a folder; give a file name")
    if st is None:
        parent = os.path.dirname(target) or "."
        if not os.path.isdir(parent):
            raise SendkgError(f"{option} {name}: the folder {show(os.path.dirname(output) or '.')} does not exist; "
                              "create it first")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise SendkgError(f"{option} {name}: cannot write in the folder {show(parent)}; check its permissions")
    for f in (_inputs() if inputs is None else inputs):
        if same_file(f, output):
            raise SendkgError(f"{option} {name}: is also an input ({show(f)}); give another output file")


def write_file(data: bytes | Path, output: str, inputs=None, option: str = "-o") -> None:
    """Write ``data`` (bytes, or a finished file to move there) to ``output`` without harm to what
    is there:

    - a regular file (or none): a temporary file in the same folder renamed into place (or the
      finished file itself), so the file is never half-written; an existing file keeps its mode, a
      new one gets 0666 less the umask;
    - a symbolic link: the file it points to is written, the link stays;
    - a device or FIFO: written directly (``-o /dev/null`` stays a device);
    - a folder, a missing folder, a file that is also an input: refused in one line.
    """
    import errno
    import os
    import shutil
    import stat
    import tempfile

    from sendkg.errors import SendkgError
    from sendkg.inputs import os_reason, show

    check_output(output, inputs, option)
    name = show(output)
    target = os.path.realpath(output)
    staged = data if isinstance(data, Path) else None
    try:
        st = os.stat(target) if os.path.lexists(target) else None
        if st is not None and not stat.S_ISREG(st.st_mode):  # a device, FIFO or socket: write to it
            fd = os.open(target, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
            try:
                os.set_blocking(fd, True)
                if staged is not None:
                    with staged.open("rb") as src, os.fdopen(os.dup(fd), "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    return
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            return
        if st is not None:
            mode = stat.S_IMODE(st.st_mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        if staged is not None:
            os.chmod(staged, mode)
            try:
                os.replace(staged, target)  # the finished file, moved into place
                return
            except OSError as err:
                if err.errno != errno.EXDEV:  # on another file system: copied there below
                    raise
        folder = os.path.dirname(target) or "."
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                if staged is not None:
                    with staged.open("rb") as src:
                        shutil.copyfileobj(src, f)
                else:
                    f.write(data)
                f.flush()
                os.fchmod(f.fileno(), mode)
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as err:
        reason = ("no process reads this FIFO; start the reader first" if err.errno == 6  # ENXIO
                  else "no space left on the device" if err.errno == 28  # ENOSPC
                  else os_reason(err))
        raise SendkgError(f"{option} {name}: cannot write it: {reason}") from None


def emit(text: str, output: str | None, inputs=None) -> None:
    """Print, or write to a file with :func:`write_file` (atomically, keeping mode and links)."""
    if not output or output == "-":
        click.echo(text, nl=False)
        return
    from sendkg.inputs import show

    write_file(text.encode("utf-8"), output, inputs)
    click.echo(f"wrote {show(output)}", err=True)


def emit_csv(columns, rows) -> None:
    import csv
    import io

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
