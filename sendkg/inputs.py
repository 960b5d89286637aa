"""Reading input files safely, and expanding the inputs a command is given.

Every file sendkg reads as input (data, authority files, queries, pages) is read here:

- only a regular file (or ``-``, standard input) is read; a folder, FIFO, socket or device is refused
  in one line (a FIFO is opened without blocking, so one with no writer never hangs the command);
- a file larger than the input limit (``MAX_INPUT_BYTES``, 32 MiB unless ``SENDKG_MAX_INPUT_MB``
  says otherwise) is refused in one line naming the limit, before it is read;
- every failure (no such file, permission, a symlink loop, a name that is not UTF-8, ...) is one
  line naming the file.

:func:`expand` turns files, folders (searched recursively by suffix), globs and ``-`` into a list of
inputs, one error each for those that match nothing. :func:`editor_lines` splits text into lines
as editors and SARIF count them: at ``\\n``, ``\\r\\n`` and ``\\r`` only.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import stat
import sys
from pathlib import Path
from typing import Iterable

from sendkg.errors import SendkgError

STDIN = "-"
_STDIN: dict = {}
DEFAULT_MAX_MB = 32

# What a page is, by its suffix (lint, study, the folders they search).
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".md", ".markdown")


def max_input_bytes() -> int:
    """The largest input file sendkg reads (bytes): ``SENDKG_MAX_INPUT_MB`` MiB, 32 by default."""
    raw = os.environ.get("SENDKG_MAX_INPUT_MB", "")
    try:
        mb = float(raw) if raw else DEFAULT_MAX_MB
    except ValueError:
        mb = DEFAULT_MAX_MB
    if not (mb > 0) or mb != mb or mb == float("inf"):
        mb = DEFAULT_MAX_MB
    return int(mb * 1024 * 1024)


def show(path: os.PathLike | str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 shown as \\xNN escapes."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


def one_line(text, limit: int = 600) -> str:
    """A message as one printable line: line breaks folded, bytes that are not UTF-8 escaped, cut."""
    text = " ".join(str(text).split())
    try:  # bytes of a file name that are not UTF-8 (surrogate escapes) shown as \xNN, like show()
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8", "replace")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _limit_text(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MiB"


def os_reason(err: OSError) -> str:
    """A short reason for an OSError, in words a user can act on."""
    if err.errno == errno.ENOENT:
        return "no such file; check the path"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; check the file's permissions"
    if err.errno == errno.ELOOP:
        return "a symbolic link loop (or too many links); fix the link"
    if err.errno == errno.EISDIR:
        return "is a folder, not a file"
    if err.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    if err.errno == errno.ENOTDIR:
        return "a part of the path is not a folder; check the path"
    return f"cannot read it ({err.strerror or err}); check the file"


def read_bytes(path: os.PathLike | str, what: str = "file", limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path`` (or standard input for ``-``), refusing anything else
    in one line that names the file."""
    limit = max_input_bytes() if limit is None else limit
    name = show(path)
    if str(path) == STDIN:  # read once; a second reader of - in the same run gets the same bytes
        stream = sys.stdin
        if _STDIN.get("stream") is not stream:
            data = stream.buffer.read(limit + 1) if hasattr(stream, "buffer") else stream.read(limit + 1).encode()
            _STDIN.update(stream=stream, data=data)
        data = _STDIN["data"]
        if len(data) > limit:
            raise SendkgError(f"-: standard input is larger than the input limit of {_limit_text(limit)}; "
                              "give a smaller file (or set SENDKG_MAX_INPUT_MB)")
        return data
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise SendkgError(f"{name}: {os_reason(err)}") from None
    except (ValueError, UnicodeError):  # a NUL in the name, ...
        raise SendkgError(f"{name!r}: not a usable file name; check the path") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise SendkgError(f"{name}: is a folder, not a {what}")
        if not stat.S_ISREG(st.st_mode):
            kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else
                    "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                    "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
            raise SendkgError(f"{name}: {kind}, not a {what}; give a regular file (or - for standard input)")
        if st.st_size > limit:
            raise SendkgError(f"{name}: {st.st_size / (1024 * 1024):.1f} MiB is larger than the input limit of "
                              f"{_limit_text(limit)}; split the file (or set SENDKG_MAX_INPUT_MB)")
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # the file grew while being read
                raise SendkgError(f"{name}: larger than the input limit of {_limit_text(limit)}; split the file "
                                  "(or set SENDKG_MAX_INPUT_MB)")
        return b"".join(chunks)
    except OSError as err:
        raise SendkgError(f"{name}: {os_reason(err)}") from None
    finally:
        os.close(fd)


def read_text(path: os.PathLike | str, what: str = "file") -> str:
    """UTF-8 text of a file read with :func:`read_bytes`; not UTF-8 is one line with the line number."""
    data = read_bytes(path, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SendkgError(f"{show(path)}:{line}: not UTF-8 (byte 0x{data[err.start]:02x}); save the {what} as UTF-8") from None


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def editor_lines(text: str, keepends: bool = False) -> list[str]:
    """``text`` split into lines at \\n, \\r\\n and \\r only, as editors and SARIF count lines (not at
    form feeds, U+2028 and the others str.splitlines also splits at). Like splitlines, no empty last
    line after a final line break."""
    lines, start = [], 0
    for m in _LINE_BREAK.finditer(text):
        lines.append(text[start: m.end() if keepends else m.start()])
        start = m.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


_GLOB = re.compile(r"[*?\[]")


def expand(args: Iterable[str], suffixes: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Files, folders (searched recursively for files ending in ``suffixes``), globs and ``-`` ->
    (the inputs in order, without repeats; one error line for each argument that gives none)."""
    found: list[str] = []
    errors: list[str] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        if p not in seen:
            seen.add(p)
            found.append(p)

    for arg in args:
        if arg == STDIN:
            add(arg)
            continue
        try:
            is_dir = os.path.isdir(arg)
            exists = os.path.lexists(arg)
        except (ValueError, OSError):
            errors.append(f"{show(arg)}: not a usable file name; check the path")
            continue
        if is_dir:
            matches = []
            for root, dirs, files in os.walk(arg, onerror=None, followlinks=False):
                dirs.sort()
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for f in sorted(files):
                    if f.lower().endswith(suffixes) and not f.startswith("."):
                        matches.append(os.path.join(root, f))
            if not matches:
                errors.append(f"{show(arg)}: a folder with no {', '.join(suffixes)} file in it")
            for m in matches:
                add(m)
        elif not exists and _GLOB.search(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            matches = [m for m in matches if not os.path.isdir(m)]
            if not matches:
                errors.append(f"{show(arg)}: no file matches this pattern")
            for m in matches:
                add(m)
        else:
            add(arg)  # a file, or a missing one: reading it says what is wrong
    return found, errors


def same_file(a: os.PathLike | str, b: os.PathLike | str) -> bool:
    """Whether two paths name the same existing file (through links)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def as_path(p: str) -> Path:
    return Path(p)
