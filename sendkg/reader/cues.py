"""Phrases matched once per text: every phrase of every kind (the reader's vocabulary and the cues of
claims, all from the graph) in one Aho-Corasick automaton (pyahocorasick), so that a sentence or a
paragraph is scanned once, whatever the number of kinds the claim families ask about it.

What a kind finds is exactly what its own regular expression finds (``phrase_regex`` with the
kind's boundaries, run with ``finditer`` and IGNORECASE, which is kept as the reference and for the
rare text the automaton cannot read exactly): at each place the longest of the kind's phrases whose
boundaries hold, from left to right, none overlapping. Boundaries, by style:

- ``word`` (the vocabulary): no word character before or after the phrase;
- ``cue`` (the cues of claims): no word character or apostrophe before, no word character after,
  and no apostrophe and letter after but a possessive "'s" ("the council's");
- ``any`` (whether a sentence can hold a claim at all): as ``cue``, but any apostrophe after.
"""

from __future__ import annotations

import re
from collections import defaultdict

WORD = re.compile(r"\w")
NOT_POSSESSIVE = re.compile(r"['’][a-rt-z]", re.IGNORECASE)
STYLES = {  # the regular expression around a kind's phrases, by style (the reference)
    "word": (r"(?<!\w)(", r")(?!\w)"),
    "cue": (r"(?<![\w'’])(", r")(?!\w)(?!['’][a-rt-z])"),
    "any": (r"(?<![\w'’])(", r")(?!\w)"),
}
# letters that IGNORECASE matches to another letter though neither is the other's lower case
# (re._casefix); and a curly apostrophe reads as a straight one, so that a phrase written with "'"
# matches a page's "’" ("governors’ decision"): a text is folded with them, so that the automaton
# finds what the expression finds
_EXTRA_CASES = str.maketrans({"ı": "i", "ſ": "s", "’": "'"})


def phrase_regex(phrases) -> str:
    """One regular expression for many phrases, as a trie (shared beginnings written once), so that
    it costs little at each position of a text; at a position it matches the longest phrase that
    fits (its optional parts are greedy). Phrases are lower-cased: compile it with IGNORECASE."""
    trie: dict = {}
    for p in phrases:
        node = trie
        for ch in p.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node) -> str:
        ends = "" in node
        # a straight apostrophe in a phrase matches a curly one on the page ("governors’ decision")
        alts = [("['’]" if ch == "'" else re.escape(ch)) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if ends:
            return "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    return build(trie)


def _fold(text: str) -> str | None:
    """The text lower-cased as IGNORECASE compares it, character for character; None when that
    cannot be done in place (a letter whose lower case is two letters, a final sigma)."""
    fold = text.lower()
    if len(fold) != len(text) or "Σ" in text:
        return None
    return fold if fold.isascii() else fold.translate(_EXTRA_CASES)  # one character for one: places kept


_NONE: list = []  # no match (never changed: callers get a copy or only read it)


def _key(words: str) -> str:
    """The phrase a match of the expressions stands for: each letter lower-cased as IGNORECASE does."""
    return "".join(c.lower()[:1] for c in words).translate(_EXTRA_CASES)


class PhraseIndex:
    """Every phrase of every kind, one automaton. ``kinds``: kind -> (style, {phrase: nodes}), the
    phrases lower-case. ``find(kind, text)`` gives (start, end, the words as written, nodes) for
    each match, as the kind's regular expression's ``finditer`` would."""

    MEMO = 4096  # texts remembered (a sentence is asked about many kinds, by several readers)

    def __init__(self, kinds: dict[str, tuple[str, dict[str, set]]]):
        import ahocorasick

        self.kinds = kinds
        entries: dict[str, list] = defaultdict(list)
        for kind, (style, table) in kinds.items():
            if style not in STYLES:
                raise ValueError(f"unknown style {style!r} of the phrases of {kind!r}")
            for phrase, nodes in table.items():
                if phrase:
                    entries[phrase.lower()].append((kind, style, nodes))
        self.automaton = ahocorasick.Automaton()
        for phrase, found in entries.items():
            self.automaton.add_word(phrase, (len(phrase), tuple(found)))
        if entries:
            self.automaton.make_automaton()
        self._empty = not entries
        self._memo: dict[str, dict] = {}
        self._regex: dict[str, re.Pattern] = {}

    def find(self, kind, text: str) -> list:
        hit = self._memo.get(text)
        return (self.scan(text) if hit is None else hit).get(kind, _NONE)

    def scan(self, text: str) -> dict[str, list]:
        """Each kind's matches in the text (kinds without one left out)."""
        hit = self._memo.get(text)
        if hit is None:
            if len(self._memo) >= self.MEMO:
                self._memo.clear()
            fold = None if self._empty else _fold(text)
            hit = self._memo[text] = {} if self._empty else self._scan(text, fold) if fold is not None \
                else self.scan_regex(text)
        return hit

    def _scan(self, text: str, fold: str) -> dict[str, list]:
        best: dict[str, dict[int, tuple[int, set]]] = {}
        n = len(text)
        for last, (size, found) in self.automaton.iter(fold):
            end = last + 1
            if end < n and WORD.match(text, end):
                continue  # every style ends a phrase at a word's end
            start = end - size
            before = text[start - 1] if start else ""
            word_before = bool(before) and WORD.match(before) is not None
            quote_before = word_before or before in ("'", "’")
            possessive = None
            for kind, style, nodes in found:
                if word_before if style == "word" else quote_before:
                    continue
                if style == "cue":
                    if possessive is None:
                        possessive = NOT_POSSESSIVE.match(text, end) is not None
                    if possessive:
                        continue
                at = best.setdefault(kind, {})
                if start not in at or at[start][0] < end:
                    at[start] = (end, nodes)
        out = {}
        for kind, at in best.items():
            pos, matches = 0, []
            for start in sorted(at):
                if start >= pos:
                    end, nodes = at[start]
                    matches.append((start, end, text[start:end], nodes))
                    pos = end
            out[kind] = matches
        return out

    def regex(self, kind: str) -> re.Pattern:
        """The kind's own regular expression (the reference the automaton answers as)."""
        p = self._regex.get(kind)
        if p is None:
            style, table = self.kinds[kind]
            left, right = STYLES[style]
            p = self._regex[kind] = re.compile(left + phrase_regex(table) + right, re.IGNORECASE)
        return p

    def scan_regex(self, text: str) -> dict[str, list]:
        """:meth:`scan` by each kind's regular expression in turn."""
        out = {}
        for kind, (_style, table) in self.kinds.items():
            if not table:
                continue
            found = [(m.start(), m.end(), m.group(0), table.get(_key(m.group(0)), set()))
                     for m in self.regex(kind).finditer(text)]
            if found:
                out[kind] = found
        return out
