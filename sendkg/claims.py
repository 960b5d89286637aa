"""Reading obligation, actor, scope, citation and body claims from a page's sentences (issue 11).

All words come from the graph (queries/lint-claim-cues.rq over ontology/england/cues-claims.ttl):
modal verbs and what they make of a step, negations, hedges, the family as a subject, actors and
acts, aspects of the section I exception, decisions as pages name them, kinds of provision and
instruments. This module only reads: it writes claims in the vocabulary of ontology/authority.ttl,
and the shapes (shapes/authority.ttl) compare them with the law (ontology/england/statements.ttl).
What a claim is checked against is never decided here.

Python keeps only language that is not a list of words: how far apart two phrases may stand, where
a clause ends, that a question asks rather than says, that a quotation is not the page's own words.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox

from sendkg.store import load_query

SKG = "https://w3id.org/sendkg/def#"
HEALTH = "https://w3id.org/sendkg/id/decision/health-social-care"
SECTION_I = "https://w3id.org/sendkg/id/condition/section-i-only"
WITH_EDUCATION = "https://w3id.org/sendkg/id/condition/with-education-appeal"
ALL_OF_SECTION_I = "https://w3id.org/sendkg/id/aspect/section-i"
ADVICE = "https://w3id.org/sendkg/id/route/mediation-advice"
SCHOOL_COMPLAINT = "https://w3id.org/sendkg/id/route/school-complaint"
LA = "https://w3id.org/sendkg/id/party/local-authority"
LGSCO = "https://w3id.org/sendkg/id/party/lgsco"
TRIBUNAL = "https://w3id.org/sendkg/id/party/tribunal"
XSD = "http://www.w3.org/2001/XMLSchema#"
# a clause ends at these marks or words: a modal verb does not reach across them
CLAUSE_BREAK = re.compile(r"[,;:()]|\s(?:but|or|and then|although|however|whereas|unless|if|so that|because)\s", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)]|\([a-z0-9]+\))\s+")
OBJECT_OF = re.compile(r"\b(?:at|to|with|by|from|of|for|before|about|against|in|on)\s+(?:the\s+|a\s+|an\s+|your\s+|our\s+)?$", re.IGNORECASE)
DIGIT = re.compile(r"\d")
PASSIVE = re.compile(r"\s+be\s+(?:offered|given|told|invited|sent|asked|informed|made|provided)\b", re.IGNORECASE)
PRONOUN = re.compile(r"^\s*(?:this|it|that|doing this|doing so)\s+$", re.IGNORECASE)
QUOTED = re.compile(r"[\"“]([^\"”]{25,})[\"”]")
NUMBER = r"(\d+[A-Z]?(?:\.\d+)?(?:\s?\([0-9a-z]+\))*)"


def skg(name: str) -> ox.NamedNode:
    return ox.NamedNode(SKG + name)


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
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if ends:
            return "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    return build(trie)


def _bool(v) -> bool:
    return v is True or str(v).lower() == "true"


class ClaimCues:
    """The phrases of each kind, compiled (longest first), and what each phrase's node says."""

    def __init__(self, store):
        phrases: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.attrs: dict[str, dict] = {}
        for r in store.select(load_query("lint-claim-cues")):
            phrases[r["kind"]][r["phrase"].lower()].add(r["node"])
            if r["governs"] or r["modality"] or r["event"] or r["owner"] or r["matter"]:
                self.attrs[r["node"]] = {"modality": r["modality"], "governs": r["governs"] or "following",
                                         "subject": _bool(r["needsSubject"]), "step": r["step"],
                                         "negatable": _bool(r["negatable"]), "event": r["event"],
                                         "owner": r["owner"], "matter": r["matter"]}
        self.nodes = {k: dict(v) for k, v in phrases.items()}
        self.patterns = {}
        self._memo: dict = {}
        for kind, table in self.nodes.items():
            # a phrase ends at a word's end; a possessive "'s" may follow ("the council's")
            self.patterns[kind] = re.compile(r"(?<![\w'’])(" + phrase_regex(table) + r")(?!\w)(?!['’][a-rt-z])", re.IGNORECASE)
        # one scan says whether a sentence can hold any of these claims at all
        starters = set()
        for kind in ("modality", "act-before", "act-after", "body", "aspect", "appeal-scope", "scope", "code-duty", "kind",
                     "matter", "exclusive", "alone"):
            starters |= set(self.nodes.get(kind, {}))
        self.trigger = re.compile(r"(?<![\w'’])(?:" + phrase_regex(starters) + r")(?!\w)", re.IGNORECASE)
        kinds = "|".join(map(re.escape, sorted(self.nodes.get("kind", {}), key=len, reverse=True)))
        instruments = "|".join(map(re.escape, sorted(self.nodes.get("instrument", {}), key=len, reverse=True)))
        # "regulation 33 of the Children and Families Act", "section 55 of the SEND Regulations"
        self.cite_after = re.compile(rf"(?<![\w])({kinds})\s*{NUMBER}(?:\s*(?:,|and|to|or|-|–)\s*\d+[A-Z]?(?:\([0-9a-z]+\))*)*\s*(?:of|in|under|to|from)\s+(?:the\s+)?({instruments})(?![\w])",
                                     re.IGNORECASE)
        # "the SEND Regulations, section 33", "Children and Families Act 2014 regulation 33"
        self.cite_before = re.compile(rf"(?<![\w])({instruments}),?\s+({kinds})\s*{NUMBER}", re.IGNORECASE)

    def find(self, kind: str, text: str):
        key = (kind, text)
        if key in self._memo:  # a sentence is asked about the same kind by several readers
            return self._memo[key]
        if len(self._memo) > 20000:
            self._memo.clear()
        p = self.patterns.get(kind)
        table = self.nodes.get(kind, {})
        found = [] if p is None else [(m.start(), m.end(), m.group(0), table[m.group(0).lower()]) for m in p.finditer(text)]
        self._memo[key] = found
        return found

    def has(self, kind: str, text: str) -> bool:
        return bool(self.find(kind, text))


