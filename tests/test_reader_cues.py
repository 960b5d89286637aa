"""The cue phrases of every kind matched in one pass by one automaton (sendkg/reader/cues.py, issue
21): for every kind, exactly what the kind's own regular expression finds, on every sentence and
paragraph of the seeds and on texts made to catch the boundaries (apostrophes, possessives, case,
letters IGNORECASE folds apart from lower())."""

from pathlib import Path

import pytest

from sendkg.reader import Vocabulary, vocabulary_store
from sendkg.reader.cues import PhraseIndex, _fold
from sendkg.reader.paragraphs import read_page
from sendkg.reader.sentence import sentences

SEEDS = sorted((Path(__file__).resolve().parent / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def index():
    return Vocabulary(vocabulary_store()).index


def texts():
    for seed in SEEDS:
        for p in read_page(seed):
            yield p.text
            for _s0, s in sentences(p.text):
                yield s


CRAFTED = [
    "The council's decision: you must appeal within two months.",
    "the Council’s panel; the councils' letters and the council’d",
    "You MUST Appeal to the First-tier Tribunal (SEND) within 2 months of the decision letter.",
    "mediation'mediation mediation’s mediation's mediation_ _mediation mediation-advice",
    "A ſtatement of ſpecial educational needs, the local authorıty must",
    "İstanbul: the local authority must (Σ) issue a plan",
    "SENDIST, the Special Educational Needs and Disability Tribunal, and the LGO",
    "",
    "must",
    "’must’ 'may' “should” the LA must not, and may; the LA’s",
]


def test_every_kind_finds_what_its_regular_expression_finds(index):
    n = 0
    for text in [*texts(), *CRAFTED]:
        assert index._scan(text, _fold(text)) == index.scan_regex(text) if _fold(text) is not None \
            else index.scan(text) == index.scan_regex(text), text
        n += 1
    assert n > 500


def test_longest_phrase_first_none_overlapping_at_word_ends():
    idx = PhraseIndex({"a": ("word", {"local authority": {"la"}, "local": {"l"}, "authority must": {"am"}}),
                       "b": ("cue", {"council": {"c"}, "the council": {"tc"}}),
                       "t": ("any", {"council": set()})})
    text = "The local authority must act; the Council's panel; councils; the council’d"
    assert idx.find("a", text) == [(4, 19, "local authority", {"la"})]  # longest, and not overlapping
    assert [m[2] for m in idx.find("b", text)] == ["the Council"]  # "'s" may follow; "’d" may not
    assert [m[2] for m in idx.find("t", text)] == ["Council", "council"]
    assert idx.find("a", "the localauthority") == [] and idx.find("missing", text) == []


def test_a_text_that_cannot_be_folded_in_place_is_read_by_the_expressions():
    idx = PhraseIndex({"a": ("word", {"istanbul": {"i"}})})
    assert _fold("İstanbul") is None  # "İ".lower() is two characters
    assert [m.span() for m in idx.regex("a").finditer("In İstanbul")] == [(3, 11)]
    assert idx.find("a", "In İstanbul") == [(3, 11, "İstanbul", {"i"})]


def test_durations_as_tries_read_as_the_alternation_longest_first():
    import re

    from sendkg.reader.vocabulary import NUMBERS

    v = Vocabulary(vocabulary_store())
    units = sorted({p for p, _, _ in v.by_kind["unit"]}, key=len, reverse=True)
    numbers = "|".join(sorted(NUMBERS, key=len, reverse=True))
    plain = re.compile(rf"(?<![\w.])(\d+|{numbers})[\s-]+(?:calendar\s+)?({'|'.join(map(re.escape, units))})(?!\w)",
                       re.IGNORECASE)
    said = [*texts(), "within twenty-eight days", "twenty eight working days", "an 8 week", "2 Calendar Months",
            "one-month", "a week's notice", "fourteen days.", "15 working-days"]
    for text in said:
        assert [(m.span(), m.groups()) for m in v.duration.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)], text
    assert any(v.duration.search(t) for t in said)
