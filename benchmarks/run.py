"""Benchmarks: whole processes, medians over several runs, each beside the plain-library way of
doing the same work, with peak memory; prints a Markdown table (and with --write puts it into
benchmarks/README.md).

    python benchmarks/run.py [--runs 5] [--baseline-runs 1] [--baseline-timeout 900] [--write]

Needs sendkg installed in the running Python (``pip install .``) and the seed pages in
../shared/seeds for the lint pages. The data (the five real authorities plus generated ones, 15,
153 and 1,530; 153 pages) is generated deterministically (seed 1) into benchmarks/data/, which is
not committed.

Baselines, on the same data:
- routes, deadlines: rdflib parses the same model files and runs the very SPARQL texts sendkg ran
  (recorded in-process first), reading every row (plain_rdflib.py);
- check: the ``pyshacl`` command, the same shapes (shapes/authority.ttl) over the same triples
  (model and authorities in one N-Triples file), SHACL-AF on, no inference;
- compare: that pyshacl run plus rdflib parsing the same triples and running compare's queries.
pyshacl takes minutes where sendkg takes a second, so its runs are fewer (--baseline-runs) and
stop at --baseline-timeout; the 1,530 baseline is not run unless --baseline-1530.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
BIN = Path(sys.executable).parent
SENDKG = str(BIN / "sendkg")
PYSHACL = str(BIN / "pyshacl")
SIZES = (15, 153, 1530)

# Targets from issue 6 (medians, whole process, on a 2-core machine).
TARGETS = {"routes": 0.15, "deadlines": 0.15, "check-153": 5.0, "compare-153": 3.0, "lint-153": 5.0}
# The reference machine's figures quoted in issue 6, for calibration.
REFERENCE_IMPORT = {"rdflib + SPARQL engine": 0.19, "pyoxigraph": 0.02}
# Apache Jena's SHACL validator as quoted in issue 6 (whole process, JVM included; not run here):
# (triples of authority-like data, seconds).
JENA = ((10_000, 1.8), (92_000, 3.5))


def jena_at(triples: int) -> float:
    """Jena's quoted time at ``triples``, on the straight line through its two quoted points."""
    (x0, y0), (x1, y1) = JENA
    return y0 + (triples - x0) * (y1 - y0) / (x1 - x0)


class Sample:
    def __init__(self, seconds: float | None, rss_mb: float, runs: int, note: str = ""):
        self.seconds, self.rss_mb, self.runs, self.note = seconds, rss_mb, runs, note


def timed(cmd: list[str], runs: int, timeout: float | None = None, ok=(0, 1), failed_ok: bool = False) -> Sample:
    """Run ``cmd`` ``runs`` times; the median wall time and the largest peak RSS (os.wait4). With
    ``failed_ok``, an exit code outside ``ok`` is a failed Sample (no time), not the end of the run."""
    times, peak = [], 0.0
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/")
        deadline = None if timeout is None else t + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return Sample(None, peak, len(times), f"stopped after {timeout:.0f} s")
            time.sleep(0.002)
        elapsed = time.perf_counter() - t
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            said = proc.stderr.read().decode(errors="replace").strip().splitlines()
            if failed_ok:  # a baseline that could not do the work: reported as failed, with why
                return Sample(None, peak, len(times), "failed: " + (said[-1] if said else f"exit {code}")[:160])
            raise SystemExit(f"{' '.join(cmd[:4])}...: exit {code}: {' '.join(said)[:500]}")
        proc.returncode = code
        times.append(elapsed)
        peak = max(peak, usage.ru_maxrss / 1024)
    return Sample(statistics.median(times), peak, runs)


def generate() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate as gen

    for n in SIZES:
        out = DATA / f"a{n}"
        if not (out / "merged.nt").exists() or len(list((out / "offers").glob("*.ttl"))) != n:
            gen.main([str(out), "--authorities", str(n), "--seed", "1"] + (["--pages", "153"] if n == 153 else []))


def record(args: list[str]) -> list[str]:
    """The SPARQL texts sendkg sends to its store for one command (run in-process)."""
    from sendkg import cli
    from sendkg.store import EmbeddedStore

    seen: list[str] = []
    original = EmbeddedStore.run

    def run(self, query, source="query"):
        seen.append(query)
        return original(self, query, source)

    EmbeddedStore.run = run
    cached = os.environ.get("SENDKG_CACHE")
    os.environ["SENDKG_CACHE"] = "off"  # every query run, none answered from the cache of answers
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            cli.cli.main(args=args, prog_name="sendkg", standalone_mode=False)
    finally:
        EmbeddedStore.run = original
        if cached is None:
            os.environ.pop("SENDKG_CACHE")
        else:
            os.environ["SENDKG_CACHE"] = cached
    return seen


