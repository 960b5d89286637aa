"""Benchmarks: whole processes, medians over several runs, each beside the parse floor (pyoxigraph
loading the same triples), Apache Jena and pyshacl-turbo when installed, and the plain-library way
of doing the same work, with peak memory and the count of results of each (the same work, or said
not to be); prints Markdown tables.

    python benchmarks/run.py [--runs 5] [--baseline-runs 1] [--baseline-timeout 900] [--quick]
                             [--markdown] [--update-readme]

``--markdown`` prints only the README's table; ``--update-readme`` (or ``--write``) rewrites the
blocks between ``<!-- benchmarks:begin -->`` and ``<!-- benchmarks:end -->`` in README.md or any
docs/**/*.md (the short table) and between ``<!-- results -->`` and ``<!-- /results -->`` in
benchmarks/README.md (the whole report). ``--quick`` leaves out pySHACL (minutes) and the 1,530.

Runs sendkg as installed (``sendkg`` beside the running Python), else ``python -m sendkg`` from this
checkout. The seed pages are needed for the lint pages (SENDKG_SEEDS, or shared/seeds). The data
(the five real authorities plus generated ones, 15, 153 and 1,530; 153 pages) is generated
deterministically (seed 1) into benchmarks/data/, which is not committed.

On the same data:
- the parse floor: a Python process that imports pyoxigraph and loads the same files (the model's
  Turtle for routes and deadlines; the model and authorities' N-Triples for check);
- routes, deadlines: rdflib parses the same model files and runs the very SPARQL texts sendkg ran
  (recorded in-process first), reading every row (plain_rdflib.py); a query it cannot answer is
  reported as failed, not as a time;
- check: Apache Jena's SHACL validator (``shacl.shacl validate``, the Debian jars), the
  ``pyshacl-turbo`` command and the ``pyshacl`` command, the same shapes (shapes/authority.ttl)
  over the same triples, SHACL-AF on, no inference; their results are the sh:ValidationResult
  nodes of their reports, sendkg's those of ``sendkg check --format turtle``;
- compare: that pyshacl run plus rdflib parsing the same triples and running compare's queries.
routes and deadlines are timed twice: with sendkg's cache of answers warm (a folder of the run's
own, filled by the first runs) and with it off (``SENDKG_ANSWER_CACHE=off``: every query run).
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
try:  # sendkg as installed, else this checkout's
    import sendkg  # noqa: F401
except ImportError:
    sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "data"
BIN = Path(sys.executable).parent
SENDKG = [str(BIN / "sendkg")] if (BIN / "sendkg").exists() else [sys.executable, "-m", "sendkg"]
PYSHACL = str(BIN / "pyshacl")
TURBO = BIN / "pyshacl-turbo"
JENA_JARS = Path("/usr/share/java")  # Debian's libapache-jena-java (shacl.shacl is in jena-cmds)
SH = "http://www.w3.org/ns/shacl#"
GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
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
    def __init__(self, seconds: float | None, rss_mb: float, runs: int, note: str = "", cpu: float | None = None,
                 cpu_min: float | None = None, out: bytes = b""):
        self.seconds, self.rss_mb, self.runs, self.note = seconds, rss_mb, runs, note
        self.cpu, self.cpu_min, self.out = cpu, cpu_min, out  # CPU (user+sys) median and least; last stdout


def _env(extra: dict | None = None) -> dict:
    env = dict(os.environ, **(extra or {}))
    if SENDKG[0] == sys.executable:  # python -m sendkg from this checkout
        env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def timed(cmd: list[str], runs: int, timeout: float | None = None, ok=(0, 1), failed_ok: bool = False,
          env: dict | None = None, keep_out: bool = False) -> Sample:
    """Run ``cmd`` ``runs`` times; the median wall time, the median and least CPU time (user+sys of the
    process and its children) and the largest peak RSS (os.wait4). With ``failed_ok``, an exit code
    outside ``ok`` is a failed Sample (no time), not the end of the run. ``keep_out``: the last
    run's standard output is kept (to count its results)."""
    import tempfile

    times, cpus, peak, out = [], [], 0.0, b""
    for _ in range(runs):
        with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se, \
                tempfile.NamedTemporaryFile(prefix="sendkg-bench-rss-") as rss:
            # GNU time reports the command's own peak RSS: this process's child would start from this
            # process's size (wait4's ru_maxrss is inherited across the fork and kept through exec)
            wrap = [GNU_TIME, "-f", "%M", "-o", rss.name] if GNU_TIME else []
            t = time.perf_counter()
            proc = subprocess.Popen([*wrap, *cmd], stdout=so if keep_out else subprocess.DEVNULL, stderr=se, cwd="/",
                                    env=_env(env))
            deadline = None if timeout is None else t + timeout
            hwm = 0.0
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                hwm = max(hwm, _hwm_mb(proc.pid))
                if deadline and time.perf_counter() > deadline:
                    proc.kill()
                    os.wait4(proc.pid, 0)
                    return Sample(None, peak, len(times), f"stopped after {timeout:.0f} s")
                time.sleep(0.002)
            elapsed = time.perf_counter() - t
            code = os.waitstatus_to_exitcode(status)
            if code not in ok:
                se.seek(0)
                said = se.read().decode(errors="replace").strip().splitlines()
                if failed_ok:  # a baseline that could not do the work: reported as failed, with why
                    why = next((line for line in said if re.search(r"Error|Exception|failed", line)), None)
                    why = re.sub(r"^failed:\s*", "", (why or (said[-1] if said else f"exit {code}")).strip())
                    return Sample(None, peak, len(times), "failed: " + why.strip()[:160])
                raise SystemExit(f"{' '.join(cmd[:4])}...: exit {code}: {' '.join(said)[:500]}")
            if keep_out:
                so.seek(0)
                out = so.read()
            if GNU_TIME:
                try:
                    hwm = int(Path(rss.name).read_text().split()[-1]) / 1024
                except (OSError, ValueError, IndexError):
                    pass
        proc.returncode = code
        times.append(elapsed)
        cpus.append(usage.ru_utime + usage.ru_stime)
        # GNU time's figure, else the high-water mark (VmHWM) read while it ran; wait4's ru_maxrss
        # (which starts at this benchmark process's size) only when neither could be read
        peak = max(peak, hwm or usage.ru_maxrss / 1024)
    return Sample(statistics.median(times), peak, runs, cpu=statistics.median(cpus), cpu_min=min(cpus), out=out)


