"""How right `sendkg lint` is on real pages judged by hand (tests/scenarios/lint-real/, issue 19).

Each judged page (`real-*.toml`: id, expect = [{line, code, severity}], verdict, scope) is linted
alone, as `sendkg lint PAGE` would, from its scratch copy `$SENDKG_REAL_PAGES/real/<id>.txt` (the
page text is never in the repository; default folder: ../scratch/lint-real beside the checkout).
Then, as benchmarks/lint_accuracy.py scores the development set:

- recall: expected findings found with the same code, at the expected severity and line;
- recall at any severity: the same code at the same line, whatever its severity;
- precision: warnings and violations that were expected (same code and line), over all the warnings
  and violations lint gave; an info is never a false alarm;
- unmatched warnings or violations per 10 pages, and the correct pages that got one.

The blind set (`blind-*.toml`, `$SENDKG_REAL_PAGES/blind/`) is read only with `--blind`: nobody
changing the reader reads it until the round's work is done (tests/scenarios/lint-real/README.md).

A judgement with `sha256` (the hex digest of its scratch copy's bytes, written when the copy was
rebuilt) is scored only if the copy's bytes still have that digest: a copy that differs is not the
text that was judged, so it counts as missing and is named in the report (`mismatched_copies`).

Usage: python benchmarks/lint_real.py [--judgements DIR_OR_FILE ...] [--pages DIR] [--json]
       [--show-misses] [--blind]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "tests" / "scenarios" / "lint-real"
ALARMS = {"warning", "violation"}


def pages_folder(given: str | None = None) -> Path:
    return Path(given or os.environ.get("SENDKG_REAL_PAGES") or ROOT.parent / "scratch" / "lint-real")


def judgement_files(given: list[str], blind: bool) -> list[Path]:
    """The TOML files to score: real-*.toml in each folder given (default tests/scenarios/lint-real/),
    and blind-*.toml only with ``blind``. A blind file named on its own is refused without it."""
    out: list[Path] = []
    for g in given or [str(JUDGED)]:
        p = Path(g)
        if p.is_dir():
            out += sorted(p.glob("real-*.toml"))
            if blind:
                out += sorted(p.glob("blind-*.toml"))
        elif p.name.startswith("blind-") and not blind:
            raise SystemExit(f"{p}: a blind judgement file; it is scored only with --blind, when the round's work is done")
        else:
            out.append(p)
    return out


def copies_folder(name: str) -> str:
    """The scratch sub-folder of a judgement file's page copies: real/, blind/ (round 1), or
    blind-rN/ for round N's blind set (blind-rN-*.toml)."""
    m = re.match(r"blind-(r\d+)-", name)
    if m:
        return f"blind-{m.group(1)}"
    return "blind" if name.startswith("blind-") else "real"


def load(files: list[Path], folder: Path, blind: bool):
    """(page, its scratch file) for every judged page whose copy is there and, where the judgement has
    a ``sha256``, has those bytes; the ids of the others (missing, or mismatched: a copy that is not
    the one judged) are returned too. Blind files are refused, unread, without ``blind``."""
    if not (folder / "real").is_dir():
        raise SystemExit(f"{folder}: no real/ folder of page copies here; set SENDKG_REAL_PAGES or give --pages")
    pages, missing, mismatched = [], [], []
    for f in files:
        sub = copies_folder(f.name)
        if sub != "real" and not blind:
            raise SystemExit(f"{f}: blind; refused without --blind")
        for page in tomllib.loads(f.read_text(encoding="utf-8")).get("page", []):
            text = folder / sub / f"{page['id']}.txt"
            if not text.is_file():
                missing.append(page["id"])
            elif page.get("sha256") and hashlib.sha256(text.read_bytes()).hexdigest() != page["sha256"]:
                missing.append(page["id"])
                mismatched.append(page["id"])
            else:
                pages.append((page, text))
    return pages, missing, mismatched


