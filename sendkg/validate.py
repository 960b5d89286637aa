"""SHACL validation of the model (plus extension files) with pySHACL.

The validator is apart from the command line: :func:`validate` returns a :class:`Report` that
renders as text, JSON or the Turtle validation report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sendkg.resources import model_files, shape_files
from sendkg.store import load_query

SH = "http://www.w3.org/ns/shacl#"


@dataclass
class Finding:
    severity: str
    focus: str
    path: str | None
    message: str
    shape: str | None
    value: str | None = None


@dataclass
class Report:
    conforms: bool
    findings: list[Finding] = field(default_factory=list)
    turtle: str = ""

    def as_json(self) -> dict:
        return {"conforms": self.conforms, "results": [f.__dict__ for f in self.findings]}


def load_graph(files: Iterable[Path]):
    """Parse Turtle files into one rdflib graph."""
    from rdflib import Graph

    g = Graph()
    for f in files:
        g.parse(str(f), format="turtle")
    return g


def validate(extra_files: Iterable[Path | str] = (), ntriples: bytes | None = None) -> Report:
    """Validate the model plus ``extra_files`` (or, if given, the data as N-Triples) against the shapes.

    The Turtle is parsed once, by the embedded store, which reports syntax errors with line and
    column; pySHACL gets its N-Triples dump.
    """
    from pyshacl import validate as shacl
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF

    if ntriples is None:
        from sendkg.store import EmbeddedStore

        ntriples = EmbeddedStore([*model_files(), *map(Path, extra_files)]).dump()
    from sendkg.rdfconv import rdflib_graph

    data = rdflib_graph(ntriples)
    shapes = load_graph(shape_files())
    conforms, results, _text = shacl(data, shacl_graph=shapes, inference="none", advanced=True,
                                     allow_warnings=True)
    sh = Namespace(SH)
    findings = []
    for r in results.subjects(RDF.type, sh.ValidationResult):
        def one(p):
            v = results.value(r, p)
            return None if v is None else str(v)
        sev = one(sh.resultSeverity) or SH + "Violation"
        findings.append(Finding(severity=sev.rsplit("#", 1)[-1].lower(), focus=one(sh.focusNode),
                                path=one(sh.resultPath) if isinstance(results.value(r, sh.resultPath), URIRef) else None,
                                message=one(sh.resultMessage) or "", shape=one(sh.sourceShape),
                                value=one(sh.value)))
    findings.sort(key=lambda f: (f.focus or "", f.path or "", f.message))
    # SHACL 1.0, 3.6.1: sh:conforms is true only when validation produced no result at all, whatever
    # their severity (pySHACL's allow_warnings says true beside warnings)
    conforms = bool(conforms) and not findings
    for report in results.subjects(RDF.type, sh.ValidationReport):
        results.set((report, sh.conforms, Literal(conforms)))
    return Report(conforms=conforms, findings=findings, turtle=results.serialize(format="turtle"))


MAX_EXTRA_STATEMENTS = 50_000  # statements that validate checks beyond the model's own
MAX_CHAIN = 200  # links in one chain of rdfs:subClassOf or of precedences


def check_bounds(store, model_statements: int, names: str = "the files") -> None:
    """Refuse, in one line naming the limit, data that validation would take too long over: more
    than MAX_EXTRA_STATEMENTS statements beyond the model, or a chain of subclasses or of precedences
    longer than MAX_CHAIN links. Chains are measured without recursion."""
    from sendkg.errors import SendkgError

    extra = len(store) - model_statements
    if extra > MAX_EXTRA_STATEMENTS:
        raise SendkgError(f"{names}: {extra:,} statements beyond the model is more than validate checks "
                          f"(at most {MAX_EXTRA_STATEMENTS:,}); validate a smaller extension")
    edges = {
        "subclass": store.run(load_query("extension-subclass-links"))[1],
        "precedence": store.run(load_query("extension-precedence-links"))[1],
    }
    for kind, rows in edges.items():
        n = longest_chain([(r["a"], r["b"]) for r in rows if r["a"] != r["b"]])
        if n > MAX_CHAIN:
            raise SendkgError(f"{names}: a chain of {n:,} {kind} links is longer than validate follows "
                              f"(at most {MAX_CHAIN:,}); shorten it")


_LEXICAL = {
    "integer": r"[+-]?[0-9]+", "int": r"[+-]?[0-9]+", "long": r"[+-]?[0-9]+", "short": r"[+-]?[0-9]+",
    "nonNegativeInteger": r"\+?[0-9]+|-0+", "positiveInteger": r"\+?0*[1-9][0-9]*",
    "decimal": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    "double": r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?)|[+-]?INF|NaN",
    "float": r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?)|[+-]?INF|NaN",
    "boolean": r"true|false|1|0",
    "date": r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?",
    "dateTime": r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
                r"(Z|[+-][0-9]{2}:[0-9]{2})?",
}


def _real_day(value: str) -> bool:
    """Whether a date or dateTime that has the lexical form names a day of the calendar (the pattern
    lets "2026-02-30" through; a reasoner, a validator or rdflib would fail on it)."""
    import calendar
    import re

    m = re.match(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})", value)
    if not m:
        return False
    year, month, day = (int(g) for g in m.groups())
    if year == 0 or not 1 <= month <= 12:
        return False
    # the proleptic Gregorian rule of XSD 1.1 (year 0 is not allowed in XSD 1.0; BCE years as written)
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = calendar.mdays[month] + (1 if month == 2 and leap else 0)
    return day <= days


def check_literals(store, files) -> None:
    """Refuse, at its file and line, a literal whose text is not of its XSD datatype (e.g.
    "abc"^^xsd:integer): a reasoner or validator would fail on it, or read it as something else."""
    import re

    from sendkg.errors import SendkgError
    from sendkg.inputs import editor_lines, read_text, show

    xsd = "http://www.w3.org/2001/XMLSchema#"
    rows = store.run(load_query("extension-typed-literals"))[1]
    for r in rows:
        kind = str(r["dt"])[len(xsd):]
        pattern = _LEXICAL.get(kind)
        value = str(r["v"])
        if pattern is None:
            continue
        if re.fullmatch(pattern, value.strip()) and (kind not in ("date", "dateTime") or _real_day(value.strip())):
            continue
        where = "the data"
        for f in files:
            try:
                lines = editor_lines(read_text(f))
            except SendkgError:
                continue
            hit = next((i for i, line in enumerate(lines, 1) if value in line), None)
            if hit:
                where = f"{show(f)}:{hit}"
                break
        raise SendkgError(f"{where}: {value[:60]!r} is not a valid xsd:{kind}; fix the value or its datatype")


def longest_chain(edges: list[tuple[str, str]]) -> int:
    """The number of links in the longest path through ``edges`` (nodes on a cycle left out), found
    in a topological order: a loop, never recursion."""
    from collections import defaultdict, deque

    out, indegree = defaultdict(list), defaultdict(int)
    for a, b in edges:
        out[a].append(b)
        indegree[b] += 1
        indegree.setdefault(a, 0)
    depth = dict.fromkeys(indegree, 0)
    queue = deque(n for n, d in indegree.items() if d == 0)
    best = 0
    while queue:
        n = queue.popleft()
        for m in out[n]:
            if depth[n] + 1 > depth[m]:
                depth[m] = depth[n] + 1
                best = max(best, depth[m])
            indegree[m] -= 1
            if indegree[m] == 0:
                queue.append(m)
    return best


def render_text(report: Report) -> str:
    lines = [f"SHACL: {'conforms' if report.conforms else 'does not conform'}"
             f" ({len(report.findings)} result{'s' if len(report.findings) != 1 else ''})"]
    for f in report.findings:
        where = f.focus + (f" {f.path}" if f.path else "")
        lines.append(f"  {f.severity}: {where}: {f.message}")
    return "\n".join(lines)


# ---------------------------------------------------------------- data that would give a wrong answer
# The longest time limit that can be meant, per unit (10 years); a longer one is a mistake in the data.
ABSURD = {"unitYear": 10, "unitMonth": 120, "unitWeek": 522, "unitDay": 3653, "unitWorkingDay": 2610,
          "unitSchoolDay": 1950}


def _line_of(files, *needles: str) -> str:
    """``FILE:LINE`` of the first line of the files holding every needle (the place to fix), or the
    files' names when none does."""
    from sendkg.errors import SendkgError
    from sendkg.inputs import editor_lines, read_text, show

    for f in files:
        try:
            lines = editor_lines(read_text(f))
        except SendkgError:
            continue
        for i, line in enumerate(lines, 1):
            if all(n in line for n in needles if n):
                return f"{show(f)}:{i}"
    return ", ".join(show(f) for f in files) or "the data"


