"""The sentence model every claim family reads with: sentences, clauses, quotation, names.

Python keeps only language that is not a list of words: where a sentence and a clause end, that a
quotation is not the page's own words, that a capitalised word after another is part of a name.
The words (negations, hedges, history, quotation intros) are in the graph (sendkg.reader.vocabulary).
"""

from __future__ import annotations

import re

SENTENCE = re.compile(r"(?:[^.!?]|[.!?](?![\s)*]|$))*(?:[.!?]+|$)")  # "11.2" does not end a sentence
# a clause ends at these marks or words: a modal verb does not reach across them
CLAUSE_BREAK = re.compile(r"[,;:()]|\s(?:but|or|and then|although|however|whereas|unless|if|so that|because)\s", re.IGNORECASE)
QUOTED = re.compile(r"[\"“]([^\"”]{25,})[\"”]")


# A sentence of a page is read within this many characters: a longer run with no full stop (a list
# of short lines, a table flattened into text, a crafted page) is cut at the last space before it, so
# that reading a page takes time proportional to its length, whatever its shape (issue 22). Real
# sentences on authorities' pages are far shorter (the longest in the development set: under 700).
MAX_SENTENCE = 1500
_SPACE_BEFORE = re.compile(r"\s(?=\S*$)")


def sentences(text: str):
    """(start, sentence) for each sentence of a paragraph's text, each at most MAX_SENTENCE long."""
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


def clause_ok(between: str) -> bool:
    """No clause ends in ``between``."""
    return not CLAUSE_BREAK.search(between)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the quotations (of 25 characters or more) in a sentence."""
    return [m.span() for m in QUOTED.finditer(text)]


def in_quote(quoted, at: int) -> bool:
    return any(s <= at < e for s, e in quoted)


def in_name(text: str, at: int) -> bool:
    """The word at ``at`` is capitalised and follows a capitalised word, mid-sentence: part of a name."""
    if not text[at:at + 1].isupper():
        return False
    prev = re.search(r"(\w+)\W*$", text[:at])
    return bool(prev and prev.group(1)[:1].isupper() and text[:prev.start()].strip() != "")


def quoted_paragraphs(paras, intros) -> list[bool]:
    """A paragraph is quoted if marked so, or if it follows a line ending with a quotation intro
    from the graph ('... says:') up to the next blank line."""
    out = [p.quote for p in paras]
    intros = tuple(intros)
    for i, p in enumerate(paras):
        if p.text.strip().lower().endswith(intros):
            j = i + 1
            while j < len(paras) and not paras[j].text.strip():
                j += 1
            while j < len(paras) and paras[j].text.strip():
                out[j] = True
                j += 1
    return out
