"""Commands about the law: decisions, conditions, routes, deadlines, show."""

from __future__ import annotations

import click

from sendkg.errors import SendkgError

from sendkg.commands.output import emit, emit_csv, emit_json


def parse_events(decision_date, certificate_date, event_args) -> dict:
    events, given = {}, {}

    def put(name, value, option):  # one date per event: a second, different one is refused (issue 12)
        from sendkg.deadlines import parse_date  # only when a date is given (issue 21: start-up)

        day = parse_date(value, option)
        if name in events and events[name] != day:
            raise SendkgError(f"{option} and {given[name]} give two dates for the event '{name}' "
                              f"({day} and {events[name]}); give one")
        events[name], given[name] = day, option

    if decision_date is not None:  # an empty --decision-date '' is an error, not ignored
        put("decision", decision_date.strip(), "--decision-date")
    if certificate_date is not None:
        put("certificate", certificate_date.strip(), "--certificate-date")
    for item in event_args:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise SendkgError(f"--event '{item}' should be NAME=YYYY-MM-DD, e.g. --event request=2026-01-05")
        put(name.strip(), value.strip(), f"--event {name.strip()}")
    return events


def as_of_option(help_text: str):
    return click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help=help_text)


AS_OF_HELP = "Answer with the law in force on this day (default: today)."


def set_as_of(obj, text: str | None):
    """Parse and check --as-of, and make the model answer as of that day; return the day (or None)."""
    if not text:
        return None
    from sendkg.deadlines import parse_date

    day = obj.model.check_day(parse_date(text, "--as-of"))
    obj.model.as_of = day
    return day


def event_options(f):
    f = click.option("--event", "event_args", multiple=True, metavar="NAME=YYYY-MM-DD",
                     help="The date of another event a time limit runs from (repeatable).")(f)
    f = click.option("--certificate-date", metavar="YYYY-MM-DD",
                     help="The date of issue of the mediation certificate (same as --event certificate=...).")(f)
    f = click.option("--decision-date", metavar="YYYY-MM-DD",
                     help="The day written notice of the decision was SENT (not the date printed on the letter, "
                          "if it was posted later).")(f)
    return f


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_obj
def decisions(obj, fmt):
    """List the decision types, and whether each can be appealed to the Tribunal."""
    rows = obj.model.decisions()
    cols = ["id", "label", "appealable"]
    if fmt == "json":
        emit_json([{k: r[k] for k in ("id", "label", "appealable", "comment")} for r in rows])
    elif fmt == "csv":
        emit_csv(cols, rows)
    else:
        from sendkg.render.table import grid

        click.echo(grid(cols, [{**r, "appealable": "yes" if r["appealable"] else "no"} for r in rows]))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def conditions(obj, fmt):
    """List the conditions that change which routes apply (for --condition)."""
    conds = list(obj.model.conditions().values())
    if fmt == "json":
        emit_json(conds)
        return
    from sendkg.render.table import grid

    click.echo(grid(["id", "label", "decisions", "lifts", "adds"],
                    [{**c, **{k: ", ".join(c[k]) for k in ("decisions", "lifts", "adds")}} for c in conds]))


@click.command()
@click.argument("decision")
@click.option("--condition", "conds", multiple=True, metavar="ID",
              help="A condition that holds in this case (repeatable; 'sendkg conditions' lists them).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "mermaid", "dot"]), default="table",
              show_default=True)
@event_options
@click.option("--today", metavar="YYYY-MM-DD",
              help="With event dates: count days left from this day instead of the computer's date.")
@as_of_option(AS_OF_HELP)
@click.pass_obj
def routes(obj, decision, conds, fmt, decision_date, certificate_date, event_args, today, as_of):
    """Which routes apply to DECISION, in what order, with parties, time limits and sources.

    With --decision-date (and other event dates) each route also shows its deadlines and the days left.
    The date of the decision's own event (--decision-date, or for an exclusion --event exclusion=...)
    also chooses what applies by the day of the decision rather than the day asked about (e.g. the
    cancellation of exclusions, for exclusions from 1 September 2023); without it the answer names them.
    """
    day = set_as_of(obj, as_of)
    events = parse_events(decision_date, certificate_date, event_args)
    # the day of the decision (its own event, skg:decisionEvent) chooses what applies by that day
    event = obj.model.decision(decision)["decision_event"]
    if event in events:
        obj.model.check_day(events[event], f"the {event} date", future=False)
        if day and events[event] > day:
            raise SendkgError(f"the {event} date {events[event].isoformat()} is after --as-of {day.isoformat()}; "
                              "give an --as-of on or after the day of the decision")
    with obj.model.decided(events.get(event)):
        answer = obj.model.routes(decision, conds)
    if events:
        from sendkg.deadlines import deadlines as compute, parse_date
        from sendkg.when import with_today

        result = with_today(compute(obj.model, decision, events, conds, as_of=day or obj.model.as_of,
                                    unused_ok=(event,) if event else ()),
                            parse_date(today, "--today") if today else None)
        for r in answer["routes"]:
            r["deadlines"] = [{k: d[k] for k in ("id", "kind", "label", "date", "days_left", "note", "earliest", "latest") if k in d}
                              for d in result["deadlines"] if d["route"] == r["id"]]
        answer["events"] = result["events"]
        answer["today"] = result["today"]
    if fmt == "json":
        emit_json(answer)
    else:
        import importlib

        click.echo(importlib.import_module(f"sendkg.render.{fmt}").routes(answer))


