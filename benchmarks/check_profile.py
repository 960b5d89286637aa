"""Where `sendkg check`'s CPU time goes, in the process (issue 21): each query by its source.

    PYTHONPATH=. python benchmarks/check_profile.py [--runs 3] [--sizes 153 1530] [--top 12]

For each size, ``--runs`` times in this one process: reading the generated authorities' files
(``resolve``, as `check` does with ``keep``), then ``check``; CPU time (``time.process_time``) of the
two, and of every query the store runs, summed by its source (each SPARQL constraint is named by
its shape). Prints the medians, the slowest queries first. The timing wraps ``EmbeddedStore.run``
from here; nothing in sendkg is changed for it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="+", default=[153, 1530])
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()

    from sendkg import authorities
    from sendkg.store import EmbeddedStore

    spent: dict[str, float] = defaultdict(float)
    original = EmbeddedStore.run

    def timed(self, query, source="query"):
        start = time.process_time()
        try:
            return original(self, query, source)
        finally:
            spent[source] += time.process_time() - start

    EmbeddedStore.run = timed
    for n in args.sizes:
        offers = sorted(str(p) for p in (DATA / f"a{n}" / "offers").glob("*.ttl"))
        if not offers:
            raise SystemExit(f"{DATA / f'a{n}'}: no data; run benchmarks/generate.py {DATA / f'a{n}'} --authorities {n}")
        reading, checking, per = [], [], defaultdict(list)
        for _ in range(args.runs):
            spent.clear()
            start = time.process_time()
            chosen = authorities.resolve(offers, keep=True)
            mid = time.process_time()
            report = authorities.check(chosen)
            end = time.process_time()
            reading.append(mid - start)
            checking.append(end - mid)
            for k, v in spent.items():
                per[k].append(v)
        results = sum(len(a.findings) for a in report.authorities)
        med = {k: statistics.median(v) for k, v in per.items()}
        sparql = sum(v for k, v in med.items() if k.startswith("SPARQL constraint"))
        print(f"{n} authorities: reading {statistics.median(reading):.2f} s, check {statistics.median(checking):.2f} s "
              f"(SPARQL constraints {sparql:.2f} s, all queries {sum(med.values()):.2f} s), {results} findings; "
              f"CPU medians of {args.runs}")
        for k, v in sorted(med.items(), key=lambda kv: -kv[1])[:args.top]:
            print(f"  {v:7.3f} s  {k}")


if __name__ == "__main__":
    main()
