"""An iCalendar (RFC 5545) file of deadlines, one all-day event each, for a person to import."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out, current = [], ""
    for ch in line:
        limit = 75 if not out else 74
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = ch
        else:
            current += ch
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def deadlines(result: dict, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    d = result["decision"]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sendkg//deadlines//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape('Deadlines: ' + d['label'])}"]
    for row in result["deadlines"]:
        if not row["date"]:
            continue
        day = date.fromisoformat(row["date"])
        cites = "; ".join(s["citation"] for s in row["sources"])
        desc = row["rule"] + ("\n" + "\n".join(row["working"]) if row["working"] else "") + \
            (f"\nNote: {row['note']}" if row["note"] else "") + (f"\nLegal basis: {cites}" if cites else "") + \
            (f"\nThe law as in force on {row['law_as_of']}" if row.get("law_as_of") else "")
        lines += ["BEGIN:VEVENT",
                  f"UID:{d['id']}-{row['id']}-{row['date']}@sendkg",
                  f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
                  f"SUMMARY:{_escape('Last day: ' + row['label'])}",
                  f"DESCRIPTION:{_escape(desc)}",
                  "TRANSP:TRANSPARENT",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
