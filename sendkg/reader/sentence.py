"""The sentence model every claim family reads with: sentences, clauses, quotation, names.

Python keeps only language that is not a list of words: where a sentence and a clause end, that a
quotation is not the page's own words, that a capitalised word after another is part of a name.
The words (negations, hedges, history, quotation intros) are in the graph (sendkg.reader.vocabulary).
"""

from __future__ import annotations

import re

SENTENCE = re.compile(r"(?:[^.!?]|[.!?](?![\s)*]|$))*(?:[.!?]+|$)")  # "11.2" does not end a sentence
# a clause ends at these marks, or at the graph's words for it (cue:clause-break): a modal verb does
# not reach across them
CLAUSE_MARKS = re.compile(r"[,;:()]")
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


def clause_ok(cues, between: str) -> bool:
    """No clause ends in ``between``: no mark, and no word of cue:clause-break with a space either side."""
    return not CLAUSE_MARKS.search(between) and not cues.spaced("clause-break").search(between)


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


# ---------------------------------------------------------------- time frame, other names, certainty
# a year, with the day and month it may come with ("before 1 April 2018", "until 2021"), after one
# of the graph's words for a date in the past; and a range of years ("(2018-2021)", "2014 to 2018")
_YEAR = r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+)?((?:19|20)\d\d)(?![\d/])"
_CLAUSE_MARK = re.compile(r"[,;:()]")
YEAR_RANGE = re.compile(r"(?<![\d/])(?:19|20)\d\d\s*(?:-|–|to|until)\s*((?:19|20)\d\d)(?![\d/])", re.IGNORECASE)


class SentenceModel:
    """What the claim families ask of a sentence beyond its words: its time frame (about the past,
    or about today), whether a name in it is given as another name, and how sure it is. The words
    come from the graph (ontology/england/cues-frame.ttl); ``year``: this year (a year before it is
    the past)."""

    def __init__(self, cues, year: int):
        self.c = cues
        self.year = year
        leads = sorted(cues.nodes.get("past-date", {}), key=len, reverse=True)
        self.past_date = re.compile(r"(?<![\w'’])(?:" + "|".join(map(re.escape, leads)) + r")\s+" + _YEAR, re.IGNORECASE) if leads else None
        self._memo: dict = {}

    def past(self, sentence: str) -> bool:
        """The sentence is about the past: a date in the past frames it ("before April 2018", "the
        trial (2018-2021)"), or its verbs are in the past tense and none in the present ("the trial
        was piloted", "the Ombudsman previously had jurisdiction")."""
        hit = self._memo.get(sentence)
        if hit is None:
            hit = self._memo[sentence] = self._past(sentence)
            if len(self._memo) > 20000:
                self._memo.clear()
        return hit

    def _past(self, sentence: str) -> bool:
        dates = [m.start() for m in self.past_date.finditer(sentence) if int(m.group(1)) < self.year] if self.past_date else []
        dates += [m.start() for m in YEAR_RANGE.finditer(sentence) if int(m.group(1)) < self.year]
        # not the words of a name ("Special Educational Needs and Disabilities Information ... Service")
        now = [x for x in self.c.find("present", sentence) if not in_name(sentence, x[0])]
        nouns = self.c.find("not-verb", sentence)
        verbs = [x for x in self.c.find("present-verb", sentence) if not in_name(sentence, x[0])
                 and not any(s <= x[0] < e for s, e, _p, _n in nouns)]
        present = now + verbs
        for at in dates:
            # the date frames the sentence unless another of its clauses speaks of today ("a trial
            # that began in April 2018, the powers have been extended": today's claim)
            lo = max([m.end() for m in _CLAUSE_MARK.finditer(sentence, 0, at)], default=0)
            hi = next((m.start() for m in _CLAUSE_MARK.finditer(sentence, at)), len(sentence))
            if not any(s < lo or s >= hi for s, _e, _p, _n in present):
                return True
        if self.c.has("past-strong", sentence) and not now:
            return True
        return self.c.has("past", sentence) and not present

    def alias(self, sentence: str, start: int, end: int) -> bool:
        """The name at start:end is given as another name ("also known as SENDIST"), or follows
        today's name it glosses ("First-tier Tribunal (Special Educational Needs and Disability ...)")."""
        if any((e <= start and start - e <= 40) or (s >= end and s - end <= 25) for s, e, _p, _n in self.c.find("alias", sentence)):
            return True
        return any(e <= start and start - e <= 25 for _s, e, _p, _n in self.c.find("current-name", sentence))

    def uncertain(self, text: str, s0: int, sentence: str) -> str | None:
        """Why a sentence of a paragraph's ``text`` (at ``s0``) is not sure of its claim, or None:
        a question, a hedge ("usually"), or cut off (an excerpt that stops mid-sentence)."""
        stripped = sentence.rstrip()
        if stripped.endswith("?"):
            return "a question"
        if self.c.has("uncertain", sentence):
            return "hedged"
        if s0 + len(sentence) >= len(text.rstrip()) and stripped and stripped[-1] not in ".!?:;)\"”'’*" :
            words = re.findall(r"[\w'’]+", stripped)
            last = self.c.find("dangling", stripped)
            if len(words) >= 6 and last and last[-1][1] == len(stripped):
                return "cut off"
        return None
