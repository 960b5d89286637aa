"""Benchmark of `sendkg study` at England scale: 153 authorities (the register's) with 5 pages each
(765 pages, varied from the seed pages in tests/seeds/ deterministically), then 10 times the pages
per authority (7,650) to see that the cost grows linearly with the pages. Beside it, the way a
researcher would do the same without `study`: `sendkg lint` on each authority's pages, one process
per authority, and `sendkg extract` of them into an authority file, then one `sendkg compare` of the
files (measured on a sample of authorities and scaled to 153; said so in the output).

    python benchmarks/study.py [--runs 3] [--sample 10] [--skip-10x]

Whole processes, medians, peak memory of the whole process tree (the command and its worker
processes together, sampled from /proc). `--jobs N` is passed to `study` (default 0: one worker per
processor). The data goes to benchmarks/data/ (not committed).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
SENDKG = str(Path(sys.executable).parent / "sendkg")
sys.path.insert(0, str(ROOT / "benchmarks"))
from lint_perf import run  # noqa: E402  (whole processes, with each one's peak memory and the tree's)


def generate(out: Path, per_authority: int, seed: int = 1) -> int:
    sys.path.insert(0, str(ROOT))
    from datetime import date

    from sendkg.register import load_register

    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "seeds").glob("*.txt"))]
    if out.exists():
        shutil.rmtree(out)
    n = 0
    for a in load_register().current(date(2026, 11, 23)):
        folder = out / a.id
        folder.mkdir(parents=True)
        for k in range(per_authority):
            text = seeds[(n + k) % len(seeds)]
            if rng.random() < 0.2:
                text = text.replace("two months", "three months")
            if rng.random() < 0.3:
                text = text.replace("Integrated Care Board", "Clinical Commissioning Group")
            (folder / f"page-{k}.txt").write_text(text, encoding="utf-8")
        n += 1
    return n * per_authority


def copies(data: Path, out: Path, n: int, jobs: int = 0) -> None:
    """`study` of each authority in ``data`` n times over, as n times the authorities (the register
    has 153, so the copies are named barnet-copy1 and so on): the command's own code, without its
    command line (which takes only the register's authorities)."""
    sys.path.insert(0, str(ROOT))
    from dataclasses import replace
    from datetime import date

    from sendkg.register import load_register
    from sendkg.render.study_files import StudyFiles
    from sendkg.study import Group, authorities, categories, groups_from_folders

    day = date(2026, 11, 23)
    base = groups_from_folders([data], load_register())
    groups = [Group(replace(g.authority, id=f"{g.authority.id}-copy{k}" if k else g.authority.id,
                            label=f"{g.authority.label} (copy {k})" if k else g.authority.label), list(g.pages))
              for k in range(n) for g in base]
    with StudyFiles(out, categories(), day.isoformat()) as files:
        for a in authorities(groups, day, jobs=jobs):
            files.add(a)


def timed(cmd: list[str]) -> tuple[float, float]:
    """Seconds and peak memory in MB of the whole process tree (the command and its worker
    processes together, sampled from /proc; at least the command's own peak from wait4)."""
    r = run(cmd)
    return r["wall"], max(r["tree"], r["largest"])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sample", type=int, default=10, help="authorities linted one process each for the baseline")
    ap.add_argument("--skip-10x", action="store_true")
    ap.add_argument("--jobs", type=int, default=0, help="study's --jobs (0: one worker process per processor)")
    ap.add_argument("--copies", nargs=3, metavar=("N", "DATA", "OUT"), help=argparse.SUPPRESS)  # the child of the 1,530 run
    args = ap.parse_args(argv)
    if args.copies:
        return copies(Path(args.copies[1]), Path(args.copies[2]), int(args.copies[0]), args.jobs)
    results = []
    for per in (5,) + (() if args.skip_10x else (50,)):
        data = DATA / f"study-153x{per}"
        pages = generate(data, per)
        out = Path(tempfile.mkdtemp(prefix="sendkg-study-"))
        runs = [timed([SENDKG, "study", str(data), "-o", str(out / f"r{i}"), "--jobs", str(args.jobs)])
                for i in range(args.runs if per == 5 else 1)]
        med = statistics.median(s for s, _ in runs)
        rss = max(m for _, m in runs)
        results.append((f"153 authorities x {per} pages", pages, med, rss))
        print(f"study: 153 authorities x {per} pages = {pages} pages: {med:.1f} s (median of {len(runs)}), "
              f"peak {rss:.0f} MB", flush=True)
    if not args.skip_10x:  # 10 times the authorities (1,530 with 5 pages each)
        t, rss = timed([sys.executable, __file__, "--copies", "10", str(DATA / "study-153x5"), str(out / "x10"),
                        "--jobs", str(args.jobs)])
        results.append(("1,530 authorities", 7650, t, rss))
        print(f"study: 1,530 authorities x 5 pages = 7,650 pages: {t:.1f} s, peak {rss:.0f} MB", flush=True)
    # the same without `study`: per authority, `lint` its pages (the findings) and `extract` them into
    # an authority file (one process each); then one `compare` over the files
    folders = sorted((DATA / "study-153x5").iterdir())[: args.sample]
    ttl = Path(tempfile.mkdtemp(prefix="sendkg-offers-"))
    lint_s, extract_s = [], []
    for f in folders:
        pages = list(map(str, sorted(f.glob("*.txt"))))
        lint_s.append(timed([SENDKG, "lint", *pages])[0])
        extract_s.append(timed([SENDKG, "extract", *pages, "--new-authority", f.name, "--name", f.name,
                                "-o", str(ttl / f"{f.name}.ttl")])[0])
    compare_s = timed([SENDKG, "compare", "--offers", str(ttl), *[f.name for f in folders]])[0]
    each = statistics.mean(lint_s) + statistics.mean(extract_s)
    baseline = each * 153 + compare_s * 153 / len(folders)
    print(f"baseline: per authority `lint` {statistics.mean(lint_s):.2f} s + `extract` {statistics.mean(extract_s):.2f} s, "
          f"`compare` of {len(folders)} authority files {compare_s:.2f} s; about {baseline:.0f} s for 153 (scaled from "
          f"{len(folders)} authorities measured); study is {baseline / results[0][2]:.1f}x faster")
    for what, n1, t1, rss in results[1:]:
        n0, t0 = results[0][1], results[0][2]
        print(f"growth ({what}): {n1 / n0:.0f}x the pages took {t1 / t0:.1f}x the time; peak memory "
              f"{results[0][3]:.0f} MB then {rss:.0f} MB (target: under 1,024 MB)")


if __name__ == "__main__":
    main()