def _groups(node_sets) -> list[set]:
    """Decisions named together, merged where the names overlap ("the contents of the plan" and
    "an amended plan" are one item of a list, not two)."""
    groups: list[set] = []
    for nodes in node_sets:
        nodes = set(nodes)
        for g in [g for g in groups if g & nodes]:
            groups.remove(g)
            nodes |= g
        groups.append(nodes)
    return groups


def _in_name(text: str, at: int) -> bool:
    """The word at ``at`` is capitalised and follows a capitalised word, mid-sentence: part of a name."""
    if not text[at:at + 1].isupper():
        return False
    prev = re.search(r"(\w+)\W*$", text[:at])
    return bool(prev and prev.group(1)[:1].isupper() and text[:prev.start()].strip() != "")


def _clause_ok(between: str) -> bool:
    return not CLAUSE_BREAK.search(between)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in QUOTED.finditer(text)]


class ClaimReader:
    """Reads the claims of one sentence; ``ex`` is the page's Extractor (it makes the claim nodes)."""

    def __init__(self, cues: ClaimCues, vocab, ex):
        self.c = cues
        self.v = vocab
        self.ex = ex

    # -------------------------------------------------------------- helpers
    def _claim(self, kind, para, at, quote, paragraph):
        c = self.ex.claim(kind, para, at, quote)
        self.ex.add(c, skg("inParagraph"), ox.Literal(str(paragraph), datatype=ox.NamedNode(XSD + "integer")))
        return c

    def _conditions(self, sentence: str, before: str) -> set[str]:
        """Conditions the sentence (or the one before it) puts its claims under."""
        out = set()
        for text in (sentence, before):
            for _s, _e, _p, nodes in self.c.find("condition-cue", text):
                out |= nodes
            for _s, _e, _p, nodes in self.v.find("condition", text):
                out |= nodes
            if self.c.has("exclusive", text) and self.c.has("aspect", text):
                out.add(SECTION_I)
        return out

    # -------------------------------------------------------------- sentences
    def read(self, para, paragraph: int, s0: int, sentence: str, before: str, before_here: str = "") -> None:
        """``before``: the sentence before (or the paragraph before, for a paragraph's first
        sentence); ``before_here``: the sentence before in the same paragraph, if any."""
        if sentence.rstrip().endswith("?"):
            return  # a question asks; the answer says
        if not self.c.trigger.search(sentence):
            return
        quoted = _quoted_spans(sentence)
        self._obligations(para, paragraph, s0, sentence, before_here, quoted)
        self._actors(para, paragraph, s0, sentence, before, quoted)
        self._bodies(para, paragraph, s0, sentence, before, quoted)
        self._exception(para, paragraph, s0, sentence, quoted)
        self._appealable(para, paragraph, s0, sentence, quoted)
        self._citations(para, paragraph, s0, sentence, quoted)
        self._code_duty(para, paragraph, s0, sentence, quoted)

    def _code_duty(self, para, paragraph, s0, sentence, quoted):
        """An instrument said to make a legal duty ("the Code of Practice makes it a legal requirement")."""
        duty = self.c.find("code-duty", sentence)
        if not duty or self.c.has("hedge", sentence):
            return
        for s, e, _p, nodes in self.c.find("instrument", sentence):
            if self._in_quote(quoted, s) or abs(s - duty[0][0]) > 80:
                continue
            c = self._claim("ObligationClaim", para, s0 + min(s, duty[0][0]), sentence[min(s, duty[0][0]):max(e, duty[0][1])], paragraph)
            self.ex.add(c, skg("claimModality"), skg("Required"))
            for i in sorted(nodes):
                self.ex.add(c, skg("attributedTo"), ox.NamedNode(i))

    @staticmethod
    def _in_quote(quoted, at):
        return any(s <= at < e for s, e in quoted)

    def _obligations(self, para, paragraph, s0, sentence, before, quoted):
        if self.c.has("hedge", sentence):
            return
        names = [(s, e) for s, e, _p, _n in self.v.find("provider", sentence)]
        # a step's word inside a name ("Global Mediation", a provider) is not the step
        steps = [st for st in self.c.find("step", sentence)
                 if not any(s <= st[0] < e for s, e in names) and not _in_name(sentence, st[0])]
        mods = self.c.find("modality", sentence)
        if not mods:
            return
        subjects = self.c.find("subject", sentence)
        actors = self.c.find("actor", sentence)
        negations = self.c.find("negation", sentence)
        conditions = self._conditions(sentence, before)
        health = any(HEALTH in nodes for *_x, nodes in self.c.find("scope", sentence))
        attributed = set()
        if self.c.has("attribution", sentence):
            for _s, _e, _p, nodes in self.c.find("instrument", sentence):
                attributed |= nodes
        seen = set()
        for ms, me, phrase, nodes in mods:
            if self._in_quote(quoted, ms):
                continue
            for node in nodes:
                a = self.c.attrs[node]
                target = None
                if a["governs"] == "fixed":
                    # "tell the adviser you do not want mediation ... you can go straight to the Tribunal"
                    if any(a["step"] in n for *_x, n in self.c.find("step", sentence + " " + before)):
                        continue
                    target, at, end = a["step"], ms, me
                elif a["governs"] == "following":
                    after = [st for st in steps if st[0] >= me and st[0] - me <= (60 if not a["subject"] else 40) and _clause_ok(sentence[me:st[0]])
                             and not re.search(r"\b(?:that|whether|about|want|wish|decide|after|before)\b", sentence[me:st[0]], re.I)]
                    if after:
                        target, at, end = sorted(after[0][3])[0], ms, after[0][1]
                else:  # preceding
                    prior = [st for st in steps if st[1] <= ms and ms - st[1] <= 25 and _clause_ok(sentence[st[1]:ms])]
                    if prior:
                        target, at, end = sorted(prior[-1][3])[0], prior[-1][0], me
                    elif PRONOUN.match(sentence[:ms]) and before and not re.match(r"\s+to\s", sentence[me:]) \
                            and not self.c.find("step", sentence[me:]):
                        # "Step 2: attend mediation. This must happen before you appeal."
                        earlier = self.c.find("step", before)
                        if earlier:
                            target, at, end = sorted(earlier[-1][3])[0], ms, me
                if target is None:
                    continue
                if a["subject"] and not self._family_subject(sentence, ms, subjects, actors):
                    continue
                if a["governs"] == "following" and PASSIVE.match(sentence[me:]):
                    continue  # "you must be offered mediation": done to the family, not by it
                modality = a["modality"]
                flipped = False
                if a["negatable"]:
                    flipped = any(e <= ms and ms - e <= 40 and _clause_ok(sentence[e:ms]) for _s, e, _p, _n in negations)
                elif a["governs"] == "preceding":
                    flipped = any(e <= at and at - e <= 3 for _s, e, _p, _n in negations)
                if flipped:
                    modality = SKG + ("Required" if modality.endswith("Optional") else "Optional")
                key = (target, modality)
                if key in seen:
                    continue
                seen.add(key)
                c = self._claim("ObligationClaim", para, s0 + at, sentence[at:end], paragraph)
                self.ex.add(c, skg("claimStep"), ox.NamedNode(target))
                self.ex.add(c, skg("claimModality"), ox.NamedNode(modality))
                for cond in sorted(conditions):
                    self.ex.add(c, skg("underCondition"), ox.NamedNode(cond))
                if health:
                    self.ex.add(c, skg("claimDecision"), ox.NamedNode(HEALTH))
                for inst in sorted(attributed):
                    self.ex.add(c, skg("attributedTo"), ox.NamedNode(inst))

    @staticmethod
    def _family_subject(sentence, at, subjects, actors) -> bool:
        """The family is the subject of the modal verb at ``at``: the nearest party named before it,
        in its clause, is the family ("you must", "anyone who wants to appeal ... must"), not another
        (the council, the mediator)."""
        family = [(e, True) for _s, e, _p, _n in subjects if e <= at and at - e <= 120 and _clause_ok(sentence[e:at])]
        others = [(e, False) for s, e, _p, n in actors if e <= at and at - e <= 120 and _clause_ok(sentence[e:at])
                  and not any(x.endswith(("/parent", "/young-person")) for x in n)
                  and not OBJECT_OF.search(sentence[:s])]  # "at the Tribunal" is not a subject
        near = sorted(family + others)
        return bool(near) and near[-1][1]

    def _actors(self, para, paragraph, s0, sentence, before, quoted):
        acts = [(a, "before") for a in self.c.find("act-before", sentence)] + \
               [(a, "after") for a in self.c.find("act-after", sentence)]
        if not acts or self.c.has("hedge", sentence):
            return
        # "independent of the council": that party is named as not the doer
        actors = [x for x in self.c.find("actor", sentence)
                  if not re.search(r"\b(?:independent of|separate from|not part of|apart from|instead of)\s+(?:the\s+|your\s+)?$", sentence[:x[0]], re.I)]
        helpers = self.c.find("helper", sentence)
        negations = self.c.find("negation", sentence)
        events = set()
        for text in (sentence, before):
            for _s, _e, _p, nodes in self.c.find("after-mediation", text):
                events |= {self.c.attrs[n]["event"] for n in nodes if self.c.attrs.get(n, {}).get("event")}
        for (s, e, phrase, act_nodes), side in acts:
            if self._in_quote(quoted, s):
                continue
            if side == "before":
                cands = [x for x in actors if x[1] <= s and s - x[1] <= 45]
                pick = cands[-1] if cands else None
                gap = (pick[1], s) if pick else None
            else:
                cands = [x for x in actors if x[0] >= e and x[0] - e <= 30]
                pick = cands[0] if cands else None
                gap = (e, pick[0]) if pick else None
            if pick is None:
                continue
            between = sentence[gap[0]:gap[1]]
            if not _clause_ok(between) or any(gap[0] <= hs and he <= gap[1] for hs, he, _p, _n in helpers + negations):
                continue
            if any(ne <= min(s, pick[0]) and min(s, pick[0]) - ne <= 12 for _ns, ne, _p, _n in negations):
                continue
            start = min(s, pick[0])
            # placed at the act's words ("will present your appeal"), quoted with its doer
            c = self._claim("ActorClaim", para, s0 + s, sentence[start:max(e, pick[1])], paragraph)
            for node in sorted(pick[3]):
                self.ex.add(c, skg("claimActor"), ox.NamedNode(node))
            for node in sorted(act_nodes):
                self.ex.add(c, skg("claimAct"), ox.NamedNode(node))
            for ev in sorted(events):
                self.ex.add(c, skg("afterEvent"), ox.NamedNode(ev))

    def _bodies(self, para, paragraph, s0, sentence, before, quoted):
        bodies = [b for b in self.c.find("body", sentence) if not self._in_quote(quoted, b[0])]
        if not bodies:
            return
        negations = self.c.find("negation", sentence)
        owns = self.c.find("authority-own", sentence)
        modifiers = self.c.find("body-modifier", sentence)
        done = set()
        for bs, be, phrase, nodes in bodies:
            if any(ms >= be and ms - be <= 1 for ms, _me, _p, _n in modifiers):
                continue  # "our Tribunal support service"
            for os_, oe, _p, own_nodes in owns:
                attrs = [self.c.attrs.get(n, {}) for n in own_nodes]
                hit = None
                if oe <= bs and bs - oe <= 1 and any(x.get("governs") == "following" for x in attrs):
                    hit = (os_, be)
                elif os_ >= be and os_ - be <= 30 and any(x.get("governs") == "preceding" for x in attrs):
                    between = sentence[be:os_]
                    if not any(be <= ns < os_ for ns, _ne, _p, _n in negations) and "independent" not in between.lower():
                        hit = (bs, oe)
                if hit and hit not in done:
                    done.add(hit)
                    c = self._claim("BodyClaim", para, s0 + hit[0], sentence[hit[0]:hit[1]], paragraph)
                    for node in sorted(nodes):
                        self.ex.add(c, skg("aboutBody"), ox.NamedNode(node))
                    for x in attrs:
                        if x.get("owner"):
                            self.ex.add(c, skg("describedAsPartOf"), ox.NamedNode(x["owner"]))
        # a body named as the place for a kind of complaint: the nearest matter named in the sentence
        if negations or self.c.has("hedge", sentence):
            return
        matters = self.c.find("matter", sentence) if self.c.has("hearing", sentence) else []
        # not the words of a body's own name ("Health Service" in the Health Service Ombudsman's)
        matters = [m for m in matters if not any(bs <= m[0] < be for bs, be, _p, _n in bodies)]
        for bs, be, phrase, nodes in bodies:
            route = None
            if matters:
                nearest = min(matters, key=lambda m: min(abs(m[0] - be), abs(bs - m[1])))
                route = sorted(self.c.attrs.get(n, {}).get("matter") for n in nearest[3])[0]
            elif self.c.has("escalation", sentence) and self.c.has("school-matter", before) \
                    and not self.c.has("authority-matter", before) and not self.c.has("authority-matter", sentence):
                route = SCHOOL_COMPLAINT  # "... the school's complaints procedure. If still unhappy, the Ombudsman"
            if route is None or (route == SCHOOL_COMPLAINT and self.c.has("authority-matter", sentence)
                                 and not self.c.has("school-matter", sentence)):
                continue
            c = self._claim("BodyClaim", para, s0 + bs, sentence[bs:be], paragraph)
            for node in sorted(nodes):
                self.ex.add(c, skg("aboutBody"), ox.NamedNode(node))
            self.ex.add(c, skg("describedAsHearing"), ox.NamedNode(route))

    def _exception(self, para, paragraph, s0, sentence, quoted):
        """The section I exception as the sentence states it, with the aspects it names."""
        words = [w for w in self.c.find("appeal-word", sentence)] + \
            [(m.start(), m.end(), m.group(0), set()) for m in re.finditer(r"\b(?:dispute|disagree\w*|challeng\w*)\b", sentence, re.I)]
        exclusive = [x for x in self.c.find("exclusive", sentence)
                     if any(abs(w[0] - x[1]) <= 25 or abs(x[0] - w[1]) <= 25 for w in words)]
        aspects = [a for a in self.c.find("aspect", sentence)
                   if not (ALL_OF_SECTION_I in a[3] and re.search(r"\b(?:in|named in|specified in|of)\s+(?:the\s+)?$", sentence[:a[0]]))]
        if not exclusive or not aspects:
            return
        about = any(ADVICE in n for *_x, n in self.c.find("step", sentence)) or \
            re.search(r"\b(?:mediation|exception)\b", sentence, re.IGNORECASE)
        if not about:
            return
        first = min(s for s, *_ in exclusive)
        named = [a for a in aspects if a[0] > first] or aspects
        if self._in_quote(quoted, named[0][0]):
            return
        start = min(first, named[0][0])
        c = self._claim("ExceptionClaim", para, s0 + named[0][0], sentence[start:max(named[-1][1], first + 4)], paragraph)
        self.ex.add(c, skg("mentionsCondition"), ox.NamedNode(SECTION_I))
        for node in sorted(set().union(*(a[3] for a in named))):
            self.ex.add(c, skg("coversAspect"), ox.NamedNode(node))

    def _appealable(self, para, paragraph, s0, sentence, quoted):
        if self.c.has("no-appeal", sentence) or self.c.has("hedge", sentence):
            return
        scope = self.c.find("appeal-scope", sentence)
        # not the "Health and Care" of "Education, Health and Care Plan"
        decisions = [d for d in self.c.find("scope", sentence) if not self._in_quote(quoted, d[0])
                     and not (HEALTH in d[3] and re.search(r"education,?\s+$", sentence[:d[0]], re.IGNORECASE))]
        health = [d for d in decisions if HEALTH in d[3]]
        if health and (scope or self.c.has("appeal-word", sentence)):
            hs, he = health[0][0], health[0][1]
            # health or care "alone", "only", "without appealing the education parts"
            alone = any(abs(x[0] - he) <= 25 or abs(hs - x[1]) <= 30 for x in self.c.find("alone", sentence))
            qualified = any(WITH_EDUCATION in n for *_x, n in self.c.find("condition-cue", sentence))
            negated = self.c.find("negation", sentence[max(0, hs - 40):hs])
            if (alone or scope) and not qualified and not negated:
                c = self._claim("AppealableClaim", para, s0 + hs, sentence[hs:he], paragraph)
                self.ex.add(c, skg("claimsAppealable"), ox.NamedNode(HEALTH))
        if not scope or self.c.has("example", sentence):
            return
        others = [d for d in decisions if HEALTH not in d[3]]
        groups = _groups(d[3] for d in others)
        only = any(x[0] >= scope[0][1] and x[0] - scope[0][1] <= 12 for x in self.c.find("exclusive", sentence))
        if others and (len(groups) >= 2 or only):
            self.list_claim(para, paragraph, s0 + scope[0][0], sentence[scope[0][0]:others[-1][1]], others)
        elif others and re.search(r"\balso\b", sentence[:scope[0][1] + 10], re.I):
            # "You can also appeal about ...": the rest of a list, read with the list it continues
            self.list_claim(para, paragraph, s0 + scope[0][0], sentence[scope[0][0]:others[-1][1]], others, "ScopeClaim")

    def list_claim(self, para, paragraph, at, quote, decisions, kind="AppealListClaim"):
        c = self._claim(kind, para, at, quote, paragraph)
        for node in sorted(set().union(*(d[3] for d in decisions))):
            self.ex.add(c, skg("listsDecision"), ox.NamedNode(node))

    def _citations(self, para, paragraph, s0, sentence, quoted):
        if not DIGIT.search(sentence):
            return
        found = []
        for m in self.c.cite_after.finditer(sentence):
            found.append((m.start(), m.end(), m.group(1), m.group(2), m.group(3)))
        for m in self.c.cite_before.finditer(sentence):
            found.append((m.start(), m.end(), m.group(2), m.group(3), m.group(1)))
        for s, e, kind, number, instrument in found:
            if self._in_quote(quoted, s) or "schedule" in sentence[s:e].lower():
                continue
            kinds = self.c.nodes["kind"].get(kind.lower(), set())
            instruments = self.c.nodes["instrument"].get(instrument.lower(), set())
            if not kinds or not instruments:
                continue
            c = self._claim("CitationClaim", para, s0 + s, sentence[s:e], paragraph)
            for k in sorted(kinds):
                self.ex.add(c, skg("citedKind"), ox.NamedNode(k))
            for i in sorted(instruments):
                self.ex.add(c, skg("citedInstrument"), ox.NamedNode(i))
            self.ex.add(c, skg("citedNumber"), ox.Literal(re.match(r"\d+[A-Z]?(?:\.\d+)?", number).group(0)))
            # what the provision is cited for: the routes and steps the sentence names
            routes = set()
            for _s, _e, _p, nodes in self.v.find("route", sentence) + self.c.find("step", sentence):
                routes |= nodes
            for r in sorted(routes):
                self.ex.add(c, skg("citedFor"), ox.NamedNode(r))


