"""Deadlines: the time limits that apply to a decision, turned into dates with the law's rules.

Reads everything from the model (which limits apply, their lengths, units, anchors, combinations,
date rules and sources) and counts with :mod:`sendkg.dates`. Where an anchor event has no date
yet, the deadline is still listed, with the rule and what it will give once the event happens.
"""

from __future__ import annotations

from datetime import date

from sendkg import dates
from sendkg.errors import SendkgError, UnknownIdentifier
from sendkg.terms import iri


def parse_date(text: str, what: str) -> date:
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise SendkgError(f"{what} '{text}' is not a real date in the form YYYY-MM-DD") from None
    return d


def parse_closure(text: str) -> tuple[date, date]:
    first, sep, last = text.partition("..")
    if not sep:
        raise SendkgError(f"school closure '{text}' should be FROM..TO, e.g. 2026-03-30..2026-04-10")
    a, b = parse_date(first, "school closure start"), parse_date(last, "school closure end")
    if b < a:
        raise SendkgError(f"school closure '{text}' ends before it starts")
    return a, b


def _applies(conditions: list[dict], chosen: set[str], open_grounds: frozenset[str] = frozenset()) -> bool:
    """A limit applies when each condition it needs holds and none that excludes it does. A ground of
    appeal it needs (``open_grounds``: the decision's grounds, when none is given) counts as holding:
    with no ground given, every ground's limits are shown, each labelled with its ground."""
    return all((c["id"] in chosen or (c["how"] == "when" and c["id"] in open_grounds)) == (c["how"] == "when")
               for c in conditions)


def _open_grounds(model, decision_iri: str, chosen: set[str]) -> frozenset[str]:
    """The decision's grounds of appeal (skg:AppealGround) if none of them is given, else none."""
    grounds = frozenset(r["id"] for r in model.select("appeal-grounds", decision=iri(decision_iri)))
    return frozenset() if grounds & chosen else grounds


def _limits_for(model, decision_id: str, conditions) -> tuple[dict, list[tuple[str | None, dict]]]:
    answer = model.routes(decision_id, conditions)
    chosen = set(answer["conditions"])
    limits: list[tuple[str | None, dict]] = []
    decision_iri = model.decision(decision_id)["iri"]
    open_grounds = _open_grounds(model, decision_iri, chosen)
    for lim in model.time_limits([decision_iri]).get(decision_iri, []):
        limits.append((None, lim))
    for r in answer["routes"]:
        for lim in r["time_limit_details"]:
            limits.append((r["id"], lim))
    kept = []
    for route, lim in limits:
        if not _applies(lim["conditions"], chosen, open_grounds):
            continue
        parts = [p for p in lim["parts"] if _applies(p["conditions"], chosen, open_grounds)]
        if parts:
            lim = {**lim, "parts": parts} if len(parts) != len(lim["parts"]) else lim
            if open_grounds:  # no ground given: the row says which ground it is for
                lim = {**lim, "open_grounds": open_grounds}
            kept.append((route, lim))
    return answer, kept


def caveats(model, decision_id: str, conditions) -> list[dict]:
    """The decision's caveats (skg:Caveat) that apply with these conditions on the model's day: each
    with its text, sources and the events it is about (see ``queries/caveats.rq``)."""
    decision_iri = model.decision(decision_id)["iri"]
    chosen = set(conditions)
    open_grounds = _open_grounds(model, decision_iri, chosen)
    found: dict[str, dict] = {}
    for r in model.select("caveats", decision=iri(decision_iri)):
        c = found.setdefault(r["caveat"], {"id": r["id"], "seq": r["seq"] or 99, "text": r["text"],
                                           "conditions": [], "events": []})
        if r["condition"] and not any(x["id"] == r["condition"] and x["how"] == r["how"] for x in c["conditions"]):
            c["conditions"].append({"id": r["condition"], "how": r["how"]})
        if r["event"] and r["event"] not in c["events"]:
            c["events"].append(r["event"])
    kept = [(k, c) for k, c in sorted(found.items(), key=lambda kc: (kc[1]["seq"], kc[1]["id"]))
            if _applies(c["conditions"], chosen, open_grounds)]
    sources = model.sources([k for k, _ in kept])
    return [{"id": c["id"], "text": c["text"], "events": c["events"], "sources": sources.get(k, [])} for k, c in kept]