def import_time(stmt: str, runs: int) -> float:
    base = timed([sys.executable, "-c", "pass"], runs).seconds
    return timed([sys.executable, "-c", stmt], runs).seconds - base


def fmt_s(s: Sample) -> str:
    if s.seconds is None and s.note.startswith("failed"):
        return f"failed ({s.note[len('failed: '):]})"
    if s.seconds is None:
        return f"> {s.note.split()[-2]} s ({s.note})"
    return f"{s.seconds:.3f}" if s.seconds < 10 else f"{s.seconds:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline-runs", type=int, default=1, help="runs of the slow pyshacl baselines")
    ap.add_argument("--baseline-timeout", type=float, default=900)
    ap.add_argument("--baseline-1530", action="store_true", help="also run pyshacl on 1,530 authorities")
    ap.add_argument("--write", action="store_true", help="put the results into benchmarks/README.md")
    args = ap.parse_args()
    generate()
    runs = args.runs
    replay = DATA / "replay"
    replay.mkdir(exist_ok=True)
    model_dir = str(ROOT / "ontology")

    rows: list[tuple] = []  # (what, data, sendkg Sample, baseline name, baseline Sample | None, target key)

    def plain(name: str, cli_args: list[str], files: list[str]) -> Sample:
        path = replay / f"{name}.json"
        path.write_text(json.dumps(record(cli_args)))
        return timed([sys.executable, str(ROOT / "benchmarks" / "plain_rdflib.py"), str(path), *files], runs,
                     ok=(0,), failed_ok=True)

    print("calibrating imports...", file=sys.stderr)
    calib = {"rdflib + SPARQL engine": import_time("import rdflib, rdflib.plugins.sparql.processor", runs),
             "pyoxigraph": import_time("import pyoxigraph", runs),
             "pyshacl": import_time("import pyshacl", runs)}

    print("routes, deadlines...", file=sys.stderr)
    cmd = ["routes", "refuse-assessment", "--format", "json"]
    rows.append(("`sendkg routes refuse-assessment`", "model", timed([SENDKG, *cmd], runs * 3),
                 "rdflib parse + the same queries", plain("routes", cmd, [model_dir]), "routes"))
    cmd = ["deadlines", "refuse-assessment", "--decision-date", "2026-03-10", "--certificate-date", "2026-04-20",
           "--format", "json"]
    rows.append(("`sendkg deadlines refuse-assessment`", "model", timed([SENDKG, *cmd], runs * 3),
                 "rdflib parse + the same queries", plain("deadlines", cmd, [model_dir]), "deadlines"))

    for n in SIZES:
        offers = sorted(str(p) for p in (DATA / f"a{n}" / "offers").glob("*.ttl"))
        merged = str(DATA / f"a{n}" / "merged.nt")
        print(f"check, compare: {n} authorities...", file=sys.stderr)
        ours_check = timed([SENDKG, "check", "--format", "json", *offers], runs)
        ours_compare = timed([SENDKG, "compare", "--format", "csv", *offers], runs)
        base_check = base_compare = None
        if n < 1530 or args.baseline_1530:
            print(f"  pyshacl on {n} (slow)...", file=sys.stderr)
            base_check = timed([PYSHACL, "-s", str(ROOT / "shapes" / "authority.ttl"), "-a", "-i", "none",
                                "-f", "turtle", merged], args.baseline_runs, args.baseline_timeout)
            from sendkg.store import load_query

            path = replay / f"compare-{n}.json"
            path.write_text(json.dumps([load_query("compare"), load_query("routes")]))
            rdf = timed([sys.executable, str(ROOT / "benchmarks" / "plain_rdflib.py"), str(path), merged],
                        args.baseline_runs, args.baseline_timeout)
            if base_check.seconds is not None and rdf.seconds is not None:
                base_compare = Sample(base_check.seconds + rdf.seconds, max(base_check.rss_mb, rdf.rss_mb),
                                      args.baseline_runs)
            else:
                base_compare = Sample(None, 0, 0, base_check.note or rdf.note)
        rows.append((f"`sendkg check` ({n} authorities)", f"{n}", ours_check,
                     "`pyshacl` command, same shapes and triples", base_check, f"check-{n}"))
        rows.append((f"`sendkg compare` ({n} authorities)", f"{n}", ours_compare,
                     "pyshacl + rdflib parse + the same queries", base_compare, f"compare-{n}"))

    print("lint: 153 pages...", file=sys.stderr)
    pages = sorted(str(p) for p in (DATA / "a153" / "pages").glob("*.txt"))
    rows.append(("`sendkg lint` (153 pages)", "153", timed([SENDKG, "lint", "--format", "json", *pages], runs),
                 "", None, "lint-153"))

    triples = {n: sum(1 for _ in open(DATA / f"a{n}" / "merged.nt", "rb")) for n in SIZES}
    from sendkg.resources import model_files
    from sendkg.store import EmbeddedStore

    model_triples = len(EmbeddedStore(model_files()))
    lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.processor() or 'cpu'}, "
             f"Linux {platform.release()}, Python {platform.python_version()}; "
             f"{time.strftime('%Y-%m-%d')}; sendkg medians of {runs} runs ({runs * 3} for routes and deadlines), "
             f"baselines of {args.baseline_runs}; whole processes, wall time; peak memory is the largest RSS.",
             "",
             f"Data: the model alone is {model_triples:,} triples; with 15 / 153 / 1,530 authorities, "
             + " / ".join(f"{triples[n]:,}" for n in SIZES) + " triples (model included); 153 generated pages.",
             "",
             "| command | sendkg (s) | peak MB | baseline | baseline (s) | ratio | target | met |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    by_key = {}
    for what, _data, ours, base_name, base, key in rows:
        by_key[key] = ours
        ratio = ""
        if base is not None:
            ratio = (f"{base.seconds / ours.seconds:.1f}x faster" if base.seconds is not None
                     else "none (the baseline failed)" if base.note.startswith("failed")
                     else f"> {args.baseline_timeout / ours.seconds:.0f}x faster")
        target = TARGETS.get(key)
        met = "" if target is None else ("yes" if ours.seconds < target else "**no**")
        shown = fmt_s(base) if base else ("not run (--baseline-1530)" if base_name else "")
        lines.append(f"| {what} | {fmt_s(ours)} | {ours.rss_mb:.0f} | {base_name} | "
                     f"{shown} | {ratio} | {'< %g s' % target if target else ''} | {met} |")
    lines.append("")
    growth = [f"{name} {by_key[f'{name}-1530'].seconds / by_key[f'{name}-153'].seconds:.1f}x for 10x the authorities"
              for name in ("check", "compare")]
    lines.append("Growth from 153 to 1,530 authorities: " + "; ".join(growth) + " (linear would be 10x). "
                 f"Peak memory at 1,530: check {by_key['check-1530'].rss_mb:.0f} MB, "
                 f"compare {by_key['compare-1530'].rss_mb:.0f} MB (target < 500 MB).")
    lines.append("")
    jena = [f"{n:,} authorities ({triples[n]:,} triples): sendkg {fmt_s(by_key[f'check-{n}'])} s, Jena about "
            f"{jena_at(triples[n]):.1f} s" + (" (extrapolated)" if triples[n] > JENA[-1][0] else "")
            for n in (153, 1530)]
    lines.append("`check` against Apache Jena's SHACL validator, from the figures quoted in issue 6 (~10,000 triples "
                 "in 1.8 s, ~92,000 in 3.5 s; not run here, read on the straight line through those points): "
                 + "; ".join(jena) + ".")
    lines.append("")
    lines.append("Calibration (import time on this machine, against the figures quoted in issue 6): "
                 + "; ".join(f"{k} {v:.3f} s" + (f" (issue: {REFERENCE_IMPORT[k]:.2f} s)" if k in REFERENCE_IMPORT else "")
                             for k, v in calib.items()) + ".")
    table = "\n".join(lines)
    print(table)
    if args.write:
        readme = ROOT / "benchmarks" / "README.md"
        text = readme.read_text(encoding="utf-8")
        new, found = re.subn(r"(<!-- results -->\n).*?(<!-- /results -->)",
                             lambda m: m.group(1) + table + "\n" + m.group(2), text, flags=re.S)
        if not found:
            raise SystemExit(f"{readme}: no <!-- results --> ... <!-- /results --> markers to write between")
        tmp = readme.with_suffix(".md.tmp")
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, readme)
        print(f"wrote {readme}", file=sys.stderr)


if __name__ == "__main__":
    main()
