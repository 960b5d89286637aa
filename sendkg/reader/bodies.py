"""Bodies and powers: a body described as the authority's own (the Tribunal "run by the council"),
or as the place for a kind of complaint (the Ombudsman for a school's internal matters), as
skg:BodyClaim."""

from __future__ import annotations

import pyoxigraph as ox

from sendkg.reader.page import skg
from sendkg.reader.sentence import in_quote

SCHOOL_COMPLAINT = "https://w3id.org/sendkg/id/route/school-complaint"


def bodies(r, para, paragraph, s0, sentence, before, quoted):
    bodies = [b for b in r.c.find("body", sentence) if not in_quote(quoted, b[0])]
    if not bodies:
        return
    negations = r.c.find("negation", sentence)
    owns = r.c.find("authority-own", sentence)
    modifiers = r.c.find("body-modifier", sentence)
    done = set()
    for bs, be, phrase, nodes in bodies:
        if any(ms >= be and ms - be <= 1 for ms, _me, _p, _n in modifiers):
            continue  # "our Tribunal support service"
        for os_, oe, _p, own_nodes in owns:
            attrs = [r.c.attrs.get(n, {}) for n in own_nodes]
            hit = None
            if oe <= bs and bs - oe <= 1 and any(x.get("governs") == "following" for x in attrs):
                hit = (os_, be)
            elif os_ >= be and os_ - be <= 30 and any(x.get("governs") == "preceding" for x in attrs):
                between = sentence[be:os_]
                if not any(be <= ns < os_ for ns, _ne, _p, _n in negations) and not r.c.has("independence", between):
                    hit = (bs, oe)
            if hit and hit not in done:
                done.add(hit)
                c = r.claim("BodyClaim", para, s0 + hit[0], sentence[hit[0]:hit[1]], paragraph)
                for node in sorted(nodes):
                    r.ex.add(c, skg("aboutBody"), ox.NamedNode(node))
                for x in attrs:
                    if x.get("owner"):
                        r.ex.add(c, skg("describedAsPartOf"), ox.NamedNode(x["owner"]))
    # a body named as the place for a kind of complaint: the nearest matter named in the sentence
    if negations or r.c.has("hedge", sentence):
        return
    matters = r.c.find("matter", sentence) if r.c.has("hearing", sentence) else []
    # not the words of a body's own name ("Health Service" in the Health Service Ombudsman's)
    matters = [m for m in matters if not any(bs <= m[0] < be for bs, be, _p, _n in bodies)]
    for bs, be, phrase, nodes in bodies:
        route = None
        if matters:
            nearest = min(matters, key=lambda m: min(abs(m[0] - be), abs(bs - m[1])))
            route = sorted(r.c.attrs.get(n, {}).get("matter") for n in nearest[3])[0]
        elif r.c.has("escalation", sentence) and r.c.has("school-matter", before) \
                and not r.c.has("authority-matter", before) and not r.c.has("authority-matter", sentence):
            route = SCHOOL_COMPLAINT  # "... the school's complaints procedure. If still unhappy, the Ombudsman"
        if route is None or (route == SCHOOL_COMPLAINT and r.c.has("authority-matter", sentence)
                             and not r.c.has("school-matter", sentence)):
            continue
        c = r.claim("BodyClaim", para, s0 + bs, sentence[bs:be], paragraph)
        for node in sorted(nodes):
            r.ex.add(c, skg("aboutBody"), ox.NamedNode(node))
        r.ex.add(c, skg("describedAsHearing"), ox.NamedNode(route))
