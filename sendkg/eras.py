"""The law's eras: temporary modifications of time limits (the 2020 coronavirus exception).

A modification (``skg:TemporaryModification`` in the model) names the provisions whose time limits it
changes, the parties whose duties it relaxes, its interval and the day it is judged by. A limit it
affects keeps its computed date, but the answer marks the date as possibly displaced, with the
modification's effect and source, never as a plain statutory deadline. Everything here is read
from the model; this module only compares days.
"""

from __future__ import annotations

from datetime import date, timedelta


def _provisions(lim: dict) -> set[str]:
    cites = list(lim.get("sources") or [])
    for p in lim.get("parts") or []:
        cites += p.get("sources") or []
    return {c["iri"] for c in cites if c.get("iri")}


def reach(mod: dict, lim: dict) -> str | None:
    """How far the modification reaches the limit: "named" (it names a provision the limit cites),
    "document" (it may modify the document the limit's provision is in; its list was not read in
    full), or None. Only limits of the parties whose duties it relaxes are reached."""
    actors = {a["id"] for a in lim.get("actors") or []}
    if mod["actors"] and not actors & mod["actors"]:
        return None
    provisions = _provisions(lim)
    if provisions & mod["named"]:
        return "named"
    if provisions & mod["document"]:
        return "document"
    return None


def _entry(mod: dict, how: str, judged: str) -> dict:
    return {"id": mod["id"], "label": mod["label"], "effect": mod["effect"], "reach": how, "judged": judged,
            "from": mod["from"].isoformat(), "until": mod["until"].isoformat(), "sources": mod["sources"]}


def note_for(entry: dict) -> str:
    """The words printed beside the date."""
    last = date.fromisoformat(entry["until"]) - timedelta(days=1)
    first = date.fromisoformat(entry["from"])
    span = f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"
    cites = "; ".join(s["citation"] for s in entry["sources"])
    reach = ("" if entry["reach"] == "named" else
             "it amended time limits in these Regulations, but whether it reached this one was not read: ")
    if entry["judged"] == "falls-in":
        head = f"may be displaced ({entry['label']}, {span}): "
    elif entry["judged"] == "runs-in":
        head = (f"ran partly in the period of {entry['label']} ({span}) but falls after it, when the usual time "
                f"limit applied again; its words on cases still running were not read: ")
    else:  # the day asked about is in the period
        head = f"on this day {entry['label']} was in force ({span}): "
    return head + reach + entry["effect"] + (f" [{cites}]" if cites else "")


def judge_row(mod: dict, row: dict, lim: dict, day: date | None) -> dict | None:
    """Whether the modification touches one deadline row, judged by the day the limit falls on
    (skg:LastDay: the limit must be met that day, so the exception counts only if it was law then),
    or, with no date yet, by ``day`` (the day the answer is about)."""
    how = reach(mod, lim)
    if how is None:
        return None
    first, until = mod["from"], mod["until"]
    lasts = [date.fromisoformat(row[k]) for k in ("date", "earliest", "latest") if row.get(k)]
    if not lasts:
        return _entry(mod, how, "as-of") if day and first <= day < until else None
    if mod["judged_by"] == "last-day":
        if any(first <= d < until for d in lasts):
            return _entry(mod, how, "falls-in")
        start = date.fromisoformat(row["anchor_date"]) if row.get("anchor_date") else None
        if start and start < until and max(lasts) >= until:
            return _entry(mod, how, "runs-in")
        return None
    return _entry(mod, how, "as-of") if day and first <= day < until else None


def mark_rows(model, pairs: list[tuple[dict, dict]]) -> None:
    """Mark each deadline row a temporary modification touches (``pairs``: each row with its limit)."""
    mods = model.modifications()
    for row, lim in pairs if mods else []:
        day = date.fromisoformat(row["law_as_of"]) if row.get("law_as_of") else None
        found = [e for e in (judge_row(m, row, lim, day) for m in mods) if e]
        if found:
            row["exceptions"] = found
            row["note"] = "; ".join(filter(None, [*(note_for(e) for e in found), row["note"]]))


def mark_limits(model, routes: list[dict], day: date) -> None:
    """In a routes answer as of ``day``: each time limit a modification in force that day reaches."""
    mods = [m for m in model.modifications() if m["from"] <= day < m["until"]]
    for r in routes:
        for lim in r.get("time_limit_details") or []:
            found = [_entry(m, how, "as-of") for m in mods if (how := reach(m, lim))]
            if found:
                lim["exceptions"] = found
