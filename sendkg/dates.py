"""Counting legal time, with the rules written out (as Catala does): no date arithmetic by accident.

- Months are calendar months. A period of N months *after* (or *from*, or *within N months of*) a
  day ends on the corresponding date N months later; where that month has no such day (31 January
  + 1 month), on its last day (Dodds v Walker [1981]).
- A period *starting with* a day counts that day as the first, so it ends one day earlier. Where the
  corresponding date does not exist the law is unsettled (law/facts.md 6.5): both readings are
  given, as a range.
- Weeks are 7 calendar days; days are calendar days.
- Working days exclude Saturdays, Sundays and the days of the model's holiday calendar (for England,
  ``ontology/england/bank-holidays.ttl``: bank holidays with substitute and one-off days, Christmas
  Day and Good Friday). Dates outside the years the calendar covers are refused, not guessed.
- School days need the school's closures; without them a date is not computed.
- Date rules (the Tribunal's next-working-day rule, its Christmas and August rule, and its rule that
  Christmas and August days are not counted) are applied where the model attaches them.
- A period *before* an event ("at least 5 months before the transfer") is counted back from the
  event: the last day to act is the corresponding date that many months earlier. A fixed day of the
  calendar year *before* which something must be done ("before 15 February in the calendar year of
  the transfer") gives the day before it. An act to be done *at once* is due on its anchor day.
- Where a rule leaves the last day uncertain (a rule that leaves days out of a count applied to a
  period in months; the Tribunal's next-working-day rule landing in the Christmas period), no single
  date is given: the result is a range, ``earliest`` to ``latest``, with a note saying why.

Nothing here knows any time limit: the lengths, units, anchors and rules come from the graph. Nor
does it read the model: the caller passes the holiday calendar (:func:`use_calendar`).
"""

from __future__ import annotations

from datetime import date, timedelta

from sendkg.errors import SendkgError
from sendkg.records import Frozen, Plain

ONE_DAY = timedelta(days=1)


class DateOutOfRange(SendkgError):
    """A date outside the years whose bank holidays are known."""


class Calendar(Frozen):
    """The days (besides weekends) that are not working days (``holidays``, a frozenset of dates), for
    the years ``first_year``..``last_year``."""

    __slots__ = ("holidays", "first_year", "last_year")


_calendar: Calendar | None = None

# Date rules, by their skos:notation in ontology/terms.ttl (the Tribunals' rules that move a last day).
NEXT_WORKING_DAY = {"next-working-day", "ut-next-working-day"}
NOT_COUNTED = {"christmas-august-not-counted", "ut-christmas-august-not-counted"}
# A rule that only notes the next day a court office is open (CPR 2.8(5)); the last day does not move.
COURT_OFFICE_NOTE = "court-office-next-open-day"


def use_calendar(cal: Calendar) -> None:
    """Count working days with this calendar (the model's, read by :meth:`Model.calendar`)."""
    global _calendar
    _calendar = cal


def calendar() -> Calendar:
    """The calendar in use: the one the caller passed to :func:`use_calendar`."""
    if _calendar is None:
        raise SendkgError("no holiday calendar to count working days with: pass one first "
                          "(sendkg.dates.use_calendar(Model().calendar()))")
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


class Counted(Plain):
    """A computed last day (``date``) and how it was reached, step by step (``steps``, ``notes``). When
    the law leaves the last day uncertain, ``date`` is None and ``earliest`` and ``latest`` bound it."""

    __slots__ = ("date", "steps", "notes", "earliest", "latest")

    def __init__(self, date: date | None, steps: list[str] | None = None, notes: list[str] | None = None,
                 earliest: date | None = None, latest: date | None = None):
        self.date, self.earliest, self.latest = date, earliest, latest
        self.steps = [] if steps is None else steps
        self.notes = [] if notes is None else notes


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit.replace('-', ' ')}{'s' if n != 1 else ''}"


def at_once(anchor: date) -> Counted:
    """An act to be done at once (immediately): due on the anchor day itself."""
    check_range(anchor, "anchor date")
    return Counted(anchor, [f"at once: on {fmt(anchor)} itself, with no period to run"])


