"""How right `sendkg lint` is on the development set (tests/scenarios/lint-dev/, issue 11).

Each sentence is linted as a one-line page (its `context`, if any, before it on the same line, so the
two read as one paragraph; only findings on the sentence's own words count). Each page of
pages/expected.toml is linted alone, as `sendkg lint PAGE` would. Then, per finding code:

- recall: expected findings found with the same code at the expected severity (and, on a page, at
  the expected line), over all expected findings;
- precision: warnings and violations that were expected, over all warnings and violations lint gave
  (an info never counts as a false alarm; an expected info counts for recall).

With --real, the real pages judged by hand (tests/scenarios/lint-real/real-*.toml, from their scratch
copies) are scored beside the development set, and with --blind the blind set too (only when a round's
work on the reader is done): the three sets side by side (issue 19).

Usage: python benchmarks/lint_accuracy.py [--json] [--show-misses] [--real] [--blind]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "scenarios" / "lint-dev"
ALARMS = {"warning", "violation"}


def load_set(dev: Path = DEV):
    sentences = [s for f in sorted(dev.glob("sentences-*.toml")) for s in tomllib.loads(f.read_text())["sentence"]]
    pages = tomllib.loads((dev / "pages" / "expected.toml").read_text())["page"]
    return sentences, pages


def _score(items, counts, misses):
    """items: (name, expected [(code, severity, line|None)], got [(code, severity, line)])."""
    for name, expected, got in items:
        left = list(got)
        for code, severity, line in expected:
            hit = next((g for g in left if g[0] == code and g[1] == severity and (line is None or g[2] == line)), None)
            if hit:
                left.remove(hit)
                counts[code]["tp"] += 1
                if severity in ALARMS:
                    counts[code]["tp_alarm"] += 1
            else:
                counts[code]["fn"] += 1
                misses.append(("missed", name, code, severity, line))
        for code, severity, line in left:
            if severity in ALARMS:
                counts[code]["fp"] += 1
                misses.append(("false alarm", name, code, severity, line))


def run(dev: Path = DEV) -> dict:
    from sendkg.lint import lint

    sentences, pages = load_set(dev)
    started = time.perf_counter()
    items = []
    with tempfile.TemporaryDirectory() as tmp:
        paths, starts = [], []
        for i, s in enumerate(sentences):
            context = (s.get("context") or "").strip()
            line = f"{context} {s['text']}" if context else s["text"]
            starts.append(len(context) + 2 if context else 1)
            paths.append(Path(tmp) / f"s{i:04d}.txt")
            paths[-1].write_text(line + "\n", encoding="utf-8")
        reports = lint(paths)
        for s, start, r in zip(sentences, starts, reports):
            got = [(f.code, f.severity, None) for f in r.findings
                   if not f.code.startswith("missing-") and f.code != "no-routes" and (f.column or 1) >= start]
            expected = [(e["code"], e["severity"], None) for e in s["expect"]]
            items.append((s["id"], expected, got))
    sentence_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for p in pages:
        (r,) = lint([dev / p["file"]])
        got = [(f.code, f.severity, f.line) for f in r.findings]
        expected = [(e["code"], e["severity"], e.get("line")) for e in p["expect"]]
        items.append((p["file"], expected, got))
    page_seconds = time.perf_counter() - started
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "tp_alarm": 0, "fn": 0, "fp": 0})
    misses: list = []
    _score(items, counts, misses)

    def ratios(c):
        expected = c["tp"] + c["fn"]
        alarms = c["tp_alarm"] + c["fp"]
        return {"expected": expected, "found": c["tp"], "false_alarms": c["fp"],
                "recall": round(c["tp"] / expected, 3) if expected else None,
                "precision": round(c["tp_alarm"] / alarms, 3) if alarms else None}

    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "tp_alarm", "fn", "fp")}
    clean = [p["file"] for p in pages if not p["expect"] or all(e["severity"] == "info" for e in p["expect"])]
    dirty = sorted({m[1] for m in misses if m[0] == "false alarm" and m[1] in clean})
    return {
        "sentences": len(sentences), "pages": len(pages),
        "codes": {code: ratios(c) for code, c in sorted(counts.items())},
        "overall": ratios(total),
        "correct_pages": len(clean), "correct_pages_with_alarms": dirty,
        "seconds": {"sentences": round(sentence_seconds, 2), "pages": round(page_seconds, 2)},
        "misses": [{"kind": k, "item": n, "code": c, "severity": s, "line": ln} for k, n, c, s, ln in misses],
    }


def render(result: dict, show_misses: bool) -> str:
    lines = [f"lint accuracy on the development set: {result['sentences']} sentences, {result['pages']} pages",
             "", f"{'code':<30} {'expected':>8} {'found':>6} {'false':>6} {'recall':>7} {'precision':>9}"]

    def fmt(x):
        return "-" if x is None else f"{x:.2f}"

    for code, r in result["codes"].items():
        lines.append(f"{code:<30} {r['expected']:>8} {r['found']:>6} {r['false_alarms']:>6} {fmt(r['recall']):>7} {fmt(r['precision']):>9}")
    o = result["overall"]
    lines += [f"{'overall':<30} {o['expected']:>8} {o['found']:>6} {o['false_alarms']:>6} {fmt(o['recall']):>7} {fmt(o['precision']):>9}",
              "", f"correct pages: {result['correct_pages']}, with a warning or violation: {len(result['correct_pages_with_alarms'])}"
              + (f" ({', '.join(result['correct_pages_with_alarms'])})" if result["correct_pages_with_alarms"] else ""),
              f"time: {result['seconds']['sentences']} s for the sentences, {result['seconds']['pages']} s for the pages"]
    if show_misses:
        lines.append("")
        for m in result["misses"]:
            lines.append(f"{m['kind']:<12} {m['item']:<45} {m['code']:<28} {m['severity']}" + (f" line {m['line']}" if m["line"] else ""))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON (for tests)")
    ap.add_argument("--show-misses", action="store_true", help="list every missed finding and false alarm")
    ap.add_argument("--real", action="store_true",
                    help="also score the real pages judged by hand (benchmarks/lint_real.py), beside the development set")
    ap.add_argument("--blind", action="store_true",
                    help="with --real, the blind set too: only when a round's work on the reader is done")
    args = ap.parse_args(argv)
    result = run()
    sets = {"development": result}
    if args.real or args.blind:
        sets.update(real_sets(args.blind))
    if args.json:
        json.dump(result if len(sets) == 1 else sets, sys.stdout, indent=2)
        print()
    else:
        print(render(result, args.show_misses))
        if len(sets) > 1:
            print()
            print(side_by_side(sets))
    return 0


def real_sets(blind: bool) -> dict:
    """The real development pages and, with ``blind``, the blind pages, scored by lint_real.py from
    their scratch copies (the pages' text is not in the repository)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("lint_real", ROOT / "benchmarks" / "lint_real.py")
    real = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(real)
    judged = ROOT / "tests" / "scenarios" / "lint-real"
    folder = real.pages_folder()
    out = {"real": real.run(sorted(judged.glob("real-*.toml")), folder)}
    if blind:
        # each round's blind set apart: round 1's (blind-*.toml) and round N's (blind-rN-*.toml), each
        # set aside before its round's reader changes (tests/scenarios/lint-real/README.md)
        rounds: dict[str, list] = {}
        for f in sorted(judged.glob("blind-*.toml")):
            rounds.setdefault(real.copies_folder(f.name).replace("-", " "), []).append(f)
        for name, files in rounds.items():
            out[name] = real.run(files, folder, blind=True)
    return out


def side_by_side(sets: dict) -> str:
    """One line per set: the same measures, the development set's figure never alone (issue 19)."""
    def fmt(x):
        return "-" if x is None else f"{x:.2f}"

    lines = ["set          items        expected  found  false  recall  precision  alarms/10 pages  correct pages warned",
             "-----------  -----------  --------  -----  -----  ------  ---------  ---------------  --------------------"]
    for name, r in sets.items():
        o = r["overall"]
        items = f"{r['pages']} pages" if name != "development" else f"{r['sentences']} s., {r['pages']} p."
        per10 = r.get("unmatched_alarms_per_10_pages")
        warned = r.get("correct_pages_with_alarms", [])
        lines.append(f"{name:<11}  {items:<11}  {o['expected']:>8}  {o['found']:>5}  {o['false_alarms']:>5}  "
                     f"{fmt(o['recall']):>6}  {fmt(o['precision']):>9}  {'-' if per10 is None else per10:>15}  "
                     f"{len(warned)} of {r.get('correct_pages', '-')}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
