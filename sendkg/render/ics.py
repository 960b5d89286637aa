"""An iCalendar (RFC 5545) file of deadlines, one all-day event each with reminders, for a person to
import into a calendar. Written with the maintained ``icalendar`` library (folding, escaping and
line endings are its job, not ours)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sendkg.errors import SendkgError

# Reminders before each last day (VALARM): a week ahead, to prepare, and the day before.
REMINDERS = [(timedelta(days=7), "in a week"), (timedelta(days=1), "tomorrow")]


def deadlines(result: dict, now: datetime | None = None) -> str:
    """The dated deadlines of a ``sendkg deadlines`` answer as an iCalendar file (text with CRLF line
    ends). A calendar with no dated deadline is an error: an empty file would look like no deadline."""
    from icalendar import Alarm, Calendar, Event

    d = result["decision"]
    # where the law leaves the last day uncertain, the calendar shows the earliest reading
    dated = [row for row in result["deadlines"] if row["date"] or row.get("earliest")]
    if not dated:
        raise SendkgError(f"no deadline of '{d['id']}' has a date yet, so there is nothing to put in a calendar "
                          "(no file written): give the date each runs from, e.g. --decision-date YYYY-MM-DD "
                          f"('sendkg deadlines {d['id']}' shows what each needs)")
    stamp = now or datetime.now(timezone.utc)
    cal = Calendar()
    cal.add("prodid", "-//sendkg//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Deadlines: {d['label']}")
    for row in dated:
        day = date.fromisoformat(row["date"] or row["earliest"])
        minimum = row.get("kind") == "minimum"
        what = ("Period ends: " if minimum else "Last day: " if row["date"] else
                "Unsettled, earliest reading of the last day: ") + row["label"]
        cites = "; ".join(s["citation"] for s in row["sources"])
        desc = "\n".join([row["rule"], *row["working"]] + ([f"Note: {row['note']}"] if row["note"] else [])
                         + ([f"Legal basis: {cites}"] if cites else [])
                         + ([f"The law as in force on {row['law_as_of']}"] if row.get("law_as_of") else [])
                         + [f"Caution: {c['text']}" for c in result.get("cautions", [])])
        ev = Event()
        ev.add("uid", f"{d['id']}-{row['id']}-{day.isoformat()}@sendkg")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        ev.add("summary", what)
        ev.add("description", desc)
        ev.add("transp", "TRANSPARENT")
        for before, words in REMINDERS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{what} ({words})")
            alarm.add("trigger", -before)
            ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")