def _hwm_mb(pid: int) -> float:
    """The peak resident memory (VmHWM) of a running process, in MB; 0 if it cannot be read."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def count_results(report: bytes, fmt: str = "turtle") -> int | None:
    """The sh:ValidationResult nodes of a SHACL validation report (None if it cannot be read)."""
    import pyoxigraph as ox

    try:
        quads = ox.parse(report, format=ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES)
        kind, klass = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(SH + "ValidationResult")
        return sum(1 for q in quads if q.predicate == kind and q.object == klass)
    except (SyntaxError, ValueError):
        return None


def unreadable(sample: Sample) -> int | None:
    """The results of a baseline's report; a run whose report cannot be read is made a failed one."""
    if sample.seconds is None:
        return None
    n = count_results(sample.out) if sample.out.strip() else None
    if n is None:
        sample.seconds, sample.note = None, "failed: no readable validation report on its output"
    return n


def jena_command() -> list[str] | None:
    """Apache Jena's SHACL validator from the Debian jars, if java and they are installed."""
    import shutil

    java = shutil.which("java")
    if java is None or not (JENA_JARS / "jena-cmds.jar").exists():
        return None
    # the unversioned jars, with one logging binding (slf4j-nop): Debian ships every slf4j binding
    jars = [str(p) for p in sorted(JENA_JARS.glob("*.jar")) if not re.search(r"-\d[\d.]*[^/]*\.jar$", p.name)
            and not re.search(r"slf4j|log4j", p.name)]
    jars += [str(JENA_JARS / j) for j in ("slf4j-api.jar", "slf4j-nop.jar") if (JENA_JARS / j).exists()]
    return [java, "-Xmx2g", "-cp", os.pathsep.join(jars), "shacl.shacl", "validate"]


FLOOR = ("import sys, pyoxigraph as ox\ns = ox.Store()\n"
         "for p in sys.argv[1:]:\n"
         "    s.load(path=p, format=ox.RdfFormat.N_TRIPLES if p.endswith('.nt') else ox.RdfFormat.TURTLE,"
         " base_iri='file://' + p)\nprint(len(s))")


