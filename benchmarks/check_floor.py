"""`sendkg check` against the floor: loading the same triples into pyoxigraph (issue 21).

    python benchmarks/check_floor.py [--runs 5] [--sizes 153 1530] [--sendkg CMD]

Whole processes, CPU time (user + sys of the process, from os.wait4), median of ``--runs``,
the check and the floor run alternately so that a busy machine slows both alike. The floor is a
process that imports pyoxigraph and loads the data's one N-Triples file (the model and the
authorities, ``benchmarks/data/aN/merged.nt``, written by generate.py) into an in-memory store.
The check is ``sendkg check --format json`` of the authorities' files (``--sendkg`` to give another
command, e.g. ``"python -m sendkg"`` with PYTHONPATH of another tree). Prints one line per size.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"

FLOOR = ("import sys, pyoxigraph as ox\n"
         "s = ox.Store()\n"
         "s.load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)\n"
         "assert len(s)\n")


def cpu_seconds(cmd: list[str]) -> float:
    """The CPU time (user + sys) of one whole process running ``cmd`` (its output thrown away)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/")
    _pid, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:4])}...: exit {code}: {proc.stderr.read().decode(errors='replace')[-500:]}")
    return usage.ru_utime + usage.ru_stime


def check_against_floor(n: int, runs: int, sendkg: list[str]) -> tuple[float, float]:
    """Median CPU seconds of ``sendkg check`` of the ``n`` generated authorities and of the floor."""
    offers = sorted(str(p) for p in (DATA / f"a{n}" / "offers").glob("*.ttl"))
    merged = DATA / f"a{n}" / "merged.nt"
    if not offers or not merged.exists():
        raise SystemExit(f"{DATA / f'a{n}'}: no data; run benchmarks/generate.py {DATA / f'a{n}'} --authorities {n}")
    ours, floor = [], []
    for _ in range(runs):
        ours.append(cpu_seconds([*sendkg, "check", "--format", "json", *offers]))
        floor.append(cpu_seconds([sys.executable, "-c", FLOOR, str(merged)]))
    return statistics.median(ours), statistics.median(floor)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", type=int, nargs="+", default=[153, 1530])
    ap.add_argument("--sendkg", default=str(Path(sys.executable).parent / "sendkg"))
    args = ap.parse_args()
    for n in args.sizes:
        ours, floor = check_against_floor(n, args.runs, shlex.split(args.sendkg))
        print(f"check {n} authorities: {ours:.2f} s CPU; pyoxigraph load of the same triples {floor:.2f} s; "
              f"ratio {ours / floor:.1f}x (medians of {args.runs}, CPU time)")


if __name__ == "__main__":
    main()
