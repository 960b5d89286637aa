"""Reading an authority's page (plain text, Markdown or HTML) into claims, as RDF.

The page is split into paragraphs whose every character remembers its line and column in the
original file. Claims are found with the vocabulary in the graph (queries/lint-vocabulary.rq: the
SKOS labels of routes, time limits, events, conditions, superseded terms, services and providers),
never with word lists in Python, and are written in the vocabulary of authority content, so the same
shapes check a modelled authority and a page.
"""

from __future__ import annotations

import html.parser
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from sendkg.errors import SendkgError
from sendkg.inputs import editor_lines, show
from sendkg.store import load_query

SKG = "https://w3id.org/sendkg/def#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DCT_ID = ox.NamedNode("http://purl.org/dc/terms/identifier")
XSD = "http://www.w3.org/2001/XMLSchema#"
# Numbers as pages write them (language, not law).
NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
NUMBERS.update({"fourteen": 14, "fifteen": 15, "sixteen": 16, "eighteen": 18, "twenty": 20, "twenty-eight": 28, "twenty eight": 28,
                "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90, "a": 1, "an": 1})
# A table row is one paragraph, its cells joined by ": " (so "Appeal to the Tribunal | 2 months from ..."
# reads as one statement); every other block element starts a paragraph.
HTML_CELLS = {"td", "th"}
HTML_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "table",
               "section", "article", "header", "footer", "blockquote", "dd", "dt", "main", "nav", "aside", "hr"}


LA_NS = "https://w3id.org/sendkg/id/local-authority/"


def skg(name: str) -> ox.NamedNode:
    return ox.NamedNode(SKG + name)


@dataclass
class Para:
    """A paragraph: its text (markup removed) and, for each character, its line and column in the
    original file (``lines`` per character for HTML; one ``line`` for a line of text)."""

    text: str = ""
    cols: list[int] | range = field(default_factory=list)
    lines: list[int] | None = field(default_factory=list)
    line: int = 0
    quote: bool = False
    html: bool = False  # a block of an HTML page (a list item is a block of its own)

    def add(self, ch: str, line: int, col: int) -> None:
        self.text += ch
        self.cols.append(col)
        self.lines.append(line)

    def at(self, i: int) -> tuple[int, int]:
        return (self.lines[i] if self.lines else self.line), self.cols[i]


# ---------------------------------------------------------------- reading pages
def read_text(path: Path) -> str:
    from sendkg.inputs import read_bytes

    data = read_bytes(path, "page")  # a regular file (or -) within the input limit, else one line
    path = show(path)
    kind = not_a_page(data)
    if kind:
        raise SendkgError(f"{path}: {kind}, not a page; give a text, Markdown or HTML file")
    if b"\x00" in data[:8192]:
        raise SendkgError(f"{path}: a binary file, not a page; give a text, Markdown or HTML file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SendkgError(f"{path}:{line}: not UTF-8 (byte 0x{data[err.start]:02x}); save the page as UTF-8") from None
    if not text.strip():
        raise SendkgError(f"{path}: the file is empty; give a page with text")
    if len(text) > MAX_PAGE_CHARS:
        raise SendkgError(f"{path}: {len(text):,} characters is more than a page sendkg reads "
                          f"(at most {MAX_PAGE_CHARS:,}); split the file")
    return text


# The largest page lint, compare and study read, in characters of text (about 500 printed pages; a
# real authority's page is under 100,000). Reading is linear in a page's length (MAX_SENTENCE), and
# this bounds how long one page can take: about 20 s on one core (issue 22).
MAX_PAGE_CHARS = 1_000_000
# formats whose signature is itself printable text: a file that starts with it is that format
_TEXT_SIGNATURES = {"pdf", "rtf", "ps"}


def not_a_page(data: bytes) -> str | None:
    """"a PDF file" (or an image, an office document, an archive ...) when ``data`` is a file of a
    binary format, by its signature (the filetype library); None for text. A signature of a few
    printable letters ("BM", "ID3", "MZ") is believed only where the bytes after it are not text, so
    a page that starts "BMX club" stays a page; a PDF is a PDF even when it is all ASCII."""
    import filetype

    kind = filetype.guess(data[:8192])
    if kind is None:
        return None
    head = data[:8]
    printable = all(32 <= b < 127 or b in (9, 10, 13) for b in head)
    if printable and kind.extension not in _TEXT_SIGNATURES:
        return None
    return f"a {kind.extension.upper()} file ({kind.mime})"


_INLINE = re.compile(r"<[^>\n]+>|\*\*|__|\[(?=[^\]\n]*\]\()|\]\([^)\n]*\)|(?<![\w*])\*(?=\w)|(?<=\w)\*(?![\w*])")


def text_paragraphs(text: str) -> list[Para]:
    """Plain text or Markdown: one paragraph per line; inline markup and link targets dropped."""
    paras = []
    for n, raw in enumerate(editor_lines(text), start=1):  # lines as editors count them
        spans = [m.span() for m in _INLINE.finditer(raw)]
        if not spans:  # most lines: no markup, columns are the positions
            p = Para(raw, range(1, len(raw) + 1), None, n)
        else:
            keep, cols, last = [], [], 0
            for s, e in spans + [(len(raw), len(raw))]:
                keep.append(raw[last:s])
                cols.extend(range(last + 1, s + 1))
                last = e
            p = Para("".join(keep), cols, None, n)
        p.quote = raw.lstrip().startswith(">")
        paras.append(p)
    return paras


_BLOCK_START = re.compile(r"^\s*(?:[-*+•·–]\s|\d+[.)]\s|#|>|\||\([a-z0-9]+\)\s)")


def logical_paragraphs(paras: list[Para], quoted: list[bool]) -> tuple[list[Para], list[bool]]:
    """Lines of plain text or Markdown joined into the paragraphs they wrap (a blank line, a heading,
    a list item, a quotation or a table row starts a new one); HTML paragraphs are already whole.
    Each character keeps its own line and column."""
    out: list[Para] = []
    flags: list[bool] = []
    prev = None
    for p, q in zip(paras, quoted):
        joinable = (p.lines is None and prev is not None and prev.lines is None and p.text.strip() and prev.text.strip()
                    and not _BLOCK_START.match(p.text) and not prev.text.lstrip().startswith("#")
                    # a list item goes on only on an indented line
                    and (not _BLOCK_START.match(out[-1].text) or p.text[:1].isspace())
                    and not prev.text.rstrip().endswith(":") and q == flags[-1])
        if joinable:
            m = out[-1]
            if m.lines is None:  # first join: give the paragraph per-character lines
                m = Para(m.text, list(m.cols), [m.line] * len(m.text), m.line, m.quote)
                out[-1] = m
            m.text += " "
            m.cols.append(m.cols[-1] + 1 if m.cols else 1)
            m.lines.append(m.lines[-1] if m.lines else prev.line)
            m.text += p.text
            m.cols.extend(p.cols)
            m.lines.extend([p.line] * len(p.text))
        else:
            out.append(p)
            flags.append(q)
        prev = p
    return out, flags


class _HTML(html.parser.HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.lines = editor_lines(source, keepends=True)  # lines as editors count them
        self.paras: list[Para] = [Para(html=True)]
        self.skip = 0
        self.quote = 0

    def _new(self):
        if self.paras[-1].text.strip():
            self.paras.append(Para(html=True))
        self.paras[-1].quote = self.quote > 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template"):
            self.skip += 1
        if tag in ("blockquote", "q"):
            self.quote += 1
        if tag in HTML_BLOCKS:
            self._new()
        if tag in HTML_CELLS and self.paras[-1].text.strip() and not self.skip:
            line, col = self.getpos()
            for ch in ": ":
                self.paras[-1].add(ch, line, col + 1)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template"):
            self.skip = max(0, self.skip - 1)
        if tag in HTML_BLOCKS:
            self._new()
        if tag in ("blockquote", "q"):
            self.quote = max(0, self.quote - 1)

    def _text(self, data: str, shown: str | None = None):
        if self.skip:
            return
        line, col = self.getpos()  # col counts from 0
        p = self.paras[-1]
        if shown is not None:  # an entity: one character standing for the whole reference
            p.add(shown, line, col + 1)
            return
        for ch in data:
            if ch == "\n":
                line, col = line + 1, 0
                p.add(" ", line, 1)
                continue
            p.add(ch, line, col + 1)
            col += 1

    def handle_data(self, data):
        self._text(data)

    def handle_entityref(self, name):
        import html as _h

        self._text("", _h.unescape(f"&{name};")[:1] or " ")

    def handle_charref(self, name):
        import html as _h

        self._text("", _h.unescape(f"&#{name};")[:1] or " ")


def html_paragraphs(text: str) -> list[Para]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # the parser counts lines at \n only
    parser = _HTML(text)
    parser.feed(text)
    parser.close()
    return [p for p in parser.paras if p.text.strip()]


def read_page(path: Path) -> list[Para]:
    text = read_text(path)
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))
    return html_paragraphs(text) if is_html else text_paragraphs(text)


# ---------------------------------------------------------------- vocabulary
class Vocabulary:
    def __init__(self, store):
        self.by_kind: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
        self.limit_anchor: dict[str, str] = {}
        self.limit_unit: dict[str, str] = {}
        self.limit_n: dict[str, int] = {}
        self.limit_whole: dict[str, tuple[str, int]] = {}  # a limb -> (its combined limit, its sequence)
        self.misreads: dict[str, set[str]] = defaultdict(set)  # event -> the events it is a misreading of
        for r in store.select(load_query("lint-vocabulary")):
            self.by_kind[r["kind"]].append((r["phrase"], r["node"], r))
            if r["kind"] == "limit":
                self.limit_anchor[r["node"]], self.limit_unit[r["node"]] = r["anchor"], r["unit"]
                self.limit_n[r["node"]] = int(r["n"])
                if r["whole"]:
                    self.limit_whole[r["node"]] = (r["whole"], int(r["seq"] or 0))
            if r["kind"] == "event" and r["misreads"]:
                self.misreads[r["node"]].add(r["misreads"])
        self.patterns = {k: self._compile(v) for k, v in self.by_kind.items()}
        # the misreadings on their own, since "the decision letter reached you" holds both
        # "the decision letter" (sent) and "decision letter reached you" (received)
        self.patterns["misreading"] = self._compile([e for e in self.by_kind["event"] if e[1] in self.misreads])
        units = sorted({p for p, _, _ in self.by_kind["unit"]}, key=len, reverse=True)
        self.unit_of = {p.lower(): n for p, n, _ in self.by_kind["unit"]}
        numbers = "|".join(sorted(NUMBERS, key=len, reverse=True))
        self.duration = re.compile(rf"(?<![\w.])(\d+|{numbers})[\s-]+(?:calendar\s+)?({'|'.join(map(re.escape, units))})(?!\w)",
                                   re.IGNORECASE)
        self.quote_intros = [p.lower() for p, _, _ in self.by_kind["quote-intro"]]
        from sendkg.claims import ClaimCues

        self.claims = ClaimCues(store)
        self._store = store
        self._register = None

    def register(self):
        """The register of local authorities (read once, when a page is first checked for them)."""
        if self._register is None:
            from sendkg.claims import phrase_regex
            from sendkg.register import Register

            self._register = Register.from_store(self._store)
            # the names of councils that no longer exist, as one pattern: a paragraph without any is
            # not looked at again (the register's own pattern knows every council, and is slower)
            ended = {p for p, i, kind, _s in self._register.names
                     if self._register.authorities[i].end and kind != "label"}
            self.abolished = re.compile(r"(?<![\w-])(?:" + phrase_regex(ended) + r")(?![\w-])", re.IGNORECASE) if ended else None
        return self._register

    @staticmethod
    def _compile(entries):
        phrases = sorted({p for p, _, _ in entries}, key=len, reverse=True)
        nodes = defaultdict(set)
        for p, n, _ in entries:
            nodes[p.lower()].add(n)
        if not phrases:
            return None, nodes
        from sendkg.claims import phrase_regex

        return re.compile(r"(?<!\w)(" + phrase_regex(phrases) + r")(?!\w)", re.IGNORECASE), nodes

    def find(self, kind: str, text: str):
        """Non-overlapping matches of the kind's phrases (longest first): (start, end, phrase, nodes)."""
        pattern, nodes = self.patterns.get(kind, (None, {}))
        if pattern is None:
            return []
        return [(m.start(), m.end(), m.group(0), nodes[m.group(0).lower()]) for m in pattern.finditer(text)]


# ---------------------------------------------------------------- extraction
CITATION = re.compile(r"(?<![\d.])11\.(\d{1,3})(?:\s*(?:to|-|–)\s*11\.(\d{1,3}))?(?![\d])")
ANCHOR_LINK = re.compile(r"\b(?:from|of|after|since|following|starting|beginning|on|when|once|that)\b", re.IGNORECASE)
DATE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")
COMBINED = re.compile(r"\b(?:whichever|if that is later|if later|the later of|if that ends later|if that gives you longer|if that date is later)\b", re.IGNORECASE)
NOT_A_LIMIT = re.compile(r"\b(?:last|past|previous|every|each|over the|for the)\s+$", re.IGNORECASE)
THEN = re.compile(r"\s*(?:from|after|of)\s+(?:then|that|this|it)\b", re.IGNORECASE)
CLAUSE = re.compile(r"[,;:]|\s(?:or|and|but|whichever)\s", re.IGNORECASE)
SENTENCE = re.compile(r"(?:[^.!?]|[.!?](?![\s)*]|$))*(?:[.!?]+|$)")  # "11.2" does not end a sentence


# A sentence of a page is read within this many characters: a longer run with no full stop (a list
# of short lines, a table flattened into text, a crafted page) is cut at the last space before it, so
# that reading a page takes time proportional to its length, whatever its shape (issue 22). Real
# sentences on authorities' pages are far shorter (the longest in the development set: under 700).
MAX_SENTENCE = 1500
_SPACE_BEFORE = re.compile(r"\s(?=\S*$)")


def _sentences(text: str):
    for m in SENTENCE.finditer(text):
        start, sentence = m.start(), m.group(0)
        while len(sentence) > MAX_SENTENCE:
            cut = _SPACE_BEFORE.search(sentence, 0, MAX_SENTENCE)
            end = cut.start() + 1 if cut and cut.start() > 0 else MAX_SENTENCE
            if sentence[:end].strip():
                yield start, sentence[:end]
            start, sentence = start + end, sentence[end:]
        if sentence.strip():
            yield start, sentence


class Extractor:
    def __init__(self, vocab: Vocabulary, base: str, source_file: str):
        self.v = vocab
        self.base = base
        self.source_file = source_file
        self.quads: list[ox.Quad] = []
        self.n = 0
        self.doc = ox.NamedNode(base + "document")

    def add(self, s, p, o):
        self.quads.append(ox.Quad(s, p, o))

    def claim(self, kind: str, para: Para, start: int, quote: str) -> ox.NamedNode:
        self.n += 1
        c = ox.NamedNode(f"{self.base}claim-{self.n}")
        line, col = para.at(start)
        self.add(c, RDF_TYPE, skg(kind))
        self.add(c, skg("inDocument"), self.doc)
        self.add(c, skg("line"), ox.Literal(str(line), datatype=ox.NamedNode(XSD + "integer")))
        self.add(c, skg("column"), ox.Literal(str(col), datatype=ox.NamedNode(XSD + "integer")))
        self.add(c, skg("quote"), ox.Literal(quote.strip()))
        return c

    def run(self, paras: list[Para], authority: ox.NamedNode) -> None:
        self.add(self.doc, RDF_TYPE, skg("Document"))
        self.add(self.doc, RDFS_LABEL, ox.Literal(self.source_file))
        self.add(self.doc, skg("sourceFile"), ox.Literal(self.source_file))
        self.add(self.doc, skg("about"), authority)
        from sendkg.claims import ClaimReader, appeal_lists

        reader = ClaimReader(self.v.claims, self.v, self)
        quoted = self._quotations(paras)
        seen_routes: set[str] = set()
        seen_terms: set[tuple[int, str]] = set()
        providers: set[str] = set()
        for i, p in enumerate(paras):
            text = p.text
            for start, _end, phrase, nodes in self.v.find("route", text):
                for node in sorted(nodes - seen_routes):
                    seen_routes.add(node)
                    c = self.claim("RouteClaim", p, start, phrase)
                    self.add(c, skg("describes"), ox.NamedNode(node))
            terms = self.v.find("term", text)
            if terms:
                inline = [m.span() for m in re.finditer(r"[\"“][^\"”]+[\"”]", text)]
                history = [(s0, s0 + len(s)) for s0, s in _sentences(text) if self.v.claims.has("historical", s)]
            for start, _end, phrase, nodes in terms:
                in_quote = quoted[i] or any(s <= start < e for s, e in inline)
                for node in nodes:
                    key = (p.at(start)[0], node)
                    if key in seen_terms:
                        continue
                    seen_terms.add(key)
                    c = self.claim("TermClaim", p, start, phrase)
                    self.add(c, skg("usesTerm"), ox.NamedNode(node))
                    self.add(c, skg("inQuotation"), ox.Literal("true" if in_quote else "false",
                                                                 datatype=ox.NamedNode(XSD + "boolean")))
                    if any(s <= start < e for s, e in history):  # "formerly the ...", "was replaced by"
                        self.add(c, skg("historical"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))
            for start, _end, phrase, nodes in self.v.find("condition", text):
                for node in nodes:
                    c = self.claim("ExceptionClaim", p, start, phrase)
                    self.add(c, skg("mentionsCondition"), ox.NamedNode(node))
            for start, _end, phrase, nodes in self.v.find("sendiass", text):
                if not any(q.predicate == skg("sendiass") for q in self.quads):
                    service = ox.NamedNode(self.base + "sendiass")
                    self.add(authority, skg("sendiass"), service)
                    self.add(service, RDF_TYPE, skg("Service"))
                    self.add(service, RDFS_LABEL, ox.Literal(phrase))
            for _start, _end, _phrase, nodes in self.v.find("provider", text):
                for node in nodes - providers:
                    providers.add(node)
                    self.add(self.doc, skg("namesProvider"), ox.NamedNode(node))
            self._citations(paras, i, quoted)
        # time limits and the other claims are read by logical paragraph: a Markdown or text
        # paragraph wrapped over several lines reads as one
        logical, lquoted = logical_paragraphs(paras, quoted)
        lead, lead_at = [], 0  # a lead-in ("... by the later of these two dates:") and its list items
        for i, p in enumerate(logical):
            if lquoted[i]:
                continue
            item = bool(_BLOCK_START.match(p.text)) and not p.text.lstrip().startswith(("#", ">"))
            if not item and p.text.strip():
                lead, lead_at = [], 0
            self._time_limits(p, lead_at or i + 1, lead if item else None)
            if p.text.rstrip().endswith(":"):
                lead, lead_at = self.v.find("limit", p.text), i + 1
            before, here = (logical[i - 1].text if i and logical[i - 1].text.strip() else ""), ""
            for s0, sentence in _sentences(p.text):
                reader.read(p, i + 1, s0, sentence, before, here)
                before = here = sentence
        appeal_lists(reader, logical, lquoted, 1)
        self._councils(logical, lquoted)
        if any(self.v.claims.has("partial", p.text) for p in paras):
            self.add(self.doc, skg("partial"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))

    def _councils(self, paras: list[Para], quoted: list[bool]) -> None:
        """Councils the page names that the register of authorities (ontology/england/
        authorities.ttl) says no longer exist: a claim each, which the shapes judge by date."""
        register = self.v.register()
        for i, p in enumerate(paras):
            if self.v.abolished is None or not self.v.abolished.search(p.text):
                continue
            for m in register.mentions(p.text):
                if m.authority.end is None:
                    continue
                c = self.claim("AuthorityNameClaim", p, m.start, m.phrase)
                self.add(c, skg("namesAuthority"), ox.NamedNode(LA_NS + m.authority.id))
                self.add(c, skg("inQuotation"), ox.Literal("true" if quoted[i] else "false",
                                                            datatype=ox.NamedNode(XSD + "boolean")))
                if any(s0 <= m.start < s0 + len(s) and self.v.claims.has("historical", s) for s0, s in _sentences(p.text)):
                    self.add(c, skg("historical"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))

    def _quotations(self, paras: list[Para]) -> list[bool]:
        """A paragraph is quoted if marked so, or if it follows a line ending with a quotation
        intro from the graph ('... says:') up to the next blank line."""
        out = [p.quote for p in paras]
        for i, p in enumerate(paras):
            if p.text.strip().lower().endswith(tuple(self.v.quote_intros)):
                j = i + 1
                while j < len(paras) and not paras[j].text.strip():
                    j += 1
                while j < len(paras) and paras[j].text.strip():
                    out[j] = True
                    j += 1
        return out

    def _time_limits(self, p: Para, paragraph: int = 0, lead: list | None = None) -> None:
        """The time limits a paragraph states; ``lead``: the cues of the lead-in line a list item
        stands under ("Your appeal must reach the Tribunal by the later of these two dates:")."""
        from sendkg.claims import QUOTED

        previous_cues: list = []
        if not self.v.duration.search(p.text):
            return
        for s0, sentence in _sentences(p.text):
            durations = [d for d in self.v.duration.finditer(sentence)
                         if not any(s <= d.start() < e for s, e in (m.span() for m in QUOTED.finditer(sentence)))
                         and not NOT_A_LIMIT.search(sentence[:d.start()])]
            cues = self.v.find("limit", sentence)
            if DATE.search(sentence):  # a worked example ("one month from the certificate is 5 June")
                durations = []
            if not durations:
                previous_cues = cues
                continue
            if not cues and lead:
                cues = [(-1, -1, phrase, nodes) for _s, _e, phrase, nodes in lead]
            if not cues and re.search(r"\b(?:the|then have|you then have)\s+$", sentence[:durations[0].start()], re.IGNORECASE):
                # "There is a strict time limit for appealing. The two months start ..."
                cues = [(-1, -1, phrase, nodes) for _s, _e, phrase, nodes in previous_cues]
            previous_cues = cues
            events = self.v.find("event", sentence)
            chosen: list[str | None] = []
            # the limbs each period matches exactly (length and unit), so that another period does
            # not take them ("30 days or 2 months, whichever is longest": the 2 months are the first limb)
            exact = []
            for d in durations:
                nn = int(d.group(1)) if d.group(1).isdigit() else NUMBERS[d.group(1).lower()]
                uu = self.v.unit_of[d.group(2).lower()]
                exact.append({x for x in self.v.limit_whole if self.v.limit_n.get(x) == nn and self.v.limit_unit.get(x) == uu})
            combined = bool(COMBINED.search(sentence))
            for k, d in enumerate(durations):
                avoid = set().union(*(exact[j] for j in range(len(durations)) if j != k)) - exact[k]
                number = d.group(1).lower()
                n = int(number) if number.isdigit() else NUMBERS[number]
                unit = self.v.unit_of[d.group(2).lower()]
                # the event a period runs from follows it, joined by a preposition ("of", "from",
                # "after" ...), close by, in the same clause and before the next stated period
                until = min(d.end() + 60, durations[k + 1].start() if k + 1 < len(durations) else len(sentence))
                after = [e for e in events if d.end() <= e[0] < until and ANCHOR_LINK.search(sentence[d.end():e[0]])
                         and not re.search(r"[,;]", sentence[d.end():e[0]])]
                stated_anchor = next(iter(sorted(after[0][3]))) if after else None
                if after:
                    misread = [e for e in self.v.find("misreading", sentence)
                               if after[0][0] <= e[0] < after[0][1] + 3 and e[1] > after[0][1]]
                    if misread:
                        stated_anchor = next(iter(sorted(misread[0][3])))
                if stated_anchor is None and THEN.match(sentence[d.end():]):  # "thirty days from then"
                    prior = [e for e in events if e[1] <= d.start()]
                    stated_anchor = next(iter(sorted(prior[-1][3]))) if prior else None
                # cues in the period's own clause first, else the sentence's
                lo = max([m.end() for m in CLAUSE.finditer(sentence, 0, d.start())], default=0)
                hi = next((m.start() for m in CLAUSE.finditer(sentence, d.end())), len(sentence))
                own = [c for c in cues if lo <= c[0] and c[1] <= hi]
                if not own:  # the sentence's cues, but not for a limit another period has taken
                    taken = {x for x in chosen if x}
                    own = [(s, e, ph, nodes - taken) for s, e, ph, nodes in cues if nodes - taken]
                limit = self._which_limit(own, d, stated_anchor, unit, n, chosen, avoid, combined)
                chosen.append(limit)
                if limit is None:
                    continue
                c = self.claim("TimeLimitClaim", p, s0 + d.start(), sentence[d.start():d.end() + 60].split(",")[0])
                self.add(c, skg("aboutLimit"), ox.NamedNode(limit))
                self.add(c, skg("statedDuration"), ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer")))
                self.add(c, skg("statedUnit"), ox.NamedNode(unit))
                if stated_anchor:
                    self.add(c, skg("statedAnchor"), ox.NamedNode(stated_anchor))
                self.add(c, skg("inParagraph"), ox.Literal(str(paragraph), datatype=ox.NamedNode(XSD + "integer")))
                if limit in self.v.limit_whole and not any(x in self.v.limit_whole for x in chosen[:-1]):
                    # "whichever comes first": how the limbs combine, said once, on the first limb stated
                    for _s, _e, _p, nodes in self.v.claims.find("combination", sentence)[:1]:
                        for node in sorted(nodes):
                            self.add(c, skg("statedCombination"), ox.NamedNode(node))

    def _which_limit(self, cues, d, anchor, unit, n, chosen=(), avoid=(), combined=False) -> str | None:
        """The time limit a stated period is about: the most cues in its sentence; then the stated
        anchor (the limit's own, else an event that is a misreading of it); then the nearest cue of
        its own; then the unit, then the number. None when two limits still fit equally well."""
        score: dict[str, int] = defaultdict(int)
        where: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for start, end, _phrase, nodes in cues:
            for node in nodes:
                score[node] += 1
                where[node].append((start, end))
        if not score:
            return self._by_anchor(anchor, unit, n, combined) if anchor else None
        shared = {(s, e): len(nodes) for s, e, _p, nodes in cues}

        def gap(span):  # characters between a cue and the stated period
            s, e = span
            return d.start() - e if e <= d.start() else s - d.end() if s >= d.end() else 0

        def key(node):
            unique = [gap(span) for span in where[node] if shared[span] == 1]
            own = self.v.limit_anchor.get(node)
            anchored = 2 if own == anchor else 1 if own in self.v.misreads.get(anchor, ()) else 0
            return (score[node], anchored, -(min(unique) if unique else 10**6),
                    self.v.limit_unit.get(node) == unit, self.v.limit_n.get(node) == n)

        ranked = sorted(score, key=key, reverse=True)
        if anchor is not None and key(ranked[0])[1] == 0:
            # the stated event is not the best limit's, nor a misreading of it ("two months from when
            # you received the final plan" is not the 20 weeks to the final plan): the limits counted
            # from that event (or the one it misreads) with this length, if only one fits; else none
            fit = self._by_anchor(anchor, unit, n, combined, strict=True)
            if fit:
                return fit
        if len(ranked) > 1 and key(ranked[0]) == key(ranked[1]):
            # two limbs of one combined limit (the appeal's two months and one month): the limb the
            # sentence has not stated yet, else the first limb; any other tie: do not guess
            tied = [r for r in ranked if key(r) == key(ranked[0])]
            wholes = {self.v.limit_whole.get(r, (None, 0))[0] for r in tied}
            if len(wholes) == 1 and None not in wholes:
                fresh = [r for r in tied if r not in chosen and r not in avoid] or [r for r in tied if r not in chosen] or tied
                return min(fresh, key=lambda r: self.v.limit_whole[r][1])
            return None
        return ranked[0]

    def _by_anchor(self, anchor, unit, n, combined, strict=False) -> str | None:
        """The limit counted from the stated event (or the one it misreads) with this length and
        unit, if only one fits; in a sentence that combines two limbs ("whichever is later"), a limb."""
        fits = [node for node, own in self.v.limit_anchor.items()
                if (own == anchor or own in self.v.misreads.get(anchor, ()))
                and self.v.limit_unit.get(node) == unit and self.v.limit_n.get(node) == n]
        if combined and len(fits) > 1:
            fits = [f for f in fits if f in self.v.limit_whole]
        if not fits and (combined or not strict):  # a wrong length: the one limit counted from that event, if only one is
            fits = [node for node, own in self.v.limit_anchor.items() if own == anchor or own in self.v.misreads.get(anchor, ())]
        return fits[0] if len(fits) == 1 else None

    def _citations(self, paras: list[Para], i: int, quoted: list[bool]) -> None:
        p = paras[i]
        text = p.text
        lower = text.lower()
        for m in CITATION.finditer(text):
            bracketed = (text[max(0, m.start() - 1):m.start()] == "(" or "code of practice" in lower or "the code" in lower
                         or re.search(r"\b(?:paragraphs?|paras?\.?)\s*$", text[:m.start()], re.IGNORECASE))
            if not bracketed:
                continue
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            c = self.claim("CitationClaim", p, m.start(), m.group(0))
            self.add(c, skg("citedFirst"), ox.Literal(str(first), datatype=ox.NamedNode(XSD + "integer")))
            self.add(c, skg("citedLast"), ox.Literal(str(last), datatype=ox.NamedNode(XSD + "integer")))
            route = self._cited_for(paras, i, m.start())
            if route:
                self.add(c, skg("citedFor"), ox.NamedNode(route))

    def _cited_for(self, paras: list[Para], i: int, at: int) -> str | None:
        """The route a citation is about: its own sentence; else the quotation it introduces; else
        the nearest paragraph before it that names a route. None when that is not clear."""
        text = paras[i].text
        sentence = next((s for s0, s in _sentences(text) if s0 <= at < s0 + len(s)), text)
        places = []
        if text.strip().lower().endswith(tuple(self.v.quote_intros)):  # "... (11.13) says:" + the quote
            j = i + 1
            while j < len(paras) and not paras[j].text.strip():
                j += 1
            if j < len(paras):
                places.append(paras[j].text)
        places += [sentence, text] + [paras[j].text for j in range(i - 1, max(-1, i - 9), -1)]
        candidates = next(([found] for found in map(lambda s: self.v.find("route", s), places) if found), [])
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


def extract(path: Path, vocab: Vocabulary, authority: dict | None = None,
            site: str | None = None, key: str | None = None) -> tuple[list[ox.Quad], ox.NamedNode]:
    """Claims of the page at ``path`` as quads; ``authority`` is {id, name, gss} when known. With
    ``site`` (a name for the authority's whole content), pages of the same site share one authority,
    so that what the authority leaves out is judged over all of them; without it the page stands
    alone (skg:singlePage) and its omissions are judged on the page only. ``key`` (default: the
    path) names the page's nodes: a study gives one per authority and page, so that a page two
    authorities share is read as each one's."""
    import hashlib

    paras = read_page(path)
    slug = hashlib.sha1((key or str(path)).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    base = f"https://w3id.org/sendkg/id/page/{slug}/"
    ex = Extractor(vocab, base, show(path))
    if site is not None:
        a = ox.NamedNode(f"https://w3id.org/sendkg/id/site/{hashlib.sha1(site.encode('utf-8', 'surrogateescape')).hexdigest()[:12]}/authority")
        slug = hashlib.sha1(site.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    else:
        a = ox.NamedNode(base + "authority")
        ex.add(a, skg("singlePage"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))
    ex.add(a, RDF_TYPE, skg("Authority"))
    ex.add(a, DCT_ID, ox.Literal((authority or {}).get("id") or "page-" + slug))
    ex.add(a, RDFS_LABEL, ox.Literal((authority or {}).get("name") or show(path.name)))
    if authority and authority.get("gss"):
        ex.add(a, skg("gssCode"), ox.Literal(authority["gss"]))
    ex.add(a, skg("identified"), ox.Literal("true" if authority and authority.get("gss") else "false",
                                              datatype=ox.NamedNode(XSD + "boolean")))
    ex.run(paras, a)
    return ex.quads, a