def check_extension(store, files) -> None:
    """Refuse, in one line naming the file and line, data that would silently change an answer:
    an identifier used twice for things of one kind (the second would replace the first), two
    different dates for one event, a time limit that is negative, zero, absurdly long or not a number."""
    from sendkg.errors import SendkgError

    files = list(files)
    if not files:
        return
    rows = store.run(load_query("extension-duplicate-identifiers"))[1]
    for r in rows:
        kind = str(r["type"]).rsplit("#", 1)[-1]
        raise SendkgError(f"{_line_of(files, str(r['id']))}: the identifier '{r['id']}' is used by {r['n']} "
                          f"different {kind} nodes; each identifier names one thing: rename one of them")
    rows = store.run(load_query("extension-conflicting-dates"))[1]
    for r in rows:
        prop = str(r["p"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        raise SendkgError(f"{_line_of(files, str(r['last']))}: two dates ({r['first']} and {r['last']}) for "
                          f"one {prop} of {r['x']}; give one")
    rows = store.run(load_query("extension-duration-count"))[1]
    for r in rows:
        raise SendkgError(f"{_line_of(files, 'duration')}: the time limit {r['limit']} has {r['n']} durations "
                          "(skg:duration); a time limit has one: remove the others")
    rows = store.run(load_query("extension-durations"))[1]
    for r in rows:
        n, unit = r["n"], str(r["unit"] or "").rsplit("#", 1)[-1]
        try:
            value = float(n)
            ok_number = value == value and value not in (float("inf"), float("-inf"))
        except (TypeError, ValueError):
            ok_number = False
        problem = None
        if not ok_number or isinstance(n, bool):
            problem = f"'{n}' is not a number"
        elif value < 0:
            problem = f"{n} is negative: the deadline would fall before the event it runs from"
        elif value == 0:
            problem = "0 is no time at all"
        elif value != int(value):
            problem = f"{n} is not a whole number of {unit or 'units'}"
        elif unit in ABSURD and value > ABSURD[unit]:
            problem = f"{n} {unit[4:].lower()}s is longer than any time limit in the law (over 10 years)"
        if problem:
            raise SendkgError(f"{_line_of(files, 'numericDuration', str(n))}: the time limit {r['limit']}: {problem}; "
                              "fix its time:numericDuration")
