"""Citations: paragraphs of the Code of Practice chapter 11 ("11.13-11.38") and the route each is cited
for; sections, regulations and rules of an instrument ("regulation 33 of the Children and Families
Act"), as skg:CitationClaim."""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox

from sendkg.reader.page import XSD, skg
from sendkg.reader.paragraphs import Para
from sendkg.reader.sentence import in_quote, sentences

CITATION = re.compile(r"(?<![\d.])11\.(\d{1,3})(?:\s*(?:to|-|–)\s*11\.(\d{1,3}))?(?![\d])")
DIGIT = re.compile(r"\d")


def code_paragraphs(ex, paras: list[Para], i: int, quoted: list[bool]) -> None:
    p = paras[i]
    text = p.text
    for m in CITATION.finditer(text):
        bracketed = (text[max(0, m.start() - 1):m.start()] == "(" or ex.v.claims.has("code-name", text)
                     or ex.v.claims.ends("paragraph-word", text[:m.start()]) is not None)
        if not bracketed:
            continue
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        c = ex.claim("CitationClaim", p, m.start(), m.group(0))
        ex.add(c, skg("citedFirst"), ox.Literal(str(first), datatype=ox.NamedNode(XSD + "integer")))
        ex.add(c, skg("citedLast"), ox.Literal(str(last), datatype=ox.NamedNode(XSD + "integer")))
        route = cited_for(ex.v, paras, i, m.start())
        if route:
            ex.add(c, skg("citedFor"), ox.NamedNode(route))

def cited_for(v, paras: list[Para], i: int, at: int) -> str | None:
    """The route a citation is about: its own sentence; else the quotation it introduces; else
    the nearest paragraph before it that names a route. None when that is not clear."""
    text = paras[i].text
    sentence = next((s for s0, s in sentences(text) if s0 <= at < s0 + len(s)), text)
    places = []
    if text.strip().lower().endswith(tuple(v.quote_intros)):  # "... (11.13) says:" + the quote
        j = i + 1
        while j < len(paras) and not paras[j].text.strip():
            j += 1
        if j < len(paras):
            places.append(paras[j].text)
    places += [sentence, text] + [paras[j].text for j in range(i - 1, max(-1, i - 9), -1)]
    candidates = next(([found] for found in map(lambda s: v.find("route", s), places) if found), [])
    if not candidates:
        return None
    counts: dict[str, int] = defaultdict(int)
    for _s, _e, _p, nodes in candidates[0]:
        for node in nodes:
            counts[node] += 1
    if not counts:
        return None
    best = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(best) > 1 and best[0][1] == best[1][1]:
        return None  # two routes as likely: do not guess
    return best[0][0]


def statutes(r, para, paragraph, s0, sentence, quoted):
    if not DIGIT.search(sentence):
        return
    found = []
    for m in r.c.cite_after.finditer(sentence):
        found.append((m.start(), m.end(), m.group(1), m.group(2), m.group(3)))
    for m in r.c.cite_before.finditer(sentence):
        found.append((m.start(), m.end(), m.group(2), m.group(3), m.group(1)))
    for s, e, kind, number, instrument in found:
        if in_quote(quoted, s) or "schedule" in sentence[s:e].lower():
            continue
        kinds = r.c.nodes["kind"].get(kind.lower(), set())
        instruments = r.c.nodes["instrument"].get(instrument.lower(), set())
        if not kinds or not instruments:
            continue
        c = r.claim("CitationClaim", para, s0 + s, sentence[s:e], paragraph)
        for k in sorted(kinds):
            r.ex.add(c, skg("citedKind"), ox.NamedNode(k))
        for i in sorted(instruments):
            r.ex.add(c, skg("citedInstrument"), ox.NamedNode(i))
        r.ex.add(c, skg("citedNumber"), ox.Literal(re.match(r"\d+[A-Z]?(?:\.\d+)?", number).group(0)))
        # what the provision is cited for: the routes and steps the sentence names
        routes = set()
        for _s, _e, _p, nodes in r.v.find("route", sentence) + r.c.find("step", sentence):
            routes |= nodes
        for route in sorted(routes):
            r.ex.add(c, skg("citedFor"), ox.NamedNode(route))