def check_events(model, decision_id: str, events: dict[str, date], limits, cautions=(), unused_ok=()) -> dict[str, str]:
    """Reject unknown, unused or out-of-order event dates; return the events' scope notes. An event a
    caveat is about counts as used (the caveat says why no limit runs from it); an event in
    ``unused_ok`` may be unused (the day of the decision, given to choose the routes by it)."""
    rows = model.select("events")
    known = {r["id"]: r["label"] for r in rows}
    later = _later_anchors(model)
    used = sorted({a for _, lim in limits for p in lim["parts"]
                   for a in [p["anchor"], *(x for x, _ in later.get(p["anchor"], []))]}
                  | {e for c in cautions for e in c["events"]})
    for name in events:
        if name not in known:
            raise UnknownIdentifier(f"unknown event '{name}'; events are: {', '.join(sorted(known))}")
        if name not in used and name not in unused_ok:
            raise SendkgError(f"event '{name}' ({known[name]}) is not used by the time limits of "
                              f"'{decision_id}'; it uses: {', '.join(used) or 'none'}")
    for row in model.select("event-order"):
        a, b = events.get(row["event"]), events.get(row["earlier"])
        if a and b and a < b:
            raise SendkgError(f"{row['eventLabel']} ({row['event']}={a.isoformat()}) cannot be before "
                              f"{row['earlierLabel']} ({row['earlier']}={b.isoformat()}); check the dates")
    return {r["id"]: r["scopeNote"] for r in rows if r["scopeNote"]}


def _later_anchors(model) -> dict[str, list[tuple[str, str]]]:
    """For each event, the later events a period anchored on it runs from once they have happened
    (skg:laterAnchor, e.g. HESC r.46(2)): {event: [(later event, its label), ...]}."""
    out: dict[str, list[tuple[str, str]]] = {}
    for row in model.select("later-anchors"):
        out.setdefault(row["event"], []).append((row["later"], row["laterLabel"]))
    return out


def _with_later_anchors(events: dict[str, date], later: dict) -> tuple[dict[str, date], dict[str, str]]:
    """The event dates with each anchor that has later anchors set to the latest of them given, and
    for each such anchor the event it now stands for."""
    out, chosen = dict(events), {}
    for anchor, laters in later.items():
        given = [(events[n], i, n) for i, n in enumerate([anchor, *(x for x, _ in laters)]) if n in events]
        if given:
            day, _, name = max(given)
            out[anchor] = day
            chosen[anchor] = name
    return out, chosen


def _part(part: dict, events: dict[str, date], closures, rules=()) -> dates.Counted | None:
    anchor = events.get(part["anchor"])
    if anchor is None:
        return None
    if part["mode"] == "at-once":
        return dates.at_once(anchor)
    if part["calendar_day"]:  # "--MM-DD": a fixed day of the anchor's calendar year
        return dates.before_day(anchor, int(part["calendar_day"][2:4]), int(part["calendar_day"][5:7]))
    if part["mode"] == "before":
        return dates.count_back(anchor, part["duration"], part["unit"])
    not_counted = any(r["id"] in dates.NOT_COUNTED for r in [*part["rules"], *rules])
    return dates.count(anchor, part["duration"], part["unit"], part["mode"], not_counted=not_counted,
                       school_closures=closures)


