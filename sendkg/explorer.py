"""The explorer: the model for an analyst, in a browser with no network.

Pages: the decisions (``index.html``); one page per decision (``decision/ID.html``) with its routes in
order as a diagram (``sendkg.render.diagram``: parties, time limits, legal basis), the routes in a
table, a deadline calculator and the queries the answer ran, each a link into the SPARQL editor
(``sparql.html#query=...``) with the query filled in as it ran (parameters bound as a VALUES block).

Served by ``sendkg serve`` at ``/explorer/`` (each page made in a bounded child process, as a query
is): the as-of date is a control (``?as_of=``), the calculator asks ``api/deadlines`` (the engine of
``sendkg deadlines``, the same JSON) and the editor runs its query at ``/query``. Built as static
files by ``sendkg explore -o DIR`` for one as-of day: everything but the dates and the editor's
answers works without a server; the calculator there writes the ``sendkg deadlines`` command that
gives the dates.

Every text is escaped; a Content-Security-Policy lets only the page's own style and script (by
their hashes) run, loads nothing from anywhere, and in the static build connects nowhere.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.2rem 1.5rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:1.8rem;border-bottom:2px solid #1d4f91}
table{border-collapse:collapse;margin:.5rem 0}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #767676;padding:.3rem .5rem;font-size:.9rem;vertical-align:top;text-align:left}
thead th{background:#e8eef7}a{color:#0b3d91}.small{font-size:.85rem;color:#444}
nav{display:flex;gap:1.5rem;flex-wrap:wrap;align-items:center;border-bottom:1px solid #ccc;padding-bottom:.6rem}
label{font-weight:600;margin-right:.4rem}input,select,button{font:inherit;padding:.2rem .4rem}
.diagram{overflow-x:auto;border:1px solid #ccc;padding:.5rem;background:#fff}.routes-diagram{max-width:none}
.warn{background:#fbe7b5;padding:.3rem .6rem}.error{color:#8a1c1c;font-weight:600}
fieldset{border:1px solid #aaa;margin:.6rem 0}.field{margin:.3rem 0}
textarea{width:100%;font-family:ui-monospace,monospace;font-size:.85rem}
pre,code{font-family:ui-monospace,monospace;font-size:.85rem}pre{background:#f5f7fb;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
"""

