"""A study as one HTML file a researcher opens in a browser: no server, no outside resources.

Nothing from a page runs or loads: every quote, URL, name and field is escaped; only an http(s)
URL (or the file:// address of a local page) becomes a link, so a ``javascript:`` URL is shown as
text; and a Content-Security-Policy lets only the report's own style and script (by their hashes)
run, loads nothing (no images, fonts, frames or requests) and sends no form.

A heat map of authorities by category (sortable by any column, filterable by name, code or region),
then a section per authority with its pages and its findings, each quote shown in its context with
the law it contradicts and a link to the page. Headings, labels, captions and colour with words
beside it (never colour alone), for screen readers and for print.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

_TAGS = re.compile(r"<[^>]+>")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #1d4f91}
table{border-collapse:collapse;margin:.5rem 0}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #767676;padding:.3rem .5rem;font-size:.9rem;vertical-align:top}
thead th{background:#e8eef7}th button{font:inherit;background:none;border:0;cursor:pointer;color:#0b3d91;text-decoration:underline}
.yes{background:#cfe8cf}.no{background:#f4cccc}.na{background:#e6e6e6}.mid{background:#fbe7b5}
.violation{color:#8a1c1c;font-weight:600}.warning{color:#7a4b00;font-weight:600}.info{color:#333}
mark{background:#ffe08a}blockquote{margin:.2rem 0;padding:.2rem .6rem;border-left:4px solid #1d4f91;background:#f5f7fb}
label{font-weight:600;margin-right:.4rem}input,select{font:inherit;padding:.2rem .4rem}
.controls{margin:1rem 0;display:flex;gap:1.2rem;flex-wrap:wrap;align-items:center}
a{color:#0b3d91}.small{font-size:.85rem;color:#444}
"""

JS = """
(function(){
  var table = document.getElementById('heatmap');
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var filter = document.getElementById('filter'), region = document.getElementById('region');
  var count = document.getElementById('shown');
  function apply(){
    var q = filter.value.trim().toLowerCase(), r = region.value, n = 0;
    rows.forEach(function(tr){
      var ok = (!q || tr.getAttribute('data-search').indexOf(q) >= 0) && (!r || tr.getAttribute('data-region') === r);
      tr.hidden = !ok; if (ok) n++;
    });
    count.textContent = n + ' of ' + rows.length + ' authorities shown';
  }
  filter.addEventListener('input', apply); region.addEventListener('change', apply);
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function(th, i){
    var b = th.querySelector('button'); if (!b) return;
    b.addEventListener('click', function(){
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function(h){ h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      rows.sort(function(a, b){
        var x = a.cells[i].getAttribute('data-value'), y = b.cells[i].getAttribute('data-value');
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
        return asc ? c : -c;
      });
      rows.forEach(function(tr){ table.tBodies[0].appendChild(tr); });
    });
  });
  var h = decodeURIComponent((location.hash.match(/filter=([^&]*)/) || [])[1] || '');
  if (h) { filter.value = h; }
  apply();
})();
"""


