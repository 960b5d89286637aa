"""Renderings of the comparison matrix: a table for the terminal, HTML, and a heat map."""

from __future__ import annotations

import html

from sendkg.compare import COLUMNS, SCORES

TABLE_COLUMNS = ["authority", "sendiass", "dr_providers", "routes_described", "mediation_advice",
                 "tribunal_time_limit", "section_i_exception", "time_limits_wrong", "anchors_imprecise",
                 "citations_wrong", "superseded_terms", "completeness", "violations", "warnings"]
SHORT = {"authority": "authority", "sendiass": "SENDIASS", "dr_providers": "DR provider",
         "routes_described": "routes", "mediation_advice": "med. advice", "tribunal_time_limit": "tribunal limit",
         "section_i_exception": "section I", "time_limits_wrong": "limits wrong", "anchors_imprecise": "wrong anchor",
         "citations_wrong": "cites wrong", "superseded_terms": "old names", "completeness": "complete",
         "violations": "violations", "warnings": "warnings"}


def _cell(v) -> str:
    if v is True:
        return "yes"
    if v is False:
        return "no"
    if v == "":
        return "-"
    return str(v)


def table(rows: list[dict]) -> str:
    from sendkg.render.table import grid

    cells = []
    for r in rows:
        c = {SHORT[k]: _cell(r[k]) for k in TABLE_COLUMNS}
        c["SENDIASS"] = "yes" if r["sendiass"] else "no"
        cells.append(c)
    return grid([SHORT[k] for k in TABLE_COLUMNS], cells)


# the page's only style; its Content-Security-Policy lets nothing else run or load (issue 22)
STYLE = ("body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;"
         "padding:4px 6px;font-size:13px}th{background:#eee}.good{background:#d7f0d2}.bad{background:#f6d2cc}")


def html_page(rows: list[dict]) -> str:
    names = dict(COLUMNS)
    head = "".join(f"<th title='{html.escape(names[k])}'>{html.escape(k)}</th>" for k, _ in COLUMNS)
    body = []
    for r in rows:
        cells = []
        for k, _ in COLUMNS:
            v = r[k]
            cls = ""
            if v is True or (k == "completeness" and v == 1):
                cls = " class='good'"
            elif v is False or (isinstance(v, int) and not isinstance(v, bool) and v > 0 and k in
                                ("time_limits_wrong", "anchors_imprecise", "citations_wrong", "superseded_terms",
                                 "violations", "warnings")):
                cls = " class='bad'"
            cells.append(f"<td{cls}>{html.escape(_cell(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    from sendkg.render.report import csp

    return ("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>" + csp(script=False, css=STYLE)
            + "<title>sendkg: authorities compared</title>\n"
            f"<style>{STYLE}</style></head><body>\n<h1>SEND disagreement routes: authorities compared</h1>\n"
            f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table>\n</body></html>\n")


def matplotlib_folder() -> str:
    """Where matplotlib keeps its font cache for sendkg: a folder of sendkg's own
    ($XDG_CACHE_HOME/sendkg/matplotlib, or ~/.cache/sendkg/matplotlib), so a broken cache of the
    user's own matplotlib cannot break a plot (issue 22). MPLCONFIGDIR, if the user set it, wins."""
    import os

    if os.environ.get("MPLCONFIGDIR"):
        return os.environ["MPLCONFIGDIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "sendkg", "matplotlib")


def plot(rows: list[dict], path: str) -> None:
    """A heat map, authorities against scored features; matplotlib's own failures are one line."""
    import os
    import sys

    from sendkg.errors import SendkgError

    folder = matplotlib_folder()
    if "matplotlib" not in sys.modules:  # its folder is read when it is first imported
        os.environ["MPLCONFIGDIR"] = folder
    try:
        _plot(rows, path)
    except SendkgError:
        raise
    except Exception as err:  # noqa: BLE001 - whatever matplotlib raises on a bad cache or font
        if not any("matplotlib" in (f.filename or "") for f in _frames(err)):
            raise
        raise SendkgError(f"--plot: matplotlib could not draw the plot ({type(err).__name__}: {err}); "
                          f"remove its cache folder {folder} and try again") from None


def _frames(err: BaseException):
    import traceback

    return traceback.extract_tb(err.__traceback__)


def _plot(rows: list[dict], path: str) -> None:
    """A heat map, authorities against scored features (green good, red poor, grey not stated)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    data = np.array([[np.nan if r["_scores"][k] is None else r["_scores"][k] for k, _ in SCORES] for r in rows],
                    dtype=float)
    fig, ax = plt.subplots(figsize=(1.0 + 0.9 * len(SCORES), 1.6 + 0.55 * len(rows)))
    cmap = matplotlib.colormaps["RdYlGn"].copy()
    cmap.set_bad("#cccccc")
    im = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(SCORES)), [label for _, label in SCORES], rotation=35, ha="right")
    ax.set_yticks(range(len(rows)), [r["name"] for r in rows])
    for i in range(len(rows)):
        for j in range(len(SCORES)):
            v = data[i, j]
            label = rows[i].get("_labels", {}).get(SCORES[j][0]) or ("n/a" if np.isnan(v) else f"{v:.0%}")
            ax.text(j, i, label, ha="center", va="center", fontsize=8)
    ax.set_title("SEND disagreement routes: what each authority's content gets right")
    fig.colorbar(im, ax=ax, fraction=0.025, label="share right or present")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
