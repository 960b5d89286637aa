"""The Python API: the statutory model (plus any extension files) and the questions asked of it.

    >>> from sendkg import Model
    >>> m = Model()
    >>> answer = m.routes("refuse-assessment")
    >>> [r["id"] for r in answer["routes"]][:2]

Every question is a query in ``queries/``; this module binds parameters, groups rows and hands
plain dicts to the renderers. It knows no decision, route or time limit by name.
"""

from __future__ import annotations

import os
from collections import defaultdict
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterable

from sendkg import plan as planner
from sendkg.errors import SendkgError, UnknownIdentifier
from sendkg.modelcache import ModelStore
from sendkg.resources import load_query, model_files
from sendkg.terms import date_value, iri


def _nearest(word: str, choices: Iterable[str]) -> str:
    import difflib  # only when a name is wrong

    choices = list(choices)
    near = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
    if near:
        return "did you mean " + ", ".join(near) + "?"
    return "known: " + ", ".join(sorted(choices))


def today() -> date:
    """Today, or the day in the SENDKG_TODAY variable (YYYY-MM-DD), for reproducible output."""
    fixed = os.environ.get("SENDKG_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            raise SendkgError(f"SENDKG_TODAY '{fixed}' is not a real date in the form YYYY-MM-DD; "
                              "fix or unset it") from None
    return date.today()


def _period_text(row: dict) -> str:
    """A period in words, from one row of ``queries/time-limits.rq``: "within 6 weeks of ...", "at least 5
    months before ...", "before 15 February in the calendar year of ...", "at once, from ..."."""
    anchor = row["anchorLabel"]
    if row["calendarDay"]:  # "--MM-DD"
        from datetime import date

        day = date(2000, int(row["calendarDay"][2:4]), int(row["calendarDay"][5:7]))
        return f"{row['modeLabel']} {day.day} {day.strftime('%B')} in the calendar year of {anchor}"
    if row["n"] is None:
        return f"{row['modeLabel']} {anchor}"
    unit = row["unitLabel"] if row["n"] == 1 else (row["unitPlural"] or row["unitLabel"] + "s")
    if row["mode"] == "before":
        return f"at least {row['n']} {unit} before {anchor}"
    return f"{row['kindLabel']} {row['n']} {unit} {row['modeLabel']} {anchor}"


def _condition_text(conditions: list[dict]) -> str:
    only = [c["id"] for c in conditions if c["how"] == "when"]
    unless = [c["id"] for c in conditions if c["how"] == "unless"]
    out = ""
    if only:
        out += " (only with condition " + ", ".join(only) + ")"
    if unless:
        out += " (not with condition " + ", ".join(unless) + ")"
    return out


def date_literal(day: date):
    import pyoxigraph as ox

    return ox.Literal(day.isoformat(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))


