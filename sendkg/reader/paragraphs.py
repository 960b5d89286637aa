"""Reading a page (plain text, Markdown or HTML) into paragraphs whose every character remembers
its line and column in the original file."""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass, field
from pathlib import Path

from sendkg.errors import SendkgError
from sendkg.inputs import editor_lines, show

# A table row is one paragraph, its cells joined by ": " (so "Appeal to the Tribunal | 2 months from ..."
# reads as one statement); every other block element starts a paragraph.
HTML_CELLS = {"td", "th"}
HTML_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "table",
               "section", "article", "header", "footer", "blockquote", "dd", "dt", "main", "nav", "aside", "hr"}


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
# real authority's page is under 100,000). Reading is linear in a page's length (MAX_SENTENCE in
# sentence.py), and this bounds how long one page can take (issue 22).
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
    printable = all(32 <= b < 127 or b in (9, 10, 13) for b in data[:8])
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


BLOCK_START = re.compile(r"^\s*(?:[-*+•·–]\s|\d+[.)]\s|#|>|\||\([a-z0-9]+\)\s)")


def logical_paragraphs(paras: list[Para], quoted: list[bool]) -> tuple[list[Para], list[bool]]:
    """Lines of plain text or Markdown joined into the paragraphs they wrap (a blank line, a heading,
    a list item, a quotation or a table row starts a new one); HTML paragraphs are already whole.
    Each character keeps its own line and column."""
    out: list[Para] = []
    flags: list[bool] = []
    prev = None
    for p, q in zip(paras, quoted):
        joinable = (p.lines is None and prev is not None and prev.lines is None and p.text.strip() and prev.text.strip()
                    and not BLOCK_START.match(p.text) and not prev.text.lstrip().startswith("#")
                    # a list item goes on only on an indented line
                    and (not BLOCK_START.match(out[-1].text) or p.text[:1].isspace())
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
