"""A Mermaid flowchart of a decision's routes: solid arrows must be followed, dashed ones usually are."""

from __future__ import annotations


def _node(rid: str) -> str:
    return rid.replace("-", "_")


def _text(s: str) -> str:
    return s.replace('"', "'")


def routes(answer: dict) -> str:
    d = answer["decision"]
    lines = ["flowchart TD"]
    if answer.get("as_of"):  # which day's law (a comment: the diagram is unchanged)
        lines.append(f"  %% as of {answer['as_of']}: the law in force that day")
    lines.append(f'  decision(["{_text(d["label"])}"])')
    any_stage = [r for r in answer["routes"] if r["any_stage"]]
    for r in answer["routes"]:
        if not r["any_stage"]:
            lines.append(f'  {_node(r["id"])}["{r["step"]}. {_text(r["label"])}"]')
    for r in answer["routes"]:
        if r["any_stage"]:
            continue
        if not r["after"]:
            lines.append(f'  decision --> {_node(r["id"])}')
        for a in r["after"]:
            lines.append(f'  {_node(a)} --> {_node(r["id"])}')
        for a in r["usually_after"]:
            lines.append(f'  {_node(a)} -.-> {_node(r["id"])}')
    if any_stage:
        lines.append('  subgraph any_stage ["At any stage, alongside every step"]')
        for r in any_stage:
            lines.append(f'    {_node(r["id"])}["{_text(r["label"])}"]')
        lines.append("  end")
        lines.append("  decision -.- any_stage")
    return "\n".join(lines)
