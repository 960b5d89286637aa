"""The Python API for notebooks and scripts: typed answers, real dates, rows for pandas.

    >>> import sendkg
    >>> kg = sendkg.SendKG()                       # the model of England and the seed authorities
    >>> plan = kg.routes("refuse-assessment")      # a list of Route objects
    >>> plan.to_records()[0]["id"]                 # a list of dicts: pandas.DataFrame(...) takes it

Every answer is a list of dataclasses (``Route``, ``Deadline``, ``Finding``, ``Comparison``,
``Identifier``) with ``to_records()``; dates are ``datetime.date``. The same questions as the
command line, from the same queries: this module only turns the answers into objects.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Mapping


class Records(list):
    """A list of dataclass objects; ``to_records()`` gives plain dicts, one per object, for
    ``pandas.DataFrame(answer.to_records())`` (or ``csv.DictWriter``)."""

    def to_records(self) -> list[dict]:
        return [dataclasses.asdict(x) for x in self]


@dataclass(frozen=True)
class Route:
    """One route of a plan: its step (None when it is open at any stage alongside every step)."""
    decision: str
    id: str
    label: str
    step: int | None
    required: bool
    any_stage: bool
    after: list[str] = field(default_factory=list)
    usually_after: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    time_limits: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Deadline:
    """One time limit as a date (None until the event it runs from has a date, see ``note``).
    ``kind`` is "deadline", or "minimum" for a period that must be allowed to run; ``days_left``
    counts from ``today`` (0 on the last day itself, negative once passed)."""
    decision: str
    route: str | None
    id: str
    kind: str
    label: str
    date: date | None
    days_left: int | None
    rule: str
    anchor: str | None
    anchor_date: date | None
    note: str | None
    sources: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.days_left is not None and self.days_left < 0


@dataclass(frozen=True)
class Finding:
    """A finding of ``check`` (``where`` is the authority) or ``lint`` (``where`` is the page)."""
    where: str
    severity: str
    code: str
    message: str
    source: str
    document: str | None
    line: int | None
    column: int | None


@dataclass(frozen=True)
class Comparison:
    """One authority's row of ``compare`` (the columns of ``sendkg compare``)."""
    authority: str
    name: str
    gss_code: str
    sendiass: str
    dr_providers: str
    routes_described: int
    routes: str
    mediation_advice: bool
    tribunal_time_limit: bool
    section_i_exception: bool
    time_limits_stated: int
    time_limits_wrong: int
    anchors_imprecise: int
    citations: int
    citations_wrong: int
    superseded_terms: int
    terminology_current: bool
    completeness: float
    violations: int
    warnings: int
    infos: int


@dataclass(frozen=True)
class Identifier:
    """One identifier of ``vocabulary``: its kind (routes, events, ...), id, label and IRI."""
    kind: str
    id: str
    label: str
    comment: str
    iri: str