def _row(route, lim, ident, label, counted, anchor_part, events, note_extra, rule_text, sources):
    notes = (counted.notes if counted else []) + note_extra
    conds = lim.get("conditions", []) + ((anchor_part or {}).get("conditions") or [])
    grounds = [c for c in conds if c["how"] == "when" and c["id"] in lim.get("open_grounds", ())]
    if grounds:  # no ground given: which ground (or grounds together) the limit is for
        notes.append(("only for an appeal on this ground: " if len(grounds) == 1 else
                      "only for an appeal on these grounds together: ") +
                     " and ".join(f"--condition {c['id']} ({c['label'][0].lower() + c['label'][1:]})" for c in grounds))
    notes += [f"does not apply with --condition {c['id']} ({c['label'][0].lower() + c['label'][1:]})"
              for c in conds if c["how"] == "unless"]
    row = {
        "route": route,
        "id": ident,
        "kind": anchor_part.get("kind", "deadline") if anchor_part else "deadline",
        "label": label,
        "actor": ", ".join(a["label"] for a in lim.get("actors", [])) or None,
        "allowed_by": ", ".join(a["label"] for a in lim.get("allowed_by", [])) or None,
        "date": counted.date.isoformat() if counted and counted.date else None,
        "rule": rule_text,
        "anchor": anchor_part["anchor"] if anchor_part else None,
        "anchor_date": events[anchor_part["anchor"]].isoformat() if anchor_part and anchor_part["anchor"] in events else None,
        "working": counted.steps if counted else [],
        "sources": sources,
        "note": "; ".join(notes) or None,
    }
    if counted and counted.date is None and counted.earliest:  # the law leaves the last day uncertain
        row["earliest"], row["latest"] = counted.earliest.isoformat(), counted.latest.isoformat()
    return row


def _missing(part: dict) -> str:
    text = f"runs from {part['anchor_label']}: give --event {part['anchor']}=YYYY-MM-DD"
    if part.get("later_anchors"):
        text += " (and, where they happened later, " + " or ".join(
            f"--event {name}=YYYY-MM-DD" for name, _ in part["later_anchors"]) + ")"
    return text


def _apply_rules(counted: dates.Counted, rules, lim) -> dates.Counted:
    """The date rules, or, for a limit with a caution (skg:caution: the law was unsettled), the
    earlier, safe date with the caution and the day the rules would give."""
    if not lim.get("caution"):
        return dates.apply_rules(counted, rules)
    copy = dates.Counted(counted.date, list(counted.steps), list(counted.notes), counted.earliest, counted.latest)
    moved = dates.apply_rules(copy, rules)
    note = lim["caution"]
    if moved.date != counted.date:
        note += f"; the rules would give {dates.fmt(moved.date)}: the earlier date is shown"
    counted.notes.append(note)
    return counted


def deadline_rows(route, lim, events, closures) -> list[dict]:
    parts = lim["parts"]
    if lim["combination"] in (None, "each"):
        rows = []
        for p in parts:
            rules = p["rules"] if len(parts) > 1 else lim["rules"]
            counted = _part(p, events, closures, rules)
            if counted is not None:
                counted = _apply_rules(counted, rules, lim)
            single = len(parts) == 1
            ident = lim["id"] if single else (p["id"] or f"{lim['id']}-{p['sequence']}")
            notes = ([] if counted is not None else [_missing(p)]) + ([p["kind_note"]] if p.get("kind_note") else [])
            label = lim["label"] if single else f"{lim['label']}: {p['label'] or p['text']}"
            rule = lim["text"] if single else f"{p['label'] or lim['label']}: {p['text']}" + \
                (" [" + "; ".join(s["citation"] for s in p["sources"]) + "]" if p["sources"] else "")
            rows.append(_row(route, lim, ident, label, counted, p, events, notes, rule,
                             lim["sources"] if single else p["sources"]))
        return rows
    if lim["combination"] == "latest-anchor":
        return [_latest_anchor_row(route, lim, events, closures)]
    # alternatives combined: whichever is later (or earlier)
    computed = [(p, _part(p, events, closures, lim["rules"])) for p in parts]
    have = [(p, c) for p, c in computed if c is not None and (c.date or c.earliest) is not None]
    waiting = [p for p, c in computed if c is None]
    notes = []
    if not have:
        notes.append("; ".join(_missing(p) for p in waiting))
        return [_row(route, lim, lim["id"], lim["label"], None, None, events, notes, lim["text"], lim["sources"])]
    pick = max if lim["combination"] == "later-of" else min
    part, counted = pick(have, key=lambda pc: pc[1].date or pc[1].earliest)
    steps = []
    for p, c in have:
        steps.extend(c.steps)
    if len(have) > 1:
        steps.append(f"{lim['combination_label']}: {dates.fmt(counted.date or counted.earliest)}")
    result = dates.Counted(counted.date, steps, [n for _, c in have for n in c.notes], counted.earliest,
                           counted.latest)
    result = _apply_rules(result, lim["rules"], lim)
    for p in waiting:
        notes.append(f"once {p['anchor_label']} is known (--event {p['anchor']}=YYYY-MM-DD), the deadline is "
                     f"{p['text']} if that is {'later' if lim['combination'] == 'later-of' else 'earlier'}")
    return [_row(route, lim, lim["id"], lim["label"], result, part, events, notes, lim["text"], lim["sources"])]


