"""A study's files, written an authority at a time: study.json, features.csv, findings.csv,
categories.csv, report.html, authorities/ID.html and (with --since) changes.json.

Each authority's record is written out as soon as it is checked and then let go, so memory does
not grow with the study (issue 14: 1,530 authorities under 1 GB). Everything is written into a
hidden folder inside the output folder and moved into place only when the whole study is done: a
study that stops half way (an error, Ctrl-C) leaves the earlier files as they were and no part
written.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from pathlib import Path

from sendkg.render.report import authority_html, authority_section, heat_row, report_frame
from sendkg.study import feature_rows

FEATURE_COLUMNS = ["authority", "gss_code", "name", "region", "feature", "category", "present", "correct", "quote",
                   "page", "line", "url", "retrieved_at"]
FINDING_COLUMNS = ["authority", "gss_code", "severity", "code", "message", "law", "page", "line", "url", "retrieved_at"]


def _indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line for line in text.split("\n"))


OUTPUTS = ["study.json", "features.csv", "findings.csv", "categories.csv", "report.html", "changes.json"]
STAGE_PREFIX = ".sendkg-study-"


def _fail(path, err: OSError):
    from sendkg.errors import SendkgError
    from sendkg.inputs import os_reason, show

    return SendkgError(f"{show(path)}: {os_reason(err)}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _link_refusal(path: Path):
    from sendkg.errors import SendkgError
    from sendkg.inputs import show

    return SendkgError(f"{show(path)}: is a symbolic link, where the study writes a file of its own; it never "
                       "writes through a link it was not given: remove the link or give another -o")


def links_in_the_way(out: Path) -> None:
    """A symbolic link where the study writes one of its files (study.json, authorities/, a page
    in it) refused in one line: the study writes its files, never through a link it did not name
    (``-o`` itself may be one)."""
    for name in [*OUTPUTS, "authorities"]:
        if (out / name).is_symlink():
            raise _link_refusal(out / name)
    pages = out / "authorities"
    if pages.is_dir():
        for p in pages.iterdir():
            if p.is_symlink():
                raise _link_refusal(p)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_study_output(out: Path, folders=(), inputs=(), cache: Path | None = None) -> None:
    """``-o`` refused in one line before any work when the study would write into what it reads:
    the output folder is a folder being read or inside one (it would overwrite a page such as
    report.html, and read its own report next time), or inside the cache; a file it writes is one
    of its inputs (the list, --since); a folder being read is inside the folder it writes pages
    into; or a symbolic link stands where one of its files goes."""
    from sendkg.errors import SendkgError
    from sendkg.inputs import same_file, show

    real = os.path.realpath(out)
    for f in folders:
        rf = os.path.realpath(f)
        if _within(real, rf):
            raise SendkgError(f"-o {show(out)}: is {'the' if real == rf else 'inside the'} folder being read "
                              f"({show(f)}); give an output folder outside it")
        if _within(rf, os.path.join(real, "authorities")):
            raise SendkgError(f"{show(f)}: the folder being read is inside the folder the study writes its pages "
                              f"into (-o {show(out)}); give another -o")
    if cache is not None and _within(real, os.path.realpath(cache)):
        raise SendkgError(f"-o {show(out)}: is inside the cache ({show(cache)}); give an output folder outside it")
    for i in inputs:
        for name in OUTPUTS:
            if same_file(i, out / name):
                raise SendkgError(f"{show(i)}: is an input, and the {name} this study writes in -o {show(out)}; "
                                  "copy it elsewhere first or give another -o")
        if _within(os.path.realpath(i), os.path.join(real, "authorities")):
            raise SendkgError(f"{show(i)}: is an input inside the folder the study writes its pages into "
                              f"(-o {show(out)}); give another -o")
    links_in_the_way(out)


def _place(staged: Path, target: Path) -> None:
    """A finished file moved where it belongs: renamed into place (never half-written), keeping an
    existing file's mode (a new one gets 0666 less the umask); a device (-o /dev/null's kind) is
    written as every -o is; a symbolic link is refused, never written through."""
    import stat

    from sendkg.commands.output import write_file

    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        raise _link_refusal(target)
    if st is not None and not stat.S_ISREG(st.st_mode):
        write_file(staged, str(target), inputs=[])
        return
    if st is not None:
        mode = stat.S_IMODE(st.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(staged, mode)
    os.replace(staged, target)  # a link put there since the check is replaced, not followed


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A CSV field that a spreadsheet will not run: text starting with = + - @ or a tab or carriage
    return (a formula, OWASP 'CSV injection') gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


class StudyFiles:
    """``with StudyFiles(out, categories, as_of, changes) as files: files.add(authority)``; the
    files appear in ``out`` when the block ends without an error. What cannot be written is one
    line naming the file, before the study starts when it can be known then."""

    def __init__(self, out: Path, categories: list[dict], as_of: str, changes=None):
        self.out, self.categories, self.as_of, self.changes = Path(out), categories, as_of, changes
        self.rows: list[str] = []  # the heat map: a line of HTML per authority
        self.regions: set[str] = set()
        self.n_authorities = self.n_pages = 0
        self.page_reports: list[dict] = []  # pages that moved, vanished or were not fetched (study.json)
        self.stage: Path | None = None
        self._made_out = False

    def _precheck(self) -> None:
        from sendkg.errors import SendkgError
        from sendkg.inputs import show

        for name in OUTPUTS:
            if (self.out / name).is_dir():
                raise SendkgError(f"{show(self.out / name)}: is a folder, where the study writes its {name}; "
                                  "move it away or give another -o")
        links_in_the_way(self.out)
        pages = self.out / "authorities"
        if os.path.lexists(pages) and not pages.is_dir():
            raise SendkgError(f"{show(pages)}: is not a folder, where the study writes a page per authority; "
                              "move it away or give another -o")
        for old in self.out.glob(STAGE_PREFIX + "*"):  # left by a study that was killed
            pid = old.name[len(STAGE_PREFIX):].split("-", 1)[0]
            if old.is_dir() and pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)

    def __enter__(self) -> StudyFiles:
        try:
            self._made_out = not self.out.exists()
            self.out.mkdir(exist_ok=True)
            self._precheck()
            self.stage = Path(tempfile.mkdtemp(dir=self.out, prefix=f"{STAGE_PREFIX}{os.getpid()}-"))
            (self.stage / "authorities").mkdir()
            self.json = (self.stage / "study.json").open("w", encoding="utf-8")
            top = json.dumps({"sendkg_study": 1, "as_of": self.as_of, "categories": self.categories,
                              "authorities": []}, indent=2, ensure_ascii=False)
            self.json.write(top[: top.rindex("[]")] + "[")  # the authorities follow, one at a time
            self._csv = {}
            for name, cols in (("features", FEATURE_COLUMNS), ("findings", FINDING_COLUMNS),
                               ("categories", ["authority", "gss_code", "name", "region",
                                               *(c["id"] for c in self.categories), "completeness", "accuracy"])):
                f = (self.stage / f"{name}.csv").open("w", encoding="utf-8", newline="")
                w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
                w.writeheader()
                self._csv[name] = (f, w)
            self.sections = (self.stage / "sections.part").open("w", encoding="utf-8")
        except OSError as err:
            self._abandon()
            raise _fail(err.filename or self.out, err) from None
        except BaseException:
            self._abandon()
            raise
        return self

    def _row(self, name: str, row: dict) -> None:
        self._csv[name][1].writerow({k: ("" if v is None else csv_safe(v)) for k, v in row.items()})

    def add(self, a: dict) -> None:
        try:
            self._add(a)
        except OSError as err:  # a full disk, a folder that went away
            raise _fail(err.filename or self.stage, err) from None

    def _add(self, a: dict) -> None:
        self.json.write(("," if self.n_authorities else "") + "\n"
                        + _indent(json.dumps(a, indent=2, ensure_ascii=False)))
        for r in feature_rows(a):
            self._row("features", r)
        for f in a["findings"]:
            self._row("findings", {"authority": a["id"], "gss_code": a["gss_code"], **{k: f[k] for k in FINDING_COLUMNS[2:]}})
        self._row("categories", {"authority": a["id"], "gss_code": a["gss_code"], "name": a["name"],
                                 "region": a["region"], **{c["id"]: a["categories"][c["id"]] for c in self.categories},
                                 "completeness": a["completeness"], "accuracy": "" if a["accuracy"] is None else a["accuracy"]})
        self.sections.write(authority_section(a))
        (self.stage / "authorities" / f"{a['id']}.html").write_text(authority_html(a, self.as_of), encoding="utf-8")
        self.rows.append(heat_row(a, self.categories))
        if a.get("region"):
            self.regions.add(a["region"])
        if self.changes is not None:
            self.changes.add(a)
        self.n_authorities += 1
        self.n_pages += len(a["pages"])

    def _close(self) -> None:
        for f in (getattr(self, "json", None), getattr(self, "sections", None),
                  *(f for f, _ in getattr(self, "_csv", {}).values())):
            if f is not None and not f.closed:
                f.close()

    def _abandon(self) -> None:
        self._close()
        if self.stage is not None:
            shutil.rmtree(self.stage, ignore_errors=True)
        if self._made_out:
            try:
                self.out.rmdir()  # only if nothing else was put there meanwhile
            except OSError:
                pass

    def _finish(self) -> list[str]:
        """The last parts written in the staging folder; the names of the finished files."""
        self.json.write(("\n  " if self.n_authorities else "") + "]")
        if self.page_reports:
            self.json.write(',\n  "page_reports": ' + _indent(json.dumps(self.page_reports, indent=2, ensure_ascii=False), "  ").lstrip())
        self.json.write("\n}\n")
        self._close()
        files = OUTPUTS[:5]
        changes = self.changes.result() if self.changes is not None else None
        if changes is not None:
            (self.stage / "changes.json").write_text(json.dumps(changes, indent=2, ensure_ascii=False) + "\n",
                                                     encoding="utf-8")
            files.append("changes.json")
        before, after = report_frame(self.categories, self.as_of, self.rows, self.regions, self.n_pages, changes)
        with (self.stage / "report.html").open("w", encoding="utf-8") as f, \
                (self.stage / "sections.part").open(encoding="utf-8") as sections:
            f.write(before)
            shutil.copyfileobj(sections, f)
            f.write(after)
        return files

    def __exit__(self, kind, err, tb) -> None:
        if kind is not None:
            self._abandon()
            return
        try:
            files = self._finish()
            self._precheck()  # nothing put in the way while the study ran
            with _ctrl_c_deferred():  # the files move into place together, or Ctrl-C waits for them
                for name in files:
                    _place(self.stage / name, self.out / name)
                (self.out / "authorities").mkdir(exist_ok=True)
                for page in sorted((self.stage / "authorities").iterdir()):
                    _place(page, self.out / "authorities" / page.name)
        except OSError as e:
            self._abandon()
            raise _fail(e.filename or self.out, e) from None
        except BaseException:
            self._abandon()
            raise
        self._made_out = False
        self._abandon()


class _ctrl_c_deferred:
    """Ctrl-C (SIGINT) held until the block ends, then raised; in the main thread only."""

    def __enter__(self):
        import signal
        import threading

        self.caught = False
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._hold)
        return self

    def _hold(self, *_):
        self.caught = True

    def __exit__(self, *exc):
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            if self.caught and exc[0] is None:
                raise KeyboardInterrupt
        return False
