"""Counting legal time, with the rules written out (as Catala does): no date arithmetic by accident.

- Months are calendar months. A period of N months *after* (or *from*, or *within N months of*) a
  day ends on the corresponding date N months later; where that month has no such day (31 January
  + 1 month), on its last day (Dodds v Walker [1981]).
- A period *starting with* a day counts that day as the first, so it ends one day earlier. Where the
  corresponding date does not exist the law is unsettled (law/facts.md 6.5): the earlier reading is
  used and the other is given in a note.
- Weeks are 7 calendar days; days are calendar days.
- Working days exclude Saturdays, Sundays and the days of the model's holiday calendar (for England,
  ``ontology/england/bank-holidays.ttl``: bank holidays with substitute and one-off days, Christmas
  Day and Good Friday). Dates outside the years the calendar covers are refused, not guessed.
- School days need the school's closures; without them a date is not computed.
- Date rules (the Tribunal's next-working-day rule, its Christmas and August rule, and its rule that
  Christmas and August days are not counted) are applied where the model attaches them.

Nothing here knows any time limit: the lengths, units, anchors and rules come from the graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sendkg.errors import SendkgError

ONE_DAY = timedelta(days=1)


class DateOutOfRange(SendkgError):
    """A date outside the years whose bank holidays are known."""


@dataclass(frozen=True)
class Calendar:
    """The days (besides weekends) that are not working days, for the years first..last."""

    holidays: frozenset[date]
    first_year: int
    last_year: int


_calendar: Calendar | None = None


def use_calendar(cal: Calendar) -> None:
    """Count working days with this calendar (the model's, read by :meth:`Model.calendar`)."""
    global _calendar
    _calendar = cal


def calendar() -> Calendar:
    """The calendar in use; by default the one in the packaged model."""
    global _calendar
    if _calendar is None:
        from sendkg.model import Model

        _calendar = Model().calendar()
    return _calendar


def fmt(d: date | None) -> str:
    return "-" if d is None else f"{d.strftime('%a')} {d.day} {d.strftime('%b %Y')}"


def bank_holidays() -> frozenset[date]:
    return calendar().holidays


def check_range(d: date, what: str = "date") -> None:
    cal = calendar()
    if not cal.first_year <= d.year <= cal.last_year:
        raise DateOutOfRange(f"{what} {d.isoformat()} is outside {cal.first_year}-{cal.last_year}, the years whose "
                             "bank holidays sendkg knows; give a date within them (or add a year to the holiday "
                             "calendar in the model)")


def is_working_day(d: date) -> bool:
    check_range(d)
    return d.weekday() < 5 and d not in calendar().holidays


def next_working_day(d: date) -> date:
    while not is_working_day(d):
        d += ONE_DAY
    return d


def in_christmas_or_august(d: date) -> bool:
    return d.month == 8 or (d.month == 12 and d.day >= 25) or (d.month == 1 and d.day == 1)


def after_christmas_or_august(d: date) -> date:
    """The first working day after 31 August (for a day in August) or after 1 January (25 Dec-1 Jan)."""
    if d.month == 8:
        return next_working_day(date(d.year, 9, 1))
    return next_working_day(date(d.year + (1 if d.month == 12 else 0), 1, 2))


def add_months(d: date, months: int) -> tuple[date, bool]:
    """The corresponding date ``months`` later, and whether it had to be clipped to a month end."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - ONE_DAY).day  # days in that month
    return date(year, month, min(d.day, last)), d.day > last


@dataclass
class Counted:
    """A computed last day and how it was reached, step by step."""

    date: date | None
    steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def count(anchor: date, n: int, unit: str, mode: str, *, not_counted: bool = False,
          school_closures: list[tuple[date, date]] | None = None) -> Counted:
    """The last day of a period of ``n`` ``unit``s counted from ``anchor`` in ``mode``.

    unit: month, year, week, day, working-day, school-day.
    mode: after, from, within (the anchor day is not counted) or starting-with (it is the first day).
    not_counted: leave 25 December to 1 January and August days out of a count of days (HESC r.12(3)(b)).
    """
    check_range(anchor, "anchor date")
    starting = mode == "starting-with"
    out = Counted(None)
    if unit in ("month", "year"):
        months = n * 12 if unit == "year" else n
        end, clipped = add_months(anchor, months)
        word = f"{n} {unit}{'s' if n != 1 else ''}"
        if clipped:
            out.steps.append(f"{fmt(anchor)} + {word}: no corresponding date, so the last day of the month, {fmt(end)}")
        else:
            out.steps.append(f"{fmt(anchor)} + {word} = {fmt(end)} (the corresponding date)")
        if starting:
            earlier = end - ONE_DAY
            out.steps.append(f"starting with {fmt(anchor)}, the period ends the day before: {fmt(earlier)}")
            if clipped:
                out.notes.append(f"ambiguous: with no corresponding date, another reading ends the period on "
                                 f"{fmt(end)}; the earlier date is shown")
            end = earlier
        if not_counted:
            out.notes.append("Christmas and August days are left out of counts of days; this period is in months")
        out.date = end
    elif unit in ("week", "day") and not not_counted:
        days = n * 7 if unit == "week" else n
        end = anchor + timedelta(days=days - (1 if starting else 0))
        out.steps.append(f"{fmt(anchor)} + {n} {unit}{'s' if n != 1 else ''}"
                         f"{' counting that day as the first' if starting else ''} = {fmt(end)}")
        out.date = end
    elif unit in ("day", "week", "working-day", "school-day"):
        if unit == "school-day" and school_closures is None:
            out.notes.append("cannot be computed without the school's term dates (give --school-closed "
                             "FROM..TO for each holiday and closure)")
            return out
        days = n * 7 if unit == "week" else n

        def counts(d: date) -> bool:
            if not_counted and in_christmas_or_august(d):
                return False
            if unit in ("day", "week"):
                return True
            if not is_working_day(d):
                return False
            return unit != "school-day" or not any(a <= d <= b for a, b in school_closures or [])

        d = anchor if starting else anchor + ONE_DAY
        counted = 0
        while True:
            check_range(d)
            if counts(d):
                counted += 1
                if counted == days:
                    break
            d += ONE_DAY
        skipped = []
        if not_counted:
            skipped.append("25 December to 1 January and August")
        if unit in ("working-day", "school-day"):
            skipped.append("weekends and bank holidays")
        if unit == "school-day":
            skipped.append("school closures")
        out.steps.append(f"{n} {unit.replace('-', ' ')}{'s' if n != 1 else ''} "
                         f"{'starting with' if starting else 'after'} {fmt(anchor)}"
                         f"{' (not counting ' + ', '.join(skipped) + ')' if skipped else ''} = {fmt(d)}")
        out.date = d
    else:
        raise SendkgError(f"the model uses a unit sendkg cannot count: '{unit}'; fix the time limit's unit")
    check_range(out.date, "computed date")
    return out


def apply_rules(result: Counted, rules: list[dict]) -> Counted:
    """Adjust a last day by the model's date rules (dicts with ``id``, ``label``, ``source``)."""
    if result.date is None:
        return result
    ids = {r["id"]: r for r in rules}
    d = result.date
    if "christmas-august" in ids and in_christmas_or_august(d):
        moved = after_christmas_or_august(d)
        cite = ids["christmas-august"]["source"]
        which = "31 August" if d.month == 8 else "1 January"
        result.steps.append(f"{fmt(d)} falls {'in August' if d.month == 8 else 'from 25 December to 1 January'}: "
                            f"the first working day after {which} is {fmt(moved)} ({cite})")
        result.date = moved
        return result
    if "next-working-day" in ids and not is_working_day(d):
        moved = next_working_day(d)
        cite = ids["next-working-day"]["source"]
        reason = "a weekend day" if d.weekday() >= 5 else "a bank holiday"
        result.steps.append(f"{fmt(d)} is {reason}: the next working day is {fmt(moved)} ({cite})")
        if "christmas-august" in ids and in_christmas_or_august(moved):
            later = after_christmas_or_august(moved)
            result.notes.append(f"unsettled: the next working day falls in the Christmas or August period; if the "
                                f"Christmas and August rule also applies the last day would be {fmt(later)} "
                                "(HESC Rules r.12(2) and r.12(3)(a) do not say which applies first); the earlier date is shown")
        result.date = moved
    return result
