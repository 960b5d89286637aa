"""Turn the routes and orderings that apply to a decision into a plan of numbered steps.

Pure functions over plain data: which routes apply (given the conditions that hold), which
orderings are in force, the step of each route (the longest chain of precedences before it, so
that a route that must come before another always has a smaller step), and what runs alongside.
"""

from __future__ import annotations

from sendkg.errors import ModelError
from sendkg.records import Plain


class Edge(Plain):
    """An ordering of two routes: ``earlier`` before ``later`` (``required`` or usual), the ordering's IRI."""

    __slots__ = ("earlier", "later", "required", "iri")

    def __init__(self, earlier: str, later: str, required: bool, iri: str):
        self.earlier, self.later, self.required, self.iri = earlier, later, required, iri


class PlannedRoute(Plain):
    """A route that applies, with its step and what comes before and alongside it."""

    __slots__ = ("id", "iri", "label", "any_stage", "step", "required", "after", "usually_after", "alongside",
                 "orderings")

    def __init__(self, id: str, iri: str, label: str, any_stage: bool, step: int = 0, required: bool = False,
                 after: list[str] | None = None, usually_after: list[str] | None = None,
                 alongside: list[str] | None = None, orderings: list[Edge] | None = None):
        self.id, self.iri, self.label, self.any_stage, self.step, self.required = id, iri, label, any_stage, step, required
        self.after = [] if after is None else after
        self.usually_after = [] if usually_after is None else usually_after
        self.alongside = [] if alongside is None else alongside
        self.orderings = [] if orderings is None else orderings


def applicable_routes(rows: list[dict], conditions: set[str]) -> dict[str, PlannedRoute]:
    """Rows of routes-for-decision.rq -> the routes that apply when ``conditions`` hold."""
    found: dict[str, PlannedRoute] = {}
    listed: set[str] = set()  # listed on the decision itself (not only added by a condition)
    lifted: set[str] = set()
    added: set[str] = set()
    for row in rows:
        rid = row["id"]
        found.setdefault(rid, PlannedRoute(rid, row["route"], row["label"], bool(row.get("anyStage"))))
        if row.get("addedBy"):
            if row["addedBy"] in conditions:
                added.add(rid)
        else:
            listed.add(rid)
            if row.get("liftedBy") in conditions:
                lifted.add(rid)
    return {rid: r for rid, r in found.items() if (rid in listed and rid not in lifted) or rid in added}


def active_edges(rows: list[dict], routes: dict[str, PlannedRoute], conditions: set[str]) -> list[Edge]:
    """Rows of orderings.rq -> precedences between applicable routes not lifted by a condition."""
    lifted_by: dict[str, set[str]] = {}
    edges: dict[str, Edge] = {}
    for row in rows:
        if row["earlier"] in routes and row["later"] in routes:
            edges[row["ordering"]] = Edge(row["earlier"], row["later"], bool(row.get("required")), row["ordering"])
            if row.get("unless"):
                lifted_by.setdefault(row["ordering"], set()).add(row["unless"])
    return [e for iri, e in edges.items() if not (lifted_by.get(iri, set()) & conditions)]


def assign_steps(routes: dict[str, PlannedRoute], edges: list[Edge]) -> None:
    """Step = 1 + the longest chain of precedences before the route (Kahn's algorithm)."""
    preds: dict[str, list[Edge]] = {rid: [] for rid in routes}
    succs: dict[str, list[str]] = {rid: [] for rid in routes}
    for e in edges:
        preds[e.later].append(e)
        succs[e.earlier].append(e.later)
    indegree = {rid: len(p) for rid, p in preds.items()}
    ready = sorted(rid for rid, d in indegree.items() if d == 0)
    step = {rid: 1 for rid in routes}
    done = 0
    while ready:
        rid = ready.pop()
        done += 1
        for nxt in succs[rid]:
            step[nxt] = max(step[nxt], step[rid] + 1)
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    if done != len(routes):
        cycle = sorted(rid for rid, d in indegree.items() if d > 0)
        raise ModelError(f"the orderings form a cycle among: {', '.join(cycle)}; run 'sendkg validate' and fix the orderings")
    for rid, route in routes.items():
        route.step = step[rid]
        route.after = sorted(e.earlier for e in preds[rid] if e.required)
        route.usually_after = sorted(e.earlier for e in preds[rid] if not e.required)
        route.orderings = sorted(preds[rid], key=lambda e: e.earlier)
    for e in edges:
        if e.required:
            routes[e.earlier].required = True


def assign_alongside(routes: dict[str, PlannedRoute], pairs: list[tuple[str, str]]) -> None:
    """Routes available at any stage run alongside every other route; others as the model says."""
    any_stage = {rid for rid, r in routes.items() if r.any_stage}
    partners: dict[str, set[str]] = {rid: set() for rid in routes}
    for a, b in pairs:
        if a in routes and b in routes:
            partners[a].add(b)
            partners[b].add(a)
    for rid, route in routes.items():
        together = set(routes) if route.any_stage else any_stage | partners[rid]
        route.alongside = sorted(together - {rid})


def plan(route_rows, ordering_rows, concurrency_pairs, conditions: set[str]) -> list[PlannedRoute]:
    routes = applicable_routes(route_rows, conditions)
    edges = active_edges(ordering_rows, routes, conditions)
    assign_steps(routes, edges)
    assign_alongside(routes, concurrency_pairs)
    return sorted(routes.values(), key=lambda r: (r.step, r.any_stage, r.id))