def appeal_lists(reader: ClaimReader, paras, quoted, start_index) -> None:
    """A paragraph ending with ':' that says what can be appealed, and the list items after it."""
    c = reader.c
    for i, p in enumerate(paras):
        text = p.text.strip()
        if quoted[i] or not text.endswith(":") or not c.has("appeal-scope", text):
            continue
        if c.has("no-appeal", text) or c.has("example", text) or c.has("hedge", text):
            continue
        items, j = [], i + 1
        while j < len(paras) and len(items) < 14:
            t = paras[j].text.strip()
            if not t:
                if items:
                    break
                j += 1
                continue
            is_item = bool(BULLET.match(paras[j].text)) or (paras[j].html and len(t) < 250)
            if not is_item or t.endswith(":") or t.startswith("#"):
                break
            items.append((j, t))
            j += 1
        if len(items) < 2:
            continue
        decisions, health = [], []
        for j, t in items:
            found = c.find("scope", t)
            for d in found:
                (health if HEALTH in d[3] else decisions).append((j, d))
        if health:
            qualified = any(WITH_EDUCATION in n for jj, _ in health for *_x, n in c.find("condition-cue", paras[jj].text)) \
                or any(WITH_EDUCATION in n for *_x, n in c.find("condition-cue", text))
            if not qualified:
                jj, d = health[0]
                cl = reader._claim("AppealableClaim", paras[jj], paras[jj].text.index(d[2]) if d[2] in paras[jj].text else 0,
                                   d[2], start_index + jj)
                reader.ex.add(cl, skg("claimsAppealable"), ox.NamedNode(HEALTH))
        if len(_groups(d[3] for _j, d in decisions)) >= 2:
            reader.list_claim(p, start_index + i, 0, text, [d for _j, d in decisions])
