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


class StudyFiles:
    """``with StudyFiles(out, categories, as_of, changes) as files: files.add(authority)``; the
    files appear in ``out`` when the block ends without an error."""

    def __init__(self, out: Path, categories: list[dict], as_of: str, changes=None):
        self.out, self.categories, self.as_of, self.changes = Path(out), categories, as_of, changes
        self.rows: list[str] = []  # the heat map: a line of HTML per authority
        self.regions: set[str] = set()
        self.n_authorities = self.n_pages = 0

    def __enter__(self) -> StudyFiles:
        self.out.mkdir(exist_ok=True)
        self.stage = Path(tempfile.mkdtemp(dir=self.out, prefix=".sendkg-study-"))
        (self.stage / "authorities").mkdir()
        self.json = (self.stage / "study.json").open("w", encoding="utf-8")
        top = json.dumps({"sendkg_study": 1, "as_of": self.as_of, "categories": self.categories, "authorities": []},
                         indent=2, ensure_ascii=False)
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
        return self

    def _row(self, name: str, row: dict) -> None:
        self._csv[name][1].writerow({k: ("" if v is None else v) for k, v in row.items()})

    def add(self, a: dict) -> None:
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
        for f in (self.json, self.sections, *(f for f, _ in self._csv.values())):
            if not f.closed:
                f.close()

    def __exit__(self, kind, err, tb) -> None:
        try:
            if kind is not None:
                return
            self.json.write(("\n  " if self.n_authorities else "") + "]\n}\n")
            self._close()
            files = ["study.json", "features.csv", "findings.csv", "categories.csv", "report.html"]
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
            (self.out / "authorities").mkdir(exist_ok=True)
            for page in (self.stage / "authorities").iterdir():
                os.chmod(page, 0o644)
                os.replace(page, self.out / "authorities" / page.name)
            for name in files:
                os.chmod(self.stage / name, 0o644)
                os.replace(self.stage / name, self.out / name)
        finally:
            self._close()
            shutil.rmtree(self.stage, ignore_errors=True)
