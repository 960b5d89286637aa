"""The reader's words, all from the graph: the vocabulary of routes, time limits, events,
conditions, superseded terms, services and providers (queries/lint-vocabulary.rq), and the cues of
claims (queries/lint-claim-cues.rq over ontology/england/cues-claims.ttl), compiled. No word lists
in Python: only the numbers as pages write them (language, not law)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from sendkg.reader.cues import PhraseIndex, phrase_regex
from sendkg.reader.sentence import SentenceModel
from sendkg.resources import model_files, offer_files
from sendkg.store import EmbeddedStore, load_query

# Numbers as pages write them (language, not law).
NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
NUMBERS.update({"fourteen": 14, "fifteen": 15, "sixteen": 16, "eighteen": 18, "twenty": 20, "twenty-eight": 28, "twenty eight": 28,
                "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90, "a": 1, "an": 1})
NUMBER = r"(\d+[A-Z]?(?:\.\d+)?(?:\s?\([0-9a-z]+\))*)"


def vocabulary_store() -> EmbeddedStore:
    """The model plus the known authorities (whose providers are part of the vocabulary)."""
    return EmbeddedStore([*model_files(), *offer_files()])


def _bool(v) -> bool:
    return v is True or str(v).lower() == "true"


class ClaimCues:
    """The phrases of each kind, matched by one automaton (sendkg.reader.cues) with ``extra``
    kinds' phrases (the vocabulary's: kind -> (style, {phrase: nodes})), and what each phrase's
    node says."""

    def __init__(self, store, extra: dict | None = None):
        phrases: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.attrs: dict[str, dict] = {}
        self.limit_needs: dict[str, set[str]] = defaultdict(set)  # a limit -> the limit-kind cues one of which it needs
        for r in store.select(load_query("lint-claim-cues")):
            phrases[r["kind"]][r["phrase"].lower()].add(r["node"])
            if r["limitNeeds"]:
                self.limit_needs[r["limitNeeds"]].add(r["node"])
            if r["position"] or r["needs"]:  # a scope frame or topic (ontology/england/scope-frames.ttl)
                self.attrs[r["node"]] = {"position": r["position"], "gap": int(r["gap"] or 0), "needs": r["needs"],
                                         "negated": _bool(r["needsNegation"])}
            elif r["governs"] or r["modality"] or r["event"] or r["owner"] or r["matter"]:
                self.attrs[r["node"]] = {"modality": r["modality"], "governs": r["governs"] or "following",
                                         "subject": _bool(r["needsSubject"]), "step": r["step"],
                                         "negatable": _bool(r["negatable"]), "event": r["event"],
                                         "owner": r["owner"], "matter": r["matter"], "advisory": _bool(r["advisory"])}
        self.nodes = {k: dict(v) for k, v in phrases.items()}
        self._placed_patterns: dict = {}
        # one scan says whether a sentence can hold any of these claims at all
        self.starters = set()
        for kind in ("modality", "act-before", "act-after", "body", "aspect", "appeal-scope", "scope", "code-duty", "kind",
                     "matter", "exclusive", "alone", "scope-frame"):
            self.starters |= set(self.nodes.get(kind, {}))
        self.index = PhraseIndex({**self.kinds(), **(extra or {})})
        self.trigger = _Trigger(self.index)
        kinds = "|".join(map(re.escape, sorted(self.nodes.get("kind", {}), key=len, reverse=True)))
        instruments = "|".join(map(re.escape, sorted(self.nodes.get("instrument", {}), key=len, reverse=True)))
        # "regulation 33 of the Children and Families Act", "section 55 of the SEND Regulations"
        self.cite_after = re.compile(rf"(?<![\w])({kinds})\s*{NUMBER}(?:\s*(?:,|and|to|or|-|–)\s*\d+[A-Z]?(?:\([0-9a-z]+\))*)*\s*(?:of|in|under|to|from)\s+(?:the\s+)?({instruments})(?![\w])",
                                     re.IGNORECASE)
        # "the SEND Regulations, section 33", "Children and Families Act 2014 regulation 33"
        self.cite_before = re.compile(rf"(?<![\w])({instruments}),?\s+({kinds})\s*{NUMBER}", re.IGNORECASE)

    def kinds(self) -> dict:
        """The phrases of each kind (and of the trigger), for a PhraseIndex: a phrase ends at a
        word's end; a possessive "'s" may follow ("the council's")."""
        out: dict = {k: ("cue", table) for k, table in self.nodes.items()}
        out[TRIGGER] = ("any", {p: set() for p in self.starters})
        return out

    def find(self, kind: str, text: str):
        """The kind's phrases in the text, longest first and not overlapping: (start, end, words, nodes)."""
        return self.index.find(kind, text)

    def has(self, kind: str, text: str) -> bool:
        return bool(self.find(kind, text))

    # Where a phrase of a kind stands: at the end of a text (the words just before a period, a name or
    # a verb: "for the | 2 weeks", "at the | Tribunal"), at its start (the words just after one), or as
    # the whole of it. The phrases are the graph's (ontology/england/cues-grammar.ttl); only the place
    # is Python's.
    def _placed(self, kind: str, where: str):
        key = (kind, where)
        pattern = self._placed_patterns.get(key)
        if pattern is None and kind in self.nodes:
            body = phrase_regex(self.nodes[kind])
            pattern = re.compile({"end": r"(?:(?<![\w'’])|(?!\w))(?:" + body + r")\s*$",
                                  "start": r"^\s*(?:" + body + r")(?!\w)",
                                  "whole": r"^\s*(?:" + body + r")\s*$"}[where], re.IGNORECASE)
            self._placed_patterns[key] = pattern
        return pattern

    def spaced(self, kind: str):
        """One pattern for a phrase of ``kind`` with a space either side ("a clause ends at ' but '")."""
        key = (kind, "spaced")
        pattern = self._placed_patterns.get(key)
        if pattern is None:
            body = phrase_regex(self.nodes.get(kind, {})) or r"(?!)"
            pattern = self._placed_patterns[key] = re.compile(r"\s(?:" + body + r")\s", re.IGNORECASE)
        return pattern

    def ends(self, kind: str, text: str) -> int | None:
        """Where a phrase of ``kind`` that ends ``text`` (but for spaces) starts, or None."""
        p = self._placed(kind, "end")
        m = p.search(text) if p is not None else None
        return m.start() if m else None

    def starts(self, kind: str, text: str) -> int | None:
        """Where a phrase of ``kind`` that starts ``text`` (but for spaces) ends, or None."""
        p = self._placed(kind, "start")
        m = p.match(text) if p is not None else None
        return m.end() if m else None

    def whole(self, kind: str, text: str) -> bool:
        """``text`` is one phrase of ``kind`` (but for spaces)."""
        p = self._placed(kind, "whole")
        return bool(p is not None and p.match(text))

    def after_determiner(self, kind: str, text: str) -> int | None:
        """A phrase of ``kind`` ends ``text``, maybe followed by a determiner ("independent of | the")."""
        cut = self.ends("determiner", text)
        if cut is not None:
            hit = self.ends(kind, text[:cut])
            if hit is not None:
                return hit
        return self.ends(kind, text)