@click.command()
@click.argument("decision")
@event_options
@click.option("--condition", "conds", multiple=True, metavar="ID", help="A condition that holds (repeatable).")
@click.option("--school-closed", "closures", multiple=True, metavar="FROM..TO",
              help="A school holiday or closure, for limits in school days (repeatable; give all of them).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "ics"]), default="table", show_default=True)
@click.option("--today", metavar="YYYY-MM-DD",
              help="Count days left from this day instead of the computer's date (for reproducible output).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of printing.")
@as_of_option("Use the law in force on this day for every time limit (default: each limit as the law stood on "
              "the date of its anchor event).")
@click.pass_obj
def deadlines(obj, decision, decision_date, certificate_date, event_args, conds, closures, fmt, today, output, as_of):
    """Every time limit that applies to DECISION, as a date, with the rule, its legal source and the
    days left from today (or passed)."""
    result = deadlines_answer(obj.model, decision, decision_date, certificate_date, event_args, conds, closures,
                              today, as_of)
    if fmt == "json":
        import json

        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "ics":
        from sendkg.render.ics import deadlines as render

        text = render(result)
    else:
        from sendkg.render.table import deadlines as render

        text = render(result) + "\n"
    emit(text, output)


def deadlines_answer(model, decision, decision_date=None, certificate_date=None, event_args=(), conds=(),
                     closures=(), today=None, as_of=None) -> dict:
    """The answer of ``sendkg deadlines`` (its JSON) from the command's option values as text; the
    explorer's calculator asks this too, so both give the same dates."""
    from types import SimpleNamespace

    from sendkg.deadlines import deadlines as compute, parse_closure, parse_date
    from sendkg.when import with_today

    day = set_as_of(SimpleNamespace(model=model), as_of)
    events = parse_events(decision_date, certificate_date, event_args)
    school = [parse_closure(c) for c in closures] if closures else None
    result = compute(model, decision, events, conds, school, as_of=day)
    return with_today(result, parse_date(today, "--today") if today else None)


@click.command()
@click.argument("route")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@as_of_option(AS_OF_HELP)
@click.pass_obj
def show(obj, route, fmt, as_of):
    """One route in detail: parties, time limits, decisions, order and legal basis."""
    set_as_of(obj, as_of)
    detail = obj.model.route(route)
    if fmt == "json":
        emit_json(detail)
    else:
        from sendkg.render.table import route as render

        click.echo(render(detail))


def _relied(c: dict) -> str:
    return ", ".join(f"{n['kind']}:{n['id']}" + (" (in force)" if n["about"] == "in-force" else "")
                     for n in c["relied_on_by"])


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--status", "statuses", multiple=True, metavar="STATUS",
              type=click.Choice(["verified", "secondary", "seeds", "unverified", "none"]),
              help="Only sources with this verification status (repeatable).")
@click.pass_obj
def sources(obj, fmt, statuses):
    """Every legal source the model cites: its IRI, verification status and what relies on it."""
    rows = obj.model.cited_sources()
    if statuses:
        rows = [c for c in rows if c["status"] in statuses]
    if fmt == "json":
        emit_json([{k: c[k] for k in ("citation", "document", "iri", "status")} |
                   {"relied_on_by": [{k: n[k] for k in ("kind", "id", "iri", "about")} for n in c["relied_on_by"]]}
                   for c in rows])
        return
    flat = [{"citation": c["citation"], "status": c["status"], "used": len(c["relied_on_by"]),
             "relied on by": _relied(c), "iri": c["iri"] or "", "document": c["document"] or ""} for c in rows]
    if fmt == "csv":
        emit_csv(["citation", "status", "used", "relied on by", "iri", "document"], flat)
        return
    from collections import Counter

    from sendkg.render.table import grid

    click.echo(grid(["citation", "status", "used", "relied on by", "iri"], flat))
    counts = Counter(c["status"] for c in rows)
    click.echo("status: " + ", ".join(f"{counts[s]} {s}" for s in ("verified", "secondary", "seeds", "unverified", "none")
                                     if counts[s]) + f"; {sum(not c['relied_on_by'] for c in rows)} cited by nothing")


COMMANDS = [decisions, conditions, routes, deadlines, show, sources]