JS = r"""
(function(){
  var body = document.body, served = body.getAttribute('data-mode') === 'served';
  function el(tag, text){ var e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = String(text); return e; }
  function row(cells, head){ var tr = el('tr'); cells.forEach(function(c){ tr.appendChild(el(head ? 'th' : 'td', c)); }); return tr; }
  function table(id, caption, heads, rows){
    var t = el('table'); t.id = id; t.appendChild(el('caption', caption));
    var th = el('thead'); th.appendChild(row(heads, true)); t.appendChild(th);
    var tb = el('tbody'); rows.forEach(function(r){ tb.appendChild(row(r)); }); t.appendChild(tb); return t;
  }
  // the deadline calculator
  var calc = document.getElementById('calculator');
  if (calc) {
    var out = document.getElementById('calc-out'), cmd = document.getElementById('calc-command');
    var decision = body.getAttribute('data-decision'), asOf = body.getAttribute('data-as-of-given');
    function words(arg){ return /^[A-Za-z0-9_.:=\/-]+$/.test(arg) ? arg : "'" + arg.replace(/'/g, "'\\''") + "'"; }
    function gather(){
      var q = [['decision', decision]], argv = ['sendkg', 'deadlines', decision];
      Array.prototype.forEach.call(calc.querySelectorAll('input[data-event]'), function(i){
        if (!i.value) return;
        var name = i.getAttribute('data-event');
        if (name === 'decision') { q.push(['decision_date', i.value]); argv.push('--decision-date', i.value); }
        else if (name === 'certificate') { q.push(['certificate_date', i.value]); argv.push('--certificate-date', i.value); }
        else { q.push(['event', name + '=' + i.value]); argv.push('--event', name + '=' + i.value); }
      });
      Array.prototype.forEach.call(calc.querySelectorAll('input[data-condition]:checked'), function(i){
        q.push(['condition', i.value]); argv.push('--condition', i.value);
      });
      document.getElementById('calc-closures').value.split(/[\s,]+/).forEach(function(c){
        if (c) { q.push(['school_closed', c]); argv.push('--school-closed', c); }
      });
      var today = document.getElementById('calc-today').value;
      if (today) { q.push(['today', today]); argv.push('--today', today); }
      if (asOf) { q.push(['as_of', asOf]); argv.push('--as-of', asOf); }
      argv.push('--format', 'json');
      return {query: q.map(function(p){ return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]); }).join('&'),
              command: argv.map(words).join(' ')};
    }
    calc.addEventListener('submit', function(ev){
      ev.preventDefault();
      var g = gather();
      cmd.textContent = g.command;
      out.textContent = '';
      if (!served) { out.appendChild(el('p', 'The dates come from sendkg\'s engine: run the command above, or open this page under sendkg serve.')); return; }
      out.appendChild(el('p', 'counting...'));
      fetch('../api/deadlines?' + g.query, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
        .then(function(r){ return r.json().then(function(j){ return [r.ok, j]; }); })
        .then(function(res){
          out.textContent = '';
          var ok = res[0], j = res[1];
          if (!ok) { var p = el('p', j.error || 'the calculation failed'); p.className = 'error'; p.setAttribute('role', 'alert'); out.appendChild(p); return; }
          out.appendChild(el('p', 'The law as of ' + (j.as_of || 'each anchor event\'s day') + '; days left from ' + j.today + '.'));
          out.appendChild(table('calc-table', 'Deadlines', ['route', 'deadline', 'date', 'days left', 'rule', 'note'],
            j.deadlines.map(function(d){ return [d.route, d.id, d.date || 'no date yet', d.days_left === null || d.days_left === undefined ? '' : d.days_left, d.rule, d.note || '']; })));
          Array.prototype.forEach.call(out.querySelectorAll('#calc-table tbody tr'), function(tr, i){
            tr.setAttribute('data-id', j.deadlines[i].id); tr.setAttribute('data-date', j.deadlines[i].date || '');
          });
        })
        .catch(function(e){ out.textContent = ''; var p = el('p', 'the server did not answer: ' + e); p.className = 'error'; out.appendChild(p); });
    });
  }
  // the SPARQL editor
  var editor = document.getElementById('sparql');
  if (editor) {
    var m = location.hash.match(/^#query=(.*)$/);
    if (m) { try { editor.value = decodeURIComponent(m[1]); } catch (e) { editor.value = ''; } }
    var run = document.getElementById('run'), res = document.getElementById('results');
    if (run) run.addEventListener('click', function(){
      res.textContent = 'running...';
      fetch('../query', {method: 'POST', body: editor.value, credentials: 'same-origin',
                         headers: {'Content-Type': 'application/sparql-query', 'Accept': 'application/sparql-results+json'}})
        .then(function(r){ return r.text().then(function(t){ return [r.ok, t]; }); })
        .then(function(x){
          res.textContent = '';
          if (!x[0]) { var p = el('p', x[1]); p.className = 'error'; res.appendChild(p); return; }
          var j = JSON.parse(x[1]);
          if (j.boolean !== undefined) { res.appendChild(el('p', 'answer: ' + j.boolean)); return; }
          var vars = j.head.vars;
          res.appendChild(table('result-table', j.results.bindings.length + ' rows', vars, j.results.bindings.map(function(b){
            return vars.map(function(v){ return b[v] ? b[v].value : ''; }); })));
        })
        .catch(function(e){ res.textContent = 'the server did not answer: ' + e; });
    });
  }
})();
"""


def _e(x) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _policy(served: bool) -> str:
    from sendkg.render.report import _hash

    own = "'self'" if served else "'none'"
    return (f"default-src 'none'; style-src {_hash(CSS)}; script-src {_hash(JS)}; img-src 'none'; font-src 'none'; "
            f"connect-src {own}; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action {own}")


HEADERS = {"Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "Cache-Control": "no-store",
           "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Resource-Policy": "same-origin"}


def headers(served: bool = True) -> dict:
    """The HTTP headers of a served page: its policy (and frame-ancestors, which a meta tag cannot set)."""
    return {**HEADERS, "Content-Security-Policy": _policy(served) + "; frame-ancestors 'none'"}


@contextmanager
def recording(model):
    """The queries the model runs inside the block, as (source, text with its parameters bound)."""
    from sendkg.store import bind

    store, seen = model.store, []
    original = store.select

    def select(query, params=None, source="query"):
        text = bind(query, params or {})
        if (source, text) not in seen:
            seen.append((source, text))
        return original(query, params, source)

    store.select = select
    try:
        yield seen
    finally:
        del store.select


def editor_link(text: str, prefix: str) -> str:
    return f"{prefix}sparql.html#query=" + urllib.parse.quote(text, safe="")


