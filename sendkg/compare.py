"""A matrix of authorities against features of their content, for researchers.

The features come from queries/compare.rq (what the content says) and from `check` (whether it is
right): one row per authority, columns that load straight into pandas.
"""

from __future__ import annotations

from collections import defaultdict

from sendkg.authorities import AuthorityFile, CheckReport, check
from sendkg.resources import model_files
from sendkg.store import EmbeddedStore, load_query

# Columns of the matrix, in order, with a short description for the README and the HTML header.
COLUMNS = [
    ("authority", "identifier"), ("name", "name"), ("gss_code", "GSS code"),
    ("sendiass", "SENDIASS named"), ("dr_providers", "independent disagreement resolution providers named"),
    ("routes_described", "routes described"), ("routes", "which routes"),
    ("mediation_advice", "explains mediation advice and the certificate"),
    ("tribunal_time_limit", "states the Tribunal time limit"), ("section_i_exception", "mentions the section I exception"),
    ("time_limits_stated", "time limits stated"), ("time_limits_wrong", "time limits wrong"),
    ("anchors_imprecise", "time limits counted from the wrong event"),
    ("citations", "Code of Practice citations"), ("citations_wrong", "citations about something else"),
    ("superseded_terms", "superseded names in own words"), ("terminology_current", "terminology current"),
    ("completeness", "share of the five required items present"),
    ("violations", "violations"), ("warnings", "warnings"), ("infos", "infos"),
]
# The score columns drawn in the heat map (1 = good), with their labels.
SCORES = [("sendiass", "SENDIASS named"), ("dr_providers", "DR provider named"),
          ("mediation_advice", "mediation advice explained"), ("tribunal_time_limit", "Tribunal time limit"),
          ("section_i_exception", "section I exception"), ("time_limits_correct", "time limits correct"),
          ("anchors_correct", "time limits counted from the right event"), ("citations_correct", "citations correct"),
          ("terminology_current", "old names in own words (fewer: greener)"), ("routes_share", "routes described")]


def compare(authorities: list[AuthorityFile], report: CheckReport | None = None, remote=None,
            progress=None) -> list[dict]:
    """One row per authority. ``progress(done, total)``: checking, then the comparison itself."""
    report = report or check(authorities, remote, progress)
    store = remote if remote is not None else EmbeddedStore([*model_files(), *sorted({a.path for a in authorities})])
    return matrix(store, authorities, {a.id: a.findings for a in report.authorities})


def matrix(store, authorities, findings: dict[str, list]) -> list[dict]:
    """The rows for ``authorities`` (objects with ``id``, ``name`` and ``gss``) from the content in
    ``store`` and the findings of the check, by authority identifier."""
    facts: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    wanted = {a.id for a in authorities}
    for r in store.select(load_query("compare")):
        if r["authority"] in wanted:
            facts[r["authority"]][r["feature"]].add((r["value"], r["extra"]))
    all_routes = len(store.select(load_query("routes")))
    rows = []
    for a in sorted(authorities, key=lambda a: a.id):
        f = facts[a.id]
        found = findings.get(a.id, [])
        codes = [x.code for x in found]
        severities = [x.severity for x in found]
        routes = sorted({v for v, _ in f["route"]})
        limits = {e for _, e in f["time-limit"]}
        cites = {e for _, e in f["citation"]}
        terms = {e for _, e in f["term"]}
        wrong_limits, wrong_anchor = codes.count("wrong-time-limit"), codes.count("wrong-anchor")
        wrong_cites = codes.count("wrong-citation")
        row = {
            "authority": a.id, "name": a.name, "gss_code": a.gss or "",
            "sendiass": "; ".join(sorted(v for v, _ in f["sendiass"])),
            "dr_providers": "; ".join(sorted({v for v, e in f["provider"] if e == "disagreement-resolution"})),
            "routes_described": len(routes), "routes": " ".join(routes),
            "mediation_advice": "mediation-advice" in routes,
            "tribunal_time_limit": any(v == "appeal-after-notice" for v, _ in f["time-limit"]),
            "section_i_exception": any(v == "section-i-only" for v, _ in f["exception"]),
            "time_limits_stated": len(limits), "time_limits_wrong": wrong_limits, "anchors_imprecise": wrong_anchor,
            "citations": len(cites), "citations_wrong": wrong_cites,
            "superseded_terms": len(terms), "terminology_current": not terms,
            "violations": severities.count("violation"), "warnings": severities.count("warning"),
            "infos": severities.count("info"),
        }
        required = [bool(row["sendiass"]), bool(row["dr_providers"]), row["mediation_advice"],
                    row["tribunal_time_limit"], row["section_i_exception"]]
        row["completeness"] = round(sum(required) / len(required), 2)
        row["_scores"] = {
            "sendiass": float(bool(row["sendiass"])), "dr_providers": float(bool(row["dr_providers"])),
            "mediation_advice": float(row["mediation_advice"]), "tribunal_time_limit": float(row["tribunal_time_limit"]),
            "section_i_exception": float(row["section_i_exception"]),
            "time_limits_correct": None if not limits else 1 - wrong_limits / len(limits),
            "anchors_correct": None if not limits else 1 - wrong_anchor / len(limits),
            "citations_correct": None if not cites else 1 - wrong_cites / len(cites),
            "terminology_current": 1 / (1 + len(terms)), "routes_share": len(routes) / all_routes,
        }
        # what each heat-map cell says in words (the colour is the score above)
        yes_no = {True: "yes", False: "no"}
        row["_labels"] = {
            **{k: yes_no[bool(row["_scores"][k])] for k in ("sendiass", "dr_providers", "mediation_advice",
                                                            "tribunal_time_limit", "section_i_exception")},
            "time_limits_correct": f"{len(limits) - wrong_limits} of {len(limits)}" if limits else "n/a",
            "anchors_correct": f"{len(limits) - wrong_anchor} of {len(limits)}" if limits else "n/a",
            "citations_correct": f"{len(cites) - wrong_cites} of {len(cites)}" if cites else "n/a",
            "terminology_current": "none old" if not terms else f"{len(terms)} old",
            "routes_share": f"{len(routes)} of {all_routes}",
        }
        rows.append(row)
    return rows


def public(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
