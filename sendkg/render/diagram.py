"""A decision's routes as an SVG diagram (for the explorer): each route a box with its step, parties,
time limits and legal basis; solid arrows must be followed, dashed ones usually are; the routes open
at any stage in a group of their own.

Laid out by Graphviz ``dot`` when it is installed (Debian: ``apt-get install graphviz``), with
HTML-like labels whose every text is escaped; without it, by a small layered layout here (one row
per step), so the explorer draws a diagram on any machine, with no network and no script. Either
way each route is a ``<g class="node" id="node-ROUTE">`` linking to ``#route-ROUTE``.
"""

from __future__ import annotations

import html
import re
import shutil
import textwrap

WRAP = 46  # characters per line in a box


def _e(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _id(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", s)


def box_lines(r: dict) -> list[tuple[str, str]]:
    """A route's box as (kind, text) lines: title, parties, time limits, legal basis."""
    title = r["label"] if r["any_stage"] else f"{r['step']}. {r['label']}"
    lines = [("title", t) for t in textwrap.wrap(title, WRAP)]
    if r.get("party_labels"):
        lines += [("party", t) for t in textwrap.wrap("Parties: " + ", ".join(r["party_labels"]), WRAP)]
    for text in r.get("time_limits", []):
        lines += [("limit", t) for t in textwrap.wrap("Time limit: " + text, WRAP)]
    cites = sorted({s["citation"] for s in r.get("sources", []) if s.get("citation")})
    if cites:
        lines += [("law", t) for t in textwrap.wrap("Legal basis: " + "; ".join(cites), WRAP)]
    return lines


def _edges(answer: dict) -> list[tuple[str, str, bool]]:
    """(from, to, must) for every arrow; 'decision' is the decision's own node."""
    out = []
    for r in answer["routes"]:
        if r["any_stage"]:
            continue
        if not r["after"]:
            out.append(("decision", r["id"], True))
        out += [(a, r["id"], True) for a in r["after"]]
        out += [(a, r["id"], False) for a in r["usually_after"]]
    return out


def dot_source(answer: dict) -> str:
    """The diagram in DOT with HTML-like labels (every text escaped, every id reduced to [A-Za-z0-9_-])."""
    fonts = {"title": '<B>{}</B>', "party": '<FONT POINT-SIZE="9">{}</FONT>',
             "limit": '<FONT POINT-SIZE="9" COLOR="#7a3b00">{}</FONT>', "law": '<FONT POINT-SIZE="9" COLOR="#1d4f91">{}</FONT>'}
    lines = ["digraph routes {", '  graph [rankdir=TB, fontname="Helvetica", nodesep=0.25, ranksep=0.4, bgcolor="white"];',
             '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10, margin="0.1,0.05"];',
             "  edge [arrowsize=0.7];",
             f'  decision [id="node-decision", shape=oval, label=<<B>{_e(answer["decision"]["label"])}</B>>];']

    def node(r):
        rows = "".join(f'<TR><TD ALIGN="LEFT">{fonts[k].format(_e(t))}</TD></TR>' for k, t in box_lines(r))
        return (f'  "{_id(r["id"])}" [id="node-{_id(r["id"])}", href="#route-{_id(r["id"])}", '
                f'tooltip="{_id(r["id"])}", label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0">{rows}</TABLE>>];')

    lines += [node(r) for r in answer["routes"] if not r["any_stage"]]
    any_stage = [r for r in answer["routes"] if r["any_stage"]]
    if any_stage:
        lines.append('  subgraph cluster_any_stage { label="At any stage, alongside every step"; style=dashed; fontsize=10;')
        lines += ["  " + node(r) for r in any_stage]
        lines.append("  }")
    for a, b, must in _edges(answer):
        lines.append(f'  "{_id(a)}" -> "{_id(b)}"' + ("" if must else " [style=dashed]") + ";")
    lines.append("}")
    return "\n".join(lines)


def _inline(svg: str, title: str) -> str:
    """Graphviz's SVG file as an element for a page: no prolog, doctype or comments; labelled."""
    start = svg.find("<svg")
    svg = re.sub(r"<!--.*?-->", "", svg[start:], flags=re.S)
    return svg.replace("<svg", f'<svg class="routes-diagram" role="img" aria-label="{_e(title)}"', 1)


def routes_svg(answer: dict, engine: str | None = None, timeout: float = 20.0) -> tuple[str, str]:
    """(svg, engine): the diagram as an ``<svg>`` element, and which laid it out ('dot' or 'sendkg').
    ``engine`` 'sendkg' forces the built-in layout."""
    title = f"The routes after: {answer['decision']['label']}"
    dot = shutil.which("dot") if engine != "sendkg" else None
    if dot:
        import subprocess

        try:
            done = subprocess.run([dot, "-Tsvg"], input=dot_source(answer).encode("utf-8"), capture_output=True,
                                  timeout=timeout, check=False)
            if done.returncode == 0 and b"<svg" in done.stdout:
                return _inline(done.stdout.decode("utf-8", "replace"), title), "dot"
        except (OSError, subprocess.TimeoutExpired):
            pass
    return layered_svg(answer, title), "sendkg"


# ------------------------------------------------------------------ the built-in layout
LINE, CHAR, PAD, GAP_X, GAP_Y = 14, 6.4, 8, 24, 46
BOLD = ' font-weight="bold"'


def _size(lines) -> tuple[float, float]:
    return max(len(t) for _, t in lines) * CHAR + 2 * PAD, len(lines) * LINE + 2 * PAD


def layered_svg(answer: dict, title: str) -> str:
    """One row per step (the decision above them, the any-stage routes below in a dashed group),
    boxes side by side and centred, straight arrows between rows."""
    rows: dict[int, list[dict]] = {}
    for r in answer["routes"]:
        if not r["any_stage"]:
            rows.setdefault(r["step"], []).append(r)
    layers = [[{"id": "decision", "lines": [("title", t) for t in textwrap.wrap(answer["decision"]["label"], WRAP)]}]]
    layers += [[{"id": r["id"], "lines": box_lines(r)} for r in rows[s]] for s in sorted(rows)]
    any_stage = [{"id": r["id"], "lines": box_lines(r)} for r in answer["routes"] if r["any_stage"]]
    for layer in layers + [any_stage]:
        for n in layer:
            n["w"], n["h"] = _size(n["lines"])
    width = max(sum(n["w"] for n in layer) + GAP_X * (len(layer) - 1) for layer in layers + [any_stage] if layer) + 80
    y, pos = 20.0, {}
    for layer in layers:
        x = (width - sum(n["w"] for n in layer) - GAP_X * (len(layer) - 1)) / 2
        for n in layer:
            pos[n["id"]] = (x, y, n)
            x += n["w"] + GAP_X
        y += max(n["h"] for n in layer) + GAP_Y
    group = ""
    if any_stage:
        top = y - GAP_Y / 2
        x = (width - sum(n["w"] for n in any_stage) - GAP_X * (len(any_stage) - 1)) / 2
        y += LINE + 4
        for n in any_stage:
            pos[n["id"]] = (x, y, n)
            x += n["w"] + GAP_X
        y += max(n["h"] for n in any_stage) + 16
        group = (f'<g class="cluster"><rect x="10" y="{top:.1f}" width="{width - 20:.1f}" height="{y - top:.1f}" '
                 f'fill="none" stroke="#555" stroke-dasharray="5,3"/><text x="20" y="{top + LINE:.1f}" font-size="11">'
                 "At any stage, alongside every step</text></g>")
    colours = {"title": "#1b1b1b", "party": "#333", "limit": "#7a3b00", "law": "#1d4f91"}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="routes-diagram" role="img" aria-label="{_e(title)}" '
           f'width="{width:.0f}" height="{y + 10:.0f}" viewBox="0 0 {width:.0f} {y + 10:.0f}" font-family="Helvetica, sans-serif">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
           '<path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>', group]
    level = {n["id"]: i for i, layer in enumerate(layers) for n in layer}
    for a, b, must in _edges(answer):
        if a not in pos or b not in pos:
            continue
        ax, ay, an = pos[a]
        bx, by, bn = pos[b]
        x1, y1, x2, y2 = ax + an["w"] / 2, ay + an["h"], bx + bn["w"] / 2, by
        dash = "" if must else ' stroke-dasharray="6,4"'
        between = [n for layer in layers[level[a] + 1:level[b]] for n in layer]
        if between or by <= ay:  # past the rows between (or back up): round the right of them
            side = max([pos[n["id"]][0] + n["w"] for n in between] + [ax + an["w"], bx + bn["w"]]) + 14
            x1, y1, x2, y2 = ax + an["w"], ay + an["h"] / 2, bx + bn["w"], by + bn["h"] / 2
            d = f"M{x1:.1f},{y1:.1f} C{side:.1f},{y1:.1f} {side:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        else:
            d = f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"
        out.append(f'<g class="edge"><path d="{d}" fill="none" stroke="#333"{dash} marker-end="url(#arrow)"/></g>')
    for ident, (x, y0, n) in pos.items():
        texts = "".join(f'<text x="{x + PAD:.1f}" y="{y0 + PAD + LINE * (i + 1) - 3:.1f}" font-size="{11 if k == "title" else 10}" '
                        f'fill="{colours[k]}"{BOLD if k == "title" else ""}>{_e(t)}</text>'
                        for i, (k, t) in enumerate(n["lines"]))
        shape = (f'<rect x="{x:.1f}" y="{y0:.1f}" width="{n["w"]:.1f}" height="{n["h"]:.1f}" rx="{n["h"] / 2 if ident == "decision" else 6}" '
                 'fill="#fff" stroke="#333"/>')
        body = f"<title>{_e(ident)}</title>{shape}{texts}"
        if ident != "decision":
            body = f'<a href="#route-{_id(ident)}">{body}</a>'
        out.append(f'<g class="node" id="node-{_id(ident)}">{body}</g>')
    out.append("</svg>")
    return "".join(out)