class Model:
    """The model of England plus the user's extension files, in an embedded store.

    Answers are about the law in force on ``as_of`` (a date; default today): every query that
    takes ``?asOf`` gets it bound. ``as_of=None`` gives every version of every statement.
    """

    def __init__(self, extra_files: Iterable[Path | str] = (), store=None, as_of: date | None | str = "today"):
        self.extra_files = [Path(f) for f in extra_files]
        if store is None:  # the model alone is cached (sendkg.modelcache); extension files are loaded on it
            store = ModelStore(model_files())
            for f in self.extra_files:
                store.load_file(f)
        self.store = store
        self.as_of = today() if as_of == "today" else as_of
        # the day of the decision the answer is about, for intervals judged by it (skg:DecisionDay)
        self.decision_day: date | None = None

    # ------------------------------------------------------------------ plumbing
    def select(self, name: str, **params) -> list[dict]:
        """Run the named query from ``queries/`` with bound parameters (and ``?asOf``, if it takes it)."""
        text = load_query(name)
        if self.as_of is not None and "asOf" not in params and "?asOf" in text:
            params["asOf"] = date_value(self.as_of)
        if self.decision_day is not None and "decisionDay" not in params and "?decisionDay" in text:
            params["decisionDay"] = date_value(self.decision_day)
        return self.store.select(text, params, source=f"queries/{name}.rq")

    @contextmanager
    def at(self, day: date | None):
        """Answer, inside the block, with the law in force on ``day`` (None: every version)."""
        before = self.as_of
        self.as_of = day
        try:
            yield self
        finally:
            self.as_of = before

    @contextmanager
    def decided(self, day: date | None):
        """Inside the block, statements judged by the day of the decision (skg:judgedBy
        skg:DecisionDay) are chosen by ``day`` (None: by the as-of day, as every other)."""
        before = self.decision_day
        self.decision_day = day
        try:
            yield self
        finally:
            self.decision_day = before

    def coverage(self) -> dict:
        """The first day the model answers for and the day up to which it knows the law."""
        rows = self.select("coverage")
        if not rows:
            raise SendkgError("the model says nothing of its coverage (a skg:Coverage with skg:inForce and "
                              "skg:knowledgeDate); restore ontology/england/in-force.ttl")
        return {"label": rows[0]["label"],
                "begin": min(date.fromisoformat(r["begin"]) for r in rows),
                "knowledge": max(date.fromisoformat(r["knowledge"]) for r in rows)}

    def check_day(self, day: date, what: str = "--as-of", future: bool = True) -> date:
        """Refuse a day before the model's coverage, or (``future``) in the future beyond its knowledge date."""
        cov = self.coverage()
        if day < cov["begin"]:
            raise SendkgError(f"{what} {day.isoformat()} is before the model's coverage: it answers for the law "
                              f"from {cov['begin'].isoformat()} ({cov['label']}); give a later day")
        if future and day > cov["knowledge"] and day > today():
            raise SendkgError(f"{what} {day.isoformat()} is in the future and beyond the model's knowledge date "
                              f"({cov['knowledge'].isoformat()}): the law on that day is not known; give a day "
                              f"up to {max(cov['knowledge'], today()).isoformat()}")
        return day

    def as_of_info(self, day: date | None = None) -> dict:
        """What an answer says about its day: the day, and the model's knowledge date."""
        cov = self.coverage()
        day = day or self.as_of
        return {"as_of": day.isoformat(), "knowledge_date": cov["knowledge"].isoformat(),
                "beyond_knowledge": day > cov["knowledge"]}

    def query(self, text: str, source: str = "query", timeout: float | None = 10.0,
              allow_service: bool = False) -> tuple[list[str], list[dict]]:
        """Run a user's SPARQL query as written, as ``sendkg query`` runs it: in a child process
        stopped after ``timeout`` seconds (and at a memory bound, SENDKG_QUERY_MEMORY_MB), a
        :class:`sendkg.SendkgError` when a bound is hit; ``timeout=None`` runs it here, unbounded.
        A query with SERVICE is refused unless ``allow_service=True`` (and, bounded, its child
        process can open no socket)."""
        from sendkg.store import check_query_text, run_bounded

        check_query_text(text, source, allow_service, hint="pass allow_service=True to allow it")
        if timeout is None:
            return self.store.run(text, source)
        if not timeout > 0 or timeout == float("inf"):
            raise SendkgError(f"{source}: timeout {timeout}: give a number of seconds above 0, or None")
        return run_bounded(self.store, text, source, timeout, option="timeout", offline=not allow_service)

    def sources(self, subjects: Iterable[str]) -> dict[str, list[dict]]:
        subjects = sorted(set(subjects))
        out: dict[str, list[dict]] = defaultdict(list)
        if not subjects:
            return out
        for row in self.select("sources", subject=[iri(s) for s in subjects]):
            cite = {"citation": row["label"], "iri": row["iri"], "status": row["status"]}
            if cite not in out[row["subject"]]:
                out[row["subject"]].append(cite)
        return out

    def cited_sources(self) -> list[dict]:
        """Every legal source the model cites, its status and what relies on it (``queries/cited-sources.rq``)."""
        out: dict[str, dict] = {}
        for row in self.select("cited-sources"):
            c = out.setdefault(row["citation"], {
                "citation": row["label"], "document": row["document"], "iri": row["iri"],
                "status": row["status"] or "none", "relied_on_by": []})
            if row["subject"] is None:
                continue
            node = {"kind": row["kind"] or "other", "id": row["name"] or row["subject"], "iri": row["subject"],
                    "about": row["about"]}
            same = [n for n in c["relied_on_by"] if n["iri"] == node["iri"] and n["about"] == node["about"]]
            if same:  # a node of several kinds: keep the first
                continue
            c["relied_on_by"].append(node)
        for c in out.values():
            c["relied_on_by"].sort(key=lambda n: (n["kind"], n["id"], n["about"]))
        return sorted(out.values(), key=lambda c: (c["citation"].lower(), c["iri"] or ""))

    def calendar(self):
        """The holiday calendar that working days are counted with (``queries/calendar.rq``)."""
        from datetime import date

        from sendkg.dates import Calendar

        rows = self.select("calendar")
        if not rows:
            raise SendkgError("the model has no holiday calendar (a skg:HolidayCalendar with skg:firstYear and "
                              "skg:lastYear), so working days cannot be counted; restore "
                              "ontology/england/bank-holidays.ttl or add a calendar")
        days = set()
        for row in rows:
            for text in (row["dates"] or "").split():
                try:
                    days.add(date.fromisoformat(text))
                except ValueError:
                    raise SendkgError(f"holiday calendar {row['calendar']}: '{text}' is not a date in the "
                                      "form YYYY-MM-DD; fix it in the calendar's Turtle file") from None
        return Calendar(frozenset(days), min(int(r["first"]) for r in rows), max(int(r["last"]) for r in rows))

    # ------------------------------------------------------------------ decisions
    def decisions(self) -> list[dict]:
        rows = self.select("decisions")
        appealable = {r["id"] for r in self.select("appealable-decisions")}
        return [{"id": r["id"], "label": r["label"], "comment": r["comment"], "iri": r["decision"],
                 "appealable": r["id"] in appealable} for r in rows]

    def decision(self, decision_id: str) -> dict:
        rows = self.select("decision", id=decision_id)
        if not rows and self.as_of is not None:
            with self.at(None):
                ever = self.select("decision", id=decision_id)
            if ever:
                raise SendkgError(f"decision '{decision_id}' is not in force on {self.as_of.isoformat()} "
                                  f"({self._when(ever[0]['decision'])}); give another --as-of")
        if not rows:
            known = [r["id"] for r in self.select("decisions")]
            raise UnknownIdentifier(f"unknown decision '{decision_id}': {_nearest(decision_id, known)} "
                                    "('sendkg decisions' lists them all)")
        row = rows[0]
        return {"id": row["id"], "label": row["label"], "comment": row["comment"], "iri": row["decision"],
                "decision_event": row["decisionEvent"], "sources": self.sources([row["decision"]])[row["decision"]]}

    def notices(self, decision_iri: str) -> list[dict]:
        """The notices an answer about the decision carries on the as-of day (``queries/notices.rq``)."""
        rows = self.select("notices", decision=iri(decision_iri))
        sources = self.sources([r["notice"] for r in rows])
        return [{"id": r["id"], "label": r["label"], "text": r["comment"], "from": r["begin"], "until": r["end"],
                 "sources": sources.get(r["notice"], [])} for r in rows]

    def decision_day_entries(self, decision_iri: str) -> list[dict]:
        """The routes, conditions and parties of a decision that are in force by the day of the
        decision, not the day asked about (``queries/decision-day-entries.rq``)."""
        out: dict[tuple, dict] = {}
        for r in self.select("decision-day-entries", decision=iri(decision_iri)):
            e = out.setdefault((r["kind"], r["id"], r["begin"], r["end"]), {
                "kind": r["kind"], "id": r["id"], "label": r["label"], "from": r["begin"], "until": r["end"],
                "sources": []})
            if r["source"] and r["source"] not in e["sources"]:
                e["sources"].append(r["source"])
        return list(out.values())

    def modifications(self) -> list[dict]:
        """The temporary modifications of time limits (``queries/modifications.rq``), every version."""
        with self.at(None):
            rows = self.select("modifications")
        out: dict[str, dict] = {}
        for r in rows:
            m = out.setdefault(r["mod"], {"id": r["id"], "label": r["label"], "effect": r["caution"],
                                          "from": date.fromisoformat(r["begin"]), "until": date.fromisoformat(r["end"]),
                                          "judged_by": r["judged"] or "as-of", "named": set(), "document": set(),
                                          "actors": set()})
            m[r["how"]].add(r["provision"])
            if r["actor"]:
                m["actors"].add(r["actor"])
        sources = self.sources(list(out))
        for k, m in out.items():
            m["sources"] = sources.get(k, [])
        return list(out.values())

    def conditions(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for r in self.select("conditions"):
            c = out.setdefault(r["id"], {"id": r["id"], "label": r["label"], "comment": r["comment"],
                                         "iri": r["condition"], "decisions": [], "lifts": [], "adds": []})
            for key, value in (("decisions", r["decision"]), ("lifts", r["lifts"]), ("adds", r["adds"])):
                if value and value not in c[key]:
                    c[key].append(value)
        return out

    def _check_conditions(self, decision_id: str, conditions: Iterable[str]) -> set[str]:
        known = self.conditions()
        chosen = set()
        for cid in conditions:
            if cid not in known:
                if self.as_of is not None or self.decision_day is not None:
                    with self.at(None), self.decided(None):
                        ever = self.conditions()
                    if cid in ever and self.decision_day is not None:
                        with self.decided(None):
                            on_as_of = cid in self.conditions()
                        if on_as_of:  # in force on the day asked about, but not for a decision of that day
                            raise SendkgError(f"condition '{cid}' does not apply to a decision of "
                                              f"{self.decision_day.isoformat()}: it applies by the day of the decision "
                                              f"({self._when(ever[cid]['iri'])}); check the decision's date")
                    if cid in ever:
                        raise SendkgError(f"condition '{cid}' is not in force on {(self.as_of or self.decision_day).isoformat()} "
                                          f"({self._when(ever[cid]['iri'])}); give another --as-of")
                raise UnknownIdentifier(f"unknown condition '{cid}': {_nearest(cid, known)}")
            if decision_id not in known[cid]["decisions"]:
                raise SendkgError(f"condition '{cid}' does not apply to decision '{decision_id}' "
                                  f"(it applies to: {', '.join(sorted(known[cid]['decisions']))})")
            chosen.add(cid)
        return chosen

    def _when(self, node_iri: str) -> str:
        """When the versions of a node (all sharing its identifier) are in force, in words; versions
        that follow one another without a gap read as one span."""
        spans = []
        for r in self.select("in-force", node=iri(node_iri)):
            spans.append([r["begin"] or r["beginMonth"], r["end"] or r["endMonth"]])
        spans.sort(key=lambda s: s[0] or "")
        merged: list[list] = []
        for begin, end in spans:
            if merged and merged[-1][1] is not None and merged[-1][1] == begin:
                merged[-1][1] = end
            else:
                merged.append([begin, end])
        words = [("from " + b if b else "") + (" until " + e if e else "") for b, e in merged if b or e]
        words = [w.strip() for w in words]
        return ("in force " + ", and ".join(words)) if words else "in force throughout the model's coverage"

    # ------------------------------------------------------------------ routes
    def routes(self, decision_id: str, conditions: Iterable[str] = ()) -> dict:
        """Which routes apply to a decision, in what order, with parties, time limits and sources."""
        decision = self.decision(decision_id)
        chosen = self._check_conditions(decision_id, conditions)
        d = iri(decision["iri"])
        planned = planner.plan(
            self.select("routes-for-decision", decision=d),
            self.select("orderings", decision=d),
            [(r["a"], r["b"]) for r in self.select("concurrencies", decision=d)],
            chosen,
        )
        route_iris = [r.iri for r in planned]
        parties = self._parties(route_iris)
        limits = self.time_limits(route_iris, decision=decision["iri"])
        ordering_iris = [e.iri for r in planned for e in r.orderings]
        sources = self.sources(route_iris + ordering_iris)
        routes = []
        for r in planned:
            routes.append({
                "id": r.id,
                "label": r.label,
                "step": r.step,
                "required": r.required,
                "after": r.after,
                "usually_after": r.usually_after,
                "alongside": r.alongside,
                "any_stage": r.any_stage,
                "parties": [p["id"] for p in parties.get(r.iri, [])],
                "party_labels": [p["label"] for p in parties.get(r.iri, [])],
                "time_limits": [lim["text"] for lim in limits.get(r.iri, [])],
                "time_limit_details": limits.get(r.iri, []),
                "sources": sources.get(r.iri, []),
                "ordering_sources": [{"after": e.earlier, "required": e.required, "sources": sources.get(e.iri, [])}
                                     for e in r.orderings],
            })
        answer = {"decision": {k: decision[k] for k in ("id", "label", "sources")},
                  "conditions": sorted(chosen), **self.as_of_info(), "routes": routes}
        notices = self.notices(decision["iri"]) if self.as_of is not None else []
        if notices:
            answer["notices"] = notices
        depends = self.decision_day_entries(decision["iri"])
        if depends:  # which parts of the answer the day of the decision decides (audit 2026-12 row 11)
            answer["decision_day"] = {"day": self.decision_day.isoformat() if self.decision_day else None,
                                      "event": decision["decision_event"], "depends": depends}
        if self.as_of is not None:  # time limits a temporary modification affects on the as-of day
            from sendkg.eras import mark_limits

            mark_limits(self, routes, self.as_of)
        return answer

    def _parties(self, route_iris: list[str]) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        if route_iris:
            for row in self.select("route-parties", route=[iri(x) for x in route_iris]):
                out[row["route"]].append({"id": row["id"], "label": row["label"]})
        return out

    def time_limits(self, owner_iris: list[str], decision: str | None = None) -> dict[str, list[dict]]:
        """The time limits of routes or decisions: each with its text, parts, anchors, rules, sources.

        A part is one period (``duration``, ``unit``, ``mode``, ``anchor``); a combined limit has
        several and a ``combination`` (later-of, earlier-of, each). The date engine reads these.
        ``decision`` (an IRI) keeps only the limits that apply with that decision: a limit the model
        restricts to some decisions (``skg:limitForDecision``) is dropped for the others. Without
        it every limit is given, and a restricted one names its decisions (``for_decisions``).
        """
        if not owner_iris:
            return {}
        params = {"owner": [iri(x) for x in owner_iris]}
        if decision:
            params["decision"] = iri(decision)
        rows = self.select("time-limits", **params)
        tops: dict[tuple[str, str], dict] = {}
        for row in rows:
            key = (row["owner"], row["top"])
            top = tops.setdefault(key, {"owner": row["owner"], "iri": row["top"], "id": row["topId"],
                                        "label": row["topLabel"], "sequence": row["topSeq"] or 99,
                                        "combination": row["combination"],
                                        "combination_label": row["combinationLabel"], "parts": [],
                                        "for_decisions": []})
            if row["forDecision"] and row["forDecision"] not in top["for_decisions"]:
                top["for_decisions"].append(row["forDecision"])
            part = {"iri": row["limit"], "id": row["limitId"], "label": row["limitLabel"], "sequence": row["seq"] or 1, "duration": row["n"], "unit": row["unitId"],
                    "calendar_day": row["calendarDay"],
                    "mode": row["mode"], "anchor": row["anchorId"], "anchor_label": row["anchorLabel"],
                    "kind": row["kindId"], "text": _period_text(row)}
            if row["kindNote"]:
                part["kind_note"] = row["kindNote"]
            if part not in top["parts"]:
                top["parts"].append(part)
            if row.get("caution"):
                top["caution"] = row["caution"]
        limit_iris = sorted({t["iri"] for t in tops.values()} | {p["iri"] for t in tops.values() for p in t["parts"]})
        when: dict[str, list[dict]] = defaultdict(list)
        for row in self.select("time-limit-conditions", limit=[iri(x) for x in limit_iris]):
            when[row["limit"]].append({"id": row["condition"], "label": row["label"], "how": row["how"]})
        actors: dict[str, list[dict]] = defaultdict(list)
        for row in self.select("time-limit-actors", limit=[iri(x) for x in limit_iris]):
            actors[row["limit"]].append({"id": row["actor"], "label": row["label"]})
        allowers: dict[str, list[dict]] = defaultdict(list)
        for row in self.select("time-limit-allowers", limit=[iri(x) for x in limit_iris]):
            allowers[row["limit"]].append({"id": row["party"], "label": row["label"]})
        rules: dict[str, list[dict]] = defaultdict(list)
        for row in self.select("date-rules", limit=[iri(x) for x in limit_iris]):
            rules[row["limit"]].append({"id": row["id"], "label": row["label"], "source": row["source"]})
        sources = self.sources(limit_iris)
        later: dict[str, list[str]] = defaultdict(list)  # skg:laterAnchor: the period runs from the latest
        for row in self.select("later-anchors"):
            later[row["event"]].append(row["laterLabel"])
        out: dict[str, list[dict]] = defaultdict(list)
        for t in sorted(tops.values(), key=lambda t: (t["sequence"], t["id"])):
            parts = sorted(t["parts"], key=lambda p: p["sequence"])
            for p in parts:
                if later.get(p["anchor"]):
                    p["text"] += " (or after the later day of " + " or ".join(later[p["anchor"]]) + ")"
                p["rules"] = rules.get(p["iri"], [])
                p["sources"] = sources.get(p["iri"], [])
                p["conditions"] = when.get(p["iri"], []) if len(parts) > 1 else []
                if p["rules"] and len(parts) > 1:
                    p["text"] += " (" + ", ".join(r["label"] for r in p["rules"]) + ")"
                p["text"] += _condition_text(p["conditions"])
            texts = [p["text"] for p in parts]
            if t["combination"] in ("later-of", "earlier-of"):  # alternatives: "..., or ..., whichever is later"
                body = ", or ".join(texts) + ", " + t["combination_label"]
            else:  # one part, or each part its own deadline, one after the other
                body = "; then ".join(texts)
            own_rules = rules.get(t["iri"], [])
            if own_rules and len(parts) > 1:
                body += "; the last day moves by the " + " and the ".join(r["label"] for r in own_rules)
            elif own_rules:
                body += " (" + ", ".join(r["label"] for r in own_rules) + ")"
            cites = sources.get(t["iri"], [])
            text = f"{t['label']}: {body}{_condition_text(when.get(t['iri'], []))}"
            if cites:
                text += " [" + "; ".join(c["citation"] for c in cites) + "]"
            if t["for_decisions"] and not decision:  # which decisions this version of the limit serves
                text += " (with: " + ", ".join(sorted(t["for_decisions"])) + ")"
            out[t["owner"]].append({"id": t["id"], "label": t["label"], "text": text,
                                    "for_decisions": sorted(t["for_decisions"]),
                                    "combination": t["combination"], "combination_label": t["combination_label"],
                                    "parts": parts,
                                    "anchors": [p["anchor"] for p in parts],
                                    "rules": own_rules,
                                    "conditions": when.get(t["iri"], []),
                                    "actors": actors.get(t["iri"], []),
                                    "caution": t.get("caution"),
                                    "sources": cites})
            if allowers.get(t["iri"]):  # a minimum period: who must allow it (skg:allowedBy)
                out[t["owner"]][-1]["allowed_by"] = allowers[t["iri"]]
        return out

    def route(self, route_id: str) -> dict:
        """One route in detail: parties, time limits, the decisions it serves, its order, sources."""
        rows = self.select("route", id=route_id)
        if not rows and self.as_of is not None:
            with self.at(None):
                ever = self.select("route", id=route_id)
            if ever:
                raise SendkgError(f"route '{route_id}' is not in force on {self.as_of.isoformat()} "
                                  f"({self._when(ever[0]['route'])}); give another --as-of")
        if not rows:
            known = [r["id"] for r in self.select("routes")]
            raise UnknownIdentifier(f"unknown route '{route_id}': {_nearest(route_id, known)}")
        row = rows[0]
        r = row["route"]
        decisions = [{"id": d["id"], "label": d["label"], "only_if": d["condition"]}
                     for d in self.select("route-decisions", route=iri(r))]
        orderings = self.select("orderings")
        before = sorted({o["later"] for o in orderings if o["earlier"] == route_id})
        after = sorted({o["earlier"] for o in orderings if o["later"] == route_id and o["required"]})
        return {"id": row["id"], "label": row["label"], "comment": row["comment"],
                "any_stage": bool(row["anyStage"]), "parties": self._parties([r]).get(r, []),
                "time_limits": self.time_limits([r]).get(r, []), "decisions": decisions,
                "comes_before": before, "after": after, "sources": self.sources([r]).get(r, []),
                **self.as_of_info()}
