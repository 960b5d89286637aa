"""Dates for people: how far each deadline is from today ("12 days left", "passed 3 days ago").

Pure date arithmetic on the answer of :func:`sendkg.deadlines.deadlines`; today is given (``--today``
in the command, ``today=`` in the API) so that output can be reproduced, else the machine's date
(or SENDKG_TODAY).
"""

from __future__ import annotations

from datetime import date


def with_today(result: dict, today: date | None = None) -> dict:
    """The deadlines answer with ``today`` and, for each deadline, ``days_left`` (the days from today
    to its last day: 0 on the day itself, negative once passed; null where there is no date yet)."""
    if today is None:
        from sendkg.model import today as model_today  # the computer's date, or SENDKG_TODAY

        today = model_today()
    out = {k: v for k, v in result.items() if k != "deadlines"}
    out["today"] = today.isoformat()
    rows = []
    for row in result["deadlines"]:
        new = {}
        for k, v in row.items():
            new[k] = v
            if k == "date":
                new["days_left"] = (date.fromisoformat(v) - today).days if v else None
        rows.append(new)
    out["deadlines"] = rows
    return out


def in_words(days_left: int | None, kind: str = "deadline") -> str:
    """"N days left", "today is the last day" or "passed N days ago" (for a minimum period that must be
    allowed to run: "runs N more days", "ends today", "ended N days ago"); "" without a date."""
    if days_left is None:
        return ""
    n = abs(days_left)
    days = f"{n} day{'s' if n != 1 else ''}"
    if kind == "minimum":
        return f"runs {days} more" if days_left > 0 else "ends today" if days_left == 0 else f"ended {days} ago"
    return f"{days} left" if days_left > 0 else "today is the last day" if days_left == 0 else f"passed {days} ago"