def _day(value: date | str | None, what: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    from sendkg.deadlines import parse_date

    return parse_date(str(value), what)


def _own_offers(method):
    """Run ``method`` with the object's own folders of authority files (``offers``)."""
    import functools

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        from sendkg.resources import offers_scope

        with offers_scope(self.offers):
            return method(self, *args, **kwargs)

    return call


class SendKG:
    """The model of England (plus ``data``, your Turtle extensions) and the authorities sendkg knows
    (the seeds plus the folders in ``offers``), asked the questions of the command line.

    Errors are :class:`sendkg.SendkgError` with the same one-line message the command prints.
    """

    def __init__(self, data: Iterable[Path | str] = (), offers: Iterable[Path | str] = ()):
        from sendkg.resources import offers_scope

        self.data = [Path(f) for f in data]
        self.offers = [Path(d) for d in offers]
        with offers_scope(self.offers):  # each must exist; they are this object's, not the process's
            pass
        self._model = None

    @property
    def model(self):
        """The underlying :class:`sendkg.model.Model` (answers as plain dicts)."""
        if self._model is None:
            from sendkg.model import Model

            self._model = Model(self.data)
        return self._model

    def routes(self, decision: str, conditions: Iterable[str] = ()) -> Records:
        """The routes that apply to ``decision``, in plan order."""
        answer = self.model.routes(decision, list(conditions))
        return Records(Route(decision=decision, id=r["id"], label=r["label"],
                             step=None if r["any_stage"] else r["step"], required=r["required"],
                             any_stage=r["any_stage"], after=list(r["after"]),
                             usually_after=list(r["usually_after"]), parties=list(r["parties"]),
                             time_limits=list(r["time_limits"]),
                             sources=[s["citation"] for s in r["sources"]])
                       for r in answer["routes"])

    def deadlines(self, decision: str, decision_date: date | str | None = None,
                  certificate_date: date | str | None = None, events: Mapping[str, date | str] | None = None,
                  conditions: Iterable[str] = (), school_closed: Iterable[tuple] = (),
                  today: date | str | None = None) -> Records:
        """Every time limit of ``decision`` as a date, with the days left from ``today`` (default:
        the computer's date). ``decision_date`` is the day written notice was sent; ``events`` the
        dates of other events by name (``vocabulary("events")`` lists them)."""
        from sendkg.deadlines import deadlines as compute
        from sendkg.when import with_today

        when: dict[str, date] = {}
        if decision_date is not None:
            when["decision"] = _day(decision_date, "decision_date")
        if certificate_date is not None:
            when["certificate"] = _day(certificate_date, "certificate_date")
        for name, value in (events or {}).items():
            when[name] = _day(value, f"event {name}")
        closures = [(_day(a, "school closure start"), _day(b, "school closure end")) for a, b in school_closed]
        result = with_today(compute(self.model, decision, when, list(conditions), closures or None),
                            _day(today, "today"))
        return Records(Deadline(decision=decision, route=r["route"], id=r["id"], kind=r["kind"], label=r["label"],
                                date=_day(r["date"], "date"), days_left=r["days_left"], rule=r["rule"],
                                anchor=r["anchor"], anchor_date=_day(r["anchor_date"], "date"), note=r["note"],
                                sources=[s["citation"] for s in r["sources"]])
                       for r in result["deadlines"])

    @_own_offers
    def check(self, authorities: Iterable[str] = ()) -> Records:
        """The findings of ``check`` for the named authorities (identifiers or Turtle files; all
        known ones when none)."""
        from sendkg.authorities import check, resolve

        report = check(resolve(list(authorities), data=self.data, keep=True), data=self.data)
        return Records(Finding(where=a.id, severity=f.severity, code=f.code, message=f.message, source=f.source,
                               document=f.document, line=f.line, column=f.column)
                       for a in report.authorities for f in a.findings)

    @_own_offers
    def compare(self, authorities: Iterable[str] = ()) -> Records:
        """One row per authority, as ``sendkg compare``."""
        from sendkg.authorities import resolve
        from sendkg.compare import compare, public

        rows = public(compare(resolve(list(authorities), data=self.data), data=self.data))
        names = [f.name for f in dataclasses.fields(Comparison)]
        return Records(Comparison(**{k: r[k] for k in names}) for r in rows)

    @_own_offers
    def lint(self, pages: Iterable[Path | str], authority: str | None = None) -> Records:
        """The findings of ``lint`` for pages (text, Markdown or HTML files), each at line and column."""
        from sendkg.errors import SendkgError
        from sendkg.lint import lint

        if self.data:
            raise SendkgError("lint reads pages with the model as shipped; use a SendKG() without data")
        reports = lint([Path(p) for p in pages], authority)
        return Records(Finding(where=r.path, severity=f.severity, code=f.code, message=f.message, source=f.source,
                               document=r.path, line=f.line, column=f.column)
                       for r in reports for f in r.findings)

    @_own_offers
    def vocabulary(self, kind: str | None = None) -> Records:
        """Every identifier of ``kind`` (routes, time-limits, events, terms, providers, codes,
        decisions, conditions, parties; all when None) with its label."""
        from sendkg.commands.vocabulary import KINDS, vocabulary_rows
        from sendkg.errors import SendkgError

        if kind is not None and kind not in KINDS:
            raise SendkgError(f"unknown kind '{kind}': one of {', '.join(KINDS)}")
        return Records(Identifier(**r) for r in vocabulary_rows(self.model, kind))