def score(pages, reports) -> dict:
    counts = defaultdict(lambda: {"tp": 0, "tp_alarm": 0, "fn": 0, "fp": 0, "any": 0})
    misses, dirty, alarms_total = [], [], 0
    for (page, _text), report in zip(pages, reports):
        got = [(f.code, f.severity, f.line) for f in report.findings]
        left = list(got)
        for e in page.get("expect", []):
            code, severity, line = e["code"], e["severity"], e.get("line")
            hit = next((g for g in left if g[0] == code and g[1] == severity and (line is None or g[2] == line)), None)
            if any(g[0] == code and (line is None or g[2] == line) for g in got):
                counts[code]["any"] += 1
            if hit:
                left.remove(hit)
                counts[code]["tp"] += 1
                if severity in ALARMS:
                    counts[code]["tp_alarm"] += 1
            else:
                counts[code]["fn"] += 1
                sev = next((g[1] for g in got if g[0] == code and (line is None or g[2] == line)), None)
                misses.append({"kind": "missed" if sev is None else f"missed (gave {sev})", "page": page["id"],
                               "code": code, "severity": severity, "line": line, "why": e.get("why", "")})
        expected_at = {(e["code"], e.get("line")) for e in page.get("expect", [])}
        for code, severity, line in left:
            if severity in ALARMS and (code, line) not in expected_at:
                counts[code]["fp"] += 1
                alarms_total += 1
                misses.append({"kind": "false alarm", "page": page["id"], "code": code, "severity": severity,
                               "line": line, "why": ""})
        if page.get("verdict") == "correct" and any(s in ALARMS for _c, s, _l in got):
            dirty.append(page["id"])

    def ratios(c):
        expected = c["tp"] + c["fn"]
        alarms = c["tp_alarm"] + c["fp"]
        return {"expected": expected, "found": c["tp"], "found_any_severity": c["any"], "false_alarms": c["fp"],
                "recall": round(c["tp"] / expected, 3) if expected else None,
                "recall_any_severity": round(c["any"] / expected, 3) if expected else None,
                "precision": round(c["tp_alarm"] / alarms, 3) if alarms else None}

    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "tp_alarm", "fn", "fp", "any")}
    correct = [p["id"] for p, _ in pages if p.get("verdict") == "correct"]
    return {"pages": len(pages), "codes": {k: ratios(v) for k, v in sorted(counts.items())}, "overall": ratios(total),
            "unmatched_alarms_per_10_pages": round(10 * alarms_total / len(pages), 2) if pages else None,
            "correct_pages": len(correct), "correct_pages_with_alarms": dirty, "misses": misses}


def run(files: list[Path], folder: Path, blind: bool = False) -> dict:
    from sendkg.lint import lint

    pages, missing, mismatched = load(files, folder, blind)
    started = time.perf_counter()
    reports = lint([text for _page, text in pages]) if pages else []  # each page alone: no site, no authority
    result = score(pages, reports)
    result["missing_copies"] = missing  # includes the mismatched ones
    result["mismatched_copies"] = mismatched
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["files"] = [str(f) for f in files]
    return result


def render(result: dict, show_misses: bool) -> str:
    def fmt(x):
        return "-" if x is None else f"{x:.2f}"

    lines = [f"lint on real pages: {result['pages']} pages ({len(result['missing_copies'])} judged pages without a scratch copy)"]
    if result.get("mismatched_copies"):
        lines.append(f"copies whose sha256 is not the judged one (counted as missing): {', '.join(result['mismatched_copies'])}")
    lines += ["", f"{'code':<30} {'expected':>8} {'found':>6} {'any-sev':>7} {'false':>6} {'recall':>7} {'precision':>9}"]
    rows = list(result["codes"].items()) + [("overall", result["overall"])]
    for code, r in rows:
        lines.append(f"{code:<30} {r['expected']:>8} {r['found']:>6} {r['found_any_severity']:>7} {r['false_alarms']:>6} "
                     f"{fmt(r['recall']):>7} {fmt(r['precision']):>9}")
    lines += ["", f"unmatched warnings or violations per 10 pages: {result['unmatched_alarms_per_10_pages']}",
              f"correct pages: {result['correct_pages']}, with a warning or violation: {len(result['correct_pages_with_alarms'])}",
              f"time: {result['seconds']} s"]
    if show_misses:
        lines.append("")
        for m in result["misses"]:
            lines.append(f"{m['kind']:<20} {m['page']:<14} line {m['line']!s:<4} {m['code']:<28} {m['severity']:<9} {m['why'][:110]}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--judgements", nargs="*", default=[], help="real-*.toml files or folders holding them "
                    "(default tests/scenarios/lint-real/)")
    ap.add_argument("--pages", help="the scratch folder with real/<id>.txt (default $SENDKG_REAL_PAGES)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--blind", action="store_true", help="also score the blind set (only when the round's work is done)")
    args = ap.parse_args(argv)
    result = run(judgement_files(args.judgements, args.blind), pages_folder(args.pages), args.blind)
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        print(render(result, args.show_misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
