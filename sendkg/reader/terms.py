"""Terms and names: superseded names of bodies and procedures a page uses (skg:TermClaim, in a
quotation or not, in a sentence about history or not), and councils the register says no longer
exist (skg:AuthorityNameClaim); the shapes judge both by date."""

from __future__ import annotations

import re

import pyoxigraph as ox

from sendkg.reader.page import LA_NS, boolean, skg
from sendkg.reader.paragraphs import Para
from sendkg.reader.sentence import sentences


def terms(ex, p: Para, in_quotation: bool, seen: set[tuple[int, str]]) -> None:
    """The superseded terms of one paragraph (each term once per line)."""
    v = ex.v
    text = p.text
    found = v.find("term", text)
    if not found:
        return
    inline = [m.span() for m in re.finditer(r"[\"“][^\"”]+[\"”]", text)]
    spans = list(sentences(text))
    # a sentence about an earlier time or name ("formerly the ...", "was replaced by", "before April 2018")
    history = [(s0, s0 + len(s)) for s0, s in spans if v.claims.has("historical", s) or v.model.past(s)]
    for start, end, phrase, nodes in found:
        in_quote = in_quotation or any(s <= start < e for s, e in inline)
        s0, sentence = next(((s0, s) for s0, s in spans if s0 <= start < s0 + len(s)), (0, text))
        # "you may hear it called SENDIST", "First-tier Tribunal (Special Educational Needs and Disability Tribunal)"
        other_name = v.model.alias(sentence, start - s0, end - s0)
        ex.uncertain = "a question" if sentence.rstrip().endswith("?") else None
        for node in nodes:
            key = (p.at(start)[0], node)
            if key in seen:
                continue
            seen.add(key)
            c = ex.claim("TermClaim", p, start, phrase)
            ex.add(c, skg("usesTerm"), ox.NamedNode(node))
            ex.add(c, skg("inQuotation"), boolean(in_quote))
            if other_name or any(s <= start < e for s, e in history):
                ex.add(c, skg("historical"), boolean(True))
        ex.uncertain = None


def councils(ex, paras: list[Para], quoted: list[bool]) -> None:
    """Councils the page names that the register of authorities (ontology/england/
    authorities.ttl) says no longer exist: a claim each, which the shapes judge by date."""
    v = ex.v
    register = v.register()
    for i, p in enumerate(paras):
        if v.abolished is None or not v.abolished.search(p.text):
            continue
        for m in register.mentions(p.text):
            if m.authority.end is None:
                continue
            c = ex.claim("AuthorityNameClaim", p, m.start, m.phrase)
            ex.add(c, skg("namesAuthority"), ox.NamedNode(LA_NS + m.authority.id))
            ex.add(c, skg("inQuotation"), boolean(quoted[i]))
            if any(s0 <= m.start < s0 + len(s) and v.claims.has("historical", s) for s0, s in sentences(p.text)):
                ex.add(c, skg("historical"), boolean(True))