def generate(sizes=SIZES) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate as gen

    for n in sizes:
        out = DATA / f"a{n}"
        if not (out / "merged.nt").exists() or len(list((out / "offers").glob("*.ttl"))) != n:
            gen.main([str(out), "--authorities", str(n), "--seed", "1"] + (["--pages", "153"] if n == 153 else []))


ROWS: dict[str, int] = {}  # the rows sendkg's queries gave, per recorded command


def record(args: list[str]) -> list[str]:
    """The SPARQL texts sendkg sends to its store for one command (run in-process); the rows they
    gave are counted in ROWS."""
    from sendkg import cli
    from sendkg.store import EmbeddedStore

    seen: list[str] = []
    original = EmbeddedStore.run
    ROWS[args[0]] = 0

    def run(self, query, source="query"):
        seen.append(query)
        names, rows = original(self, query, source)
        ROWS[args[0]] += len(rows) if names != ["result"] else 1
        return names, rows

    EmbeddedStore.run = run
    cached = os.environ.get("SENDKG_ANSWER_CACHE")
    os.environ["SENDKG_ANSWER_CACHE"] = "off"  # every query run, none answered from the cache of answers
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            cli.cli.main(args=args, prog_name="sendkg", standalone_mode=False)
    finally:
        EmbeddedStore.run = original
        if cached is None:
            os.environ.pop("SENDKG_ANSWER_CACHE")
        else:
            os.environ["SENDKG_ANSWER_CACHE"] = cached
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


def _rows(out: bytes) -> int | None:
    """The rows plain_rdflib.py read (its last line: "N triples, Q queries, R rows")."""
    m = re.search(rb"(\d+) rows", out)
    return int(m.group(1)) if m else None


def fmt_count(n) -> str:
    return "" if n is None else f"{n:,}"


def ratio(a: Sample | None, b: Sample | None) -> str:
    """a's time over b's (how many times b's a takes), or why there is none."""
    if a is None or b is None:
        return ""
    if a.seconds is None or b.seconds is None:
        return "failed" if (a.note + b.note).find("failed") >= 0 else ""
    return f"{a.seconds / b.seconds:.1f}x"


