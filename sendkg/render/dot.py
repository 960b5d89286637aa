"""A Graphviz DOT digraph of a decision's routes: solid edges must be followed, dashed ones usually are."""

from __future__ import annotations

import json


def _q(s: str) -> str:
    return json.dumps(s)  # a DOT double-quoted string


def routes(answer: dict) -> str:
    d = answer["decision"]
    lines = ["digraph routes {"] + ([f"  // as of {answer['as_of']}: the law in force that day"]
                                    if answer.get("as_of") else []) + ["  rankdir=TB;", "  node [shape=box, style=rounded];",
             f"  decision [label={_q(d['label'])}, shape=oval];"]
    for r in answer["routes"]:
        label = r["label"] if r["any_stage"] else f"{r['step']}. {r['label']}"
        lines.append(f"  {_q(r['id'])} [label={_q(label)}];")
    any_stage = [r for r in answer["routes"] if r["any_stage"]]
    if any_stage:
        lines.append('  subgraph cluster_any_stage { label="At any stage, alongside every step"; style=dashed;')
        lines.extend(f"    {_q(r['id'])};" for r in any_stage)
        lines.append("  }")
    for r in answer["routes"]:
        if r["any_stage"]:
            continue
        if not r["after"]:
            lines.append(f"  decision -> {_q(r['id'])};")
        for a in r["after"]:
            lines.append(f"  {_q(a)} -> {_q(r['id'])};")
        for a in r["usually_after"]:
            lines.append(f"  {_q(a)} -> {_q(r['id'])} [style=dashed];")
    lines.append("}")
    return "\n".join(lines)