TRIGGER = ("trigger",)  # the kinds of the index: a cue's kind, ("vocab", kind), and this


class _Trigger:
    """``search(sentence)``: whether any phrase that begins a claim is in the sentence."""

    def __init__(self, index: PhraseIndex):
        self.index = index

    def search(self, text: str) -> bool:
        return TRIGGER in self.index.scan(text)


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
        self.tables = {k: self._table(v) for k, v in self.by_kind.items()}
        # the misreadings on their own, since "the decision letter reached you" holds both
        # "the decision letter" (sent) and "decision letter reached you" (received)
        self.tables["misreading"] = self._table([e for e in self.by_kind["event"] if e[1] in self.misreads])
        units = {p for p, _, _ in self.by_kind["unit"]}
        self.unit_of = {p.lower(): n for p, n, _ in self.by_kind["unit"]}
        # the numbers and units as tries: at each place the longest that fits is tried first, as an
        # alternation longest first would, at less cost (this is searched in every paragraph)
        self.duration = re.compile(rf"(?<![\w.])(\d+|{phrase_regex(NUMBERS)})[\s-]+(?:calendar\s+)?({phrase_regex(units)})(?!\w)",
                                   re.IGNORECASE)
        self.quote_intros = [p.lower() for p, _, _ in self.by_kind["quote-intro"]]
        # the vocabulary's phrases and the cues of claims in one automaton: a text is scanned once
        self.claims = ClaimCues(store, {("vocab", k): ("word", t) for k, t in self.tables.items()})
        self.index = self.claims.index
        self._kinds = {k: ("vocab", k) for k in self.tables}
        self.model = SentenceModel(self.claims, date.today().year)
        self._store = store
        self._register = None

    def register(self):
        """The register of local authorities (read once, when a page is first checked for them)."""
        if self._register is None:
            from sendkg.register import Register

            self._register = Register.from_store(self._store)
            # the names of councils that no longer exist, as one pattern: a paragraph without any is
            # not looked at again (the register's own pattern knows every council, and is slower)
            ended = {p for p, i, kind, _s in self._register.names
                     if self._register.authorities[i].end and kind != "label"}
            self.abolished = re.compile(r"(?<![\w-])(?:" + phrase_regex(ended) + r")(?![\w-])", re.IGNORECASE) if ended else None
        return self._register

    @staticmethod
    def _table(entries) -> dict[str, set]:
        nodes = defaultdict(set)
        for p, n, _ in entries:
            nodes[p.lower()].add(n)
        return dict(nodes)

    def find(self, kind: str, text: str):
        """Non-overlapping matches of the kind's phrases (longest first): (start, end, phrase, nodes)."""
        return list(self.index.find(self._kinds.get(kind) or ("vocab", kind), text))
