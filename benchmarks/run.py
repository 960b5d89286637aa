"""Benchmarks, as whole processes, medians over several runs, with the plain-library baseline.

    python benchmarks/run.py [--runs 7]

Needs sendkg installed in the running Python (pip install .). Prints a Markdown table; paste it
into benchmarks/README.md with the machine it came from.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd="/")
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    py = sys.executable
    cases = [
        ("sendkg routes refuse-assessment --format json",
         [py, "-m", "sendkg", "routes", "refuse-assessment", "--format", "json"],
         [py, str(ROOT / "benchmarks" / "plain_rdflib.py"), str(ROOT), "refuse-assessment"],
         "rdflib parse + the same queries"),
        ("sendkg validate --no-reason",
         [py, "-m", "sendkg", "validate", "--no-reason"],
         None, ""),
        ("sendkg validate (SHACL + HermiT)",
         [py, "-m", "sendkg", "validate"],
         None, ""),
    ]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"median of {args.runs} runs, whole process\n")
    print("| command | sendkg (s) | baseline | baseline (s) | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for name, cmd, base, base_name in cases:
        ours = timed(cmd, args.runs)
        if base:
            theirs = timed(base, args.runs)
            print(f"| `{name}` | {ours:.3f} | {base_name} | {theirs:.3f} | {theirs / ours:.1f}x faster |")
        else:
            print(f"| `{name}` | {ours:.3f} | | | |")


if __name__ == "__main__":
    main()
