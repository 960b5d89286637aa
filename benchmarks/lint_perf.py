"""Benchmark of `sendkg lint` at scale (issue 21): 153 and 1,530 generated pages (generate.py, seed
1, into benchmarks/data/lintN/), `--jobs 1` (one process) against the default (one worker process
per processor), and optionally the same with other source trees (an earlier commit) run in turn
with this one, so that a busy machine slows both alike.

    python benchmarks/lint_perf.py [--runs 3] [--pages 153 1530] [--source LABEL=DIR ...]

Whole processes (`python -m sendkg lint --format json PAGES` from /, the source tree on PYTHONPATH). For
each run: wall time; CPU time (user + system of the command and its worker processes, os.wait4);
the critical path (the command's own CPU time plus its busiest worker's: about the wall time on an
idle machine); the peak memory of the largest process (the largest of each process's VmHWM, sampled from /proc
every 20 ms, and wait4's ru_maxrss, which is the largest of the process and its reaped children)
and of the whole tree at once (the sum of VmRSS). Medians of the runs; memory the largest seen.
Every run's output is compared with the first's: the findings must be the same, byte for byte.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"


def pages(n: int) -> list[str]:
    folder = DATA / f"lint{n}" / "pages"
    if not folder.is_dir() or len(list(folder.glob("*.txt"))) != n:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import generate

        generate.main([str(DATA / f"lint{n}"), "--authorities", "5", "--pages", str(n), "--seed", "1"])
    return sorted(str(p) for p in folder.glob("*.txt"))


def _tree() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            kids.setdefault(int(stat[stat.rindex(")") + 2:].split()[1]), []).append(int(d.name))
    return kids


TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _status(pid: int) -> dict[str, int]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v.split()[0]) for k, _, v in (line.partition(":") for line in lines) if k in ("VmHWM", "VmRSS")}


def run(cmd: list[str], env: dict | None = None, cwd="/") -> dict:
    """One whole process: wall, CPU, largest process's peak, the tree's peak (MB), output (exit 0
    or 1, else the end of its standard error)."""
    hwm: dict[int, int] = {}
    cpu: dict[int, float] = {}
    tree_peak = [0]
    done = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    out: list[bytes] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)
    reader.start()

    def sample() -> None:
        while not done.wait(0.02):
            kids, todo, total = _tree(), [proc.pid], 0
            while todo:
                pid = todo.pop()
                st = _status(pid)
                hwm[pid] = max(hwm.get(pid, 0), st.get("VmHWM", 0))
                cpu[pid] = max(cpu.get(pid, 0.0), _cpu(pid))
                total += st.get("VmRSS", 0)
                todo += kids.get(pid, [])
            tree_peak[0] = max(tree_peak[0], total)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    reader.join()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd[:6])}...: exit {code}: {proc.stderr.read().decode()[-800:]}")
    total = usage.ru_utime + usage.ru_stime
    others = sorted((c for p, c in cpu.items() if p != proc.pid), reverse=True)
    # on an idle machine the command would take about its own CPU time (reading the arguments and
    # pages, writing the findings) plus the busiest worker's, which run while it waits
    idle = total - sum(others) + (others[0] if others else 0.0)
    return {"wall": wall, "cpu": total, "idle": idle,
            "largest": max(max(hwm.values(), default=0), usage.ru_maxrss) / 1024, "tree": tree_peak[0] / 1024,
            "processes": len(hwm), "out": out[0]}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pages", type=int, nargs="+", default=[153, 1530])
    ap.add_argument("--source", action="append", default=[], metavar="LABEL=DIR",
                    help="another source tree to time in turn with this one (e.g. before=/path/to/old/checkout)")
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args(argv)
    sources = [("this", str(ROOT))] + [tuple(s.split("=", 1)) for s in args.source]
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} processors", file=sys.stderr)
    rows = []
    for n in args.pages:
        files = pages(n)
        variants = []
        for label, src in sources:
            env = {**os.environ, "PYTHONPATH": src}
            has_jobs = b"--jobs" in subprocess.run([args.python, "-m", "sendkg", "lint", "--help"], env=env, cwd="/",
                                                   capture_output=True).stdout
            for jobs in ((1, 0) if has_jobs else (None,)):
                flag = [] if jobs is None else ["--jobs", str(jobs)]
                variants.append((label, "one process" if jobs in (1, None) else "default (--jobs 0)",
                                 [args.python, "-m", "sendkg", "lint", "--format", "json", *flag, *files], env))
        results: dict[int, list[dict]] = {i: [] for i in range(len(variants))}
        first = None
        for _ in range(args.runs):  # in turn, so that the machine's load falls on each alike
            for i, (label, how, cmd, env) in enumerate(variants):
                r = run(cmd, env)
                first = first if first is not None else r["out"]
                if r["out"] != first:
                    sys.exit(f"{label} {how}: the output differs from the first run's")
                results[i].append(r)
                print(f"{n} pages, {label}, {how}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU (critical path "
                      f"{r['idle']:.2f} s), largest process "
                      f"{r['largest']:.0f} MB, tree {r['tree']:.0f} MB ({r['processes']} processes)", file=sys.stderr)
        for i, (label, how, _cmd, _env) in enumerate(variants):
            rs = results[i]
            rows.append((n, label, how, statistics.median(r["wall"] for r in rs), statistics.median(r["cpu"] for r in rs),
                         statistics.median(r["idle"] for r in rs), max(r["largest"] for r in rs),
                         max(r["tree"] for r in rs)))
    print("| pages | code | processes | wall (s) | CPU (s) | critical path (s) | largest process (MB) | all processes (MB) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for n, label, how, wall, cpu, idle, largest, tree in rows:
        print(f"| {n:,} | {label} | {how} | {wall:.1f} | {cpu:.1f} | {idle:.1f} | {largest:.0f} | {tree:.0f} |")
    print(f"\n(medians of {args.runs} runs in turn; the same output, byte for byte, in every run; load average at the "
          f"end {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
