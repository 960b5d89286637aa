"""A page's claims as RDF: the nodes every claim family writes, in the vocabulary of authority
content (ontology/authority.ttl), so that the same shapes check a modelled authority and a page."""

from __future__ import annotations

import pyoxigraph as ox

SKG = "https://w3id.org/sendkg/def#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DCT_ID = ox.NamedNode("http://purl.org/dc/terms/identifier")
XSD = "http://www.w3.org/2001/XMLSchema#"
LA_NS = "https://w3id.org/sendkg/id/local-authority/"
TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
FALSE = ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean"))


# The most claims read from one page (issue 22). A real authority's page gives about 3.5 claims per
# 1,000 characters: the seeds 11-51, a 100,000-character page about 350. A text crafted to be dense
# with cue phrases gives 36 per 1,000 and cost lint 45 s of CPU a megabyte; past this bound the page
# is refused in one line, so no page costs more than a few seconds.
MAX_CLAIMS = 2000


def skg(name: str) -> ox.NamedNode:
    return ox.NamedNode(SKG + name)


def integer(n) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


def boolean(b: bool) -> ox.Literal:
    return TRUE if b else FALSE


class Page:
    """The claims read from one page, as quads; each claim is a node placed at its line and column."""

    def __init__(self, vocab, base: str, source_file: str):
        self.v = vocab
        self.base = base
        self.source_file = source_file
        self.quads: list[ox.Quad] = []
        self.n = 0
        self.doc = ox.NamedNode(base + "document")
        self.uncertain: str | None = None  # why the sentence being read is not sure of its claims

    def add(self, s, p, o):
        self.quads.append(ox.Quad(s, p, o))

    def claim(self, kind: str, para, start: int, quote: str) -> ox.NamedNode:
        self.n += 1
        if self.n > MAX_CLAIMS:
            from sendkg.errors import SendkgError

            raise SendkgError(f"{self.source_file}: more than {MAX_CLAIMS:,} claims, more than a page sendkg "
                              f"reads (a real page makes a few hundred at most); split the file")
        c = ox.NamedNode(f"{self.base}claim-{self.n}")
        line, col = para.at(start)
        self.add(c, RDF_TYPE, skg(kind))
        self.add(c, skg("inDocument"), self.doc)
        self.add(c, skg("line"), integer(line))
        self.add(c, skg("column"), integer(col))
        self.add(c, skg("quote"), ox.Literal(quote.strip()))
        if self.uncertain:
            self.add(c, skg("uncertain"), ox.Literal(self.uncertain))
        return c


class SentenceReader:
    """What the sentence-level claim families share: the cues (``c``), the vocabulary (``v``) and the
    page the claims are written to (``ex``)."""

    def __init__(self, cues, vocab, ex: Page):
        self.c = cues
        self.v = vocab
        self.ex = ex

    def claim(self, kind, para, at, quote, paragraph):
        """A claim in a logical paragraph (numbered from 1)."""
        c = self.ex.claim(kind, para, at, quote)
        self.ex.add(c, skg("inParagraph"), integer(paragraph))
        return c
