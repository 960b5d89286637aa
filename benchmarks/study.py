"""Benchmark of `sendkg study` at England scale: 153 authorities (the register's) with 5 pages each
(765 pages, varied from the seed pages in tests/seeds/ deterministically), then 10 times the pages
per authority (7,650) to see that the cost grows linearly with the pages. Beside it, the way a
researcher would do the same without `study`: `sendkg lint` on each authority's pages, one process
per authority (measured on a sample of authorities and scaled to 153; said so in the output).

    python benchmarks/study.py [--runs 3] [--sample 10] [--skip-10x]

Whole processes, medians, peak memory (RSS of the child, from wait4). The data goes to
benchmarks/data/ (not committed).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
SENDKG = str(Path(sys.executable).parent / "sendkg")


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


def timed(cmd: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-500:]}")
    return seconds, usage.ru_maxrss / 1024


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sample", type=int, default=10, help="authorities linted one process each for the baseline")
    ap.add_argument("--skip-10x", action="store_true")
    args = ap.parse_args(argv)
    results = []
    for per in (5,) + (() if args.skip_10x else (50,)):
        data = DATA / f"study-153x{per}"
        pages = generate(data, per)
        out = Path(tempfile.mkdtemp(prefix="sendkg-study-"))
        runs = [timed([SENDKG, "study", str(data), "-o", str(out / f"r{i}")]) for i in range(args.runs if per == 5 else 1)]
        med = statistics.median(s for s, _ in runs)
        rss = max(m for _, m in runs)
        results.append((per, pages, med, rss))
        print(f"study: 153 authorities x {per} pages = {pages} pages: {med:.1f} s (median of {len(runs)}), "
              f"peak {rss:.0f} MB", flush=True)
    folders = sorted((DATA / "study-153x5").iterdir())[: args.sample]
    base = [timed([SENDKG, "lint", *map(str, sorted(f.glob("*.txt")))])[0] for f in folders]
    per_authority = statistics.mean(base)
    print(f"baseline: sendkg lint per authority ({args.sample} authorities measured): {per_authority:.2f} s each, "
          f"about {per_authority * 153:.0f} s for 153 (scaled from the sample); study is "
          f"{per_authority * 153 / results[0][2]:.1f}x faster")
    if len(results) > 1:
        (p0, n0, t0, _), (p1, n1, t1, _) = results[0], results[1]
        print(f"growth: {n1 / n0:.0f}x the pages took {t1 / t0:.1f}x the time")


if __name__ == "__main__":
    main()