def _latest_anchor_row(route, lim, events, closures) -> dict:
    """The same period from alternative anchors (the plan made, then its last review): the part whose
    anchor happened last applies."""
    known = [p for p in lim["parts"] if p["anchor"] in events]
    if not known:
        note = "runs from " + ", or once it has happened from ".join(p["anchor_label"] for p in lim["parts"]) + \
            ": give " + " or ".join(f"--event {p['anchor']}=YYYY-MM-DD" for p in lim["parts"])
        return _row(route, lim, lim["id"], lim["label"], None, None, events, [note], lim["text"], lim["sources"])
    part = max(known, key=lambda p: (events[p["anchor"]], p["sequence"]))
    counted = _apply_rules(_part(part, events, closures, lim["rules"]), lim["rules"], lim)
    others = [p for p in known if p is not part]
    if others:
        counted.steps.insert(0, f"{part['anchor_label']} ({dates.fmt(events[part['anchor']])}) is the latest of "
                                f"these events, so the period runs from it")
    later = [p for p in lim["parts"] if p["sequence"] > part["sequence"] and p["anchor"] not in events]
    notes = [f"once {p['anchor_label']} has happened, the period runs from it instead (--event {p['anchor']}=YYYY-MM-DD)"
             for p in later]
    return _row(route, lim, lim["id"], lim["label"], counted, part, events, notes, lim["text"], lim["sources"])


def _anchor_day(lim: dict, events: dict[str, date]) -> date | None:
    known = [events[p["anchor"]] for p in lim["parts"] if p["anchor"] in events]
    return min(known) if known else None


def _limits_as_of(model, decision_id, events, conditions, as_of):
    """The routes and time limits, each limit as the law stood on its day (see ``deadlines``)."""
    base = as_of or (min(events.values()) if events else model.as_of)
    with model.at(base):
        answer, limits = _limits_for(model, decision_id, conditions)
    chosen = {(r, lim["id"]): (r, lim, base) for r, lim in limits}
    if as_of is None:
        for day in sorted(set(events.values()) - {base}):
            try:
                with model.at(day):
                    _, on_day = _limits_for(model, decision_id, conditions)
            except SendkgError:  # e.g. a condition not yet in force that day
                on_day = []
            for r, lim in on_day:
                if _anchor_day(lim, events) == day:
                    chosen[(r, lim["id"])] = (r, lim, day)
        # a limit whose anchor event has a date is the version in force that day, or none
        chosen = {k: v for k, v in chosen.items() if _anchor_day(v[1], events) in (None, v[2])}
    return answer, [(r, {**lim, "law_as_of": day.isoformat()}) for r, lim, day in chosen.values()], base