def _e(x) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _hash(text: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(script: bool = True, css: str = CSS, js: str = JS) -> str:
    """A Content-Security-Policy meta tag that lets only the page's own style ``css`` and script
    ``js`` (by their hashes; none with ``script=False``) run, and loads nothing."""
    scripts = _hash(js) if script else "'none'"
    policy = (f"default-src 'none'; style-src {_hash(css)}; script-src {scripts}; "
              "img-src 'none'; font-src 'none'; connect-src 'none'; frame-src 'none'; object-src 'none'; "
              "base-uri 'none'; form-action 'none'")
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'  # our own text: single quotes only


def safe_href(url) -> str | None:
    """``url`` as an href when it is a web address (http, https) or a local file (file:), else None
    (a ``javascript:`` or ``data:`` URL is never a link)."""
    from urllib.parse import urlsplit

    if not url or not isinstance(url, str) or any(c in url for c in "\x00\n\r\t"):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https", "file") else None


def _link(url, text_html: str) -> str:
    href = safe_href(url)
    return f"<a href='{_e(href)}' rel='noopener noreferrer'>{text_html}</a>" if href else text_html


def _page_lines(page: str) -> tuple[str, ...] | None:
    """A page's lines, read once for all its findings (a study shows each finding twice: in the
    report and on the authority's own page); read again if the file changed (its size or time)."""
    import os

    try:
        st = os.stat(page)
    except (OSError, ValueError):
        return None
    return _read_lines(page, st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=16)
def _read_lines(page: str, size: int, mtime_ns: int) -> tuple[str, ...] | None:
    try:
        return tuple(Path(page).read_text(encoding="utf-8", errors="replace").splitlines())
    except (OSError, ValueError):
        return None


def _context(page: str, line: int | None, quote: str) -> str:
    """The line a finding stands on and its neighbours, markup removed, the quoted words marked."""
    if not page or not line:
        return ""
    lines = _page_lines(page)
    if lines is None:
        return ""
    out = []
    for n in range(max(1, line - 1), min(len(lines), line + 1) + 1):
        text = html.unescape(_TAGS.sub(" ", lines[n - 1])).strip()
        if not text:
            continue
        shown = _e(text)
        if n == line and quote and quote in text:
            shown = shown.replace(_e(quote), f"<mark>{_e(quote)}</mark>", 1)
        out.append(f"<span class='small'>{n}:</span> {shown}")
    return "<blockquote>" + "<br>".join(out) + "</blockquote>" if out else ""


def _cell(value, label: str | None = None) -> str:
    if value is None:
        return "<td class='na' data-value='-1'>n/a</td>"
    if isinstance(value, bool):
        return f"<td class='{'yes' if value else 'no'}' data-value='{int(value)}'>{'yes' if value else 'no'}</td>"
    cls = "yes" if value >= 0.99 else "no" if value < 0.5 else "mid"
    return f"<td class='{cls}' data-value='{value}'>{_e(label or f'{round(value * 100)}%')}</td>"


def heat_row(a: dict, cats: list[dict]) -> str:
    """An authority's row of the heat map."""
    search = " ".join(filter(None, [a["name"], a["council"], a["id"], a.get("gss_code"), a.get("region")])).lower()
    cells = [f"<th scope='row' data-value='{_e(a['name'])}'><a href='#a-{_e(a['id'])}'>{_e(a['name'])}</a></th>",
             f"<td data-value='{_e(a.get('region'))}'>{_e(a.get('region'))}</td>"]
    cells += [_cell(a["categories"].get(c["id"])) for c in cats]
    cells.append(_cell(a["completeness"]))
    cells.append(_cell(a["accuracy"]))
    cells.append(f"<td data-value='{a['counts']['violations']}'>{a['counts']['violations']}</td>")
    cells.append(f"<td data-value='{a['counts']['warnings']}'>{a['counts']['warnings']}</td>")
    return f"<tr data-search='{_e(search)}' data-region='{_e(a.get('region'))}'>" + "".join(cells) + "</tr>"


def report_frame(cats: list[dict], as_of: str, rows: list[str], regions: set[str], n_pages: int,
                 changes: dict | None = None) -> tuple[str, str]:
    """The report around the authorities' sections: what comes before them (the heat map of
    ``rows``, the categories and the changes) and what comes after. The sections go between, so a
    large study can be written a section at a time."""
    head = ["<th scope='col'><button type='button'>authority</button></th>",
            "<th scope='col'><button type='button'>region</button></th>"]
    head += [f"<th scope='col' title='{_e(c['law'])}'><button type='button'>{_e(c['label'])}</button></th>" for c in cats]
    head += ["<th scope='col'><button type='button'>complete</button></th>",
             "<th scope='col'><button type='button'>legally accurate</button></th>",
             "<th scope='col'><button type='button'>violations</button></th>",
             "<th scope='col'><button type='button'>warnings</button></th>"]
    change_html = ""
    if changes:
        items = []
        for c in changes["authorities"]:
            bits = [f"{k.replace('_', ' ')}: {', '.join(v if isinstance(v, str) else v['code'] for v in vals)}"
                    for k, vals in c.items() if k != "id" and vals and not isinstance(vals, str)]
            if "change" in c:
                bits.append(c["change"])
            items.append(f"<li><a href='#a-{_e(c['id'])}'>{_e(c['id'])}</a>: {_e('; '.join(bits))}</li>")
        change_html = (f"<h2 id='changes'>Changes since {_e(changes.get('since'))}</h2>"
                       f"<ul>{''.join(items) or '<li>none</li>'}</ul>")
    options = "".join(f"<option value='{_e(r)}'>{_e(r)}</option>" for r in sorted(regions))
    cat_list = "".join(f"<li><strong>{_e(c['label'])}</strong>: {_e(c['law'])}</li>" for c in cats)
    before = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">{csp()}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sendkg study: SEND disagreement routes in {len(rows)} authorities</title><style>{CSS}</style></head>
<body><main id="top">
<h1>What local authorities publish about SEND disagreement routes</h1>
<p>{len(rows)} authorities, {n_pages} pages, checked against the law in force on {_e(as_of)} by sendkg.</p>
<div class="controls"><div><label for="filter">Filter authorities</label><input id="filter" type="search" placeholder="name, code or region"></div>
<div><label for="region">Region</label><select id="region"><option value="">all regions</option>{options}</select></div>
<p id="shown" role="status" aria-live="polite"></p></div>
<table id="heatmap"><caption>Heat map: each category present (yes) or not (no); completeness is the share of the {len(cats)} categories present; legal accuracy the share of stated time limits, citations and names that are right. Select a column heading to sort.</caption>
<thead><tr>{''.join(head)}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table>
<details><summary>What the categories mean, and their legal basis</summary><ul>{cat_list}</ul></details>
{change_html}
"""
    after = f"""
</main><script>{JS}</script></body></html>
"""
    return before, after


def study_html(data: dict, changes: dict | None = None) -> str:
    """The whole report of a study held in memory (the command writes it a section at a time)."""
    cats, auths = data["categories"], data["authorities"]
    before, after = report_frame(cats, data["as_of"], [heat_row(a, cats) for a in auths],
                                 {a["region"] for a in auths if a.get("region")},
                                 sum(len(a["pages"]) for a in auths), changes)
    return before + "".join(authority_section(a) for a in auths) + after


def _file_uri(page) -> str | None:
    try:
        return Path(page).resolve().as_uri() if page else None
    except (OSError, ValueError):
        return None


def authority_section(a: dict, back: str = "#top") -> str:
    """One authority: its pages, out-of-date names and findings, each quote in its context."""
    pages = "".join(
        f"<li>{_link(p['url'] or _file_uri(p['page']), _e(p['url'] or p['page']))}"
        + (f" <span class='small'>read {_e(p['retrieved_at'])}, {_e((p['sha256'] or '')[:19])}</span>" if p.get("retrieved_at") else "")
        + "</li>" for p in a["pages"])
    rows = []
    for f in a["findings"]:
        where = f"{_e(Path(f['page']).name)}:{_e(f['line'])}" if f.get("page") and f.get("line") else _e(Path(f["page"]).name if f.get("page") else "")
        link = _link(f.get("url"), where)
        quote = ""
        m = re.search(r'\("([^"]+)"\)', f["message"])
        rows.append(f"<tr><td class='{_e(f['severity'])}'>{_e(f['severity'])}</td><td><code>{_e(f['code'])}</code></td>"
                    f"<td>{_e(f['message'])}{_context(f.get('page'), f.get('line'), m.group(1) if m else quote)}</td>"
                    f"<td>{_e(f['law'])}</td><td>{link}</td></tr>")
    stale = "".join(f"<li>{_e(s['name'])}: {_e(s['why'])}</li>" for s in a.get("out_of_date_names", []))
    return (
        f"<section id='a-{_e(a['id'])}' aria-labelledby='h-{_e(a['id'])}'>"
        f"<h2 id='h-{_e(a['id'])}'>{_e(a['name'])} <span class='small'>{_e(a.get('gss_code'))} · {_e(a.get('type'))} · {_e(a.get('region'))}</span></h2>"
        f"<p>Complete: {_e(a['completeness'])} · legally accurate: {_e('n/a' if a['accuracy'] is None else a['accuracy'])} · "
        f"{a['counts']['violations']} violations, {a['counts']['warnings']} warnings, {a['counts']['infos']} infos</p>"
        + (f"<p><a href='authorities/{_e(a['id'])}.html'>{_e(a['name'])} on a page of its own</a></p>" if back == "#top" else "")
        + f"<h3>Pages read</h3><ul>{pages or '<li>none</li>'}</ul>"
        + (f"<h3>Out-of-date names of the council</h3><ul>{stale}</ul>" if stale else "")
        + (f"<table><caption>Findings for {_e(a['name'])}</caption><thead><tr><th scope='col'>severity</th><th scope='col'>code</th>"
           f"<th scope='col'>what the page says, in context</th><th scope='col'>the law</th><th scope='col'>where</th></tr></thead>"
           f"<tbody>{''.join(rows)}</tbody></table>" if rows else "<p>No findings.</p>")
        + f"<p><a href='{back}'>Back to the heat map</a></p></section>")


def authority_html(a: dict, as_of: str) -> str:
    """An authority's section as a page of its own (authorities/ID.html beside report.html)."""
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">{csp(script=False)}"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>sendkg study: {_e(a['name'])}</title><style>{CSS}</style></head><body><main id=\"top\">"
            f"<p><a href=\"../report.html\">All authorities</a> · checked against the law in force on {_e(as_of)}</p>"
            + authority_section(a, back="../report.html") + "</main></body></html>\n")