def before_day(anchor: date, month: int, day: int) -> Counted:
    """Before a fixed day of the calendar year of ``anchor``: the last day is the day before it."""
    check_range(anchor, "anchor date")
    fixed = date(anchor.year, month, day)
    end = fixed - ONE_DAY
    check_range(end, "computed date")
    return Counted(end, [f"before {fixed.day} {fixed.strftime('%B')} in {anchor.year}, the calendar year of "
                         f"{fmt(anchor)}: the last day is {fmt(end)}"])


def count_back(anchor: date, n: int, unit: str) -> Counted:
    """At least ``n`` ``unit``s before ``anchor``: the latest day that leaves the whole period."""
    check_range(anchor, "anchor date")
    if unit in ("month", "year"):
        months = n * 12 if unit == "year" else n
        end, clipped = add_months(anchor, -months)
        if clipped:
            step = f"{fmt(anchor)} - {_plural(n, unit)}: no corresponding date, so the last day of that month, {fmt(end)}"
        else:
            step = f"{fmt(anchor)} - {_plural(n, unit)} = {fmt(end)} (the corresponding date)"
        # Counted forwards, a period of months from a later day can still end on the anchor (a month
        # after 31 March ends on 30 April): the two readings differ near the end of a month.
        latest = end
        while add_months(latest + ONE_DAY, months)[0] <= anchor:
            latest += ONE_DAY
        if latest != end:
            check_range(latest, "computed date")
            out = Counted(None, [step, f"counted forwards, {_plural(n, unit)} after {fmt(latest)} also end on "
                                       f"{fmt(anchor)} (no corresponding date)"], earliest=end, latest=latest)
            out.notes.append(f"unsettled: counted back from {fmt(anchor)} the last day is {fmt(end)}, but a period "
                             f"of {_plural(n, unit)} from {fmt(latest)} also ends on {fmt(anchor)}; act by the "
                             "earlier date")
            return out
    elif unit in ("week", "day"):
        end = anchor - timedelta(days=n * 7 if unit == "week" else n)
        step = f"{fmt(anchor)} - {_plural(n, unit)} = {fmt(end)}"
    else:
        raise SendkgError(f"sendkg cannot count a period in '{unit}' back from an event; fix the time limit's unit")
    check_range(end, "computed date")
    return Counted(end, [step + ": the last day that leaves the whole period before it"])


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
        ambiguous = None
        if starting:
            earlier = end - ONE_DAY
            out.steps.append(f"starting with {fmt(anchor)}, the period ends the day before: {fmt(earlier)}")
            if clipped:  # law/facts.md 6.5: the day before a missing date, or the month's last day
                ambiguous = (earlier, end)
                out.steps.append(f"with no corresponding date, the other reading ends the period on {fmt(end)}")
                out.notes.append(f"ambiguous: with no corresponding date, one reading ends the period on {fmt(earlier)}, "
                                 f"another on {fmt(end)}; act by the earlier date")
            end = earlier
        out.date = end
        if ambiguous:
            out.date, out.earliest, out.latest = None, *ambiguous
            check_range(out.latest, "computed date")
            return out
        if not_counted:
            _months_not_counted(out, anchor, end, months)
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
    check_range(out.date or out.latest, "computed date")
    return out