def _across_changes(model, decision_id, conditions, closures, events, route, lim, row, changes) -> dict:
    """A period across a change in the law that counts it (a version of the limit, or of one of its
    date rules, begins or ends inside the period): each version in force while it ran gives a
    reading; the earliest, safe one is shown with a caution naming the others (law/audit-2026-12.md
    row 3a: a rule change normally governs what is still to be done, unless a transitional provision
    says otherwise, and those provisions were not read)."""
    end = row["date"] or row.get("earliest")
    if row["anchor"] not in events or end is None:
        return row
    start, end = events[row["anchor"]], date.fromisoformat(end)
    ids = {lim["id"], *(p["id"] for p in lim["parts"] if p["id"])}
    days = sorted({d for i, d in changes if (i in ids or i == "") and start < d <= end})
    readings = [row]
    for day in days:
        try:
            with model.at(day):
                _, on_day = _limits_for(model, decision_id, conditions)
        except SendkgError:  # e.g. a condition not in force that day: no reading from it
            continue
        for other_route, other in on_day:
            if other_route != route or other["id"] != lim["id"]:
                continue
            for r in deadline_rows(other_route, other, events, closures):
                if r["id"] == row["id"] and (r["date"] or r.get("earliest")):
                    readings.append({**r, "law_as_of": day.isoformat()})
    if len({(r["date"], r.get("earliest"), r.get("latest")) for r in readings}) == 1:
        return row

    def last(r):
        return r["date"] or r["earliest"]

    def said(r):
        return (dates.fmt(date.fromisoformat(r["date"])) if r["date"] else
                f"between {dates.fmt(date.fromisoformat(r['earliest']))} and {dates.fmt(date.fromisoformat(r['latest']))}")

    safe = min(readings, key=lambda r: (last(r), r["law_as_of"]))
    changed = ", ".join(dates.fmt(d) for d in days)
    note = (f"caution: the law that counts this period changed on {changed}, while it ran: "
            + "; ".join(f"with the law as it stood on {dates.fmt(date.fromisoformat(r['law_as_of']))} the last day is "
                        f"{said(r)}" for r in sorted(readings, key=lambda r: r["law_as_of"]))
            + "; whether the change reaches a period already running depends on transitional provisions "
              "that were not read, so the earlier date is shown")
    out = {**safe, "working": list(safe["working"]), "sources": list(safe["sources"])}
    for r in readings:
        for src in r["sources"]:
            if src not in out["sources"]:
                out["sources"].append(src)
    out["note"] = "; ".join(filter(None, [out["note"], note]))
    out["other_readings"] = [{k: r[k] for k in ("date", "earliest", "latest", "law_as_of") if r.get(k)}
                             for r in readings if r is not safe]
    return out


def _change_days(model) -> list[tuple[str, date]]:
    return [(r["id"], date.fromisoformat(r["day"])) for r in model.select("limit-change-days")]


def _explain_later_anchors(rows, events, counted, chosen, later, scope_notes) -> None:
    """Say from which of an anchor's later events the period ran, and what a later one would do."""
    for row in rows:
        anchor = row["anchor"]
        if anchor not in later:
            continue
        names = [anchor, *(n for n, _ in later[anchor])]
        given = [n for n in names if n in events]
        if row["anchor_date"] and (len(given) > 1 or chosen.get(anchor) != anchor):
            name = chosen[anchor]
            row["working"].insert(0, "the latest of the days given (" + ", ".join(f"{n}={events[n].isoformat()}" for n in given)
                                  + f") is {name}, {dates.fmt(counted[anchor])}: the period runs from it")
            if scope_notes.get(name):
                row["note"] = "; ".join(filter(None, [row["note"], scope_notes[name]]))
        if row["anchor_date"] and (row["date"] or row.get("earliest")):
            waiting = [(n, lbl) for n, lbl in later[anchor] if n not in events]
            if waiting:
                row["note"] = "; ".join(filter(None, [row["note"], "the period runs instead from the later day of " + " or ".join(
                    f"{lbl} (--event {n}=YYYY-MM-DD)" for n, lbl in waiting) + ", if that happens"]))