class Explorer:
    """Makes the explorer's pages from a model (the parent's, forked for each served page)."""

    def __init__(self, model, served: bool, engine: str | None = None):
        self.model, self.served, self.engine = model, served, engine

    # ------------------------------------------------------------ the frame of every page
    def page(self, title: str, body: str, prefix: str, as_of_given: str | None, decision: str = "") -> str:
        info = self.model.as_of_info()
        if self.served:
            control = (f"<form method='get' action='' id='as-of-form'><label for='as_of'>The law in force on</label>"
                       f"<input type='date' id='as_of' name='as_of' value='{_e(info.get('as_of'))}'>"
                       "<button type='submit'>show</button></form>")
        else:
            control = (f"<form id='as-of-form'><label for='as_of'>The law in force on</label>"
                       f"<input type='date' id='as_of' name='as_of' value='{_e(info.get('as_of'))}' disabled>"
                       "<span class='small'> (built for this day: rebuild with <code>sendkg explore --as-of DAY</code>, "
                       "or open it under <code>sendkg serve</code> to choose)</span></form>")
        beyond = ("<p class='warn'>This day is after the day up to which the model knows the law "
                  f"({_e(info.get('knowledge_date'))}): a later change would not be here.</p>") if info.get("beyond_knowledge") else ""
        q = self._q(as_of_given)
        return (f"<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
                f"<meta http-equiv='Content-Security-Policy' content=\"{_policy(self.served)}\">"
                "<meta name='viewport' content='width=device-width, initial-scale=1'><meta name='referrer' content='no-referrer'>"
                f"<title>{_e(title)} · sendkg explorer</title><style>{CSS}</style></head>"
                f"<body data-mode='{'served' if self.served else 'static'}' data-decision='{_e(decision)}' "
                f"data-as-of-given='{_e(as_of_given or '')}'>"
                f"<nav><a href='{prefix}index.html{q}'>Decisions</a><a href='{prefix}sparql.html'>SPARQL editor</a>{control}</nav>"
                f"<main>{beyond}{body}</main><script>{JS}</script></body></html>\n")

    def _q(self, as_of_given: str | None) -> str:
        return ("?as_of=" + urllib.parse.quote(as_of_given)) if (self.served and as_of_given) else ""

    def _queries(self, seen, prefix: str) -> str:
        runs: dict[str, int] = {}
        items = []
        for source, text in seen:  # a query run again with other parameters is numbered
            runs[source] = runs.get(source, 0) + 1
            again = f" <span class='small'>(run {runs[source]})</span>" if runs[source] > 1 else ""
            items.append(f"<li><a href='{_e(editor_link(text, prefix))}'>{_e(source)}</a>{again}</li>")
        items = "".join(items)
        return ("<h2 id='queries'>The queries behind this answer</h2><p>Each opens in the SPARQL editor as it ran, "
                f"its parameters bound.</p><ul>{items}</ul>")

    # ------------------------------------------------------------ pages
    def index(self, as_of_given: str | None = None) -> str:
        with recording(self.model) as seen:
            rows = self.model.decisions()
        q = self._q(as_of_given)
        body = "".join(f"<tr><td><a href='decision/{_e(r['id'])}.html{q}'>{_e(r['label'])}</a></td><td><code>{_e(r['id'])}</code></td>"
                       f"<td>{'yes' if r['appealable'] else 'no'}</td><td>{_e(r['comment'])}</td></tr>" for r in rows)
        return self.page("Decisions", "<h1>SEND decisions and the routes after them</h1>"
                         f"<p>The law in force on {_e(self.model.as_of_info().get('as_of'))}. Pick a decision to see its routes "
                         "in order, with parties, time limits and legal basis, and to count its deadlines.</p>"
                         "<table id='decisions'><caption>Decisions</caption><thead><tr><th scope='col'>decision</th>"
                         "<th scope='col'>id</th><th scope='col'>appeal to the Tribunal</th><th scope='col'>what it is</th></tr></thead>"
                         f"<tbody>{body}</tbody></table>" + self._queries(seen, ""), "", as_of_given)

    def decision(self, decision_id: str, as_of_given: str | None = None) -> str:
        from sendkg.render.diagram import routes_svg
        from sendkg.render.report import safe_href

        with recording(self.model) as seen:
            answer = self.model.routes(decision_id)
            conditions = [c for c in self.model.conditions().values() if decision_id in c["decisions"]]
        svg, engine = routes_svg(answer, self.engine)
        d = answer["decision"]

        def law(sources):
            return "; ".join((f"<a href='{_e(safe_href(s.get('iri')))}' rel='noopener noreferrer'>{_e(s['citation'])}</a>"
                              if safe_href(s.get("iri")) else _e(s["citation"])) for s in sources)

        rows = "".join(
            f"<tr id='route-{_e(r['id'])}'><td>{'any stage' if r['any_stage'] else _e(r['step'])}</td><td><strong>{_e(r['label'])}</strong>"
            f"<br><code>{_e(r['id'])}</code></td><td>{'required' if r['required'] else 'optional'}"
            + (f"<br>after {_e(', '.join(r['after']))}" if r["after"] else "")
            + (f"<br>usually after {_e(', '.join(r['usually_after']))}" if r["usually_after"] else "")
            + f"</td><td>{_e(', '.join(r['party_labels']))}</td><td>{'<br>'.join(_e(t) for t in r['time_limits'])}</td>"
            f"<td>{law(r['sources'])}</td></tr>" for r in answer["routes"])
        notices = "".join(f"<p class='warn'><strong>{_e(n['label'])}</strong>: {_e(n['text'])}</p>" for n in answer.get("notices", []))
        anchors: dict[str, str] = {}
        for r in answer["routes"]:
            for lim in r["time_limit_details"]:
                for p in lim["parts"]:
                    if p.get("anchor"):
                        anchors.setdefault(p["anchor"], p.get("anchor_label") or p["anchor"])
        anchors.setdefault("decision", "written notice of the decision being sent")
        for row in self.model.select("later-anchors"):  # e.g. amended reasons after the reasons (HESC r.46(2))
            if row["event"] in anchors:
                anchors.setdefault(row["later"], row["laterLabel"])
        order = sorted(anchors, key=lambda a: (a != "decision", a != "certificate", a))
        fields = "".join(
            f"<div class='field'><label for='ev-{_e(a)}'>{_e(a)}</label><input type='date' id='ev-{_e(a)}' data-event='{_e(a)}'>"
            f" <span class='small'>{_e(anchors[a])} ({'--decision-date' if a == 'decision' else '--certificate-date' if a == 'certificate' else '--event ' + a + '=DATE'})</span></div>"
            for a in order)
        conds = "".join(f"<div class='field'><input type='checkbox' id='cond-{_e(c['id'])}' data-condition value='{_e(c['id'])}'>"
                        f"<label for='cond-{_e(c['id'])}'>{_e(c['label'])}</label> <code>{_e(c['id'])}</code></div>" for c in conditions)
        how = ("Counted by sendkg's engine on the server (the answer of <code>sendkg deadlines</code>)." if self.served else
               "This page was built without a server: it writes the <code>sendkg deadlines</code> command that counts the dates "
               "(or open the explorer under <code>sendkg serve</code> to see them here).")
        calculator = (
            "<h2 id='deadlines'>Deadline calculator</h2>"
            f"<p>{how}</p><form id='calculator'><fieldset><legend>Dates of the events the time limits run from</legend>{fields}</fieldset>"
            + (f"<fieldset><legend>Conditions that hold</legend>{conds}</fieldset>" if conds else "")
            + "<div class='field'><label for='calc-closures'>School closures</label><input id='calc-closures' size='40' "
            "placeholder='2026-04-03..2026-04-17 2026-05-25..2026-05-29'> <span class='small'>(--school-closed, for limits in school days)</span></div>"
            "<div class='field'><label for='calc-today'>Count days left from</label><input type='date' id='calc-today'> "
            "<span class='small'>(--today; default today)</span></div>"
            "<button type='submit' id='calc-go'>Count the deadlines</button></form>"
            "<p class='small'>The same as: <code id='calc-command'></code></p><div id='calc-out' aria-live='polite'></div>")
        body = (f"<h1>{_e(d['label'])}</h1><p><code>{_e(d['id'])}</code> · legal basis: {law(d['sources'])}</p>{notices}"
                f"<h2 id='diagram'>The routes in order</h2><figure><div class='diagram' id='diagram-box'>{svg}</div>"
                "<figcaption class='small'>Solid arrows: the step must come first; dashed: it usually does. "
                f"Laid out by {'Graphviz dot' if engine == 'dot' else 'sendkg (Graphviz is not installed)'}.</figcaption></figure>"
                "<table id='routes'><caption>Routes, parties, time limits and legal basis</caption><thead><tr>"
                "<th scope='col'>step</th><th scope='col'>route</th><th scope='col'>order</th><th scope='col'>parties</th>"
                f"<th scope='col'>time limits</th><th scope='col'>legal basis</th></tr></thead><tbody>{rows}</tbody></table>"
                + calculator + self._queries(seen, "../"))
        return self.page(d["label"], body, "../", as_of_given, decision=d["id"])

    def sparql(self) -> str:
        from sendkg.resources import resource_dir

        names = sorted(p.stem for p in resource_dir("queries").glob("*.rq"))
        items = "".join(f"<li><a href='{_e(editor_link(self._read(n), ''))}'>{_e(n)}.rq</a></li>" for n in names)
        run = ("<p><button type='button' id='run'>Run at this server's /query</button></p>" if self.served else
               "<p class='small'>This copy was built without a server: copy the query into a file and run "
               "<code>sendkg query FILE.rq</code>, or open the editor under <code>sendkg serve</code> to run it here.</p>")
        body = ("<h1>SPARQL editor</h1><p><label for='sparql'>Query</label></p>"
                "<textarea id='sparql' rows='22' spellcheck='false'></textarea>"
                f"{run}<div id='results' aria-live='polite'></div>"
                f"<details><summary>The model's queries (queries/*.rq, unbound)</summary><ul>{items}</ul></details>")
        return self.page("SPARQL editor", body, "", None)

    @staticmethod
    def _read(name: str) -> str:
        from sendkg.store import load_query

        return load_query(name)

    # ------------------------------------------------------------ served
    def answer(self, target: str) -> tuple[int, str, bytes, dict]:
        """The served explorer's answer to ``GET /explorer/...``: (status, type, body, headers)."""
        from sendkg.errors import SendkgError

        split = urllib.parse.urlsplit(target)
        path = split.path[len("/explorer"):].lstrip("/") or "index.html"
        params = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        page_type = "text/html; charset=utf-8"
        try:
            given = _one(params, "as_of")
            if path == "api/deadlines":
                return 200, "application/json; charset=utf-8", self.deadlines(params), headers(True)
            self._set_as_of(given)
            if path == "index.html":
                return 200, page_type, self.index(given).encode(), headers(True)
            if path == "sparql.html":
                return 200, page_type, self.sparql().encode(), headers(True)
            m = re.fullmatch(r"decision/([A-Za-z0-9_-]{1,200})\.html", path)
            if m:
                return 200, page_type, self.decision(m.group(1), given).encode(), headers(True)
            return 404, "text/plain; charset=utf-8", b"no such page in the explorer: see /explorer/\n", headers(True)
        except SendkgError as err:
            if path == "api/deadlines":
                return 400, "application/json; charset=utf-8", json.dumps({"error": str(err)}).encode(), headers(True)
            return 400, "text/plain; charset=utf-8", (str(err) + "\n").encode(), headers(True)

    def _set_as_of(self, text: str | None):
        if text:
            from sendkg.deadlines import parse_date

            self.model.as_of = self.model.check_day(parse_date(text, "as_of"))

    def deadlines(self, params: dict) -> bytes:
        """``sendkg deadlines --format json`` for the calculator's fields (the same engine and answer)."""
        from sendkg.commands.law import deadlines_answer
        from sendkg.errors import SendkgError

        known = {"decision", "decision_date", "certificate_date", "event", "condition", "school_closed", "today", "as_of"}
        extra = sorted(set(params) - known)
        if extra:
            raise SendkgError(f"unknown field {extra[0]!r}: give {', '.join(sorted(known))}")
        decision = _one(params, "decision")
        if not decision:
            raise SendkgError("give the decision (decision=ID)")
        answer = deadlines_answer(self.model, decision, _one(params, "decision_date"), _one(params, "certificate_date"),
                                  params.get("event", []), params.get("condition", []), params.get("school_closed", []),
                                  _one(params, "today"), _one(params, "as_of"))
        return (json.dumps(answer, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    # ------------------------------------------------------------ static
    def build(self, out: Path, as_of_given: str | None = None) -> int:
        """Write the static explorer into ``out``; return the number of pages."""
        from sendkg.commands.output import write_file
        from sendkg.errors import SendkgError

        (out / "decision").mkdir(parents=True, exist_ok=True)
        pages = {"index.html": self.index(as_of_given), "sparql.html": self.sparql()}
        for d in self.model.decisions():
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,200}", d["id"]):  # a file name, never a path
                raise SendkgError(f"decision '{d['id'][:100]}': an identifier of letters, digits, - and _ is needed for its page")
            pages[f"decision/{d['id']}.html"] = self.decision(d["id"], as_of_given)
        for name, text in pages.items():
            write_file(text.encode("utf-8"), str(out / name), inputs=[], option="-o")
        return len(pages)


def _one(params: dict, name: str) -> str | None:
    from sendkg.errors import SendkgError

    values = params.get(name, [])
    if len(values) > 1:
        raise SendkgError(f"give {name} once")
    return values[0].strip() if values and values[0].strip() else None