def _months_not_counted(out: Counted, anchor: date, end: date, months: int | None = None) -> None:
    """A rule that leaves 25 December-1 January and August out of the count, applied to a period in
    months: the rule counts days, the period is not in days, so the last day is not settled. One reading
    ignores the rule (the corresponding date); the other counts the period's calendar days without the
    left-out days. The answer is the range between them. Where the left-out days follow the anchor at
    once (an anchor in August), nothing is counted until they end, so the later reading is the month
    counted from the last of them (law/audit-2026-12.md row 17), not the same number of days."""
    skipped = [d for d in (anchor + timedelta(days=i) for i in range(1, (end - anchor).days + 1))
               if in_christmas_or_august(d)]
    if not skipped:
        out.steps.append("no day from 25 December to 1 January or in August falls in the period")
        return
    start = anchor
    while months and in_christmas_or_august(start + ONE_DAY):
        start += ONE_DAY
    moved = start != anchor
    if moved:
        from_start, _ = add_months(start, months)
        out.steps.append(f"the days from {fmt(anchor + ONE_DAY)} to {fmt(start)} are not counted, so the months "
                         f"run from {fmt(start)}: {fmt(from_start)}")
        anchor, end = start, from_start
        skipped = [d for d in (anchor + timedelta(days=i) for i in range(1, (end - anchor).days + 1))
                   if in_christmas_or_august(d)]
        if not skipped:
            d = end
    if skipped:
        days = (end - anchor).days
        d, counted = anchor, 0
        while counted < days:
            d += ONE_DAY
            check_range(d)
            if not in_christmas_or_august(d):
                counted += 1
        out.steps.append(f"leaving out the {len(skipped)} Christmas or August day{'s' if len(skipped) != 1 else ''} "
                         f"in it, the same {days} days end on {fmt(d)}")
    how = "counted from the end of them" if moved else "counted as days without them"
    end = out.date
    out.earliest, out.latest, out.date = end, d, None
    out.notes.append(f"unsettled: the rule leaves Christmas and August days out of the count, but this period is in "
                     f"months: read as months it ends on {fmt(end)}, {how} on {fmt(d)} (each "
                     "then moved to a working day); act by the earlier date")


def apply_rules(result: Counted, rules: list[dict]) -> Counted:
    """Adjust a last day by the model's date rules (dicts with ``id``, ``label``, ``source``)."""
    ids = {r["id"]: r for r in rules}
    if result.date is None and result.earliest is not None:  # a range: each end moves by the rules
        for attr in ("earliest", "latest"):
            one = apply_rules(Counted(getattr(result, attr)), rules)
            if one.date != getattr(result, attr):
                result.steps.append(f"{'earlier' if attr == 'earliest' else 'later'} reading: " + "; ".join(one.steps))
            setattr(result, attr, one.date if one.date is not None else one.earliest)
        return result
    if result.date is None:
        return result
    d = result.date
    if "christmas-august" in ids and in_christmas_or_august(d):
        moved = after_christmas_or_august(d)
        cite = ids["christmas-august"]["source"]
        which = "31 August" if d.month == 8 else "1 January"
        result.steps.append(f"{fmt(d)} falls {'in August' if d.month == 8 else 'from 25 December to 1 January'}: "
                            f"the first working day after {which} is {fmt(moved)} ({cite})")
        result.date = moved
        return result
    if COURT_OFFICE_NOTE in ids and not is_working_day(d):  # CPR 2.8(5): noted, the date kept
        opens = next_working_day(d)
        reason = "a weekend day" if d.weekday() >= 5 else "a bank holiday"
        result.notes.append(f"{fmt(d)} is {reason}, when the court office is closed: a filing there is in time on the "
                            f"next day it is open, {fmt(opens)} ({ids[COURT_OFFICE_NOTE]['source']}; it may also be closed "
                            "on other days), but the claim must still be made promptly, so the earlier date is shown")
    nwd = next((ids[k] for k in sorted(NEXT_WORKING_DAY) if k in ids), None)
    if nwd and not is_working_day(d):
        moved = next_working_day(d)
        reason = "a weekend day" if d.weekday() >= 5 else "a bank holiday"
        result.steps.append(f"{fmt(d)} is {reason}: the next working day is {fmt(moved)} ({nwd['source']})")
        result.date = moved
        if "christmas-august" in ids and in_christmas_or_august(moved):
            later = after_christmas_or_august(moved)
            result.steps.append(f"if the Christmas and August rule also applies to that day: {fmt(later)}")
            result.date, result.earliest, result.latest = None, moved, later
            result.notes.append(f"unsettled: the next working day, {fmt(moved)}, falls in the Christmas or August "
                                "period, and the Tribunal's rules do not say whether the Christmas and August rule "
                                f"then moves it again, to {fmt(later)}; act by the earlier date")
    return result
