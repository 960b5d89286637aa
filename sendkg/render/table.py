"""Plain-text renderings a person reads in a terminal."""

from __future__ import annotations

WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    # A text that fits on its line as it is, textwrap would give back unchanged: textwrap (its import
    # compiles its patterns) only for what needs wrapping (issue 21 item 5; tests/test_cli_startup.py)
    if text and len(indent) + len(text) <= WIDTH and text.isprintable() and text == text.strip():
        return indent + text
    import textwrap

    return textwrap.fill(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _cites(sources: list[dict]) -> str:
    return "; ".join(s["citation"] for s in sources) or "none recorded"


def grid(columns: list[str], rows: list[dict]) -> str:
    """A simple aligned table of rows (dicts) under the given columns."""
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    widths = [min(w, 60) for w in widths]
    fmt = "  ".join("{:<%d}" % w for w in widths)
    lines = [fmt.format(*columns).rstrip(), fmt.format(*("-" * w for w in widths)).rstrip()]
    for row in cells:
        lines.append(fmt.format(*(v if len(v) <= 60 else v[:57] + "..." for v in row)).rstrip())
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def as_of_line(answer: dict, rule: str = "the law in force that day") -> str:
    """The line that says which day an answer is about."""
    line = f"As of {answer['as_of']}: {rule}"
    if answer.get("beyond_knowledge"):
        line += f", as far as the model knows (it knows the law up to {answer['knowledge_date']})"
    return line


def routes(answer: dict) -> str:
    d = answer["decision"]
    out = [f"{d['label']} [{d['id']}]", as_of_line(answer), _wrap("Legal basis: " + _cites(d["sources"]), "")]
    if answer.get("conditions"):
        out.append("Conditions: " + ", ".join(answer["conditions"]))
    out.extend(_notices(answer))
    labels = {r["id"]: r["label"] for r in answer["routes"]}
    any_stage = [r for r in answer["routes"] if r["any_stage"]]
    planned = [r for r in answer["routes"] if not r["any_stage"]]
    step = None
    for r in planned:
        if r["step"] != step:
            step = r["step"]
            out.append(f"\nStep {step}")
        flag = "required before: " + ", ".join(
            x["id"] for x in answer["routes"] if r["id"] in x["after"]) if r["required"] else "optional"
        out.append(f"  {r['label']} [{r['id']}] ({flag})")
        if r["after"]:
            out.append(_wrap("After: " + ", ".join(labels[a] for a in r["after"]), "    "))
        if r["usually_after"]:
            out.append(_wrap("Usually after: " + ", ".join(labels[a] for a in r["usually_after"]), "    "))
        partners = [a for a in r["alongside"] if not next(x for x in answer["routes"] if x["id"] == a)["any_stage"]]
        if partners:
            out.append(_wrap("Alongside: " + ", ".join(labels[a] for a in partners), "    "))
        out.append(_wrap("Parties: " + ", ".join(r["party_labels"]), "    "))
        for t, detail in zip(r["time_limits"], r.get("time_limit_details") or [{}] * len(r["time_limits"])):
            out.append(_wrap("Time limit: " + t, "    "))
            if detail.get("caution"):
                out.append(_wrap("Note: " + detail["caution"], "      "))
            for e in detail.get("exceptions", []):
                from sendkg.eras import note_for

                out.append(_wrap("Note: " + note_for(e), "      "))
        for dl in r.get("deadlines", []):
            from sendkg.when import in_words

            when = _when(dl)
            relative = in_words(dl.get("days_left"), dl.get("kind", "deadline"))
            out.append(_wrap(f"Deadline: {when}: {dl['label']}" + (f" ({relative})" if relative else "")
                             + (f" ({dl['note']})" if dl["note"] and not dl["date"] else ""), "    "))
        out.append(_wrap("Legal basis: " + _cites(r["sources"]), "    "))
    if any_stage:
        out.append("\nAt any stage, alongside every step")
        for r in any_stage:
            out.append(f"  {r['label']} [{r['id']}]")
            out.append(_wrap("Parties: " + ", ".join(r["party_labels"]), "    "))
            out.append(_wrap("Legal basis: " + _cites(r["sources"]), "    "))
    return "\n".join(out)


def route(detail: dict) -> str:
    out = [f"{detail['label']} [{detail['id']}]", as_of_line(detail), _wrap(detail["comment"] or "", "")]
    if detail["any_stage"]:
        out.append("Available at any stage, alongside every other route.")
    out.append(_wrap("Parties: " + ", ".join(p["label"] for p in detail["parties"]), ""))
    for t in detail["time_limits"]:
        out.append(_wrap("Time limit: " + t["text"], ""))
        if t.get("caution"):
            out.append(_wrap("Note: " + t["caution"], "  "))
    if detail["after"]:
        out.append("Must come after: " + ", ".join(detail["after"]))
    if detail["comes_before"]:
        out.append("Comes before: " + ", ".join(detail["comes_before"]))
    out.append(_wrap("For decisions: " + ", ".join(
        d["id"] + (f" (only if {d['only_if']})" if d["only_if"] else "") for d in detail["decisions"]), ""))
    out.append("Legal basis:")
    for s in detail["sources"]:
        out.append(f"  {s['citation']} ({s['status']}) {s['iri'] or ''}".rstrip())
    return "\n".join(out)


def deadlines(result: dict) -> str:
    d = result["decision"]
    out = [f"Deadlines: {d['label']} [{d['id']}]"]
    out.append(as_of_line(result) if result.get("as_of_rule") == "fixed" else
               as_of_line(result, "each time limit as the law stood on the date of its anchor event"
                          + (" (" + ", ".join(sorted({r["law_as_of"] for r in result["deadlines"]})) + ")"
                             if len({r["law_as_of"] for r in result["deadlines"]}) > 1 else "")))
    if result["events"]:
        out.append("Events: " + ", ".join(f"{k}={v}" for k, v in result["events"].items()))
    if result.get("conditions"):
        out.append("Conditions: " + ", ".join(result["conditions"]))
    if result.get("today"):
        out.append("Today: " + _date(result["today"]).replace("  ", " "))
    for c in result.get("cautions", []):  # about the limits as a whole (skg:Caveat)
        cites = "; ".join(x["citation"] for x in c["sources"])
        out.append(_wrap("Caution: " + c["text"] + (f" [{cites}]" if cites else ""), "    "))
    out.extend(_notices(result))
    for row in result["deadlines"]:
        from sendkg.when import in_words

        when = _when(row)
        actor = row.get("actor") or "local authority"
        where = (f" ({row['route']})" if row["route"] else
                 (f" (a minimum the {row['allowed_by']} must allow the {actor})" if row.get("allowed_by") else
                  " (a minimum that must be allowed to run)") if row.get("kind") == "minimum" else
                 " (the local authority's own limit)" if actor == "local authority" else
                 f" (to be done by: {actor})")
        relative = in_words(row.get("days_left"), row.get("kind", "deadline"))
        if any(e["judged"] == "falls-in" for e in row.get("exceptions", [])):
            where += " [may be displaced: " + ", ".join(e["label"] for e in row["exceptions"]) + "]"
        out.append(f"\n{when}  {row['label']}{where}" + (f": {relative}" if relative else ""))
        out.append(_wrap("Rule: " + row["rule"], "    "))
        for step in row["working"]:
            out.append(_wrap("- " + step, "    "))
        if row["note"]:
            out.append(_wrap("Note: " + row["note"], "    "))
    return "\n".join(out)


def _notices(answer: dict) -> list[str]:
    """The law of the period the answer is about that is not a route or a time limit (skg:Notice), and
    which parts of the answer the day of the decision decides (skg:DecisionDay)."""
    out = [_wrap(f"Notice: {n['label']}: {n['text']} [" + "; ".join(s["citation"] for s in n["sources"]) + "]", "")
           for n in answer.get("notices", [])]
    dd = answer.get("decision_day")
    if dd:
        parts = ", ".join(f"{e['kind']} {e['id']} ({'from ' + e['from'] if e['from'] else ''}"
                          f"{' until ' + e['until'] if e['until'] else ''}; {'; '.join(e['sources'])})".replace("( ", "(")
                          for e in dd["depends"])
        if dd["day"]:
            out.append(_wrap(f"Chosen by the day of the decision ({dd['event']}={dd['day']}), not the day asked about: "
                             + parts, ""))
        else:
            give = f"give --event {dd['event']}=YYYY-MM-DD" if dd["event"] else "the decision has no event for its day"
            out.append(_wrap("Depends on the day of the decision (not given): these apply only to decisions made on "
                             f"or after their first day, and are shown as of {answer['as_of']}: " + parts + f"; {give}",
                             ""))
    return out


def _when(row: dict) -> str:
    """The last day, or the range the law leaves it in, or that it is not yet known."""
    if row["date"]:
        return _date(row["date"])
    if row.get("earliest"):
        return f"between {_date(row['earliest'], pad=False)} and {_date(row['latest'], pad=False)} (unsettled)"
    return "not yet known"


def _date(iso: str, pad: bool = True) -> str:
    from datetime import date

    day = date.fromisoformat(iso)
    return f"{day.strftime('%a')} {day.day:>{2 if pad else 1}} {day.strftime('%b %Y')}"