def deadlines(model, decision_id: str, events: dict[str, date], conditions=(), closures=None,
              as_of: date | None = None, unused_ok=()) -> dict:
    """Every time limit that applies to the decision, as dates where its anchor is known.

    The law is that in force on ``as_of`` when it is given; otherwise each time limit is the
    version in force on the date of its own anchor event (the routes: on the earliest event date),
    and a limit whose anchor has no date yet is the law in force on the earliest event date. A
    period across a change in the law that counts it gives the earlier of the readings, with a
    caution. An anchor with later anchors (skg:laterAnchor) counts from the latest of them given.
    """
    dates.use_calendar(model.calendar())
    for name, d in events.items():
        dates.check_range(d, f"the {name} date")
        model.check_day(d, f"the {name} date", future=False)
    for a, b in closures or []:
        dates.check_range(a, "school closure start")
        dates.check_range(b, "school closure end")
    later = _later_anchors(model)
    counted, chosen = _with_later_anchors(events, later)
    # routes, conditions and parties judged by the day of the decision (skg:DecisionDay) are chosen by
    # the date of the decision's own event, where it is given (audit 2026-12 row 11)
    decision = model.decision(decision_id)
    with model.decided(events.get(decision["decision_event"]) if decision["decision_event"] else None):
        answer, limits, base = _limits_as_of(model, decision_id, counted, conditions, as_of)
    with model.at(base):  # warnings about the limits as a whole, as the law stood on the answer's day
        cautions = caveats(model, decision_id, answer["conditions"])
    scope_notes = check_events(model, decision_id, events, limits, cautions, unused_ok)
    changes = _change_days(model) if as_of is None else []
    rows, pairs = [], []
    for route, lim in limits:
        for p in lim["parts"]:
            if p["anchor"] in later:
                p["later_anchors"] = later[p["anchor"]]
        for row in deadline_rows(route, lim, counted, closures):
            row["law_as_of"] = lim["law_as_of"]
            if changes:
                row = _across_changes(model, decision_id, conditions, closures, counted, route, lim, row, changes)
            rows.append(row)
            pairs.append((row, lim))
    _explain_later_anchors(rows, events, counted, chosen, later, scope_notes)
    for row in rows:  # e.g. "counted from the day notice was sent, not the date on the letter"
        if row["date"] and row["anchor"] in scope_notes:
            row["note"] = "; ".join(filter(None, [row["note"], scope_notes[row["anchor"]]]))
    from sendkg.eras import mark_rows

    mark_rows(model, pairs)  # a temporary modification of the limits (the coronavirus period of 2020)
    result = {"decision": answer["decision"], "conditions": answer["conditions"],
              **model.as_of_info(base), "as_of_rule": "fixed" if as_of else "anchor",
              "events": {k: v.isoformat() for k, v in sorted(events.items())}, "deadlines": rows}
    if cautions:  # only where the decision has caveats that apply, so other answers keep their shape
        result["cautions"] = [{k: c[k] for k in ("id", "text", "sources")} for c in cautions]
    notices = _notices(model, decision["iri"], base, rows)
    if notices:
        result["notices"] = notices
    return result


def _notices(model, decision_iri: str, base: date, rows: list[dict]) -> list[dict]:
    """The notices in force on the answer's day or on any day a deadline falls (skg:Notice)."""
    days = {base} | {date.fromisoformat(r[k]) for r in rows for k in ("date", "earliest") if r.get(k)}
    out: dict[str, dict] = {}
    for day in sorted(days):
        try:
            model.check_day(day, future=False)
        except SendkgError:
            continue
        with model.at(day):
            for n in model.notices(decision_iri):
                out.setdefault(n["id"], n)
    return list(out.values())