def write_blocks(full: str, short: str) -> list[Path]:
    """Rewrite the marked blocks: the short table in README.md or docs/**/*.md, the whole report in
    benchmarks/README.md. Returns the files written."""
    begin, end = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"
    written = []
    targets = [(ROOT / "README.md", begin, end, short)]
    targets += [(p, begin, end, short) for p in sorted((ROOT / "docs").rglob("*.md"))]
    targets += [(ROOT / "benchmarks" / "README.md", "<!-- results -->", "<!-- /results -->", full)]
    for path, b, e, block in targets:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        new, found = re.subn(re.escape(b) + r"\n.*?" + re.escape(e), lambda m: b + "\n" + block + "\n" + e, text,
                             flags=re.S)
        if not found:
            continue
        tmp = path.with_suffix(".md.tmp")
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    if not any(block is short for path, _b, _e, block in targets if path in written):
        raise SystemExit(f"no {begin} ... {end} markers in README.md or docs/**/*.md to write between")
    return written


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline-runs", type=int, default=1, help="runs of the slow baselines (pyshacl, Jena, turbo)")
    ap.add_argument("--baseline-timeout", type=float, default=900)
    ap.add_argument("--baseline-1530", action="store_true", help="also run pyshacl on 1,530 authorities")
    ap.add_argument("--quick", action="store_true", help="leave out pyshacl (minutes) and the 1,530 authorities")
    ap.add_argument("--markdown", action="store_true", help="print only the README's table")
    ap.add_argument("--update-readme", "--write", dest="write", action="store_true",
                    help="rewrite the marked blocks of README.md (or docs/**/*.md) and benchmarks/README.md")
    args = ap.parse_args(argv)
    sizes = (15, 153) if args.quick else SIZES
    generate(sizes)
    runs = args.runs
    replay = DATA / "replay"
    replay.mkdir(exist_ok=True)
    model_dir = str(ROOT / "ontology")
    import tempfile

    from sendkg.resources import model_files

    model_ttl = [str(f) for f in model_files()]
    cache = tempfile.mkdtemp(prefix="sendkg-bench-cache-")
    jena, turbo = jena_command(), TURBO if TURBO.exists() else None
    say = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731

    def plain(name: str, cli_args: list[str], files: list[str], n: int = runs) -> Sample:
        path = replay / f"{name}.json"
        path.write_text(json.dumps(record(cli_args)))
        return timed([sys.executable, str(ROOT / "benchmarks" / "plain_rdflib.py"), str(path), *files], n,
                     ok=(0,), failed_ok=True, keep_out=True)

    say("calibrating imports...")
    calib = {"rdflib + SPARQL engine": import_time("import rdflib, rdflib.plugins.sparql.processor", runs),
             "pyoxigraph": import_time("import pyoxigraph", runs),
             "pyshacl": import_time("import pyshacl", runs)}

    say("start-up: python, --version, routes, deadlines (cache warm and off), interleaved...")
    many = runs * 6
    routes_cmd = ["routes", "refuse-assessment", "--format", "json"]
    deadlines_cmd = ["deadlines", "refuse-assessment", "--decision-date", "2026-03-10", "--certificate-date",
                     "2026-04-20", "--format", "json"]
    warm, off = {"SENDKG_ANSWER_CACHE": cache}, {"SENDKG_ANSWER_CACHE": "off"}
    start = {"python": ([sys.executable, "-c", "pass"], None), "version": ([*SENDKG, "--version"], None),
             "routes": ([*SENDKG, *routes_cmd], warm), "routes-off": ([*SENDKG, *routes_cmd], off),
             "deadlines": ([*SENDKG, *deadlines_cmd], warm), "deadlines-off": ([*SENDKG, *deadlines_cmd], off)}
    for cmd, env in start.values():  # fill the cache of answers
        for _ in range(2):
            timed(cmd, 1, env=env)
    got = {k: [] for k in start}
    for _ in range(many):  # one of each in turn, so that a busy moment falls on all alike
        for k, (cmd, env) in start.items():
            got[k].append(timed(cmd, 1, env=env))
    st = {k: Sample(statistics.median(s.seconds for s in v), max(s.rss_mb for s in v), len(v),
                    cpu=statistics.median(s.cpu for s in v), cpu_min=min(s.cpu for s in v)) for k, v in got.items()}
    floor_model = timed([sys.executable, "-c", FLOOR, *model_ttl], many, keep_out=True)

    rows: list[dict] = []
    say("routes, deadlines: rdflib baseline...")
    for key, cmd in (("routes", routes_cmd), ("deadlines", deadlines_cmd)):
        base = plain(key, cmd, [model_dir])
        rows.append({"what": f"`sendkg {' '.join(cmd[:2])}`", "data": "model", "ours": st[key], "off": st[f"{key}-off"],
                     "results": ROWS.get(key), "floor": floor_model, "base": base,
                     "base_name": "rdflib parse + the same queries", "base_results": _rows(base.out), "key": key})

    model_triples = int(floor_model.out.strip() or 0)
    triples = {}
    for n in sizes:
        offers = sorted(str(p) for p in (DATA / f"a{n}" / "offers").glob("*.ttl"))
        merged = str(DATA / f"a{n}" / "merged.nt")
        say(f"check, compare: {n} authorities...")
        floor = timed([sys.executable, "-c", FLOOR, merged], runs, keep_out=True)
        triples[n] = int(floor.out.strip() or 0)
        ours_check = timed([*SENDKG, "check", "--format", "json", *offers], runs)
        ours_compare = timed([*SENDKG, "compare", "--format", "csv", *offers], runs)
        report = timed([*SENDKG, "check", "--format", "turtle", *offers], 1, keep_out=True)
        row = {"what": f"`sendkg check` ({n:,} authorities)", "data": f"{n}", "ours": ours_check,
               "results": count_results(report.out), "floor": floor, "key": f"check-{n}"}
        shapes = str(ROOT / "shapes" / "authority.ttl")
        if jena:
            say(f"  Jena on {n}...")
            row["jena"] = timed([*jena, "--shapes", shapes, "--data", merged], args.baseline_runs,
                                args.baseline_timeout, ok=(0,), failed_ok=True, keep_out=True)
            row["jena_results"] = unreadable(row["jena"])
        if turbo:
            say(f"  pyshacl-turbo on {n}...")
            row["turbo"] = timed([str(turbo), "-s", shapes, "-a", "-i", "none", "-f", "turtle", merged],
                                 args.baseline_runs, args.baseline_timeout, ok=(0, 1), failed_ok=True, keep_out=True)
            row["turbo_results"] = unreadable(row["turbo"])
        base_check = base_compare = None
        if not args.quick and (n < 1530 or args.baseline_1530):
            say(f"  pyshacl on {n} (slow)...")
            base_check = timed([PYSHACL, "-s", shapes, "-a", "-i", "none", "-f", "turtle", merged],
                               args.baseline_runs, args.baseline_timeout, failed_ok=True, keep_out=True)
            row["base_results"] = unreadable(base_check)
            from sendkg.store import load_query

            path = replay / f"compare-{n}.json"
            path.write_text(json.dumps([load_query("compare"), load_query("routes")]))
            rdf = timed([sys.executable, str(ROOT / "benchmarks" / "plain_rdflib.py"), str(path), merged],
                        args.baseline_runs, args.baseline_timeout, ok=(0,), failed_ok=True)
            if base_check.seconds is not None and rdf.seconds is not None:
                base_compare = Sample(base_check.seconds + rdf.seconds, max(base_check.rss_mb, rdf.rss_mb),
                                      args.baseline_runs)
            else:
                base_compare = Sample(None, 0, 0, base_check.note or rdf.note)
        row.update(base=base_check, base_name="`pyshacl` command")
        rows.append(row)
        rows.append({"what": f"`sendkg compare` ({n:,} authorities)", "data": f"{n}", "ours": ours_compare,
                     "floor": floor, "base": base_compare, "base_name": "pyshacl + rdflib parse + the same queries",
                     "key": f"compare-{n}"})

    say("lint: 153 pages...")
    pages = sorted(str(p) for p in (DATA / "a153" / "pages").glob("*.txt"))
    rows.append({"what": "`sendkg lint` (153 pages)", "data": "153", "key": "lint-153",
                 "ours": timed([*SENDKG, "lint", "--format", "json", *pages], runs)})

    quiet = "not run (--quick)" if args.quick else "not run (--baseline-1530)"

    def base_cell(r, name):
        s = r.get(name)
        if s is None:
            return quiet if name == "base" and r.get("base_name") else ""
        return fmt_s(s)

    head = (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}, Python "
            f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end; "
            f"{time.strftime('%Y-%m-%d %H:%M')}; sendkg medians of {runs} runs ({many} interleaved for start-up), "
            f"baselines of {args.baseline_runs}; whole processes, wall time (CPU time, user+sys, for start-up); "
            f"peak memory is the largest RSS.")
    data = (f"Data: the model alone is {model_triples:,} triples; with "
            + " / ".join(f"{n:,}" for n in sizes) + " authorities, " + " / ".join(f"{triples[n]:,}" for n in sizes)
            + " triples (model included); 153 generated pages.")
    su = ["| start-up | wall (ms) | CPU median (ms) | CPU least (ms) | CPU above `--version` (ms) | target |",
          "| --- | --- | --- | --- | --- | --- |"]
    names = {"python": "`python -c pass`", "version": "`sendkg --version`",
             "routes": "`sendkg routes refuse-assessment` (cache warm)", "routes-off": "... cache off",
             "deadlines": "`sendkg deadlines refuse-assessment ...` (cache warm)", "deadlines-off": "... cache off"}
    targets = {"routes": 20, "routes-off": 20, "deadlines": 30, "deadlines-off": 30}
    for k, smp in st.items():
        above = (smp.cpu - st["version"].cpu) * 1000
        t = targets.get(k)
        su.append(f"| {names[k]} | {smp.seconds * 1000:.0f} | {smp.cpu * 1000:.0f} | {smp.cpu_min * 1000:.0f} | "
                  + ("" if k in ("python", "version") else f"{above:+.0f}") + " | "
                  + (f"within {t} ms: {'yes' if above <= t else '**no**'}" if t else "") + " |")
    tab = ["| command | sendkg (s) | peak MB | results | parse floor (s) | x floor | Jena (s) | Jena results | "
           "pyshacl-turbo (s) | turbo results | plain baseline | baseline (s) | baseline results |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        tab.append(f"| {r['what']} | {fmt_s(r['ours'])} | {r['ours'].rss_mb:.0f} | {fmt_count(r.get('results'))} | "
                   f"{fmt_s(r['floor']) if r.get('floor') else ''} | {ratio(r['ours'], r.get('floor'))} | "
                   f"{base_cell(r, 'jena')} | {fmt_count(r.get('jena_results'))} | {base_cell(r, 'turbo')} | "
                   f"{fmt_count(r.get('turbo_results'))} | {r.get('base_name', '')} | {base_cell(r, 'base')} | "
                   f"{fmt_count(r.get('base_results'))} |")
    notes = ["`results`: for routes and deadlines the rows of the queries sendkg ran (the rdflib baseline runs the "
             "same texts and counts its rows); for check the sh:ValidationResult nodes of each tool's report "
             "(sendkg's from `check --format turtle`). `x floor`: sendkg's time over the parse floor's (a Python "
             "process loading the same triples into pyoxigraph). A baseline that cannot do the work is shown as "
             "failed, with its reason, never as a time.",
             "Calibration (import time on this machine): "
             + "; ".join(f"{k} {v:.3f} s" + (f" (issue 6: {REFERENCE_IMPORT[k]:.2f} s)" if k in REFERENCE_IMPORT else "")
                         for k, v in calib.items()) + "."]
    by_key = {r["key"]: r["ours"] for r in rows}
    if "check-1530" in by_key and all(by_key[k].seconds for k in ("check-153", "check-1530", "compare-153", "compare-1530")):
        notes.insert(1, "Growth from 153 to 1,530 authorities: " + "; ".join(
            f"{name} {by_key[f'{name}-1530'].seconds / by_key[f'{name}-153'].seconds:.1f}x" for name in ("check", "compare"))
            + " for 10x the authorities (linear would be 10x). Peak memory at 1,530: check "
            f"{by_key['check-1530'].rss_mb:.0f} MB, compare {by_key['compare-1530'].rss_mb:.0f} MB.")
    full = "\n".join([head, "", data, "", *su, "", *tab, "", "\n\n".join(notes)])
    short = ["| what | sendkg | against the floor and others (same data, same results counted) |", "| --- | --- | --- |"]
    for k in ("routes", "deadlines"):
        short.append(f"| `sendkg {k}` cold process, answers cached / not | {st[k].cpu * 1000:.0f} / "
                     f"{st[k + '-off'].cpu * 1000:.0f} ms CPU | `--version` {st['version'].cpu * 1000:.0f} ms, "
                     f"python {st['python'].cpu * 1000:.0f} ms |")
    for r in rows:
        if r["key"].startswith("check"):
            others = [f"{ratio(r['ours'], r['floor'])} the pyoxigraph parse floor"]
            for name, label in (("jena", "Jena"), ("turbo", "pyshacl-turbo"), ("base", "pyshacl")):
                if r.get(name) is not None and r[name].seconds is not None:
                    others.append(f"{label} {fmt_s(r[name])} s ({fmt_count(r.get(name + '_results'))} results)")
                elif r.get(name) is not None:
                    others.append(f"{label} {fmt_s(r[name])}")
            short.append(f"| {r['what']} | {fmt_s(r['ours'])} s, {fmt_count(r.get('results'))} results | "
                         + "; ".join(others) + " |")
        if r["key"] == "lint-153":
            short.append(f"| {r['what']} | {fmt_s(r['ours'])} s | |")
    short_text = "\n".join([f"Measured by `benchmarks/run.py` on {time.strftime('%Y-%m-%d')} ({platform.machine()}, "
                            f"{os.cpu_count()} cores; model {model_triples:,} triples); whole processes, medians; "
                            "details in `benchmarks/README.md`.", "", *short])
    if args.markdown:
        print(short_text)
    else:
        print(full)
    if args.write:
        for path in write_blocks(full, short_text):
            say(f"wrote {path}")
    import shutil

    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
