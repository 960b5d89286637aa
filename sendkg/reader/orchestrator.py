"""Reading a page into claims: the paragraphs, then each claim family over them, in one order.

Paragraph by paragraph (as the file has them): the routes, superseded terms, conditions, services
and Code paragraphs it names. Then by logical paragraph (a Markdown or text paragraph wrapped over
several lines reads as one), sentence by sentence: time limits, duties and actors, bodies, scope and
exceptions, citations; then lists of appealable decisions, councils that no longer exist, and
whether the page says it is a part of a longer account.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from sendkg.inputs import show
from sendkg.reader import bodies, citations, duties, mentions, scope, terms, time_limits
from sendkg.reader.page import DCT_ID, RDF_TYPE, RDFS_LABEL, Page, SentenceReader, boolean, integer, skg
from sendkg.reader.paragraphs import BLOCK_START, Para, logical_paragraphs, read_page
from sendkg.reader.sentence import quoted_paragraphs, quoted_spans, sentences
from sendkg.reader.vocabulary import Vocabulary


def read_sentence(r: SentenceReader, para, paragraph: int, s0: int, sentence: str, before: str, before_here: str = "") -> None:
    """The claims of one sentence. ``before``: the sentence before (or the paragraph before, for a
    paragraph's first sentence); ``before_here``: the sentence before in the same paragraph, if any."""
    if sentence.rstrip().endswith("?"):
        return  # a question asks; the answer says
    if not r.c.trigger.search(sentence):
        return
    if r.v.model.past(sentence):
        return  # "before April 2018 ...", "the trial allowed ...": not a claim about today
    quoted = quoted_spans(sentence)
    r.ex.uncertain = r.v.model.uncertain(para.text, s0, sentence)
    duties.obligations(r, para, paragraph, s0, sentence, before_here, quoted)
    duties.actors(r, para, paragraph, s0, sentence, before, quoted)
    bodies.bodies(r, para, paragraph, s0, sentence, before, quoted)
    scope.exception(r, para, paragraph, s0, sentence, quoted, before)
    scope.appealable(r, para, paragraph, s0, sentence, quoted)
    scope.framed(r, para, paragraph, s0, sentence, quoted, before)
    citations.statutes(r, para, paragraph, s0, sentence, quoted)
    duties.code_duty(r, para, paragraph, s0, sentence, quoted)
    r.ex.uncertain = None


def run(ex: Page, paras: list[Para], authority: ox.NamedNode) -> None:
    """Every claim of the page's paragraphs, written to ``ex``."""
    v = ex.v
    ex.add(ex.doc, RDF_TYPE, skg("Document"))
    ex.add(ex.doc, RDFS_LABEL, ox.Literal(ex.source_file))
    ex.add(ex.doc, skg("sourceFile"), ox.Literal(ex.source_file))
    ex.add(ex.doc, skg("about"), authority)
    reader = SentenceReader(v.claims, v, ex)
    quoted = quoted_paragraphs(paras, v.quote_intros)
    seen_routes: set[str] = set()
    seen_terms: set[tuple[int, str]] = set()
    providers: set[str] = set()
    for i, p in enumerate(paras):
        mentions.routes(ex, p, seen_routes)
        terms.terms(ex, p, quoted[i], seen_terms)
        mentions.conditions(ex, p)
        mentions.services(ex, p, authority, providers)
        citations.code_paragraphs(ex, paras, i, quoted)
    # time limits and the other claims are read by logical paragraph: a Markdown or text
    # paragraph wrapped over several lines reads as one
    logical, lquoted = logical_paragraphs(paras, quoted)
    lead, lead_at = [], 0  # a lead-in ("... by the later of these two dates:") and its list items
    for i, p in enumerate(logical):
        if lquoted[i]:
            continue
        item = bool(BLOCK_START.match(p.text)) and not p.text.lstrip().startswith(("#", ">"))
        if not item and p.text.strip():
            lead, lead_at = [], 0
        time_limits.read(ex, p, lead_at or i + 1, lead if item else None)
        ex.uncertain = None
        if p.text.rstrip().endswith(":"):
            lead, lead_at = v.find("limit", p.text), i + 1
        # the paragraph before, over the blank lines that part paragraphs in a text or Markdown page
        k = i - 1
        while k > 0 and not logical[k].text.strip() and logical[k].lines is None and not logical[k].html:
            k -= 1
        before, here = (logical[k].text if i and logical[k].text.strip() else ""), ""
        for s0, sentence in sentences(p.text):
            read_sentence(reader, p, i + 1, s0, sentence, before, here)
            before = here = sentence
    # how many paragraphs the page has, as the file has them (lines of text, blocks of HTML): a
    # one-paragraph text is an excerpt, whose omissions are not judged above an info (issue 19 item 5)
    ex.add(ex.doc, skg("paragraphs"), integer(sum(1 for p in paras if p.text.strip())))
    scope.appeal_lists(reader, logical, lquoted, 1)
    scope.exception_lists(reader, logical, lquoted, 1)
    duties.actor_lists(reader, logical, lquoted, 1)
    terms.councils(ex, logical, lquoted)
    if any(v.claims.has("partial", p.text) for p in paras):
        ex.add(ex.doc, skg("partial"), boolean(True))


def extract(path: Path, vocab: Vocabulary, authority: dict | None = None,
            site: str | None = None, key: str | None = None) -> tuple[list[ox.Quad], ox.NamedNode]:
    """Claims of the page at ``path`` as quads; ``authority`` is {id, name, gss} when known. With
    ``site`` (a name for the authority's whole content), pages of the same site share one authority,
    so that what the authority leaves out is judged over all of them; without it the page stands
    alone (skg:singlePage) and its omissions are judged on the page only. ``key`` (default: the
    path) names the page's nodes: a study gives one per authority and page, so that a page two
    authorities share is read as each one's."""
    paras = read_page(path)
    slug = hashlib.sha1((key or str(path)).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    base = f"https://w3id.org/sendkg/id/page/{slug}/"
    ex = Page(vocab, base, show(path))
    if site is not None:
        a = ox.NamedNode(f"https://w3id.org/sendkg/id/site/{hashlib.sha1(site.encode('utf-8', 'surrogateescape')).hexdigest()[:12]}/authority")
        slug = hashlib.sha1(site.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    else:
        a = ox.NamedNode(base + "authority")
        ex.add(a, skg("singlePage"), boolean(True))
    ex.add(a, RDF_TYPE, skg("Authority"))
    ex.add(a, DCT_ID, ox.Literal((authority or {}).get("id") or "page-" + slug))
    ex.add(a, RDFS_LABEL, ox.Literal((authority or {}).get("name") or show(path.name)))
    if authority and authority.get("gss"):
        ex.add(a, skg("gssCode"), ox.Literal(authority["gss"]))
    ex.add(a, skg("identified"), boolean(bool(authority and authority.get("gss"))))
    run(ex, paras, a)
    return ex.quads, a
